/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-time.c: the wire encodings of timestamps, dates and times, and the
 * conversion of wall times to instants across daylight-saving changes, for
 * Europe/Athens (the practice default) and for zones with other shapes of
 * transition (30-minute shifts, a skipped day, a zone west of UTC).
 *
 * Expected instants are worked out by hand from the zone rules and checked
 * against zdump; they are not computed by the code under test.
 */
#define G_LOG_DOMAIN "tf-time"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "tf-error.h"
#include "tf-time.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

static void
assert_timestamp_normalises (const char *text,
                             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *formatted = NULL;

  dt = tf_time_parse_timestamp (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (dt);
  /* Whatever the input offset, the result lives in UTC. */
  g_assert_cmpint (g_date_time_get_utc_offset (dt), ==, 0);

  formatted = tf_time_format_timestamp (dt);
  g_assert_cmpstr (formatted, ==, expected);
}

static void
assert_timestamp_rejected (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = NULL;

  dt = tf_time_parse_timestamp (text, &error);
  if (dt != NULL)
    {
      g_autofree char *formatted = tf_time_format_timestamp (dt);

      g_error ("“%s” was accepted as %s", text, formatted);
    }
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, !=, "");
}

static void
assert_date_rejected (const char *text)
{
  g_autoptr(GError) error = NULL;
  int year = -1, month = -1, day = -1;

  if (tf_time_parse_date (text, &year, &month, &day, &error))
    g_error ("“%s” was accepted as %d-%d-%d", text, year, month, day);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
}

static void
assert_time_rejected (const char *text)
{
  g_autoptr(GError) error = NULL;
  int seconds = -1;

  if (tf_time_parse_time (text, &seconds, &error))
    g_error ("“%s” was accepted as %d s", text, seconds);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
}

/* Converts the wall time "@date @time" in @tzid and checks the UTC result. */
static void
assert_local_to_utc (const char        *tzid,
                     const char        *date,
                     const char        *time,
                     TfTimeLocalPolicy  policy,
                     const char        *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *formatted = NULL;
  int year, month, day, seconds;

  g_assert_true (tf_time_parse_date (date, &year, &month, &day, NULL));
  g_assert_true (tf_time_parse_time (time, &seconds, NULL));

  utc = tf_time_local_to_utc (tzid, year, month, day, seconds, policy, &error);
  g_assert_no_error (error);
  g_assert_nonnull (utc);
  g_assert_cmpint (g_date_time_get_utc_offset (utc), ==, 0);

  formatted = tf_time_format_timestamp (utc);
  g_assert_cmpstr (formatted, ==, expected);
}

static void
assert_local_fails (const char        *tzid,
                    const char        *date,
                    const char        *time,
                    TfTimeLocalPolicy  policy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day, seconds;

  g_assert_true (tf_time_parse_date (date, &year, &month, &day, NULL));
  g_assert_true (tf_time_parse_time (time, &seconds, NULL));

  utc = tf_time_local_to_utc (tzid, year, month, day, seconds, policy, &error);
  g_assert_null (utc);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  /* The message names the wall time the user typed. */
  g_assert_nonnull (strstr (error->message, date));
  g_assert_nonnull (strstr (error->message, time));
}

/* Shows @timestamp in @tzid and checks the local rendering with its offset. */
static void
assert_utc_to_local (const char *tzid,
                     const char *timestamp,
                     const char *expected_iso8601)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *formatted = NULL;

  utc = tf_time_parse_timestamp (timestamp, &error);
  g_assert_no_error (error);

  local = tf_time_utc_to_local (tzid, utc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (local);
  g_assert_true (g_date_time_equal (local, utc));

  formatted = g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
  g_assert_cmpstr (formatted, ==, expected_iso8601);
}

/* ------------------------------------------------------------------------ */
/* Timestamps                                                                */
/* ------------------------------------------------------------------------ */

