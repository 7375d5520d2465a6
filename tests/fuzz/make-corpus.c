/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * make-corpus.c: writes the seed corpora of the fuzz targets from the real
 * formats: a valid record, tombstone and mutation of every synced table
 * (built from the registry, as the codec tests build them), envelopes and a
 * "keys" object under the fixed keys of tf-fuzz.h, push and pull answers,
 * push requests and request heads.  The fuzzer starts from these, so it
 * begins past the first checks instead of guessing JSON from nothing.
 *
 *   make-corpus DIR      writes DIR/<target>/<name> (tests/fuzz/corpus)
 *
 * Envelopes are sealed with random nonces: running it again changes their
 * bytes, not what they are.
 */
#define G_LOG_DOMAIN "make-corpus"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tf-fuzz.h"
#include "tf-keys.h"
#include "tf-record.h"
#include "tf-test-sample.h"

static const char *corpus_dir;

static void
write_seed (const char *target, const char *name, const char *text)
{
  g_autofree char *dir = g_build_filename (corpus_dir, target, NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      !g_file_set_contents (path, text, -1, &error))
    g_error ("cannot write %s: %s", path, error ? error->message : g_strerror (errno));
}

static char *
node_text (JsonNode *node)
{
  return tf_json_to_string (node);
}

static TfRecord *
sample_record_with_id (const char *table_name, const char *id, gint64 version)
{
  const TfTable *table = tf_registry_lookup (table_name);
  g_autoptr(TfRecord) record = tf_record_new (table, id);

  json_object_unref (record->fields);
  record->fields = tf_test_sample_fields (table, id);
  record->version = version;
  return g_steal_pointer (&record);
}

static TfRecord *
sample_record (const TfTable *table)
{
  return sample_record_with_id (table->name, TF_TEST_SAMPLE_ID, 7);
}

static char *
record_text (const char *table_name, const char *id, gint64 version)
{
  g_autoptr(TfRecord) record = sample_record_with_id (table_name, id, version);
  g_autoptr(JsonNode) node = tf_record_to_json (record);

  return node_text (node);
}

/* --- fuzz-record ------------------------------------------------------------ */

static void
write_record_seeds (void)
{
  guint n_tables;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];
      g_autoptr(TfRecord) record = sample_record (table);
      g_autoptr(TfRecord) tombstone = tf_record_new (table, TF_TEST_SAMPLE_ID);
      TfMutation upsert = { 12, table, record->id, TF_MUTATION_UPSERT, 6, record->fields };
      TfMutation delete = { 13, table, record->id, TF_MUTATION_DELETE, 7, NULL };
      g_autoptr(JsonNode) n1 = tf_record_to_json (record);
      g_autoptr(JsonNode) n2 = NULL;
      g_autoptr(JsonNode) n3 = tf_mutation_to_json (&upsert);
      g_autoptr(JsonNode) n4 = tf_mutation_to_json (&delete);
      g_autofree char *t1 = node_text (n1), *t2 = NULL, *t3 = node_text (n3), *t4 = node_text (n4);
      g_autofree char *f1 = g_strconcat ("record-", table->name, ".json", NULL);
      g_autofree char *f2 = g_strconcat ("tombstone-", table->name, ".json", NULL);
      g_autofree char *f3 = g_strconcat ("upsert-", table->name, ".json", NULL);
      g_autofree char *f4 = g_strconcat ("delete-", table->name, ".json", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(TfRecord) check = tf_record_from_json (n1, &error);

      if (check == NULL)
        g_error ("the sample %s record is refused: %s", table->name, error->message);
      tombstone->deleted = TRUE;
      tombstone->version = 8;
      n2 = tf_record_to_json (tombstone);
      t2 = node_text (n2);
      write_seed ("fuzz-record", f1, t1);
      write_seed ("fuzz-record", f2, t2);
      write_seed ("fuzz-record", f3, t3);
      write_seed ("fuzz-record", f4, t4);
    }
  write_seed ("fuzz-record", "diagnosis-codes.json", "[\"F32.1\", {\"code\": \"F41.1\"}]");
}

/* --- fuzz-envelope ---------------------------------------------------------- */

