/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-signed.c: the signed encoding of records and key grants, and their
 * signatures (the format is tf-signed.h's).
 *
 * Every value is tagged and every variable-length part carries its length,
 * so no two contents share an encoding however their text is chosen (a "|"
 * in a free-text column cannot shift where the next one starts, NULL is not
 * "", a column's value cannot pass for its neighbour's).  The signing
 * itself is tf_crypto_sign()/tf_crypto_verify(); this file adds the key id
 * in front, which is what lets a verifier say "another key" rather than
 * "forged".
 */
#define G_LOG_DOMAIN "tf-signed"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "tf-crypto-private.h"
#include "tf-error.h"
#include "tf-signed.h"
#include "tf-time.h"

#define HEADER_MAGIC "TFSIGNED"
#define GRANT_HASH_BYTES 32 /* BLAKE2b-256 */
#define SEALED_KEY_BYTES (crypto_box_SEALBYTES + TF_CRYPTO_KEY_BYTES)
#define KEY_ID_CHARS 40     /* a fingerprint's hex digits */

gboolean
tf_signed_column_is_signed (const TfColumn *column)
{
  g_return_val_if_fail (column != NULL, FALSE);

  return (column->flags & (TF_COLUMN_SERVER_CLOCK | TF_COLUMN_ADMIN_ONLY |
                           TF_COLUMN_SERVER_DECIDED)) == 0;
}

gboolean
tf_signed_table_has_envelope (const TfTable *table)
{
  g_return_val_if_fail (table != NULL, FALSE);

  /* The one table whose records are addressed to a recipient. */
  return table->recipient_column == NULL;
}

gboolean
tf_signed_text_is_well_formed (const char *text)
{
  const char *p;

  if (text == NULL || !g_str_has_prefix (text, TF_SIGNED_PREFIX))
    return FALSE;
  p = text + strlen (TF_SIGNED_PREFIX);
  for (guint i = 0; i < 40; i++, p++)
    if (!g_ascii_isdigit (*p) && !(*p >= 'A' && *p <= 'F'))
      return FALSE;
  if (*p++ != ':')
    return FALSE;
  for (guint i = 0; i < 86; i++, p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/')
      return FALSE;
  return strcmp (p, "==") == 0;
}

gboolean
tf_signed_check_envelope (const TfTable *table, gint64 revision, const char *signature,
                          GError **error)
{
  g_return_val_if_fail (table != NULL, FALSE);

  if (revision == 0 && signature == NULL)
    return TRUE;
  if (!tf_signed_table_has_envelope (table))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE,
                   _("a record of %s carries no revision or signature"), table->name);
      return FALSE;
    }
  if (revision < 1 || revision > TF_SIGNED_MAX_REVISION)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE,
                   _("“%s” must be between 1 and %lld"), "revision",
                   (long long) TF_SIGNED_MAX_REVISION);
      return FALSE;
    }
  if (!tf_signed_text_is_well_formed (signature))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_SIGNATURE,
                   _("“%s” must be a signature text (%s…, exactly %d characters)"), "signature",
                   TF_SIGNED_PREFIX, TF_SIGNED_TEXT_CHARS);
      return FALSE;
    }
  return TRUE;
}

/* --- the building blocks ---------------------------------------------------- */

static void
put_u32 (GByteArray *out, gsize value)
{
  guint8 b[4] = { value >> 24, value >> 16, value >> 8, value };

  g_assert (value <= G_MAXUINT32);
  g_byte_array_append (out, b, sizeof b);
}

static void
put_i64 (GByteArray *out, guint8 tag, gint64 value)
{
  guint64 v = (guint64) value;
  guint8 b[9] = { tag, v >> 56, v >> 48, v >> 40, v >> 32, v >> 24, v >> 16, v >> 8, v };

  g_byte_array_append (out, b, sizeof b);
}

static void
put_blob (GByteArray *out, guint8 tag, const guint8 *data, gsize len)
{
  g_byte_array_append (out, &tag, 1);
  put_u32 (out, len);
  g_byte_array_append (out, data, len);
}