static void
test_timestamp_round_trip (void)
{
  const char *canonical[] = {
    "2026-03-29T01:30:00Z",
    "2026-10-25T00:30:00Z",
    "2026-03-29T01:30:00.250000Z",
    "2026-03-29T01:30:00.000001Z",
    "1970-01-01T00:00:00Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (canonical); i++)
    assert_timestamp_normalises (canonical[i], canonical[i]);
}

static void
test_timestamp_offsets (void)
{
  /* Athens summer time, as a client in Greece might send it. */
  assert_timestamp_normalises ("2026-03-29T04:30:00+03:00", "2026-03-29T01:30:00Z");
  /* An offset that moves the date back across a year boundary. */
  assert_timestamp_normalises ("2026-01-01T01:00:00+02:00", "2025-12-31T23:00:00Z");
  /* West of UTC, with minutes in the offset, forward across a year. */
  assert_timestamp_normalises ("2025-12-31T20:00:00-05:30", "2026-01-01T01:30:00Z");
  /* Lower-case separators are RFC 3339 too; -00:00 is UTC. */
  assert_timestamp_normalises ("2026-03-29t01:30:00z", "2026-03-29T01:30:00Z");
  assert_timestamp_normalises ("2026-03-29T01:30:00-00:00", "2026-03-29T01:30:00Z");
  assert_timestamp_normalises ("2026-03-29T01:30:00+00:00", "2026-03-29T01:30:00Z");
  /* The extremes of the offset range. */
  assert_timestamp_normalises ("2026-03-29T23:59:00+23:59", "2026-03-29T00:00:00Z");
  assert_timestamp_normalises ("2026-03-29T00:00:00-23:59", "2026-03-29T23:59:00Z");
}

static void
test_timestamp_fraction (void)
{
  g_autoptr(GDateTime) dt = NULL;

  assert_timestamp_normalises ("2026-03-29T01:30:00.5Z", "2026-03-29T01:30:00.500000Z");
  assert_timestamp_normalises ("2026-03-29T01:30:00.123456Z", "2026-03-29T01:30:00.123456Z");
  /* Past microseconds the digits are dropped, never rounded up into the
   * next second. */
  assert_timestamp_normalises ("2026-03-29T01:30:00.123456789Z", "2026-03-29T01:30:00.123456Z");
  assert_timestamp_normalises ("2026-03-29T01:30:59.9999999Z", "2026-03-29T01:30:59.999999Z");
  /* A zero fraction is not written out. */
  assert_timestamp_normalises ("2026-03-29T01:30:00.000Z", "2026-03-29T01:30:00Z");
  /* The fraction survives an offset. */
  assert_timestamp_normalises ("2026-03-29T04:30:00.75+03:00", "2026-03-29T01:30:00.750000Z");

  dt = tf_time_parse_timestamp ("2026-03-29T01:30:07.040302Z", NULL);
  g_assert_nonnull (dt);
  g_assert_cmpint (g_date_time_get_second (dt), ==, 7);
  g_assert_cmpint (g_date_time_get_microsecond (dt), ==, 40302);
}

static void
test_timestamp_format_converts_to_utc (void)
{
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) summer = NULL;
  g_autofree char *formatted = NULL;

  g_assert_nonnull (athens);
  summer = g_date_time_new (athens, 2026, 7, 15, 10, 0, 0);
  formatted = tf_time_format_timestamp (summer);
  g_assert_cmpstr (formatted, ==, "2026-07-15T07:00:00Z");
}

