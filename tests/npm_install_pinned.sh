#!/usr/bin/env bash
# Installs the pinned npm packages of DIR/package.json into DIR/node_modules for the checks that run
# on Node.js (tests/k8s, tests/ci). The npm registry is those tests' one network dependency, and a
# stalled connection once held `npm install` until the test's 600 s timeout: each attempt is
# bounded, and a failed one is tried again, so a bad connection costs minutes and says so.
# Usage: tests/npm_install_pinned.sh DIR
set -euo pipefail
dir="$1"
for attempt in 1 2 3; do
  if (cd "$dir" && timeout 150 npm install --no-audit --no-fund --no-update-notifier \
        --fetch-timeout=60000 --fetch-retries=2 --loglevel=error >/dev/null); then
    exit 0
  fi
  echo "npm install in $dir: attempt $attempt of 3 failed or took over 150 s" >&2
done
echo "npm install in $dir: failed 3 times; is the npm registry reachable?" >&2
exit 1
