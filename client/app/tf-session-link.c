/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-link.c: linking a client with a therapist, the session's
 * network work for the booking page (a widget never starts it itself).
 *
 * The therapist's keys come from the server's directory: the lookup runs in
 * a worker thread on a sync client of its own (tf_account_new_sync_client
 * may be handed to a thread); the keys are pinned and the link written back
 * on the main thread, where the vault lives, and a sync follows.
 */
#define G_LOG_DOMAIN "tf-session"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-booking.h"
#include "tf-session-link.h"

typedef struct
{
  char         *email;
  gboolean      share_mood;
  gboolean      share_goals;
  TfSyncClient *client;
} Link;

static void
link_free (gpointer data)
{
  Link *link = data;

  g_free (link->email);
  g_clear_object (&link->client);
  g_free (link);
}

static void
lookup_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Link *link = data;
  GError *error = NULL;
  JsonObject *entry = tf_account_lookup_therapist (link->client, link->email, &error);

  if (entry == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entry, (GDestroyNotify) json_object_unref);
}

/* Back on the main thread: pins the keys found and links. */
static void
on_lookup_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  TfSession *self = TF_SESSION (source);
  Link *link = g_task_get_task_data (task);
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *therapist = NULL;
  TfVault *vault;

  entry = g_task_propagate_pointer (G_TASK (result), &error);
  if (entry == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  vault = tf_session_get_vault (self);
  if (vault == NULL)
    {
      g_task_return_new_error (task, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                               _("The data on this device is locked"));
      return;
    }
  therapist = tf_booking_link_found (vault, entry, link->email, link->share_mood,
                                     link->share_goals, &error);
  if (therapist == NULL)
    {
      g_task_return_new_error (task, error->domain, error->code, _("You were not linked: %s"),
                               error->message);
      return;
    }
  tf_session_sync (self);
  g_task_return_pointer (task, g_strdup (tf_json_get_string (entry, "fingerprint")), g_free);
}

void
tf_session_link_therapist_async (TfSession *self, const char *email, gboolean share_mood,
                                 gboolean share_goals, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) lookup = NULL;
  g_autoptr(GError) error = NULL;
  TfVault *vault;
  Link *link;

  g_return_if_fail (TF_IS_SESSION (self));
  g_return_if_fail (email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_session_link_therapist_async);
  vault = tf_session_get_vault (self);
  link = g_new0 (Link, 1);
  link->email = g_strdup (email);
  link->share_mood = share_mood;
  link->share_goals = share_goals;
  link->client = vault ? tf_account_new_sync_client (vault, &error) : NULL;
  g_task_set_task_data (task, link, link_free);
  if (link->client == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                                 _("The data on this device is locked"));
      return;
    }
  lookup = g_task_new (self, cancellable, on_lookup_done_cb, g_object_ref (task));
  g_task_set_source_tag (lookup, lookup_thread);
  g_task_set_task_data (lookup, link, NULL);   /* the outer task owns it */
  g_task_run_in_thread (lookup, lookup_thread);
}

char *
tf_session_link_therapist_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tf_session_link_therapist_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
