#!/usr/bin/env bash
# HTTP throughput of `animerec serve` against a FastAPI + uvicorn reference serving the same
# answers from precomputed lists, measured in the same run on loopback with wrk (64 connections).
# The reference runs with one and with two uvicorn workers and its better figure per endpoint is
# the one compared against. Request bodies rotate over every anime id of the catalogue, every
# user id of the histories and 2,000 anonymous sessions (a sampled user's latest 20 titles, posted
# as "history"), in random order, so caches see a realistic spread of keys.
# Prints req/s, p50, p99 and errors (non-2xx + socket errors) per route and server, the
# Qt/reference ratio, the answer-cache hit rate, and a PASS/FAIL line per route against the
# target: >= 4x the reference's best, p99 < 10 ms, 0 errors.
#
# Modes (BENCH_MODES, any of them, in one run against the same reference figures):
#   cached    `serve` as configured: answers cached, the most active users' precomputed (default)
#   cache-off `serve --cache-mb 0 --warm-users 0`: every answer computed for its request
#   mixed     cache-off, and before a share of the requests (BENCH_FEEDBACK_SHARE, default 0.1)
#             a POST /feedback ("watch" of a random title) for the same user, so histories grow
#             while being served; its req/s counts the /feedback requests too
# The collaborative route is measured once per family in BENCH_COLLABORATIVE (default "ease als")
# that has a model file in the models directory, by serving a copy of that directory whose
# collaborative.json names the family; the session route with user_id (the session model, SASRec
# when trained) and with a posted history.
#
# usage: bench/http_bench.sh
#   ANIMEREC_BIN      animerec binary (default build/bin/animerec)
#   SERVE_ARGS        data and model arguments for `animerec serve` (--db PATH or --anime-csv PATH
#                     --interactions-csv PATH, plus --models-dir DIR ...); default: var/animerec.sqlite
#                     + var/models when imported and trained, else the real CooperUnion CSVs.
#                     /feedback (mixed mode) needs a database (--db).
#   BENCH_DURATION    seconds per route and server (default 10), BENCH_CONNECTIONS (64)
#   BENCH_WORKERS     uvicorn worker counts to try (default "1 2")
#   BENCH_MODES       "cached", "cache-off", "mixed" or several (default "cached")
#   BENCH_COLLABORATIVE  collaborative families to serve in turn (default "ease als")
#   BENCH_FEEDBACK_SHARE share of requests preceded by a /feedback in mixed mode (default 0.1)
# Needs: wrk curl python3-fastapi python3-uvicorn python3-uvloop python3-httptools (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test  # wrk, curl and python3: only the test set installs them

duration="${BENCH_DURATION:-10}"
connections="${BENCH_CONNECTIONS:-64}"
workers_list="${BENCH_WORKERS:-1 2}"
modes="${BENCH_MODES:-cached}"
collaborative_families="${BENCH_COLLABORATIVE:-ease als}"
feedback_share="${BENCH_FEEDBACK_SHARE:-0.1}"
for mode in $modes; do
  case "$mode" in
    cached|cache-off|mixed) ;;
    *) echo "http_bench: BENCH_MODES: '$mode' is not one of cached, cache-off, mixed"; exit 2 ;;
  esac
done
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
start_qt() {  # extra serve arguments (later ones win over SERVE_ARGS)
  # shellcheck disable=SC2086
  "$bin" serve --host 127.0.0.1 --port "$qt_port" --quiet --log-file "$work/requests.jsonl" \
    $serve_args "$@" >"$work/serve.log" 2>&1 &
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
models_dir=var/models
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --db|--anime-csv|--interactions-csv) id_args+=("${args[i]}" "${args[i + 1]}") ;;
    --models-dir) models_dir="${args[i + 1]}" ;;
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

