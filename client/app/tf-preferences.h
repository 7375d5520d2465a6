/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-preferences.h: the app's settings (data/…gschema.xml) — the window
 * that edits them, and applying language and time zone at start.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

/* The app's settings, or NULL when the schema is not installed (a build
 * run from its folder without GSETTINGS_SCHEMA_DIR). */
GSettings *tf_preferences_settings_new   (void);

/* Applies the language and time-zone settings to this process.  Call
 * first thing in main(), before setlocale() and before any thread starts:
 * it sets LANGUAGE and TZ. */
void       tf_preferences_apply_at_start (void);

/* Server, language, time zone, idle lock and keyring, for @session.
 * Turning the keyring off forgets a remembered password at once. */
GtkWidget *tf_preferences_window_new     (GtkWindow *parent,
                                          GSettings *settings,
                                          TfSession *session);

G_END_DECLS
