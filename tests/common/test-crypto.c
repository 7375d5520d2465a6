/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-crypto.c: tests of tf-crypto, the key hierarchy and field encryption.
 *
 * Besides round trips, every failure path must come back as a
 * TF_CRYPTO_ERROR with a NULL result.  The known-answer vectors were computed
 * outside this project (Python: hashlib's BLAKE2b, and XChaCha20-Poly1305
 * built from `cryptography`'s ChaCha20-Poly1305 plus an HChaCha20 checked
 * against draft-irtf-cfrg-xchacha), and the envelope vector is also taken
 * apart here with raw libsodium calls, so the wire format is pinned
 * independently of tf-crypto.c.
 */
#define G_LOG_DOMAIN "test-crypto"

#include "config.h"

#include <string.h>

#include <glib.h>
#include <sodium.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-keys.h"

/* Most tests use the cheapest Argon2id that libsodium accepts above its
 * floor; one test runs the product default. */
#define TEST_OPSLIMIT crypto_pwhash_OPSLIMIT_MIN
#define TEST_MEMLIMIT (8u * 1024u * 1024u)

/* The envelope known-answer vector. */
#define KAT_TABLE "journal_entries"
#define KAT_RECORD_ID "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
#define KAT_COLUMN "content"
#define KAT_AD "tf1|journal_entries|6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f|content"
#define KAT_PLAINTEXT "Σήμερα ένιωσα ήρεμη."
#define KAT_ENVELOPE                                                                               \
  "tf1:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXGprL3h5ct6NAdUkPj1LIXC90FAualtBU2xEz68aF7SXYRczZe8/xgEfKf" \
  "rRu/tte4aYjuXQ="
#define KAT_ENVELOPE_EMPTY "tf1:QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXfSGu6kYqfLjfFh7h5GXQfg=="

/* Recovery key known answers: bytes 0x00..0x1f, and 32 bytes of 0xff. */
#define KAT_RECOVERY_SEQ "000G-40R4-0M30-E209-185G-R38E-1W81-24GK-2GAH-C5RR-34D1-P70X-3RFG-4H"
#define KAT_RECOVERY_FF "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZG-2D"

/* Fingerprint known answers: keys 0x00..0x1f and 0x20..0x3f. */
#define KAT_KEY1_B64 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define KAT_KEY2_B64 "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
#define KAT_FINGERPRINT1 "B1B1 33B9 9F51 6E6C 82CE DA89 2EF5 AF50 FA4B 4E71"
#define KAT_FINGERPRINT12 "11CC 6661 E922 B0E4 07E0 A572 49C3 8D4F F76D 8EC8"
#define KAT_FINGERPRINT21 "0B77 9E4E 6FBB DAE2 72AE 1889 3676 A421 7AC2 F210"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

static TfSecret *
sequence_key (guint8 first)
{
  guint8 bytes[TF_CRYPTO_KEY_BYTES];
  guint i;

  for (i = 0; i < sizeof bytes; i++)
    bytes[i] = first + i;

  return tf_secret_new_from_data (bytes, sizeof bytes);
}

static void
kat_nonce (guint8 nonce[24])
{
  guint i;

  for (i = 0; i < 24; i++)
    nonce[i] = 0x40 + i;
}

/* A failure must be a TF_CRYPTO_ERROR with @code (any code if -1) and a NULL
 * result; the error is cleared for the next attempt. */
static void
assert_failed (gconstpointer result,
               GError      **error,
               int           code)
{
  g_assert_null (result);
  g_assert_nonnull (*error);
  g_assert_true ((*error)->domain == TF_CRYPTO_ERROR);
  if (code >= 0)
    g_assert_cmpint ((*error)->code, ==, code);
  else
    g_assert_true ((*error)->code == TF_CRYPTO_ERROR_FORMAT
                   || (*error)->code == TF_CRYPTO_ERROR_DECRYPT);
  g_assert_nonnull ((*error)->message);
  g_clear_error (error);
}

/* "tf1:" + base64 of @len raw bytes. */
static char *
make_envelope (const guint8 *raw,
               gsize         len)
{
  g_autofree char *b64 = g_base64_encode (raw, len);

  return g_strconcat (TF_CRYPTO_ENVELOPE_PREFIX, b64, NULL);
}

static char *
encrypt_sample (const TfSecret *key,
                const char     *plaintext)
{
  g_autoptr(GError) error = NULL;
  char *envelope;

  envelope = tf_crypto_encrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, plaintext,
                                      &error);
  g_assert_no_error (error);
  g_assert_nonnull (envelope);
  return envelope;
}

/* Removes dashes: the 54 symbols of a recovery key. */
static char *
compact (const char *text)
{
  GString *s = g_string_new (NULL);
  const char *p;

  for (p = text; *p != '\0'; p++)
    if (*p != '-')
      g_string_append_c (s, *p);

  return g_string_free (s, FALSE);
}

static void
derive (const char    *password,
        const guint8  *salt,
        guint64        opslimit,
        gsize          memlimit,
        TfSecret     **auth,
        TfSecret     **kek)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_crypto_derive_keys (password, salt, opslimit, memlimit, auth, kek, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tf_secret_get_size (*auth), ==, TF_CRYPTO_KEY_BYTES);
  g_assert_cmpuint (tf_secret_get_size (*kek), ==, TF_CRYPTO_KEY_BYTES);
}

/* ------------------------------------------------------------------------ */
/* TfSecret                                                                 */
/* ------------------------------------------------------------------------ */

static void
test_secret_equal (void)
{
  static const guint8 a_bytes[4] = { 1, 2, 3, 4 };
  static const guint8 b_bytes[4] = { 1, 2, 3, 5 };
  g_autoptr(TfSecret) a = tf_secret_new_from_data (a_bytes, 4);
  g_autoptr(TfSecret) a2 = tf_secret_new_from_data (a_bytes, 4);
  g_autoptr(TfSecret) b = tf_secret_new_from_data (b_bytes, 4);
  g_autoptr(TfSecret) prefix = tf_secret_new_from_data (a_bytes, 3);
  g_autoptr(TfSecret) copy = tf_secret_copy (a);
  g_autoptr(TfSecret) zero = tf_secret_new (4);
  g_autoptr(TfSecret) zero2 = tf_secret_new (4);

  g_assert_true (tf_secret_equal (a, a2));
  g_assert_true (tf_secret_equal (a, copy));
  g_assert_true (tf_secret_get_data (a) != tf_secret_get_data (copy));
  g_assert_false (tf_secret_equal (a, b));
  g_assert_false (tf_secret_equal (a, prefix));
  g_assert_false (tf_secret_equal (prefix, a));
  g_assert_true (tf_secret_equal (zero, zero2));
  g_assert_false (tf_secret_equal (zero, a));

  /* A change through the mutable pointer shows in the comparison. */
  tf_secret_get_mutable (zero2)[3] = 1;
  g_assert_false (tf_secret_equal (zero, zero2));
}

