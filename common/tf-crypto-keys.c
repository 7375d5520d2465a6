/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-crypto-keys.c: the keys of DESIGN.md §5, on libsodium: the password
 * derivation, key wrapping (in the "tf1:" envelope of
 * tf-crypto-envelope.c), the printable recovery key, the care key, the
 * X25519 identity with sealed sharing, Ed25519 signatures and fingerprints.
 * The formats are fixed by tf-crypto.h; this file adds only what the header
 * leaves open:
 *
 *   - The recovery key checksum is the weighted sum  Σ (i + 1) · v[i]  mod 1021
 *     over the 52 data symbols, written as two base32 symbols.  1021 is prime
 *     and every weight and symbol difference is smaller, so any one mistyped
 *     symbol and any swap of two data symbols is always caught.
 *   - Fingerprints are 40 upper-case hex digits in groups of four separated
 *     by spaces; every key that goes into one must decode to 32 bytes, so the
 *     concatenation is unambiguous.
 */
#define G_LOG_DOMAIN "tf-crypto"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "tf-crypto.h"
#include "tf-crypto-private.h"
#include "tf-error.h"

#define RECOVERY_DATA_SYMBOLS 52 /* ceil (256 / 5) */
#define RECOVERY_CHECK_SYMBOLS 2
#define RECOVERY_CHECK_MODULUS 1021
#define RECOVERY_GROUP 4

#define FINGERPRINT_BYTES 20 /* BLAKE2b-160 */

G_STATIC_ASSERT (TF_CRYPTO_SALT_BYTES == crypto_pwhash_SALTBYTES);
G_STATIC_ASSERT (TF_CRYPTO_KEY_BYTES == crypto_box_SECRETKEYBYTES);
G_STATIC_ASSERT (RECOVERY_DATA_SYMBOLS * 5 >= TF_CRYPTO_KEY_BYTES * 8);
G_STATIC_ASSERT (RECOVERY_CHECK_MODULUS <= 1 << (5 * RECOVERY_CHECK_SYMBOLS));

/* Crockford's base32 alphabet: digits and upper-case letters without I L O U. */
static const char crockford_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* ------------------------------------------------------------------------ */
/* Password derivation                                                      */
/* ------------------------------------------------------------------------ */

void
tf_crypto_random_salt (guint8 salt[TF_CRYPTO_SALT_BYTES])
{
  g_return_if_fail (salt != NULL);

  tf_crypto_require_sodium ();
  randombytes_buf (salt, TF_CRYPTO_SALT_BYTES);
}

