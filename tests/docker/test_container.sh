#!/usr/bin/env bash
# Builds the headless image (unless an image tag is given), runs the container on a free port,
# waits for /ready and calls every route, checking status codes and JSON shapes.
# Usage: tests/docker/test_container.sh [image-tag]
set -euo pipefail
cd "$(dirname "$0")/../.."

image="${1:-}"
if [ -z "$image" ]; then
  packaging/docker/start-dockerd.sh
  packaging/docker/make-base-image.sh debian:bookworm
  image="recomendation-anime:test"
  echo "test_container: building $image"
  docker build -q -f Dockerfile.headless -t "$image" . >/dev/null
fi

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
name="animerec-test-$$"
# A small dataset keeps the first-start import and training short.
docker run -d --name "$name" -p "127.0.0.1:$port:8000" \
  -e ANIMEREC_USERS=400 -e ANIMEREC_ANIME=600 "$image" >/dev/null
cleanup() { docker logs "$name" >/tmp/"$name".log 2>&1 || true; docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

base="http://127.0.0.1:$port"
for _ in $(seq 1 180); do
  if curl -fsS "$base/ready" >/dev/null 2>&1; then break; fi
  if [ "$(docker inspect -f '{{.State.Running}}' "$name")" != "true" ]; then
    echo "test_container: container exited"; docker logs "$name"; exit 1
  fi
  sleep 1
done
curl -fsS "$base/ready" >/dev/null || { echo "test_container: /ready never answered"; docker logs "$name"; exit 1; }

failures=0
check() {  # check METHOD PATH EXPECTED_STATUS JSON_KEY [BODY]
  local method="$1" path="$2" expected="$3" key="$4" body="${5:-}"
  local out status
  out=$(mktemp)
  if [ -n "$body" ]; then
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" -H 'Content-Type: application/json' -d "$body" "$base$path")
  else
    status=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "$base$path")
  fi
  if [ "$status" != "$expected" ] || { [ -n "$key" ] && ! grep -q "\"$key\"" "$out"; }; then
    echo "FAIL $method $path: status $status (expected $expected), body: $(head -c 300 "$out")"
    failures=$((failures + 1))
  else
    echo "ok   $method $path -> $status"
  fi
  rm -f "$out"
}

# Ids from the container's own (generated) catalogue.
ids=$(curl -fsS "$base/top" | python3 -c 'import json, sys; print(" ".join(str(i["anime_id"]) for i in json.load(sys.stdin)["items"][:3]))')
read -r first second third <<<"$ids"

check GET /health 200 ""
check GET /ready 200 ""
check GET /top 200 items
check GET "/anime/$first" 200 title
check GET /openapi.json 200 paths
check POST /recommend_content_based 200 items "{\"anime_id\": $first, \"top_n\": 5}"
check POST /recommend_collaborative 200 items '{"user_id": 1, "top_n": 5}'
check POST /recommend_session_based 200 items '{"user_id": 1}'
check POST /recommend_session_based 200 items "{\"history\": [$first, $second, $third]}"
check POST /recommend_collaborative 200 strategy '{"user_id": 987654321}'
check POST /recommend_content_based 404 error '{"anime_id": 987654321}'
check POST /recommend_content_based 400 error '{"anime_id": 1, "top_n" = 10}'
check GET /metrics 200 ""
# Every role has a trained model (not the count-based fallback).
models="$(curl -fsS "$base/ready" | python3 -c 'import json, sys; m = json.load(sys.stdin)["models"]; print(" ".join(r + "=" + (m[r]["model"] if m[r] else "none") for r in sorted(m)))')"
if echo "$models" | grep -q "=none"; then
  echo "FAIL /ready: a role has no model: $models"; failures=$((failures + 1))
else
  echo "ok   models: $models"
fi
echo "$((14 - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
