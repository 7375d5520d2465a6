/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-durable.c: an acknowledged write is never lost, and a healthy
 * database never answers 503.  Against the real server and a PostgreSQL run
 * with the production settings (TF_PG_DURABLE=1: fsync, synchronous_commit
 * and full_page_writes on): pushes acknowledged just before a PostgreSQL
 * crash are there after it even when the database or a transaction turns
 * synchronous_commit off; the first requests after a PostgreSQL restart
 * succeed; concurrent requests with one token whose last_seen_at is due all
 * succeed; a pull asking for more than the server's pull-limit gets a page.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-test-pg.h"
#include "tf-test-pg-proxy.h"
#include "tf-test-server.h"

#define PULL_LIMIT 50   /* the server's pull-limit in this suite */
#define POOL_SIZE  4    /* tf-test-server's pool-size */

static TfTestServer *server;

/* Pushes one new mood entry of @user's until it is acknowledged (a 503 from
 * a connection opened before a restart is retried, as a device would) and
 * returns its id. */
static char *
push_acknowledged (TfTestUser *user, gint64 mutation_id)
{
  char *id = g_uuid_string_random ();
  g_autofree char *m = tf_test_mood_mutation (mutation_id, id, user->user_id, 0, 6);

  for (int attempt = 0; attempt < 50; attempt++)
    {
      g_autoptr(TfTestResponse) r = tf_test_push (server, user, m);

      if (r->status == 200)
        {
          JsonArray *results = json_object_get_array_member (tf_test_response_object (r),
                                                              "results");
          g_assert_cmpstr (json_object_get_string_member (
                             json_array_get_object_element (results, 0), "status"),
                           ==, "applied");
          return id;
        }
      g_assert_cmpuint (r->status, ==, 503);
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_error ("push %" G_GINT64_FORMAT " never acknowledged", mutation_id);
}

/* Acknowledged pushes, a PostgreSQL crash (immediate stop: no shutdown
 * checkpoint, WAL buffers not yet written are gone), a restart: every
 * acknowledged row is there. */
static void
crash_after_pushes (TfTestUser *user, gint64 *next_mutation)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGconn) conn = NULL;

  for (int i = 0; i < 10; i++)
    g_ptr_array_add (ids, push_acknowledged (user, (*next_mutation)++));
  tf_test_pg_ctl ("-m immediate stop");
  tf_test_pg_ctl ("start");

  conn = tf_test_pg_connect (server->conninfo);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM mood_entries WHERE id = '%s'",
                                              (char *) g_ptr_array_index (ids, i));

      if (tf_test_pg_int (conn, sql) != 1)
        g_error ("acknowledged push %u of %u lost in the crash", i + 1, ids->len);
    }
}

static void
test_crash_keeps_acknowledged (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "crash@example.org", "client");
  gint64 next_mutation = 1;

  /* The WAL writer would flush asynchronous commits within 200 ms; at its
   * slowest they wait 10 s, so a lost commit is lost every time. */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    tf_test_pg_exec (conn, "ALTER SYSTEM SET wal_writer_delay = '10s'");
    tf_test_pg_exec (conn, "SELECT pg_reload_conf ()");
    /* A database whose default is the fast, unsafe one. */
    tf_test_pg_exec (conn, "ALTER DATABASE tf_durable SET synchronous_commit = off");
  }
  /* Its connections open afresh and take the database's default. */
  tf_test_pg_ctl ("-m fast stop");
  tf_test_pg_ctl ("start");
  crash_after_pushes (user, &next_mutation);

  /* A transaction that turns it off for itself (as a pooler's backend, a
   * role's function or a trigger may): the commit is still durable. */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    tf_test_pg_exec (conn, "ALTER DATABASE tf_durable RESET synchronous_commit");
    tf_test_pg_exec (conn, "CREATE FUNCTION tf_test_async () RETURNS trigger LANGUAGE plpgsql"
                           " AS $$ BEGIN PERFORM set_config ('synchronous_commit', 'off', true);"
                           " RETURN NEW; END $$");
    tf_test_pg_exec (conn, "CREATE TRIGGER tf_test_async BEFORE INSERT ON mood_entries"
                           " FOR EACH ROW EXECUTE FUNCTION tf_test_async ()");
  }
  crash_after_pushes (user, &next_mutation);

  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    tf_test_pg_exec (conn, "DROP TRIGGER tf_test_async ON mood_entries;"
                           " DROP FUNCTION tf_test_async ()");
    tf_test_pg_exec (conn, "ALTER SYSTEM RESET wal_writer_delay");
    tf_test_pg_exec (conn, "SELECT pg_reload_conf ()");
  }
}

