/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-record.c: the JSON codec of records and mutations.
 *
 * Strict on input (exact JSON types, no unknown members, no floats where an
 * integer belongs, lower-case UUIDs), canonical on output (UTC timestamps
 * with Z), so both ends of a sync agree byte for byte on what a record is.
 */
#define G_LOG_DOMAIN "tf-record"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tf-error.h"
#include "tf-json-check.h"
#include "tf-record.h"
#include "tf-signed.h"
#include "tf-time.h"
#include "tf-validate.h"

TfRecord *
tf_record_new (const TfTable *table, const char *id)
{
  TfRecord *record;

  g_return_val_if_fail (table != NULL, NULL);
  g_return_val_if_fail (tf_validate_uuid (id), NULL);

  record = g_new0 (TfRecord, 1);
  record->table = table;
  record->id = g_strdup (id);
  record->fields = json_object_new ();
  json_object_set_string_member (record->fields, table->key_column, id);
  return record;
}

const char *
tf_json_get_string (JsonObject *object, const char *member)
{
  JsonNode *node = object != NULL && member != NULL ? json_object_get_member (object, member)
                                                     : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

JsonObject *
tf_json_object_dup (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) copy = json_from_string (text, NULL);

  return json_object_ref (json_node_get_object (copy));
}

TfRecord *
tf_record_copy (const TfRecord *record)
{
  TfRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_new0 (TfRecord, 1);
  copy->table = record->table;
  copy->id = g_strdup (record->id);
  copy->version = record->version;
  copy->deleted = record->deleted;
  copy->fields = tf_json_object_dup (record->fields);
  copy->revision = record->revision;
  copy->signature = g_strdup (record->signature);
  return copy;
}

void
tf_record_free (TfRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->id);
  g_clear_pointer (&record->fields, json_object_unref);
  g_free (record->signature);
  g_free (record);
}

void
tf_mutation_free (TfMutation *mutation)
{
  if (mutation == NULL)
    return;
  g_free (mutation->id);
  g_clear_pointer (&mutation->fields, json_object_unref);
  g_free (mutation->signature);
  g_free (mutation);
}

const char *
tf_mutation_op_to_string (TfMutationOp op)
{
  return op == TF_MUTATION_DELETE ? "delete" : "upsert";
}

/* --- strict member access ------------------------------------------------ */

static gboolean
check_members (JsonObject *object, const char * const *allowed, const char *what, GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_strv_contains (allowed, name))
      {
        g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_FIELD,
                     _("%s has no member “%s”"), what, name);
        return FALSE;
      }
  return TRUE;
}

static JsonNode *
require_member (JsonObject *object, const char *name, GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL)
    g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                 _("“%s” is missing"), name);
  return node;
}

static const char *
get_string (JsonObject *object, const char *name, GError **error)
{
  JsonNode *node = require_member (object, name, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   _("“%s” must be a string"), name);
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
get_int (JsonObject *object, const char *name, gint64 min, gint64 *out, GError **error)
{
  JsonNode *node = require_member (object, name, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   _("“%s” must be a whole number"), name);
      return FALSE;
    }
  *out = json_node_get_int (node);
  if (*out < min)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("“%s” must be at least %lld"), name, (long long) min);
      return FALSE;
    }
  return TRUE;
}

static const TfTable *
get_table (JsonObject *object, GError **error)
{
  const char *name = get_string (object, "table", error);
  const TfTable *table;

  if (name == NULL)
    return NULL;
  table = tf_registry_lookup (name);
  if (table == NULL)
    g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_TABLE,
                 _("“%s” is not a synced table"), name);
  return table;
}

static const char *
get_id (JsonObject *object, GError **error)
{
  const char *id = get_string (object, "id", error);

  if (id != NULL && !tf_validate_uuid (id))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("id: “%s” is not a lower-case UUID"), id);
      return NULL;
    }
  return id;
}

/* The author's optional "revision" and "signature" (tf-signed.h): their
 * types here, their shape in tf_signed_check_envelope(). */
