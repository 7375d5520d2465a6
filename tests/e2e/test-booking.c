/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-booking.c: a therapist runs their own calendar from the terminal,
 * through the real server and PostgreSQL — books a client in their care
 * (confirmed at once, online with its link, seen so by the client's
 * device), is refused before anything is written for a person not in care
 * or over a time already booked; sets the rules a client's booking keeps
 * (notice, buffer, how far ahead), which the client's device keeps too;
 * moves an appointment (the time it had seen by both; a taken time refused
 * by the device, and by the server when the device did not know); marks
 * one attended only once its time has come.
 */
#include "config.h"

#include <string.h>

#include "tf-e2e-cli.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;

typedef struct
{
  char        *therapist_id;
  char        *client_id;
  TfE2eDevice *t;   /* the therapist's */
  TfE2eDevice *c;   /* the client's */
} Practice;

static void
practice_clear (Practice *p)
{
  g_free (p->therapist_id);
  g_free (p->client_id);
  g_clear_pointer (&p->t, tf_e2e_device_free);
  g_clear_pointer (&p->c, tf_e2e_device_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Practice, practice_clear)

/* A therapist and a client in their care, both synced. */
static void
practice_init (Practice *p)
{
  g_autofree char *therapist_email = tf_e2e_unique_email ("therapist");
  g_autofree char *client_email = tf_e2e_unique_email ("client");

  p->t = tf_e2e_device_new ();
  p->c = tf_e2e_device_new ();
  p->therapist_id = tf_e2e_register (p->t, therapist_email, "therapist");
  p->client_id = tf_e2e_register (p->c, client_email, "client");
  g_free (E2E_OK (p->c, "therapist", "link", "--email", therapist_email));
  tf_e2e_link_accepted (p->c, p->t);
  tf_e2e_sync (p->t);
}

/* @days from now at @hour:00 UTC, as RFC 3339. */
static char *
days_ahead (int days, int hour)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) at = g_date_time_new_utc (g_date_time_get_year (day),
                                                 g_date_time_get_month (day),
                                                 g_date_time_get_day_of_month (day), hour, 0, 0);

  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%SZ");
}

/* The appointment @id as @d lists it (a new reference), or NULL. */
static JsonObject *
listed (TfE2eDevice *d, const char *id)
{
  g_autoptr(JsonNode) list = E2E_JSON (d, "appointment", "list");
  JsonArray *all = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *a = json_array_get_object_element (all, i);

      if (g_strcmp0 (json_object_get_string_member (a, "id"), id) == 0)
        return json_object_ref (a);
    }
  return NULL;
}

