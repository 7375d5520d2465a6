/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goal-row.h: one goal on the goals page — its title, how often and
 * how it goes, a check mark that marks it done today ("done") and Edit
 * ("edit").
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_GOAL_ROW (tf_goal_row_get_type ())
G_DECLARE_FINAL_TYPE (TfGoalRow, tf_goal_row, TF, GOAL_ROW, AdwActionRow)

/* The row (named "goal-<id>") of the goal @goal_id called @title, @subtitle
 * below; the check mark is the suggested action until the goal is
 * @done_today. */
GtkWidget  *tf_goal_row_new         (const char *goal_id,
                                     const char *title,
                                     const char *subtitle,
                                     gboolean    done_today);
const char *tf_goal_row_get_goal_id (TfGoalRow  *self);
const char *tf_goal_row_get_title   (TfGoalRow  *self);

G_END_DECLS
