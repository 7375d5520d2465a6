/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-verify.c: safety numbers between this account and the people it
 * shares with, verification marks, and key changes (tf-verify.h).
 *
 * The keys a number is made of are the ones this device pinned — or, when
 * the server presented others since, those others, so the person compares
 * exactly the keys they would accept.  A mark counts only while it holds
 * the current number: a change of either side's keys makes it stale
 * without anyone deleting it.
 */
#define G_LOG_DOMAIN "tf-verify"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-account.h"
#include "tf-crypto.h"
#include "tf-keys.h"
#include "tf-safety.h"
#include "tf-store.h"
#include "tf-store-verified.h"
#include "tf-verify.h"

const char *
tf_verify_language (void)
{
  const char * const *names = g_get_language_names ();

  /* The first language gettext would try that has words: Greek, or
   * English (also the untranslated "C"). */
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (g_str_has_prefix (names[i], "el"))
        return "el";
      if (g_str_has_prefix (names[i], "en") || strcmp (names[i], "C") == 0)
        return "en";
    }
  return "en";
}

char *
tf_verify_own_fingerprint (TfVault *vault)
{
  TfKeys *keys;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  keys = tf_vault_get_keys (vault);
  {
    const char *publics[] = { tf_keys_get_identity_public (keys),
                              tf_keys_get_signing_public (keys), NULL };

    return tf_crypto_fingerprint (publics);
  }
}

/* The keys the number with @other_id is made of (the key change's when
 * there is one, else the pinned ones), and the change in @out_change. */
static JsonObject *
keys_to_compare (TfStore *store, const char *other_id, JsonObject **out_change,
                 GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonObject) change = tf_store_lookup_key_change (store, other_id, &local);
  JsonObject *pinned;

  if (change == NULL && !g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  pinned = tf_store_lookup_key (store, other_id, error);
  if (pinned == NULL)
    return NULL;
  *out_change = g_steal_pointer (&change);
  return pinned;
}

/* The current safety number with @other_id, made of keys_to_compare()'s
 * keys (in @out_pinned, @out_change; the one compared in @out_keys). */
static char *
current_number (TfVault *vault, const char *other_id, JsonObject **out_pinned,
                JsonObject **out_change, JsonObject **out_keys, GError **error)
{
  TfKeys *keys = tf_vault_get_keys (vault);
  char *number;

  *out_pinned = keys_to_compare (tf_vault_get_store (vault), other_id, out_change, error);
  if (*out_pinned == NULL)
    return NULL;
  *out_keys = *out_change != NULL ? *out_change : *out_pinned;
  number = tf_safety_number (tf_vault_get_user_id (vault), tf_keys_get_identity_public (keys),
                             tf_keys_get_signing_public (keys), other_id,
                             json_object_get_string_member (*out_keys, "identity_public_key"),
                             json_object_get_string_member (*out_keys, "signing_public_key"));
  if (number == NULL)
    g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CORRUPT,
                 _("The keys this device holds for %s are damaged"), other_id);
  return number;
}

JsonObject *
tf_verify_describe (TfVault *vault, const char *other_id, const char *language, GError **error)
{
  TfStore *store;
  g_autoptr(JsonObject) pinned = NULL, change = NULL, mark = NULL, out = NULL;
  g_autofree char *number = NULL, *digits = NULL, *qr = NULL;
  g_auto(GStrv) words = NULL;
  JsonObject *keys;
  JsonArray *word_array;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (other_id != NULL, NULL);

  store = tf_vault_get_store (vault);
  if (language == NULL)
    language = tf_verify_language ();
  number = current_number (vault, other_id, &pinned, &change, &keys, error);
  if (number == NULL)
    return NULL;
  digits = tf_safety_digits (number);
  words = tf_safety_words (number, language);
  qr = tf_safety_qr_text (number, tf_vault_get_user_id (vault), other_id);
  mark = tf_store_lookup_verified (store, other_id, NULL);

  out = json_object_new ();
  json_object_set_string_member (out, "user_id", other_id);
  json_object_set_member (out, "email", json_object_dup_member (pinned, "email"));
  json_object_set_string_member (out, "fingerprint",
                                 json_object_get_string_member (keys, "fingerprint"));
  json_object_set_string_member (out, "safety_number", number);
  json_object_set_string_member (out, "digits", digits);
  word_array = json_array_new ();
  for (guint i = 0; words[i] != NULL; i++)
    json_array_add_string_element (word_array, words[i]);
  json_object_set_array_member (out, "words", word_array);
  json_object_set_string_member (out, "language", language);
  json_object_set_string_member (out, "qr", qr);
  /* A mark of another number (keys changed since) is no mark. */
  if (mark != NULL &&
      g_strcmp0 (json_object_get_string_member (mark, "safety_number"), number) == 0)
    {
      json_object_set_boolean_member (out, "verified", TRUE);
      json_object_set_string_member (out, "verified_at",
                                     json_object_get_string_member (mark, "verified_at"));
    }
  else
    {
      json_object_set_boolean_member (out, "verified", FALSE);
      json_object_set_null_member (out, "verified_at");
    }
  json_object_set_boolean_member (out, "key_changed", change != NULL);
  if (change != NULL)
    {
      json_object_set_string_member (out, "previous_fingerprint",
                                     json_object_get_string_member (change, "old_fingerprint"));
      json_object_set_string_member (out, "changed_at",
                                     json_object_get_string_member (change, "first_seen_at"));
      json_object_set_boolean_member (out, "rotation_signed",
                                      g_strcmp0 (json_object_get_string_member_with_default (
                                                   change, "rotation_signed", NULL), "1") == 0);
    }
  return g_steal_pointer (&out);
}

