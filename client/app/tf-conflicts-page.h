/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflicts-page.h: the records changed on two devices before they
 * synced — both versions side by side (stacked on a narrow window), the
 * fields that differ marked, and the choice: keep this device's, the
 * server's, or (where a second record does no harm) both.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_CONFLICTS_PAGE (tf_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (TfConflictsPage, tf_conflicts_page, TF, CONFLICTS_PAGE, GtkWidget)

/* The conflicts of the unlocked @session, kept current: the list reloads
 * after every write to the profile and every sync (TfSession::synced).
 * ::saved (message) and ::failed (message) tell the window what to say.
 * The "count" property (guint, notified when it changes) is the number of
 * conflicts waiting, for a badge or to hide the view when there are none. */
GtkWidget *tf_conflicts_page_new       (TfSession       *session);
guint      tf_conflicts_page_get_count (TfConflictsPage *self);

G_END_DECLS
