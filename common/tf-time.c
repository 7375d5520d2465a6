/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-time.c: the time encodings of the wire format and the practice's wall
 * clock (see tf-time.h for the encodings).
 *
 * The parsers are hand-written and strict: they accept exactly the grammar in
 * the header and nothing GLib's ISO 8601 parser would also let through (basic
 * format, week and ordinal dates, missing seconds, a space for 'T').  Wall
 * times are turned into instants by trying every offset the zone uses near
 * that day and keeping the instants that really show that wall time; none
 * means a gap, two mean an overlap, and the caller's policy decides.  Nothing
 * here asks the C library or GLib to guess.
 */
#define G_LOG_DOMAIN "tf-time"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tf-error.h"
#include "tf-time.h"

#define SECONDS_PER_DAY (24 * 60 * 60)

/* No zone has ever been more than about 26 hours from UTC, so every instant
 * that can show a given wall time lies within this many seconds of the wall
 * time read as UTC. */
#define CANDIDATE_WINDOW (2 * SECONDS_PER_DAY)

/* Bad input is quoted in error messages; keep a hostile megabyte out of them. */
#define MAX_QUOTED_CHARS 64

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/* A copy of @text fit to show in a message: valid UTF-8, and shortened with an
 * ellipsis if it is long. */
static char *
dup_for_message (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  g_autofree char *head = NULL;

  if (g_utf8_strlen (valid, -1) <= MAX_QUOTED_CHARS)
    return g_steal_pointer (&valid);

  head = g_utf8_substring (valid, 0, MAX_QUOTED_CHARS);
  return g_strconcat (head, "…", NULL);
}

static gboolean
is_valid_date (int year,
               int month,
               int day)
{
  /* GDateTime covers years 1 to 9999; so do we. */
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
    return FALSE;

  return day <= g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year);
}

/* Reads exactly @n_digits ASCII digits at *@pos and advances past them. */
static gboolean
scan_digits (const char **pos,
             int          n_digits,
             int         *value)
{
  int result = 0;
  int i;

  for (i = 0; i < n_digits; i++)
    {
      char c = (*pos)[i];

      /* Stops at the terminating NUL too, so we never read past it. */
      if (!g_ascii_isdigit (c))
        return FALSE;
      result = result * 10 + (c - '0');
    }

  *pos += n_digits;
  *value = result;
  return TRUE;
}

static gboolean
scan_char (const char **pos,
           char         c)
{
  if (**pos != c)
    return FALSE;
  (*pos)++;
  return TRUE;
}

/* "YYYY-MM-DD", a real calendar date. */
static gboolean
scan_date (const char **pos,
           int         *year,
           int         *month,
           int         *day)
{
  return scan_digits (pos, 4, year) && scan_char (pos, '-') &&
         scan_digits (pos, 2, month) && scan_char (pos, '-') &&
         scan_digits (pos, 2, day) && is_valid_date (*year, *month, *day);
}

/* "HH:MM:SS", 00:00:00 to 23:59:59. */
static gboolean
scan_time (const char **pos,
           int         *hour,
           int         *minute,
           int         *second)
{
  return scan_digits (pos, 2, hour) && *hour <= 23 && scan_char (pos, ':') &&
         scan_digits (pos, 2, minute) && *minute <= 59 && scan_char (pos, ':') &&
         scan_digits (pos, 2, second) && *second <= 59;
}

/* Fractional seconds after the '.': one or more digits.  GDateTime holds
 * microseconds, so digits past the sixth are read and dropped (truncation,
 * never rounding into the next second). */
static gboolean
scan_fraction (const char **pos,
               int         *microseconds)
{
  int result = 0;
  int n_kept = 0;

  if (!g_ascii_isdigit (**pos))
    return FALSE;

  for (; g_ascii_isdigit (**pos); (*pos)++)
    {
      if (n_kept < 6)
        {
          result = result * 10 + (**pos - '0');
          n_kept++;
        }
    }
  for (; n_kept < 6; n_kept++)
    result *= 10;

  *microseconds = result;
  return TRUE;
}

/* "Z", "z" or "+HH:MM" / "-HH:MM" ("-00:00" is UTC with an unknown local
 * offset, which for an instant is simply UTC). */
