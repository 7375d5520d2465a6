/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-session-record.c: the record of a held session, through the real
 * server and PostgreSQL.  The therapist cannot record a session before its
 * time, nor one that ends before it begins; once held, they record when it
 * began and ended, their own notes, and a summary, homework and plan for the
 * client.  The client's device holds the session but reads none of it until
 * the therapist shares it; shared, the client reads the summary, homework
 * and plan and never the therapist's own notes; no longer shared, what the
 * therapist writes afterwards stays closed to the client.  The session
 * reaches the client's device in the same pull as the appointment it
 * belongs to, whose therapist is who signed it: the device checks it
 * against the appointment from that page (tf_store_get_checked).
 */
#include "config.h"

#include <string.h>

#include "tf-e2e-cli.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;

static char *
moment_from_now (int seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static void
wait_until (const char *moment)
{
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (moment, NULL);

  while (TRUE)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (g_date_time_compare (now, start) > 0)
        return;
      g_usleep (G_USEC_PER_SEC / 4);
    }
}

static JsonObject *
shown (TfE2eDevice *d, const char *appointment)
{
  JsonNode *node = E2E_JSON (d, "session", "show", appointment);
  JsonObject *o = json_object_ref (json_node_get_object (node));

  json_node_unref (node);
  return o;
}

static void
test_record_and_share (void)
{
  g_autofree char *therapist_email = tf_e2e_unique_email ("therapist");
  g_autofree char *client_email = tf_e2e_unique_email ("client");
  g_autoptr(TfE2eDevice) t = tf_e2e_device_new ();
  g_autoptr(TfE2eDevice) c = tf_e2e_device_new ();
  g_autofree char *client_id = NULL, *soon_at = NULL, *later_at = NULL;
  g_autofree char *soon = NULL, *later = NULL, *started = NULL, *ended = NULL;
  g_autoptr(JsonObject) seen = NULL;
  g_auto(TfE2eRun) early = { 0 }, backwards = { 0 }, by_client = { 0 };

  g_free (tf_e2e_register (t, therapist_email, "therapist"));
  client_id = tf_e2e_register (c, client_email, "client");
  g_free (E2E_OK (c, "therapist", "link", "--email", therapist_email));
  tf_e2e_link_accepted (c, t);
  tf_e2e_sync (t);
  soon_at = moment_from_now (15);
  later_at = moment_from_now (3 * 24 * 3600);
  soon = tf_e2e_first_line (E2E_OK (t, "appointment", "book", "--client", client_id, "--at",
                                    soon_at));
  later = tf_e2e_first_line (E2E_OK (t, "appointment", "book", "--client", client_id, "--at",
                                     later_at));
  tf_e2e_sync (t);

  /* Not before it is held. */
  E2E_RUN (&early, t, "session", "record", later, "--summary", "too early");
  g_assert_cmpint (early.status, !=, 0);
  g_assert_nonnull (strstr (early.err, "has not taken place yet"));

  wait_until (soon_at);
  started = g_strdup (soon_at);
  ended = moment_from_now (0);
  E2E_RUN (&backwards, t, "session", "record", soon, "--start", ended, "--end", started);
  if (g_strcmp0 (started, ended) != 0)
    {
      g_assert_cmpint (backwards.status, !=, 0);
      g_assert_nonnull (strstr (backwards.err, "cannot end before it begins"));
    }
  E2E_RUN (&by_client, c, "session", "record", soon, "--summary", "mine");
  g_assert_cmpint (by_client.status, !=, 0);

  g_free (E2E_OK (t, "session", "record", soon, "--start", started, "--end", ended,
                  "--technical-issues", "--notes", "Αντίσταση όταν μιλήσαμε για τον πατέρα",
                  "--summary", "Μιλήσαμε για το άγχος στη δουλειά",
                  "--homework", "Ημερολόγιο σκέψεων κάθε βράδυ",
                  "--plan", "Έκθεση σε βήματα"));
  tf_e2e_sync (t);
  tf_e2e_sync (c);

  /* Held by the client's device, read by it only once shared. */
  seen = shown (c, soon);
  g_assert_true (json_object_get_boolean_member_with_default (seen, "unreadable", FALSE));
  g_assert_true (json_object_get_null_member (seen, "session_summary"));
  g_assert_true (json_object_get_boolean_member (seen, "technical_issues"));
  g_clear_pointer (&seen, json_object_unref);

  g_free (E2E_OK (t, "session", "record", soon, "--share"));
  tf_e2e_sync (t);
  tf_e2e_sync (c);
  seen = shown (c, soon);
  g_assert_false (json_object_get_boolean_member_with_default (seen, "unreadable", FALSE));
  g_assert_cmpstr (json_object_get_string_member (seen, "session_summary"), ==,
                   "Μιλήσαμε για το άγχος στη δουλειά");
  g_assert_cmpstr (json_object_get_string_member (seen, "homework_assigned"), ==,
                   "Ημερολόγιο σκέψεων κάθε βράδυ");
  g_assert_cmpstr (json_object_get_string_member (seen, "next_session_plan"), ==,
                   "Έκθεση σε βήματα");
  /* The therapist's own notes stay theirs. */
  g_assert_true (json_object_get_null_member (seen, "therapist_notes"));
  g_clear_pointer (&seen, json_object_unref);
  {
    g_autofree char *text = E2E_OK (c, "session", "show", soon);

    g_assert_nonnull (strstr (text, "Ημερολόγιο σκέψεων κάθε βράδυ"));
    g_assert_null (strstr (text, "πατέρα"));
  }

  /* No longer shared: what is written afterwards stays closed to them. */
  g_free (E2E_OK (t, "session", "record", soon, "--no-share", "--summary",
                  "Νέα περίληψη μόνο για μένα"));
  tf_e2e_sync (t);
  tf_e2e_sync (c);
  seen = shown (c, soon);
  g_assert_true (json_object_get_boolean_member_with_default (seen, "unreadable", FALSE));
  g_assert_true (json_object_get_null_member (seen, "session_summary"));
  g_clear_pointer (&seen, json_object_unref);
  seen = shown (t, soon);
  g_assert_cmpstr (json_object_get_string_member (seen, "session_summary"), ==,
                   "Νέα περίληψη μόνο για μένα");
  g_assert_cmpstr (json_object_get_string_member (seen, "therapist_notes"), ==,
                   "Αντίσταση όταν μιλήσαμε για τον πατέρα");
  g_assert_false (json_object_get_boolean_member (seen, "shared_with_client"));
  /* What the server holds is ciphertext. */
  {
    g_autofree char *sql = g_strdup_printf ("SELECT session_summary LIKE 'tf1:%%' FROM sessions"
                                            " WHERE appointment_id = '%s'", soon);
    g_autofree char *sealed = tf_e2e_server_value (sql);

    g_assert_cmpstr (sealed, ==, "t");
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_session_record", NULL);
  tf_e2e_set_server (server);
  g_test_add_func ("/session-record/record-and-share", test_record_and_share);
  status = g_test_run ();

  tf_test_server_stop (server);
  return status;
}