static void
test_secret_new (void)
{
  static const guint8 zeros[64] = { 0 };
  g_autoptr(TfSecret) zero = tf_secret_new (64);
  g_autoptr(TfSecret) random1 = tf_secret_new_random (64);
  g_autoptr(TfSecret) random2 = tf_secret_new_random (64);
  g_autoptr(TfSecret) empty = tf_secret_new (0);

  g_assert_cmpuint (tf_secret_get_size (zero), ==, 64);
  g_assert_cmpmem (tf_secret_get_data (zero), 64, zeros, 64);
  g_assert_cmpuint (tf_secret_get_size (random1), ==, 64);
  g_assert_true (memcmp (tf_secret_get_data (random1), zeros, 64) != 0);
  g_assert_false (tf_secret_equal (random1, random2));
  g_assert_cmpuint (tf_secret_get_size (empty), ==, 0);
}

static void
test_secret_free_null (void)
{
  g_autoptr(TfSecret) unset = NULL;

  tf_secret_free (NULL);
  g_clear_pointer (&unset, tf_secret_free);
  g_assert_null (unset);
}

/* ------------------------------------------------------------------------ */
/* Field encryption                                                         */
/* ------------------------------------------------------------------------ */

static void
test_field_round_trip (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GString) long_text = g_string_new (NULL);
  const char *samples[] = {
    "",
    "x",
    "Session went well.",
    KAT_PLAINTEXT,
    "{\"medical\": {\"medications\": [\"sertraline 50mg\"], \"allergies\": null}}",
    NULL, /* long_text */
  };
  guint i;

  for (i = 0; i < 20000; i++)
    g_string_append (long_text, "αβγ ");
  samples[G_N_ELEMENTS (samples) - 1] = long_text->str;

  for (i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *envelope = encrypt_sample (key, samples[i]);
      g_autofree char *plaintext = NULL;

      g_assert_true (g_str_has_prefix (envelope, TF_CRYPTO_ENVELOPE_PREFIX));
      g_assert_true (tf_crypto_is_envelope (envelope));

      plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, envelope,
                                           &error);
      g_assert_no_error (error);
      g_assert_cmpstr (plaintext, ==, samples[i]);
    }
}

static void
test_field_fresh_nonce (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *first = encrypt_sample (key, "same text");
  g_autofree char *second = encrypt_sample (key, "same text");

  g_assert_cmpstr (first, !=, second);
}

static void
test_field_kat (void)
{
  g_autoptr(TfSecret) key = sequence_key (0);
  g_autoptr(GError) error = NULL;
  g_autofree char *envelope = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *plaintext = NULL;
  guint8 nonce[24];

  kat_nonce (nonce);

  envelope = tf_crypto_encrypt_field_with_nonce (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN,
                                                 KAT_PLAINTEXT, nonce, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (envelope, ==, KAT_ENVELOPE);

  empty = tf_crypto_encrypt_field_with_nonce (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, "",
                                              nonce, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (empty, ==, KAT_ENVELOPE_EMPTY);

  plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, KAT_ENVELOPE,
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plaintext, ==, KAT_PLAINTEXT);
}

/* Takes the vector apart without tf-crypto: prefix, base64, nonce, then the
 * AEAD with the literal associated data of the header. */
static void
test_field_kat_raw (void)
{
  const char *b64 = KAT_ENVELOPE + strlen ("tf1:");
  const gsize pt_len = strlen (KAT_PLAINTEXT);
  g_autofree guint8 *raw = NULL;
  g_autofree guint8 *plain = NULL;
  unsigned long long plain_len = 0;
  guint8 key[32];
  guint8 nonce[24];
  gsize raw_len;
  guint i;

  for (i = 0; i < 32; i++)
    key[i] = i;
  kat_nonce (nonce);

  g_assert_true (g_str_has_prefix (KAT_ENVELOPE, "tf1:"));
  raw = g_base64_decode (b64, &raw_len);
  g_assert_cmpuint (raw_len, ==, 24 + pt_len + 16);
  g_assert_cmpmem (raw, 24, nonce, 24);

  plain = g_malloc0 (raw_len);
  g_assert_cmpint (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL,
                                                               raw + 24, raw_len - 24,
                                                               (const guint8 *) KAT_AD,
                                                               strlen (KAT_AD), raw, key),
                   ==, 0);
  g_assert_cmpmem (plain, plain_len, KAT_PLAINTEXT, pt_len);

  /* The associated data really is bound: one character off and it fails. */
  g_assert_cmpint (crypto_aead_xchacha20poly1305_ietf_decrypt (plain, &plain_len, NULL,
                                                               raw + 24, raw_len - 24,
                                                               (const guint8 *) KAT_AD,
                                                               strlen (KAT_AD) - 1, raw, key),
                   ==, -1);
}

/* Every bit of nonce, ciphertext and tag. */
static void
test_field_flipped_bit_bytes (void)
{
  g_autoptr(TfSecret) key = sequence_key (0);
  g_autofree guint8 *raw = NULL;
  gsize raw_len;
  gsize i;

  raw = g_base64_decode (KAT_ENVELOPE + strlen ("tf1:"), &raw_len);
  for (i = 0; i < raw_len * 8; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *envelope = NULL;
      g_autofree char *plaintext = NULL;

      raw[i / 8] ^= 1u << (i % 8);
      envelope = make_envelope (raw, raw_len);
      raw[i / 8] ^= 1u << (i % 8);

      plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, envelope,
                                           &error);
      assert_failed (plaintext, &error, TF_CRYPTO_ERROR_DECRYPT);
    }
}

/* Every bit of every character of the text, prefix and padding included:
 * either not an envelope or not authentic, never a quiet success. */
static void
test_field_flipped_bit_text (void)
{
  g_autoptr(TfSecret) key = sequence_key (0);
  g_autofree char *envelope = g_strdup (KAT_ENVELOPE);
  gsize len = strlen (envelope);
  gsize i;

  for (i = 0; i < len * 8; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *plaintext = NULL;

      envelope[i / 8] ^= 1u << (i % 8);
      if (envelope[i / 8] != '\0')
        {
          plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN,
                                               envelope, &error);
          assert_failed (plaintext, &error, -1);
        }
      envelope[i / 8] ^= 1u << (i % 8);
    }

  g_assert_cmpstr (envelope, ==, KAT_ENVELOPE);
}

