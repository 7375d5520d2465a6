/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-account.h: the account of a profile — register, log in, unlock,
 * change or recover the password, log out (DESIGN.md §5, docs/protocol.md).
 *
 * Keys are derived on the device (Argon2id) and the master key is unwrapped
 * in memory only.  The profile's store keeps the server address, the
 * account's id, e-mail and role, this device's id, its session token
 * wrapped by the master key (so a copy of the file gives no session, and
 * nothing reaches the server before the profile is unlocked), and the
 * "keys" object (wrapped keys only), under sync_state keys "account.*".
 * Network calls block the calling thread.
 */
#pragma once

#include "tf-sync-client.h"
#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_ACCOUNT_ERROR (tf_account_error_quark ())

typedef enum
{
  TF_ACCOUNT_ERROR_NO_ACCOUNT,      /* this profile has no account yet */
  TF_ACCOUNT_ERROR_EXISTS,          /* this profile already has an account */
  TF_ACCOUNT_ERROR_WRONG_PASSWORD,  /* the password does not open the keys */
  TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY,
  TF_ACCOUNT_ERROR_REFUSED,         /* the server refused (e-mail taken ...) */
  TF_ACCOUNT_ERROR_SIGN_IN_NEEDED,  /* the session ended and this device cannot sign in
                                     * again by itself: the password was changed elsewhere,
                                     * the account was suspended, or it asks for a code */
  TF_ACCOUNT_ERROR_TOTP_NEEDED,     /* the account asks for a code of its authenticator app:
                                     * ask for one and sign in again with it */
  TF_ACCOUNT_ERROR_TOTP_WRONG,      /* that code is wrong or was used already: ask again */
  TF_ACCOUNT_ERROR_NO_SUCH_SESSION, /* no live session of this account has that id */
  TF_ACCOUNT_ERROR_MFA_STATE,       /* the two-step sign-in is not in the state the step
                                     * needs (set up, on or off) */
  TF_ACCOUNT_ERROR_THROTTLED,       /* the server asks to wait a while: too many failed
                                     * attempts, or it cannot check codes for now */
} TfAccountError;

GQuark tf_account_error_quark (void);

typedef struct
{
  const char *password;
  const char *role;          /* "client" or "therapist" */
  const char *first_name;    /* NULL: taken from the e-mail address later */
  const char *last_name;
  const char *license_number; /* therapists */
} TfRegistration;

/* Creates the account on this computer only: the keys (Argon2id, a new
 * master key, key pairs) and a user id, stored in the profile; no server.
 * @out_recovery_text
 * receives the recovery key, to show the user once, now. */
TfVault  *tf_account_create_local (TfStore              *store,
                                   const TfRegistration *reg,
                                   char                **out_recovery_text,
                                   GError              **error);

/* Registers this profile's account on a server with its keys and id, so
 * that what was written offline syncs as it is, and syncs once at once
 * (tf_account_sync_settled): the profile and the therapist's directory
 * entry the server makes from what was typed come back and are written
 * again, signed, so other devices never have to take them unsigned for
 * long (docs/encryption.md, "Unsigned records").  That sync failing is no
 * failure: the next one signs them.  Safe to try again after a failure. */
gboolean  tf_account_publish      (TfStore        *store,
                                   const char     *server_url,
                                   const char     *email,
                                   const char     *password,
                                   const char     *device_name,
                                   GError        **error);

/* Signs this profile in to an existing account (a new device).  @totp: the
 * code of the authenticator app for an account with the two-step sign-in
 * on (as typed: tf_account_totp_code_normalize), or NULL; without one such
 * an account is TF_ACCOUNT_ERROR_TOTP_NEEDED, and a wrong or used one
 * TF_ACCOUNT_ERROR_TOTP_WRONG (the password was right: ask for the code
 * again).  A code for an account without the two-step sign-in is not
 * needed, and not an error. */
TfVault  *tf_account_login        (TfStore        *store,
                                   const char     *server_url,
                                   const char     *email,
                                   const char     *password,
                                   const char     *totp,
                                   GError        **error);

