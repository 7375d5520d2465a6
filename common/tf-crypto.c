/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-crypto.c: what the rest of the key hierarchy (tf-crypto-keys.c) and
 * the "tf1:" envelopes (tf-crypto-envelope.c) stand on: libsodium's
 * initialisation, TfSecret and strict base64.  The formats are fixed by
 * tf-crypto.h; this file adds only what the header leaves open:
 *
 *   - TfSecret lives in sodium_malloc() memory (guard pages, mlocked as far
 *     as RLIMIT_MEMLOCK allows), falling back to g_malloc() + sodium_mlock() when the guarded
 *     allocator fails, e.g. because the process ran out of mappings.
 *   - Base64 is parsed strictly: standard alphabet, padded, no whitespace and
 *     zero padding bits.  Every envelope therefore has exactly one spelling,
 *     so a change to any character of it is either a format error or an
 *     authentication failure, never a silently accepted variant.
 */
#define G_LOG_DOMAIN "tf-crypto"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "tf-crypto.h"
#include "tf-crypto-private.h"
#include "tf-error.h"

/* ------------------------------------------------------------------------ */
/* Library initialisation                                                   */
/* ------------------------------------------------------------------------ */

static gboolean
ensure_sodium (void)
{
  static gsize state = 0; /* 0: not yet, 1: ready, 2: failed */

  if (g_once_init_enter (&state))
    {
      gsize result = sodium_init () >= 0 ? 1 : 2;

      g_once_init_leave (&state, result);
    }

  return state == 1;
}

/* For the entry points that have no GError: without libsodium there is no
 * random number generator and no safe way on, as with running out of memory. */
void
tf_crypto_require_sodium (void)
{
  if (!ensure_sodium ())
    g_error ("libsodium could not be initialised");
}

gboolean
tf_crypto_init (GError **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!ensure_sodium ())
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FAILED,
                           _("Could not initialize the encryption library"));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* TfSecret                                                                 */
/* ------------------------------------------------------------------------ */

/* The layout is in tf-crypto-private.h, for the other two files of the module. */

/* The contents are uninitialised. */
static TfSecret *
secret_alloc (gsize len)
{
  TfSecret *secret;
  gsize alloc_len = MAX (len, 1);

  tf_crypto_require_sodium ();

  secret = g_new0 (TfSecret, 1);
  secret->len = len;
  secret->data = sodium_malloc (alloc_len);
  secret->guarded = secret->data != NULL;

  if (secret->data == NULL)
    {
      /* Best effort: mlock may fail under RLIMIT_MEMLOCK, and as mlock is per
       * page, freeing a neighbour on the same page unlocks this one too; the
       * bytes are still zeroed on free either way. */
      secret->data = g_malloc (alloc_len);
      (void) sodium_mlock (secret->data, alloc_len);
    }

  return secret;
}

TfSecret *
tf_secret_new (gsize len)
{
  TfSecret *secret = secret_alloc (len);

  sodium_memzero (secret->data, MAX (len, 1));

  return secret;
}

TfSecret *
tf_secret_new_random (gsize len)
{
  TfSecret *secret = secret_alloc (len);

  randombytes_buf (secret->data, len);

  return secret;
}

TfSecret *
tf_secret_new_from_data (const guint8 *data,
                         gsize         len)
{
  TfSecret *secret;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  secret = secret_alloc (len);
  if (len > 0)
    memcpy (secret->data, data, len);

  return secret;
}

TfSecret *
tf_secret_copy (const TfSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return tf_secret_new_from_data (secret->data, secret->len);
}

const guint8 *
tf_secret_get_data (const TfSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return secret->data;
}

guint8 *
tf_secret_get_mutable (TfSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);

  return secret->data;
}

gsize
tf_secret_get_size (const TfSecret *secret)
{
  g_return_val_if_fail (secret != NULL, 0);

  return secret->len;
}

/* The sizes are not secret; the contents are compared in constant time. */
gboolean
tf_secret_equal (const TfSecret *a,
                 const TfSecret *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->len != b->len)
    return FALSE;
  if (a->len == 0)
    return TRUE;

  return sodium_memcmp (a->data, b->data, a->len) == 0;
}

void
tf_secret_free (TfSecret *secret)
{
  gsize alloc_len;

  if (secret == NULL)
    return;

  alloc_len = MAX (secret->len, 1);

  if (secret->guarded)
    {
      sodium_memzero (secret->data, alloc_len);
      sodium_free (secret->data);
    }
  else
    {
      sodium_munlock (secret->data, alloc_len); /* zeroes before unlocking */
      g_free (secret->data);
    }

  g_free (secret);
}

/* ------------------------------------------------------------------------ */
/* Strict base64                                                            */
/* ------------------------------------------------------------------------ */

static int
base64_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* TRUE if @text is canonical padded standard base64; sets the decoded size.
 * Canonical means the bits that padding leaves over are zero, so no two
 * strings decode to the same bytes. */
gboolean
tf_crypto_base64_check (const char *text,
                        gsize      *out_decoded_len)
{
  gsize len = strlen (text);
  gsize pad = 0;
  gsize i;
  int last;

  if (len == 0 || len % 4 != 0)
    return FALSE;

  if (text[len - 1] == '=')
    pad++;
  if (text[len - 2] == '=')
    pad++;

  for (i = 0; i < len - pad; i++)
    if (base64_value (text[i]) < 0)
      return FALSE;

  last = base64_value (text[len - pad - 1]);
  if ((pad == 1 && (last & 0x03) != 0) || (pad == 2 && (last & 0x0f) != 0))
    return FALSE;

  *out_decoded_len = len / 4 * 3 - pad;
  return TRUE;
}

/* Decodes @text, which must be canonical base64 of exactly @expected_len bytes
 * (any length if 0).  NULL on anything else. */
guint8 *
tf_crypto_base64_decode_strict (const char *text,
                                gsize       expected_len,
                                gsize      *out_len)
{
  gsize decoded_len;
  gsize actual_len;
  guint8 *data;

  if (!tf_crypto_base64_check (text, &decoded_len))
    return NULL;
  if (expected_len != 0 && decoded_len != expected_len)
    return NULL;

  data = g_base64_decode (text, &actual_len);
  g_assert (actual_len == decoded_len);

  if (out_len != NULL)
    *out_len = actual_len;

  return data;
}

gboolean
tf_crypto_decode_public_key (const char *public_b64,
                             guint8      out_key[TF_CRYPTO_PUBLIC_KEY_BYTES],
                             GError    **error)
{
  g_autofree guint8 *decoded = tf_crypto_base64_decode_strict (public_b64,
                                                               TF_CRYPTO_PUBLIC_KEY_BYTES, NULL);

  if (decoded == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Invalid public key"));
      return FALSE;
    }

  memcpy (out_key, decoded, TF_CRYPTO_PUBLIC_KEY_BYTES);
  return TRUE;
}
