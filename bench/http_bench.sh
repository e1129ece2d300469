#!/usr/bin/env bash
# HTTP throughput of `animerec serve` against a FastAPI + uvicorn reference serving the same
# answers from precomputed lists, measured in the same run on loopback with wrk (64 connections).
# The reference runs with one and with two uvicorn workers and its better figure per endpoint is
# the one compared against. Request bodies rotate over every anime id of the catalogue and every
# user id of the histories, in random order, so caches see a realistic spread of keys.
# Prints req/s, p50, p99 and errors (non-2xx + socket errors) per endpoint and server, the
# Qt/reference ratio, the answer-cache hit rate, and a PASS/FAIL line per endpoint against the
# target: >= 4x the reference's best, p99 < 10 ms, 0 errors.
#
# usage: bench/http_bench.sh
#   ANIMEREC_BIN      animerec binary (default build/bin/animerec)
#   SERVE_ARGS        data and model arguments for `animerec serve` (--db PATH or --anime-csv PATH
#                     --interactions-csv PATH, plus --models-dir DIR ...); default: var/animerec.sqlite
#                     + var/models when imported and trained, else the real CooperUnion CSVs
#   BENCH_DURATION    seconds per endpoint and server (default 10), BENCH_CONNECTIONS (64)
#   BENCH_WORKERS     uvicorn worker counts to try (default "1 2")
# Needs: wrk curl python3-fastapi python3-uvicorn python3-uvloop python3-httptools (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test  # wrk, curl and python3: only the test set installs them

duration="${BENCH_DURATION:-10}"
connections="${BENCH_CONNECTIONS:-64}"
workers_list="${BENCH_WORKERS:-1 2}"
threads=2
qt_port=18481
py_port=18482
python=/usr/bin/python3  # Debian's interpreter: the one the python3-* packages install into
reference=bench/reference_fastapi_server.py
real="$PWD/data/sample"  # the real CooperUnion sample shipped in the repository
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
bin="${ANIMEREC_BIN:-build/bin/animerec}"
[ -x "$bin" ] || { echo "http_bench: $bin not built (scripts/build.sh animerec)"; exit 2; }

work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

wait_for() {  # url, seconds, path (a 2xx answer there means ready)
  for _ in $(seq 1 $(( $2 * 10 ))); do
    curl -fsS "$1$3" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "http_bench: $1$3 did not answer"; return 1
}

qt_url="http://127.0.0.1:$qt_port"
py_url="http://127.0.0.1:$py_port"
start_qt() {
  # shellcheck disable=SC2086
  "$bin" serve --host 127.0.0.1 --port "$qt_port" --quiet --log-file "$work/requests.jsonl" \
    $serve_args >"$work/serve.log" 2>&1 &
  server_pid=$!
  # /ready: models loaded and the first answers precomputed (serve --warm-users).
  wait_for "$qt_url" 300 /ready || { cat "$work/serve.log"; exit 1; }
}
start_reference() {  # workers
  "$python" "$reference" serve --lists "$work/lists.json" --port "$py_port" --workers "$1" \
    >"$work/reference.log" 2>&1 &
  server_pid=$!
  wait_for "$py_url" 120 /health || { cat "$work/reference.log"; exit 1; }
}

# Every anime and user id the served data holds, from the same source `serve` reads.
read -r -a args <<<"$serve_args"
id_args=()
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --db|--anime-csv|--interactions-csv) id_args+=("${args[i]}" "${args[i + 1]}") ;;
  esac
