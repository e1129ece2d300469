// Layering probe that must not build: service sits below experiments.
#include "experiments/experiment.h"
