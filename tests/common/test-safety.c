/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-safety.c: tests of tf-safety, the safety numbers two people compare.
 *
 * The golden vectors were computed outside this project with Python's
 * hashlib (BLAKE2b, 20 bytes) from tf-safety.h alone, and the word lists are
 * pinned by their SHA-256: a change to the order of the keys, the spelling
 * or a single word fails here, since it would make two devices disagree.
 */
#define G_LOG_DOMAIN "test-safety"

#include "config.h"

#include <string.h>

#include <glib.h>

#include "tf-crypto.h"
#include "tf-safety.h"

#define USER_A "0f8c2b6e-1d3a-4c5b-9e7f-112233445566"
#define USER_B "8a9b0c1d-2e3f-4a5b-8c6d-778899aabbcc"
/* Bytes 0..31, 32..63, 64..95 and 96..127. */
#define IDENTITY_A "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
#define SIGNING_A "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
#define IDENTITY_B "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8="
#define SIGNING_B "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8="

#define GOLDEN_NUMBER "E699 2372 AB02 2447 B34F 6D60 32FB AB70 7A11 ADEF"
#define GOLDEN_DIGITS "59033 09074 43778 09287 45903 28000 13051 43888 31249 44527"
#define GOLDEN_WORDS_EN                                                                            \
  "wagon palace carrot ladder potato arrow castle duck rice field jungle harbor coin bee potato "  \
  "kite lion blanket puzzle wool"
#define GOLDEN_WORDS_EL                                                                            \
  "άμαξα παλάτι καρότο σκάλα πατάτα βέλος κάστρο πάπια ρύζι χωράφι ζούγκλα λιμάνι νόμισμα "         \
  "μέλισσα πατάτα χαρταετός λιοντάρι κουβέρτα παζλ μαλλί"
#define GOLDEN_QR                                                                                  \
  "tfsafety1:" USER_A ":" USER_B ":e6992372ab022447b34f6d6032fbab707a11adef"
/* SHA-256 of each list, one word and "\n" per entry. */
#define LIST_SHA256_EN "5b0798578143ccad6cfddca8444c420bb0c10999c0f374fefbc4ff830c36c5bf"
#define LIST_SHA256_EL "b5f3f37fd83a4c7f43803bb5925124b8886b13466375c51e33c82df1d9a554ba"

static void
test_golden (void)
{
  g_autofree char *number = tf_safety_number (USER_A, IDENTITY_A, SIGNING_A,
                                              USER_B, IDENTITY_B, SIGNING_B);
  g_autofree char *digits = tf_safety_digits (number);
  g_auto(GStrv) en = tf_safety_words (number, "en");
  g_auto(GStrv) el = tf_safety_words (number, "el_GR.UTF-8");
  g_autofree char *en_text = g_strjoinv (" ", en);
  g_autofree char *el_text = g_strjoinv (" ", el);
  g_autofree char *qr = tf_safety_qr_text (number, USER_B, USER_A);

  g_assert_cmpstr (number, ==, GOLDEN_NUMBER);
  g_assert_cmpstr (digits, ==, GOLDEN_DIGITS);
  g_assert_cmpstr (en_text, ==, GOLDEN_WORDS_EN);
  g_assert_cmpstr (el_text, ==, GOLDEN_WORDS_EL);
  g_assert_cmpstr (qr, ==, GOLDEN_QR);
}

/* Both sides get the same number, whoever asks and however the ids are
 * spelt. */
static void
test_both_sides (void)
{
  g_autofree char *mine = tf_safety_number (USER_A, IDENTITY_A, SIGNING_A,
                                            USER_B, IDENTITY_B, SIGNING_B);
  g_autofree char *theirs = tf_safety_number (USER_B, IDENTITY_B, SIGNING_B,
                                              USER_A, IDENTITY_A, SIGNING_A);
  g_autofree char *upper_b = g_ascii_strup (USER_B, -1);
  g_autofree char *upper = tf_safety_number (upper_b, IDENTITY_B, SIGNING_B,
                                             USER_A, IDENTITY_A, SIGNING_A);
  g_auto(GStrv) words_mine = tf_safety_words (mine, "el");
  g_auto(GStrv) words_theirs = tf_safety_words (theirs, "el");

  g_assert_cmpstr (mine, ==, theirs);
  g_assert_cmpstr (mine, ==, upper);
  g_assert_true (g_strv_equal ((const char * const *) words_mine,
                               (const char * const *) words_theirs));
}

