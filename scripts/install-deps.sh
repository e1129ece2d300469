#!/usr/bin/env bash
# Installs the Debian 12 packages AnimeRec needs. Idempotent: only missing packages are installed.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-tools-dev-tools
  libqt6sql6-sqlite libqt6sql6-psql libqcustomplot-dev libeigen3-dev
  libsqlite3-dev sqlite3 libgl1-mesa-dev xvfb xauth
  # PostgreSQL backend: libpq for COPY; the server for the throwaway test cluster and benchmark
  libpq-dev postgresql
  # tests and benchmarks: the container and compose tests, the import and HTTP benchmarks
  docker.io docker-compose debootstrap curl python3 time wrk
)
# The Kubernetes manifest check runs pinned npm packages on Node.js. A machine that ships its own
# Node.js (npm inside) keeps it: Debian's npm package would conflict with it.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
