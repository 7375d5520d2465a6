/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-vault.c: the vault on real SQLite files — plain form in and out,
 * ciphertext only on disk, key grants that follow care relationships and
 * sharing flags, re-keying when a reader loses access, locked and signed
 * session notes, and conflict copies that become records of their own.
 *
 * Two accounts (a client and a therapist) are created once with the lowest
 * Argon2id cost a device accepts; each test opens their keys and gets two
 * fresh profiles, one per account.  What the other side can read is checked
 * with its own keys, never through the code under test alone.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-account-private.h"
#include "tf-availability.h"
#include "tf-booking.h"
#include "tf-checkin.h"
#include "tf-clinical.h"
#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-goals.h"
#include "tf-journal.h"
#include "tf-keys.h"
#include "tf-store-db.h"
#include "tf-signed.h"
#include "tf-store.h"
#include "tf-vault.h"

#define CLIENT    "5a0c2f11-6f0b-4d8e-8b6e-0f3c6f1d2a77"
#define THERAPIST "8e1d9c3a-2b4f-4c6d-9e8f-1a2b3c4d5e6f"
#define STRANGER  "0b6f4e2d-7c1a-4d3e-8f9a-6b5c4d3e2f1a"

/* The two accounts, made once: their "keys" objects and KEKs. */
static JsonObject *client_keys;
static JsonObject *therapist_keys;
static TfSecret *client_kek;
static TfSecret *therapist_kek;

static void
make_account (JsonObject **out_keys, TfSecret **out_kek)
{
  g_autoptr(JsonObject) kdf = tf_keys_new_kdf (TF_KEYS_KDF_OPSLIMIT_FLOOR,
                                               TF_KEYS_KDF_MEMLIMIT_FLOOR);
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfKeys) keys = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_keys_derive (kdf, "σωστός κωδικός", &auth, out_kek, &error));
  g_assert_no_error (error);
  keys = tf_keys_create (kdf, *out_kek, out_keys, &recovery, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keys);
}

static TfKeys *
open_keys (JsonObject *keys_json, const TfSecret *kek)
{
  g_autoptr(GError) error = NULL;
  TfKeys *keys = tf_keys_open (keys_json, kek, &error);

  g_assert_no_error (error);
  return keys;
}

typedef struct
{
  char    *dir;
  char    *path;            /* the client's profile */
  char    *therapist_path;  /* the therapist's profile */
  TfStore *store;
  TfStore *therapist_store;
  TfVault *client;
  TfVault *therapist;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("tf-vault-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "client.db", NULL);
  f->therapist_path = g_build_filename (f->dir, "therapist.db", NULL);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  f->therapist_store = tf_store_open (f->therapist_path, &error);
  g_assert_no_error (error);
  f->client = tf_vault_new (f->store, CLIENT, open_keys (client_keys, client_kek));
  f->therapist = tf_vault_new (f->therapist_store, THERAPIST,
                               open_keys (therapist_keys, therapist_kek));
  /* The therapist's device knows the client's keys (fetched for the care
   * relationship), which the client's key grants are checked with. */
  {
    const char *identity = json_object_get_string_member (client_keys, "identity_public_key");
    const char *signing = json_object_get_string_member (client_keys, "signing_public_key");
    const char *publics[] = { identity, signing, NULL };
    g_autofree char *fingerprint = tf_crypto_fingerprint (publics);

    g_assert_true (tf_store_remember_key (f->therapist_store, CLIENT, identity, signing,
                                          fingerprint, NULL, &error));
  }
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };
  const char *paths[] = { f->path, f->therapist_path };

  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->therapist);
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->therapist_store);
  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (paths[p], suffixes[i], NULL);
        g_unlink (file);
      }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->therapist_path);
  g_free (f->dir);
}

/* --- helpers --------------------------------------------------------------- */

/* The first column of the first row of @sql with one optional text
 * parameter, read through a connection of its own. */
static char *
query_text (const char *path, const char *sql, const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("“%s”: %s", sql, sqlite3_errmsg (db));
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

static gint64
query_int (const char *path, const char *sql, const char *param)
{
  g_autofree char *text = query_text (path, sql, param);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

static void
exec_raw (const char *path, const char *sql, const char *param)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (param != NULL)
    sqlite3_bind_text (stmt, 1, param, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static const TfTable *
table (const char *name)
{
  const TfTable *t = tf_registry_lookup (name);

  g_assert_nonnull (t);
  return t;
}

static JsonObject *
journal_plain (const char *content, gboolean shared)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "user_id", CLIENT);
  json_object_set_string_member (o, "title", "Τρίτη");
  json_object_set_string_member (o, "content", content);
  json_object_set_boolean_member (o, "is_private", TRUE);
  json_object_set_boolean_member (o, "therapist_shared", shared);
  json_object_set_string_member (o, "created_at", "2026-11-24T08:00:00Z");
  return o;
}

static JsonObject *
mood_plain (int value, const char *notes)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "user_id", CLIENT);
  json_object_set_int_member (o, "mood_value", value);
  json_object_set_string_member (o, "notes", notes);
  json_object_set_string_member (o, "created_at", "2026-11-24T09:00:00Z");
  return o;
}

static void
put_ok (TfVault *vault, const char *table_name, const char *id, JsonObject *plain)
{
  g_autoptr(GError) error = NULL;

  gboolean ok = tf_vault_put (vault, table (table_name), id, plain, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

static JsonObject *
get_ok (TfVault *vault, const char *table_name, const char *id)
{
  g_autoptr(GError) error = NULL;
  JsonObject *plain = tf_vault_get (vault, table (table_name), id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (plain);
  return plain;
}

/* The stored (wire) fields of a record. */
static TfRecord *
stored (TfStore *store, const char *table_name, const char *id)
{
  g_autoptr(GError) error = NULL;
  TfRecord *record = tf_store_get (store, table (table_name), id, &error);

  g_assert_no_error (error);
  return record;
}

static const char *
member (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  return json_node_get_string (node);
}

/* @vault learns the public keys of the account made with @keys. */
static void
remember (TfVault *vault, JsonObject *keys, const char *user_id, const char *email)
{
  const char *identity = json_object_get_string_member (keys, "identity_public_key");
  const char *signing = json_object_get_string_member (keys, "signing_public_key");
  const char *publics[] = { identity, signing, NULL };
  g_autofree char *fingerprint = tf_crypto_fingerprint (publics);
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_vault_remember_key (vault, user_id, identity, signing, fingerprint, email,
                                        &error));
  g_assert_no_error (error);
}

static void
remember_therapist (Fixture *f)
{
  remember (f->client, therapist_keys, THERAPIST, "therapist@example.gr");
}

/* A person's keys are pinned at first sight: other keys presented later
 * for the same person (a server wanting to read what is sealed to them)
 * are refused, and the pinned ones stay. */
static void
test_keys_pinned (Fixture *f, gconstpointer data)
{
  const char *identity = json_object_get_string_member (client_keys, "identity_public_key");
  const char *signing = json_object_get_string_member (client_keys, "signing_public_key");
  const char *publics[] = { identity, signing, NULL };
  g_autofree char *fingerprint = tf_crypto_fingerprint (publics);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) known = NULL;

  remember_therapist (f);
  /* The same keys again are fine. */
  remember_therapist (f);
  g_assert_false (tf_vault_remember_key (f->client, THERAPIST, identity, signing, fingerprint,
                                         "therapist@example.gr", &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED);
  known = tf_store_lookup_key (f->store, THERAPIST, NULL);
  g_assert_cmpstr (json_object_get_string_member (known, "identity_public_key"), ==,
                   json_object_get_string_member (therapist_keys, "identity_public_key"));
}

/* An active (or ended) care relationship between the two accounts. */
static void
put_care (Fixture *f, const char *id, gboolean active, gboolean share_mood)
{
  g_autoptr(JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "therapist_id", THERAPIST);
  json_object_set_string_member (o, "client_id", CLIENT);
  json_object_set_string_member (o, "status", active ? "active" : "ended");
  json_object_set_boolean_member (o, "share_mood", share_mood);
  json_object_set_boolean_member (o, "share_goals", FALSE);
  json_object_set_string_member (o, "started_at", "2026-11-01T10:00:00Z");
  if (!active)
    {
      json_object_set_string_member (o, "ended_at", "2026-11-30T10:00:00Z");
      json_object_set_string_member (o, "ended_by", CLIENT);
    }
  else
    {
      json_object_set_null_member (o, "ended_at");
      json_object_set_null_member (o, "ended_by");
    }
  put_ok (f->client, "care_relationships", id, o);
}

/* The live grant of record @id to @recipient in @path: its sealed key, or
 * NULL when there is none. */
static char *
grant_for (const char *path, const char *id, const char *recipient)
{
  g_autofree char *sql = g_strdup_printf ("SELECT sealed_key FROM key_grants WHERE record_id = ?1"
                                          " AND recipient_id = '%s' AND deleted_at IS NULL",
                                          recipient);

  return query_text (path, sql, id);
}

static gboolean
has_grant (const char *path, const char *id, const char *recipient)
{
  g_autofree char *sealed = grant_for (path, id, recipient);

  return sealed != NULL;
}

/* Moves a record from one profile to another as a pull would. */
/* What a pull does before it checks @record's signature on @to: fetch and
 * pin its signer's keys (here, from the two accounts' own), unless known. */
static void
pin_signer (TfStore *to, const TfRecord *record)
{
  const char *ids[] = { CLIENT, THERAPIST };
  JsonObject *keys[] = { client_keys, therapist_keys };

  for (guint i = 0; record->signature != NULL && i < G_N_ELEMENTS (ids); i++)
    {
      const char *signing = json_object_get_string_member (keys[i], "signing_public_key");
      const char *identity = json_object_get_string_member (keys[i], "identity_public_key");
      const char *publics[] = { identity, signing, NULL };
      g_autofree char *fingerprint = tf_crypto_fingerprint (publics);
      g_autoptr(JsonObject) known = tf_store_lookup_key (to, ids[i], NULL);
      g_autoptr(GError) error = NULL;

      if (known != NULL ||
          !tf_signed_record_verify (signing, record, record->revision, record->signature, NULL))
        continue;
      g_assert_true (tf_store_remember_key (to, ids[i], identity, signing, fingerprint, NULL,
                                            &error));
      g_assert_no_error (error);
    }
}

static void
deliver (TfStore *from, TfStore *to, const char *table_name, const char *id, gint64 version)
{
  g_autoptr(TfRecord) record = stored (from, table_name, id);
  g_autoptr(JsonArray) page = json_array_new ();
  g_autoptr(GError) error = NULL;

  g_autoptr(JsonArray) queued = tf_store_outbox_peek (from, 10000, &error);

  g_assert_no_error (error);
  /* With its author's signature, as the server serves it: the last one
   * queued for it. */
  for (guint i = 0; i < json_array_get_length (queued); i++)
    {
      JsonObject *m = json_array_get_object_element (queued, i);

      if (g_strcmp0 (json_object_get_string_member (m, "id"), id) != 0 ||
          !json_object_has_member (m, "signature"))
        continue;
      record->revision = json_object_get_int_member (m, "revision");
      g_free (record->signature);
      record->signature = g_strdup (json_object_get_string_member (m, "signature"));
    }
  record->version = version;
  json_array_add_element (page, tf_record_to_json (record));
  pin_signer (to, record);
  g_assert_true (tf_store_apply_pull (to, page, version, &error));
  g_assert_no_error (error);
}

static gint64
last_mutation (Fixture *f, const char *id)
{
  return query_int (f->path, "SELECT max(mutation_id) FROM outbox WHERE record_id = ?1", id);
}

/* --- round trip ------------------------------------------------------------ */

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *plan_id = g_uuid_string_random ();
  g_autoptr(JsonObject) plain = journal_plain ("Σήμερα ήταν δύσκολα.", FALSE);
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(TfRecord) row = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *first_enc_key = NULL;

  put_ok (f->client, "journal_entries", id, plain);
  back = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (member (back, "content"), ==, "Σήμερα ήταν δύσκολα.");
  g_assert_cmpstr (member (back, "title"), ==, "Τρίτη");
  g_assert_cmpstr (member (back, "id"), ==, id);
  g_assert_false (json_object_has_member (back, "enc_key"));
  /* On disk: an envelope bound to this record, and a wrapped key. */
  row = stored (f->store, "journal_entries", id);
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "content")));
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "title")));
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "enc_key")));
  first_enc_key = g_strdup (member (row->fields, "enc_key"));
  g_assert_cmpint (tf_store_outbox_count (f->store, NULL), ==, 1);

  /* An edit keeps the record's data key. */
  json_object_set_string_member (back, "content", "Αύριο καλύτερα.");
  put_ok (f->client, "journal_entries", id, back);
  g_clear_pointer (&row, tf_record_free);
  row = stored (f->store, "journal_entries", id);
  g_assert_cmpstr (member (row->fields, "enc_key"), ==, first_enc_key);
  list = tf_vault_list (f->client, table ("journal_entries"), "user_id", CLIENT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (member (g_ptr_array_index (list, 0), "content"), ==, "Αύριο καλύτερα.");
  g_assert_false (json_object_has_member (g_ptr_array_index (list, 0), "unreadable"));

  /* A JSONB column: any JSON value in, the same value out; the plaintext's
   * format is checked before it is encrypted. */
  {
    g_autoptr(JsonObject) plan = json_object_new ();
    g_autoptr(JsonObject) plan_back = NULL;
    g_autoptr(JsonNode) codes = json_from_string ("[\"F32.1\", {\"code\": \"F41.1\"}]", NULL);
    g_autoptr(JsonNode) goals = json_from_string ("{\"στόχος\": \"ύπνος\", \"εβδομάδες\": 8}",
                                                  NULL);

    json_object_set_string_member (plan, "client_id", CLIENT);
    json_object_set_string_member (plan, "therapist_id", THERAPIST);
    json_object_set_member (plan, "diagnosis_codes", json_node_copy (codes));
    json_object_set_member (plan, "treatment_goals", json_node_copy (goals));
    put_ok (f->therapist, "treatment_plans", plan_id, plan);
    plan_back = get_ok (f->therapist, "treatment_plans", plan_id);
    g_assert_true (json_node_equal (json_object_get_member (plan_back, "diagnosis_codes"), codes));
    g_assert_true (json_node_equal (json_object_get_member (plan_back, "treatment_goals"), goals));
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (plan_back, "interventions")));

    json_object_set_member (plan, "diagnosis_codes", json_from_string ("[\"depression\"]", NULL));
    g_assert_false (tf_vault_put (f->therapist, table ("treatment_plans"), plan_id, plan, &error));
    g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
    g_clear_error (&error);
    g_clear_pointer (&plan_back, json_object_unref);
    plan_back = get_ok (f->therapist, "treatment_plans", plan_id);
    g_assert_true (json_node_equal (json_object_get_member (plan_back, "diagnosis_codes"), codes));
  }

  /* Another account's profile cannot open it: not shared. */
  deliver (f->store, f->therapist_store, "journal_entries", id, 3);
  g_assert_null (tf_vault_get (f->therapist, table ("journal_entries"), id, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NO_KEY);
  g_clear_error (&error);
  {
    g_autoptr(GPtrArray) theirs = tf_vault_list (f->therapist, table ("journal_entries"), NULL,
                                                 NULL, &error);
    JsonObject *entry;

    g_assert_no_error (error);
    g_assert_cmpuint (theirs->len, ==, 1);
    entry = g_ptr_array_index (theirs, 0);
    g_assert_true (json_object_get_boolean_member (entry, "unreadable"));
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (entry, "content")));
    /* The title is encrypted too (0010): nothing of the text shows. */
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (entry, "title")));
  }
}

