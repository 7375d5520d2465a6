/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-recurrence.c: the occurrences of a repeating appointment — weekly,
 * every two weeks and monthly on the same weekday; the wall clock kept in
 * the therapist's zone across both daylight-saving changes, a wall time the
 * clocks skip or repeat, month and year ends, the 5th weekday of a month,
 * an end by date (in the zone) or by count, cancelled and moved
 * occurrences, and the input a series refuses.
 *
 * Expected instants are worked out by hand from the zone rules (Athens: EET
 * +02:00, EEST +03:00 from 03:00 on the last Sunday of March to 04:00 on the
 * last Sunday of October; in 2026 those are 29 March and 25 October) and
 * the weekdays from a calendar; none is computed by the code under test.
 */
#define G_LOG_DOMAIN "tf-recurrence"

#include "config.h"

#include <glib.h>

#include "tf-error.h"
#include "tf-recurrence.h"
#include "tf-time.h"

static GDateTime *
at (const char *timestamp)
{
  GDateTime *dt = tf_time_parse_timestamp (timestamp, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static GPtrArray *
expand (TfRepeat repeat, const char *tzid, const char *first, const char *until, guint count,
        GPtrArray *exceptions)
{
  g_autoptr(GDateTime) start = at (first);
  TfRecurrence rule = { repeat, tzid, start, until, count };
  g_autoptr(GError) error = NULL;
  GPtrArray *occurrences = tf_recurrence_expand (&rule, exceptions, &error);

  g_assert_no_error (error);
  g_assert_nonnull (occurrences);
  return occurrences;
}

static void
assert_refused (TfRepeat repeat, const char *tzid, const char *first, const char *until,
                guint count, GPtrArray *exceptions, GQuark domain, int code)
{
  g_autoptr(GDateTime) start = at (first);
  TfRecurrence rule = { repeat, tzid, start, until, count };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) occurrences = tf_recurrence_expand (&rule, exceptions, &error);

  g_assert_null (occurrences);
  g_assert_error (error, domain, code);
}

/* The occurrences' starts (UTC) and states, as expected. */
static void
assert_starts (GPtrArray *occurrences, const char * const *starts)
{
  guint n = g_strv_length ((char **) starts);

  g_assert_cmpuint (occurrences->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      TfOccurrence *o = g_ptr_array_index (occurrences, i);
      g_autofree char *text = tf_time_format_timestamp (o->start);

      g_assert_cmpuint (o->index, ==, i);
      g_assert_cmpstr (text, ==, starts[i]);
    }
}

static TfOccurrence *
nth (GPtrArray *occurrences, guint i)
{
  return g_ptr_array_index (occurrences, i);
}

/* 10:00 in Athens, weekly over the spring change: 08:00Z, then 07:00Z. */
static void
test_weekly_spring_forward (void)
{
  static const char * const starts[] = {
    "2026-03-17T08:00:00Z", "2026-03-24T08:00:00Z",
    "2026-03-31T07:00:00Z", "2026-04-07T07:00:00Z", NULL,
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-03-17T08:00:00Z",
                                   NULL, 4, NULL);

  assert_starts (o, starts);
  for (guint i = 0; i < o->len; i++)
    g_assert_cmpint (nth (o, i)->state, ==, TF_OCCURRENCE_SCHEDULED);
  g_assert_cmpstr (nth (o, 2)->date, ==, "2026-03-31");
}

/* And back in October: 07:00Z, then 08:00Z. */
static void
test_weekly_fall_back (void)
{
  static const char * const starts[] = {
    "2026-10-20T07:00:00Z", "2026-10-27T08:00:00Z", "2026-11-03T08:00:00Z", NULL,
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, NULL, "2026-10-20T07:00:00Z", NULL, 3,
                                   NULL);

  assert_starts (o, starts);
}

/* A whole year of a 10:00 series is 10:00 local every week. */
static void
test_wall_clock_kept_all_year (void)
{
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-01-06T08:00:00Z",
                                   NULL, 52, NULL);
  guint in_summer = 0;

  g_assert_cmpuint (o->len, ==, 52);
  for (guint i = 0; i < o->len; i++)
    {
      g_autoptr(GDateTime) local = tf_time_utc_to_local ("Europe/Athens", nth (o, i)->start,
                                                         NULL);

      g_assert_cmpint (g_date_time_get_hour (local), ==, 10);
      g_assert_cmpint (g_date_time_get_minute (local), ==, 0);
      g_assert_cmpint (g_date_time_get_day_of_week (local), ==, 2); /* Tuesday */
      if (g_date_time_get_utc_offset (local) == 3 * G_TIME_SPAN_HOUR)
        in_summer++;
    }
  /* Tuesdays 31 March ... 20 October 2026 are in summer time. */
  g_assert_cmpuint (in_summer, ==, 30);
}

