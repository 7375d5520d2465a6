/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-store.c: the device store's schema and its open/migrate contract,
 * against real SQLite files in a temporary directory.  A new store is at the
 * newest schema version in WAL mode and has every synced table of the
 * registry with every registry column plus the sync envelope; the schema's
 * CHECKs and unique index refuse the rows the server would refuse (and
 * plaintext where only a "tf1:" envelope may be); reopening keeps the data
 * and changes nothing; a store from a newer app, a file that is not a
 * database and a path that cannot be created are refused without touching
 * anything; a failing migration leaves the file exactly as it was; outbox
 * mutation ids are never reused.
 *
 * Files are inspected through plain sqlite3 connections, not through the code
 * under test, so a store that lies about itself cannot pass.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-registry.h"
#include "tf-store-db.h"

/* ------------------------------------------------------------------------ */
/* Fixture: one temporary directory per test                                 */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char *dir;  /* g_dir_make_tmp; removed with everything in it */
  char *path; /* dir/store.db, not yet created */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tf-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "store.db", NULL);
}

static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);

  if (dir != NULL)
    {
      const char *name;

      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_assert_cmpint (g_remove (path), ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->path, g_free);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/* A connection that does not go through tf-store-db: no migration, no
 * pragmas, so what it sees is what is in the file. */
static sqlite3 *
open_raw (const char *path, int flags)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, flags, NULL);

  if (rc != SQLITE_OK)
    g_error ("sqlite3_open_v2 (%s): %s", path, sqlite3_errmsg (db));
  sqlite3_extended_result_codes (db, 1);
  return db;
}

static sqlite3 *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = tf_store_db_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static void
close_db (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
exec_ok (sqlite3 *db, const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("“%s” failed (%d): %s", sql, rc, message);
}

/* The first column of the first row of @sql, which takes at most one text
 * parameter (@param, or none when NULL).  Owned; NULL for SQL NULL. */
static char *
query_text (sqlite3 *db, const char *sql, const char *param)
{
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("“%s”: %s", sql, sqlite3_errmsg (db));
  if (param != NULL)
    g_assert_cmpint (sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT), ==, SQLITE_OK);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    g_error ("“%s”: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return result;
}

static gint64
query_int (sqlite3 *db, const char *sql, const char *param)
{
  g_autofree char *text = query_text (db, sql, param);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static gint64
user_version (sqlite3 *db)
{
  return query_int (db, "PRAGMA user_version", NULL);
}

static gboolean
table_exists (sqlite3 *db, const char *name)
{
  return query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    name) == 1;
}

static void
assert_accepted (sqlite3 *db, const char *sql)
{
  exec_ok (db, sql);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
}

/* @sql must be refused with the extended result code @expected, and the one
 * sqlite -> GError mapping must call that a constraint.  @constraint_name,
 * when set, must be named in SQLite's message (a CONSTRAINT name or the
 * index's columns), so the refusal is the rule under test and not another. */
static void
assert_refused (sqlite3 *db, int expected, const char *constraint_name, const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 changes_before = sqlite3_total_changes (db);
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    g_error ("“%s” was accepted", sql);
  if (rc != expected)
    g_error ("“%s” failed with %d, not %d: %s", sql, rc, expected, sqlite3_errmsg (db));
  g_assert_cmpint (sqlite3_total_changes (db), ==, changes_before);
  if (constraint_name != NULL && strstr (sqlite3_errmsg (db), constraint_name) == NULL)
    g_error ("“%s” was refused by “%s”, not by %s", sql, sqlite3_errmsg (db), constraint_name);

  tf_store_set_error (&error, db, rc, "insert");
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT);
}

static GBytes *
read_file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* A value the device schema accepts for a required column of @column's type
 * (UUIDs are fresh per row: see insert_sample_row). */
static const char *
sample_value (const TfColumn *column)
{
  if (column->flags & TF_COLUMN_ENCRYPTED)
    return "tf1:AAAA";
  if (column->choices != NULL)
    return column->choices[0];
  switch (column->type)
    {
    case TF_COLUMN_TEXT:
      return "x";
    case TF_COLUMN_INTEGER:
      return column->has_range ? (column->min > 0 ? "1" : "0") : "1";
    case TF_COLUMN_BOOLEAN:
      return "0";
    case TF_COLUMN_DATE:
      return "2024-03-01";
    case TF_COLUMN_TIME:
      /* The only required times are availability slots: end after start. */
      return g_str_has_prefix (column->name, "end") ? "10:00:00" : "09:00:00";
    case TF_COLUMN_TIMESTAMP:
      return "2024-03-01T09:00:00Z";
    case TF_COLUMN_MONEY:
      return "50.00";
    case TF_COLUMN_JSON:
      return "[]";
    case TF_COLUMN_UUID:
    default:
      g_assert_not_reached ();
    }
}

