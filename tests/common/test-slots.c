/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-slots.c: the free-slot computation the device offers times from and
 * the server will check bookings with: weekly windows, effective dates,
 * unavailable windows, blocked dates, bookings, the "now" cut-off, both
 * daylight-saving changes in Europe/Athens (and in America/New_York, to show
 * nothing is tied to Athens), and the inputs it must refuse.
 *
 * Expected instants are worked out by hand from the zone rules (checked
 * against zdump: Athens goes to +03 at 2026-03-29T01:00Z and back to +02 at
 * 2026-10-25T01:00Z; New York goes to -04 at 2026-03-08T07:00Z and back to
 * -05 at 2026-11-01T06:00Z); they are not computed by the code under test.
 */
#define G_LOG_DOMAIN "tf-slots"

#include "config.h"

#include <glib.h>

#include "tf-error.h"
#include "tf-slots.h"
#include "tf-time.h"

#define HM(h, m) ((h) * 3600 + (m) * 60)

enum { SUN, MON, TUE, WED, THU, FRI, SAT };

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static GPtrArray *
new_rows (void)
{
  return g_ptr_array_new_with_free_func (g_free);
}

static void
add_window (GPtrArray  *rows,
            int         day_of_week,
            int         start_seconds,
            int         end_seconds,
            gboolean    is_available,
            const char *effective_from,
            const char *effective_until)
{
  TfAvailability *row = g_new0 (TfAvailability, 1);

  row->day_of_week = day_of_week;
  row->start_seconds = start_seconds;
  row->end_seconds = end_seconds;
  row->is_available = is_available;
  row->effective_from = effective_from;
  row->effective_until = effective_until;
  g_ptr_array_add (rows, row);
}

static void
free_booked (TfBooked *booked)
{
  g_date_time_unref (booked->start);
  g_free (booked);
}

static GPtrArray *
new_bookings (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) free_booked);
}

static GDateTime *
parse_stamp (const char *text)
{
  g_autoptr(GError) error = NULL;
  GDateTime *dt = tf_time_parse_timestamp (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (dt);
  return dt;
}

static void
add_booking (GPtrArray  *bookings,
             const char *start,
             int         duration_minutes)
{
  TfBooked *booked = g_new0 (TfBooked, 1);

  booked->start = parse_stamp (start);
  booked->duration_minutes = duration_minutes;
  g_ptr_array_add (bookings, booked);
}

static GPtrArray *
compute (const char *tzid,
         const char *from,
         const char *to,
         int         duration_minutes,
         GPtrArray  *rows,
         GPtrArray  *blocked,
         GPtrArray  *booked,
         GDateTime  *now)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *slots;

  slots = tf_slots_compute (tzid, from, to, duration_minutes, rows, blocked, booked, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (slots);
  return slots;
}

/* @slots are exactly the NULL-terminated RFC 3339 starts that follow, each
 * in UTC and lasting @duration_minutes. */
static void
assert_slots (GPtrArray *slots,
              int        duration_minutes,
              ...)
{
  va_list args;
  const char *expected;
  guint n = 0;

  va_start (args, duration_minutes);
  while ((expected = va_arg (args, const char *)) != NULL)
    {
      TfSlot *slot;
      g_autofree char *start = NULL;

      if (n >= slots->len)
        g_error ("only %u slots, expected one at %s", slots->len, expected);

      slot = g_ptr_array_index (slots, n);
      start = tf_time_format_timestamp (slot->start);
      g_assert_cmpstr (start, ==, expected);
      g_assert_cmpint (g_date_time_get_utc_offset (slot->start), ==, 0);
      g_assert_cmpint (g_date_time_get_utc_offset (slot->end), ==, 0);
      g_assert_cmpint (g_date_time_difference (slot->end, slot->start), ==,
                       (GTimeSpan) duration_minutes * G_TIME_SPAN_MINUTE);
      n++;
    }
  va_end (args);

  if (n != slots->len)
    {
      g_autofree char *extra =
        tf_time_format_timestamp (((TfSlot *) g_ptr_array_index (slots, n))->start);

      g_error ("%u slots, expected %u; the first extra one at %s", slots->len, n, extra);
    }
}

static void
assert_refused (const char *tzid,
                const char *from,
                const char *to,
                int         duration_minutes,
                GPtrArray  *rows,
                GPtrArray  *blocked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) slots = NULL;

  slots = tf_slots_compute (tzid, from, to, duration_minutes, rows, blocked, NULL, NULL, &error);
  if (slots != NULL)
    g_error ("%s .. %s, %d min in %s was accepted with %u slots",
             from, to, duration_minutes, tzid ? tzid : "(default)", slots->len);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, !=, "");
}