static gboolean
get_envelope (JsonObject *object, const TfTable *table, gint64 *out_revision,
              char **out_signature, GError **error)
{
  JsonNode *revision = json_object_get_member (object, "revision");
  JsonNode *signature = json_object_get_member (object, "signature");
  const char *text = NULL;
  gint64 value = 0;

  if (revision != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (revision) || json_node_get_value_type (revision) != G_TYPE_INT64)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE,
                       _("“%s” must be a whole number"), "revision");
          return FALSE;
        }
      value = json_node_get_int (revision);
    }
  if (signature != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (signature) ||
          json_node_get_value_type (signature) != G_TYPE_STRING)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE,
                       _("“%s” must be a string"), "signature");
          return FALSE;
        }
      text = json_node_get_string (signature);
    }
  /* A revision without a signature (or 0 with one) is malformed too. */
  if ((revision != NULL || signature != NULL) && (value == 0 || text == NULL))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE,
                   _("“revision” and “signature” go together"));
      return FALSE;
    }
  if (!tf_signed_check_envelope (table, value, text, error))
    return FALSE;
  *out_revision = value;
  *out_signature = g_strdup (text);
  return TRUE;
}

static void
add_envelope (JsonBuilder *builder, gint64 revision, const char *signature)
{
  if (signature == NULL)
    return;
  json_builder_set_member_name (builder, "revision");
  json_builder_add_int_value (builder, revision);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, signature);
}

/* Validates @fields for @table and @id and returns a normalised copy. */
static JsonObject *
decode_fields (const TfTable *table, const char *id, JsonNode *node, TfValidateFlags flags,
               GError **error)
{
  g_autoptr(JsonObject) fields = NULL;
  JsonNode *key;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TF_PROTOCOL_ERROR,
                   node ? TF_PROTOCOL_ERROR_WRONG_TYPE : TF_PROTOCOL_ERROR_MISSING_FIELD,
                   node ? _("“fields” must be an object") : _("“fields” is missing"));
      return NULL;
    }
  fields = tf_json_object_dup (json_node_get_object (node));

  key = json_object_get_member (fields, table->key_column);
  if (key == NULL)
    json_object_set_string_member (fields, table->key_column, id);
  else if (!JSON_NODE_HOLDS_VALUE (key) || json_node_get_value_type (key) != G_TYPE_STRING ||
           strcmp (json_node_get_string (key), id) != 0)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("%s must equal the record id"), table->key_column);
      return NULL;
    }

  if (!tf_validate_fields (table, fields, flags, error))
    return NULL;

  /* Canonical timestamps: UTC with Z. */
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *column = &table->columns[i];
      const char *text;
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *canonical = NULL;

      if (column->type != TF_COLUMN_TIMESTAMP)
        continue;
      text = json_object_get_string_member_with_default (fields, column->name, NULL);
      if (text == NULL || (dt = tf_time_parse_timestamp (text, NULL)) == NULL)
        continue;
      canonical = tf_time_format_timestamp (dt);
      json_object_set_string_member (fields, column->name, canonical);
    }
  return g_steal_pointer (&fields);
}

TfRecord *
tf_record_from_json (JsonNode *node, GError **error)
{
  static const char * const members[] = {
    "table", "id", "version", "deleted", "revision", "signature", "fields", NULL
  };
  g_autoptr(TfRecord) record = NULL;
  JsonObject *object;
  JsonNode *deleted;
  const TfTable *table;
  const char *id;
  gint64 version;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   _("a record must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  if (!check_members (object, members, _("a record"), error) ||
      !(table = get_table (object, error)) ||
      !(id = get_id (object, error)) ||
      !get_int (object, "version", 0, &version, error))
    return NULL;

  deleted = require_member (object, "deleted", error);
  if (deleted == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (deleted) || json_node_get_value_type (deleted) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   _("“%s” must be true or false"), "deleted");
      return NULL;
    }

  record = g_new0 (TfRecord, 1);
  record->table = table;
  record->id = g_strdup (id);
  record->version = version;
  record->deleted = json_node_get_boolean (deleted);
  if (!get_envelope (object, table, &record->revision, &record->signature, error))
    return NULL;
  /* A tombstone may carry only some fields; a live record carries them all.
   * Records come from the server, which may still hold rows written before a
   * column was encrypted. */
  record->fields = decode_fields (table, id, json_object_get_member (object, "fields"),
                                  (record->deleted ? TF_VALIDATE_PARTIAL : TF_VALIDATE_FULL) |
                                  TF_VALIDATE_LEGACY, error);
  if (record->fields == NULL)
    return NULL;
  return g_steal_pointer (&record);
}

