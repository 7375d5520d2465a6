/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-signed.c: tests of tf-signed, what an author signs of a record or a
 * key grant.
 *
 * The golden vectors were computed outside this project, by a Python
 * encoder written from tf-signed.h alone (struct, hashlib's BLAKE2b), so a
 * change to the format fails here rather than passing on both sides.  The
 * rest checks every way a server could change what a device reads: each
 * signed column of each table, NULL for "", values swapped between
 * columns, the signature moved to another record, table or revision; and
 * that what the server decides may change without breaking a signature.
 */
#define G_LOG_DOMAIN "test-signed"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <sodium.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-signed.h"
#include "tf-test-sample.h"
#include "tf-time.h"

#define USER_ID "5a0c2f11-6f0b-4d8e-8b6e-0f3c6f1d2a77"
#define RECORD_ID "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
#define GRANT_ID "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10"

/* A therapists record at revision 7: text (Greek and ""), a date, an
 * integer, JSON with an object, an array, a double and a null, booleans,
 * NULL and an absent member; license_verified and created_at are not
 * signed and do not appear. */
#define GOLDEN_RECORD_JSON                                                                         \
  "{\"user_id\": \"" USER_ID "\", \"license_number\": \"ΑΜ-1234\", \"license_verified\": true,"   \
  " \"license_expiry\": \"2027-06-30\", \"years_experience\": 12, \"bio\": \"\","                  \
  " \"education\": {\"degree\": \"MSc\", \"year\": 2010, \"gpa\": 8.5,"                            \
  " \"schools\": [\"Αθήνα\", null, true]},"                                                         \
  " \"supervisor_status\": false, \"accepts_insurance\": null, \"online_therapy\": true,"         \
  " \"created_at\": \"2026-01-10T08:00:00Z\"}"
#define GOLDEN_RECORD_HEX \
  "54465349474e45440152530000000a74686572617069737473530000002435613063326631312d366630622d3464" \
  "38652d386236652d306633633666316432613737490000000000000007430000000a5300000007757365725f6964" \
  "530000002435613063326631312d366630622d346438652d386236652d306633633666316432613737530000000e" \
  "6c6963656e73655f6e756d6265725300000009ce91ce9c2d31323334530000000e6c6963656e73655f6578706972" \
  "79530000000a323032372d30362d3330530000001079656172735f657870657269656e636549000000000000000c" \
  "530000000362696f53000000005300000009656475636174696f6e4a0000005a6f00000004000000066465677265" \
  "6573000000034d536300000003677061644021000000000000000000077363686f6f6c736100000003730000000a" \
  "ce91ceb8ceaecebdceb16e620100000004796561726900000000000007da530000001173757065727669736f725f" \
  "73746174757342005300000011616363657074735f696e737572616e63654e530000000e6f6e6c696e655f746865" \
  "7261707942015300000011696e5f706572736f6e5f746865726170794e"

/* A grant of a journal entry's key, sealed key bytes 0..79, counter 3. */
/* The tombstone of a goal at revision 8 (from the same Python encoder). */
#define GOLDEN_TOMBSTONE_HEX \
  "54465349474e454401445300000005676f616c73530000002436663163326433652d346135622d346336642d3865" \
  "39662d306131623263336434653566490000000000000008"

#define GOLDEN_SEALED_KEY                                                                          \
  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNE" \
  "RUZHSElKS0xNTk8="
#define GOLDEN_GRANT_HEX \
  "54465349474e45440147530000000f6a6f75726e616c5f656e7472696573530000002436663163326433652d3461" \
  "35622d346336642d386539662d306131623263336434653566530000002435613063326631312d366630622d3464" \
  "38652d386236652d3066336336663164326137374800000020066de1009daca2b8390a9dc734bce547ac4e3cc453" \
  "1645bb8b9cbc0070941d88530000002430623665346331612d386333652d346238652d396135312d336630663764" \
  "326339653130490000000000000003"

typedef struct
{
  char     *public_b64;
  TfSecret *secret;
} Signer;

static void
signer_init (Signer *signer)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_crypto_sign_keypair (&signer->public_b64, &signer->secret, &error));
  g_assert_no_error (error);
}

