/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-rekey.c: a share that ends is whole or not at all, wherever it
 * stops.  A client shares a journal entry with two therapists and ends the
 * care with one of them (`therapist end`): the entry is re-keyed, the former
 * reader's grant deleted and the other's sealed again in one local
 * transaction, one push and one PostgreSQL transaction.  Ended by the
 * therapist (`client end`), the client's device does the same when the end
 * reaches it.  Each test stops
 * that at one point — the CLI killed (TF_DEBUG_KILL_AT) inside the local
 * transaction, after it, after the server answered, after the answer was
 * applied; a row of the push refused by PostgreSQL; the server's database
 * session killed in the middle of the push's transaction; the sync cut
 * between two pushes, after the re-key and before the end — and checks, in
 * PostgreSQL and on every device, that the state is the old one or the new
 * one: after a restart and a sync the former reader holds no grant for the
 * live data key and cannot read what was written after the end, the
 * reader who stays can, and nothing is lost or written twice.
 *
 * Real processes throughout: the test build of the CLI (it has the kill
 * points), each device a profile folder of its own, the real server and
 * PostgreSQL.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>

#include "tf-test-pg.h"
#include "tf-test-server.h"

#define PASSWORD "σωστός κωδικός 1"
#define BEFORE   "written while both therapists read it"
#define AFTER    "written after the care with one of them ended"

static TfTestServer *server;
/* TF_DEBUG_PUSH_BATCH for the CLI runs, when not NULL: pushes that small. */
static const char *push_batch;

/* --- the CLI --------------------------------------------------------------- */

/* Runs the test CLI on the profile folder @dir, with TF_DEBUG_KILL_AT set
 * to @kill_at when not NULL.  Returns the exit status, or minus the signal
 * that ended it; stdout in @out (may be NULL). */
static int
cli (const char *dir, const char *kill_at, char **out, const char * const *args)
{
  g_autofree char *exe = g_build_filename (g_getenv ("TF_BUILD_DIR"), "client",
                                           "therapy-field-cli-test", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL, *discarded = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  env = g_environ_unsetenv (env, "G_DEBUG");
  env = g_environ_setenv (env, "LANGUAGE", "en", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "TF_KDF_OPSLIMIT", "2", TRUE);
  env = g_environ_setenv (env, "TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  env = g_environ_setenv (env, "TF_PASSWORD", PASSWORD, TRUE);
  env = kill_at != NULL ? g_environ_setenv (env, "TF_DEBUG_KILL_AT", kill_at, TRUE)
                        : g_environ_unsetenv (env, "TF_DEBUG_KILL_AT");
  env = push_batch != NULL ? g_environ_setenv (env, "TF_DEBUG_PUSH_BATCH", push_batch, TRUE)
                           : g_environ_unsetenv (env, "TF_DEBUG_PUSH_BATCH");
  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  /* Its output captured, never on the test's own (TAP) stdout. */
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                out != NULL ? out : &discarded, &err, &status, &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (status))
    return -WTERMSIG (status);
  if (WEXITSTATUS (status) != 0)
    g_test_message ("%s %s: exit %d: %s", args[0], args[1] ? args[1] : "",
                    WEXITSTATUS (status), err);
  return WEXITSTATUS (status);
}
#define CLI(dir, kill_at, ...) cli (dir, kill_at, NULL, (const char * const[]) { __VA_ARGS__, NULL })

/* Runs --json @args on @dir, which must succeed; its parsed output. */
static JsonNode *
cli_json (const char *dir, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_ptr_array_add (argv, (gpointer) "--json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_cmpint (cli (dir, NULL, &out, (const char * const *) argv->pdata), ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return node;
}
#define CLI_JSON(dir, ...) cli_json (dir, (const char * const[]) { __VA_ARGS__, NULL })

/* --- the database ---------------------------------------------------------- */

static char *
db_value (const char *format, ...) G_GNUC_PRINTF (1, 2);

static char *
db_value (const char *format, ...)
{
  g_autofree char *sql = NULL;
  PGconn *conn = tf_test_pg_connect (server->conninfo);
  va_list args;
  char *value;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  value = tf_test_pg_value (conn, sql);
  PQfinish (conn);
  return value;
}

static void
db_exec (const char *sql)
{
  PGconn *conn = tf_test_pg_connect (server->conninfo);

  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
}

/* The first column of @sql's first row (text) in the profile of @dir, read
 * as the file is: what the device holds, whatever the CLI shows. */
static char *
device_value (const char *dir, const char *sql)
{
  g_autofree char *path = g_build_filename (dir, "profile.sqlite", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value != NULL ? value : g_strdup ("");
}

/* --- the practice ---------------------------------------------------------- */

typedef struct
{
  char *c, *t1, *t2;              /* profile folders: the client, the therapist who goes,
                                   * the one who stays */
  char *t1_email, *t2_email;
  char *client_id, *t1_id, *t2_id;
  char *entry;                    /* the shared journal entry */
  char *key_before;               /* its enc_key on the server before the end */
  char *t1_sealed, *t2_sealed;    /* the grants' sealed keys before the end */
} Share;

static void
remove_dir (char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

static void
share_clear (Share *s)
{
  remove_dir (s->c);
  remove_dir (s->t1);
  remove_dir (s->t2);
  g_free (s->t1_email);
  g_free (s->t2_email);
  g_free (s->client_id);
  g_free (s->t1_id);
  g_free (s->t2_id);
  g_free (s->entry);
  g_free (s->key_before);
  g_free (s->t1_sealed);
  g_free (s->t2_sealed);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Share, share_clear)

static char *
new_profile (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tf-rekey-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static char *
register_on (const char *dir, const char *email, const char *role)
{
  g_autoptr(JsonNode) node = NULL;

  if (strcmp (role, "therapist") == 0)
    node = CLI_JSON (dir, "account", "register", "--server", server->base_url, "--email", email,
                     "--role", role, "--first-name", "Δήμητρα", "--last-name", "Αλεξίου",
                     "--license", email);
  else
    node = CLI_JSON (dir, "account", "register", "--server", server->base_url, "--email", email,
                     "--role", role, "--first-name", "Ελένη", "--last-name", "Παπαδοπούλου");
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "user_id"));
}

/* A sync that succeeds and in which the server refused nothing. */
static void
sync_ok (const char *dir)
{
  g_autoptr(JsonNode) report = CLI_JSON (dir, "sync");

  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "rejected"), ==,
                   0);
}

/* The therapist on @dir accepts every request for care waiting for them
 * (a client's link is a request since issue 12): a sync brings them,
 * link accept answers each, a sync sends the answers. */
static void
accept_requests (const char *dir)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *requests;

  sync_ok (dir);
  node = CLI_JSON (dir, "link", "requests");
  requests = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (requests), >, 0);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    g_assert_cmpint (CLI (dir, NULL, "link", "accept",
                          json_object_get_string_member (
                            json_array_get_object_element (requests, i), "id")), ==, 0);
  sync_ok (dir);
}

