/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goals-list.h: an account's goals as the app lists them, each with how
 * it goes — done today, its streaks, the days done in this period — a
 * repository (tf-repository.h) that reloads by itself when a goal or a
 * mark of one done changes, a sync's pulled pages included.
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* This account's goals, live, newest first: a TfItem per goal, its stored
 * fields (id, title, frequency, target_count, ...) and, from its marks of
 * goal_progress and the local date of the load, done_today (boolean),
 * current_streak, best_streak and done_in_period (tf-streaks.h). */
TfRepository *tf_goals_list_new (TfVault *vault);

G_END_DECLS
