/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-keys.h: one account's keys on a device (DESIGN.md §5).
 *
 * The "keys" object is the storable, public half exactly as the server
 * returns it at login (docs/protocol.md): the KDF parameters, the master key
 * wrapped by the KEK and by the recovery key, and the two key pairs with
 * their secret halves wrapped by the master key.  A TfKeys is the unlocked
 * half: the master key and the two secret keys, in locked memory, zeroed
 * when freed.  Nothing here talks to a network or a database.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-crypto.h"

G_BEGIN_DECLS

/* The lowest Argon2id cost a device accepts from a server (libsodium's
 * "interactive" level): a hostile server cannot make a password cheap. */
#define TF_KEYS_KDF_OPSLIMIT_FLOOR 2
#define TF_KEYS_KDF_MEMLIMIT_FLOOR (64u * 1024u * 1024u)

typedef struct _TfKeys TfKeys;

/* The "kdf" object {salt, opslimit, memlimit}: checked (salt length, limits
 * at or above the floor) and run on @password in Unicode NFC, so the same
 * password typed precomposed or decomposed gives the same keys.  Fails with
 * TF_CRYPTO_ERROR_FORMAT for a malformed object or a cost below the floor. */
gboolean      tf_keys_derive            (JsonObject     *kdf,
                                         const char     *password,
                                         TfSecret      **out_auth_key,
                                         TfSecret      **out_kek,
                                         GError        **error);
/* The same on @password's bytes as they are: only for keys made before
 * passwords were normalised, when tf_keys_password_is_normalized() is FALSE
 * and the NFC keys did not open them (docs/encryption.md). */
gboolean      tf_keys_derive_as_typed   (JsonObject     *kdf,
                                         const char     *password,
                                         TfSecret      **out_auth_key,
                                         TfSecret      **out_kek,
                                         GError        **error);
/* TRUE when @password is already in NFC (or not UTF-8): then the keys of
 * tf_keys_derive() are the only ones it ever had. */
gboolean      tf_keys_password_is_normalized (const char *password);

/* A "kdf" object with a fresh salt and the given cost (0: the defaults;
 * below the floor: the floor). */
JsonObject   *tf_keys_new_kdf           (guint64         opslimit,
                                         gsize           memlimit);

/* A new account: a random master key, recovery key and key pairs.  Returns
 * the unlocked keys; @out_keys receives the "keys" object (wrapped_master_key
 * under @kek ...), @out_recovery_text the recovery key for the user (shown
 * once), @out_recovery_auth the recovery proof for the server (base64). */
TfKeys       *tf_keys_create            (JsonObject     *kdf,
                                         const TfSecret *kek,
                                         JsonObject    **out_keys,
                                         char          **out_recovery_text,
                                         char          **out_recovery_auth,
                                         GError        **error);

/* Unlocks a "keys" object with the KEK derived from the password.  A wrong
 * password fails with TF_CRYPTO_ERROR_DECRYPT. */
TfKeys       *tf_keys_open              (JsonObject     *keys,
                                         const TfSecret *kek,
                                         GError        **error);

/* Unlocks with the recovery key as the user typed it; @out_recovery_auth
 * (optional) receives the proof for the server.  A mistyped key fails with
 * TF_CRYPTO_ERROR_FORMAT, a wrong one with TF_CRYPTO_ERROR_DECRYPT. */
TfKeys       *tf_keys_open_recovery     (JsonObject     *keys,
                                         const char     *recovery_text,
                                         char          **out_recovery_auth,
                                         GError        **error);

/* The recovery proof (base64) of the recovery key as the user typed it,
 * without the keys: what a device with no session signs in with to recover.
 * A mistyped key fails with TF_CRYPTO_ERROR_FORMAT. */
char         *tf_keys_recovery_auth     (const char     *recovery_text,
                                         GError        **error);

/* The master key wrapped under a new KEK (password change, recovery). */
char         *tf_keys_wrap_master       (TfKeys         *self,
                                         const TfSecret *kek,
                                         GError        **error);

const TfSecret *tf_keys_get_master       (TfKeys *self);
const char     *tf_keys_get_identity_public (TfKeys *self);
const TfSecret *tf_keys_get_identity_secret (TfKeys *self);
const char     *tf_keys_get_signing_public  (TfKeys *self);
const TfSecret *tf_keys_get_signing_secret  (TfKeys *self);

/* A new data key for one record; @out_enc_key receives it wrapped by the
 * master key (the record's enc_key column). */
TfSecret     *tf_keys_new_data_key      (TfKeys         *self,
                                         char          **out_enc_key,
                                         GError        **error);
/* The data key of a record this account owns, from its enc_key. */
TfSecret     *tf_keys_open_data_key     (TfKeys         *self,
                                         const char     *enc_key,
                                         GError        **error);
/* The data key of someone else's record, from a key grant sealed to us. */
TfSecret     *tf_keys_open_grant        (TfKeys         *self,
                                         const char     *sealed_key,
                                         GError        **error);