static gint64
status_of (const char *dir, const char *member)
{
  g_autoptr(JsonNode) node = CLI_JSON (dir, "status");

  return json_object_get_int_member (json_node_get_object (node), member);
}

/* The content of journal entry @id as @dir reads it, or NULL when it does
 * not list it. */
static char *
content_on (const char *dir, const char *id)
{
  g_autoptr(JsonNode) node = CLI_JSON (dir, "journal", "list");
  JsonArray *entries = json_node_get_array (node);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *o = json_array_get_object_element (entries, i);

      if (g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0)
        return g_strdup (json_object_get_string_member_with_default (o, "content", ""));
    }
  return NULL;
}

/* The sealed key of the live grant of the entry to @recipient on the
 * server, "" when there is none. */
static char *
live_grant (Share *s, const char *recipient)
{
  return db_value ("SELECT coalesce(min(sealed_key), '') FROM key_grants WHERE record_id = '%s'"
                   " AND recipient_id = '%s' AND deleted_at IS NULL", s->entry, recipient);
}

/* A client in care with two therapists, an entry shared with both, which
 * both read. */
static void
share_begin (Share *s, const char *name)
{
  g_autofree char *client_email = g_strdup_printf ("client-%s@example.gr", name);
  g_autofree char *out = NULL;
  g_autofree char *on_t1 = NULL, *on_t2 = NULL;

  s->c = new_profile ();
  s->t1 = new_profile ();
  s->t2 = new_profile ();
  s->t1_email = g_strdup_printf ("leaves-%s@example.gr", name);
  s->t2_email = g_strdup_printf ("stays-%s@example.gr", name);
  s->t1_id = register_on (s->t1, s->t1_email, "therapist");
  s->t2_id = register_on (s->t2, s->t2_email, "therapist");
  s->client_id = register_on (s->c, client_email, "client");
  g_assert_cmpint (CLI (s->c, NULL, "therapist", "link", "--email", s->t1_email), ==, 0);
  g_assert_cmpint (CLI (s->c, NULL, "therapist", "link", "--email", s->t2_email), ==, 0);
  g_assert_cmpint (cli (s->c, NULL, &out, (const char * const[]) { "journal", "add", "--title",
                                                                  "Για τις δύο", "--content",
                                                                  BEFORE, "--share", NULL }),
                   ==, 0);
  s->entry = g_strndup (out, strcspn (out, "\n"));
  sync_ok (s->c);
  accept_requests (s->t1);
  accept_requests (s->t2);
  sync_ok (s->c);
  sync_ok (s->t1);
  sync_ok (s->t2);
  on_t1 = content_on (s->t1, s->entry);
  on_t2 = content_on (s->t2, s->entry);
  g_assert_cmpstr (on_t1, ==, BEFORE);
  g_assert_cmpstr (on_t2, ==, BEFORE);
  s->key_before = db_value ("SELECT enc_key FROM journal_entries WHERE id = '%s'", s->entry);
  s->t1_sealed = live_grant (s, s->t1_id);
  s->t2_sealed = live_grant (s, s->t2_id);
  g_assert_cmpstr (s->t1_sealed, !=, "");
  g_assert_cmpstr (s->t2_sealed, !=, "");
}