static void
test_field_wrong_key (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) other = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *envelope = encrypt_sample (key, "private");
  g_autofree char *plaintext = NULL;

  plaintext = tf_crypto_decrypt_field (other, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, envelope,
                                       &error);
  assert_failed (plaintext, &error, TF_CRYPTO_ERROR_DECRYPT);
}

static void
test_field_moved (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *envelope = encrypt_sample (key, "private");
  struct
  {
    const char *table;
    const char *record_id;
    const char *column;
  } elsewhere[] = {
    { KAT_TABLE, "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e60", KAT_COLUMN }, /* another record */
    { KAT_TABLE, "", KAT_COLUMN },
    { KAT_TABLE, KAT_RECORD_ID, "title" },                               /* another column */
    { "session_notes", KAT_RECORD_ID, KAT_COLUMN },                      /* another table */
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (elsewhere); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *plaintext = NULL;

      plaintext = tf_crypto_decrypt_field (key, elsewhere[i].table, elsewhere[i].record_id,
                                           elsewhere[i].column, envelope, &error);
      assert_failed (plaintext, &error, TF_CRYPTO_ERROR_DECRYPT);
    }
}

static void
test_field_truncated (void)
{
  g_autoptr(TfSecret) key = sequence_key (0);
  g_autofree guint8 *raw = NULL;
  gsize len = strlen (KAT_ENVELOPE);
  gsize raw_len;
  gsize i;

  /* Every prefix of the text. */
  for (i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *envelope = g_strndup (KAT_ENVELOPE, i);
      g_autofree char *plaintext = NULL;

      plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, envelope,
                                           &error);
      assert_failed (plaintext, &error, -1);
    }

  /* Every shorter run of bytes, well-formed base64: down to nonce + tag it
   * fails authentication, below that it is not an envelope. */
  raw = g_base64_decode (KAT_ENVELOPE + strlen ("tf1:"), &raw_len);
  for (i = 0; i < raw_len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *envelope = make_envelope (raw, i);
      g_autofree char *plaintext = NULL;

      plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, envelope,
                                           &error);
      assert_failed (plaintext, &error,
                     i >= 24 + 16 ? TF_CRYPTO_ERROR_DECRYPT : TF_CRYPTO_ERROR_FORMAT);
      g_assert_true (tf_crypto_is_envelope (envelope) == (i >= 24 + 16));
    }
}

static void
test_field_not_envelope (void)
{
  g_autoptr(TfSecret) key = sequence_key (0);
  g_autofree char *unpadded = g_strndup (KAT_ENVELOPE, strlen (KAT_ENVELOPE) - 1);
  g_autofree char *no_prefix = g_strdup (KAT_ENVELOPE + 4);
  g_autofree char *upper_prefix = g_strconcat ("TF1:", KAT_ENVELOPE + 4, NULL);
  g_autofree char *other_version = g_strconcat ("tf2:", KAT_ENVELOPE + 4, NULL);
  g_autofree char *leading_space = g_strconcat (" ", KAT_ENVELOPE, NULL);
  g_autofree char *trailing_newline = g_strconcat (KAT_ENVELOPE, "\n", NULL);
  g_autofree char *head = g_strndup (KAT_ENVELOPE, 20);
  g_autofree char *inner_newline = g_strconcat (head, "\n", KAT_ENVELOPE + 20, NULL);
  g_autofree char *non_canonical = g_strdup (KAT_ENVELOPE);
  g_autofree char *non_canonical2 = g_strdup (KAT_ENVELOPE);
  g_autofree char *non_canonical3 = g_strdup (KAT_ENVELOPE_EMPTY);
  g_autofree char *non_canonical4 = g_strdup (KAT_ENVELOPE_EMPTY);
  g_autofree char *url_safe = g_strdelimit (g_strdup (KAT_ENVELOPE), "+/", '-');
  g_autofree guint8 *canonical_raw = NULL;
  g_autofree guint8 *lenient_raw = NULL;
  gsize canonical_len;
  gsize lenient_len;
  gsize len = strlen (KAT_ENVELOPE);
  const char *values[] = {
    "",
    "hello",
    "tf1:",
    "tf1:!!!!",
    "tf1:====",
    "{\"text\": \"not encrypted\"}",
    "tf1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 39 bytes */
    unpadded,
    no_prefix,
    upper_prefix,
    other_version,
    leading_space,
    trailing_newline,
    inner_newline, /* a lenient decoder skips the line break */
    non_canonical,
    non_canonical2,
    non_canonical3,
    non_canonical4,
    url_safe,
  };
  guint i;

  /* Padding bits set: the same bytes to a lenient decoder, but a second
   * spelling of the envelope.  Check the premise before relying on it. */
  g_assert_true (g_str_has_suffix (non_canonical, "Q="));
  non_canonical[len - 2] = 'R';  /* 010001 */
  non_canonical2[len - 2] = 'S'; /* 010010 */
  g_assert_true (g_str_has_suffix (non_canonical3, "g=="));
  non_canonical3[strlen (non_canonical3) - 3] = 'h'; /* 100001 */
  non_canonical4[strlen (non_canonical4) - 3] = 'o'; /* 101000 */
  canonical_raw = g_base64_decode (KAT_ENVELOPE + 4, &canonical_len);
  lenient_raw = g_base64_decode (non_canonical + 4, &lenient_len);
  g_assert_cmpmem (canonical_raw, canonical_len, lenient_raw, lenient_len);
  g_assert_true (strchr (KAT_ENVELOPE, '+') != NULL || strchr (KAT_ENVELOPE, '/') != NULL);

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *plaintext = NULL;

      g_test_message ("value %u: %s", i, values[i]);
      g_assert_false (tf_crypto_is_envelope (values[i]));
      plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, values[i],
                                           &error);
      assert_failed (plaintext, &error, TF_CRYPTO_ERROR_FORMAT);
    }
}

/* Authentic bytes that are not UTF-8 text, or hold a NUL that would cut the
 * returned string short, are refused rather than handed back. */
static void
test_field_not_text (void)
{
  static const char *const payloads[] = { "caf\xc3", "\xff\xfe", "before\0after" };
  static const gsize lengths[] = { 4, 2, 12 };
  g_autoptr(TfSecret) key = sequence_key (0);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *raw = g_malloc (24 + lengths[i] + 16);
      g_autofree char *envelope = NULL;
      g_autofree char *plaintext = NULL;

      kat_nonce (raw);
      crypto_aead_xchacha20poly1305_ietf_encrypt (raw + 24, NULL, (const guint8 *) payloads[i],
                                                  lengths[i], (const guint8 *) KAT_AD,
                                                  strlen (KAT_AD), NULL, raw,
                                                  tf_secret_get_data (key));
      envelope = make_envelope (raw, 24 + lengths[i] + 16);

      plaintext = tf_crypto_decrypt_field (key, KAT_TABLE, KAT_RECORD_ID, KAT_COLUMN, envelope,
                                           &error);
      assert_failed (plaintext, &error, TF_CRYPTO_ERROR_FORMAT);
    }
}