/* Inserts one row of @table with its key and required columns filled, and
 * @override_column (if not NULL) set to @override_value.  Returns SQLITE_OK
 * or the (extended) result code of the refusal. */
static int
insert_sample_row (sqlite3 *db, const TfTable *table, const char *override_column,
                   const char *override_value)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  sqlite3_stmt *stmt = NULL;
  int rc;

  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *column = &table->columns[i];

      if (g_strcmp0 (column->name, override_column) == 0)
        g_ptr_array_add (values, g_strdup (override_value));
      else if (g_strcmp0 (column->name, table->key_column) == 0 ||
               (column->flags & TF_COLUMN_REQUIRED))
        g_ptr_array_add (values, column->type == TF_COLUMN_UUID
                                   ? g_uuid_string_random ()
                                   : g_strdup (sample_value (column)));
      else
        continue;
      g_ptr_array_add (columns, (gpointer) column);
    }

  /* Names come from the registry, never from input. */
  g_string_append_printf (sql, "INSERT INTO %s (", table->name);
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "",
                            ((const TfColumn *) columns->pdata[i])->name);
  g_string_append (sql, ") VALUES (");
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (sql, "%s?%u", i > 0 ? ", " : "", i + 1);
  g_string_append (sql, ")");

  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    g_error ("“%s”: %s", sql->str, sqlite3_errmsg (db));
  for (guint i = 0; i < columns->len; i++)
    {
      const TfColumn *column = columns->pdata[i];
      const char *value = values->pdata[i];

      /* Integers and booleans go in as integers: the tables are STRICT. */
      if (value != NULL &&
          (column->type == TF_COLUMN_INTEGER || column->type == TF_COLUMN_BOOLEAN))
        rc = sqlite3_bind_int64 (stmt, (int) i + 1, g_ascii_strtoll (value, NULL, 10));
      else
        rc = sqlite3_bind_text (stmt, (int) i + 1, value, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (rc, ==, SQLITE_OK);
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ------------------------------------------------------------------------ */
/* Opening a new file                                                        */
/* ------------------------------------------------------------------------ */

static void
test_new_file_version_and_wal (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);
  g_autofree char *journal_mode = NULL;

  /* The built-in steps exist, so a new store is not at version 0. */
  g_assert_cmpuint (tf_store_db_schema_version (), >, 0);
  g_assert_cmpint (user_version (db), ==, tf_store_db_schema_version ());
  journal_mode = query_text (db, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (journal_mode, ==, "wal");
  close_db (db);

  /* WAL is a property of the file, not only of that connection. */
  db = open_raw (f->path, SQLITE_OPEN_READONLY);
  g_clear_pointer (&journal_mode, g_free);
  journal_mode = query_text (db, "PRAGMA journal_mode", NULL);
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_assert_cmpint (user_version (db), ==, tf_store_db_schema_version ());
  close_db (db);
}

static void
test_registry_tables (Fixture *f, gconstpointer data)
{
  static const char * const envelope[] = { "version", "deleted_at", "conflict_of" };
  static const char * const bookkeeping[] = {
    "outbox", "sync_base", "sync_rejections", "sync_state",
  };
  sqlite3 *db = open_store (f->path);
  const TfTable *tables;
  guint n_tables = 0;

  tables = tf_registry_get_tables (&n_tables);
  g_assert_cmpuint (n_tables, >, 0);

  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];
      const char *sql = "SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2";
      sqlite3_stmt *stmt = NULL;

      if (!table_exists (db, table->name))
        g_error ("synced table %s is missing from the device schema", table->name);

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      for (guint c = 0; c < table->n_columns + G_N_ELEMENTS (envelope); c++)
        {
          const char *column = c < table->n_columns ? table->columns[c].name
                                                    : envelope[c - table->n_columns];

          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, 1, table->name, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, column, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          if (sqlite3_column_int (stmt, 0) != 1)
            g_error ("%s.%s is missing from the device schema", table->name, column);
        }
      sqlite3_finalize (stmt);

      /* Nothing else: a device column the registry does not know would never sync. */
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM pragma_table_info(?1)", table->name),
                       ==, table->n_columns + G_N_ELEMENTS (envelope));
    }

  for (guint i = 0; i < G_N_ELEMENTS (bookkeeping); i++)
    if (!table_exists (db, bookkeeping[i]))
      g_error ("sync table %s is missing from the device schema", bookkeeping[i]);

  close_db (db);
}

