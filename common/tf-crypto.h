/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-crypto.h: the key hierarchy and field encryption of DESIGN.md §5.
 *
 *   password --Argon2id(salt, ops, mem)--> 64 bytes = auth key (32) || KEK (32)
 *   master key (random 32)   wrapped by the KEK and by the recovery key
 *   identity X25519 pair     secret half wrapped by the master key
 *   signing Ed25519 pair     secret half wrapped by the master key
 *   data key per record      wrapped by the master key (enc_key column),
 *                            sealed to recipients' X25519 public keys when shared
 *   field                    XChaCha20-Poly1305-IETF under the data key with
 *                            associated data "tf1|<table>|<record id>|<column>"
 *
 * Envelope of an encrypted field on the wire and in both databases:
 *   "tf1:" base64( nonce[24] || ciphertext || tag[16] )     (standard base64, padded)
 * Wrapped keys use the same envelope with associated data naming what is
 * wrapped ("tf1|wrap|<purpose>"), so a wrapped key cannot be passed off as
 * another kind.
 *
 * Every function that fails sets a TF_CRYPTO_ERROR and returns NULL/FALSE;
 * none ever returns unauthenticated plaintext.  Secrets live in TfSecret,
 * whose memory is locked where possible and zeroed on free.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TF_CRYPTO_KEY_BYTES 32
#define TF_CRYPTO_SALT_BYTES 16          /* crypto_pwhash_SALTBYTES */
#define TF_CRYPTO_ENVELOPE_PREFIX "tf1:"

/* Default Argon2id cost: at or above OWASP ASVS 5 (3 passes, 256 MiB). */
#define TF_CRYPTO_KDF_OPSLIMIT_DEFAULT 3
#define TF_CRYPTO_KDF_MEMLIMIT_DEFAULT (256u * 1024u * 1024u)

/* A secret byte string: memory locked where possible, zeroed on free. */
typedef struct _TfSecret TfSecret;

TfSecret     *tf_secret_new            (gsize          len);          /* zero-filled */
TfSecret     *tf_secret_new_random     (gsize          len);
TfSecret     *tf_secret_new_from_data  (const guint8  *data,
                                        gsize          len);
TfSecret     *tf_secret_copy           (const TfSecret *secret);
const guint8 *tf_secret_get_data       (const TfSecret *secret);
guint8       *tf_secret_get_mutable    (TfSecret      *secret);
gsize         tf_secret_get_size       (const TfSecret *secret);
gboolean      tf_secret_equal          (const TfSecret *a,
                                        const TfSecret *b);         /* constant time */
void          tf_secret_free           (TfSecret      *secret);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfSecret, tf_secret_free)

/* Must be called once before anything else (idempotent, thread-safe). */
gboolean      tf_crypto_init           (GError       **error);

/* --- Password derivation ------------------------------------------------ */

/* Fills @salt (TF_CRYPTO_SALT_BYTES) with random bytes. */
void          tf_crypto_random_salt    (guint8         salt[TF_CRYPTO_SALT_BYTES]);

/* Argon2id(password, salt, opslimit, memlimit) -> 64 bytes, split into the
 * auth key (sent to the server) and the key-encryption key (never leaves the
 * device).  opslimit/memlimit below libsodium's minimums are refused. */
gboolean      tf_crypto_derive_keys    (const char    *password,
                                        const guint8   salt[TF_CRYPTO_SALT_BYTES],
                                        guint64        opslimit,
                                        gsize          memlimit,
                                        TfSecret     **out_auth_key,
                                        TfSecret     **out_kek,
                                        GError       **error);

/* --- Key wrapping -------------------------------------------------------- */

/* Wraps @key under @wrapping_key; @purpose names what is wrapped ("master",
 * "master-recovery", "identity", "signing", "data") and is bound as associated
 * data.  Returns a "tf1:" envelope. */
char         *tf_crypto_wrap_key       (const TfSecret *wrapping_key,
                                        const char    *purpose,
                                        const TfSecret *key,
                                        GError       **error);
TfSecret     *tf_crypto_unwrap_key     (const TfSecret *wrapping_key,
                                        const char    *purpose,
                                        const char    *envelope,
                                        GError       **error);

