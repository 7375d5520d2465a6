/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goals-page.h: a client's goals and habits — daily, weekly or monthly,
 * marked done for today, with the current and best streak of each.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_GOALS_PAGE (tf_goals_page_get_type ())
G_DECLARE_FINAL_TYPE (TfGoalsPage, tf_goals_page, TF, GOALS_PAGE, GtkWidget)

/* ::saved (message) and ::failed (message) tell the window what to say. */
GtkWidget *tf_goals_page_new (TfSession *session);

G_END_DECLS
