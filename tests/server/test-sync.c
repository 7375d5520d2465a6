/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sync.c: push and pull through the real server on loopback, into the
 * real canonical schema: apply, idempotent retry, conflict, rejection that
 * does not stall, tombstones, pagination, visibility between users, sharing
 * with a therapist and its revocation, scheduling rules, locked session
 * notes, the therapist directory, every bad input, concurrent writers
 * against a pulling reader, and the long-poll.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-keys.h"
#include "tf-signed.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;
static int counter;

static char *
new_id (void)
{
  return g_uuid_string_random ();
}

static char *
now_plus (int seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%SZ");
}

static TfTestResponse *
push (TfTestUser *user, const char *mutations)
{
  return tf_test_push (server, user, mutations);
}

static char *mood_mutation (gint64 mutation_id, const char *id, const char *user, gint64 base,
                           int mood);

/* A device that sends no User-Agent pushes like any other (the audit row
 * records NULL). */
static void
test_push_without_user_agent (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "no-agent@example.org", "client");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = mood_mutation (1, id, user->user_id, 0, 5);
  g_autoptr(TfTestResponse) r = NULL;

  server->user_agent = "";
  r = push (user, m);
  server->user_agent = NULL;
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (tf_test_response_object (r), "results"), 0),
                     "status"), ==, "applied");
}

static char *
mood_mutation (gint64 mutation_id, const char *id, const char *user, gint64 base, int mood)
{
  return tf_test_mood_mutation (mutation_id, id, user, base, mood);
}

static char *
journal_mutation (gint64 mutation_id, const char *id, const char *user, gint64 base,
                  gboolean shared)
{
  g_autofree char *content = tf_test_envelope ("journal_entries", id, "content", "Σήμερα...");
  g_autofree char *title = tf_test_envelope ("journal_entries", id, "title", "Ημέρα");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"journal_entries\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"user_id\": \"%s\", \"title\": \"%s\","
                          " \"content\": \"%s\", \"therapist_shared\": %s,"
                          " \"created_at\": \"2026-11-20T08:00:00Z\"}}",
                          mutation_id, id, base, user, title, content, shared ? "true" : "false");
}

static JsonObject *
result_at (TfTestResponse *response, guint index)
{
  JsonObject *body = tf_test_response_object (response);
  JsonArray *results;

  if (response->status != 200)
    g_error ("push failed: %u %s", response->status, response->text);
  results = json_object_get_array_member (body, "results");
  g_assert_cmpuint (index, <, json_array_get_length (results));
  return json_array_get_object_element (results, index);
}

static const char *
status_at (TfTestResponse *response, guint index)
{
  return json_object_get_string_member (result_at (response, index), "status");
}

/* Pulls everything from @cursor; returns the changes, and the final cursor. */
static JsonArray *
pull_all (TfTestUser *user, gint64 cursor, guint limit, gint64 *out_cursor, guint *pages)
{
  JsonArray *all = json_array_new ();
  gboolean more = TRUE;

  if (pages)
    *pages = 0;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=%u", cursor, limit);
      g_autoptr(TfTestResponse) response = tf_test_request (server, "GET", path, user->token,
                                                            NULL);
      JsonObject *body;
      JsonArray *changes;

      if (response->status != 200)
        g_error ("pull failed: %u %s", response->status, response->text);
      body = tf_test_response_object (response);
      changes = json_object_get_array_member (body, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (changes, i)));
      g_assert_cmpint (json_object_get_int_member (body, "next_cursor"), >=, cursor);
      cursor = json_object_get_int_member (body, "next_cursor");
      more = json_object_get_boolean_member (body, "has_more");
      if (pages)
        (*pages)++;
    }
  if (out_cursor)
    *out_cursor = cursor;
  return all;
}

static JsonObject *
find_change (JsonArray *changes, const char *id)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      if (g_strcmp0 (json_object_get_string_member (change, "id"), id) == 0)
        found = change; /* the latest wins */
    }
  return found;
}

/* Only @table's changes (a pull also brings the user's own profile and the
 * public directory). */
static JsonArray *
only_table (JsonArray *changes, const char *table)
{
  JsonArray *some = json_array_new ();

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      if (g_strcmp0 (json_object_get_string_member (change, "table"), table) == 0)
        json_array_add_element (some, json_node_copy (json_array_get_element (changes, i)));
    }
  return some;
}

static TfTestUser *
new_user (const char *role)
{
  g_autofree char *email = g_strdup_printf ("%s%d@example.gr", role, ++counter);

  return tf_test_register (server, email, role);
}

/* --- push and pull --------------------------------------------------------- */

static void
test_push_pull_round_trip (void)
{
  g_autoptr(TfTestUser) anna = new_user ("client");
  g_autoptr(TfTestUser) laptop = tf_test_new_device (server, anna);
  g_autofree char *id = new_id ();
  g_autofree char *m = mood_mutation (1, id, anna->user_id, 0, 7);
  g_autoptr(TfTestResponse) response = push (anna, m);
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *change, *fields;
  gint64 version;

  g_assert_cmpstr (status_at (response, 0), ==, "applied");
  version = json_object_get_int_member (result_at (response, 0), "version");
  g_assert_cmpint (version, >, 0);
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (response),
                                               "last_mutation_id"), ==, 1);

  /* The other device receives it, byte for byte what was sent. */
  changes = pull_all (laptop, 0, 100, NULL, NULL);
  change = find_change (changes, id);
  g_assert_nonnull (change);
  g_assert_cmpstr (json_object_get_string_member (change, "table"), ==, "mood_entries");
  g_assert_cmpint (json_object_get_int_member (change, "version"), ==, version);
  g_assert_false (json_object_get_boolean_member (change, "deleted"));
  fields = json_object_get_object_member (change, "fields");
  g_assert_cmpint (json_object_get_int_member (fields, "mood_value"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (fields, "created_at"), ==,
                   "2026-11-20T08:00:00Z");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (fields, "notes"), "tf1:"));

  /* It landed in the seed's own table, as ciphertext. */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *sql = g_strdup_printf ("SELECT mood_value || ' ' || left(notes, 4) ||"
                                            " ' ' || version FROM mood_entries WHERE id = '%s'", id);
    g_autofree char *row = tf_test_pg_value (conn, sql);
    g_autofree char *expected = g_strdup_printf ("7 tf1: %" G_GINT64_FORMAT, version);
    g_assert_cmpstr (row, ==, expected);
  }
}

static void
test_idempotent_retry (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autofree char *id = new_id ();
  g_autofree char *m = mood_mutation (5, id, user->user_id, 0, 4);
  g_autoptr(TfTestResponse) first = push (user, m);
  g_autoptr(TfTestResponse) again = push (user, m);
  g_autoptr(JsonArray) changes = NULL;
  g_autofree char *a = NULL, *b = NULL;

  g_assert_cmpstr (status_at (first, 0), ==, "applied");
  /* The retry gets the stored answer, not a second write, marked as one
   * (a device that never sent the id learns its profile was restored). */
  g_assert_true (json_object_get_boolean_member (result_at (again, 0), "repeat"));
  json_object_remove_member (result_at (again, 0), "repeat");
  g_assert_false (json_object_has_member (result_at (first, 0), "repeat"));
  a = json_to_string (json_array_get_element (json_object_get_array_member (
        tf_test_response_object (first), "results"), 0), FALSE);
  b = json_to_string (json_array_get_element (json_object_get_array_member (
        tf_test_response_object (again), "results"), 0), FALSE);
  if (!json_node_equal (json_array_get_element (json_object_get_array_member (
                          tf_test_response_object (first), "results"), 0),
                        json_array_get_element (json_object_get_array_member (
                          tf_test_response_object (again), "results"), 0)))
    g_error ("retry answered %s, first answer was %s", b, a);
  {
    g_autoptr(JsonArray) all = pull_all (user, 0, 100, NULL, NULL);
    changes = only_table (all, "mood_entries");
  }
  g_assert_cmpuint (json_array_get_length (changes), ==, 1);
}

/* A push of @mutation saying the device was acknowledged up to @acked. */
static TfTestResponse *
push_acknowledged (TfTestUser *user, gint64 acked, const char *mutation)
{
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1,"
                                           " \"acknowledged_mutation_id\": %" G_GINT64_FORMAT ","
                                           " \"mutations\": [%s]}", acked, mutation);

  return tf_test_request (server, "POST", "/v1/sync/push", user->token, body);
}

/* A device acknowledged further than the server knows (its database was
 * restored from an older backup) gets nothing of its push taken and the
 * server's number, so it can put back what was lost first; a device that
 * says less, or nothing, is served as before. */
static void
test_behind_takes_nothing (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autofree char *id = new_id (), *later = new_id ();
  g_autofree char *m = mood_mutation (3, id, user->user_id, 0, 4);
  g_autofree char *m2 = mood_mutation (4, later, user->user_id, 0, 5);
  g_autoptr(TfTestResponse) refused = NULL, taken = NULL, again = NULL, wrong = NULL;
  JsonObject *answer;

  refused = push_acknowledged (user, 2, m);
  g_assert_cmpuint (refused->status, ==, 200);
  answer = tf_test_response_object (refused);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "results")),
                    ==, 0);
  g_assert_cmpint (json_object_get_int_member (answer, "last_mutation_id"), ==, 0);
  {
    g_autoptr(JsonArray) all = pull_all (user, 0, 100, NULL, NULL);
    g_autoptr(JsonArray) moods = only_table (all, "mood_entries");
    g_assert_cmpuint (json_array_get_length (moods), ==, 0);
  }

  /* Without it (an older device) the push goes on; with it at the server's
   * number too. */
  taken = push (user, m);
  g_assert_cmpstr (status_at (taken, 0), ==, "applied");
  again = push_acknowledged (user, 3, m2);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpstr (status_at (again, 0), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (again),
                                               "last_mutation_id"), ==, 4);

  wrong = push_acknowledged (user, -1, m2);
  g_assert_cmpuint (wrong->status, ==, 400);
  g_assert_cmpstr (tf_test_response_error_code (wrong), ==, "bad_value");
}

static void
test_conflict_keeps_server_row (void)
{
  g_autoptr(TfTestUser) phone = new_user ("client");
  g_autoptr(TfTestUser) laptop = tf_test_new_device (server, phone);
  g_autofree char *id = new_id ();
  g_autofree char *create = mood_mutation (1, id, phone->user_id, 0, 5);
  g_autoptr(TfTestResponse) created = push (phone, create);
  gint64 v1 = json_object_get_int_member (result_at (created, 0), "version");
  g_autofree char *edit_phone = mood_mutation (2, id, phone->user_id, v1, 8);
  g_autofree char *edit_laptop = mood_mutation (1, id, phone->user_id, v1, 2);
  g_autoptr(TfTestResponse) r1 = push (phone, edit_phone);
  g_autoptr(TfTestResponse) r2 = push (laptop, edit_laptop);
  JsonObject *conflict, *record;

  g_assert_cmpstr (status_at (r1, 0), ==, "applied");
  g_assert_cmpstr (status_at (r2, 0), ==, "conflict");
  conflict = result_at (r2, 0);
  record = json_object_get_object_member (conflict, "record");
  /* The answer carries the server's record, which was not overwritten. */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (record, "fields"),
                                               "mood_value"), ==, 8);
  g_assert_cmpint (json_object_get_int_member (record, "version"), ==,
                   json_object_get_int_member (result_at (r1, 0), "version"));
}

static void
test_rejected_does_not_stall (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autofree char *bad_id = new_id (), *good_id = new_id ();
  g_autofree char *bad = mood_mutation (1, bad_id, user->user_id, 0, 11);
  g_autofree char *good = mood_mutation (2, good_id, user->user_id, 0, 6);
  g_autofree char *both = g_strdup_printf ("%s, %s", bad, good);
  g_autoptr(TfTestResponse) response = push (user, both);
  g_autoptr(JsonArray) changes = NULL;

  g_assert_cmpstr (status_at (response, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (response, 0), "code"), ==,
                   "validation");
  g_assert_nonnull (strstr (json_object_get_string_member (result_at (response, 0), "message"),
                            "mood_value"));
  g_assert_cmpstr (status_at (response, 1), ==, "applied");
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (response),
                                               "last_mutation_id"), ==, 2);
  changes = pull_all (user, 0, 100, NULL, NULL);
  g_assert_nonnull (find_change (changes, good_id));
  g_assert_null (find_change (changes, bad_id));
}

/* A push of @mutations with "atomic_groups": @groups (JSON text). */
static TfTestResponse *
push_groups (TfTestUser *user, const char *mutations, const char *groups)
{
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s],"
                                           " \"atomic_groups\": %s}", mutations, groups);

  return tf_test_request (server, "POST", "/v1/sync/push", user->token, body);
}

/* The mutations of an atomic group are applied all or none: one refused
 * (a rule, a conflict) and the others are "group_refused" and nothing of
 * them is written, while the mutations around the group go on; a retry
 * gets the same answers; a group that passes is written whole. */
