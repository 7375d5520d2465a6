/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-slots.c: the free appointment slots of a therapist (the rules are in
 * tf-slots.h).
 *
 * Each local date is handled on its own.  The day's windows are worked out
 * in wall-clock seconds (merge the available rows, cut out the unavailable
 * ones), and only then is each slot's wall time turned into an instant with
 * tf_time_local_to_utc(), so all zone arithmetic stays in tf-time.c.  The
 * policy TF_TIME_LOCAL_EARLIER gives the first occurrence in an overlap and,
 * for a wall time inside a gap, the instant the clocks jump; reading that
 * instant back as a wall time tells a gap (it shows another wall time) from
 * a real time, which is how a slot start in a gap is skipped while a window
 * end in a gap becomes the jump instant.
 */
#define G_LOG_DOMAIN "tf-slots"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tf-error.h"
#include "tf-record.h"
#include "tf-slots.h"
#include "tf-time.h"

#define SECONDS_PER_DAY (24 * 60 * 60)

/* A stretch of one local day in wall-clock seconds, [start, end); end may be
 * SECONDS_PER_DAY (midnight at the end of the day). */
typedef struct
{
  int start;
  int end;
} WallSpan;

/* An availability row with its effective dates as Julian day numbers. */
typedef struct
{
  const TfAvailability *row;
  guint32               first_day; /* 0 when effective_from is NULL */
  guint32               last_day;  /* G_MAXUINT32 when effective_until is NULL */
} Rule;

/* A booking as microseconds since the Unix epoch, [start, end). */
typedef struct
{
  gint64 start;
  gint64 end;
} BusySpan;

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static gint64
instant_usec (GDateTime *dt)
{
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* "YYYY-MM-DD" -> a GDate; the message on failure names the text. */
static gboolean
parse_date (const char  *text,
            GDate       *date,
            GError     **error)
{
  int year, month, day;

  if (!tf_time_parse_date (text, &year, &month, &day, error))
    return FALSE;

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  return TRUE;
}

static gboolean
parse_julian (const char  *text,
              guint32     *julian,
              GError     **error)
{
  GDate date;

  if (!parse_date (text, &date, error))
    return FALSE;

  *julian = g_date_get_julian (&date);
  return TRUE;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const WallSpan *x = a;
  const WallSpan *y = b;

  return (x->start > y->start) - (x->start < y->start);
}

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const TfSlot *x = *(TfSlot * const *) a;
  const TfSlot *y = *(TfSlot * const *) b;

  return g_date_time_compare (x->start, y->start);
}

/* Does @rule apply on the date with Julian day @julian, weekday @dow? */
static gboolean
rule_applies (const Rule *rule,
              guint32     julian,
              int         dow)
{
  return rule->row->day_of_week == dow &&
         julian >= rule->first_day && julian <= rule->last_day;
}

/* The windows of one day, in wall-clock seconds, sorted and disjoint. */
static GArray *
build_day_windows (GArray  *rules,
                   guint32  julian,
                   int      dow)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (WallSpan));
  g_autoptr(GArray) merged = g_array_new (FALSE, FALSE, sizeof (WallSpan));
  guint i, j;

  for (i = 0; i < rules->len; i++)
    {
      const Rule *rule = &g_array_index (rules, Rule, i);
      WallSpan span = { rule->row->start_seconds, rule->row->end_seconds };

      if (rule->row->is_available && rule_applies (rule, julian, dow))
        g_array_append_val (open, span);
    }

  /* Overlapping or touching rows are one stretch of availability; without
   * merging, an overlap would offer the same time twice. */
  g_array_sort (open, compare_spans);
  for (i = 0; i < open->len; i++)
    {
      const WallSpan *span = &g_array_index (open, WallSpan, i);
      WallSpan *last = merged->len > 0 ?
                       &g_array_index (merged, WallSpan, merged->len - 1) : NULL;

      if (last != NULL && span->start <= last->end)
        last->end = MAX (last->end, span->end);
      else
        g_array_append_val (merged, *span);
    }

  for (i = 0; i < rules->len; i++)
    {
      const Rule *rule = &g_array_index (rules, Rule, i);
      int cut_start = rule->row->start_seconds;
      int cut_end = rule->row->end_seconds;
      g_autoptr(GArray) rest = NULL;

      if (rule->row->is_available || !rule_applies (rule, julian, dow))
        continue;

      rest = g_array_new (FALSE, FALSE, sizeof (WallSpan));
      for (j = 0; j < merged->len; j++)
        {
          const WallSpan *span = &g_array_index (merged, WallSpan, j);

          if (cut_end <= span->start || cut_start >= span->end)
            {
              g_array_append_val (rest, *span);
              continue;
            }
          if (span->start < cut_start)
            {
              WallSpan before = { span->start, cut_start };

              g_array_append_val (rest, before);
            }
          if (cut_end < span->end)
            {
              WallSpan after = { cut_end, span->end };

              g_array_append_val (rest, after);
            }
        }
      g_clear_pointer (&merged, g_array_unref);
      merged = g_steal_pointer (&rest);
    }

  return g_steal_pointer (&merged);
}