static void
test_timestamp_reject (void)
{
  const char *bad[] = {
    "",
    "2026-03-29T01:30:00",            /* missing offset */
    "2026-13-01T00:00:00Z",           /* month 13 */
    "2026-00-01T00:00:00Z",
    "2026-01-00T00:00:00Z",
    "2026-02-30T00:00:00Z",           /* not a calendar date */
    "2026-04-31T00:00:00Z",
    "2026-03-29T24:00:00Z",           /* no 24:00 */
    "2026-03-29T12:60:00Z",
    "2026-03-29T12:00:60Z",           /* no leap seconds */
    "2026-03-29T01:30:00Zjunk",       /* trailing garbage */
    "2026-03-29T01:30:00Z ",
    " 2026-03-29T01:30:00Z",
    "2026-03-29T01:30:00+03:00:00",
    "2026-03-29",                     /* a date is not a timestamp */
    "2026-03-29 01:30:00Z",           /* space for T: only a note in RFC 3339 */
    "2026-03-29_01:30:00Z",
    "20260329T013000Z",               /* ISO 8601 basic format */
    "2026-W13-7T01:30:00Z",           /* ISO 8601 week date */
    "2026-088T01:30:00Z",             /* ISO 8601 ordinal date */
    "2026-03-29T01:30Z",              /* seconds are required */
    "2026-03-29T1:30:00Z",
    "2026-3-29T01:30:00Z",
    "+2026-03-29T01:30:00Z",
    "2026-03-29T01:30:00.Z",          /* empty fraction */
    "2026-03-29T01:30:00,5Z",         /* comma fraction */
    "2026-03-29T01:30:00+0300",       /* offset without colon */
    "2026-03-29T01:30:00+03",
    "2026-03-29T01:30:00+24:00",      /* offset hours 00-23 */
    "2026-03-29T01:30:00+03:60",
    "2026-03-29T01:30:00 +03:00",
    "2026-03-29T01:30:00UTC",
    "0000-01-01T00:00:00Z",           /* year 0 is outside GDateTime */
    "0001-01-01T00:30:00+01:00",      /* valid form, but before year 1 in UTC */
    "9999-12-31T23:30:00-01:00",      /* valid form, but year 10000 in UTC */
    "2026-03-29T01:30:00\xff",        /* not UTF-8 */
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_timestamp_rejected (bad[i]);
}

static void
test_timestamp_error_message (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *huge = g_strnfill (100000, '9');

  /* The user sees what was wrong. */
  dt = tf_time_parse_timestamp ("2026-13-01T00:00:00Z", &error);
  g_assert_null (dt);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_assert_nonnull (strstr (error->message, "2026-13-01T00:00:00Z"));
  g_clear_error (&error);

  /* Invalid UTF-8 does not leak into the message ... */
  dt = tf_time_parse_timestamp ("2026-03-29T01:30:00\xff", &error);
  g_assert_null (dt);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_clear_error (&error);

  /* ... nor does an unbounded amount of garbage. */
  dt = tf_time_parse_timestamp (huge, &error);
  g_assert_null (dt);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_assert_cmpuint (strlen (error->message), <, 1000);
}

static void
test_timestamp_leap_year (void)
{
  assert_timestamp_normalises ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z");
  assert_timestamp_normalises ("2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z");
  assert_timestamp_rejected ("2026-02-29T12:00:00Z");
  assert_timestamp_rejected ("1900-02-29T12:00:00Z");
  /* An offset can carry a valid leap day into March, and back. */
  assert_timestamp_normalises ("2024-02-29T23:00:00-02:00", "2024-03-01T01:00:00Z");
  assert_timestamp_normalises ("2024-03-01T01:00:00+02:00", "2024-02-29T23:00:00Z");
}

/* ------------------------------------------------------------------------ */
/* Dates and times                                                           */
/* ------------------------------------------------------------------------ */

static void
test_date_parse (void)
{
  g_autoptr(GError) error = NULL;
  int year = 0, month = 0, day = 0;

  g_assert_true (tf_time_parse_date ("2026-03-29", &year, &month, &day, &error));
  g_assert_no_error (error);
  g_assert_cmpint (year, ==, 2026);
  g_assert_cmpint (month, ==, 3);
  g_assert_cmpint (day, ==, 29);

  g_assert_true (tf_time_parse_date ("2024-02-29", &year, &month, &day, &error));
  g_assert_no_error (error);
  g_assert_cmpint (year, ==, 2024);
  g_assert_cmpint (month, ==, 2);
  g_assert_cmpint (day, ==, 29);

  g_assert_true (tf_time_parse_date ("0001-01-01", &year, &month, &day, &error));
  g_assert_true (tf_time_parse_date ("9999-12-31", &year, &month, &day, &error));
  g_assert_cmpint (year, ==, 9999);
  g_assert_no_error (error);
}

static void
test_date_reject (void)
{
  const char *bad[] = {
    "",
    "2026-02-30",
    "2026-02-29",
    "1900-02-29",
    "2026-13-01",
    "2026-00-10",
    "2026-01-00",
    "2026-01-32",
    "2026-1-01",
    "26-01-01",
    "20260101",
    "2026/01/01",
    "2026-01-01T00:00:00Z",
    "2026-01-01 ",
    " 2026-01-01",
    "2026-W01-1",
    "0000-01-01",
    "-2026-01-01",
  };
  g_autoptr(GError) error = NULL;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_date_rejected (bad[i]);

  g_assert_false (tf_time_parse_date ("2026-02-30", NULL, NULL, NULL, &error));
  g_assert_nonnull (strstr (error->message, "2026-02-30"));
}

static void
test_date_format (void)
{
  g_autofree char *a = tf_time_format_date (2026, 3, 9);
  g_autofree char *b = tf_time_format_date (1, 1, 1);
  g_autofree char *c = tf_time_format_date (2024, 2, 29);

  g_assert_cmpstr (a, ==, "2026-03-09");
  g_assert_cmpstr (b, ==, "0001-01-01");
  g_assert_cmpstr (c, ==, "2024-02-29");
}

static void
test_date_round_trip (void)
{
  g_autoptr(GDate) date = g_date_new_dmy (1, G_DATE_JANUARY, 2023);
  int i;

  /* Every day of three years, a leap year among them. */
  for (i = 0; i < 3 * 366; i++)
    {
      g_autofree char *text = tf_time_format_date (g_date_get_year (date),
                                                   g_date_get_month (date),
                                                   g_date_get_day (date));
      int year, month, day;

      g_assert_true (tf_time_parse_date (text, &year, &month, &day, NULL));
      g_assert_cmpint (year, ==, g_date_get_year (date));
      g_assert_cmpint (month, ==, g_date_get_month (date));
      g_assert_cmpint (day, ==, g_date_get_day (date));
      g_date_add_days (date, 1);
    }
}

static void
test_time_parse (void)
{
  g_autoptr(GError) error = NULL;
  int seconds = -1;

  g_assert_true (tf_time_parse_time ("00:00:00", &seconds, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seconds, ==, 0);

  g_assert_true (tf_time_parse_time ("23:59:59", &seconds, &error));
  g_assert_cmpint (seconds, ==, 86399);

  g_assert_true (tf_time_parse_time ("12:34:56", &seconds, &error));
  g_assert_cmpint (seconds, ==, 12 * 3600 + 34 * 60 + 56);
  g_assert_no_error (error);
}

static void
test_time_reject (void)
{
  const char *bad[] = {
    "",
    "24:00:00",
    "12:60:00",
    "12:00:60",
    "99:99:99",
    "1:00:00",
    "12:00",
    "12:00:00Z",
    "12:00:00+02:00",
    "12:00:00.5",
    "12:00:00 ",
    " 12:00:00",
    "12-00-00",
    "120000",
    "-1:00:00",
    "T12:00:00",
  };
  g_autoptr(GError) error = NULL;
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_time_rejected (bad[i]);

  g_assert_false (tf_time_parse_time ("24:00:00", NULL, &error));
  g_assert_nonnull (strstr (error->message, "24:00:00"));
}

static void
test_time_format (void)
{
  int s;

  for (s = 0; s < 24 * 3600; s++)
    {
      g_autofree char *text = tf_time_format_time (s);
      int back = -1;

      g_assert_cmpuint (strlen (text), ==, 8);
      g_assert_true (tf_time_parse_time (text, &back, NULL));
      g_assert_cmpint (back, ==, s);
    }

  {
    g_autofree char *midnight = tf_time_format_time (0);
    g_autofree char *last = tf_time_format_time (86399);
    g_autofree char *afternoon = tf_time_format_time (12 * 3600 + 34 * 60 + 56);

    g_assert_cmpstr (midnight, ==, "00:00:00");
    g_assert_cmpstr (last, ==, "23:59:59");
    g_assert_cmpstr (afternoon, ==, "12:34:56");
  }
}

/* ------------------------------------------------------------------------ */
/* Wall clock: Europe/Athens                                                 */
/* ------------------------------------------------------------------------ */

static void
test_athens_winter_summer (void)
{
  TfTimeLocalPolicy policies[] = {
    TF_TIME_LOCAL_STRICT, TF_TIME_LOCAL_EARLIER, TF_TIME_LOCAL_LATER
  };
  gsize i;

  /* Away from the changes every policy agrees. */
  for (i = 0; i < G_N_ELEMENTS (policies); i++)
    {
      /* EET, +02:00 */
      assert_local_to_utc ("Europe/Athens", "2026-01-15", "10:00:00", policies[i],
                           "2026-01-15T08:00:00Z");
      assert_local_to_utc ("Europe/Athens", "2026-01-01", "01:00:00", policies[i],
                           "2025-12-31T23:00:00Z");
      /* EEST, +03:00 */
      assert_local_to_utc ("Europe/Athens", "2026-07-15", "10:00:00", policies[i],
                           "2026-07-15T07:00:00Z");
    }

  assert_utc_to_local ("Europe/Athens", "2026-01-15T08:00:00Z", "2026-01-15T10:00:00+02:00");
  assert_utc_to_local ("Europe/Athens", "2026-07-15T07:00:00Z", "2026-07-15T10:00:00+03:00");
}

static void
test_athens_default_zone (void)
{
  /* NULL means the practice default, Europe/Athens. */
  assert_local_to_utc (NULL, "2026-07-15", "10:00:00", TF_TIME_LOCAL_STRICT,
                       "2026-07-15T07:00:00Z");
  assert_local_fails (NULL, "2026-03-29", "03:30:00", TF_TIME_LOCAL_STRICT);
  assert_utc_to_local (NULL, "2026-01-15T08:00:00Z", "2026-01-15T10:00:00+02:00");
}

static void
test_athens_spring_gap (void)
{
  /* 2026-03-29, the last Sunday of March: at 01:00Z (03:00 EET) the clocks
   * jump to 04:00 EEST, so 03:00:00 ... 03:59:59 never happens. */
  assert_local_fails ("Europe/Athens", "2026-03-29", "03:30:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "03:30:00", TF_TIME_LOCAL_EARLIER,
                       "2026-03-29T01:00:00Z");
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "03:30:00", TF_TIME_LOCAL_LATER,
                       "2026-03-29T01:30:00Z");

  /* The edges of the gap. */
  assert_local_fails ("Europe/Athens", "2026-03-29", "03:00:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "03:00:00", TF_TIME_LOCAL_EARLIER,
                       "2026-03-29T01:00:00Z");
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "03:00:00", TF_TIME_LOCAL_LATER,
                       "2026-03-29T01:00:00Z");
  assert_local_fails ("Europe/Athens", "2026-03-29", "03:59:59", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "03:59:59", TF_TIME_LOCAL_EARLIER,
                       "2026-03-29T01:00:00Z");
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "03:59:59", TF_TIME_LOCAL_LATER,
                       "2026-03-29T01:59:59Z");
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "02:59:59", TF_TIME_LOCAL_STRICT,
                       "2026-03-29T00:59:59Z");
  assert_local_to_utc ("Europe/Athens", "2026-03-29", "04:00:00", TF_TIME_LOCAL_STRICT,
                       "2026-03-29T01:00:00Z");

  /* The same wall time a day earlier and a week later is ordinary. */
  assert_local_to_utc ("Europe/Athens", "2026-03-28", "03:30:00", TF_TIME_LOCAL_STRICT,
                       "2026-03-28T01:30:00Z");
  assert_local_to_utc ("Europe/Athens", "2026-04-05", "03:30:00", TF_TIME_LOCAL_STRICT,
                       "2026-04-05T00:30:00Z");

  /* Seen from the other side. */
  assert_utc_to_local ("Europe/Athens", "2026-03-29T00:59:59Z", "2026-03-29T02:59:59+02:00");
  assert_utc_to_local ("Europe/Athens", "2026-03-29T01:00:00Z", "2026-03-29T04:00:00+03:00");
}

