/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-store-write.c: local writes on a real SQLite file — the row and its
 * outbox entry together or not at all, validated before anything is written,
 * ciphertext only, tombstones, change notifications.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-store-db.h"
#include "tf-store.h"
#include "tf-sync-answer.h"
#include "tf-sync-client.h"

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
  g_autofree char *emotions = tf_crypto_encrypt_field (key, "mood_entries", id, "emotions",
                                                       "[\"χαρά\", \"άγχος\"]", NULL);
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "user_id", USER);
  json_object_set_int_member (fields, "mood_value", mood);
  json_object_set_string_member (fields, "created_at", "2026-11-24T08:00:00Z");
  json_object_set_string_member (fields, "notes", notes);
  json_object_set_string_member (fields, "emotions", emotions);
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
  g_assert_cmpstr (json_object_get_string_member (back->fields, "emotions"), ==,
                   json_object_get_string_member (fields, "emotions"));
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

static JsonArray *
page_of (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_array_ref (json_node_get_array (node));
}

static char *
remote_mood (const char *id, gint64 version, int mood, gboolean deleted)
{
  g_autoptr(JsonObject) fields = mood_fields (id, mood, "x");
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), fields);
  g_autofree char *text = json_to_string (node, FALSE);

  return g_strdup_printf ("{\"table\": \"mood_entries\", \"id\": \"%s\", \"version\": %"
                          G_GINT64_FORMAT ", \"deleted\": %s, \"fields\": %s}",
                          id, version, deleted ? "true" : "false", text);
}

static void
test_apply_pull (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *ra = remote_mood (a, 10, 5, FALSE), *rb = remote_mood (b, 11, 6, FALSE);
  g_autofree char *json1 = g_strdup_printf ("[%s, %s]", ra, rb);
  g_autoptr(JsonArray) page1 = page_of (json1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfRecord) row_a = NULL;

  g_assert_true (tf_store_apply_pull (f->store, page1, 11, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tf_store_get_cursor (f->store, NULL), ==, 11);
  row_a = tf_store_get (f->store, moods, a, &error);
  g_assert_cmpint (row_a->version, ==, 10);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_base"), ==, 2);
  /* Pulled records are not the device's own writes: nothing to push. */
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 0);

  /* A local edit of A, then the server changes A and deletes B. */
  {
    g_autoptr(JsonObject) edit = mood_fields (a, 2, "y");
    g_autofree char *ra2 = remote_mood (a, 12, 9, FALSE), *rb2 = remote_mood (b, 13, 6, TRUE);
    g_autofree char *json2 = g_strdup_printf ("[%s, %s]", ra2, rb2);
    g_autoptr(JsonArray) page2 = page_of (json2);
    g_autoptr(TfRecord) mine = NULL;
    g_autoptr(TfRecord) gone = NULL;
    g_autofree char *base_sql = g_strdup_printf ("SELECT version FROM sync_base WHERE record_id = '%s'", a);

    g_assert_true (tf_store_put (f->store, moods, a, edit, &error));
    g_assert_true (tf_store_apply_pull (f->store, page2, 13, &error));
    g_assert_no_error (error);
    /* The unpushed edit is not overwritten, and its base stays the version
     * it was made on (the merge needs it). */
    mine = tf_store_get (f->store, moods, a, &error);
    g_assert_cmpint (json_object_get_int_member (mine->fields, "mood_value"), ==, 2);
    g_assert_cmpint (count_rows (f, base_sql), ==, 10);
    gone = tf_store_get (f->store, moods, b, &error);
    g_assert_true (gone->deleted);
  }
  /* Access withdrawn: the row and its base are gone. */
  {
    g_autofree char *json3 = g_strdup_printf ("[{\"table\": \"mood_entries\", \"id\": \"%s\","
                                              " \"revoked\": true}]", b);
    g_autoptr(JsonArray) page3 = page_of (json3);
    g_autoptr(TfRecord) none = NULL;

    g_assert_true (tf_store_apply_pull (f->store, page3, 14, &error));
    none = tf_store_get (f->store, moods, b, &error);
    g_assert_null (none);
    g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }
  /* A page with one bad record applies nothing and keeps the cursor. */
  {
    g_autofree char *c = g_uuid_string_random (), *d = g_uuid_string_random ();
    g_autofree char *good = remote_mood (c, 15, 5, FALSE), *bad = remote_mood (d, 16, 11, FALSE);
    g_autofree char *json4 = g_strdup_printf ("[%s, %s]", good, bad);
    g_autoptr(JsonArray) page4 = page_of (json4);
    g_autoptr(TfRecord) none = NULL;

    g_assert_false (tf_store_apply_pull (f->store, page4, 16, &error));
    g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
    g_clear_error (&error);
    g_assert_cmpint (tf_store_get_cursor (f->store, NULL), ==, 14);
    none = tf_store_get (f->store, moods, c, NULL);
    g_assert_null (none);
  }
}

