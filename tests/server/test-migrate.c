/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-migrate.c: `therapy-field-server migrate` and the migration runner on
 * a real PostgreSQL 15: it builds the whole schema on an empty database, a
 * second run is a no-op, a failed migration leaves the database as it was,
 * and two servers migrating at once apply each migration once.
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "tf-migrate.h"
#include "tf-test-pg.h"

static const char *
server_binary (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_getenv ("TF_BUILD_DIR"), "server", "therapy-field-server", NULL);
  return path;
}

static int
run_server (const char * const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) server_binary ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_binary_twice (void)
{
  g_autofree char *conninfo = tf_test_pg_create_db ("tf_migrate_twice");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) builtin = tf_migrate_builtin (&error);
  g_autofree char *tables_before = NULL, *tables_after = NULL;
  g_autofree char *count = NULL;
  const char *args[] = { "migrate", "--db", conninfo, NULL };
  const char *list_tables =
    "SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) FROM pg_class"
    " WHERE relnamespace = 'public'::regnamespace";

  g_assert_no_error (error);
  g_assert_cmpint (run_server (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "Applied"));

  conn = tf_test_pg_connect (conninfo);
  count = g_strdup_printf ("%u", builtin->len);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM schema_migrations"), ==,
                   builtin->len);
  /* The whole seed is there: spot-check the last table of each section. */
  g_assert_cmpint (tf_test_pg_int (conn,
      "SELECT count(*) FROM pg_class WHERE relname IN ('users', 'therapist_blocked_dates',"
      " 'sessions', 'client_histories', 'goal_progress', 'subscriptions', 'wellness_programs',"
      " 'forum_posts', 'notifications', 'audit_logs')"), ==, 10);
  tables_before = tf_test_pg_value (conn, list_tables);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_server (args, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "already up to date"));
  tables_after = tf_test_pg_value (conn, list_tables);
  g_assert_cmpstr (tables_before, ==, tables_after);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM schema_migrations"), ==,
                   builtin->len);
}

static void
test_binary_uses_environment (void)
{
  g_autofree char *conninfo = tf_test_pg_create_db ("tf_migrate_env");
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { "migrate", NULL };
  const char *saved = g_getenv ("TF_DATABASE_URL");
  g_autofree char *saved_copy = g_strdup (saved);

  g_setenv ("TF_DATABASE_URL", conninfo, TRUE);
  g_assert_cmpint (run_server (args, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* No database at all: a usage error that says what to do. */
  g_unsetenv ("TF_DATABASE_URL");
  g_assert_cmpint (run_server (args, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "TF_DATABASE_URL"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A database that is not there: failure, with libpq's reason. */
  {
    const char *bad[] = { "migrate", "--db", "host=/nonexistent-socket-dir dbname=x", NULL };
    g_assert_cmpint (run_server (bad, &out, &err), ==, 1);
    g_assert_nonnull (strstr (err, "cannot connect"));
  }
  if (saved_copy != NULL)
    g_setenv ("TF_DATABASE_URL", saved_copy, TRUE);
}

static GPtrArray *
make_migrations (const char * const *pairs)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_migration_free);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    {
      g_autoptr(GError) error = NULL;
      TfMigration *m = tf_migration_new (pairs[i], pairs[i + 1], &error);

      g_assert_no_error (error);
      g_ptr_array_add (list, m);
    }
  return list;
}

static void
test_failed_migration_rolls_back (void)
{
  g_autofree char *conninfo = tf_test_pg_create_db ("tf_migrate_fail");
  g_autoptr(PGconn) conn = tf_test_pg_connect (conninfo);
  const char *broken[] = {
    "0001-a.sql", "CREATE TABLE a (x integer); INSERT INTO a VALUES (1);",
    "0002-b.sql", "CREATE TABLE b (x integer); INSERT INTO a VALUES (2); INSERT INTO b VALUES ('two');",
    NULL
  };
  const char *fixed[] = {
    "0001-a.sql", "CREATE TABLE a (x integer); INSERT INTO a VALUES (1);",
    "0002-b.sql", "CREATE TABLE b (x integer); INSERT INTO a VALUES (2); INSERT INTO b VALUES (2);",
    NULL
  };
  g_autoptr(GPtrArray) first = make_migrations (broken);
  g_autoptr(GPtrArray) second = make_migrations (fixed);
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  g_assert_false (tf_migrate_apply (conn, first, &applied, &error));
  g_assert_error (error, TF_DB_ERROR, TF_DB_ERROR_CONSTRAINT);
  g_assert_nonnull (strstr (error->message, "0002-b.sql"));
  g_assert_cmpuint (applied, ==, 1);
  g_clear_error (&error);
  /* 0001 stays applied; nothing of 0002 is there, not even its first statements. */
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM schema_migrations"), ==, 1);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM a"), ==, 1);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM pg_class WHERE relname = 'b'"), ==, 0);

  /* Fixed, the run completes from where it stopped. */
  g_assert_true (tf_migrate_apply (conn, second, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM a"), ==, 2);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM b"), ==, 1);
}