/* The instant of wall time @seconds (0 ... SECONDS_PER_DAY) on @date in
 * @tzid: the first occurrence in an overlap, the instant the clocks jump for
 * a wall time inside a gap.  If @exists is not NULL it is set to whether the
 * wall time really happens (FALSE inside a gap). */
static GDateTime *
resolve_wall_time (const char   *tzid,
                   const GDate  *date,
                   int           seconds,
                   gboolean     *exists,
                   GError      **error)
{
  GDate day = *date;
  g_autoptr(GDateTime) instant = NULL;
  g_autoptr(GDateTime) shown = NULL;
  int year, month, mday;

  g_assert (seconds >= 0 && seconds <= SECONDS_PER_DAY);

  /* 24:00:00 is midnight of the next date, which may not be 00:00 + 24 h. */
  if (seconds == SECONDS_PER_DAY)
    {
      if (g_date_get_year (&day) == 9999 && g_date_get_month (&day) == G_DATE_DECEMBER &&
          g_date_get_day (&day) == 31)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                       /* Translators: %s is a date and time; years 1 to 9999 are supported. */
                       _("“%s” is outside the supported range of dates"),
                       "9999-12-31 24:00:00");
          return NULL;
        }
      g_date_add_days (&day, 1);
      seconds = 0;
    }

  year = g_date_get_year (&day);
  month = g_date_get_month (&day);
  mday = g_date_get_day (&day);

  instant = tf_time_local_to_utc (tzid, year, month, mday, seconds,
                                  TF_TIME_LOCAL_EARLIER, error);
  if (instant == NULL)
    return NULL;

  if (exists != NULL)
    {
      shown = tf_time_utc_to_local (tzid, instant, error);
      if (shown == NULL)
        return NULL;
      *exists = g_date_time_get_year (shown) == year &&
                g_date_time_get_month (shown) == month &&
                g_date_time_get_day_of_month (shown) == mday &&
                g_date_time_get_hour (shown) * 3600 + g_date_time_get_minute (shown) * 60 +
                g_date_time_get_second (shown) == seconds;
    }

  return g_steal_pointer (&instant);
}

static gboolean
overlaps_booking (GArray *busy,
                  gint64  start,
                  gint64  end)
{
  guint i;

  for (i = 0; i < busy->len; i++)
    {
      const BusySpan *span = &g_array_index (busy, BusySpan, i);

      if (start < span->end && span->start < end)
        return TRUE;
    }
  return FALSE;
}

