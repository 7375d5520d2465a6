/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-notice.c: what the user is told when the server lost changes it
 * had acknowledged (in the same words in the app and the CLI), or sent
 * records this device refuses to use (the app's banner; the CLI's `sync`
 * and `status` say that in their own words).
 *
 * A sync that finds the server's bookkeeping went back (tf-sync-answer.c)
 * sends again what this device still keeps and notes it in the profile's
 * state (TF_SYNC_STATE_SERVER_LOST, _RESENT, _UNKEPT); the notice stays
 * until the user dismisses it, because it says something they may need to
 * check on their other devices.  A refusal (tf-store-refused.c) says the
 * server, or someone who controls it, sent what its author did not write;
 * the notice stays until dismissed or until the record is good again.
 */
#define G_LOG_DOMAIN "tf-sync-client"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-sync-client.h"

char *
tf_sync_server_lost_text (gint64 resent, gint64 unkept)
{
  GString *text = g_string_new (NULL);

  if (resent > 0)
    g_string_append_printf (text,
                            ngettext ("The server had lost %lld change from this device (its "
                                      "database was probably restored from an older backup). "
                                      "It was sent again.",
                                      "The server had lost %lld changes from this device (its "
                                      "database was probably restored from an older backup). "
                                      "They were sent again.", (gulong) resent),
                            (long long) resent);
  else
    g_string_append (text, _("The server’s database went back to an older copy (probably "
                             "restored from a backup)."));
  g_string_append_c (text, ' ');
  if (unkept > 0)
    g_string_append_printf (text,
                            ngettext ("Up to %lld older change was no longer kept on this device "
                                      "and may be missing on the server: check that your "
                                      "entries reached your other devices.",
                                      "Up to %lld older changes were no longer kept on this "
                                      "device and may be missing on the server: check that your "
                                      "entries reached your other devices.", (gulong) unkept),
                            (long long) unkept);
  else
    g_string_append (text, _("Nothing was lost."));
  return g_string_free (text, FALSE);
}

static gint64
state_int (TfStore *store, const char *key)
{
  g_autofree char *text = tf_store_dup_state (store, key, NULL);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}

char *
tf_sync_server_lost_notice (TfStore *store, char **out_when)
{
  g_autofree char *when = NULL;

  g_return_val_if_fail (TF_IS_STORE (store), NULL);

  when = tf_store_dup_state (store, TF_SYNC_STATE_SERVER_LOST, NULL);
  if (when == NULL)
    return NULL;
  if (out_when != NULL)
    *out_when = g_steal_pointer (&when);
  return tf_sync_server_lost_text (state_int (store, TF_SYNC_STATE_SERVER_RESENT),
                                   state_int (store, TF_SYNC_STATE_SERVER_UNKEPT));
}

gboolean
tf_sync_server_lost_dismiss (TfStore *store, GError **error)
{
  const char * const keys[] = { TF_SYNC_STATE_SERVER_LOST, TF_SYNC_STATE_SERVER_RESENT,
                                TF_SYNC_STATE_SERVER_UNKEPT, NULL };
  const char * const values[] = { NULL, NULL, NULL, NULL };

  g_return_val_if_fail (TF_IS_STORE (store), FALSE);

  return tf_store_set_state (store, keys, values, error);
}

char *
tf_sync_refused_notice (TfStore *store)
{
  gint64 n;

  g_return_val_if_fail (TF_IS_STORE (store), NULL);

  n = tf_store_refused_count (store, TRUE, NULL);
  if (n <= 0)
    return NULL;
  /* The app's banner: its Details and the menu's Refused Records… list
   * them (the CLI says its own, tf-cli-sync.c). */
  return g_strdup_printf (ngettext ("The server sent %lld record that its author did not "
                                    "write or sign (it may have been changed on the server). "
                                    "This device does not use it: see Details, or Refused "
                                    "Records… in the main menu.",
                                    "The server sent %lld records that their authors did not "
                                    "write or sign (they may have been changed on the server). "
                                    "This device does not use them: see Details, or Refused "
                                    "Records… in the main menu.",
                                    (gulong) n),
                          (long long) n);
}

char *
tf_sync_notice_text (TfStore *store)
{
  g_autofree char *lost = tf_sync_server_lost_notice (store, NULL);
  g_autofree char *refused = tf_sync_refused_notice (store);

  if (lost != NULL && refused != NULL)
    return g_strconcat (lost, "\n", refused, NULL);
  return lost != NULL ? g_steal_pointer (&lost) : g_steal_pointer (&refused);
}

gboolean
tf_sync_notice_dismiss (TfStore *store, GError **error)
{
  return tf_sync_server_lost_dismiss (store, error) && tf_store_dismiss_refused (store, error);
}
