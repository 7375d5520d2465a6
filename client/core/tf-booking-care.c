/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-care.c: the care a client needs before booking — the
 * therapists this account is in care with, a link asked for (a request the
 * therapist accepts: tf-care-requests.c) and care ended, by either side
 * (tf-booking.h, "care").  Split from tf-booking.c.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-account.h"
#include "tf-booking.h"
#include "tf-booking-private.h"
#include "tf-error.h"
#include "tf-store.h"
#include "tf-time.h"

static int
compare_started (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;

  return g_strcmp0 (tf_json_get_string (x, "started_at"), tf_json_get_string (y, "started_at"));
}

GStrv
tf_booking_list_therapists (TfVault *vault, GError **error)
{
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  care = tf_vault_list (vault, tf_registry_lookup ("care_relationships"), "client_id",
                        tf_vault_get_user_id (vault), error);
  if (care == NULL)
    return NULL;
  g_ptr_array_sort (care, compare_started);
  for (guint i = 0; i < care->len; i++)
    {
      JsonObject *o = g_ptr_array_index (care, i);
      const char *therapist = tf_json_get_string (o, "therapist_id");

      if (g_strcmp0 (tf_json_get_string (o, "status"), "active") != 0 || therapist == NULL ||
          !g_hash_table_add (seen, (gpointer) therapist))
        continue;
      g_strv_builder_add (builder, therapist);
    }
  return g_strv_builder_end (builder);
}

char *
tf_booking_link_therapist (TfVault *vault, const char *therapist_id, gboolean share_mood,
                           gboolean share_goals, GError **error)
{
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autofree char *id = NULL, *now = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);

  existing = tf_vault_list (vault, tf_registry_lookup ("care_relationships"), "therapist_id", therapist_id,
                            error);
  if (existing == NULL)
    return NULL;
  for (guint i = 0; i < existing->len; i++)
    {
      JsonObject *o = g_ptr_array_index (existing, i);

      const char *status = tf_json_get_string (o, "status");

      if (g_strcmp0 (tf_json_get_string (o, "client_id"), tf_vault_get_user_id (vault)) != 0)
        continue;
      if (g_strcmp0 (status, "active") == 0)
        {
          g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_ALREADY_LINKED,
                               _("You are already in care with this therapist"));
          return NULL;
        }
      if (g_strcmp0 (status, "pending") == 0)
        {
          g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_ALREADY_LINKED,
                               _("Your request to this therapist is waiting for their answer"));
          return NULL;
        }
    }
  id = g_uuid_string_random ();
  now = tf_booking_now_stamp ();
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", therapist_id);
  json_object_set_string_member (plain, "client_id", tf_vault_get_user_id (vault));
  /* A request: nothing is shared until the therapist accepts it
   * (tf-care-requests.c). */
  json_object_set_string_member (plain, "status", "pending");
  json_object_set_boolean_member (plain, "share_mood", share_mood);
  json_object_set_boolean_member (plain, "share_goals", share_goals);
  json_object_set_string_member (plain, "started_at", now);
  if (!tf_vault_put (vault, tf_registry_lookup ("care_relationships"), id, plain, error))
    return NULL;
  return g_steal_pointer (&id);
}

/* The active care relationship of @me and @other_id in @care (listed by
 * the other's column), or NULL; for the client, a pending request too,
 * which ending withdraws. */
static JsonObject *
find_active_care (GPtrArray *care, const char *me, const char *other_id, gboolean me_client)
{
  for (guint i = 0; i < care->len; i++)
    {
      JsonObject *o = g_ptr_array_index (care, i);

      const char *status = tf_json_get_string (o, "status");

      if ((g_strcmp0 (status, "active") == 0 || (me_client && g_strcmp0 (status, "pending") == 0)) &&
          g_strcmp0 (tf_json_get_string (o, me_client ? "client_id" : "therapist_id"), me) == 0 &&
          g_strcmp0 (tf_json_get_string (o, me_client ? "therapist_id" : "client_id"),
                     other_id) == 0)
        return o;
    }
  return NULL;
}

gboolean
tf_booking_end_care (TfVault *vault, const char *other_id, GError **error)
{
  g_autoptr(GPtrArray) as_client = NULL, as_therapist = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autofree char *now = NULL;
  JsonObject *o;
  const char *me;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (other_id != NULL, FALSE);

  me = tf_vault_get_user_id (vault);
  /* This account the client (@other_id their therapist), or the therapist. */
  as_client = tf_vault_list (vault, tf_registry_lookup ("care_relationships"), "therapist_id", other_id,
                             error);
  if (as_client == NULL)
    return FALSE;
  o = find_active_care (as_client, me, other_id, TRUE);
  if (o == NULL)
    {
      as_therapist = tf_vault_list (vault, tf_registry_lookup ("care_relationships"), "client_id", other_id,
                                    error);
      if (as_therapist == NULL)
        return FALSE;
      o = find_active_care (as_therapist, me, other_id, FALSE);
    }
  if (o == NULL)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_LINKED,
                           _("You are not in care with this person"));
      return FALSE;
    }
  /* The relationship's own columns (a listed row may carry more). */
  plain = json_object_new ();
  for (guint c = 0; c < tf_registry_lookup ("care_relationships")->n_columns; c++)
    {
      const char *name = tf_registry_lookup ("care_relationships")->columns[c].name;
      JsonNode *value = json_object_get_member (o, name);

      if (value != NULL)
        json_object_set_member (plain, name, json_node_copy (value));
    }
  now = tf_booking_now_stamp ();
  json_object_set_string_member (plain, "status", "ended");
  json_object_set_string_member (plain, "ended_at", now);
  json_object_set_string_member (plain, "ended_by", me);
  /* The client's device re-keys what it shared in the same transaction
   * (tf_vault_put); a therapist's end reaches the client's device, which
   * re-keys at its next sync (the relationship no longer shares). */
  return tf_vault_put (vault, tf_registry_lookup ("care_relationships"), tf_json_get_string (o, "id"), plain,
                       error);
}

char *
tf_booking_link_found (TfVault *vault, JsonObject *entry, const char *email,
                       gboolean share_mood, gboolean share_goals, GError **error)
{
  g_autofree char *care_id = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (entry != NULL, NULL);

  if (!tf_account_remember_keys (vault, entry, email, error))
    return NULL;
  care_id = tf_booking_link_therapist (vault, tf_json_get_string (entry, "user_id"), share_mood,
                                       share_goals, error);
  if (care_id == NULL)
    return NULL;
  return g_strdup (tf_json_get_string (entry, "user_id"));
}