static void
signer_clear (Signer *signer)
{
  g_clear_pointer (&signer->public_b64, g_free);
  g_clear_pointer (&signer->secret, tf_secret_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Signer, signer_clear)

static TfRecord *
record_from_fields (const char *table, const char *id, const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  TfRecord *record = tf_record_new (tf_registry_lookup (table), id);

  g_assert_nonnull (node);
  json_object_unref (record->fields);
  record->fields = tf_json_object_dup (json_node_get_object (node));
  return record;
}

static TfRecord *
sample_record (const TfTable *table)
{
  TfRecord *record = tf_record_new (table, TF_TEST_SAMPLE_ID);

  json_object_unref (record->fields);
  record->fields = tf_test_sample_fields (table, TF_TEST_SAMPLE_ID);
  return record;
}

static TfRecord *
golden_grant (void)
{
  return record_from_fields ("key_grants", GRANT_ID,
                             "{\"id\": \"" GRANT_ID "\", \"table_name\": \"journal_entries\","
                             " \"record_id\": \"" RECORD_ID "\", \"owner_id\": \"" USER_ID "\","
                             " \"recipient_id\": \"" USER_ID "\","
                             " \"sealed_key\": \"" GOLDEN_SEALED_KEY "\","
                             " \"created_at\": \"2026-01-10T08:00:00Z\"}");
}

static char *
hex (GBytes *bytes)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  GString *text = g_string_sized_new (len * 2);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (text, "%02x", data[i]);
  return g_string_free (text, FALSE);
}

static void
assert_verifies (const Signer *signer, const TfRecord *record, gint64 revision,
                 const char *signature)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_signed_record_verify (signer->public_b64, record, revision, signature,
                                          &error));
  g_assert_no_error (error);
}

static void
assert_refused (const Signer *signer, const TfRecord *record, gint64 revision,
                const char *signature, int code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tf_signed_record_verify (signer->public_b64, record, revision, signature,
                                           &error));
  g_assert_error (error, TF_CRYPTO_ERROR, code);
}

/* A value of @column's type different from @old (NULL when absent). */
static JsonNode *
other_value (const TfColumn *column, JsonNode *old)
{
  JsonNode *node;

  if (old == NULL || JSON_NODE_HOLDS_NULL (old))
    return tf_test_sample_value (column);
  if (column->type == TF_COLUMN_JSON)
    return json_from_string ("{\"changed\": true}", NULL);
  node = json_node_alloc ();
  switch (column->type)
    {
    case TF_COLUMN_INTEGER:
      return json_node_init_int (node, json_node_get_int (old) + 1);
    case TF_COLUMN_BOOLEAN:
      return json_node_init_boolean (node, !json_node_get_boolean (old));
    case TF_COLUMN_TIMESTAMP:
      {
        g_autoptr(GDateTime) when = tf_time_parse_timestamp (json_node_get_string (old), NULL);
        g_autoptr(GDateTime) later = g_date_time_add_seconds (when, 1);
        g_autofree char *text = tf_time_format_timestamp (later);

        return json_node_init_string (node, text);
      }
    default:
      {
        g_autofree char *text = g_strconcat (json_node_get_string (old), "x", NULL);

        return json_node_init_string (node, text);
      }
    }
}

/* --- the format ------------------------------------------------------------ */