/* ------------------------------------------------------------------------ */
/* Weekly windows                                                            */
/* ------------------------------------------------------------------------ */

static void
test_ordinary_week (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) winter = NULL;
  g_autoptr(GPtrArray) summer = NULL;
  g_autoptr(GPtrArray) none = NULL;

  add_window (rows, MON, HM (9, 0), HM (13, 0), TRUE, NULL, NULL);
  /* Sunday is 0, as in PostgreSQL's extract(dow). */
  add_window (rows, SUN, HM (10, 0), HM (11, 0), TRUE, NULL, NULL);

  /* Sunday 4 to Saturday 10 January 2026, Athens at +02.  11:30 + 50 min
   * ends 12:20; 12:20 + 50 min would end after 13:00 (and on Sunday 10:50
   * + 50 min after 11:00). */
  winter = compute (NULL, "2026-01-04", "2026-01-10", 50, rows, NULL, NULL, NULL);
  assert_slots (winter, 50,
                "2026-01-04T08:00:00Z",
                "2026-01-05T07:00:00Z", "2026-01-05T07:50:00Z",
                "2026-01-05T08:40:00Z", "2026-01-05T09:30:00Z",
                NULL);

  /* Monday 6 July 2026, Athens at +03; the same wall times an hour earlier
   * in UTC.  The explicit zone name means the same as NULL. */
  summer = compute ("Europe/Athens", "2026-07-06", "2026-07-06", 50, rows, NULL, NULL, NULL);
  assert_slots (summer, 50,
                "2026-07-06T06:00:00Z", "2026-07-06T06:50:00Z",
                "2026-07-06T07:40:00Z", "2026-07-06T08:30:00Z",
                NULL);

  /* Tuesday to Saturday: no window, an empty list rather than an error. */
  none = compute (NULL, "2026-07-07", "2026-07-11", 50, rows, NULL, NULL, NULL);
  assert_slots (none, 50, NULL);
}

static void
test_window_to_midnight (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) slots = NULL;

  /* 24:00:00 is the end of Monday; the 23:00 slot just fits. */
  add_window (rows, MON, HM (22, 0), 24 * 3600, TRUE, NULL, NULL);

  slots = compute (NULL, "2026-01-05", "2026-01-05", 60, rows, NULL, NULL, NULL);
  assert_slots (slots, 60, "2026-01-05T20:00:00Z", "2026-01-05T21:00:00Z", NULL);
}

static void
test_effective_range (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) slots = NULL;

  /* Mondays 5, 12, 19, 26 January and 2 February 2026.  Both ends of an
   * effective range are included. */
  add_window (rows, MON, HM (9, 0), HM (10, 0), TRUE, "2026-01-12", "2026-01-26");
  add_window (rows, MON, HM (15, 0), HM (16, 0), TRUE, NULL, "2026-01-12");
  add_window (rows, MON, HM (17, 0), HM (18, 0), TRUE, "2026-02-02", NULL);

  slots = compute (NULL, "2026-01-05", "2026-02-02", 60, rows, NULL, NULL, NULL);
  assert_slots (slots, 60,
                "2026-01-05T13:00:00Z",                         /* 15:00, until 12th */
                "2026-01-12T07:00:00Z", "2026-01-12T13:00:00Z", /* first day; last day */
                "2026-01-19T07:00:00Z",
                "2026-01-26T07:00:00Z",                         /* last day of the range */
                "2026-02-02T15:00:00Z",                         /* 17:00, from 2nd */
                NULL);
}

