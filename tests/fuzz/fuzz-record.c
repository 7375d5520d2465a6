/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-record.c: the record and mutation decoder with the registry's
 * validation (common/tf-record.c, tf-validate.c, tf-registry.c), as the
 * server runs it on every pushed mutation and the device on every pulled
 * record.
 *
 * The input is JSON text, decoded as a record and as a mutation.  Beyond not
 * crashing, the decoder keeps two promises that are checked here: a refusal
 * always comes with a GError, and what it accepts is canonical, so encoding
 * it and decoding that again gives the same text (both ends of a sync agree
 * byte for byte on what a record is).  The same text also goes through the
 * device's check of a decrypted JSON column (diagnosis codes).
 */
#define G_LOG_DOMAIN "fuzz-record"

#include "config.h"

#include "tf-fuzz.h"
#include "tf-record.h"
#include "tf-validate.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

typedef gpointer (*DecodeFunc) (JsonNode *node, GError **error);
typedef JsonNode *(*EncodeFunc) (gconstpointer value);

/* @encoded (a record or mutation the decoder accepted, encoded again) as
 * text, decoded by @decode and encoded by @encode once more: the two texts
 * must be the same. */
static void
check_round_trip (const char *what, JsonNode *encoded, DecodeFunc decode, EncodeFunc encode,
                  GDestroyNotify free_decoded)
{
  g_autofree char *text = tf_json_to_string (encoded);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) again = tf_json_parse (text, -1, &error);
  g_autoptr(JsonNode) encoded2 = NULL;
  g_autofree char *text2 = NULL;
  gpointer decoded;

  if (again == NULL)
    g_error ("an accepted %s does not parse again: %s\n%s", what, error->message, text);
  decoded = decode (again, &error);
  if (decoded == NULL)
    g_error ("an accepted %s is refused when sent again: %s\n%s", what, error->message, text);
  encoded2 = encode (decoded);
  free_decoded (decoded);
  text2 = tf_json_to_string (encoded2);
  if (g_strcmp0 (text, text2) != 0)
    g_error ("a %s is not canonical:\n%s\n%s", what, text, text2);
}

static void
decode_record (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfRecord) record = tf_record_from_json (root, &error);

  if (record == NULL)
    {
      if (error == NULL)
        g_error ("a record was refused without an error");
      return;
    }
  g_assert (error == NULL);
  {
    g_autoptr(JsonNode) encoded = tf_record_to_json (record);
    check_round_trip ("record", encoded, (DecodeFunc) tf_record_from_json,
                      (EncodeFunc) tf_record_to_json, (GDestroyNotify) tf_record_free);
  }
}

static void
decode_mutation (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) field_error = NULL;
  g_autoptr(TfMutation) mutation = tf_mutation_from_json_split (root, &field_error, &error);

  if (mutation == NULL)
    {
      if (error == NULL)
        g_error ("a mutation was refused without an error");
      return;
    }
  g_assert (error == NULL);
  /* An upsert either has its fields or the reason they were refused. */
  if (mutation->op == TF_MUTATION_UPSERT && (mutation->fields == NULL) != (field_error != NULL))
    g_error ("an upsert has %s fields and %s error", mutation->fields ? "its" : "no",
             field_error ? "an" : "no");
  if (field_error == NULL)
    {
      g_autoptr(JsonNode) encoded = tf_mutation_to_json (mutation);
      check_round_trip ("mutation", encoded, (DecodeFunc) tf_mutation_from_json,
                        (EncodeFunc) tf_mutation_to_json, (GDestroyNotify) tf_mutation_free);
    }
}

static void
check_plaintext (const char *text)
{
  const TfTable *plans = tf_registry_lookup ("treatment_plans");
  const TfColumn *codes = tf_table_get_column (plans, "diagnosis_codes");
  g_autoptr(GError) error = NULL;

  if (!tf_validate_plaintext (plans, codes, text, &error) && error == NULL)
    g_error ("diagnosis codes refused without an error");
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = tf_fuzz_strndup (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  tf_fuzz_init (FALSE);
  root = tf_json_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      if (error == NULL)
        g_error ("JSON refused without an error");
    }
  else
    {
      decode_record (root);
      decode_mutation (root);
    }
  /* The device's check reads a NUL-terminated plaintext. */
  check_plaintext (text);
  return 0;
}
