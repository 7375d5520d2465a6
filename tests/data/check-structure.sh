#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-structure: the seams the code keeps (STYLE.md, issue 11).
#   1. nothing outside client/store includes sqlite3.h (TF_STORE_ERROR is in
#      the store's public header);
#   2. common/ knows no GTK, libadwaita, SQLite or libpq;
#   3. no widget starts network work: nothing in client/app makes a sync
#      client or a libsoup session (the session asks client/core);
#   4. each front end's main.c is thin (at most 40 lines), the rest a static
#      library the tests link.
# Prints TAP.
set -euo pipefail
top=${TF_SOURCE_DIR:?}
cd "$top"

echo "1..4"
found=$(grep -rl --include='*.c' --include='*.h' 'sqlite3\.h' client common server |
        grep -v '^client/store/' | paste -sd ' ' - || true)
if [ -z "$found" ]; then echo "ok 1 sqlite3.h only in client/store"; else
  echo "not ok 1 sqlite3.h included outside client/store: $found"; fi

found=$(grep -rlE --include='*.c' --include='*.h' \
          '#include [<"](gtk/|adwaita|sqlite3|libpq)' common | paste -sd ' ' - || true)
if [ -z "$found" ]; then echo "ok 2 common/ knows no GTK, SQLite or libpq"; else
  echo "not ok 2 common/ includes GTK, SQLite or libpq: $found"; fi

found=$(grep -rlE --include='*.c' 'tf_sync_client_new|soup_session_new' client/app |
        paste -sd ' ' - || true)
if [ -z "$found" ]; then echo "ok 3 no network work started in client/app"; else
  echo "not ok 3 client/app makes its own network clients: $found"; fi

fat=""
for main in client/app/main.c client/cli/main.c server/main.c; do
  [ -f "$main" ] || continue
  n=$(wc -l < "$main")
  [ "$n" -le 40 ] || fat="$fat $main ($n lines)"
done
if [ -z "$fat" ]; then echo "ok 4 each main.c is thin"; else
  echo "not ok 4 main.c not thin:$fat"; fi