static void
test_unavailable_window (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) slots = NULL;

  /* Tuesdays 09:00-17:00 with lunch 13:00-14:15 cut out.  The afternoon
   * starts its own run of slots at 14:15; the morning's 50-minute grid
   * would have gone on at 14:50. */
  add_window (rows, TUE, HM (9, 0), HM (17, 0), TRUE, NULL, NULL);
  add_window (rows, TUE, HM (13, 0), HM (14, 15), FALSE, NULL, NULL);
  /* Unavailable, but on another weekday, and on Tuesdays only from the 13th. */
  add_window (rows, WED, HM (9, 0), HM (17, 0), FALSE, NULL, NULL);
  add_window (rows, TUE, HM (9, 0), HM (12, 0), FALSE, "2026-01-13", NULL);

  slots = compute (NULL, "2026-01-06", "2026-01-13", 50, rows, NULL, NULL, NULL);
  assert_slots (slots, 50,
                /* Tuesday 6th: 09:00 09:50 10:40 11:30 | 14:15 15:05 15:55 */
                "2026-01-06T07:00:00Z", "2026-01-06T07:50:00Z",
                "2026-01-06T08:40:00Z", "2026-01-06T09:30:00Z",
                "2026-01-06T12:15:00Z", "2026-01-06T13:05:00Z",
                "2026-01-06T13:55:00Z",
                /* Tuesday 13th, mornings off too: 12:00 | 14:15 15:05 15:55 */
                "2026-01-13T10:00:00Z",
                "2026-01-13T12:15:00Z", "2026-01-13T13:05:00Z",
                "2026-01-13T13:55:00Z",
                NULL);
}

static void
test_overlapping_windows (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) slots = NULL;

  /* Monday: two rows that touch at 11:00 are one stretch 09:00-13:00, so
   * the grid runs on (10:40, 11:30) rather than restarting at 11:00. */
  add_window (rows, MON, HM (9, 0), HM (11, 0), TRUE, NULL, NULL);
  add_window (rows, MON, HM (11, 0), HM (13, 0), TRUE, NULL, NULL);
  /* Tuesday: two rows that overlap are one stretch 09:00-13:00 too, with
   * no time offered twice. */
  add_window (rows, TUE, HM (9, 0), HM (12, 0), TRUE, NULL, NULL);
  add_window (rows, TUE, HM (10, 0), HM (13, 0), TRUE, NULL, NULL);

  slots = compute (NULL, "2026-01-05", "2026-01-06", 50, rows, NULL, NULL, NULL);
  assert_slots (slots, 50,
                "2026-01-05T07:00:00Z", "2026-01-05T07:50:00Z",
                "2026-01-05T08:40:00Z", "2026-01-05T09:30:00Z",
                "2026-01-06T07:00:00Z", "2026-01-06T07:50:00Z",
                "2026-01-06T08:40:00Z", "2026-01-06T09:30:00Z",
                NULL);
}

/* ------------------------------------------------------------------------ */
/* Blocked dates, bookings, now                                              */
/* ------------------------------------------------------------------------ */

static void
test_blocked_date (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) blocked = g_ptr_array_new ();
  g_autoptr(GPtrArray) slots = NULL;
  TfBlocked monday = { "2026-01-05", NULL };
  TfBlocked earlier = { "2025-12-29", NULL }; /* outside the range */

  add_window (rows, MON, HM (9, 0), HM (11, 0), TRUE, NULL, NULL);
  add_window (rows, TUE, HM (9, 0), HM (11, 0), TRUE, NULL, NULL);
  g_ptr_array_add (blocked, &monday);
  g_ptr_array_add (blocked, &earlier);

  slots = compute (NULL, "2026-01-05", "2026-01-12", 60, rows, blocked, NULL, NULL);
  assert_slots (slots, 60,
                "2026-01-06T07:00:00Z", "2026-01-06T08:00:00Z",
                "2026-01-12T07:00:00Z", "2026-01-12T08:00:00Z",
                NULL);
}

