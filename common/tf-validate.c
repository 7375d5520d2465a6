/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-validate.c: checks of wire values against the registry.
 *
 * Regular expressions are the seed's domains, compiled once, with "$" at the
 * true end only (GRegex's "$" also matches before a final newline, so
 * "<uuid>\n" passed and reached PostgreSQL).  Lengths count
 * characters, as VARCHAR(n) does.  Numbers are JSON integers only: 5.0 or "5"
 * for an INTEGER column is a wrong type, not a value to coerce.
 */
#define G_LOG_DOMAIN "tf-validate"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-time.h"
#include "tf-record.h"
#include "tf-signed.h"
#include "tf-validate.h"

static GRegex *
regex_once (GRegex **slot, const char *pattern)
{
  if (g_once_init_enter (slot))
    {
      GRegex *re = g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_DOLLAR_ENDONLY, 0, NULL);
      g_assert (re != NULL);
      g_once_init_leave (slot, re);
    }
  return *slot;
}

gboolean
tf_validate_uuid (const char *text)
{
  static GRegex *re;

  return text != NULL &&
         g_regex_match (regex_once (&re, "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                                         "[0-9a-f]{12}$"), text, 0, NULL);
}

gboolean
tf_uuid_is_reserved (const char *uuid)
{
  return g_strcmp0 (uuid, "00000000-0000-0000-0000-000000000000") == 0 ||
         g_ascii_strcasecmp (uuid ? uuid : "", "ffffffff-ffff-ffff-ffff-ffffffffffff") == 0;
}

gboolean
tf_validate_email (const char *text, GError **error)
{
  static GRegex *re;

  if (text != NULL && strlen (text) <= 255 &&
      g_regex_match (regex_once (&re, "^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Z|a-z]{2,}$"),
                     text, 0, NULL))
    return TRUE;
  g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
               _("“%s” is not an e-mail address"), text ? text : "");
  return FALSE;
}

gboolean
tf_validate_phone (const char *text, GError **error)
{
  static GRegex *re;

  if (text != NULL && g_utf8_strlen (text, -1) <= 20 &&
      g_regex_match (regex_once (&re, "^\\+?[0-9 \\-\\(\\)]+$"), text, 0, NULL))
    return TRUE;
  g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
               _("“%s” is not a phone number (digits, spaces, dashes, brackets, "
                 "an optional leading +, at most 20 characters)"), text ? text : "");
  return FALSE;
}

gboolean
tf_validate_money (const char *text, gboolean nonneg, GError **error)
{
  static GRegex *re;

  if (text == NULL ||
      !g_regex_match (regex_once (&re, "^-?[0-9]{1,8}(\\.[0-9]{1,2})?$"), text, 0, NULL))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("“%s” is not an amount of money (up to 99999999.99, two decimals)"),
                   text ? text : "");
      return FALSE;
    }
  if (nonneg && text[0] == '-' && strspn (text, "-0.") != strlen (text))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE,
                   _("an amount of money cannot be negative"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_validate_icd10_code (const char *code, GError **error)
{
  static GRegex *re;

  if (code != NULL &&
      g_regex_match (regex_once (&re, "^[A-Z][0-9][0-9A-Z](\\.[0-9A-Z]{1,4})?$"), code, 0, NULL))
    return TRUE;
  g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
               _("“%s” is not an ICD-10 code (for example F32 or F41.1)"), code ? code : "");
  return FALSE;
}

/* ΑΜΚΑ, the Greek social security number: eleven digits, the first six the
 * birth date DDMMYY, the last the Luhn check digit over all eleven.  The
 * two-digit year does not say the century, so 29 February passes in any
 * year divisible by four (2000 was a leap year, 1900 was not, and 00 may be
 * either).  The number is never echoed in the message: it is a personal
 * identifier, and a message may be logged. */
