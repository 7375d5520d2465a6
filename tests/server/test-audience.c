/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-audience.c: nobody's records reach an unrelated person, for every
 * synced table of the registry, through the real server.
 *
 * The audience "everyone" (the public directory) was the nil UUID, which a
 * device could also choose as an account's id: that account's journal,
 * mood, goals, appointments and profile then went to every signed-in user.
 * Here: reserved ids are refused at registration; an account that holds the
 * nil id from before (made in the database) is still nobody's audience; and
 * a therapist and a client in care write a record of every table the
 * registry lists (a table without one fails the test, so a new table must
 * join the scenario), then an unrelated client and an unrelated therapist
 * pull and receive none of it but the public directory.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-registry.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

#define NIL "00000000-0000-0000-0000-000000000000"
#define MAX_UUID "ffffffff-ffff-ffff-ffff-ffffffffffff"
#define SERVICE "5e7a1c00-0000-4000-8000-000000000001"

static TfTestServer *server;
static int counter;

static TfTestUser *
new_user (const char *role)
{
  g_autofree char *email = g_strdup_printf ("audience-%s%d@example.gr", role, ++counter);

  return tf_test_register (server, email, role);
}

/* Every change @user pulls from the start. */
static JsonArray *
pull_everything (TfTestUser *user)
{
  JsonArray *all = json_array_new ();
  gint64 cursor = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=100", cursor);
      g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", path, user->token, NULL);
      JsonObject *body;
      JsonArray *changes;

      g_assert_cmpuint (r->status, ==, 200);
      body = tf_test_response_object (r);
      changes = json_object_get_array_member (body, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (changes, i)));
      cursor = json_object_get_int_member (body, "next_cursor");
      more = json_object_get_boolean_member (body, "has_more");
    }
  return all;
}

static void
register_with_id (const char *role, const char *id)
{
  TfTestUser *raw = NULL;
  g_autofree char *email = g_strdup_printf ("reserved-%s%d@example.gr", role, ++counter);
  g_autofree char *license = g_str_equal (role, "therapist") ? g_strdup_printf ("GR-R%d", counter)
                                                             : NULL;
  g_autofree char *body = tf_test_register_body (email, role, license, &raw);
  g_autoptr(TfTestUser) user = raw;
  g_autofree char *with_id = NULL;
  g_autoptr(TfTestResponse) r = NULL;

  body[strlen (body) - 1] = '\0';
  with_id = g_strdup_printf ("%s, \"user_id\": \"%s\"}", body, id);
  r = tf_test_request (server, "POST", "/v1/auth/register", NULL, with_id);
  if (r->status != 400 || g_strcmp0 (tf_test_response_error_code (r), "bad_value") != 0)
    g_error ("register %s with user_id %s: %u %s", role, id, r->status, r->text);
  g_assert_nonnull (strstr (r->text, "user_id"));
}

static void
test_reserved_ids_refused (void)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  register_with_id ("client", NIL);
  register_with_id ("therapist", NIL);
  register_with_id ("client", MAX_UUID);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users WHERE id IN ('" NIL "', '"
                                         MAX_UUID "')"), ==, 0);
}

/* An account that got the nil id before the fix: its feed is its own. */
static void
test_nil_account_is_nobodys_audience (void)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autoptr(TfTestUser) stranger = new_user ("client");
  g_autoptr(JsonArray) seen = NULL;
  const char *entry = "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10";
  g_autofree char *content = tf_test_envelope ("journal_entries", entry, "content", "ιδιωτικό");
  g_autofree char *insert = g_strdup_printf ("INSERT INTO journal_entries (id, user_id, content,"
                                             " version) VALUES ('%s', '" NIL "', '%s', 1)",
                                             entry, content);

  tf_test_pg_exec (conn, "ALTER TABLE users DROP CONSTRAINT IF EXISTS users_id_not_reserved");
  tf_test_pg_exec (conn, "INSERT INTO users (id, email, password_hash, role) VALUES ('" NIL "',"
                         " 'nil@example.gr', 'x', 'client')");
  tf_test_pg_exec (conn, insert);
  tf_test_pg_exec (conn,
                   "BEGIN;"
                   "INSERT INTO sync_records (table_name, record_id, version, owner_id) VALUES"
                   " ('journal_entries', '0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10',"
                   " nextval('sync_version_seq'), '" NIL "');"
                   "INSERT INTO sync_feed (user_id, table_name, record_id, version) VALUES"
                   " ('" NIL "', 'journal_entries', '0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10',"
                   " currval('sync_version_seq'));"
                   "COMMIT");
  seen = pull_everything (stranger);
  for (guint i = 0; i < json_array_get_length (seen); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (seen, i),
                                                    "id"), !=, entry);
}

