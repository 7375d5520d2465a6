/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-hostile.c: hostile request bodies against the real server on
 * loopback: nesting that overflowed json-glib's stack (one unauthenticated
 * request took the server down), strings json-glib cut at "\u0000" or made
 * invalid UTF-8 of (lone surrogates), UUIDs with a trailing newline, and the
 * malformed corpus of tests/data/json-corpus sent to login, register and
 * push.  Every answer is a 4xx with the JSON error body; the server stays up.
 * And database errors, forced, never put PostgreSQL's text in an answer.
 */
#include "config.h"

#include <string.h>

#include "tf-test-pg.h"
#include "tf-test-server.h"

#define UUID "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10"

static TfTestServer *server;
static TfTestUser *client;

static void
assert_healthy (void)
{
  g_autoptr(TfTestResponse) health = tf_test_request (server, "GET", "/healthz", NULL, NULL);

  g_assert_cmpuint (health->status, ==, 200);
  /* Still the same process: it did not die and get replaced. */
  g_assert_nonnull (g_subprocess_get_identifier (server->process));
}

/* A 4xx with {"error": {"code": @code (any when NULL), "message": ...}};
 * @in_message, when not NULL, is in the message. */
static void
assert_refused (TfTestResponse *r, const char *what, const char *code, const char *in_message)
{
  JsonObject *error;

  if (r->status < 400 || r->status >= 500)
    g_error ("%s: answered %u: %s", what, r->status, r->text);
  if (r->body == NULL || !JSON_NODE_HOLDS_OBJECT (r->body) ||
      !json_object_has_member (json_node_get_object (r->body), "error"))
    g_error ("%s: %u without the JSON error body: %s", what, r->status, r->text);
  error = json_object_get_object_member (json_node_get_object (r->body), "error");
  g_assert_nonnull (json_object_get_string_member_with_default (error, "code", NULL));
  g_assert_nonnull (json_object_get_string_member_with_default (error, "message", NULL));
  if (code != NULL && g_strcmp0 (tf_test_response_error_code (r), code) != 0)
    g_error ("%s: expected %s, got %u %s", what, code, r->status, r->text);
  if (in_message != NULL &&
      strstr (json_object_get_string_member (error, "message"), in_message) == NULL)
    g_error ("%s: “%s” not in %s", what, in_message, r->text);
}

static TfTestResponse *
send_bytes (const char *path, const char *data, gsize len)
{
  g_autoptr(GBytes) body = g_bytes_new (data, len);
  const char *token = g_str_equal (path, "/v1/sync/push") ? client->token : NULL;

  return tf_test_request_bytes (server, "POST", path, token, body);
}

static const char * const endpoints[] = { "/v1/auth/login", "/v1/auth/register",
                                          "/v1/sync/push" };

/* About 66,000 "[" overflowed the stack of json-glib's recursive parser:
 * SIGSEGV on the main thread, before any authentication. */
static void
test_deep_nesting (void)
{
  const gsize n = 1000000;
  g_autofree char *arrays = g_malloc (n);
  g_autoptr(GString) objects = g_string_new (NULL);

  memset (arrays, '[', n);
  for (int i = 0; i < 70000; i++)
    g_string_append (objects, "{\"a\":");
  for (gsize e = 0; e < G_N_ELEMENTS (endpoints); e++)
    {
      g_autoptr(TfTestResponse) a66 = send_bytes (endpoints[e], arrays, 66000);
      g_autoptr(TfTestResponse) a1m = send_bytes (endpoints[e], arrays, n);
      g_autoptr(TfTestResponse) o = send_bytes (endpoints[e], objects->str, objects->len);

      assert_refused (a66, endpoints[e], "bad_json", "64");
      assert_refused (a1m, endpoints[e], "bad_json", "64");
      assert_refused (o, endpoints[e], "bad_json", "64");
      assert_healthy ();
    }
}

