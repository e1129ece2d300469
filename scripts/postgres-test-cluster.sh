#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl in a temporary
# directory, listening only on a unix socket there (no TCP port to collide with), trust auth,
# durability off (fsync, full-page writes) because the data is thrown away.
#
# Usage: scripts/postgres-test-cluster.sh start STATE_DIR   start (or reuse) and print the URL
#        scripts/postgres-test-cluster.sh url STATE_DIR     print the URL of a running cluster
#        scripts/postgres-test-cluster.sh stop STATE_DIR    stop it and delete its files
#        scripts/postgres-test-cluster.sh restart STATE_DIR [SECONDS]
#                                   stop the server (every connection breaks), stay down SECONDS
#                                   (default 0), start it again with the same data and URL
# STATE_DIR (created) remembers where the cluster lives; `url` is also written to STATE_DIR/url.
# The URL is postgresql://animerec@/animerec?host=SOCKET_DIR (database "animerec", user
# "animerec", superuser, so tests may CREATE DATABASE).
# initdb refuses to run as root: as root the cluster runs as the `postgres` system user (made
# as `animerec-pg` when the postgresql package did not create `postgres`).
# Environment: ANIMEREC_PG_BIN (default: newest /usr/lib/postgresql/*/bin).
set -euo pipefail

action="${1:-}"
state="${2:-}"
if [ -z "$action" ] || [ -z "$state" ]; then
  sed -n '2,17p' "$0" >&2
  exit 2
fi

fail() { echo "postgres-test-cluster: $*" >&2; exit 1; }

find_bin() {
  if [ -n "${ANIMEREC_PG_BIN:-}" ]; then echo "$ANIMEREC_PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && echo "$dir"
}

bin="$(find_bin)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  fail "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin; \
install them with scripts/install-deps.sh (Debian package postgresql) or set ANIMEREC_PG_BIN"
fi

# Commands that touch the cluster run as its owner.
owner=""
as_owner() {
  if [ -n "$owner" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}
if [ "$(id -u)" -eq 0 ]; then
  if id postgres >/dev/null 2>&1; then
    owner=postgres
  else
    id animerec-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin animerec-pg
    owner=animerec-pg
  fi
fi

cluster_of_state() { [ -f "$state/cluster" ] && cat "$state/cluster" || true; }
url_of() { echo "postgresql://animerec@/animerec?host=$1"; }
running() { [ -n "$1" ] && [ -d "$1/data" ] && as_owner "$bin/pg_ctl" -D "$1/data" status >/dev/null 2>&1; }

case "$action" in
  start)
    mkdir -p "$state"
    cluster="$(cluster_of_state)"
    if running "$cluster"; then
      url_of "$cluster" | tee "$state/url"
      exit 0
    fi
    [ -n "$cluster" ] && rm -rf "$cluster"
    # Short path: a unix socket path must stay under ~100 bytes.
    cluster="$(mktemp -d "${TMPDIR:-/tmp}/animerec-pg.XXXXXX")"
    echo "$cluster" > "$state/cluster"
    [ -n "$owner" ] && chown "$owner" "$cluster"
    chmod 755 "$cluster"
    if ! as_owner "$bin/initdb" -D "$cluster/data" -U animerec --auth=trust -E UTF8 \
        --no-locale --no-sync > "$cluster/initdb.log" 2>&1; then
      cat "$cluster/initdb.log" >&2
      fail "initdb failed"
    fi
    options="-k $cluster -c listen_addresses= -c fsync=off -c full_page_writes=off \
-c synchronous_commit=off -c wal_level=minimal -c max_wal_senders=0 -c max_connections=50"
    echo "$options" > "$cluster/options"
    if ! as_owner "$bin/pg_ctl" -D "$cluster/data" -o "$options" -l "$cluster/server.log" \
        -w -t 60 start > /dev/null; then
      cat "$cluster/server.log" >&2 || true
      fail "pg_ctl start failed"
    fi
    "$bin/createdb" -h "$cluster" -U animerec animerec || fail "createdb failed"
    url_of "$cluster" | tee "$state/url"
    ;;
  url)
    cluster="$(cluster_of_state)"
    running "$cluster" || fail "no running cluster recorded in $state (run: $0 start $state)"
    url_of "$cluster"
    ;;
  restart)
    cluster="$(cluster_of_state)"
    running "$cluster" || fail "no running cluster recorded in $state (run: $0 start $state)"
    as_owner "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop > /dev/null || fail "pg_ctl stop failed"
    sleep "${3:-0}"
    if ! as_owner "$bin/pg_ctl" -D "$cluster/data" -o "$(cat "$cluster/options")" \
        -l "$cluster/server.log" -w -t 60 start > /dev/null; then
      tail -n 20 "$cluster/server.log" >&2 || true
      fail "pg_ctl start failed"
    fi
    echo "postgres-test-cluster: restarted"
    ;;
  stop)
    cluster="$(cluster_of_state)"
    if [ -n "$cluster" ] && [ -d "$cluster" ]; then
      running "$cluster" && as_owner "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop > /dev/null
      rm -rf "$cluster"
    fi
    rm -f "$state/cluster" "$state/url"
    echo "postgres-test-cluster: stopped"
    ;;
  *)
    fail "unknown action '$action' (start, url, restart or stop)"
    ;;
esac