static void
test_athens_autumn_overlap (void)
{
  /* 2026-10-25, the last Sunday of October: at 01:00Z (04:00 EEST) the
   * clocks go back to 03:00 EET, so 03:00:00 ... 03:59:59 happens twice. */
  assert_local_fails ("Europe/Athens", "2026-10-25", "03:30:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Europe/Athens", "2026-10-25", "03:30:00", TF_TIME_LOCAL_EARLIER,
                       "2026-10-25T00:30:00Z");
  assert_local_to_utc ("Europe/Athens", "2026-10-25", "03:30:00", TF_TIME_LOCAL_LATER,
                       "2026-10-25T01:30:00Z");

  /* The edges of the overlap. */
  assert_local_fails ("Europe/Athens", "2026-10-25", "03:00:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Europe/Athens", "2026-10-25", "03:00:00", TF_TIME_LOCAL_EARLIER,
                       "2026-10-25T00:00:00Z");
  assert_local_to_utc ("Europe/Athens", "2026-10-25", "03:00:00", TF_TIME_LOCAL_LATER,
                       "2026-10-25T01:00:00Z");
  assert_local_fails ("Europe/Athens", "2026-10-25", "03:59:59", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Europe/Athens", "2026-10-25", "02:59:59", TF_TIME_LOCAL_STRICT,
                       "2026-10-24T23:59:59Z");
  assert_local_to_utc ("Europe/Athens", "2026-10-25", "04:00:00", TF_TIME_LOCAL_STRICT,
                       "2026-10-25T02:00:00Z");

  /* Seen from the other side: one wall time, two offsets. */
  assert_utc_to_local ("Europe/Athens", "2026-10-25T00:30:00Z", "2026-10-25T03:30:00+03:00");
  assert_utc_to_local ("Europe/Athens", "2026-10-25T01:30:00Z", "2026-10-25T03:30:00+02:00");
}