static void
test_history_mismatch_refused (void)
{
  g_autofree char *conninfo = tf_test_pg_create_db ("tf_migrate_mismatch");
  g_autoptr(PGconn) conn = tf_test_pg_connect (conninfo);
  const char *v1[] = { "0001-a.sql", "CREATE TABLE a (x integer);",
                       "0002-b.sql", "CREATE TABLE b (x integer);", NULL };
  const char *edited[] = { "0001-a.sql", "CREATE TABLE a (x bigint);", NULL };
  const char *older[] = { "0001-a.sql", "CREATE TABLE a (x integer);", NULL };
  g_autoptr(GPtrArray) list1 = make_migrations (v1);
  g_autoptr(GPtrArray) list2 = make_migrations (edited);
  g_autoptr(GPtrArray) list3 = make_migrations (older);
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  g_assert_true (tf_migrate_apply (conn, list1, &applied, &error));
  /* An applied migration whose text changed: forward-only, refused. */
  g_assert_false (tf_migrate_apply (conn, list2, &applied, &error));
  g_assert_error (error, TF_DB_ERROR, TF_DB_ERROR_MIGRATION);
  g_clear_error (&error);
  /* A binary older than the database: refused, nothing touched. */
  g_assert_false (tf_migrate_apply (conn, list3, &applied, &error));
  g_assert_error (error, TF_DB_ERROR, TF_DB_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "0002"));
}

typedef struct
{
  const char *conninfo;
  GPtrArray  *migrations;
  guint       applied;
  gboolean    ok;
} RaceData;

static gpointer
race_thread (gpointer user_data)
{
  RaceData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = tf_db_connect (data->conninfo, &error);

  g_assert_no_error (error);
  data->ok = tf_migrate_apply (conn, data->migrations, &data->applied, &error);
  g_assert_no_error (error);
  return NULL;
}

static void
test_concurrent_migrations (void)
{
  g_autofree char *conninfo = tf_test_pg_create_db ("tf_migrate_race");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) builtin = tf_migrate_builtin (&error);
  RaceData a = { conninfo, builtin, 0, FALSE }, b = { conninfo, builtin, 0, FALSE };
  GThread *ta, *tb;
  g_autoptr(PGconn) conn = NULL;

  g_assert_no_error (error);
  ta = g_thread_new ("migrate-a", race_thread, &a);
  tb = g_thread_new ("migrate-b", race_thread, &b);
  g_thread_join (ta);
  g_thread_join (tb);
  g_assert_true (a.ok && b.ok);
  g_assert_cmpuint (a.applied + b.applied, ==, builtin->len);
  conn = tf_test_pg_connect (conninfo);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM schema_migrations"), ==,
                   builtin->len);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/migrate/binary-twice", test_binary_twice);
  g_test_add_func ("/tf/migrate/binary-uses-environment", test_binary_uses_environment);
  g_test_add_func ("/tf/migrate/failed-migration-rolls-back", test_failed_migration_rolls_back);
  g_test_add_func ("/tf/migrate/history-mismatch-refused", test_history_mismatch_refused);
  g_test_add_func ("/tf/migrate/concurrent", test_concurrent_migrations);
  return g_test_run ();
}
