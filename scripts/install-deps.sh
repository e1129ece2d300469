#!/usr/bin/env bash
# Installs the Debian 12 packages AnimeRec needs for one purpose. Idempotent: only missing packages
# are installed (apt-get through sudo when not root).
#
# Usage: scripts/install-deps.sh [run|test]
#   run   (default) what building and running need: scripts/run.sh
#   test  the run set plus the tools only tests and benchmarks use: scripts/test.sh, bench/*.sh
# The split keeps the main command from pulling in Docker, a PostgreSQL server and Node.js, which
# only the tests use.
set -euo pipefail

purpose="${1:-run}"

# Building and running: compiler, CMake, Qt 6 (the PostgreSQL driver and libpq are needed at
# configure time), Eigen, SQLite, QCustomPlot for Studio, Xvfb for Studio without a display
# (screenshots, offscreen runs), and libedit for the terminal explorer's prompt.
run_packages=(
  build-essential cmake ccache pkg-config
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev-tools qt6-tools-dev qt6-l10n-tools
  libqt6sql6-sqlite libqt6sql6-psql libqcustomplot-dev libeigen3-dev
  libsqlite3-dev sqlite3 libgl1-mesa-dev libpq-dev xvfb xauth
  libedit-dev
)

# Tests and benchmarks only: the PostgreSQL server for the throwaway test cluster, the container
# and compose tests (debootstrap makes their base image), the import and HTTP benchmarks, and
# clang-format for the formatting check; numpy and scipy for the quality benchmarks' reference
# scripts (bench/reference/), run in the same run as ours; promtool (package prometheus) for the
# alert rules. OpenBLAS gives numpy a threaded BLAS: with Debian's reference BLAS the numpy EASE
# reference takes ~1,100 s on P1 instead of ~20 s.
test_packages=(postgresql debootstrap curl python3 python3-numpy python3-scipy libopenblas0-pthread
  time wrk clang-format prometheus)
# A machine with its own Docker engine (a hosted CI runner has Docker's docker-ce) keeps it:
# Debian's docker.io would conflict with it. Likewise a docker-compose command already there.
# The engine is what counts: a machine with only a docker client (no dockerd) still needs docker.io.
command -v dockerd >/dev/null || test_packages+=(docker.io)
command -v docker-compose >/dev/null || test_packages+=(docker-compose)
# The Kubernetes manifest and CI workflow checks run pinned npm packages on Node.js. A machine that
# ships its own Node.js (npm inside) keeps it: Debian's npm package would conflict with it.
command -v node >/dev/null || test_packages+=(nodejs)
command -v npm >/dev/null || test_packages+=(npm)

case "$purpose" in
  run) packages=("${run_packages[@]}") ;;
  test) packages=("${run_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: scripts/install-deps.sh [run|test]" >&2; exit 2 ;;
esac

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps ($purpose): all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps ($purpose): installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
