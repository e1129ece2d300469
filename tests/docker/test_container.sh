#!/usr/bin/env bash
# Runs the product brief's two commands as written,
#   docker build -t recomendation-anime .
#   docker run -p 8000:8000 recomendation-anime
# (after starting the engine and making the local base image), waits until the container has
# imported the real sample, trained and answers GET /ready with 200, then calls every route,
# checking status codes, JSON shapes and the real sample's answers (Death Note leads /top).
# Usage: tests/docker/test_container.sh [image-tag]   (with a tag: run that image, build nothing)
set -euo pipefail
cd "$(dirname "$0")/../.."

image="${1:-}"
if [ -z "$image" ]; then
  packaging/docker/start-dockerd.sh
  packaging/docker/make-base-image.sh debian:bookworm
  image=recomendation-anime
  echo "test_container: docker build -t recomendation-anime ."
  started=$SECONDS
  build_log="$(mktemp /tmp/animerec-test-build.XXXXXX)"
  docker build -t recomendation-anime . >"$build_log" 2>&1 ||
    { tail -40 "$build_log"; echo "test_container: docker build failed (log: $build_log)"; exit 1; }
  rm -f "$build_log"
  echo "test_container: built in $((SECONDS - started)) s"
fi

# The brief publishes host port 8000. When something holds it, `docker run` fails after creating
# the container, with a message easy to miss: say so before starting anything.
if ! python3 -c 'import socket; s = socket.socket(); s.bind(("0.0.0.0", 8000))' 2>/dev/null; then
  echo "test_container: host port 8000 is already in use; free port 8000 first (the brief's docker run publishes it)"
  docker ps --filter publish=8000 --format '  container {{.Names}} ({{.Image}}) publishes {{.Ports}}' || true
  exit 1
fi

