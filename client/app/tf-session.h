/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session.h: one profile as the app sees it — the store, the account and,
 * once unlocked, the vault.  Slow steps (Argon2id, the network) run in a
 * worker thread and report back on the main context; nothing here knows GTK
 * and nothing outside client/store touches SQLite.
 */
#pragma once

#include <gio/gio.h>

#include "tf-account.h"
#include "tf-repository.h"

G_BEGIN_DECLS

#define TF_TYPE_SESSION (tf_session_get_type ())
G_DECLARE_FINAL_TYPE (TfSession, tf_session, TF, SESSION, GObject)

typedef enum
{
  TF_SYNC_STATE_LOCAL_ONLY,  /* no server: this computer only */
  TF_SYNC_STATE_IDLE,        /* up to date as of the last sync */
  TF_SYNC_STATE_SYNCING,
  TF_SYNC_STATE_OFFLINE,     /* the last sync could not reach the server */
  TF_SYNC_STATE_SIGNED_OUT,  /* the server no longer accepts this device */
} TfSyncState;

/* Why the sync state is TF_SYNC_STATE_SIGNED_OUT: the window asks the
 * person to sign in again only when the server refused. */
typedef enum
{
  TF_SIGNED_OUT_NONE,       /* not signed out */
  TF_SIGNED_OUT_BY_PERSON,  /* the person signed this device out: it holds no session */
  TF_SIGNED_OUT_REFUSED,    /* the server refused this device's session (ended
                             * elsewhere, the password changed, suspended) */
} TfSignedOut;

/* Opens (creating) the profile in @data_dir. */
TfSession   *tf_session_new            (const char     *data_dir,
                                        GError        **error);

gboolean     tf_session_has_account    (TfSession      *self);
gboolean     tf_session_is_unlocked    (TfSession      *self);
/* "client" or "therapist"; NULL before an account exists. */
const char  *tf_session_get_role       (TfSession      *self);
TfVault     *tf_session_get_vault      (TfSession      *self);
TfStore     *tf_session_get_store      (TfSession      *self);
/* The profile's database file: names the profile (in the keyring). */
const char  *tf_session_get_path       (TfSession      *self);


/* The lists a page shows, made from the open vault (NULL while locked):
 * each follows the store's changes by itself, a sync's included, so the
 * page that binds it never reloads it (tf-session-lists.c).  Like the
 * records above they hold decrypted records, dropped at lock. */

/* A therapist's clients (tf_clients_list_new). */
TfRepository *tf_session_dup_clients   (TfSession      *self);
/* The free times of a local day with a therapist (tf_booking_slots_new). */
TfRepository *tf_session_dup_free_slots (TfSession     *self,
                                         const char    *therapist_id,
                                         const char    *service_id,
                                         int            year,
                                         int            month,
                                         int            day);
/* This therapist's blocked dates, by date (tf_booking_blocked_new). */
TfRepository *tf_session_dup_blocked_dates (TfSession  *self);
/* This account's goals with how each goes (tf_goals_list_new). */
TfRepository *tf_session_dup_goals     (TfSession      *self);
/* A client's sessions with this therapist and their notes
 * (tf_notes_sessions_new). */
TfRepository *tf_session_dup_note_sessions (TfSession  *self,
                                            const char *client_id);
/* This therapist's treatment plans for a client, the current one first
 * (tf_plans_list_new). */
/* The addenda of session note @note_id, oldest first (tf-addenda.h). */
TfRepository *tf_session_dup_addenda   (TfSession      *self,
                                        const char     *note_id);
TfRepository *tf_session_dup_plans     (TfSession      *self,
                                        const char     *client_id);
/* This therapist's appointments of a week, by day (tf_schedule_week_new). */
TfRepository *tf_session_dup_week      (TfSession      *self,
                                        GDateTime      *week_start);
/* This therapist's appointments that begin in [@from, @to), soonest first
 * (tf_schedule_range_new): what a calendar view shows. */
TfRepository *tf_session_dup_appointments_between (TfSession *self,
                                                   GDateTime *from,
                                                   GDateTime *to);
/* The zone this therapist works in (tf_schedule_dup_zone); Europe/Athens
 * while locked. */
GTimeZone    *tf_session_dup_time_zone (TfSession      *self);
/* This client's appointments, upcoming first (tf_booking_mine_new). */
TfRepository *tf_session_dup_my_appointments (TfSession *self);

/* One person's records, live, as tf_vault_list gives them: @user_id's (or
 * @client_id's) — NULL: the account's own. */
/* Mood check-ins. */
TfRepository *tf_session_dup_moods     (TfSession      *self,
                                        const char     *user_id);
/* Journal entries. */
TfRepository *tf_session_dup_journal   (TfSession      *self,
                                        const char     *user_id);
/* The profile (zero or one). */
TfRepository *tf_session_dup_profile   (TfSession      *self,
                                        const char     *user_id);
/* The client's care relationships. */
TfRepository *tf_session_dup_care      (TfSession      *self,
                                        const char     *client_id);
/* The client's intake (zero or one); @client_id not NULL. */
TfRepository *tf_session_dup_intakes   (TfSession      *self,
                                        const char     *client_id);
/* The client's history (zero or one); @client_id not NULL. */
TfRepository *tf_session_dup_histories (TfSession      *self,
                                        const char     *client_id);
/* The catalogue of services, and this therapist's offers of them (price,
 * length, offered). */
TfRepository *tf_session_dup_services  (TfSession      *self);
TfRepository *tf_session_dup_offers    (TfSession      *self);

