/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-managed.c: adding a managed client, the session's work for
 * the clients page's Add Client dialog (a widget never starts it itself).
 *
 * The checks and the keys are made on the main thread, where the vault
 * lives; the server's account row for the client is asked for in a worker
 * thread on a sync client of its own (tf_account_new_sync_client may be
 * handed to a thread); the file and the client's records are written back
 * on the main thread, and a sync follows.
 */
#define G_LOG_DOMAIN "tf-session"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account.h"
#include "tf-session-managed.h"

typedef struct
{
  TfManagedNew *made;
  TfSyncClient *client;
} Add;

static void
add_free (gpointer data)
{
  Add *add = data;

  g_clear_pointer (&add->made, tf_managed_new_free);
  g_clear_object (&add->client);
  g_free (add);
}

static void
register_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Add *add = data;
  GError *error = NULL;

  if (tf_managed_new_register (add->made, add->client, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Back on the main thread: the file and the client's records. */
static void
on_registered_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  TfSession *self = TF_SESSION (source);
  Add *add = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  TfVault *vault;
  char *id;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
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
  id = tf_managed_new_finish (add->made, vault, &error);
  if (id == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  tf_session_sync (self);
  g_task_return_pointer (task, id, g_free);
}

void
tf_session_add_client_async (TfSession *self, const TfManagedClient *client,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) registering = NULL;
  g_autoptr(GError) error = NULL;
  TfVault *vault;
  Add *add;

  g_return_if_fail (TF_IS_SESSION (self));
  g_return_if_fail (client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_session_add_client_async);
  vault = tf_session_get_vault (self);
  if (vault == NULL)
    {
      g_task_return_new_error (task, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                               _("The data on this device is locked"));
      return;
    }
  add = g_new0 (Add, 1);
  g_task_set_task_data (task, add, add_free);
  add->made = tf_managed_new_prepare (vault, client, &error);
  if (add->made == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  add->client = tf_account_new_sync_client (vault, &error);
  if (add->client == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  registering = g_task_new (self, cancellable, on_registered_cb, g_object_ref (task));
  g_task_set_source_tag (registering, register_thread);
  g_task_set_task_data (registering, add, NULL);   /* the outer task owns it */
  g_task_run_in_thread (registering, register_thread);
}

char *
tf_session_add_client_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tf_session_add_client_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
