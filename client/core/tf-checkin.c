/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-checkin.c: saving and deleting a check-in (tf-checkin.h).
 *
 * The plain form is built here, once, for the app and the CLI alike; the
 * vault validates it against the registry, encrypts it and writes it with
 * its grants in one transaction.  An edit reads the stored record first
 * for its creation time (immutable) and its owner, so an edit never
 * changes when a check-in was made.
 */
#define G_LOG_DOMAIN "tf-checkin"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-checkin.h"
#include "tf-error.h"
#include "tf-time.h"

static JsonArray *
string_array (const char * const *values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  return array;
}

gboolean
tf_checkin_save (TfVault *vault, const char *id, const TfCheckin *checkin,
                 JsonObject **out_plain, GError **error)
{
  const TfTable *table = tf_registry_lookup ("mood_entries");
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(JsonObject) stored = NULL;
  g_autofree char *stamp = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (checkin != NULL, FALSE);

  if (!tf_vault_dup_own (vault, table, id,
                         _("Only the person who checked in can change a check-in"), &stored,
                         error))
    return FALSE;
  if (stored != NULL && tf_json_get_string (stored, "created_at") != NULL)
    stamp = g_strdup (tf_json_get_string (stored, "created_at"));
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      stamp = tf_time_format_timestamp (now);
    }
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "user_id", tf_vault_get_user_id (vault));
  json_object_set_int_member (plain, "mood_value", checkin->mood);
  json_object_set_int_member (plain, "energy_level", checkin->energy);
  json_object_set_int_member (plain, "anxiety_level", checkin->anxiety);
  json_object_set_array_member (plain, "emotions", string_array (checkin->emotions));
  json_object_set_array_member (plain, "categories", string_array (checkin->categories));
  if (checkin->notes != NULL && *checkin->notes != '\0')
    json_object_set_string_member (plain, "notes", checkin->notes);
  json_object_set_string_member (plain, "created_at", stamp);
  return tf_vault_put_keep (vault, table, id, plain, out_plain, error);
}

gboolean
tf_checkin_delete (TfVault *vault, const char *id, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return tf_vault_delete (vault, tf_registry_lookup ("mood_entries"), id, error);
}