static void
test_file_holds_no_plaintext (Fixture *f, gconstpointer data)
{
  static const char *secrets[] = {
    "ΜΥΣΤΙΚΟ-ΗΜΕΡΟΛΟΓΙΟ-7", "ΜΥΣΤΙΚΗ-ΣΗΜΕΙΩΣΗ-8", "ΜΥΣΤΙΚΟΣ-ΚΙΝΔΥΝΟΣ-9",
  };
  g_autofree char *journal = g_uuid_string_random ();
  g_autofree char *mood = g_uuid_string_random ();
  g_autofree char *note = g_uuid_string_random ();
  g_autoptr(JsonObject) j = journal_plain (secrets[0], FALSE);
  g_autoptr(JsonObject) m = mood_plain (4, secrets[1]);
  g_autoptr(JsonObject) n = json_object_new ();
  g_autofree char *risk = g_strdup_printf ("{\"level\": \"low\", \"note\": \"%s\"}", secrets[2]);
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *therapist_wal = g_strconcat (f->therapist_path, "-wal", NULL);
  const char *files[] = { f->path, wal, f->therapist_path, therapist_wal };
  gboolean read_any = FALSE;

  put_ok (f->client, "journal_entries", journal, j);
  put_ok (f->client, "mood_entries", mood, m);
  json_object_set_string_member (n, "session_id", journal);
  json_object_set_string_member (n, "therapist_id", THERAPIST);
  json_object_set_member (n, "risk_assessment", json_from_string (risk, NULL));
  put_ok (f->therapist, "session_notes", note, n);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *bytes = NULL;
      gsize len;

      if (!g_file_get_contents (files[i], &bytes, &len, NULL))
        continue;
      read_any = TRUE;
      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        g_assert_null (memmem (bytes, len, secrets[s], strlen (secrets[s])));
    }
  g_assert_true (read_any);
  /* ... and yet it is all there. */
  {
    g_autoptr(JsonObject) back = get_ok (f->client, "mood_entries", mood);
    g_autoptr(JsonObject) note_back = get_ok (f->therapist, "session_notes", note);
    JsonObject *assessment = json_object_get_object_member (note_back, "risk_assessment");

    g_assert_cmpstr (member (back, "notes"), ==, secrets[1]);
    g_assert_cmpstr (member (assessment, "note"), ==, secrets[2]);
  }
}

/* --- sharing --------------------------------------------------------------- */

static void
test_share_makes_grant (Fixture *f, gconstpointer data)
{
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *shared = g_uuid_string_random ();
  g_autofree char *private_id = g_uuid_string_random ();
  g_autoptr(JsonObject) a = journal_plain ("Για τη θεραπεύτριά μου.", TRUE);
  g_autoptr(JsonObject) b = journal_plain ("Μόνο για μένα.", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  guint pending = 99;

  remember_therapist (f);
  put_care (f, care, TRUE, FALSE);
  put_ok (f->client, "journal_entries", shared, a);
  put_ok (f->client, "journal_entries", private_id, b);

  /* The shared entry has a grant (queued to sync); the private one none. */
  sealed = grant_for (f->path, shared, THERAPIST);
  g_assert_nonnull (sealed);
  g_assert_false (has_grant (f->path, private_id, THERAPIST));
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE table_name = 'key_grants'"
                                       " AND op = 'upsert'", NULL), ==, 1);
  g_assert_true (tf_vault_reconcile_shares (f->client, &pending, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pending, ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM key_grants", NULL), ==, 1);

  /* The therapist's own keys open the grant and the content. */
  {
    g_autoptr(TfSecret) key = tf_keys_open_grant (tf_vault_get_keys (f->therapist), sealed,
                                                  &error);
    g_autoptr(TfRecord) row = stored (f->store, "journal_entries", shared);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = tf_crypto_decrypt_field (key, "journal_entries", shared, "content",
                                    member (row->fields, "content"), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "Για τη θεραπεύτριά μου.");
  }
  /* ... and so does their vault, once both records reached their device. */
  {
    g_autofree char *grant_id = query_text (f->path, "SELECT id FROM key_grants"
                                                     " WHERE record_id = ?1", shared);
    g_autoptr(JsonObject) theirs = NULL;

    deliver (f->store, f->therapist_store, "journal_entries", shared, 5);
    deliver (f->store, f->therapist_store, "key_grants", grant_id, 6);
    theirs = get_ok (f->therapist, "journal_entries", shared);
    g_assert_cmpstr (member (theirs, "content"), ==, "Για τη θεραπεύτριά μου.");
  }

  /* Mood is shared by the relationship's flag, and only with a known key. */
  {
    g_autofree char *mood = g_uuid_string_random ();
    g_autofree char *other_care = g_uuid_string_random ();
    g_autoptr(JsonObject) m = mood_plain (6, "κούραση");
    g_autoptr(JsonObject) o = json_object_new ();

    put_ok (f->client, "mood_entries", mood, m);
    g_assert_false (has_grant (f->path, mood, THERAPIST));
    put_care (f, care, TRUE, TRUE);
    g_assert_true (has_grant (f->path, mood, THERAPIST));

    /* A second therapist whose key this device has not seen: pending. */
    json_object_set_string_member (o, "therapist_id", STRANGER);
    json_object_set_string_member (o, "client_id", CLIENT);
    json_object_set_string_member (o, "status", "active");
    json_object_set_boolean_member (o, "share_mood", TRUE);
    put_ok (f->client, "care_relationships", other_care, o);
    g_assert_true (tf_vault_reconcile_shares (f->client, &pending, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (pending, ==, 2); /* the shared journal entry and the mood entry */
    g_assert_false (has_grant (f->path, mood, STRANGER));
  }

  /* A fingerprint that is not the keys' is refused. */
  {
    const char *identity = json_object_get_string_member (client_keys, "identity_public_key");
    const char *signing = json_object_get_string_member (client_keys, "signing_public_key");

    g_assert_false (tf_vault_remember_key (f->therapist, CLIENT, identity, signing,
                                           "0000 0000 0000 0000 0000 0000 0000 0000 0000 0000",
                                           NULL, &error));
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
  }
}

/* Shares @id with the therapist and returns the data key they received. */
static TfSecret *
share_and_take_key (Fixture *f, const char *care, const char *id)
{
  g_autoptr(JsonObject) a = journal_plain ("Πρώτο κείμενο.", TRUE);
  g_autofree char *sealed = NULL;
  g_autoptr(GError) error = NULL;
  TfSecret *key;

  remember_therapist (f);
  put_care (f, care, TRUE, FALSE);
  put_ok (f->client, "journal_entries", id, a);
  sealed = grant_for (f->path, id, THERAPIST);
  g_assert_nonnull (sealed);
  key = tf_keys_open_grant (tf_vault_get_keys (f->therapist), sealed, &error);
  g_assert_no_error (error);
  return key;
}

/* TRUE when @key opens the current content of journal entry @id. */
static gboolean
key_opens (Fixture *f, const TfSecret *key, const char *id)
{
  g_autoptr(TfRecord) row = stored (f->store, "journal_entries", id);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = tf_crypto_decrypt_field (key, "journal_entries", id, "content",
                                                   member (row->fields, "content"), &error);

  if (text == NULL)
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT);
  return text != NULL;
}

static void
test_unshare_rekeys (Fixture *f, gconstpointer data)
{
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(TfSecret) old_key = share_and_take_key (f, care, id);
  g_autoptr(TfRecord) before = stored (f->store, "journal_entries", id);
  g_autoptr(TfRecord) after = NULL;
  g_autoptr(JsonObject) plain = get_ok (f->client, "journal_entries", id);
  g_autoptr(JsonObject) back = NULL;
  g_autofree char *grant_id = query_text (f->path, "SELECT id FROM key_grants WHERE record_id = ?1",
                                          id);

  g_assert_true (key_opens (f, old_key, id));

  /* Unshared together with new words: the new words are never under the old key. */
  json_object_set_boolean_member (plain, "therapist_shared", FALSE);
  json_object_set_string_member (plain, "content", "Δεύτερο κείμενο, όχι για εκείνη.");
  put_ok (f->client, "journal_entries", id, plain);
  after = stored (f->store, "journal_entries", id);
  g_assert_cmpstr (member (after->fields, "enc_key"), !=, member (before->fields, "enc_key"));
  g_assert_false (key_opens (f, old_key, id));
  g_assert_false (has_grant (f->path, id, THERAPIST));
  /* The grant's deletion travels. */
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE op = 'delete'"
                                       " AND record_id = ?1", grant_id), ==, 1);
  /* Re-keyed within the edit itself: the queued edit was never under the
   * old key, and there is no second write. */
  {
    g_autofree char *queued = query_text (f->path, "SELECT json_extract(fields, '$.content')"
                                                   " FROM outbox WHERE record_id = ?1"
                                                   " ORDER BY mutation_id DESC LIMIT 1", id);
    g_autoptr(GError) error = NULL;

    g_assert_nonnull (queued);
    g_assert_null (tf_crypto_decrypt_field (old_key, "journal_entries", id, "content", queued,
                                            &error));
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT);
    g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1",
                                id), ==, 2);
  }
  back = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (member (back, "content"), ==, "Δεύτερο κείμενο, όχι για εκείνη.");
}

