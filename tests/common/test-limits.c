/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-limits.c: every text-like column of every synced table has a length
 * cap, enforced by the validation the device and the server share: a value
 * at the cap passes, one character more is TF_VALIDATION_ERROR_TOO_LONG
 * naming the field; an encrypted column's plaintext is capped on the device
 * and its envelope on the server, so that what the device may encrypt is
 * exactly what the server takes.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-test-sample.h"
#include "tf-validate.h"

static gboolean
plain_text_column (const TfColumn *column)
{
  /* Formats and choices have rules of their own that a run of letters breaks. */
  return column->type == TF_COLUMN_TEXT && !(column->flags & TF_COLUMN_ENCRYPTED) &&
         column->choices == NULL && column->format == TF_FORMAT_NONE;
}

static void
assert_too_long (const TfTable *table, const TfColumn *column, JsonNode *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tf_validate_value (table, column, value, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG);
  g_assert_true (g_str_has_prefix (error->message, column->name));
}

static void
test_every_text_column_capped (void)
{
  guint n_tables, checked = 0;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  for (guint t = 0; t < n_tables; t++)
    for (guint c = 0; c < tables[t].n_columns; c++)
      {
        const TfColumn *column = &tables[t].columns[c];
        guint max = tf_column_max_chars (column);

        if (column->type == TF_COLUMN_TEXT || column->type == TF_COLUMN_JSON)
          g_assert_cmpuint (max, >, 0); /* nothing text-like is unlimited */
        if (plain_text_column (column))
          {
            /* Greek letters are two bytes: the cap counts characters. */
            g_autofree char *at_cap = tf_test_repeat ("α", max);
            g_autofree char *over = tf_test_repeat ("α", max + 1);
            g_autoptr(JsonNode) ok = json_node_init_string (json_node_alloc (), at_cap);
            g_autoptr(JsonNode) bad = json_node_init_string (json_node_alloc (), over);
            g_autoptr(GError) error = NULL;

            g_assert_true (tf_validate_value (&tables[t], column, ok, &error));
            g_assert_no_error (error);
            assert_too_long (&tables[t], column, bad);
            checked++;
          }
        else if (column->type == TF_COLUMN_JSON && !(column->flags & TF_COLUMN_ENCRYPTED))
          {
            /* ["aaa…"]: the compact JSON text is the string and 4 characters. */
            g_autofree char *at_cap = tf_test_repeat ("a", max - 4);
            g_autofree char *over = tf_test_repeat ("a", max - 3);
            g_autoptr(JsonArray) small = json_array_new ();
            g_autoptr(JsonArray) big = json_array_new ();
            g_autoptr(JsonNode) ok = NULL, bad = NULL;
            g_autoptr(GError) error = NULL;

            json_array_add_string_element (small, at_cap);
            json_array_add_string_element (big, over);
            ok = json_node_init_array (json_node_alloc (), small);
            bad = json_node_init_array (json_node_alloc (), big);
            g_assert_true (tf_validate_value (&tables[t], column, ok, &error));
            g_assert_no_error (error);
            assert_too_long (&tables[t], column, bad);
            checked++;
          }
      }
  g_assert_cmpuint (checked, >, 20);
}

/* The device refuses plaintext over the cap; the server refuses any
 * envelope bigger than that of the largest plaintext the device allows. */
static void
test_encrypted_columns_capped (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  const char *id = "6f1c0000-0000-4000-8000-000000000001";
  guint n_tables, checked = 0;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  g_assert_true (tf_crypto_init (NULL));
  for (guint t = 0; t < n_tables; t++)
    for (guint c = 0; c < tables[t].n_columns; c++)
      {
        const TfColumn *column = &tables[t].columns[c];
        guint max = tf_column_max_chars (column);
        g_autofree char *widest = NULL, *too_many = NULL, *envelope = NULL, *bigger = NULL;
        g_autoptr(JsonNode) ok = NULL, bad = NULL;
        g_autoptr(GError) error = NULL;

        if (!(column->flags & TF_COLUMN_ENCRYPTED) || column->type != TF_COLUMN_TEXT)
          continue;
        /* Four-byte characters: the most bytes the cap allows. */
        widest = tf_test_repeat ("😀", max);
        too_many = tf_test_repeat ("😀", max + 1);
        /* A formatted column (an AMKA) refuses emoji by its format; the
         * length check comes first, so too many still reads "too long". */
        if (column->format == TF_FORMAT_NONE)
          {
            g_assert_true (tf_validate_plaintext (&tables[t], column, widest, &error));
            g_assert_no_error (error);
          }
        g_assert_false (tf_validate_plaintext (&tables[t], column, too_many, &error));
        g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG);
        g_assert_true (g_str_has_prefix (error->message, column->name));
        g_clear_error (&error);

        envelope = tf_crypto_encrypt_field (key, tables[t].name, id, column->name, widest, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (strlen (envelope), <=, tf_column_max_envelope (column));
        ok = json_node_init_string (json_node_alloc (), envelope);
        g_assert_true (tf_validate_value (&tables[t], column, ok, &error));
        g_assert_no_error (error);

        bigger = tf_crypto_encrypt_field (key, tables[t].name, id, column->name, too_many, &error);
        g_assert_no_error (error);
        bad = json_node_init_string (json_node_alloc (), bigger);
        assert_too_long (&tables[t], column, bad);
        checked++;
      }
  g_assert_cmpuint (checked, >=, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/limits/every-text-column-capped", test_every_text_column_capped);
  g_test_add_func ("/tf/limits/encrypted-columns-capped", test_encrypted_columns_capped);
  return g_test_run ();
}
