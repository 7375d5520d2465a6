#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-translations: every user-facing string has a Greek translation.
#   1. every file that marks strings for translation is in po/POTFILES: C sources,
#      GtkBuilder .ui files, the desktop file and the AppStream metainfo;
#   2. po/el.po compiles cleanly (msgfmt --check: formats match, plurals right);
#   3. against a fresh extraction, el.po has no untranslated and no fuzzy message;
#   4. one clinical vocabulary: a client is θεραπευόμενος (never πελάτης or ασθενής),
#      the intake is "Λήψη ιστορικού", and the journal and the mood calendar have
#      different names.
# Prints TAP.
set -euo pipefail
top=${TF_SOURCE_DIR:?}
cd "$top"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "1..4"

missing=$({ grep -rlE '(^|[^A-Za-z_])(_|N_|g_dngettext) ?\(' --include='*.c' common server client
            grep -rl 'translatable="yes"' --include='*.ui' client || true
            ls data/*.desktop.in.in data/*.metainfo.xml.in.in 2>/dev/null || true; } |
          sort | comm -23 - <(grep -v '^#' po/POTFILES | sort) | paste -sd ' ' - || true)
if [ -z "$missing" ]; then echo "ok 1 every translatable source is in po/POTFILES"; else
  echo "not ok 1 not in po/POTFILES: $missing"; fi

if msgfmt --check -o /dev/null po/el.po 2>"$tmp/err"; then echo "ok 2 po/el.po compiles"; else
  echo "not ok 2 po/el.po: $(tr '\n' ' ' < "$tmp/err")"; fi

xgettext --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=g_dngettext:2,3 \
  --package-name=therapy-field -f po/POTFILES -o "$tmp/therapy-field.pot"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/el.po" po/el.po "$tmp/therapy-field.pot"
stats=$(msgfmt --statistics -o /dev/null "$tmp/el.po" 2>&1)
if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
  echo "not ok 3 Greek translation incomplete: $stats"
  msgattrib --untranslated --no-obsolete "$tmp/el.po" | grep '^msgid' | sed 's/^/# /'
else
  echo "ok 3 Greek translation complete: $stats"
fi

# msgstr of an exact msgid (first line only: these are short).
translation() { msgattrib --no-obsolete --no-wrap po/el.po |
                awk -v id="msgid \"$1\"" '!done && $0 == id { getline; sub(/^msgstr "/, "");
                                                   sub(/"$/, ""); print; done = 1 }'; }
words=$(msgattrib --no-obsolete --no-wrap po/el.po | grep '^msgstr' | grep -oiE '[^ ]*(πελάτ|ασθεν)[^ ]*' |
        sort -u | paste -sd ' ' - || true)
journal=$(translation Journal)
calendar=$(translation Calendar)
intake=$(translation Intake)
if [ -n "$words" ]; then echo "not ok 4 client is θεραπευόμενος, not: $words"
elif [ "$intake" != "Λήψη ιστορικού" ]; then echo "not ok 4 Intake is “$intake”, not “Λήψη ιστορικού”"
elif [ -z "$journal" ] || [ "$journal" = "$calendar" ]; then
  echo "not ok 4 Journal and Calendar are both “$journal”"
else echo "ok 4 one clinical vocabulary (Journal: $journal, Calendar: $calendar)"; fi