/* ------------------------------------------------------------------------ */
/* CHECKs and the unique index                                               */
/* ------------------------------------------------------------------------ */

static void
test_check_mood_value (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "mood_value",
                  "INSERT INTO mood_entries (id, user_id, mood_value, created_at) "
                  "VALUES ('m0', 'u1', 0, '2024-03-01T09:00:00Z')");
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "mood_value",
                  "INSERT INTO mood_entries (id, user_id, mood_value, created_at) "
                  "VALUES ('m11', 'u1', 11, '2024-03-01T09:00:00Z')");
  assert_accepted (db, "INSERT INTO mood_entries (id, user_id, mood_value, created_at) "
                       "VALUES ('m1', 'u1', 1, '2024-03-01T09:00:00Z')");
  assert_accepted (db, "INSERT INTO mood_entries (id, user_id, mood_value, created_at) "
                       "VALUES ('m10', 'u1', 10, '2024-03-01T09:00:00Z')");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM mood_entries", NULL), ==, 2);
  close_db (db);
}

static void
test_check_json (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  /* A plaintext JSONB column (mood categories are encrypted since 0006). */
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "education",
                  "INSERT INTO therapists (user_id, license_number, education) "
                  "VALUES ('t1', 'L1', 'MSc, PhD')");
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "education",
                  "INSERT INTO therapists (user_id, license_number, education) "
                  "VALUES ('t2', 'L2', '[\"MSc\"')");
  assert_accepted (db, "INSERT INTO therapists (user_id, license_number, education) "
                       "VALUES ('t3', 'L3', '[\"MSc\", \"PhD\"]')");
  close_db (db);
}

static void
test_check_encrypted (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "content",
                  "INSERT INTO journal_entries (id, user_id, content) "
                  "VALUES ('j1', 'u1', 'hello')");
  /* "tf1:" must be the start, not somewhere inside. */
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "content",
                  "INSERT INTO journal_entries (id, user_id, content) "
                  "VALUES ('j2', 'u1', 'hello tf1:AAAA')");
  assert_accepted (db, "INSERT INTO journal_entries (id, user_id, content) "
                       "VALUES ('j3', 'u1', 'tf1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')");
  close_db (db);
}

/* Every column the registry calls encrypted, in every table, refuses
 * plaintext: the file alone must not reveal clinical content. */
static void
test_check_encrypted_all (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);
  const TfTable *tables;
  guint n_tables = 0;
  guint n_checked = 0;

  tables = tf_registry_get_tables (&n_tables);
  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];
      int rc;

      if (!tf_table_has_encrypted (table))
        continue;

      /* The sample row itself is fine, so a refusal below is the column's. */
      rc = insert_sample_row (db, table, NULL, NULL);
      if (rc != SQLITE_OK)
        g_error ("a valid %s row was refused: %s", table->name, sqlite3_errmsg (db));

      for (guint c = 0; c < table->n_columns; c++)
        {
          const TfColumn *column = &table->columns[c];

          if (!(column->flags & TF_COLUMN_ENCRYPTED))
            continue;
          rc = insert_sample_row (db, table, column->name, "tf1:AAAA");
          if (rc != SQLITE_OK)
            g_error ("%s.%s refused an envelope: %s", table->name, column->name,
                     sqlite3_errmsg (db));
          /* Encrypted later: the rows from before keep their plaintext until
           * the vault encrypts them, so only the store's validation refuses
           * new plaintext there (test-vault: /tf/vault/legacy-plaintext). */
          if (column->flags & TF_COLUMN_WAS_PLAIN)
            continue;
          rc = insert_sample_row (db, table, column->name,
                                  column->type == TF_COLUMN_JSON ? "[\"plaintext\"]"
                                                                 : "plaintext");
          if (rc != SQLITE_CONSTRAINT_CHECK)
            g_error ("%s.%s took plaintext (%d: %s)", table->name, column->name, rc,
                     sqlite3_errmsg (db));
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >, 0);
  close_db (db);
}