gboolean
tf_validate_amka (const char *text, GError **error)
{
  static const int month_days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  int day, month, year, sum = 0;

  if (text == NULL || strlen (text) != 11 || strspn (text, "0123456789") != 11)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("not a valid AMKA: it must be exactly 11 digits"));
      return FALSE;
    }
  day = (text[0] - '0') * 10 + (text[1] - '0');
  month = (text[2] - '0') * 10 + (text[3] - '0');
  year = (text[4] - '0') * 10 + (text[5] - '0');
  if (month < 1 || month > 12 || day < 1 || day > month_days[month - 1] ||
      (month == 2 && day == 29 && year % 4 != 0))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("not a valid AMKA: the first six digits are not a date (DDMMYY)"));
      return FALSE;
    }
  /* Luhn: from the right, every second digit doubled (its digits summed). */
  for (int i = 0; i < 11; i++)
    {
      int digit = text[10 - i] - '0';

      if (i % 2 == 1)
        digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
      sum += digit;
    }
  if (sum % 10 != 0)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("not a valid AMKA: the check digit does not match"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_icd10_list (JsonNode *node, GError **error)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("diagnosis codes must be a list"));
      return FALSE;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *code = NULL;

      if (JSON_NODE_HOLDS_VALUE (item) && json_node_get_value_type (item) == G_TYPE_STRING)
        code = json_node_get_string (item);
      else if (JSON_NODE_HOLDS_OBJECT (item))
        code = tf_json_get_string (json_node_get_object (item), "code");
      if (!tf_validate_icd10_code (code, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_format (const TfColumn *column, const char *text, GError **error)
{
  static GRegex *language_re, *url_re;

  switch (column->format)
    {
    case TF_FORMAT_NONE:
    case TF_FORMAT_ICD10_LIST:
      return TRUE;
    case TF_FORMAT_EMAIL:
      return tf_validate_email (text, error);
    case TF_FORMAT_PHONE:
      return tf_validate_phone (text, error);
    case TF_FORMAT_AMKA:
      return tf_validate_amka (text, error);
    case TF_FORMAT_TIMEZONE:
      if (tf_time_zone_is_known (text))
        return TRUE;
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("“%s” is not a known time zone (for example Europe/Athens)"), text);
      return FALSE;
    case TF_FORMAT_LANGUAGE:
      if (g_regex_match (regex_once (&language_re, "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"),
                         text, 0, NULL))
        return TRUE;
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("“%s” is not a language code (for example el or en)"), text);
      return FALSE;
    case TF_FORMAT_URL:
      if (strlen (text) <= 2048 &&
          g_regex_match (regex_once (&url_re, "^https?://[^\\s/?#]+[^\\s]*$"), text, 0, NULL))
        return TRUE;
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("“%s” is not a web address (http:// or https://)"), text);
      return FALSE;
    case TF_FORMAT_SIGNATURE:
      if (tf_signed_text_is_well_formed (text))
        return TRUE;
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_FORMAT,
                   _("this is not a signature (tfs1:…)"));
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
wrong_type (const TfColumn *column, const char *expected, GError **error)
{
  g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
               _("%s: expected %s"), column->name, expected);
  return FALSE;
}

static gboolean
prefix_error (GError **error, gboolean ok, const TfColumn *column)
{
  if (!ok && error != NULL && *error != NULL)
    g_prefix_error (error, "%s: ", column->name);
  return ok;
}

/* Lengths count characters, as VARCHAR(n) does; the byte length bounds
 * them first, so a huge value is refused without walking it. */
static gboolean
check_length (const TfColumn *column, const char *text, GError **error)
{
  guint max = tf_column_max_chars (column);
  gsize bytes = strlen (text);

  if (max == 0 || bytes <= max || (bytes <= (gsize) max * 4 && g_utf8_strlen (text, -1) <= max))
    return TRUE;
  g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG,
               _("%s: longer than %u characters"), column->name, max);
  return FALSE;
}

static gboolean
is_string (JsonNode *value)
{
  return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING;
}

/* An encrypted column holds an envelope made on the device, never longer
 * than the column's plain limit allows. */
static gboolean
check_encrypted (const TfColumn *column, JsonNode *value, GError **error)
{
  if (!is_string (value) || !tf_crypto_is_envelope (json_node_get_string (value)))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ENCRYPTED,
                   _("%s: must be encrypted on the device"), column->name);
      return FALSE;
    }
  if (strlen (json_node_get_string (value)) > tf_column_max_envelope (column))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG,
                   _("%s: longer than %u characters"), column->name,
                   tf_column_max_chars (column));
      return FALSE;
    }
  return TRUE;
}

/* A whole number within INTEGER's range and the column's own. */
static gboolean
check_integer (const TfColumn *column, JsonNode *value, GError **error)
{
  gint64 n;

  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
    return wrong_type (column, _("a whole number"), error);
  n = json_node_get_int (value);
  if (n < G_MININT32 || n > G_MAXINT32 ||
      (column->has_range && (n < column->min || n > column->max)))
    {
      if (column->has_range && column->max != G_MAXINT32)
        g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE,
                     _("%s: %lld is not between %lld and %lld"), column->name,
                     (long long) n, (long long) column->min, (long long) column->max);
      else
        g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_OUT_OF_RANGE,
                     _("%s: %lld is too small or too large"), column->name, (long long) n);
      return FALSE;
    }
  return TRUE;
}

/* A text column: its length, its choices and its format. */
static gboolean
check_text (const TfColumn *column, const char *text, GError **error)
{
  if (!check_length (column, text, error))
    return FALSE;
  if (column->choices != NULL && !g_strv_contains (column->choices, text))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) column->choices);
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_NOT_ALLOWED,
                   _("%s: “%s” is not one of %s"), column->name, text, allowed);
      return FALSE;
    }
  return prefix_error (error, validate_format (column, text, error), column);
}

