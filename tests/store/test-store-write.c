/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-store-write.c: local writes on a real SQLite file — the row and its
 * outbox entry together or not at all, validated before anything is written,
 * ciphertext only, tombstones, change notifications.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-store-db.h"
#include "tf-store.h"

#define USER "5a0c2f11-6f0b-4d8e-8b6e-0f3c6f1d2a77"

typedef struct
{
  char    *dir;
  char    *path;
  TfStore *store;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tf-store-write-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "profile.db", NULL);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonObject *
mood_fields (const char *id, int mood, const char *note_plain)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *notes = tf_crypto_encrypt_field (key, "mood_entries", id, "notes", note_plain,
                                                    NULL);
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "user_id", USER);
  json_object_set_int_member (fields, "mood_value", mood);
  json_object_set_string_member (fields, "created_at", "2026-11-24T08:00:00Z");
  json_object_set_string_member (fields, "notes", notes);
  {
    g_autoptr(JsonNode) emotions = json_from_string ("[\"χαρά\", \"άγχος\"]", NULL);
    json_object_set_member (fields, "emotions", g_steal_pointer (&emotions));
  }
  return fields;
}

static gint64
count_rows (Fixture *f, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
on_changed_cb (TfStore *store, const char *table, const char *id, gpointer user_data)
{
  GPtrArray *seen = user_data;

  g_ptr_array_add (seen, g_strconcat (table, "/", id, NULL));
}

static void
test_put_writes_row_and_outbox (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) fields = mood_fields (id, 7, "μια καλή μέρα");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfRecord) back = NULL;
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *expected = g_strconcat ("mood_entries/", id, NULL);
  g_autofree char *outbox_sql = g_strdup_printf (
      "SELECT count(*) FROM outbox WHERE record_id = '%s' AND op = 'upsert' AND base_version = 0"
      " AND json_extract(fields, '$.mood_value') = 7", id);

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed_cb), seen);
  g_assert_true (tf_store_put (f->store, moods, id, fields, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, expected);
  g_assert_cmpint (count_rows (f, outbox_sql), ==, 1);

  back = tf_store_get (f->store, moods, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (back->fields, "mood_value"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (back->fields, "notes"), ==,
                   json_object_get_string_member (fields, "notes"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (back->fields,
                                                                          "emotions")), ==, 2);
  /* An edit is a second mutation with a higher id. */
  json_object_set_int_member (fields, "mood_value", 4);
  g_assert_true (tf_store_put (f->store, moods, id, fields, &error));
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 2);
  g_assert_cmpint (count_rows (f, "SELECT max(mutation_id) - min(mutation_id) FROM outbox"), ==, 1);
}

static void
test_invalid_writes_nothing (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  const TfTable *journal = tf_registry_lookup ("journal_entries");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) fields = mood_fields (id, 11, "x");
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tf_store_put (f->store, moods, id, fields, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  /* Plaintext where ciphertext belongs never reaches the file. */
  json_object_set_string_member (plain, "user_id", USER);
  json_object_set_string_member (plain, "content", "Αυτό είναι μυστικό");
  g_assert_false (tf_store_put (f->store, journal, id, plain, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ENCRYPTED);
  g_clear_error (&error);
  g_assert_false (tf_store_put (f->store, moods, "not-an-id", fields, &error));
  g_assert_nonnull (error);

  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM mood_entries"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM journal_entries"), ==, 0);
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 0);
}

static void
test_file_holds_no_plaintext (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) fields = mood_fields (id, 3, "ΜΥΣΤΙΚΟ-ΚΕΙΜΕΝΟ-42");
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize len;

  g_autoptr(JsonObject) plain = json_object_new ();
  g_autofree char *other = g_uuid_string_random ();

  g_assert_true (tf_store_put (f->store, moods, id, fields, &error));
  /* A refused plaintext write leaves no trace either (not even in the WAL). */
  json_object_set_string_member (plain, "user_id", USER);
  json_object_set_string_member (plain, "content", "ΜΥΣΤΙΚΟ-ΚΕΙΜΕΝΟ-42");
  g_assert_false (tf_store_put (f->store, tf_registry_lookup ("journal_entries"), other, plain,
                                NULL));
  /* Checkpoint so the page is in the main file, then scan every byte. */
  g_clear_object (&f->store);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  {
    g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
    const char *files[] = { f->path, wal };
    for (guint i = 0; i < G_N_ELEMENTS (files); i++)
      {
        g_free (bytes);
        bytes = NULL;
        if (!g_file_get_contents (files[i], &bytes, &len, NULL))
          continue;
        g_assert_null (memmem (bytes, len, "ΜΥΣΤΙΚΟ-ΚΕΙΜΕΝΟ-42", strlen ("ΜΥΣΤΙΚΟ-ΚΕΙΜΕΝΟ-42")));
      }
  }
}

static void
test_delete_is_a_tombstone (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *missing = g_uuid_string_random ();
  g_autoptr(JsonObject) fields = mood_fields (id, 5, "x");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL, after = NULL;
  g_autoptr(TfRecord) tombstone = NULL;

  g_assert_true (tf_store_put (f->store, moods, id, fields, &error));
  before = tf_store_list (f->store, moods, "user_id", USER, &error);
  g_assert_cmpuint (before->len, ==, 1);
  g_assert_true (tf_store_delete (f->store, moods, id, &error));
  after = tf_store_list (f->store, moods, "user_id", USER, &error);
  g_assert_cmpuint (after->len, ==, 0);
  tombstone = tf_store_get (f->store, moods, id, &error);
  g_assert_true (tombstone->deleted);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox WHERE op = 'delete'"
                                  " AND fields IS NULL"), ==, 1);
  /* Deleting what is not there says so and queues nothing. */
  g_assert_false (tf_store_delete (f->store, moods, missing, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));

  g_test_add ("/tf/store/write/put-writes-row-and-outbox", Fixture, NULL, fixture_set_up,
              test_put_writes_row_and_outbox, fixture_tear_down);
  g_test_add ("/tf/store/write/invalid-writes-nothing", Fixture, NULL, fixture_set_up,
              test_invalid_writes_nothing, fixture_tear_down);
  g_test_add ("/tf/store/write/file-holds-no-plaintext", Fixture, NULL, fixture_set_up,
              test_file_holds_no_plaintext, fixture_tear_down);
  g_test_add ("/tf/store/write/delete-is-a-tombstone", Fixture, NULL, fixture_set_up,
              test_delete_is_a_tombstone, fixture_tear_down);
  return g_test_run ();
}