static gboolean
scan_offset (const char **pos,
             int         *offset_seconds)
{
  int sign;
  int hours;
  int minutes;

  switch (**pos)
    {
    case 'Z':
    case 'z':
      (*pos)++;
      *offset_seconds = 0;
      return TRUE;
    case '+':
      sign = 1;
      break;
    case '-':
      sign = -1;
      break;
    default:
      return FALSE;
    }
  (*pos)++;

  if (!scan_digits (pos, 2, &hours) || hours > 23 || !scan_char (pos, ':') ||
      !scan_digits (pos, 2, &minutes) || minutes > 59)
    return FALSE;

  *offset_seconds = sign * (hours * 3600 + minutes * 60);
  return TRUE;
}

/* An IANA zone name as GLib should look it up: components of ASCII letters,
 * digits, '_', '+' and '-', each starting with a capital letter.  This keeps
 * out absolute paths, "..", the non-zone files in the zoneinfo directory
 * (GLib emits a critical on "zone.tab") and the posix/ and right/ trees.
 * A name without '/' must also be free of digits and must not be "Z": for
 * those GLib falls back to reading a POSIX TZ rule ("XYZ3") or a UTC offset
 * when no such file exists, which would make any rule-shaped typo "known".
 * The legacy digit names (EST5EDT, GMT0) are refused with them; each has a
 * canonical name. */
static gboolean
is_zone_name (const char *tzid)
{
  gboolean has_slash = (strchr (tzid, '/') != NULL);
  gboolean at_component_start = TRUE;
  const char *p;

  if (g_str_equal (tzid, "Z"))
    return FALSE;

  for (p = tzid; *p != '\0'; p++)
    {
      char c = *p;

      if (at_component_start)
        {
          if (!g_ascii_isupper (c))
            return FALSE;
          at_component_start = FALSE;
        }
      else if (c == '/')
        at_component_start = TRUE;
      else if (g_ascii_isdigit (c))
        {
          if (!has_slash)
            return FALSE;
        }
      else if (!g_ascii_isalpha (c) && c != '_' && c != '+' && c != '-')
        return FALSE;
    }

  /* Empty name or trailing '/'. */
  return !at_component_start;
}

/* Loading a zone reads and expands its zoneinfo file (about 200 µs for
 * Athens), and GLib forgets it when the last reference goes, so the zones we
 * have found are kept for the life of the process.  Only names that exist
 * are kept, so hostile input cannot grow the table past the few hundred
 * installed zones.  A tzdata update is seen after a restart. */
static GMutex zones_lock;
static GHashTable *zones; /* owned name -> owned GTimeZone */

/* A new reference to the zone named @tzid, or NULL if GLib does not know it.
 * @tzid must already have passed is_zone_name(). */
static GTimeZone *
dup_known_zone (const char *tzid)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&zones_lock);
  GTimeZone *tz;

  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal,
                                   g_free, (GDestroyNotify) g_time_zone_unref);

  tz = g_hash_table_lookup (zones, tzid);
  if (tz == NULL)
    {
      /* g_time_zone_new_identifier() returns NULL for unknown names (GLib
       * 2.68+), where g_time_zone_new() silently gave UTC. */
      tz = g_time_zone_new_identifier (tzid);
      if (tz == NULL)
        return NULL;
      g_hash_table_insert (zones, g_strdup (tzid), tz);
    }

  return g_time_zone_ref (tz);
}

/* The zone for @tzid (NULL = the practice default), or NULL if unknown. */
static GTimeZone *
lookup_zone (const char  *tzid,
             GError     **error)
{
  GTimeZone *tz = NULL;

  if (tzid == NULL)
    tzid = TF_DEFAULT_TIMEZONE;

  if (is_zone_name (tzid))
    tz = dup_known_zone (tzid);

  if (tz == NULL)
    {
      g_autofree char *quoted = dup_for_message (tzid);

      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: %s is a time zone name such as “Europe/Athens”. */
                   _("Unknown time zone “%s”"), quoted);
    }

  return tz;
}

static void
set_out_of_range_error (GError     **error,
                        const char  *what)
{
  g_autofree char *quoted = dup_for_message (what);

  g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
               /* Translators: %s is a date and time; years 1 to 9999 are supported. */
               _("“%s” is outside the supported range of dates"), quoted);
}