static void
test_atomic_groups (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  char *ids[8];
  g_autofree char *batch = NULL, *conflicting = NULL, *whole = NULL;
  g_autoptr(TfTestResponse) r = NULL, again = NULL, c = NULL, w = NULL;
  g_autoptr(JsonArray) changes = NULL;
  const char *malformed[] = { "\"x\"", "[[3, 2]]", "[[1, 9]]", "[[1, 3], [2, 4]]", "[[1]]",
                              "[[\"1\", 2]]" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = new_id ();
  {
    g_autofree char *m1 = mood_mutation (1, ids[0], user->user_id, 0, 4);
    g_autofree char *m2 = mood_mutation (2, ids[1], user->user_id, 0, 5);
    g_autofree char *m3 = mood_mutation (3, ids[2], user->user_id, 0, 11); /* out of range */
    g_autofree char *m4 = mood_mutation (4, ids[3], user->user_id, 0, 6);

    batch = g_strdup_printf ("%s, %s, %s, %s", m1, m2, m3, m4);
  }
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autoptr(TfTestResponse) bad = push_groups (user, batch, malformed[i]);

      g_assert_cmpuint (bad->status, ==, 400);
    }
  r = push_groups (user, batch, "[[2, 3]]");
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_cmpstr (status_at (r, 1), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r, 1), "code"), ==,
                   "group_refused");
  g_assert_cmpstr (status_at (r, 2), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r, 2), "code"), ==, "validation");
  g_assert_cmpstr (status_at (r, 3), ==, "applied");
  again = push_groups (user, batch, "[[2, 3]]");
  g_assert_cmpstr (json_object_get_string_member (result_at (again, 1), "code"), ==,
                   "group_refused");
  g_assert_true (json_object_get_boolean_member (result_at (again, 1), "repeat"));

  /* A conflict fails its group too. */
  {
    g_autofree char *m5 = mood_mutation (5, ids[4], user->user_id, 0, 5);
    g_autofree char *m6 = mood_mutation (6, ids[5], user->user_id, 7, 5); /* no version 7 */

    conflicting = g_strdup_printf ("%s, %s", m5, m6);
  }
  c = push_groups (user, conflicting, "[[5, 6]]");
  g_assert_cmpstr (json_object_get_string_member (result_at (c, 0), "code"), ==,
                   "group_refused");
  g_assert_cmpstr (status_at (c, 1), ==, "conflict");

  {
    g_autofree char *m7 = mood_mutation (7, ids[6], user->user_id, 0, 2);
    g_autofree char *m8 = mood_mutation (8, ids[7], user->user_id, 0, 3);

    whole = g_strdup_printf ("%s, %s", m7, m8);
  }
  w = push_groups (user, whole, "[[7, 8]]");
  g_assert_cmpstr (status_at (w, 0), ==, "applied");
  g_assert_cmpstr (status_at (w, 1), ==, "applied");

  changes = pull_all (user, 0, 100, NULL, NULL);
  g_assert_nonnull (find_change (changes, ids[0]));
  g_assert_null (find_change (changes, ids[1]));
  g_assert_null (find_change (changes, ids[2]));
  g_assert_nonnull (find_change (changes, ids[3]));
  g_assert_null (find_change (changes, ids[4]));
  g_assert_null (find_change (changes, ids[5]));
  g_assert_nonnull (find_change (changes, ids[6]));
  g_assert_nonnull (find_change (changes, ids[7]));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
}

static void
test_tombstones_propagate (void)
{
  g_autoptr(TfTestUser) phone = new_user ("client");
  g_autoptr(TfTestUser) laptop = tf_test_new_device (server, phone);
  g_autofree char *id = new_id ();
  g_autofree char *create = mood_mutation (1, id, phone->user_id, 0, 5);
  g_autoptr(TfTestResponse) created = push (phone, create);
  gint64 v1 = json_object_get_int_member (result_at (created, 0), "version");
  g_autofree char *del = g_strdup_printf ("{\"mutation_id\": 2, \"table\": \"mood_entries\","
                                          " \"id\": \"%s\", \"op\": \"delete\","
                                          " \"base_version\": %" G_GINT64_FORMAT "}", id, v1);
  g_autoptr(TfTestResponse) deleted = push (phone, del);
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *change;

  g_assert_cmpstr (status_at (deleted, 0), ==, "applied");
  changes = pull_all (laptop, 0, 100, NULL, NULL);
  change = find_change (changes, id);
  g_assert_true (json_object_get_boolean_member (change, "deleted"));
  /* A tombstone carries no content. */
  g_assert_false (json_object_has_member (json_object_get_object_member (change, "fields"),
                                          "notes"));
}

/* @mutation (a JSON object's text) with @members ("\"revision\": 1, ...")
 * added in front. */
static char *
with_members (const char *mutation, const char *members)
{
  g_assert_true (mutation[0] == '{');
  return g_strdup_printf ("{%s, %s", members, mutation + 1);
}

#define SIGNATURE_TEXT "tfs1:0123456789ABCDEF0123456789ABCDEF01234567:" \
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/ABCDEFGHIJKLMNOPQRSTAA=="
/* Another text of the same shape. */
#define SIGNATURE_OTHER "tfs1:0123456789ABCDEF0123456789ABCDEF01234567:" \
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/ABCDEFGHIJKLMNOPQRSTAQ=="

/* The author's revision and signature are stored as they came and served
 * with the record, its tombstone too; an unsigned write clears them; a
 * malformed one is refused "bad_signature" and the rest of the push goes
 * on.  The server checks their shape only: it holds no key to check more. */
static void
test_envelope_verbatim (void)
{
  g_autoptr(TfTestUser) phone = new_user ("client");
  g_autoptr(TfTestUser) laptop = tf_test_new_device (server, phone);
  g_autofree char *id = new_id (), *other = new_id ();
  g_autofree char *plain = mood_mutation (1, id, phone->user_id, 0, 5);
  g_autofree char *signed_text = with_members (plain, "\"revision\": 4, \"signature\": \""
                                                      SIGNATURE_TEXT "\"");
  g_autoptr(TfTestResponse) created = push (phone, signed_text);
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *change;
  gint64 version = json_object_get_int_member (result_at (created, 0), "version");
  const char *bad[] = {
    "\"revision\": 0, \"signature\": \"" SIGNATURE_TEXT "\"",
    "\"revision\": 9007199254740992, \"signature\": \"" SIGNATURE_TEXT "\"",
    "\"revision\": \"5\", \"signature\": \"" SIGNATURE_TEXT "\"",
    "\"revision\": 5",
    "\"signature\": \"" SIGNATURE_TEXT "\"",
    "\"revision\": 5, \"signature\": \"sig:" SIGNATURE_TEXT "\"",
    "\"revision\": 5, \"signature\": 12",
  };

  g_assert_cmpstr (status_at (created, 0), ==, "applied");
  changes = pull_all (laptop, 0, 100, NULL, NULL);
  change = find_change (changes, id);
  g_assert_cmpint (json_object_get_int_member (change, "revision"), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (change, "signature"), ==, SIGNATURE_TEXT);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *m = mood_mutation (2 + i, other, phone->user_id, 0, 6);
      g_autofree char *malformed = with_members (m, bad[i]);
      g_autoptr(TfTestResponse) refused = push (phone, malformed);

      g_assert_cmpstr (status_at (refused, 0), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result_at (refused, 0), "code"), ==,
                       "bad_signature");
    }
  {
    g_autofree char *long_signature = g_strnfill (200, 'A');
    g_autofree char *members = g_strdup_printf ("\"revision\": 5, \"signature\": \"tfs1:%s\"",
                                                long_signature);
    g_autofree char *m = mood_mutation (20, other, phone->user_id, 0, 6);
    g_autofree char *malformed = with_members (m, members);
    g_autoptr(TfTestResponse) refused = push (phone, malformed);

    g_assert_cmpstr (json_object_get_string_member (result_at (refused, 0), "code"), ==,
                     "bad_signature");
  }

  /* The deletion, signed; then nothing is left unsigned by an old device's
   * write: its own row carries no signature that no longer fits. */
  {
    g_autofree char *del = g_strdup_printf ("{\"mutation_id\": 21, \"table\": \"mood_entries\","
                                            " \"id\": \"%s\", \"op\": \"delete\","
                                            " \"base_version\": %" G_GINT64_FORMAT ","
                                            " \"revision\": 5, \"signature\": \"%s\"}",
                                            id, version, SIGNATURE_OTHER);
    g_autoptr(TfTestResponse) deleted = push (phone, del);
    g_autofree char *again = NULL, *unsigned_text = NULL;
    g_autoptr(TfTestResponse) revived = NULL;

    g_assert_cmpstr (status_at (deleted, 0), ==, "applied");
    g_clear_pointer (&changes, json_array_unref);
    changes = pull_all (laptop, 0, 100, NULL, NULL);
    change = find_change (changes, id);
    g_assert_true (json_object_get_boolean_member (change, "deleted"));
    g_assert_cmpint (json_object_get_int_member (change, "revision"), ==, 5);
    g_assert_cmpstr (json_object_get_string_member (change, "signature"), ==,
                     SIGNATURE_OTHER);

    unsigned_text = mood_mutation (22, id, phone->user_id,
                                   json_object_get_int_member (result_at (deleted, 0), "version"),
                                   7);
    revived = push (phone, unsigned_text);
    g_assert_cmpstr (status_at (revived, 0), ==, "applied");
    g_clear_pointer (&changes, json_array_unref);
    changes = pull_all (laptop, 0, 100, NULL, NULL);
    change = find_change (changes, id);
    g_assert_false (json_object_has_member (change, "revision"));
    g_assert_false (json_object_has_member (change, "signature"));
  }
}

static void
test_pagination (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(JsonArray) changes = NULL;
  g_autoptr(TfTestResponse) response = NULL;
  guint pages;

  for (int i = 1; i <= 25; i++)
    {
      char *id = new_id ();
      g_autofree char *m = mood_mutation (i, id, user->user_id, 0, 1 + i % 10);
      g_string_append_printf (batch, "%s%s", i > 1 ? ", " : "", m);
      g_hash_table_add (ids, id);
    }
  response = push (user, batch->str);
  g_assert_cmpstr (status_at (response, 24), ==, "applied");
  {
    g_autoptr(JsonArray) all = pull_all (user, 0, 10, NULL, &pages);
    g_autoptr(JsonArray) services = only_table (all, "services");

    /* 25 entries, the user's profile and the five services of the
     * catalogue (0005-services.sql): four pages of ten. */
    g_assert_cmpuint (json_array_get_length (all), ==, 31);
    g_assert_cmpuint (json_array_get_length (services), ==, 5);
    changes = only_table (all, "mood_entries");
  }
  g_assert_cmpuint (pages, ==, 4);
  g_assert_cmpuint (json_array_get_length (changes), ==, 25);
  for (guint i = 0; i < 25; i++)
    g_assert_true (g_hash_table_remove (ids, json_object_get_string_member (
                     json_array_get_object_element (changes, i), "id")));
  g_assert_cmpuint (g_hash_table_size (ids), ==, 0);
}

/* --- visibility ------------------------------------------------------------ */

static void
test_clients_never_see_each_other (void)
{
  g_autoptr(TfTestUser) a = new_user ("client");
  g_autoptr(TfTestUser) b = new_user ("client");
  g_autofree char *id = new_id ();
  g_autofree char *m = mood_mutation (1, id, a->user_id, 0, 3);
  g_autoptr(TfTestResponse) pushed = push (a, m);
  g_autoptr(JsonArray) seen_by_b = NULL;
  g_autofree char *steal = mood_mutation (1, id, b->user_id, 0, 9);
  g_autofree char *overwrite = mood_mutation (2, id, a->user_id,
                                              json_object_get_int_member (result_at (pushed, 0),
                                                                          "version"), 1);
  g_autofree char *other_id = new_id ();
  g_autofree char *as_a = mood_mutation (3, other_id, a->user_id, 0, 9);
  g_autoptr(TfTestResponse) r1 = push (b, steal);
  g_autoptr(TfTestResponse) r2 = push (b, overwrite);
  g_autoptr(TfTestResponse) r3 = push (b, as_a);

  seen_by_b = pull_all (b, 0, 100, NULL, NULL);
  g_assert_null (find_change (seen_by_b, id));
  /* Writing someone else's record, or as someone else: refused, and the
   * answer reveals nothing of the record. */
  g_assert_cmpstr (status_at (r1, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r1, 0), "code"), ==, "forbidden");
  g_assert_false (json_object_has_member (result_at (r1, 0), "record"));
  g_assert_cmpstr (status_at (r2, 0), ==, "rejected");
  g_assert_cmpstr (status_at (r3, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r3, 0), "code"), ==, "forbidden");
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *sql = g_strdup_printf ("SELECT mood_value FROM mood_entries WHERE id = '%s'",
                                            id);
    g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 3);
  }
}

static char *
care_mutation (gint64 mutation_id, const char *id, gint64 base, const char *therapist,
               const char *client, gboolean active, const char *ended_by)
{
  g_autofree char *ended_at = now_plus (0);

  if (active)
    return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"care_relationships\","
                            " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                            ", \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                            " \"status\": \"active\"}}", mutation_id, id, base, therapist, client);
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"care_relationships\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"status\": \"ended\", \"ended_at\": \"%s\", \"ended_by\": \"%s\"}}",
                          mutation_id, id, base, therapist, client, ended_at, ended_by);
}

