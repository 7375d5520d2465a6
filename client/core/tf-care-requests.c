/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tf-care-requests.c: requests for care, accepted or declined by the
 * therapist; the one write path of the CLI's link accept/decline and the
 * app's. */
#include "config.h"
#include <glib/gi18n.h>
#include "tf-care-requests.h"
#include "tf-booking.h"
#include "tf-clients.h"
#include "tf-record.h"
#include "tf-store.h"
#include "tf-registry.h"
#include "tf-time.h"
#include "tf-vault-private.h"

static const TfTable *
care_table (void)
{
  return tf_registry_lookup ("care_relationships");
}

static gint
by_started (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;

  return g_strcmp0 (tf_json_get_string (x, "started_at"), tf_json_get_string (y, "started_at"));
}

static gboolean
flag (JsonObject *o, const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

GPtrArray *
tf_care_requests_list (TfVault *vault, GError **error)
{
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GPtrArray) care = NULL;
  GPtrArray *out;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  names = tf_clients_dup_names (vault, error);
  if (names == NULL)
    return NULL;
  care = tf_vault_list (vault, care_table (), "therapist_id", tf_vault_get_user_id (vault), error);
  if (care == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < care->len; i++)
    {
      JsonObject *o = g_ptr_array_index (care, i);
      const char *client = tf_json_get_string (o, "client_id");
      const char *name;
      JsonObject *item;

      if (g_strcmp0 (tf_json_get_string (o, "status"), "pending") != 0 || client == NULL)
        continue;
      name = g_hash_table_lookup (names, client);
      item = json_object_new ();
      json_object_set_string_member (item, "id", tf_json_get_string (o, "id"));
      json_object_set_string_member (item, "client_id", client);
      json_object_set_string_member (item, "name", name != NULL ? name : _("Unknown client"));
      if (tf_json_get_string (o, "started_at") != NULL)
        json_object_set_string_member (item, "started_at", tf_json_get_string (o, "started_at"));
      json_object_set_boolean_member (item, "share_mood", flag (o, "share_mood"));
      json_object_set_boolean_member (item, "share_goals", flag (o, "share_goals"));
      g_ptr_array_add (out, item);
    }
  g_ptr_array_sort (out, by_started);
  return out;
}

/* The relationship's own columns of listed row @o, as a new object. */
static JsonObject *
own_columns (JsonObject *o)
{
  JsonObject *plain = json_object_new ();

  for (guint c = 0; c < care_table ()->n_columns; c++)
    {
      const char *name = care_table ()->columns[c].name;
      JsonNode *value = json_object_get_member (o, name);

      if (value != NULL)
        json_object_set_member (plain, name, json_node_copy (value));
    }
  return plain;
}

gboolean
tf_care_request_answer (TfVault *vault, const char *id, gboolean accept, GError **error)
{
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(JsonObject) plain = NULL;
  const char *me;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  me = tf_vault_get_user_id (vault);
  care = tf_vault_list (vault, care_table (), "therapist_id", me, error);
  if (care == NULL)
    return FALSE;
  for (guint i = 0; i < care->len && plain == NULL; i++)
    {
      JsonObject *o = g_ptr_array_index (care, i);

      if (g_strcmp0 (tf_json_get_string (o, "id"), id) == 0 &&
          g_strcmp0 (tf_json_get_string (o, "status"), "pending") == 0)
        plain = own_columns (o);
    }
  if (plain == NULL)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_LINKED,
                   _("No request for care %s is waiting for your answer"), id);
      return FALSE;
    }
  if (accept)
    json_object_set_string_member (plain, "status", "active");
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = tf_time_format_timestamp (now);

      json_object_set_string_member (plain, "status", "declined");
      json_object_set_string_member (plain, "ended_at", stamp);
      json_object_set_string_member (plain, "ended_by", me);
    }
  return tf_vault_put (vault, care_table (), id, plain, error);
}

gboolean
tf_care_settle (TfVault *vault, GError **error)
{
  g_autoptr(GPtrArray) care = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);

  care = tf_store_list (tf_vault_get_store (vault), care_table (), "client_id",
                        tf_vault_get_user_id (vault), error);
  if (care == NULL)
    return FALSE;
  for (guint i = 0; i < care->len; i++)
    {
      TfRecord *r = g_ptr_array_index (care, i);
      g_autoptr(GPtrArray) listed = NULL;

      if (g_strcmp0 (tf_json_get_string (r->fields, "status"), "active") != 0 ||
          !tf_vault_care_accepted_by_therapist (vault, r))
        continue;
      listed = tf_vault_list (vault, care_table (), "id", r->id, error);
      if (listed == NULL)
        return FALSE;
      if (listed->len == 1)
        {
          g_autoptr(JsonObject) plain = own_columns (g_ptr_array_index (listed, 0));

          if (!tf_vault_put (vault, care_table (), r->id, plain, error))
            return FALSE;
        }
    }
  return TRUE;
}