static void
test_check_appointment_status (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "status",
                  "INSERT INTO appointments "
                  "(id, therapist_id, client_id, appointment_datetime, duration, status, price) "
                  "VALUES ('a1', 't1', 'c1', '2024-03-01T09:00:00Z', 50, 'maybe', '50.00')");
  assert_accepted (db,
                   "INSERT INTO appointments "
                   "(id, therapist_id, client_id, appointment_datetime, duration, status, price) "
                   "VALUES ('a2', 't1', 'c1', '2024-03-01T09:00:00Z', 50, 'pending', '50.00')");
  close_db (db);
}

static void
test_check_availability_time (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "check_time_valid",
                  "INSERT INTO therapist_availability (id, therapist_id, start_time, end_time) "
                  "VALUES ('s1', 't1', '10:00:00', '09:00:00')");
  /* An empty slot is no slot. */
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "check_time_valid",
                  "INSERT INTO therapist_availability (id, therapist_id, start_time, end_time) "
                  "VALUES ('s2', 't1', '09:00:00', '09:00:00')");
  assert_accepted (db,
                   "INSERT INTO therapist_availability (id, therapist_id, start_time, end_time) "
                   "VALUES ('s3', 't1', '09:00:00', '09:50:00')");
  /* And an accepted slot cannot be edited into a bad one. */
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "check_time_valid",
                  "UPDATE therapist_availability SET end_time = '08:00:00' WHERE id = 's3'");
  close_db (db);
}

static void
test_check_outbox_op (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "fields IS NULL",
                  "INSERT INTO outbox "
                  "(table_name, record_id, op, base_version, fields, created_at) "
                  "VALUES ('goals', 'g1', 'delete', 3, '{\"title\": \"x\"}', "
                  "'2024-03-01T09:00:00Z')");
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "fields IS NULL",
                  "INSERT INTO outbox "
                  "(table_name, record_id, op, base_version, fields, created_at) "
                  "VALUES ('goals', 'g1', 'upsert', 3, NULL, '2024-03-01T09:00:00Z')");
  assert_refused (db, SQLITE_CONSTRAINT_CHECK, "op IN",
                  "INSERT INTO outbox "
                  "(table_name, record_id, op, base_version, fields, created_at) "
                  "VALUES ('goals', 'g1', 'insert', 3, '{}', '2024-03-01T09:00:00Z')");
  assert_accepted (db,
                   "INSERT INTO outbox "
                   "(table_name, record_id, op, base_version, fields, created_at) "
                   "VALUES ('goals', 'g1', 'delete', 3, NULL, '2024-03-01T09:00:00Z')");
  assert_accepted (db,
                   "INSERT INTO outbox "
                   "(table_name, record_id, op, base_version, fields, created_at) "
                   "VALUES ('goals', 'g2', 'upsert', 0, '{\"title\": \"x\"}', "
                   "'2024-03-01T09:00:00Z')");
  close_db (db);
}

static void
test_goal_progress_unique_live (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  assert_accepted (db, "INSERT INTO goal_progress (id, goal_id, completed_date) "
                       "VALUES ('p1', 'g1', '2024-03-01')");
  /* The same goal on another day, and another goal on the same day, are fine. */
  assert_accepted (db, "INSERT INTO goal_progress (id, goal_id, completed_date) "
                       "VALUES ('p2', 'g1', '2024-03-02')");
  assert_accepted (db, "INSERT INTO goal_progress (id, goal_id, completed_date) "
                       "VALUES ('p3', 'g2', '2024-03-01')");
  assert_refused (db, SQLITE_CONSTRAINT_UNIQUE, "goal_progress.goal_id",
                  "INSERT INTO goal_progress (id, goal_id, completed_date) "
                  "VALUES ('p4', 'g1', '2024-03-01')");

  /* Once the first is deleted (a tombstone), the day can be logged again... */
  exec_ok (db, "UPDATE goal_progress SET deleted_at = '2024-03-01T10:00:00Z' WHERE id = 'p1'");
  assert_accepted (db, "INSERT INTO goal_progress (id, goal_id, completed_date) "
                       "VALUES ('p5', 'g1', '2024-03-01')");
  /* ...but only once among live rows. */
  assert_refused (db, SQLITE_CONSTRAINT_UNIQUE, "goal_progress.goal_id",
                  "INSERT INTO goal_progress (id, goal_id, completed_date) "
                  "VALUES ('p6', 'g1', '2024-03-01')");
  /* Nor can the tombstone come back to life beside the new row. */
  assert_refused (db, SQLITE_CONSTRAINT_UNIQUE, "goal_progress.goal_id",
                  "UPDATE goal_progress SET deleted_at = NULL WHERE id = 'p1'");
  close_db (db);
}