static void
test_apply_push_results (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *x = g_uuid_string_random (), *y = g_uuid_string_random ();
  g_autofree char *z = g_uuid_string_random ();
  g_autoptr(JsonObject) fx = mood_fields (x, 1, "a"), fy = mood_fields (y, 2, "b");
  g_autoptr(JsonObject) fz = mood_fields (z, 3, "c");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(TfRecord) row_x = NULL, row_y = NULL;
  gint64 first;
  guint conflicts = 0;

  g_assert_true (tf_store_put (f->store, moods, x, fx, &error));
  g_assert_true (tf_store_put (f->store, moods, y, fy, &error));
  g_assert_true (tf_store_put (f->store, moods, z, fz, &error));
  first = count_rows (f, "SELECT min(mutation_id) FROM outbox");
  {
    g_autofree char *json = g_strdup_printf (
        "[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"applied\", \"version\": 20},"
        " {\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"rejected\", \"code\": \"validation\","
        " \"message\": \"mood_value: 12 is not between 1 and 10\"},"
        " {\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"conflict\", \"record\": null}]",
        first, first + 1, first + 2);
    results = page_of (json);
  }
  g_assert_true (tf_store_apply_push_results (f->store, results, &conflicts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts, ==, 1);
  /* Applied: out of the outbox, version and base advanced. */
  row_x = tf_store_get (f->store, moods, x, &error);
  g_assert_cmpint (row_x->version, ==, 20);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_base WHERE version = 20"), ==, 1);
  /* Rejected: kept and shown, the local row stays. */
  g_assert_cmpint (tf_store_rejection_count (f->store, NULL), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_rejections WHERE code = 'validation'"
                                  " AND message LIKE 'mood_value%'"), ==, 1);
  row_y = tf_store_get (f->store, moods, y, &error);
  g_assert_nonnull (row_y);
  /* Conflict: still queued for the merge. */
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 1);
  /* The same answers again (a retried push) change nothing. */
  g_assert_true (tf_store_apply_push_results (f->store, results, &conflicts, &error));
  g_assert_cmpint (tf_store_rejection_count (f->store, NULL), ==, 1);
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 1);
}

/* The server refuses a moment ahead of its clock (clock_ahead) with an
 * English message; the user reads the store's own, in their language. */
static void
test_clock_ahead_translated (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *x = g_uuid_string_random ();
  g_autoptr(JsonObject) fx = mood_fields (x, 4, "a");
  g_autofree char *localedir = g_build_filename (g_getenv ("TF_BUILD_DIR"), "po", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(JsonArray) rejections = NULL;
  g_autofree char *json = NULL;

  g_assert_true (tf_store_put (f->store, moods, x, fx, &error));
  json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"rejected\","
                          " \"code\": \"clock_ahead\", \"message\": \"created_at lies after"
                          " the server's clock\"}]",
                          count_rows (f, "SELECT min(mutation_id) FROM outbox"));
  results = page_of (json);
  g_assert_nonnull (setlocale (LC_ALL, "el_GR.UTF-8"));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_true (tf_store_apply_push_results (f->store, results, NULL, &error));
  setlocale (LC_ALL, "C.UTF-8");
  g_assert_no_error (error);
  rejections = tf_store_list_rejections (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rejections), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejections, 0),
                                                  "code"), ==, "clock_ahead");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rejections, 0),
                                                  "message"), ==,
                   "Το ρολόι αυτής της συσκευής πάει μπροστά από του διακομιστή: ρυθμίστε την "
                   "ημερομηνία και την ώρα της και αποθηκεύστε το ξανά");
}

