/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-migrate.c: forward-only, numbered migrations of the canonical schema.
 *
 * The scripts are sql/postgres/NNNN-name.sql, embedded with GResource so the
 * binary always carries the schema it was built and tested with.  Each one
 * runs in its own transaction together with its row in schema_migrations, so
 * a migration is either applied and recorded or not there at all; a second
 * run finds every row and does nothing.  A session-level advisory lock makes
 * two servers starting at once take turns instead of racing.
 */
#define G_LOG_DOMAIN "tf-migrate"

#include "config.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>

#include "tf-db.h"
#include "tf-migrate.h"

#define RESOURCE_DIR "/org/therapyfield/sql/postgres/"
#define MIGRATE_LOCK_KEY "7350288243"  /* arbitrary, fixed: pg_advisory_lock key */

void
tf_migration_free (TfMigration *migration)
{
  if (migration == NULL)
    return;
  g_free (migration->name);
  g_free (migration->sql);
  g_free (migration->checksum);
  g_free (migration);
}

TfMigration *
tf_migration_new (const char *name, const char *sql, GError **error)
{
  g_autoptr(TfMigration) migration = g_new0 (TfMigration, 1);
  char *end = NULL;
  guint64 number;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  number = g_ascii_strtoull (name, &end, 10);
  if (end == name || end - name != 4 || *end != '-' || number == 0 ||
      !g_str_has_suffix (name, ".sql"))
    {
      g_set_error (error, TF_DB_ERROR, TF_DB_ERROR_MIGRATION,
                   "migration “%s” is not named NNNN-name.sql", name);
      return NULL;
    }
  migration->number = (guint) number;
  migration->name = g_strdup (name);
  migration->sql = g_strdup (sql);
  migration->checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, sql, -1);
  return g_steal_pointer (&migration);
}

static int
compare_migrations (gconstpointer a, gconstpointer b)
{
  const TfMigration *ma = *(TfMigration * const *) a;
  const TfMigration *mb = *(TfMigration * const *) b;

  return (ma->number > mb->number) - (ma->number < mb->number);
}

GPtrArray *
tf_migrate_builtin (GError **error)
{
  g_autoptr(GPtrArray) migrations = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_migration_free);
  g_auto(GStrv) names = NULL;

  names = g_resources_enumerate_children (RESOURCE_DIR, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return NULL;

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat (RESOURCE_DIR, names[i], NULL);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *sql = NULL;
      gsize len;
      TfMigration *migration;

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      sql = g_strndup (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));
      migration = tf_migration_new (names[i], sql, error);
      if (migration == NULL)
        return NULL;
      g_ptr_array_add (migrations, migration);
    }
  g_ptr_array_sort (migrations, compare_migrations);
  for (guint i = 1; i < migrations->len; i++)
    {
      const TfMigration *prev = g_ptr_array_index (migrations, i - 1);
      const TfMigration *cur = g_ptr_array_index (migrations, i);

      if (prev->number == cur->number)
        {
          g_set_error (error, TF_DB_ERROR, TF_DB_ERROR_MIGRATION,
                       "two migrations share the number %04u: %s and %s",
                       cur->number, prev->name, cur->name);
          return NULL;
        }
    }
  return g_steal_pointer (&migrations);
}

static gboolean
apply_one (PGconn *conn, const TfMigration *migration, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *number = g_strdup_printf ("%u", migration->number);
  const char *params[] = { number, migration->name, migration->checksum };

  if (!tf_db_exec (conn, "BEGIN", error))
    return FALSE;

  if (!tf_db_exec (conn, migration->sql, &local_error) ||
      !(result = tf_db_query (conn,
                              "INSERT INTO schema_migrations (version, name, checksum) "
                              "VALUES ($1::integer, $2, $3)",
                              3, params, &local_error)) ||
      !tf_db_exec (conn, "COMMIT", &local_error))
    {
      /* Nothing of the migration may stay: roll the whole transaction back. */
      g_autoptr(PGresult) rollback = PQexec (conn, "ROLLBACK");

      g_set_error (error, local_error->domain, local_error->code,
                   "migration %s failed and was rolled back: %s",
                   migration->name, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_locked (PGconn *conn, GPtrArray *migrations, guint *n_applied, GError **error)
{
  g_autoptr(PGresult) applied = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  guint max_known = 0;

  if (!tf_db_exec (conn,
                   "CREATE TABLE IF NOT EXISTS schema_migrations ("
                   "  version INTEGER PRIMARY KEY,"
                   "  name TEXT NOT NULL,"
                   "  checksum TEXT NOT NULL,"
                   "  applied_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP)",
                   error))
    return FALSE;

  applied = tf_db_query (conn, "SELECT version, checksum FROM schema_migrations ORDER BY version",
                         0, NULL, error);
  if (applied == NULL)
    return FALSE;
  for (int row = 0; row < PQntuples (applied); row++)
    g_hash_table_insert (done, GINT_TO_POINTER (atoi (PQgetvalue (applied, row, 0))),
                         g_strdup (PQgetvalue (applied, row, 1)));

  for (guint i = 0; i < migrations->len; i++)
    max_known = MAX (max_known, ((TfMigration *) g_ptr_array_index (migrations, i))->number);
  for (int row = 0; row < PQntuples (applied); row++)
    {
      guint version = (guint) atoi (PQgetvalue (applied, row, 0));
      if (version > max_known)
        {
          g_set_error (error, TF_DB_ERROR, TF_DB_ERROR_MIGRATION,
                       "the database has migration %04u, newer than this program knows "
                       "(last %04u): upgrade therapy-field-server", version, max_known);
          return FALSE;
        }
    }

  for (guint i = 0; i < migrations->len; i++)
    {
      const TfMigration *migration = g_ptr_array_index (migrations, i);
      const char *checksum = g_hash_table_lookup (done, GUINT_TO_POINTER (migration->number));

      if (checksum != NULL)
        {
          if (strcmp (checksum, migration->checksum) != 0)
            {
              g_set_error (error, TF_DB_ERROR, TF_DB_ERROR_MIGRATION,
                           "migration %s was changed after it was applied; migrations are "
                           "forward-only: add a new one instead", migration->name);
              return FALSE;
            }
          continue;
        }
      if (!apply_one (conn, migration, error))
        return FALSE;
      g_message ("applied migration %s", migration->name);
      (*n_applied)++;
    }
  return TRUE;
}

gboolean
tf_migrate_apply (PGconn *conn, GPtrArray *migrations, guint *n_applied, GError **error)
{
  g_autoptr(PGresult) unlock = NULL;
  guint applied = 0;
  gboolean ok;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (migrations != NULL, FALSE);

  if (!tf_db_exec (conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", error))
    return FALSE;
  ok = apply_locked (conn, migrations, &applied, error);
  unlock = PQexec (conn, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")");
  if (n_applied != NULL)
    *n_applied = applied;
  return ok;
}