/* Appends to @slots the free slots of @window on @date. */
static gboolean
add_window_slots (GPtrArray       *slots,
                  const char      *tzid,
                  const GDate     *date,
                  const WallSpan  *window,
                  int              duration_minutes,
                  GArray          *busy,
                  GDateTime       *now,
                  GError         **error)
{
  g_autoptr(GDateTime) window_end = NULL;
  g_autoptr(GDateTime) previous_end = NULL;
  int step = duration_minutes * 60;
  int seconds;

  window_end = resolve_wall_time (tzid, date, window->end, NULL, error);
  if (window_end == NULL)
    return FALSE;

  for (seconds = window->start; seconds < window->end; seconds += step)
    {
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;
      gboolean exists = FALSE;
      TfSlot *slot;

      start = resolve_wall_time (tzid, date, seconds, &exists, error);
      if (start == NULL)
        return FALSE;
      if (!exists)
        continue;

      /* NULL only past year 9999, which is past the window's end too. */
      end = g_date_time_add_minutes (start, duration_minutes);
      if (end == NULL || g_date_time_compare (end, window_end) > 0)
        continue;

      /* Only after the clocks go forward can a wall-clock step be shorter
       * than the slot.  Decided before bookings and @now, so the grid does
       * not shift when a booking comes or goes. */
      if (previous_end != NULL && g_date_time_compare (start, previous_end) < 0)
        continue;
      g_clear_pointer (&previous_end, g_date_time_unref);
      previous_end = g_date_time_ref (end);

      if (now != NULL && g_date_time_compare (start, now) < 0)
        continue;
      if (overlaps_booking (busy, instant_usec (start), instant_usec (end)))
        continue;

      slot = g_new0 (TfSlot, 1);
      slot->start = g_steal_pointer (&start);
      slot->end = g_steal_pointer (&end);
      g_ptr_array_add (slots, slot);
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Public API                                                                */
/* ------------------------------------------------------------------------ */

/* @from … @to (YYYY-MM-DD) as Julian days, and @duration_minutes, within
 * the limits a request may ask for. */
static gboolean
check_range (const char *from, const char *to, int duration_minutes, guint32 *first_day,
             guint32 *last_day, GError **error)
{
  GDate first, last;

  if (duration_minutes <= 0 || duration_minutes > TF_SLOTS_MAX_DURATION)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: both %d are numbers of minutes, the first the longest
                    * allowed (1440), the second the rejected value. */
                   _("An appointment must last from 1 to %d minutes, not %d"),
                   TF_SLOTS_MAX_DURATION, duration_minutes);
      return FALSE;
    }

  if (!parse_date (from, &first, error) || !parse_date (to, &last, error))
    return FALSE;
  *first_day = g_date_get_julian (&first);
  *last_day = g_date_get_julian (&last);
  if (*first_day > *last_day)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: both %s are dates (2026-03-29). */
                   _("The first date %s is after the last date %s"), from, to);
      return FALSE;
    }
  if ((gint64) *last_day - *first_day >= TF_SLOTS_MAX_DAYS)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: both %s are dates (2026-03-29), %d is a number of
                    * days (366). */
                   _("The dates %s to %s span more than %d days"),
                   from, to, TF_SLOTS_MAX_DAYS);
      return FALSE;
    }
  return TRUE;
}

/* The weekly windows with the days they hold from and until. */
static GArray *
load_rules (GPtrArray *availability, GError **error)
{
  g_autoptr(GArray) rules = NULL;

  rules = g_array_sized_new (FALSE, FALSE, sizeof (Rule), availability ? availability->len : 0);
  for (guint i = 0; availability != NULL && i < availability->len; i++)
    {
      Rule rule = { g_ptr_array_index (availability, i), 0, G_MAXUINT32 };

      if (rule.row->effective_from != NULL &&
          !parse_julian (rule.row->effective_from, &rule.first_day, error))
        return NULL;
      if (rule.row->effective_until != NULL &&
          !parse_julian (rule.row->effective_until, &rule.last_day, error))
        return NULL;
      g_array_append_val (rules, rule);
    }
  return g_steal_pointer (&rules);
}

/* A day off or a period of them, as Julian days, both included. */
typedef struct
{
  guint32 first;
  guint32 last;
} DaySpan;

/* The blocked dates and periods as spans of Julian days. */
static GArray *
load_blocked_days (GPtrArray *blocked, GError **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (DaySpan));

  for (guint i = 0; blocked != NULL && i < blocked->len; i++)
    {
      const TfBlocked *b = g_ptr_array_index (blocked, i);
      DaySpan span;

      if (!parse_julian (b->first_date, &span.first, error))
        return NULL;
      span.last = span.first;
      if (b->last_date != NULL && !parse_julian (b->last_date, &span.last, error))
        return NULL;
      if (span.last < span.first)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                       /* Translators: both %s are dates (2026-08-01). */
                       _("A blocked period cannot end (%s) before it starts (%s)"),
                       b->last_date, b->first_date);
          return NULL;
        }
      g_array_append_val (spans, span);
    }
  return g_steal_pointer (&spans);
}