static JsonObject *
booking_fields (const char *id, const char *price, int minutes, const char *created)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "therapist_id", "3f0e7c7e-7e57-4a0b-9c1e-0123456789ab");
  json_object_set_string_member (o, "client_id", "3f0e7c7e-7e57-4a0b-9c1e-0123456789ac");
  json_object_set_string_member (o, "appointment_datetime", "2031-03-04T09:00:00Z");
  json_object_set_int_member (o, "duration", minutes);
  json_object_set_string_member (o, "status", "pending");
  json_object_set_string_member (o, "price", price);
  json_object_set_string_member (o, "created_at", created);
  return o;
}

/* The server stored other values than were sent (the offer's price and
 * length, its clock's created_at) and answered with its record: the device
 * takes it as row and base; with a later edit queued, as base only (the
 * edit stays, and merges against it). */
static void
test_applied_takes_stored_record (Fixture *f, gconstpointer data)
{
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autofree char *x = g_uuid_string_random (), *y = g_uuid_string_random ();
  g_autoptr(JsonObject) fx = booking_fields (x, "0.00", 1440, "2001-01-01T00:00:00Z");
  g_autoptr(JsonObject) fy = booking_fields (y, "0.00", 1440, "2001-01-01T00:00:00Z");
  g_autoptr(JsonObject) sx = booking_fields (x, "70.00", 60, "2026-12-01T10:00:00Z");
  g_autoptr(JsonObject) sy = booking_fields (y, "70.00", 60, "2026-12-01T10:00:00Z");
  g_autoptr(JsonObject) edit = booking_fields (y, "0.00", 1440, "2001-01-01T00:00:00Z");
  g_autofree char *late = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) results = NULL;
  g_autoptr(TfRecord) row_x = NULL, row_y = NULL;
  gint64 first;

  g_assert_true (tf_store_put (f->store, appointments, x, fx, &error));
  g_assert_true (tf_store_put (f->store, appointments, y, fy, &error));
  first = count_rows (f, "SELECT min(mutation_id) FROM outbox");
  /* The store holds wire form: the notes are an envelope (encrypted since 0011). */
  {
    g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);

    late = tf_crypto_encrypt_field (key, "appointments", y, "notes_for_therapist",
                                    "θα αργήσω λίγο", NULL);
  }
  json_object_set_string_member (edit, "notes_for_therapist", late);
  g_assert_true (tf_store_put (f->store, appointments, y, edit, &error));
  g_assert_no_error (error);
  {
    g_autoptr(JsonNode) nx = json_node_init_object (json_node_alloc (), sx);
    g_autoptr(JsonNode) ny = json_node_init_object (json_node_alloc (), sy);
    g_autofree char *tx = json_to_string (nx, FALSE), *ty = json_to_string (ny, FALSE);
    g_autofree char *json = g_strdup_printf (
        "[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"applied\", \"version\": 30,"
        " \"record\": {\"table\": \"appointments\", \"id\": \"%s\", \"version\": 30,"
        " \"deleted\": false, \"fields\": %s}},"
        " {\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"applied\", \"version\": 31,"
        " \"record\": {\"table\": \"appointments\", \"id\": \"%s\", \"version\": 31,"
        " \"deleted\": false, \"fields\": %s}}]",
        first, x, tx, first + 1, y, ty);
    results = page_of (json);
  }
  g_assert_true (tf_store_apply_push_results (f->store, results, NULL, &error));
  g_assert_no_error (error);

  row_x = tf_store_get (f->store, appointments, x, &error);
  g_assert_cmpstr (json_object_get_string_member (row_x->fields, "price"), ==, "70.00");
  g_assert_cmpint (json_object_get_int_member (row_x->fields, "duration"), ==, 60);
  g_assert_cmpstr (json_object_get_string_member (row_x->fields, "created_at"), ==,
                   "2026-12-01T10:00:00Z");
  g_assert_cmpint (row_x->version, ==, 30);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_base WHERE version = 30"
                                  " AND json_extract(fields, '$.price') = '70.00'"), ==, 1);

  row_y = tf_store_get (f->store, appointments, y, &error);
  g_assert_cmpstr (json_object_get_string_member (row_y->fields, "notes_for_therapist"), ==,
                   late);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_base WHERE version = 31"
                                  " AND json_extract(fields, '$.price') = '70.00'"), ==, 1);
}