/* --- many requests at once ------------------------------------------------ */

typedef struct
{
  const char *path;
  const char *token;
  guint       requests;
  guint       ok;
  GString    *failures;   /* what went wrong, for the test's message */
} Burst;

static gpointer
burst_thread (gpointer data)
{
  Burst *burst = data;

  for (guint i = 0; i < burst->requests; i++)
    {
      g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", burst->path, burst->token,
                                                     NULL);
      if (r->status == 200)
        burst->ok++;
      else
        g_string_append_printf (burst->failures, "%u %s\n", r->status, r->text);
    }
  return NULL;
}

/* Sends @requests GETs of @path from each of @threads threads at once;
 * fails the test unless every one is answered 200. */
static void
burst_all_ok (const char *path, const char *token, guint threads, guint requests)
{
  g_autofree Burst *bursts = g_new0 (Burst, threads);
  g_autofree GThread **running = g_new0 (GThread *, threads);
  g_autoptr(GString) failures = g_string_new (NULL);
  guint ok = 0;

  for (guint i = 0; i < threads; i++)
    {
      bursts[i] = (Burst) { path, token, requests, 0, g_string_new (NULL) };
      running[i] = g_thread_new ("burst", burst_thread, &bursts[i]);
    }
  for (guint i = 0; i < threads; i++)
    {
      g_thread_join (running[i]);
      ok += bursts[i].ok;
      g_string_append (failures, bursts[i].failures->str);
      g_string_free (bursts[i].failures, TRUE);
    }
  if (ok != threads * requests)
    g_error ("%u of %u requests to %s failed:\n%s", threads * requests - ok,
             threads * requests, path, failures->str);
}

/* After PostgreSQL restarts, the first requests on every pooled connection
 * succeed: the server finds its dead connections before it uses them. */
static void
test_restart_then_all_succeed (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "restart@example.org", "client");

  /* Every pooled connection open and used. */
  burst_all_ok ("/v1/sync/pull?cursor=0", user->token, 2 * POOL_SIZE, 2);
  for (int round = 0; round < 2; round++)
    {
      tf_test_pg_ctl ("-m fast stop");
      tf_test_pg_ctl ("start");
      burst_all_ok ("/v1/sync/pull?cursor=0", user->token, 2 * POOL_SIZE, 3);
      burst_all_ok ("/healthz", NULL, 2 * POOL_SIZE, 1);
    }
}

/* Requests with one token at once, when the session's last_seen_at is due
 * for its update: all answered, none a 503 from a serialization failure. */
static void
test_concurrent_one_token (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "burst@example.org", "client");
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *due = g_strdup_printf ("UPDATE auth_sessions SET last_seen_at = now ()"
                                          " - interval '5 minutes' WHERE user_id = '%s'",
                                          user->user_id);
  g_autofree char *seen = g_strdup_printf ("SELECT count(*) FROM auth_sessions WHERE user_id ="
                                           " '%s' AND last_seen_at > now () - interval '1 minute'",
                                           user->user_id);

  for (int round = 0; round < 10; round++)
    {
      tf_test_pg_exec (conn, due);
      burst_all_ok ("/v1/sync/pull?cursor=0", user->token, 2 * POOL_SIZE, 1);
      /* And last_seen_at still moves. */
      g_assert_cmpint (tf_test_pg_int (conn, seen), ==, 1);
    }
}

/* A device asking for a bigger page than the server's pull-limit gets the
 * server's page, and the rest with has_more; every page says the limit. */
