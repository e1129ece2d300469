#!/usr/bin/env bash
# HTTP throughput of `animerec serve` against a FastAPI + uvicorn reference serving the same
# answers from precomputed lists, measured in the same run on loopback with wrk (64 connections).
# Prints req/s, p50 and p99 per endpoint and the Qt/reference throughput ratio (target >= 4x).
#
# usage: bench/http_bench.sh
#   ANIMEREC_BIN      animerec binary (default build/bin/animerec)
#   SERVE_ARGS        data and model arguments for `animerec serve`
#                     (default: var/animerec.sqlite + var/models when imported and trained,
#                     else the real CooperUnion CSVs and whatever var/models holds)
#   BENCH_QT_URL      use an already running server instead of starting one
#   BENCH_DURATION    seconds per endpoint and server (default 10), BENCH_CONNECTIONS (64)
# Needs: wrk curl python3-fastapi python3-uvicorn python3-uvloop python3-httptools (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

duration="${BENCH_DURATION:-10}"
connections="${BENCH_CONNECTIONS:-64}"
threads=2
qt_port=18481
py_port=18482
python=/usr/bin/python3  # Debian's interpreter: the one the python3-* packages install into
real="$(cd .. && pwd)/shared/data/real/cooperunion"
if [ -f var/animerec.sqlite ]; then
  default_args="--db var/animerec.sqlite --models-dir var/models --top100 var/top100.json"
else
  default_args="--anime-csv $real/anime.csv --interactions-csv $real/rating_head_users1-1036.csv --models-dir var/models"
fi
serve_args="${SERVE_ARGS:-$default_args}"

for tool in wrk curl "$python"; do
  command -v "$tool" >/dev/null || { echo "http_bench: '$tool' not found (apt-get install wrk curl python3)"; exit 2; }
done
"$python" -c 'import fastapi, uvicorn, uvloop, httptools' 2>/dev/null || {
  echo "http_bench: apt-get install python3-fastapi python3-uvicorn python3-uvloop python3-httptools"; exit 2; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() {  # url, seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -fsS "$1/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "http_bench: $1 did not come up"; return 1
}

qt_url="${BENCH_QT_URL:-http://127.0.0.1:$qt_port}"
if [ -z "${BENCH_QT_URL:-}" ]; then
  bin="${ANIMEREC_BIN:-build/bin/animerec}"
  [ -x "$bin" ] || { echo "http_bench: $bin not built (scripts/build.sh animerec)"; exit 2; }
  # shellcheck disable=SC2086
  "$bin" serve --host 127.0.0.1 --port "$qt_port" --quiet --log-file "$work/requests.jsonl" \
    $serve_args >"$work/serve.log" 2>&1 &
  pids+=($!)
  wait_for "$qt_url" 300 || { cat "$work/serve.log"; exit 1; }
fi

# Requests rotate over a few users and anime so neither server answers one cached key.
users="1,2,3,5,7,8,10,11,12,14,16,17,19,20,21,22,23,24,25,26"
anime="1,5,6,20,30,32,44,45,47,57,121,199,269,356,431,1535,5114,9253,11061,28977"
"$python" bench/reference_fastapi_server.py precompute --from "$qt_url" --out "$work/lists.json" \
  --anime-ids "$anime" --user-ids "$users"
"$python" bench/reference_fastapi_server.py serve --lists "$work/lists.json" --port "$py_port" \
  >"$work/reference.log" 2>&1 &
pids+=($!)
wait_for "http://127.0.0.1:$py_port" 60 || { cat "$work/reference.log"; exit 1; }

lua() {  # file, path, json field, ids
  cat >"$1" <<LUA
local ids = {$4}
local i = 0
request = function()
  i = i % #ids + 1
  return wrk.format("POST", "$2", {["Content-Type"] = "application/json"},
                    '{"$3": ' .. ids[i] .. ', "top_n": 10}')
end
LUA
}
lua "$work/content.lua" /recommend_content_based anime_id "$anime"
lua "$work/collaborative.lua" /recommend_collaborative user_id "$users"
lua "$work/session.lua" /recommend_session_based user_id "$users"

to_ms() {  # wrk latency ("812.00us", "1.20ms", "2.01s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                         else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

run() {  # url, endpoint path, [lua script]  -> "rps p50 p99 errors"
  local out
  if [ -n "${3:-}" ]; then
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$3" "$1")"
  else
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1$2")"
  fi
  local rps p50 p99 errors
  rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  errors="$(awk '/Non-2xx or 3xx responses/ { print $NF }' <<<"$out")"
  echo "$rps $p50 $p99 ${errors:-0}"
}

echo "http_bench: wrk -t$threads -c$connections -d${duration}s on $(nproc) cores; Qt at $qt_url, reference FastAPI/uvicorn"
printf '%-26s %11s %8s %8s %11s %8s %8s %7s\n' endpoint "qt req/s" "p50 ms" "p99 ms" "ref req/s" "p50 ms" "p99 ms" ratio
log_sum=0; count=0
for endpoint in /health /top content collaborative session; do
  case "$endpoint" in
    content|collaborative|session) path="/recommend_${endpoint}"; [ "$endpoint" = content ] && path=/recommend_content_based
      [ "$endpoint" = session ] && path=/recommend_session_based
      script="$work/$endpoint.lua" ;;
    *) path="$endpoint"; script="" ;;
  esac
  read -r q_rps q_p50 q_p99 q_err <<<"$(run "$qt_url" "$path" "$script")"
  read -r p_rps p_p50 p_p99 p_err <<<"$(run "http://127.0.0.1:$py_port" "$path" "$script")"
  ratio="$(awk -v a="$q_rps" -v b="$p_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  printf '%-26s %11.0f %8s %8s %11.0f %8s %8s %6sx\n' "$path" "$q_rps" "$q_p50" "$q_p99" "$p_rps" "$p_p50" "$p_p99" "$ratio"
  [ "$q_err" = 0 ] && [ "$p_err" = 0 ] || echo "  warning: non-2xx responses (qt $q_err, reference $p_err)"
  log_sum="$(awk -v s="$log_sum" -v r="$ratio" 'BEGIN { print s + log(r > 0 ? r : 1e-9) }')"; count=$((count + 1))
done
awk -v s="$log_sum" -v n="$count" 'BEGIN { printf "overall: geometric mean of the qt/reference ratios %.2fx (target >= 4x)\n", exp(s / n) }'