static void
exec_rw (Fixture *f, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Answers the newest queued mutation "applied" with @version; returns its id. */
static gint64
apply_newest (Fixture *f, gint64 version)
{
  gint64 id = count_rows (f, "SELECT max(mutation_id) FROM outbox");
  g_autofree char *json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ","
                                           " \"status\": \"applied\", \"version\": %"
                                           G_GINT64_FORMAT "}]", id, version);
  g_autoptr(JsonArray) results = page_of (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_store_apply_push_results (f->store, results, NULL, &error));
  g_assert_no_error (error);
  return id;
}

/* What the server acknowledged is kept after it leaves the outbox; when the
 * server loses it, it goes back in the queue, one mutation per record (the
 * oldest base, the newest fields, the newest id), with no base to merge
 * against; what is older than the bound is dropped and counted. */
static void
test_acked_kept_and_requeued (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *x = g_uuid_string_random (), *y = g_uuid_string_random ();
  g_autofree char *old = g_uuid_string_random ();
  g_autoptr(JsonObject) f_old = mood_fields (old, 1, "long ago");
  g_autoptr(JsonObject) fx = mood_fields (x, 2, "first"), fx2 = mood_fields (x, 3, "second");
  g_autoptr(JsonObject) fy = mood_fields (y, 4, "other");
  g_autoptr(JsonArray) queued = NULL;
  g_autoptr(GError) error = NULL;
  gint64 first, x_last, y_id, unkept = -1;
  guint requeued = 0;

  g_assert_true (tf_store_put (f->store, moods, old, f_old, &error));
  first = apply_newest (f, 10);
  /* Acknowledged a month and more ago: past the bound at the next answer. */
  exec_rw (f, "UPDATE outbox_acked SET acknowledged_at = '2020-01-01T00:00:00Z'");
  g_assert_true (tf_store_put (f->store, moods, x, fx, &error));
  apply_newest (f, 11);
  g_assert_true (tf_store_put (f->store, moods, x, fx2, &error));
  x_last = apply_newest (f, 12);
  g_assert_true (tf_store_put (f->store, moods, y, fy, &error));
  y_id = apply_newest (f, 13);
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox_acked"), ==, 3);

  /* The server knows of nothing since before the first. */
  g_assert_true (tf_store_outbox_requeue_acked (f->store, first - 1, &requeued, &unkept,
                                                &error));
  g_assert_no_error (error);
  g_assert_cmpuint (requeued, ==, 3);
  g_assert_cmpint (unkept, ==, 1);
  queued = tf_store_outbox_peek (f->store, 10, &error);
  g_assert_cmpuint (json_array_get_length (queued), ==, 2);
  {
    JsonObject *mx = json_array_get_object_element (queued, 0);
    JsonObject *my = json_array_get_object_element (queued, 1);

    g_assert_cmpint (json_object_get_int_member (mx, "mutation_id"), ==, x_last);
    g_assert_cmpstr (json_object_get_string_member (mx, "id"), ==, x);
    g_assert_cmpint (json_object_get_int_member (mx, "base_version"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (mx, "fields"),
                                                 "mood_value"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (my, "mutation_id"), ==, y_id);
  }
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_base"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox_acked"), ==, 0);
}

/* Puts one mood per id of the NULL-terminated array @data. */
static gboolean put_moods (TfStore *store, gpointer data, GError **error);

/* Mutations of one atomic group that the server acknowledged and then lost
 * go again as one group: a share's ending stays all or none. */
