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
#define KEY_TOKEN     "account.token"
#define KEY_KEYS      "account.keys"
#define KEY_DEVICE_ID "account.device_id"
/* The auth key, wrapped by the master key ("auth-key"): lets a device that
 * is unlocked sign in again when its session lapses.  Whoever holds the
 * master key can read everything already; the auth key adds only the
 * sign-in that the same person could make with the password. */
#define KEY_AUTH_KEY  "account.auth_key"

/* --- tf-account.c --------------------------------------------------------- */

char       *tf_account_base64_of         (const TfSecret *secret);

/* The Argon2id cost for new keys (TF_KDF_OPSLIMIT, TF_KDF_MEMLIMIT_MIB). */
JsonObject *tf_account_new_kdf           (void);

char       *tf_account_object_to_string  (JsonObject     *object);

/* The stored "keys" object, or TF_ACCOUNT_ERROR_NO_ACCOUNT. */
JsonObject *tf_account_stored_keys       (TfStore        *store,
                                          GError        **error);

/* This device's id, made once per profile. */
char       *tf_account_device_id         (TfStore        *store,
                                          GError        **error);

/* A call to the server; a refusal is worded for the person. */
JsonObject *tf_account_call              (TfSyncClient   *client,
                                          const char     *method,
                                          const char     *path,
                                          JsonObject     *body,
                                          GError        **error);

/* Stores the server, the account and the session of a register or login
 * @answer, and @keys. */
gboolean    tf_account_save              (TfStore        *store,
                                          const char     *server,
                                          JsonObject     *answer,
                                          const char     *email,
                                          JsonObject     *keys,
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

/* --- tf-account-signin.c -------------------------------------------------- */

/* The server's current wrap of the keys opened with @password, and stored
 * here (the password was changed or recovered on another device); NULL
 * when offline, not signed in, or @password does not open it either. */
TfKeys     *tf_account_open_with_server_keys (TfStore    *store,
                                              const char *password,
                                              GError    **error);

G_END_DECLS