static char *server_text (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* The first value of an SQL query on the server's database. */
static char *
server_text (const char *format, ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return tf_e2e_server_value (sql);
}

/* The therapist books an online session for their client at 07:00 UTC —
 * no working hours set, a client could book nothing — and the server
 * stores it confirmed with its link; the client's device shows it so.  A
 * person not in care and a time already booked are refused on the
 * therapist's device, and nothing reaches the server. */
static void
test_therapist_books (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *at = days_ahead (3, 7), *overlap = days_ahead (3, 7);
  g_autofree char *id = NULL, *status = NULL, *url = NULL, *count = NULL;
  g_autoptr(JsonObject) seen = NULL;
  g_auto(TfE2eRun) stranger = { 0 }, taken = { 0 }, by_client = { 0 };
  g_autofree char *nobody = g_uuid_string_random ();

  practice_init (&p);
  id = tf_e2e_first_line (E2E_OK (p.t, "appointment", "book", "--client", p.client_id, "--at", at,
                                  "--online", "--meeting-url",
                                  "https://meet.example.org/room-7"));
  g_assert_true (g_uuid_string_is_valid (id));
  tf_e2e_sync (p.t);
  status = server_text ("SELECT status FROM appointments WHERE id = '%s'", id);
  g_assert_cmpstr (status, ==, "confirmed");
  url = server_text ("SELECT meeting_url FROM appointments WHERE id = '%s'", id);
  g_assert_cmpstr (url, ==, "https://meet.example.org/room-7");

  tf_e2e_sync (p.c);
  seen = listed (p.c, id);
  g_assert_nonnull (seen);
  g_assert_cmpstr (json_object_get_string_member (seen, "status"), ==, "confirmed");
  g_assert_cmpstr (json_object_get_string_member (seen, "location_type"), ==, "online");
  g_assert_cmpstr (json_object_get_string_member (seen, "meeting_url"), ==,
                   "https://meet.example.org/room-7");

  E2E_RUN (&stranger, p.t, "appointment", "book", "--client", nobody, "--at", at);
  g_assert_cmpint (stranger.status, ==, 2);
  g_assert_nonnull (strstr (stranger.err, "not a client in your care"));
  E2E_RUN (&taken, p.t, "appointment", "book", "--client", p.client_id, "--at", overlap);
  g_assert_cmpint (taken.status, ==, 2);
  g_assert_nonnull (strstr (taken.err, "You already have an appointment at"));
  E2E_RUN (&by_client, p.c, "appointment", "book", "--client", p.client_id, "--at", at);
  g_assert_cmpint (by_client.status, ==, 2);
  tf_e2e_sync (p.t);
  count = server_text ("SELECT count(*) FROM appointments WHERE therapist_id = '%s'",
                       p.therapist_id);
  g_assert_cmpstr (count, ==, "1");
}

/* The therapist sets their rules from the terminal; the client's device,
 * once synced, refuses a booking inside the notice or too far ahead
 * before writing anything, and offers no slot inside the notice; an
 * online appointment the therapist books without a link gets one from the
 * template; `availability rules --json` reads them back. */
static void
test_rules (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *tomorrow = days_ahead (1, 9), *far = days_ahead (90, 9);
  g_autofree char *id = NULL, *url = NULL, *expected = NULL;
  g_auto(TfE2eRun) soon = { 0 }, ahead = { 0 }, bad = { 0 };
  g_autoptr(JsonNode) rules = NULL, slots = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_one = g_date_time_add_days (now, 1);
  g_autofree char *day = g_date_time_format (in_one, "%Y-%m-%d");
  JsonObject *o;

  practice_init (&p);
  for (int d = 0; d <= 6; d++)
    {
      g_autofree char *dow = g_strdup_printf ("%d", d);

      g_free (E2E_OK (p.t, "availability", "set", "--day", dow, "--from", "00:00", "--to",
                      "23:00"));
    }
  E2E_RUN (&bad, p.t, "availability", "rules", "--meeting-template", "meet-{id}");
  g_assert_cmpint (bad.status, ==, 2);
  g_free (E2E_OK (p.t, "availability", "rules", "--min-notice", "2880", "--buffer", "30",
                  "--ahead", "60", "--meeting-template", "https://meet.example.org/tf-{id}",
                  "--address", "Σόλωνος 10, Αθήνα"));
  rules = E2E_JSON (p.t, "availability", "rules");
  o = json_node_get_object (rules);
  g_assert_cmpint (json_object_get_int_member (o, "min_notice_minutes"), ==, 2880);
  g_assert_cmpint (json_object_get_int_member (o, "buffer_minutes"), ==, 30);
  g_assert_cmpint (json_object_get_int_member (o, "max_days_ahead"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (o, "practice_address"), ==,
                   "Σόλωνος 10, Αθήνα");
  tf_e2e_sync (p.t);
  tf_e2e_sync (p.c);

  E2E_RUN (&soon, p.c, "appointment", "book", "--therapist", p.therapist_id, "--at", tomorrow);
  g_assert_cmpint (soon.status, ==, 2);
  g_assert_nonnull (strstr (soon.err, "at least 48 hours ahead"));
  E2E_RUN (&ahead, p.c, "appointment", "book", "--therapist", p.therapist_id, "--at", far);
  g_assert_cmpint (ahead.status, ==, 2);
  g_assert_nonnull (strstr (ahead.err, "at most 60 days ahead"));
  slots = E2E_JSON (p.c, "slots", "--therapist", p.therapist_id, "--from", day, "--to", day);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (slots)), ==, 0);

  id = tf_e2e_first_line (E2E_OK (p.t, "appointment", "book", "--client", p.client_id, "--at",
                                  tomorrow, "--online"));
  tf_e2e_sync (p.t);
  url = server_text ("SELECT meeting_url FROM appointments WHERE id = '%s'", id);
  expected = g_strdup_printf ("https://meet.example.org/tf-%s", id);
  g_assert_cmpstr (url, ==, expected);
}

/* The therapist moves an appointment: onto their other one it is refused
 * on their device; to a free time it is moved, and both sides see the time
 * it had.  A second device of the therapist that has not heard of a new
 * booking moves onto it: the real server refuses that (slot_taken).  An
 * appointment is marked attended only once its time has come: refused
 * before, on the device, and taken after it. */