static void
test_requeued_keep_groups (Fixture *f, gconstpointer data)
{
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *c = g_uuid_string_random ();
  const char *group[] = { a, b, NULL, NULL };
  g_autoptr(JsonObject) fc = mood_fields (c, 6, "alone");
  g_autoptr(JsonArray) batch = NULL, groups = NULL, results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gint64 first;
  guint requeued = 0;

  g_assert_true (tf_store_atomic (f->store, put_moods, group, &error));
  g_assert_true (tf_store_put (f->store, tf_registry_lookup ("mood_entries"), c, fc, &error));
  g_assert_no_error (error);
  first = count_rows (f, "SELECT min(mutation_id) FROM outbox");
  json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"applied\","
                          " \"version\": 40}, {\"mutation_id\": %" G_GINT64_FORMAT ","
                          " \"status\": \"applied\", \"version\": 41},"
                          " {\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"applied\","
                          " \"version\": 42}]", first, first + 1, first + 2);
  results = page_of (json);
  g_assert_true (tf_store_apply_push_results (f->store, results, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 0);

  g_assert_true (tf_store_outbox_requeue_acked (f->store, first - 1, &requeued, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (requeued, ==, 3);
  batch = tf_store_outbox_peek_groups (f->store, 10, &groups, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (batch), ==, 3);
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (groups, 0), 0), ==,
                   first);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (groups, 0), 1), ==,
                   first + 1);
}

/* Members of a server's answer that are not of the type the store reads
 * them as (the fuzzer's find: a rejection's "code" that was an object
 * stopped the device on a GLib critical) are a malformed answer, refused
 * whole, before anything is applied. */
static void
test_odd_answer_members_refused (Fixture *f, gconstpointer data)
{
  static const char * const pushes[] = {
    "{\"results\": [{\"mutation_id\": 1, \"status\": \"rejected\", \"code\": {}}]}",
    "{\"results\": [{\"mutation_id\": 1, \"status\": \"rejected\", \"code\": \"duplicate\","
    " \"message\": [1]}]}",
    "{\"results\": [{\"mutation_id\": 1, \"status\": \"rejected\", \"code\": 7}]}",
    "{\"results\": [{\"mutation_id\": 1, \"status\": \"conflict\", \"record\": []}]}",
    "{\"results\": [{\"mutation_id\": 1, \"status\": \"rejected\", \"code\": \"duplicate\","
    " \"record\": \"x\"}]}",
  };
  static const char * const pulls[] = {
    "[{\"revoked\": [], \"table\": \"mood_entries\", \"id\": \"" USER "\"}]",
    "[{\"revoked\": true, \"table\": {}, \"id\": \"" USER "\"}]",
    "[{\"revoked\": true, \"table\": \"mood_entries\", \"id\": 12}]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pushes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) answer = json_from_string (pushes[i], &error);

      g_assert_no_error (error);
      g_assert_null (tf_sync_answer_push_results (json_node_get_object (answer), &error));
      g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "malformed"));
    }
  /* And what is well formed still passes: a null "record", no "code". */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) answer = json_from_string (
      "{\"results\": [{\"mutation_id\": 1, \"status\": \"conflict\", \"record\": null},"
      " {\"mutation_id\": 2, \"status\": \"rejected\"}]}", &error);

    g_assert_no_error (error);
    g_assert_nonnull (tf_sync_answer_push_results (json_node_get_object (answer), &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (pulls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) changes = json_from_string (pulls[i], &error);

      g_assert_no_error (error);
      g_assert_false (tf_store_apply_pull (f->store, json_node_get_array (changes), 9, &error));
      g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
    }
  {
    g_autofree char *cursor = tf_store_dup_state (f->store, "cursor", NULL);
    g_assert_null (cursor);
  }
}

/* Puts one mood per id of the NULL-terminated array @data; then fails when
 * the array's next slot after the NULL says so ("fail"). */
static gboolean
put_moods (TfStore *store, gpointer data, GError **error)
{
  const char **ids = data;
  guint i;

  for (i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(JsonObject) fields = mood_fields (ids[i], 5, "σε ομάδα");

      if (!tf_store_put (store, tf_registry_lookup ("mood_entries"), ids[i], fields, error))
        return FALSE;
    }
  if (g_strcmp0 (ids[i + 1], "fail") == 0)
    {
      g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT, "failed on purpose");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char **outer;  /* put_moods data */
  const char **inner;  /* put_moods data, in a nested tf_store_atomic() */
} Nested;