/* Deleting a care relationship is ordered as ending it is: the delete goes
 * to the server after the re-key and the grant's deletion it made. */
static void
test_care_deleted_rekeys_first (Fixture *f, gconstpointer data)
{
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(TfSecret) old_key = share_and_take_key (f, care, id);
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_vault_delete (f->client, table ("care_relationships"), care, &error));
  g_assert_no_error (error);
  g_assert_false (has_grant (f->path, id, THERAPIST));
  g_assert_false (key_opens (f, old_key, id));
  g_assert_cmpint (query_int (f->path, "SELECT max(mutation_id) FROM outbox WHERE op = 'delete'"
                                       " AND table_name = 'care_relationships' AND"
                                       " record_id = ?1", care), ==,
                   query_int (f->path, "SELECT max(mutation_id) FROM outbox WHERE ?1 = ?1", care));
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE op = 'delete' AND"
                                       " table_name = 'key_grants' AND mutation_id < (SELECT"
                                       " max(mutation_id) FROM outbox WHERE record_id = ?1)",
                              care), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1 AND"
                                       " mutation_id < (SELECT max(mutation_id) FROM outbox"
                                       " WHERE table_name = 'care_relationships')", id), >=, 1);
}

static void
test_care_ended_rekeys (Fixture *f, gconstpointer data)
{
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(TfSecret) old_key = share_and_take_key (f, care, id);
  g_autoptr(TfRecord) before = stored (f->store, "journal_entries", id);
  g_autoptr(TfRecord) after = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(JsonObject) edit = NULL;

  /* Ending the care relationship takes the therapist's access away. */
  put_care (f, care, FALSE, FALSE);
  g_assert_false (has_grant (f->path, id, THERAPIST));
  /* The end goes to the server last, after the re-key and the grant's
   * deletion: a push cut in between leaves the relationship as it was. */
  g_assert_cmpint (query_int (f->path, "SELECT max(mutation_id) FROM outbox WHERE"
                                       " table_name = 'care_relationships' AND record_id = ?1",
                              care), ==,
                   query_int (f->path, "SELECT max(mutation_id) FROM outbox WHERE ?1 = ?1", care));
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE op = 'delete' AND"
                                       " table_name = 'key_grants' AND mutation_id < (SELECT"
                                       " max(mutation_id) FROM outbox WHERE record_id = ?1)",
                              care), ==, 1);
  after = stored (f->store, "journal_entries", id);
  g_assert_cmpstr (member (after->fields, "enc_key"), !=, member (before->fields, "enc_key"));
  g_assert_false (key_opens (f, old_key, id));
  back = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (member (back, "content"), ==, "Πρώτο κείμενο.");
  g_assert_true (json_object_get_boolean_member (back, "therapist_shared"));

  /* Later edits keep the new key, still out of the old one's reach. */
  edit = get_ok (f->client, "journal_entries", id);
  json_object_set_string_member (edit, "content", "Μετά το τέλος.");
  put_ok (f->client, "journal_entries", id, edit);
  g_assert_false (key_opens (f, old_key, id));
  g_assert_false (has_grant (f->path, id, THERAPIST));

  /* Care again: a new grant with the current key. */
  put_care (f, care, TRUE, FALSE);
  {
    g_autofree char *sealed = grant_for (f->path, id, THERAPIST);
    g_autoptr(TfSecret) new_key = NULL;

    g_assert_nonnull (sealed);
    new_key = tf_keys_open_grant (tf_vault_get_keys (f->therapist), sealed, NULL);
    g_assert_true (key_opens (f, new_key, id));
  }
}

/* --- locked notes ---------------------------------------------------------- */

static char *
locked_note (Fixture *f)
{
  char *id = g_uuid_string_random ();
  g_autofree char *session = g_uuid_string_random ();
  g_autoptr(JsonObject) n = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (n, "session_id", session);
  json_object_set_string_member (n, "therapist_id", THERAPIST);
  json_object_set_string_member (n, "approach_type", "CBT");
  json_object_set_member (n, "note_content",
                          json_from_string ("{\"S\": \"άγχος\", \"A\": \"βελτίωση\"}", NULL));
  put_ok (f->therapist, "session_notes", id, n);
  g_assert_true (tf_vault_lock_note (f->therapist, id, &error));
  g_assert_no_error (error);
  return id;
}

/* Locked here while the other device changed the note: the signature was
 * made over what this device saw, so the lock must not merge silently over
 * the other change (it would leave a note locked with a signature that
 * never verifies).  Both versions stay for the therapist to choose. */
static void
test_lock_meets_other_edit (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *session = g_uuid_string_random ();
  g_autofree char *sql = NULL;
  g_autoptr(JsonObject) n = json_object_new ();
  g_autoptr(TfRecord) synced = NULL;
  g_autoptr(JsonNode) server = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(JsonObject) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *results_json = NULL;
  TfMergeOutcome outcome = TF_MERGE_AUTOMATIC;
  gint64 mutation;

  json_object_set_string_member (n, "session_id", session);
  json_object_set_string_member (n, "therapist_id", THERAPIST);
  json_object_set_string_member (n, "approach_type", "CBT");
  json_object_set_member (n, "note_content", json_from_string ("{\"S\": \"άγχος\"}", NULL));
  put_ok (f->therapist, "session_notes", id, n);
  sql = g_strdup_printf ("SELECT max(mutation_id) FROM outbox WHERE record_id = '%s'", id);
  mutation = query_int (f->therapist_path, sql, NULL);
  results_json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                                  " \"applied\", \"version\": 1}]", mutation);
  results = json_from_string (results_json, NULL);
  g_assert_true (tf_store_apply_push_results (f->therapist_store, json_node_get_array (results),
                                              NULL, &error));
  g_assert_no_error (error);

  /* The other device changed the approach meanwhile. */
  synced = stored (f->therapist_store, "session_notes", id);
  json_object_set_string_member (synced->fields, "approach_type", "DBT");
  synced->version = 2;
  server = tf_record_to_json (synced);

  g_assert_true (tf_vault_lock_note (f->therapist, id, &error));
  g_assert_no_error (error);
  mutation = query_int (f->therapist_path, sql, NULL);
  g_assert_true (tf_store_merge_conflict (f->therapist_store, mutation, server, &outcome,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TF_MERGE_CONFLICT_COPY);
  /* The record is the other device's, unlocked; nothing invalid is queued. */
  row = get_ok (f->therapist, "session_notes", id);
  g_assert_cmpstr (member (row, "approach_type"), ==, "DBT");
  g_assert_null (member (row, "locked_at"));
}

static void
test_locked_note_refuses_changes (Fixture *f, gconstpointer data)
{
  g_autofree char *id = locked_note (f);
  g_autoptr(JsonObject) plain = get_ok (f->therapist, "session_notes", id);
  g_autoptr(TfRecord) before = stored (f->therapist_store, "session_notes", id);
  g_autoptr(TfRecord) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fresh = json_object_new ();
  g_autofree char *other = g_uuid_string_random ();
  gint64 queued = tf_store_outbox_count (f->therapist_store, NULL);

  g_assert_nonnull (member (plain, "locked_at"));
  g_assert_true (g_str_has_suffix (member (plain, "locked_at"), "Z"));
  g_assert_nonnull (member (plain, "signature"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (plain,
                                                                               "note_content"),
                                                  "S"), ==, "άγχος");

  json_object_set_string_member (plain, "approach_type", "DBT");
  g_assert_false (tf_vault_put (f->therapist, table ("session_notes"), id, plain, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  g_clear_error (&error);
  json_object_set_null_member (plain, "locked_at");
  json_object_set_null_member (plain, "signature");
  g_assert_false (tf_vault_put (f->therapist, table ("session_notes"), id, plain, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE);
  g_clear_error (&error);
  g_assert_false (tf_vault_delete (f->therapist, table ("session_notes"), id, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE);
  g_clear_error (&error);
  g_assert_false (tf_vault_lock_note (f->therapist, id, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE);
  g_clear_error (&error);

  /* Nothing changed, nothing was queued. */
  after = stored (f->therapist_store, "session_notes", id);
  g_assert_false (after->deleted);
  {
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), before->fields);
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), after->fields);
    g_assert_true (json_node_equal (a, b));
  }
  g_assert_cmpint (tf_store_outbox_count (f->therapist_store, NULL), ==, queued);

  /* Locking is the author's: the client cannot lock a note it holds. */
  json_object_set_string_member (fresh, "session_id", id);
  json_object_set_string_member (fresh, "therapist_id", THERAPIST);
  put_ok (f->client, "session_notes", other, fresh);
  g_assert_false (tf_vault_lock_note (f->client, other, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER);
}

static void
test_tampered_signature (Fixture *f, gconstpointer data)
{
  g_autofree char *good = locked_note (f);
  g_autofree char *bad = locked_note (f);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  /* Someone with the file (or a server) moves the note to another approach. */
  exec_raw (f->therapist_path, "UPDATE session_notes SET approach_type = 'EMDR' WHERE id = ?1",
            bad);
  g_assert_null (tf_vault_get (f->therapist, table ("session_notes"), bad, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  {
    g_autoptr(JsonObject) ok = get_ok (f->therapist, "session_notes", good);
  }

  list = tf_vault_list (f->therapist, table ("session_notes"), NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      JsonObject *note = g_ptr_array_index (list, i);

      g_assert_cmpint (json_object_get_boolean_member (note, "signature_valid"), ==,
                       strcmp (member (note, "id"), good) == 0);
      seen++;
    }
  g_assert_cmpuint (seen, ==, 2);

  /* A forged signature fails the same way. */
  exec_raw (f->therapist_path, "UPDATE session_notes SET approach_type = 'CBT' WHERE id = ?1",
            bad);
  {
    g_autoptr(JsonObject) restored = get_ok (f->therapist, "session_notes", bad);
    g_autofree char *sql = g_strdup_printf ("UPDATE session_notes SET signature = (SELECT"
                                            " signature FROM session_notes WHERE id = '%s')"
                                            " WHERE id = ?1", good);
    exec_raw (f->therapist_path, sql, bad);
  }
  g_assert_null (tf_vault_get (f->therapist, table ("session_notes"), bad, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* Another device verifies with the author's public key from known_keys. */
  {
    const char *identity = json_object_get_string_member (therapist_keys, "identity_public_key");
    const char *signing = json_object_get_string_member (therapist_keys, "signing_public_key");
    g_autoptr(JsonObject) theirs = NULL;

    /* (The pull pins the author's key before it takes the note: a record
     * is checked against its author's signature as it arrives.) */
    deliver (f->therapist_store, f->store, "session_notes", good, 9);
    g_assert_true (tf_vault_remember_key (f->client, THERAPIST, identity, signing, NULL, NULL,
                                          &error));
    g_assert_no_error (error);
    /* Verified (the content itself is the therapist's alone). */
    g_assert_null (tf_vault_get (f->client, table ("session_notes"), good, &error));
    g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NO_KEY);
  }
}

/* --- conflicts -------------------------------------------------------------- */

/* A journal entry this device wrote and the server applied as version 1;
 * then another device changed its text to @server_text (version 2) while
 * this one changed it to @local_text: the push conflict is merged here.
 * Returns the copy's id; @out_id receives the entry's. */
static char *
make_conflict (Fixture *f, const char *table_name, JsonObject *plain, const char *column,
               const char *server_text, const char *local_text, char **out_id)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfRecord) base = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(JsonNode) server = NULL;
  g_autofree char *results_json = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autofree char *envelope = NULL;
  TfMergeOutcome outcome;

  put_ok (f->client, table_name, id, plain);
  results_json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                                  " \"applied\", \"version\": 1}]", last_mutation (f, id));
  results = json_from_string (results_json, NULL);
  g_assert_true (tf_store_apply_push_results (f->store, json_node_get_array (results), NULL,
                                              &error));
  g_assert_no_error (error);

  /* The other device's text, under the record's own data key. */
  base = stored (f->store, table_name, id);
  key = tf_keys_open_data_key (tf_vault_get_keys (f->client), member (base->fields, "enc_key"),
                               &error);
  g_assert_no_error (error);
  envelope = tf_crypto_encrypt_field (key, table_name, id, column, server_text, &error);
  json_object_set_string_member (base->fields, column, envelope);
  base->version = 2;
  server = tf_record_to_json (base);

  edit = get_ok (f->client, table_name, id);
  json_object_set_string_member (edit, column, local_text);
  put_ok (f->client, table_name, id, edit);
  g_assert_true (tf_store_merge_conflict (f->store, last_mutation (f, id), server, &outcome,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TF_MERGE_CONFLICT_COPY);
  *out_id = g_steal_pointer (&id);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT id FROM %s WHERE conflict_of = ?1",
                                            table_name);
    return query_text (f->path, sql, *out_id);
  }
}

static char *
journal_conflict (Fixture *f, char **out_id)
{
  g_autoptr(JsonObject) plain = journal_plain ("Αρχικό κείμενο.", TRUE);

  return make_conflict (f, "journal_entries", plain, "content", "Από το κινητό.",
                        "Από τον υπολογιστή.", out_id);
}

static gint64
outbox_ops (Fixture *f, const char *id, const char *op)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE record_id = ?1"
                                          " AND op = '%s'", op);

  return query_int (f->path, sql, id);
}

