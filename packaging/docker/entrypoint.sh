#!/bin/sh
# Container start: on first start (nothing on the volume) generate the demo dataset, import and
# train; then serve. Everything is configured by environment variables (see Dockerfile.headless).
set -eu
dir="${ANIMEREC_DATA_DIR:-/var/lib/animerec}"
db="$dir/animerec.sqlite"
mkdir -p "$dir/models"
if [ ! -f "$db" ]; then
  if [ -n "${ANIMEREC_ANIME_CSV:-}" ] && [ -n "${ANIMEREC_INTERACTIONS_CSV:-}" ]; then
    animerec import --anime "$ANIMEREC_ANIME_CSV" --interactions "$ANIMEREC_INTERACTIONS_CSV" --db "$db"
  else
    animerec generate --users "${ANIMEREC_USERS:-3000}" --anime "${ANIMEREC_ANIME:-4000}" \
      --seed "${ANIMEREC_SEED:-42}" --out "$dir/data"
    animerec import --anime "$dir/data/anime.csv" --interactions "$dir/data/animelist.csv" --db "$db"
  fi
fi
if [ ! -f "$dir/models/popularity.model" ]; then
  animerec train --db "$db" --out-dir "$dir/models" --top100 "$dir/top100.json"
fi
exec animerec serve --host 0.0.0.0 --port "${ANIMEREC_PORT:-8000}" --db "$db" \
  --models-dir "$dir/models" --top100 "$dir/top100.json"