/* ------------------------------------------------------------------------ */
/* Reopening, newer files, failing migrations                                */
/* ------------------------------------------------------------------------ */

static void
test_reopen (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);
  gint64 version, schema_cookie;
  g_autofree char *value = NULL;
  g_autofree char *notes = NULL;

  exec_ok (db, "INSERT INTO sync_state (key, value) VALUES ('device_id', 'd-42')");
  exec_ok (db, "INSERT INTO mood_entries (id, user_id, mood_value, notes, created_at) "
               "VALUES ('m1', 'u1', 7, 'tf1:Zm9v', '2024-03-01T09:00:00Z')");
  version = user_version (db);
  schema_cookie = query_int (db, "PRAGMA schema_version", NULL);
  close_db (db);

  db = open_store (f->path);
  value = query_text (db, "SELECT value FROM sync_state WHERE key = ?1", "device_id");
  g_assert_cmpstr (value, ==, "d-42");
  notes = query_text (db, "SELECT notes FROM mood_entries WHERE id = ?1", "m1");
  g_assert_cmpstr (notes, ==, "tf1:Zm9v");
  g_assert_cmpint (query_int (db, "SELECT mood_value FROM mood_entries WHERE id = ?1", "m1"),
                   ==, 7);
  /* No step ran again: same version, and the schema was not touched at all. */
  g_assert_cmpint (user_version (db), ==, version);
  g_assert_cmpint (query_int (db, "PRAGMA schema_version", NULL), ==, schema_cookie);
  close_db (db);
}

static void
test_too_new (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = open_store (f->path);
  gint64 schema_cookie;

  exec_ok (db, "INSERT INTO sync_state (key, value) VALUES ('device_id', 'd-42')");
  exec_ok (db, "PRAGMA user_version = 999");
  schema_cookie = query_int (db, "PRAGMA schema_version", NULL);
  close_db (db);

  db = tf_store_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_TOO_NEW);
  g_assert_cmpstr (error->message, !=, "");

  /* Left as the newer app wrote it. */
  db = open_raw (f->path, SQLITE_OPEN_READONLY);
  g_assert_cmpint (user_version (db), ==, 999);
  g_assert_cmpint (query_int (db, "PRAGMA schema_version", NULL), ==, schema_cookie);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM sync_state", NULL), ==, 1);
  close_db (db);

  /* And refused again: nothing was "fixed" by the first attempt. */
  g_clear_error (&error);
  db = tf_store_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_TOO_NEW);
}

static void
test_failing_migration_rolls_back (Fixture *f, gconstpointer data)
{
  static const TfStoreStep broken[] = {
    { 1, "0001-a", "CREATE TABLE a (x INTEGER);" },
    { 2, "0002-b", "CREATE TABLE b (x INTEGER); THIS IS NOT SQL;" },
  };
  static const TfStoreStep fixed[] = {
    { 1, "0001-a", "CREATE TABLE a (x INTEGER);" },
    { 2, "0002-b", "CREATE TABLE b (x INTEGER);" },
  };
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  db = tf_store_db_open_with_steps (f->path, broken, G_N_ELEMENTS (broken), &error);
  g_assert_null (db);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_FAILED);
  /* The user (or the bug report) learns which step failed. */
  g_assert_nonnull (strstr (error->message, "0002-b"));

  /* Step 1 succeeded on its own, but the steps are one transaction: nothing stays. */
  db = open_raw (f->path, SQLITE_OPEN_READONLY);
  g_assert_cmpint (user_version (db), ==, 0);
  g_assert_false (table_exists (db, "a"));
  g_assert_false (table_exists (db, "b"));
  close_db (db);

  g_clear_error (&error);
  db = tf_store_db_open_with_steps (f->path, fixed, G_N_ELEMENTS (fixed), &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (user_version (db), ==, 2);
  g_assert_true (table_exists (db, "a"));
  g_assert_true (table_exists (db, "b"));
  close_db (db);
}

