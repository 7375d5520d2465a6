/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-codec.c: the registry, the record/mutation JSON codec and validation.
 *
 * For every synced table a complete valid record is built from the registry
 * itself, then each column is broken in each way its rules forbid; the codec
 * must name the problem with the right error code every time.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-record.h"
#include "tf-registry.h"
#include "tf-validate.h"

#include "tf-test-sample.h"

#define ID_A "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10"
#define ID_B "5a0c2f11-6f0b-4d8e-8b6e-0f3c6f1d2a77"

static JsonNode *
record_json (const TfTable *table, JsonObject *fields, gint64 version, gboolean deleted)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, table->name);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ID_A);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, version);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, deleted);
  json_builder_set_member_name (builder, "fields");
  json_builder_begin_object (builder);
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;

    json_object_iter_init (&iter, fields);
    while (json_object_iter_next (&iter, &name, &value))
      {
        json_builder_set_member_name (builder, name);
        json_builder_add_value (builder, json_node_copy (value));
      }
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Decodes @table's sample record with @column replaced by @value (NULL:
 * removed) and checks the error. */
static void
assert_field_error (const TfTable *table, const char *column, JsonNode *value,
                    GQuark domain, int code)
{
  g_autoptr(JsonObject) fields = tf_test_sample_fields (table, ID_A);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TfRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (value != NULL)
    json_object_set_member (fields, column, value);
  else
    json_object_remove_member (fields, column);
  node = record_json (table, fields, 1, FALSE);
  record = tf_record_from_json (node, &error);
  if (record != NULL)
    g_error ("%s.%s: a bad value was accepted", table->name, column);
  if (!g_error_matches (error, domain, code))
    g_error ("%s.%s: expected %s/%d, got %s/%d: %s", table->name, column,
             g_quark_to_string (domain), code, g_quark_to_string (error->domain), error->code,
             error->message);
  /* Every message names what was wrong. */
  g_assert_nonnull (strstr (error->message, column));
}

/* A column encrypted later (TF_COLUMN_WAS_PLAIN): a record from the server
 * may still hold an old row's plaintext, and keeps it as it is; a mutation,
 * what a device pushes, never may. */
static void
assert_legacy_plaintext (const TfTable *table, const TfColumn *column)
{
  g_autoptr(JsonObject) fields = tf_test_sample_fields (table, ID_A);
  g_autoptr(JsonNode) plain = column->type == TF_COLUMN_JSON
                                ? json_from_string ("[\"plain words\"]", NULL)
                                : json_node_init_string (json_node_alloc (), "plain words");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TfRecord) record = NULL;
  g_autoptr(TfMutation) mutation = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) mutation_node = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_member (fields, column->name, json_node_copy (plain));
  node = record_json (table, fields, 1, FALSE);
  record = tf_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (json_object_get_member (record->fields, column->name), plain));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mutation_id");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, table->name);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, ID_A);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, "upsert");
  json_builder_set_member_name (builder, "base_version");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, json_node_init_object (json_node_alloc (), fields));
  json_builder_end_object (builder);
  mutation_node = json_builder_get_root (builder);
  mutation = tf_mutation_from_json (mutation_node, &error);
  g_assert_null (mutation);
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ENCRYPTED);
}