gboolean
tf_crypto_derive_keys (const char   *password,
                       const guint8  salt[TF_CRYPTO_SALT_BYTES],
                       guint64       opslimit,
                       gsize         memlimit,
                       TfSecret    **out_auth_key,
                       TfSecret    **out_kek,
                       GError      **error)
{
  g_autoptr(TfSecret) derived = NULL;

  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (salt != NULL, FALSE);
  g_return_val_if_fail (out_auth_key != NULL, FALSE);
  g_return_val_if_fail (out_kek != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tf_crypto_init (error))
    return FALSE;

  /* The limits come from the account record on the server: check them here
   * rather than let libsodium reject them with a bare -1. */
  if (opslimit < crypto_pwhash_argon2id_OPSLIMIT_MIN
      || opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX
      || memlimit < crypto_pwhash_argon2id_MEMLIMIT_MIN
      || memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Unsupported key derivation settings"));
      return FALSE;
    }

  derived = tf_secret_new (2 * TF_CRYPTO_KEY_BYTES);
  if (crypto_pwhash (derived->data, derived->len, password, strlen (password), salt,
                     opslimit, memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      /* With the limits in range, the only failure left is memory. */
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FAILED,
                           _("Not enough memory to derive the keys"));
      return FALSE;
    }

  *out_auth_key = tf_secret_new_from_data (derived->data, TF_CRYPTO_KEY_BYTES);
  *out_kek = tf_secret_new_from_data (derived->data + TF_CRYPTO_KEY_BYTES, TF_CRYPTO_KEY_BYTES);

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Key wrapping                                                             */
/* ------------------------------------------------------------------------ */

static char *
build_wrap_ad (const char *purpose)
{
  return g_strconcat (TF_CRYPTO_AD_PREFIX "wrap|", purpose, NULL);
}

char *
tf_crypto_wrap_key (const TfSecret *wrapping_key,
                    const char     *purpose,
                    const TfSecret *key,
                    GError        **error)
{
  g_autofree char *ad = NULL;
  guint8 nonce[TF_CRYPTO_NONCE_BYTES];

  g_return_val_if_fail (wrapping_key != NULL, NULL);
  g_return_val_if_fail (wrapping_key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (purpose), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key->len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;

  ad = build_wrap_ad (purpose);
  randombytes_buf (nonce, sizeof nonce);

  return tf_crypto_envelope_seal (wrapping_key->data, ad, key->data, key->len, nonce);
}

static guint8 *
alloc_secret_cb (gsize    len,
                 gpointer user_data)
{
  TfSecret **out = user_data;

  *out = tf_secret_new (len);
  return (*out)->data;
}

TfSecret *
tf_crypto_unwrap_key (const TfSecret *wrapping_key,
                      const char     *purpose,
                      const char     *envelope,
                      GError        **error)
{
  g_autoptr(TfSecret) key = NULL;
  g_autofree char *ad = NULL;

  g_return_val_if_fail (wrapping_key != NULL, NULL);
  g_return_val_if_fail (wrapping_key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (tf_crypto_is_ad_component (purpose), NULL);
  g_return_val_if_fail (envelope != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;

  ad = build_wrap_ad (purpose);
  if (!tf_crypto_envelope_open (wrapping_key->data, ad, envelope, alloc_secret_cb, &key, NULL,
                                error))
    return NULL;

  return g_steal_pointer (&key);
}

/* ------------------------------------------------------------------------ */
/* Recovery key                                                             */
/* ------------------------------------------------------------------------ */

static guint
recovery_checksum (const guint8 symbols[RECOVERY_DATA_SYMBOLS])
{
  guint sum = 0;
  guint i;

  for (i = 0; i < RECOVERY_DATA_SYMBOLS; i++)
    sum = (sum + (i + 1) * symbols[i]) % RECOVERY_CHECK_MODULUS;

  return sum;
}

/* -1 for characters that are not base32 after Crockford's substitutions. */
static int
crockford_value (char c)
{
  const char *found;

  c = g_ascii_toupper (c);
  if (c == 'I' || c == 'L')
    c = '1';
  else if (c == 'O')
    c = '0';

  if (c == '\0')
    return -1;
  found = strchr (crockford_alphabet, c);
  return found != NULL ? (int) (found - crockford_alphabet) : -1;
}

char *
tf_crypto_recovery_key_encode (const TfSecret *key)
{
  guint8 symbols[RECOVERY_DATA_SYMBOLS + RECOVERY_CHECK_SYMBOLS];
  char text[(RECOVERY_DATA_SYMBOLS / RECOVERY_GROUP) * (RECOVERY_GROUP + 1)
            + RECOVERY_CHECK_SYMBOLS + 1];
  char *result;
  guint check;
  guint i;
  guint pos = 0;

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key->len == TF_CRYPTO_KEY_BYTES, NULL);

  /* Most significant bit first; the last symbol carries one bit and four
   * zero bits of padding. */
  for (i = 0; i < RECOVERY_DATA_SYMBOLS; i++)
    {
      guint v = 0;
      guint b;

      for (b = 0; b < 5; b++)
        {
          guint bit = i * 5 + b;

          v <<= 1;
          if (bit < TF_CRYPTO_KEY_BYTES * 8)
            v |= (key->data[bit / 8] >> (7 - bit % 8)) & 1;
        }
      symbols[i] = v;
    }

  check = recovery_checksum (symbols);
  symbols[RECOVERY_DATA_SYMBOLS] = check >> 5;
  symbols[RECOVERY_DATA_SYMBOLS + 1] = check & 0x1f;

  for (i = 0; i < G_N_ELEMENTS (symbols); i++)
    {
      if (i > 0 && i % RECOVERY_GROUP == 0)
        text[pos++] = '-';
      text[pos++] = crockford_alphabet[symbols[i]];
    }
  text[pos] = '\0';
  g_assert (pos + 1 == sizeof text);

  result = g_strdup (text);
  sodium_memzero (symbols, sizeof symbols);
  sodium_memzero (text, sizeof text);
  return result;
}

TfSecret *
tf_crypto_recovery_key_decode (const char *text,
                               GError    **error)
{
  g_autoptr(TfSecret) key = NULL;
  guint8 symbols[RECOVERY_DATA_SYMBOLS + RECOVERY_CHECK_SYMBOLS];
  gsize n = 0;
  const char *p;
  guint check;
  guint i;
  gboolean ok = TRUE;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (p = text; *p != '\0' && ok; p++)
    {
      int v;

      if (*p == '-' || g_ascii_isspace (*p))
        continue;

      v = crockford_value (*p);
      if (v < 0 || n == G_N_ELEMENTS (symbols))
        ok = FALSE;
      else
        symbols[n++] = v;
    }

  /* The padding bits of the last data symbol must be zero. */
  if (!ok || n != G_N_ELEMENTS (symbols) || (symbols[RECOVERY_DATA_SYMBOLS - 1] & 0x0f) != 0)
    {
      sodium_memzero (symbols, sizeof symbols);
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Invalid recovery key"));
      return NULL;
    }

  check = ((guint) symbols[RECOVERY_DATA_SYMBOLS] << 5) | symbols[RECOVERY_DATA_SYMBOLS + 1];
  if (check != recovery_checksum (symbols))
    {
      sodium_memzero (symbols, sizeof symbols);
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("The recovery key contains a typing mistake"));
      return NULL;
    }

  key = tf_secret_new (TF_CRYPTO_KEY_BYTES);
  for (i = 0; i < TF_CRYPTO_KEY_BYTES * 8; i++)
    {
      guint bit = (symbols[i / 5] >> (4 - i % 5)) & 1;

      key->data[i / 8] |= bit << (7 - i % 8);
    }

  sodium_memzero (symbols, sizeof symbols);
  return g_steal_pointer (&key);
}

/* ------------------------------------------------------------------------ */
/* Derived keys: the care key, the drafts key                              */
/* ------------------------------------------------------------------------ */

TfSecret *
tf_crypto_derive_subkey (const TfSecret *key, const char *label)
{
  TfSecret *subkey;

  g_return_val_if_fail (key != NULL && key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (label != NULL, NULL);

  subkey = tf_secret_new (TF_CRYPTO_KEY_BYTES);
  crypto_generichash (subkey->data, subkey->len, (const guint8 *) label, strlen (label),
                      key->data, key->len);
  return subkey;
}

TfSecret *
tf_crypto_derive_care_key (const TfSecret *data_key)
{
  return tf_crypto_derive_subkey (data_key, "tf1|care");
}

/* ------------------------------------------------------------------------ */
/* Identity (X25519) and sealed sharing                                     */
/* ------------------------------------------------------------------------ */

/* Both key pairs have 32-byte public halves; only the generator and the
 * secret's size differ. */
static gboolean
make_keypair (int        (*generate) (unsigned char *pk, unsigned char *sk),
              gsize        secret_len,
              char       **out_public_b64,
              TfSecret   **out_secret,
              GError     **error)
{
  g_autoptr(TfSecret) secret = NULL;
  guint8 public_key[TF_CRYPTO_PUBLIC_KEY_BYTES];

  G_STATIC_ASSERT (crypto_box_PUBLICKEYBYTES == TF_CRYPTO_PUBLIC_KEY_BYTES);
  G_STATIC_ASSERT (crypto_sign_PUBLICKEYBYTES == TF_CRYPTO_PUBLIC_KEY_BYTES);

  if (!tf_crypto_init (error))
    return FALSE;

  secret = tf_secret_new (secret_len);
  generate (public_key, secret->data);

  *out_public_b64 = g_base64_encode (public_key, sizeof public_key);
  *out_secret = g_steal_pointer (&secret);
  return TRUE;
}

gboolean
tf_crypto_box_keypair (char     **out_public_b64,
                       TfSecret **out_secret,
                       GError   **error)
{
  g_return_val_if_fail (out_public_b64 != NULL, FALSE);
  g_return_val_if_fail (out_secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return make_keypair (crypto_box_keypair, crypto_box_SECRETKEYBYTES, out_public_b64,
                       out_secret, error);
}

/* Sealed keys are data keys: TF_CRYPTO_KEY_BYTES, no more and no less.  A
 * sealed box does not authenticate its sender, so the size is checked on the
 * way in as well as on the way out. */
char *
tf_crypto_seal_key (const char     *recipient_public_b64,
                    const TfSecret *key,
                    GError        **error)
{
  guint8 public_key[TF_CRYPTO_PUBLIC_KEY_BYTES];
  guint8 sealed[crypto_box_SEALBYTES + TF_CRYPTO_KEY_BYTES];

  g_return_val_if_fail (recipient_public_b64 != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (key->len == TF_CRYPTO_KEY_BYTES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;
  if (!tf_crypto_decode_public_key (recipient_public_b64, public_key, error))
    return NULL;

  if (crypto_box_seal (sealed, key->data, key->len, public_key) != 0)
    {
      /* libsodium refuses a public key of small order. */
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Invalid public key"));
      return NULL;
    }

  return g_base64_encode (sealed, sizeof sealed);
}

TfSecret *
tf_crypto_open_sealed_key (const char     *recipient_public_b64,
                           const TfSecret *recipient_secret,
                           const char     *sealed_b64,
                           GError        **error)
{
  g_autoptr(TfSecret) key = NULL;
  g_autofree guint8 *sealed = NULL;
  guint8 public_key[TF_CRYPTO_PUBLIC_KEY_BYTES];
  gsize sealed_len;

  g_return_val_if_fail (recipient_public_b64 != NULL, NULL);
  g_return_val_if_fail (recipient_secret != NULL, NULL);
  g_return_val_if_fail (recipient_secret->len == crypto_box_SECRETKEYBYTES, NULL);
  g_return_val_if_fail (sealed_b64 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error))
    return NULL;
  if (!tf_crypto_decode_public_key (recipient_public_b64, public_key, error))
    return NULL;

  sealed = tf_crypto_base64_decode_strict (sealed_b64, crypto_box_SEALBYTES + TF_CRYPTO_KEY_BYTES,
                                 &sealed_len);
  if (sealed == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Not an encrypted value"));
      return NULL;
    }

  key = tf_secret_new (TF_CRYPTO_KEY_BYTES);
  if (crypto_box_seal_open (key->data, sealed, sealed_len, public_key,
                            recipient_secret->data) != 0)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT,
                           _("Could not decrypt: wrong key or damaged data"));
      return NULL;
    }

  return g_steal_pointer (&key);
}

/* ------------------------------------------------------------------------ */
/* Signatures (Ed25519)                                                     */
/* ------------------------------------------------------------------------ */

gboolean
tf_crypto_sign_keypair (char     **out_public_b64,
                        TfSecret **out_secret,
                        GError   **error)
{
  g_return_val_if_fail (out_public_b64 != NULL, FALSE);
  g_return_val_if_fail (out_secret != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return make_keypair (crypto_sign_keypair, crypto_sign_SECRETKEYBYTES, out_public_b64,
                       out_secret, error);
}

char *
tf_crypto_sign (const TfSecret *secret,
                const guint8   *message,
                gsize           len)
{
  guint8 signature[crypto_sign_BYTES];

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (secret->len == crypto_sign_SECRETKEYBYTES, NULL);
  g_return_val_if_fail (message != NULL || len == 0, NULL);

  tf_crypto_require_sodium ();
  crypto_sign_detached (signature, NULL, message, len, secret->data);

  return g_base64_encode (signature, sizeof signature);
}

gboolean
tf_crypto_verify (const char   *public_b64,
                  const guint8 *message,
                  gsize         len,
                  const char   *signature_b64,
                  GError      **error)
{
  g_autofree guint8 *signature = NULL;
  guint8 public_key[TF_CRYPTO_PUBLIC_KEY_BYTES];

  g_return_val_if_fail (public_b64 != NULL, FALSE);
  g_return_val_if_fail (message != NULL || len == 0, FALSE);
  g_return_val_if_fail (signature_b64 != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tf_crypto_init (error))
    return FALSE;
  if (!tf_crypto_decode_public_key (public_b64, public_key, error))
    return FALSE;

  signature = tf_crypto_base64_decode_strict (signature_b64, crypto_sign_BYTES, NULL);
  if (signature == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("The signature is not valid"));
      return FALSE;
    }

  if (crypto_sign_verify_detached (signature, message, len, public_key) != 0)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE,
                           _("The signature is not valid"));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Fingerprints                                                             */
/* ------------------------------------------------------------------------ */

/* Returns NULL if any key is not canonical base64 of 32 bytes: the header
 * gives this function no GError, and a key that does not decode has no
 * fingerprint worth showing. */
char *
tf_crypto_fingerprint (const char * const *public_keys_b64)
{
  crypto_generichash_state state;
  guint8 hash[FINGERPRINT_BYTES];
  GString *text;
  gsize i;

  g_return_val_if_fail (public_keys_b64 != NULL, NULL);
  g_return_val_if_fail (public_keys_b64[0] != NULL, NULL);

  tf_crypto_require_sodium ();
  crypto_generichash_init (&state, NULL, 0, sizeof hash);

  for (i = 0; public_keys_b64[i] != NULL; i++)
    {
      g_autofree guint8 *key = tf_crypto_base64_decode_strict (public_keys_b64[i],
                                                               TF_CRYPTO_PUBLIC_KEY_BYTES, NULL);

      if (key == NULL)
        return NULL;
      crypto_generichash_update (&state, key, TF_CRYPTO_PUBLIC_KEY_BYTES);
    }

  crypto_generichash_final (&state, hash, sizeof hash);

  text = g_string_sized_new (FINGERPRINT_BYTES * 2 + FINGERPRINT_BYTES / 2);
  for (i = 0; i < FINGERPRINT_BYTES; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (text, ' ');
      g_string_append_printf (text, "%02X", hash[i]);
    }

  return g_string_free (text, FALSE);
}