/* The signing keys (char*, base64) this account had before its rotations,
 * newest first, owned by @self: what they signed still verifies. */
GPtrArray    *tf_keys_get_previous_signing (TfKeys *self);

/* The text a rotation signs: "tf1|rotate|" user id "|" old identity "|"
 * old signing "|" new identity "|" new signing (public keys, base64).  The
 * old signing key signs it (these are its successors: the server takes new
 * keys only so) and the new one too (the old was its predecessor: what the
 * old one signed still counts where the new keys are pinned). */
char         *tf_keys_rotation_statement (const char *user_id,
                                          const char *old_identity,
                                          const char *old_signing,
                                          const char *new_identity,
                                          const char *new_signing);

/* Checks a rotation object {old_identity_public_key, old_signing_public_key,
 * identity_public_key, signing_public_key, signature_by_old,
 * signature_by_new} of @user_id: both signatures over the statement.
 * TF_CRYPTO_ERROR_FORMAT or _BAD_SIGNATURE otherwise. */
gboolean      tf_keys_verify_rotation   (const char     *user_id,
                                         JsonObject     *rotation,
                                         GError        **error);

/* New key pairs for @self's account @user_id (the same master key):
 * returns them unlocked, with the old pairs kept as previous ones;
 * @out_keys receives the new "keys" object (@keys with the new pairs and
 * "previous_keys", newest first: {identity_public_key,
 * wrapped_identity_key, signing_public_key}), @out_rotation what the server
 * is sent (the rotation object above with wrapped_identity_key,
 * wrapped_signing_key and fingerprint). */
TfKeys       *tf_keys_rotate            (TfKeys         *self,
                                         const char     *user_id,
                                         JsonObject     *keys,
                                         JsonObject    **out_keys,
                                         JsonObject    **out_rotation,
                                         GError        **error);

/* The key pairs of @keys (a "keys" object of the same account) opened
 * with @self's master key. */
TfKeys       *tf_keys_reopen            (TfKeys         *self,
                                         JsonObject     *keys,
                                         GError        **error);

/* The same keys, for a vault or a worker on another connection to the
 * profile. */
TfKeys       *tf_keys_copy              (TfKeys         *self);
void          tf_keys_free              (TfKeys         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfKeys, tf_keys_free)

/* --- managed clients (tf-keys-managed.c) -----------------------------------
 * A client added by their therapist, who has no account (and no password)
 * yet: their keys are made on the therapist's device. */

/* New keys for a managed client: returned unlocked; @out_managed receives
 * the "managed keys" object {master_key (base64: only ever stored
 * encrypted, in the therapist's managed_clients record), identity_public_key,
 * wrapped_identity_key, signing_public_key, wrapped_signing_key,
 * fingerprint}. */
TfKeys       *tf_keys_create_managed    (JsonObject    **out_managed,
                                         GError        **error);
/* The keys of a "managed keys" object. */
TfKeys       *tf_keys_open_managed      (JsonObject     *managed,
                                         GError        **error);

/* An invitation's secret: 32 random bytes, printed for the client with
 * tf_crypto_recovery_key_encode. */
TfSecret     *tf_keys_new_invite_secret (void);
/* The id the server files the invitation under (a UUID derived from
 * @secret; the server never learns the secret). */
char         *tf_keys_invite_id         (const TfSecret *secret);
/* The bundle the server keeps for the invitation: the pairs as in a
 * "managed keys" object, and wrapped_master_key under a key derived from
 * @secret instead of the master key itself. */
JsonObject   *tf_keys_seal_invite       (TfKeys         *managed,
                                         const TfSecret *secret,
                                         GError        **error);
/* The managed keys from a bundle; a wrong secret fails with
 * TF_CRYPTO_ERROR_DECRYPT. */
TfKeys       *tf_keys_open_invite       (JsonObject     *bundle,
                                         const TfSecret *secret,
                                         GError        **error);

/* The hand-over: @self, a new account's keys (with @keys, its "keys"
 * object), takes over @managed for @user_id — the managed pairs become
 * previous keys, the managed master key a previous master.  @out_keys
 * receives @keys with that "previous_keys" entry (the managed identity
 * secret and master key wrapped by @self's master key); @out_rotation the
 * rotation object (tf_keys_verify_rotation) from the managed keys to
 * @self's, signed by both signing keys. */
gboolean      tf_keys_adopt             (TfKeys         *self,
                                         JsonObject     *keys,
                                         TfKeys         *managed,
                                         const char     *user_id,
                                         JsonObject    **out_keys,
                                         JsonObject    **out_rotation,
                                         GError        **error);
/* The data key of @enc_key when a previous master key wrapped it (then the
 * record should be re-keyed), else NULL. */
TfSecret     *tf_keys_open_previous_data_key (TfKeys    *self,
                                              const char *enc_key);
/* TRUE when this account took over keys it did not make (tf_keys_adopt). */
gboolean      tf_keys_has_previous_master (TfKeys       *self);

G_END_DECLS