static void
test_sharing_with_therapist (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) stranger = new_user ("therapist");
  g_autofree char *care = new_id (), *shared = new_id (), *private_entry = new_id ();
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autofree char *m2 = journal_mutation (2, shared, client->user_id, 0, TRUE);
  g_autofree char *m3 = journal_mutation (3, private_entry, client->user_id, 0, FALSE);
  g_autofree char *batch = g_strdup_printf ("%s, %s, %s", m1, m2, m3);
  g_autoptr(TfTestResponse) r = push (client, batch);
  g_autoptr(JsonArray) t_changes = NULL, s_changes = NULL, after = NULL;
  gint64 cursor, care_version, shared_version;

  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_cmpstr (status_at (r, 1), ==, "applied");
  g_assert_cmpstr (status_at (r, 2), ==, "applied");
  care_version = json_object_get_int_member (result_at (r, 0), "version");
  shared_version = json_object_get_int_member (result_at (r, 1), "version");

  t_changes = pull_all (therapist, 0, 100, &cursor, NULL);
  g_assert_nonnull (find_change (t_changes, shared));
  g_assert_null (find_change (t_changes, private_entry));
  g_assert_nonnull (find_change (t_changes, care));
  s_changes = pull_all (stranger, 0, 100, NULL, NULL);
  g_assert_null (find_change (s_changes, shared));

  /* A therapist cannot attach themselves to a client. */
  {
    g_autofree char *grab_id = new_id ();
    g_autofree char *grab = care_mutation (1, grab_id, 0, stranger->user_id, client->user_id,
                                           TRUE, NULL);
    g_autoptr(TfTestResponse) refused = push (stranger, grab);
    g_assert_cmpstr (status_at (refused, 0), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result_at (refused, 0), "code"), ==,
                     "forbidden");
  }

  /* The client stops sharing the entry: the therapist's next pull revokes it. */
  {
    g_autofree char *unshare = journal_mutation (4, shared, client->user_id, shared_version, FALSE);
    g_autoptr(TfTestResponse) r4 = push (client, unshare);
    g_autoptr(JsonArray) changes = NULL;
    JsonObject *change;

    g_assert_cmpstr (status_at (r4, 0), ==, "applied");
    changes = pull_all (therapist, cursor, 100, &cursor, NULL);
    change = find_change (changes, shared);
    g_assert_nonnull (change);
    g_assert_true (json_object_get_boolean_member (change, "revoked"));
    g_assert_false (json_object_has_member (change, "fields"));
  }

  /* Shared again, then the relationship ends: revoked again. */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *q = g_strdup_printf ("SELECT version FROM journal_entries WHERE id = '%s'",
                                          shared);
    gint64 v = tf_test_pg_int (conn, q);
    g_autofree char *reshare = journal_mutation (5, shared, client->user_id, v, TRUE);
    g_autoptr(TfTestResponse) r5 = push (client, reshare);
    g_autoptr(JsonArray) changes = NULL;

    g_assert_cmpstr (status_at (r5, 0), ==, "applied");
    changes = pull_all (therapist, cursor, 100, &cursor, NULL);
    g_assert_false (json_object_get_boolean_member_with_default (find_change (changes, shared),
                                                                 "revoked", FALSE));
  }
  {
    g_autofree char *end = care_mutation (6, care, care_version, therapist->user_id,
                                          client->user_id, FALSE, client->user_id);
    g_autoptr(TfTestResponse) r6 = push (client, end);
    JsonObject *change;

    g_assert_cmpstr (status_at (r6, 0), ==, "applied");
    after = pull_all (therapist, cursor, 100, &cursor, NULL);
    change = find_change (after, shared);
    g_assert_nonnull (change);
    g_assert_true (json_object_get_boolean_member (change, "revoked"));
  }
  /* And new shared entries no longer reach the therapist. */
  {
    g_autofree char *late = new_id ();
    g_autofree char *m = journal_mutation (7, late, client->user_id, 0, TRUE);
    g_autoptr(TfTestResponse) r7 = push (client, m);
    g_autoptr(JsonArray) changes = NULL;

    g_assert_cmpstr (status_at (r7, 0), ==, "applied");
    changes = pull_all (therapist, cursor, 100, NULL, NULL);
    g_assert_null (find_change (changes, late));
  }
}

/* A care relationship of @status (pending, active, declined) as its
 * fields, sharing mood. */
static char *
request_mutation (gint64 mutation_id, const char *id, gint64 base, const char *therapist,
                  const char *client, const char *status)
{
  g_autofree char *ended_at = now_plus (0);
  g_autofree char *ended = strcmp (status, "declined") == 0
                           ? g_strdup_printf (", \"ended_at\": \"%s\", \"ended_by\": \"%s\"",
                                              ended_at, therapist)
                           : g_strdup ("");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"care_relationships\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"status\": \"%s\", \"share_mood\": true%s}}",
                          mutation_id, id, base, therapist, client, status, ended);
}

static gint64
care_version_of (const char *id)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *q = g_strdup_printf ("SELECT version FROM care_relationships WHERE id = '%s'",
                                        id);

  return tf_test_pg_int (conn, q);
}

/* A client's request for care shares nothing until its therapist accepts
 * it; only that therapist answers it (active or declined), the client
 * cannot accept it, and a declined request shares nothing. */
static void
test_care_requests (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) other = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) stranger = new_user ("therapist");
  g_autofree char *care = new_id (), *entry = new_id (), *mood = new_id ();
  g_autofree char *other_care = new_id (), *other_entry = new_id ();
  g_autofree char *m1 = request_mutation (1, care, 0, therapist->user_id, client->user_id,
                                          "pending");
  g_autofree char *m2 = journal_mutation (2, entry, client->user_id, 0, TRUE);
  g_autofree char *m3 = mood_mutation (3, mood, client->user_id, 0, 6);
  g_autofree char *batch = g_strdup_printf ("%s, %s, %s", m1, m2, m3);
  g_autoptr(TfTestResponse) r = push (client, batch);
  g_autoptr(JsonArray) before = NULL, after = NULL;
  gint64 cursor;

  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_cmpstr (status_at (r, 1), ==, "applied");
  g_assert_cmpstr (status_at (r, 2), ==, "applied");

  /* The therapist sees the request, and nothing of the client's. */
  before = pull_all (therapist, 0, 100, &cursor, NULL);
  g_assert_nonnull (find_change (before, care));
  g_assert_null (find_change (before, entry));
  g_assert_null (find_change (before, mood));

  /* The client cannot accept their own request; another therapist cannot
   * accept or decline it. */
  {
    g_autofree char *own = request_mutation (4, care, care_version_of (care),
                                             therapist->user_id, client->user_id, "active");
    g_autofree char *grab = request_mutation (1, care, care_version_of (care),
                                              therapist->user_id, client->user_id, "active");
    g_autofree char *no = request_mutation (2, care, care_version_of (care),
                                            therapist->user_id, client->user_id, "declined");
    g_autoptr(TfTestResponse) r4 = push (client, own);
    g_autoptr(TfTestResponse) r5 = push (stranger, grab);
    g_autoptr(TfTestResponse) r6 = push (stranger, no);
    g_autoptr(JsonArray) theirs = pull_all (stranger, 0, 100, NULL, NULL);

    g_assert_cmpstr (json_object_get_string_member (result_at (r4, 0), "code"), ==,
                     "forbidden");
    g_assert_cmpstr (json_object_get_string_member (result_at (r5, 0), "code"), ==,
                     "forbidden");
    g_assert_cmpstr (json_object_get_string_member (result_at (r6, 0), "code"), ==,
                     "forbidden");
    g_assert_null (find_change (theirs, entry));
  }
  /* Nor may the therapist change what an answer shares. */
  {
    g_autofree char *more = g_strdup_printf (
      "{\"mutation_id\": 3, \"table\": \"care_relationships\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {\"therapist_id\": \"%s\","
      " \"client_id\": \"%s\", \"status\": \"active\", \"share_mood\": true,"
      " \"share_goals\": true}}", care, care_version_of (care), therapist->user_id,
      client->user_id);
    g_autoptr(TfTestResponse) r7 = push (therapist, more);

    g_assert_cmpstr (json_object_get_string_member (result_at (r7, 0), "code"), ==,
                     "forbidden");
  }
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *q = g_strdup_printf ("SELECT count(*) FROM care_relationships"
                                          " WHERE id = '%s' AND status = 'pending'", care);
    g_assert_cmpint (tf_test_pg_int (conn, q), ==, 1);
  }

  /* The therapist accepts: the shared entry and the mood reach them. */
  {
    g_autofree char *yes = request_mutation (4, care, care_version_of (care),
                                             therapist->user_id, client->user_id, "active");
    g_autoptr(TfTestResponse) r8 = push (therapist, yes);

    g_assert_cmpstr (status_at (r8, 0), ==, "applied");
    after = pull_all (therapist, cursor, 100, &cursor, NULL);
    g_assert_nonnull (find_change (after, entry));
    g_assert_nonnull (find_change (after, mood));
  }

  /* Another client's request, declined: nothing of theirs is shared, and
   * a declined request is not made active afterwards. */
  {
    g_autofree char *ask = request_mutation (1, other_care, 0, therapist->user_id,
                                             other->user_id, "pending");
    g_autofree char *share = journal_mutation (2, other_entry, other->user_id, 0, TRUE);
    g_autofree char *both = g_strdup_printf ("%s, %s", ask, share);
    g_autoptr(TfTestResponse) asked = push (other, both);
    g_autofree char *no = NULL, *late = NULL;
    g_autoptr(TfTestResponse) declined = NULL, relinked = NULL;
    g_autoptr(JsonArray) changes = NULL;

    g_assert_cmpstr (status_at (asked, 0), ==, "applied");
    no = request_mutation (5, other_care, care_version_of (other_care), therapist->user_id,
                           other->user_id, "declined");
    declined = push (therapist, no);
    g_assert_cmpstr (status_at (declined, 0), ==, "applied");
    late = request_mutation (6, other_care, care_version_of (other_care), therapist->user_id,
                             other->user_id, "active");
    relinked = push (therapist, late);
    g_assert_cmpstr (json_object_get_string_member (result_at (relinked, 0), "code"), ==,
                     "forbidden");
    changes = pull_all (therapist, cursor, 100, NULL, NULL);
    g_assert_nonnull (find_change (changes, other_care));
    g_assert_null (find_change (changes, other_entry));
  }
}

/* End to end: the client seals a journal entry's data key to the
 * therapist's identity key; the therapist pulls entry and grant, opens the
 * grant and reads the entry.  The server only ever held ciphertext. */
static void
test_key_grant_end_to_end (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) stranger = new_user ("client");
  g_autoptr(TfSecret) data_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *care = new_id (), *entry = new_id (), *grant = new_id ();
  g_autofree char *content = tf_crypto_encrypt_field (data_key, "journal_entries", entry,
                                                      "content", "Φοβάμαι τις Δευτέρες.", &error);
  g_autofree char *sealed = tf_crypto_seal_key (therapist->identity_public, data_key, &error);
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autofree char *m2 = g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"journal_entries\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"content\": \"%s\","
      " \"therapist_shared\": true}}", entry, client->user_id, content);
  g_autofree char *m3 = g_strdup_printf (
      "{\"mutation_id\": 3, \"table\": \"key_grants\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"table_name\": \"journal_entries\","
      " \"record_id\": \"%s\", \"owner_id\": \"%s\", \"recipient_id\": \"%s\","
      " \"sealed_key\": \"%s\"}}", grant, entry, client->user_id, therapist->user_id, sealed);
  g_autofree char *batch = g_strdup_printf ("%s, %s, %s", m1, m2, m3);
  g_autoptr(TfTestResponse) r = push (client, batch);
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *got_entry, *got_grant;
  g_autoptr(TfSecret) opened = NULL;
  g_autofree char *plain = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (status_at (r, 2), ==, "applied");
  changes = pull_all (therapist, 0, 100, NULL, NULL);
  got_entry = find_change (changes, entry);
  got_grant = find_change (changes, grant);
  g_assert_nonnull (got_entry);
  g_assert_nonnull (got_grant);
  opened = tf_crypto_open_sealed_key (therapist->identity_public,
                                      therapist->identity_secret,
                                      json_object_get_string_member (
                                        json_object_get_object_member (got_grant, "fields"),
                                        "sealed_key"), &error);
  g_assert_no_error (error);
  plain = tf_crypto_decrypt_field (opened, "journal_entries", entry, "content",
                                   json_object_get_string_member (
                                     json_object_get_object_member (got_entry, "fields"),
                                     "content"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "Φοβάμαι τις Δευτέρες.");

  /* Nobody grants a key to someone else's record. */
  {
    g_autofree char *steal_id = new_id ();
    g_autofree char *steal = g_strdup_printf (
        "{\"mutation_id\": 1, \"table\": \"key_grants\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"table_name\": \"journal_entries\","
        " \"record_id\": \"%s\", \"owner_id\": \"%s\", \"recipient_id\": \"%s\","
        " \"sealed_key\": \"%s\"}}", steal_id, entry, stranger->user_id, stranger->user_id, sealed);
    g_autoptr(TfTestResponse) refused = push (stranger, steal);
    g_assert_cmpstr (json_object_get_string_member (result_at (refused, 0), "code"), ==,
                     "forbidden");
  }
}

/* A grant's signature and counter (issue 19) are the granting user's: the
 * server cannot verify them and keeps them exactly as sent, but it refuses
 * what is not their shape — with "validation" and a message naming the
 * member, never a database's text — and keeps nothing of it. */