/* The server holds the state from before the end (@ended FALSE) or after
 * it, every part of it and nothing in between. */
static void
server_has_state (Share *s, gboolean ended)
{
  g_autofree char *key = db_value ("SELECT enc_key FROM journal_entries WHERE id = '%s'",
                                   s->entry);
  g_autofree char *t1 = live_grant (s, s->t1_id);
  g_autofree char *t2 = live_grant (s, s->t2_id);
  g_autofree char *grants = db_value ("SELECT count(*) FROM key_grants WHERE record_id = '%s'"
                                      " AND deleted_at IS NULL", s->entry);

  if (!ended)
    {
      g_assert_cmpstr (key, ==, s->key_before);
      g_assert_cmpstr (t1, ==, s->t1_sealed);
      g_assert_cmpstr (t2, ==, s->t2_sealed);
      g_assert_cmpstr (grants, ==, "2");
      return;
    }
  /* A new key; the former reader has no grant; the other one's is sealed
   * again (an old one would open nothing written from now on). */
  g_assert_cmpstr (key, !=, s->key_before);
  g_assert_cmpstr (t1, ==, "");
  g_assert_cmpstr (t2, !=, "");
  g_assert_cmpstr (t2, !=, s->t2_sealed);
  g_assert_cmpstr (grants, ==, "1");
}
#define server_has_old_state(s) server_has_state (s, FALSE)
#define server_has_new_state(s) server_has_state (s, TRUE)

/* After whatever stopped the end and a sync: the client writes on; the
 * former reader has no grant for the live key and cannot read it, the
 * other therapist can, and nothing was lost or written twice. */
static void
share_finish (Share *s)
{
  g_autofree char *entries = NULL, *care = NULL;
  g_autofree char *on_c = NULL, *on_t1 = NULL, *on_t2 = NULL;

  server_has_new_state (s);
  g_assert_cmpint (CLI (s->c, NULL, "journal", "edit", s->entry, "--content", AFTER), ==, 0);
  sync_ok (s->c);
  sync_ok (s->t1);
  sync_ok (s->t2);
  server_has_new_state (s);

  care = db_value ("SELECT string_agg(status, ',' ORDER BY therapist_id = '%s')"
                   " FROM care_relationships WHERE client_id = '%s'", s->t1_id, s->client_id);
  g_assert_cmpstr (care, ==, "active,ended");
  entries = db_value ("SELECT count(*) FROM journal_entries WHERE user_id = '%s'",
                      s->client_id);
  g_assert_cmpstr (entries, ==, "1");

  /* On the devices too: the client's and the staying therapist's hold the
   * server's key and one grant, the former reader's neither grant nor
   * entry. */
  {
    g_autofree char *key_sql = g_strdup_printf ("SELECT enc_key FROM journal_entries"
                                                " WHERE id = '%s'", s->entry);
    g_autofree char *grants_sql = g_strdup_printf ("SELECT count(*) || ':' ||"
                                                   " coalesce(min(recipient_id), '')"
                                                   " FROM key_grants WHERE record_id = '%s'"
                                                   " AND deleted_at IS NULL", s->entry);
    g_autofree char *server_key = db_value ("%s", key_sql);
    g_autofree char *one_grant = g_strdup_printf ("1:%s", s->t2_id);
    g_autofree char *c_key = device_value (s->c, key_sql);
    g_autofree char *c_grants = device_value (s->c, grants_sql);
    g_autofree char *t1_key = device_value (s->t1, key_sql);
    g_autofree char *t1_grants = device_value (s->t1, grants_sql);
    g_autofree char *t2_grants = device_value (s->t2, grants_sql);

    g_assert_cmpstr (c_key, ==, server_key);
    g_assert_cmpstr (c_grants, ==, one_grant);
    g_assert_cmpstr (t2_grants, ==, one_grant);
    g_assert_cmpstr (t1_key, ==, "");
    g_assert_cmpstr (t1_grants, ==, "0:");
  }

  on_c = content_on (s->c, s->entry);
  on_t1 = content_on (s->t1, s->entry);
  on_t2 = content_on (s->t2, s->entry);
  g_assert_cmpstr (on_c, ==, AFTER);
  g_assert_null (on_t1);
  g_assert_cmpstr (on_t2, ==, AFTER);
  g_assert_cmpint (status_of (s->c, "pending"), ==, 0);
  g_assert_cmpint (status_of (s->c, "conflicts"), ==, 0);
}