/* Every quarter hour of 2026, and every minute around its two changes:
 * showing an instant in Athens and converting the wall time back gives the
 * same instant, choosing the summer-time reading for summer-time displays. */
static void
check_athens_round_trip (gint64 from,
                         gint64 to,
                         gint64 step)
{
  gint64 t;

  for (t = from; t < to; t += step)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
      g_autoptr(GDateTime) local = NULL;
      g_autoptr(GDateTime) back = NULL;
      TfTimeLocalPolicy policy;
      int seconds;

      local = tf_time_utc_to_local ("Europe/Athens", utc, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_date_time_get_utc_offset (local) / G_TIME_SPAN_HOUR, ==,
                       g_date_time_is_daylight_savings (local) ? 3 : 2);

      policy = g_date_time_is_daylight_savings (local) ? TF_TIME_LOCAL_EARLIER
                                                       : TF_TIME_LOCAL_LATER;
      seconds = g_date_time_get_hour (local) * 3600 + g_date_time_get_minute (local) * 60 +
                g_date_time_get_second (local);
      back = tf_time_local_to_utc ("Europe/Athens",
                                   g_date_time_get_year (local),
                                   g_date_time_get_month (local),
                                   g_date_time_get_day_of_month (local),
                                   seconds, policy, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_date_time_to_unix (back), ==, t);
    }
}

