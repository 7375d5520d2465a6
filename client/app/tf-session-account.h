/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-account.h: managing the session's server account from the
 * app — its signed-in devices, the password, the two-step sign-in (TOTP),
 * new identity keys.
 * Each call runs in a worker thread on a store connection and a vault of
 * its own (client/core/tf-account-manage.h does the work); the session
 * must be unlocked, but for the password change.
 */
#pragma once

#include "tf-account-manage.h"
#include "tf-refusals.h"
#include "tf-session.h"

G_BEGIN_DECLS

/* The account's live sessions (TfAccountSession), oldest first. */
void        tf_session_list_sessions_async   (TfSession           *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *tf_session_list_sessions_finish  (TfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Ends another device's session @session_id: it must sign in again. */
void        tf_session_revoke_session_async  (TfSession           *self,
                                              const char          *session_id,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    tf_session_revoke_session_finish (TfSession           *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* Sets a new password, here and on the server; the open data stays open
 * (the same master key, wrapped anew). */
void        tf_session_change_password_async  (TfSession           *self,
                                               const char          *password,
                                               const char          *new_password,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean    tf_session_change_password_finish (TfSession           *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* A new TOTP secret, not yet in force: the otpauth:// URI, and the secret
 * in base32 in @out_secret. */
void        tf_session_mfa_setup_async   (TfSession           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char       *tf_session_mfa_setup_finish  (TfSession           *self,
                                          GAsyncResult        *result,
                                          char               **out_secret,
                                          GError             **error);

/* Turns the two-step sign-in on (@on, after a set-up) or off, with a
 * @code of the authenticator app as typed. */
void        tf_session_mfa_switch_async  (TfSession           *self,
                                          gboolean             on,
                                          const char          *code,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean    tf_session_mfa_switch_finish (TfSession           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

/* New identity and signing keys for the account (tf_account_rotate_keys:
 * the server takes them signed by the old keys and the new; every share
 * this account made is sealed again and signed with them, and synced).
 * The session's vault signs with the new keys once this finishes.
 * Returns the new fingerprint; the shares sealed again in @out_resealed.
 * Offline: TF_SYNC_ERROR_UNAVAILABLE, nothing changed. */
void        tf_session_rotate_keys_async  (TfSession           *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char       *tf_session_rotate_keys_finish (TfSession           *self,
                                           GAsyncResult        *result,
                                           guint               *out_resealed,
                                           GError             **error);

/* The records from the server this device refuses to use, oldest first, as
 * a new list of TfRefusal (tf-refusals.h); NULL while locked. */
GListModel *tf_session_dup_refusals       (TfSession           *self,
                                           GError             **error);

G_END_DECLS