static gboolean
put_nested (TfStore *store, gpointer data, GError **error)
{
  Nested *n = data;
  g_autoptr(GError) inner_error = NULL;

  if (!put_moods (store, n->outer, error))
    return FALSE;
  /* An inner failure undoes the inner part only. */
  tf_store_atomic (store, put_moods, n->inner, &inner_error);
  return TRUE;
}

/* tf_store_atomic: all of it or nothing, nested steps as savepoints, its
 * mutations one group that a batch never cuts. */
static void
test_atomic_groups (Fixture *f, gconstpointer data)
{
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *c = g_uuid_string_random (), *d = g_uuid_string_random ();
  g_autofree char *e = g_uuid_string_random (), *x = g_uuid_string_random ();
  const char *failing[] = { x, NULL, "fail" };
  const char *group[] = { a, b, c, NULL, NULL };
  const char *single[] = { d, NULL, NULL };
  const char *inner_fails[] = { e, NULL, "fail" };
  Nested nested = { single, inner_fails };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) batch = NULL, groups = NULL;

  /* A failure keeps nothing of the body. */
  g_assert_false (tf_store_atomic (f->store, put_moods, failing, &error));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM mood_entries"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM outbox"), ==, 0);

  g_assert_true (tf_store_atomic (f->store, put_moods, group, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_atomic (f->store, put_nested, &nested, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM mood_entries"), ==, 4);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT atomic_group) FROM outbox"), ==, 2);

  /* A limit of 2 still takes the group of three whole, and stops after it. */
  batch = tf_store_outbox_peek_groups (f->store, 2, &groups, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (batch), ==, 3);
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (groups, 0), 0), ==,
                   json_object_get_int_member (json_array_get_object_element (batch, 0),
                                               "mutation_id"));
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (groups, 0), 1), ==,
                   json_object_get_int_member (json_array_get_object_element (batch, 2),
                                               "mutation_id"));
  g_clear_pointer (&batch, json_array_unref);
  g_clear_pointer (&groups, json_array_unref);
  /* A group of one is no group on the wire. */
  batch = tf_store_outbox_peek_groups (f->store, 10, &groups, &error);
  g_assert_cmpuint (json_array_get_length (batch), ==, 4);
  g_assert_cmpuint (json_array_get_length (groups), ==, 1);
}

/* Two steps, each its own tf_store_atomic() (a write that would be a group
 * of its own, as tf_vault_put's is). */
static gboolean
put_two_steps (TfStore *store, gpointer data, GError **error)
{
  const char **ids = data;
  const char *first[] = { ids[0], NULL, NULL };
  const char *second[] = { ids[1], ids[2], NULL, NULL };

  return tf_store_atomic (store, put_moods, first, error) &&
         tf_store_atomic (store, put_moods, second, error);
}

/* tf_store_atomic_one_group: the nested steps join its one group (a
 * series of appointments goes whole), where tf_store_atomic keeps each
 * nested step a group of its own. */
static void
test_atomic_one_group (Fixture *f, gconstpointer data)
{
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *c = g_uuid_string_random (), *d = g_uuid_string_random ();
  g_autofree char *e = g_uuid_string_random (), *g = g_uuid_string_random ();
  const char *joined[] = { a, b, c };
  const char *apart[] = { d, e, g };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) batch = NULL, groups = NULL;

  g_assert_true (tf_store_atomic_one_group (f->store, put_two_steps, joined, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT atomic_group) FROM outbox"), ==, 1);
  g_assert_true (tf_store_atomic (f->store, put_two_steps, apart, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f, "SELECT count(DISTINCT atomic_group) FROM outbox"), ==, 3);

  batch = tf_store_outbox_peek_groups (f->store, 10, &groups, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (batch), ==, 6);
  /* The three joined, then the pair of the second step of the other. */
  g_assert_cmpuint (json_array_get_length (groups), ==, 2);
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (groups, 0), 0), ==,
                   json_object_get_int_member (json_array_get_object_element (batch, 0),
                                               "mutation_id"));
  g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (groups, 0), 1), ==,
                   json_object_get_int_member (json_array_get_object_element (batch, 2),
                                               "mutation_id"));
}

/* What this device refuses from the server: one entry per record, told once
 * for the same version and reason, news again at another, kept across a
 * reopen, dismissed without being forgotten, and gone when a later version
 * of the record arrives or the record is revoked. */
