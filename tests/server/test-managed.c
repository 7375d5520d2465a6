/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-managed.c: who may make a managed client and write in their name,
 * against the real server and schema (issue 12; docs/protocol.md,
 * "Managed clients and invitations").  Only a therapist makes one, with
 * keys whose fingerprint is theirs; the users row has no e-mail and no
 * password and names its therapist; that therapist may write the client's
 * own records (details, intake, care relationship with themselves), no
 * other therapist may, nor may a therapist write as a client they do not
 * manage; once the client has taken the account over, the therapist who
 * managed them no longer may either.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static TfTestServer *server;
static int counter;

static TfTestUser *
new_user (const char *role)
{
  g_autofree char *email = g_strdup_printf ("managed-%s%d@example.gr", role, ++counter);

  return tf_test_register (server, email, role);
}

static char *
db_text (const char *sql)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  return tf_test_pg_value (conn, sql);
}

static void
db_exec (const char *sql)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  tf_test_pg_exec (conn, sql);
}

/* The body of POST /v1/clients for new keys, the client's id in @out_id. */
static char *
client_body (char **out_id, gboolean wrong_fingerprint)
{
  g_autofree char *identity = NULL, *signing = NULL, *fingerprint = NULL;
  g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
  g_autoptr(GError) error = NULL;
  const char *publics[3];

  g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing, &signing_secret, &error));
  publics[0] = wrong_fingerprint ? signing : identity;
  publics[1] = wrong_fingerprint ? identity : signing;
  publics[2] = NULL;
  fingerprint = tf_crypto_fingerprint (publics);
  *out_id = g_uuid_string_random ();
  return g_strdup_printf ("{\"client_id\": \"%s\", \"identity_public_key\": \"%s\","
                          " \"signing_public_key\": \"%s\", \"fingerprint\": \"%s\"}",
                          *out_id, identity, signing, fingerprint);
}

/* A managed client of @therapist; returns their id. */
static char *
add_client (TfTestUser *therapist)
{
  char *id = NULL;
  g_autofree char *body = client_body (&id, FALSE);
  g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/clients",
                                                 therapist->token, body);

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (tf_test_response_object (r), "client_id"),
                   ==, id);
  return id;
}

static char *
details_mutation (gint64 mutation_id, const char *client_id)
{
  g_autofree char *amka = tf_test_envelope ("client_details", client_id, "amka", "01010112345");
  g_autofree char *phone = tf_test_envelope ("client_details", client_id, "phone", "2101234567");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"client_details\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                          " \"fields\": {\"client_id\": \"%s\", \"amka\": \"%s\","
                          " \"phone\": \"%s\"}}",
                          mutation_id, client_id, client_id, amka, phone);
}

static char *
care_mutation (gint64 mutation_id, const char *care_id, const char *therapist,
               const char *client)
{
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ","
                          " \"table\": \"care_relationships\", \"id\": \"%s\", \"op\": \"upsert\","
                          " \"base_version\": 0, \"fields\": {\"id\": \"%s\","
                          " \"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"status\": \"active\"}}",
                          mutation_id, care_id, care_id, therapist, client);
}

static const char *
status_at (TfTestResponse *r, guint i)
{
  JsonArray *results;

  g_assert_cmpuint (r->status, ==, 200);
  results = json_object_get_array_member (tf_test_response_object (r), "results");
  return json_object_get_string_member (json_array_get_object_element (results, i), "status");
}

static const char *
code_at (TfTestResponse *r, guint i)
{
  JsonArray *results = json_object_get_array_member (tf_test_response_object (r), "results");
  JsonObject *o = json_array_get_object_element (results, i);

  return json_object_get_string_member_with_default (o, "code", NULL);
}

/* Only a therapist makes a managed client, with keys it can check; the
 * row it makes has no credentials and names the therapist. */