/* --- the tests ------------------------------------------------------------- */

/* The CLI killed at @point: inside the local transaction of the end
 * (rekey-sealed: the entry under its new key; rekey-grants-deleted: the
 * former reader's grant gone, the other not sealed again yet), after it
 * (rekey-committed), after the server answered the push (push-sent) and
 * after the answer was applied (push-applied). */
static void
test_killed_at (gconstpointer data)
{
  const char *point = data;
  g_auto(Share) s = { 0 };

  share_begin (&s, point);
  if (g_str_has_prefix (point, "rekey-"))
    {
      g_assert_cmpint (CLI (s.c, point, "therapist", "end", "--email", s.t1_email), ==,
                       -SIGKILL);
      server_has_old_state (&s);
      if (strcmp (point, "rekey-committed") != 0)
        {
          /* Nothing of it stayed: still in care, nothing queued. */
          g_assert_cmpint (status_of (s.c, "pending"), ==, 0);
          g_assert_cmpint (CLI (s.c, NULL, "therapist", "end", "--email", s.t1_email), ==, 0);
        }
      else
        {
          /* All of it stayed: ended, queued. */
          g_assert_cmpint (status_of (s.c, "pending"), >, 0);
          g_assert_cmpint (CLI (s.c, NULL, "therapist", "end", "--email", s.t1_email), !=, 0);
        }
      sync_ok (s.c);
    }
  else
    {
      g_assert_cmpint (CLI (s.c, NULL, "therapist", "end", "--email", s.t1_email), ==, 0);
      g_assert_cmpint (CLI (s.c, point, "sync"), ==, -SIGKILL);
      /* The server took the end whole before the device heard. */
      server_has_new_state (&s);
      sync_ok (s.c);
    }
  share_finish (&s);
}

/* The sync is cut between its pushes: one mutation a push (a re-key's
 * group still whole), the CLI killed after the first answer.  The server
 * then holds the entry re-keyed and the relationship not yet ended, since
 * the end goes after the re-keys it made: the former therapist holds no
 * grant for the live key, and the next sync finishes the end. */
static void
test_cut_before_the_end (void)
{
  g_auto(Share) s = { 0 };
  g_autofree char *care = NULL;

  share_begin (&s, "cut-before-end");
  g_assert_cmpint (CLI (s.c, NULL, "therapist", "end", "--email", s.t1_email), ==, 0);
  push_batch = "1";
  g_assert_cmpint (CLI (s.c, "push-applied", "sync"), ==, -SIGKILL);
  push_batch = NULL;
  server_has_new_state (&s);
  care = db_value ("SELECT status FROM care_relationships WHERE client_id = '%s'"
                   " AND therapist_id = '%s'", s.client_id, s.t1_id);
  g_assert_cmpstr (care, ==, "active");
  g_assert_cmpint (status_of (s.c, "pending"), >, 0);
  sync_ok (s.c);
  share_finish (&s);
}

/* Has PostgreSQL run @action when the other therapist's grant of the entry
 * is sealed again (a row of the re-key written after the entry and the
 * deleted grant, in the same transaction); the end's push meets it. */
static void
stop_at_reseal (Share *s, const char *action)
{
  g_autofree char *sql = g_strdup_printf (
    "CREATE FUNCTION tf_test_reseal() RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN IF NEW.record_id = '%s' AND NEW.sealed_key IS DISTINCT FROM OLD.sealed_key THEN"
    "  %s; END IF; RETURN NEW; END $$;"
    "CREATE TRIGGER tf_test_reseal BEFORE UPDATE ON key_grants FOR EACH ROW"
    " EXECUTE FUNCTION tf_test_reseal()", s->entry, action);

  db_exec (sql);
  g_assert_cmpint (CLI (s->c, NULL, "therapist", "end", "--email", s->t1_email), ==, 0);
}

