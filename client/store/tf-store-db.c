/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-db.c: open a store, migrate it, map SQLite errors.
 *
 * Schema steps are sql/sqlite/NNNN-name.sql, embedded with GResource.  On
 * open, every step newer than PRAGMA user_version runs inside one IMMEDIATE
 * transaction that also sets user_version, so a store is at one version or
 * the next, never between: a killed process or a failing step leaves the file
 * as it was.  WAL mode lets the UI read while the sync engine writes.
 *
 * Opening writes nothing when nothing needs migrating, and a store that
 * cannot be opened for writing (a full disk, a read-only medium) is opened
 * read-only: reading — `status`, lists, the app's views — works on a full
 * disk, and only writes fail, each with its own error.
 *
 * A store file that exists but is empty (or too short to hold a database
 * header) while no write-ahead log holds its content was a store and was
 * damaged — truncated by a failing disk, a bad copy or a sync tool.  SQLite
 * would take it as a new, empty database and the migration would make it a
 * new profile, its unsynced entries gone without a word; it is refused
 * instead, with a message saying so, and left exactly as it is.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
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

  /* Most often a store opened read-only because the disk is full. */
  if ((rc & 0xff) == SQLITE_READONLY || (rc & 0xff) == SQLITE_FULL)
    message = _("the disk is full or cannot be written; nothing was changed");

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

  /* Up to date: a read, no lock, no write (a full disk still reads). */
  if (!read_user_version (db, &current, error))
    return FALSE;
  if (current == newest)
    return TRUE;
  if (!exec (db, "BEGIN IMMEDIATE", _("Cannot lock the store"), error))
    return FALSE;
  /* Again under the lock: another process may have migrated meanwhile. */
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

/* The size of @path in bytes; -1 when there is no such file. */
static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* FALSE with TF_STORE_ERROR_CORRUPT when @path is a store that lost its
 * content: there, but shorter than SQLite's 100-byte header, and no
 * write-ahead log beside it holds the pages (a store made in WAL mode has
 * an empty main file until its first checkpoint). */
static gboolean
check_not_truncated (const char *path, GError **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gint64 size = file_size (path);

  if (size < 0 || size >= 100 || file_size (wal) > 0)
    return TRUE;
  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CORRUPT,
               _("The profile’s data file %s is empty or damaged (%lld bytes): it was not "
                 "opened, so nothing in it was overwritten. Restore it from a backup, or move it "
                 "away to start an empty profile."),
               path, (long long) size);
  return FALSE;
}

static sqlite3 *
open_connection (const char *path, int flags, GError **error)
{
  sqlite3 *db = NULL;
  /* No mutex: a connection is used by one thread at a time, the one that
   * opened it (the app's sync, live updates and account steps each open
   * their own in their worker; tf_sync_client_sync_async() hands one over
   * whole).  A connection used from two threads at once showed as "file is
   * not a database" on a later write: open another instead of sharing. */
  int rc = sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL);

  if (rc != SQLITE_OK)
    {
      tf_store_set_error (error, db, rc, _("Cannot open the store"));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

/* Read-only, for a store that exists but cannot be written: no migration
 * (an old store that needs one cannot be read this way). */
static sqlite3 *
open_read_only (const char *path, const TfStoreStep *steps, guint n_steps, GError **error)
{
  g_autofree char *uri = NULL;
  guint current, newest = 0;
  sqlite3 *db;

  for (guint i = 0; i < n_steps; i++)
    newest = MAX (newest, steps[i].version);
  uri = g_filename_to_uri (path, NULL, error);
  if (uri == NULL)
    return NULL;
  /* mode=ro still needs the WAL index (-shm); where even that cannot be
   * made, nothing can write the file either, and it is read as it stands. */
  db = open_connection (uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, error);
  if (db != NULL && !read_user_version (db, &current, NULL))
    {
      g_autofree char *immutable = g_strconcat (uri, "?immutable=1", NULL);

      g_clear_pointer (&db, sqlite3_close);
      db = open_connection (immutable, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, error);
    }
  if (db == NULL)
    return NULL;
  if (!exec (db, "PRAGMA trusted_schema = ON", NULL, error) ||
      !read_user_version (db, &current, error))
    {
      sqlite3_close (db);
      return NULL;
    }
  if (current != newest)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_OPEN,
                   _("The store cannot be written (is the disk full?) and needs an update "
                     "before this version can read it"));
      sqlite3_close (db);
      return NULL;
    }
  g_debug ("%s opened read-only: it cannot be written", path);
  return db;
}

sqlite3 *
tf_store_db_open_with_steps (const char *path, const TfStoreStep *steps, guint n_steps,
                             GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean existed;
  sqlite3 *db = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (steps != NULL || n_steps == 0, NULL);

  if (!check_not_truncated (path, error))
    return NULL;
  existed = file_size (path) > 0;
  db = open_connection (path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &local_error);
  if (db != NULL)
    {
      /* journal_mode answers with a row; a file that is not a database fails
       * here.  trusted_schema must be ON: the schema's CHECKs call
       * json_valid(), which SQLite before 3.45 does not mark innocuous, so
       * with it OFF neither the CREATE TABLEs nor any write to those tables
       * can run.  The store registers no functions or virtual tables a
       * hostile schema could reach.  What a row held before it was
       * encrypted (tf-vault-legacy.c) or deleted must not stay readable in
       * freed pages of the file: secure_delete. */
      if (!exec (db, "PRAGMA journal_mode = WAL", _("Cannot open the store"), &local_error) ||
          !exec (db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF; "
                     "PRAGMA trusted_schema = ON; PRAGMA secure_delete = ON", NULL,
                 &local_error) ||
          !migrate (db, steps, n_steps, &local_error))
        g_clear_pointer (&db, sqlite3_close);
    }
  if (db != NULL)
    return db;
  /* TF_STORE_ERROR_OPEN: the disk is full, read-only or refuses writes. */
  if (existed && g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_OPEN))
    {
      g_autoptr(GError) ro_error = NULL;

      db = open_read_only (path, steps, n_steps, &ro_error);
      if (db != NULL)
        return db;
      g_debug ("read-only open failed too: %s", ro_error->message);
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
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
      /* Two steps of one number: a store already at it would never run
       * the second (only steps above user_version run).  A build bug. */
      for (guint i = 1; i < n; i++)
        if (steps[i].version == steps[i - 1].version)
          g_error ("device schema steps %s and %s have the same number", steps[i - 1].name,
                   steps[i].name);
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