/* A vacation from Tuesday 6 to Monday 12 January, both included: only
 * Monday 5 and Tuesday 13 keep their slots.  A period that began before
 * the range still blocks its days inside it. */
static void
test_blocked_period (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) blocked = g_ptr_array_new ();
  g_autoptr(GPtrArray) slots = NULL, later = NULL;
  TfBlocked vacation = { "2026-01-06", "2026-01-12" };
  TfBlocked started_before = { "2025-12-20", "2026-01-19" };

  add_window (rows, MON, HM (9, 0), HM (10, 0), TRUE, NULL, NULL);
  add_window (rows, TUE, HM (9, 0), HM (10, 0), TRUE, NULL, NULL);
  g_ptr_array_add (blocked, &vacation);
  slots = compute (NULL, "2026-01-05", "2026-01-13", 60, rows, blocked, NULL, NULL);
  assert_slots (slots, 60,
                "2026-01-05T07:00:00Z",
                "2026-01-13T07:00:00Z",
                NULL);

  g_ptr_array_set_size (blocked, 0);
  g_ptr_array_add (blocked, &started_before);
  later = compute (NULL, "2026-01-12", "2026-01-20", 60, rows, blocked, NULL, NULL);
  assert_slots (later, 60, "2026-01-20T07:00:00Z", NULL);

  g_assert_true (tf_blocked_contains (&vacation, "2026-01-06"));
  g_assert_true (tf_blocked_contains (&vacation, "2026-01-12"));
  g_assert_false (tf_blocked_contains (&vacation, "2026-01-13"));
  g_assert_false (tf_blocked_contains (&vacation, "2026-01-05"));
}

/* A record's fields read as a day off or a period. */
static void
test_blocked_from_fields (void)
{
  g_autoptr(JsonObject) day = json_object_new ();
  g_autoptr(JsonObject) period = json_object_new ();
  g_autoptr(JsonObject) none = json_object_new ();
  TfBlocked b;

  json_object_set_string_member (day, "blocked_date", "2026-08-03");
  json_object_set_null_member (day, "end_date");
  g_assert_true (tf_blocked_init_from_fields (&b, day));
  g_assert_cmpstr (b.first_date, ==, "2026-08-03");
  g_assert_null (b.last_date);
  g_assert_true (tf_blocked_contains (&b, "2026-08-03"));
  g_assert_false (tf_blocked_contains (&b, "2026-08-04"));

  json_object_set_string_member (period, "blocked_date", "2026-08-03");
  json_object_set_string_member (period, "end_date", "2026-08-21");
  g_assert_true (tf_blocked_init_from_fields (&b, period));
  g_assert_true (tf_blocked_contains (&b, "2026-08-15"));
  g_assert_false (tf_blocked_contains (&b, "2026-08-22"));

  g_assert_false (tf_blocked_init_from_fields (&b, none));
}

static gboolean
within (GPtrArray *rows, const char *start, int duration)
{
  g_autoptr(GDateTime) at = parse_stamp (start);
  g_autoptr(GError) error = NULL;
  gboolean inside = TRUE;

  g_assert_true (tf_slots_within_hours ("Europe/Athens", rows, at, duration, &inside, &error));
  g_assert_no_error (error);
  return inside;
}

/* Inside the hours, whatever the grid: Monday 5 January 2026 (EET, +02:00),
 * hours 09:00–17:00 without 12:00–13:00; and Monday 30 March (EEST). */
