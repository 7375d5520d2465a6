/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-account.c: the account page's calls, each in a worker thread.
 *
 * The worker opens a store connection of its own, as a sync does, and a
 * vault on it with a copy of the session's unlocked keys: the core's calls
 * may write to the store (a renewed token), and the main thread's lists
 * keep the session's connection to themselves meanwhile.  The copy is
 * wiped with the worker's vault.  Nothing of the session but its path is
 * touched off the main thread.
 */
#define G_LOG_DOMAIN "tf-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-session-account.h"

typedef enum
{
  OP_LIST,
  OP_REVOKE,
  OP_PASSWORD,
  OP_MFA_SETUP,
  OP_MFA_ON,
  OP_MFA_OFF,
  OP_ROTATE,
} Op;

typedef struct
{
  Op         op;
  char      *path;
  char      *user_id;
  TfKeys    *keys;      /* a copy; NULL for the password change */
  char      *arg;       /* the session id, the code, or the current password */
  char      *new_password;
  GPtrArray *sessions;  /* OP_LIST's answer */
  char      *uri;       /* OP_MFA_SETUP's answer */
  char      *secret;
  TfKeys    *rotated;   /* OP_ROTATE's answer: the new keys, for the session's vault */
  guint      resealed;  /* OP_ROTATE: the grants sealed again */
} Job;

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
  g_free (secret);
}

static void
job_free (Job *job)
{
  g_free (job->path);
  g_free (job->user_id);
  g_clear_pointer (&job->keys, tf_keys_free);
  wipe_free (job->arg);
  wipe_free (job->new_password);
  g_clear_pointer (&job->sessions, g_ptr_array_unref);
  g_free (job->uri);
  wipe_free (job->secret);
  g_clear_pointer (&job->rotated, tf_keys_free);
  g_free (job);
}

static void
run_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job *job = data;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;
  GError *error = NULL;
  gboolean ok = FALSE;

  store = tf_store_open (job->path, &error);
  if (store == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (job->keys != NULL)
    vault = tf_vault_new (store, job->user_id, g_steal_pointer (&job->keys));
  switch (job->op)
    {
    case OP_LIST:
      job->sessions = tf_account_list_sessions (vault, &error);
      ok = job->sessions != NULL;
      break;
    case OP_REVOKE:
      ok = tf_account_revoke_session (vault, job->arg, NULL, &error);
      break;
    case OP_PASSWORD:
      ok = tf_account_change_password (store, job->arg, job->new_password, &error);
      break;
    case OP_MFA_SETUP:
      job->uri = tf_account_mfa_setup (vault, &job->secret, &error);
      ok = job->uri != NULL;
      break;
    case OP_MFA_ON:
      ok = tf_account_mfa_enable (vault, job->arg, &error);
      break;
    case OP_MFA_OFF:
      ok = tf_account_mfa_disable (vault, job->arg, &error);
      break;
    case OP_ROTATE:
      /* The fingerprint comes back in @uri's place. */
      ok = tf_account_rotate_keys (vault, &job->uri, &job->resealed, &error);
      if (ok)
        job->rotated = tf_keys_copy (tf_vault_get_keys (vault));
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Runs @op in a worker; while the data is locked only the password change
 * can (it opens the keys with the password itself). */
static void
start (TfSession *self, Op op, const char *arg, const char *new_password,
       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TfVault *vault = tf_session_get_vault (self);
  Job *job;

  g_task_set_source_tag (task, start);
  if (vault == NULL && op != OP_PASSWORD)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Unlock your data first"));
      return;
    }
  job = g_new0 (Job, 1);
  job->op = op;
  job->path = g_strdup (tf_session_get_path (self));
  job->arg = g_strdup (arg);
  job->new_password = g_strdup (new_password);
  if (vault != NULL && op != OP_PASSWORD)
    {
      job->user_id = g_strdup (tf_vault_get_user_id (vault));
      job->keys = tf_keys_copy (tf_vault_get_keys (vault));
    }
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, run_thread);
}

static Job *
finish (TfSession *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

void
tf_session_list_sessions_async (TfSession *self, GCancellable *cancellable,
                                GAsyncReadyCallback callback, gpointer user_data)
{
  start (self, OP_LIST, NULL, NULL, cancellable, callback, user_data);
}

GPtrArray *
tf_session_list_sessions_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  Job *job = finish (self, result, error);

  return job != NULL ? g_steal_pointer (&job->sessions) : NULL;
}

void
tf_session_revoke_session_async (TfSession *self, const char *session_id,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  start (self, OP_REVOKE, session_id, NULL, cancellable, callback, user_data);
}

gboolean
tf_session_revoke_session_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish (self, result, error) != NULL;
}

void
tf_session_change_password_async (TfSession *self, const char *password,
                                  const char *new_password, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  start (self, OP_PASSWORD, password, new_password, cancellable, callback, user_data);
}

gboolean
tf_session_change_password_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish (self, result, error) != NULL;
}

void
tf_session_mfa_setup_async (TfSession *self, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  start (self, OP_MFA_SETUP, NULL, NULL, cancellable, callback, user_data);
}

char *
tf_session_mfa_setup_finish (TfSession *self, GAsyncResult *result, char **out_secret,
                             GError **error)
{
  Job *job = finish (self, result, error);

  if (job == NULL)
    return NULL;
  if (out_secret != NULL)
    *out_secret = g_steal_pointer (&job->secret);
  return g_steal_pointer (&job->uri);
}

void
tf_session_mfa_switch_async (TfSession *self, gboolean on, const char *code,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  start (self, on ? OP_MFA_ON : OP_MFA_OFF, code, NULL, cancellable, callback, user_data);
}

gboolean
tf_session_mfa_switch_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish (self, result, error) != NULL;
}

void
tf_session_rotate_keys_async (TfSession *self, GCancellable *cancellable,
                              GAsyncReadyCallback callback, gpointer user_data)
{
  start (self, OP_ROTATE, NULL, NULL, cancellable, callback, user_data);
}

char *
tf_session_rotate_keys_finish (TfSession *self, GAsyncResult *result, guint *out_resealed,
                               GError **error)
{
  Job *job = finish (self, result, error);
  TfVault *vault;

  if (job == NULL)
    return NULL;
  /* The worker's vault took the new keys; the session's signs with them
   * from now on (what it signed before still verifies: the old keys are
   * the new ones' previous keys).  Locked meanwhile, the next unlock reads
   * them from the store. */
  vault = tf_session_get_vault (self);
  if (vault != NULL && job->rotated != NULL)
    tf_vault_replace_keys (vault, g_steal_pointer (&job->rotated));
  if (out_resealed != NULL)
    *out_resealed = job->resealed;
  /* The grants sealed again go to the server now. */
  tf_session_sync (self);
  return g_steal_pointer (&job->uri);
}

GListModel *
tf_session_dup_refusals (TfSession *self, GError **error)
{
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  vault = tf_session_get_vault (self);
  if (vault == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("Unlock your data first"));
      return NULL;
    }
  /* Read on the main thread, as the pages' lists are: a few rows. */
  return tf_refusals_list (vault, error);
}
