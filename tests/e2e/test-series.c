/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-series.c: a therapist books a client weekly for ten weeks from the
 * terminal, through the real server and PostgreSQL — the preview shows the
 * two weeks that clash (another appointment, a day off) before anything is
 * written, the booking is refused until --skip-clashes leaves them out,
 * the eight that are booked reach the server and the client as one
 * series, every one at 10:00 in Athens; one occurrence is cancelled alone
 * and then the last ones "this and the following".
 */
#include "config.h"

#include <string.h>

#include "tf-e2e-cli.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;

/* 10:00 in Athens on the local date @days from now, as RFC 3339 with its
 * offset, and that date in @out_date. */
static char *
athens_ten (int days, char **out_date)
{
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) now = g_date_time_new_now (athens);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) ten = g_date_time_new (athens, g_date_time_get_year (day),
                                              g_date_time_get_month (day),
                                              g_date_time_get_day_of_month (day), 10, 0, 0);

  if (out_date != NULL)
    *out_date = g_date_time_format (ten, "%Y-%m-%d");
  return g_date_time_format (ten, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
server_count (const char *sql)
{
  g_autofree char *value = tf_e2e_server_value (sql);

  return g_ascii_strtoll (value, NULL, 10);
}

/* The therapist's hours: 09:00 to 17:00 every day. */
static void
set_hours (TfE2eDevice *t)
{
  for (int d = 0; d <= 6; d++)
    {
      g_autofree char *dow = g_strdup_printf ("%d", d);
      g_free (E2E_OK (t, "availability", "set", "--day", dow, "--from", "09:00", "--to",
                      "17:00"));
    }
}

/* A therapist on @t and a client on @c in their care (the request
 * accepted), both synced; the client's user id. */
static char *
practice_init (TfE2eDevice *t, TfE2eDevice *c, const char *therapist_email,
               const char *client_email)
{
  char *client_id;

  g_free (tf_e2e_register (t, therapist_email, "therapist"));
  client_id = tf_e2e_register (c, client_email, "client");
  g_free (E2E_OK (c, "therapist", "link", "--email", therapist_email));
  tf_e2e_link_accepted (c, t);
  tf_e2e_sync (t);
  return client_id;
}

static void
test_weekly_ten_weeks (void)
{
  g_autofree char *therapist_email = tf_e2e_unique_email ("therapist");
  g_autofree char *client_email = tf_e2e_unique_email ("client");
  g_autoptr(TfE2eDevice) t = tf_e2e_device_new ();
  g_autoptr(TfE2eDevice) c = tf_e2e_device_new ();
  g_autofree char *therapist_id = NULL, *client_id = NULL, *single = NULL, *first = NULL;
  g_autofree char *week4 = NULL, *week7_date = NULL, *day_off = NULL, *series_id = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(JsonNode) preview = NULL, booked = NULL, cancelled = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *occurrences;

  therapist_id = tf_e2e_register (t, therapist_email, "therapist");
  client_id = tf_e2e_register (c, client_email, "client");
  g_free (E2E_OK (c, "therapist", "link", "--email", therapist_email));
  tf_e2e_link_accepted (c, t);
  tf_e2e_sync (t);
  set_hours (t);

  /* What will clash: the 4th week already booked, the 7th a day off. */
  first = athens_ten (7, NULL);
  week4 = athens_ten (7 + 3 * 7, NULL);
  g_free (athens_ten (7 + 6 * 7, &week7_date));
  single = tf_e2e_first_line (E2E_OK (t, "appointment", "book", "--client", client_id, "--at",
                                      week4));
  day_off = tf_e2e_first_line (E2E_OK (t, "availability", "block", "--date", week7_date,
                                       "--reason", "Συνέδριο"));

  /* The preview: ten weeks, two clashes, each with what it meets. */
  preview = E2E_JSON (t, "appointment", "book", "--client", client_id, "--at", first,
                      "--repeat", "weekly", "--count", "10", "--preview");
  /* A preview books nothing: no series yet. */
  g_assert_true (json_object_get_null_member (json_node_get_object (preview), "series_id"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (preview), "clashes"), ==, 2);
  occurrences = json_object_get_array_member (json_node_get_object (preview), "occurrences");
  g_assert_cmpuint (json_array_get_length (occurrences), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      JsonObject *o = json_array_get_object_element (occurrences, i);
      const char *clash = json_object_get_string_member (o, "clash");

      if (i == 3)
        {
          g_assert_cmpstr (clash, ==, "booked");
          g_assert_cmpstr (json_object_get_string_member (o, "clash_with"), ==, single);
        }
      else if (i == 6)
        {
          g_assert_cmpstr (clash, ==, "blocked");
          g_assert_cmpstr (json_object_get_string_member (o, "clash_with"), ==, day_off);
          g_assert_cmpstr (json_object_get_string_member (o, "date"), ==, week7_date);
        }
      else
        g_assert_null (clash);
    }

  /* Before the hours, and in the past: shown too. */
  {
    g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
    g_autoptr(GDateTime) now = g_date_time_new_now (athens);
    g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
    g_autoptr(GDateTime) early = g_date_time_new (athens, g_date_time_get_year (later),
                                                  g_date_time_get_month (later),
                                                  g_date_time_get_day_of_month (later), 7, 0, 0);
    g_autoptr(GDateTime) ago = g_date_time_add_days (now, -14);
    g_autofree char *at_early = g_date_time_format (early, "%Y-%m-%dT%H:%M:%S%:z");
    g_autofree char *at_ago = g_date_time_format (ago, "%Y-%m-%dT%H:%M:00%:z");
    g_autoptr(JsonNode) before_hours = NULL, past = NULL;
    JsonArray *o;

    before_hours = E2E_JSON (t, "appointment", "book", "--client", client_id, "--at", at_early,
                             "--repeat", "monthly", "--count", "2", "--preview");
    o = json_object_get_array_member (json_node_get_object (before_hours), "occurrences");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (o, 0),
                                                    "clash"), ==, "outside_hours");
    past = E2E_JSON (t, "appointment", "book", "--client", client_id, "--at", at_ago,
                     "--repeat", "weekly", "--count", "3", "--preview");
    o = json_object_get_array_member (json_node_get_object (past), "occurrences");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (o, 0),
                                                    "clash"), ==, "past");
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (o, 1),
                                                    "clash"), ==, "past");
  }

  /* Refused as a whole while it clashes: the lines say which, nothing is written. */
  {
    g_auto(TfE2eRun) refused = { 0 };
    g_autoptr(JsonNode) list = NULL;

    E2E_RUN (&refused, t, "appointment", "book", "--client", client_id, "--at", first,
             "--repeat", "weekly", "--count", "10");
    g_assert_cmpint (refused.status, ==, 2);
    g_assert_nonnull (strstr (refused.err, "2 of the 10 appointments of the series clash"));
    g_assert_nonnull (strstr (refused.err, "--skip-clashes"));
    g_assert_nonnull (strstr (refused.out, "clash: another appointment then"));
    g_assert_nonnull (strstr (refused.out, "clash: on a day off"));
    list = E2E_JSON (t, "appointment", "list");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  }

  /* Booked without the two. */
  booked = E2E_JSON (t, "appointment", "book", "--client", client_id, "--at", first,
                     "--repeat", "weekly", "--count", "10", "--skip-clashes");
  series_id = g_strdup (json_object_get_string_member (json_node_get_object (booked),
                                                       "series_id"));
  g_assert_true (g_uuid_string_is_valid (series_id));
  occurrences = json_object_get_array_member (json_node_get_object (booked), "occurrences");
  for (guint i = 0; i < json_array_get_length (occurrences); i++)
    {
      JsonObject *o = json_array_get_object_element (occurrences, i);

      if (!json_object_get_null_member (o, "id"))
        g_ptr_array_add (ids, g_strdup (json_object_get_string_member (o, "id")));
      else
        g_assert_true (i == 3 || i == 6);
    }
  g_assert_cmpuint (ids->len, ==, 8);
  tf_e2e_sync (t);

  /* On the server: eight ordinary appointments of one series, each at
   * 10:00 in Athens, confirmed. */
  sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE series_id = '%s'"
                         " AND status = 'confirmed' AND deleted_at IS NULL"
                         " AND (appointment_datetime AT TIME ZONE 'Europe/Athens')::time"
                         "     = '10:00'", series_id);
  g_assert_cmpint (server_count (sql), ==, 8);

  /* The client's device sees them, of the series. */
  tf_e2e_sync (c);
  {
    g_autoptr(JsonNode) list = E2E_JSON (c, "appointment", "list");
    JsonArray *all = json_node_get_array (list);
    guint of_series = 0;

    for (guint i = 0; i < json_array_get_length (all); i++)
      of_series += g_strcmp0 (json_object_get_string_member_with_default (
                                json_array_get_object_element (all, i), "series_id", ""),
                              series_id) == 0;
    g_assert_cmpuint (of_series, ==, 8);
  }

  /* One cancelled alone (the 2nd week); then the 9th and 10th, "this and
   * the following" from the 9th (the 7th booked). */
  g_free (E2E_OK (t, "appointment", "cancel", g_ptr_array_index (ids, 1), "--reason",
                  "Ασθένεια"));
  cancelled = E2E_JSON (t, "appointment", "cancel", g_ptr_array_index (ids, 6), "--reason",
                        "Τέλος θεραπείας", "--series");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (cancelled), "cancelled"),
                   ==, 2);
  {
    g_auto(TfE2eRun) single_series = { 0 };

    E2E_RUN (&single_series, t, "appointment", "cancel", single, "--reason", "x", "--series");
    g_assert_cmpint (single_series.status, ==, 2);
    g_assert_nonnull (strstr (single_series.err, "not part of a series"));
  }
  tf_e2e_sync (t);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE series_id = '%s'"
                         " AND status = 'cancelled'", series_id);
  g_assert_cmpint (server_count (sql), ==, 3);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE series_id = '%s'"
                         " AND status = 'confirmed'", series_id);
  g_assert_cmpint (server_count (sql), ==, 5);
  /* This and the following moved an hour later from the 3rd week: the four
   * still confirmed from there (the 3rd to the 6th booked) go to 11:00, the
   * 1st stays at 10:00, the cancelled ones where they were. */
  {
    g_autoptr(JsonObject) third = NULL;
    g_autoptr(GDateTime) at = NULL, later = NULL;
    g_autofree char *to = NULL;
    g_autoptr(JsonNode) moved = NULL;
    g_autoptr(JsonNode) list = E2E_JSON (t, "appointment", "list");
    JsonArray *all = json_node_get_array (list);

    for (guint i = 0; i < json_array_get_length (all); i++)
      if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (all, i), "id"),
                     g_ptr_array_index (ids, 2)) == 0)
        third = json_object_ref (json_array_get_object_element (all, i));
    g_assert_nonnull (third);
    at = g_date_time_new_from_iso8601 (json_object_get_string_member (third,
                                                                      "appointment_datetime"),
                                       NULL);
    later = g_date_time_add_hours (at, 1);
    to = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
    moved = E2E_JSON (t, "appointment", "move", g_ptr_array_index (ids, 2), "--at", to,
                      "--series");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (moved), "moved"), ==, 4);
  }
  tf_e2e_sync (t);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE series_id = '%s'"
                         " AND status = 'confirmed' AND previous_datetime IS NOT NULL"
                         " AND (appointment_datetime AT TIME ZONE 'Europe/Athens')::time"
                         "     = '11:00'", series_id);
  g_assert_cmpint (server_count (sql), ==, 4);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE series_id = '%s'"
                         " AND (appointment_datetime AT TIME ZONE 'Europe/Athens')::time"
                         "     = '10:00'", series_id);
  g_assert_cmpint (server_count (sql), ==, 4);

  /* The single appointment is no part of it and stays. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT status FROM appointments WHERE id = '%s'", single);
  {
    g_autofree char *status = tf_e2e_server_value (sql);

    g_assert_cmpstr (status, ==, "confirmed");
  }
}

/* The series travels as one group: the therapist's other device took the
 * time of the 3rd week meanwhile (this one has not synced it), so the
 * server refuses that occurrence as slot_taken and with it the whole
 * series (group_refused), never a series with a hole no one chose. */