static void
test_field_is_envelope (void)
{
  g_assert_true (tf_crypto_is_envelope (KAT_ENVELOPE));
  g_assert_true (tf_crypto_is_envelope (KAT_ENVELOPE_EMPTY));
  g_assert_false (tf_crypto_is_envelope (NULL));
  g_assert_false (tf_crypto_is_envelope (KAT_PLAINTEXT));
  g_assert_false (tf_crypto_is_envelope (KAT_ENVELOPE + 4));
}

/* ------------------------------------------------------------------------ */
/* Key wrapping                                                             */
/* ------------------------------------------------------------------------ */

static void
test_wrap_round_trip (void)
{
  g_autoptr(TfSecret) master = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  const char *purposes[] = { "master", "master-recovery", "identity", "signing", "data" };
  const gsize sizes[] = { 32, 32, 32, 64, 32 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (purposes); i++)
    {
      g_autoptr(TfSecret) key = tf_secret_new_random (sizes[i]);
      g_autoptr(TfSecret) unwrapped = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *wrapped = NULL;

      wrapped = tf_crypto_wrap_key (master, purposes[i], key, &error);
      g_assert_no_error (error);
      g_assert_true (tf_crypto_is_envelope (wrapped));

      unwrapped = tf_crypto_unwrap_key (master, purposes[i], wrapped, &error);
      g_assert_no_error (error);
      g_assert_nonnull (unwrapped);
      g_assert_true (tf_secret_equal (key, unwrapped));
    }
}

static void
test_wrap_wrong_purpose (void)
{
  g_autoptr(TfSecret) master = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;
  const char *others[] = { "master-recovery", "identity", "signing", "data", "Master" };
  guint i;

  wrapped = tf_crypto_wrap_key (master, "master", key, &error);
  g_assert_no_error (error);

  for (i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(TfSecret) unwrapped = tf_crypto_unwrap_key (master, others[i], wrapped, &error);

      assert_failed (unwrapped, &error, TF_CRYPTO_ERROR_DECRYPT);
    }
}

static void
test_wrap_wrong_key (void)
{
  g_autoptr(TfSecret) kek = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) other = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) master = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) unwrapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;

  wrapped = tf_crypto_wrap_key (kek, "master", master, &error);
  g_assert_no_error (error);

  unwrapped = tf_crypto_unwrap_key (other, "master", wrapped, &error);
  assert_failed (unwrapped, &error, TF_CRYPTO_ERROR_DECRYPT);

  unwrapped = tf_crypto_unwrap_key (kek, "master", "tf1:not-base64", &error);
  assert_failed (unwrapped, &error, TF_CRYPTO_ERROR_FORMAT);
}

/* A wrapped key is not a field and a field is not a wrapped key, even under
 * the same key. */
static void
test_wrap_not_a_field (void)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) inner = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) unwrapped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *field = NULL;
  g_autofree char *plaintext = NULL;

  wrapped = tf_crypto_wrap_key (key, "data", inner, &error);
  g_assert_no_error (error);
  plaintext = tf_crypto_decrypt_field (key, "wrap", "data", "key", wrapped, &error);
  assert_failed (plaintext, &error, TF_CRYPTO_ERROR_DECRYPT);

  field = encrypt_sample (key, "0123456789abcdef0123456789abcdef");
  unwrapped = tf_crypto_unwrap_key (key, KAT_TABLE, field, &error);
  assert_failed (unwrapped, &error, TF_CRYPTO_ERROR_DECRYPT);
}

/* ------------------------------------------------------------------------ */
/* Recovery key                                                             */
/* ------------------------------------------------------------------------ */

static void
test_recovery_round_trip (void)
{
  g_autoptr(GRegex) shape = g_regex_new ("^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{2}$",
                                         G_REGEX_DOLLAR_ENDONLY, 0, NULL);
  guint i;

  for (i = 0; i < 200; i++)
    {
      g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
      g_autoptr(TfSecret) decoded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = tf_crypto_recovery_key_encode (key);

      g_assert_true (g_regex_match (shape, text, 0, NULL));
      decoded = tf_crypto_recovery_key_decode (text, &error);
      g_assert_no_error (error);
      g_assert_true (tf_secret_equal (key, decoded));
    }
}

static void
test_recovery_kat (void)
{
  static const guint8 ff[TF_CRYPTO_KEY_BYTES] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
  };
  g_autoptr(TfSecret) seq = sequence_key (0);
  g_autoptr(TfSecret) ones = tf_secret_new_from_data (ff, sizeof ff);
  g_autoptr(TfSecret) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *seq_text = tf_crypto_recovery_key_encode (seq);
  g_autofree char *ones_text = tf_crypto_recovery_key_encode (ones);

  g_assert_cmpstr (seq_text, ==, KAT_RECOVERY_SEQ);
  g_assert_cmpstr (ones_text, ==, KAT_RECOVERY_FF);

  decoded = tf_crypto_recovery_key_decode (KAT_RECOVERY_SEQ, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secret_equal (decoded, seq));
}

static void
test_recovery_lenient (void)
{
  g_autoptr(TfSecret) key = sequence_key (0);
  g_autofree char *lower = g_ascii_strdown (KAT_RECOVERY_SEQ, -1);
  g_autofree char *no_dashes = compact (KAT_RECOVERY_SEQ);
  g_autofree char *spaces = g_strdelimit (g_strdup (KAT_RECOVERY_SEQ), "-", ' ');
  g_autofree char *padded = g_strconcat ("  ", lower, " \n", NULL);
  g_autofree char *lookalikes = g_strdup (KAT_RECOVERY_SEQ);
  g_autofree char *lookalikes_compact = NULL;
  const char ones[] = "ILil";
  const char zeros[] = "Oo";
  guint n_ones = 0;
  guint n_zeros = 0;
  char *p;
  const char *variants[6];
  guint i;

  for (p = lookalikes; *p != '\0'; p++)
    {
      if (*p == '1')
        *p = ones[n_ones++ % 4];
      else if (*p == '0')
        *p = zeros[n_zeros++ % 2];
    }
  /* The vector must hold enough 1s and 0s for every look-alike to appear. */
  g_assert_cmpuint (n_ones, >=, 4);
  g_assert_cmpuint (n_zeros, >=, 2);
  lookalikes_compact = compact (lookalikes);

  variants[0] = lower;
  variants[1] = no_dashes;
  variants[2] = spaces;
  variants[3] = padded;
  variants[4] = lookalikes;
  variants[5] = lookalikes_compact;

  for (i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(TfSecret) decoded = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("variant %u: %s", i, variants[i]);
      decoded = tf_crypto_recovery_key_decode (variants[i], &error);
      g_assert_no_error (error);
      g_assert_true (tf_secret_equal (decoded, key));
    }
}