static gboolean
put_string (GByteArray *out, guint8 tag, const char *text, const char *what, GError **error)
{
  gsize len = strlen (text);

  if (!g_utf8_validate_len (text, len, NULL))
    {
      g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                   _("%s is not valid text"), what);
      return FALSE;
    }
  put_blob (out, tag, (const guint8 *) text, len);
  return TRUE;
}

static void
put_header (GByteArray *out, guint8 kind)
{
  guint8 tail[2] = { TF_SIGNED_FORMAT_VERSION, kind };

  g_byte_array_append (out, (const guint8 *) HEADER_MAGIC, strlen (HEADER_MAGIC));
  g_byte_array_append (out, tail, sizeof tail);
}

static gint
compare_keys (gconstpointer a, gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;

  return strcmp (x, y); /* byte order: strcmp compares as unsigned char */
}

/* The canonical form of any JSON value (tf-signed.h). */
static gboolean
put_json (GByteArray *out, JsonNode *node, const char *what, GError **error)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_NULL:
      g_byte_array_append (out, (const guint8 *) "n", 1);
      return TRUE;
    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_BOOLEAN)
          {
            guint8 b[2] = { 'b', json_node_get_boolean (node) ? 1 : 0 };
            g_byte_array_append (out, b, sizeof b);
          }
        else if (type == G_TYPE_INT64)
          put_i64 (out, 'i', json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          {
            double d = json_node_get_double (node);

            /* A whole number in -2^63 <= d < 2^63 (bounds exactly representable,
             * checked before the cast, which is undefined outside them). */
            if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 &&
                (double) (gint64) d == d)
              put_i64 (out, 'i', (gint64) d);
            else
              {
                guint64 bits;

                memcpy (&bits, &d, sizeof bits);
                put_i64 (out, 'd', (gint64) bits);
              }
          }
        else if (type == G_TYPE_STRING)
          return put_string (out, 's', json_node_get_string (node), what, error);
        else
          goto bad;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_byte_array_append (out, (const guint8 *) "a", 1);
        put_u32 (out, n);
        for (guint i = 0; i < n; i++)
          if (!put_json (out, json_array_get_element (array, i), what, error))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);
        g_autoptr(GPtrArray) keys = g_ptr_array_new ();

        for (GList *l = members; l != NULL; l = l->next)
          g_ptr_array_add (keys, l->data);
        g_ptr_array_sort (keys, compare_keys);
        g_byte_array_append (out, (const guint8 *) "o", 1);
        put_u32 (out, keys->len);
        for (guint i = 0; i < keys->len; i++)
          {
            const char *key = g_ptr_array_index (keys, i);
            gsize len = strlen (key);

            if (!g_utf8_validate_len (key, len, NULL))
              goto bad;
            put_u32 (out, len);
            g_byte_array_append (out, (const guint8 *) key, len);
            if (!put_json (out, json_object_get_member (object, key), what, error))
              return FALSE;
          }
        return TRUE;
      }
    }
bad:
  g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT, _("%s is not valid text"), what);
  return FALSE;
}

static gboolean
wrong_type (const char *column, GError **error)
{
  g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
               _("%s does not hold a value of its type"), column);
  return FALSE;
}