static void
test_one_group_on_the_server (void)
{
  g_autofree char *therapist_email = tf_e2e_unique_email ("therapist");
  g_autofree char *client_email = tf_e2e_unique_email ("client");
  g_autoptr(TfE2eDevice) t = tf_e2e_device_new ();
  g_autoptr(TfE2eDevice) phone = tf_e2e_device_new ();
  g_autoptr(TfE2eDevice) c = tf_e2e_device_new ();
  g_autofree char *client_id = NULL, *first = NULL, *week3 = NULL, *series_id = NULL;
  g_autofree char *sql = NULL, *taken = NULL;
  g_autoptr(JsonNode) booked = NULL, report = NULL;
  JsonArray *why;
  guint n_taken = 0, n_with = 0;

  client_id = practice_init (t, c, therapist_email, client_email);
  g_free (E2E_OK (phone, "account", "login", "--server", server->base_url, "--email",
                  therapist_email));
  tf_e2e_sync (phone);
  set_hours (t);

  first = athens_ten (8, NULL);
  week3 = athens_ten (8 + 2 * 7, NULL);
  taken = tf_e2e_first_line (E2E_OK (phone, "appointment", "book", "--client", client_id,
                                     "--at", week3));
  tf_e2e_sync (phone);

  booked = E2E_JSON (t, "appointment", "book", "--client", client_id, "--at", first,
                     "--repeat", "weekly", "--count", "4");
  series_id = g_strdup (json_object_get_string_member (json_node_get_object (booked),
                                                       "series_id"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (booked), "clashes"), ==, 0);
  report = E2E_JSON (t, "sync");

  sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE series_id = '%s'", series_id);
  g_assert_cmpint (server_count (sql), ==, 0);
  /* Four refused: the one that meets the other device's, and the three
   * that went with it. */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "rejected"), ==,
                   4);
  why = json_object_get_array_member (json_node_get_object (report), "rejections");
  for (guint i = 0; i < json_array_get_length (why); i++)
    {
      const char *code = json_object_get_string_member (json_array_get_object_element (why, i),
                                                        "code");

      n_taken += g_strcmp0 (code, "slot_taken") == 0;
      n_with += g_strcmp0 (code, "group_refused") == 0;
    }
  g_assert_cmpuint (n_taken, ==, 1);
  g_assert_cmpuint (n_with, ==, 3);
  /* The other device's appointment stands. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT status FROM appointments WHERE id = '%s'", taken);
  {
    g_autofree char *status = tf_e2e_server_value (sql);

    g_assert_cmpstr (status, ==, "confirmed");
  }
}

/* "This and the following" go by the series' order, not by where its
 * appointments are now: the 2nd week moved alone past the 3rd stays when the
 * 3rd and the following are cancelled (review of issue 12). */