# A copy of the models directory per collaborative family (links to the same files), whose
# collaborative.json makes that family the collaborative role's default.
served_families=()
for family in $collaborative_families; do
  if [ ! -f "$models_dir/$family.model" ]; then
    echo "http_bench: no $models_dir/$family.model, collaborative with $family not measured"
    continue
  fi
  mkdir -p "$work/models-$family"
  for file in "$models_dir"/*.model; do ln -sf "$(realpath "$file")" "$work/models-$family/"; done
  printf '{"model": "%s", "reason": "http_bench"}\n' "$family" >"$work/models-$family/collaborative.json"
  served_families+=("$family")
done

# Lua request generators: a random id of the list per request, seeded per wrk thread. In mixed
# mode a share of the requests is preceded by a /feedback for the same user (for routes without
# a user, for a random one).
lua_list() {  # ids key -> comma-separated values (sessions as quoted JSON arrays)
  "$python" -c '
import json, sys
values = json.load(open(sys.argv[1]))[sys.argv[2]]
print(",".join("\"" + json.dumps(v, separators=(",", ":")) + "\"" if isinstance(v, list) else str(v)
               for v in values))' "$work/ids.json" "$1"
}
lua() {  # file, path, json field, ids key, feedback share (0 = none)
  {
    printf 'local ids = {%s}\n' "$(lua_list "$4")"
    printf 'local users = {%s}\n' "$(lua_list users)"
    printf 'local anime = {%s}\n' "$(lua_list anime)"
    cat <<LUA
local share = $5
local userKeyed = "$3" == "user_id"
local counter = 0
local pending = nil
local headers = {["Content-Type"] = "application/json"}
setup = function(thread) counter = counter + 1; thread:set("seed", counter) end
init = function() math.randomseed(seed * 7919) end
local function ask(id)
  return wrk.format("POST", "$2", headers, '{"$3": ' .. id .. ', "top_n": 10}')
end
request = function()
  if pending then local id = pending; pending = nil; return ask(id) end
  local id = ids[math.random(#ids)]
  if share > 0 and math.random() < share then
    local user = userKeyed and id or users[math.random(#users)]
    pending = id
    return wrk.format("POST", "/feedback", headers, '{"user_id": ' .. user ..
                      ', "anime_id": ' .. anime[math.random(#anime)] .. ', "event": "watch"}')
  end
  return ask(id)
end
LUA
  } >"$1"
}
for share in 0 "$feedback_share"; do
  suffix=""; [ "$share" = 0 ] || suffix="-mixed"
  lua "$work/content$suffix.lua" /recommend_content_based anime_id anime "$share"
  lua "$work/collaborative$suffix.lua" /recommend_collaborative user_id users "$share"
  lua "$work/session$suffix.lua" /recommend_session_based user_id users "$share"
  lua "$work/history$suffix.lua" /recommend_session_based history sessions "$share"
done

to_ms() {  # wrk latency ("812.00us", "1.20ms", "2.01s") -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                         else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

# Routes: "label" -> what wrk requests. Labels of the collaborative route carry the family
# ("/recommend_collaborative:ease"); the reference answers every family's lists the same way.
path_of() { echo "${1%%:*}"; }
script_of() {  # label, mode
  local suffix=""
  [ "$2" = mixed ] && suffix="-mixed"
  case "$1" in
    /recommend_content_based) echo "$work/content$suffix.lua" ;;
    /recommend_collaborative*) echo "$work/collaborative$suffix.lua" ;;
    /recommend_session_based:history) echo "$work/history$suffix.lua" ;;
    /recommend_session_based*) echo "$work/session$suffix.lua" ;;
    *) echo "" ;;
  esac
}
reference_label_of() {  # the reference's route for a Qt route label
  case "$1" in
    /recommend_collaborative*) echo /recommend_collaborative ;;
    /recommend_session_based:user) echo /recommend_session_based ;;
    *) echo "$1" ;;
  esac
}

run() {  # url, route label, mode -> "rps p50 p99 errors"
  local out script
  script="$(script_of "$2" "$3")"
  if [ -n "$script" ]; then
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency -s "$script" "$1")"
  else
    out="$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$1$(path_of "$2")")"
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

reference_routes="/health /top /recommend_content_based /recommend_collaborative /recommend_session_based /recommend_session_based:history"
declare -A ref_rps ref_p50 ref_p99 ref_err ref_workers
for workers in $workers_list; do
  start_reference "$workers"
  for route in $reference_routes; do
    read -r rps p50 p99 err <<<"$(run "$py_url" "$route" cached)"
    echo "  reference, $workers worker(s): $route $rps req/s, p50 $p50 ms, p99 $p99 ms, $err errors"
    if awk -v a="$rps" -v b="${ref_rps[$route]:-0}" 'BEGIN { exit !(a > b) }'; then
      ref_rps[$route]=$rps; ref_p50[$route]=$p50; ref_p99[$route]=$p99; ref_err[$route]=$err
      ref_workers[$route]=$workers
    fi
  done
  stop_server
done

served_models() {  # the family serving each role, from /ready
  curl -fsS "$qt_url/ready" | "$python" -c '
import json, sys
models = json.load(sys.stdin)["models"]
print(", ".join(f"{role} {m['"'"'model'"'"'] if m else '"'"'-'"'"'}" for role, m in models.items()))'
}

results=()
log_sum=0; count=0
measure() {  # mode, route labels...
  local mode="$1"; shift
  for route in "$@"; do
    local ref_route hits0 misses0 hits1 misses1 rps p50 p99 err hit_rate ratio verdict why
    ref_route="$(reference_label_of "$route")"
    read -r hits0 misses0 <<<"$(cache_counts)"
    read -r rps p50 p99 err <<<"$(run "$qt_url" "$route" "$mode")"
    read -r hits1 misses1 <<<"$(cache_counts)"
    hit_rate="$(awk -v h=$((hits1 - hits0)) -v m=$((misses1 - misses0)) \
      'BEGIN { if (h + m > 0) printf "%.1f%%", 100 * h / (h + m); else printf "-" }')"
    ratio="$(awk -v a="$rps" -v b="${ref_rps[$ref_route]}" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
    printf '%-9s %-38s %9.0f %7s %7s %6s | %9.0f %2s %7s %7s %6s | %6sx %6s\n' "$mode" "$route" \
      "$rps" "$p50" "$p99" "$err" "${ref_rps[$ref_route]}" "${ref_workers[$ref_route]}" \
      "${ref_p50[$ref_route]}" "${ref_p99[$ref_route]}" "${ref_err[$ref_route]}" "$ratio" "$hit_rate"
    verdict=PASS; why=""
    awk -v r="$ratio" 'BEGIN { exit !(r >= 4) }' || { verdict=FAIL; why+=" ratio ${ratio}x < 4x;"; }
    awk -v p="$p99" 'BEGIN { exit !(p < 10) }' || { verdict=FAIL; why+=" p99 ${p99} ms >= 10 ms;"; }
    [ "$err" = 0 ] || { verdict=FAIL; why+=" $err errors;"; }
    results+=("$(printf '%s %-9s %-38s %6sx  p99 %6s ms  errors %s%s' "$verdict" "$mode" "$route" \
      "$ratio" "$p99" "$err" "${why:+ ($why )}")")
    log_sum="$(awk -v s="$log_sum" -v r="$ratio" 'BEGIN { print s + log(r > 0 ? r : 1e-9) }')"
    count=$((count + 1))
  done
}

echo "http_bench: wrk -t$threads -c$connections -d${duration}s on $(nproc) cores (load $(cut -d' ' -f1-3 /proc/loadavg)); reference = best of $workers_list uvicorn worker(s)"
printf '%-9s %-38s %9s %7s %7s %6s | %9s %2s %7s %7s %6s | %7s %6s\n' mode route "qt req/s" "p50 ms" \
  "p99 ms" errors "ref req/s" "w" "p50 ms" "p99 ms" errors ratio "cache"
for mode in $modes; do
  mode_args=()
  [ "$mode" = cached ] || mode_args=(--cache-mb 0 --warm-users 0)
  # /feedback writes to the database: mixed mode serves a copy of a SQLite file, so the data
  # (and what the models were trained on) stays as it was.
  if [ "$mode" = mixed ] && [ -f "${id_args[1]:-}" ] && [ "${id_args[0]}" = --db ]; then
    cp "${id_args[1]}" "$work/mixed.sqlite"
    mode_args+=(--db "$work/mixed.sqlite")
  fi
  first=1
  families=("${served_families[@]}")
  [ ${#families[@]} -gt 0 ] || families=("")  # whatever the models directory serves
  for family in "${families[@]}"; do
    family_args=()
    [ -z "$family" ] || family_args=(--models-dir "$work/models-$family")
    start_qt "${mode_args[@]}" "${family_args[@]}"
    echo "  $mode: serving $(served_models)"
    collaborative="/recommend_collaborative${family:+:$family}"
    if [ "$first" = 1 ]; then
      routes=(/recommend_content_based "$collaborative" /recommend_session_based:user
              /recommend_session_based:history)
      [ "$mode" = mixed ] || routes=(/health /top "${routes[@]}")
    else
      routes=("$collaborative")
    fi
    measure "$mode" "${routes[@]}"
    stop_server
    first=0
  done
done
echo
for line in "${results[@]}"; do echo "$line"; done
awk -v s="$log_sum" -v n="$count" 'BEGIN { printf "overall: geometric mean of the qt/reference ratios %.2fx (target >= 4x on every route)\n", exp(s / n) }'