/* One column's value, tagged by the column's type. */
static gboolean
put_value (GByteArray *out, const TfColumn *column, JsonNode *node, GError **error)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_byte_array_append (out, (const guint8 *) "N", 1);
      return TRUE;
    }
  if (column->type == TF_COLUMN_JSON)
    {
      g_autoptr(GByteArray) json = g_byte_array_new ();

      if (!put_json (json, node, column->name, error))
        return FALSE;
      put_blob (out, 'J', json->data, json->len);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node))
    return wrong_type (column->name, error);

  type = json_node_get_value_type (node);
  switch (column->type)
    {
    case TF_COLUMN_INTEGER:
      if (type != G_TYPE_INT64)
        return wrong_type (column->name, error);
      put_i64 (out, 'I', json_node_get_int (node));
      return TRUE;
    case TF_COLUMN_BOOLEAN:
      {
        guint8 b[2] = { 'B', 0 };

        if (type != G_TYPE_BOOLEAN)
          return wrong_type (column->name, error);
        b[1] = json_node_get_boolean (node) ? 1 : 0;
        g_byte_array_append (out, b, sizeof b);
        return TRUE;
      }
    default:
      break;
    }
  if (type != G_TYPE_STRING)
    return wrong_type (column->name, error);
  if (column->type == TF_COLUMN_TIMESTAMP && !(column->flags & TF_COLUMN_ENCRYPTED))
    {
      /* One spelling of the instant, whatever offset a server wrote it with. */
      g_autoptr(GDateTime) when = tf_time_parse_timestamp (json_node_get_string (node), NULL);
      g_autofree char *stamp = NULL;

      if (when == NULL)
        return wrong_type (column->name, error);
      stamp = tf_time_format_timestamp (when);
      return put_string (out, 'S', stamp, column->name, error);
    }
  return put_string (out, 'S', json_node_get_string (node), column->name, error);
}

/* --- the two encodings --------------------------------------------------------- */

/* Whether @record's value of @c is in its signed encoding: a signed column's
 * is, but a null of a column added later (TF_COLUMN_SIGNED_IF_SET), or the
 * false of a flag that DEFAULT FALSE gave the older rows
 * (TF_COLUMN_SIGNED_IF_TRUE), is left out, so the encoding of a record from
 * before the column is unchanged.  Each column present carries its name, so
 * leaving one out cannot make two records' encodings meet; for a
 * TF_COLUMN_SIGNED_IF_TRUE flag false and absent mean the same. */