/* 03:30 on Sundays: on 29 March 2026 the clocks jump from 03:00 to 04:00, so
 * that occurrence is at 04:30 (01:30Z), reported as shifted. */
static void
test_spring_gap (void)
{
  static const char * const starts[] = {
    "2026-03-22T01:30:00Z", "2026-03-29T01:30:00Z", "2026-04-05T00:30:00Z", NULL,
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-03-22T01:30:00Z",
                                   NULL, 3, NULL);
  g_autoptr(GDateTime) local = NULL;

  assert_starts (o, starts);
  g_assert_cmpint (nth (o, 0)->state, ==, TF_OCCURRENCE_SCHEDULED);
  g_assert_cmpint (nth (o, 1)->state, ==, TF_OCCURRENCE_SHIFTED);
  g_assert_cmpint (nth (o, 2)->state, ==, TF_OCCURRENCE_SCHEDULED);
  g_assert_cmpstr (nth (o, 1)->date, ==, "2026-03-29");
  local = tf_time_utc_to_local ("Europe/Athens", nth (o, 1)->start, NULL);
  g_assert_cmpint (g_date_time_get_hour (local), ==, 4);
  g_assert_cmpint (g_date_time_get_minute (local), ==, 30);
}

/* 03:30 on 25 October 2026 happens twice: the first (summer time, 00:30Z). */
static void
test_autumn_overlap (void)
{
  static const char * const starts[] = {
    "2026-10-18T00:30:00Z", "2026-10-25T00:30:00Z", "2026-11-01T01:30:00Z", NULL,
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-10-18T00:30:00Z",
                                   NULL, 3, NULL);

  assert_starts (o, starts);
  g_assert_cmpint (nth (o, 1)->state, ==, TF_OCCURRENCE_SCHEDULED);
}

/* Every two weeks, over the year's end. */
static void
test_biweekly_year_end (void)
{
  static const char * const starts[] = {
    "2026-12-21T08:00:00Z", "2027-01-04T08:00:00Z", "2027-01-18T08:00:00Z", NULL,
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_BIWEEKLY, "Europe/Athens",
                                   "2026-12-21T08:00:00Z", NULL, 3, NULL);

  assert_starts (o, starts);
  g_assert_cmpstr (nth (o, 1)->date, ==, "2027-01-04");
}

/* Weekly over a month end: 29 January, 5 and 12 February. */
static void
test_weekly_month_end (void)
{
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-01-29T16:00:00Z",
                                   NULL, 3, NULL);

  g_assert_cmpstr (nth (o, 0)->date, ==, "2026-01-29");
  g_assert_cmpstr (nth (o, 1)->date, ==, "2026-02-05");
  g_assert_cmpstr (nth (o, 2)->date, ==, "2026-02-12");
}

/* The 2nd Tuesday: 13 January, 10 February, 10 March, 14 April (summer
 * time: 07:00Z), 12 May 2026. */