/* Any key of either side changed, or the keys of one side swapped, or given
 * to the other user, gives another number. */
static void
test_any_change (void)
{
  g_autofree char *golden = tf_safety_number (USER_A, IDENTITY_A, SIGNING_A,
                                              USER_B, IDENTITY_B, SIGNING_B);
  const char *variants[][6] = {
    { USER_A, SIGNING_A, IDENTITY_A, USER_B, IDENTITY_B, SIGNING_B },
    { USER_A, IDENTITY_A, SIGNING_A, USER_B, SIGNING_B, IDENTITY_B },
    { USER_A, IDENTITY_B, SIGNING_B, USER_B, IDENTITY_A, SIGNING_A },
    { USER_A, IDENTITY_A, SIGNING_B, USER_B, IDENTITY_B, SIGNING_A },
    { USER_A, IDENTITY_A, SIGNING_A, USER_B, IDENTITY_B,
      "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn4=" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      const char **v = variants[i];
      g_autofree char *other = tf_safety_number (v[0], v[1], v[2], v[3], v[4], v[5]);

      g_assert_nonnull (other);
      g_assert_cmpstr (other, !=, golden);
    }
}

static void
test_refused (void)
{
  g_assert_null (tf_safety_number (USER_A, IDENTITY_A, SIGNING_A, USER_A, IDENTITY_B, SIGNING_B));
  g_assert_null (tf_safety_number ("me", IDENTITY_A, SIGNING_A, USER_B, IDENTITY_B, SIGNING_B));
  g_assert_null (tf_safety_number (USER_A, "AAEC", SIGNING_A, USER_B, IDENTITY_B, SIGNING_B));
  g_assert_null (tf_safety_digits ("E699 2372"));
  g_assert_null (tf_safety_digits (GOLDEN_NUMBER " 00"));
  g_assert_null (tf_safety_digits ("X699 2372 AB02 2447 B34F 6D60 32FB AB70 7A11 ADEF"));
  g_assert_null (tf_safety_words (NULL, "en"));
}

/* 256 distinct words per language, each one word of letters; in Greek no
 * two differ only in their accents. */
static void
check_list (const char *language, const char *sha256)
{
  const char * const *list = tf_safety_word_list (language);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *checksum = NULL;

  for (guint i = 0; i < 256; i++)
    {
      g_autofree char *bare = g_utf8_normalize (list[i], -1, G_NORMALIZE_NFD);
      GString *stripped = g_string_new (NULL);

      g_assert_nonnull (list[i]);
      g_assert_true (g_utf8_validate (list[i], -1, NULL));
      for (const char *p = list[i]; *p != '\0'; p = g_utf8_next_char (p))
        g_assert_true (g_unichar_isalpha (g_utf8_get_char (p)));
      for (const char *p = bare; *p != '\0'; p = g_utf8_next_char (p))
        if (g_unichar_combining_class (g_utf8_get_char (p)) == 0)
          g_string_append_unichar (stripped, g_utf8_get_char (p));
      g_assert_false (g_hash_table_contains (seen, stripped->str));
      g_hash_table_add (seen, g_string_free (stripped, FALSE));
      g_string_append (all, list[i]);
      g_string_append_c (all, '\n');
    }
  checksum = g_compute_checksum_for_string (G_CHECKSUM_SHA256, all->str, (gssize) all->len);
  g_assert_cmpstr (checksum, ==, sha256);
}

static void
test_word_lists (void)
{
  check_list ("en", LIST_SHA256_EN);
  check_list ("el", LIST_SHA256_EL);
  /* Anything but Greek is English; "elx" is not Greek. */
  g_assert_true (tf_safety_word_list ("de_DE.UTF-8") == tf_safety_word_list ("en"));
  g_assert_true (tf_safety_word_list ("elx") == tf_safety_word_list ("en"));
  g_assert_true (tf_safety_word_list (NULL) == tf_safety_word_list ("en"));
  g_assert_true (tf_safety_word_list ("el-GR") == tf_safety_word_list ("el"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));

  g_test_add_func ("/tf/safety/golden", test_golden);
  g_test_add_func ("/tf/safety/both-sides", test_both_sides);
  g_test_add_func ("/tf/safety/any-change", test_any_change);
  g_test_add_func ("/tf/safety/refused", test_refused);
  g_test_add_func ("/tf/safety/word-lists", test_word_lists);

  return g_test_run ();
}
