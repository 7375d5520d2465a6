/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-amka.c: the ΑΜΚΑ (Greek social security number) check, alone and as
 * a column format (TF_FORMAT_AMKA) — on a plain column through the wire
 * validation, and on an encrypted column through the device's plaintext
 * check, where the server cannot see it.
 *
 * The valid numbers were worked out by hand from the rule (DDMMYY, four
 * digits, Luhn check digit), not by the code under test.  For 15038512347,
 * from the right: the digits in odd places 7,3,1,8,0,1 sum to 20; those in
 * even places 4,2,5,3,5 doubled are 8,4,10,6,10, whose digits sum to 20;
 * 40 is a multiple of ten.
 */
#define G_LOG_DOMAIN "tf-validate"

#include "config.h"

#include <glib.h>
#include <string.h>

#include "tf-error.h"
#include "tf-registry.h"
#include "tf-validate.h"

/* Worked by the rule: each is DDMMYY + four digits + the Luhn digit. */
static const char * const valid[] = {
  "15038512347", /* 15 March 85 */
  "01010000014", /* 1 January 00 */
  "29020004569", /* 29 February 00: 2000 was a leap year */
  "29028400777", /* 29 February 84 */
  "31129912346", /* 31 December 99 */
  "01020304059",
};

static void
assert_refused (const char *amka, const char *why)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tf_validate_amka (amka, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "not a valid AMKA"));
  g_assert_nonnull (strstr (error->message, why));
  /* A personal identifier stays out of messages, which may be logged. */
  if (amka != NULL && *amka != '\0')
    g_assert_null (strstr (error->message, amka));
}

static void
test_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (tf_validate_amka (valid[i], &error));
      g_assert_no_error (error);
    }
}

static void
test_length_and_digits (void)
{
  assert_refused (NULL, "exactly 11 digits");
  assert_refused ("", "exactly 11 digits");
  assert_refused ("1503851234", "exactly 11 digits");     /* ten */
  assert_refused ("150385123470", "exactly 11 digits");   /* twelve */
  assert_refused ("15038512A47", "exactly 11 digits");    /* a letter */
  assert_refused ("150385 1234", "exactly 11 digits");    /* a space */
  assert_refused ("15038512347\n", "exactly 11 digits");  /* a trailing newline */
  assert_refused ("-1503851234", "exactly 11 digits");
  assert_refused ("١٥٠٣٨٥١٢٣٤٧", "exactly 11 digits");   /* Arabic-Indic digits */
}

static void
test_bad_date (void)
{
  /* Each has a correct Luhn digit, so only the date can be wrong. */
  assert_refused ("00038512349", "not a date");  /* day 00 */
  assert_refused ("32018512346", "not a date");  /* 32 January */
  assert_refused ("15008512343", "not a date");  /* month 00 */
  assert_refused ("15138512346", "not a date");  /* month 13 */
  assert_refused ("31048512342", "not a date");  /* 31 April */
  assert_refused ("30028512348", "not a date");  /* 30 February */
  assert_refused ("29028512340", "not a date");  /* 29 February 85: not a leap year */
}

static void
test_bad_check_digit (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    for (char d = '0'; d <= '9'; d++)
      {
        char amka[12];

        memcpy (amka, valid[i], sizeof amka);
        if (amka[10] == d)
          continue;
        amka[10] = d;
        assert_refused (amka, "check digit does not match");
      }
  /* Two neighbours swapped: Luhn catches it. */
  assert_refused ("15038512437", "check digit does not match");
}

static const TfColumn plain_columns[] = {
  { .name = "amka", .type = TF_COLUMN_TEXT, .max_length = 11, .format = TF_FORMAT_AMKA },
};
static const TfTable plain_table = {
  .name = "amka_plain", .columns = plain_columns, .n_columns = 1,
};
static const TfColumn secret_columns[] = {
  { .name = "amka", .type = TF_COLUMN_TEXT, .max_length = 11, .format = TF_FORMAT_AMKA,
    .flags = TF_COLUMN_ENCRYPTED },
};
static const TfTable secret_table = {
  .name = "amka_secret", .columns = secret_columns, .n_columns = 1,
};

static void
test_plain_column (void)
{
  g_autoptr(JsonNode) good = json_node_init_string (json_node_alloc (), valid[0]);
  g_autoptr(JsonNode) bad = json_node_init_string (json_node_alloc (), "15038512348");
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_validate_value (&plain_table, &plain_columns[0], good, &error));
  g_assert_no_error (error);
  g_assert_false (tf_validate_value (&plain_table, &plain_columns[0], bad, &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
  /* The message names the field. */
  g_assert_true (g_str_has_prefix (error->message, "amka: not a valid AMKA"));
}

static void
test_encrypted_column (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_validate_plaintext (&secret_table, &secret_columns[0], valid[1], &error));
  g_assert_no_error (error);
  /* NULL is no value: an AMKA is optional. */
  g_assert_true (tf_validate_plaintext (&secret_table, &secret_columns[0], NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tf_validate_plaintext (&secret_table, &secret_columns[0], "31048512342",
                                         &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "amka: not a valid AMKA"));
  g_assert_nonnull (strstr (error->message, "not a date"));
  g_clear_error (&error);
  /* Too long is still too long, before the format. */
  g_assert_false (tf_validate_plaintext (&secret_table, &secret_columns[0], "150385123470",
                                         &error));
  g_assert_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/amka/valid", test_valid);
  g_test_add_func ("/tf/amka/length-and-digits", test_length_and_digits);
  g_test_add_func ("/tf/amka/bad-date", test_bad_date);
  g_test_add_func ("/tf/amka/bad-check-digit", test_bad_check_digit);
  g_test_add_func ("/tf/amka/plain-column", test_plain_column);
  g_test_add_func ("/tf/amka/encrypted-column", test_encrypted_column);

  return g_test_run ();
}