static void
test_conflict_copy_syncs (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *copy_id = journal_conflict (f, &id);
  g_autoptr(TfRecord) copy = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) original = NULL;
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *text = NULL;

  g_assert_nonnull (copy_id);
  g_assert_cmpint (tf_store_conflict_count (f->store, table ("journal_entries"), NULL), ==, 1);
  /* The server's text is the entry; lists do not show the copy. */
  original = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (member (original, "content"), ==, "Από το κινητό.");

  /* The copy is a record of its own: its own data key, bound to its id,
   * unshared, and queued as a new record. */
  copy = stored (f->store, "journal_entries", copy_id);
  g_assert_false (json_object_get_boolean_member (copy->fields, "therapist_shared"));
  key = tf_keys_open_data_key (tf_vault_get_keys (f->client), member (copy->fields, "enc_key"),
                               &error);
  g_assert_no_error (error);
  text = tf_crypto_decrypt_field (key, "journal_entries", copy_id, "content",
                                  member (copy->fields, "content"), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "Από τον υπολογιστή.");
  g_assert_null (tf_crypto_decrypt_field (key, "journal_entries", id, "content",
                                          member (copy->fields, "content"), &error));
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1"
                                       " AND op = 'upsert' AND base_version = 0"
                                       " AND json_extract(fields, '$.therapist_shared') = 0",
                              copy_id), ==, 1);
  /* conflict_of is this device's bookkeeping: it never travels. */
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox"
                                       " WHERE fields LIKE '%conflict_of%'", NULL), ==, 0);

  conflicts = tf_vault_list_conflicts (f->client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  {
    JsonObject *c = g_ptr_array_index (conflicts, 0);

    g_assert_cmpstr (member (c, "table"), ==, "journal_entries");
    g_assert_cmpstr (member (c, "id"), ==, copy_id);
    g_assert_cmpstr (member (c, "original_id"), ==, id);
    g_assert_cmpstr (member (json_object_get_object_member (c, "local"), "content"), ==,
                     "Από τον υπολογιστή.");
    g_assert_cmpstr (member (json_object_get_object_member (c, "server"), "content"), ==,
                     "Από το κινητό.");
  }
}

static void
test_resolve_keep_local (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *copy_id = journal_conflict (f, &id);
  g_autoptr(TfRecord) before = stored (f->store, "journal_entries", id);
  g_autoptr(TfRecord) after = NULL;
  g_autoptr(TfRecord) copy = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(GError) error = NULL;
  gint64 upserts = outbox_ops (f, id, "upsert");

  g_assert_true (tf_vault_resolve_conflict (f->client, copy_id, TF_KEEP_LOCAL, &error));
  g_assert_no_error (error);
  back = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (member (back, "content"), ==, "Από τον υπολογιστή.");
  /* The original's sharing and data key stay; the change is queued. */
  g_assert_true (json_object_get_boolean_member (back, "therapist_shared"));
  after = stored (f->store, "journal_entries", id);
  g_assert_cmpstr (member (after->fields, "enc_key"), ==, member (before->fields, "enc_key"));
  g_assert_cmpint (outbox_ops (f, id, "upsert"), ==, upserts + 1);
  /* The copy was queued, so it goes as a queued delete. */
  copy = stored (f->store, "journal_entries", copy_id);
  g_assert_true (copy->deleted);
  g_assert_cmpint (outbox_ops (f, copy_id, "delete"), ==, 1);
  g_assert_cmpint (tf_store_conflict_count (f->store, table ("journal_entries"), NULL), ==, 0);
  g_assert_false (tf_vault_resolve_conflict (f->client, copy_id, TF_KEEP_LOCAL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
}

static void
test_resolve_keep_server (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *copy_id = journal_conflict (f, &id);
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(TfRecord) copy = NULL;
  g_autoptr(GError) error = NULL;
  gint64 upserts = outbox_ops (f, id, "upsert");

  g_assert_true (tf_vault_resolve_conflict (f->client, copy_id, TF_KEEP_SERVER, &error));
  g_assert_no_error (error);
  back = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (member (back, "content"), ==, "Από το κινητό.");
  g_assert_cmpint (outbox_ops (f, id, "upsert"), ==, upserts);
  copy = stored (f->store, "journal_entries", copy_id);
  g_assert_true (copy->deleted);
  g_assert_cmpint (outbox_ops (f, copy_id, "delete"), ==, 1);
  g_assert_cmpint (tf_store_conflict_count (f->store, table ("journal_entries"), NULL), ==, 0);
}

static void
test_resolve_keep_both (Fixture *f, gconstpointer data)
{
  g_autofree char *id = NULL;
  g_autofree char *copy_id = journal_conflict (f, &id);
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saw_copy = FALSE, saw_original = FALSE;

  g_assert_true (tf_vault_resolve_conflict (f->client, copy_id, TF_KEEP_BOTH, &error));
  g_assert_no_error (error);
  g_assert_null (query_text (f->path, "SELECT conflict_of FROM journal_entries WHERE id = ?1",
                             copy_id));
  /* Already queued when it was made: not queued twice, nothing deleted. */
  g_assert_cmpint (outbox_ops (f, copy_id, "upsert"), ==, 1);
  g_assert_cmpint (outbox_ops (f, copy_id, "delete"), ==, 0);
  list = tf_vault_list (f->client, table ("journal_entries"), NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  for (guint i = 0; i < list->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (list, i);

      saw_copy |= g_strcmp0 (member (entry, "content"), "Από τον υπολογιστή.") == 0 &&
                  g_strcmp0 (member (entry, "id"), copy_id) == 0;
      saw_original |= g_strcmp0 (member (entry, "content"), "Από το κινητό.") == 0;
    }
  g_assert_true (saw_copy && saw_original);
}

/* Without the vault's copy function: a table with encrypted columns keeps
 * its copy on the device (ciphertext still bound to the original), a table
 * without them syncs it, and a copy that must not sync waits. */
static void
test_conflict_copy_without_vault (Fixture *f, gconstpointer data)
{
  g_autofree char *mood = NULL, *mood_copy = NULL;
  g_autoptr(JsonObject) m = mood_plain (5, "πρωί");
  g_autoptr(GError) error = NULL;

  tf_store_set_copy_func (f->store, NULL, NULL, NULL);
  mood_copy = make_conflict (f, "mood_entries", m, "notes", "βράδυ", "μεσημέρι", &mood);
  g_assert_nonnull (mood_copy);
  g_assert_cmpint (outbox_ops (f, mood_copy, "upsert"), ==, 0);
  {
    g_autoptr(GPtrArray) conflicts = tf_vault_list_conflicts (f->client, &error);
    JsonObject *c;

    g_assert_no_error (error);
    g_assert_cmpuint (conflicts->len, ==, 1);
    c = g_ptr_array_index (conflicts, 0);
    g_assert_cmpstr (member (json_object_get_object_member (c, "local"), "notes"), ==,
                     "μεσημέρι");
  }
  /* Kept as a record: bound to its own id first, then queued. */
  g_assert_true (tf_vault_resolve_conflict (f->client, mood_copy, TF_KEEP_BOTH, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outbox_ops (f, mood_copy, "upsert"), ==, 1);
  {
    g_autoptr(TfRecord) copy = stored (f->store, "mood_entries", mood_copy);
    g_autoptr(TfSecret) key = tf_keys_open_data_key (tf_vault_get_keys (f->client),
                                                     member (copy->fields, "enc_key"), &error);
    g_autofree char *text = tf_crypto_decrypt_field (key, "mood_entries", mood_copy, "notes",
                                                     member (copy->fields, "notes"), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (text, ==, "μεσημέρι");
  }

  /* goals have nothing encrypted: the copy syncs without help. */
  {
    g_autofree char *goal = g_uuid_string_random ();
    g_autofree char *goal_copy = NULL;
    g_autofree char *results_json = NULL;
    g_autoptr(JsonNode) results = NULL;
    g_autoptr(JsonObject) g = json_object_new ();
    g_autoptr(TfRecord) server = NULL;
    g_autoptr(JsonNode) server_node = NULL;
    TfMergeOutcome outcome;

    json_object_set_string_member (g, "user_id", CLIENT);
    json_object_set_string_member (g, "title", "Περπάτημα");
    put_ok (f->client, "goals", goal, g);
    results_json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                                    " \"applied\", \"version\": 1}]", last_mutation (f, goal));
    results = json_from_string (results_json, NULL);
    g_assert_true (tf_store_apply_push_results (f->store, json_node_get_array (results), NULL,
                                                &error));
    server = stored (f->store, "goals", goal);
    json_object_set_string_member (server->fields, "title", "Τρέξιμο");
    server->version = 2;
    server_node = tf_record_to_json (server);
    json_object_set_string_member (g, "title", "Κολύμπι");
    put_ok (f->client, "goals", goal, g);
    g_assert_true (tf_store_merge_conflict (f->store, last_mutation (f, goal), server_node,
                                            &outcome, &error));
    g_assert_cmpint (outcome, ==, TF_MERGE_CONFLICT_COPY);
    goal_copy = query_text (f->path, "SELECT id FROM goals WHERE conflict_of = ?1", goal);
    g_assert_nonnull (goal_copy);
    g_assert_cmpint (outbox_ops (f, goal_copy, "upsert"), ==, 1);
  }

  /* goal_progress: the copy keeps the day's unique index happy and waits here. */
  {
    const TfTable *progress = table ("goal_progress");
    g_autofree char *goal = g_uuid_string_random ();
    g_autofree char *day = g_uuid_string_random ();
    g_autofree char *day_copy = NULL;
    g_autofree char *results_json = NULL;
    g_autoptr(JsonNode) results = NULL;
    g_autoptr(JsonObject) p = json_object_new ();
    g_autoptr(TfRecord) server = NULL;
    g_autoptr(JsonNode) server_node = NULL;
    TfMergeOutcome outcome;

    json_object_set_string_member (p, "goal_id", goal);
    json_object_set_string_member (p, "completed_date", "2026-11-24");
    json_object_set_string_member (p, "notes", "μισή ώρα");
    g_assert_true (tf_store_put (f->store, progress, day, p, &error));
    results_json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                                    " \"applied\", \"version\": 1}]", last_mutation (f, day));
    results = json_from_string (results_json, NULL);
    g_assert_true (tf_store_apply_push_results (f->store, json_node_get_array (results), NULL,
                                                &error));
    server = stored (f->store, "goal_progress", day);
    json_object_set_string_member (server->fields, "notes", "μία ώρα");
    server->version = 2;
    server_node = tf_record_to_json (server);
    json_object_set_string_member (p, "notes", "είκοσι λεπτά");
    g_assert_true (tf_store_put (f->store, progress, day, p, &error));
    g_assert_true (tf_store_merge_conflict (f->store, last_mutation (f, day), server_node,
                                            &outcome, &error));
    g_assert_no_error (error);
    g_assert_cmpint (outcome, ==, TF_MERGE_CONFLICT_COPY);
    day_copy = query_text (f->path, "SELECT id FROM goal_progress WHERE conflict_of = ?1", day);
    g_assert_nonnull (day_copy);
    g_assert_cmpint (outbox_ops (f, day_copy, "upsert"), ==, 0);
    /* One entry per goal and day: both cannot stay. */
    g_assert_false (tf_vault_resolve_conflict (f->client, day_copy, TF_KEEP_BOTH, &error));
    g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT);
    g_clear_error (&error);
    /* Never queued: dropping it leaves nothing behind and nothing to push. */
    g_assert_true (tf_vault_resolve_conflict (f->client, day_copy, TF_KEEP_SERVER, &error));
    g_assert_no_error (error);
    g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM goal_progress WHERE id = ?1",
                                day_copy), ==, 0);
    g_assert_cmpint (outbox_ops (f, day_copy, "delete"), ==, 0);
  }
}