static gboolean
signs_value (const TfRecord *record, const TfColumn *c)
{
  JsonNode *node;

  if (!tf_signed_column_is_signed (c))
    return FALSE;
  if (!(c->flags & TF_COLUMN_SIGNED_IF_SET))
    return TRUE;
  node = json_object_get_member (record->fields, c->name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return FALSE;
  if ((c->flags & TF_COLUMN_SIGNED_IF_TRUE) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  return TRUE;
}

GBytes *
tf_signed_record_encode (const TfRecord *record, gint64 revision, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint n_signed = 0;

  g_return_val_if_fail (record != NULL && record->table != NULL, NULL);
  g_return_val_if_fail (record->id != NULL && record->fields != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  put_header (out, record->deleted ? 'D' : 'R');
  if (!put_string (out, 'S', record->table->name, "table", error) ||
      !put_string (out, 'S', record->id, "id", error))
    return NULL;
  put_i64 (out, 'I', revision);
  /* A tombstone's fields are whatever the row last held: not part of it. */
  if (record->deleted)
    return g_byte_array_free_to_bytes (g_steal_pointer (&out));

  for (guint i = 0; i < record->table->n_columns; i++)
    n_signed += signs_value (record, &record->table->columns[i]);
  g_byte_array_append (out, (const guint8 *) "C", 1);
  put_u32 (out, n_signed);

  for (guint i = 0; i < record->table->n_columns; i++)
    {
      const TfColumn *c = &record->table->columns[i];

      if (!signs_value (record, c))
        continue;
      if (!put_string (out, 'S', c->name, "column", error) ||
          !put_value (out, c, json_object_get_member (record->fields, c->name), error))
        return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static const char *
grant_member (const TfRecord *grant, const char *name, GError **error)
{
  const char *value = tf_json_get_string (grant->fields, name);

  if (value == NULL)
    g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                 _("The key grant has no %s"), name);
  return value;
}

GBytes *
tf_signed_grant_encode (const TfRecord *grant, gint64 counter, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autofree guint8 *sealed = NULL;
  guint8 hash[GRANT_HASH_BYTES];
  const char *table_name, *record_id, *recipient_id, *sealed_b64;

  g_return_val_if_fail (grant != NULL && grant->table != NULL, NULL);
  g_return_val_if_fail (grant->id != NULL && grant->fields != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (strcmp (grant->table->name, "key_grants") != 0)
    {
      g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                   _("%s is not a key grant"), grant->table->name);
      return NULL;
    }
  if ((table_name = grant_member (grant, "table_name", error)) == NULL ||
      (record_id = grant_member (grant, "record_id", error)) == NULL ||
      (recipient_id = grant_member (grant, "recipient_id", error)) == NULL ||
      (sealed_b64 = grant_member (grant, "sealed_key", error)) == NULL)
    return NULL;

  /* The hash of the sealed box itself, not of one spelling of its base64. */
  sealed = tf_crypto_base64_decode_strict (sealed_b64, SEALED_KEY_BYTES, NULL);
  if (sealed == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("The key grant's sealed key is not a sealed key"));
      return NULL;
    }
  if (!tf_crypto_init (error))
    return NULL;
  crypto_generichash (hash, sizeof hash, sealed, SEALED_KEY_BYTES, NULL, 0);

  put_header (out, 'G');
  if (!put_string (out, 'S', table_name, "table_name", error) ||
      !put_string (out, 'S', record_id, "record_id", error) ||
      !put_string (out, 'S', recipient_id, "recipient_id", error))
    return NULL;
  put_blob (out, 'H', hash, sizeof hash);
  if (!put_string (out, 'S', grant->id, "id", error))
    return NULL;
  put_i64 (out, 'I', counter);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* --- signatures ---------------------------------------------------------------- */

/* @public_b64's fingerprint without its spaces, or NULL when it is no key. */
static char *
key_id (const char *public_b64)
{
  const char *keys[] = { public_b64, NULL };
  g_autofree char *fingerprint = tf_crypto_fingerprint (keys);
  GString *id;

  if (fingerprint == NULL)
    return NULL;
  id = g_string_sized_new (KEY_ID_CHARS);
  for (const char *p = fingerprint; *p != '\0'; p++)
    if (*p != ' ')
      g_string_append_c (id, *p);
  return g_string_free (id, FALSE);
}

char *
tf_signed_key_id (const char *public_b64)
{
  g_return_val_if_fail (public_b64 != NULL, NULL);

  return key_id (public_b64);
}

typedef GBytes *(*Encoder) (const TfRecord *record, gint64 counter, GError **error);

static char *
sign_with (Encoder encode, const TfSecret *signing_secret, const TfRecord *record,
           gint64 counter, GError **error)
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  g_autofree char *public_b64 = NULL;
  g_autofree char *id = NULL;
  g_autofree char *signature = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (signing_secret != NULL, NULL);
  g_return_val_if_fail (tf_secret_get_size (signing_secret) == crypto_sign_SECRETKEYBYTES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!tf_crypto_init (error) || (bytes = encode (record, counter, error)) == NULL)
    return NULL;
  data = g_bytes_get_data (bytes, &len);
  /* An Ed25519 secret key holds its public half. */
  crypto_sign_ed25519_sk_to_pk (public_key, tf_secret_get_data (signing_secret));
  public_b64 = g_base64_encode (public_key, sizeof public_key);
  id = key_id (public_b64);
  signature = tf_crypto_sign (signing_secret, data, len);
  return g_strconcat (TF_SIGNED_PREFIX, id, ":", signature, NULL);
}

/* "tfs1:" KEYID ":" and what follows, or NULL. */
static const char *
signature_part (const char *signature)
{
  gsize prefix = strlen (TF_SIGNED_PREFIX);

  if (!g_str_has_prefix (signature, TF_SIGNED_PREFIX) ||
      strlen (signature) < prefix + KEY_ID_CHARS + 1 ||
      signature[prefix + KEY_ID_CHARS] != ':')
    return NULL;
  for (guint i = 0; i < KEY_ID_CHARS; i++)
    if (!g_ascii_isxdigit (signature[prefix + i]) || g_ascii_islower (signature[prefix + i]))
      return NULL;
  return signature + prefix + KEY_ID_CHARS + 1;
}

static gboolean
verify_with (Encoder encode, const char *signer_public_b64, const TfRecord *record,
             gint64 counter, const char *signature, GError **error)
{
  g_autofree char *expected_id = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *sig;
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (signer_public_b64 != NULL, FALSE);
  g_return_val_if_fail (signature != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!tf_crypto_init (error) || (bytes = encode (record, counter, error)) == NULL)
    return FALSE;
  expected_id = key_id (signer_public_b64);
  if (expected_id == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("Invalid public key"));
      return FALSE;
    }
  sig = signature_part (signature);
  if (sig == NULL)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FORMAT,
                           _("The signature is not valid"));
      return FALSE;
    }
  if (strncmp (signature + strlen (TF_SIGNED_PREFIX), expected_id, KEY_ID_CHARS) != 0)
    {
      g_set_error_literal (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_WRONG_KEY,
                           _("The signature was made with another key"));
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &len);
  return tf_crypto_verify (signer_public_b64, data, len, sig, error);
}

