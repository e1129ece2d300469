#!/usr/bin/env bash
# Soak: `animerec serve` under steady wrk load (loopback, bounded duration) while its resident
# memory is sampled; prints the samples and the growth between the first and last minute.
# Flat memory = no leak per request.
#
# usage: bench/soak.sh [SECONDS=600]
#   ANIMEREC_BIN (default build/bin/animerec), SERVE_ARGS (default var/ data and models),
#   BENCH_CONNECTIONS (default 16), SOAK_INTERVAL (seconds between samples, default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test  # wrk and curl: only the test set installs them

seconds="${1:-600}"
bin="${ANIMEREC_BIN:-${ANIMEREC_BUILD_DIR:-build}/bin/animerec}"
connections="${BENCH_CONNECTIONS:-16}"
interval="${SOAK_INTERVAL:-10}"
port=18491
args="${SERVE_ARGS:---db var/animerec.sqlite --models-dir var/models --top100 var/top100.json}"
command -v wrk >/dev/null || { echo "soak: wrk is missing (apt-get install wrk)" >&2; exit 1; }

# shellcheck disable=SC2086
"$bin" serve --host 127.0.0.1 --port "$port" --log-level warning $args 2>/tmp/animerec-soak.log &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$script"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break; sleep 0.2; done

# A mix of the four routes over many users and anime, so caches do not hide the work.
script=$(mktemp /tmp/animerec-soak.XXXXXX.lua)
cat >"$script" <<'LUA'
local counter = 0
request = function()
  counter = counter + 1
  local user = counter % 3000 + 1
  local route = counter % 4
  if route == 0 then return wrk.format("GET", "/top") end
  local body
  if route == 1 then
    return wrk.format("POST", "/recommend_collaborative", {["Content-Type"] = "application/json"},
                      string.format('{"user_id": %d, "top_n": 10}', user))
  elseif route == 2 then
    return wrk.format("POST", "/recommend_session_based", {["Content-Type"] = "application/json"},
                      string.format('{"user_id": %d, "top_n": 10}', user))
  end
  return wrk.format("GET", "/health")
end
LUA

wrk -t2 -c"$connections" -d"${seconds}s" -s "$script" "http://127.0.0.1:$port" >/tmp/animerec-soak-wrk.txt &
load=$!
echo "second rss_kb"
samples=()
elapsed=0
while kill -0 "$load" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$server/status")
  echo "$elapsed $rss"
  samples+=("$rss")
  sleep "$interval"
  elapsed=$((elapsed + interval))
done
wait "$load" || true
grep -E "Requests/sec|Latency|requests in" /tmp/animerec-soak-wrk.txt || true
count=${#samples[@]}
per_minute=$(( 60 / interval ))
if [ "$count" -gt $((2 * per_minute)) ]; then
  first=$(printf '%s\n' "${samples[@]:per_minute:per_minute}" | sort -n | tail -1)
  last=$(printf '%s\n' "${samples[@]: -per_minute}" | sort -n | tail -1)
  echo "peak RSS in minute 2: ${first} kB, in the last minute: ${last} kB, growth $(( last - first )) kB"
fi
