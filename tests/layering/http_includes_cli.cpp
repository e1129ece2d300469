// Layering probe that must not build: http sits below the CLI.
#include "cli/commands.h"