/* Another device re-keyed an entry that had no text yet while this one
 * wrote its first text under the old key: taking the text from here and
 * the key from there would leave a text nobody can open, so it is a clash. */
static void
test_keys_travel_with_ciphertext (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) plain = journal_plain ("", FALSE);
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(TfRecord) server = NULL;
  g_autoptr(TfSecret) new_key = NULL;
  g_autoptr(JsonNode) server_node = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autofree char *results_json = NULL;
  g_autofree char *new_enc_key = NULL;
  g_autofree char *copy_id = NULL;
  g_autoptr(GError) error = NULL;
  TfMergeOutcome outcome;

  json_object_set_null_member (plain, "content");
  put_ok (f->client, "journal_entries", id, plain);
  results_json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                                  " \"applied\", \"version\": 1}]", last_mutation (f, id));
  results = json_from_string (results_json, NULL);
  g_assert_true (tf_store_apply_push_results (f->store, json_node_get_array (results), NULL,
                                              &error));
  server = stored (f->store, "journal_entries", id);
  new_key = tf_keys_new_data_key (tf_vault_get_keys (f->client), &new_enc_key, &error);
  json_object_set_string_member (server->fields, "enc_key", new_enc_key);
  server->version = 2;
  server_node = tf_record_to_json (server);

  edit = get_ok (f->client, "journal_entries", id);
  json_object_set_string_member (edit, "content", "Πρώτες λέξεις.");
  put_ok (f->client, "journal_entries", id, edit);
  g_assert_true (tf_store_merge_conflict (f->store, last_mutation (f, id), server_node, &outcome,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TF_MERGE_CONFLICT_COPY);
  copy_id = query_text (f->path, "SELECT id FROM journal_entries WHERE conflict_of = ?1", id);
  {
    g_autoptr(JsonObject) copy = get_ok (f->client, "journal_entries", copy_id);
    g_assert_cmpstr (member (copy, "content"), ==, "Πρώτες λέξεις.");
  }
}

/* The delete of a copy pushed in the same batch as the copy itself meets a
 * "conflict" with its own upsert: it goes again, it does not resurrect. */
static void
test_delete_after_own_upsert (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) m = mood_plain (3, "x");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(TfRecord) applied = NULL;
  g_autoptr(JsonNode) server = NULL;
  g_autofree char *json = NULL;
  gint64 upsert, delete;
  TfMergeOutcome outcome;

  put_ok (f->client, "mood_entries", id, m);
  upsert = last_mutation (f, id);
  g_assert_true (tf_vault_delete (f->client, table ("mood_entries"), id, &error));
  delete = last_mutation (f, id);
  json = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"applied\","
                          " \"version\": 7}, {\"mutation_id\": %" G_GINT64_FORMAT ", \"status\":"
                          " \"conflict\"}]", upsert, delete);
  results = json_from_string (json, NULL);
  g_assert_true (tf_store_apply_push_results (f->store, json_node_get_array (results), NULL,
                                              &error));
  applied = stored (f->store, "mood_entries", id);
  applied->deleted = FALSE;
  server = tf_record_to_json (applied);
  g_assert_true (tf_store_merge_conflict (f->store, delete, server, &outcome, &error));
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, TF_MERGE_AUTOMATIC);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1"
                                       " AND op = 'delete' AND base_version = 7", id), ==, 1);
  {
    g_autoptr(TfRecord) row = stored (f->store, "mood_entries", id);
    g_assert_true (row->deleted);
  }
  g_assert_cmpint (tf_store_rejection_count (f->store, NULL), ==, 0);
}

/* A goal's day marked here meets a duplicate on the server (the same goal
 * and day under another id), and the server answers with a holder it
 * altered after its author signed it: the holder is refused and listed,
 * nothing of it is taken, and this device's mark becomes a rejection the
 * user sees — kept as written, and no longer queued, so the next sync does
 * not send it again to meet the same answer. */
static void
test_duplicate_altered_not_resent (Fixture *f, gconstpointer data)
{
  g_autofree char *goal = g_uuid_string_random (), *day = g_uuid_string_random ();
  g_autofree char *holder_id = g_uuid_string_random (), *json = NULL, *answer = NULL;
  g_autoptr(JsonObject) g = json_object_new ();
  g_autoptr(JsonObject) p = json_object_new ();
  g_autoptr(TfRecord) holder = tf_record_new (table ("goal_progress"), holder_id);
  g_autoptr(JsonNode) holder_node = NULL;
  g_autoptr(JsonArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  gint64 mutation;

  json_object_set_string_member (g, "user_id", CLIENT);
  json_object_set_string_member (g, "title", "Περπάτημα");
  put_ok (f->client, "goals", goal, g);
  json_object_set_string_member (p, "goal_id", goal);
  json_object_set_string_member (p, "completed_date", "2026-11-24");
  json_object_set_string_member (p, "notes", "μισή ώρα");
  put_ok (f->client, "goal_progress", day, p);
  mutation = last_mutation (f, day);

  json_object_set_string_member (holder->fields, "goal_id", goal);
  json_object_set_string_member (holder->fields, "completed_date", "2026-11-24");
  json_object_set_string_member (holder->fields, "notes", "μία ώρα");
  holder->revision = 1;
  holder->signature = tf_signed_record_sign (tf_keys_get_signing_secret (
                                               tf_vault_get_keys (f->client)),
                                             holder, 1, &error);
  g_assert_no_error (error);
  json_object_set_string_member (holder->fields, "notes", "δέκα λεπτά");
  holder->version = 9;
  holder_node = tf_record_to_json (holder);
  json = json_to_string (holder_node, FALSE);
  answer = g_strdup_printf ("[{\"mutation_id\": %" G_GINT64_FORMAT ", \"status\": \"rejected\","
                            " \"code\": \"duplicate\", \"message\": \"duplicate\","
                            " \"record\": %s}]", mutation, json);
  /* Twice, as two syncs would meet it. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonNode) results = json_from_string (answer, &error);

      g_assert_no_error (error);
      g_assert_true (tf_store_apply_push_results (f->store, json_node_get_array (results), NULL,
                                                  &error));
      g_assert_no_error (error);
      g_assert_cmpint (outbox_ops (f, day, "upsert"), ==, 0);
      g_assert_cmpint (tf_store_rejection_count (f->store, NULL), ==, 1);
    }
  refused = tf_store_list_refused (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (refused), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (refused, 0),
                                                  "id"), ==, holder_id);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM goal_progress WHERE id = ?1",
                              holder_id), ==, 0);
  {
    g_autoptr(JsonObject) mine = get_ok (f->client, "goal_progress", day);

    g_assert_cmpstr (member (mine, "notes"), ==, "μισή ώρα");
  }
}

/* --- plaintext from before a column was encrypted ---------------------------- */

/* A profile as the first versions left it: schema steps 0001-0003 only, a
 * journal entry (shared with the therapist) whose title is plaintext and
 * whose content is encrypted, and a check-in whose emotions and categories
 * are plaintext JSON, both synced (versions 4 and 5). */
static void
make_old_profile (Fixture *f, const char *journal_id, const char *mood_id, const char *care_id)
{
  const char *names[] = { "0001-device.sql", "0002-sharing.sql", "0003-locks-keys.sql" };
  /* g_autofree on an array frees its first element only. */
  char *sql[G_N_ELEMENTS (names)] = { NULL };
  TfStoreStep steps[G_N_ELEMENTS (names)];
  g_autoptr(TfKeys) keys = open_keys (client_keys, client_kek);
  g_autofree char *enc_key = NULL;
  g_autoptr(TfSecret) key = tf_keys_new_data_key (keys, &enc_key, NULL);
  g_autofree char *content = tf_crypto_encrypt_field (key, "journal_entries", journal_id,
                                                      "content", "Κολύμπησα πολύ.", NULL);
  g_autofree char *rows = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *file = g_build_filename (g_getenv ("TF_SOURCE_DIR"), "sql", "sqlite",
                                                names[i], NULL);

      g_assert_true (g_file_get_contents (file, &sql[i], NULL, &error));
      g_assert_no_error (error);
      steps[i] = (TfStoreStep) { i + 1, names[i], sql[i] };
    }
  db = tf_store_db_open_with_steps (f->path, steps, G_N_ELEMENTS (steps), &error);
  g_assert_no_error (error);
  rows = g_strdup_printf (
    "INSERT INTO care_relationships (id, therapist_id, client_id, status, share_mood,"
    " share_goals, started_at, version) VALUES ('%s', '" THERAPIST "', '" CLIENT "', 'active',"
    " 1, 0, '2026-11-01T10:00:00Z', 3);"
    "INSERT INTO journal_entries (id, user_id, title, content, is_private, therapist_shared,"
    " created_at, updated_at, enc_key, version) VALUES ('%s', '" CLIENT "',"
    " 'Μια μέρα στη θάλασσα', '%s', 0, 1, '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z',"
    " '%s', 4);"
    "INSERT INTO mood_entries (id, user_id, mood_value, categories, emotions, created_at,"
    " version) VALUES ('%s', '" CLIENT "', 6, '[\"δουλειά\"]', '[\"άγχος\", \"ελπίδα\"]',"
    " '2026-11-21T08:00:00Z', 5);",
    care_id, journal_id, content, enc_key, mood_id);
  g_assert_cmpint (sqlite3_exec (db, rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    g_free (sql[i]);
}

static void
test_legacy_plaintext (Fixture *f, gconstpointer data)
{
  g_autofree char *journal = g_uuid_string_random ();
  g_autofree char *mood = g_uuid_string_random ();
  g_autofree char *care = g_uuid_string_random ();
  g_autoptr(JsonNode) emotions = json_from_string ("[\"άγχος\", \"ελπίδα\"]", NULL);
  g_autoptr(JsonNode) categories = json_from_string ("[\"δουλειά\"]", NULL);
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(JsonObject) check_in = NULL;
  g_autoptr(GError) error = NULL;
  const char *secrets[] = { "θάλασσα", "άγχος", "ελπίδα", "δουλειά" };
  const char *suffixes[] = { "", "-wal" };
  guint n = 99;

  /* This test's client profile is an old one. */
  g_clear_object (&f->client);
  g_assert_finalize_object (f->store);
  g_unlink (f->path);
  make_old_profile (f, journal, mood, care);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  f->client = tf_vault_new (f->store, CLIENT, open_keys (client_keys, client_kek));

  /* Read as they are... */
  entry = get_ok (f->client, "journal_entries", journal);
  g_assert_cmpstr (member (entry, "title"), ==, "Μια μέρα στη θάλασσα");
  g_assert_cmpstr (member (entry, "content"), ==, "Κολύμπησα πολύ.");
  check_in = get_ok (f->client, "mood_entries", mood);
  g_assert_true (json_node_equal (json_object_get_member (check_in, "emotions"), emotions));
  g_assert_true (json_node_equal (json_object_get_member (check_in, "categories"), categories));
  remember_therapist (f);

  /* ... then encrypted and queued, on the versions they were synced at. */
  g_assert_true (tf_vault_encrypt_legacy (f->client, &n, &error));
  g_assert_no_error (error);
  /* The care relationship has nothing to encrypt, but it is from before
   * signatures too: written again, signed by the client. */
  g_assert_cmpuint (n, ==, 3);
  {
    g_autofree char *signed_sql = g_strdup_printf ("SELECT count(*) FROM outbox WHERE record_id"
                                                   " IN (?1, '%s', '%s') AND revision = 1 AND"
                                                   " signature LIKE 'tfs1:%%'", mood, care);

    g_assert_cmpint (query_int (f->path, signed_sql, journal), ==, 3);
  }
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM journal_entries WHERE id = ?1"
                                       " AND title LIKE 'tf1:%'", journal), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM mood_entries WHERE id = ?1"
                                       " AND emotions LIKE 'tf1:%' AND categories LIKE 'tf1:%'"
                                       " AND enc_key LIKE 'tf1:%'", mood), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1"
                                       " AND base_version = 4"
                                       " AND json_extract(fields, '$.title') LIKE 'tf1:%'",
                              journal), ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1"
                                       " AND base_version = 5"
                                       " AND json_extract(fields, '$.emotions') LIKE 'tf1:%'",
                              mood), ==, 1);
  g_clear_pointer (&entry, json_object_unref);
  entry = get_ok (f->client, "journal_entries", journal);
  g_assert_cmpstr (member (entry, "title"), ==, "Μια μέρα στη θάλασσα");
  g_assert_cmpstr (member (entry, "content"), ==, "Κολύμπησα πολύ.");
  g_clear_pointer (&check_in, json_object_unref);
  check_in = get_ok (f->client, "mood_entries", mood);
  g_assert_true (json_node_equal (json_object_get_member (check_in, "emotions"), emotions));

  /* Once is enough. */
  g_assert_true (tf_vault_encrypt_legacy (f->client, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* The therapist, who had both shared, still reads both. */
  {
    g_autofree char *journal_grant = query_text (f->path, "SELECT id FROM key_grants"
                                                          " WHERE record_id = ?1", journal);
    g_autofree char *mood_grant = query_text (f->path, "SELECT id FROM key_grants"
                                                       " WHERE record_id = ?1", mood);
    g_autoptr(JsonObject) theirs = NULL;
    g_autoptr(JsonObject) their_mood = NULL;

    g_assert_nonnull (journal_grant);
    g_assert_nonnull (mood_grant);
    deliver (f->store, f->therapist_store, "journal_entries", journal, 6);
    deliver (f->store, f->therapist_store, "mood_entries", mood, 7);
    deliver (f->store, f->therapist_store, "key_grants", journal_grant, 8);
    deliver (f->store, f->therapist_store, "key_grants", mood_grant, 9);
    theirs = get_ok (f->therapist, "journal_entries", journal);
    g_assert_cmpstr (member (theirs, "title"), ==, "Μια μέρα στη θάλασσα");
    their_mood = get_ok (f->therapist, "mood_entries", mood);
    g_assert_true (json_node_equal (json_object_get_member (their_mood, "emotions"), emotions));
  }

  /* New plaintext is refused on the device. */
  {
    g_autoptr(TfRecord) row = stored (f->store, "journal_entries", journal);

    json_object_set_string_member (row->fields, "title", "Σε απλό κείμενο");
    g_assert_false (tf_store_put (f->store, table ("journal_entries"), journal, row->fields,
                                  &error));
    g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ENCRYPTED);
    g_clear_error (&error);
  }

  /* And nothing of the old plaintext is left in the file. */
  g_clear_object (&f->client);
  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (!g_file_get_contents (file, &bytes, &len, NULL))
        continue;
      for (guint s = 0; s < G_N_ELEMENTS (secrets); s++)
        if (memmem (bytes, len, secrets[s], strlen (secrets[s])) != NULL)
          g_error ("%s still holds “%s”", file, secrets[s]);
    }
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  f->client = tf_vault_new (f->store, CLIENT, open_keys (client_keys, client_kek));
}

