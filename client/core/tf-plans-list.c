/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plans-list.c: the treatment plan editor's list (tf-plans-list.h), a
 * derived repository over treatment_plans: which plan is current is
 * decided here, once, and a plan that arrives with a sync or that the CLI
 * writes reorders it by itself.
 */
#define G_LOG_DOMAIN "tf-plans"

#include "config.h"

#include "tf-plans-list.h"
#include "tf-registry.h"

static int
status_rank (const char *status)
{
  if (g_strcmp0 (status, "active") == 0 || status == NULL)
    return 0;
  if (g_strcmp0 (status, "on_hold") == 0)
    return 1;
  return 2;
}

static const char *
last_change (JsonObject *plan)
{
  const char *updated = tf_json_get_string (plan, "updated_at");

  return updated != NULL ? updated : tf_json_get_string (plan, "created_at");
}

static int
current_first (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  int by_status = status_rank (tf_json_get_string (x, "status")) -
                  status_rank (tf_json_get_string (y, "status"));
  int by_change;

  if (by_status != 0)
    return by_status;
  by_change = g_strcmp0 (last_change (y), last_change (x));
  return by_change != 0 ? by_change
                        : g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
}

static GPtrArray *
load_plans (TfVault *vault, gpointer data, GError **error)
{
  const char *me = tf_vault_get_user_id (vault);
  g_autoptr(GPtrArray) plans = tf_vault_list (vault, tf_registry_lookup ("treatment_plans"),
                                              "client_id", data, error);
  GPtrArray *mine;

  if (plans == NULL)
    return NULL;
  mine = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < plans->len; i++)
    {
      JsonObject *plan = g_ptr_array_index (plans, i);

      if (g_strcmp0 (tf_json_get_string (plan, "therapist_id"), me) == 0)
        g_ptr_array_add (mine, json_object_ref (plan));
    }
  g_ptr_array_sort (mine, current_first);
  return mine;
}

TfRepository *
tf_plans_list_new (TfVault *vault, const char *client_id)
{
  static const char *const tables[] = { "treatment_plans", NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return tf_repository_new_derived (vault, tables, load_plans, g_strdup (client_id), g_free);
}
