/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account-private.h: what the files of the account share.
 *
 *   tf-account.c            the stored facts, calls to the server and their
 *                           errors, opening the keys with a password, the
 *                           sync client of a signed-in profile
 *   tf-account-signin.c     log in, unlock, sign in again, log out
 *   tf-account-recovery.c   password change, the recovery key, recovery on
 *                           a new device
 *   tf-account-publish.c    an account on this computer only, published
 *                           on a server later
 *   tf-account-directory.c  other people's public keys
 */
#pragma once

#include "tf-account.h"
#include "tf-error.h"

G_BEGIN_DECLS

/* sync_state keys of the account */
#define KEY_SERVER    "account.server"
#define KEY_USER_ID   "account.user_id"
#define KEY_EMAIL     "account.email"
#define KEY_ROLE      "account.role"
/* This device's session token, wrapped by the master key ("session-token:"
 * and the user id): a copy of the file gives no session. */
#define KEY_SESSION   "account.session"
/* The token in plaintext, as versions before wrapping kept it: read until
 * the next unlock wraps it and deletes this row. */
#define KEY_TOKEN     "account.token"
#define KEY_KEYS      "account.keys"
#define KEY_DEVICE_ID "account.device_id"
/* The auth key, wrapped by the master key ("auth-key"): lets a device that
 * is unlocked sign in again when its session lapses.  Whoever holds the
 * master key can read everything already; the auth key adds only the
 * sign-in that the same person could make with the password. */
#define KEY_AUTH_KEY  "account.auth_key"
/* Profile facts kept until the account is published on a server. */
/* {first_name, last_name, license_number} */
#define KEY_PENDING_PROFILE  "account.pending_profile"
/* the recovery proof, wrapped by the master key */
#define KEY_PENDING_RECOVERY "account.pending_recovery"

/* --- tf-account.c --------------------------------------------------------- */

char       *tf_account_base64_of         (const TfSecret *secret);

/* The Argon2id cost for new keys (lower in test builds: tf-account-hooks.h). */
JsonObject *tf_account_new_kdf           (void);

char       *tf_account_object_to_string  (JsonObject     *object);

/* The stored "keys" object, or TF_ACCOUNT_ERROR_NO_ACCOUNT. */
JsonObject *tf_account_stored_keys       (TfStore        *store,
                                          GError        **error);

/* This device's id, made once per profile. */
char       *tf_account_device_id         (TfStore        *store,
                                          GError        **error);

/* When @code is an answer that asks the person to wait (rate_limited: too
 * many failed attempts; mfa_unavailable: the server cannot open second
 * factors for now), sets TF_ACCOUNT_ERROR_THROTTLED worded for them and
 * returns TRUE: the one wording of both for every account call, those of
 * tf_account_call and of tf-account-manage.c alike. */
gboolean    tf_account_explain_wait      (const char     *code,
                                          GError        **error);

/* A call to the server; a refusal is worded for the person. */
JsonObject *tf_account_call              (TfSyncClient   *client,
                                          const char     *method,
                                          const char     *path,
                                          JsonObject     *body,
                                          GError        **error);
/* The same, with the server's error code ("mfa_required" ...) in @out_code
 * (may be NULL). */
JsonObject *tf_account_call_full         (TfSyncClient   *client,
                                          const char     *method,
                                          const char     *path,
                                          JsonObject     *body,
                                          char          **out_code,
                                          GError        **error);

/* Stores the server, the account and the session of a register or login
 * @answer, and @keys_object; the token wrapped by the master key of @keys. */
gboolean    tf_account_save              (TfStore        *store,
                                          const char     *server,
                                          JsonObject     *answer,
                                          const char     *email,
                                          JsonObject     *keys_object,
                                          TfKeys         *keys,
                                          GError        **error);

/* FALSE (TF_ACCOUNT_ERROR_EXISTS) when the profile holds another account,
 * or one on this computer only. */
gboolean    tf_account_refuse_second     (TfStore        *store,
                                          const char     *email,
                                          GError        **error);

char       *tf_account_strip_slash       (const char     *url);

/* The "keys" object of a login answer (borrowed), with its "kdf". */
JsonObject *tf_account_answer_keys       (JsonObject     *answer,
                                          GError        **error);

/* Opens @keys_object with @password: the keys, and the auth key it derives;
 * TF_ACCOUNT_ERROR_WRONG_PASSWORD when it does not open them. */
TfKeys     *tf_account_open_with_password (JsonObject    *keys_object,
                                           const char    *password,
                                           TfSecret     **out_auth_key,
                                           GError       **error);

/* A session token in memory: wiped when freed. */
typedef char TfToken;
void        tf_account_wipe_token        (TfToken        *token);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfToken, tf_account_wipe_token)

/* @token wrapped by the master key of @keys for account @user_id. */
char       *tf_account_wrap_token        (TfKeys         *keys,
                                          const char     *user_id,
                                          const char     *token,
                                          GError        **error);

/* This device's session token (free it with tf_account_wipe_token), or
 * NULL: logged out, or the stored one does not open with @keys. */
TfToken    *tf_account_dup_token         (TfStore        *store,
                                          TfKeys         *keys);

/* tf_account_new_sync_client() on @store (a connection to the profile)
 * with the unlocked @keys. */
TfSyncClient *tf_account_sync_client_for (TfStore        *store,
                                          TfKeys         *keys,
                                          GError        **error);

/* --- tf-account-publish.c ------------------------------------------------- */

/* tf_account_publish() with the members of @extra (may be NULL) added to
 * the registration's body, and the server's error code of a refusal in
 * @out_code (may be NULL). */
gboolean    tf_account_publish_full      (TfStore        *store,
                                          const char     *server_url,
                                          const char     *email,
                                          const char     *password,
                                          const char     *device_name,
                                          JsonObject     *extra,
                                          char          **out_code,
                                          GError        **error);

/* --- tf-account-signin.c -------------------------------------------------- */

/* The password was changed or recovered on another device, so
 * @password does not open the stored @keys_object.  This device cannot
 * fetch the new wrap with its session: the token opens only with the master
 * key it is after.  So it signs in with @password as a new device would
 * (prelogin, login; not when the server's salt is still the stored one: then
 * @password is simply wrong, TF_ACCOUNT_ERROR_WRONG_PASSWORD), keeps the new
 * wrap and session, and ends the old session.  The keys and, in
 * @out_auth_key, the new password's auth key; NULL when offline, refused
 * (TF_ACCOUNT_ERROR_SIGN_IN_NEEDED when a TOTP code is needed), or @password
 * is wrong there too. */
TfKeys     *tf_account_open_with_server_keys (TfStore    *store,
                                              JsonObject *keys_object,
                                              const char *password,
                                              TfSecret  **out_auth_key,
                                              GError    **error);

/* The keys of @keys_object opened with @password, here, or else with the
 * server's wrap (tf_account_open_with_server_keys(), *@keys_object then
 * replaced by the new one as stored); the auth key @password gives. */
TfKeys     *tf_account_open_anywhere     (TfStore        *store,
                                          JsonObject    **keys_object,
                                          const char     *password,
                                          TfSecret      **out_auth_key,
                                          GError        **error);

/* --- tf-account-manage.c -------------------------------------------------- */

/* TF_ACCOUNT_ERROR_TOTP_WRONG, worded for the person. */
void        tf_account_set_totp_wrong    (GError        **error);

G_END_DECLS
