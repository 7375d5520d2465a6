/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-crypto-private.h: what the three files of the crypto module share and
 * no caller may see: the layout of TfSecret, strict base64 and the "tf1:"
 * envelope under a raw key.  tf-crypto.c holds the secrets and base64,
 * tf-crypto-envelope.c the envelope and field encryption, tf-crypto-keys.c
 * everything about keys (derivation, wrapping, recovery, sealing, signing).
 */
#pragma once

#include <sodium.h>

#include "tf-crypto.h"

G_BEGIN_DECLS

#define TF_CRYPTO_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TF_CRYPTO_PUBLIC_KEY_BYTES 32 /* X25519 and Ed25519 alike */
/* Every associated data string starts so, for fields and wrapped keys alike. */
#define TF_CRYPTO_AD_PREFIX "tf1|"

G_STATIC_ASSERT (TF_CRYPTO_PUBLIC_KEY_BYTES == crypto_box_PUBLICKEYBYTES);
G_STATIC_ASSERT (TF_CRYPTO_PUBLIC_KEY_BYTES == crypto_sign_PUBLICKEYBYTES);

struct _TfSecret
{
  guint8  *data;    /* len bytes (at least one allocated) */
  gsize    len;     /* size the caller asked for */
  gboolean guarded; /* TRUE: sodium_malloc(); FALSE: g_malloc() + sodium_mlock() */
};

/* For the entry points that have no GError: aborts if libsodium cannot start. */
void          tf_crypto_require_sodium       (void);

/* TRUE if @text is canonical padded standard base64; sets the decoded size. */
gboolean      tf_crypto_base64_check         (const char   *text,
                                              gsize        *out_decoded_len);
/* Decodes @text, which must be canonical base64 of exactly @expected_len
 * bytes (any length if 0).  NULL on anything else. */
guint8       *tf_crypto_base64_decode_strict (const char   *text,
                                              gsize         expected_len,
                                              gsize        *out_len);
/* A 32-byte public key in canonical base64, or TF_CRYPTO_ERROR_FORMAT. */
gboolean      tf_crypto_decode_public_key    (const char   *public_b64,
                                              guint8        out_key[TF_CRYPTO_PUBLIC_KEY_BYTES],
                                              GError      **error);

/* TRUE if @name may go into associated data: not empty, no '|'. */
gboolean      tf_crypto_is_ad_component      (const char   *name);

/* "tf1:" base64 (nonce || ciphertext || tag) of @plain under @key, bound to
 * the associated data @ad. */
char         *tf_crypto_envelope_seal        (const guint8 *key,
                                              const char   *ad,
                                              const guint8 *plain,
                                              gsize         plain_len,
                                              const guint8  nonce[TF_CRYPTO_NONCE_BYTES]);

/* Gives tf_crypto_envelope_open() a buffer of @len bytes owned through
 * @user_data. */
typedef guint8 *(*TfCryptoAllocFunc) (gsize len, gpointer user_data);

/* Authenticates and decrypts @envelope into a buffer that @alloc provides for
 * the plaintext length, which is also stored in @out_len: keys land in secure
 * memory, text in ordinary memory.  On failure the buffer holds no plaintext
 * (libsodium checks the tag before decrypting) and the caller frees it. */
gboolean      tf_crypto_envelope_open        (const guint8     *key,
                                              const char       *ad,
                                              const char       *envelope,
                                              TfCryptoAllocFunc alloc,
                                              gpointer          user_data,
                                              gsize            *out_len,
                                              GError          **error);

G_END_DECLS