/* Every type but integers, booleans and JSON travels as a string. */
static gboolean
check_string_value (const TfColumn *column, JsonNode *value, GError **error)
{
  const char *text;

  if (!is_string (value))
    return wrong_type (column, _("a string"), error);
  text = json_node_get_string (value);

  switch (column->type)
    {
    case TF_COLUMN_UUID:
      if (tf_validate_uuid (text))
        return TRUE;
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("%s: “%s” is not a lower-case UUID"), column->name, text);
      return FALSE;

    case TF_COLUMN_DATE:
      {
        int year, month, day;
        return prefix_error (error, tf_time_parse_date (text, &year, &month, &day, error), column);
      }

    case TF_COLUMN_TIME:
      {
        int seconds;
        return prefix_error (error, tf_time_parse_time (text, &seconds, error), column);
      }

    case TF_COLUMN_TIMESTAMP:
      {
        g_autoptr(GDateTime) dt = tf_time_parse_timestamp (text, error);
        return prefix_error (error, dt != NULL, column);
      }

    case TF_COLUMN_MONEY:
      return prefix_error (error,
                           tf_validate_money (text, (column->flags & TF_COLUMN_NONNEG) != 0, error),
                           column);

    case TF_COLUMN_TEXT:
      return check_text (column, text, error);

    case TF_COLUMN_INTEGER:
    case TF_COLUMN_BOOLEAN:
    case TF_COLUMN_JSON:
    default:
      g_assert_not_reached ();
    }
}

gboolean
tf_validate_value (const TfTable *table, const TfColumn *column, JsonNode *value, GError **error)
{
  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      if (!(column->flags & TF_COLUMN_REQUIRED))
        return TRUE;
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED,
                   _("%s: a value is required"), column->name);
      return FALSE;
    }
  if (column->flags & TF_COLUMN_ENCRYPTED)
    return check_encrypted (column, value, error);

  switch (column->type)
    {
    case TF_COLUMN_JSON:
      {
        g_autofree char *json = json_to_string (value, FALSE);
        return check_length (column, json, error);
      }
    case TF_COLUMN_INTEGER:
      return check_integer (column, value, error);
    case TF_COLUMN_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        return wrong_type (column, _("true or false"), error);
      return TRUE;
    default:
      return check_string_value (column, value, error);
    }
}

typedef struct
{
  JsonObject *fields;
} RuleData;

static const char *
rule_get (gpointer data, const char *column)
{
  return tf_json_get_string (((RuleData *) data)->fields, column);
}

/* A value of a column encrypted later that is not an envelope. */
static gboolean
is_legacy_plaintext (const TfColumn *column, JsonNode *value)
{
  return (column->flags & TF_COLUMN_WAS_PLAIN) && value != NULL && !JSON_NODE_HOLDS_NULL (value) &&
         !(is_string (value) && tf_crypto_is_envelope (json_node_get_string (value)));
}

gboolean
tf_validate_fields (const TfTable *table, JsonObject *fields, TfValidateFlags flags,
                    GError **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;
  RuleData data = { fields };

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (fields != NULL, FALSE);

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TfColumn *column = tf_table_get_column (table, name);

      if (column == NULL)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_UNKNOWN_FIELD,
                       _("%s has no field “%s”"), table->name, name);
          return FALSE;
        }
      if ((flags & TF_VALIDATE_LEGACY) && is_legacy_plaintext (column, value))
        {
          /* The row predates the column's encryption: check it as it was. */
          TfColumn plain = *column;

          plain.flags &= ~(TF_COLUMN_ENCRYPTED | TF_COLUMN_WAS_PLAIN);
          if (!tf_validate_value (table, &plain, value, error))
            return FALSE;
          continue;
        }
      if (!tf_validate_value (table, column, value, error))
        return FALSE;
    }

  if (!(flags & TF_VALIDATE_PARTIAL))
    for (guint i = 0; i < table->n_columns; i++)
      {
        const TfColumn *column = &table->columns[i];

        if ((column->flags & TF_COLUMN_REQUIRED) && !json_object_has_member (fields, column->name))
          {
            g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED,
                         _("%s: a value is required"), column->name);
            return FALSE;
          }
      }

  if (table->rule != NULL && !table->rule (table, rule_get, &data, error))
    return FALSE;
  return TRUE;
}

gboolean
tf_validate_plaintext (const TfTable *table, const TfColumn *column, const char *plaintext,
                       GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (table != NULL, FALSE);
  g_return_val_if_fail (column != NULL, FALSE);

  if (plaintext == NULL)
    return TRUE;
  if (!g_utf8_validate (plaintext, -1, NULL))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   _("%s: not valid UTF-8 text"), column->name);
      return FALSE;
    }
  /* The server sees only the envelope: the device refuses what would make
   * one over the column's cap, naming the field while the text is here. */
  if (!check_length (column, plaintext, error))
    return FALSE;
  /* A text format (TF_FORMAT_AMKA on an encrypted column) can only be
   * checked here, where the text is. */
  if (column->type != TF_COLUMN_JSON)
    return column->format == TF_FORMAT_NONE ||
           prefix_error (error, validate_format (column, plaintext, error), column);

  /* The plaintext may come from another person's device: the strict parse. */
  root = tf_json_parse (plaintext, -1, &local_error);
  if (root == NULL)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_JSON,
                   _("%s: not valid JSON: %s"), column->name, local_error->message);
      return FALSE;
    }
  if (column->format == TF_FORMAT_ICD10_LIST)
    return prefix_error (error, validate_icd10_list (root, error), column);
  return TRUE;
}
