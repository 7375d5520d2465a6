/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-drafts.c: drafts of unsaved forms, encrypted (tf-drafts.h says what a
 * draft is; the table is client/store/tf-store-drafts.c).
 *
 * The key is derived from the master key, not a data key of its own: a
 * draft has no enc_key to wrap one in, and it is opened only by the
 * account that wrote it, on this device.  The associated data names the
 * account, form and record key ("tf1|drafts|<account>/<form>/<key>|content"),
 * so one account's draft, or one form's, never opens as another's.
 */
#define G_LOG_DOMAIN "tf-drafts"

#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "tf-drafts.h"
#include "tf-store-drafts.h"

#define DRAFTS_LABEL "tf1|drafts"

/* What the envelope is bound to. */
static char *
draft_binding (TfVault *vault, const char *form, const char *record_key)
{
  return g_strdup_printf ("%s/%s/%s", tf_vault_get_user_id (vault), form, record_key);
}

static TfSecret *
drafts_key (TfVault *vault)
{
  return tf_crypto_derive_subkey (tf_keys_get_master (tf_vault_get_keys (vault)), DRAFTS_LABEL);
}

/* FALSE with an error when @form cannot have a draft for @record_key: no
 * such table, or a session note that is locked. */
static gboolean
check_draftable (TfVault *vault, const char *form, const char *record_key, GError **error)
{
  const TfTable *table = tf_registry_lookup (form);
  g_autoptr(TfRecord) record = NULL;

  if (table == NULL)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                   _("No form writes “%s”"), form);
      return FALSE;
    }
  if (g_strcmp0 (form, "session_notes") != 0)
    return TRUE;
  record = tf_store_get (tf_vault_get_store (vault), table, record_key, NULL);
  if (record != NULL && tf_json_get_string (record->fields, "locked_at") != NULL)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE,
                   _("A signed note can no longer be changed"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_drafts_save (TfVault *vault, const char *form, const char *record_key, JsonObject *content,
                GError **error)
{
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *binding = NULL;
  g_autofree char *envelope = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (form != NULL && record_key != NULL && content != NULL, FALSE);

  if (!check_draftable (vault, form, record_key, error))
    return FALSE;
  node = json_node_init_object (json_node_alloc (), content);
  text = json_to_string (node, FALSE);
  key = drafts_key (vault);
  binding = draft_binding (vault, form, record_key);
  envelope = tf_crypto_encrypt_field (key, "drafts", binding, "content", text, error);
  /* The text was a copy of what is on screen: not left in freed memory. */
  sodium_memzero (text, strlen (text));
  if (envelope == NULL)
    return FALSE;
  return tf_store_put_draft (tf_vault_get_store (vault), tf_vault_get_user_id (vault), form,
                             record_key, envelope, error);
}

/* The draft object in @envelope, or NULL with @error. */
static JsonObject *
open_draft (TfVault *vault, const char *form, const char *record_key, const char *envelope,
            GError **error)
{
  g_autoptr(TfSecret) key = drafts_key (vault);
  g_autofree char *binding = draft_binding (vault, form, record_key);
  g_autofree char *text = tf_crypto_decrypt_field (key, "drafts", binding, "content", envelope,
                                                   error);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *draft = NULL;

  if (text == NULL)
    return NULL;
  node = json_from_string (text, NULL);
  sodium_memzero (text, strlen (text));
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    draft = json_object_ref (json_node_get_object (node));
  else
    g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CORRUPT,
                 _("A kept draft is damaged"));
  return draft;
}

JsonObject *
tf_drafts_load (TfVault *vault, const char *form, const char *record_key, GError **error)
{
  g_autofree char *envelope = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (form != NULL && record_key != NULL, NULL);

  envelope = tf_store_dup_draft (tf_vault_get_store (vault), tf_vault_get_user_id (vault), form,
                                 record_key, error);
  return envelope != NULL ? open_draft (vault, form, record_key, envelope, error) : NULL;
}

gboolean
tf_drafts_discard (TfVault *vault, const char *form, const char *record_key, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (form != NULL && record_key != NULL, FALSE);

  return tf_store_delete_draft (tf_vault_get_store (vault), tf_vault_get_user_id (vault), form,
                                record_key, error);
}

GPtrArray *
tf_drafts_list (TfVault *vault, GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *drafts;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  rows = tf_store_list_drafts (tf_vault_get_store (vault), tf_vault_get_user_id (vault), error);
  if (rows == NULL)
    return NULL;
  drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows, i);
      const char *form = tf_json_get_string (row, "form");
      const char *record_key = tf_json_get_string (row, "record_key");
      g_autoptr(GError) local = NULL;
      JsonObject *content = open_draft (vault, form, record_key,
                                        tf_json_get_string (row, "content"), &local);
      JsonObject *draft;

      if (content == NULL)
        {
          g_message ("A draft of %s that does not open is left out: %s", form, local->message);
          continue;
        }
      draft = json_object_new ();
      json_object_set_string_member (draft, "form", form);
      json_object_set_string_member (draft, "record_key", record_key);
      json_object_set_string_member (draft, "saved_at", tf_json_get_string (row, "saved_at"));
      json_object_set_object_member (draft, "content", content);
      g_ptr_array_add (drafts, draft);
    }
  return drafts;
}

gboolean
tf_drafts_discard_all (TfVault *vault, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);

  return tf_store_delete_drafts (tf_vault_get_store (vault), tf_vault_get_user_id (vault), error);
}