# `docker run` stays in the foreground, as the brief has it, as a background job of this script.
# It prints no container id: ours is the container of this image that did not exist before and
# publishes host port 8000.
before="$(docker ps -aq --no-trunc)"
ours() {
  local id
  for id in $(docker ps -aq --no-trunc --filter "ancestor=$image"); do
    grep -qx "$id" <<<"$before" && continue
    docker inspect -f '{{json .HostConfig.PortBindings}}' "$id" 2>/dev/null | grep -q '"HostPort":"8000"' && echo "$id"
  done
  return 0
}
log="$(mktemp /tmp/animerec-test-container.XXXXXX)"
body="$(mktemp)"
container=""
run_pid=""
cleanup() {
  # Nothing of this run stays: the container (looked up again, in case the script stopped before
  # it was known) and the attached `docker run`. The container's output stays in $log.
  local id
  for id in $container $(ours); do docker rm -f "$id" >/dev/null 2>&1 || true; done
  if [ -n "$run_pid" ]; then kill "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; fi
  rm -f "$body"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "test_container: docker run -p 8000:8000 $image (output in $log)"
docker run -p 8000:8000 "$image" >"$log" 2>&1 &
run_pid=$!
for _ in $(seq 1 60); do
  container="$(ours | head -1)"
  [ -n "$container" ] && break
  kill -0 "$run_pid" 2>/dev/null || break
  sleep 1
done
if [ -z "$container" ]; then
  echo "test_container: no container appeared; docker run said:"; cat "$log"; exit 1
fi
echo "test_container: container ${container:0:12}"
# Killed outright (kill -9, a CTest timeout), this script runs no trap: a detached watchdog
# removes the container once the script is gone (after a normal exit it finds nothing to do).
# shellcheck disable=SC2016  # $1 and $2 are the watchdog's own arguments
setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; docker rm -f "$2" >/dev/null 2>&1' \
  watchdog "$$" "$container" </dev/null >/dev/null 2>&1 &

# The first start imports the sample and trains every family before it serves, and /ready then
# waits for the cache warm-up: allow 15 minutes for a loaded 2-core machine.
base="http://127.0.0.1:8000"
started=$SECONDS
report=$((SECONDS + 60))
status=""
while [ $((SECONDS - started)) -lt 900 ]; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$base/ready" || true)"
  [ "$status" = 200 ] && break
  if [ "$(docker inspect -f '{{.State.Status}}' "$container" 2>/dev/null)" != running ]; then
    echo "test_container: the container stopped before /ready answered 200; its output:"
    tail -60 "$log"; exit 1
  fi
  if [ "$SECONDS" -ge "$report" ]; then
    report=$((SECONDS + 60))
    echo "test_container: waiting for /ready ($((SECONDS - started)) s): $(tr '\r' '\n' <"$log" | grep -v '^ *$' | tail -1 | cut -c1-160)"
  fi
  sleep 1
done
if [ "$status" != 200 ]; then
  echo "test_container: /ready did not answer 200 within 900 s (last status: ${status:-none}); output:"
  tail -60 "$log"; exit 1
fi
echo "test_container: ready $((SECONDS - started)) s after docker run"

# call METHOD PATH [JSON]: the answer goes to $body, its status to $status (000: no answer).
call() {
  if [ -n "${3:-}" ]; then
    status="$(curl -sS -o "$body" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' -d "$3" "$base$2" || true)"
  else
    status="$(curl -sS -o "$body" -w '%{http_code}' -X "$1" "$base$2" || true)"
  fi
}
# Helpers for the conditions below, which see the last answer as `d`.
prelude='
import json, sys
def is_list(d, n=None):
    """A list of recommendations: who answered, then n items (at least one when n is None), each
    with an id, a title, a score and a rank, no id twice."""
    items = d.get("items")
    return (isinstance(items, list) and all(k in d for k in ("model", "model_version", "strategy"))
            and (len(items) == n if n else len(items) > 0)
            and all(isinstance(i.get("anime_id"), int) and isinstance(i.get("title"), str)
                    and "score" in i and "rank" in i for i in items)
            and len({i["anime_id"] for i in items}) == len(items))
def ids(d):
    return [i["anime_id"] for i in d["items"]]
'
passed=0
failures=0
# check DESCRIPTION EXPECTED_STATUS [CONDITION]: CONDITION, a Python expression on the JSON
# answer `d`, must hold (without one the answer need not be JSON).
check() {
  local what="$1" expected="$2" condition="${3:-}" verdict=""
  if [ "$status" != "$expected" ]; then
    verdict="status $status, expected $expected"
  elif [ -n "$condition" ]; then
    verdict="$(python3 -c "$prelude
try:
    d = json.load(open(sys.argv[1]))
except ValueError as e:
    print('not JSON: %s' % e); sys.exit()
try:
    holds = bool($condition)
except Exception as e:
    holds = False
print('' if holds else 'not as expected')" "$body" 2>&1 || echo "condition did not run")"
  fi
  if [ -z "$verdict" ]; then
    echo "ok   $what -> $status"
    passed=$((passed + 1))
  else
    echo "FAIL $what: $verdict; body: $(head -c 400 "$body")"
    failures=$((failures + 1))
  fi
}
field() { python3 -c "import json, sys; d = json.load(open(sys.argv[1])); print($1)" "$body" 2>/dev/null || true; }

call GET /health;       check "GET /health" 200
call GET /ready;        check "GET /ready" 200 'isinstance(d["models"], dict)'
call GET /openapi.json; check "GET /openapi.json" 200 '"paths" in d'
call GET /metrics;      check "GET /metrics" 200

# The brief's routes with the brief's bodies, on the real sample.
call GET /top
check "GET /top" 200 'is_list(d)'
check "GET /top begins Death Note, Shingeki no Kyojin, Sword Art Online (got: $(field '" | ".join(i["title"] for i in d["items"][:3])'))" 200 \
  '[i["title"] for i in d["items"][:3]] == ["Death Note", "Shingeki no Kyojin", "Sword Art Online"]'
# Three ids of the catalogue for the routes that take any id (Cowboy Bebop's if /top failed).
top3="$(python3 -c "$prelude
print(' '.join(str(i) for i in ids(json.load(open(sys.argv[1])))[:3]))" "$body" 2>/dev/null || true)"
read -r first second third <<<"${top3:-1 5 6}"

call GET /anime/1
check "GET /anime/1 is Cowboy Bebop (the sample's catalogue)" 200 'd["title"] == "Cowboy Bebop"'
genres="$(field 'repr(d["genre"])')"
call GET "/anime/$first"
check "GET /anime/$first" 200 '"title" in d'

call POST /recommend_content_based '{"anime_id": 1, "top_n": 10}'
# Its neighbours: ten other titles, each sharing a genre with Cowboy Bebop.
check "POST /recommend_content_based {\"anime_id\": 1, \"top_n\": 10}: 10 neighbours of anime 1 ($(field '", ".join(i["title"] for i in d["items"][:3])'), ...)" 200 \
  "is_list(d, 10) and 1 not in ids(d) and all(set(i['genre'].split(', ')) & set(${genres:-''}.split(', ')) for i in d['items'])"
call POST /recommend_content_based "{\"anime_id\": $first, \"top_n\": 5}"
check "POST /recommend_content_based {\"anime_id\": $first, \"top_n\": 5}" 200 "is_list(d, 5) and $first not in ids(d)"
call POST /recommend_session_based '{"user_id": 1, "top_n": 10}'
check "POST /recommend_session_based {\"user_id\": 1, \"top_n\": 10} ($(field 'd["model"] + ", " + d["strategy"]'))" 200 'is_list(d, 10)'
call POST /recommend_session_based '{"user_id": 1}'
check 'POST /recommend_session_based {"user_id": 1}: the default 10' 200 'is_list(d, 10)'
call POST /recommend_session_based "{\"history\": [$first, $second, $third]}"
check "POST /recommend_session_based {\"history\": [$first, $second, $third]}" 200 'is_list(d, 10)'
call POST /recommend_collaborative '{"user_id": 1, "top_n": 10}'
check "POST /recommend_collaborative {\"user_id\": 1, \"top_n\": 10} ($(field 'd["model"] + ", " + d["strategy"]'))" 200 'is_list(d, 10)'
call POST /recommend_collaborative '{"user_id": 1}'
check 'POST /recommend_collaborative {"user_id": 1}: the default 10' 200 'is_list(d, 10)'

# Errors: an unknown user still gets a list (cold start), an unknown anime is 404, and the
# brief's own typo body (`"top_n" = 10`) is 400 with a message naming where the JSON breaks.
call POST /recommend_collaborative '{"user_id": 987654321}'
check 'POST /recommend_collaborative {"user_id": 987654321}: cold start' 200 'is_list(d, 10) and d["strategy"] != ""'
call POST /recommend_content_based '{"anime_id": 987654321}'
check 'POST /recommend_content_based {"anime_id": 987654321}' 404 '"error" in d'
call POST /recommend_content_based '{"anime_id": 1, "top_n" = 10}'
check "POST /recommend_content_based {\"anime_id\": 1, \"top_n\" = 10} ($(field 'd["message"]'))" 400 \
  '"error" in d and __import__("re").search(r"offset \d+", d.get("message", ""))'

# Every role is served by a trained model (not the count-based fallback).
call GET /ready
check "every role has a trained model ($(field '", ".join(r + "=" + (m["model"] if m else "none") for r, m in sorted(d["models"].items()))'))" 200 \
  'all(m and m.get("model") for m in d["models"].values())'

echo "$passed passed, $failures failed"
[ "$failures" -eq 0 ]