gboolean
tf_verify_confirm (TfVault *vault, const char *other_id, const char *shown, GError **error)
{
  TfStore *store;
  g_autoptr(JsonObject) pinned = NULL, change = NULL;
  g_autofree char *number = NULL;
  JsonObject *keys;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (other_id != NULL, FALSE);

  store = tf_vault_get_store (vault);
  number = current_number (vault, other_id, &pinned, &change, &keys, error);
  if (number == NULL)
    return FALSE;
  if (shown != NULL && strcmp (shown, number) != 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED,
                   _("The safety number changed since it was shown: compare the new one "
                     "before you mark it verified"));
      return FALSE;
    }
  if (change == NULL)
    return tf_store_mark_verified (store, other_id, number, error);
  /* The person compared the new keys' number: they replace the pinned ones,
   * and what waited for them is shared now. */
  return tf_store_accept_key_change (store, other_id,
                                     json_object_get_string_member (keys, "identity_public_key"),
                                     json_object_get_string_member (keys, "signing_public_key"),
                                     number, error) &&
         /* What this account shares with them goes to the new key now, and
          * no longer to the old one (a lost device's). */
         tf_vault_reseal_grants (vault, other_id, NULL, error) &&
         tf_vault_reconcile_shares (vault, NULL, error);
}

gboolean
tf_verify_refresh (TfVault *vault, const char *other_id, GError **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (other_id != NULL, FALSE);

  if (tf_account_fetch_keys (vault, other_id, &local))
    return TRUE;
  /* Recorded by the store: the person is told from there. */
  if (g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

GPtrArray *
tf_verify_list_changes (TfStore *store, GError **error)
{
  GPtrArray *changes;

  g_return_val_if_fail (TF_IS_STORE (store), NULL);

  changes = tf_store_list_key_changes (store, error);
  if (changes == NULL)
    return NULL;
  for (guint i = 0; i < changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (changes, i);
      const char *user_id = json_object_get_string_member (change, "user_id");
      g_autoptr(JsonObject) pinned = tf_store_lookup_key (store, user_id, NULL);

      if (pinned != NULL)
        json_object_set_member (change, "email", json_object_dup_member (pinned, "email"));
      else
        json_object_set_null_member (change, "email");
    }
  return changes;
}

char *
tf_verify_change_message (JsonObject *change, const char *name)
{
  g_return_val_if_fail (change != NULL, NULL);

  if (name == NULL)
    name = tf_json_get_string (change, "email");
  if (name == NULL)
    name = json_object_get_string_member (change, "user_id");
  /* A change's object from the store has "1"; tf_verify_describe's a
   * boolean. */
  if (json_object_has_member (change, "rotation_signed") &&
      ((json_node_get_value_type (json_object_get_member (change, "rotation_signed")) ==
          G_TYPE_BOOLEAN &&
        json_object_get_boolean_member (change, "rotation_signed")) ||
       g_strcmp0 (json_object_get_string_member_with_default (change, "rotation_signed", NULL),
                  "1") == 0))
    return g_strdup_printf (_("%s rotated their keys: the new keys are signed with their "
                              "previous ones, as a rotation on their own device is (after a "
                              "lost device, for instance). Nothing more is shared with them "
                              "until you compare the new safety number with them, in person "
                              "or on a call, and mark it verified."),
                            name);
  return g_strdup_printf (_("The keys of %s changed. Nothing more is shared with them until "
                            "you compare the new safety number with them, in person or on a "
                            "call, and mark it verified. If they did not get new keys (a new "
                            "device or a reset), someone may be trying to read what you share."),
                          name);
}