static void
test_monthly_second_tuesday (void)
{
  static const char * const starts[] = {
    "2026-01-13T08:00:00Z", "2026-02-10T08:00:00Z", "2026-03-10T08:00:00Z",
    "2026-04-14T07:00:00Z", "2026-05-12T07:00:00Z", NULL,
  };
  g_autoptr(GDateTime) first = at ("2026-01-13T08:00:00Z");
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_MONTHLY, "Europe/Athens", "2026-01-13T08:00:00Z",
                                   NULL, 5, NULL);

  assert_starts (o, starts);
  g_assert_cmpint (tf_recurrence_get_week_of_month (first, "Europe/Athens"), ==, 2);
}

/* The 4th Tuesday stays the 4th: 27 January, 24 February, 24 March. */
static void
test_monthly_fourth_weekday (void)
{
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_MONTHLY, "Europe/Athens", "2026-01-27T08:00:00Z",
                                   NULL, 3, NULL);

  g_assert_cmpstr (nth (o, 0)->date, ==, "2026-01-27");
  g_assert_cmpstr (nth (o, 1)->date, ==, "2026-02-24");
  g_assert_cmpstr (nth (o, 2)->date, ==, "2026-03-24");
}

/* 31 March 2026 is the 5th Tuesday: the series is on the last Tuesday of
 * each month (28 April, 26 May, 30 June — a 5th again — 28 July), no month
 * skipped. */
static void
test_monthly_fifth_weekday_is_last (void)
{
  static const char * const dates[] = {
    "2026-03-31", "2026-04-28", "2026-05-26", "2026-06-30", "2026-07-28",
  };
  g_autoptr(GDateTime) first = at ("2026-03-31T07:00:00Z");
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_MONTHLY, "Europe/Athens", "2026-03-31T07:00:00Z",
                                   NULL, 5, NULL);

  g_assert_cmpuint (o->len, ==, G_N_ELEMENTS (dates));
  for (guint i = 0; i < o->len; i++)
    {
      g_assert_cmpstr (nth (o, i)->date, ==, dates[i]);
      g_assert_cmpint (nth (o, i)->state, ==, TF_OCCURRENCE_SCHEDULED);
    }
  g_assert_cmpint (tf_recurrence_get_week_of_month (first, "Europe/Athens"), ==, -1);
}

/* The last Friday over a year end and a leap February: 31 December 2027,
 * 28 January, 25 February, 31 March 2028. */
static void
test_monthly_last_over_year_end (void)
{
  static const char * const dates[] = {
    "2027-12-31", "2028-01-28", "2028-02-25", "2028-03-31",
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_MONTHLY, "Europe/Athens", "2027-12-31T15:00:00Z",
                                   NULL, 4, NULL);

  g_assert_cmpuint (o->len, ==, G_N_ELEMENTS (dates));
  for (guint i = 0; i < o->len; i++)
    g_assert_cmpstr (nth (o, i)->date, ==, dates[i]);
}

/* @until is inclusive and a local date: 7 April is in. */
static void
test_until_inclusive (void)
{
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-03-17T08:00:00Z",
                                   "2026-04-07", 0, NULL);
  g_autoptr(GPtrArray) before = expand (TF_REPEAT_WEEKLY, "Europe/Athens",
                                        "2026-03-17T08:00:00Z", "2026-04-06", 0, NULL);
  g_autoptr(GPtrArray) same_day = expand (TF_REPEAT_WEEKLY, "Europe/Athens",
                                          "2026-03-17T08:00:00Z", "2026-03-17", 0, NULL);

  g_assert_cmpuint (o->len, ==, 4);
  g_assert_cmpstr (nth (o, 3)->date, ==, "2026-04-07");
  g_assert_cmpuint (before->len, ==, 3);
  g_assert_cmpuint (same_day->len, ==, 1);
}

/* 21:00 in New York on Mondays is 02:00Z on Tuesdays: an end on Monday 12
 * January takes the 12 January evening, though its UTC date is the 13th. */
static void
test_until_in_the_zone (void)
{
  static const char * const starts[] = {
    "2026-01-06T02:00:00Z", "2026-01-13T02:00:00Z", NULL,
  };
  g_autoptr(GPtrArray) o = expand (TF_REPEAT_WEEKLY, "America/New_York",
                                   "2026-01-06T02:00:00Z", "2026-01-12", 0, NULL);

  assert_starts (o, starts);
  g_assert_cmpstr (nth (o, 0)->date, ==, "2026-01-05");
  g_assert_cmpstr (nth (o, 1)->date, ==, "2026-01-12");
}