JsonNode *
tf_record_to_json (const TfRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) fields = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  fields = json_node_init_object (json_node_alloc (), record->fields);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, record->table->name);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, record->id);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, record->version);
  json_builder_set_member_name (builder, "deleted");
  json_builder_add_boolean_value (builder, record->deleted);
  add_envelope (builder, record->revision, record->signature);
  json_builder_set_member_name (builder, "fields");
  json_builder_add_value (builder, json_node_copy (fields));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

TfMutation *
tf_mutation_from_json_split (JsonNode *node, GError **field_error, GError **error)
{
  static const char * const members[] = {
    "mutation_id", "table", "id", "op", "base_version", "revision", "signature", "fields", NULL
  };
  g_autoptr(TfMutation) mutation = NULL;
  JsonObject *object;
  const TfTable *table;
  const char *id, *op;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   _("a mutation must be a JSON object"));
      return NULL;
    }
  object = json_node_get_object (node);
  mutation = g_new0 (TfMutation, 1);
  if (!check_members (object, members, _("a mutation"), error) ||
      !get_int (object, "mutation_id", 1, &mutation->mutation_id, error) ||
      !(table = get_table (object, error)) ||
      !(id = get_id (object, error)) ||
      !(op = get_string (object, "op", error)) ||
      !get_int (object, "base_version", 0, &mutation->base_version, error))
    return NULL;
  if (strcmp (op, "upsert") != 0 && strcmp (op, "delete") != 0)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("op: “%s” is not upsert or delete"), op);
      return NULL;
    }

  mutation->table = table;
  mutation->id = g_strdup (id);
  mutation->op = strcmp (op, "delete") == 0 ? TF_MUTATION_DELETE : TF_MUTATION_UPSERT;
  /* From here on the problem is the record's, not the mutation's. */
  if (!get_envelope (object, table, &mutation->revision, &mutation->signature, field_error))
    return g_steal_pointer (&mutation);
  if (mutation->op == TF_MUTATION_UPSERT)
    mutation->fields = decode_fields (table, id, json_object_get_member (object, "fields"),
                                      TF_VALIDATE_FULL, field_error);
  else if (json_object_has_member (object, "fields") &&
           !JSON_NODE_HOLDS_NULL (json_object_get_member (object, "fields")))
    g_set_error (field_error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                 _("a delete carries no fields"));
  return g_steal_pointer (&mutation);
}

TfMutation *
tf_mutation_from_json (JsonNode *node, GError **error)
{
  g_autoptr(GError) field_error = NULL;
  g_autoptr(TfMutation) mutation = tf_mutation_from_json_split (node, &field_error, error);

  if (mutation == NULL)
    return NULL;
  if (field_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&field_error));
      return NULL;
    }
  return g_steal_pointer (&mutation);
}

JsonNode *
tf_mutation_to_json (const TfMutation *mutation)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  g_return_val_if_fail (mutation != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mutation_id");
  json_builder_add_int_value (builder, mutation->mutation_id);
  json_builder_set_member_name (builder, "table");
  json_builder_add_string_value (builder, mutation->table->name);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, mutation->id);
  json_builder_set_member_name (builder, "op");
  json_builder_add_string_value (builder, tf_mutation_op_to_string (mutation->op));
  json_builder_set_member_name (builder, "base_version");
  json_builder_add_int_value (builder, mutation->base_version);
  add_envelope (builder, mutation->revision, mutation->signature);
  if (mutation->fields != NULL)
    {
      g_autoptr(JsonNode) fields = json_node_init_object (json_node_alloc (), mutation->fields);
      json_builder_set_member_name (builder, "fields");
      json_builder_add_value (builder, json_node_copy (fields));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
tf_json_parse (const char *data, gssize len, GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize n;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  n = len < 0 ? strlen (data) : (gsize) len;
  if (n > TF_JSON_MAX_SIZE)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON,
                   _("the JSON document is larger than %d MiB"), TF_JSON_MAX_SIZE >> 20);
      return NULL;
    }
  /* json-glib recurses and is lenient: only text that passed the strict
   * check reaches it. */
  if (!tf_json_check (data, n, error))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) n, &local_error))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON,
                   _("malformed JSON: %s"), local_error->message);
      return NULL;
    }
  root = json_parser_steal_root (parser);
  if (root == NULL)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON, _("empty JSON document"));
      return NULL;
    }
  return root;
}

char *
tf_json_to_string (JsonNode *node)
{
  g_return_val_if_fail (node != NULL, NULL);

  return json_to_string (node, FALSE);
}