/* The checksum as the implementation defines it, written out again here. */
static char *
with_checksum (const char *data_symbols)
{
  guint sum = 0;
  guint i;

  g_assert_cmpuint (strlen (data_symbols), ==, 52);
  for (i = 0; i < 52; i++)
    sum += (i + 1) * (guint) (strchr (crockford, data_symbols[i]) - crockford);
  sum %= 1021;

  return g_strdup_printf ("%s%c%c", data_symbols, crockford[sum >> 5], crockford[sum & 31]);
}

/* The last data symbol carries one bit of the key and four zero bits; with
 * any of those four set the text is not a recovery key, even with a
 * matching checksum, so every key has exactly one spelling. */
static void
test_recovery_padding_bits (void)
{
  g_autofree char *symbols = compact (KAT_RECOVERY_FF);
  g_autofree char *same = NULL;
  guint j;

  symbols[52] = '\0';
  g_assert_cmpint (symbols[51], ==, 'G'); /* 0b10000 */

  same = with_checksum (symbols);
  {
    g_autoptr(TfSecret) decoded = NULL;
    g_autoptr(GError) error = NULL;

    decoded = tf_crypto_recovery_key_decode (same, &error);
    g_assert_no_error (error);
  }

  for (j = 1; j < 16; j++)
    {
      g_autoptr(TfSecret) decoded = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;

      symbols[51] = crockford[16 + j];
      text = with_checksum (symbols);
      decoded = tf_crypto_recovery_key_decode (text, &error);
      assert_failed (decoded, &error, TF_CRYPTO_ERROR_FORMAT);
    }
}

/* Any one mistyped symbol and any swap of two neighbours is rejected. */
static void
test_recovery_checksum (void)
{
  g_autofree char *symbols = compact (KAT_RECOVERY_SEQ);
  gsize len = strlen (symbols);
  gsize i;
  guint j;

  g_assert_cmpuint (len, ==, 54);

  for (i = 0; i < len; i++)
    {
      char original = symbols[i];

      for (j = 0; j < 32; j++)
        {
          g_autoptr(TfSecret) decoded = NULL;
          g_autoptr(GError) error = NULL;

          if (crockford[j] == original)
            continue;
          symbols[i] = crockford[j];
          decoded = tf_crypto_recovery_key_decode (symbols, &error);
          assert_failed (decoded, &error, TF_CRYPTO_ERROR_FORMAT);
        }
      symbols[i] = original;
    }

  for (i = 0; i + 1 < len; i++)
    {
      g_autoptr(TfSecret) decoded = NULL;
      g_autoptr(GError) error = NULL;
      char c = symbols[i];

      if (symbols[i] == symbols[i + 1])
        continue;
      symbols[i] = symbols[i + 1];
      symbols[i + 1] = c;
      decoded = tf_crypto_recovery_key_decode (symbols, &error);
      assert_failed (decoded, &error, TF_CRYPTO_ERROR_FORMAT);
      symbols[i + 1] = symbols[i];
      symbols[i] = c;
    }

  /* Nothing above broke the original. */
  {
    g_autoptr(TfSecret) decoded = NULL;
    g_autoptr(GError) error = NULL;

    decoded = tf_crypto_recovery_key_decode (symbols, &error);
    g_assert_no_error (error);
  }
}

static void
test_recovery_invalid (void)
{
  g_autofree char *too_long = g_strconcat (KAT_RECOVERY_SEQ, "0", NULL);
  g_autofree char *too_short = g_strndup (KAT_RECOVERY_SEQ, strlen (KAT_RECOVERY_SEQ) - 1);
  g_autofree char *with_u = g_strdup (KAT_RECOVERY_SEQ);
  g_autofree char *with_star = g_strdup (KAT_RECOVERY_SEQ);
  g_autofree char *with_greek = g_strconcat ("Ω", KAT_RECOVERY_SEQ + 1, NULL);
  g_autofree char *very_long = g_strnfill (4096, '0');
  const char *values[] = { "", "----", "000G", too_long, too_short, with_u, with_star,
                           with_greek, very_long };
  guint i;

  with_u[5] = 'U';
  with_star[5] = '*';

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(TfSecret) decoded = NULL;
      g_autoptr(GError) error = NULL;

      decoded = tf_crypto_recovery_key_decode (values[i], &error);
      assert_failed (decoded, &error, TF_CRYPTO_ERROR_FORMAT);
    }
}

/* ------------------------------------------------------------------------ */
/* Sealed sharing                                                           */
/* ------------------------------------------------------------------------ */

static void
new_box_keypair (char **public_b64, TfSecret **secret)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *decoded = NULL;
  gsize len;

  g_assert_true (tf_crypto_box_keypair (public_b64, secret, &error));
  g_assert_no_error (error);
  decoded = g_base64_decode (*public_b64, &len);
  g_assert_cmpuint (len, ==, 32);
  g_assert_cmpuint (tf_secret_get_size (*secret), ==, 32);
}

static void
test_seal_round_trip (void)
{
  g_autofree char *public_b64 = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *sealed_again = NULL;

  new_box_keypair (&public_b64, &secret);

  sealed = tf_crypto_seal_key (public_b64, key, &error);
  g_assert_no_error (error);
  sealed_again = tf_crypto_seal_key (public_b64, key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sealed, !=, sealed_again);

  opened = tf_crypto_open_sealed_key (public_b64, secret, sealed, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secret_equal (opened, key));
}

static void
test_seal_wrong_recipient (void)
{
  g_autofree char *public1 = NULL;
  g_autofree char *public2 = NULL;
  g_autoptr(TfSecret) secret1 = NULL;
  g_autoptr(TfSecret) secret2 = NULL;
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;

  new_box_keypair (&public1, &secret1);
  new_box_keypair (&public2, &secret2);

  sealed = tf_crypto_seal_key (public1, key, &error);
  g_assert_no_error (error);

  opened = tf_crypto_open_sealed_key (public2, secret2, sealed, &error);
  assert_failed (opened, &error, TF_CRYPTO_ERROR_DECRYPT);
  opened = tf_crypto_open_sealed_key (public1, secret2, sealed, &error);
  assert_failed (opened, &error, TF_CRYPTO_ERROR_DECRYPT);
  opened = tf_crypto_open_sealed_key (public2, secret1, sealed, &error);
  assert_failed (opened, &error, TF_CRYPTO_ERROR_DECRYPT);
}

