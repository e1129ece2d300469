#!/usr/bin/env bash
# Brings up packaging/docker-compose.yaml (PostgreSQL, the one-shot init service, two replicas)
# on free ports, then checks that both replicas serve the models the init service published
# (same versions), answer alike, assign one user the same A/B variant (the experiment is defined
# on replica 1 and reaches replica 2 through the database), and that feedback sent to either
# replica is counted in the report of the other; then that the stack's Prometheus scrapes both
# replicas, has the alert rules loaded and holds their quality series. Tears everything down.
# Usage: tests/docker/test_compose.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v docker-compose >/dev/null || { echo "test_compose: docker-compose is missing (apt-get install docker-compose)"; exit 1; }
packaging/docker/start-dockerd.sh
packaging/docker/make-base-image.sh debian:bookworm

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export ANIMEREC_PORT_1="$(free_port)" ANIMEREC_PORT_2="$(free_port)" ANIMEREC_PROMETHEUS_PORT="$(free_port)"
# A small generated dataset, not the real sample the stack imports by default: what is tested
# here is that the replicas agree, and the init service then trains every family in about 4 s
# instead of about 2 minutes (tests/docker/test_container.sh serves the sample).
export ANIMEREC_DATASET=generated ANIMEREC_USERS=400 ANIMEREC_ANIME=600
export ANIMEREC_ADMIN_TOKEN="compose-test-$$"
export ANIMEREC_DB_PASSWORD="pw-$$-$RANDOM"
project="animerec-compose-test-$$"
compose() { docker-compose -p "$project" -f packaging/docker-compose.yaml "$@"; }
cleanup() {
  compose logs --no-color >"/tmp/$project.log" 2>&1 || true
  compose down -v --remove-orphans >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "test_compose: building the images and starting the stack"
compose build -q
compose up -d
urls=("http://127.0.0.1:$ANIMEREC_PORT_1" "http://127.0.0.1:$ANIMEREC_PORT_2")
for _ in $(seq 1 300); do
  ready=0
  for url in "${urls[@]}"; do curl -fsS "$url/ready" >/dev/null 2>&1 && ready=$((ready + 1)); done
  [ "$ready" = 2 ] && break
  sleep 1
done
for url in "${urls[@]}"; do
  curl -fsS "$url/ready" >/dev/null || { echo "test_compose: $url/ready never answered 200"; compose logs --no-color | tail -60; exit 1; }
done
init_state="$(docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' "$(compose ps -q animerec-init)")"
echo "test_compose: both replicas ready; animerec-init: $init_state"

failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }
json() { python3 -c "import json, sys; d = json.load(sys.stdin); print($1)"; }
[ "$init_state" = "exited 0" ] && ok "animerec-init imported, trained and exited 0" || fail "animerec-init: $init_state"

versions_1="$(curl -fsS "${urls[0]}/ready" | json 'json.dumps(d["models"], sort_keys=True)')"
versions_2="$(curl -fsS "${urls[1]}/ready" | json 'json.dumps(d["models"], sort_keys=True)')"
if [ "$versions_1" = "$versions_2" ] && [ "$(echo "$versions_1" | json 'd["collaborative"]["version"]')" != "" ]; then
  ok "same published models on both replicas: $versions_1"
else
  fail "model versions differ: $versions_1 vs $versions_2"
fi

recommend() {  # url user -> anime ids
  curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"user_id\": $2, \"top_n\": 5}" \
    "$1/recommend_collaborative" | json '" ".join(str(i["anime_id"]) for i in d["items"])'
}
same=0
for user in 1 2 3 4 5; do [ "$(recommend "${urls[0]}" $user)" = "$(recommend "${urls[1]}" $user)" ] && same=$((same + 1)); done
[ "$same" = 5 ] && ok "both replicas give users 1-5 the same lists" || fail "lists differ for $((5 - same)) of 5 users"

admin=(-H "Authorization: Bearer $ANIMEREC_ADMIN_TOKEN" -H 'Content-Type: application/json')
definition='{"name":"compose","routes":["/recommend_collaborative"],"variants":[{"name":"control","role":"collaborative","share":0.5},{"name":"treatment","role":"collaborative","share":0.5}]}'
status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST "${admin[@]}" -d "$definition" "${urls[0]}/admin/experiments")"
[ "$status" = 201 ] && ok "experiment defined on replica 1" || fail "define experiment: $status"
status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST "${admin[@]}" "${urls[0]}/admin/experiments/compose/start")"
[ "$status" = 200 ] && ok "experiment started on replica 1" || fail "start experiment: $status"
variant() {  # url user
  curl -fsS -X POST -H 'Content-Type: application/json' -d "{\"user_id\": $2}" "$1/recommend_collaborative" |
    json 'd.get("experiment", {}).get("variant", "")'
}
for _ in $(seq 1 50); do [ -n "$(variant "${urls[1]}" 1)" ] && break; sleep 0.2; done
agree=0; seen=""
for user in $(seq 1 40); do
  a="$(variant "${urls[0]}" "$user")"; b="$(variant "${urls[1]}" "$user")"
  [ -n "$a" ] && [ "$a" = "$b" ] && agree=$((agree + 1))
  seen="$seen $a"
