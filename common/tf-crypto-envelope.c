/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-crypto-envelope.c: the "tf1:" envelope of tf-crypto.h and the field
 * encryption that uses it: XChaCha20-Poly1305-IETF under a record's data key
 * with associated data "tf1|<table>|<record id>|<column>".  Key wrapping
 * (tf-crypto-keys.c) seals its keys in the same envelope.
 *
 * The table, column and purpose names that go into associated data must not
 * contain '|'; the record id in between may contain anything, as the first
 * and last '|' still split the string unambiguously.
 */
#define G_LOG_DOMAIN "tf-crypto"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "tf-crypto.h"
#include "tf-crypto-private.h"
#include "tf-error.h"

#define TAG_BYTES crypto_aead_xchacha20poly1305_ietf_ABYTES
#define ENVELOPE_MIN_BYTES (TF_CRYPTO_NONCE_BYTES + TAG_BYTES)

G_STATIC_ASSERT (TF_CRYPTO_KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
G_STATIC_ASSERT (TF_CRYPTO_NONCE_BYTES == 24);
G_STATIC_ASSERT (TAG_BYTES == 16);

/* ------------------------------------------------------------------------ */
/* Envelopes                                                                */
/* ------------------------------------------------------------------------ */

gboolean
tf_crypto_is_ad_component (const char *name)
{
  return name != NULL && *name != '\0' && strchr (name, '|') == NULL;
}

static char *
build_field_ad (const char *table,
                const char *record_id,
                const char *column)
{
  return g_strconcat (TF_CRYPTO_AD_PREFIX, table, "|", record_id, "|", column, NULL);
}

char *
tf_crypto_envelope_seal (const guint8 *key,
                         const char   *ad,
                         const guint8 *plain,
                         gsize         plain_len,
                         const guint8  nonce[TF_CRYPTO_NONCE_BYTES])
{
  gsize raw_len = TF_CRYPTO_NONCE_BYTES + plain_len + TAG_BYTES;
  g_autofree guint8 *raw = g_malloc (raw_len);
  g_autofree char *b64 = NULL;
  unsigned long long ct_len;

  memcpy (raw, nonce, TF_CRYPTO_NONCE_BYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (raw + TF_CRYPTO_NONCE_BYTES, &ct_len,
                                              plain, plain_len,
                                              (const guint8 *) ad, strlen (ad),
                                              NULL, nonce, key);
  g_assert (ct_len == plain_len + TAG_BYTES);

  b64 = g_base64_encode (raw, raw_len);
  return g_strconcat (TF_CRYPTO_ENVELOPE_PREFIX, b64, NULL);
}

/* Decodes an envelope into nonce || ciphertext || tag, or NULL. */
static guint8 *
envelope_decode (const char *envelope,
                 gsize      *out_len)
{
  const gsize prefix_len = strlen (TF_CRYPTO_ENVELOPE_PREFIX);
  g_autofree guint8 *raw = NULL;

  if (strncmp (envelope, TF_CRYPTO_ENVELOPE_PREFIX, prefix_len) != 0)
    return NULL;

  raw = tf_crypto_base64_decode_strict (envelope + prefix_len, 0, out_len);
  if (raw == NULL || *out_len < ENVELOPE_MIN_BYTES)
    return NULL;

  return g_steal_pointer (&raw);
}

gboolean
tf_crypto_envelope_open (const guint8     *key,
                         const char       *ad,
                         const char       *envelope,
                         TfCryptoAllocFunc alloc,
                         gpointer          user_data,
                         gsize            *out_len,
                         GError          **error)
{
  g_autofree guint8 *raw = NULL;
  gsize raw_len;
  guint8 *out;
  unsigned long long plain_len;

  raw = envelope_decode (envelope, &raw_len);
  if (raw == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Not an encrypted value"));
      return FALSE;
    }

  out = alloc (raw_len - ENVELOPE_MIN_BYTES, user_data);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (out, &plain_len, NULL,
                                                  raw + TF_CRYPTO_NONCE_BYTES,
                                                  raw_len - TF_CRYPTO_NONCE_BYTES,
                                                  (const guint8 *) ad, strlen (ad),
                                                  raw, key) != 0)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT,
                           _("Could not decrypt: wrong key or damaged data"));
      return FALSE;
    }

  g_assert (plain_len == raw_len - ENVELOPE_MIN_BYTES);
  if (out_len != NULL)
    *out_len = plain_len;
  return TRUE;
}