/* --- appointments and sessions: both sides of the care ---------------------- */

static void
remember_client (Fixture *f)
{
  remember (f->therapist, client_keys, CLIENT, "client@example.gr");
}

static JsonObject *
appointment_plain (const char *at, const char *notes)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "therapist_id", THERAPIST);
  json_object_set_string_member (o, "client_id", CLIENT);
  json_object_set_string_member (o, "appointment_datetime", at);
  json_object_set_int_member (o, "duration", 50);
  json_object_set_string_member (o, "status", "pending");
  json_object_set_string_member (o, "price", "60.00");
  json_object_set_string_member (o, "created_at", "2026-11-20T08:00:00Z");
  if (notes != NULL)
    json_object_set_string_member (o, "notes_for_therapist", notes);
  return o;
}

/* Record @id got @version from the server; then the shares are reconciled,
 * as after a sync. */
static void
taken_by_server (TfVault *vault, const char *path, const char *table_name, const char *id,
                 gint64 version)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE %s SET version = %" G_GINT64_FORMAT
                                          " WHERE id = ?1", table_name, version);
  g_autoptr(GError) error = NULL;

  exec_raw (path, sql, id);
  g_assert_true (tf_vault_reconcile_shares (vault, NULL, &error));
  g_assert_no_error (error);
}

/* The grant of @id in @from's store, carried with the record to @to. */
static void
deliver_with_grant (TfStore *from, const char *from_path, TfStore *to, const char *table_name,
                    const char *id, gint64 version)
{
  g_autofree char *grant = query_text (from_path, "SELECT id FROM key_grants WHERE record_id = ?1",
                                       id);

  g_assert_nonnull (grant);
  deliver (from, to, table_name, id, version);
  deliver (from, to, "key_grants", grant, version + 1);
}

/* A client books with notes for the therapist, the therapist cancels with a
 * reason, and writes a session whose summary and homework the client reads
 * while the therapist's own notes on it stay closed to them.  On disk and
 * on the wire only envelopes; each side reads with its own keys. */
static void
test_care_records (Fixture *f, gconstpointer data)
{
  g_autofree char *appointment = g_uuid_string_random ();
  g_autofree char *session = NULL, *client_enc_key = NULL;
  g_autoptr(JsonObject) booked = appointment_plain ("2026-12-10T10:00:00Z",
                                                    "Φοβάμαι τα ύψη από μικρή.");
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(JsonObject) notes = NULL;
  g_autoptr(TfRecord) row = NULL;
  g_autoptr(GError) error = NULL;

  remember_therapist (f);
  remember_client (f);
  put_ok (f->client, "appointments", appointment, booked);
  /* Not shared before the server took it (a refused booking needs no key). */
  g_assert_false (has_grant (f->path, appointment, THERAPIST));
  taken_by_server (f->client, f->path, "appointments", appointment, 4);
  row = stored (f->store, "appointments", appointment);
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "notes_for_therapist")));
  client_enc_key = g_strdup (member (row->fields, "enc_key"));
  g_assert_true (tf_crypto_is_envelope (client_enc_key));

  /* The therapist reads the notes with the care key sealed to them ... */
  deliver_with_grant (f->store, f->path, f->therapist_store, "appointments", appointment, 5);
  theirs = get_ok (f->therapist, "appointments", appointment);
  g_assert_cmpstr (member (theirs, "notes_for_therapist"), ==, "Φοβάμαι τα ύψη από μικρή.");

  /* ... and cancels with a reason, under the same key: the client reads it
   * (its booking pushed first, so the therapist's version is taken). */
  exec_raw (f->path, "DELETE FROM outbox WHERE record_id = ?1", appointment);
  json_object_set_string_member (theirs, "status", "cancelled");
  json_object_set_string_member (theirs, "cancelled_by", THERAPIST);
  json_object_set_string_member (theirs, "cancelled_at", "2026-11-25T09:00:00Z");
  json_object_set_string_member (theirs, "cancellation_reason", "Ασθένεια της θεραπεύτριας");
  put_ok (f->therapist, "appointments", appointment, theirs);
  g_clear_pointer (&row, tf_record_free);
  row = stored (f->therapist_store, "appointments", appointment);
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "cancellation_reason")));
  g_assert_cmpstr (member (row->fields, "enc_key"), ==, client_enc_key);
  deliver (f->therapist_store, f->store, "appointments", appointment, 7);
  back = get_ok (f->client, "appointments", appointment);
  g_assert_cmpstr (member (back, "cancellation_reason"), ==, "Ασθένεια της θεραπεύτριας");
  g_assert_cmpstr (member (back, "notes_for_therapist"), ==, "Φοβάμαι τα ύψη από μικρή.");

  /* A session: its summary, homework and plan for both once the therapist
   * shares them (a new session is not shared: no grant), its therapist's
   * notes for the therapist alone. */
  session = tf_vault_session_for (f->therapist, appointment, &error);
  g_assert_no_error (error);
  notes = get_ok (f->therapist, "sessions", session);
  g_assert_false (json_object_get_boolean_member (notes, "shared_with_client"));
  json_object_set_boolean_member (notes, "shared_with_client", TRUE);
  json_object_set_string_member (notes, "therapist_notes", "Αποφεύγει να μιλήσει για τη μητέρα.");
  json_object_set_string_member (notes, "session_summary", "Μιλήσαμε για τον φόβο των υψών.");
  json_object_set_string_member (notes, "homework_assigned", "Ημερολόγιο άγχους κάθε βράδυ.");
  json_object_set_string_member (notes, "next_session_plan", "Έκθεση σε εικόνες.");
  put_ok (f->therapist, "sessions", session, notes);
  taken_by_server (f->therapist, f->therapist_path, "sessions", session, 8);
  g_clear_pointer (&row, tf_record_free);
  row = stored (f->therapist_store, "sessions", session);
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "session_summary")));
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "homework_assigned")));
  g_assert_true (tf_crypto_is_envelope (member (row->fields, "next_session_plan")));
  deliver_with_grant (f->therapist_store, f->therapist_path, f->store, "sessions", session, 9);
  {
    g_autoptr(JsonObject) mine = get_ok (f->client, "sessions", session);
    g_autofree char *sealed = grant_for (f->therapist_path, session, CLIENT);
    g_autoptr(TfSecret) care = tf_keys_open_grant (tf_vault_get_keys (f->client), sealed, &error);
    g_autofree char *opened = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (member (mine, "session_summary"), ==, "Μιλήσαμε για τον φόβο των υψών.");
    g_assert_cmpstr (member (mine, "homework_assigned"), ==, "Ημερολόγιο άγχους κάθε βράδυ.");
    g_assert_cmpstr (member (mine, "next_session_plan"), ==, "Έκθεση σε εικόνες.");
    g_assert_null (member (mine, "therapist_notes"));
    g_assert_false (json_object_has_member (mine, "unreadable"));
    /* What the client was given does not open the therapist's notes. */
    opened = tf_crypto_decrypt_field (care, "sessions", session, "therapist_notes",
                                      member (row->fields, "therapist_notes"), &error);
    g_assert_null (opened);
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT);
    g_clear_error (&error);
  }
  /* The therapist still reads all of it. */
  g_clear_pointer (&notes, json_object_unref);
  notes = get_ok (f->therapist, "sessions", session);
  g_assert_cmpstr (member (notes, "therapist_notes"), ==, "Αποφεύγει να μιλήσει για τη μητέρα.");
  g_assert_cmpstr (member (notes, "session_summary"), ==, "Μιλήσαμε για τον φόβο των υψών.");
}

/* An appointment and a session from before 0011, plaintext in both
 * profiles: the client's device encrypts the appointment, the therapist's
 * the session, and each side reads the other's. */