/* Opens the stored keys with the password, offline.  A password changed or
 * recovered on another device opens nothing here: then the device signs in
 * with it (a new session) and takes the server's wrap.  A token that older
 * versions stored in plaintext is wrapped now and its row deleted. */
TfVault  *tf_account_unlock       (TfStore        *store,
                                   const char     *password,
                                   GError        **error);

/* Changes the password (the server must be reachable). */
gboolean  tf_account_change_password (TfStore     *store,
                                      const char  *password,
                                      const char  *new_password,
                                      GError     **error);

/* Checks, offline, that @recovery_text opens this account's keys. */
gboolean  tf_account_check_recovery_key (TfStore  *store,
                                         const char *recovery_text,
                                         GError  **error);

/* Sets a new password with the recovery key: on the server and here for a
 * signed-in device (other sessions end), here only and offline for an
 * account on this computer only. */
gboolean  tf_account_recover      (TfStore        *store,
                                   const char     *recovery_text,
                                   const char     *new_password,
                                   GError        **error);

/* Recovery on a profile with no account yet (a new device, or one whose
 * password is forgotten and whose sign-in lapsed): signs in with @email and
 * the recovery key alone (throttled like a login; an unknown e-mail and a
 * wrong key are the same TF_ACCOUNT_ERROR_WRONG_RECOVERY_KEY), opens the
 * keys with it and sets @new_password everywhere, ending the account's
 * other sessions.  The profile then syncs like one that logged in. */
TfVault  *tf_account_recover_on_new_device (TfStore    *store,
                                            const char *server_url,
                                            const char *email,
                                            const char *recovery_text,
                                            const char *new_password,
                                            GError    **error);

/* Ends this device's session on the server and forgets the token; the local
 * data and the wrapped keys stay.  @vault: the profile unlocked, to read the
 * token; NULL: forgotten here only.  @out_server_ended is FALSE when the
 * server could not be reached or told (the session then ends when it
 * expires). */
gboolean  tf_account_logout       (TfStore        *store,
                                   TfVault        *vault,
                                   gboolean       *out_server_ended,
                                   GError        **error);

/* A stored account fact: "server", "user_id", "email", "role", "device_id"
 * (NULL when absent). */
char     *tf_account_get          (TfStore        *store,
                                   const char     *what);

/* TRUE when this profile has a server and a session, which it can tell
 * while locked; else TF_ACCOUNT_ERROR_NO_ACCOUNT saying which is missing. */
gboolean  tf_account_has_session  (TfStore        *store,
                                   GError        **error);

/* A sync client for the server and session of @vault's profile (the token
 * opens with the master key only); TF_ACCOUNT_ERROR_NO_ACCOUNT when not
 * signed in.  It may be handed to a worker thread. */
TfSyncClient *tf_account_new_sync_client (TfVault  *vault,
                                          GError  **error);

/* Signs this device in again when its session lapsed (TF_SYNC_ERROR_TOKEN_EXPIRED),
 * with the auth key kept in the store under the master key since the last
 * unlock or login, so nobody is asked for anything; the new token goes to
 * the store and to @client.  TF_ACCOUNT_ERROR_SIGN_IN_NEEDED when that is
 * not enough (the password was changed on another device, the account was
 * suspended, it asks for a TOTP code): the person must sign in.  Blocking;
 * may run in a worker thread that owns the store for the time. */
gboolean  tf_account_renew_session (TfVault      *vault,
                                    TfSyncClient *client,
                                    GError      **error);

/* One sync of @store through @client; when the session lapsed, the device
 * signs in again by itself with @keys (the account @user_id's, unlocked) as
 * tf_account_renew_session() does and syncs once more, both syncs counted
 * in @report.  @out_renewed (may be NULL): whether it signed in again (a
 * live-update watch then needs the new token).  Blocking; runs on @store's
 * connection alone, so a worker thread passes its own and a copy of the
 * keys (tf_keys_copy).  TF_ACCOUNT_ERROR_SIGN_IN_NEEDED when the person
 * must sign in. */
