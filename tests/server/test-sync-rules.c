/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sync-rules.c: what the server decides in a pushed record, whatever
 * a device sends — pushed to the real server on loopback, read back from
 * the real schema: a changed licence number loses its verification; no
 * text column takes more than its cap.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-registry.h"
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

/* --- length limits --------------------------------------------------------- */

static char *
repeat (const char *unit, guint n)
{
  GString *s = g_string_sized_new (strlen (unit) * n + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}

static char *
goal_mutation (gint64 mutation_id, const char *id, TfTestUser *user, const char *description)
{
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"goals\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                          " \"fields\": {\"user_id\": \"%s\", \"title\": \"Περπάτημα\","
                          " \"description\": \"%s\"}}", mutation_id, id, user->user_id,
                          description);
}

static void
assert_too_long (TfTestResponse *response, guint index, const char *field)
{
  JsonObject *result = result_at (response, index);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, "too_long");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "message"), field));
}

/* A megabyte of notes for the therapist, a TEXT column one character over
 * its cap, a JSON column and an encrypted one over theirs: each refused
 * with too_long naming the field, nothing stored; at the cap, stored. */
static void
test_length_limits (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autofree char *appt = g_uuid_string_random (), *goal_ok = g_uuid_string_random ();
  g_autofree char *goal_bad = g_uuid_string_random (), *mood = g_uuid_string_random ();
  g_autofree char *mood2 = g_uuid_string_random ();
  g_autofree char *megabyte = repeat ("a", 1000000);
  g_autofree char *at_cap = repeat ("α", TF_TEXT_MAX_CHARS);
  g_autofree char *over_cap = repeat ("α", TF_TEXT_MAX_CHARS + 1);
  g_autofree char *emotions = repeat ("a", TF_JSON_MAX_CHARS);
  g_autofree char *secret = repeat ("😀", TF_SECRET_MAX_CHARS + 1);
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *envelope = NULL;
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL, *m5 = NULL, *batch = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_crypto_init (NULL));
  envelope = tf_crypto_encrypt_field (key, "mood_entries", mood2, "notes", secret, &error);
  g_assert_no_error (error);
  m1 = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"appointments\", \"id\": \"%s\","
                        " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {"
                        "\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                        " \"appointment_datetime\": \"2031-05-05T10:00:00Z\", \"duration\": 50,"
                        " \"status\": \"pending\", \"price\": \"60.00\","
                        " \"notes_for_therapist\": \"%s\"}}",
                        appt, therapist->user_id, client->user_id, megabyte);
  m2 = goal_mutation (2, goal_bad, client, over_cap);
  m3 = goal_mutation (3, goal_ok, client, at_cap);
  m4 = g_strdup_printf ("{\"mutation_id\": 4, \"table\": \"mood_entries\", \"id\": \"%s\","
                        " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {"
                        "\"user_id\": \"%s\", \"mood_value\": 5,"
                        " \"created_at\": \"2026-11-20T08:00:00Z\", \"emotions\": [\"%s\"]}}",
                        mood, client->user_id, emotions);
  m5 = g_strdup_printf ("{\"mutation_id\": 5, \"table\": \"mood_entries\", \"id\": \"%s\","
                        " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {"
                        "\"user_id\": \"%s\", \"mood_value\": 5,"
                        " \"created_at\": \"2026-11-20T08:00:00Z\", \"notes\": \"%s\"}}",
                        mood2, client->user_id, envelope);
  batch = g_strjoin (", ", m1, m2, m3, m4, m5, NULL);
  r = push (client, batch);

  assert_too_long (r, 0, "notes_for_therapist");
  assert_too_long (r, 1, "description");
  g_assert_cmpstr (status_at (r, 2), ==, "applied");
  assert_too_long (r, 3, "emotions");
  assert_too_long (r, 4, "notes");
  g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'", appt), ==, 0);
  g_assert_cmpint (db_int ("SELECT count(*) FROM goals WHERE id = '%s'", goal_bad), ==, 0);
  g_assert_cmpint (db_int ("SELECT char_length(description) FROM goals WHERE id = '%s'", goal_ok),
                   ==, TF_TEXT_MAX_CHARS);
  g_assert_cmpint (db_int ("SELECT count(*) FROM mood_entries WHERE id IN ('%s', '%s')", mood,
                           mood2), ==, 0);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_sync_rules", NULL);

  g_test_add_func ("/tf/sync-rules/licence-change-clears-verification",
                   test_licence_change_clears_verification);
  g_test_add_func ("/tf/sync-rules/length-limits", test_length_limits);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