static void
write_envelope_seeds (void)
{
  g_autoptr(TfSecret) master = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) data_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *field = tf_crypto_encrypt_field (tf_fuzz_data_key (), TF_FUZZ_TABLE,
                                                    TF_FUZZ_RECORD_ID, TF_FUZZ_COLUMN,
                                                    "Σήμερα ήταν καλύτερα.", NULL);
  g_autofree char *wrapped_master = tf_crypto_wrap_key (tf_fuzz_kek (), "master", master, NULL);
  g_autofree char *wrapped_recovery = tf_crypto_wrap_key (tf_fuzz_recovery_key (),
                                                          "master-recovery", master, NULL);
  g_autofree char *wrapped_data = tf_crypto_wrap_key (tf_fuzz_data_key (), "data", data_key, NULL);
  g_autofree char *enc_key = tf_crypto_wrap_key (master, "data", data_key, NULL);
  g_autofree char *wrapped_identity = tf_crypto_wrap_key (master, "identity",
                                                          tf_fuzz_identity_secret (), NULL);
  g_autofree char *wrapped_signing = tf_crypto_wrap_key (master, "signing",
                                                         tf_fuzz_signing_secret (), NULL);
  g_autofree char *sealed = tf_crypto_seal_key (tf_fuzz_identity_public (), data_key, NULL);
  g_autofree char *signature = tf_crypto_sign (tf_fuzz_signing_secret (), (const guint8 *) "x", 1);
  g_autofree char *publics = g_strconcat (tf_fuzz_identity_public (), ",",
                                          tf_fuzz_signing_public (), NULL);
  const char *fingerprint_keys[] = { tf_fuzz_identity_public (), tf_fuzz_signing_public (), NULL };
  g_autofree char *fingerprint = tf_crypto_fingerprint (fingerprint_keys);
  g_autoptr(JsonObject) kdf = json_object_new ();
  g_autoptr(JsonObject) keys = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *keys_text = NULL;

  write_seed ("fuzz-envelope", "field", field);
  write_seed ("fuzz-envelope", "wrapped-master", wrapped_master);
  write_seed ("fuzz-envelope", "wrapped-recovery", wrapped_recovery);
  write_seed ("fuzz-envelope", "wrapped-data", wrapped_data);
  write_seed ("fuzz-envelope", "sealed-key", sealed);
  write_seed ("fuzz-envelope", "signature", signature);
  write_seed ("fuzz-envelope", "recovery-key", tf_fuzz_recovery_text ());
  write_seed ("fuzz-envelope", "public-keys", publics);

  /* A login's "keys" (docs/protocol.md) that opens under the fixed KEK and
   * recovery key, with a data key and a grant to open, and a KDF object
   * below the floor (the target derives only those). */
  json_object_set_string_member (kdf, "salt", "AAAAAAAAAAAAAAAAAAAAAA==");
  json_object_set_int_member (kdf, "opslimit", 1);
  json_object_set_int_member (kdf, "memlimit", 8192);
  json_object_set_object_member (keys, "kdf", json_object_ref (kdf));
  json_object_set_string_member (keys, "wrapped_master_key", wrapped_master);
  json_object_set_string_member (keys, "wrapped_recovery_key", wrapped_recovery);
  json_object_set_string_member (keys, "identity_public_key", tf_fuzz_identity_public ());
  json_object_set_string_member (keys, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (keys, "signing_public_key", tf_fuzz_signing_public ());
  json_object_set_string_member (keys, "wrapped_signing_key", wrapped_signing);
  json_object_set_string_member (keys, "fingerprint", fingerprint);
  json_object_set_string_member (keys, "enc_key", enc_key);
  json_object_set_string_member (keys, "sealed_key", sealed);
  node = json_node_init_object (json_node_alloc (), keys);
  keys_text = node_text (node);
  write_seed ("fuzz-envelope", "keys.json", keys_text);
}

/* --- fuzz-answer ------------------------------------------------------------ */

