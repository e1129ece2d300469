#!/usr/bin/env bash
# The README's test command: installs what is missing for building and testing (the run packages
# plus the test tools: scripts/install-deps.sh test), builds once, runs every test with CTest.
# The real-data group (CTest label real_data) reads layouts not shipped in data/sample from
# ANIMEREC_REAL_DATA_DIR (default ../shared/data/real); without them its suites are reported as
# skipped, and the reasons are printed after the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${ANIMEREC_BUILD_DIR:-build}"
scripts/install-deps.sh test
scripts/build.sh
status=0
ctest --test-dir "$build_dir" --output-on-failure "$@" || status=$?
log="$build_dir/Testing/Temporary/LastTest.log"
if [ -f "$log" ] && grep -q "real-data group skipped" "$log"; then
  echo "Skipped suites of the real-data group:"
  grep -h "^SKIP.*real-data group skipped" "$log" | sed "s/^SKIP *: */  /" | sort -u
fi
exit "$status"
