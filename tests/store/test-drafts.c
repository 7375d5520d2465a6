/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-drafts.c: drafts of unsaved forms (client/core/tf-drafts.h) on a
 * real SQLite file — what is typed is never in the file, yet comes back
 * with the account's keys; a draft goes when it is discarded (one, or all
 * at sign-out); a draft moved to another form or record does not open;
 * a signed note has none.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-drafts.h"
#include "tf-error.h"
#include "tf-keys.h"
#include "tf-store-drafts.h"
#include "tf-vault.h"

#define THERAPIST "8e1d9c3a-2b4f-4c6d-9e8f-1a2b3c4d5e6f"
#define SECRET "ΑΠΟΘΗΚΕΥΜΕΝΟ-ΜΟΝΟ-ΚΡΥΠΤΟΓΡΑΦΗΜΕΝΟ-42"

typedef struct
{
  char    *dir;
  char    *path;
  TfStore *store;
  TfVault *vault;
} Fixture;

static JsonObject *account_keys;
static TfSecret *account_kek;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TfKeys *keys;

  f->dir = g_dir_make_tmp ("tf-drafts-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "profile.db", NULL);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  keys = tf_keys_open (account_keys, account_kek, &error);
  g_assert_no_error (error);
  f->vault = tf_vault_new (f->store, THERAPIST, keys);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (f->vault);
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

/* The first column of the first row of @sql, through a connection of its
 * own; NULL when there is no row. */
static char *
query_text (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("“%s”: %s", sql, sqlite3_errmsg (db));
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static gint64
count_drafts (Fixture *f)
{
  g_autofree char *n = query_text (f->path, "SELECT count(*) FROM drafts");

  return g_ascii_strtoll (n, NULL, 10);
}

/* Whether @text is anywhere in the profile's files. */
static gboolean
files_hold (Fixture *f, const char *text)
{
  const char *suffixes[] = { "", "-wal" };
  gboolean read_any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &bytes, &len, NULL))
        continue;
      read_any = TRUE;
      if (memmem (bytes, len, text, strlen (text)) != NULL)
        return TRUE;
    }
  g_assert_true (read_any);
  return FALSE;
}

/* A note editor's draft: a section with @text. */
static JsonObject *
note_draft (const char *text)
{
  g_autofree char *json = g_strdup_printf ("{\"appointment_id\": \"a1\", \"approach_type\":"
                                           " \"soap\", \"note_content\": {\"sections\":"
                                           " {\"subjective\": \"%s\"}}}", text);
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (node));
}

static void
save_ok (Fixture *f, const char *form, const char *key, const char *text)
{
  g_autoptr(JsonObject) draft = note_draft (text);
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_drafts_save (f->vault, form, key, draft, &error));
  g_assert_no_error (error);
}

static const char *
subjective_of (JsonObject *draft)
{
  JsonObject *content = json_object_get_object_member (draft, "note_content");

  return json_object_get_string_member (json_object_get_object_member (content, "sections"),
                                        "subjective");
}

