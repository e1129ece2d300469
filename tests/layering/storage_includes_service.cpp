// Layering probe that must not build: storage sits below service.
#include "service/model_registry.h"
