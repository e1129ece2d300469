#!/usr/bin/env bash
# Starts a Docker engine by hand when none is running (machines without systemd).
set -euo pipefail
if docker info >/dev/null 2>&1; then exit 0; fi
if ! command -v dockerd >/dev/null; then
  echo "start-dockerd: dockerd is not installed (apt-get install docker.io)" >&2
  exit 1
fi
mkdir -p /var/log
nohup dockerd >/var/log/animerec-dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 1
done
echo "start-dockerd: the engine did not come up; see /var/log/animerec-dockerd.log" >&2
exit 1