static void
test_golden_record (void)
{
  g_autoptr(TfRecord) record = record_from_fields ("therapists", USER_ID, GOLDEN_RECORD_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = tf_signed_record_encode (record, 7, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = hex (bytes);
  g_assert_cmpstr (text, ==, GOLDEN_RECORD_HEX);
}

/* A deletion is a revision of its own under kind 'D': table, id and
 * revision, whatever fields the row last held; its signature is no
 * record's and no record's is its. */
static void
test_golden_tombstone (void)
{
  g_auto(Signer) signer = { 0 };
  g_autoptr(TfRecord) goal = record_from_fields ("goals", RECORD_ID, "{\"title\": \"Walk\"}");
  g_autoptr(TfRecord) gone = tf_record_copy (goal);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *live = NULL;

  gone->deleted = TRUE;
  bytes = tf_signed_record_encode (gone, 8, &error);
  g_assert_no_error (error);
  text = hex (bytes);
  g_assert_cmpstr (text, ==, GOLDEN_TOMBSTONE_HEX);

  signer_init (&signer);
  signature = tf_signed_record_sign (signer.secret, gone, 8, &error);
  g_assert_no_error (error);
  json_object_set_string_member (gone->fields, "title", "Run");
  assert_verifies (&signer, gone, 8, signature);
  assert_refused (&signer, goal, 8, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  assert_refused (&signer, gone, 9, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  live = tf_signed_record_sign (signer.secret, goal, 8, &error);
  g_assert_no_error (error);
  assert_refused (&signer, gone, 8, live, TF_CRYPTO_ERROR_BAD_SIGNATURE);
}

/* The envelope's shape: what the server checks of a revision and a
 * signature it cannot verify. */
static void
test_envelope_shape (void)
{
  const TfTable *goals = tf_registry_lookup ("goals");
  const TfTable *grants = tf_registry_lookup ("key_grants");
  g_autofree char *long_text = g_strnfill (TF_SIGNED_TEXT_CHARS + 1, 'A');
  g_autofree char *too_long = g_strconcat (TF_SIGNED_PREFIX, long_text + 5, "A", NULL);
  const char *good = "tfs1:0123456789ABCDEF0123456789ABCDEF01234567:"
                     "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                     "ABCDEFGHIJKLMNOPQRSTAA==";
  struct { const TfTable *table; gint64 revision; const char *signature; gboolean ok; } cases[] = {
    { goals, 0, NULL, TRUE },
    { goals, 1, good, TRUE },
    { goals, TF_SIGNED_MAX_REVISION, good, TRUE },
    { goals, TF_SIGNED_MAX_REVISION + 1, good, FALSE },
    { goals, -1, good, FALSE },
    { goals, 3, NULL, FALSE },
    { goals, 3, "tfs2:x", FALSE },
    { goals, 3, too_long, FALSE },
    /* The same shape as a signature column's (one check, TF_FORMAT_SIGNATURE):
     * "tfs1:" alone, a short key id or signature, lower-case hex, no padding. */
    { goals, 3, "tfs1:AB:cd", FALSE },
    { goals, 3, "tfs1:x", FALSE },
    { goals, 3, "tfs1:0123456789abcdef0123456789ABCDEF01234567:"
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                "ABCDEFGHIJKLMNOPQRSTAA==", FALSE },
    { goals, 3, "tfs1:0123456789ABCDEF0123456789ABCDEF01234567:"
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                "ABCDEFGHIJKLMNOPQRSTAAAA", FALSE },
    { grants, 0, NULL, TRUE },
    { grants, 1, good, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = tf_signed_check_envelope (cases[i].table, cases[i].revision,
                                              cases[i].signature, &error);

      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE);
    }
  /* The length it names is the one length a signature text has. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *length = g_strdup_printf ("exactly %d characters", TF_SIGNED_TEXT_CHARS);

    g_assert_cmpint (strlen (good), ==, TF_SIGNED_TEXT_CHARS);
    g_assert_false (tf_signed_check_envelope (goals, 3, too_long, &error));
    g_assert_nonnull (strstr (error->message, length));
  }
}

static void
test_golden_grant (void)
{
  g_autoptr(TfRecord) grant = golden_grant ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = tf_signed_grant_encode (grant, 3, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  text = hex (bytes);
  g_assert_cmpstr (text, ==, GOLDEN_GRANT_HEX);
}

/* What PostgreSQL and SQLite may do to a record on its way back: another
 * member order in JSON, 1e2 for 100, a timestamp with an offset. */
static void
test_same_content_same_bytes (void)
{
  g_autoptr(TfRecord) a = record_from_fields (
    "therapists", USER_ID,
    "{\"user_id\": \"" USER_ID "\", \"education\": {\"a\": 100, \"b\": [1.5]}}");
  g_autoptr(TfRecord) b = record_from_fields (
    "therapists", USER_ID,
    "{\"education\": {\"b\": [1.5], \"a\": 1e2}, \"user_id\": \"" USER_ID "\"}");
  g_autoptr(TfRecord) m1 = record_from_fields (
    "mood_entries", RECORD_ID, "{\"created_at\": \"2026-03-29T12:30:00+02:00\"}");
  g_autoptr(TfRecord) m2 = record_from_fields (
    "mood_entries", RECORD_ID, "{\"created_at\": \"2026-03-29T10:30:00.000000Z\"}");
  g_autoptr(GBytes) ba = tf_signed_record_encode (a, 1, NULL);
  g_autoptr(GBytes) bb = tf_signed_record_encode (b, 1, NULL);
  g_autoptr(GBytes) bm1 = tf_signed_record_encode (m1, 1, NULL);
  g_autoptr(GBytes) bm2 = tf_signed_record_encode (m2, 1, NULL);

  g_assert_true (g_bytes_equal (ba, bb));
  g_assert_true (g_bytes_equal (bm1, bm2));
}

/* Every table's sample record, signed, verifies after a trip through its
 * JSON wire form. */
static void
test_round_trip (void)
{
  g_auto(Signer) signer = { 0 };
  guint n_tables;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  signer_init (&signer);
  for (guint t = 0; t < n_tables; t++)
    {
      g_autoptr(TfRecord) record = sample_record (&tables[t]);
      g_autoptr(GError) error = NULL;
      g_autofree char *signature = tf_signed_record_sign (signer.secret, record, 1, &error);
      g_autoptr(JsonNode) wire = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) parsed = NULL;
      g_autoptr(TfRecord) back = NULL;

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (signature, TF_SIGNED_PREFIX));
      wire = tf_record_to_json (record);
      text = tf_json_to_string (wire);
      parsed = tf_json_parse (text, -1, &error);
      g_assert_no_error (error);
      back = tf_record_from_json (parsed, &error);
      g_assert_no_error (error);
      assert_verifies (&signer, back, 1, signature);
    }
}

/* --- what a server might change --------------------------------------------- */

/* Each column of each table, changed alone: a signed one breaks the
 * signature, one the server decides does not. */
static void
test_every_field (void)
{
  g_auto(Signer) signer = { 0 };
  guint n_tables, n_signed = 0, n_unsigned = 0;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  signer_init (&signer);
  for (guint t = 0; t < n_tables; t++)
    {
      g_autoptr(TfRecord) record = sample_record (&tables[t]);
      g_autofree char *signature = tf_signed_record_sign (signer.secret, record, 5, NULL);

      for (guint i = 0; i < tables[t].n_columns; i++)
        {
          const TfColumn *c = &tables[t].columns[i];
          g_autoptr(TfRecord) changed = tf_record_copy (record);

          g_test_message ("%s.%s", tables[t].name, c->name);
          json_object_set_member (changed->fields, c->name,
                                  other_value (c, json_object_get_member (record->fields,
                                                                          c->name)));
          if (tf_signed_column_is_signed (c))
            {
              assert_refused (&signer, changed, 5, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
              n_signed++;
            }
          else
            {
              assert_verifies (&signer, changed, 5, signature);
              n_unsigned++;
            }
          /* Removing a member is NULL, not another value. */
          json_object_remove_member (changed->fields, c->name);
          if (tf_signed_column_is_signed (c) &&
              !JSON_NODE_HOLDS_NULL (json_object_get_member (record->fields, c->name)))
            assert_refused (&signer, changed, 5, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
        }
    }
  /* The server-decided columns are exactly these: created_at/updated_at of
   * shared state, verified flags, a booking's price and length. */
  g_assert_cmpuint (n_unsigned, ==, 10);
  g_assert_cmpuint (n_signed, >, 100);
}

static void
test_server_decided (void)
{
  g_auto(Signer) signer = { 0 };
  g_autoptr(TfRecord) booking = sample_record (tf_registry_lookup ("appointments"));
  g_autofree char *signature = NULL;
  const char *decided[] = { "price", "duration", "created_at", "updated_at" };

  signer_init (&signer);
  signature = tf_signed_record_sign (signer.secret, booking, 2, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (decided); i++)
    g_assert_false (tf_signed_column_is_signed (
      tf_table_get_column (booking->table, decided[i])));
  json_object_set_string_member (booking->fields, "price", "75.00");
  json_object_set_int_member (booking->fields, "duration", 90);
  json_object_set_string_member (booking->fields, "created_at", "2026-02-01T00:00:00Z");
  json_object_set_null_member (booking->fields, "updated_at");
  assert_verifies (&signer, booking, 2, signature);
  /* ... but not the time the author chose. */
  json_object_set_string_member (booking->fields, "appointment_datetime",
                                 "2026-03-29T11:30:00Z");
  assert_refused (&signer, booking, 2, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
}

/* The sync envelope and a device's conflict bookkeeping are not the
 * author's: the server's version, a conflict_of member. */
static void
test_bookkeeping (void)
{
  g_autoptr(TfRecord) goal = record_from_fields ("goals", RECORD_ID, "{\"title\": \"Walk\"}");
  g_autoptr(TfRecord) kept = tf_record_copy (goal);
  g_autoptr(GBytes) before = tf_signed_record_encode (goal, 2, NULL);
  g_autoptr(GBytes) after = NULL;

  kept->version = 41;
  json_object_set_string_member (kept->fields, "conflict_of", GRANT_ID);
  after = tf_signed_record_encode (kept, 2, NULL);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_null_is_not_empty (void)
{
  g_auto(Signer) signer = { 0 };
  g_autoptr(TfRecord) with_null = record_from_fields (
    "goals", RECORD_ID, "{\"title\": \"Walk\", \"description\": null}");
  g_autoptr(TfRecord) with_empty = record_from_fields (
    "goals", RECORD_ID, "{\"title\": \"Walk\", \"description\": \"\"}");
  g_autofree char *s_null = NULL;
  g_autofree char *s_empty = NULL;

  signer_init (&signer);
  s_null = tf_signed_record_sign (signer.secret, with_null, 1, NULL);
  s_empty = tf_signed_record_sign (signer.secret, with_empty, 1, NULL);
  assert_refused (&signer, with_empty, 1, s_null, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  assert_refused (&signer, with_null, 1, s_empty, TF_CRYPTO_ERROR_BAD_SIGNATURE);
}

/* A column added to a table whose records were already signed
 * (TF_COLUMN_SIGNED_IF_SET: therapist_blocked_dates.end_date): a day off
 * signed by a device that knew only the four columns of before still
 * verifies where the table has five and the new one is null or absent;
 * a period's end, once there, is signed like any other value. */
static void
test_column_added_later (void)
{
  static const TfColumn before_columns[] = {
    { .name = "id", .type = TF_COLUMN_UUID },
    { .name = "therapist_id", .type = TF_COLUMN_UUID, .references = "therapists",
      .flags = TF_COLUMN_IMMUTABLE | TF_COLUMN_REQUIRED },
    { .name = "blocked_date", .type = TF_COLUMN_DATE, .flags = TF_COLUMN_REQUIRED },
    { .name = "reason", .type = TF_COLUMN_TEXT, .max_length = 255 },
  };
  const TfTable *now = tf_registry_lookup ("therapist_blocked_dates");
  TfTable before = *now;
  const char *day_off = "{\"id\": \"" RECORD_ID "\", \"therapist_id\": \"" USER_ID "\","
                        " \"blocked_date\": \"2026-08-03\", \"reason\": \"Summer\"}";
  g_auto(Signer) signer = { 0 };
  g_autoptr(TfRecord) old = record_from_fields ("therapist_blocked_dates", RECORD_ID, day_off);
  g_autoptr(TfRecord) read_now = NULL, with_end = NULL;
  g_autofree char *old_signature = NULL, *period_signature = NULL;

  g_assert_true (tf_table_get_column (now, "end_date")->flags & TF_COLUMN_SIGNED_IF_SET);
  before.columns = before_columns;
  before.n_columns = G_N_ELEMENTS (before_columns);
  signer_init (&signer);
  old->table = &before;
  old_signature = tf_signed_record_sign (signer.secret, old, 3, NULL);
  g_assert_nonnull (old_signature);

  /* Read with today's table, end_date absent or null: the same record. */
  read_now = record_from_fields ("therapist_blocked_dates", RECORD_ID, day_off);
  assert_verifies (&signer, read_now, 3, old_signature);
  json_object_set_null_member (read_now->fields, "end_date");
  assert_verifies (&signer, read_now, 3, old_signature);

  /* An end the author did not sign is refused; one they signed verifies. */
  with_end = tf_record_copy (read_now);
  json_object_set_string_member (with_end->fields, "end_date", "2026-08-21");
  assert_refused (&signer, with_end, 3, old_signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  period_signature = tf_signed_record_sign (signer.secret, with_end, 4, NULL);
  assert_verifies (&signer, with_end, 4, period_signature);
  json_object_set_string_member (with_end->fields, "end_date", "2026-08-28");
  assert_refused (&signer, with_end, 4, period_signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  json_object_remove_member (with_end->fields, "end_date");
  assert_refused (&signer, with_end, 4, period_signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);

  /* An appointment signed before migration 0016 (no move, no late mark)
   * verifies with the four columns there and null, as its row holds them
   * (late_cancellation has no default); marked late since, it does not. */
  {
    static const char * const added[] = { "previous_datetime", "moved_by", "moved_at",
                                          "late_cancellation", NULL };
    const TfTable *appointments = tf_registry_lookup ("appointments");
    TfTable before_0016 = *appointments;
    g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (TfColumn));
    g_autoptr(TfRecord) booked = sample_record (appointments);
    g_autoptr(TfRecord) read = NULL;
    g_autofree char *signature = NULL;

    for (guint i = 0; i < appointments->n_columns; i++)
      if (!g_strv_contains ((const char * const *) added, appointments->columns[i].name))
        g_array_append_val (kept, appointments->columns[i]);
      else
        json_object_remove_member (booked->fields, appointments->columns[i].name);
    g_assert_cmpuint (kept->len, ==, appointments->n_columns - (G_N_ELEMENTS (added) - 1));
    before_0016.columns = (const TfColumn *) kept->data;
    before_0016.n_columns = kept->len;
    read = tf_record_copy (booked);
    booked->table = &before_0016;
    signature = tf_signed_record_sign (signer.secret, booked, 2, NULL);
    g_assert_nonnull (signature);
    for (guint i = 0; added[i] != NULL; i++)
      json_object_set_null_member (read->fields, added[i]);
    assert_verifies (&signer, read, 2, signature);
    json_object_set_boolean_member (read->fields, "late_cancellation", TRUE);
    assert_refused (&signer, read, 2, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  }
}

/* Every table: a record signed by a device that knew none of the columns
 * added later (TF_COLUMN_SIGNED_IF_SET) verifies where they are there with
 * the values the older rows take — null, and false for a
 * TF_COLUMN_SIGNED_IF_TRUE flag — and an appointment moved or marked since
 * (a value in one) does not.  A flag whose null means something else than
 * false keeps false signed: a session not shared with the client cannot be
 * shown as one from before the choice (null: shared). */
static void
test_every_column_added_later (void)
{
  g_auto(Signer) signer = { 0 };
  const TfTable *tables;
  guint n_tables, n_added = 0;

  signer_init (&signer);
  tables = tf_registry_get_tables (&n_tables);
  for (guint t = 0; t < n_tables; t++)
    {
      g_autoptr(GArray) before = g_array_new (FALSE, FALSE, sizeof (TfColumn));
      TfTable old_table = tables[t];
      g_autoptr(TfRecord) old = sample_record (&tables[t]);
      g_autoptr(TfRecord) now = NULL;
      g_autofree char *signature = NULL;

      for (guint i = 0; i < tables[t].n_columns; i++)
        if (!(tables[t].columns[i].flags & TF_COLUMN_SIGNED_IF_SET))
          g_array_append_val (before, tables[t].columns[i]);
        else
          json_object_remove_member (old->fields, tables[t].columns[i].name);
      if (before->len == tables[t].n_columns)
        continue;
      old_table.columns = (const TfColumn *) before->data;
      old_table.n_columns = before->len;
      now = tf_record_copy (old);
      old->table = &old_table;
      signature = tf_signed_record_sign (signer.secret, old, 2, NULL);
      g_assert_nonnull (signature);
      for (guint i = 0; i < tables[t].n_columns; i++)
        {
          const TfColumn *c = &tables[t].columns[i];

          if (!(c->flags & TF_COLUMN_SIGNED_IF_SET))
            continue;
          g_test_message ("%s.%s", tables[t].name, c->name);
          n_added++;
          if (c->flags & TF_COLUMN_SIGNED_IF_TRUE)
            json_object_set_boolean_member (now->fields, c->name, FALSE);
          else
            json_object_set_null_member (now->fields, c->name);
        }
      assert_verifies (&signer, now, 2, signature);
      for (guint i = 0; i < tables[t].n_columns; i++)
        {
          const TfColumn *c = &tables[t].columns[i];
          g_autoptr(TfRecord) changed = NULL;
          g_autoptr(TfRecord) full = NULL;

          if (!(c->flags & TF_COLUMN_SIGNED_IF_SET))
            continue;
          changed = tf_record_copy (now);
          full = sample_record (&tables[t]);
          json_object_set_member (changed->fields, c->name,
                                  json_node_copy (json_object_get_member (full->fields,
                                                                          c->name)));
          if (c->type == TF_COLUMN_BOOLEAN)
            json_object_set_boolean_member (changed->fields, c->name, TRUE);
          assert_refused (&signer, changed, 2, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
        }
    }
  /* end_date; series_id and the four of a move and a late cancellation. */
  g_assert_cmpuint (n_added, >=, 6);

  {
    const TfTable *sessions = tf_registry_lookup ("sessions");
    const TfColumn *shared = tf_table_get_column (sessions, "shared_with_client");
    g_autoptr(TfRecord) not_shared = sample_record (sessions);
    g_autoptr(TfRecord) from_before = NULL;
    g_autofree char *signature = NULL;

    g_assert_nonnull (shared);
    g_assert_false (shared->flags & TF_COLUMN_SIGNED_IF_TRUE);
    json_object_set_boolean_member (not_shared->fields, "shared_with_client", FALSE);
    signature = tf_signed_record_sign (signer.secret, not_shared, 3, NULL);
    from_before = tf_record_copy (not_shared);
    json_object_set_null_member (from_before->fields, "shared_with_client");
    assert_refused (&signer, from_before, 3, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  }
}

/* Values swapped between two columns, text carried over a column
 * boundary, or the signature of one record shown with another's id, table
 * or revision. */
static void
test_moved (void)
{
  g_auto(Signer) signer = { 0 };
  g_autoptr(TfRecord) goal = record_from_fields (
    "goals", RECORD_ID,
    "{\"title\": \"Walk\", \"description\": \"daily\", \"category\": \"health\"}");
  g_autoptr(TfRecord) swapped = record_from_fields (
    "goals", RECORD_ID,
    "{\"title\": \"daily\", \"description\": \"Walk\", \"category\": \"health\"}");
  g_autoptr(TfRecord) shifted = record_from_fields (
    "goals", RECORD_ID,
    "{\"title\": \"Walkd\", \"description\": \"aily\", \"category\": \"health\"}");
  g_autoptr(TfRecord) other_id = tf_record_copy (goal);
  g_autoptr(TfRecord) other_table = NULL;
  g_autofree char *signature = NULL;

  signer_init (&signer);
  signature = tf_signed_record_sign (signer.secret, goal, 4, NULL);
  assert_verifies (&signer, goal, 4, signature);
  assert_refused (&signer, swapped, 4, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  assert_refused (&signer, shifted, 4, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);

  g_free (other_id->id);
  other_id->id = g_strdup (GRANT_ID);
  assert_refused (&signer, other_id, 4, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);

  /* journal_entries has title, category too: the same members under another table. */
  other_table = tf_record_copy (goal);
  other_table->table = tf_registry_lookup ("journal_entries");
  assert_refused (&signer, other_table, 4, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);

  /* An older (or newer) revision of the same content. */
  assert_refused (&signer, goal, 3, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  assert_refused (&signer, goal, 5, signature, TF_CRYPTO_ERROR_BAD_SIGNATURE);
}

/* --- signatures themselves -------------------------------------------------- */

static void
test_malformed_signatures (void)
{
  g_auto(Signer) signer = { 0 };
  g_auto(Signer) other = { 0 };
  g_autoptr(TfRecord) goal = record_from_fields ("goals", RECORD_ID, "{\"title\": \"Walk\"}");
  g_autofree char *good = NULL;
  g_autofree char *by_other = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *no_sig = NULL;
  g_autofree char *plain_sig = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *relabelled = NULL;
  g_autofree char *good_label = NULL;
  gsize id_end = strlen (TF_SIGNED_PREFIX) + 40;

  signer_init (&signer);
  signer_init (&other);
  good = tf_signed_record_sign (signer.secret, goal, 1, NULL);
  by_other = tf_signed_record_sign (other.secret, goal, 1, NULL);
  g_assert_cmpuint (strlen (good), ==, id_end + 1 + 88);

  assert_refused (&signer, goal, 1, "", TF_CRYPTO_ERROR_FORMAT);
  assert_refused (&signer, goal, 1, "tfs1:", TF_CRYPTO_ERROR_FORMAT);
  assert_refused (&signer, goal, 1, good + strlen (TF_SIGNED_PREFIX), TF_CRYPTO_ERROR_FORMAT);
  lower = g_ascii_strdown (good, -1);
  assert_refused (&signer, goal, 1, lower, TF_CRYPTO_ERROR_FORMAT);
  truncated = g_strndup (good, strlen (good) - 4);
  assert_refused (&signer, goal, 1, truncated, TF_CRYPTO_ERROR_FORMAT);
  no_sig = g_strndup (good, id_end + 1);
  assert_refused (&signer, goal, 1, no_sig, TF_CRYPTO_ERROR_FORMAT);
  /* tf_crypto_sign()'s bare base64, without the key id. */
  plain_sig = g_strdup (good + id_end + 1);
  assert_refused (&signer, goal, 1, plain_sig, TF_CRYPTO_ERROR_FORMAT);

  /* Another key's signature, labelled as such ... */
  assert_refused (&signer, goal, 1, by_other, TF_CRYPTO_ERROR_WRONG_KEY);
  /* ... or carrying the trusted key's id: forged. */
  good_label = g_strndup (good, id_end + 1);
  relabelled = g_strconcat (good_label, by_other + id_end + 1, NULL);
  assert_refused (&signer, goal, 1, relabelled, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  /* One bit of the signature flipped (the first base64 digit after the id). */
  forged = g_strdup (good);
  forged[id_end + 1] = forged[id_end + 1] == 'A' ? 'B' : 'A';
  assert_refused (&signer, goal, 1, forged, TF_CRYPTO_ERROR_BAD_SIGNATURE);

  assert_verifies (&signer, goal, 1, good);
}

static void
test_not_encodable (void)
{
  g_auto(Signer) signer = { 0 };
  const char *bad[] = {
    "{\"target_count\": \"3\"}",        /* an integer column holding text */
    "{\"title\": 3}",                   /* a text column holding a number */
    "{\"created_at\": \"yesterday\"}",  /* a timestamp that does not parse */
    "{\"title\": [\"Walk\"]}",          /* an array where text belongs */
  };

  signer_init (&signer);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TfRecord) goal = record_from_fields ("goals", RECORD_ID, bad[i]);
      g_autoptr(GError) error = NULL;
      g_autofree char *signature = tf_signed_record_sign (signer.secret, goal, 1, &error);

      g_assert_null (signature);
      g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
    }
}

/* --- grants --------------------------------------------------------------- */

static void
test_grant (void)
{
  g_auto(Signer) signer = { 0 };
  g_autoptr(TfRecord) grant = golden_grant ();
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *other_sealed = NULL;
  guint8 sealed[80];
  const struct { const char *member; const char *value; } changes[] = {
    { "table_name", "mood_entries" },
    { "record_id", GRANT_ID },
    { "recipient_id", RECORD_ID },
    { "sealed_key", NULL }, /* filled below */
  };

  signer_init (&signer);
  signature = tf_signed_grant_sign (signer.secret, grant, 3, &error);
  g_assert_no_error (error);
  g_assert_true (tf_signed_grant_verify (signer.public_b64, grant, 3, signature, &error));
  g_assert_no_error (error);

  /* The server's clock is not the granter's. */
  json_object_set_string_member (grant->fields, "created_at", "2026-05-01T00:00:00Z");
  g_assert_true (tf_signed_grant_verify (signer.public_b64, grant, 3, signature, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < sizeof sealed; i++)
    sealed[i] = i == 79 ? 0xff : i;
  other_sealed = g_base64_encode (sealed, sizeof sealed);
  for (guint i = 0; i < G_N_ELEMENTS (changes); i++)
    {
      g_autoptr(TfRecord) changed = tf_record_copy (grant);

      json_object_set_string_member (changed->fields, changes[i].member,
                                     changes[i].value ? changes[i].value : other_sealed);
      g_assert_false (tf_signed_grant_verify (signer.public_b64, changed, 3, signature, &error));
      g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
      g_clear_error (&error);
    }
  {
    g_autoptr(TfRecord) changed = tf_record_copy (grant);

    g_free (changed->id);
    changed->id = g_strdup (RECORD_ID);
    g_assert_false (tf_signed_grant_verify (signer.public_b64, changed, 3, signature, &error));
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);
  }
  g_assert_false (tf_signed_grant_verify (signer.public_b64, grant, 2, signature, &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);

  /* A record's signature is not a grant's, though the key is the same. */
  {
    g_autoptr(TfRecord) as_record = tf_record_copy (grant);
    g_autofree char *record_signature = tf_signed_record_sign (signer.secret, as_record, 3, NULL);

    g_assert_false (tf_signed_grant_verify (signer.public_b64, grant, 3, record_signature,
                                            &error));
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
    g_clear_error (&error);
  }
}

static void
test_grant_malformed (void)
{
  g_auto(Signer) signer = { 0 };
  const char *sealed[] = { "", "AAEC", "not base64!", GOLDEN_SEALED_KEY "AAAA" };
  g_autoptr(TfRecord) goal = record_from_fields ("goals", RECORD_ID, "{\"title\": \"Walk\"}");
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;

  signer_init (&signer);
  for (guint i = 0; i < G_N_ELEMENTS (sealed); i++)
    {
      g_autoptr(TfRecord) grant = golden_grant ();

      json_object_set_string_member (grant->fields, "sealed_key", sealed[i]);
      signature = tf_signed_grant_sign (signer.secret, grant, 1, &error);
      g_assert_null (signature);
      g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
      g_clear_error (&error);
    }
  {
    g_autoptr(TfRecord) grant = golden_grant ();

    json_object_remove_member (grant->fields, "recipient_id");
    g_assert_null (tf_signed_grant_encode (grant, 1, &error));
    g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
    g_clear_error (&error);
  }
  /* Only a key_grants record is a grant. */
  g_assert_null (tf_signed_grant_encode (goal, 1, &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));

  g_test_add_func ("/tf/signed/golden/record", test_golden_record);
  g_test_add_func ("/tf/signed/golden/grant", test_golden_grant);
  g_test_add_func ("/tf/signed/golden/tombstone", test_golden_tombstone);
  g_test_add_func ("/tf/signed/envelope-shape", test_envelope_shape);
  g_test_add_func ("/tf/signed/same-content-same-bytes", test_same_content_same_bytes);
  g_test_add_func ("/tf/signed/round-trip", test_round_trip);
  g_test_add_func ("/tf/signed/every-field", test_every_field);
  g_test_add_func ("/tf/signed/server-decided", test_server_decided);
  g_test_add_func ("/tf/signed/bookkeeping", test_bookkeeping);
  g_test_add_func ("/tf/signed/null-is-not-empty", test_null_is_not_empty);
  g_test_add_func ("/tf/signed/column-added-later", test_column_added_later);
  g_test_add_func ("/tf/signed/every-column-added-later", test_every_column_added_later);
  g_test_add_func ("/tf/signed/moved", test_moved);
  g_test_add_func ("/tf/signed/malformed", test_malformed_signatures);
  g_test_add_func ("/tf/signed/not-encodable", test_not_encodable);
  g_test_add_func ("/tf/signed/grant", test_grant);
  g_test_add_func ("/tf/signed/grant-malformed", test_grant_malformed);

  return g_test_run ();
}
