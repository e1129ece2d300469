#!/usr/bin/env bash
# Every text Studio and the terminal explorer show has its Russian translation: the sources are
# scanned afresh (scripts/update-translations.sh on a copy of the .ts) and the test fails on any
# text left unfinished, naming it. It first proves it can fail, on a copy missing a translation.
set -euo pipefail
cd "$(dirname "$0")/../.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

unfinished() { grep -c 'type="unfinished"' "$1" || true; }

cp translations/animerec_ru.ts "$scratch/broken.ts"
# Drop one translation: the check must see it.
python3 - "$scratch/broken.ts" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
text = re.sub(r"<translation>[^<]+</translation>", '<translation type="unfinished"></translation>', text, count=1)
open(path, "w", encoding="utf-8").write(text)
PY
scripts/update-translations.sh "$scratch/broken.ts"
if [ "$(unfinished "$scratch/broken.ts")" -eq 0 ]; then
  echo "check_translations: a dropped translation went unnoticed; the check would prove nothing"
  exit 1
fi

cp translations/animerec_ru.ts "$scratch/current.ts"
scripts/update-translations.sh "$scratch/current.ts"
total=$(grep -c '<source>' "$scratch/current.ts")
missing=$(unfinished "$scratch/current.ts")
echo "check_translations: $total texts, $missing without a Russian translation"
if [ "$missing" -ne 0 ]; then
  python3 - "$scratch/current.ts" <<'PY'
import sys, xml.etree.ElementTree as ET
for context in ET.parse(sys.argv[1]).getroot().iter("context"):
    for message in context.iter("message"):
        if message.find("translation").get("type") == "unfinished":
            print("  untranslated:", context.find("name").text, repr(message.find("source").text))
PY
  echo "check_translations: run scripts/update-translations.sh and translate them (Qt Linguist)"
  exit 1
fi