char *
tf_signed_record_sign (const TfSecret *signing_secret, const TfRecord *record, gint64 revision,
                       GError **error)
{
  return sign_with (tf_signed_record_encode, signing_secret, record, revision, error);
}

char *
tf_signed_grant_sign (const TfSecret *signing_secret, const TfRecord *grant, gint64 counter,
                      GError **error)
{
  return sign_with (tf_signed_grant_encode, signing_secret, grant, counter, error);
}

gboolean
tf_signed_record_verify (const char *signer_public_b64, const TfRecord *record, gint64 revision,
                         const char *signature, GError **error)
{
  return verify_with (tf_signed_record_encode, signer_public_b64, record, revision, signature,
                      error);
}

gboolean
tf_signed_grant_verify (const char *signer_public_b64, const TfRecord *grant, gint64 counter,
                        const char *signature, GError **error)
{
  return verify_with (tf_signed_grant_encode, signer_public_b64, grant, counter, signature,
                      error);
}

/* --- what the server makes at registration ---------------------------------- */

/* TRUE when @node encodes as @value, a JSON text, would in @column. */
static gboolean
value_is (const TfColumn *column, JsonNode *node, const char *value)
{
  g_autoptr(JsonNode) expected = json_from_string (value, NULL);
  g_autoptr(GByteArray) a = g_byte_array_new ();
  g_autoptr(GByteArray) b = g_byte_array_new ();

  return expected != NULL && put_value (a, column, node, NULL) &&
         put_value (b, column, expected, NULL) && a->len == b->len &&
         memcmp (a->data, b->data, a->len) == 0;
}

gboolean
tf_signed_is_registered_form (const TfRecord *record)
{
  const TfTable *table;

  g_return_val_if_fail (record != NULL && record->table != NULL, FALSE);

  table = record->table;
  if (table->server_creates == NULL || record->deleted)
    return FALSE;
  for (guint i = 0; i < table->n_columns; i++)
    {
      const TfColumn *c = &table->columns[i];
      JsonNode *node = json_object_get_member (record->fields, c->name);
      gboolean is_null = node == NULL || JSON_NODE_HOLDS_NULL (node);
      const TfRegistered *r = table->server_creates;

      if (!tf_signed_column_is_signed (c))
        continue;
      while (r->column != NULL && strcmp (r->column, c->name) != 0)
        r++;
      /* Typed at registration: there; a default: that; else: null. */
      if (r->column == NULL ? !is_null
                            : r->value == NULL ? is_null : !value_is (c, node, r->value))
        return FALSE;
    }
  return TRUE;
}

gboolean
tf_signed_same_content (const TfRecord *a, const TfRecord *b)
{
  g_autoptr(GBytes) ea = NULL;
  g_autoptr(GBytes) eb = NULL;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  if (a->table != b->table || g_strcmp0 (a->id, b->id) != 0 || a->deleted != b->deleted)
    return FALSE;
  ea = tf_signed_record_encode (a, 0, NULL);
  eb = tf_signed_record_encode (b, 0, NULL);
  return ea != NULL && eb != NULL && g_bytes_equal (ea, eb);
}
