/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-rules.c: the values of a pushed record that are the server's to
 * decide.
 *
 * Verification.  A flag such as therapists.license_verified vouches for one
 * value of another column (TfColumn.verifies).  An administrator sets it
 * after checking that value; when the owner then writes a different value
 * there, the check no longer covers it, so the flag is cleared in the same
 * write — in the same transaction as the new value, so no reader ever sees
 * a new licence number marked verified.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-sync-rules.h"

gboolean
tf_sync_rules_same_value (JsonObject *a, JsonObject *b, const char *column)
{
  JsonNode *x = a ? json_object_get_member (a, column) : NULL;
  JsonNode *y = b ? json_object_get_member (b, column) : NULL;
  gboolean x_null = x == NULL || JSON_NODE_HOLDS_NULL (x);
  gboolean y_null = y == NULL || JSON_NODE_HOLDS_NULL (y);

  if (x_null || y_null)
    return x_null == y_null;
  return json_node_equal (x, y);
}

static gboolean
flag_set (JsonObject *fields, const char *column)
{
  JsonNode *node = fields ? json_object_get_member (fields, column) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* Clears every verified flag whose vouched-for value changes. */
static gboolean
clear_stale_verification (const TfTable *table, JsonObject *fields, const TfRecord *current)
{
  gboolean changed = FALSE;

  if (current == NULL)
    return FALSE; /* a new record cannot be verified yet (changed_by_admin_only) */
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *flag = &table->columns[i];

      if (flag->verifies == NULL || !json_object_has_member (fields, flag->verifies) ||
          tf_sync_rules_same_value (fields, current->fields, flag->verifies))
        continue;
      if (!flag_set (fields, flag->name) &&
          !(flag_set (current->fields, flag->name) && !json_object_has_member (fields, flag->name)))
        continue;
      json_object_set_boolean_member (fields, flag->name, FALSE);
      changed = TRUE;
    }
  return changed;
}

gboolean
tf_sync_rules_correct (const TfTable *table, JsonObject *fields, const TfRecord *current,
                       gboolean admin)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  if (!admin)
    changed |= clear_stale_verification (table, fields, current);
  return changed;
}

TfRecord *
tf_sync_rules_stored (const TfTable *table, const char *id, JsonObject *fields,
                      const TfRecord *current, gint64 version)
{
  TfRecord *record = current ? tf_record_copy (current) : tf_record_new (table, id);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (record->fields, name, json_node_copy (value));
  record->version = version;
  record->deleted = FALSE;
  return record;
}
