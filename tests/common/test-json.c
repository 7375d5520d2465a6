/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-json.c: the strict JSON check before json-glib (tf-json-check) and
 * what tf_json_parse makes of hostile text: nesting that would overflow
 * json-glib's recursive parser, the leniencies json-glib has, strings it
 * would cut at "\u0000" or turn into invalid UTF-8, numbers it would wrap;
 * the corpus in tests/data/json-corpus; and every format validator with a
 * trailing newline (GRegex's "$" matched before it).
 */
#include "config.h"

#include <string.h>

#include "tf-error.h"
#include "tf-json-check.h"
#include "tf-record.h"
#include "tf-registry.h"
#include "tf-validate.h"

static JsonNode *
parse_len (const char *text, gssize len, GError **error)
{
  return tf_json_parse (text, len, error);
}

static void
assert_refused (const char *text, gssize len, int code, const char *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = parse_len (text, len, &error);

  if (node != NULL)
    g_error ("accepted: %s", text);
  if (!g_error_matches (error, TF_PROTOCOL_ERROR, code))
    g_error ("%s: expected code %d, got %s/%d: %s", text, code,
             g_quark_to_string (error->domain), error->code, error->message);
  if (in_message != NULL && strstr (error->message, in_message) == NULL)
    g_error ("%s: “%s” not in “%s”", text, in_message, error->message);
  /* Every message is valid UTF-8: it goes into a JSON answer. */
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static JsonNode *
assert_parses (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = tf_json_parse (text, -1, &error);

  if (node == NULL)
    g_error ("refused: %s: %s", text, error->message);
  return node;
}

static void
test_depth (void)
{
  const gsize n = 1000000;
  g_autofree char *deep = g_malloc (2 * n);
  g_autoptr(GString) objects = g_string_new (NULL);
  g_autoptr(GString) limit = g_string_new (NULL);

  /* A million "[" (json-glib overflows the stack at about 66,000). */
  memset (deep, '[', n);
  memset (deep + n, ']', n);
  assert_refused (deep, (gssize) (2 * n), TF_PROTOCOL_ERROR_BAD_JSON, "64");
  assert_refused (deep, (gssize) n, TF_PROTOCOL_ERROR_BAD_JSON, "64");
  for (int i = 0; i < 100000; i++)
    g_string_append (objects, "{\"a\":");
  assert_refused (objects->str, -1, TF_PROTOCOL_ERROR_BAD_JSON, "64");

  /* Exactly the limit passes; one more does not. */
  for (int i = 0; i < TF_JSON_MAX_DEPTH; i++)
    g_string_append_c (limit, '[');
  for (int i = 0; i < TF_JSON_MAX_DEPTH; i++)
    g_string_append_c (limit, ']');
  g_clear_pointer (&deep, g_free);
  {
    g_autoptr(JsonNode) ok = assert_parses (limit->str);
    g_string_prepend_c (limit, '[');
    g_string_append_c (limit, ']');
    assert_refused (limit->str, -1, TF_PROTOCOL_ERROR_BAD_JSON, "64");
  }
}

/* What json-glib 1.6 takes although it is not JSON. */
static void
test_lenient_forms_refused (void)
{
  static const char * const bad[] = {
    "{'a': 1}", "{\"a\": 0x10}", "{\"a\": 01}", "{\"a\": .5}", "{\"a\": 1.}", "{\"a\": -}",
    "{\"a\": 1}{}", "{\"a\": 1} x", "/*c*/{\"a\":1}", "{\"a\":1}//c", "{\"a\": \"\\x41\"}",
    "{\"a\": \"\\'\"}", "{\"a\": \"\t\"}", "{\"a\": \"\n\"}", "\xef\xbb\xbf{\"a\":1}", "",
    "   ", "{\"a\": 1,}", "[1,]", "[,1]", "{,}", "{\"a\"::1}", "{\"a\" 1}", "{a: 1}",
    "[1 2]", "{\"a\": TRUE}", "{\"a\": nul}", "{\"a\": NaN}", "{\"a\": Infinity}",
    "{\"a\": \"\\u00\"}", "{\"a\": \"\\u00g0\"}", "{\"a\": 1e}", "{\"a\": 1e+}", "{\"a\": -01}",
    "{\"a\":1,\"a\":2}", "{\"a\": {\"b\": 1, \"b\": 1}}", "{\"\\u0061\": 1, \"a\": 2}",
    "{\"a\": \"x\xc3\x28\"}", "{\"a\": \"\xed\xa0\x80\"}", "{\"a\": \"\xc0\xaf\"}",
    "{\"a\": \"\xf4\x90\x80\x80\"}", "{\"a\": \"\xe2\x82\"}", "{\"a\": 1}\xe9", "]", "}",
    "[1}", "{\"a\": [}]}", "\"unterminated", "\"\\",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], -1, TF_PROTOCOL_ERROR_BAD_JSON, NULL);
  /* A NUL byte, raw. */
  assert_refused ("{\"a\": \"x\0y\"}", 12, TF_PROTOCOL_ERROR_BAD_JSON, NULL);
  assert_refused ("{\"a\": 1}\0", 9, TF_PROTOCOL_ERROR_BAD_JSON, NULL);
  /* The offset is given. */
  assert_refused ("{\"a\": 1,}", -1, TF_PROTOCOL_ERROR_BAD_JSON, "byte 8");
  assert_refused ("{\"email\": \"a\", \"email\": \"b\"}", -1, TF_PROTOCOL_ERROR_BAD_JSON,
                  "“email”");
}

static void
test_strings_and_numbers (void)
{
  /* Strings json-glib would cut at U+0000 or make invalid UTF-8 of: the
   * member is named. */
  assert_refused ("{\"schema_version\": 1, \"mutations\": [{\"fields\": {\"title\": "
                  "\"a\\u0000b\"}}]}", -1, TF_PROTOCOL_ERROR_BAD_VALUE,
                  "mutations[0].fields.title: ");
  assert_refused ("{\"first_name\": \"\\ud800\"}", -1, TF_PROTOCOL_ERROR_BAD_VALUE,
                  "first_name: ");
  assert_refused ("{\"a\": \"\\udc00\"}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "a: ");
  assert_refused ("{\"a\": \"\\ud800\\u0041\"}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "a: ");
  assert_refused ("{\"a\": \"\\ud800\\ud800\"}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "a: ");
  assert_refused ("{\"a\": \"\\ud800\"", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "a: ");
  assert_refused ("[\"ok\", \"\\u0000\"]", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "[1]: ");
  assert_refused ("\"\\u0000\"", -1, TF_PROTOCOL_ERROR_BAD_VALUE, NULL);
  assert_refused ("{\"a\\u0000\": 1}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, NULL);
  /* Numbers json-glib would wrap around or make infinite. */
  assert_refused ("{\"n\": 9223372036854775808}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "n: ");
  assert_refused ("{\"n\": -9223372036854775809}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "n: ");
  assert_refused ("{\"n\": 123456789012345678901234567890}", -1, TF_PROTOCOL_ERROR_BAD_VALUE,
                  "n: ");
  assert_refused ("{\"n\": 1e999}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "n: ");
  assert_refused ("{\"n\": -1e999}", -1, TF_PROTOCOL_ERROR_BAD_VALUE, "n: ");

  /* And what is right is parsed as it was meant. */
  {
    g_autoptr(JsonNode) node = assert_parses (
        "{\"max\": 9223372036854775807, \"min\": -9223372036854775808, \"zero\": -0,"
        " \"e\": 1E+2, \"f\": -0.5e-3, \"tiny\": 1e-400, \"big\": 1.7e308,"
        " \"s\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u03b1\\ud83d\\ude00\\uffff\", \"t\": true,"
        " \"u\": null, \"a\": [], \"o\": {}, \"\\u0078\": \"escaped name\", \"δ\": \"ά\"}");
    JsonObject *o = json_node_get_object (node);

    g_assert_cmpint (json_object_get_int_member (o, "max"), ==, G_MAXINT64);
    g_assert_cmpint (json_object_get_int_member (o, "min"), ==, G_MININT64);
    g_assert_cmpint (json_object_get_int_member (o, "zero"), ==, 0);
    g_assert_cmpfloat (json_object_get_double_member (o, "e"), ==, 100.0);
    g_assert_cmpfloat (json_object_get_double_member (o, "f"), ==, -0.0005);
    g_assert_cmpstr (json_object_get_string_member (o, "s"), ==,
                     "\"\\/\b\f\n\r\t\xc3\xa9\xce\xb1\xf0\x9f\x98\x80\xef\xbf\xbf");
    g_assert_cmpstr (json_object_get_string_member (o, "x"), ==, "escaped name");
    g_assert_cmpstr (json_object_get_string_member (o, "δ"), ==, "ά");
  }
  {
    g_autoptr(JsonNode) node = assert_parses (" \t\r\n[1, \"x\", false] \n");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 3);
  }
}

/* A name given twice is found however many members an object has and
 * wherever they are; the same name in two objects is no duplicate. */
static void
test_duplicate_names (void)
{
  g_autoptr(GString) text = g_string_new ("{");
  g_autoptr(GString) siblings = g_string_new ("[");

  for (int i = 0; i < 5000; i++)
    g_string_append_printf (text, "\"k%d\": {\"k%d\": %d}, ", i, i, i);
  {
    g_autoptr(GString) ok = g_string_new (text->str);
    g_autoptr(JsonNode) node = NULL;

    g_string_append (ok, "\"last\": 1}");
    node = assert_parses (ok->str);
  }
  g_string_append (text, "\"k\\u0034\\u0032\": 1}");
  assert_refused (text->str, -1, TF_PROTOCOL_ERROR_BAD_JSON, "“k42”");

  for (int i = 0; i < 1000; i++)
    g_string_append (siblings, "{\"id\": 1, \"table\": 2}, ");
  g_string_append (siblings, "{\"id\": 1}]");
  {
    g_autoptr(JsonNode) node = assert_parses (siblings->str);
  }
}

static void
test_size_limit (void)
{
  g_autoptr(GError) error = NULL;
  gsize n = TF_JSON_MAX_SIZE + 1;
  g_autofree char *big = g_malloc (n);
  g_autoptr(JsonNode) node = NULL;

  memset (big, ' ', n);
  big[0] = '1';
  node = tf_json_parse (big, (gssize) n, &error);
  g_assert_null (node);
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON);
}

/* The plaintext of an encrypted JSON column may come from another person's
 * device: it is parsed as strictly. */
static void
test_plaintext_strict (void)
{
  const TfTable *plans = tf_registry_lookup ("treatment_plans");
  const TfColumn *goals = tf_table_get_column (plans, "treatment_goals");
  g_autofree char *deep = g_strnfill (100000, '[');
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (goals);
  g_assert_false (tf_validate_plaintext (plans, goals, deep, &error));
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON);
  g_clear_error (&error);
  g_assert_false (tf_validate_plaintext (plans, goals, "{'a': 1}", &error));
  g_assert_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON);
}

static GBytes *
read_corpus_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

static void
test_corpus (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("TF_SOURCE_DIR"), "tests", "data",
                                           "json-corpus", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint counted[3] = { 0, 0, 0 };

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      gsize len;
      const char *data;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      bytes = read_corpus_file (dir, name);
      data = g_bytes_get_data (bytes, &len);
      node = tf_json_parse (data ? data : "", (gssize) len, &error);
      if (g_str_has_prefix (name, "syntax-"))
        {
          if (!g_error_matches (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON))
            g_error ("%s: not refused as bad JSON (%s)", name, error ? error->message : "parsed");
          counted[0]++;
        }
      else if (g_str_has_prefix (name, "value-"))
        {
          if (!g_error_matches (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE))
            g_error ("%s: not refused as a bad value (%s)", name,
                     error ? error->message : "parsed");
          counted[1]++;
        }
      else if (g_str_has_prefix (name, "shape-"))
        {
          if (node == NULL)
            g_error ("%s: refused: %s", name, error->message);
          counted[2]++;
        }
      else
        g_error ("%s: the name says neither syntax-, value- nor shape-", name);
    }
  g_assert_cmpuint (counted[0], >=, 40);
  g_assert_cmpuint (counted[1], >=, 10);
  g_assert_cmpuint (counted[2], >=, 10);
}

/* A good value of each column type or format, to which a newline is added. */
static const char *
good_value (const TfColumn *column)
{
  switch (column->format)
    {
    case TF_FORMAT_EMAIL: return "anna@example.org";
    case TF_FORMAT_PHONE: return "+30 210 123 4567";
    case TF_FORMAT_TIMEZONE: return "Europe/Athens";
    case TF_FORMAT_LANGUAGE: return "el";
    case TF_FORMAT_URL: return "https://example.org/anna";
    case TF_FORMAT_AMKA: return "15038512347";
    case TF_FORMAT_NONE:
    case TF_FORMAT_ICD10_LIST:
    default:
      break;
    }
  switch (column->type)
    {
    case TF_COLUMN_UUID: return "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10";
    case TF_COLUMN_DATE: return "2026-11-24";
    case TF_COLUMN_TIME: return "09:30:00";
    case TF_COLUMN_TIMESTAMP: return "2026-11-24T09:30:00Z";
    case TF_COLUMN_MONEY: return "50.00";
    default: return NULL;
    }
}

static void
test_trailing_newline (void)
{
  static const char * const uuids[] = { "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10\n",
                                        "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10\r\n",
                                        "0b6e4c1a-8c3e-4b8e-9a51-3f0f7d2c9e10 ", NULL };
  guint checked = 0;
  guint formats = 0;
  guint n_tables;
  const TfTable *tables = tf_registry_get_tables (&n_tables);

  for (guint i = 0; uuids[i] != NULL; i++)
    g_assert_false (tf_validate_uuid (uuids[i]));
  g_assert_false (tf_validate_email ("anna@example.org\n", NULL));
  g_assert_false (tf_validate_phone ("+30 210 123 4567\n", NULL));
  g_assert_false (tf_validate_phone ("+30\n210", NULL));
  g_assert_false (tf_validate_money ("50.00\n", FALSE, NULL));
  g_assert_false (tf_validate_icd10_code ("F32.1\n", NULL));

  /* Every column of the registry with a format or a typed string. */
  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];

      for (guint c = 0; c < table->n_columns; c++)
        {
          const TfColumn *column = &table->columns[c];
          const char *good = good_value (column);
          g_autofree char *bad = NULL;
          g_autoptr(JsonNode) good_node = NULL, bad_node = NULL;
          g_autoptr(GError) error = NULL;

          if (good == NULL || column->choices != NULL || (column->flags & TF_COLUMN_ENCRYPTED))
            continue;
          bad = g_strconcat (good, "\n", NULL);
          good_node = json_node_init_string (json_node_alloc (), good);
          bad_node = json_node_init_string (json_node_alloc (), bad);
          if (!tf_validate_value (table, column, good_node, &error))
            g_error ("%s.%s: %s refused: %s", table->name, column->name, good, error->message);
          if (tf_validate_value (table, column, bad_node, NULL))
            g_error ("%s.%s: “%s\\n” accepted", table->name, column->name, good);
          checked++;
          formats += column->format != TF_FORMAT_NONE;
        }
    }
  g_assert_cmpuint (checked, >=, 50);
  g_assert_cmpuint (formats, >=, 4);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/json/depth", test_depth);
  g_test_add_func ("/tf/json/lenient-forms-refused", test_lenient_forms_refused);
  g_test_add_func ("/tf/json/strings-and-numbers", test_strings_and_numbers);
  g_test_add_func ("/tf/json/duplicate-names", test_duplicate_names);
  g_test_add_func ("/tf/json/size-limit", test_size_limit);
  g_test_add_func ("/tf/json/plaintext-strict", test_plaintext_strict);
  g_test_add_func ("/tf/json/corpus", test_corpus);
  g_test_add_func ("/tf/validate/trailing-newline", test_trailing_newline);
  return g_test_run ();
}
