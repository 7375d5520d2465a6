/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sync-rules.c: what the server decides in a pushed record, whatever
 * a device sends — pushed to the real server on loopback, read back from
 * the real schema: a changed licence number loses its verification.
 */
#include "config.h"

#include <string.h>

#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;
static int counter;

static TfTestResponse *
push (TfTestUser *user, const char *mutations)
{
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s]}",
                                           mutations);
  return tf_test_request (server, "POST", "/v1/sync/push", user->token, body);
}

static JsonObject *
result_at (TfTestResponse *response, guint index)
{
  JsonArray *results;

  if (response->status != 200)
    g_error ("push failed: %u %s", response->status, response->text);
  results = json_object_get_array_member (tf_test_response_object (response), "results");
  g_assert_cmpuint (index, <, json_array_get_length (results));
  return json_array_get_object_element (results, index);
}

static const char *
status_at (TfTestResponse *response, guint index)
{
  return json_object_get_string_member (result_at (response, index), "status");
}

static TfTestUser *
new_user (const char *role)
{
  g_autofree char *email = g_strdup_printf ("rules-%s%d@example.gr", role, ++counter);

  return tf_test_register (server, email, role);
}

static char *db_text (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* The first value of an SQL query, as text (g_free). */
static char *
db_text (const char *format, ...)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return tf_test_pg_value (conn, sql);
}

static gint64 db_int (const char *format, ...) G_GNUC_PRINTF (1, 2);

static gint64
db_int (const char *format, ...)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return tf_test_pg_int (conn, sql);
}

/* --- verification ---------------------------------------------------------- */

static char *
therapist_mutation (gint64 mutation_id, TfTestUser *therapist, gint64 base, const char *license,
                    const char *bio)
{
  /* What the device holds: the row as pulled, verified flag included. */
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"therapists\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"user_id\": \"%s\", \"license_number\": \"%s\","
                          " \"license_verified\": true, \"bio\": \"%s\"}}",
                          mutation_id, therapist->user_id, base, therapist->user_id, license, bio);
}

/* A verified licence stays verified while its number stays; a new number
 * is not the one that was checked, so the same write clears it, and the
 * answer tells the device. */
static void
test_licence_change_clears_verification (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autofree char *license = NULL;
  g_autofree char *keep = NULL, *swap = NULL;
  g_autoptr(TfTestResponse) kept = NULL, swapped = NULL;
  JsonObject *record;
  gint64 version;

  /* An administrator verified it (there is no admin endpoint yet: SQL). */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *sql = g_strdup_printf ("UPDATE therapists SET license_verified = true"
                                            " WHERE user_id = '%s'", therapist->user_id);
    tf_test_pg_exec (conn, sql);
  }
  license = db_text ("SELECT license_number FROM therapists WHERE user_id = '%s'",
                     therapist->user_id);
  version = db_int ("SELECT version FROM therapists WHERE user_id = '%s'", therapist->user_id);

  keep = therapist_mutation (1, therapist, version, license, "Ψυχολόγος");
  kept = push (therapist, keep);
  g_assert_cmpstr (status_at (kept, 0), ==, "applied");
  g_assert_cmpint (db_int ("SELECT license_verified::int FROM therapists WHERE user_id = '%s'",
                           therapist->user_id), ==, 1);

  version = json_object_get_int_member (result_at (kept, 0), "version");
  swap = therapist_mutation (2, therapist, version, "GR-SWAPPED-1", "Ψυχολόγος");
  swapped = push (therapist, swap);
  g_assert_cmpstr (status_at (swapped, 0), ==, "applied");
  g_assert_cmpint (db_int ("SELECT license_verified::int FROM therapists WHERE user_id = '%s'",
                           therapist->user_id), ==, 0);
  /* The answer carries the stored record: the device shows "not verified". */
  record = json_object_get_object_member (result_at (swapped, 0), "record");
  g_assert_nonnull (record);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (record, "fields"),
                                                  "license_verified"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"),
                                                  "license_number"), ==, "GR-SWAPPED-1");
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_sync_rules", NULL);

  g_test_add_func ("/tf/sync-rules/licence-change-clears-verification",
                   test_licence_change_clears_verification);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