static char *
goal_push (const char *title_json)
{
  static int mutation_id;
  g_autofree char *id = g_uuid_string_random ();

  /* Ids increase, or the server answers a retry with its stored result. */
  return g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [{\"mutation_id\": %d,"
                          " \"table\": \"goals\", \"id\": \"%s\", \"op\": \"upsert\","
                          " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\","
                          " \"title\": %s, \"frequency\": \"daily\","
                          " \"created_at\": \"2026-11-20T08:00:00Z\"}}]}",
                          ++mutation_id, id, client->user_id, title_json);
}

/* "a\u0000b" was stored as "a"; "\ud800" became invalid UTF-8 inside
 * json-glib (register answered 500, a push rejected the mutation for a
 * wrong reason with criticals in the log). */
static void
test_nul_and_surrogates (void)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  gint64 goals = tf_test_pg_int (conn, "SELECT count(*) FROM goals");
  gint64 users = tf_test_pg_int (conn, "SELECT count(*) FROM users");
  static const char * const titles[] = { "\"a\\u0000b\"", "\"\\ud800\"", "\"x\\udfff\"",
                                         "\"\\ud83d\\u0041\"" };

  for (gsize i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      g_autofree char *body = goal_push (titles[i]);
      g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push",
                                                     client->token, body);

      assert_refused (r, titles[i], "bad_value", "mutations[0].fields.title");
    }
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM goals"), ==, goals);

  /* Register with a lone surrogate in a name, a NUL in the e-mail. */
  for (int i = 0; i < 2; i++)
    {
      TfTestUser *raw = NULL;
      g_autofree char *body = tf_test_register_body ("surrogate@example.org", "client", NULL,
                                                     &raw);
      g_autoptr(TfTestUser) user = raw;
      g_auto(GStrv) parts = NULL;
      g_autofree char *bad = NULL;
      g_autoptr(TfTestResponse) r = NULL;

      if (i == 0)
        {
          parts = g_strsplit (body, "\"first_name\": \"", 2);
          bad = g_strjoinv ("\"first_name\": \"\\ud800", parts);
        }
      else
        {
          parts = g_strsplit (body, "surrogate@", 2);
          bad = g_strjoinv ("surrogate\\u0000@", parts);
        }
      r = tf_test_request (server, "POST", "/v1/auth/register", NULL, bad);
      assert_refused (r, bad, "bad_value", i == 0 ? "first_name" : "email");
    }
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"), ==, users);

  /* A character outside the BMP, escaped as a pair, is a character. */
  {
    g_autofree char *body = goal_push ("\"\\ud83d\\ude00 walk\"");
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push",
                                                   client->token, body);
    g_autofree char *stored = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    stored = tf_test_pg_value (conn, "SELECT title FROM goals ORDER BY created_at DESC, id"
                                     " LIMIT 1");
    g_assert_cmpstr (stored, ==, "\xf0\x9f\x98\x80 walk");
  }
  assert_healthy ();
}

/* GRegex's "$" matched before a final newline: "<uuid>\n" passed and
 * reached PostgreSQL, whose own message came back. */
static void
test_uuid_trailing_newline (void)
{
  TfTestUser *raw = NULL;
  g_autofree char *body = tf_test_register_body ("newline@example.org", "client", NULL, &raw);
  g_autoptr(TfTestUser) user = raw;
  g_autofree char *with_id = NULL;
  g_autofree char *push_body = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  g_autoptr(TfTestResponse) p = NULL;

  /* register with the id the device chose offline, and a newline */
  g_assert_true (g_str_has_suffix (body, "}"));
  body[strlen (body) - 1] = '\0';
  with_id = g_strdup_printf ("%s, \"user_id\": \"" UUID "\\n\"}", body);
  r = tf_test_request (server, "POST", "/v1/auth/register", NULL, with_id);
  assert_refused (r, with_id, "bad_value", "user_id");

  push_body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [{\"mutation_id\": 1,"
                               " \"table\": \"goals\", \"id\": \"" UUID "\\n\", \"op\": \"upsert\","
                               " \"base_version\": 0, \"fields\": {\"user_id\": \"%s\","
                               " \"title\": \"x\", \"frequency\": \"daily\"}}]}",
                               client->user_id);
  p = tf_test_request (server, "POST", "/v1/sync/push", client->token, push_body);
  assert_refused (p, push_body, "bad_value", "UUID");
}

static void
test_corpus (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("TF_SOURCE_DIR"), "tests", "data",
                                           "json-corpus", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  gint64 users = tf_test_pg_int (conn, "SELECT count(*) FROM users");
  gint64 sessions = tf_test_pg_int (conn, "SELECT count(*) FROM auth_sessions");
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_assert_cmpuint (names->len, >=, 60);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = names->pdata[i];
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *data = NULL;
      const char *code = g_str_has_prefix (file, "syntax-") ? "bad_json"
                         : g_str_has_prefix (file, "value-") ? "bad_value" : NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      for (gsize e = 0; e < G_N_ELEMENTS (endpoints); e++)
        {
          g_autofree char *what = g_strdup_printf ("%s to %s", file, endpoints[e]);
          gint64 start = g_get_monotonic_time ();
          g_autoptr(TfTestResponse) r = send_bytes (endpoints[e], data, len);

          assert_refused (r, what, code, NULL);
          /* No hang: every one is answered at once. */
          g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
        }
    }
  assert_healthy ();
  /* None of them made an account or a session. */
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"), ==, users);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_sessions"), ==, sessions);
}

/* PostgreSQL's words: constraint names, DETAIL and CONTEXT lines, the SQL,
 * the database's address. */
static void
assert_no_database_text (TfTestResponse *r, const char *what)
{
  static const char * const words[] = { "constraint", "DETAIL", "violates", "CONTEXT", "SQL",
                                        "ERROR:", "duplicate key", "pkey", "PL/pgSQL",
                                        "tf-secret-words", "127.0.0.1", "connection to server",
                                        "relation", "function" };

  g_assert_nonnull (r->body);
  for (gsize i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (r->text, words[i]) != NULL)
      g_error ("%s: the answer holds database text (%s): %s", what, words[i], r->text);
  g_assert_nonnull (tf_test_response_error_code (r));
}