static void
test_following_by_series_order (void)
{
  g_autofree char *therapist_email = tf_e2e_unique_email ("therapist");
  g_autofree char *client_email = tf_e2e_unique_email ("client");
  g_autoptr(TfE2eDevice) t = tf_e2e_device_new ();
  g_autoptr(TfE2eDevice) c = tf_e2e_device_new ();
  g_autofree char *client_id = NULL, *first = NULL, *past_third = NULL, *sql = NULL;
  g_autoptr(JsonNode) booked = NULL, cancelled = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  JsonArray *occurrences;

  client_id = practice_init (t, c, therapist_email, client_email);
  set_hours (t);
  first = athens_ten (7, NULL);
  booked = E2E_JSON (t, "appointment", "book", "--client", client_id, "--at", first,
                     "--repeat", "weekly", "--count", "4");
  occurrences = json_object_get_array_member (json_node_get_object (booked), "occurrences");
  for (guint i = 0; i < json_array_get_length (occurrences); i++)
    g_ptr_array_add (ids, g_strdup (json_object_get_string_member (
                                      json_array_get_object_element (occurrences, i), "id")));
  g_assert_cmpuint (ids->len, ==, 4);
  /* The 2nd week to two days after the 3rd. */
  past_third = athens_ten (7 + 2 * 7 + 2, NULL);
  g_free (E2E_OK (t, "appointment", "move", g_ptr_array_index (ids, 1), "--at", past_third));
  cancelled = E2E_JSON (t, "appointment", "cancel", g_ptr_array_index (ids, 2), "--reason",
                        "Τέλος θεραπείας", "--series");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (cancelled), "cancelled"),
                   ==, 2);
  tf_e2e_sync (t);
  sql = g_strdup_printf ("SELECT status FROM appointments WHERE id = '%s'",
                         (char *) g_ptr_array_index (ids, 1));
  {
    g_autofree char *status = tf_e2e_server_value (sql);

    g_assert_cmpstr (status, ==, "confirmed");
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_series", NULL);
  tf_e2e_set_server (server);

  g_test_add_func ("/series/weekly-ten-weeks", test_weekly_ten_weeks);
  g_test_add_func ("/series/one-group-on-the-server", test_one_group_on_the_server);
  g_test_add_func ("/series/following-by-series-order", test_following_by_series_order);
  status = g_test_run ();

  tf_test_server_stop (server);
  return status;
}
