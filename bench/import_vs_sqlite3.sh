#!/usr/bin/env bash
# `animerec import` of a large animelist.csv against the sqlite3 shell's `.import` of the same
# file into an unindexed table, timed in the same run on the same disk. Prints both wall times,
# the ratio (target: <= 1.5) and the peak RSS of each (target for animerec: < 300 MB).
#
# Usage: bench/import_vs_sqlite3.sh [ROWS]                      generate ~ROWS rows (default 10M)
#        bench/import_vs_sqlite3.sh ANIMELIST.csv ANIME.csv      use existing files
# Environment: ANIMEREC_BIN (default build/bin/animerec), ANIMEREC_BENCH_DIR (scratch directory,
# default a fresh temporary one, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test  # /usr/bin/time: only the test set installs it

bin="${ANIMEREC_BIN:-${ANIMEREC_BUILD_DIR:-build}/bin/animerec}"
timer=/usr/bin/time
if [ ! -x "$timer" ]; then
  echo "bench: /usr/bin/time is missing (apt-get install time)" >&2
  exit 1
fi
command -v sqlite3 >/dev/null || { echo "bench: the sqlite3 shell is missing (apt-get install sqlite3)" >&2; exit 1; }
[ -x "$bin" ] || { echo "bench: $bin not found; build it or set ANIMEREC_BIN" >&2; exit 1; }

if [ -n "${ANIMEREC_BENCH_DIR:-}" ]; then
  work="$ANIMEREC_BENCH_DIR"
  mkdir -p "$work"
else
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
fi

if [ $# -ge 2 ]; then
  list="$1"
  anime="$2"
else
  rows="${1:-10000000}"
  anime="$work/data/anime.csv"
  list="$work/data/animelist.csv"
  mkdir -p "$work/data"
  users=$(( rows / 100 > 0 ? rows / 100 : 1 ))
  if "$bin" generate --help >/dev/null 2>&1; then
    echo "bench: animerec generate --users $users (about $rows rows)"
    "$bin" generate --users "$users" --anime 12000 --interactions-per-user-mean 100 \
      --out "$work/data" >/dev/null
  else
    # Fallback in the brief's layout: 100 rows per user, uniform anime ids, 0 = not rated.
    echo "bench: generating $rows rows with awk (animerec generate not available)"
    awk 'BEGIN { print "anime_id,title,genre,type,episodes,rating,members";
                 for (i = 1; i <= 12000; ++i) printf "%d,Anime %d,\"Action, Comedy\",TV,12,7.25,%d\n", i, i, i * 37 }' \
      > "$anime"
    awk -v rows="$rows" 'BEGIN { srand(42); print "user_id,anime_id,rating,status,watched_episodes";
                 split("1 2 2 2 3 4 6", codes, " ");
                 for (r = 0; r < rows; ++r)
                   printf "%d,%d,%d,%d,%d\n", int(r / 100) + 1, int(rand() * 12000) + 1,
                          int(rand() * 11), codes[int(rand() * 7) + 1], int(rand() * 26) }' \
      > "$list"
  fi
fi

lines=$(( $(wc -l < "$list") - 1 ))
size_mb=$(( $(stat -c %s "$list") / 1048576 ))
echo "bench: $list: $lines rows, ${size_mb} MB"
cat "$list" "$anime" > /dev/null  # both runs start with the files in the page cache

# Reference: the sqlite3 shell's CSV import into a plain table (no indexes, no validation).
rm -f "$work/reference.sqlite"
sqlite3 "$work/reference.sqlite" \
  "CREATE TABLE animelist(user_id INTEGER, anime_id INTEGER, rating INTEGER, status INTEGER, watched_episodes INTEGER);"
"$timer" -f "%e %M %U %S" -o "$work/reference.time" \
  sqlite3 "$work/reference.sqlite" -cmd ".mode csv" ".import --skip 1 $list animelist"
reference_rows=$(sqlite3 "$work/reference.sqlite" "SELECT count(*) FROM animelist")

# animerec: validation, reject report, one transaction, indexes built after the bulk insert.
rm -f "$work/animerec.sqlite" "$work/animerec.sqlite-wal" "$work/animerec.sqlite-shm"
"$timer" -f "%e %M %U %S" -o "$work/animerec.time" \
  "$bin" import --anime "$anime" --interactions "$list" --db "$work/animerec.sqlite" \
  --rejects "$work/rejects.txt" 2>/dev/null
animerec_rows=$(sqlite3 "$work/animerec.sqlite" "SELECT count(*) FROM UserAnimeInteractions")

read -r reference_s reference_kb reference_user reference_sys < "$work/reference.time"
read -r animerec_s animerec_kb animerec_user animerec_sys < "$work/animerec.time"
awk -v rs="$reference_s" -v rk="$reference_kb" -v rcpu="$(echo "$reference_user $reference_sys" | awk '{print $1 + $2}')" \
    -v as="$animerec_s" -v ak="$animerec_kb" -v acpu="$(echo "$animerec_user $animerec_sys" | awk '{print $1 + $2}')" \
    -v rr="$reference_rows" -v ar="$animerec_rows" 'BEGIN {
  printf "sqlite3 .import   %8.2f s wall %7.2f s cpu  %10d rows  peak RSS %6.1f MB\n", rs, rcpu, rr, rk / 1024
  printf "animerec import   %8.2f s wall %7.2f s cpu  %10d rows  peak RSS %6.1f MB\n", as, acpu, ar, ak / 1024
  printf "ratio animerec / sqlite3: %.2f wall, %.2f cpu  (target <= 1.5; RSS target < 300 MB)\n", as / rs, acpu / rcpu
  if (ar != rr) printf "note: row counts differ (see the reject report)\n"
}'
