#!/usr/bin/env bash
# The GitHub Actions workflows (.github/workflows), checked without GitHub: the schema, the scripts
# they call, the brief's two commands, the tag guard on publishing (tests/ci/check_workflows.js).
# Then the same checker on a deliberately broken copy must fail, each way it was broken: a checker
# that passes everything would otherwise pass here too.
# The checker lives here, not in .github/: GitHub reads .github/ as its own configuration, and this
# is a test. Installs the pinned npm packages once into ANIMEREC_NPM_DIR (default build/ci-validate).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "test_workflows: node and npm are missing (scripts/install-deps.sh test)"; exit 1; }
work="${ANIMEREC_NPM_DIR:-build/ci-validate}"
mkdir -p "$work"
cp tests/ci/check_workflows.js "$work/"
if ! cmp -s tests/ci/package.json "$work/package.json" ||
   [ ! -d "$work/node_modules/@action-validator/core" ] || [ ! -d "$work/node_modules/js-yaml" ]; then
  cp tests/ci/package.json "$work/"
  tests/npm_install_pinned.sh "$work"
fi

echo "== .github/workflows"
node "$work/check_workflows.js" "$PWD"

echo "== a broken copy (must fail)"
broken="$(mktemp -d)"
trap 'rm -rf "$broken"' EXIT
cp .github/workflows/*.yaml "$broken/"
# Each edit must change something, or the copy is not broken the way the checks below expect.
breaks=(
  's/^    runs-on: /    runs_on: /'                    # unknown key, and jobs without runs-on
  's|bash \.ci/run$|bash .ci/run-missing|'             # a script that does not exist
  's|docker run -p 8000:8000 recomendation-anime|docker run -d -p 8000:8000 recomendation-anime|'
  "/if: startsWith(github.ref, 'refs\/tags\/v')/d"     # publishing without the tag guard
)
for edit in "${breaks[@]}"; do
  before="$(cat "$broken"/*.yaml)"
  sed -i "$edit" "$broken"/*.yaml
  [ "$before" != "$(cat "$broken"/*.yaml)" ] || { echo "FAIL the edit '$edit' changed nothing"; exit 1; }
done
status=0
output="$(node "$work/check_workflows.js" "$PWD" "$broken")" || status=$?
echo "$output"
missing=0
for expected in "schema: .*runs_on' is not allowed" "schema: .*runs-on This property is required" \
    "runs \.ci/run-missing, which does not exist" "no job runs \"docker build" \
    "publishes without a tag condition"; do
  if ! grep -q -- "^FAIL .*$expected" <<<"$output"; then
    echo "FAIL the broken copy was not reported: $expected"
    missing=$((missing + 1))
  fi
done
if [ "$status" -eq 0 ] || [ "$missing" -ne 0 ]; then
  echo "test_workflows: the checker did not catch the broken copy (exit $status)"
  exit 1
fi
echo "test_workflows: the broken copy failed as expected (exit $status)"
