#!/bin/sh
# First start: initdb with the user, password and database from POSTGRES_USER /
# POSTGRES_PASSWORD / POSTGRES_DB; then run the server in the foreground on all addresses.
set -eu
bin=/usr/lib/postgresql/15/bin
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile="$(mktemp)"
  printf '%s\n' "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}" > "$pwfile"
  "$bin/initdb" -D "$PGDATA" -U "${POSTGRES_USER:-animerec}" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-locale
  rm -f "$pwfile"
  echo "host all all 0.0.0.0/0 scram-sha-256" >> "$PGDATA/pg_hba.conf"
  "$bin/pg_ctl" -D "$PGDATA" -o "-c listen_addresses=" -w start
  "$bin/createdb" -U "${POSTGRES_USER:-animerec}" "${POSTGRES_DB:-animerec}"
  "$bin/pg_ctl" -D "$PGDATA" -m fast -w stop
fi
exec "$bin/postgres" -D "$PGDATA" -c listen_addresses='*'