static void
test_within_hours (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GDateTime) at = parse_stamp ("2026-01-05T08:00:00Z");
  g_autoptr(GError) error = NULL;
  gboolean inside = TRUE;

  add_window (rows, MON, HM (9, 0), HM (17, 0), TRUE, NULL, NULL);
  add_window (rows, MON, HM (12, 0), HM (13, 0), FALSE, NULL, NULL);

  g_assert_true (within (rows, "2026-01-05T08:00:00Z", 50));   /* 10:00, off the grid */
  g_assert_true (within (rows, "2026-01-05T07:00:00Z", 60));   /* 09:00–10:00 */
  g_assert_true (within (rows, "2026-01-05T14:10:00Z", 50));   /* 16:10–17:00, to the end */
  g_assert_true (within (rows, "2026-01-05T11:00:00Z", 50));   /* 13:00, after the cut */
  g_assert_false (within (rows, "2026-01-05T06:30:00Z", 50));  /* 08:30: before */
  g_assert_false (within (rows, "2026-01-05T14:30:00Z", 50));  /* 16:30: past the end */
  g_assert_false (within (rows, "2026-01-05T09:30:00Z", 50));  /* 11:30: into the cut */
  g_assert_false (within (rows, "2026-01-06T08:00:00Z", 50));  /* Tuesday: no hours */
  g_assert_true (within (rows, "2026-03-30T07:00:00Z", 50));   /* 10:00 in summer time */
  g_assert_true (within (rows, "2026-03-30T06:00:00Z", 60));   /* 09:00 in summer time */
  g_assert_false (within (rows, "2026-01-05T06:00:00Z", 60));  /* the same UTC in winter: 08:00 */
  g_assert_false (within (rows, "2026-03-30T09:30:00Z", 50));  /* 12:30 in summer: the cut */

  g_assert_false (tf_slots_within_hours ("Mars/Olympus_Mons", rows, at, 50, &inside, &error));
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (tf_slots_within_hours (NULL, rows, at, 0, &inside, &error));
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
}

static void
test_booking (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) booked = new_bookings ();
  g_autoptr(GPtrArray) slots = NULL;

  /* Monday 09:00 09:50 10:40 11:30 local (07:00Z ...). */
  add_window (rows, MON, HM (9, 0), HM (13, 0), TRUE, NULL, NULL);
  /* Exactly the 09:50 slot: its neighbours end and start at its edges and
   * stay. */
  add_booking (booked, "2026-01-05T07:50:00Z", 50);
  /* Starts mid-slot (11:00 local, given with its offset), ends at 11:30:
   * takes 10:40 but not 11:30. */
  add_booking (booked, "2026-01-05T11:00:00+02:00", 30);
  /* Another day: no effect. */
  add_booking (booked, "2026-01-12T07:00:00Z", 240);

  slots = compute (NULL, "2026-01-05", "2026-01-05", 50, rows, NULL, booked, NULL);
  assert_slots (slots, 50, "2026-01-05T07:00:00Z", "2026-01-05T09:30:00Z", NULL);
}

static void
test_now (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GDateTime) mid_slot = parse_stamp ("2026-01-05T07:55:00Z");
  g_autoptr(GDateTime) at_slot = parse_stamp ("2026-01-05T08:40:00Z");
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) from_edge = NULL;

  add_window (rows, MON, HM (9, 0), HM (13, 0), TRUE, NULL, NULL);

  /* 09:55 local: the 09:50 slot has begun and is gone, as is last week's
   * Monday entirely. */
  slots = compute (NULL, "2025-12-29", "2026-01-05", 50, rows, NULL, NULL, mid_slot);
  assert_slots (slots, 50, "2026-01-05T08:40:00Z", "2026-01-05T09:30:00Z", NULL);

  /* A slot starting exactly now is still offered. */
  from_edge = compute (NULL, "2026-01-05", "2026-01-05", 50, rows, NULL, NULL, at_slot);
  assert_slots (from_edge, 50, "2026-01-05T08:40:00Z", "2026-01-05T09:30:00Z", NULL);
}

