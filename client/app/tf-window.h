/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window.h: the main window — first run, unlock, and the pages of the
 * signed-in person (tf-page.h), with the sync state in the header and the
 * account's actions in the primary menu.
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

/* The header's words for the sync @state with @pending changes waiting
 * and the last sync at @last (NULL: never), as seen at @now: in full, or
 * @compact for a narrow window. */
char     *tf_window_describe_sync (TfSyncState  state,
                                   gint64       pending,
                                   GDateTime   *last,
                                   GDateTime   *now,
                                   gboolean     compact);

G_END_DECLS
