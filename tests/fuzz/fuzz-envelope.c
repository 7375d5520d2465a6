/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-envelope.c: the "tf1:" envelope and the account's keys
 * (common/tf-crypto-envelope.c, tf-crypto-keys.c, tf-keys.c), as a device reads them from a
 * server: encrypted fields, wrapped and sealed keys, signatures, the typed
 * recovery key, and the "keys" object of a login.
 *
 * Input that starts with '{' is a "keys" object: opened with the fixed KEK
 * and with the fixed recovery key (tf-fuzz.h), and its KDF parameters
 * checked.  Anything else is one string tried as every kind of envelope
 * under the fixed keys, as a signature, as a recovery key and, split at
 * commas, as the public keys of a fingerprint.  What opens must be what the
 * fixed keys sealed: an envelope never yields plaintext it did not
 * authenticate, which the fuzzer would need the key to forge.
 */
#define G_LOG_DOMAIN "fuzz-envelope"

#include "config.h"

#include <string.h>

#include "tf-error.h"
#include "tf-fuzz.h"
#include "tf-keys.h"
#include "tf-record.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static void
expect_error (gboolean ok, GError *error, const char *what)
{
  if (!ok && error == NULL)
    g_error ("%s failed without an error", what);
  if (ok && error != NULL)
    g_error ("%s succeeded with an error: %s", what, error->message);
  if (!ok && error->domain != TF_CRYPTO_ERROR)
    g_error ("%s failed with an error of another domain: %s", what, error->message);
}

static void
open_field (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = tf_crypto_decrypt_field (tf_fuzz_data_key (), TF_FUZZ_TABLE,
                                                    TF_FUZZ_RECORD_ID, TF_FUZZ_COLUMN, text,
                                                    &error);

  expect_error (plain != NULL, error, "decrypting a field");
  if (plain != NULL && !tf_crypto_is_envelope (text))
    g_error ("something that is not an envelope decrypted: %s", text);
}

static void
unwrap (const TfSecret *key, const char *purpose, const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecret) opened = tf_crypto_unwrap_key (key, purpose, text, &error);

  expect_error (opened != NULL, error, "unwrapping a key");
}

static void
open_strings (const char *text, const guint8 *data, gsize size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecret) sealed = NULL;
  g_autoptr(TfSecret) recovery = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *fingerprint = NULL;
  gboolean verified;

  (void) tf_crypto_is_envelope (text);
  open_field (text);
  unwrap (tf_fuzz_kek (), "master", text);
  unwrap (tf_fuzz_recovery_key (), "master-recovery", text);
  unwrap (tf_fuzz_data_key (), "data", text);

  sealed = tf_crypto_open_sealed_key (tf_fuzz_identity_public (), tf_fuzz_identity_secret (),
                                      text, &error);
  expect_error (sealed != NULL, error, "opening a sealed key");
  g_clear_error (&error);

  /* A signature over the raw input itself: never valid by chance. */
  verified = tf_crypto_verify (tf_fuzz_signing_public (), data, size, text, &error);
  expect_error (verified, error, "verifying a signature");
  g_clear_error (&error);

  recovery = tf_crypto_recovery_key_decode (text, &error);
  expect_error (recovery != NULL, error, "reading a recovery key");
  g_clear_error (&error);

  /* A fingerprint is defined only over 32-byte keys; anything else is NULL. */
  parts = g_strsplit (text, ",", 4);
  if (parts[0] != NULL)
    fingerprint = tf_crypto_fingerprint ((const char * const *) parts);
  if (fingerprint != NULL && strlen (fingerprint) != 49)
    g_error ("a fingerprint of %zu characters: %s", strlen (fingerprint), fingerprint);
}

static void
open_keys (JsonObject *object)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfKeys) keys = tf_keys_open (object, tf_fuzz_kek (), &error);
  g_autoptr(TfKeys) recovered = NULL;
  g_autofree char *proof = NULL;
  JsonNode *kdf;

  expect_error (keys != NULL, error, "opening the keys");
  g_clear_error (&error);
  if (keys != NULL)
    {
      const char *enc_key = tf_json_get_string (object, "enc_key");
      const char *grant = tf_json_get_string (object, "sealed_key");
      g_autoptr(TfSecret) data_key = NULL;
      g_autoptr(TfSecret) granted = NULL;

      if (enc_key != NULL)
        {
          data_key = tf_keys_open_data_key (keys, enc_key, &error);
          expect_error (data_key != NULL, error, "opening a data key");
          g_clear_error (&error);
        }
      if (grant != NULL)
        {
          granted = tf_keys_open_grant (keys, grant, &error);
          expect_error (granted != NULL, error, "opening a key grant");
          g_clear_error (&error);
        }
    }

  recovered = tf_keys_open_recovery (object, tf_fuzz_recovery_text (), &proof, &error);
  expect_error (recovered != NULL, error, "recovering the keys");
  if ((recovered != NULL) != (proof != NULL))
    g_error ("a recovery with%s a proof", proof ? "" : "out");
  g_clear_error (&error);

  /* The KDF check runs before Argon2id; a cost at or above the floor would
   * derive for real (64 MiB a try), so only refusals are fuzzed here. */
  kdf = json_object_get_member (object, "kdf");
  if (kdf != NULL && JSON_NODE_HOLDS_OBJECT (kdf))
    {
      JsonObject *k = json_node_get_object (kdf);
      JsonNode *ops = json_object_get_member (k, "opslimit");
      JsonNode *mem = json_object_get_member (k, "memlimit");
      gboolean costly = ops != NULL && mem != NULL && JSON_NODE_HOLDS_VALUE (ops) &&
                        JSON_NODE_HOLDS_VALUE (mem) &&
                        json_node_get_value_type (ops) == G_TYPE_INT64 &&
                        json_node_get_value_type (mem) == G_TYPE_INT64 &&
                        json_node_get_int (ops) >= TF_KEYS_KDF_OPSLIMIT_FLOOR &&
                        json_node_get_int (mem) >= TF_KEYS_KDF_MEMLIMIT_FLOOR;

      if (!costly)
        {
          g_autoptr(TfSecret) auth = NULL;
          g_autoptr(TfSecret) kek = NULL;
          gboolean ok = tf_keys_derive (k, "password", &auth, &kek, &error);

          expect_error (ok, error, "deriving keys");
          if (ok)
            g_error ("keys derived below the cost floor");
        }
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = tf_fuzz_strndup (data, size);

  tf_fuzz_init (FALSE);
  if (size > 0 && data[0] == '{')
    {
      g_autoptr(JsonNode) root = tf_json_parse ((const char *) data, (gssize) size, NULL);

      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        open_keys (json_node_get_object (root));
    }
  else
    open_strings (text, data, size);
  return 0;
}