static void
test_grant_signature_shape (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfSecret) data_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *care = new_id (), *entry = new_id (), *grant = new_id ();
  g_autofree char *content = tf_crypto_encrypt_field (data_key, "journal_entries", entry,
                                                      "content", "κάτι", &error);
  g_autofree char *sealed = tf_crypto_seal_key (therapist->identity_public, data_key, &error);
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autofree char *m2 = g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"journal_entries\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"content\": \"%s\","
      " \"therapist_shared\": true}}", entry, client->user_id, content);
  g_autofree char *batch = g_strdup_printf ("%s, %s", m1, m2);
  g_autoptr(TfTestResponse) r = push (client, batch);
  const char *good = "tfs1:0123456789ABCDEF0123456789ABCDEF01234567:"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                     "ABCDEFGHIJKLMNOPQRSTAA==";
  g_autofree char *long_one = g_strnfill (300, 'A');
  const struct
  {
    const char *signature;  /* JSON text of the member */
    const char *counter;
  } bad[] = {
    { "\"tfs1:forged\"", "1" },
    { "\"RSA:0123\"", "1" },
    { NULL, "1" },          /* long_one, below */
    { "1234", "1" },
    { NULL, "0" },          /* good, with a counter out of range */
    { NULL, "\"one\"" },
  };
  g_autoptr(JsonArray) changes = NULL;
  JsonObject *fields;
  gint64 mutation = 3;

  g_assert_no_error (error);
  g_assert_cmpstr (status_at (r, 1), ==, "applied");
  g_assert_cmpuint (strlen (good), ==, 134);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *signature = bad[i].signature != NULL ? g_strdup (bad[i].signature)
                                   : g_strdup_printf ("\"%s\"", i == 2 ? long_one : good);
      g_autofree char *m = g_strdup_printf (
          "{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"key_grants\", \"id\": \"%s\","
          " \"op\": \"upsert\", \"base_version\": 0,"
          " \"fields\": {\"table_name\": \"journal_entries\","
          " \"record_id\": \"%s\", \"owner_id\": \"%s\", \"recipient_id\": \"%s\","
          " \"sealed_key\": \"%s\", \"signature\": %s, \"counter\": %s}}", mutation++, grant, entry,
          client->user_id, therapist->user_id, sealed, signature, bad[i].counter);
      g_autoptr(TfTestResponse) refused = push (client, m);
      JsonObject *result = result_at (refused, 0);
      const char *message = json_object_get_string_member (result, "message");

      g_test_message ("%s / %s: %s %s", signature, bad[i].counter,
                      json_object_get_string_member (result, "code"), message);
      g_assert_cmpstr (status_at (refused, 0), ==, "rejected");
      g_assert_true (strstr (message, "signature") != NULL || strstr (message, "counter") != NULL);
      g_assert_null (strstr (message, "violates"));
      g_assert_null (strstr (message, "key_grants_"));
    }
  changes = pull_all (therapist, 0, 100, NULL, NULL);
  g_assert_null (find_change (changes, grant));

  {
    g_autofree char *m = g_strdup_printf (
        "{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"key_grants\", \"id\": \"%s\","
        " \"op\": \"upsert\", \"base_version\": 0,"
        " \"fields\": {\"table_name\": \"journal_entries\","
        " \"record_id\": \"%s\", \"owner_id\": \"%s\", \"recipient_id\": \"%s\","
        " \"sealed_key\": \"%s\", \"signature\": \"%s\", \"counter\": 7}}", mutation++, grant,
        entry, client->user_id, therapist->user_id, sealed, good);
    g_autoptr(TfTestResponse) applied = push (client, m);
    g_autoptr(JsonArray) after = NULL;

    g_assert_cmpstr (status_at (applied, 0), ==, "applied");
    after = pull_all (therapist, 0, 100, NULL, NULL);
    fields = json_object_get_object_member (find_change (after, grant), "fields");
    g_assert_cmpstr (json_object_get_string_member (fields, "signature"), ==, good);
    g_assert_cmpint (json_object_get_int_member (fields, "counter"), ==, 7);
  }
}

static char *appointment_mutation (gint64 mutation_id, const char *id, gint64 base,
                                   const char *therapist, const char *client, const char *start,
                                   int minutes, const char *status, const char *cancelled_by);

/* A therapist documents their own session; another therapist cannot attach
 * a note to it. */
static void
test_session_notes (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) other = new_user ("therapist");
  g_autofree char *care = new_id (), *appt = new_id (), *session = new_id ();
  g_autofree char *note = new_id (), *foreign = new_id ();
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autoptr(TfTestResponse) r1 = push (client, m1);
  g_autofree char *m2 = appointment_mutation (1, appt, 0, therapist->user_id, client->user_id,
                                              "2031-10-01T10:00:00Z", 50, "confirmed", NULL);
  g_autofree char *content = tf_test_envelope ("session_notes", note, "note_content", "{}");
  g_autofree char *m3 = g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"sessions\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"appointment_id\": \"%s\"}}", session, appt);
  g_autofree char *m4 = g_strdup_printf (
      "{\"mutation_id\": 3, \"table\": \"session_notes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"session_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"approach_type\": \"CBT\", \"note_content\": \"%s\"}}",
      note, session, therapist->user_id, content);
  g_autofree char *batch = g_strdup_printf ("%s, %s, %s", m2, m3, m4);
  g_autoptr(TfTestResponse) r2 = push (therapist, batch);
  g_autofree char *m5 = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"session_notes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"session_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"note_content\": \"%s\"}}", foreign, session, other->user_id, content);
  g_autoptr(TfTestResponse) r3 = push (other, m5);
  g_autoptr(JsonArray) seen_by_client = pull_all (client, 0, 100, NULL, NULL);

  g_assert_cmpstr (status_at (r1, 0), ==, "applied");
  g_assert_cmpstr (status_at (r2, 0), ==, "applied");
  g_assert_cmpstr (status_at (r2, 1), ==, "applied");
  g_assert_cmpstr (status_at (r2, 2), ==, "applied");
  g_assert_cmpstr (json_object_get_string_member (result_at (r3, 0), "code"), ==, "forbidden");
  /* The client sees the appointment and the session, not the note. */
  g_assert_nonnull (find_change (seen_by_client, appt));
  g_assert_nonnull (find_change (seen_by_client, session));
  g_assert_null (find_change (seen_by_client, note));
}

/* An addendum: only to a signed note of the same therapist, only signed
 * itself, and then final — neither changed nor deleted.  Only its therapist
 * receives it. */
static char *
addendum_mutation (gint64 mutation_id, const char *id, gint64 base, const char *note,
                   const char *therapist, gboolean locked)
{
  g_autofree char *content = tf_test_envelope ("note_addenda", id, "content", "later");

  return g_strdup_printf (
      "{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"note_addenda\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {"
      "\"note_id\": \"%s\", \"therapist_id\": \"%s\", \"content\": \"%s\"%s}}",
      mutation_id, id, base, note, therapist, content,
      locked ? ", \"locked_at\": \"2026-11-02T10:00:00Z\", \"signature\": \"c2lnbmVk\"" : "");
}

static void
test_note_addenda (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) other = new_user ("therapist");
  g_autofree char *care = new_id (), *appt = new_id (), *session = new_id ();
  g_autofree char *note = new_id (), *early = new_id (), *addendum = new_id ();
  g_autofree char *unsigned_one = new_id (), *foreign = new_id ();
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autoptr(TfTestResponse) r1 = push (client, m1);
  g_autofree char *m2 = appointment_mutation (1, appt, 0, therapist->user_id, client->user_id,
                                              "2031-10-01T10:00:00Z", 50, "confirmed", NULL);
  g_autofree char *content = tf_test_envelope ("session_notes", note, "note_content", "{}");
  g_autofree char *m3 = g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"sessions\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"appointment_id\": \"%s\"}}", session, appt);
  g_autofree char *m4 = g_strdup_printf (
      "{\"mutation_id\": 3, \"table\": \"session_notes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"session_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"approach_type\": \"soap\", \"note_content\": \"%s\"}}",
      note, session, therapist->user_id, content);
  g_autofree char *m5 = addendum_mutation (4, early, 0, note, therapist->user_id, TRUE);
  g_autofree char *batch = g_strdup_printf ("%s, %s, %s, %s", m2, m3, m4, m5);
  g_autoptr(TfTestResponse) r2 = push (therapist, batch);
  g_autofree char *lock = g_strdup_printf (
      "{\"mutation_id\": 5, \"table\": \"session_notes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {\"session_id\": \"%s\","
      " \"therapist_id\": \"%s\", \"approach_type\": \"soap\", \"note_content\": \"%s\","
      " \"locked_at\": \"2026-11-01T10:00:00Z\", \"signature\": \"bm90ZQ==\"}}",
      note, json_object_get_int_member (result_at (r2, 2), "version"), session,
      therapist->user_id, content);
  g_autoptr(TfTestResponse) r3 = push (therapist, lock);
  g_autofree char *m6 = addendum_mutation (6, unsigned_one, 0, note, therapist->user_id, FALSE);
  g_autofree char *m7 = addendum_mutation (7, addendum, 0, note, therapist->user_id, TRUE);
  g_autofree char *batch2 = g_strdup_printf ("%s, %s", m6, m7);
  g_autoptr(TfTestResponse) r4 = push (therapist, batch2);
  g_autofree char *m8 = addendum_mutation (1, foreign, 0, note, other->user_id, TRUE);
  g_autoptr(TfTestResponse) r5 = push (other, m8);
  g_autoptr(TfTestResponse) r6 = NULL, r7 = NULL;
  g_autoptr(JsonArray) seen_by_client = NULL, seen_by_therapist = NULL;

  g_assert_cmpstr (status_at (r1, 0), ==, "applied");
  g_assert_cmpstr (status_at (r2, 2), ==, "applied");
  /* Not before the note is signed. */
  g_assert_cmpstr (status_at (r2, 3), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r2, 3), "code"), ==, "forbidden");
  g_assert_nonnull (strstr (json_object_get_string_member (result_at (r2, 3), "message"),
                            "only to a signed session note"));
  g_assert_cmpstr (status_at (r3, 0), ==, "applied");
  /* Not unsigned itself. */
  g_assert_cmpstr (status_at (r4, 0), ==, "rejected");
  g_assert_nonnull (strstr (json_object_get_string_member (result_at (r4, 0), "message"),
                            "signed as it is written"));
  g_assert_cmpstr (status_at (r4, 1), ==, "applied");
  /* Not to another therapist's note. */
  g_assert_cmpstr (json_object_get_string_member (result_at (r5, 0), "code"), ==, "forbidden");

  /* Final: no edit, no delete. */
  {
    g_autofree char *edit = addendum_mutation (8, addendum,
                                               json_object_get_int_member (result_at (r4, 1),
                                                                           "version"),
                                               note, therapist->user_id, TRUE);
    g_autofree char *drop = g_strdup_printf (
        "{\"mutation_id\": 9, \"table\": \"note_addenda\", \"id\": \"%s\", \"op\": \"delete\","
        " \"base_version\": %" G_GINT64_FORMAT "}", addendum,
        json_object_get_int_member (result_at (r4, 1), "version"));

    r6 = push (therapist, edit);
    r7 = push (therapist, drop);
    g_assert_cmpstr (json_object_get_string_member (result_at (r6, 0), "code"), ==, "locked");
    g_assert_cmpstr (json_object_get_string_member (result_at (r7, 0), "code"), ==, "locked");
  }
  seen_by_client = pull_all (client, 0, 100, NULL, NULL);
  seen_by_therapist = pull_all (therapist, 0, 100, NULL, NULL);
  g_assert_null (find_change (seen_by_client, addendum));
  g_assert_nonnull (find_change (seen_by_therapist, addendum));
  g_assert_null (find_change (seen_by_therapist, early));
  g_assert_null (find_change (seen_by_therapist, unsigned_one));
}

static void
test_client_cannot_write_therapist_tables (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autofree char *id = new_id (), *session = new_id ();
  g_autofree char *note = tf_test_envelope ("session_notes", id, "note_content", "{}");
  g_autofree char *m = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"session_notes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"session_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"note_content\": \"%s\"}}", id, session, therapist->user_id, note);
  g_autoptr(TfTestResponse) r = push (client, m);

  /* Writing in a therapist's name does not make a client a therapist. */
  g_assert_cmpstr (status_at (r, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r, 0), "code"), ==, "forbidden");
}

/* --- appointments ---------------------------------------------------------- */

static char *
appointment_mutation (gint64 mutation_id, const char *id, gint64 base, const char *therapist,
                      const char *client, const char *start, int minutes, const char *status,
                      const char *cancelled_by)
{
  /* created_at is the server's (it keeps its own whatever an edit sends);
   * the price is what the server takes with no service offered. */
  const char *created = "2026-11-01T09:00:00Z";
  g_autofree char *now = now_plus (0);
  g_autofree char *cancel = cancelled_by
    ? g_strdup_printf (", \"cancelled_by\": \"%s\", \"cancelled_at\": \"%s\"", cancelled_by, now)
    : g_strdup ("");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"appointments\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"appointment_datetime\": \"%s\", \"duration\": %d, \"status\": \"%s\","
                          " \"price\": \"0.00\", \"created_at\": \"%s\"%s}}",
                          mutation_id, id, base, therapist, client, start, minutes, status,
                          created, cancel);
}