/* A count, up to the maximum. */
static void
test_count (void)
{
  g_autoptr(GPtrArray) ten = expand (TF_REPEAT_WEEKLY, NULL, "2026-03-17T08:00:00Z", NULL, 10,
                                     NULL);
  g_autoptr(GPtrArray) most = expand (TF_REPEAT_WEEKLY, NULL, "2026-03-17T08:00:00Z", NULL,
                                      TF_RECURRENCE_MAX_COUNT, NULL);
  g_autoptr(GPtrArray) one = expand (TF_REPEAT_MONTHLY, NULL, "2026-03-17T08:00:00Z", NULL, 1,
                                     NULL);

  g_assert_cmpuint (ten->len, ==, 10);
  g_assert_cmpstr (nth (ten, 9)->date, ==, "2026-05-19");
  g_assert_cmpuint (most->len, ==, TF_RECURRENCE_MAX_COUNT);
  g_assert_cmpuint (one->len, ==, 1);
}

/* One cancelled and one moved: both still listed, in place, marked; the
 * count still counts the cancelled one. */
static void
test_exceptions (void)
{
  g_autoptr(GDateTime) moved = at ("2026-03-26T15:00:00Z");
  TfRecurrenceException cancel = { "2026-03-31", NULL };
  TfRecurrenceException move = { "2026-03-24", moved };
  g_autoptr(GPtrArray) exceptions = g_ptr_array_new ();
  g_autoptr(GPtrArray) o = NULL;
  g_autofree char *moved_text = NULL;

  g_ptr_array_add (exceptions, &cancel);
  g_ptr_array_add (exceptions, &move);
  o = expand (TF_REPEAT_WEEKLY, "Europe/Athens", "2026-03-17T08:00:00Z", NULL, 4, exceptions);

  g_assert_cmpuint (o->len, ==, 4);
  g_assert_cmpint (nth (o, 0)->state, ==, TF_OCCURRENCE_SCHEDULED);
  g_assert_cmpint (nth (o, 1)->state, ==, TF_OCCURRENCE_MOVED);
  g_assert_cmpstr (nth (o, 1)->date, ==, "2026-03-24");
  moved_text = tf_time_format_timestamp (nth (o, 1)->start);
  g_assert_cmpstr (moved_text, ==, "2026-03-26T15:00:00Z");
  g_assert_cmpint (nth (o, 2)->state, ==, TF_OCCURRENCE_CANCELLED);
  g_assert_cmpstr (nth (o, 2)->date, ==, "2026-03-31");
  g_assert_cmpint (nth (o, 3)->state, ==, TF_OCCURRENCE_SCHEDULED);
  g_assert_cmpstr (nth (o, 3)->date, ==, "2026-04-07");
}

