/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-streaks.c: streak arithmetic for goals.
 *
 * Every date is mapped to the index of its period, so that consecutive
 * periods have consecutive indices: the Julian day for "daily", the Julian
 * day of the week's Monday divided by seven for "weekly" (ISO weeks start
 * on Monday, and GLib's Julian day 1, 1 January of year 1, is a Monday),
 * and year × 12 + month for "monthly".  Streaks are then runs of
 * consecutive indices in the sorted, de-duplicated list.
 */
#define G_LOG_DOMAIN "tf-streaks"

#include "config.h"

#include "tf-streaks.h"
#include "tf-time.h"

typedef enum { PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH } Period;

/* The period index of @text, or FALSE when it is not a real date. */
static gboolean
period_index (Period period, const char *text, gint64 *out)
{
  int year, month, day;
  GDate date;

  if (text == NULL || !tf_time_parse_date (text, &year, &month, &day, NULL) ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  switch (period)
    {
    case PERIOD_WEEK:
      *out = (gint64) (g_date_get_julian (&date) - 1) / 7;
      break;
    case PERIOD_MONTH:
      *out = (gint64) year * 12 + (month - 1);
      break;
    case PERIOD_DAY:
    default:
      *out = g_date_get_julian (&date);
      break;
    }
  return TRUE;
}

static int
compare_index (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

void
tf_streaks_compute (const char *frequency, GPtrArray *dates, const char *today, guint *current,
                    guint *best)
{
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (gint64));
  Period period = PERIOD_DAY;
  gint64 now = 0;
  gboolean have_now;
  guint run = 0, longest = 0, ending_now = 0;

  g_return_if_fail (current != NULL);
  g_return_if_fail (best != NULL);

  if (g_strcmp0 (frequency, "weekly") == 0)
    period = PERIOD_WEEK;
  else if (g_strcmp0 (frequency, "monthly") == 0)
    period = PERIOD_MONTH;
  else
    g_return_if_fail (frequency == NULL || g_strcmp0 (frequency, "daily") == 0);

  for (guint i = 0; dates != NULL && i < dates->len; i++)
    {
      gint64 index;

      if (period_index (period, g_ptr_array_index (dates, i), &index))
        g_array_append_val (indices, index);
    }
  g_array_sort (indices, compare_index);
  have_now = period_index (period, today, &now);

  for (guint i = 0; i < indices->len; i++)
    {
      gint64 index = g_array_index (indices, gint64, i);

      if (i > 0 && index == g_array_index (indices, gint64, i - 1))
        continue;
      if (i > 0 && run > 0 && index == g_array_index (indices, gint64, i - 1) + 1)
        run++;
      else
        run = 1;
      longest = MAX (longest, run);
      /* The run that reaches today's period, or the one before it. */
      if (have_now && (index == now || index == now - 1))
        ending_now = run;
    }
  *current = ending_now;
  *best = longest;
}

guint
tf_streaks_count_in_period (const char *frequency, GPtrArray *dates, const char *today)
{
  g_autoptr(GHashTable) days = g_hash_table_new (g_str_hash, g_str_equal);
  Period period = PERIOD_DAY;
  gint64 now = 0;

  if (g_strcmp0 (frequency, "weekly") == 0)
    period = PERIOD_WEEK;
  else if (g_strcmp0 (frequency, "monthly") == 0)
    period = PERIOD_MONTH;
  if (!period_index (period, today, &now))
    return 0;
  for (guint i = 0; dates != NULL && i < dates->len; i++)
    {
      const char *date = g_ptr_array_index (dates, i);
      gint64 index;

      /* A real date names its day once: the string is its key. */
      if (period_index (period, date, &index) && index == now)
        g_hash_table_add (days, (gpointer) date);
    }
  return g_hash_table_size (days);
}