done
[ ${#id_args[@]} -gt 0 ] || id_args=(--db var/animerec.sqlite)
"$python" "$reference" ids "${id_args[@]}" --out "$work/ids.json"

# The reference answers from lists taken from the Qt server; the Qt server is then restarted, so
# its answer cache holds only what it precomputes itself before reporting ready (the default
# answers of its most active users and of every anime, `serve --warm-users`).
start_qt
echo "http_bench: precomputing the reference's lists from the Qt server ..."
"$python" "$reference" precompute --from "$qt_url" --out "$work/lists.json" --ids "$work/ids.json"
stop_server

# Lua request generators: a random id of the list per request, seeded per wrk thread.
lua() {  # file, path, json field, ids key
  {
    printf 'local ids = {'
    "$python" -c 'import json, sys; print(",".join(map(str, json.load(open(sys.argv[1]))[sys.argv[2]])))' \
      "$work/ids.json" "$4"
    printf '}\n'
    cat <<LUA
local counter = 0
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function() math.randomseed(seed * 7919) end
request = function()
  return wrk.format("POST", "$2", {["Content-Type"] = "application/json"},
                    '{"$3": ' .. ids[math.random(#ids)] .. ', "top_n": 10}')
end
LUA
  } >"$1"
}
lua "$work/content.lua" /recommend_content_based anime_id anime
lua "$work/collaborative.lua" /recommend_collaborative user_id users
lua "$work/session.lua" /recommend_session_based user_id users

to_ms() {  # wrk latency ("812.00us", "1.20ms", "2.01s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                         else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

endpoints="/health /top /recommend_content_based /recommend_collaborative /recommend_session_based"
script_of() {
  case "$1" in
    /recommend_content_based) echo "$work/content.lua" ;;
    /recommend_collaborative) echo "$work/collaborative.lua" ;;
    /recommend_session_based) echo "$work/session.lua" ;;
    *) echo "" ;;
  esac
}

run() {  # url, endpoint path -> "rps p50 p99 errors"
  local out script
  script="$(script_of "$2")"
  if [ -n "$script" ]; then
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$1")"
  else
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1$2")"
  fi
  local rps p50 p99 non2xx socket
  rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
  p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
  p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
  non2xx="$(awk '/Non-2xx or 3xx responses/ { print $NF }' <<<"$out")"
  # "Socket errors: connect 0, read 0, write 0, timeout 0"
  socket="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
  echo "$rps $p50 $p99 $(( ${non2xx:-0} + ${socket:-0} ))"
}

cache_counts() {  # -> "hits misses" from the Qt server's /metrics
  curl -fsS "$qt_url/metrics" | awk '/^animerec_response_cache_total\{result="hit"\}/ { h = $2 }
                                     /^animerec_response_cache_total\{result="miss"\}/ { m = $2 }
                                     END { print h + 0, m + 0 }'
}

declare -A ref_rps ref_p50 ref_p99 ref_err ref_workers
for workers in $workers_list; do
  start_reference "$workers"
  for path in $endpoints; do
    read -r rps p50 p99 err <<<"$(run "$py_url" "$path")"
    echo "  reference, $workers worker(s): $path $rps req/s, p50 $p50 ms, p99 $p99 ms, $err errors"
    if awk -v a="$rps" -v b="${ref_rps[$path]:-0}" 'BEGIN { exit !(a > b) }'; then
      ref_rps[$path]=$rps; ref_p50[$path]=$p50; ref_p99[$path]=$p99; ref_err[$path]=$err
      ref_workers[$path]=$workers
    fi
  done
  stop_server
done

start_qt
echo "http_bench: wrk -t$threads -c$connections -d${duration}s on $(nproc) cores; reference = best of $workers_list uvicorn worker(s)"
printf '%-26s %9s %7s %7s %6s | %9s %2s %7s %7s %6s | %7s %6s\n' endpoint "qt req/s" "p50 ms" "p99 ms" errors \
  "ref req/s" "w" "p50 ms" "p99 ms" errors ratio "cache"
results=()
log_sum=0; count=0
for path in $endpoints; do
  read -r hits0 misses0 <<<"$(cache_counts)"
  read -r rps p50 p99 err <<<"$(run "$qt_url" "$path")"
  read -r hits1 misses1 <<<"$(cache_counts)"
  hit_rate="$(awk -v h=$((hits1 - hits0)) -v m=$((misses1 - misses0)) \
    'BEGIN { if (h + m > 0) printf "%.1f%%", 100 * h / (h + m); else printf "-" }')"
  ratio="$(awk -v a="$rps" -v b="${ref_rps[$path]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
  printf '%-26s %9.0f %7s %7s %6s | %9.0f %2s %7s %7s %6s | %6sx %6s\n' "$path" "$rps" "$p50" "$p99" "$err" \
    "${ref_rps[$path]}" "${ref_workers[$path]}" "${ref_p50[$path]}" "${ref_p99[$path]}" "${ref_err[$path]}" \
    "$ratio" "$hit_rate"
  verdict=PASS; why=""
  awk -v r="$ratio" 'BEGIN { exit !(r >= 4) }' || { verdict=FAIL; why+=" ratio ${ratio}x < 4x;"; }
  awk -v p="$p99" 'BEGIN { exit !(p < 10) }' || { verdict=FAIL; why+=" p99 ${p99} ms >= 10 ms;"; }
  [ "$err" = 0 ] || { verdict=FAIL; why+=" $err errors;"; }
  results+=("$(printf '%s %-26s %6sx  p99 %6s ms  errors %s%s' "$verdict" "$path" "$ratio" "$p99" "$err" "${why:+ ($why )}")")
  log_sum="$(awk -v s="$log_sum" -v r="$ratio" 'BEGIN { print s + log(r > 0 ? r : 1e-9) }')"; count=$((count + 1))
done
echo
for line in "${results[@]}"; do echo "$line"; done
awk -v s="$log_sum" -v n="$count" 'BEGIN { printf "overall: geometric mean of the qt/reference ratios %.2fx (target >= 4x on every endpoint)\n", exp(s / n) }'