/* Drops the vault (and with it every decrypted key) from memory.  First
 * emits ::locking while the vault is still open: every form with unsaved
 * changes keeps them as a draft then (tf-drafts.h), to be given back after
 * the unlock. */
void         tf_session_lock           (TfSession      *self);

/* Unlocks with @password in a worker thread. */
void         tf_session_unlock_async   (TfSession           *self,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean     tf_session_unlock_finish  (TfSession      *self,
                                        GAsyncResult   *result,
                                        GError        **error);

/* First run: creates the account on this computer, then (when @server_url
 * is not NULL) registers it there.  The recovery key is returned by
 * _finish even when registering failed (the account then exists here). */
void         tf_session_create_async   (TfSession           *self,
                                        const TfRegistration *reg,
                                        const char          *server_url,
                                        const char          *email,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
/* First run for a client their therapist added: registers with the
 * invitation @code (tf_managed_register_invited), the account taking over
 * the client's records.  Finish with tf_session_create_finish(). */
void         tf_session_create_invited_async (TfSession           *self,
                                              const char          *server_url,
                                              const char          *email,
                                              const char          *password,
                                              const char          *code,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     tf_session_create_finish  (TfSession      *self,
                                        GAsyncResult   *result,
                                        char          **out_recovery_text,
                                        GError        **error);

/* First run on a new device: signs in to an existing account.  @totp:
 * the authenticator app's code, or NULL until the account asks for one
 * (TF_ACCOUNT_ERROR_TOTP_NEEDED; a wrong one is TF_ACCOUNT_ERROR_TOTP_WRONG). */
void         tf_session_login_async    (TfSession           *self,
                                        const char          *server_url,
                                        const char          *email,
                                        const char          *password,
                                        const char          *totp,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean     tf_session_login_finish   (TfSession      *self,
                                        GAsyncResult   *result,
                                        GError        **error);

/* First run on a new device, the password forgotten: signs in to @email's
 * account on @server_url with the recovery key, sets @new_password there
 * (ending the account's other sessions) and unlocks with it.  Errors:
 * TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY (a mistyped key, a wrong one or an
 * unknown e-mail: the server does not tell them apart),
 * TF_ACCOUNT_ERROR_THROTTLED, TF_SYNC_ERROR_UNAVAILABLE (offline). */
void         tf_session_recover_new_device_async  (TfSession           *self,
                                                   const char          *server_url,
                                                   const char          *email,
                                                   const char          *recovery_text,
                                                   const char          *new_password,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean     tf_session_recover_new_device_finish (TfSession      *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);

/* A forgotten password: sets @new_password with the recovery key (on the
 * server too when the profile syncs with one) and unlocks with it. */
void         tf_session_recover_async  (TfSession           *self,
                                        const char          *recovery_text,
                                        const char          *new_password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean     tf_session_recover_finish (TfSession      *self,
                                        GAsyncResult   *result,
                                        GError        **error);

/* Puts this computer's account on a server (a profile made "this computer
 * only"), then syncs what was written here; the same keys and id, so
 * nothing is encrypted again.  Safe to try again after a failure. */
void         tf_session_publish_async  (TfSession           *self,
                                        const char          *server_url,
                                        const char          *email,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean     tf_session_publish_finish (TfSession      *self,
                                        GAsyncResult   *result,
                                        GError        **error);

/* Signs this device in again to its own account and server after the
 * server stopped accepting it (TF_SYNC_STATE_SIGNED_OUT: the password was
 * changed on another device, or the account was suspended), with the
 * current password; then syncs.  The open vault stays: a password change
 * wraps the same master key anew.  @totp as for tf_session_login_async. */
void         tf_session_sign_in_again_async  (TfSession           *self,
                                              const char          *password,
                                              const char          *totp,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     tf_session_sign_in_again_finish (TfSession      *self,
                                              GAsyncResult   *result,
                                              GError        **error);

/* Signs this device out of its server (tf_account_logout): the server's
 * session ends and the token is forgotten; the data and the keys stay and
 * the vault stays open.  The sync state is then TF_SYNC_STATE_SIGNED_OUT,
 * TF_SIGNED_OUT_BY_PERSON, until tf_session_sign_in_again_async; a sync
 * that ends meanwhile, or that the server refuses for it, changes nothing.
 * @out_server_ended: FALSE when the server could not be told (its session
 * then ends when it lapses). */
void         tf_session_sign_out_async  (TfSession           *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gboolean     tf_session_sign_out_finish (TfSession      *self,
                                         GAsyncResult   *result,
                                         gboolean       *out_server_ended,
                                         GError        **error);

/* One sync in a worker thread; ::notify::sync-state follows it. */
void         tf_session_sync           (TfSession      *self);
TfSyncState  tf_session_get_sync_state (TfSession      *self);
/* Why it is TF_SYNC_STATE_SIGNED_OUT (read it on ::notify::sync-state);
 * TF_SIGNED_OUT_NONE in any other state. */
TfSignedOut  tf_session_get_signed_out (TfSession      *self);
/* TRUE when the refusal (TF_SIGNED_OUT_REFUSED) was a key rotation on
 * another device of the account: the same password signs in again and
 * brings the new keys. */
gboolean     tf_session_get_keys_replaced (TfSession   *self);
/* Changes waiting to be sent, and the last sync's time (NULL: never). */
gint64       tf_session_get_pending    (TfSession      *self);
char        *tf_session_dup_last_sync  (TfSession      *self);
/* The last sync's error message, or NULL. */
const char  *tf_session_get_sync_error (TfSession      *self);

G_END_DECLS
