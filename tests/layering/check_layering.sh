#!/usr/bin/env bash
# Builds the layering probes of tests/layering/CMakeLists.txt in <build dir>. Each argument is
# <probe>:ok (must build) or <probe>:<header> (must fail because <header> is not found: a probe
# that fails for another reason proves nothing about the layers).
# Usage: check_layering.sh <build dir> <probe>:<expectation>...
set -uo pipefail
build_dir=$1
shift
failures=0
for probe in "$@"; do
    name=${probe%%:*}
    expect=${probe#*:}
    output=$(cmake --build "$build_dir" --target "layering_$name" 2>&1)
    status=$?
    if [ "$expect" = ok ]; then
        if [ $status -ne 0 ]; then
            echo "$output" | tail -n 20
            echo "layering: $name should build and does not"
            failures=$((failures + 1))
        else
            echo "layering: $name builds"
        fi
    elif [ $status -eq 0 ]; then
        echo "layering: $name builds, but its include of $expect should be refused"
        failures=$((failures + 1))
    elif ! grep -qE "$expect: No such file" <<<"$output"; then
        echo "$output" | tail -n 20
        echo "layering: $name failed, but not because $expect was not found"
        failures=$((failures + 1))
    else
        echo "layering: $name refused: $expect not found"
    fi
done
exit $((failures > 0))