static void
test_athens_round_trip (void)
{
  /* 2026-01-01T00:00:00Z, 2026-03-29T01:00:00Z, 2026-10-25T01:00:00Z */
  const gint64 year_start = 1767225600;
  const gint64 spring = 1774746000;
  const gint64 autumn = 1792890000;

  check_athens_round_trip (year_start, year_start + 365 * 86400, 15 * 60);
  check_athens_round_trip (spring - 3 * 3600, spring + 3 * 3600, 60);
  check_athens_round_trip (autumn - 3 * 3600, autumn + 3 * 3600, 60);
}

/* ------------------------------------------------------------------------ */
/* Wall clock: other zones                                                   */
/* ------------------------------------------------------------------------ */

static void
test_zone_new_york (void)
{
  /* 2026-03-08 02:00 EST -> 03:00 EDT at 07:00Z. */
  assert_local_fails ("America/New_York", "2026-03-08", "02:30:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("America/New_York", "2026-03-08", "02:30:00", TF_TIME_LOCAL_EARLIER,
                       "2026-03-08T07:00:00Z");
  assert_local_to_utc ("America/New_York", "2026-03-08", "02:30:00", TF_TIME_LOCAL_LATER,
                       "2026-03-08T07:30:00Z");
  /* 2026-11-01 02:00 EDT -> 01:00 EST at 06:00Z. */
  assert_local_fails ("America/New_York", "2026-11-01", "01:30:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("America/New_York", "2026-11-01", "01:30:00", TF_TIME_LOCAL_EARLIER,
                       "2026-11-01T05:30:00Z");
  assert_local_to_utc ("America/New_York", "2026-11-01", "01:30:00", TF_TIME_LOCAL_LATER,
                       "2026-11-01T06:30:00Z");
  /* West of UTC the date moves forward. */
  assert_local_to_utc ("America/New_York", "2026-01-15", "22:00:00", TF_TIME_LOCAL_STRICT,
                       "2026-01-16T03:00:00Z");
}