/* A store at step 1 gets only the steps it lacks. */
static void
test_migration_applies_pending_only (Fixture *f, gconstpointer data)
{
  static const TfStoreStep first[] = {
    { 1, "0001-a", "CREATE TABLE a (x INTEGER);" },
  };
  /* Step 1 would fail if it ran again: table a exists. */
  static const TfStoreStep both[] = {
    { 1, "0001-a", "CREATE TABLE a (x INTEGER);" },
    { 2, "0002-b", "CREATE TABLE b (x INTEGER); INSERT INTO a VALUES (2);" },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db;

  db = tf_store_db_open_with_steps (f->path, first, G_N_ELEMENTS (first), &error);
  g_assert_no_error (error);
  exec_ok (db, "INSERT INTO a VALUES (1)");
  close_db (db);

  db = tf_store_db_open_with_steps (f->path, both, G_N_ELEMENTS (both), &error);
  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (user_version (db), ==, 2);
  rows = query_text (db, "SELECT group_concat(x) FROM (SELECT x FROM a ORDER BY x)", NULL);
  g_assert_cmpstr (rows, ==, "1,2");
  close_db (db);
}

/* ------------------------------------------------------------------------ */
/* Files that are not stores                                                 */
/* ------------------------------------------------------------------------ */

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  sqlite3 *db;

  while (text->len < 4096)
    g_string_append (text, "Dear diary, today I felt fine. ");
  g_string_truncate (text, 4096);
  g_file_set_contents (f->path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
  before = read_file_bytes (f->path);

  db = tf_store_db_open (f->path, &error);
  g_assert_null (db);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CORRUPT);
  g_assert_cmpstr (error->message, !=, "");

  after = read_file_bytes (f->path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

static void
test_missing_directory (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (f->dir, "no-such-dir", NULL);
  g_autofree char *path = g_build_filename (missing, "store.db", NULL);
  sqlite3 *db;

  db = tf_store_db_open (path, &error);
  g_assert_null (db);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_OPEN);
  g_assert_cmpstr (error->message, !=, "");
  /* The store does not make directories behind the caller's back. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

/* ------------------------------------------------------------------------ */
/* Outbox                                                                    */
/* ------------------------------------------------------------------------ */

static gint64
insert_outbox_row (sqlite3 *db, const char *record_id)
{
  sqlite3_stmt *stmt = NULL;
  gint64 id;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                     "INSERT INTO outbox (table_name, record_id, op, base_version, fields, "
                     "created_at) VALUES ('goals', ?1, 'upsert', 0, '{}', "
                     "'2024-03-01T09:00:00Z') RETURNING mutation_id",
                     -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, record_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  id = sqlite3_column_int64 (stmt, 0);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return id;
}

static void
test_outbox_ids_never_reused (Fixture *f, gconstpointer data)
{
  sqlite3 *db = open_store (f->path);

  g_assert_cmpint (insert_outbox_row (db, "g1"), ==, 1);
  g_assert_cmpint (insert_outbox_row (db, "g2"), ==, 2);
  /* Both pushed and acknowledged. */
  exec_ok (db, "DELETE FROM outbox");
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM outbox", NULL), ==, 0);
  g_assert_cmpint (insert_outbox_row (db, "g3"), ==, 3);

  /* The counter lives in the file, not in the connection. */
  exec_ok (db, "DELETE FROM outbox");
  close_db (db);
  db = open_store (f->path);
  g_assert_cmpint (insert_outbox_row (db, "g4"), ==, 4);
  close_db (db);
}

/* ------------------------------------------------------------------------ */

#define ADD(path, func) \
  g_test_add ("/tf/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("new-file-version-and-wal", test_new_file_version_and_wal);
  ADD ("registry-tables", test_registry_tables);
  ADD ("check/mood-value", test_check_mood_value);
  ADD ("check/json", test_check_json);
  ADD ("check/encrypted", test_check_encrypted);
  ADD ("check/encrypted-all-columns", test_check_encrypted_all);
  ADD ("check/appointment-status", test_check_appointment_status);
  ADD ("check/availability-time", test_check_availability_time);
  ADD ("check/outbox-op", test_check_outbox_op);
  ADD ("goal-progress-unique-live", test_goal_progress_unique_live);
  ADD ("reopen", test_reopen);
  ADD ("too-new", test_too_new);
  ADD ("failing-migration-rolls-back", test_failing_migration_rolls_back);
  ADD ("migration-applies-pending-only", test_migration_applies_pending_only);
  ADD ("not-a-database", test_not_a_database);
  ADD ("missing-directory", test_missing_directory);
  ADD ("outbox-ids-never-reused", test_outbox_ids_never_reused);

  return g_test_run ();
}