static void
test_appointment_rules (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) a = new_user ("client");
  g_autoptr(TfTestUser) b = new_user ("client");
  g_autofree char *slot = g_strdup ("2031-03-04T09:00:00Z");
  g_autofree char *inside = g_strdup ("2031-03-04T09:30:00Z");
  g_autofree char *id_a = new_id (), *id_b = new_id (), *id_c = new_id ();
  g_autofree char *ma = appointment_mutation (1, id_a, 0, therapist->user_id, a->user_id, slot, 50,
                                              "pending", NULL);
  g_autofree char *mb = appointment_mutation (1, id_b, 0, therapist->user_id, b->user_id, inside,
                                              50, "pending", NULL);
  g_autoptr(TfTestResponse) ra = NULL, rb = NULL;
  gint64 va;

  tf_test_link_care (server, a, therapist);
  tf_test_link_care (server, b, therapist);
  tf_test_open_hours (server, therapist);
  ra = push (a, ma);
  rb = push (b, mb);
  g_assert_cmpstr (status_at (ra, 0), ==, "applied");
  va = json_object_get_int_member (result_at (ra, 0), "version");
  /* Overlapping (not only the same start time): slot_taken. */
  g_assert_cmpstr (status_at (rb, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (rb, 0), "code"), ==, "slot_taken");

  /* A client cannot confirm; the therapist can. */
  {
    g_autofree char *confirm = appointment_mutation (2, id_a, va, therapist->user_id, a->user_id,
                                                     slot, 50, "confirmed", NULL);
    g_autoptr(TfTestResponse) by_client = push (a, confirm);
    g_autofree char *confirm_t = appointment_mutation (1, id_a, va, therapist->user_id,
                                                       a->user_id, slot, 50, "confirmed", NULL);
    g_autoptr(TfTestResponse) by_therapist = NULL;

    g_assert_cmpstr (status_at (by_client, 0), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result_at (by_client, 0), "code"), ==,
                     "bad_transition");
    by_therapist = push (therapist, confirm_t);
    g_assert_cmpstr (status_at (by_therapist, 0), ==, "applied");
    va = json_object_get_int_member (result_at (by_therapist, 0), "version");
  }
  /* Cancelled by the client, with who and why: the slot frees. */
  {
    g_autofree char *cancel = appointment_mutation (3, id_a, va, therapist->user_id, a->user_id,
                                                    slot, 50, "cancelled", a->user_id);
    g_autoptr(TfTestResponse) rc = push (a, cancel);
    g_autofree char *again = appointment_mutation (2, id_c, 0, therapist->user_id, b->user_id,
                                                   slot, 50, "pending", NULL);
    g_autoptr(TfTestResponse) rd = NULL;

    g_assert_cmpstr (status_at (rc, 0), ==, "applied");
    rd = push (b, again);
    g_assert_cmpstr (status_at (rd, 0), ==, "applied");
    /* A cancelled appointment stays cancelled. */
    {
      g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
      g_autofree char *q = g_strdup_printf ("SELECT version FROM appointments WHERE id = '%s'", id_a);
      gint64 v = tf_test_pg_int (conn, q);
      g_autofree char *revive = appointment_mutation (4, id_a, v, therapist->user_id, a->user_id,
                                                      slot, 50, "pending", NULL);
      g_autoptr(TfTestResponse) rr = push (a, revive);
      g_assert_cmpstr (json_object_get_string_member (result_at (rr, 0), "code"), ==,
                       "bad_transition");
    }
  }
}

static void
test_blocked_date (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *block = new_id (), *appt = new_id ();
  g_autofree char *mb = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"therapist_blocked_dates\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"blocked_date\": \"2031-08-15\", \"reason\": \"Δεκαπενταύγουστος\"}}",
      block, therapist->user_id);
  g_autoptr(TfTestResponse) rb = push (therapist, mb);
  /* 23:30 UTC on the 14th is 02:30 on the 15th in Athens. */
  g_autofree char *ma = appointment_mutation (1, appt, 0, therapist->user_id, client->user_id,
                                              "2031-08-14T23:30:00Z", 50, "pending", NULL);
  g_autoptr(TfTestResponse) ra = NULL;

  g_assert_cmpstr (status_at (rb, 0), ==, "applied");
  tf_test_link_care (server, client, therapist);
  ra = push (client, ma);
  g_assert_cmpstr (status_at (ra, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (ra, 0), "code"), ==, "blocked_date");
}

/* A vacation from 10 to 20 August 2031: a booking on any of its days in
 * Athens, its first and its last included, is refused as blocked_date; the
 * evening before and the night after are not; a period that ends before
 * it starts is refused as it is pushed. */
static void
test_blocked_period (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *block = new_id (), *backwards = new_id ();
  g_autofree char *mb = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"therapist_blocked_dates\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"blocked_date\": \"2031-08-10\", \"end_date\": \"2031-08-20\","
      " \"reason\": \"Διακοπές\"}}", block, therapist->user_id);
  g_autofree char *mbad = g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"therapist_blocked_dates\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"blocked_date\": \"2031-09-10\", \"end_date\": \"2031-09-01\"}}",
      backwards, therapist->user_id);
  g_autoptr(TfTestResponse) rb = push (therapist, mb);
  g_autoptr(TfTestResponse) rbad = push (therapist, mbad);
  /* In Athens (EEST, +03:00): 00:30 on the 10th, noon on the 15th, 23:30
   * on the 20th are inside; 23:30 on the 9th and 00:30 on the 21st are not. */
  const char *inside[] = {
    "2031-08-09T21:30:00Z", "2031-08-15T09:00:00Z", "2031-08-20T20:30:00Z",
  };
  const char *outside[] = { "2031-08-09T20:30:00Z", "2031-08-20T21:30:00Z" };
  gint64 mutation = 1;

  g_assert_cmpstr (status_at (rb, 0), ==, "applied");
  g_assert_cmpstr (status_at (rbad, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (rbad, 0), "code"), ==, "validation");
  tf_test_link_care (server, client, therapist);
  for (guint i = 0; i < G_N_ELEMENTS (inside); i++)
    {
      g_autofree char *appt = new_id ();
      g_autofree char *ma = appointment_mutation (mutation++, appt, 0, therapist->user_id,
                                                  client->user_id, inside[i], 50, "pending",
                                                  NULL);
      g_autoptr(TfTestResponse) ra = push (client, ma);

      g_test_message ("%s", inside[i]);
      g_assert_cmpstr (status_at (ra, 0), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result_at (ra, 0), "code"), ==,
                       "blocked_date");
    }
  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      g_autofree char *appt = new_id ();
      g_autofree char *ma = appointment_mutation (mutation++, appt, 0, therapist->user_id,
                                                  client->user_id, outside[i], 50, "pending",
                                                  NULL);
      g_autoptr(TfTestResponse) ra = push (client, ma);
      JsonObject *result = result_at (ra, 0);

      g_test_message ("%s", outside[i]);
      /* No hours are set, so the server may refuse it, but not as a day off. */
      g_assert_cmpstr (json_object_get_string_member_with_default (result, "code", ""), !=,
                       "blocked_date");
    }
}

/* @mutation (an appointment's) with "series_id": @series among its fields. */
static char *
in_series (const char *mutation, const char *series)
{
  g_autofree char *member = g_strdup_printf ("\"fields\": {\"series_id\": \"%s\", ", series);
  g_auto(GStrv) parts = g_strsplit (mutation, "\"fields\": {", 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strconcat (parts[0], member, parts[1], NULL);
}

/* A series is ordinary appointments that share series_id: each kept to
 * the rules of any booking (one over another of the therapist's is
 * slot_taken), and its series fixed once set (immutable_field). */
static void
test_series_rows (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *series = new_id (), *other = new_id ();
  g_autofree char *first = new_id (), *second = new_id (), *single = new_id ();
  g_autofree char *m1 = NULL, *m2 = NULL, *m1b = NULL;
  g_autofree char *a1 = NULL, *a2 = NULL, *as = NULL, *edit = NULL;
  g_autoptr(TfTestResponse) r1 = NULL, r2 = NULL, rs = NULL, re = NULL;
  gint64 v1;

  tf_test_link_care (server, client, therapist);
  a1 = appointment_mutation (1, first, 0, therapist->user_id, client->user_id,
                             "2031-05-06T07:00:00Z", 50, "confirmed", NULL);
  m1 = in_series (a1, series);
  r1 = push (therapist, m1);
  g_assert_cmpstr (status_at (r1, 0), ==, "applied");
  v1 = json_object_get_int_member (result_at (r1, 0), "version");

  /* An appointment taken meanwhile: the series' next one over it is refused. */
  as = appointment_mutation (2, single, 0, therapist->user_id, client->user_id,
                             "2031-05-13T07:20:00Z", 50, "confirmed", NULL);
  rs = push (therapist, as);
  g_assert_cmpstr (status_at (rs, 0), ==, "applied");
  a2 = appointment_mutation (3, second, 0, therapist->user_id, client->user_id,
                             "2031-05-13T07:00:00Z", 50, "confirmed", NULL);
  m2 = in_series (a2, series);
  r2 = push (therapist, m2);
  g_assert_cmpstr (status_at (r2, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r2, 0), "code"), ==, "slot_taken");

  /* Moved to another series: refused. */
  edit = appointment_mutation (4, first, v1, therapist->user_id, client->user_id,
                               "2031-05-06T07:00:00Z", 50, "confirmed", NULL);
  m1b = in_series (edit, other);
  re = push (therapist, m1b);
  g_assert_cmpstr (status_at (re, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (re, 0), "code"), ==,
                   "immutable_field");
}

typedef struct
{
  TfTestUser *user;
  char       *mutation;
  char       *status;
} BookingRace;

static gpointer
book_thread (gpointer data)
{
  BookingRace *race = data;
  g_autoptr(TfTestResponse) r = push (race->user, race->mutation);

  race->status = g_strdup (status_at (r, 0));
  return NULL;
}

static void
test_double_booking_race (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) a = new_user ("client");
  g_autoptr(TfTestUser) b = new_user ("client");

  tf_test_link_care (server, a, therapist);
  tf_test_link_care (server, b, therapist);
  tf_test_open_hours (server, therapist);
  for (int round = 0; round < 5; round++)
    {
      g_autofree char *start = g_strdup_printf ("2031-06-%02dT10:00:00Z", 1 + round);
      g_autofree char *ia = new_id (), *ib = new_id ();
      BookingRace ra = { a, appointment_mutation (1 + round, ia, 0, therapist->user_id,
                                                  a->user_id, start, 50, "pending", NULL), NULL };
      BookingRace rb = { b, appointment_mutation (1 + round, ib, 0, therapist->user_id,
                                                  b->user_id, start, 50, "pending", NULL), NULL };
      GThread *ta = g_thread_new ("a", book_thread, &ra);
      GThread *tb = g_thread_new ("b", book_thread, &rb);

      g_thread_join (ta);
      g_thread_join (tb);
      /* Exactly one wins. */
      g_assert_true ((g_str_equal (ra.status, "applied") && g_str_equal (rb.status, "rejected")) ||
                     (g_str_equal (ra.status, "rejected") && g_str_equal (rb.status, "applied")));
      g_free (ra.mutation);
      g_free (rb.mutation);
      g_free (ra.status);
      g_free (rb.status);
    }
}

static void
test_client_cannot_move_confirmed (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *id = new_id (), *care = new_id ();
  g_autofree char *in_care = care_mutation (10, care, 0, therapist->user_id, client->user_id,
                                            TRUE, NULL);
  g_autoptr(TfTestResponse) cared = push (client, in_care);
  g_autofree char *create = appointment_mutation (1, id, 0, therapist->user_id, client->user_id,
                                                  "2031-09-01T10:00:00Z", 50, "confirmed", NULL);
  g_autoptr(TfTestResponse) created = push (therapist, create);
  gint64 v = json_object_get_int_member (result_at (created, 0), "version");
  g_autofree char *move = appointment_mutation (11, id, v, therapist->user_id, client->user_id,
                                                "2031-09-01T12:00:00Z", 50, "confirmed", NULL);
  g_autofree char *longer = appointment_mutation (12, id, v, therapist->user_id, client->user_id,
                                                  "2031-09-01T10:00:00Z", 240, "confirmed", NULL);
  g_autoptr(TfTestResponse) r1 = NULL, r2 = NULL;

  g_assert_cmpstr (status_at (cared, 0), ==, "applied");
  g_assert_cmpstr (status_at (created, 0), ==, "applied");
  r1 = push (client, move);
  r2 = push (client, longer);
  g_assert_cmpstr (json_object_get_string_member (result_at (r1, 0), "code"), ==, "forbidden");
  /* The length is the server's: the client's edit keeps the stored one. */
  g_assert_cmpstr (status_at (r2, 0), ==, "applied");
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *q = g_strdup_printf ("SELECT duration FROM appointments WHERE id = '%s'", id);
    g_assert_cmpint (tf_test_pg_int (conn, q), ==, 50);
  }
}

static void
test_therapist_only_records (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autofree char *care = new_id (), *plan = new_id ();
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autoptr(TfTestResponse) r1 = push (client, m1);
  g_autofree char *codes =
      tf_test_envelope ("treatment_plans", plan, "diagnosis_codes", "[\"F32.1\"]");
  g_autofree char *m2 = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"treatment_plans\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"client_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"diagnosis_codes\": \"%s\", \"review_date\": \"2027-01-15\"}}",
      plan, client->user_id, therapist->user_id, codes);
  g_autoptr(TfTestResponse) r2 = push (therapist, m2);
  g_autoptr(JsonArray) seen_by_client = NULL, seen_by_therapist = NULL;
  g_autofree char *del = g_strdup_printf ("{\"mutation_id\": 2, \"table\": \"care_relationships\","
                                          " \"id\": \"%s\", \"op\": \"delete\","
                                          " \"base_version\": %" G_GINT64_FORMAT "}", care,
                                          json_object_get_int_member (result_at (r1, 0), "version"));
  g_autoptr(TfTestResponse) r3 = NULL;

  g_assert_cmpstr (status_at (r2, 0), ==, "applied");
  seen_by_client = pull_all (client, 0, 100, NULL, NULL);
  seen_by_therapist = pull_all (therapist, 0, 100, NULL, NULL);
  /* The plan is the therapist's; the client's profile reaches the therapist. */
  g_assert_null (find_change (seen_by_client, plan));
  g_assert_nonnull (find_change (seen_by_therapist, plan));
  g_assert_nonnull (find_change (seen_by_therapist, client->user_id));
  /* A care relationship is ended, never deleted (deleting would not revoke). */
  r3 = push (client, del);
  g_assert_cmpstr (json_object_get_string_member (result_at (r3, 0), "code"), ==, "bad_transition");
}

static void
test_directory_and_verification (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(JsonArray) seen = pull_all (client, 0, 200, NULL, NULL);
  g_autoptr(JsonArray) profiles = only_table (seen, "profiles");
  JsonObject *row = find_change (profiles, therapist->user_id);
  g_autofree char *update = NULL;
  g_autoptr(TfTestResponse) r = NULL;

  /* A new therapist is in everyone's directory: profile and therapist row. */
  g_assert_nonnull (row);
  {
    g_autoptr(JsonArray) rows = only_table (seen, "therapists");
    g_assert_nonnull (find_change (rows, therapist->user_id));
  }
  /* The therapist edits their profile like any record ... */
  update = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"profiles\", \"id\": \"%s\","
                            " \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT ","
                            " \"fields\": {\"first_name\": \"Μαρία\", \"last_name\": \"Κ.\","
                            " \"phone_verified\": true}}", therapist->user_id,
                            json_object_get_int_member (row, "version"));
  r = push (therapist, update);
  /* ... but cannot mark their own phone (or licence) verified. */
  g_assert_cmpstr (json_object_get_string_member (result_at (r, 0), "code"), ==, "forbidden");
  g_assert_nonnull (strstr (json_object_get_string_member (result_at (r, 0), "message"),
                            "phone_verified"));
}