typedef struct
{
  GHashTable *made;     /* table name -> GPtrArray of record ids (the victims') */
  GHashTable *owner;    /* record id -> table name */
} Scenario;

static void
made (Scenario *s, const char *table, const char *id)
{
  GPtrArray *ids = g_hash_table_lookup (s->made, table);

  g_assert_nonnull (tf_registry_lookup (table));
  if (ids == NULL)
    {
      ids = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (s->made, g_strdup (table), ids);
    }
  g_ptr_array_add (ids, g_strdup (id));
  g_hash_table_insert (s->owner, g_strdup (id), g_strdup (table));
}

/* Pushes the NULL-terminated @mutations of @user; every one must be applied. */
static void
push_applied (TfTestUser *user, char **mutations)
{
  g_autofree char *list = g_strjoinv (", ", mutations);
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s]}", list);
  g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push", user->token,
                                                 body);
  JsonArray *results;

  if (r->status != 200)
    g_error ("push: %u %s", r->status, r->text);
  results = json_object_get_array_member (tf_test_response_object (r), "results");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      if (g_strcmp0 (json_object_get_string_member (result, "status"), "applied") != 0)
        g_error ("mutation %u not applied: %s", i, r->text);
    }
}

/* A therapist and their client, in care and sharing everything, write a
 * record of every table a therapist or a client can write. */