static void
test_refused_records (Fixture *f, gconstpointer data)
{
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *ra = remote_mood (a, 12, 5, FALSE);
  g_autofree char *json = g_strdup_printf ("[%s, {\"table\": \"mood_entries\", \"id\": \"%s\","
                                           " \"revoked\": true}]", ra, b);
  g_autoptr(JsonArray) page = page_of (json);
  g_autoptr(JsonArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fresh = FALSE;
  JsonObject *first;

  g_assert_cmpint (tf_store_refused_count (f->store, FALSE, &error), ==, 0);
  g_assert_true (tf_store_add_refused (f->store, "mood_entries", a, 10, "bad_signature",
                                       "forged", FALSE, &fresh, &error));
  g_assert_no_error (error);
  g_assert_true (fresh);
  g_assert_true (tf_store_add_refused (f->store, "mood_entries", a, 10, "bad_signature",
                                       "forged", FALSE, &fresh, &error));
  g_assert_false (fresh);
  g_assert_true (tf_store_add_refused (f->store, "mood_entries", b, 3, "grant_unsigned",
                                       "unsigned", FALSE, &fresh, &error));
  g_assert_true (fresh);
  g_assert_true (tf_store_is_refused (f->store, "mood_entries", a, 10));
  g_assert_false (tf_store_is_refused (f->store, "mood_entries", a, 11));

  /* Kept across a reopen. */
  g_assert_finalize_object (f->store);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  list = tf_store_list_refused (f->store, &error);
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
  first = json_array_get_object_element (list, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "table"), ==, "mood_entries");
  g_assert_nonnull (json_object_get_string_member (first, "refused_at"));

  /* Dismissed: not news, still listed; refused again at another version: news. */
  g_assert_true (tf_store_dismiss_refused (f->store, &error));
  g_assert_cmpint (tf_store_refused_count (f->store, TRUE, &error), ==, 0);
  g_assert_cmpint (tf_store_refused_count (f->store, FALSE, &error), ==, 2);
  g_assert_true (tf_store_add_refused (f->store, "mood_entries", a, 11, "bad_signature",
                                       "forged", FALSE, &fresh, &error));
  g_assert_true (fresh);
  g_assert_cmpint (tf_store_refused_count (f->store, TRUE, &error), ==, 1);

  /* Version 12 of a arrives, b is revoked: both refusals go. */
  g_assert_true (tf_store_apply_pull (f->store, page, 20, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tf_store_refused_count (f->store, FALSE, &error), ==, 0);

  g_assert_true (tf_store_add_refused (f->store, "mood_entries", a, 12, "bad_signature",
                                       "forged", FALSE, &fresh, &error));
  g_assert_true (tf_store_clear_refused (f->store, "mood_entries", a, &error));
  g_assert_cmpint (tf_store_refused_count (f->store, FALSE, &error), ==, 0);
  g_assert_no_error (error);

  /* A report of what the server did in this account's name outlives a later
   * version (the account's own repair) and goes once dismissed. */
  {
    g_autofree char *again = remote_mood (a, 40, 5, FALSE);
    g_autofree char *json2 = g_strdup_printf ("[%s]", again);
    g_autoptr(JsonArray) page2 = page_of (json2);

    g_assert_true (tf_store_add_refused (f->store, "mood_entries", a, 30, "grant_forged",
                                         "not mine", TRUE, &fresh, &error));
    g_assert_true (tf_store_apply_pull (f->store, page2, 41, &error));
    g_assert_cmpint (tf_store_refused_count (f->store, TRUE, &error), ==, 1);
    g_assert_true (tf_store_dismiss_refused (f->store, &error));
    g_assert_cmpint (tf_store_refused_count (f->store, FALSE, &error), ==, 0);
    g_assert_no_error (error);
  }
}

/* Reads @text as a push answer the way a sync does (shape, then the store,
 * then the merge) for a profile whose mutations up to @last are queued:
 * FALSE with @error where the sync would stop. */
static gboolean
read_push_answer (Fixture *f, const char *text, gint64 last, GError **error)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  g_autoptr(JsonArray) applied = NULL;
  TfSyncReport report = { 0 };
  JsonArray *results;

  g_assert_nonnull (node);
  results = tf_sync_answer_push_results (json_node_get_object (node), error);
  if (results == NULL)
    return FALSE;
  applied = tf_sync_answer_apply_push (f->store, json_node_get_object (node), results, -1, last,
                                       &report, error);
  return applied != NULL && tf_sync_answer_merge_push (f->store, applied, &report, error);
}