gboolean  tf_account_sync          (TfStore        *store,
                                    TfKeys         *keys,
                                    const char     *user_id,
                                    TfSyncClient   *client,
                                    TfSyncReport   *report,
                                    gboolean       *out_renewed,
                                    GError        **error);

/* Rotates this account's identity and signing keys (network; blocks): new
 * pairs under the same master key, the old ones kept as previous keys; the
 * server takes them only with the rotation signed by the old signing key
 * and the new one; then every grant this account made is sealed again and
 * signed with the new key (one transaction, one atomic group, pushed by the
 * next sync).  Contacts are warned by their devices when they next fetch
 * the keys, and seal to the new key once they accept it.  The new
 * fingerprint in @out_fingerprint, the grants sealed again in
 * @out_resealed (both may be NULL). */
gboolean  tf_account_rotate_keys  (TfVault        *vault,
                                   char          **out_fingerprint,
                                   guint          *out_resealed,
                                   GError        **error);

/* Looks up a therapist by e-mail in the server's directory: their entry
 * (user_id, public keys, fingerprint), or TF_ACCOUNT_ERROR_REFUSED when
 * nobody by that address is a therapist there.  Network only: it may run
 * in a worker thread while the store stays on its own. */
JsonObject *tf_account_lookup_therapist (TfSyncClient *client,
                                         const char   *email,
                                         GError      **error);

/* Remembers the public keys of a directory entry (from the lookup above or
 * /v1/keys/{id}) in @vault; keys other than the ones pinned earlier for
 * that user are refused.  A malformed entry is TF_SYNC_ERROR_UNAVAILABLE. */
gboolean    tf_account_remember_keys   (TfVault      *vault,
                                        JsonObject   *entry,
                                        const char   *email,
                                        GError      **error);

/* Looks up a therapist by e-mail in the server's directory, remembers their
 * public keys in @vault and returns their user id. */
char     *tf_account_find_therapist (TfVault      *vault,
                                     const char   *email,
                                     GError      **error);

/* Fetches and remembers the public keys of @user_id (/v1/keys/{id}). */
gboolean  tf_account_fetch_keys   (TfVault        *vault,
                                   const char     *user_id,
                                   GError        **error);

/* Fetches the public keys of everyone this account is in care with that
 * this device does not know yet (a therapist linked on another device), and
 * checks again the ones older than TF_VERIFY_REFRESH_SECONDS: a change is
 * recorded (tf_verify_list_changes), not an error. */
gboolean  tf_account_fetch_missing_keys (TfVault  *vault,
                                         GError  **error);

/* What a device does after every successful sync, the same in the app and
 * the CLI (tf_account_settle). */
typedef struct
{
  guint     refused;       /* key grants newly refused (tf_vault_check_grants) */
  guint     pending;       /* shares waiting for a key the server lacks yet */
  gboolean  push_again;    /* the steps queued changes: push them now */
  char     *legacy_error;  /* why old plaintext stays for now, or NULL */
} TfSettleReport;

/* After a sync: encrypts the plaintext older versions left, fetches the keys
 * of people in care (tf_account_fetch_missing_keys), checks the key grants
 * the sync brought (tf_vault_check_grants) and brings every share in line
 * (tf_vault_reconcile_shares).  Network work: run it off the main thread.
 * Failing to encrypt old plaintext is not an error (@report says why). */
gboolean  tf_account_settle       (TfVault         *vault,
                                   TfSettleReport  *report,
                                   GError         **error);
void      tf_settle_report_clear  (TfSettleReport  *report);

/* One sync of @vault's profile through @client (tf_account_sync), settled
 * (tf_account_settle, its findings in @settled: clear it), and what that
 * queued pushed at once, both syncs counted in @report.  Blocking.  The
 * CLI's sync, and the first sync right after registering
 * (tf_account_publish), which writes again, signed, the profile and the
 * directory entry the server made (docs/encryption.md, "Unsigned
 * records"). */
gboolean  tf_account_sync_settled (TfVault         *vault,
                                   TfSyncClient    *client,
                                   TfSyncReport    *report,
                                   TfSettleReport  *settled,
                                   GError         **error);

G_END_DECLS