static void
test_zone_half_hour_shift (void)
{
  /* Lord Howe Island moves its clocks by 30 minutes.  2026-04-05 02:00
   * (+11:00) -> 01:30 (+10:30) at 2026-04-04T15:00Z. */
  assert_local_fails ("Australia/Lord_Howe", "2026-04-05", "01:45:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Australia/Lord_Howe", "2026-04-05", "01:45:00", TF_TIME_LOCAL_EARLIER,
                       "2026-04-04T14:45:00Z");
  assert_local_to_utc ("Australia/Lord_Howe", "2026-04-05", "01:45:00", TF_TIME_LOCAL_LATER,
                       "2026-04-04T15:15:00Z");
  assert_local_to_utc ("Australia/Lord_Howe", "2026-04-05", "01:15:00", TF_TIME_LOCAL_STRICT,
                       "2026-04-04T14:15:00Z");
  /* 2026-10-04 02:00 (+10:30) -> 02:30 (+11:00) at 2026-10-03T15:30Z. */
  assert_local_fails ("Australia/Lord_Howe", "2026-10-04", "02:15:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Australia/Lord_Howe", "2026-10-04", "02:15:00", TF_TIME_LOCAL_EARLIER,
                       "2026-10-03T15:30:00Z");
  assert_local_to_utc ("Australia/Lord_Howe", "2026-10-04", "02:15:00", TF_TIME_LOCAL_LATER,
                       "2026-10-03T15:45:00Z");
  assert_local_to_utc ("Australia/Lord_Howe", "2026-10-04", "02:30:00", TF_TIME_LOCAL_STRICT,
                       "2026-10-03T15:30:00Z");
}

static void
test_zone_skipped_day (void)
{
  /* Samoa crossed the date line: 2011-12-29 23:59:59 (-10:00) was followed
   * by 2011-12-31 00:00:00 (+14:00), at 2011-12-30T10:00Z.  The whole of
   * 30 December is one 24-hour gap. */
  assert_local_fails ("Pacific/Apia", "2011-12-30", "12:00:00", TF_TIME_LOCAL_STRICT);
  assert_local_to_utc ("Pacific/Apia", "2011-12-30", "12:00:00", TF_TIME_LOCAL_EARLIER,
                       "2011-12-30T10:00:00Z");
  assert_local_to_utc ("Pacific/Apia", "2011-12-30", "12:00:00", TF_TIME_LOCAL_LATER,
                       "2011-12-30T22:00:00Z");
  assert_local_to_utc ("Pacific/Apia", "2011-12-29", "23:59:59", TF_TIME_LOCAL_STRICT,
                       "2011-12-30T09:59:59Z");
  assert_local_to_utc ("Pacific/Apia", "2011-12-31", "00:00:00", TF_TIME_LOCAL_STRICT,
                       "2011-12-30T10:00:00Z");
}

static void
test_zone_utc (void)
{
  assert_local_to_utc ("UTC", "2026-03-29", "03:30:00", TF_TIME_LOCAL_STRICT,
                       "2026-03-29T03:30:00Z");
  assert_local_to_utc ("Etc/GMT-2", "2026-07-15", "10:00:00", TF_TIME_LOCAL_STRICT,
                       "2026-07-15T08:00:00Z");
}

static void
test_zone_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GDateTime) last = g_date_time_new_utc (9999, 12, 31, 23, 0, 0);

  /* Midnight of year 1 in Athens is still year 0 in UTC. */
  dt = tf_time_local_to_utc ("Europe/Athens", 1, 1, 1, 0, TF_TIME_LOCAL_STRICT, &error);
  g_assert_null (dt);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_clear_error (&error);

  /* And the last hour of year 9999 in UTC is year 10000 in Athens. */
  dt = tf_time_utc_to_local ("Europe/Athens", last, &error);
  g_assert_null (dt);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  g_clear_error (&error);

  /* Far-future rules still apply (beyond the explicit transitions of a
   * 32-bit zoneinfo file). */
  assert_local_to_utc ("Europe/Athens", "2100-07-15", "10:00:00", TF_TIME_LOCAL_STRICT,
                       "2100-07-15T07:00:00Z");
  assert_local_to_utc ("Europe/Athens", "2100-01-15", "10:00:00", TF_TIME_LOCAL_STRICT,
                       "2100-01-15T08:00:00Z");
}

