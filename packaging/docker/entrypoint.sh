#!/bin/sh
# Container start. Everything is configured by environment variables (defaults in the Dockerfile).
#   ANIMEREC_DB unset (SQLite on the volume): on first start import a dataset, train, then serve.
#     One replica only. Later starts find the database and the models on the volume and serve.
#   ANIMEREC_DB=postgresql://...: replicas share the database. ANIMEREC_ROLE=init (a one-shot
#     job) imports and trains once, when the database holds no catalogue yet; ANIMEREC_ROLE=serve
#     (the default) only serves, so replicas never import. `train` publishes the models to the
#     database's model store; each replica copies them into its own $dir/models at start, on
#     reload and every 30 s (`serve --shared-state auto`), so replicas need no shared volume.
# The dataset imported (SQLite first start, or the init role):
#   default: the real sample shipped in the image (anime.csv + rating_head_users1-1036.csv);
#   ANIMEREC_ANIME_CSV + ANIMEREC_INTERACTIONS_CSV: your own files, mounted into the container;
#   ANIMEREC_DATASET=generated: the generator (ANIMEREC_USERS, ANIMEREC_ANIME, ANIMEREC_SEED).
# Training: ANIMEREC_MODELS (optional) names the families; unset, every family is trained.
set -eu
dir="${ANIMEREC_DATA_DIR:-/var/lib/animerec}"
db="${ANIMEREC_DB:-$dir/animerec.sqlite}"
role="${ANIMEREC_ROLE:-}"
sample=/usr/share/animerec/sample  # copied there by the Dockerfile
mkdir -p "$dir/models"
case "$db" in
  postgres://*|postgresql://*) shared=1 ;;
  *) shared=0 ;;
esac

fail() { echo "animerec-entrypoint: $*" >&2; exit 1; }

train_models() {
  models="$(printf '%s' "${ANIMEREC_MODELS:-}" | tr -d ' ')"
  set --
  if [ -n "$models" ]; then set -- --models "$models"; fi
  # `train` refuses a --param for a family it does not train: pass a family's epochs only when
  # it is trained (every family is when ANIMEREC_MODELS is unset).
  case ",$models," in
    ,,|*,sasrec,*) set -- "$@" --param "sasrec.epochs=${ANIMEREC_SASREC_EPOCHS:-5}" ;;
  esac
  case ",$models," in
    ,,|*,gru,*) set -- "$@" --param "gru.epochs=${ANIMEREC_GRU_EPOCHS:-5}" ;;
  esac
  # Mult-VAE's early stopping runs to the best epoch plus its patience, then refits as long: on a
  # first start the cap keeps it from holding /ready back (two fits: the choice and the model).
  case ",$models," in
    ,,|*,mult_vae,*) set -- "$@" --param "mult_vae.epochs=${ANIMEREC_MULT_VAE_EPOCHS:-10}" ;;
  esac
  # Exit code 3: the quality gate refused a retrained model; the published one keeps serving.
  status=0
  animerec train --db "$db" "$@" --out-dir "$dir/models" --top100 "$dir/models/top100.json" || status=$?
  if [ "$status" -eq 3 ]; then
    echo "animerec-entrypoint: the quality gate kept the published models for some roles"
  elif [ "$status" -ne 0 ]; then
    return "$status"
  fi
}

import_dataset() {
  anime="${ANIMEREC_ANIME_CSV:-}"
  interactions="${ANIMEREC_INTERACTIONS_CSV:-}"
  case "${ANIMEREC_DATASET:-sample}" in
    generated)
      # Two sources named at once is a mistake better reported than guessed at.
      [ -z "$anime$interactions" ] ||
        fail "ANIMEREC_DATASET=generated and ANIMEREC_ANIME_CSV/ANIMEREC_INTERACTIONS_CSV are both set; unset one"
      animerec generate --users "${ANIMEREC_USERS:-3000}" --anime "${ANIMEREC_ANIME:-4000}" \
        --seed "${ANIMEREC_SEED:-42}" --out "$dir/data"
      anime="$dir/data/anime.csv"
      interactions="$dir/data/animelist.csv"
      ;;
    sample)
      if [ -z "$anime$interactions" ]; then
        anime="$sample/anime.csv"
        interactions="$sample/rating_head_users1-1036.csv"
      fi
      ;;
    *) fail "ANIMEREC_DATASET=${ANIMEREC_DATASET} is not one of: sample, generated" ;;
  esac
  [ -n "$anime" ] || fail "ANIMEREC_INTERACTIONS_CSV is set but ANIMEREC_ANIME_CSV is not; set both"
  [ -n "$interactions" ] || fail "ANIMEREC_ANIME_CSV is set but ANIMEREC_INTERACTIONS_CSV is not; set both"
  for file in "$anime" "$interactions"; do
    [ -r "$file" ] || fail "cannot read $file (files of your own are mounted with -v HOST_DIR:/data:ro)"
  done
  echo "animerec-entrypoint: importing $anime and $interactions"
  animerec import --anime "$anime" --interactions "$interactions" --db "$db"
}

if [ "$shared" = 1 ]; then
  if [ "$role" = init ]; then
    # The probe trains popularity without publishing it: it succeeds only when the database
    # already holds a catalogue.
    if animerec train --db "$db" --models popularity --out-dir "$dir/probe" --top100 "" --no-publish >/dev/null 2>&1; then
      echo "animerec init: the database already holds a catalogue; not importing again"
    else
      import_dataset
    fi
    train_models
    exit 0
  fi
else
  if [ ! -f "$db" ]; then
    # A failed or interrupted import must not leave a database file behind: the next start
    # would take it for an imported one and skip the import.
    trap 'rm -f "$db"' EXIT
    trap 'exit 130' INT TERM
    import_dataset
    trap - EXIT INT TERM
    train_models
  fi
  # top100.json is written after every model: without it the last training did not finish.
  [ -f "$dir/models/top100.json" ] || train_models
fi
exec animerec serve --host 0.0.0.0 --port "${ANIMEREC_PORT:-8000}" --db "$db" \
  --log-level "${ANIMEREC_LOG_LEVEL:-info}" \
  --models-dir "$dir/models" --top100 "$dir/models/top100.json"
