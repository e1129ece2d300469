#!/usr/bin/env bash
# The README's main command: installs what is missing, builds, generates the default dataset when
# none is there, imports it into the embedded SQLite database, trains the models, then opens
# AnimeRec Studio (or, with no display, serves the HTTP API on port 8000).
#
# Environment: ANIMEREC_DB (database path), ANIMEREC_PORT (default 8000), ANIMEREC_HEADLESS=1 to
# serve even when a display is available.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run
scripts/build.sh

bin="${ANIMEREC_BUILD_DIR:-build}/bin"
data_dir="data/default"
db="${ANIMEREC_DB:-var/animerec.sqlite}"
models_dir="var/models"
mkdir -p var "$models_dir"

if [ ! -f "$data_dir/anime.csv" ] || [ ! -f "$data_dir/animelist.csv" ]; then
  echo "run: generating the default dataset into $data_dir"
  "$bin/animerec" generate --users 3000 --anime 4000 --seed 42 --out "$data_dir"
fi

if [ ! -f "$db" ] || [ "$data_dir/animelist.csv" -nt "$db" ]; then
  echo "run: importing $data_dir into $db"
  "$bin/animerec" import --anime "$data_dir/anime.csv" --interactions "$data_dir/animelist.csv" --db "$db"
fi

if [ ! -f "$models_dir/popularity.model" ] || [ "$db" -nt "$models_dir/popularity.model" ]; then
  echo "run: training models"
  "$bin/animerec" train --db "$db" --models popularity,content,als,ease,sasrec \
    --param sasrec.epochs=5 --out-dir "$models_dir" --top100 var/top100.json
fi

if [ -z "${ANIMEREC_HEADLESS:-}" ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
  exec "$bin/animerec-studio" --db "$db"
fi
echo "run: no display: serving the HTTP API on port ${ANIMEREC_PORT:-8000}"
exec "$bin/animerec" serve --host 0.0.0.0 --port "${ANIMEREC_PORT:-8000}" --db "$db" \
  --models-dir "$models_dir" --top100 var/top100.json
