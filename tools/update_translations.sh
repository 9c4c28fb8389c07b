#!/bin/sh
# Refresh the French translation after changing any user-visible string.
#
# Run this whenever you add, change or remove a string wrapped in tr(), translate() or
# QT_TRANSLATE_NOOP() anywhere under desktopchat/ (ui/, core/, providers/ …), then translate
# what it reports as unfinished (Qt Linguist: `pyside6-linguist` on the .ts, or by hand) and
# run it again so the compiled .qm matches. tests/ui/support/test_french.py fails until both are done.
#
# 1. pyside6-lupdate scans every .py file under desktopchat/ into desktopchat_fr.ts. Existing
#    translations are kept; new strings arrive as type="unfinished"; strings that left the
#    code are dropped (-no-obsolete) rather than kept as vanished entries.
# 2. The same scan, plural messages only (-pluralonly), into desktopchat_en.ts: English needs
#    its plural forms from a catalogue too ("1 conversation", "2 conversations"); fill in the
#    two English forms of each new one.
# 3. pyside6-lrelease compiles each .ts into its .qm, the file the app loads (they are
#    committed, so a checkout and the wheel work without Qt's tools).
#
# Usage: tools/update_translations.sh   from anywhere, with the project's virtualenv activated
#    or: PYSIDE6_BIN=/path/to/venv/bin tools/update_translations.sh
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${PYSIDE6_BIN:+$PYSIDE6_BIN/}
folder="$repo/desktopchat/resources/translations"

cd "$repo"
"${tools}pyside6-lupdate" -extensions py -no-obsolete -locations relative \
    -source-language en -target-language fr desktopchat -ts "$folder/desktopchat_fr.ts"
"${tools}pyside6-lupdate" -extensions py -no-obsolete -locations relative -pluralonly \
    -source-language en -target-language en desktopchat -ts "$folder/desktopchat_en.ts"
for language in fr en; do
    "${tools}pyside6-lrelease" "$folder/desktopchat_$language.ts" -qm "$folder/desktopchat_$language.qm"
done