static void
stop_no_more (void)
{
  db_exec ("DROP TRIGGER tf_test_reseal ON key_grants; DROP FUNCTION tf_test_reseal()");
}

/* PostgreSQL refuses that row: none of the three is applied, the client is
 * told, and once the database takes it the next sync makes the end whole. */
static void
test_database_refuses_a_row (void)
{
  g_auto(Share) s = { 0 };
  g_autoptr(JsonNode) report = NULL;

  share_begin (&s, "refused-row");
  stop_at_reseal (&s, "RAISE EXCEPTION 'refused by the test' USING ERRCODE = 'check_violation'");
  /* The client is told (a sync shows the refusals once). */
  report = CLI_JSON (s.c, "sync");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "rejected"), >, 0);
  server_has_old_state (&s);

  stop_no_more ();
  sync_ok (s.c);
  share_finish (&s);
}

/* The server's database session dies there, in the middle of the push's
 * transaction (as when the server is killed then): PostgreSQL keeps
 * nothing of it, the device keeps everything, and the next sync makes the
 * end whole. */
static void
test_session_dies_mid_push (void)
{
  g_auto(Share) s = { 0 };

  share_begin (&s, "dies-mid-push");
  stop_at_reseal (&s, "PERFORM pg_terminate_backend(pg_backend_pid())");
  g_assert_cmpint (CLI (s.c, NULL, "sync"), !=, 0);
  server_has_old_state (&s);
  g_assert_cmpint (status_of (s.c, "pending"), >, 0);

  stop_no_more ();
  sync_ok (s.c);
  share_finish (&s);
}

/* The therapist ends the care (`client end`), not the client: the client's
 * device re-keys what it shared with them when the end reaches it, at its
 * next sync — the entry under a new key, their grant gone in PostgreSQL,
 * the other therapist's sealed again — and nothing the client writes from
 * then on reaches them, an entry shared later included. */
static void
test_therapist_ends (void)
{
  g_auto(Share) s = { 0 };
  g_autofree char *out = NULL, *later = NULL, *key = NULL, *to_t1 = NULL, *to_t2 = NULL;
  g_autofree char *on_t1 = NULL, *on_t2 = NULL;

  share_begin (&s, "therapist-ends");
  g_assert_cmpint (CLI (s.t1, NULL, "client", "end", s.client_id), ==, 0);
  sync_ok (s.t1);
  /* Until the client's device hears of it, the entry keeps its key: only
   * that device can make a new one. */
  key = db_value ("SELECT enc_key FROM journal_entries WHERE id = '%s'", s.entry);
  g_assert_cmpstr (key, ==, s.key_before);
  sync_ok (s.c);
  server_has_new_state (&s);
  share_finish (&s);

  g_assert_cmpint (cli (s.c, NULL, &out, (const char * const[]) { "journal", "add", "--title",
                                                                  "Μετά", "--content", AFTER,
                                                                  "--share", NULL }),
                   ==, 0);
  later = g_strndup (out, strcspn (out, "\n"));
  sync_ok (s.c);
  sync_ok (s.t1);
  sync_ok (s.t2);
  to_t1 = db_value ("SELECT count(*) FROM key_grants WHERE record_id = '%s'"
                    " AND recipient_id = '%s' AND deleted_at IS NULL", later, s.t1_id);
  to_t2 = db_value ("SELECT count(*) FROM key_grants WHERE record_id = '%s'"
                    " AND recipient_id = '%s' AND deleted_at IS NULL", later, s.t2_id);
  g_assert_cmpstr (to_t1, ==, "0");
  g_assert_cmpstr (to_t2, ==, "1");
  on_t1 = content_on (s.t1, later);
  on_t2 = content_on (s.t2, later);
  g_assert_null (on_t1);
  g_assert_cmpstr (on_t2, ==, AFTER);
}

int
main (int argc, char **argv)
{
  const char *points[] = { "rekey-sealed", "rekey-grants-deleted", "rekey-committed",
                           "push-sent", "push-applied" };
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_rekey", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *path = g_strdup_printf ("/tf/e2e/rekey/killed-at/%s", points[i]);
      g_test_add_data_func (path, points[i], test_killed_at);
    }
  g_test_add_func ("/tf/e2e/rekey/cut-before-the-end", test_cut_before_the_end);
  g_test_add_func ("/tf/e2e/rekey/database-refuses-a-row", test_database_refuses_a_row);
  g_test_add_func ("/tf/e2e/rekey/session-dies-mid-push", test_session_dies_mid_push);
  g_test_add_func ("/tf/e2e/rekey/therapist-ends", test_therapist_ends);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
