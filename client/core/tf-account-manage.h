/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-manage.h: managing a signed-in account from any of its
 * devices — the list of its sessions (one per signed-in device), ending one,
 * and the two-step sign-in with an authenticator app (TOTP, RFC 6238):
 * set up, turn on, turn off (docs/protocol.md, "Sessions" and "Second
 * factor").
 *
 * Every call is blocking and made with the profile's own session (the sync
 * client of tf_account_new_sync_client); a lapsed session is renewed by
 * itself first (tf_account_renew_session), as a sync does.  They share no
 * state, so any thread may call them, one vault (and so one store) per
 * thread at a time: the app calls them from a GTask worker that owns its
 * store connection for the time.  Errors are TF_ACCOUNT_ERROR (typed, so
 * the app can ask again) or TF_SYNC_ERROR, with messages for the person.
 */
#pragma once

#include "tf-account.h"

G_BEGIN_DECLS

#define TF_TYPE_ACCOUNT_SESSION (tf_account_session_get_type ())
G_DECLARE_FINAL_TYPE (TfAccountSession, tf_account_session, TF, ACCOUNT_SESSION, GObject)

/* One live session of the account, as the server lists it.  Immutable; the
 * same values are read-only properties ("id", "device-id", "device-name",
 * "label", "created", "last-seen", "expires", "ends-at-latest", "current"),
 * for list views. */
const char *tf_account_session_get_id          (TfAccountSession *self);
const char *tf_account_session_get_device_id   (TfAccountSession *self);
/* The name the device gave (its host name), or NULL. */
const char *tf_account_session_get_device_name (TfAccountSession *self);
/* The device name, or "Unnamed device" (translated): never NULL. */
const char *tf_account_session_get_label       (TfAccountSession *self);
/* UTC; borrowed. */
GDateTime  *tf_account_session_get_created     (TfAccountSession *self);
GDateTime  *tf_account_session_get_last_seen   (TfAccountSession *self);
/* When it lapses if it is not used again (it renews while used). */
GDateTime  *tf_account_session_get_expires     (TfAccountSession *self);
/* When it ends however much it is used. */
GDateTime  *tf_account_session_get_ends_at_latest (TfAccountSession *self);
/* TRUE for the session of this device (the one that asked). */
gboolean    tf_account_session_is_current      (TfAccountSession *self);

/* The account's live sessions, oldest first: a GPtrArray of
 * TfAccountSession (it frees them). */
GPtrArray  *tf_account_list_sessions  (TfVault     *vault,
                                       GError     **error);

/* Ends session @session_id on the server: that device must sign in again
 * (its next sync says so).  Ending this device's own session signs this
 * device out too, as tf_account_logout does (the data stays, encrypted):
 * @out_this_device (may be NULL) says it was this one.  An id that is not
 * one of the account's live sessions is TF_ACCOUNT_ERROR_NO_SUCH_SESSION. */
gboolean    tf_account_revoke_session (TfVault     *vault,
                                       const char  *session_id,
                                       gboolean    *out_this_device,
                                       GError     **error);

/* Makes a new secret for the two-step sign-in, not yet in force: the
 * otpauth:// URI for an authenticator app (show it as a QR code), and in
 * @out_secret (may be NULL) the same secret in base32, for typing it in by
 * hand.  Setting up again replaces a secret not yet turned on; while the
 * two-step sign-in is on it is TF_ACCOUNT_ERROR_MFA_STATE. */
char       *tf_account_mfa_setup      (TfVault     *vault,
                                       char       **out_secret,
                                       GError     **error);

/* Turns the two-step sign-in on with a @code (6 digits) of the secret
 * just set up: from then on signing in asks for a code.  A wrong or used
 * code is TF_ACCOUNT_ERROR_TOTP_WRONG (a failed attempt, throttled like a
 * wrong password); no set-up, or already on, TF_ACCOUNT_ERROR_MFA_STATE. */
gboolean    tf_account_mfa_enable     (TfVault     *vault,
                                       const char  *code,
                                       GError     **error);

/* Turns it off with a current @code and forgets the secret.  Errors as
 * tf_account_mfa_enable; not on: TF_ACCOUNT_ERROR_MFA_STATE. */
gboolean    tf_account_mfa_disable    (TfVault     *vault,
                                       const char  *code,
                                       GError     **error);

/* A code as typed ("123 456", " 123456") as the 6 digits the server takes,
 * or NULL and TF_ACCOUNT_ERROR_TOTP_WRONG saying what a code looks like,
 * before anything is sent.  For every call that takes a code, login too. */
char       *tf_account_totp_code_normalize (const char  *typed,
                                            GError     **error);

G_END_DECLS