/* ------------------------------------------------------------------------ */
/* Daylight saving                                                           */
/* ------------------------------------------------------------------------ */

static void
test_athens_spring_forward (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) end_in_gap = new_rows ();
  g_autoptr(GPtrArray) short_step = new_rows ();
  g_autoptr(GPtrArray) start_in_gap = new_rows ();
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) slots_gap_end = NULL;
  g_autoptr(GPtrArray) slots_short = NULL;
  g_autoptr(GPtrArray) slots_gap_start = NULL;

  /* Sunday 29 March 2026: 03:00 local does not exist (02:59:59 +02 is
   * followed by 04:00:00 +03).  01:00 and 02:00 are at +02, 04:00 and
   * 05:00 at +03; 05:00 + 60 min ends at the window's end, 06:00 +03. */
  add_window (rows, SUN, HM (1, 0), HM (6, 0), TRUE, NULL, NULL);
  slots = compute ("Europe/Athens", "2026-03-29", "2026-03-29", 60, rows, NULL, NULL, NULL);
  assert_slots (slots, 60,
                "2026-03-28T23:00:00Z", "2026-03-29T00:00:00Z",
                "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z",
                NULL);

  /* A window ending inside the gap (03:30) ends when the clocks jump,
   * 01:00Z: the 01:30 slot (23:30Z-00:30Z) fits, the 02:30 one
   * (00:30Z-01:30Z, 04:30 local) does not. */
  add_window (end_in_gap, SUN, HM (1, 30), HM (3, 30), TRUE, NULL, NULL);
  slots_gap_end = compute (NULL, "2026-03-29", "2026-03-29", 60, end_in_gap, NULL, NULL, NULL);
  assert_slots (slots_gap_end, 60, "2026-03-28T23:30:00Z", NULL);

  /* 50-minute steps from 02:00: 02:00 (00:00Z) and 02:50 (00:50Z, ends
   * 01:40Z); 03:40 does not exist; 04:30 +03 is 01:30Z, before the 02:50
   * slot ends, so it is not offered; 05:20 +03 would end at 03:10Z, after
   * 06:00 +03. */
  add_window (short_step, SUN, HM (2, 0), HM (6, 0), TRUE, NULL, NULL);
  slots_short = compute (NULL, "2026-03-29", "2026-03-29", 50, short_step, NULL, NULL, NULL);
  assert_slots (slots_short, 50, "2026-03-29T00:00:00Z", "2026-03-29T00:50:00Z", NULL);

  /* A window starting inside the gap (03:30) keeps its grid: no slot at
   * 03:30, nor at the jump instant (01:00Z, 04:00 local) in its place;
   * 04:30 +03 is 01:30Z; 05:30 would end after 06:00. */
  add_window (start_in_gap, SUN, HM (3, 30), HM (6, 0), TRUE, NULL, NULL);
  slots_gap_start = compute (NULL, "2026-03-29", "2026-03-29", 60, start_in_gap,
                             NULL, NULL, NULL);
  assert_slots (slots_gap_start, 60, "2026-03-29T01:30:00Z", NULL);
}

