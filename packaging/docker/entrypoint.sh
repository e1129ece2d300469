#!/bin/sh
# Container start. Everything is configured by environment variables (see Dockerfile.headless).
#   ANIMEREC_DB unset (SQLite on the volume): on first start generate the demo dataset (or import
#     ANIMEREC_ANIME_CSV / ANIMEREC_INTERACTIONS_CSV), train, then serve. One replica only.
#   ANIMEREC_DB=postgresql://...: replicas share the database. ANIMEREC_ROLE=init (a one-shot
#     job) imports and trains once, when the database holds no catalogue yet; ANIMEREC_ROLE=serve
#     (the default) only serves, so replicas never import. `train` publishes the models to the
#     database's model store; each replica copies them into its own $dir/models at start, on
#     reload and every 30 s (`serve --shared-state auto`), so replicas need no shared volume.
set -eu
dir="${ANIMEREC_DATA_DIR:-/var/lib/animerec}"
db="${ANIMEREC_DB:-$dir/animerec.sqlite}"
role="${ANIMEREC_ROLE:-}"
mkdir -p "$dir/models"
case "$db" in
  postgres://*|postgresql://*) shared=1 ;;
  *) shared=0 ;;
esac

# The same families as scripts/run.sh: without a collaborative and a session model those routes
# would only serve the count-based fallback.
train_models() {
  animerec train --db "$db" --models "${ANIMEREC_MODELS:-popularity,content,als,ease,sasrec}" \
    --param "sasrec.epochs=${ANIMEREC_SASREC_EPOCHS:-5}" \
    --out-dir "$dir/models" --top100 "$dir/models/top100.json"
}

import_and_train() {
  if [ -n "${ANIMEREC_ANIME_CSV:-}" ] && [ -n "${ANIMEREC_INTERACTIONS_CSV:-}" ]; then
    animerec import --anime "$ANIMEREC_ANIME_CSV" --interactions "$ANIMEREC_INTERACTIONS_CSV" --db "$db"
  else
    animerec generate --users "${ANIMEREC_USERS:-3000}" --anime "${ANIMEREC_ANIME:-4000}" \
      --seed "${ANIMEREC_SEED:-42}" --out "$dir/data"
    animerec import --anime "$dir/data/anime.csv" --interactions "$dir/data/animelist.csv" --db "$db"
  fi
  train_models
}

if [ "$shared" = 1 ]; then
  if [ "$role" = init ]; then
    # The probe trains popularity without publishing it: it succeeds only when the database
    # already holds a catalogue.
    if animerec train --db "$db" --models popularity --out-dir "$dir/probe" --top100 "" --no-publish >/dev/null 2>&1; then
      echo "animerec init: the database already holds a catalogue; not importing again"
      train_models
    else
      import_and_train
    fi
    exit 0
  fi
else
  [ -f "$db" ] || import_and_train
  [ -f "$dir/models/popularity.model" ] || train_models
fi
exec animerec serve --host 0.0.0.0 --port "${ANIMEREC_PORT:-8000}" --db "$db" \
  --log-level "${ANIMEREC_LOG_LEVEL:-info}" \
  --models-dir "$dir/models" --top100 "$dir/models/top100.json"
