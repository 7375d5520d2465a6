/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-streaks.c: a goal's current and best streak — daily, weekly (ISO
 * weeks) and monthly — across gaps and week, month and year boundaries.
 */
#include "config.h"

#include "tf-streaks.h"

typedef struct { guint current, best; } Streak;

/* The streaks of @frequency for the NULL-terminated dates, on @today. */
static Streak
streaks (const char *frequency, const char *today, ...)
{
  g_autoptr(GPtrArray) dates = g_ptr_array_new ();
  Streak s = { 99, 99 };
  const char *date;
  va_list args;

  va_start (args, today);
  while ((date = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (dates, (gpointer) date);
  va_end (args);
  tf_streaks_compute (frequency, dates, today, &s.current, &s.best);
  return s;
}

#define assert_streak(s, c, b) \
  G_STMT_START { Streak s_ = (s); g_assert_cmpuint (s_.current, ==, (c)); \
                 g_assert_cmpuint (s_.best, ==, (b)); } G_STMT_END

static void
test_empty (void)
{
  guint current = 7, best = 7;

  assert_streak (streaks ("daily", "2026-03-10", NULL), 0, 0);
  assert_streak (streaks ("weekly", "2026-03-10", NULL), 0, 0);
  assert_streak (streaks ("monthly", "2026-03-10", NULL), 0, 0);
  tf_streaks_compute ("daily", NULL, "2026-03-10", &current, &best);
  g_assert_cmpuint (current, ==, 0);
  g_assert_cmpuint (best, ==, 0);
}

static void
test_one_day (void)
{
  assert_streak (streaks ("daily", "2026-03-10", "2026-03-10", NULL), 1, 1);
  assert_streak (streaks (NULL, "2026-03-10", "2026-03-10", NULL), 1, 1);
  /* Long ago: a best streak, no current one. */
  assert_streak (streaks ("daily", "2026-03-10", "2026-01-02", NULL), 0, 1);
}

static void
test_gap (void)
{
  /* 1–4 March, then 7–8 March. */
  assert_streak (streaks ("daily", "2026-03-08", "2026-03-07", "2026-03-01", "2026-03-03",
                          "2026-03-02", "2026-03-08", "2026-03-04", NULL), 2, 4);
  /* Repeats count once; invalid dates are ignored. */
  assert_streak (streaks ("daily", "2026-03-08", "2026-03-08", "2026-03-08", "2026-02-30",
                          "yesterday", "2026-03-07", NULL), 2, 2);
}

static void
test_today_or_yesterday (void)
{
  /* Not done yet today: yesterday's streak still stands. */
  assert_streak (streaks ("daily", "2026-03-10", "2026-03-08", "2026-03-09", NULL), 2, 2);
  /* Done today too. */
  assert_streak (streaks ("daily", "2026-03-10", "2026-03-08", "2026-03-09", "2026-03-10",
                          NULL), 3, 3);
  /* The day before yesterday: broken. */
  assert_streak (streaks ("daily", "2026-03-10", "2026-03-07", "2026-03-08", NULL), 0, 2);
}

static void
test_week_boundaries (void)
{
  /* Sunday 8 March and Monday 9 March 2026 are in consecutive ISO weeks
   * (10 and 11); today is Wednesday of week 11. */
  assert_streak (streaks ("weekly", "2026-03-11", "2026-03-08", "2026-03-09", NULL), 2, 2);
  /* Monday and Sunday of the same week are one period. */
  assert_streak (streaks ("weekly", "2026-03-15", "2026-03-09", "2026-03-15", NULL), 1, 1);
  /* Last week done, this week not yet: the streak stands. */
  assert_streak (streaks ("weekly", "2026-03-11", "2026-02-25", "2026-03-04", NULL), 2, 2);
  /* A week skipped (week 9, then week 11): broken. */
  assert_streak (streaks ("weekly", "2026-03-11", "2026-02-23", "2026-03-09", NULL), 1, 1);
  /* Two weeks ago: no current streak. */
  assert_streak (streaks ("weekly", "2026-03-11", "2026-02-25", NULL), 0, 1);
}

static void
test_month_boundaries (void)
{
  /* 31 January and 1 February: two months in a row. */
  assert_streak (streaks ("monthly", "2026-02-01", "2026-01-31", "2026-02-01", NULL), 2, 2);
  /* 1 and 28 February: one month. */
  assert_streak (streaks ("monthly", "2026-02-28", "2026-02-01", "2026-02-28", NULL), 1, 1);
  /* January and March without February. */
  assert_streak (streaks ("monthly", "2026-03-15", "2026-01-15", "2026-03-01", NULL), 1, 1);
  /* Last month done, not yet this month. */
  assert_streak (streaks ("monthly", "2026-04-02", "2026-02-10", "2026-03-31", NULL), 2, 2);
  /* Daily across a month's end, in a leap year. */
  assert_streak (streaks ("daily", "2024-03-01", "2024-02-28", "2024-02-29", "2024-03-01",
                          NULL), 3, 3);
}

static void
test_year_boundary (void)
{
  assert_streak (streaks ("daily", "2026-01-01", "2025-12-30", "2025-12-31", "2026-01-01",
                          NULL), 3, 3);
  /* Monday 29 December 2025 is in ISO week 1 of 2026, with 1 January;
   * Sunday 28 December 2025 is week 52 of 2025. */
  assert_streak (streaks ("weekly", "2026-01-01", "2025-12-28", "2025-12-29", NULL), 2, 2);
  assert_streak (streaks ("weekly", "2026-01-04", "2025-12-29", "2026-01-04", NULL), 1, 1);
  /* ISO 2020 has 53 weeks: 31 December 2020 (week 53) and 4 January 2021
   * (week 1 of 2021) are consecutive. */
  assert_streak (streaks ("weekly", "2021-01-05", "2020-12-24", "2020-12-31", "2021-01-04",
                          NULL), 3, 3);
  assert_streak (streaks ("monthly", "2026-01-20", "2025-11-03", "2025-12-31", "2026-01-01",
                          NULL), 3, 3);
}

/* "1 of 3 this week": the days done in today's period only. */
static void
test_count_in_period (void)
{
  g_autoptr(GPtrArray) dates = g_ptr_array_new ();
  const char *days[] = { "2026-03-09", "2026-03-10", "2026-03-10", "2026-03-08", "2026-02-28",
                         "2026-03-15", "2026-03-16", "not a date" };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    g_ptr_array_add (dates, (gpointer) days[i]);
  /* Tuesday 10 March 2026: the week is Monday 9 – Sunday 15. */
  g_assert_cmpuint (tf_streaks_count_in_period ("weekly", dates, "2026-03-10"), ==, 3);
  g_assert_cmpuint (tf_streaks_count_in_period ("daily", dates, "2026-03-10"), ==, 1);
  g_assert_cmpuint (tf_streaks_count_in_period (NULL, dates, "2026-03-10"), ==, 1);
  g_assert_cmpuint (tf_streaks_count_in_period ("monthly", dates, "2026-03-10"), ==, 5);
  g_assert_cmpuint (tf_streaks_count_in_period ("monthly", dates, "2026-02-01"), ==, 1);
  g_assert_cmpuint (tf_streaks_count_in_period ("weekly", dates, "2026-03-17"), ==, 1);
  g_assert_cmpuint (tf_streaks_count_in_period ("weekly", NULL, "2026-03-17"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tf/streaks/empty", test_empty);
  g_test_add_func ("/tf/streaks/count-in-period", test_count_in_period);
  g_test_add_func ("/tf/streaks/one-day", test_one_day);
  g_test_add_func ("/tf/streaks/gap", test_gap);
  g_test_add_func ("/tf/streaks/today-or-yesterday", test_today_or_yesterday);
  g_test_add_func ("/tf/streaks/week-boundaries", test_week_boundaries);
  g_test_add_func ("/tf/streaks/month-boundaries", test_month_boundaries);
  g_test_add_func ("/tf/streaks/year-boundary", test_year_boundary);
  return g_test_run ();
}
