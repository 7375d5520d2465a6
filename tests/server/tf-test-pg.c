/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-pg.c: PostgreSQL helpers of the server and e2e suites.
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "tf-migrate.h"
#include "tf-test-pg.h"

const char *
tf_test_pg_conninfo (void)
{
  const char *conninfo = g_getenv ("TF_TEST_DATABASE_URL");

  if (conninfo == NULL || *conninfo == '\0')
    g_error ("TF_TEST_DATABASE_URL is not set: run this suite through meson test "
             "(or build-aux/tf-pg), which starts a throwaway PostgreSQL 15");
  return conninfo;
}

PGconn *
tf_test_pg_connect (const char *conninfo)
{
  g_autoptr(GError) error = NULL;
  PGconn *conn = tf_db_connect (conninfo, &error);

  g_assert_no_error (error);
  return conn;
}

char *
tf_test_pg_create_db (const char *name)
{
  g_autoptr(PGconn) admin = tf_test_pg_connect (tf_test_pg_conninfo ());
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", name);

  tf_test_pg_exec (admin, drop);
  tf_test_pg_exec (admin, create);
  /* In a libpq connection string the last value of a keyword wins. */
  return g_strdup_printf ("%s dbname=%s", tf_test_pg_conninfo (), name);
}

char *
tf_test_pg_create_migrated_db (const char *name)
{
  char *conninfo = tf_test_pg_create_db (name);
  g_autoptr(PGconn) conn = tf_test_pg_connect (conninfo);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) migrations = tf_migrate_builtin (&error);
  guint applied = 0;

  g_assert_no_error (error);
  g_assert_true (tf_migrate_apply (conn, migrations, &applied, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, migrations->len);
  return conninfo;
}

void
tf_test_pg_exec (PGconn *conn, const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!tf_db_exec (conn, sql, &error))
    g_error ("SQL failed: %s\n  %s", error->message, sql);
}

void
tf_test_pg_operator_change (const char *conninfo, const char *table, const char *id,
                            const char *set)
{
  g_autofree char *sql = g_strdup_printf (
    "DO $$ DECLARE v bigint := nextval('sync_version_seq'); BEGIN"
    " UPDATE %s SET %s, version = v WHERE id = '%s';"
    " UPDATE sync_records SET version = v WHERE record_id = '%s';"
    " UPDATE sync_feed SET version = v WHERE record_id = '%s'; END $$", table, set, id, id, id);
  PGconn *conn = tf_test_pg_connect (conninfo);

  tf_test_pg_exec (conn, "SET session_replication_role = replica");
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
}

void
tf_test_pg_exec_fails (PGconn *conn, const char *sql, const char *sqlstate)
{
  g_autoptr(PGresult) result = NULL;
  ExecStatusType status;
  const char *state;

  tf_test_pg_exec (conn, "SAVEPOINT expect_failure");
  result = PQexec (conn, sql);
  status = PQresultStatus (result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    g_error ("SQL should have failed with %s but succeeded:\n  %s",
             sqlstate ? sqlstate : "an error", sql);
  state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  if (sqlstate != NULL && g_strcmp0 (state, sqlstate) != 0)
    g_error ("SQL failed with %s, expected %s: %s\n  %s", state, sqlstate,
             PQresultErrorMessage (result), sql);
  tf_test_pg_exec (conn, "ROLLBACK TO SAVEPOINT expect_failure");
}

char *
tf_test_pg_value (PGconn *conn, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) result = tf_db_query (conn, sql, 0, NULL, &error);

  if (result == NULL)
    g_error ("SQL failed: %s\n  %s", error->message, sql);
  if (PQntuples (result) == 0 || PQgetisnull (result, 0, 0))
    return NULL;
  return g_strdup (PQgetvalue (result, 0, 0));
}

gint64
tf_test_pg_int (PGconn *conn, const char *sql)
{
  g_autofree char *value = tf_test_pg_value (conn, sql);

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

void
tf_test_pg_ctl (const char *action)
{
  g_autofree char *command = g_strdup_printf ("%s %s", g_getenv ("TF_PG_CTL"), action);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Captured: pg_ctl's chatter must not mix with the TAP stream. */
  g_assert_true (g_spawn_command_line_sync (command, &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pg_ctl %s failed: %s", action, err);
}