static void
test_seal_tampered (void)
{
  g_autofree char *public_b64 = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *sealed = NULL;
  g_autofree guint8 *raw = NULL;
  gsize raw_len;
  gsize i;

  new_box_keypair (&public_b64, &secret);
  sealed = tf_crypto_seal_key (public_b64, key, &error);
  g_assert_no_error (error);

  raw = g_base64_decode (sealed, &raw_len);
  g_assert_cmpuint (raw_len, ==, crypto_box_SEALBYTES + TF_CRYPTO_KEY_BYTES);

  for (i = 0; i < raw_len * 8; i++)
    {
      g_autoptr(TfSecret) opened = NULL;
      g_autofree char *tampered = NULL;

      raw[i / 8] ^= 1u << (i % 8);
      tampered = g_base64_encode (raw, raw_len);
      raw[i / 8] ^= 1u << (i % 8);

      opened = tf_crypto_open_sealed_key (public_b64, secret, tampered, &error);
      assert_failed (opened, &error, TF_CRYPTO_ERROR_DECRYPT);
    }

  /* Shorter or longer than a sealed key is not a sealed key. */
  {
    g_autofree char *shorter = g_base64_encode (raw, raw_len - 1);
    g_autoptr(TfSecret) opened = NULL;

    opened = tf_crypto_open_sealed_key (public_b64, secret, shorter, &error);
    assert_failed (opened, &error, TF_CRYPTO_ERROR_FORMAT);
    opened = tf_crypto_open_sealed_key (public_b64, secret, "not a sealed box", &error);
    assert_failed (opened, &error, TF_CRYPTO_ERROR_FORMAT);
  }
}

static void
test_seal_bad_public_key (void)
{
  static const guint8 zeros[32] = { 0 };
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GError) error = NULL;
  g_autofree char *short_key = g_base64_encode (zeros, 31);
  g_autofree char *zero_key = g_base64_encode (zeros, 32);
  const char *values[] = { "", "not base64", short_key, zero_key };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *sealed = tf_crypto_seal_key (values[i], key, &error);

      assert_failed (sealed, &error, TF_CRYPTO_ERROR_FORMAT);
    }
}

/* ------------------------------------------------------------------------ */
/* Signatures                                                               */
/* ------------------------------------------------------------------------ */

#define NOTE "{\"id\":\"6f1c2d3e\",\"locked_at\":\"2026-03-29T10:00:00Z\"}"

static void
new_sign_keypair (char **public_b64, TfSecret **secret)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_crypto_sign_keypair (public_b64, secret, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tf_secret_get_size (*secret), ==, crypto_sign_SECRETKEYBYTES);
}

static void
test_sign_round_trip (void)
{
  g_autofree char *public_b64 = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *again = NULL;
  g_autofree char *empty_signature = NULL;
  g_autofree guint8 *raw = NULL;
  gsize raw_len;

  new_sign_keypair (&public_b64, &secret);

  signature = tf_crypto_sign (secret, (const guint8 *) NOTE, strlen (NOTE));
  raw = g_base64_decode (signature, &raw_len);
  g_assert_cmpuint (raw_len, ==, 64);
  g_assert_true (tf_crypto_verify (public_b64, (const guint8 *) NOTE, strlen (NOTE), signature,
                                   &error));
  g_assert_no_error (error);

  /* Ed25519 is deterministic. */
  again = tf_crypto_sign (secret, (const guint8 *) NOTE, strlen (NOTE));
  g_assert_cmpstr (signature, ==, again);

  empty_signature = tf_crypto_sign (secret, NULL, 0);
  g_assert_true (tf_crypto_verify (public_b64, NULL, 0, empty_signature, &error));
  g_assert_no_error (error);
}

static void
test_sign_tampered_signature (void)
{
  g_autofree char *public_b64 = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree guint8 *raw = NULL;
  gsize raw_len;
  gsize i;

  new_sign_keypair (&public_b64, &secret);
  signature = tf_crypto_sign (secret, (const guint8 *) NOTE, strlen (NOTE));
  raw = g_base64_decode (signature, &raw_len);

  for (i = 0; i < raw_len * 8; i++)
    {
      g_autofree char *tampered = NULL;

      raw[i / 8] ^= 1u << (i % 8);
      tampered = g_base64_encode (raw, raw_len);
      raw[i / 8] ^= 1u << (i % 8);

      g_assert_false (tf_crypto_verify (public_b64, (const guint8 *) NOTE, strlen (NOTE),
                                        tampered, &error));
      g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
      g_clear_error (&error);
    }
}