static void
test_zone_unknown (void)
{
  const char *known[] = {
    "Europe/Athens",
    "UTC",
    "America/Argentina/Buenos_Aires",
    "America/Port-au-Prince",
    "Etc/GMT-2",
    "Etc/GMT+10",
  };
  const char *unknown[] = {
    "",
    "Europe/Atlantis",
    "Mars/Olympus_Mons",
    "europe/athens",
    "Europe/Athens ",
    "Europe/",
    "Europe",
    "Europe//Athens",
    "/Europe/Athens",
    "/usr/share/zoneinfo/Europe/Athens",   /* GLib would read any file */
    "../zoneinfo/Europe/Athens",
    "Europe/../Europe/Athens",
    "posix/Europe/Athens",
    "right/Europe/Athens",                 /* counts leap seconds */
    "zone.tab",                            /* GLib would emit a critical */
    "tzdata.zi",
    "leapseconds",
    "localtime",
    "Z",                                   /* a UTC offset to GLib, not a zone */
    "+02:00",
    "XYZ3",                                /* a POSIX TZ rule, not a zone */
    "EET-2EEST,M3.5.0/3,M10.5.0/4",
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (known); i++)
    {
      if (!tf_time_zone_is_known (known[i]))
        g_error ("“%s” should be known", known[i]);
    }

  for (i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) dt = NULL;
      g_autoptr(GDateTime) utc = g_date_time_new_utc (2026, 7, 15, 7, 0, 0);

      if (tf_time_zone_is_known (unknown[i]))
        g_error ("“%s” should not be known", unknown[i]);

      dt = tf_time_local_to_utc (unknown[i], 2026, 7, 15, 36000, TF_TIME_LOCAL_STRICT, &error);
      g_assert_null (dt);
      g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
      g_assert_nonnull (strstr (error->message, unknown[i]));
      g_clear_error (&error);

      dt = tf_time_utc_to_local (unknown[i], utc, &error);
      g_assert_null (dt);
      g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/time/timestamp/round-trip", test_timestamp_round_trip);
  g_test_add_func ("/tf/time/timestamp/offsets-normalised-to-z", test_timestamp_offsets);
  g_test_add_func ("/tf/time/timestamp/fractional-seconds", test_timestamp_fraction);
  g_test_add_func ("/tf/time/timestamp/format-converts-to-utc",
                   test_timestamp_format_converts_to_utc);
  g_test_add_func ("/tf/time/timestamp/rejects-malformed", test_timestamp_reject);
  g_test_add_func ("/tf/time/timestamp/error-message", test_timestamp_error_message);
  g_test_add_func ("/tf/time/timestamp/leap-year", test_timestamp_leap_year);
  g_test_add_func ("/tf/time/date/parse", test_date_parse);
  g_test_add_func ("/tf/time/date/rejects-malformed", test_date_reject);
  g_test_add_func ("/tf/time/date/format", test_date_format);
  g_test_add_func ("/tf/time/date/round-trip", test_date_round_trip);
  g_test_add_func ("/tf/time/time/parse", test_time_parse);
  g_test_add_func ("/tf/time/time/rejects-malformed", test_time_reject);
  g_test_add_func ("/tf/time/time/format-round-trip", test_time_format);
  g_test_add_func ("/tf/time/athens/winter-and-summer", test_athens_winter_summer);
  g_test_add_func ("/tf/time/athens/default-zone", test_athens_default_zone);
  g_test_add_func ("/tf/time/athens/spring-gap", test_athens_spring_gap);
  g_test_add_func ("/tf/time/athens/autumn-overlap", test_athens_autumn_overlap);
  g_test_add_func ("/tf/time/athens/utc-to-local-round-trip", test_athens_round_trip);
  g_test_add_func ("/tf/time/zone/new-york", test_zone_new_york);
  g_test_add_func ("/tf/time/zone/half-hour-shift", test_zone_half_hour_shift);
  g_test_add_func ("/tf/time/zone/skipped-day", test_zone_skipped_day);
  g_test_add_func ("/tf/time/zone/utc-and-fixed", test_zone_utc);
  g_test_add_func ("/tf/time/zone/range", test_zone_range);
  g_test_add_func ("/tf/time/zone/unknown-rejected", test_zone_unknown);

  return g_test_run ();
}