static void
test_registry_consistent (void)
{
  guint n;
  const TfTable *tables = tf_registry_get_tables (&n);

  g_assert_cmpuint (n, >=, 16);
  for (guint t = 0; t < n; t++)
    {
      const TfTable *table = &tables[t];
      const TfColumn *key = tf_table_get_column (table, table->key_column);

      g_assert_true (tf_registry_lookup (table->name) == table);
      g_assert_nonnull (key);
      g_assert_cmpint (key->type, ==, TF_COLUMN_UUID);
      if (table->owner_column)
        g_assert_nonnull (tf_table_get_column (table, table->owner_column));
      if (table->client_column)
        g_assert_nonnull (tf_table_get_column (table, table->client_column));
      if (table->therapist_column)
        g_assert_nonnull (tf_table_get_column (table, table->therapist_column));
      if (table->parent_column)
        {
          g_assert_nonnull (tf_table_get_column (table, table->parent_column));
          g_assert_nonnull (tf_registry_lookup (table->parent_table));
        }
      /* A record is reachable: an owner, or a parent that has one. */
      g_assert_true (table->owner_column || table->parent_column || table->client_column ||
                     table->audience == TF_AUDIENCE_DIRECTORY);
      /* Tables with encrypted fields carry the wrapped data key. */
      if (tf_table_has_encrypted (table))
        g_assert_nonnull (tf_table_get_column (table, "enc_key"));
      for (guint c = 0; c < table->n_columns; c++)
        for (guint d = c + 1; d < table->n_columns; d++)
          g_assert_cmpstr (table->columns[c].name, !=, table->columns[d].name);
    }
  g_assert_null (tf_registry_lookup ("users"));   /* accounts are not synced records */
  g_assert_null (tf_registry_lookup (NULL));
  g_assert_true (tf_table_has_encrypted (tf_registry_lookup ("session_notes")));
  g_assert_false (tf_table_has_encrypted (tf_registry_lookup ("goals")));
}

static void
test_round_trip_every_table (void)
{
  guint n;
  const TfTable *tables = tf_registry_get_tables (&n);

  for (guint t = 0; t < n; t++)
    {
      g_autoptr(JsonObject) fields = tf_test_sample_fields (&tables[t], ID_A);
      g_autoptr(JsonNode) node = record_json (&tables[t], fields, 42, FALSE);
      g_autoptr(GError) error = NULL;
      g_autoptr(TfRecord) record = tf_record_from_json (node, &error);
      g_autoptr(JsonNode) again = NULL;
      g_autoptr(TfRecord) record2 = NULL;
      g_autofree char *text1 = NULL, *text2 = NULL;

      if (record == NULL)
        g_error ("%s: valid sample refused: %s", tables[t].name, error->message);
      g_assert_true (record->table == &tables[t]);
      g_assert_cmpstr (record->id, ==, ID_A);
      g_assert_cmpint (record->version, ==, 42);
      g_assert_false (record->deleted);

      again = tf_record_to_json (record);
      record2 = tf_record_from_json (again, &error);
      g_assert_no_error (error);
      text1 = tf_json_to_string (again);
      {
        g_autoptr(JsonNode) third = tf_record_to_json (record2);
        text2 = tf_json_to_string (third);
      }
      g_assert_cmpstr (text1, ==, text2);
    }
}

