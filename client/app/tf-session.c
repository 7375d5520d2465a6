/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session.c: the profile, its account and its vault for the app.
 *
 * SQLite connections are per thread here: a sync, and each account step
 * (unlock, recovery, sign-in, publishing), runs in a worker on a
 * connection of its own to the same file (WAL lets both work), so the
 * main thread's connection is never used by another thread.  A session that
 * lapsed is renewed in that worker, with a copy of the keys (the master
 * key opens the auth key kept in the store), and the sync goes on: nobody
 * is asked unless the server refuses that too.  When a sync ends,
 * the session reconciles shares on the main thread, tells the main
 * thread's store which tables the worker's connection changed (so every
 * list model made from it reloads by itself) and emits ::synced.
 *
 * The session makes the app's list models from the open vault
 * (tf-session-lists.c): a page asks for its lists, never for the store.
 */
#define G_LOG_DOMAIN "tf-session"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-drafts.h"
#include "tf-managed.h"
#include "tf-session-private.h"

G_DEFINE_FINAL_TYPE (TfSession, tf_session, G_TYPE_OBJECT)

enum { PROP_0, PROP_SYNC_STATE, PROP_UNLOCKED, N_PROPS };
enum { SYNCED, LOCKING, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
tf_session_finalize (GObject *object)
{
  TfSession *self = TF_SESSION (object);

  g_clear_pointer (&self->watch, tf_sync_watch_stop);
  g_clear_object (&self->vault);
  g_clear_object (&self->store);
  g_free (self->path);
  g_free (self->role);
  g_free (self->sync_error);
  G_OBJECT_CLASS (tf_session_parent_class)->finalize (object);
}

static void
tf_session_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TfSession *self = TF_SESSION (object);

  switch (prop_id)
    {
    case PROP_SYNC_STATE:
      g_value_set_int (value, self->sync_state);
      break;
    case PROP_UNLOCKED:
      g_value_set_boolean (value, self->vault != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_session_class_init (TfSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tf_session_finalize;
  object_class->get_property = tf_session_get_property;
  properties[PROP_SYNC_STATE] = g_param_spec_int ("sync-state", NULL, NULL, 0, G_MAXINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                  G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNLOCKED] = g_param_spec_boolean ("unlocked", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS |
                                                    G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* A sync brought changes in: lists reload. */
  signals[SYNCED] = g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* About to lock: the vault is still open, for the forms' drafts. */
  signals[LOCKING] = g_signal_new ("locking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tf_session_init (TfSession *self)
{
}

void
tf_session_set_sync_state (TfSession *self, TfSyncState state)
{
  if (state != TF_SYNC_STATE_SIGNED_OUT)
    {
      self->signed_out = TF_SIGNED_OUT_NONE;
      self->keys_replaced = FALSE;
    }
  if (self->sync_state == state)
    return;
  self->sync_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_STATE]);
}

void
tf_session_set_signed_out (TfSession *self, TfSignedOut why)
{
  self->signed_out = why;
  if (why != TF_SIGNED_OUT_REFUSED)
    self->keys_replaced = FALSE;
  tf_session_set_sync_state (self, TF_SYNC_STATE_SIGNED_OUT);
}

void
tf_session_emit_synced (TfSession *self)
{
  g_signal_emit (self, signals[SYNCED], 0);
}

static void
refresh_account (TfSession *self)
{
  g_autofree char *server = tf_account_get (self->store, "server");

  g_free (self->role);
  self->role = tf_account_get (self->store, "role");
  if (server == NULL)
    tf_session_set_sync_state (self, TF_SYNC_STATE_LOCAL_ONLY);
  else if (self->sync_state == TF_SYNC_STATE_LOCAL_ONLY)
    tf_session_set_sync_state (self, TF_SYNC_STATE_IDLE);
}

TfSession *
tf_session_new (const char *data_dir, GError **error)
{
  g_autoptr(TfSession) self = g_object_new (TF_TYPE_SESSION, NULL);

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the folder %s: %s"), data_dir, g_strerror (saved));
      return NULL;
    }
  self->path = g_build_filename (data_dir, "profile.sqlite", NULL);
  self->store = tf_store_open (self->path, error);
  if (self->store == NULL)
    return NULL;
  refresh_account (self);
  return g_steal_pointer (&self);
}

gboolean
tf_session_has_account (TfSession *self)
{
  return self->role != NULL;
}

gboolean
tf_session_is_unlocked (TfSession *self)
{
  return self->vault != NULL;
}

const char *
tf_session_get_role (TfSession *self)
{
  return self->role;
}

TfVault *
tf_session_get_vault (TfSession *self)
{
  return self->vault;
}

TfStore *
tf_session_get_store (TfSession *self)
{
  return self->store;
}

const char *
tf_session_get_path (TfSession *self)
{
  return self->path;
}

static gboolean
on_server_changes (gpointer data)
{
  tf_session_sync (TF_SESSION (data));
  return G_SOURCE_REMOVE;
}

/* Plaintext that older versions left in columns encrypted since: encrypted
 * now and queued.  A failure costs nothing but the wait for the next try. */
static gboolean
encrypt_legacy (TfSession *self)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (self->vault == NULL)
    return FALSE;
  if (!tf_vault_encrypt_legacy (self->vault, &n, &error))
    g_message ("Old plaintext stays for now: %s", error->message);
  return n > 0;
}

/* Live updates, with a client of the open vault's session: another
 * device's change shows by itself while the profile is open. */
void
tf_session_start_watch (TfSession *self)
{
  g_autoptr(TfSyncClient) client = NULL;

  g_clear_pointer (&self->watch, tf_sync_watch_stop);
  if (self->vault == NULL || self->sync_state == TF_SYNC_STATE_LOCAL_ONLY)
    return;
  client = tf_account_new_sync_client (self->vault, NULL);
  if (client != NULL)   /* else signed out on this device */
    self->watch = tf_sync_watch_start (self->path, client, on_server_changes, self);
}

static void
set_vault (TfSession *self, TfVault *vault)
{
  if (self->vault == vault)
    return;
  g_clear_pointer (&self->watch, tf_sync_watch_stop);
  g_clear_object (&self->vault);
  self->vault = vault;
  encrypt_legacy (self);
  refresh_account (self);
  tf_session_start_watch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNLOCKED]);
}

