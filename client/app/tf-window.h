/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window.h: the main window — first run, unlock, and the views of the
 * signed-in person, with the sync state in the header.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_WINDOW (tf_window_get_type ())
G_DECLARE_FINAL_TYPE (TfWindow, tf_window, TF, WINDOW, AdwApplicationWindow)

TfWindow *tf_window_new (GtkApplication *application,
                         TfSession      *session);

/* Locks after @seconds without key or pointer activity (0: never).  The
 * idle-lock-minutes setting sets it; tests set it directly. */
void      tf_window_set_idle_lock (TfWindow *self,
                                   guint     seconds);

G_END_DECLS