static TfTestResponse *
register_as (const char *email, const char *user_id)
{
  TfTestUser *raw = NULL;
  g_autofree char *body = tf_test_register_body (email, "client", NULL, &raw);
  g_autoptr(TfTestUser) user = raw;
  g_autofree char *with_id = NULL;

  body[strlen (body) - 1] = '\0';
  with_id = g_strdup_printf ("%s, \"user_id\": \"%s\"}", body, user_id);
  return tf_test_request (server, "POST", "/v1/auth/register", NULL, with_id);
}

/* Registering a therapist with the nil id answered 409 with PostgreSQL's
 * error: constraint name, DETAIL, CONTEXT with SQL.  Database errors are
 * forced here (a taken key, triggers that refuse, the database stopped) and
 * no answer may carry the database's text. */
static void
test_no_database_text (void)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  /* A taken id: a unique violation. */
  {
    g_autoptr(TfTestResponse) r = register_as ("taken-id@example.org", client->user_id);

    g_assert_cmpuint (r->status, ==, 409);
    assert_no_database_text (r, "a taken user id");
  }

  /* A CHECK refusal and an unexpected failure, both with DETAIL and CONTEXT. */
  tf_test_pg_exec (conn,
                   "CREATE FUNCTION tf_test_refuse () RETURNS trigger LANGUAGE plpgsql AS $$"
                   " BEGIN RAISE EXCEPTION 'tf-secret-words in relation profiles'"
                   "   USING ERRCODE = TG_ARGV[0], DETAIL = 'Failing row contains secrets',"
                   "   HINT = 'SQL: SELECT * FROM users'; END $$");
  for (int i = 0; i < 2; i++)
    {
      const char *state = i == 0 ? "check_violation" : "internal_error";
      g_autofree char *create = g_strdup_printf ("CREATE TRIGGER tf_test_refuse BEFORE INSERT ON"
                                                 " profiles FOR EACH ROW EXECUTE FUNCTION"
                                                 " tf_test_refuse ('%s')", state);
      g_autofree char *email = g_strdup_printf ("trigger%d@example.org", i);
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(TfTestResponse) r = NULL;

      tf_test_pg_exec (conn, create);
      r = register_as (email, id);
      tf_test_pg_exec (conn, "DROP TRIGGER tf_test_refuse ON profiles");
      g_assert_cmpuint (r->status, ==, i == 0 ? 422 : 500);
      assert_no_database_text (r, state);
    }

  /* A push row the database refuses. */
  tf_test_pg_exec (conn, "CREATE TRIGGER tf_test_refuse BEFORE INSERT ON goals FOR EACH ROW"
                         " EXECUTE FUNCTION tf_test_refuse ('check_violation')");
  {
    g_autofree char *body = goal_push ("\"refused\"");
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push",
                                                   client->token, body);

    tf_test_pg_exec (conn, "DROP TRIGGER tf_test_refuse ON goals");
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->text, "rejected"));
    g_assert_null (strstr (r->text, "tf-secret-words"));
    g_assert_null (strstr (r->text, "DETAIL"));
  }
  tf_test_pg_exec (conn, "DROP FUNCTION tf_test_refuse ()");
  g_clear_pointer (&conn, PQfinish);

  /* The database stopped: 503 without its address or libpq's words. */
  tf_test_pg_ctl ("-m fast stop");
  {
    g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/auth/login", NULL,
                                                   "{\"email\": \"a@example.org\","
                                                   " \"auth_key\": \"AAAA\"}");
    g_autoptr(TfTestResponse) p = tf_test_request (server, "GET", "/v1/sync/pull?cursor=0",
                                                   client->token, NULL);

    tf_test_pg_ctl ("start");
    for (int i = 0; i < 2; i++)
      {
        TfTestResponse *x = i == 0 ? r : p;
        if (x->status != 503 && x->status != 400)
          g_error ("database down: %u %s", x->status, x->text);
        assert_no_database_text (x, "database down");
      }
  }
  for (int i = 0; i < 100; i++)
    {
      g_autoptr(TfTestResponse) up = tf_test_request (server, "GET", "/healthz", NULL, NULL);
      if (up->status == 200)
        break;
      g_usleep (100 * 1000);
    }
  assert_healthy ();
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_unsetenv ("TF_DATABASE_URL");
  /* The production body limit (4 MiB), so the deep bodies reach the parser. */
  server = tf_test_server_start ("tf_hostile", "login-attempts-per-address=100000\n"
                                 "register-attempts-per-address=100000");
  client = tf_test_register (server, "hostile-client@example.org", "client");

  g_test_add_func ("/tf/hostile/deep-nesting", test_deep_nesting);
  g_test_add_func ("/tf/hostile/nul-and-surrogates", test_nul_and_surrogates);
  g_test_add_func ("/tf/hostile/uuid-trailing-newline", test_uuid_trailing_newline);
  g_test_add_func ("/tf/hostile/corpus", test_corpus);
  g_test_add_func ("/tf/hostile/no-database-text", test_no_database_text);
  ret = g_test_run ();

  tf_test_user_free (client);
  tf_test_server_stop (server);
  return ret;
}