static void
write_answer_seeds (void)
{
  g_autofree char *goal = record_text ("goals", TF_FUZZ_GOAL_ID, 4);
  g_autofree char *journal = record_text ("journal_entries", TF_FUZZ_JOURNAL_ID, 3);
  g_autofree char *mood = record_text ("mood_entries", TF_TEST_SAMPLE_ID, 9);
  g_autofree char *push = g_strdup_printf (
    "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"applied\", \"version\": 5},"
    " {\"mutation_id\": 2, \"status\": \"rejected\", \"code\": \"validation\","
    " \"message\": \"title: longer than 200 characters\"},"
    " {\"mutation_id\": 3, \"status\": \"conflict\", \"record\": %s}],"
    " \"last_mutation_id\": 3}", goal);
  g_autofree char *pull = g_strdup_printf (
    "pull 200\n{\"changes\": [%s, %s, {\"table\": \"goals\", \"id\": \"" TF_FUZZ_GOAL_ID "\","
    " \"revoked\": true}], \"next_cursor\": 9, \"has_more\": false,"
    " \"last_mutation_id\": 0}", mood, journal);

  write_seed ("fuzz-answer", "push-mixed", push);
  write_seed ("fuzz-answer", "push-applied",
              "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"applied\","
              " \"version\": 5}, {\"mutation_id\": 2, \"status\": \"applied\", \"version\": 6},"
              " {\"mutation_id\": 3, \"status\": \"applied\", \"version\": 7}],"
              " \"last_mutation_id\": 3}");
  write_seed ("fuzz-answer", "push-repeat",
              "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"applied\","
              " \"version\": 5, \"repeat\": true}, {\"mutation_id\": 2, \"status\": \"applied\","
              " \"version\": 6}], \"last_mutation_id\": 9}");
  /* A "repeat" that is not true or false (json-glib complained, then it
   * was read as false). */
  write_seed ("fuzz-answer", "push-odd-repeat",
              "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"applied\","
              " \"version\": 5, \"repeat\": {}}], \"last_mutation_id\": 1}");
  write_seed ("fuzz-answer", "pull-server-lost",
              "pull 200\n{\"changes\": [], \"next_cursor\": 4, \"has_more\": false,"
              " \"last_mutation_id\": 7}");
  write_seed ("fuzz-answer", "push-conflict-gone",
              "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"conflict\","
              " \"record\": null}], \"last_mutation_id\": 1}");
  write_seed ("fuzz-answer", "push-unauthorized",
              "push 401\n{\"error\": {\"code\": \"unauthorized\", \"message\": \"token expired\"}}");
  write_seed ("fuzz-answer", "push-token-expired",
              "push 401\n{\"error\": {\"code\": \"token_expired\", \"message\": \"the session lapsed\"}}");
  write_seed ("fuzz-answer", "push-unavailable",
              "push 503\n{\"error\": {\"code\": \"database_unavailable\","
              " \"message\": \"the database is not available\"}}");
  /* An error message that is not a string (json-glib used to complain). */
  write_seed ("fuzz-answer", "push-odd-error",
              "push 400\n{\"error\": {\"code\": [], \"message\": {}}}");
  /* A rejection's reason that is not a string (a GLib critical in the
   * store until the answer's check refused it). */
  write_seed ("fuzz-answer", "push-odd-reason",
              "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"rejected\","
              " \"code\": {}, \"record\": {}}], \"last_mutation_id\": 1}");
  /* A duplicate whose holder is no record (the store's protocol error left
   * the sync's domain) and the store's own note on one sent by the server
   * as a list, for a mutation not queued (a GLib critical in the merge). */
  write_seed ("fuzz-answer", "push-duplicate-no-record",
              "push 200\n{\"results\": [{\"mutation_id\": 1, \"status\": \"rejected\","
              " \"code\": \"duplicate\", \"record\": {}}], \"last_mutation_id\": 1}");
  write_seed ("fuzz-answer", "push-odd-copy-note",
              "push 200\n{\"results\": [{\"mutation_id\": 9, \"status\": \"rejected\","
              " \"code\": \"duplicate\", \"record\": {}, \"kept_as_conflict_copy\": []}],"
              " \"last_mutation_id\": 1}");
  write_seed ("fuzz-answer", "push-empty", "push 200\n");
  write_seed ("fuzz-answer", "pull-page", pull);
  write_seed ("fuzz-answer", "pull-empty",
              "pull 200\n{\"changes\": [], \"next_cursor\": 0, \"has_more\": false}");
  write_seed ("fuzz-answer", "wait-changes", "wait 200\n{\"changes\": true}");
}

/* --- fuzz-push -------------------------------------------------------------- */

static char *
mutation_text (gint64 mutation_id, const char *table_name, const char *id, TfMutationOp op)
{
  g_autoptr(TfRecord) record = sample_record_with_id (table_name, id, 0);
  TfMutation mutation = { mutation_id, record->table, record->id, op, op == TF_MUTATION_DELETE,
                          op == TF_MUTATION_DELETE ? NULL : record->fields };
  g_autoptr(JsonNode) node = tf_mutation_to_json (&mutation);

  return node_text (node);
}

