/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-booking-rules.c: a therapist's booking rules as the device and the
 * server both apply them (common/tf-booking-rules.c): the notice (the
 * therapist's, else the default), how far ahead, the buffer around each
 * appointment.
 */
#include "config.h"

#include "tf-booking-rules.h"
#include "tf-time.h"

static GDateTime *
at (const char *text)
{
  GDateTime *t = tf_time_parse_timestamp (text, NULL);

  g_assert_nonnull (t);
  return t;
}

static JsonObject *
fields (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
test_none_set (void)
{
  TfBookingRules rules;
  g_autoptr(GDateTime) now = at ("2026-12-03T10:00:00Z");
  g_autoptr(GDateTime) in_an_hour = at ("2026-12-03T11:00:00Z");
  g_autoptr(GDateTime) in_three = at ("2026-12-03T13:00:00Z");
  g_autoptr(GDateTime) years = at ("2029-12-03T13:00:00Z");

  tf_booking_rules_init_from_fields (&rules, NULL);
  g_assert_cmpint (rules.min_notice_minutes, ==, -1);
  /* The default notice (the server's booking-notice-minutes) applies. */
  g_assert_cmpstr (tf_booking_rules_check_time (&rules, 120, now, in_an_hour), ==, "too_soon");
  g_assert_null (tf_booking_rules_check_time (&rules, 120, now, in_three));
  g_assert_null (tf_booking_rules_check_time (&rules, 0, now, years));
  /* The past is always too soon. */
  g_assert_cmpstr (tf_booking_rules_check_time (&rules, 0, in_an_hour, now), ==, "too_soon");
}

static void
test_notice_and_ahead (void)
{
  g_autoptr(JsonObject) f = fields ("{\"min_notice_minutes\": 0, \"max_days_ahead\": 30}");
  TfBookingRules rules;
  g_autoptr(GDateTime) now = at ("2026-12-03T10:00:00Z");
  g_autoptr(GDateTime) soon = at ("2026-12-03T10:05:00Z");
  g_autoptr(GDateTime) last = at ("2027-01-02T10:00:00Z");
  g_autoptr(GDateTime) after = at ("2027-01-02T10:01:00Z");

  tf_booking_rules_init_from_fields (&rules, f);
  /* The therapist's 0 wins over the default 120. */
  g_assert_cmpint (tf_booking_rules_notice (&rules, 120), ==, 0);
  g_assert_null (tf_booking_rules_check_time (&rules, 120, now, soon));
  g_assert_null (tf_booking_rules_check_time (&rules, 120, now, last));
  g_assert_cmpstr (tf_booking_rules_check_time (&rules, 120, now, after), ==, "too_far_ahead");
}

static void
test_buffer (void)
{
  g_autoptr(JsonObject) f = fields ("{\"buffer_minutes\": 15}");
  TfBookingRules rules;
  g_autoptr(GDateTime) ten = at ("2026-12-10T10:00:00Z");
  g_autoptr(GDateTime) eleven = at ("2026-12-10T11:00:00Z");
  g_autoptr(GDateTime) eleven_ten = at ("2026-12-10T11:10:00Z");
  g_autoptr(GDateTime) eleven_fifteen = at ("2026-12-10T11:15:00Z");
  g_autoptr(GDateTime) nine = at ("2026-12-10T08:50:00Z");
  g_autoptr(GPtrArray) booked = g_ptr_array_new_with_free_func (g_free);
  TfBooked *b = g_new0 (TfBooked, 1);

  b->start = ten;
  b->duration_minutes = 60;   /* 10:00-11:00 */
  g_ptr_array_add (booked, b);
  tf_booking_rules_init_from_fields (&rules, f);
  g_assert_true (tf_booking_rules_breaks_buffer (&rules, eleven, 50, booked));
  g_assert_true (tf_booking_rules_breaks_buffer (&rules, eleven_ten, 50, booked));
  g_assert_false (tf_booking_rules_breaks_buffer (&rules, eleven_fifteen, 50, booked));
  /* 08:50-09:40 ends 20 minutes before: clear; 08:50-09:50, 10 minutes: not. */
  g_assert_false (tf_booking_rules_breaks_buffer (&rules, nine, 50, booked));
  g_assert_true (tf_booking_rules_breaks_buffer (&rules, nine, 60, booked));
  /* No buffer: only the appointment itself. */
  rules.buffer_minutes = 0;
  g_assert_false (tf_booking_rules_breaks_buffer (&rules, eleven, 50, booked));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/booking-rules/none-set", test_none_set);
  g_test_add_func ("/booking-rules/notice-and-ahead", test_notice_and_ahead);
  g_test_add_func ("/booking-rules/buffer", test_buffer);
  return g_test_run ();
}