/* --- Recovery key ---------------------------------------------------------
 * A printable form of 32 random bytes: Crockford base32 in groups of four
 * separated by '-', followed by a 2-character checksum group, e.g.
 * "7F3K-...-QZ".  Decoding ignores case, spaces and dashes, maps I/L to 1 and
 * O to 0, and rejects a wrong checksum with TF_CRYPTO_ERROR_FORMAT. */
char         *tf_crypto_recovery_key_encode (const TfSecret *key);
TfSecret     *tf_crypto_recovery_key_decode (const char     *text,
                                             GError        **error);

/* --- Field encryption ---------------------------------------------------- */

/* Encrypts @plaintext (UTF-8 text; for JSONB columns the JSON text) for
 * @table/@record_id/@column under @data_key.  Returns a "tf1:" envelope. */
char         *tf_crypto_encrypt_field  (const TfSecret *data_key,
                                        const char    *table,
                                        const char    *record_id,
                                        const char    *column,
                                        const char    *plaintext,
                                        GError       **error);
/* Same, with a caller-chosen 24-byte nonce: for known-answer tests only. */
char         *tf_crypto_encrypt_field_with_nonce (const TfSecret *data_key,
                                                  const char    *table,
                                                  const char    *record_id,
                                                  const char    *column,
                                                  const char    *plaintext,
                                                  const guint8   nonce[24],
                                                  GError       **error);
/* Returns the plaintext, or NULL with TF_CRYPTO_ERROR_DECRYPT when the key is
 * wrong, a bit was flipped, or the envelope belongs to another record/column;
 * TF_CRYPTO_ERROR_FORMAT when it is not an envelope at all. */
char         *tf_crypto_decrypt_field  (const TfSecret *data_key,
                                        const char    *table,
                                        const char    *record_id,
                                        const char    *column,
                                        const char    *envelope,
                                        GError       **error);
/* TRUE if @value looks like a "tf1:" envelope (prefix, base64, minimum length). */
gboolean      tf_crypto_is_envelope    (const char    *value);

/* --- Identity (X25519) and sealed sharing -------------------------------- */

/* Generates an X25519 key pair: public key as standard base64 (32 bytes),
 * secret key as a TfSecret. */
gboolean      tf_crypto_box_keypair    (char         **out_public_b64,
                                        TfSecret     **out_secret,
                                        GError       **error);
/* Seals @key to the recipient's X25519 public key (crypto_box_seal).
 * Returns standard base64 of the sealed box. */
char         *tf_crypto_seal_key       (const char    *recipient_public_b64,
                                        const TfSecret *key,
                                        GError       **error);
TfSecret     *tf_crypto_open_sealed_key (const char    *recipient_public_b64,
                                         const TfSecret *recipient_secret,
                                         const char    *sealed_b64,
                                         GError       **error);

/* The care key of a record: derived from its data key (keyed BLAKE2b over
 * "tf1|care"), for the columns both sides of a care record read.  Whoever
 * is sealed only the care key cannot compute the data key from it, so the
 * columns under the data key (a therapist's own notes) stay closed to them. */
TfSecret     *tf_crypto_derive_care_key (const TfSecret *data_key);
/* A key for one purpose, derived from @key the same way (keyed BLAKE2b over
 * @label, e.g. "tf1|drafts" for the drafts under the master key): whoever
 * holds it cannot compute @key. */
TfSecret     *tf_crypto_derive_subkey  (const TfSecret *key,
                                        const char    *label);

/* --- Signatures (Ed25519) ------------------------------------------------ */

gboolean      tf_crypto_sign_keypair   (char         **out_public_b64,
                                        TfSecret     **out_secret,
                                        GError       **error);
/* Detached signature of @message, standard base64. */
char         *tf_crypto_sign           (const TfSecret *secret,
                                        const guint8  *message,
                                        gsize          len);
gboolean      tf_crypto_verify         (const char    *public_b64,
                                        const guint8  *message,
                                        gsize          len,
                                        const char    *signature_b64,
                                        GError       **error);

/* A human-comparable fingerprint of one or more public keys: BLAKE2b-160 of
 * the concatenated decoded keys, as 10 groups of 4 hex digits. */
char         *tf_crypto_fingerprint    (const char * const *public_keys_b64);

G_END_DECLS
