/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-recurrence.c: the occurrences of a repeating appointment (the rules
 * are in tf-recurrence.h).
 *
 * Each occurrence is worked out as a local date and the series' wall time,
 * and only then turned into an instant with tf_time_local_to_utc(), so all
 * zone arithmetic stays in tf-time.c.  TF_TIME_LOCAL_EARLIER gives the first
 * instant of a repeated wall time; for a wall time in a gap it gives the
 * instant the clocks jump, which read back shows another wall time — that
 * is how a gap is told apart, and then TF_TIME_LOCAL_LATER moves the
 * occurrence forward by the gap.
 */
#define G_LOG_DOMAIN "tf-recurrence"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tf-error.h"
#include "tf-recurrence.h"
#include "tf-time.h"

static const char * const repeat_names[] = { "weekly", "biweekly", "monthly" };

gboolean
tf_repeat_from_string (const char *text, TfRepeat *repeat, GError **error)
{
  g_return_val_if_fail (repeat != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (repeat_names); i++)
    if (g_strcmp0 (text, repeat_names[i]) == 0)
      {
        *repeat = (TfRepeat) i;
        return TRUE;
      }
  g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ALLOWED,
               /* Translators: keep weekly, biweekly and monthly as they are: they are
                * what the command takes. */
               _("“%s” is not a repeat: weekly, biweekly or monthly"), text ? text : "");
  return FALSE;
}

const char *
tf_repeat_to_string (TfRepeat repeat)
{
  g_return_val_if_fail ((guint) repeat < G_N_ELEMENTS (repeat_names), NULL);
  return repeat_names[repeat];
}

void
tf_occurrence_free (TfOccurrence *occurrence)
{
  if (occurrence == NULL)
    return;
  g_free (occurrence->date);
  g_clear_pointer (&occurrence->start, g_date_time_unref);
  g_free (occurrence);
}

/* ------------------------------------------------------------------------ */
/* Dates                                                                     */
/* ------------------------------------------------------------------------ */

static int
week_of_month (const GDate *date)
{
  int week = (g_date_get_day (date) - 1) / 7 + 1;

  return week == 5 ? -1 : week;
}

/* The @week-th (1 ... 4, or -1 for the last) @weekday of @month of @year. */
static void
set_weekday_of_month (GDate *date, int year, int month, GDateWeekday weekday, int week)
{
  g_date_clear (date, 1);
  if (week > 0)
    {
      g_date_set_dmy (date, 1, (GDateMonth) month, (GDateYear) year);
      g_date_add_days (date, (weekday - g_date_get_weekday (date) + 7) % 7 + 7 * (week - 1));
    }
  else
    {
      g_date_set_dmy (date, g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year),
                      (GDateMonth) month, (GDateYear) year);
      g_date_subtract_days (date, (g_date_get_weekday (date) - weekday + 7) % 7);
    }
}

/* The local date of occurrence @index of a series whose first is @first. */
static void
occurrence_date (TfRepeat repeat, const GDate *first, guint index, GDate *date)
{
  int months, year, month;

  switch (repeat)
    {
    case TF_REPEAT_WEEKLY:
    case TF_REPEAT_BIWEEKLY:
      *date = *first;
      g_date_add_days (date, index * (repeat == TF_REPEAT_WEEKLY ? 7 : 14));
      return;
    case TF_REPEAT_MONTHLY:
      months = (g_date_get_month (first) - 1) + (int) index;
      year = g_date_get_year (first) + months / 12;
      month = months % 12 + 1;
      set_weekday_of_month (date, year, month, g_date_get_weekday (first),
                            week_of_month (first));
      return;
    default:
      g_assert_not_reached ();
    }
}

static char *
format_gdate (const GDate *date)
{
  return tf_time_format_date (g_date_get_year (date), g_date_get_month (date),
                              g_date_get_day (date));
}

/* ------------------------------------------------------------------------ */
/* Occurrences                                                               */
/* ------------------------------------------------------------------------ */

/* @date at @seconds wall time in @tzid; *@shifted when the clocks skip it. */
static GDateTime *
place_occurrence (const char *tzid, const GDate *date, int seconds, gboolean *shifted,
                  GError **error)
{
  int y = g_date_get_year (date), m = g_date_get_month (date), d = g_date_get_day (date);
  g_autoptr(GDateTime) earlier = NULL, local = NULL;

  earlier = tf_time_local_to_utc (tzid, y, m, d, seconds, TF_TIME_LOCAL_EARLIER, error);
  if (earlier == NULL)
    return NULL;
  local = tf_time_utc_to_local (tzid, earlier, error);
  if (local == NULL)
    return NULL;
  *shifted = g_date_time_get_day_of_month (local) != d ||
             g_date_time_get_hour (local) * 3600 + g_date_time_get_minute (local) * 60 +
               g_date_time_get_second (local) != seconds;
  if (!*shifted)
    return g_steal_pointer (&earlier);
  return tf_time_local_to_utc (tzid, y, m, d, seconds, TF_TIME_LOCAL_LATER, error);
}

/* @exceptions by date, each checked; NULL on a bad or repeated date. */
static GHashTable *
index_exceptions (GPtrArray *exceptions, GError **error)
{
  g_autoptr(GHashTable) by_date = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; exceptions != NULL && i < exceptions->len; i++)
    {
      TfRecurrenceException *e = g_ptr_array_index (exceptions, i);

      g_return_val_if_fail (e != NULL && e->date != NULL, NULL);
      if (!tf_time_parse_date (e->date, NULL, NULL, NULL, error))
        return NULL;
      if (g_hash_table_contains (by_date, e->date))
        {
          g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                       /* Translators: %s is a date, 2026-04-14. */
                       _("the occurrence of %s is changed twice"), e->date);
          return NULL;
        }
      g_hash_table_insert (by_date, (gpointer) e->date, e);
    }
  return g_steal_pointer (&by_date);
}

