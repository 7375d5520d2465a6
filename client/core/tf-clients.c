/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients.c: a therapist's client list (tf-clients.h), a derived
 * repository over care_relationships and profiles: a client who chooses
 * this therapist, or a name that arrives with a sync, is in the list
 * without anyone reloading it.
 */
#define G_LOG_DOMAIN "tf-clients"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-clients.h"
#include "tf-registry.h"
#include "tf-text.h"

char *
tf_client_name_from_profile (JsonObject *profile)
{
  const char *display, *first, *last;
  g_autofree char *joined = NULL;

  if (profile == NULL)
    return NULL;
  display = tf_json_get_string (profile, "display_name");
  if (display != NULL)
    {
      g_autofree char *trimmed = g_strstrip (g_strdup (display));

      if (*trimmed != '\0')
        return g_steal_pointer (&trimmed);
    }
  first = tf_json_get_string (profile, "first_name");
  last = tf_json_get_string (profile, "last_name");
  joined = g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
  return *joined != '\0' ? g_steal_pointer (&joined) : NULL;
}

/* Active first, then by name in the locale's order, then by id. */
static int
compare_clients (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  gboolean x_active = json_object_get_boolean_member (x, "active");
  gboolean y_active = json_object_get_boolean_member (y, "active");
  int by_name;

  if (x_active != y_active)
    return x_active ? -1 : 1;
  by_name = g_utf8_collate (tf_json_get_string (x, "name"), tf_json_get_string (y, "name"));
  return by_name != 0 ? by_name
                      : g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
}

char *
tf_clients_dup_name (TfVault *vault, const char *user_id)
{
  g_autoptr(JsonObject) profile = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  if (user_id == NULL)
    return NULL;
  profile = tf_vault_get (vault, tf_registry_lookup ("profiles"), user_id, NULL);
  return tf_client_name_from_profile (profile);
}

GHashTable *
tf_clients_dup_names (TfVault *vault, GError **error)
{
  g_autoptr(GPtrArray) profiles = tf_vault_list (vault, tf_registry_lookup ("profiles"), NULL,
                                                 NULL, error);
  GHashTable *names;

  if (profiles == NULL)
    return NULL;
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < profiles->len; i++)
    {
      JsonObject *profile = g_ptr_array_index (profiles, i);
      const char *user_id = tf_json_get_string (profile, "user_id");
      char *name = tf_client_name_from_profile (profile);

      if (user_id != NULL && name != NULL)
        g_hash_table_replace (names, g_strdup (user_id), name);
      else
        g_free (name);
    }
  return names;
}

static JsonObject *
new_client (const char *client_id, GHashTable *names)
{
  JsonObject *client = json_object_new ();
  const char *name = g_hash_table_lookup (names, client_id);
  g_autofree char *folded = NULL;

  if (name == NULL)
    name = _("Unknown client");
  json_object_set_string_member (client, "id", client_id);
  json_object_set_string_member (client, "name", name);
  folded = tf_text_fold_for_search (name);
  json_object_set_string_member (client, "search_key", folded);
  return client;
}

static GPtrArray *
load_clients (TfVault *vault, gpointer data, GError **error)
{
  g_autoptr(GHashTable) names = tf_clients_dup_names (vault, error);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) care = NULL;
  GPtrArray *clients;

  if (names == NULL)
    return NULL;
  care = tf_vault_list (vault, tf_registry_lookup ("care_relationships"), "therapist_id",
                        tf_vault_get_user_id (vault), error);
  if (care == NULL)
    return NULL;
  clients = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < care->len; i++)
    {
      JsonObject *item = g_ptr_array_index (care, i);
      const char *client_id = tf_json_get_string (item, "client_id");
      gboolean active = g_strcmp0 (tf_json_get_string (item, "status"), "active") == 0;
      const char *ended_at = tf_json_get_string (item, "ended_at");
      const char *stamp = active ? tf_json_get_string (item, "started_at") : ended_at;
      JsonObject *client;

      /* A request not yet answered, or declined: never in care. */
      if (client_id == NULL || (!active && ended_at == NULL) ||
          g_strcmp0 (tf_json_get_string (item, "status"), "declined") == 0)
        continue;
      client = g_hash_table_lookup (by_id, client_id);
      if (client != NULL &&
          (json_object_get_boolean_member (client, "active") ||
           (!active && g_strcmp0 (tf_json_get_string (client, "ended_at"), ended_at) >= 0)))
        continue;
      if (client == NULL)
        {
          client = new_client (client_id, names);
          g_ptr_array_add (clients, client);
          g_hash_table_insert (by_id, (gpointer) tf_json_get_string (client, "id"), client);
        }
      json_object_set_boolean_member (client, "active", active);
      if (ended_at != NULL)
        json_object_set_string_member (client, "ended_at", ended_at);
      else
        json_object_remove_member (client, "ended_at");
      if (stamp != NULL)
        json_object_set_string_member (client, "stamp", stamp);
      else
        json_object_remove_member (client, "stamp");
    }
  g_ptr_array_sort (clients, compare_clients);
  return clients;
}

TfRepository *
tf_clients_list_new (TfVault *vault)
{
  static const char *const tables[] = { "care_relationships", "profiles", NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  return tf_repository_new_derived (vault, tables, load_clients, NULL, NULL);
}