static void
test_bad_exceptions (void)
{
  TfRecurrenceException not_an_occurrence = { "2026-03-25", NULL };
  TfRecurrenceException after_the_end = { "2026-04-14", NULL };
  TfRecurrenceException once = { "2026-03-24", NULL };
  TfRecurrenceException malformed = { "24/03/2026", NULL };
  g_autoptr(GPtrArray) exceptions = g_ptr_array_new ();

  g_ptr_array_add (exceptions, &not_an_occurrence);
  assert_refused (TF_REPEAT_WEEKLY, NULL, "2026-03-17T08:00:00Z", NULL, 4, exceptions,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  g_ptr_array_set_size (exceptions, 0);
  g_ptr_array_add (exceptions, &after_the_end);
  assert_refused (TF_REPEAT_WEEKLY, NULL, "2026-03-17T08:00:00Z", NULL, 4, exceptions,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  g_ptr_array_set_size (exceptions, 0);
  g_ptr_array_add (exceptions, &once);
  g_ptr_array_add (exceptions, &once);
  assert_refused (TF_REPEAT_WEEKLY, NULL, "2026-03-17T08:00:00Z", NULL, 4, exceptions,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  g_ptr_array_set_size (exceptions, 0);
  g_ptr_array_add (exceptions, &malformed);
  assert_refused (TF_REPEAT_WEEKLY, NULL, "2026-03-17T08:00:00Z", NULL, 4, exceptions,
                  TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
}

static void
test_bad_input (void)
{
  TfRepeat repeat = TF_REPEAT_WEEKLY;
  g_autoptr(GError) error = NULL;
  const char *first = "2026-03-17T08:00:00Z";

  /* Neither end, both ends. */
  assert_refused (TF_REPEAT_WEEKLY, NULL, first, NULL, 0, NULL,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  assert_refused (TF_REPEAT_WEEKLY, NULL, first, "2026-05-01", 3, NULL,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  /* Too many, by count or by date (weekly for three years). */
  assert_refused (TF_REPEAT_WEEKLY, NULL, first, NULL, TF_RECURRENCE_MAX_COUNT + 1, NULL,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
  assert_refused (TF_REPEAT_WEEKLY, NULL, first, "2029-03-17", 0, NULL,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
  /* An end before the start, in the zone: 16 March is before 17 March. */
  assert_refused (TF_REPEAT_WEEKLY, NULL, first, "2026-03-16", 0, NULL,
                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  /* Not a date, not a zone. */
  assert_refused (TF_REPEAT_WEEKLY, NULL, first, "2026-02-30", 0, NULL,
                  TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  assert_refused (TF_REPEAT_WEEKLY, "Europe/Atlantis", first, NULL, 3, NULL,
                  TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);

  g_assert_true (tf_repeat_from_string ("biweekly", &repeat, &error));
  g_assert_cmpint (repeat, ==, TF_REPEAT_BIWEEKLY);
  g_assert_true (tf_repeat_from_string ("monthly", &repeat, &error));
  g_assert_cmpint (repeat, ==, TF_REPEAT_MONTHLY);
  g_assert_cmpstr (tf_repeat_to_string (TF_REPEAT_WEEKLY), ==, "weekly");
  g_assert_false (tf_repeat_from_string ("daily", &repeat, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (tf_repeat_from_string (NULL, &repeat, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ALLOWED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/recurrence/weekly-spring-forward", test_weekly_spring_forward);
  g_test_add_func ("/tf/recurrence/weekly-fall-back", test_weekly_fall_back);
  g_test_add_func ("/tf/recurrence/wall-clock-kept-all-year", test_wall_clock_kept_all_year);
  g_test_add_func ("/tf/recurrence/spring-gap", test_spring_gap);
  g_test_add_func ("/tf/recurrence/autumn-overlap", test_autumn_overlap);
  g_test_add_func ("/tf/recurrence/biweekly-year-end", test_biweekly_year_end);
  g_test_add_func ("/tf/recurrence/weekly-month-end", test_weekly_month_end);
  g_test_add_func ("/tf/recurrence/monthly-second-tuesday", test_monthly_second_tuesday);
  g_test_add_func ("/tf/recurrence/monthly-fourth-weekday", test_monthly_fourth_weekday);
  g_test_add_func ("/tf/recurrence/monthly-fifth-weekday-is-last",
                   test_monthly_fifth_weekday_is_last);
  g_test_add_func ("/tf/recurrence/monthly-last-over-year-end", test_monthly_last_over_year_end);
  g_test_add_func ("/tf/recurrence/until-inclusive", test_until_inclusive);
  g_test_add_func ("/tf/recurrence/until-in-the-zone", test_until_in_the_zone);
  g_test_add_func ("/tf/recurrence/count", test_count);
  g_test_add_func ("/tf/recurrence/exceptions", test_exceptions);
  g_test_add_func ("/tf/recurrence/bad-exceptions", test_bad_exceptions);
  g_test_add_func ("/tf/recurrence/bad-input", test_bad_input);

  return g_test_run ();
}
