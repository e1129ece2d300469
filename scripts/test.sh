#!/usr/bin/env bash
# The README's test command: installs what is missing for building and testing (the run packages
# plus the test tools: scripts/install-deps.sh test), builds once, runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
scripts/build.sh
ctest --test-dir "${ANIMEREC_BUILD_DIR:-build}" --output-on-failure "$@"