/* What the store cannot take of a push answer is the server's fault, told
 * as a malformed answer, and nothing of it applies: a duplicate whose
 * holder is no record (it left the store's own error, of the protocol's
 * domain, for the user and the fuzzer's check), and the store's note
 * "kept_as_conflict_copy" sent by the server as something else than a
 * boolean, for a mutation no longer queued (read as a boolean in the
 * merge: a GLib critical). */
static void
test_answer_the_store_cannot_take (Fixture *f, gconstpointer data)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autofree char *x = g_uuid_string_random ();
  g_autoptr(JsonObject) fx = mood_fields (x, 4, "a");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfRecord) row = NULL;
  gint64 first;
  const char *notes[] = { "[]", "{}", "\"yes\"", "1" };

  g_assert_true (tf_store_put (f->store, moods, x, fx, &error));
  first = count_rows (f, "SELECT min(mutation_id) FROM outbox");
  {
    g_autofree char *text = g_strdup_printf (
        "{\"results\": [{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"rejected\","
        " \"code\": \"duplicate\", \"record\": {}}]}", first);

    g_assert_false (read_push_answer (f, text, first, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
    g_assert_nonnull (strstr (error->message, "malformed"));
    g_clear_error (&error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (notes); i++)
    {
      g_autofree char *text = g_strdup_printf (
          "{\"results\": [{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"rejected\","
          " \"code\": \"duplicate\", \"record\": {}, \"kept_as_conflict_copy\": %s}]}",
          first + 100, notes[i]);

      g_assert_false (read_push_answer (f, text, first, &error));
      g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, "malformed"));
      g_clear_error (&error);
    }
  /* Nothing applied: the edit is still queued, as it was, and refused nowhere. */
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 1);
  g_assert_cmpint (tf_store_rejection_count (f->store, NULL), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count(*) FROM sync_base"), ==, 0);
  row = tf_store_get (f->store, moods, x, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (row->fields, "mood_value"), ==, 4);
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
  g_test_add ("/tf/store/sync/apply-pull", Fixture, NULL, fixture_set_up, test_apply_pull,
              fixture_tear_down);
  g_test_add ("/tf/store/sync/apply-push-results", Fixture, NULL, fixture_set_up,
              test_apply_push_results, fixture_tear_down);
  g_test_add ("/tf/store/sync/clock-ahead-translated", Fixture, NULL, fixture_set_up,
              test_clock_ahead_translated, fixture_tear_down);
  g_test_add ("/tf/store/sync/applied-takes-stored-record", Fixture, NULL, fixture_set_up,
              test_applied_takes_stored_record, fixture_tear_down);
  g_test_add ("/tf/store/sync/acked-kept-and-requeued", Fixture, NULL, fixture_set_up,
              test_acked_kept_and_requeued, fixture_tear_down);
  g_test_add ("/tf/store/sync/requeued-keep-groups", Fixture, NULL, fixture_set_up,
              test_requeued_keep_groups, fixture_tear_down);
  g_test_add ("/tf/store/sync/odd-answer-members-refused", Fixture, NULL, fixture_set_up,
              test_odd_answer_members_refused, fixture_tear_down);
  g_test_add ("/tf/store/sync/atomic-groups", Fixture, NULL, fixture_set_up, test_atomic_groups,
              fixture_tear_down);
  g_test_add ("/tf/store/sync/atomic-one-group", Fixture, NULL, fixture_set_up,
              test_atomic_one_group, fixture_tear_down);
  g_test_add ("/tf/store/sync/refused-records", Fixture, NULL, fixture_set_up,
              test_refused_records, fixture_tear_down);
  g_test_add ("/tf/store/sync/answer-the-store-cannot-take", Fixture, NULL, fixture_set_up,
              test_answer_the_store_cannot_take, fixture_tear_down);
  return g_test_run ();
}