/* What registration writes is what devices take unsigned: the profile
 * and the directory entry as the server serves them are in the registry's
 * registered form (common/tf-registry.c, tf_signed_is_registered_form), and
 * one column more of them is not. */
static void
test_registered_form (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(JsonArray) seen = pull_all (client, 0, 200, NULL, NULL);
  const struct { const char *table, *column, *value; } more[] = {
    { "profiles", "display_name", "\"Μαρία\"" },
    { "profiles", "language", "\"en\"" },
    { "therapists", "bio", "\"Ψυχολόγος\"" },
    { "therapists", "online_therapy", "false" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    {
      g_autoptr(JsonArray) rows = only_table (seen, more[i].table);
      JsonObject *row = find_change (rows, therapist->user_id);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(TfRecord) record = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_nonnull (row);
      node = json_node_init_object (json_node_alloc (), row);
      record = tf_record_from_json (node, &error);
      g_assert_no_error (error);
      g_assert_null (record->signature);
      g_assert_true (tf_signed_is_registered_form (record));
      json_object_set_member (record->fields, more[i].column,
                              json_from_string (more[i].value, NULL));
      g_assert_false (tf_signed_is_registered_form (record));
    }
}

static void
test_refusals_reveal_nothing (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autofree char *id = new_id ();
  /* A goal that does not exist: the database refuses the reference. */
  g_autofree char *m = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"goal_progress\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"goal_id\": \"00000000-0000-4000-8000-00000000beef\","
      " \"completed_date\": \"2026-11-20\"}}", id);
  g_autoptr(TfTestResponse) r = push (user, m);
  const char *message;

  g_assert_cmpstr (status_at (r, 0), ==, "rejected");
  message = json_object_get_string_member (result_at (r, 0), "message");
  g_assert_null (strstr (message, "DETAIL"));
  g_assert_null (strstr (message, "Key ("));
  g_assert_null (strstr (message, "constraint"));
}

/* --- bad input ------------------------------------------------------------- */

static void
assert_refused (TfTestUser *user, const char *body, guint status, const char *code)
{
  g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push",
                                                 user ? user->token : NULL, body);

  if (r->status != status || g_strcmp0 (tf_test_response_error_code (r), code) != 0)
    g_error ("%s: expected %u %s, got %u %s", body, status, code, r->status, r->text);
}

static void
test_bad_input (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *id = new_id ();
  g_autofree char *good = mood_mutation (1, id, user->user_id, 0, 5);
  g_autofree char *two = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s, %s]}",
                                          good, good);
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM mood_entries WHERE user_id = '%s'",
                                                user->user_id);
  g_autoptr(GString) big = g_string_new ("{\"schema_version\": 1, \"mutations\": [");

  assert_refused (user, "{not json", 400, "bad_json");
  assert_refused (user, "{\"schema_version\": 1, \"mutations\": [\xff\xfe]}", 400, "bad_json");
  assert_refused (user, "[1, 2, 3]", 400, "wrong_type");
  assert_refused (user, "{\"schema_version\": 1, \"mutations\": {}}", 400, "wrong_type");
  assert_refused (user, "{\"schema_version\": \"1\", \"mutations\": []}", 400, "wrong_type");
  assert_refused (user, "{\"mutations\": []}", 400, "missing_field");
  assert_refused (user, "{\"schema_version\": 99, \"mutations\": []}", 400, "unsupported_schema");
  assert_refused (user, "{\"schema_version\": 1, \"mutations\": [{\"mutation_id\": 1,"
                        " \"table\": \"users\", \"id\": \"" "00000000-0000-4000-8000-000000000001"
                        "\", \"op\": \"upsert\", \"base_version\": 0, \"fields\": {}}]}",
                  400, "unknown_table");
  assert_refused (user, "{\"schema_version\": 1, \"mutations\": [{\"mutation_id\": 1,"
                        " \"table\": \"goals\", \"op\": \"upsert\", \"base_version\": 0}]}",
                  400, "missing_field");
  assert_refused (user, "{\"schema_version\": 1, \"mutations\": [{\"mutation_id\": \"one\","
                        " \"table\": \"goals\", \"id\": \"x\", \"op\": \"upsert\","
                        " \"base_version\": 0}]}", 400, "wrong_type");
  /* Mutation ids must strictly increase within a batch. */
  assert_refused (user, two, 400, "bad_value");
  assert_refused (NULL, "{\"schema_version\": 1, \"mutations\": []}", 401, "unauthorized");
  {
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push",
                                                   "not-a-real-token", "{\"schema_version\": 1,"
                                                   " \"mutations\": []}");
    g_assert_cmpuint (r->status, ==, 401);
  }
  /* A batch over the limit (the test server allows 50). */
  for (int i = 1; i <= 51; i++)
    {
      g_autofree char *mid = new_id ();
      g_autofree char *m = mood_mutation (i, mid, user->user_id, 0, 5);
      g_string_append_printf (big, "%s%s", i > 1 ? ", " : "", m);
    }
  g_string_append (big, "]}");
  assert_refused (user, big->str, 413, "too_large");
  /* None of that wrote anything. */
  g_assert_cmpint (tf_test_pg_int (conn, count_sql), ==, 0);

  /* Field-level problems answer per mutation and the queue moves on. */
  {
    g_autofree char *id1 = new_id (), *id2 = new_id (), *id3 = new_id ();
    g_autofree char *unknown = g_strdup_printf (
        "{\"mutation_id\": 1, \"table\": \"goals\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"title\": \"x\", \"colour\": 1}}",
        id1, user->user_id);
    g_autofree char *wrong = g_strdup_printf (
        "{\"mutation_id\": 2, \"table\": \"goals\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"title\": 42}}",
        id2, user->user_id);
    g_autofree char *plain = g_strdup_printf (
        "{\"mutation_id\": 3, \"table\": \"journal_entries\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"content\": \"Σήμερα\"}}",
        id3, user->user_id);
    g_autofree char *sql_id = new_id ();
    g_autofree char *sqlish = g_strdup_printf (
        "{\"mutation_id\": 4, \"table\": \"goals\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\","
        " \"title\": \"'); DROP TABLE goals; --\"}}", sql_id, user->user_id);
    g_autofree char *batch = g_strdup_printf ("%s, %s, %s, %s", unknown, wrong, plain, sqlish);
    g_autoptr(TfTestResponse) r = push (user, batch);
    g_autofree char *title_sql = g_strdup_printf ("SELECT title FROM goals WHERE id = '%s'", sql_id);
    g_autofree char *title = NULL;

    g_assert_cmpstr (json_object_get_string_member (result_at (r, 0), "code"), ==, "unknown_field");
    g_assert_nonnull (strstr (json_object_get_string_member (result_at (r, 0), "message"), "colour"));
    g_assert_cmpstr (json_object_get_string_member (result_at (r, 1), "code"), ==, "wrong_type");
    g_assert_cmpstr (json_object_get_string_member (result_at (r, 2), "code"), ==, "not_encrypted");
    g_assert_cmpstr (status_at (r, 3), ==, "applied");
    title = tf_test_pg_value (conn, title_sql);
    g_assert_cmpstr (title, ==, "'); DROP TABLE goals; --");
    g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM pg_class WHERE relname = 'goals'"),
                     ==, 1);
  }
  /* Pull parameters. */
  {
    g_autoptr(TfTestResponse) r1 = tf_test_request (server, "GET", "/v1/sync/pull?cursor=-1",
                                                    user->token, NULL);
    g_autoptr(TfTestResponse) r2 = tf_test_request (server, "GET", "/v1/sync/pull?limit=0",
                                                    user->token, NULL);
    g_autoptr(TfTestResponse) r3 = tf_test_request (server, "GET", "/v1/sync/pull", NULL, NULL);
    /* Over pull-limit is cut to it, not refused (test-durable). */
    g_autoptr(TfTestResponse) r4 = tf_test_request (server, "GET", "/v1/sync/pull?limit=100000",
                                                    user->token, NULL);
    g_assert_cmpuint (r1->status, ==, 400);
    g_assert_cmpuint (r2->status, ==, 400);
    g_assert_cmpuint (r4->status, ==, 200);
    g_assert_cmpuint (r3->status, ==, 401);
  }
  /* Expired token. */
  {
    g_autoptr(TfTestUser) other = tf_test_new_device (server, user);
    g_autofree char *sql = g_strdup_printf ("UPDATE auth_sessions SET expires_at = now() - interval '1 second'"
                                            " WHERE device_id = '%s'", other->device_id);
    g_autoptr(TfTestResponse) r = NULL;

    tf_test_pg_exec (conn, sql);
    r = tf_test_request (server, "GET", "/v1/sync/pull", other->token, NULL);
    g_assert_cmpuint (r->status, ==, 401);
    g_assert_nonnull (strstr (r->text, "expired"));
  }
}

/* --- concurrency ----------------------------------------------------------- */

typedef struct
{
  TfTestUser *user;
  int         writes;
  GPtrArray  *ids;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  for (int i = 0; i < w->writes; i++)
    {
      char *id = new_id ();
      g_autofree char *m = mood_mutation (i + 1, id, w->user->user_id, 0, 1 + i % 10);
      g_autoptr(TfTestResponse) r = push (w->user, m);

      g_assert_cmpstr (status_at (r, 0), ==, "applied");
      g_ptr_array_add (w->ids, id);
    }
  return NULL;
}

static void
test_concurrent_writers_reader (void)
{
  g_autoptr(TfTestUser) owner = new_user ("client");
  g_autoptr(TfTestUser) reader = tf_test_new_device (server, owner);
  Writer writers[4];
  GThread *threads[4];
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 cursor = 0;
  gboolean running = TRUE;
  guint expected = 0;

  for (int i = 0; i < 4; i++)
    {
      writers[i].user = tf_test_new_device (server, owner);
      writers[i].writes = 25;
      writers[i].ids = g_ptr_array_new_with_free_func (g_free);
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  /* Pull in a loop while they write; then once more after they finish. */
  while (running)
    {
      g_autoptr(JsonArray) changes = NULL;
      gboolean done = TRUE;

      for (int i = 0; i < 4; i++)
        if (writers[i].ids->len < (guint) writers[i].writes)
          done = FALSE;
      changes = pull_all (reader, cursor, 7, &cursor, NULL);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *id = json_object_get_string_member (change, "id");

          /* The public directory (other tests' blocked dates) is not ours. */
          if (g_strcmp0 (json_object_get_string_member (change, "table"), "mood_entries") != 0)
            continue;
          /* Never twice. */
          if (g_hash_table_contains (seen, id))
            g_error ("%s seen twice", id);
          g_hash_table_add (seen, g_strdup (id));
        }
      if (done)
        running = FALSE;
    }
  for (int i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      for (guint j = 0; j < writers[i].ids->len; j++, expected++)
        g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (writers[i].ids, j)));
      g_ptr_array_unref (writers[i].ids);
      tf_test_user_free (writers[i].user);
    }
  /* Every change, none skipped. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, expected);
}

/* --- long-poll and keys ---------------------------------------------------- */

typedef struct
{
  TfTestUser *user;
  gint64      cursor;
  gint64      elapsed_us;
  gboolean    changes;
} WaitCall;

static gpointer
wait_thread (gpointer data)
{
  WaitCall *call = data;
  g_autofree char *path = g_strdup_printf ("/v1/sync/wait?cursor=%" G_GINT64_FORMAT "&timeout=20",
                                           call->cursor);
  gint64 start = g_get_monotonic_time ();
  g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", path, call->user->token, NULL);

  call->elapsed_us = g_get_monotonic_time () - start;
  g_assert_cmpuint (r->status, ==, 200);
  call->changes = json_object_get_boolean_member (tf_test_response_object (r), "changes");
  return NULL;
}

static void
test_wait_wakes_on_change (void)
{
  g_autoptr(TfTestUser) phone = new_user ("client");
  g_autoptr(TfTestUser) laptop = tf_test_new_device (server, phone);
  g_autoptr(JsonArray) none = NULL;
  WaitCall call = { laptop, 0, 0, FALSE };
  GThread *thread;
  g_autofree char *id = new_id ();
  g_autofree char *m = mood_mutation (1, id, phone->user_id, 0, 6);

  none = pull_all (laptop, 0, 100, &call.cursor, NULL);
  thread = g_thread_new ("wait", wait_thread, &call);
  g_usleep (G_USEC_PER_SEC / 2);
  {
    g_autoptr(TfTestResponse) r = push (phone, m);
    g_assert_cmpstr (status_at (r, 0), ==, "applied");
  }
  g_thread_join (thread);
  g_assert_true (call.changes);
  /* Woken by the change, not by the 20 s timeout. */
  g_assert_cmpint (call.elapsed_us, <, 5 * G_USEC_PER_SEC);
}