static void
write_push_seeds (void)
{
  g_autofree char *mood = mutation_text (1, "mood_entries", TF_FUZZ_MOOD_ID, TF_MUTATION_UPSERT);
  g_autofree char *journal = mutation_text (2, "journal_entries", TF_FUZZ_JOURNAL_ID,
                                            TF_MUTATION_UPSERT);
  g_autofree char *goal = mutation_text (3, "goals", TF_FUZZ_GOAL_ID, TF_MUTATION_DELETE);
  g_autofree char *appointment = mutation_text (4, "appointments", TF_TEST_SAMPLE_ID,
                                                TF_MUTATION_UPSERT);
  g_autofree char *batch = g_strdup_printf (
    "Bearer 9c1f0a4e2b7d4c3e8f6a5b4c3d2e1f00aabbccddeeff00112233445566778899\n"
    "{\"schema_version\": 1, \"mutations\": [%s, %s, %s, %s]}", mood, journal, goal, appointment);
  /* A mutation whose record breaks a rule: still a push for the database
   * ("rejected" in its results), not a refusal of the batch. */
  g_autofree char *invalid = g_strdup_printf (
    "Bearer 9c1f0a4e2b7d4c3e8f6a5b4c3d2e1f00\n{\"schema_version\": 1, \"mutations\": ["
    "{\"mutation_id\": 7, \"table\": \"mood_entries\", \"id\": \"" TF_FUZZ_MOOD_ID "\","
    " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"user_id\": \""
    TF_TEST_SAMPLE_REF_ID "\", \"mood_value\": 11, \"created_at\": \"2026-11-24T09:00:00+02:00\"}}]}");

  write_seed ("fuzz-push", "batch", batch);
  write_seed ("fuzz-push", "rejected-record", invalid);
  write_seed ("fuzz-push", "empty-batch", "Bearer abc\n{\"schema_version\": 1, \"mutations\": []}");
  write_seed ("fuzz-push", "no-token", "\n{\"schema_version\": 1, \"mutations\": []}");
  write_seed ("fuzz-push", "old-schema", "Bearer abc\n{\"schema_version\": 0, \"mutations\": []}");
  write_seed ("fuzz-push", "ids-backwards",
              "Bearer abc\n{\"schema_version\": 1, \"mutations\": [{\"mutation_id\": 2,"
              " \"table\": \"goals\", \"id\": \"" TF_FUZZ_GOAL_ID "\", \"op\": \"delete\","
              " \"base_version\": 1}, {\"mutation_id\": 1, \"table\": \"goals\", \"id\": \""
              TF_FUZZ_GOAL_ID "\", \"op\": \"delete\", \"base_version\": 1}]}");
}

/* --- fuzz-request-head ------------------------------------------------------ */

static void
write_head_seeds (void)
{
  write_seed ("fuzz-request-head", "push",
              "POST /v1/sync/push HTTP/1.1\r\nHost: sync.example.gr\r\nConnection: keep-alive\r\n"
              "Content-Type: application/json\r\nContent-Length: 48\r\n"
              "Authorization: Bearer 9c1f0a4e2b7d4c3e8f6a5b4c3d2e1f00\r\n\r\n"
              "{\"schema_version\": 1, \"mutations\": []}");
  write_seed ("fuzz-request-head", "pull",
              "GET /v1/sync/pull?cursor=0&limit=500 HTTP/1.1\r\nHost: localhost:8080\r\n"
              "User-Agent: therapy-field/0.1.0\r\nAccept-Encoding: gzip, deflate\r\n\r\n");
  write_seed ("fuzz-request-head", "http10-bare-lf",
              "GET /healthz HTTP/1.0\n\n");
  write_seed ("fuzz-request-head", "chunked",
              "POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              "5\r\nhello\r\n0\r\n\r\n");
  write_seed ("fuzz-request-head", "two-lengths",
              "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
              "Content-Length: 6\r\n\r\nhello!");
  write_seed ("fuzz-request-head", "expect",
              "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
              "Content-Length: 100000000\r\n\r\n");
  write_seed ("fuzz-request-head", "tls-hello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03");
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      g_printerr ("usage: %s CORPUS-DIR\n", argv[0]);
      return 2;
    }
  corpus_dir = argv[1];
  tf_fuzz_init (FALSE);
  write_record_seeds ();
  write_envelope_seeds ();
  write_answer_seeds ();
  write_push_seeds ();
  write_head_seeds ();
  return 0;
}