static void
test_sign_tampered_message (void)
{
  g_autofree char *public_b64 = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *message = g_strdup (NOTE);
  gsize len = strlen (message);
  gsize i;

  new_sign_keypair (&public_b64, &secret);
  signature = tf_crypto_sign (secret, (const guint8 *) message, len);

  for (i = 0; i < len * 8; i++)
    {
      message[i / 8] ^= 1u << (i % 8);
      g_assert_false (tf_crypto_verify (public_b64, (const guint8 *) message, len, signature,
                                        &error));
      g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
      g_clear_error (&error);
      message[i / 8] ^= 1u << (i % 8);
    }

  /* A shorter message is another message. */
  g_assert_false (tf_crypto_verify (public_b64, (const guint8 *) message, len - 1, signature,
                                    &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
}

static void
test_sign_wrong_key (void)
{
  g_autofree char *public1 = NULL;
  g_autofree char *public2 = NULL;
  g_autoptr(TfSecret) secret1 = NULL;
  g_autoptr(TfSecret) secret2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;

  new_sign_keypair (&public1, &secret1);
  new_sign_keypair (&public2, &secret2);
  signature = tf_crypto_sign (secret1, (const guint8 *) NOTE, strlen (NOTE));

  g_assert_false (tf_crypto_verify (public2, (const guint8 *) NOTE, strlen (NOTE), signature,
                                    &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_BAD_SIGNATURE);
}

static void
test_sign_malformed (void)
{
  static const guint8 zeros[64] = { 0 };
  g_autofree char *public_b64 = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *short_signature = g_base64_encode (zeros, 63);

  new_sign_keypair (&public_b64, &secret);
  signature = tf_crypto_sign (secret, (const guint8 *) NOTE, strlen (NOTE));

  g_assert_false (tf_crypto_verify (public_b64, (const guint8 *) NOTE, strlen (NOTE),
                                    short_signature, &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_false (tf_crypto_verify (public_b64, (const guint8 *) NOTE, strlen (NOTE), "", &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_false (tf_crypto_verify ("not a key", (const guint8 *) NOTE, strlen (NOTE), signature,
                                    &error));
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
}

/* ------------------------------------------------------------------------ */
/* Fingerprints                                                             */
/* ------------------------------------------------------------------------ */

static void
test_fingerprint_kat (void)
{
  const char *one[] = { KAT_KEY1_B64, NULL };
  const char *both[] = { KAT_KEY1_B64, KAT_KEY2_B64, NULL };
  const char *reversed[] = { KAT_KEY2_B64, KAT_KEY1_B64, NULL };
  g_autofree char *fp1 = tf_crypto_fingerprint (one);
  g_autofree char *fp12 = tf_crypto_fingerprint (both);
  g_autofree char *fp21 = tf_crypto_fingerprint (reversed);

  g_assert_cmpstr (fp1, ==, KAT_FINGERPRINT1);
  g_assert_cmpstr (fp12, ==, KAT_FINGERPRINT12);
  g_assert_cmpstr (fp21, ==, KAT_FINGERPRINT21);
}

static void
test_fingerprint_invalid (void)
{
  static const guint8 zeros[33] = { 0 };
  g_autofree char *short_key = g_base64_encode (zeros, 31);
  g_autofree char *long_key = g_base64_encode (zeros, 33);
  const char *not_base64[] = { KAT_KEY1_B64, "not base64", NULL };
  const char *too_short[] = { short_key, NULL };
  const char *too_long[] = { long_key, NULL };

  g_assert_null (tf_crypto_fingerprint (not_base64));
  g_assert_null (tf_crypto_fingerprint (too_short));
  g_assert_null (tf_crypto_fingerprint (too_long));
}

/* ------------------------------------------------------------------------ */
/* Password derivation                                                      */
/* ------------------------------------------------------------------------ */

static const guint8 salt_a[TF_CRYPTO_SALT_BYTES] = "0123456789abcde";
static const guint8 salt_b[TF_CRYPTO_SALT_BYTES] = "0123456789abcdf";

static void
test_kdf_deterministic (void)
{
  g_autoptr(TfSecret) auth1 = NULL;
  g_autoptr(TfSecret) kek1 = NULL;
  g_autoptr(TfSecret) auth2 = NULL;
  g_autoptr(TfSecret) kek2 = NULL;

  derive ("correct horse", salt_a, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth1, &kek1);
  derive ("correct horse", salt_a, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth2, &kek2);

  g_assert_true (tf_secret_equal (auth1, auth2));
  g_assert_true (tf_secret_equal (kek1, kek2));
}

static void
test_kdf_different_inputs (void)
{
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfSecret) auth_salt = NULL;
  g_autoptr(TfSecret) kek_salt = NULL;
  g_autoptr(TfSecret) auth_pw = NULL;
  g_autoptr(TfSecret) kek_pw = NULL;
  g_autoptr(TfSecret) auth_cost = NULL;
  g_autoptr(TfSecret) kek_cost = NULL;

  derive ("correct horse", salt_a, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth, &kek);
  derive ("correct horse", salt_b, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth_salt, &kek_salt);
  derive ("correct horsf", salt_a, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth_pw, &kek_pw);
  derive ("correct horse", salt_a, TEST_OPSLIMIT + 1, TEST_MEMLIMIT, &auth_cost, &kek_cost);

  g_assert_false (tf_secret_equal (auth, auth_salt));
  g_assert_false (tf_secret_equal (kek, kek_salt));
  g_assert_false (tf_secret_equal (auth, auth_pw));
  g_assert_false (tf_secret_equal (kek, kek_pw));
  g_assert_false (tf_secret_equal (auth, auth_cost));
  g_assert_false (tf_secret_equal (kek, kek_cost));
}

/* The auth key is the first half of Argon2id13's 64 bytes, the KEK the
 * second: checked against libsodium directly. */
static void
test_kdf_split (void)
{
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfSecret) kek = NULL;
  guint8 raw[64];
  const char *password = "Κωδικός πρόσβασης";

  derive (password, salt_a, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth, &kek);
  g_assert_false (tf_secret_equal (auth, kek));

  g_assert_cmpint (crypto_pwhash (raw, sizeof raw, password, strlen (password), salt_a,
                                  TEST_OPSLIMIT, TEST_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13),
                   ==, 0);
  g_assert_cmpmem (tf_secret_get_data (auth), 32, raw, 32);
  g_assert_cmpmem (tf_secret_get_data (kek), 32, raw + 32, 32);
  sodium_memzero (raw, sizeof raw);
}

static void
test_kdf_limits_refused (void)
{
  struct
  {
    guint64 opslimit;
    gsize   memlimit;
  } refused[] = {
    { 0, TEST_MEMLIMIT },
    { crypto_pwhash_argon2id_OPSLIMIT_MIN - 1, TEST_MEMLIMIT },
    { TEST_OPSLIMIT, 0 },
    { TEST_OPSLIMIT, crypto_pwhash_argon2id_MEMLIMIT_MIN - 1 },
    { G_MAXUINT64, TEST_MEMLIMIT },
  };
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfSecret) kek = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (tf_crypto_derive_keys ("pw", salt_a, refused[i].opslimit,
                                             refused[i].memlimit, &auth, &kek, &error));
      g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT);
      g_assert_null (auth);
      g_assert_null (kek);
    }

  /* libsodium's minimum itself is accepted. */
  derive ("pw", salt_a, crypto_pwhash_argon2id_OPSLIMIT_MIN, crypto_pwhash_argon2id_MEMLIMIT_MIN,
          &auth, &kek);
}

static void
test_kdf_default_cost (void)
{
  g_autoptr(TfSecret) auth = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfSecret) cheap_auth = NULL;
  g_autoptr(TfSecret) cheap_kek = NULL;

  derive ("correct horse", salt_a, TF_CRYPTO_KDF_OPSLIMIT_DEFAULT, TF_CRYPTO_KDF_MEMLIMIT_DEFAULT,
          &auth, &kek);
  derive ("correct horse", salt_a, TEST_OPSLIMIT, TEST_MEMLIMIT, &cheap_auth, &cheap_kek);

  g_assert_false (tf_secret_equal (auth, kek));
  g_assert_false (tf_secret_equal (auth, cheap_auth));
  g_assert_false (tf_secret_equal (kek, cheap_kek));
}

static void
test_random_salt (void)
{
  guint8 a[TF_CRYPTO_SALT_BYTES];
  guint8 b[TF_CRYPTO_SALT_BYTES];

  tf_crypto_random_salt (a);
  tf_crypto_random_salt (b);
  g_assert_true (memcmp (a, b, sizeof a) != 0);
}

/* "Μαρία" typed with a precomposed ί (U+03AF) and as ι + combining acute
 * (U+03B9 U+0301): one password, one set of keys.  The bytes as typed still
 * derive what they always did, for keys made before normalisation. */
#define MARIA_PRECOMPOSED "\xce\x9c\xce\xb1\xcf\x81\xce\xaf\xce\xb1"
#define MARIA_DECOMPOSED  "\xce\x9c\xce\xb1\xcf\x81\xce\xb9\xcc\x81\xce\xb1"

static void
test_keys_nfc (void)
{
  g_autoptr(JsonObject) kdf = tf_keys_new_kdf (TF_KEYS_KDF_OPSLIMIT_FLOOR,
                                               TF_KEYS_KDF_MEMLIMIT_FLOOR);
  g_autoptr(TfSecret) auth_a = NULL, kek_a = NULL, auth_b = NULL, kek_b = NULL;
  g_autoptr(TfSecret) auth_typed = NULL, kek_typed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (MARIA_PRECOMPOSED, !=, MARIA_DECOMPOSED);
  g_assert_true (tf_keys_password_is_normalized (MARIA_PRECOMPOSED));
  g_assert_false (tf_keys_password_is_normalized (MARIA_DECOMPOSED));
  g_assert_true (tf_keys_password_is_normalized ("\xff not UTF-8"));

  g_assert_true (tf_keys_derive (kdf, MARIA_PRECOMPOSED, &auth_a, &kek_a, &error));
  g_assert_true (tf_keys_derive (kdf, MARIA_DECOMPOSED, &auth_b, &kek_b, &error));
  g_assert_no_error (error);
  g_assert_true (tf_secret_equal (auth_a, auth_b));
  g_assert_true (tf_secret_equal (kek_a, kek_b));

  g_assert_true (tf_keys_derive_as_typed (kdf, MARIA_DECOMPOSED, &auth_typed, &kek_typed,
                                          &error));
  g_assert_no_error (error);
  g_assert_false (tf_secret_equal (auth_a, auth_typed));
  g_assert_false (tf_secret_equal (kek_a, kek_typed));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  g_assert_true (tf_crypto_init (&error));
  g_assert_no_error (error);
  g_assert_true (tf_crypto_init (&error)); /* idempotent */

  g_test_add_func ("/tf/crypto/secret/equal", test_secret_equal);
  g_test_add_func ("/tf/crypto/secret/new", test_secret_new);
  g_test_add_func ("/tf/crypto/secret/free-null", test_secret_free_null);

  g_test_add_func ("/tf/crypto/field/round-trip", test_field_round_trip);
  g_test_add_func ("/tf/crypto/field/fresh-nonce", test_field_fresh_nonce);
  g_test_add_func ("/tf/crypto/field/kat", test_field_kat);
  g_test_add_func ("/tf/crypto/field/kat-raw", test_field_kat_raw);
  g_test_add_func ("/tf/crypto/field/flipped-bit-bytes", test_field_flipped_bit_bytes);
  g_test_add_func ("/tf/crypto/field/flipped-bit-text", test_field_flipped_bit_text);
  g_test_add_func ("/tf/crypto/field/wrong-key", test_field_wrong_key);
  g_test_add_func ("/tf/crypto/field/moved", test_field_moved);
  g_test_add_func ("/tf/crypto/field/truncated", test_field_truncated);
  g_test_add_func ("/tf/crypto/field/not-envelope", test_field_not_envelope);
  g_test_add_func ("/tf/crypto/field/not-text", test_field_not_text);
  g_test_add_func ("/tf/crypto/field/is-envelope", test_field_is_envelope);

  g_test_add_func ("/tf/crypto/wrap/round-trip", test_wrap_round_trip);
  g_test_add_func ("/tf/crypto/wrap/wrong-purpose", test_wrap_wrong_purpose);
  g_test_add_func ("/tf/crypto/wrap/wrong-key", test_wrap_wrong_key);
  g_test_add_func ("/tf/crypto/wrap/not-a-field", test_wrap_not_a_field);

  g_test_add_func ("/tf/crypto/recovery/round-trip", test_recovery_round_trip);
  g_test_add_func ("/tf/crypto/recovery/kat", test_recovery_kat);
  g_test_add_func ("/tf/crypto/recovery/lenient", test_recovery_lenient);
  g_test_add_func ("/tf/crypto/recovery/checksum", test_recovery_checksum);
  g_test_add_func ("/tf/crypto/recovery/padding-bits", test_recovery_padding_bits);
  g_test_add_func ("/tf/crypto/recovery/invalid", test_recovery_invalid);

  g_test_add_func ("/tf/crypto/seal/round-trip", test_seal_round_trip);
  g_test_add_func ("/tf/crypto/seal/wrong-recipient", test_seal_wrong_recipient);
  g_test_add_func ("/tf/crypto/seal/tampered", test_seal_tampered);
  g_test_add_func ("/tf/crypto/seal/bad-public-key", test_seal_bad_public_key);

  g_test_add_func ("/tf/crypto/sign/round-trip", test_sign_round_trip);
  g_test_add_func ("/tf/crypto/sign/tampered-signature", test_sign_tampered_signature);
  g_test_add_func ("/tf/crypto/sign/tampered-message", test_sign_tampered_message);
  g_test_add_func ("/tf/crypto/sign/wrong-key", test_sign_wrong_key);
  g_test_add_func ("/tf/crypto/sign/malformed", test_sign_malformed);

  g_test_add_func ("/tf/crypto/fingerprint/kat", test_fingerprint_kat);
  g_test_add_func ("/tf/crypto/fingerprint/invalid", test_fingerprint_invalid);

  g_test_add_func ("/tf/crypto/kdf/deterministic", test_kdf_deterministic);
  g_test_add_func ("/tf/crypto/kdf/different-inputs", test_kdf_different_inputs);
  g_test_add_func ("/tf/crypto/kdf/split", test_kdf_split);
  g_test_add_func ("/tf/crypto/kdf/limits-refused", test_kdf_limits_refused);
  g_test_add_func ("/tf/crypto/kdf/default-cost", test_kdf_default_cost);
  g_test_add_func ("/tf/crypto/kdf/random-salt", test_random_salt);
  g_test_add_func ("/tf/keys/password-nfc", test_keys_nfc);

  return g_test_run ();
}