gboolean
tf_crypto_is_envelope (const char *value)
{
  const gsize prefix_len = strlen (TF_CRYPTO_ENVELOPE_PREFIX);
  gsize raw_len;

  if (value == NULL || strncmp (value, TF_CRYPTO_ENVELOPE_PREFIX, prefix_len) != 0)
    return FALSE;

  return tf_crypto_base64_check (value + prefix_len, &raw_len)
         && raw_len >= ENVELOPE_MIN_BYTES;
}

/* ------------------------------------------------------------------------ */
/* Field encryption                                                         */
/* ------------------------------------------------------------------------ */

static char *
seal_field (const TfSecret *data_key,
            const char     *table,
            const char     *record_id,
            const char     *column,
            const char     *plaintext,
            const guint8    nonce[TF_CRYPTO_NONCE_BYTES])
{
  g_autofree char *ad = build_field_ad (table, record_id, column);

  return tf_crypto_envelope_seal (data_key->data, ad, (const guint8 *) plaintext,
                                  strlen (plaintext), nonce);
}

char *
tf_crypto_encrypt_field_with_nonce (const TfSecret *data_key,
                                    const char     *table,
                                    const char     *record_id,
                                    const char     *column,
                                    const char     *plaintext,
                                    const guint8    nonce[24],
                                    GError        **error)
{
  g_return_val_if_fail (data_key != NULL, NULL);
  g_return_val_if_fail (data_key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (table), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (column), NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (plaintext, -1, NULL), NULL);
  g_return_val_if_fail (nonce != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;

  return seal_field (data_key, table, record_id, column, plaintext, nonce);
}

char *
tf_crypto_encrypt_field (const TfSecret *data_key,
                         const char     *table,
                         const char     *record_id,
                         const char     *column,
                         const char     *plaintext,
                         GError        **error)
{
  guint8 nonce[TF_CRYPTO_NONCE_BYTES];

  g_return_val_if_fail (data_key != NULL, NULL);
  g_return_val_if_fail (data_key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (table), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (column), NULL);
  g_return_val_if_fail (plaintext != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (plaintext, -1, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;

  randombytes_buf (nonce, sizeof nonce);
  return seal_field (data_key, table, record_id, column, plaintext, nonce);
}

/* Allocates one byte more than asked so the result can be NUL-terminated. */
static guint8 *
alloc_text_cb (gsize    len,
               gpointer user_data)
{
  char **out = user_data;

  *out = g_malloc0 (len + 1);
  return (guint8 *) *out;
}

char *
tf_crypto_decrypt_field (const TfSecret *data_key,
                         const char     *table,
                         const char     *record_id,
                         const char     *column,
                         const char     *envelope,
                         GError        **error)
{
  g_autofree char *ad = NULL;
  g_autofree char *plaintext = NULL;
  gsize len;

  g_return_val_if_fail (data_key != NULL, NULL);
  g_return_val_if_fail (data_key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (table), NULL);
  g_return_val_if_fail (record_id != NULL, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (column), NULL);
  g_return_val_if_fail (envelope != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;

  ad = build_field_ad (table, record_id, column);
  if (!tf_crypto_envelope_open (data_key->data, ad, envelope, alloc_text_cb, &plaintext, &len,
                                error))
    return NULL;

  /* Authentic, but only text may come back through a char *: an embedded NUL
   * would silently cut the value short. */
  if (!g_utf8_validate_len (plaintext, len, NULL))
    {
      sodium_memzero (plaintext, len);
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("The decrypted value is not valid text"));
      return NULL;
    }

  return g_steal_pointer (&plaintext);
}