static void
test_move_and_attend (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *day3 = days_ahead (3, 7), *day3_later = days_ahead (3, 9);
  g_autofree char *day4 = days_ahead (4, 7), *day5 = days_ahead (5, 7);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *previous = NULL, *email = NULL;
  g_autofree char *soon_at = NULL, *soon = NULL, *status = NULL;
  g_auto(TfE2eRun) taken = { 0 }, early = { 0 }, late_early = { 0 }, by_client = { 0 };
  g_autoptr(JsonObject) seen = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(TfE2eDevice) t2 = tf_e2e_device_new ();
  JsonArray *rejections;
  gboolean refused = FALSE;

  practice_init (&p);
  a = tf_e2e_first_line (E2E_OK (p.t, "appointment", "book", "--client", p.client_id, "--at",
                                 day3));
  b = tf_e2e_first_line (E2E_OK (p.t, "appointment", "book", "--client", p.client_id, "--at",
                                 day3_later));
  E2E_RUN (&taken, p.t, "appointment", "move", a, "--at", day3_later);
  g_assert_cmpint (taken.status, ==, 2);
  g_assert_nonnull (strstr (taken.err, "is taken"));
  g_free (E2E_OK (p.t, "appointment", "move", a, "--at", day4));
  tf_e2e_sync (p.t);
  previous = server_text ("SELECT to_char (previous_datetime AT TIME ZONE 'UTC',"
                          " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM appointments WHERE id = '%s'",
                          a);
  g_assert_cmpstr (previous, ==, day3);
  tf_e2e_sync (p.c);
  seen = listed (p.c, a);
  g_assert_nonnull (seen);
  g_assert_cmpstr (json_object_get_string_member (seen, "appointment_datetime"), ==, day4);
  g_assert_cmpstr (json_object_get_string_member (seen, "previous_datetime"), ==, day3);
  g_assert_cmpstr (json_object_get_string_member (seen, "moved_by"), ==, p.therapist_id);
  /* Confirmed: the time is the therapist's. */
  E2E_RUN (&by_client, p.c, "appointment", "move", a, "--at", day5);
  g_assert_cmpint (by_client.status, ==, 2);
  g_assert_nonnull (strstr (by_client.err, "ask them to move it"));

  /* The therapist's other device, offline while the first books day 5. */
  email = server_text ("SELECT email FROM users WHERE id = '%s'", p.therapist_id);
  g_free (E2E_OK (t2, "account", "login", "--server", server->base_url, "--email", email));
  tf_e2e_sync (t2);
  c = tf_e2e_first_line (E2E_OK (p.t, "appointment", "book", "--client", p.client_id, "--at",
                                 day5));
  tf_e2e_sync (p.t);
  g_free (E2E_OK (t2, "appointment", "move", b, "--at", day5));
  synced = E2E_JSON (t2, "sync");
  rejections = json_object_get_array_member (json_node_get_object (synced), "rejections");
  for (guint i = 0; i < json_array_get_length (rejections); i++)
    {
      JsonObject *r = json_array_get_object_element (rejections, i);

      refused |= g_strcmp0 (json_object_get_string_member (r, "id"), b) == 0 &&
                 g_strcmp0 (json_object_get_string_member (r, "code"), "slot_taken") == 0;
    }
  g_assert_true (refused);
  status = server_text ("SELECT to_char (appointment_datetime AT TIME ZONE 'UTC',"
                        " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM appointments WHERE id = '%s'", b);
  g_assert_cmpstr (status, ==, day3_later);

  /* Attended only once the time has come. */
  E2E_RUN (&early, p.t, "appointment", "attend", a);
  g_assert_cmpint (early.status, ==, 2);
  g_assert_nonnull (strstr (early.err, "has not started yet"));
  E2E_RUN (&late_early, p.t, "appointment", "late-cancel", a);
  g_assert_cmpint (late_early.status, ==, 2);
  g_assert_nonnull (strstr (late_early.err, "has not started yet"));
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) in_a_moment = g_date_time_add_seconds (now, 20);

    soon_at = g_date_time_format (in_a_moment, "%Y-%m-%dT%H:%M:%SZ");
  }
  soon = tf_e2e_first_line (E2E_OK (p.t, "appointment", "book", "--client", p.client_id, "--at",
                                    soon_at));
  tf_e2e_sync (p.t);
  {
    g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (soon_at, NULL);

    while (TRUE)
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

        if (g_date_time_compare (now, start) > 0)
          break;
        g_usleep (G_USEC_PER_SEC / 2);
      }
  }
  g_free (E2E_OK (p.t, "appointment", "attend", soon));
  tf_e2e_sync (p.t);
  g_clear_pointer (&status, g_free);
  status = server_text ("SELECT status FROM appointments WHERE id = '%s'", soon);
  g_assert_cmpstr (status, ==, "completed");
  g_assert_nonnull (c);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_booking", NULL);
  tf_e2e_set_server (server);

  g_test_add_func ("/booking/therapist-books", test_therapist_books);
  g_test_add_func ("/booking/rules", test_rules);
  g_test_add_func ("/booking/move-and-attend", test_move_and_attend);
  status = g_test_run ();

  tf_test_server_stop (server);
  return status;
}