static void
test_encrypted (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *content = NULL;
  JsonObject *listed;

  save_ok (f, "session_notes", "new:a1", SECRET);
  /* The file holds an envelope, never the text. */
  content = query_text (f->path, "SELECT content FROM drafts");
  g_assert_true (tf_crypto_is_envelope (content));
  g_assert_false (files_hold (f, SECRET));
  /* ... and yet it is all there, with the account's keys. */
  back = tf_drafts_load (f->vault, "session_notes", "new:a1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (subjective_of (back), ==, SECRET);
  all = tf_drafts_list (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  listed = g_ptr_array_index (all, 0);
  g_assert_cmpstr (json_object_get_string_member (listed, "form"), ==, "session_notes");
  g_assert_cmpstr (json_object_get_string_member (listed, "record_key"), ==, "new:a1");
  g_assert_cmpstr (subjective_of (json_object_get_object_member (listed, "content")), ==,
                   SECRET);

  /* Saved again, it replaces the one there was. */
  save_ok (f, "session_notes", "new:a1", "δεύτερο");
  g_assert_cmpint (count_drafts (f), ==, 1);
  g_clear_pointer (&back, json_object_unref);
  back = tf_drafts_load (f->vault, "session_notes", "new:a1", &error);
  g_assert_cmpstr (subjective_of (back), ==, "δεύτερο");
}

static void
test_discarded (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) gone = NULL;
  g_autoptr(GError) error = NULL;

  save_ok (f, "session_notes", "new:a1", SECRET);
  save_ok (f, "journal_entries", "new", "ημερολόγιο");
  g_assert_cmpint (count_drafts (f), ==, 2);
  g_assert_true (tf_drafts_discard (f->vault, "session_notes", "new:a1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_drafts (f), ==, 1);
  gone = tf_drafts_load (f->vault, "session_notes", "new:a1", &error);
  g_assert_null (gone);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  /* None to discard is no error. */
  g_assert_true (tf_drafts_discard (f->vault, "session_notes", "new:a1", &error));
  g_assert_no_error (error);
  /* Signing out forgets them all. */
  g_assert_true (tf_drafts_discard_all (f->vault, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_drafts (f), ==, 0);
}

/* Moved to another record in the file, a draft does not open; nor is
 * plaintext ever taken in. */
static void
test_bound (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) moved = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ignored = NULL;

  save_ok (f, "session_notes", "new:a1", SECRET);
  ignored = query_text (f->path, "UPDATE drafts SET record_key = 'new:a2' RETURNING 1");
  moved = tf_drafts_load (f->vault, "session_notes", "new:a2", &error);
  g_assert_null (moved);
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);
  all = tf_drafts_list (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 0);

  g_assert_false (tf_store_put_draft (f->store, THERAPIST, "session_notes", "new:a3", SECRET,
                                      &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT);
  g_assert_false (files_hold (f, SECRET));
}

static void
test_locked_note (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *session = g_uuid_string_random ();
  g_autoptr(JsonObject) n = json_object_new ();
  g_autoptr(JsonObject) draft = note_draft (SECRET);
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (n, "session_id", session);
  json_object_set_string_member (n, "therapist_id", THERAPIST);
  json_object_set_string_member (n, "approach_type", "CBT");
  json_object_set_member (n, "note_content", json_from_string ("{\"S\": \"άγχος\"}", NULL));
  g_assert_true (tf_vault_put (f->vault, tf_registry_lookup ("session_notes"), id, n, &error));
  g_assert_no_error (error);
  /* Unlocked, it may have one; signed, never. */
  g_assert_true (tf_drafts_save (f->vault, "session_notes", id, draft, &error));
  g_assert_no_error (error);
  g_assert_true (tf_vault_lock_note (f->vault, id, &error));
  g_assert_no_error (error);
  g_assert_false (tf_drafts_save (f->vault, "session_notes", id, draft, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE);
  g_clear_error (&error);
  /* A form that writes no table has none either. */
  g_assert_false (tf_drafts_save (f->vault, "nothing", "new", draft, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT);
}

int
main (int argc, char **argv)
{
  g_autoptr(JsonObject) kdf = NULL;
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autofree char *recovery = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  kdf = tf_keys_new_kdf (TF_KEYS_KDF_OPSLIMIT_FLOOR, TF_KEYS_KDF_MEMLIMIT_FLOOR);
  g_assert_true (tf_keys_derive (kdf, "σωστός κωδικός", &auth, &account_kek, NULL));
  keys = tf_keys_create (kdf, account_kek, &account_keys, &recovery, NULL, NULL);
  g_assert_nonnull (keys);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/tf/drafts/encrypted", test_encrypted);
  ADD ("/tf/drafts/discarded", test_discarded);
  ADD ("/tf/drafts/bound-to-record", test_bound);
  ADD ("/tf/drafts/locked-note-has-none", test_locked_note);
#undef ADD
  ret = g_test_run ();

  json_object_unref (account_keys);
  tf_secret_free (account_kek);
  return ret;
}