static void
test_athens_fall_back (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) end_in_overlap = new_rows ();
  g_autoptr(GPtrArray) inside = new_rows ();
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) slots_overlap_end = NULL;
  g_autoptr(GPtrArray) slots_inside = NULL;

  /* Sunday 25 October 2026: 03:00-04:00 local happens twice, first at +03
   * (00:00Z-01:00Z), then at +02 (01:00Z-02:00Z).  01:00 and 02:00 +03
   * are 22:00Z and 23:00Z the day before; 03:00 is its first occurrence,
   * 00:00Z; 04:00 and 05:00 are +02, 02:00Z and 03:00Z; the window ends
   * at 06:00 +02 = 04:00Z.  Nothing starts at 01:00Z, the second 03:00. */
  add_window (rows, SUN, HM (1, 0), HM (6, 0), TRUE, NULL, NULL);
  slots = compute ("Europe/Athens", "2026-10-25", "2026-10-25", 60, rows, NULL, NULL, NULL);
  assert_slots (slots, 60,
                "2026-10-24T22:00:00Z", "2026-10-24T23:00:00Z",
                "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z",
                "2026-10-25T03:00:00Z",
                NULL);

  /* A window ending at 03:30 ends at its first occurrence, 00:30Z: the
   * 03:00 slot (00:00Z-01:00Z) does not fit. */
  add_window (end_in_overlap, SUN, HM (1, 0), HM (3, 30), TRUE, NULL, NULL);
  slots_overlap_end = compute (NULL, "2026-10-25", "2026-10-25", 60, end_in_overlap,
                               NULL, NULL, NULL);
  assert_slots (slots_overlap_end, 60, "2026-10-24T22:00:00Z", "2026-10-24T23:00:00Z", NULL);

  /* A window inside the repeated hour: 03:00 and 03:30, first occurrences
   * only; the window ends at 04:00 +02 = 02:00Z. */
  add_window (inside, SUN, HM (3, 0), HM (4, 0), TRUE, NULL, NULL);
  slots_inside = compute (NULL, "2026-10-25", "2026-10-25", 30, inside, NULL, NULL, NULL);
  assert_slots (slots_inside, 30, "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", NULL);
}

static void
test_other_zone (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) winter = NULL;
  g_autoptr(GPtrArray) spring = NULL;
  g_autoptr(GPtrArray) fall = NULL;

  add_window (rows, MON, HM (9, 0), HM (11, 0), TRUE, NULL, NULL);
  add_window (rows, SUN, HM (0, 0), HM (5, 0), TRUE, NULL, NULL);

  /* Monday 5 January 2026 at -05. */
  winter = compute ("America/New_York", "2026-01-05", "2026-01-05", 60, rows, NULL, NULL, NULL);
  assert_slots (winter, 60, "2026-01-05T14:00:00Z", "2026-01-05T15:00:00Z", NULL);

  /* Sunday 8 March 2026: 02:00 local does not exist.  00:00 and 01:00 -05
   * are 05:00Z and 06:00Z, 03:00 and 04:00 -04 are 07:00Z and 08:00Z, and
   * 04:00 + 60 min ends at 05:00 -04. */
  spring = compute ("America/New_York", "2026-03-08", "2026-03-08", 60, rows, NULL, NULL, NULL);
  assert_slots (spring, 60,
                "2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z",
                "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z",
                NULL);

  /* Sunday 1 November 2026: 01:00-02:00 local happens twice, first at -04.
   * 00:00 and 01:00 -04 are 04:00Z and 05:00Z; 02:00, 03:00 and 04:00 -05
   * are 07:00Z, 08:00Z and 09:00Z; the window ends at 05:00 -05. */
  fall = compute ("America/New_York", "2026-11-01", "2026-11-01", 60, rows, NULL, NULL, NULL);
  assert_slots (fall, 60,
                "2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z",
                "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z",
                "2026-11-01T09:00:00Z",
                NULL);
}

/* ------------------------------------------------------------------------ */
/* Refused input                                                             */
/* ------------------------------------------------------------------------ */

