/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-preferences-window.h: the preferences window.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_PREFERENCES_WINDOW (tf_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (TfPreferencesWindow, tf_preferences_window, TF, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* Server, language, time zone, idle lock and keyring, for @session, over
 * @parent; @settings NULL (no schema installed) shows them unavailable.
 * Turning the keyring off forgets a remembered password at once.  Shown;
 * owned by GTK. */
GtkWidget *tf_preferences_window_new (GtkWindow *parent,
                                      GSettings *settings,
                                      TfSession *session);

G_END_DECLS