/* "YYYY-MM-DD HH:MM:SS", for messages about a wall time. */
static char *
format_wall_time (int year,
                  int month,
                  int day,
                  int seconds_of_day)
{
  g_autofree char *date = tf_time_format_date (year, month, day);
  g_autofree char *time = tf_time_format_time (seconds_of_day);

  return g_strconcat (date, " ", time, NULL);
}

/* The first instant of the interval after @interval, knowing that @before
 * lies in @interval or earlier and @after in a later interval. */
static gint64
find_transition (GTimeZone *tz,
                 int        interval,
                 gint64     before,
                 gint64     after)
{
  g_assert (before < after);

  while (after - before > 1)
    {
      gint64 mid = before + (after - before) / 2;

      if (g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, mid) > interval)
        after = mid;
      else
        before = mid;
    }

  return after;
}

/* ------------------------------------------------------------------------ */
/* Timestamps, dates and times                                               */
/* ------------------------------------------------------------------------ */

GDateTime *
tf_time_parse_timestamp (const char  *text,
                         GError     **error)
{
  const char *pos = text;
  int year, month, day;
  int hour, minute, second;
  int microseconds = 0;
  int offset_seconds;
  g_autoptr(GDateTime) wall = NULL;
  GDateTime *result;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!scan_date (&pos, &year, &month, &day) ||
      !(scan_char (&pos, 'T') || scan_char (&pos, 't')) ||
      !scan_time (&pos, &hour, &minute, &second) ||
      (scan_char (&pos, '.') && !scan_fraction (&pos, &microseconds)) ||
      !scan_offset (&pos, &offset_seconds) ||
      *pos != '\0')
    {
      g_autofree char *quoted = dup_for_message (text);

      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: %s is the rejected text; RFC 3339 looks like
                    * 2026-03-29T01:30:00Z. */
                   _("“%s” is not an RFC 3339 timestamp"), quoted);
      return NULL;
    }

  /* The fields are valid, so this cannot fail; the offset and the fraction
   * are applied as a whole number of microseconds so no floating-point
   * seconds are involved.  That shift can leave GDateTime's range
   * (0001-01-01T00:00:00+01:00). */
  wall = g_date_time_new_utc (year, month, day, hour, minute, second);
  g_assert (wall != NULL);
  result = g_date_time_add (wall, microseconds - (GTimeSpan) offset_seconds * G_TIME_SPAN_SECOND);
  if (result == NULL)
    set_out_of_range_error (error, text);

  return result;
}

char *
tf_time_format_timestamp (GDateTime *dt)
{
  g_autoptr(GDateTime) utc = NULL;
  int microseconds;

  g_return_val_if_fail (dt != NULL, NULL);

  /* NULL only for a local time in year 9999 whose UTC is in year 10000. */
  utc = g_date_time_to_utc (dt);
  g_return_val_if_fail (utc != NULL, NULL);

  microseconds = g_date_time_get_microsecond (utc);
  if (microseconds == 0)
    return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                            g_date_time_get_year (utc),
                            g_date_time_get_month (utc),
                            g_date_time_get_day_of_month (utc),
                            g_date_time_get_hour (utc),
                            g_date_time_get_minute (utc),
                            g_date_time_get_second (utc));

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                          g_date_time_get_year (utc),
                          g_date_time_get_month (utc),
                          g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc),
                          g_date_time_get_minute (utc),
                          g_date_time_get_second (utc),
                          microseconds);
}

/* @year, @month and @day may be NULL to only validate. */
gboolean
tf_time_parse_date (const char  *text,
                    int         *year,
                    int         *month,
                    int         *day,
                    GError     **error)
{
  const char *pos = text;
  int y, m, d;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!scan_date (&pos, &y, &m, &d) || *pos != '\0')
    {
      g_autofree char *quoted = dup_for_message (text);

      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: %s is the rejected text; keep YYYY-MM-DD as it is, it
                    * is the required form (2026-03-29). */
                   _("“%s” is not a date of the form YYYY-MM-DD"), quoted);
      return FALSE;
    }

  if (year != NULL)
    *year = y;
  if (month != NULL)
    *month = m;
  if (day != NULL)
    *day = d;
  return TRUE;
}