void
tf_session_lock (TfSession *self)
{
  g_return_if_fail (TF_IS_SESSION (self));

  if (self->vault != NULL)
    g_signal_emit (self, signals[LOCKING], 0);
  set_vault (self, NULL);
}

/* --- work in a thread ----------------------------------------------------- */

/* Every account step runs in a worker on a connection of its own, as a
 * sync does, so that no SQLite connection is ever used by two threads (a
 * connection shared with the main thread showed as "file is not a
 * database").  A vault the step opens stays on the worker's connection and
 * ends with it there: its keys are handed over, and the session makes its
 * own vault with them on the main thread's connection. */
typedef struct _Job Job;
typedef gboolean (*JobStep) (Job *job, TfStore *store, GError **error);

struct _Job
{
  JobStep  step;
  char    *password;
  char    *server;
  char    *email;
  char    *first_name;
  char    *last_name;
  char    *license;
  char    *role;
  char    *recovery;
  char    *totp;     /* the authenticator app's code, when asked for */
  char    *invite;   /* a managed client's invitation code */
  char    *user_id;  /* with keys: the account the step opened */
  TfKeys  *keys;
  gboolean server_ended;  /* signing out: the server was told */
};

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
  wipe_free (job->password);
  wipe_free (job->recovery);
  wipe_free (job->totp);
  wipe_free (job->invite);
  g_free (job->server);
  g_free (job->email);
  g_free (job->first_name);
  g_free (job->last_name);
  g_free (job->license);
  g_free (job->role);
  g_free (job->user_id);
  g_clear_pointer (&job->keys, tf_keys_free);
  g_free (job);
}

static Job *
job_new (JobStep step)
{
  Job *job = g_new0 (Job, 1);

  job->step = step;
  return job;
}

/* A job for a server account: where, who, and the password. */
static Job *
account_job_new (JobStep step, const char *server_url, const char *email, const char *password)
{
  Job *job = job_new (step);

  job->server = g_strdup (server_url);
  job->email = g_strdup (email);
  job->password = g_strdup (password);
  return job;
}

/* Keeps the keys of @vault (taken) for the main thread; FALSE for NULL. */
static gboolean
keep_keys (Job *job, TfVault *vault)
{
  if (vault == NULL)
    return FALSE;
  job->user_id = g_strdup (tf_vault_get_user_id (vault));
  job->keys = tf_keys_copy (tf_vault_get_keys (vault));
  g_object_unref (vault);
  return TRUE;
}

