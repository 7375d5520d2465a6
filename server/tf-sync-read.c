/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-read.c: registry-driven SELECT of wire records.
 *
 * Every column is selected as text in its wire encoding (timestamps in UTC,
 * money as its decimal string, JSONB as JSON text) and converted to a JSON
 * node by its registry type, so the server never turns money into a float
 * or a timestamp into local time.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-signed.h"
#include "tf-sync-read.h"
#include "tf-time.h"

char *
tf_sync_array_literal (GPtrArray *values)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < values->len; i++)
    {
      const char *v = g_ptr_array_index (values, i);
      g_assert (strpbrk (v, "\"{},\\ ") == NULL);
      if (i > 0)
        g_string_append_c (s, ',');
      g_string_append (s, v);
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
append_select_column (GString *sql, const TfColumn *column)
{
  switch (column->type)
    {
    case TF_COLUMN_TIMESTAMP:
      g_string_append_printf (sql, "to_char(t.%s AT TIME ZONE 'UTC',"
                                   " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')", column->name);
      break;
    case TF_COLUMN_BOOLEAN:
      g_string_append_printf (sql, "CASE WHEN t.%s THEN 'true' WHEN NOT t.%s THEN 'false' END",
                              column->name, column->name);
      break;
    default:
      g_string_append_printf (sql, "t.%s::text", column->name);
      break;
    }
}

static JsonNode *
wire_value (const TfColumn *column, const char *text)
{
  JsonNode *node = json_node_alloc ();

  if (text == NULL)
    return json_node_init_null (node);
  switch (column->type)
    {
    case TF_COLUMN_INTEGER:
      return json_node_init_int (node, g_ascii_strtoll (text, NULL, 10));
    case TF_COLUMN_BOOLEAN:
      return json_node_init_boolean (node, strcmp (text, "true") == 0);
    case TF_COLUMN_JSON:
      {
        JsonNode *parsed = json_from_string (text, NULL);
        if (parsed != NULL)
          {
            json_node_free (node);
            return parsed;
          }
        return json_node_init_null (node);
      }
    case TF_COLUMN_TIMESTAMP:
      {
        g_autoptr(GDateTime) dt = tf_time_parse_timestamp (text, NULL);
        g_autofree char *canonical = dt ? tf_time_format_timestamp (dt) : g_strdup (text);
        return json_node_init_string (node, canonical);
      }
    case TF_COLUMN_UUID:
    case TF_COLUMN_TEXT:
    case TF_COLUMN_DATE:
    case TF_COLUMN_TIME:
    case TF_COLUMN_MONEY:
    default:
      return json_node_init_string (node, text);
    }
}

GHashTable *
tf_sync_read_records (PGconn *conn, const TfTable *table, GPtrArray *ids, GError **error)
{
  g_autoptr(GHashTable) records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) tf_record_free);
  g_autoptr(GString) sql = g_string_new ("SELECT t.version::text, (t.deleted_at IS NOT NULL)::text");
  g_autoptr(PGresult) result = NULL;
  g_autofree char *array = NULL;
  const char *params[1];
  gboolean envelope;

  g_return_val_if_fail (table != NULL, NULL);

  envelope = tf_signed_table_has_envelope (table);

  if (ids->len == 0)
    return g_steal_pointer (&records);
  for (guint i = 0; i < table->n_columns; i++)
    {
      g_string_append (sql, ", ");
      append_select_column (sql, &table->columns[i]);
    }
  /* The author's revision and signature, exactly as stored (after the columns). */
  if (envelope)
    g_string_append (sql, ", t.author_revision::text, t.author_signature");
  g_string_append_printf (sql, " FROM %s t WHERE t.%s = ANY($1::uuid[])", table->name,
                          table->key_column);
  array = tf_sync_array_literal (ids);
  params[0] = array;
  result = tf_db_query (conn, sql->str, 1, params, error);
  if (result == NULL)
    return NULL;

  for (int row = 0; row < PQntuples (result); row++)
    {
      const char *id = NULL;
      TfRecord *record;
      gboolean deleted = strcmp (PQgetvalue (result, row, 1), "true") == 0;

      for (guint i = 0; i < table->n_columns; i++)
        if (strcmp (table->columns[i].name, table->key_column) == 0)
          id = PQgetvalue (result, row, 2 + i);
      g_assert (id != NULL);
      record = tf_record_new (table, id);
      record->version = g_ascii_strtoll (PQgetvalue (result, row, 0), NULL, 10);
      record->deleted = deleted;
      for (guint i = 0; i < table->n_columns; i++)
          {
            const TfColumn *column = &table->columns[i];
            const char *text = PQgetisnull (result, row, 2 + i) ? NULL
                                                                 : PQgetvalue (result, row, 2 + i);
            json_object_set_member (record->fields, column->name, wire_value (column, text));
          }
      if (envelope && !PQgetisnull (result, row, 2 + table->n_columns))
        {
          record->revision = g_ascii_strtoll (PQgetvalue (result, row, 2 + table->n_columns),
                                              NULL, 10);
          record->signature = g_strdup (PQgetvalue (result, row, 3 + table->n_columns));
        }
      g_hash_table_insert (records, record->id, record);
    }
  return g_steal_pointer (&records);
}