static void
test_bad_input (void)
{
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autoptr(GPtrArray) bad_effective = new_rows ();
  g_autoptr(GPtrArray) bad_blocked = g_ptr_array_new ();
  g_autoptr(GPtrArray) whole_day = new_rows ();
  g_autoptr(GPtrArray) leap_year = NULL;
  g_autoptr(GPtrArray) longest = NULL;

  add_window (rows, MON, HM (9, 0), HM (13, 0), TRUE, NULL, NULL);

  assert_refused (NULL, "2026-01-06", "2026-01-05", 50, rows, NULL); /* from after to */
  assert_refused (NULL, "2026-02-30", "2026-03-05", 50, rows, NULL); /* no such date */
  assert_refused (NULL, "2026-01-05", "2026-1-12", 50, rows, NULL);  /* malformed */
  assert_refused (NULL, "2026-01-05", "", 50, rows, NULL);
  assert_refused (NULL, "2026-01-05", "2026-01-05", 0, rows, NULL);
  assert_refused (NULL, "2026-01-05", "2026-01-05", -50, rows, NULL);
  assert_refused (NULL, "2026-01-05", "2026-01-05", TF_SLOTS_MAX_DURATION + 1, rows, NULL);
  assert_refused ("Mars/Olympus_Mons", "2026-01-05", "2026-01-05", 50, rows, NULL);
  assert_refused ("europe/athens", "2026-01-05", "2026-01-05", 50, rows, NULL);
  /* Unknown even with no window that would need it. */
  assert_refused ("Mars/Olympus_Mons", "2026-01-05", "2026-01-05", 50, NULL, NULL);
  /* 367 dates. */
  assert_refused (NULL, "2026-01-01", "2027-01-02", 50, rows, NULL);

  add_window (bad_effective, MON, HM (9, 0), HM (13, 0), TRUE, "2026-13-01", NULL);
  assert_refused (NULL, "2026-01-05", "2026-01-05", 50, bad_effective, NULL);
  {
    TfBlocked malformed = { "05/01/2026", NULL };
    TfBlocked bad_end = { "2026-01-05", "2026-01-32" };
    TfBlocked backwards = { "2026-01-05", "2026-01-04" };

    g_ptr_array_add (bad_blocked, &malformed);
    assert_refused (NULL, "2026-01-05", "2026-01-05", 50, rows, bad_blocked);
    g_ptr_array_set_size (bad_blocked, 0);
    g_ptr_array_add (bad_blocked, &bad_end);
    assert_refused (NULL, "2026-01-05", "2026-01-05", 50, rows, bad_blocked);
    g_ptr_array_set_size (bad_blocked, 0);
    g_ptr_array_add (bad_blocked, &backwards);
    assert_refused (NULL, "2026-01-05", "2026-01-05", 50, rows, bad_blocked);
  }

  /* The limits themselves are accepted: 366 dates of a leap year (52
   * Mondays of four slots in 2028) and a whole-day slot. */
  leap_year = compute (NULL, "2028-01-01", "2028-12-31", 50, rows, NULL, NULL, NULL);
  g_assert_cmpuint (leap_year->len, ==, 52 * 4);
  add_window (whole_day, MON, 0, 24 * 3600, TRUE, NULL, NULL);
  longest = compute (NULL, "2026-01-05", "2026-01-05", TF_SLOTS_MAX_DURATION, whole_day,
                     NULL, NULL, NULL);
  assert_slots (longest, TF_SLOTS_MAX_DURATION, "2026-01-04T22:00:00Z", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/slots/ordinary-week", test_ordinary_week);
  g_test_add_func ("/tf/slots/window-to-midnight", test_window_to_midnight);
  g_test_add_func ("/tf/slots/effective-range", test_effective_range);
  g_test_add_func ("/tf/slots/unavailable-window", test_unavailable_window);
  g_test_add_func ("/tf/slots/overlapping-windows", test_overlapping_windows);
  g_test_add_func ("/tf/slots/blocked-date", test_blocked_date);
  g_test_add_func ("/tf/slots/blocked-period", test_blocked_period);
  g_test_add_func ("/tf/slots/blocked-from-fields", test_blocked_from_fields);
  g_test_add_func ("/tf/slots/within-hours", test_within_hours);
  g_test_add_func ("/tf/slots/booking", test_booking);
  g_test_add_func ("/tf/slots/now", test_now);
  g_test_add_func ("/tf/slots/athens-spring-forward", test_athens_spring_forward);
  g_test_add_func ("/tf/slots/athens-fall-back", test_athens_fall_back);
  g_test_add_func ("/tf/slots/other-zone", test_other_zone);
  g_test_add_func ("/tf/slots/bad-input", test_bad_input);

  return g_test_run ();
}