static void
test_pull_limit_clamped (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "pages@example.org", "client");
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(TfTestResponse) pushed = NULL;
  gint64 cursor = 0;
  guint pulled = 0, pages = 0;
  gboolean more = TRUE;

  for (int i = 1; i <= PULL_LIMIT + 10; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *m = tf_test_mood_mutation (i, id, user->user_id, 0, 1 + i % 10);

      g_string_append_printf (batch, "%s%s", i > 1 ? "," : "", m);
    }
  pushed = tf_test_push (server, user, batch->str);
  g_assert_cmpuint (pushed->status, ==, 200);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=500", cursor);
      g_autoptr(TfTestResponse) page = tf_test_request (server, "GET", path, user->token, NULL);
      JsonObject *body;
      guint n;

      if (page->status != 200)
        g_error ("pull with limit=500 against pull-limit=%d: %u %s", PULL_LIMIT, page->status,
                 page->text);
      body = tf_test_response_object (page);
      n = json_array_get_length (json_object_get_array_member (body, "changes"));
      g_assert_cmpuint (n, <=, PULL_LIMIT);
      /* The answer says the server's limit, so the device asks it next time. */
      g_assert_cmpint (json_object_get_int_member_with_default (body, "limit", -1), ==,
                       PULL_LIMIT);
      pulled += n;
      pages++;
      cursor = json_object_get_int_member (body, "next_cursor");
      more = json_object_get_boolean_member (body, "has_more");
      g_assert_cmpuint (pages, <, 10);
    }
  g_assert_cmpuint (pulled, >=, PULL_LIMIT + 10);
  g_assert_cmpuint (pages, >=, 2);
}

/* A connection on which synchronous_commit stays off gets nothing
 * acknowledged: the server answers 503 with the JSON error body and writes
 * nothing.  PostgreSQL always honours the server's own SET (a database or
 * role default is only a default: test_crash_keeps_acknowledged), so this
 * can only happen through something in between that loses the SET, as a
 * pooler in transaction mode does: a proxy that turns it into a SELECT,
 * with the database's default off behind it. */
static void
test_commit_not_durable_refused (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "not-durable@example.org", "client");
  TfTestPgProxy *proxy = tf_test_pg_proxy_start ();
  g_autofree char *through = tf_test_pg_proxy_conninfo (proxy, server->conninfo);
  /* The suite's database, reached through the proxy: a later [database]
   * group's url wins over the one tf_test_server_start writes. */
  g_autofree char *config = g_strdup_printf ("\n[database]\nurl=%s\n", through);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = tf_test_mood_mutation (1, id, user->user_id, 0, 6);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM mood_entries WHERE id = '%s'",
                                          id);
  g_autoptr(TfTestResponse) health = NULL, push = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  TfTestServer *behind;

  tf_test_pg_exec (conn, "ALTER DATABASE tf_durable SET synchronous_commit = off");
  behind = tf_test_server_start ("tf_durable_unused", config);

  health = tf_test_request (behind, "GET", "/healthz", NULL, NULL);
  g_assert_cmpuint (health->status, ==, 503);
  g_assert_cmpstr (tf_test_response_error_code (health), ==, "database_unavailable");
  g_assert_nonnull (health->retry_after);
  /* No database text reaches the client. */
  g_assert_null (strstr (health->text, "synchronous_commit"));
  g_assert_cmpuint (tf_test_pg_proxy_lost (proxy), >, 0);

  push = tf_test_push (behind, user, m);
  g_assert_cmpuint (push->status, ==, 503);
  g_assert_cmpstr (tf_test_response_error_code (push), ==, "database_unavailable");
  g_assert_nonnull (push->retry_after);
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 0);

  /* The same push straight to PostgreSQL is taken: it was the connection. */
  tf_test_server_stop (behind);
  tf_test_pg_proxy_stop (proxy);
  tf_test_pg_exec (conn, "ALTER DATABASE tf_durable RESET synchronous_commit");
  g_clear_pointer (&push, tf_test_response_free);
  push = tf_test_push (server, user, m);
  g_assert_cmpuint (push->status, ==, 200);
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  if (g_strcmp0 (g_getenv ("TF_PG_DURABLE"), "1") != 0)
    g_error ("test-durable needs PostgreSQL's production settings: run it with TF_PG_DURABLE=1");
  server = tf_test_server_start ("tf_durable", "pull-limit=" G_STRINGIFY (PULL_LIMIT));

  g_test_add_func ("/tf/durable/pull-limit-clamped", test_pull_limit_clamped);
  g_test_add_func ("/tf/durable/concurrent-one-token", test_concurrent_one_token);
  g_test_add_func ("/tf/durable/restart-then-all-succeed", test_restart_then_all_succeed);
  g_test_add_func ("/tf/durable/crash-keeps-acknowledged", test_crash_keeps_acknowledged);
  g_test_add_func ("/tf/durable/commit-not-durable-refused", test_commit_not_durable_refused);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