static void
write_everything (Scenario *s, TfTestUser *therapist, TfTestUser *client)
{
  const char *t = therapist->user_id, *c = client->user_id;
  g_autofree char *availability = g_uuid_string_random (), *blocked = g_uuid_string_random ();
  g_autofree char *service = g_uuid_string_random (), *care = g_uuid_string_random ();
  g_autofree char *mood = g_uuid_string_random (), *entry = g_uuid_string_random ();
  g_autofree char *goal = g_uuid_string_random (), *progress = g_uuid_string_random ();
  g_autofree char *grant = g_uuid_string_random (), *appt = g_uuid_string_random ();
  g_autofree char *session = g_uuid_string_random (), *note = g_uuid_string_random ();
  g_autofree char *plan = g_uuid_string_random (), *addendum = g_uuid_string_random ();
  g_autofree char *addendum_text = tf_test_envelope ("note_addenda", addendum, "content",
                                                     "την επομένη");
  g_autofree char *content = tf_test_envelope ("journal_entries", entry, "content", "Σήμερα");
  g_autofree char *mood_notes = tf_test_envelope ("mood_entries", mood, "notes", "κουρασμένη");
  g_autofree char *allergies = tf_test_envelope ("client_intakes", c, "allergies", "[]");
  g_autofree char *family = tf_test_envelope ("client_histories", c, "family_history", "{}");
  g_autofree char *summary =
      tf_test_envelope ("sessions", session, "therapist_notes", "σημειώσεις");
  g_autofree char *note_content = tf_test_envelope ("session_notes", note, "note_content", "{}");
  g_autofree char *codes =
      tf_test_envelope ("treatment_plans", plan, "diagnosis_codes", "[\"F32.1\"]");
  g_autofree char *details = tf_test_envelope ("client_details", c, "amka", "12048512342");
  g_autofree char *managed = NULL, *managed_keys = NULL;
  g_autofree char *sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tm = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) cm = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) tm2 = g_ptr_array_new_with_free_func (g_free);

  {
    g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
    sealed = tf_crypto_seal_key (therapist->identity_public, key, &error);
    g_assert_no_error (error);
  }

  /* The therapist's directory. */
  g_ptr_array_add (tm, g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"therapist_availability\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"day_of_week\": 1, \"start_time\": \"09:00:00\", \"end_time\": \"17:00:00\"}}",
      availability, t));
  g_ptr_array_add (tm, g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"therapist_blocked_dates\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"blocked_date\": \"2031-08-15\"}}", blocked, t));
  g_ptr_array_add (tm, g_strdup_printf (
      "{\"mutation_id\": 3, \"table\": \"therapist_services\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"service_id\": \"" SERVICE "\", \"price\": \"60.00\"}}", service, t));
  g_ptr_array_add (tm, NULL);
  push_applied (therapist, (char **) tm->pdata);
  made (s, "therapist_availability", availability);
  made (s, "therapist_blocked_dates", blocked);
  made (s, "therapist_services", service);
  made (s, "therapist_booking_rules", t);
  made (s, "therapists", t);
  made (s, "profiles", t);
  made (s, "profiles", c);

  /* The client's own records, shared with the therapist. */
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"care_relationships\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
      " \"status\": \"active\", \"share_mood\": true, \"share_goals\": true}}", care, t, c));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 2, \"table\": \"mood_entries\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"mood_value\": 6,"
      " \"created_at\": \"2026-11-20T08:00:00Z\", \"notes\": \"%s\"}}", mood, c, mood_notes));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 3, \"table\": \"journal_entries\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"content\": \"%s\","
      " \"therapist_shared\": true}}", entry, c, content));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 4, \"table\": \"goals\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\", \"title\": \"Περπάτημα\","
      " \"frequency\": \"daily\"}}", goal, c));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 5, \"table\": \"goal_progress\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"goal_id\": \"%s\","
      " \"completed_date\": \"2026-11-20\"}}", progress, goal));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 6, \"table\": \"client_intakes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"client_id\": \"%s\", \"allergies\": \"%s\"}}",
      c, c, allergies));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 7, \"table\": \"key_grants\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"table_name\": \"journal_entries\","
      " \"record_id\": \"%s\", \"owner_id\": \"%s\", \"recipient_id\": \"%s\","
      " \"sealed_key\": \"%s\"}}", grant, entry, c, t, sealed));
  g_ptr_array_add (cm, g_strdup_printf (
      "{\"mutation_id\": 8, \"table\": \"client_details\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"client_id\": \"%s\", \"amka\": \"%s\"}}",
      c, c, details));
  g_ptr_array_add (cm, NULL);
  push_applied (client, (char **) cm->pdata);
  made (s, "client_details", c);
  made (s, "care_relationships", care);
  made (s, "mood_entries", mood);
  made (s, "journal_entries", entry);
  made (s, "goals", goal);
  made (s, "goal_progress", progress);
  made (s, "client_intakes", c);
  made (s, "key_grants", grant);

  /* The therapist's records about the client. */
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 4, \"table\": \"appointments\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
      " \"appointment_datetime\": \"2031-10-06T10:00:00Z\", \"duration\": 50,"
      " \"status\": \"confirmed\", \"price\": \"60.00\","
      " \"created_at\": \"2026-11-01T09:00:00Z\"}}", appt, t, c));
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 5, \"table\": \"sessions\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"appointment_id\": \"%s\","
      " \"therapist_notes\": \"%s\"}}", session, appt, summary));
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 6, \"table\": \"session_notes\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"session_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"approach_type\": \"CBT\", \"note_content\": \"%s\","
      " \"locked_at\": \"2026-11-20T10:00:00Z\", \"signature\": \"bm90ZQ==\"}}",
      note, session, t, note_content));
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 7, \"table\": \"treatment_plans\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"client_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"diagnosis_codes\": \"%s\"}}", plan, c, t, codes));
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 8, \"table\": \"client_histories\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"client_id\": \"%s\", \"family_history\": \"%s\"}}",
      c, c, family));
  /* Their booking rules and the practice's address: the directory too. */
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 9, \"table\": \"therapist_booking_rules\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"buffer_minutes\": 10, \"practice_address\": \"Σόλωνος 10\"}}", t, t));
  /* An addendum to the signed note: the therapist's alone, as the note. */
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 10, \"table\": \"note_addenda\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"note_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"content\": \"%s\", \"locked_at\": \"2026-11-21T10:00:00Z\","
      " \"signature\": \"YWRk\"}}", addendum, note, t, addendum_text));
  /* A client the therapist added, who has no account: the therapist's file. */
  {
    g_autofree char *identity = NULL, *signing = NULL, *fingerprint = NULL, *body = NULL;
    g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
    const char *publics[3];

    g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
    g_assert_true (tf_crypto_sign_keypair (&signing, &signing_secret, &error));
    publics[0] = identity;
    publics[1] = signing;
    publics[2] = NULL;
    fingerprint = tf_crypto_fingerprint (publics);
    managed = g_uuid_string_random ();
    body = g_strdup_printf ("{\"client_id\": \"%s\", \"identity_public_key\": \"%s\","
                            " \"signing_public_key\": \"%s\", \"fingerprint\": \"%s\"}",
                            managed, identity, signing, fingerprint);
    {
      g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/clients",
                                                     therapist->token, body);
      g_assert_cmpuint (r->status, ==, 200);
    }
    managed_keys = tf_test_envelope ("managed_clients", managed, "client_keys", "{}");
  }
  g_ptr_array_add (tm2, g_strdup_printf (
      "{\"mutation_id\": 11, \"table\": \"managed_clients\", \"id\": \"%s\", \"op\": \"upsert\","
      " \"base_version\": 0, \"fields\": {\"client_id\": \"%s\", \"therapist_id\": \"%s\","
      " \"client_keys\": \"%s\"}}", managed, managed, t, managed_keys));
  g_ptr_array_add (tm2, NULL);
  push_applied (therapist, (char **) tm2->pdata);
  made (s, "managed_clients", managed);
  made (s, "appointments", appt);
  made (s, "sessions", session);
  made (s, "session_notes", note);
  made (s, "note_addenda", addendum);
  made (s, "treatment_plans", plan);
  made (s, "client_histories", c);
}