static void
test_public_keys (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *path = g_strdup_printf ("/v1/keys/%s", therapist->user_id);
  g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", path, client->token, NULL);
  g_autoptr(TfTestResponse) missing = tf_test_request (server, "GET",
                                                       "/v1/keys/00000000-0000-4000-8000-00000000dead",
                                                       client->token, NULL);
  g_autoptr(TfTestResponse) bad = tf_test_request (server, "GET", "/v1/keys/nope", client->token,
                                                   NULL);
  JsonObject *o;

  g_assert_cmpuint (r->status, ==, 200);
  o = tf_test_response_object (r);
  g_assert_cmpstr (json_object_get_string_member (o, "identity_public_key"), ==,
                   therapist->identity_public);
  g_assert_true (strlen (json_object_get_string_member (o, "fingerprint")) > 20);
  g_assert_cmpuint (missing->status, ==, 404);
  g_assert_cmpuint (bad->status, ==, 400);
}

/* --- locked session notes ---------------------------------------------------- */

/* A whole session note; @locked_at non-NULL locks it (with a signature). */
static char *
note_mutation (gint64 mutation_id, const char *id, gint64 base, const char *session,
               const char *therapist, const char *approach, const char *locked_at)
{
  g_autofree char *content =
      tf_test_envelope ("session_notes", id, "note_content", "{\"text\": \"…\"}");
  g_autofree char *lock = NULL;

  if (locked_at != NULL)
    {
      guint8 signature[64];
      g_autofree char *signature_b64 = NULL;

      memset (signature, 0x5a, sizeof signature);
      signature_b64 = g_base64_encode (signature, sizeof signature);
      lock = g_strdup_printf (", \"locked_at\": \"%s\", \"signature\": \"%s\"", locked_at,
                              signature_b64);
    }
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"session_notes\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"session_id\": \"%s\", \"therapist_id\": \"%s\","
                          " \"approach_type\": \"%s\", \"note_content\": \"%s\"%s}}",
                          mutation_id, id, base, session, therapist, approach, content,
                          lock ? lock : "");
}

/* Once a therapist has signed and locked a note, it is final: an edit or a
 * delete from any device is refused with "locked", whatever version it was
 * based on, and the rest of the push goes through. */
static void
test_locked_note (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) tablet = NULL;
  g_autofree char *care = new_id (), *appt = new_id (), *session = new_id ();
  g_autofree char *locked = new_id (), *open = new_id ();
  g_autofree char *m1 = care_mutation (1, care, 0, therapist->user_id, client->user_id, TRUE, NULL);
  g_autoptr(TfTestResponse) r1 = push (client, m1);
  g_autofree char *m2 = appointment_mutation (1, appt, 0, therapist->user_id, client->user_id,
                                              "2031-11-03T10:00:00Z", 50, "confirmed", NULL);
  g_autofree char *m3 = g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"sessions\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"appointment_id\": \"%s\"}}", session, appt);
  g_autofree char *m4 = note_mutation (3, locked, 0, session, therapist->user_id, "CBT", NULL);
  g_autofree char *m5 = note_mutation (4, open, 0, session, therapist->user_id, "CBT", NULL);
  g_autofree char *setup = g_strdup_printf ("%s, %s, %s, %s", m2, m3, m4, m5);
  g_autoptr(TfTestResponse) r2 = push (therapist, setup);
  g_autoptr(TfTestResponse) r3 = NULL, r4 = NULL;
  g_autofree char *lock = NULL, *batch = NULL, *edit = NULL, *edit_open = NULL;
  g_autofree char *del = NULL, *stale = NULL, *sql = NULL, *row = NULL;
  g_autoptr(JsonArray) changes = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  gint64 v_locked, v_open, v_lock;
  JsonObject *fields;

  g_assert_cmpstr (status_at (r1, 0), ==, "applied");
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (status_at (r2, i), ==, "applied");
  v_locked = json_object_get_int_member (result_at (r2, 2), "version");
  v_open = json_object_get_int_member (result_at (r2, 3), "version");

  /* Locking an unlocked note is an ordinary change. */
  lock = note_mutation (5, locked, v_locked, session, therapist->user_id, "CBT",
                        "2031-11-03T11:00:00Z");
  r3 = push (therapist, lock);
  g_assert_cmpstr (status_at (r3, 0), ==, "applied");
  v_lock = json_object_get_int_member (result_at (r3, 0), "version");

  /* Edit on the current version, edit of another note, delete, and an edit
   * based on the version before the lock. */
  edit = note_mutation (6, locked, v_lock, session, therapist->user_id, "DBT", NULL);
  edit_open = note_mutation (7, open, v_open, session, therapist->user_id, "DBT", NULL);
  del = g_strdup_printf ("{\"mutation_id\": 8, \"table\": \"session_notes\", \"id\": \"%s\","
                         " \"op\": \"delete\", \"base_version\": %" G_GINT64_FORMAT "}",
                         locked, v_lock);
  stale = note_mutation (9, locked, v_locked, session, therapist->user_id, "DBT", NULL);
  batch = g_strdup_printf ("%s, %s, %s, %s", edit, edit_open, del, stale);
  r4 = push (therapist, batch);
  g_assert_cmpstr (status_at (r4, 0), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r4, 0), "code"), ==, "locked");
  g_assert_nonnull (strstr (json_object_get_string_member (result_at (r4, 0), "message"),
                            "locked"));
  g_assert_cmpstr (status_at (r4, 1), ==, "applied");
  g_assert_cmpstr (status_at (r4, 2), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r4, 2), "code"), ==, "locked");
  /* Not a conflict: no merge could ever be applied. */
  g_assert_cmpstr (status_at (r4, 3), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r4, 3), "code"), ==, "locked");
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (r4),
                                               "last_mutation_id"), ==, 9);

  /* The locked note is as it was signed; the other one changed. */
  sql = g_strdup_printf ("SELECT string_agg(approach_type || ':' || (deleted_at IS NULL)::text"
                         " || ':' || (locked_at IS NOT NULL)::text, ',' ORDER BY id = '%s' DESC)"
                         " FROM session_notes WHERE id IN ('%s', '%s')", locked, locked, open);
  row = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (row, ==, "CBT:true:true,DBT:true:false");

  /* And another device of the therapist receives it locked and intact. */
  tablet = tf_test_new_device (server, therapist);
  changes = pull_all (tablet, 0, 100, NULL, NULL);
  g_assert_nonnull (find_change (changes, locked));
  g_assert_false (json_object_get_boolean_member (find_change (changes, locked), "deleted"));
  fields = json_object_get_object_member (find_change (changes, locked), "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "approach_type"), ==, "CBT");
  g_assert_cmpstr (json_object_get_string_member (fields, "locked_at"), ==, "2031-11-03T11:00:00Z");
  g_assert_nonnull (json_object_get_string_member (fields, "signature"));
}

/* --- therapist directory ------------------------------------------------------ */

static TfTestResponse *
find_therapist (TfTestUser *caller, const char *query)
{
  g_autofree char *path = g_strconcat ("/v1/therapists", query, NULL);

  return tf_test_request (server, "GET", path, caller ? caller->token : NULL, NULL);
}

static TfTestResponse *
find_therapist_by_email (TfTestUser *caller, const char *email)
{
  g_autofree char *escaped = g_uri_escape_string (email, NULL, FALSE);
  g_autofree char *query = g_strconcat ("?email=", escaped, NULL);

  return find_therapist (caller, query);
}

/* A client finds their therapist by e-mail (in any case) and gets the keys
 * to share with them; nobody learns anything about other addresses. */
static void
test_therapist_lookup (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) keyless = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *shouted = g_ascii_strup (therapist->email, -1);
  g_autofree char *keys_path = g_strdup_printf ("/v1/keys/%s", therapist->user_id);
  g_autoptr(TfTestResponse) found = find_therapist_by_email (client, shouted);
  g_autoptr(TfTestResponse) keys = tf_test_request (server, "GET", keys_path, client->token, NULL);
  g_autoptr(TfTestResponse) of_client = NULL, unknown = NULL, no_keys = NULL, no_token = NULL;
  g_autoptr(TfTestResponse) missing = NULL, empty = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = NULL;
  JsonObject *o, *k;

  g_assert_cmpuint (found->status, ==, 200);
  g_assert_cmpuint (keys->status, ==, 200);
  o = tf_test_response_object (found);
  k = tf_test_response_object (keys);
  g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, therapist->user_id);
  g_assert_cmpstr (json_object_get_string_member (o, "first_name"), ==, "Δοκιμή");
  g_assert_cmpstr (json_object_get_string_member (o, "last_name"), ==, "Χρήστης");
  g_assert_cmpstr (json_object_get_string_member (o, "identity_public_key"), ==,
                   therapist->identity_public);
  g_assert_cmpstr (json_object_get_string_member (o, "signing_public_key"), ==,
                   json_object_get_string_member (k, "signing_public_key"));
  g_assert_cmpstr (json_object_get_string_member (o, "fingerprint"), ==,
                   json_object_get_string_member (k, "fingerprint"));

  /* A client's address, an unknown one and a therapist without keys: one
   * and the same 404. */
  sql = g_strdup_printf ("DELETE FROM user_keys WHERE user_id = '%s'", keyless->user_id);
  tf_test_pg_exec (conn, sql);
  of_client = find_therapist_by_email (therapist, client->email);
  unknown = find_therapist_by_email (client, "nobody.here@example.gr");
  no_keys = find_therapist_by_email (client, keyless->email);
  g_assert_cmpuint (of_client->status, ==, 404);
  g_assert_cmpstr (tf_test_response_error_code (of_client), ==, "not_found");
  g_assert_cmpstr (unknown->text, ==, of_client->text);
  g_assert_cmpstr (no_keys->text, ==, of_client->text);

  no_token = find_therapist_by_email (NULL, therapist->email);
  g_assert_cmpuint (no_token->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (no_token), ==, "unauthorized");
  missing = find_therapist (client, "");
  g_assert_cmpuint (missing->status, ==, 400);
  g_assert_cmpstr (tf_test_response_error_code (missing), ==, "missing_field");
  empty = find_therapist (client, "?email=");
  g_assert_cmpuint (empty->status, ==, 400);
  g_assert_cmpstr (tf_test_response_error_code (empty), ==, "missing_field");
}

static void
test_audit_trail (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *id = new_id ();
  g_autofree char *m = mood_mutation (1, id, user->user_id, 0, 6);
  g_autoptr(TfTestResponse) r = push (user, m);
  g_autoptr(JsonArray) changes = pull_all (user, 0, 100, NULL, NULL);
  g_autofree char *sql = g_strdup_printf (
      "SELECT string_agg(action, ',' ORDER BY action) FROM audit_logs WHERE record_id = '%s'"
      " AND user_id = '%s' AND ip_address = '127.0.0.1' AND user_agent = 'tf-test/1'",
      id, user->user_id);
  g_autofree char *actions = tf_test_pg_value (conn, sql);

  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_cmpstr (actions, ==, "read,write");
}

/* --- failures -------------------------------------------------------------- */

/* Sends @request raw and closes without reading the answer. */
static void
send_and_hang_up (const char *request, gsize len)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (server->base_url, G_URI_FLAGS_NONE, NULL);

  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                            request, len, NULL, NULL, &error));
  g_assert_true (g_io_stream_close (G_IO_STREAM (connection), NULL, &error));
}

static void
test_dropped_connection (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *id = new_id ();
  g_autofree char *m = mood_mutation (1, id, user->user_id, 0, 5);
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s]}", m);
  g_autofree char *half = g_strdup_printf (
      "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%.*s",
      user->token, strlen (body), (int) (strlen (body) / 2), body);
  g_autofree char *whole = g_strdup_printf (
      "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
      "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
      user->token, strlen (body), body);
  g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM mood_entries WHERE id = '%s'", id);
  g_autoptr(TfTestResponse) retry = NULL;
  g_autoptr(TfTestResponse) health = NULL;

  /* Gone halfway through the body: nothing is written, the server is fine. */
  send_and_hang_up (half, strlen (half));
  g_usleep (G_USEC_PER_SEC / 5);
  g_assert_cmpint (tf_test_pg_int (conn, count), ==, 0);
  health = tf_test_request (server, "GET", "/healthz", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 200);

  /* Gone after sending it all, before the answer: the device cannot know,
   * so it retries; the retry gets the stored answer and the row exists once. */
  send_and_hang_up (whole, strlen (whole));
  for (int i = 0; i < 50 && tf_test_pg_int (conn, count) == 0; i++)
    g_usleep (G_USEC_PER_SEC / 20);
  retry = push (user, m);
  g_assert_cmpstr (status_at (retry, 0), ==, "applied");
  g_assert_cmpint (tf_test_pg_int (conn, count), ==, 1);
}

typedef struct
{
  TfTestUser *user;
  gint        stop;        /* atomic */
  guint       ok, unavailable, other;
  gint64      next_mutation;
} Loader;

static gpointer
load_thread (gpointer data)
{
  Loader *loader = data;

  while (!g_atomic_int_get (&loader->stop))
    {
      g_autofree char *id = new_id ();
      g_autofree char *m = mood_mutation (loader->next_mutation, id, loader->user->user_id, 0, 5);
      g_autoptr(TfTestResponse) r = push (loader->user, m);

      if (r->status == 200)
        {
          loader->ok++;
          loader->next_mutation++;
        }
      else if (r->status == 503 && r->retry_after != NULL)
        {
          loader->unavailable++;
          g_usleep (G_USEC_PER_SEC / 20);
        }
      else
        {
          g_test_message ("unexpected answer under restart: %u %s", r->status, r->text);
          loader->other++;
        }
    }
  return NULL;
}

static void
test_postgres_restart_under_load (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  Loader loader = { user, 0, 0, 0, 0, 1 };
  GThread *thread = g_thread_new ("load", load_thread, &loader);
  guint before;

  g_usleep (G_USEC_PER_SEC / 2);
  tf_test_pg_ctl ("-m fast stop");
  g_usleep (G_USEC_PER_SEC / 2);
  tf_test_pg_ctl ("start");
  before = loader.ok;
  /* It recovers by itself: pushes succeed again. */
  for (int i = 0; i < 100 && loader.ok < before + 5; i++)
    g_usleep (G_USEC_PER_SEC / 10);
  g_atomic_int_set (&loader.stop, 1);
  g_thread_join (thread);

  g_assert_cmpuint (loader.unavailable, >, 0);   /* the outage was seen, as 503 */
  g_assert_cmpuint (loader.other, ==, 0);        /* and nothing else went wrong */
  g_assert_cmpuint (loader.ok, >=, before + 5);
}