static gboolean
is_blocked_day (GArray *spans, guint32 julian)
{
  for (guint i = 0; i < spans->len; i++)
    {
      const DaySpan *span = &g_array_index (spans, DaySpan, i);

      if (julian >= span->first && julian <= span->last)
        return TRUE;
    }
  return FALSE;
}

/* The booked appointments as spans of instants. */
static GArray *
load_busy (GPtrArray *booked)
{
  GArray *busy = g_array_sized_new (FALSE, FALSE, sizeof (BusySpan), booked ? booked->len : 0);

  for (guint i = 0; booked != NULL && i < booked->len; i++)
    {
      const TfBooked *booking = g_ptr_array_index (booked, i);
      BusySpan span;

      span.start = instant_usec (booking->start);
      span.end = span.start + (gint64) booking->duration_minutes * 60 * G_USEC_PER_SEC;
      g_array_append_val (busy, span);
    }
  return busy;
}

GPtrArray *
tf_slots_compute (const char  *tzid,
                  const char  *from,
                  const char  *to,
                  int          duration_minutes,
                  GPtrArray   *availability,
                  GPtrArray   *blocked,
                  GPtrArray   *booked,
                  GDateTime   *now,
                  GError     **error)
{
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GArray) rules = NULL;
  g_autoptr(GArray) busy = NULL;
  g_autoptr(GArray) blocked_days = NULL;
  g_autoptr(GDateTime) probe = NULL;
  g_autoptr(GDateTime) probe_local = NULL;
  guint32 first_day, last_day, julian;
  guint i;

  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (to != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Rows come from validated records; a bad one is the caller's bug. */
  for (i = 0; availability != NULL && i < availability->len; i++)
    {
      const TfAvailability *row = g_ptr_array_index (availability, i);

      g_return_val_if_fail (row != NULL, NULL);
      g_return_val_if_fail (row->day_of_week >= 0 && row->day_of_week <= 6, NULL);
      g_return_val_if_fail (row->start_seconds >= 0, NULL);
      g_return_val_if_fail (row->end_seconds > row->start_seconds, NULL);
      g_return_val_if_fail (row->end_seconds <= SECONDS_PER_DAY, NULL);
    }
  for (i = 0; booked != NULL && i < booked->len; i++)
    {
      const TfBooked *booking = g_ptr_array_index (booked, i);

      g_return_val_if_fail (booking != NULL && booking->start != NULL, NULL);
      g_return_val_if_fail (booking->duration_minutes > 0, NULL);
    }
  for (i = 0; blocked != NULL && i < blocked->len; i++)
    {
      const TfBlocked *b = g_ptr_array_index (blocked, i);

      g_return_val_if_fail (b != NULL && b->first_date != NULL, NULL);
    }

  if (!check_range (from, to, duration_minutes, &first_day, &last_day, error))
    return NULL;

  /* Check the zone once, with tf-time's own message, even when no window
   * would ever need it. */
  probe = g_date_time_new_utc (2000, 1, 1, 0, 0, 0);
  probe_local = tf_time_utc_to_local (tzid, probe, error);
  if (probe_local == NULL)
    return NULL;

  rules = load_rules (availability, error);
  if (rules == NULL)
    return NULL;
  blocked_days = load_blocked_days (blocked, error);
  if (blocked_days == NULL)
    return NULL;
  busy = load_busy (booked);

  slots = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_slot_free);
  for (julian = first_day; julian <= last_day; julian++)
    {
      g_autoptr(GArray) windows = NULL;
      GDate date;
      int dow;

      if (is_blocked_day (blocked_days, julian))
        continue;

      g_date_clear (&date, 1);
      g_date_set_julian (&date, julian);
      /* GDate counts Monday = 1 ... Sunday = 7; the schema Sunday = 0. */
      dow = g_date_get_weekday (&date) % 7;

      windows = build_day_windows (rules, julian, dow);
      for (i = 0; i < windows->len; i++)
        {
          if (!add_window_slots (slots, tzid, &date, &g_array_index (windows, WallSpan, i),
                                 duration_minutes, busy, now, error))
            return NULL;
        }
    }

  /* Already in order: the first occurrence of a wall time never comes
   * before that of an earlier wall time.  Sorting keeps the promise in the
   * header without leaning on that. */
  g_ptr_array_sort (slots, compare_slots);

  return g_steal_pointer (&slots);
}