static void
job_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TfSession *self = source;
  Job *job = data;
  g_autoptr(TfStore) store = NULL;
  GError *error = NULL;

  store = tf_store_open (self->path, &error);
  if (store != NULL && job->step (job, store, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
start (TfSession *self, Job *job, GCancellable *cancellable, GAsyncReadyCallback callback,
       gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

static gboolean
finish_with_vault (TfSession *self, GAsyncResult *result, GError **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  gboolean ok = g_task_propagate_boolean (G_TASK (result), error);

  /* Registering may fail after the account was made here. */
  if (job->keys != NULL)
    set_vault (self, tf_vault_new (self->store, job->user_id, g_steal_pointer (&job->keys)));
  refresh_account (self);
  return ok;
}

static gboolean
unlock_step (Job *job, TfStore *store, GError **error)
{
  return keep_keys (job, tf_account_unlock (store, job->password, error));
}

void
tf_session_unlock_async (TfSession *self, const char *password, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = job_new (unlock_step);

  job->password = g_strdup (password);
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_unlock_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish_with_vault (self, result, error);
}

static gboolean
recover_step (Job *job, TfStore *store, GError **error)
{
  return tf_account_recover (store, job->recovery, job->password, error) &&
         keep_keys (job, tf_account_unlock (store, job->password, error));
}

void
tf_session_recover_async (TfSession *self, const char *recovery_text, const char *new_password,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  Job *job = job_new (recover_step);

  job->recovery = g_strdup (recovery_text);
  job->password = g_strdup (new_password);
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_recover_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish_with_vault (self, result, error);
}

static gboolean
create_step (Job *job, TfStore *store, GError **error)
{
  TfRegistration reg = { job->password, job->role, job->first_name, job->last_name,
                         job->license };

  if (!keep_keys (job, tf_account_create_local (store, &reg, &job->recovery, error)))
    return FALSE;
  return job->server == NULL ||
         tf_account_publish (store, job->server, job->email, job->password, NULL, error);
}

void
tf_session_create_async (TfSession *self, const TfRegistration *reg, const char *server_url,
                         const char *email, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = account_job_new (create_step, server_url, email, reg->password);

  job->role = g_strdup (reg->role);
  job->first_name = g_strdup (reg->first_name);
  job->last_name = g_strdup (reg->last_name);
  job->license = g_strdup (reg->license_number);
  start (self, job, cancellable, callback, user_data);
}

/* A client their therapist added, with the invitation code: the account
 * takes over what the therapist kept for them (tf-managed.h). */
static gboolean
create_invited_step (Job *job, TfStore *store, GError **error)
{
  return tf_managed_register_invited (store, job->server, job->email, job->password,
                                      job->invite, NULL, &job->recovery, error) &&
         keep_keys (job, tf_account_unlock (store, job->password, error));
}

void
tf_session_create_invited_async (TfSession *self, const char *server_url, const char *email,
                                 const char *password, const char *code,
                                 GCancellable *cancellable, GAsyncReadyCallback callback,
                                 gpointer user_data)
{
  Job *job = account_job_new (create_invited_step, server_url, email, password);

  job->invite = g_strdup (code);
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_create_finish (TfSession *self, GAsyncResult *result, char **out_recovery_text,
                          GError **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  if (out_recovery_text != NULL)
    *out_recovery_text = g_strdup (job->recovery);
  return finish_with_vault (self, result, error);
}

static gboolean
login_step (Job *job, TfStore *store, GError **error)
{
  return keep_keys (job, tf_account_login (store, job->server, job->email, job->password, job->totp,
                                           error));
}

void
tf_session_login_async (TfSession *self, const char *server_url, const char *email,
                        const char *password, const char *totp, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  Job *job = account_job_new (login_step, server_url, email, password);

  job->totp = g_strdup (totp);
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_login_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish_with_vault (self, result, error);
}

static gboolean
recover_new_device_step (Job *job, TfStore *store, GError **error)
{
  return keep_keys (job, tf_account_recover_on_new_device (store, job->server, job->email,
                                                           job->recovery, job->password,
                                                           error));
}

void
tf_session_recover_new_device_async (TfSession *self, const char *server_url, const char *email,
                                     const char *recovery_text, const char *new_password,
                                     GCancellable *cancellable, GAsyncReadyCallback callback,
                                     gpointer user_data)
{
  Job *job = account_job_new (recover_new_device_step, server_url, email, new_password);

  job->recovery = g_strdup (recovery_text);
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_recover_new_device_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish_with_vault (self, result, error);
}

/* Publishing and signing in again leave the session's vault open: the
 * views stay open meanwhile.  Signing in again after the account's keys
 * were replaced on another device brings the new keys, which the open
 * vault takes (tf_session_sign_in_again_finish). */
static gboolean
publish_step (Job *job, TfStore *store, GError **error)
{
  return tf_account_publish (store, job->server, job->email, job->password, NULL, error);
}

static gboolean
sign_in_again_step (Job *job, TfStore *store, GError **error)
{
  g_autofree char *server = tf_account_get (store, "server");
  g_autofree char *email = tf_account_get (store, "email");
  g_autoptr(TfVault) vault = NULL;

  if (server == NULL || email == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                   _("This profile does not sync with a server"));
      return FALSE;
    }
  /* The vault made on this thread's connection is not the session's; its
   * keys go to the main thread. */
  vault = tf_account_login (store, server, email, job->password, job->totp, error);
  return keep_keys (job, g_steal_pointer (&vault));
}

/* Now with a server and a session: live updates, and a sync. */
static gboolean
finish_online (TfSession *self, GAsyncResult *result, GError **error)
{
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  refresh_account (self);
  if (self->sync_state == TF_SYNC_STATE_SIGNED_OUT)
    tf_session_set_sync_state (self, TF_SYNC_STATE_IDLE);
  /* A watch that was refused has ended: a new one with the new session. */
  tf_session_start_watch (self);
  tf_session_sync (self);
  return TRUE;
}

void
tf_session_publish_async (TfSession *self, const char *server_url, const char *email,
                          const char *password, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  start (self, account_job_new (publish_step, server_url, email, password), cancellable,
         callback, user_data);
}

gboolean
tf_session_publish_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  return finish_online (self, result, error);
}

void
tf_session_sign_in_again_async (TfSession *self, const char *password, const char *totp,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  Job *job = job_new (sign_in_again_step);

  job->password = g_strdup (password);
  job->totp = g_strdup (totp);
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_sign_in_again_finish (TfSession *self, GAsyncResult *result, GError **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  /* The keys the server holds now (new ones after a rotation elsewhere)
   * sign what this device writes from the next sync on, as they would
   * after the next unlock. */
  if (!g_task_had_error (G_TASK (result)) && job->keys != NULL && self->vault != NULL)
    tf_vault_replace_keys (self->vault, g_steal_pointer (&job->keys));
  return finish_online (self, result, error);
}

/* Signing out: the session's keys in a vault of the worker's own, to read
 * the token with.  The drafts kept through locks go too: signing out
 * wipes what was left unsaved. */
static gboolean
sign_out_step (Job *job, TfStore *store, GError **error)
{
  g_autoptr(TfVault) vault = tf_vault_new (store, job->user_id, g_steal_pointer (&job->keys));

  return tf_account_logout (store, vault, &job->server_ended, error) &&
         tf_drafts_discard_all (vault, error);
}

void
tf_session_sign_out_async (TfSession *self, GCancellable *cancellable,
                           GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (TF_IS_SESSION (self));

  if (self->vault == NULL)
    {
      task = g_task_new (self, cancellable, callback, user_data);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Unlock your data first"));
      return;
    }
  /* No live updates with a session that ends; a sync the server refuses
   * meanwhile was refused for this sign-out. */
  g_clear_pointer (&self->watch, tf_sync_watch_stop);
  self->signing_out = TRUE;
  job = job_new (sign_out_step);
  job->user_id = g_strdup (tf_vault_get_user_id (self->vault));
  job->keys = tf_keys_copy (tf_vault_get_keys (self->vault));
  start (self, job, cancellable, callback, user_data);
}

gboolean
tf_session_sign_out_finish (TfSession *self, GAsyncResult *result, gboolean *out_server_ended,
                            GError **error)
{
  Job *job = g_task_get_task_data (G_TASK (result));

  self->signing_out = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      tf_session_start_watch (self);
      return FALSE;
    }
  if (out_server_ended != NULL)
    *out_server_ended = job->server_ended;
  g_clear_pointer (&self->sync_error, g_free);
  tf_session_set_signed_out (self, TF_SIGNED_OUT_BY_PERSON);
  return TRUE;
}
