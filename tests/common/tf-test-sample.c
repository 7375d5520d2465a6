/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-sample.c: a complete, valid record of any synced table, built
 * from the registry itself, for the codec tests and the fuzz corpora; and
 * text of a given length, for the length caps of the validation (common)
 * and of the server (server).
 */
#define G_LOG_DOMAIN "tf-test"

#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-test-sample.h"

static char *
test_envelope (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);

  return tf_crypto_encrypt_field (key, "t", TF_TEST_SAMPLE_ID, "c", "secret text", NULL);
}

/* A valid wire value for @column. */
JsonNode *
tf_test_sample_value (const TfColumn *column)
{
  JsonNode *node = json_node_alloc ();

  if (column->flags & TF_COLUMN_ENCRYPTED)
    {
      g_autofree char *envelope = test_envelope ();
      return json_node_init_string (node, envelope);
    }
  if (column->choices != NULL)
    return json_node_init_string (node, column->choices[0]);

  switch (column->type)
    {
    case TF_COLUMN_UUID:
      return json_node_init_string (node, TF_TEST_SAMPLE_REF_ID);
    case TF_COLUMN_TEXT:
      switch (column->format)
        {
        case TF_FORMAT_PHONE: return json_node_init_string (node, "+30 210 123 4567");
        case TF_FORMAT_EMAIL: return json_node_init_string (node, "eleni@example.gr");
        case TF_FORMAT_TIMEZONE: return json_node_init_string (node, "Europe/Athens");
        case TF_FORMAT_LANGUAGE: return json_node_init_string (node, "el");
        case TF_FORMAT_URL: return json_node_init_string (node, "https://meet.example.gr/x");
        case TF_FORMAT_AMKA: return json_node_init_string (node, "15038512347");
        case TF_FORMAT_SIGNATURE:
          return json_node_init_string (node, "tfs1:0123456789ABCDEF0123456789ABCDEF01234567:"
                                              "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789+/ABCDEFGHIJKLMNOPQRSTAA==");
        case TF_FORMAT_NONE:
        case TF_FORMAT_ICD10_LIST:
        default: return json_node_init_string (node, "Καλημέρα");
        }
    case TF_COLUMN_INTEGER:
      return json_node_init_int (node, column->has_range ? column->min : 3);
    case TF_COLUMN_BOOLEAN:
      return json_node_init_boolean (node, TRUE);
    case TF_COLUMN_DATE:
      return json_node_init_string (node, "2026-03-29");
    case TF_COLUMN_TIME:
      return json_node_init_string (node, g_str_equal (column->name, "end_time") ? "18:00:00"
                                                                                   : "09:00:00");
    case TF_COLUMN_TIMESTAMP:
      return json_node_init_string (node, g_str_equal (column->name, "created_at")
                                            ? "2026-01-10T08:00:00Z" : "2026-03-29T10:30:00Z");
    case TF_COLUMN_MONEY:
      return json_node_init_string (node, "50.00");
    case TF_COLUMN_JSON:
      {
        g_autoptr(JsonNode) parsed = json_from_string ("[\"work\", \"family\"]", NULL);
        json_node_free (node);
        return g_steal_pointer (&parsed);
      }
    default:
      g_assert_not_reached ();
    }
}

JsonObject *
tf_test_sample_fields (const TfTable *table, const char *id)
{
  JsonObject *fields = json_object_new ();

  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *column = &table->columns[i];

      if (g_str_equal (column->name, "cancelled_by") || g_str_equal (column->name, "cancelled_at") ||
          g_str_equal (column->name, "ended_by") || g_str_equal (column->name, "ended_at"))
        {
          /* status is the first choice: "pending", "active" */
          json_object_set_null_member (fields, column->name);
          continue;
        }
      json_object_set_member (fields, column->name, tf_test_sample_value (column));
    }
  json_object_set_string_member (fields, table->key_column, id);
  return fields;
}

char *
tf_test_repeat (const char *unit, guint n)
{
  GString *s = g_string_sized_new (strlen (unit) * n + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (s, unit);
  return g_string_free (s, FALSE);
}
