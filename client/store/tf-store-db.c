/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-db.c: open a store, migrate it, map SQLite errors.
 *
 * Schema steps are sql/sqlite/NNNN-name.sql, embedded with GResource.  On
 * open, every step newer than PRAGMA user_version runs inside one IMMEDIATE
 * transaction that also sets user_version, so a store is at one version or
 * the next, never between: a killed process or a failing step leaves the file
 * as it was.  WAL mode lets the UI read while the sync engine writes.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tf-store-db.h"

#define RESOURCE_DIR "/org/therapyfield/sql/sqlite/"

G_DEFINE_QUARK (tf-store-error-quark, tf_store_error)

void
tf_store_set_error (GError **error, sqlite3 *db, int rc, const char *context)
{
  TfStoreError code;
  const char *message = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_IOERR:
    case SQLITE_FULL:
      code = TF_STORE_ERROR_OPEN;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = TF_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = TF_STORE_ERROR_BUSY;
      break;
    case SQLITE_CONSTRAINT:
      code = TF_STORE_ERROR_CONSTRAINT;
      break;
    default:
      code = TF_STORE_ERROR_FAILED;
      break;
    }
  g_set_error (error, TF_STORE_ERROR, code, "%s%s%s", context ? context : "",
               context ? ": " : "", message);
}

static gboolean
exec (sqlite3 *db, const char *sql, const char *context, GError **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, db, rc, context);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_user_version (sqlite3 *db, guint *version, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL);

  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      *version = (guint) sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
      return TRUE;
    }
  tf_store_set_error (error, db, rc, _("Cannot read the store’s version"));
  sqlite3_finalize (stmt);
  return FALSE;
}

static gboolean
migrate (sqlite3 *db, const TfStoreStep *steps, guint n_steps, GError **error)
{
  guint current, newest = 0;
  g_autofree char *set_version = NULL;

  for (guint i = 0; i < n_steps; i++)
    newest = MAX (newest, steps[i].version);

  if (!exec (db, "BEGIN IMMEDIATE", _("Cannot lock the store"), error))
    return FALSE;
  if (!read_user_version (db, &current, error))
    goto fail;
  if (current > newest)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_TOO_NEW,
                   _("This data was written by a newer version of Therapy Field "
                     "(store version %u, this version knows %u). Update the app to open it."),
                   current, newest);
      goto fail;
    }
  for (guint i = 0; i < n_steps; i++)
    {
      g_autofree char *context = NULL;

      if (steps[i].version <= current)
        continue;
      context = g_strdup_printf (_("Cannot update the store (step %s)"), steps[i].name);
      if (!exec (db, steps[i].sql, context, error))
        goto fail;
    }
  set_version = g_strdup_printf ("PRAGMA user_version = %u", MAX (current, newest));
  if (!exec (db, set_version, NULL, error) ||
      !exec (db, "COMMIT", _("Cannot update the store"), error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

sqlite3 *
tf_store_db_open_with_steps (const char *path, const TfStoreStep *steps, guint n_steps,
                             GError **error)
{
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (steps != NULL || n_steps == 0, NULL);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                        SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, db, rc, _("Cannot open the store"));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);

  /* journal_mode answers with a row; a file that is not a database fails here.
   * trusted_schema must be ON: the schema's CHECKs call json_valid(), which
   * SQLite before 3.45 does not mark innocuous, so with it OFF neither the
   * CREATE TABLEs nor any write to those tables can run.  The store registers
   * no functions or virtual tables a hostile schema could reach. */
  if (!exec (db, "PRAGMA journal_mode = WAL", _("Cannot open the store"), error) ||
      !exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; "
                 "PRAGMA trusted_schema = ON", NULL, error) ||
      /* What a row held before it was encrypted (tf-vault-legacy.c) or
       * deleted must not stay readable in freed pages of the file. */
      !exec (db, "PRAGMA secure_delete = ON", NULL, error) ||
      !migrate (db, steps, n_steps, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

typedef struct
{
  TfStoreStep *steps;
  guint        n_steps;
  GPtrArray   *sql_data; /* the GBytes the steps' sql points into, held for the
                          * life of the program */
} BuiltinSteps;

static int
compare_steps (gconstpointer a, gconstpointer b)
{
  const TfStoreStep *sa = a, *sb = b;

  return (sa->version > sb->version) - (sa->version < sb->version);
}

static const BuiltinSteps *
builtin_steps (void)
{
  static BuiltinSteps builtin;

  if (g_once_init_enter (&builtin.steps))
    {
      g_auto(GStrv) names = g_resources_enumerate_children (RESOURCE_DIR, 0, NULL);
      guint n = names ? g_strv_length (names) : 0;
      TfStoreStep *steps = g_new0 (TfStoreStep, n + 1);

      builtin.sql_data = g_ptr_array_new ();
      /* The resources are built in: a missing or misnamed one is a build bug. */
      g_assert (n > 0);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *path = g_strconcat (RESOURCE_DIR, names[i], NULL);
          GBytes *bytes = g_resources_lookup_data (path, 0, NULL);

          g_assert (bytes != NULL);
          steps[i].version = (guint) strtoul (names[i], NULL, 10);
          g_assert (steps[i].version > 0);
          steps[i].name = g_strdup (names[i]);
          /* Resource data is NUL-terminated and lives as long as the program. */
          steps[i].sql = g_bytes_get_data (bytes, NULL);
          g_ptr_array_add (builtin.sql_data, bytes);
        }
      qsort (steps, n, sizeof *steps, compare_steps);
      builtin.n_steps = n;
      g_once_init_leave (&builtin.steps, steps);
    }
  return &builtin;
}

guint
tf_store_db_schema_version (void)
{
  const BuiltinSteps *b = builtin_steps ();

  return b->steps[b->n_steps - 1].version;
}

sqlite3 *
tf_store_db_open (const char *path, GError **error)
{
  const BuiltinSteps *b = builtin_steps ();

  return tf_store_db_open_with_steps (path, b->steps, b->n_steps, error);
}