static void
test_care_records_legacy (Fixture *f, gconstpointer data)
{
  g_autofree char *appointment = g_uuid_string_random ();
  g_autofree char *session = g_uuid_string_random ();
  g_autofree char *old_appointment = NULL, *old_session = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { f->path, f->therapist_path };
  guint n = 0;

  remember_therapist (f);
  remember_client (f);
  old_appointment = g_strdup_printf (
    "INSERT INTO appointments (id, therapist_id, client_id, appointment_datetime, duration,"
    " status, price, notes_for_therapist, created_at, version) VALUES ('%s', '" THERAPIST "',"
    " '" CLIENT "', '2026-12-11T10:00:00Z', 50, 'confirmed', '60.00', 'Παλιές σημειώσεις',"
    " '2026-11-20T08:00:00Z', 3)", appointment);
  old_session = g_strdup_printf (
    "INSERT INTO sessions (id, appointment_id, session_summary, homework_assigned, created_at,"
    " version) VALUES ('%s', '%s', 'Παλιά σύνοψη', 'Παλιά εργασία', '2026-12-11T11:00:00Z', 4)",
    session, appointment);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      exec_raw (paths[i], old_appointment, NULL);
      exec_raw (paths[i], old_session, NULL);
    }

  /* Each side encrypts what it looks after, and only that. */
  g_assert_true (tf_vault_encrypt_legacy (f->client, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (tf_vault_encrypt_legacy (f->therapist, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM appointments WHERE id = ?1"
                                       " AND notes_for_therapist LIKE 'tf1:%'", appointment),
                   ==, 1);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM sessions WHERE id = ?1"
                                                 " AND session_summary LIKE 'tf1:%'"
                                                 " AND homework_assigned LIKE 'tf1:%'", session),
                   ==, 1);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1"
                                       " AND base_version = 3", appointment), ==, 1);

  deliver_with_grant (f->store, f->path, f->therapist_store, "appointments", appointment, 10);
  theirs = get_ok (f->therapist, "appointments", appointment);
  g_assert_cmpstr (member (theirs, "notes_for_therapist"), ==, "Παλιές σημειώσεις");
  deliver_with_grant (f->therapist_store, f->therapist_path, f->store, "sessions", session, 12);
  {
    g_autoptr(JsonObject) mine = get_ok (f->client, "sessions", session);

    g_assert_cmpstr (member (mine, "session_summary"), ==, "Παλιά σύνοψη");
    g_assert_cmpstr (member (mine, "homework_assigned"), ==, "Παλιά εργασία");
  }
}

/* A sign-in answer whose members have the wrong JSON types (a hostile or
 * broken server) is refused as malformed: nothing is stored, and nothing
 * aborts on a GLib critical on the way. */
static void
test_odd_sign_in_answer (Fixture *f, gconstpointer data)
{
  const char *answers[] = {
    "{\"user_id\": {\"x\": 1}, \"role\": \"client\", \"token\": \"t\"}",
    "{\"user_id\": \"" CLIENT "\", \"role\": [1], \"token\": \"t\"}",
    "{\"user_id\": \"" CLIENT "\", \"role\": \"client\", \"token\": {\"a\": []}}",
    "{\"user_id\": 7, \"role\": true, \"token\": null}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (answers[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = NULL;

      g_assert_false (tf_account_save (f->store, "http://127.0.0.1:1",
                                       json_node_get_object (node), "a@example.org",
                                       client_keys, tf_vault_get_keys (f->client), &error));
      g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
      stored = tf_store_dup_state (f->store, KEY_USER_ID, NULL);
      g_assert_null (stored);
    }
}

/* --- one write per action -------------------------------------------------- */

/* A check-in whose share cannot be made is not stored at all, nor queued;
 * saved again under the id the form kept, it is one check-in, and a later
 * save of that id edits it (its creation time kept). */
static void
test_checkin_failed_share (Fixture *f, gconstpointer data)
{
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  const char *felt[] = { "calm", "tired", NULL };
  TfCheckin checkin = { 7, 5, 3, felt, NULL, "ήρεμη μέρα" };
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;

  remember_therapist (f);
  put_care (f, care, TRUE, TRUE);
  exec_raw (f->path, "CREATE TRIGGER refuse_grants BEFORE INSERT ON key_grants"
                     " BEGIN SELECT RAISE(ABORT, 'no grants today'); END", NULL);
  g_assert_false (tf_checkin_save (f->client, id, &checkin, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM mood_entries", NULL), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1", id),
                   ==, 0);

  exec_raw (f->path, "DROP TRIGGER refuse_grants", NULL);
  g_assert_true (tf_checkin_save (f->client, id, &checkin, &saved, &error));
  g_assert_no_error (error);
  g_assert_true (has_grant (f->path, id, THERAPIST));
  created = g_strdup (tf_json_get_string (saved, "created_at"));

  checkin.mood = 4;
  checkin.emotions = NULL;
  g_assert_true (tf_checkin_save (f->client, id, &checkin, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM mood_entries", NULL), ==, 1);
  again = get_ok (f->client, "mood_entries", id);
  g_assert_cmpint (json_object_get_int_member (again, "mood_value"), ==, 4);
  g_assert_cmpstr (tf_json_get_string (again, "created_at"), ==, created);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (again, "emotions")),
                    ==, 0);

  g_assert_true (tf_checkin_delete (f->client, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM mood_entries"
                                       " WHERE deleted_at IS NULL", NULL), ==, 0);
}

/* A journal entry shared with the therapist whose grant cannot be made is
 * not stored at all, nor queued; saved again under the id the editor kept,
 * it is one entry, and a later save of that id edits it: its creation time
 * kept, what the save leaves out as it was.  Only its author may change or
 * delete it. */
static void
test_journal_failed_share (Fixture *f, gconstpointer data)
{
  g_autofree char *care = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  TfJournalEntry entry = { "Ένα όνειρο", "Ονειρεύτηκα τη θάλασσα", NULL, TRUE };
  TfJournalEntry edit = { NULL, "Ονειρεύτηκα ξανά τη θάλασσα", "", -1 };
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;

  remember_therapist (f);
  put_care (f, care, TRUE, FALSE);
  exec_raw (f->path, "CREATE TRIGGER refuse_grants BEFORE INSERT ON key_grants"
                     " BEGIN SELECT RAISE(ABORT, 'no grants today'); END", NULL);
  g_assert_false (tf_journal_save (f->client, id, &entry, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM journal_entries", NULL), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1", id),
                   ==, 0);

  exec_raw (f->path, "DROP TRIGGER refuse_grants", NULL);
  g_assert_true (tf_journal_save (f->client, id, &entry, &saved, &error));
  g_assert_no_error (error);
  g_assert_true (has_grant (f->path, id, THERAPIST));
  created = g_strdup (tf_json_get_string (saved, "created_at"));

  g_assert_true (tf_journal_save (f->client, id, &edit, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM journal_entries", NULL), ==, 1);
  again = get_ok (f->client, "journal_entries", id);
  g_assert_cmpstr (tf_json_get_string (again, "title"), ==, "Ένα όνειρο");
  g_assert_cmpstr (tf_json_get_string (again, "content"), ==, "Ονειρεύτηκα ξανά τη θάλασσα");
  g_assert_cmpstr (tf_json_get_string (again, "created_at"), ==, created);
  g_assert_true (json_object_get_boolean_member (again, "therapist_shared"));
  g_assert_false (json_object_get_boolean_member (again, "is_private"));
  g_assert_true (has_grant (f->path, id, THERAPIST));

  /* Someone else's entry (here: made so in the file) is theirs to change. */
  exec_raw (f->path, "UPDATE journal_entries SET user_id = '" THERAPIST "' WHERE id = ?1", id);
  g_assert_false (tf_journal_save (f->client, id, &edit, NULL, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER);
  g_clear_error (&error);
  g_assert_false (tf_journal_delete (f->client, id, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER);
  g_clear_error (&error);
  exec_raw (f->path, "UPDATE journal_entries SET user_id = '" CLIENT "' WHERE id = ?1", id);
  g_assert_true (tf_journal_delete (f->client, id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM journal_entries"
                                       " WHERE deleted_at IS NULL", NULL), ==, 0);
}

/* The note body a test saves: {"approach": "soap", "text": @text}. */
static JsonNode *
note_body (const char *text)
{
  g_autoptr(JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "approach", "soap");
  json_object_set_string_member (o, "text", text);
  return json_node_init_object (json_node_alloc (), o);
}

/* The first note of an appointment that cannot be stored leaves nothing:
 * not the note, not the session made for it, nothing queued.  Saved again
 * under the id the editor kept, it is one note of one session; Lock and
 * Sign saves and locks it in one go (its creation time kept), and a locked
 * note refuses the next save. */
static void
test_note_failed_save (Fixture *f, gconstpointer data)
{
  g_autofree char *appointment = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) booked = appointment_plain ("2026-11-25T10:00:00Z", NULL);
  g_autoptr(JsonNode) first = note_body ("Πρώτη συνεδρία: άγχος στη δουλειά.");
  g_autoptr(JsonNode) second = note_body ("Πρώτη συνεδρία: άγχος στη δουλειά και στο σπίτι.");
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;

  put_ok (f->therapist, "appointments", appointment, booked);
  exec_raw (f->therapist_path, "CREATE TRIGGER refuse_notes BEFORE INSERT ON session_notes"
                               " BEGIN SELECT RAISE(ABORT, 'no notes today'); END", NULL);
  g_assert_false (tf_note_save (f->therapist, id, appointment, "soap", first, NULL, FALSE, NULL,
                                &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM session_notes", NULL),
                   ==, 0);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM sessions", NULL), ==, 0);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM outbox"
                                                 " WHERE table_name <> 'appointments'", NULL),
                   ==, 0);

  exec_raw (f->therapist_path, "DROP TRIGGER refuse_notes", NULL);
  g_assert_true (tf_note_save (f->therapist, id, appointment, "soap", first, NULL, FALSE, &saved,
                               &error));
  g_assert_no_error (error);
  created = g_strdup (tf_json_get_string (saved, "created_at"));
  g_assert_true (tf_note_save (f->therapist, id, appointment, "soap", second, NULL, TRUE, NULL,
                               &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM session_notes", NULL),
                   ==, 1);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM sessions", NULL), ==, 1);
  again = get_ok (f->therapist, "session_notes", id);
  g_assert_nonnull (tf_json_get_string (again, "locked_at"));
  g_assert_cmpstr (tf_json_get_string (again, "created_at"), ==, created);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (again,
                                                                               "note_content"),
                                                  "text"),
                   ==, "Πρώτη συνεδρία: άγχος στη δουλειά και στο σπίτι.");
  g_assert_false (tf_note_save (f->therapist, id, appointment, "soap", first, NULL, FALSE, NULL,
                                &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE);
}

/* A treatment plan the store refuses is not stored, nor queued; saved
 * again under the id the form kept, it is one plan, and a later save edits
 * it (its creation time and client kept). */
static void
test_plan_failed_save (Fixture *f, gconstpointer data)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonNode) diagnoses = json_from_string ("[{\"code\": \"F41.1\", "
                                                    "\"description\": \"Γενικευμένη αγχώδης "
                                                    "διαταραχή\"}]", NULL);
  g_autoptr(JsonNode) goals = json_from_string ("[\"Λιγότερο άγχος στη δουλειά\"]", NULL);
  g_autoptr(JsonNode) none = json_from_string ("[]", NULL);
  TfPlan plan = { diagnoses, goals, none, "2027-01-15", "active" };
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;

  exec_raw (f->therapist_path, "CREATE TRIGGER refuse_plans BEFORE INSERT ON treatment_plans"
                               " BEGIN SELECT RAISE(ABORT, 'no plans today'); END", NULL);
  g_assert_false (tf_plan_save (f->therapist, id, CLIENT, &plan, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM treatment_plans", NULL),
                   ==, 0);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM outbox", NULL), ==, 0);

  exec_raw (f->therapist_path, "DROP TRIGGER refuse_plans", NULL);
  g_assert_true (tf_plan_save (f->therapist, id, CLIENT, &plan, &saved, &error));
  g_assert_no_error (error);
  created = g_strdup (tf_json_get_string (saved, "created_at"));
  plan.review_date = NULL;
  plan.status = "on_hold";
  g_assert_true (tf_plan_save (f->therapist, id, CLIENT, &plan, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM treatment_plans", NULL),
                   ==, 1);
  again = get_ok (f->therapist, "treatment_plans", id);
  g_assert_cmpstr (tf_json_get_string (again, "status"), ==, "on_hold");
  g_assert_null (tf_json_get_string (again, "review_date"));
  g_assert_cmpstr (tf_json_get_string (again, "created_at"), ==, created);
  g_assert_cmpstr (tf_json_get_string (again, "client_id"), ==, CLIENT);
}

/* A TfClientRecordEdit: the family part says @data; what else is stored
 * stays. */
static void
edit_family (JsonObject *plain, gboolean is_new, gpointer data)
{
  g_autoptr(JsonObject) family = json_object_new ();

  json_object_set_string_member (family, "composition", data);
  json_object_set_object_member (plain, "family_history", g_steal_pointer (&family));
  if (is_new)
    json_object_set_string_member (plain, "social_history", "Ζει μόνη της.");
}

/* A client's history (and so the intake, the same path) that the store
 * refuses is not stored, nor queued; saved again it is the one record of
 * the client, and a later save edits it over what is stored: its creation
 * time and the parts it does not change kept. */
static void
test_history_failed_save (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) saved = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;

  exec_raw (f->therapist_path, "CREATE TRIGGER refuse_histories BEFORE INSERT ON"
                               " client_histories"
                               " BEGIN SELECT RAISE(ABORT, 'no histories today'); END", NULL);
  g_assert_false (tf_client_record_save (f->therapist, TF_CLIENT_RECORD_HISTORY, CLIENT, edit_family,
                                         "Μητέρα, πατέρας, ένας αδελφός", "unreadable", NULL,
                                         &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM client_histories",
                              NULL), ==, 0);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM outbox", NULL), ==, 0);

  exec_raw (f->therapist_path, "DROP TRIGGER refuse_histories", NULL);
  g_assert_true (tf_client_record_save (f->therapist, TF_CLIENT_RECORD_HISTORY, CLIENT, edit_family,
                                        "Μητέρα, πατέρας, ένας αδελφός", "unreadable", &saved,
                                        &error));
  g_assert_no_error (error);
  created = g_strdup (tf_json_get_string (saved, "created_at"));
  g_assert_true (tf_client_record_save (f->therapist, TF_CLIENT_RECORD_HISTORY, CLIENT, edit_family,
                                        "Μητέρα, πατέρας, δύο αδελφοί", "unreadable", NULL,
                                        &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->therapist_path, "SELECT count(*) FROM client_histories",
                              NULL), ==, 1);
  again = get_ok (f->therapist, "client_histories", CLIENT);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (again,
                                                                               "family_history"),
                                                  "composition"),
                   ==, "Μητέρα, πατέρας, δύο αδελφοί");
  g_assert_cmpstr (tf_json_get_string (again, "social_history"), ==, "Ζει μόνη της.");
  g_assert_cmpstr (tf_json_get_string (again, "created_at"), ==, created);
}

