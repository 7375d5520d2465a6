/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-fuzz.c: the fuzz targets' set-up and their fixed keys.
 *
 * The keys come from constant seeds through libsodium's own derivations, so
 * the corpus generator and every target agree on them without a file.
 */
#define G_LOG_DOMAIN "tf-fuzz"

#include "config.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "tf-fuzz.h"

typedef struct
{
  TfSecret *data_key;
  TfSecret *kek;
  TfSecret *recovery;
  char     *recovery_text;
  char     *identity_public;
  TfSecret *identity_secret;
  char     *signing_public;
  TfSecret *signing_secret;
} FixedKeys;

static FixedKeys keys;

/* 32 bytes that are @byte repeated: fixed and distinct per key. */
static TfSecret *
fixed_secret (guint8 byte)
{
  guint8 bytes[TF_CRYPTO_KEY_BYTES];

  memset (bytes, byte, sizeof bytes);
  return tf_secret_new_from_data (bytes, sizeof bytes);
}

static void
make_keys (void)
{
  guint8 pk[crypto_sign_PUBLICKEYBYTES];
  guint8 sk[crypto_sign_SECRETKEYBYTES];
  guint8 seed[crypto_sign_SEEDBYTES];

  keys.data_key = fixed_secret (0x11);
  keys.kek = fixed_secret (0x22);
  keys.recovery = fixed_secret (0x33);
  keys.recovery_text = tf_crypto_recovery_key_encode (keys.recovery);

  /* X25519: the secret is the scalar, the public half its base point multiple. */
  keys.identity_secret = fixed_secret (0x44);
  crypto_scalarmult_base (pk, tf_secret_get_data (keys.identity_secret));
  keys.identity_public = g_base64_encode (pk, crypto_box_PUBLICKEYBYTES);

  /* Ed25519: the stored secret is libsodium's 64-byte form. */
  memset (seed, 0x55, sizeof seed);
  crypto_sign_seed_keypair (pk, sk, seed);
  keys.signing_public = g_base64_encode (pk, crypto_sign_PUBLICKEYBYTES);
  keys.signing_secret = tf_secret_new_from_data (sk, sizeof sk);
  sodium_memzero (sk, sizeof sk);
}

static gboolean warnings_allowed;

/* GLib's own fatal messages end in a breakpoint trap, which libFuzzer does
 * not catch: abort instead, so the fuzzer reports the crash and keeps the
 * input.  Debug and info messages are dropped (the fuzzer's output is the
 * report). */
static void
log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL) ||
      (level & G_LOG_LEVEL_WARNING && !warnings_allowed))
    {
      g_printerr ("%s: %s\n", domain ? domain : "(none)", message);
      abort ();
    }
}

static GLogWriterOutput
log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
      domain = fields[i].value;
    else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      message = fields[i].value;
  log_handler (domain, level, message ? message : "", NULL);
  return G_LOG_WRITER_HANDLED;
}

void
tf_fuzz_init (gboolean allow_warnings)
{
  static gsize done = 0;

  if (!g_once_init_enter (&done))
    return;
  warnings_allowed = allow_warnings;
  g_log_set_default_handler (log_handler, NULL);
  g_log_set_writer_func (log_writer, NULL, NULL);
  if (!tf_crypto_init (NULL))
    g_error ("libsodium could not be initialised");
  make_keys ();
  g_once_init_leave (&done, 1);
}

char *
tf_fuzz_strndup (const guint8 *data, gsize size)
{
  char *text = g_malloc (size + 1);

  if (size > 0)
    memcpy (text, data, size);
  text[size] = '\0';
  return text;
}

const TfSecret *tf_fuzz_data_key (void)        { return keys.data_key; }
const TfSecret *tf_fuzz_kek (void)             { return keys.kek; }
const TfSecret *tf_fuzz_recovery_key (void)    { return keys.recovery; }
const char *tf_fuzz_recovery_text (void)       { return keys.recovery_text; }
const char *tf_fuzz_identity_public (void)     { return keys.identity_public; }
const TfSecret *tf_fuzz_identity_secret (void) { return keys.identity_secret; }
const char *tf_fuzz_signing_public (void)      { return keys.signing_public; }
const TfSecret *tf_fuzz_signing_secret (void)  { return keys.signing_secret; }
