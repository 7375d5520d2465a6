/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-preferences.h: the app's settings (data/…gschema.xml), and applying
 * language and time zone at start; tf-preferences-window.h edits them.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The app's settings, or NULL when the schema is not installed (a build
 * run from its folder without GSETTINGS_SCHEMA_DIR). */
GSettings *tf_preferences_settings_new   (void);

/* Applies the language and time-zone settings to this process.  Call
 * first thing in main(), before setlocale() and before any thread starts:
 * it sets LANGUAGE and TZ. */
void       tf_preferences_apply_at_start (void);

/* TRUE when @zone names a time zone GLib knows. */
gboolean   tf_preferences_zone_is_valid  (const char *zone);

G_END_DECLS
