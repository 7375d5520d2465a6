/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-addenda.c: addenda to locked session notes (tf-addenda.h).
 *
 * The checks here are the device's; the sync server makes the same ones
 * (a locked note of the same therapist, an addendum locked from its first
 * write), so an addendum that got past one of them on a modified device is
 * still refused.  The note is read through tf_vault_get, which verifies its
 * signature: nothing is appended to a note that no longer verifies.
 */
#define G_LOG_DOMAIN "tf-addenda"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-addenda.h"
#include "tf-error.h"
#include "tf-time.h"

gboolean
tf_addendum_add (TfVault *vault, const char *id, const char *note_id, const char *content,
                 GError **error)
{
  const TfTable *notes = tf_registry_lookup ("session_notes");
  const TfTable *addenda = tf_registry_lookup ("note_addenda");
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL, *stamp = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL && note_id != NULL, FALSE);

  text = g_strstrip (g_strdup (content != NULL ? content : ""));
  if (*text == '\0')
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED,
                   _("An addendum needs some text"));
      return FALSE;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("The addendum is not valid text (UTF-8)"));
      return FALSE;
    }
  if (g_utf8_strlen (text, -1) > TF_ADDENDUM_MAX_CHARS)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG,
                   _("An addendum holds at most %d characters"), TF_ADDENDUM_MAX_CHARS);
      return FALSE;
    }

  note = tf_vault_get (vault, notes, note_id, error);
  if (note == NULL)
    return FALSE;
  if (g_strcmp0 (tf_json_get_string (note, "therapist_id"), tf_vault_get_user_id (vault)) != 0)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER,
                   _("Only the author of a session note can add an addendum to it"));
      return FALSE;
    }
  if (tf_json_get_string (note, "locked_at") == NULL)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("This note is not signed yet: edit it instead of adding an addendum"));
      return FALSE;
    }

  now = g_date_time_new_now_utc ();
  stamp = tf_time_format_timestamp (now);
  plain = json_object_new ();
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "note_id", note_id);
  json_object_set_string_member (plain, "therapist_id", tf_vault_get_user_id (vault));
  json_object_set_string_member (plain, "content", text);
  json_object_set_string_member (plain, "created_at", stamp);
  return tf_vault_put_locked (vault, addenda, id, plain, error);
}

static gint
by_created (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;
  g_autoptr(GDateTime) when_x = NULL;
  g_autoptr(GDateTime) when_y = NULL;
  const char *text_x = tf_json_get_string (x, "created_at");
  const char *text_y = tf_json_get_string (y, "created_at");
  int order = 0;

  when_x = text_x != NULL ? tf_time_parse_timestamp (text_x, NULL) : NULL;
  when_y = text_y != NULL ? tf_time_parse_timestamp (text_y, NULL) : NULL;
  if (when_x != NULL && when_y != NULL)
    order = g_date_time_compare (when_x, when_y);
  if (order == 0)
    order = g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
  return order;
}

GPtrArray *
tf_addendum_list (TfVault *vault, const char *note_id, GError **error)
{
  GPtrArray *list;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (note_id != NULL, NULL);

  list = tf_vault_list (vault, tf_registry_lookup ("note_addenda"), "note_id", note_id, error);
  if (list != NULL)
    g_ptr_array_sort (list, by_created);
  return list;
}

static GPtrArray *
load_addenda (TfVault *vault, gpointer data, GError **error)
{
  return tf_addendum_list (vault, data, error);
}

TfRepository *
tf_addenda_list_new (TfVault *vault, const char *note_id)
{
  static const char *const tables[] = { "note_addenda", NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (note_id != NULL, NULL);

  return tf_repository_new_derived (vault, tables, load_addenda, g_strdup (note_id), g_free);
}

gboolean
tf_addendum_all_verified (JsonObject *note, GPtrArray *addenda)
{
  g_return_val_if_fail (note != NULL, FALSE);

  if (!json_object_get_boolean_member_with_default (note, "signature_valid", FALSE))
    return FALSE;
  for (guint i = 0; addenda != NULL && i < addenda->len; i++)
    if (!json_object_get_boolean_member_with_default (g_ptr_array_index (addenda, i),
                                                      "signature_valid", FALSE))
      return FALSE;
  return TRUE;
}