done
variants="$(tr ' ' '\n' <<<"$seen" | sort -u | grep -c . || true)"
[ "$agree" = 40 ] && [ "$variants" = 2 ] && ok "40 users, same variant on both replicas, both variants used" ||
  fail "variants agree for $agree of 40 users, $variants variants seen"

# Each of users 1-20 clicks the first title of a list just served by one replica, sent to that
# replica: the click is attributed to that exposure, and the report (read from the shared
# database) of the other replica counts it.
accepted=0
for user in $(seq 1 20); do
  url="${urls[$((user % 2))]}"
  first="$(recommend "$url" "$user" | cut -d' ' -f1)"
  status="$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d "{\"user_id\": $user, \"anime_id\": $first, \"event\": \"click\"}" "$url/feedback")"
  [ "$status" = 202 ] && accepted=$((accepted + 1))
done
[ "$accepted" = 20 ] && ok "20 clicks accepted, alternating replicas" || fail "$accepted of 20 clicks accepted"
report=""
for _ in $(seq 1 100); do
  report="$(curl -fsS "${urls[1]}/ab/compose/report" | json '" ".join(str(sum(v[k] for v in d["variants"])) for k in ("exposures", "clicked"))' 2>/dev/null || true)"
  read -r exposures clicked <<<"${report:-0 0}"
  [ "$clicked" = 20 ] && [ "$exposures" -ge 100 ] && break
  sleep 0.2
done
read -r exposures clicked <<<"${report:-0 0}"
[ "$clicked" = 20 ] && [ "$exposures" -ge 100 ] &&
  ok "replica 2's report: $exposures exposures from both replicas, $clicked of 20 clicks" ||
  fail "replica 2's report: $exposures exposures (expected >= 100), $clicked clicks (expected 20)"

# Prometheus (scrape interval 15 s) sees both replicas and the lists they served above.
prometheus="http://127.0.0.1:$ANIMEREC_PROMETHEUS_PORT"
promql() {  # query -> the first sample's value, or "" when the result is empty
  curl -fsS -G --data-urlencode "query=$1" "$prometheus/api/v1/query" |
    json 'd["data"]["result"][0]["value"][1] if d["data"]["result"] else ""'
}
up="" lists="" served=""
for _ in $(seq 1 90); do
  up="$(promql 'sum(up{job="animerec"})' 2>/dev/null || true)"
  lists="$(promql 'count(count by (instance) (animerec_quality_lists_total{route="/recommend_collaborative"}))' 2>/dev/null || true)"
  served="$(promql 'sum(animerec_quality_lists_total{route="/recommend_collaborative"})' 2>/dev/null || true)"
  [ "$up" = 2 ] && [ "$lists" = 2 ] && [ -n "$served" ] && [ "${served%%.*}" -ge 100 ] && break
  sleep 2
done
[ "$up" = 2 ] && ok "Prometheus scrapes both replicas" || fail "Prometheus: up = '${up}' (expected 2)"
[ "$lists" = 2 ] && ok "Prometheus holds animerec_quality_lists_total of both replicas" ||
  fail "Prometheus: quality series from '${lists}' replicas (expected 2)"
[ -n "$served" ] && [ "${served%%.*}" -ge 100 ] && ok "Prometheus: $served collaborative lists over both replicas" ||
  fail "Prometheus: '${served}' collaborative lists (expected >= 100)"
rules="$(curl -fsS "$prometheus/api/v1/rules" | json '" ".join(sorted(r["name"] for g in d["data"]["groups"] for r in g["rules"]))' 2>/dev/null || true)"
[[ "$rules" == *AnimeRecQualityDrop* && "$rules" == *AnimeRecDatabaseDegraded* ]] &&
  ok "Prometheus loaded the alert rules: $rules" || fail "Prometheus rules: '${rules}'"
# Each replica writes its counts every 10 s and reads both back.
for _ in $(seq 1 30); do
  quality="$(curl -fsS "${urls[0]}/quality" | json 'd["scope"] + " " + str(sum(g["windows"]["total"]["lists"] for g in d["groups"] if g["route"] == "/recommend_collaborative"))' 2>/dev/null || true)"
  read -r scope shared <<<"${quality:-none 0}"
  [ "$scope" = replicas ] && [ "$shared" -ge 100 ] && break
  sleep 1
done
[ "$scope" = replicas ] && [ "$shared" -ge 100 ] &&
  ok "replica 1's /quality covers both replicas: $shared collaborative lists" ||
  fail "replica 1's /quality: scope '$scope', $shared collaborative lists (expected replicas, >= 100)"

echo "$failures failed"
[ "$failures" -eq 0 ]