/* A goal marked done that the store refuses is not stored; marked again
 * it is one mark, and another mark on the same day is refused — the check
 * and the write in one transaction. */
static void
test_goal_mark_failed_save (Fixture *f, gconstpointer data)
{
  g_autofree char *goal = g_uuid_string_random ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *other = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_goal_save (f->client, goal, "Περπάτημα", "daily", 1, NULL, &error));
  g_assert_no_error (error);
  exec_raw (f->path, "CREATE TRIGGER refuse_marks BEFORE INSERT ON goal_progress"
                     " BEGIN SELECT RAISE(ABORT, 'no marks today'); END", NULL);
  g_assert_false (tf_goal_mark_done (f->client, id, goal, "2026-12-01", NULL, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM goal_progress", NULL), ==, 0);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM outbox WHERE record_id = ?1", id),
                   ==, 0);

  exec_raw (f->path, "DROP TRIGGER refuse_marks", NULL);
  g_assert_true (tf_goal_mark_done (f->client, id, goal, "2026-12-01", "Μισή ώρα", NULL,
                                    &error));
  g_assert_no_error (error);
  g_assert_false (tf_goal_mark_done (f->client, other, goal, "2026-12-01", NULL, NULL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT);
  g_assert_cmpint (query_int (f->path, "SELECT count(*) FROM goal_progress", NULL), ==, 1);
}

/* A therapist's hours as the editor and the CLI write them: a day replaced
 * at once, nothing written when nothing changed, overlapping or reversed
 * windows refused with the day kept, and a day off blocked once. */
static void
test_availability_rules (Fixture *f, gconstpointer data)
{
  const char *morning_and_evening[] = { "09:00:00", "12:00:00", "17:00:00", "20:00:00" };
  const char *overlapping[] = { "09:00:00", "12:00:00", "11:00:00", "13:00:00" };
  const char *reversed[] = { "12:00:00", "09:00:00" };
  g_autoptr(GPtrArray) times = g_ptr_array_new ();
  g_autoptr(GPtrArray) bad = g_ptr_array_new ();
  g_autoptr(GPtrArray) held = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) first = NULL, again = NULL;
  g_autofree char *blocked = NULL, *twice = NULL;
  gboolean changed = TRUE;
  gint64 queued;

  for (guint i = 0; i < G_N_ELEMENTS (morning_and_evening); i++)
    g_ptr_array_add (times, (gpointer) morning_and_evening[i]);
  first = tf_availability_set_day (f->therapist, 2, times, &changed, &error);
  g_assert_no_error (error);
  g_assert_true (changed);
  g_assert_cmpuint (g_strv_length (first), ==, 2);
  queued = tf_store_outbox_count (f->therapist_store, NULL);

  again = tf_availability_set_day (f->therapist, 2, times, &changed, &error);
  g_assert_no_error (error);
  g_assert_false (changed);
  g_assert_true (g_strv_equal ((const char * const *) first, (const char * const *) again));
  g_assert_cmpint (tf_store_outbox_count (f->therapist_store, NULL), ==, queued);

  for (guint i = 0; i < G_N_ELEMENTS (overlapping); i++)
    g_ptr_array_add (bad, (gpointer) overlapping[i]);
  g_assert_null (tf_availability_set_day (f->therapist, 2, bad, NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "11:00:00–13:00:00 overlap"));
  g_clear_error (&error);
  g_ptr_array_set_size (bad, 0);
  for (guint i = 0; i < G_N_ELEMENTS (reversed); i++)
    g_ptr_array_add (bad, (gpointer) reversed[i]);
  g_assert_null (tf_availability_set_day (f->therapist, 2, bad, NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_clear_error (&error);
  held = tf_availability_list_day (f->therapist, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (held->len, ==, 2);
  g_assert_cmpstr (tf_json_get_string (g_ptr_array_index (held, 1), "start_time"), ==,
                   "17:00:00");
  g_assert_cmpint (tf_store_outbox_count (f->therapist_store, NULL), ==, queued);

  blocked = tf_availability_block (f->therapist, "2026-12-24", NULL, " Christmas Eve ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (blocked);
  twice = tf_availability_block (f->therapist, "2026-12-24", NULL, NULL, &error);
  g_assert_null (twice);
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "already blocked"));
  g_clear_error (&error);
  g_assert_null (tf_availability_block (f->therapist, "2026-02-30", NULL, NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
}

/* A vacation from one date to another: stored as one row with its last
 * day; a day inside it, a period meeting it, an end before the start are
 * refused, and nothing reaches the outbox for them. */
static void
test_availability_periods (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summer = NULL, *one_day = NULL, *after = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonObject) stored = NULL;
  gint64 queued;

  summer = tf_availability_block (f->therapist, "2026-08-03", "2026-08-21", "Summer", &error);
  g_assert_no_error (error);
  stored = tf_vault_get (f->therapist, tf_registry_lookup ("therapist_blocked_dates"), summer,
                         &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_json_get_string (stored, "blocked_date"), ==, "2026-08-03");
  g_assert_cmpstr (tf_json_get_string (stored, "end_date"), ==, "2026-08-21");
  g_assert_cmpstr (tf_json_get_string (stored, "reason"), ==, "Summer");
  queued = tf_store_outbox_count (f->therapist_store, NULL);

  /* A day inside, a period that overlaps its end, one that covers it. */
  g_assert_null (tf_availability_block (f->therapist, "2026-08-10", NULL, NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "2026-08-03 to 2026-08-21"));
  g_clear_error (&error);
  g_assert_null (tf_availability_block (f->therapist, "2026-08-21", "2026-08-25", NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (tf_availability_block (f->therapist, "2026-07-01", "2026-09-01", NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_clear_error (&error);
  /* Backwards, or not a date at its end. */
  g_assert_null (tf_availability_block (f->therapist, "2026-09-10", "2026-09-01", NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "before they start"));
  g_clear_error (&error);
  g_assert_null (tf_availability_block (f->therapist, "2026-09-01", "2026-09-31", NULL, &error));
  g_assert_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (tf_store_outbox_count (f->therapist_store, NULL), ==, queued);

  /* The day after is free to block; a period of one day is that day. */
  after = tf_availability_block (f->therapist, "2026-08-22", "2026-08-22", NULL, &error);
  g_assert_no_error (error);
  one_day = tf_availability_block (f->therapist, "2026-07-31", NULL, NULL, &error);
  g_assert_no_error (error);
  rows = tf_availability_list_blocked (f->therapist, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_cmpstr (tf_json_get_string (g_ptr_array_index (rows, 0), "blocked_date"), ==,
                   "2026-07-31");
  g_assert_cmpstr (tf_json_get_string (g_ptr_array_index (rows, 1), "end_date"), ==,
                   "2026-08-21");
  g_assert_cmpstr (tf_json_get_string (g_ptr_array_index (rows, 2), "blocked_date"), ==,
                   "2026-08-22");
  g_assert_null (tf_json_get_string (g_ptr_array_index (rows, 2), "end_date"));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  make_account (&client_keys, &client_kek);
  make_account (&therapist_keys, &therapist_kek);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/tf/vault/round-trip", test_round_trip);
  ADD ("/tf/vault/file-holds-no-plaintext", test_file_holds_no_plaintext);
  ADD ("/tf/vault/share/makes-grant", test_share_makes_grant);
  ADD ("/tf/vault/share/keys-pinned", test_keys_pinned);
  ADD ("/tf/vault/share/unshare-rekeys", test_unshare_rekeys);
  ADD ("/tf/vault/share/care-ended-rekeys", test_care_ended_rekeys);
  ADD ("/tf/vault/share/care-deleted-rekeys-first", test_care_deleted_rekeys_first);
  ADD ("/tf/vault/notes/locked-refuses-changes", test_locked_note_refuses_changes);
  ADD ("/tf/vault/notes/tampered-signature", test_tampered_signature);
  ADD ("/tf/vault/notes/lock-meets-other-edit", test_lock_meets_other_edit);
  ADD ("/tf/vault/conflicts/copy-syncs", test_conflict_copy_syncs);
  ADD ("/tf/vault/conflicts/keep-local", test_resolve_keep_local);
  ADD ("/tf/vault/conflicts/keep-server", test_resolve_keep_server);
  ADD ("/tf/vault/conflicts/keep-both", test_resolve_keep_both);
  ADD ("/tf/vault/conflicts/without-vault", test_conflict_copy_without_vault);
  ADD ("/tf/vault/conflicts/keys-travel-with-ciphertext", test_keys_travel_with_ciphertext);
  ADD ("/tf/vault/conflicts/delete-after-own-upsert", test_delete_after_own_upsert);
  ADD ("/tf/vault/conflicts/duplicate-altered-not-resent", test_duplicate_altered_not_resent);
  ADD ("/tf/vault/legacy-plaintext", test_legacy_plaintext);
  ADD ("/tf/vault/checkin/failed-share-stores-nothing", test_checkin_failed_share);
  ADD ("/tf/vault/journal/failed-share-stores-nothing", test_journal_failed_share);
  ADD ("/tf/vault/notes/failed-save-leaves-no-session", test_note_failed_save);
  ADD ("/tf/vault/plans/failed-save-stores-nothing", test_plan_failed_save);
  ADD ("/tf/vault/histories/failed-save-stores-nothing", test_history_failed_save);
  ADD ("/tf/vault/goals/mark-done-once-a-day", test_goal_mark_failed_save);
  ADD ("/tf/vault/account/odd-sign-in-answer", test_odd_sign_in_answer);
  ADD ("/tf/vault/care/appointment-and-session", test_care_records);
  ADD ("/tf/vault/care/legacy-plaintext", test_care_records_legacy);
  ADD ("/tf/vault/availability/rules", test_availability_rules);
  ADD ("/tf/vault/availability/periods", test_availability_periods);
#undef ADD
  ret = g_test_run ();

  json_object_unref (client_keys);
  json_object_unref (therapist_keys);
  tf_secret_free (client_kek);
  tf_secret_free (therapist_kek);
  return ret;
}
