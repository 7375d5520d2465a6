/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-streaks.h: current and best streaks of a goal from the days it was
 * done.  Pure arithmetic on dates; no store, no GTK.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @frequency: "daily", "weekly" or "monthly" (NULL: daily).
 * @dates: "YYYY-MM-DD" strings, in any order, repeats and invalid ones
 * ignored.  @today: the local date "YYYY-MM-DD".
 *
 * A period (day, ISO week Monday–Sunday, calendar month) counts when at
 * least one date falls in it.  *@best receives the longest run of
 * consecutive periods; *@current the run that ends in today's period or,
 * when today's is not done yet, in the one before (a streak is not lost
 * until its period has passed), else 0. */
void tf_streaks_compute (const char *frequency,
                         GPtrArray  *dates,
                         const char *today,
                         guint      *current,
                         guint      *best);

/* How many distinct days of @dates fall in today's period of @frequency
 * (as above: today, this ISO week, this calendar month): what "1 of 3 this
 * week" counts.  Repeats and invalid dates are not counted. */
guint tf_streaks_count_in_period (const char *frequency,
                                  GPtrArray  *dates,
                                  const char *today);

G_END_DECLS
