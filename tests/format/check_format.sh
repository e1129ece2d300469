#!/usr/bin/env bash
# Every C++ file of the repository is formatted as .clang-format says (clang-format --dry-run
# --Werror): a drift fails the test suite, so it fails CI. The check first proves it can fail on
# a deliberately misformatted file.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v clang-format >/dev/null ||
  { echo "check_format: clang-format is missing (scripts/install-deps.sh test installs it)"; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp .clang-format "$scratch/"
printf 'int  main( ){return 0;}\n' > "$scratch/bad.cpp"
if clang-format --dry-run --Werror "$scratch/bad.cpp" 2>/dev/null; then
  echo "check_format: clang-format accepted a misformatted file; the check would prove nothing"
  exit 1
fi

if [ -d .git ] || git rev-parse --git-dir >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.h')
else
  mapfile -t files < <(find app core ui tests bench -name '*.cpp' -o -name '*.h')
fi
echo "check_format: $(clang-format --version | head -n 1), ${#files[@]} files"
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "check_format: files above drift from .clang-format; run: clang-format -i <file>"
  exit 1
fi
echo "check_format: every file is formatted"