/* Journal titles and the emotions and categories of a check-in are
 * encrypted since migration 0010: a push of their plaintext is refused
 * (not_encrypted), an envelope is stored as it came, and the database
 * itself refuses new plaintext there while an update that leaves an old
 * row's plaintext alone still works. */
static void
test_newly_encrypted_columns (void)
{
  g_autoptr(TfTestUser) user = new_user ("client");
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *j1 = new_id (), *m1 = new_id (), *m2 = new_id (), *j2 = new_id ();
  g_autofree char *m3 = new_id ();
  g_autofree char *content = tf_test_envelope ("journal_entries", j1, "content", "Σήμερα");
  g_autofree char *title = tf_test_envelope ("journal_entries", j2, "title", "Θάλασσα");
  g_autofree char *emotions = tf_test_envelope ("mood_entries", m3, "emotions", "[\"άγχος\"]");
  g_autofree char *categories =
      tf_test_envelope ("mood_entries", m3, "categories", "[\"δουλειά\"]");
  g_autofree char *batch = g_strdup_printf (
    "{\"mutation_id\": 1, \"table\": \"journal_entries\", \"id\": \"%s\", \"op\": \"upsert\","
    " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"title\": \"Θάλασσα\","
    " \"content\": \"%s\"}},"
    "{\"mutation_id\": 2, \"table\": \"mood_entries\", \"id\": \"%s\", \"op\": \"upsert\","
    " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"mood_value\": 4,"
    " \"emotions\": [\"άγχος\"], \"created_at\": \"2026-11-20T08:00:00Z\"}},"
    "{\"mutation_id\": 3, \"table\": \"mood_entries\", \"id\": \"%s\", \"op\": \"upsert\","
    " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"mood_value\": 4,"
    " \"categories\": [\"δουλειά\"], \"created_at\": \"2026-11-20T08:00:00Z\"}},"
    "{\"mutation_id\": 4, \"table\": \"journal_entries\", \"id\": \"%s\", \"op\": \"upsert\","
    " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"title\": \"%s\"}},"
    "{\"mutation_id\": 5, \"table\": \"mood_entries\", \"id\": \"%s\", \"op\": \"upsert\","
    " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"mood_value\": 4,"
    " \"emotions\": \"%s\", \"categories\": \"%s\", \"created_at\": \"2026-11-20T08:00:00Z\"}}",
    j1, user->user_id, content, m1, user->user_id, m2, user->user_id, j2, user->user_id, title,
    m3, user->user_id, emotions, categories);
  g_autoptr(TfTestResponse) r = push (user, batch);
  g_autofree char *sql = NULL, *value = NULL;
  g_autoptr(PGresult) refused = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpstr (status_at (r, i), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result_at (r, i), "code"), ==,
                       "not_encrypted");
    }
  g_assert_cmpstr (status_at (r, 3), ==, "applied");
  g_assert_cmpstr (status_at (r, 4), ==, "applied");
  sql = g_strdup_printf ("SELECT title FROM journal_entries WHERE id = '%s'", j2);
  value = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (value, ==, title);
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&value, g_free);
  sql = g_strdup_printf ("SELECT (emotions #>> '{}') || ' ' || (categories #>> '{}')"
                         " FROM mood_entries WHERE id = '%s'", m3);
  value = tf_test_pg_value (conn, sql);
  g_assert_true (g_str_has_prefix (value, emotions));
  g_assert_true (g_str_has_suffix (value, categories));
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&value, g_free);

  /* The database's own guard: new plaintext is refused ... */
  sql = g_strdup_printf ("UPDATE journal_entries SET title = 'Θάλασσα' WHERE id = '%s'", j2);
  refused = PQexec (conn, sql);
  g_assert_cmpstr (PQresultErrorField (refused, PG_DIAG_SQLSTATE), ==, "23514");
  g_clear_pointer (&sql, g_free);
  /* ... but a row from before (plaintext put there as the old server
   * would have it) can still change in its other columns. */
  sql = g_strdup_printf ("SET session_replication_role = replica;"
                         " UPDATE journal_entries SET title = 'Παλιός τίτλος' WHERE id = '%s';"
                         " SET session_replication_role = origin;"
                         " UPDATE journal_entries SET therapist_shared = true WHERE id = '%s'"
                         " RETURNING title", j2, j2);
  g_clear_pointer (&refused, PQclear);
  refused = PQexec (conn, sql);
  g_assert_cmpint (PQresultStatus (refused), ==, PGRES_TUPLES_OK);
  g_assert_cmpstr (PQgetvalue (refused, 0, 0), ==, "Παλιός τίτλος");
}

/* What a client and a therapist write each other about an appointment or a
 * session is encrypted since migration 0011: plaintext there is refused
 * (not_encrypted) before any rule of the booking is looked at. */
static void
test_care_columns_encrypted (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  const char *columns[] = { "notes_for_therapist", "cancellation_reason" };
  const char *session_columns[] = { "session_summary", "homework_assigned", "next_session_plan" };
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(GString) session_batch = g_string_new (NULL);
  g_autoptr(TfTestResponse) r = NULL, rs = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *id = new_id ();

      g_string_append_printf (batch,
        "%s{\"mutation_id\": %u, \"table\": \"appointments\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
        " \"appointment_datetime\": \"2031-05-05T10:00:00Z\", \"duration\": 50,"
        " \"status\": \"pending\", \"price\": \"60.00\", \"%s\": \"Φοβάμαι τα ύψη\"}}",
        i > 0 ? ", " : "", i + 1, id, therapist->user_id, client->user_id, columns[i]);
    }
  r = push (client, batch->str);
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_assert_cmpstr (status_at (r, i), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result_at (r, i), "code"), ==,
                       "not_encrypted");
      g_assert_nonnull (strstr (json_object_get_string_member (result_at (r, i), "message"),
                                columns[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    {
      g_autofree char *id = new_id (), *appointment = new_id ();

      g_string_append_printf (session_batch,
        "%s{\"mutation_id\": %u, \"table\": \"sessions\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": 0, \"fields\": {\"appointment_id\": \"%s\", \"%s\": \"Ημερολόγιο\"}}",
        i > 0 ? ", " : "", i + 1, id, appointment, session_columns[i]);
    }
  rs = push (therapist, session_batch->str);
  for (guint i = 0; i < G_N_ELEMENTS (session_columns); i++)
    {
      g_assert_cmpstr (status_at (rs, i), ==, "rejected");
      g_assert_cmpstr (json_object_get_string_member (result_at (rs, i), "code"), ==,
                       "not_encrypted");
    }
}

/* POST /v1/keys/rotate takes new keys only with the statement signed by the
 * caller's current signing key: a session alone (here: a statement signed
 * by a key the caller made up, and one naming keys that are not the
 * account's) changes nothing; GET /v1/keys serves no rotation then. */
static void
test_rotation_needs_old_key (void)
{
  g_autofree char *email = g_strdup_printf ("rotate-%d@example.org", ++counter);
  g_autoptr(TfTestUser) user = tf_test_register (server, email, "client");
  g_autoptr(TfSecret) made_up = NULL, identity_secret = NULL, wrap = NULL;
  g_autofree char *made_up_public = NULL, *identity = NULL, *fingerprint = NULL;
  g_autofree char *statement = NULL, *by_made_up = NULL, *wrapped = NULL, *old_signing = NULL;
  g_autofree char *sql = NULL, *before = NULL, *after = NULL, *path = NULL, *n = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  g_assert_true (tf_crypto_sign_keypair (&made_up_public, &made_up, &error));
  g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
  g_assert_no_error (error);
  {
    const char *publics[] = { identity, made_up_public, NULL };
    fingerprint = tf_crypto_fingerprint (publics);
  }
  wrap = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  wrapped = tf_crypto_wrap_key (wrap, "identity", identity_secret, &error);
  g_assert_no_error (error);
  sql = g_strdup_printf ("SELECT signing_public_key FROM user_keys WHERE user_id = '%s'",
                         user->user_id);
  old_signing = tf_test_pg_value (conn, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT fingerprint FROM user_keys WHERE user_id = '%s'",
                         user->user_id);
  before = tf_test_pg_value (conn, sql);
  statement = tf_keys_rotation_statement (user->user_id, user->identity_public, old_signing,
                                          identity, made_up_public);
  by_made_up = tf_crypto_sign (made_up, (const guint8 *) statement, strlen (statement));

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *body = g_strdup_printf (
        "{\"old_identity_public_key\": \"%s\", \"old_signing_public_key\": \"%s\","
        " \"identity_public_key\": \"%s\", \"signing_public_key\": \"%s\","
        " \"wrapped_identity_key\": \"%s\", \"wrapped_signing_key\": \"%s\","
        " \"fingerprint\": \"%s\", \"signature_by_old\": \"%s\", \"signature_by_new\": \"%s\"}",
        user->identity_public, i == 0 ? old_signing : made_up_public, identity, made_up_public,
        wrapped, wrapped, fingerprint, by_made_up, by_made_up);
      g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/keys/rotate",
                                                     user->token, body);

      g_assert_cmpuint (r->status, ==, i == 0 ? 403 : 409);
    }
  after = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (after, ==, before);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM user_key_rotations WHERE user_id = '%s'",
                         user->user_id);
  n = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (n, ==, "0");
  path = g_strconcat ("/v1/keys/", user->user_id, NULL);
  {
    g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", path, user->token, NULL);
    JsonObject *o;

    g_assert_cmpuint (r->status, ==, 200);
    o = tf_test_response_object (r);
    g_assert_cmpstr (json_object_get_string_member (o, "fingerprint"), ==, before);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "rotations")), ==,
                      0);
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  server = tf_test_server_start ("tf_sync", "batch-limit=50\npull-limit=200");

  g_test_add_func ("/tf/sync/push-pull-round-trip", test_push_pull_round_trip);
  g_test_add_func ("/tf/sync/push-without-user-agent", test_push_without_user_agent);
  g_test_add_func ("/tf/sync/idempotent-retry", test_idempotent_retry);
  g_test_add_func ("/tf/sync/behind-takes-nothing", test_behind_takes_nothing);
  g_test_add_func ("/tf/sync/conflict-keeps-server-row", test_conflict_keeps_server_row);
  g_test_add_func ("/tf/sync/rejected-does-not-stall", test_rejected_does_not_stall);
  g_test_add_func ("/tf/sync/atomic-groups", test_atomic_groups);
  g_test_add_func ("/tf/sync/tombstones-propagate", test_tombstones_propagate);
  g_test_add_func ("/tf/sync/envelope-verbatim", test_envelope_verbatim);
  g_test_add_func ("/tf/sync/pagination", test_pagination);
  g_test_add_func ("/tf/sync/clients-never-see-each-other", test_clients_never_see_each_other);
  g_test_add_func ("/tf/sync/sharing-with-therapist", test_sharing_with_therapist);
  g_test_add_func ("/tf/sync/key-grant-end-to-end", test_key_grant_end_to_end);
  g_test_add_func ("/tf/sync/grant-signature-shape", test_grant_signature_shape);
  g_test_add_func ("/tf/sync/session-notes", test_session_notes);
  g_test_add_func ("/tf/sync/note-addenda", test_note_addenda);
  g_test_add_func ("/tf/sync/client-cannot-write-therapist-tables",
                   test_client_cannot_write_therapist_tables);
  g_test_add_func ("/tf/sync/appointment-rules", test_appointment_rules);
  g_test_add_func ("/tf/sync/blocked-date", test_blocked_date);
  g_test_add_func ("/tf/sync/blocked-period", test_blocked_period);
  g_test_add_func ("/tf/sync/series-rows", test_series_rows);
  g_test_add_func ("/tf/sync/double-booking-race", test_double_booking_race);
  g_test_add_func ("/tf/sync/client-cannot-move-confirmed", test_client_cannot_move_confirmed);
  g_test_add_func ("/tf/sync/therapist-only-records", test_therapist_only_records);
  g_test_add_func ("/tf/sync/directory-and-verification", test_directory_and_verification);
  g_test_add_func ("/tf/sync/registered-form", test_registered_form);
  g_test_add_func ("/tf/sync/refusals-reveal-nothing", test_refusals_reveal_nothing);
  g_test_add_func ("/tf/sync/bad-input", test_bad_input);
  g_test_add_func ("/tf/sync/newly-encrypted-columns", test_newly_encrypted_columns);
  g_test_add_func ("/tf/sync/care-columns-encrypted", test_care_columns_encrypted);
  g_test_add_func ("/tf/sync/care-requests", test_care_requests);
  g_test_add_func ("/tf/sync/concurrent-writers-reader", test_concurrent_writers_reader);
  g_test_add_func ("/tf/sync/wait-wakes-on-change", test_wait_wakes_on_change);
  g_test_add_func ("/tf/sync/public-keys", test_public_keys);
  g_test_add_func ("/tf/sync/therapist-lookup", test_therapist_lookup);
  g_test_add_func ("/tf/sync/locked-note", test_locked_note);
  g_test_add_func ("/tf/sync/audit-trail", test_audit_trail);
  g_test_add_func ("/tf/sync/rotation-needs-old-key", test_rotation_needs_old_key);
  g_test_add_func ("/tf/sync/dropped-connection", test_dropped_connection);
  g_test_add_func ("/tf/sync/postgres-restart-under-load", test_postgres_restart_under_load);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
