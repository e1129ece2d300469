#!/usr/bin/env bash
# Configures and builds AnimeRec (Release) into ./build. Usage: scripts/build.sh [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ANIMEREC_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
jobs="${ANIMEREC_BUILD_JOBS:-$(nproc)}"
if [ $# -gt 0 ]; then
  cmake --build "$build_dir" --parallel "$jobs" --target "$@"
else
  cmake --build "$build_dir" --parallel "$jobs"
fi
