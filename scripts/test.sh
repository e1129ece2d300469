#!/usr/bin/env bash
# The README's test command: installs what is missing, builds once, runs every test with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir "${ANIMEREC_BUILD_DIR:-build}" --output-on-failure "$@"