/* What an unrelated person may receive of the victims': the public
 * directory, and a therapist's own profile, which is in it. */
static gboolean
may_reach_strangers (const TfTable *table, const char *id, const char *therapist_id)
{
  if (table->audience == TF_AUDIENCE_DIRECTORY)
    return TRUE;
  return strcmp (table->name, "profiles") == 0 && strcmp (id, therapist_id) == 0;
}

static void
assert_nothing_reaches (TfTestUser *stranger, Scenario *s, const char *therapist_id)
{
  g_autoptr(JsonArray) seen = pull_everything (stranger);
  guint public = 0;

  for (guint i = 0; i < json_array_get_length (seen); i++)
    {
      JsonObject *change = json_array_get_object_element (seen, i);
      const char *id = json_object_get_string_member (change, "id");
      const char *table_name = json_object_get_string_member (change, "table");
      const TfTable *table = tf_registry_lookup (table_name);
      const char *made_in = g_hash_table_lookup (s->owner, id);

      g_assert_nonnull (table);
      if (made_in == NULL || strcmp (made_in, table_name) != 0)
        continue;  /* not the victims' (the stranger's own, others', the catalogue) */
      if (!may_reach_strangers (table, id, therapist_id))
        g_error ("%s %s of the therapist and client reached %s, a stranger", table_name, id,
                 stranger->email);
      public++;
    }
  /* The directory does reach them: the scenario is real. */
  g_assert_cmpuint (public, >=, 4);
}

static void
test_no_record_reaches_a_stranger (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) other_client = new_user ("client");
  g_autoptr(TfTestUser) other_therapist = new_user ("therapist");
  Scenario s = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
  };
  guint n_tables;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  write_everything (&s, therapist, client);

  /* Every table a therapist or a client writes has a record here. */
  for (guint i = 0; i < n_tables; i++)
    if (tables[i].writer != TF_WRITER_ADMIN && !g_hash_table_contains (s.made, tables[i].name))
      g_error ("table %s has no record in this test's scenario: add one to write_everything",
               tables[i].name);

  /* The therapist does receive what the client shares: the feed works. */
  {
    g_autoptr(JsonArray) seen = pull_everything (therapist);
    GPtrArray *entries = g_hash_table_lookup (s.made, "journal_entries");
    gboolean found = FALSE;

    for (guint i = 0; i < json_array_get_length (seen) && !found; i++)
      found = g_strcmp0 (json_object_get_string_member (json_array_get_object_element (seen, i),
                                                        "id"), entries->pdata[0]) == 0;
    g_assert_true (found);
  }

  assert_nothing_reaches (other_client, &s, therapist->user_id);
  assert_nothing_reaches (other_therapist, &s, therapist->user_id);
  g_hash_table_unref (s.made);
  g_hash_table_unref (s.owner);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  g_unsetenv ("TF_DATABASE_URL");
  server = tf_test_server_start ("tf_audience", "login-attempts-per-address=100000\n"
                                 "register-attempts-per-address=100000");

  g_test_add_func ("/tf/audience/reserved-ids-refused", test_reserved_ids_refused);
  g_test_add_func ("/tf/audience/no-record-reaches-a-stranger", test_no_record_reaches_a_stranger);
  g_test_add_func ("/tf/audience/nil-account-is-nobodys-audience",
                   test_nil_account_is_nobodys_audience);
  ret = g_test_run ();

  tf_test_server_stop (server);
  return ret;
}