/* @seconds_of_day may be NULL to only validate. */
gboolean
tf_time_parse_time (const char  *text,
                    int         *seconds_of_day,
                    GError     **error)
{
  const char *pos = text;
  int hour, minute, second;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!scan_time (&pos, &hour, &minute, &second) || *pos != '\0')
    {
      g_autofree char *quoted = dup_for_message (text);

      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: %s is the rejected text; keep HH:MM:SS as it is, it is
                    * the required form (09:30:00). */
                   _("“%s” is not a time of the form HH:MM:SS"), quoted);
      return FALSE;
    }

  if (seconds_of_day != NULL)
    *seconds_of_day = hour * 3600 + minute * 60 + second;
  return TRUE;
}

char *
tf_time_format_date (int year,
                     int month,
                     int day)
{
  g_return_val_if_fail (is_valid_date (year, month, day), NULL);

  return g_strdup_printf ("%04d-%02d-%02d", year, month, day);
}

char *
tf_time_format_time (int seconds_of_day)
{
  g_return_val_if_fail (seconds_of_day >= 0 && seconds_of_day < SECONDS_PER_DAY, NULL);

  return g_strdup_printf ("%02d:%02d:%02d",
                          seconds_of_day / 3600,
                          seconds_of_day / 60 % 60,
                          seconds_of_day % 60);
}

/* ------------------------------------------------------------------------ */
/* Wall clock                                                                */
/* ------------------------------------------------------------------------ */

/* A wall time being placed in its zone. */
typedef struct
{
  GTimeZone *tz;
  int        year, month, day, seconds_of_day;
  gint64     wall;   /* the wall time read as if it were UTC */
  int        first;  /* the zone's intervals around that day: @first ... @last */
  int        last;
} WallTime;

/* The instants that show @w's wall time; returns how many, the earliest
 * and the latest.  An instant t shows it exactly when t + offset(t) ==
 * wall.  Intervals are numbered in time order; the offset of interval i
 * gives the instant wall - offset, which counts only if it falls inside
 * interval i.  Candidates come out in time order, and two intervals with
 * the same offset cannot yield the same instant twice. */
static int
find_instants (const WallTime *w, gint64 *earliest, gint64 *latest)
{
  int n_found = 0;

  for (int interval = w->first; interval <= w->last; interval++)
    {
      gint64 candidate = w->wall - g_time_zone_get_offset (w->tz, interval);

      if (g_time_zone_find_interval (w->tz, G_TIME_TYPE_UNIVERSAL, candidate) != interval)
        continue;
      if (n_found == 0)
        *earliest = candidate;
      *latest = candidate;
      n_found++;
    }
  return n_found;
}

/* Overlap: the clocks went back over @w's wall time, shown at @earliest
 * and at @latest. */
static gboolean
place_in_overlap (const WallTime *w, TfTimeLocalPolicy policy, gint64 earliest, gint64 latest,
                  gint64 *instant, GError **error)
{
  if (policy == TF_TIME_LOCAL_STRICT)
    {
      g_autofree char *what = format_wall_time (w->year, w->month, w->day, w->seconds_of_day);

      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   /* Translators: the first %s is a date and time (2026-10-25
                    * 03:30:00), the second a time zone name.  Said when the clocks go
                    * back and the same wall time happens twice. */
                   _("%s happens twice in the time zone “%s” (the clocks go back)"),
                   what, g_time_zone_get_identifier (w->tz));
      return FALSE;
    }
  *instant = (policy == TF_TIME_LOCAL_EARLIER) ? earliest : latest;
  return TRUE;
}

/* Gap: the clocks went forward over @w's wall time, which no instant
 * shows.  Let f(i) compare the interval holding wall - offset(i) with i.
 * With no candidate f is never zero; it is positive at @first (the window
 * is wider than any offset) and negative at @last, so some neighbours i,
 * i + 1 have f(i) > 0 > f(i + 1).  Read with i's offset the wall time lies
 * past the end of i, read with i + 1's offset before its start: it falls in
 * the gap at that transition. */
