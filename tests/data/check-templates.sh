#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-templates: every widget class of client/app is a tf-*.{c,h,ui} trio —
# its widgets a GtkBuilder template in the GResource, not assembled in C.
#   1. each class whose parent is a widget (GTK_TYPE_WIDGET, a GTK or
#      libadwaita widget) has its .ui beside its .c;
#   2. that .ui is in tf-app.gresource.xml;
#   3. the class sets it as its template (gtk_widget_class_set_template_from_resource).
# Not widgets, so no template: objects (G_TYPE_OBJECT: the session, a QR code
# paintable), layout managers, the application, interfaces.
# Prints TAP.
set -euo pipefail
top=${TF_SOURCE_DIR:?}
cd "$top/client/app"

echo "1..3"
no_ui="" not_bundled="" not_set=""
for c in tf-*.c; do
  parent=$(grep -oE 'G_DEFINE_(FINAL_)?TYPE(_WITH_CODE|_WITH_PRIVATE)? *\([^,]+, *[a-z_]+, *[A-Z_]+' "$c" |
           head -1 | sed -E 's/.*, *//') || true
  case "$parent" in
    ""|G_TYPE_OBJECT|GTK_TYPE_LAYOUT_MANAGER|ADW_TYPE_APPLICATION) continue ;;
  esac
  ui=${c%.c}.ui
  [ -f "$ui" ] || { no_ui="$no_ui $c"; continue; }
  grep -q ">$ui</file>" tf-app.gresource.xml || not_bundled="$not_bundled $ui"
  grep -q "gtk_widget_class_set_template_from_resource" "$c" || not_set="$not_set $c"
done
if [ -z "$no_ui" ]; then echo "ok 1 every widget class has its .ui"; else
  echo "not ok 1 widget classes without a .ui:$no_ui"; fi
if [ -z "$not_bundled" ]; then echo "ok 2 every template is in the GResource"; else
  echo "not ok 2 not in tf-app.gresource.xml:$not_bundled"; fi
if [ -z "$not_set" ]; then echo "ok 3 every widget class uses its template"; else
  echo "not ok 3 no gtk_widget_class_set_template_from_resource in:$not_set"; fi
