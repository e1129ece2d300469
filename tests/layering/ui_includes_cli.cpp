// Layering probe that must not build: Studio does not link the CLI's module.
#include "cli/commands.h"