static void
test_add (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *id = NULL, *other = NULL, *body = NULL, *sql = NULL, *row = NULL;

  body = client_body (&other, FALSE);
  {
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/clients",
                                                   client->token, body);
    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/clients", NULL, body);
    g_assert_cmpuint (r->status, ==, 401);
  }
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&other, g_free);
  body = client_body (&other, TRUE);
  {
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/clients",
                                                   therapist->token, body);
    g_assert_cmpuint (r->status, ==, 400);
  }

  id = add_client (therapist);
  sql = g_strdup_printf ("SELECT concat_ws ('|', role, coalesce (email, '-'),"
                         " coalesce (password_hash, '-'), managed_by) FROM users"
                         " WHERE id = '%s'", id);
  row = db_text (sql);
  {
    g_autofree char *want = g_strdup_printf ("client|-|-|%s", therapist->user_id);
    g_assert_cmpstr (row, ==, want);
  }
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&row, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM user_keys WHERE user_id = '%s'"
                         " AND wrapped_master_key IS NULL AND kdf_salt IS NULL", id);
  row = db_text (sql);
  g_assert_cmpstr (row, ==, "1");

  /* The same id twice: refused, nothing changed. */
  {
    g_autofree char *fresh_id = NULL;
    g_autofree char *fresh = client_body (&fresh_id, FALSE);
    g_autofree char *again = g_strdup_printf ("{\"client_id\": \"%s\", %s", id,
                                              strchr (fresh, ',') + 1);
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/clients",
                                                   therapist->token, again);
    g_assert_cmpuint (r->status, ==, 409);
  }
  /* Their keys are served like anyone's. */
  {
    g_autofree char *path = g_strconcat ("/v1/keys/", id, NULL);
    g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", path, client->token, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* The managing therapist writes in the client's name; another therapist,
 * and the therapist for a client they do not manage, may not; after the
 * client took the account over, neither may the therapist who managed
 * them. */
static void
test_who_writes (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) other = new_user ("therapist");
  g_autoptr(TfTestUser) registered = new_user ("client");
  g_autofree char *id = add_client (therapist);
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *care2 = g_uuid_string_random ();
  g_autofree char *care3 = g_uuid_string_random ();
  g_autofree char *m1 = NULL, *m2 = NULL, *sql = NULL;

  /* Another therapist: neither the details nor a relationship with them. */
  m1 = details_mutation (1, id);
  m2 = care_mutation (2, care2, other->user_id, id);
  {
    g_autofree char *both = g_strconcat (m1, ", ", m2, NULL);
    g_autoptr(TfTestResponse) r = tf_test_push (server, other, both);

    g_assert_cmpstr (status_at (r, 0), ==, "rejected");
    g_assert_cmpstr (code_at (r, 0), ==, "forbidden");
    g_assert_cmpstr (status_at (r, 1), ==, "rejected");
  }
  /* Nor the managing therapist a relationship of the client's with another. */
  g_clear_pointer (&m1, g_free);
  m1 = care_mutation (1, care3, other->user_id, id);
  {
    g_autoptr(TfTestResponse) r = tf_test_push (server, therapist, m1);
    g_assert_cmpstr (status_at (r, 0), ==, "rejected");
  }
  /* A registered client is not theirs to write as. */
  g_clear_pointer (&m1, g_free);
  m1 = details_mutation (2, registered->user_id);
  {
    g_autoptr(TfTestResponse) r = tf_test_push (server, therapist, m1);
    g_assert_cmpstr (status_at (r, 0), ==, "rejected");
    g_assert_cmpstr (code_at (r, 0), ==, "forbidden");
  }
  /* The managing therapist: the details and the care relationship. */
  g_clear_pointer (&m1, g_free);
  g_clear_pointer (&m2, g_free);
  m1 = details_mutation (3, id);
  m2 = care_mutation (4, care, therapist->user_id, id);
  {
    g_autofree char *both = g_strconcat (m1, ", ", m2, NULL);
    g_autoptr(TfTestResponse) r = tf_test_push (server, therapist, both);

    g_assert_cmpstr (status_at (r, 0), ==, "applied");
    g_assert_cmpstr (status_at (r, 1), ==, "applied");
  }
  /* The details reach the therapist in care, and not the other one. */
  sql = g_strdup_printf ("SELECT string_agg (user_id::text, ',' ORDER BY user_id)"
                         " FROM sync_feed WHERE table_name = 'client_details'"
                         " AND record_id = '%s' AND NOT revoked", id);
  {
    g_autofree char *recipients = db_text (sql);
    g_assert_nonnull (strstr (recipients, therapist->user_id));
    g_assert_null (strstr (recipients, other->user_id));
  }

  /* The client takes the account over: the therapist writes as them no more. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE users SET managed_by = NULL, email = 'took-over-%s@example.gr',"
                         " password_hash = 'x' WHERE id = '%s'", id, id);
  db_exec (sql);
  {
    g_autofree char *again = g_strdup_printf ("{\"mutation_id\": 5, \"table\": \"client_details\","
                                              " \"id\": \"%s\", \"op\": \"delete\","
                                              " \"base_version\": 0}", id);
    g_autoptr(TfTestResponse) r = tf_test_push (server, therapist, again);

    g_assert_cmpstr (status_at (r, 0), ==, "rejected");
    g_assert_cmpstr (code_at (r, 0), ==, "forbidden");
  }
}

/* A therapist's file on a client holds the client's keys: made only for a
 * client the therapist manages. */
static void
test_file_only_for_managed (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) other = new_user ("therapist");
  g_autofree char *id = add_client (therapist);
  g_autofree char *keys = tf_test_envelope ("managed_clients", id, "client_keys", "{}");
  g_autofree char *mutation = NULL;

  mutation = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"managed_clients\","
                              " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                              " \"fields\": {\"client_id\": \"%s\", \"therapist_id\": \"%s\","
                              " \"client_keys\": \"%s\"}}", id, id, other->user_id, keys);
  {
    g_autoptr(TfTestResponse) r = tf_test_push (server, other, mutation);
    g_assert_cmpstr (status_at (r, 0), ==, "rejected");
  }
  g_clear_pointer (&mutation, g_free);
  mutation = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"managed_clients\","
                              " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                              " \"fields\": {\"client_id\": \"%s\", \"therapist_id\": \"%s\","
                              " \"client_keys\": \"%s\"}}", id, id, therapist->user_id, keys);
  {
    g_autoptr(TfTestResponse) r = tf_test_push (server, therapist, mutation);
    g_assert_cmpstr (status_at (r, 0), ==, "applied");
  }
  /* Plaintext keys never reach the table. */
  {
    g_autofree char *second = add_client (therapist);

    g_clear_pointer (&mutation, g_free);
    mutation = g_strdup_printf ("{\"mutation_id\": 2, \"table\": \"managed_clients\","
                                " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                                " \"fields\": {\"client_id\": \"%s\", \"therapist_id\": \"%s\","
                                " \"client_keys\": {\"master_key\": \"AAAA\"}}}", second, second,
                                therapist->user_id);
    {
      g_autoptr(TfTestResponse) r = tf_test_push (server, therapist, mutation);
      g_assert_cmpstr (status_at (r, 0), ==, "rejected");
    }
  }
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_managed", NULL);

  g_test_add_func ("/tf/managed/add", test_add);
  g_test_add_func ("/tf/managed/who-writes", test_who_writes);
  g_test_add_func ("/tf/managed/file-only-for-managed", test_file_only_for_managed);

  status = g_test_run ();
  tf_test_server_stop (server);
  return status;
}