void
tf_slot_free (TfSlot *slot)
{
  if (slot == NULL)
    return;

  g_clear_pointer (&slot->start, g_date_time_unref);
  g_clear_pointer (&slot->end, g_date_time_unref);
  g_free (slot);
}

gboolean
tf_availability_init_from_fields (TfAvailability *a, JsonObject *fields)
{
  const char *start, *end;

  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  start = tf_json_get_string (fields, "start_time");
  end = tf_json_get_string (fields, "end_time");

  a->day_of_week = (int) json_object_get_int_member_with_default (fields, "day_of_week", -1);
  if (a->day_of_week < 0 || a->day_of_week > 6 || start == NULL || end == NULL ||
      !tf_time_parse_time (start, &a->start_seconds, NULL) ||
      !tf_time_parse_time (end, &a->end_seconds, NULL))
    return FALSE;
  if (a->end_seconds == 0)
    a->end_seconds = 86400;
  if (a->start_seconds >= a->end_seconds)
    return FALSE;
  a->is_available = json_object_get_boolean_member_with_default (fields, "is_available", TRUE);
  a->effective_from = tf_json_get_string (fields, "effective_from");
  a->effective_until = tf_json_get_string (fields, "effective_until");
  return TRUE;
}

gboolean
tf_blocked_init_from_fields (TfBlocked *b, JsonObject *fields)
{
  g_return_val_if_fail (b != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  b->first_date = tf_json_get_string (fields, "blocked_date");
  b->last_date = tf_json_get_string (fields, "end_date");
  return b->first_date != NULL;
}

gboolean
tf_blocked_contains (const TfBlocked *b, const char *date)
{
  g_return_val_if_fail (b != NULL && b->first_date != NULL, FALSE);
  g_return_val_if_fail (date != NULL, FALSE);

  return strcmp (date, b->first_date) >= 0 &&
         strcmp (date, b->last_date != NULL ? b->last_date : b->first_date) <= 0;
}

gboolean
tf_slots_within_hours (const char *tzid, GPtrArray *availability, GDateTime *start,
                       int duration_minutes, gboolean *out_within, GError **error)
{
  g_autoptr(GDateTime) local = NULL, end = NULL;
  g_autoptr(GArray) rules = NULL, windows = NULL;
  GDate date;

  g_return_val_if_fail (start != NULL, FALSE);
  g_return_val_if_fail (out_within != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out_within = FALSE;
  if (duration_minutes <= 0 || duration_minutes > TF_SLOTS_MAX_DURATION)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("An appointment must last from 1 to %d minutes, not %d"),
                   TF_SLOTS_MAX_DURATION, duration_minutes);
      return FALSE;
    }
  local = tf_time_utc_to_local (tzid, start, error);
  if (local == NULL)
    return FALSE;
  rules = load_rules (availability, error);
  if (rules == NULL)
    return FALSE;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  windows = build_day_windows (rules, g_date_get_julian (&date), g_date_get_weekday (&date) % 7);
  end = g_date_time_add_minutes (start, duration_minutes);
  for (guint i = 0; i < windows->len && !*out_within && end != NULL; i++)
    {
      const WallSpan *window = &g_array_index (windows, WallSpan, i);
      g_autoptr(GDateTime) from = resolve_wall_time (tzid, &date, window->start, NULL, error);
      g_autoptr(GDateTime) until = NULL;

      if (from == NULL)
        return FALSE;
      until = resolve_wall_time (tzid, &date, window->end, NULL, error);
      if (until == NULL)
        return FALSE;
      *out_within = g_date_time_compare (start, from) >= 0 &&
                    g_date_time_compare (end, until) <= 0;
    }
  return TRUE;
}