static void
test_every_column_rule (void)
{
  guint n;
  const TfTable *tables = tf_registry_get_tables (&n);
  JsonNode *node;

  for (guint t = 0; t < n; t++)
    {
      const TfTable *table = &tables[t];

      for (guint c = 0; c < table->n_columns; c++)
        {
          const TfColumn *column = &table->columns[c];

          if (g_str_equal (column->name, table->key_column))
            continue;

          /* wrong JSON type: an object is never a scalar column */
          if (column->type != TF_COLUMN_JSON && !(column->flags & TF_COLUMN_ENCRYPTED))
            {
              node = json_from_string ("{\"x\": 1}", NULL);
              assert_field_error (table, column->name, node, TF_PROTOCOL_ERROR,
                                  TF_PROTOCOL_ERROR_WRONG_TYPE);
            }
          if (column->flags & TF_COLUMN_REQUIRED)
            {
              assert_field_error (table, column->name, json_node_init_null (json_node_alloc ()),
                                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED);
              assert_field_error (table, column->name, NULL,
                                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED);
            }
          if (column->flags & TF_COLUMN_WAS_PLAIN)
            assert_legacy_plaintext (table, column);
          else if (column->flags & TF_COLUMN_ENCRYPTED)
            assert_field_error (table, column->name,
                                json_node_init_string (json_node_alloc (), "plain words"),
                                TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ENCRYPTED);
          else if (column->has_range)
            {
              if (column->min > G_MININT32)
                assert_field_error (table, column->name,
                                    json_node_init_int (json_node_alloc (), column->min - 1),
                                    TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
              if (column->max < G_MAXINT32)
                assert_field_error (table, column->name,
                                    json_node_init_int (json_node_alloc (), column->max + 1),
                                    TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
              /* 5.0 is not an integer on this wire */
              assert_field_error (table, column->name,
                                  json_node_init_double (json_node_alloc (), 5.0),
                                  TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
            }
          else if (column->choices != NULL)
            assert_field_error (table, column->name,
                                json_node_init_string (json_node_alloc (), "something-else"),
                                TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ALLOWED);
          /* An encrypted column's cap is its plaintext's, checked on the
           * device (tf_validate_plaintext); on the wire a plaintext there
           * is refused as not encrypted, unless the column was plain once. */
          if (column->max_length > 0 && column->choices == NULL &&
              column->format == TF_FORMAT_NONE &&
              (!(column->flags & TF_COLUMN_ENCRYPTED) || (column->flags & TF_COLUMN_WAS_PLAIN)))
            {
              g_autofree char *longer = NULL;
              GString *s = g_string_new (NULL);

              /* Greek letters are two bytes: length counts characters. */
              for (guint i = 0; i <= column->max_length; i++)
                g_string_append (s, "α");
              longer = g_string_free (s, FALSE);
              assert_field_error (table, column->name,
                                  json_node_init_string (json_node_alloc (), longer),
                                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG);
            }
          if (column->type == TF_COLUMN_UUID)
            assert_field_error (table, column->name,
                                json_node_init_string (json_node_alloc (), "not-a-uuid"),
                                TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
          if (column->type == TF_COLUMN_DATE)
            assert_field_error (table, column->name,
                                json_node_init_string (json_node_alloc (), "2026-02-30"),
                                TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
          if (column->type == TF_COLUMN_TIMESTAMP)
            assert_field_error (table, column->name,
                                json_node_init_string (json_node_alloc (), "2026-03-29 10:30"),
                                TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
          if (column->type == TF_COLUMN_MONEY)
            {
              assert_field_error (table, column->name,
                                  json_node_init_string (json_node_alloc (), "-1.00"),
                                  TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
              assert_field_error (table, column->name,
                                  json_node_init_double (json_node_alloc (), 50.0),
                                  TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
            }
        }
      /* A field the table does not have. */
      assert_field_error (table, "no_such_column",
                          json_node_init_int (json_node_alloc (), 1),
                          TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_FIELD);
    }
}

static void
assert_record_error (const char *json, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tf_json_parse (json, -1, &error);
  g_autoptr(TfRecord) record = NULL;

  if (node != NULL)
    record = tf_record_from_json (node, &error);
  if (record != NULL)
    g_error ("accepted: %s", json);
  if (!g_error_matches (error, domain, code))
    g_error ("%s: expected %s/%d, got %s/%d: %s", json, g_quark_to_string (domain), code,
             g_quark_to_string (error->domain), error->code, error->message);
}

static void
test_malformed_records (void)
{
  const TfProtocolError bad_json = TF_PROTOCOL_ERROR_BAD_JSON;

  assert_record_error ("", TF_PROTOCOL_ERROR, bad_json);
  assert_record_error ("{", TF_PROTOCOL_ERROR, bad_json);
  assert_record_error ("{\"table\": \"goals\",}", TF_PROTOCOL_ERROR, bad_json);
  assert_record_error ("{\"table\": \"go\xc3\x28ls\"}", TF_PROTOCOL_ERROR, bad_json);
  assert_record_error ("[1, 2]", TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
  assert_record_error ("{\"table\": \"users\", \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": false, \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_TABLE);
  assert_record_error ("{\"table\": \"goals; DROP TABLE users\", \"id\": \"" ID_A "\","
                       " \"version\": 1, \"deleted\": false, \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_TABLE);
  assert_record_error ("{\"table\": 7, \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": false, \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
  assert_record_error ("{\"id\": \"" ID_A "\", \"version\": 1, \"deleted\": false,"
                       " \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": false, \"fields\": {}, \"extra\": 1}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_FIELD);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"0B6E4C1A-8C3E-4B8E-9A51-3F0F7D2C9E10\","
                       " \"version\": 1, \"deleted\": false, \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": -1,"
                       " \"deleted\": false, \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 1.5,"
                       " \"deleted\": false, \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": \"no\", \"fields\": {}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": false, \"fields\": []}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": false}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD);
  /* The key column, if sent, is the record id. */
  assert_record_error ("{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 1,"
                       " \"deleted\": false, \"fields\": {\"id\": \"" ID_B "\","
                       " \"user_id\": \"" ID_B "\", \"title\": \"x\"}}",
                       TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  /* SQL-looking text is just text. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = tf_json_parse (
        "{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 0, \"deleted\": false,"
        " \"fields\": {\"user_id\": \"" ID_B "\", \"title\": \"'); DROP TABLE goals; --\"}}",
        -1, &error);
    g_autoptr(TfRecord) record = tf_record_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (record->fields, "title"), ==,
                     "'); DROP TABLE goals; --");
    g_assert_cmpstr (json_object_get_string_member (record->fields, "id"), ==, ID_A);
  }
  /* A tombstone need not carry every required field. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = tf_json_parse (
        "{\"table\": \"goals\", \"id\": \"" ID_A "\", \"version\": 9, \"deleted\": true,"
        " \"fields\": {}}", -1, &error);
    g_autoptr(TfRecord) record = tf_record_from_json (node, &error);

    g_assert_no_error (error);
    g_assert_true (record->deleted);
  }
}

static void
test_timestamps_normalised (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tf_json_parse (
      "{\"table\": \"goal_progress\", \"id\": \"" ID_A "\", \"version\": 0, \"deleted\": false,"
      " \"fields\": {\"goal_id\": \"" ID_B "\", \"completed_date\": \"2026-10-25\","
      " \"created_at\": \"2026-10-25T03:30:00+03:00\"}}", -1, &error);
  g_autoptr(TfRecord) record = tf_record_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record->fields, "created_at"), ==,
                   "2026-10-25T00:30:00Z");
}

static void
assert_mutation_error (const char *json, GQuark domain, int code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tf_json_parse (json, -1, &error);
  g_autoptr(TfMutation) mutation = NULL;

  g_assert_no_error (error);
  mutation = tf_mutation_from_json (node, &error);
  if (mutation != NULL)
    g_error ("accepted: %s", json);
  if (!g_error_matches (error, domain, code))
    g_error ("%s: expected %s/%d, got %s/%d: %s", json, g_quark_to_string (domain), code,
             g_quark_to_string (error->domain), error->code, error->message);
}

static void
test_mutations (void)
{
  const char *good =
    "{\"mutation_id\": 7, \"table\": \"mood_entries\", \"id\": \"" ID_A "\","
    " \"op\": \"upsert\", \"base_version\": 3, \"fields\": {\"user_id\": \"" ID_B "\","
    " \"mood_value\": 7, \"created_at\": \"2026-11-24T09:00:00Z\"}}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = tf_json_parse (good, -1, &error);
  g_autoptr(TfMutation) mutation = tf_mutation_from_json (node, &error);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(TfMutation) mutation2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (mutation->mutation_id, ==, 7);
  g_assert_cmpint (mutation->op, ==, TF_MUTATION_UPSERT);
  g_assert_cmpint (mutation->base_version, ==, 3);
  g_assert_cmpint (json_object_get_int_member (mutation->fields, "mood_value"), ==, 7);
  again = tf_mutation_to_json (mutation);
  mutation2 = tf_mutation_from_json (again, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mutation2->id, ==, ID_A);

  {
    g_autoptr(JsonNode) del = tf_json_parse (
        "{\"mutation_id\": 8, \"table\": \"mood_entries\", \"id\": \"" ID_A "\","
        " \"op\": \"delete\", \"base_version\": 4}", -1, &error);
    g_autoptr(TfMutation) m = tf_mutation_from_json (del, &error);
    g_assert_no_error (error);
    g_assert_cmpint (m->op, ==, TF_MUTATION_DELETE);
    g_assert_null (m->fields);
  }

  assert_mutation_error ("{\"mutation_id\": 0, \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"delete\", \"base_version\": 0}",
                         TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  assert_mutation_error ("{\"mutation_id\": \"1\", \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"delete\", \"base_version\": 0}",
                         TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE);
  assert_mutation_error ("{\"mutation_id\": 1, \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"merge\", \"base_version\": 0}",
                         TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  assert_mutation_error ("{\"mutation_id\": 1, \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"delete\", \"base_version\": 0, \"fields\": {}}",
                         TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE);
  assert_mutation_error ("{\"mutation_id\": 1, \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"upsert\", \"base_version\": 0}",
                         TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD);
  assert_mutation_error ("{\"mutation_id\": 1, \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"title\": \"x\"}}",
                         TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED);
  assert_mutation_error ("{\"mutation_id\": 1, \"table\": \"mood_entries\", \"id\": \"" ID_A "\","
                         " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"user_id\": \""
                         ID_B "\", \"mood_value\": 11, \"created_at\": \"2026-11-24T09:00:00Z\"}}",
                         TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE);
  assert_mutation_error ("{\"mutation_id\": 1, \"table\": \"goals\", \"id\": \"" ID_A "\","
                         " \"op\": \"delete\"}",
                         TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD);
}

static void
test_cross_field_rules (void)
{
  const TfTable *availability = tf_registry_lookup ("therapist_availability");
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autoptr(JsonObject) fields = tf_test_sample_fields (availability, ID_A);
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_validate_fields (availability, fields, TF_VALIDATE_FULL, &error));
  json_object_set_string_member (fields, "end_time", "08:00:00");
  g_assert_false (tf_validate_fields (availability, fields, TF_VALIDATE_FULL, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  g_clear_error (&error);
  json_object_set_string_member (fields, "end_time", "09:00:00"); /* equal is not after */
  g_assert_false (tf_validate_fields (availability, fields, TF_VALIDATE_FULL, &error));
  g_clear_error (&error);
  json_object_set_string_member (fields, "end_time", "10:00:00");
  json_object_set_string_member (fields, "effective_from", "2026-05-01");
  json_object_set_string_member (fields, "effective_until", "2026-04-30");
  g_assert_false (tf_validate_fields (availability, fields, TF_VALIDATE_FULL, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
  g_clear_error (&error);

  {
    g_autoptr(JsonObject) appt = tf_test_sample_fields (appointments, ID_A);

    g_assert_true (tf_validate_fields (appointments, appt, TF_VALIDATE_FULL, &error));
    /* check_appointment_future, across offsets */
    json_object_set_string_member (appt, "created_at", "2026-03-29T13:00:00+02:00");
    json_object_set_string_member (appt, "appointment_datetime", "2026-03-29T10:30:00Z");
    g_assert_false (tf_validate_fields (appointments, appt, TF_VALIDATE_FULL, &error));
    g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
    g_clear_error (&error);
    json_object_set_string_member (appt, "created_at", "2026-01-10T08:00:00Z");
    json_object_set_string_member (appt, "status", "cancelled");
    g_assert_false (tf_validate_fields (appointments, appt, TF_VALIDATE_FULL, &error));
    g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT);
    g_clear_error (&error);
    json_object_set_string_member (appt, "cancelled_by", ID_B);
    json_object_set_string_member (appt, "cancelled_at", "2026-03-01T12:00:00Z");
    g_assert_true (tf_validate_fields (appointments, appt, TF_VALIDATE_FULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_domains (void)
{
  const char *good_emails[] = { "a@b.gr", "eleni.papadopoulou+tf@example.com", "x_y%z@sub.ex-ample.org" };
  const char *bad_emails[] = { "", "plain", "a@b", "a@b.c", "a b@c.gr", "@c.gr", "α@β.gr" };
  const char *good_phones[] = { "+30 210 123 4567", "6912345678", "(210) 123-4567" };
  const char *bad_phones[] = { "", "call me", "+30 210 123 4567 890 12", "++30", "69x" };
  const char *good_money[] = { "0", "50", "50.5", "50.00", "99999999.99" };
  const char *bad_money[] = { "", "50.", ".5", "1.234", "123456789", "1e3", "50,00", " 50" };
  const char *good_codes[] = { "F32", "F32.1", "F43.10", "Z63.0", "U07.1" };
  const char *bad_codes[] = { "", "f32", "F3", "32F", "F32.", "F32.12345", "FF2" };

  for (guint i = 0; i < G_N_ELEMENTS (good_emails); i++)
    g_assert_true (tf_validate_email (good_emails[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_emails); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (tf_validate_email (bad_emails[i], &error));
      g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good_phones); i++)
    g_assert_true (tf_validate_phone (good_phones[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_phones); i++)
    g_assert_false (tf_validate_phone (bad_phones[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (good_money); i++)
    g_assert_true (tf_validate_money (good_money[i], TRUE, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_money); i++)
    g_assert_false (tf_validate_money (bad_money[i], FALSE, NULL));
  g_assert_true (tf_validate_money ("-5.00", FALSE, NULL));
  g_assert_false (tf_validate_money ("-5.00", TRUE, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (good_codes); i++)
    g_assert_true (tf_validate_icd10_code (good_codes[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (bad_codes); i++)
    g_assert_false (tf_validate_icd10_code (bad_codes[i], NULL));
}

static void
test_plaintext_rules (void)
{
  const TfTable *plans = tf_registry_lookup ("treatment_plans");
  const TfColumn *codes = tf_table_get_column (plans, "diagnosis_codes");
  const TfColumn *goals = tf_table_get_column (plans, "treatment_goals");
  static const char * const odd_codes[] = {
    "[{\"code\": {}}]", "[{\"code\": [\"F32\"]}]", "[{\"code\": 32}]",
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_validate_plaintext (plans, codes, "[\"F32.1\", {\"code\": \"F41.1\"}]", &error));
  g_assert_no_error (error);
  g_assert_false (tf_validate_plaintext (plans, codes, "[\"F32.1\", \"depression\"]", &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "depression"));
  g_clear_error (&error);
  g_assert_false (tf_validate_plaintext (plans, codes, "\"F32\"", &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
  g_clear_error (&error);
  /* A code that is not a string is no code (it stopped the device on a
   * GLib critical). */
  for (guint i = 0; i < G_N_ELEMENTS (odd_codes); i++)
    {
      g_assert_false (tf_validate_plaintext (plans, codes, odd_codes[i], &error));
      g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
      g_clear_error (&error);
    }
  g_assert_false (tf_validate_plaintext (plans, goals, "{not json", &error));
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON);
  g_clear_error (&error);
  g_assert_true (tf_validate_plaintext (plans, goals, "{\"στόχος\": \"ύπνος\"}", &error));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));

  g_test_add_func ("/tf/registry/consistent", test_registry_consistent);
  g_test_add_func ("/tf/codec/round-trip-every-table", test_round_trip_every_table);
  g_test_add_func ("/tf/codec/every-column-rule", test_every_column_rule);
  g_test_add_func ("/tf/codec/malformed-records", test_malformed_records);
  g_test_add_func ("/tf/codec/timestamps-normalised", test_timestamps_normalised);
  g_test_add_func ("/tf/codec/mutations", test_mutations);
  g_test_add_func ("/tf/validate/cross-field-rules", test_cross_field_rules);
  g_test_add_func ("/tf/validate/domains", test_domains);
  g_test_add_func ("/tf/validate/plaintext-rules", test_plaintext_rules);
  return g_test_run ();
}
