/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-page.h: a client's history — the check-in streak, mood,
 * energy and anxiety over the last 30, 90 or 365 days, and a calendar of
 * mood by day.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_HISTORY_PAGE (tf_history_page_get_type ())
G_DECLARE_FINAL_TYPE (TfHistoryPage, tf_history_page, TF, HISTORY_PAGE, GtkWidget)

/* The session must be unlocked.  The page follows the store by itself. */
GtkWidget *tf_history_page_new        (TfSession     *session);

/* The current and best streak, in days, as shown. */
guint      tf_history_page_get_streak (TfHistoryPage *self,
                                       guint         *out_best);

G_END_DECLS