static gboolean
place_in_gap (const WallTime *w, TfTimeLocalPolicy policy, gint64 *instant, GError **error)
{
  gint64 after_gap = 0;  /* wall - offset(i): the wall time shifted forward */
  gint64 before_gap = 0; /* wall - offset(i + 1) */
  int interval;

  for (interval = w->first; interval < w->last; interval++)
    {
      after_gap = w->wall - g_time_zone_get_offset (w->tz, interval);
      before_gap = w->wall - g_time_zone_get_offset (w->tz, interval + 1);

      if (g_time_zone_find_interval (w->tz, G_TIME_TYPE_UNIVERSAL, after_gap) > interval &&
          g_time_zone_find_interval (w->tz, G_TIME_TYPE_UNIVERSAL, before_gap) <= interval)
        break;
    }
  g_assert (interval < w->last);

  switch (policy)
    {
    case TF_TIME_LOCAL_STRICT:
      {
        g_autofree char *what = format_wall_time (w->year, w->month, w->day, w->seconds_of_day);

        g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                     /* Translators: the first %s is a date and time (2026-03-29
                      * 03:30:00), the second a time zone name.  Said when the clocks
                      * go forward and skip that wall time. */
                     _("%s does not exist in the time zone “%s” (the clocks go forward)"),
                     what, g_time_zone_get_identifier (w->tz));
        return FALSE;
      }
    case TF_TIME_LOCAL_EARLIER:
      *instant = find_transition (w->tz, interval, before_gap, after_gap);
      return TRUE;
    case TF_TIME_LOCAL_LATER:
    default:
      *instant = after_gap;
      return TRUE;
    }
}

/* The date must be a calendar date and @seconds_of_day in 0 ... 86399 (what
 * the parsers above produce); breaking that is a programming error. */
GDateTime *
tf_time_local_to_utc (const char         *tzid,
                      int                 year,
                      int                 month,
                      int                 day,
                      int                 seconds_of_day,
                      TfTimeLocalPolicy   policy,
                      GError            **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  WallTime w = { NULL, year, month, day, seconds_of_day, 0, 0, 0 };
  gint64 earliest = 0;
  gint64 latest = 0;
  int n_found;
  gint64 instant;
  GDateTime *result;

  g_return_val_if_fail (is_valid_date (year, month, day), NULL);
  g_return_val_if_fail (seconds_of_day >= 0 && seconds_of_day < SECONDS_PER_DAY, NULL);
  g_return_val_if_fail (policy == TF_TIME_LOCAL_STRICT ||
                        policy == TF_TIME_LOCAL_EARLIER ||
                        policy == TF_TIME_LOCAL_LATER, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tz = lookup_zone (tzid, error);
  if (tz == NULL)
    return NULL;

  midnight = g_date_time_new_utc (year, month, day, 0, 0, 0);
  w.tz = tz;
  w.wall = g_date_time_to_unix (midnight) + seconds_of_day;
  /* Each offset in force around that day. */
  w.first = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, w.wall - CANDIDATE_WINDOW);
  w.last = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, w.wall + CANDIDATE_WINDOW);

  n_found = find_instants (&w, &earliest, &latest);
  if (n_found == 1)
    instant = earliest;
  else if (n_found > 1 ? !place_in_overlap (&w, policy, earliest, latest, &instant, error)
                       : !place_in_gap (&w, policy, &instant, error))
    return NULL;

  result = g_date_time_new_from_unix_utc (instant);
  if (result == NULL)
    {
      g_autofree char *what = format_wall_time (year, month, day, seconds_of_day);

      set_out_of_range_error (error, what);
    }
  return result;
}

GDateTime *
tf_time_utc_to_local (const char  *tzid,
                      GDateTime   *utc,
                      GError     **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  GDateTime *result;

  g_return_val_if_fail (utc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tz = lookup_zone (tzid, error);
  if (tz == NULL)
    return NULL;

  /* NULL when the local date leaves GDateTime's range (9999-12-31T23:00Z in
   * a zone east of UTC). */
  result = g_date_time_to_timezone (utc, tz);
  if (result == NULL)
    {
      /* In @utc's own zone: that rendering always exists. */
      g_autofree char *what = g_date_time_format_iso8601 (utc);

      set_out_of_range_error (error, what);
    }
  return result;
}

gboolean
tf_time_zone_is_known (const char *tzid)
{
  g_autoptr(GTimeZone) tz = NULL;

  g_return_val_if_fail (tzid != NULL, FALSE);

  if (!is_zone_name (tzid))
    return FALSE;

  tz = dup_known_zone (tzid);
  return tz != NULL;
}
