#!/usr/bin/env bash
# Updates translations/animerec_ru.ts from the sources (lupdate): new texts arrive marked
# unfinished for a translator (Qt Linguist), texts no longer in the code are dropped.
# tests/i18n/check_translations.sh fails while any text is untranslated.
# Usage: scripts/update-translations.sh [TS_FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
ts="${1:-translations/animerec_ru.ts}"
lupdate="$(command -v lupdate6 || true)"
[ -n "$lupdate" ] || lupdate=/usr/lib/qt6/bin/lupdate
[ -x "$lupdate" ] || { echo "update-translations: lupdate not found (apt-get install qt6-l10n-tools)"; exit 1; }
# What a person reads: Studio, and the terminal explorer's answers and messages; the model
# families' descriptions (core has no Qt: TRANSLATABLE_TEXT marks them there).
"$lupdate" -silent -no-obsolete -locations none -tr-function-alias QT_TRANSLATE_NOOP+=TRANSLATABLE_TEXT \
  ui app/explore app/cli/explorer_text.cpp app/cli/command_explore.cpp \
  core/models/model_families.cpp -ts "$ts"