static gboolean
check_end (const TfRecurrence *rule, const GDate *first, GDate *until, GError **error)
{
  int y, m, d;

  if ((rule->until == NULL) == (rule->count == 0))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("a repeating appointment needs an end: a last date or a number of "
                     "occurrences, not both"));
      return FALSE;
    }
  if (rule->count > TF_RECURRENCE_MAX_COUNT)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("a series has at most %d occurrences, not %u"), TF_RECURRENCE_MAX_COUNT,
                   rule->count);
      return FALSE;
    }
  if (rule->until == NULL)
    return TRUE;
  if (!tf_time_parse_date (rule->until, &y, &m, &d, error))
    return FALSE;
  g_date_clear (until, 1);
  g_date_set_dmy (until, (GDateDay) d, (GDateMonth) m, (GDateYear) y);
  if (g_date_compare (until, first) < 0)
    {
      g_autofree char *first_text = format_gdate (first);

      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   /* Translators: both are dates, 2026-04-14. */
                   _("the series ends on %s, before its first appointment on %s"),
                   rule->until, first_text);
      return FALSE;
    }
  return TRUE;
}

static TfOccurrence *
make_occurrence (const TfRecurrence *rule, const GDate *first, guint index, int seconds,
                 GError **error)
{
  g_autoptr(TfOccurrence) occurrence = g_new0 (TfOccurrence, 1);
  GDate date;
  gboolean shifted = FALSE;

  occurrence_date (rule->repeat, first, index, &date);
  occurrence->index = index;
  occurrence->date = format_gdate (&date);
  if (index == 0)
    occurrence->start = g_date_time_to_utc (rule->first);
  else
    occurrence->start = place_occurrence (rule->tzid, &date, seconds, &shifted, error);
  if (occurrence->start == NULL)
    return NULL;
  occurrence->state = shifted ? TF_OCCURRENCE_SHIFTED : TF_OCCURRENCE_SCHEDULED;
  return g_steal_pointer (&occurrence);
}

static gboolean
apply_exception (TfOccurrence *occurrence, GHashTable *exceptions)
{
  TfRecurrenceException *e = g_hash_table_lookup (exceptions, occurrence->date);

  if (e == NULL)
    return FALSE;
  if (e->moved_to == NULL)
    occurrence->state = TF_OCCURRENCE_CANCELLED;
  else
    {
      g_date_time_unref (occurrence->start);
      occurrence->start = g_date_time_to_utc (e->moved_to);
      occurrence->state = TF_OCCURRENCE_MOVED;
    }
  return TRUE;
}

GPtrArray *
tf_recurrence_expand (const TfRecurrence *rule, GPtrArray *exceptions, GError **error)
{
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GHashTable) by_date = NULL;
  g_autoptr(GDateTime) local = NULL;
  GDate first, until, date;
  guint used = 0;
  int seconds;

  g_return_val_if_fail (rule != NULL && rule->first != NULL, NULL);
  g_return_val_if_fail ((guint) rule->repeat < G_N_ELEMENTS (repeat_names), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  local = tf_time_utc_to_local (rule->tzid, rule->first, error);
  if (local == NULL)
    return NULL;
  g_date_clear (&first, 1);
  g_date_set_dmy (&first, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  seconds = g_date_time_get_hour (local) * 3600 + g_date_time_get_minute (local) * 60 +
            g_date_time_get_second (local);
  if (!check_end (rule, &first, &until, error))
    return NULL;
  by_date = index_exceptions (exceptions, error);
  if (by_date == NULL)
    return NULL;

  occurrences = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_occurrence_free);
  for (guint index = 0;; index++)
    {
      TfOccurrence *occurrence;

      if (rule->count != 0 && index == rule->count)
        break;
      occurrence_date (rule->repeat, &first, index, &date);
      if (rule->until != NULL && g_date_compare (&date, &until) > 0)
        break;
      if (index == TF_RECURRENCE_MAX_COUNT)
        {
          g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE,
                       /* Translators: %s is a date, 2026-04-14. */
                       _("a series has at most %d occurrences; up to %s it would have more: "
                         "choose an earlier last date"), TF_RECURRENCE_MAX_COUNT, rule->until);
          return NULL;
        }
      occurrence = make_occurrence (rule, &first, index, seconds, error);
      if (occurrence == NULL)
        return NULL;
      if (apply_exception (occurrence, by_date))
        used++;
      g_ptr_array_add (occurrences, occurrence);
    }

  if (used < g_hash_table_size (by_date))
    {
      GHashTableIter iter;
      const char *date_text;

      g_hash_table_iter_init (&iter, by_date);
      while (g_hash_table_iter_next (&iter, (gpointer *) &date_text, NULL))
        {
          gboolean found = FALSE;

          for (guint i = 0; i < occurrences->len && !found; i++)
            found = g_str_equal (((TfOccurrence *) occurrences->pdata[i])->date, date_text);
          if (!found)
            {
              g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                           /* Translators: %s is a date, 2026-04-14. */
                           _("the series has no appointment on %s to change"), date_text);
              return NULL;
            }
        }
    }
  return g_steal_pointer (&occurrences);
}

int
tf_recurrence_get_week_of_month (GDateTime *first, const char *tzid)
{
  g_autoptr(GDateTime) local = NULL;
  GDate date;

  g_return_val_if_fail (first != NULL, 0);

  local = tf_time_utc_to_local (tzid, first, NULL);
  if (local == NULL)
    return 0;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  return week_of_month (&date);
}
