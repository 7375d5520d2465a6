/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-fields.c: a record's plain form and its wire form — each content
 * column encrypted under the record's data key or, for the care columns of
 * an appointment or a session, its care key (docs/encryption.md), and
 * opened again; and the form of a record this account cannot open.  Split
 * from tf-vault.c, whose writing and reading use them.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-error.h"
#include "tf-validate.h"
#include "tf-vault-private.h"

JsonObject *
tf_vault_seal_fields (const TfTable *table, const char *id, JsonObject *plain,
                      const TfSecret *key, gboolean own, const char *enc_key, GError **error)
{
  g_autoptr(JsonObject) wire = json_object_new ();
  g_autoptr(TfSecret) care = NULL;
  const TfSecret *data = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  tf_vault_split_keys (table, key, own, &data, &care);

  json_object_iter_init (&iter, plain);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TfColumn *column = tf_table_get_column (table, name);
      g_autofree char *text = NULL;
      g_autofree char *envelope = NULL;

      if (strcmp (name, "enc_key") == 0)
        continue;
      /* Unknown members pass: the store's validation names them. */
      if (column == NULL || !tf_vault_is_content_column (column) || JSON_NODE_HOLDS_NULL (value))
        {
          json_object_set_member (wire, name, json_node_copy (value));
          continue;
        }
      if (column->type == TF_COLUMN_JSON)
        text = json_to_string (value, FALSE);
      else if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        text = g_strdup (json_node_get_string (value));
      else
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                       _("%s: expected %s"), name, _("a string"));
          return NULL;
        }
      if (!tf_validate_plaintext (table, column, text, error))
        return NULL;
      if ((column->flags & TF_COLUMN_CARE_KEY ? (const TfSecret *) care : data) == NULL)
        {
          /* Only the therapist's own columns: never written by the other side. */
          tf_vault_set_no_key_error (error);
          return NULL;
        }
      envelope = tf_crypto_encrypt_field (column->flags & TF_COLUMN_CARE_KEY ? care : data,
                                          table->name, id, name, text, error);
      if (envelope == NULL)
        return NULL;
      json_object_set_string_member (wire, name, envelope);
    }
  if (tf_table_get_column (table, "enc_key") != NULL)
    {
      if (enc_key != NULL)
        json_object_set_string_member (wire, "enc_key", enc_key);
      else
        json_object_set_null_member (wire, "enc_key");
    }
  return g_steal_pointer (&wire);
}

JsonObject *
tf_vault_open_fields (const TfTable *table, const char *id, JsonObject *fields,
                      const TfSecret *key, gboolean own, GError **error)
{
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(TfSecret) care = NULL;
  const TfSecret *data = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  tf_vault_split_keys (table, key, own, &data, &care);

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TfColumn *column = tf_table_get_column (table, name);
      const char *envelope = tf_json_get_string (fields, name);
      g_autofree char *text = NULL;

      if (strcmp (name, "enc_key") == 0)
        continue;
      /* Not an envelope: the plaintext of a row older than the column's
       * encryption (TF_COLUMN_WAS_PLAIN; tf-vault-legacy.c encrypts it). */
      if (column == NULL || !tf_vault_is_content_column (column) ||
          !tf_crypto_is_envelope (envelope))
        {
          json_object_set_member (plain, name, json_node_copy (value));
          continue;
        }
      if (key == NULL)
        {
          tf_vault_set_no_key_error (error);
          return NULL;
        }
      if (!(column->flags & TF_COLUMN_CARE_KEY) && data == NULL)
        {
          /* Held by the care key only: the other side's own notes are not
           * for this account, and are simply absent from its plain form. */
          json_object_set_null_member (plain, name);
          continue;
        }
      text = tf_crypto_decrypt_field (column->flags & TF_COLUMN_CARE_KEY ? care : data,
                                      table->name, id, name, envelope, error);
      if (text == NULL)
        return NULL;
      if (column->type == TF_COLUMN_JSON)
        {
          JsonNode *node = tf_json_parse (text, -1, error);

          if (node == NULL)
            return NULL;
          json_object_set_member (plain, name, node);
        }
      else
        json_object_set_string_member (plain, name, text);
    }
  return g_steal_pointer (&plain);
}

JsonObject *
tf_vault_unreadable_fields (const TfTable *table, JsonObject *fields)
{
  JsonObject *plain = tf_json_object_dup (fields);

  json_object_remove_member (plain, "enc_key");
  for (guint i = 0; i < table->n_columns; i++)
    if (tf_vault_is_content_column (&table->columns[i]))
      json_object_set_null_member (plain, table->columns[i].name);
  json_object_set_boolean_member (plain, "unreadable", TRUE);
  return plain;
}

