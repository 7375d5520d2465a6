/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-parse.c: reads the body of each /v1/auth request into its job,
 * on the main context, before any database work: members of the right
 * type, keys and envelopes of the right shape, e-mail, names and lengths
 * valid.  What is refused here is answered 400 (shape) or 422 (value) and
 * writes nothing.
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-auth-private.h"
#include "tf-error.h"
#include "tf-validate.h"

#define PUBLIC_KEY_BYTES      32
#define NAME_MAX_CHARS        100  /* profiles.first_name, last_name; therapists.license_number */
#define DEVICE_NAME_MAX_CHARS 200

/* @out is NULL when the member is absent or null, which is an error only
 * when @required. */
static gboolean
get_member (JsonObject *object, const char *name, gboolean required, JsonNode **out,
            GError **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                   "“%s” is required", name);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

static gboolean
read_string (JsonObject *object, const char *name, gboolean required, char **out,
             GError **error)
{
  JsonNode *node;

  if (!get_member (object, name, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   "“%s” must be a string", name);
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_int (JsonObject *object, const char *name, gint64 *out, GError **error)
{
  JsonNode *node;

  if (!get_member (object, name, TRUE, &node, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   "“%s” must be a whole number", name);
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
read_bool (JsonObject *object, const char *name, gboolean *out, GError **error)
{
  JsonNode *node;

  if (!get_member (object, name, FALSE, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   "“%s” must be true or false", name);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* Strict standard base64 (padded, nothing else) of exactly @len bytes. */
static gboolean
decode_base64_exact (const char *text, guint8 *out, gsize len)
{
  size_t decoded = 0;

  return sodium_base642bin (out, len, text, strlen (text), NULL, &decoded, NULL,
                            sodium_base64_VARIANT_ORIGINAL) == 0 && decoded == len;
}

static void
set_bad_base64 (GError **error, const char *name, gsize len)
{
  g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
               "“%s” must be standard base64 of %" G_GSIZE_FORMAT " bytes", name, len);
}

/* A secret of AUTH_KEY_BYTES (an auth key, a recovery proof); @out stays
 * NULL when it is absent and not @required. */
static gboolean
read_key (JsonObject *object, const char *name, gboolean required, TfSecret **out,
          GError **error)
{
  g_autoptr(TfSecret) key = NULL;
  char *text = NULL;
  gboolean ok;

  if (!read_string (object, name, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  key = tf_secret_new (AUTH_KEY_BYTES);
  ok = decode_base64_exact (text, tf_secret_get_mutable (key), AUTH_KEY_BYTES);
  tf_auth_free_secret_string (text);
  if (!ok)
    {
      set_bad_base64 (error, name, AUTH_KEY_BYTES);
      return FALSE;
    }
  g_clear_pointer (out, tf_secret_free);
  *out = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
read_auth_key (JsonObject *object, const char *name, TfSecret **out, GError **error)
{
  return read_key (object, name, TRUE, out, error);
}

/* A public value that must be base64 of @len bytes; kept as sent. */
static gboolean
read_base64 (JsonObject *object, const char *name, gsize len, char **out, GError **error)
{
  g_autofree guint8 *buffer = g_malloc (len);

  if (!read_string (object, name, TRUE, out, error))
    return FALSE;
  if (!decode_base64_exact (*out, buffer, len))
    {
      set_bad_base64 (error, name, len);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_envelope (JsonObject *object, const char *name, char **out, GError **error)
{
  if (!read_string (object, name, TRUE, out, error))
    return FALSE;
  if (!tf_crypto_is_envelope (*out))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“%s” must be a “" TF_CRYPTO_ENVELOPE_PREFIX "” envelope", name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_kdf (JsonObject *object, Kdf *kdf, GError **error)
{
  JsonNode *node;
  JsonObject *inner;

  if (!get_member (object, "kdf", TRUE, &node, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   "“kdf” must be an object {salt, opslimit, memlimit}");
      return FALSE;
    }
  inner = json_node_get_object (node);
  if (!read_base64 (inner, "salt", TF_CRYPTO_SALT_BYTES, &kdf->salt, error) ||
      !read_int (inner, "opslimit", &kdf->opslimit, error) ||
      !read_int (inner, "memlimit", &kdf->memlimit, error))
    {
      g_prefix_error (error, "kdf: ");
      return FALSE;
    }
  /* The device must be able to derive with them: libsodium's own bounds. */
  if (kdf->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
      (guint64) kdf->opslimit > crypto_pwhash_OPSLIMIT_MAX ||
      kdf->memlimit < (gint64) crypto_pwhash_MEMLIMIT_MIN ||
      (guint64) kdf->memlimit > (guint64) crypto_pwhash_MEMLIMIT_MAX)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "kdf: opslimit or memlimit outside what Argon2id accepts "
                   "(opslimit >= %u, memlimit >= %u)", (guint) crypto_pwhash_OPSLIMIT_MIN,
                   (guint) crypto_pwhash_MEMLIMIT_MIN);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_email (JsonObject *object, AuthJob *job, GError **error)
{
  return read_string (object, "email", TRUE, &job->email, error);
}

/* After every member has been read: 400s come before 422s. */
static gboolean
check_email (AuthJob *job, GError **error)
{
  if (!tf_validate_email (job->email, error))
    return FALSE;
  /* The domain's pattern is ASCII, so this is PostgreSQL's lower() too. */
  job->email_key = g_ascii_strdown (job->email, -1);
  return TRUE;
}

static gboolean
read_device (JsonObject *object, AuthJob *job, GError **error)
{
  if (!read_string (object, "device_id", TRUE, &job->device_id, error) ||
      !read_string (object, "device_name", FALSE, &job->device_name, error))
    return FALSE;
  if (!tf_validate_uuid (job->device_id))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“device_id” must be a lower-case UUID");
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_length (const char *name, const char *value, guint max, GError **error)
{
  if (value != NULL && (guint) g_utf8_strlen (value, -1) > max)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_TOO_LONG,
                   "“%s” is longer than %u characters", name, max);
      return FALSE;
    }
  return TRUE;
}

/* Trims @value in place; an empty one breaks NOT NULL in spirit. */
static gboolean
check_name (const char *name, char *value, GError **error)
{
  if (value == NULL || *g_strstrip (value) == '\0')
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_REQUIRED,
                   "“%s” must not be empty", name);
      return FALSE;
    }
  return check_length (name, value, NAME_MAX_CHARS, error);
}

static gboolean
read_code (JsonObject *object, const char *name, gboolean required, char **out, GError **error)
{
  if (!read_string (object, name, required, out, error))
    return FALSE;
  if (*out == NULL)
    return TRUE;
  if (strlen (*out) != TF_TOTP_DIGITS || strspn (*out, "0123456789") != TF_TOTP_DIGITS)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“%s” must be %d digits", name, TF_TOTP_DIGITS);
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_auth_parse_prelogin (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL && read_email (body, job, error) && check_email (job, error);
}

gboolean
tf_auth_parse_register (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);
  gboolean therapist;

  if (body == NULL ||
      !read_email (body, job, error) ||
      !read_string (body, "role", TRUE, &job->role, error) ||
      !read_auth_key (body, "auth_key", &job->auth_key, error) ||
      !read_kdf (body, &job->kdf, error) ||
      !read_envelope (body, "wrapped_master_key", &job->wrapped_master_key, error) ||
      !read_envelope (body, "wrapped_recovery_key", &job->wrapped_recovery_key, error) ||
      !read_base64 (body, "identity_public_key", PUBLIC_KEY_BYTES, &job->identity_public_key,
                    error) ||
      !read_envelope (body, "wrapped_identity_key", &job->wrapped_identity_key, error) ||
      !read_base64 (body, "signing_public_key", PUBLIC_KEY_BYTES, &job->signing_public_key,
                    error) ||
      !read_envelope (body, "wrapped_signing_key", &job->wrapped_signing_key, error) ||
      !read_device (body, job, error) ||
      !read_string (body, "first_name", TRUE, &job->first_name, error) ||
      !read_string (body, "last_name", TRUE, &job->last_name, error) ||
      !read_string (body, "license_number", FALSE, &job->license_number, error) ||
      !read_key (body, "recovery_auth_key", FALSE, &job->recovery_auth_key, error) ||
      !read_string (body, "user_id", FALSE, &job->chosen_user_id, error))
    return FALSE;
  /* A profile used offline first already owns its records under this id. */
  if (job->chosen_user_id != NULL && !tf_validate_uuid (job->chosen_user_id))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“user_id” must be a lower-case UUID");
      return FALSE;
    }
  if (tf_uuid_is_reserved (job->chosen_user_id))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“user_id” is reserved: choose a random UUID");
      return FALSE;
    }
  /* A managed client taking their account over (tf-auth-register.c). */
  if (json_object_has_member (body, "invite"))
    {
      JsonNode *invite = json_object_get_member (body, "invite");
      JsonNode *rotation = JSON_NODE_HOLDS_OBJECT (invite)
                             ? json_object_get_member (json_node_get_object (invite), "rotation")
                             : NULL;
      JsonNode *previous = json_object_get_member (body, "previous_keys");

      if (!JSON_NODE_HOLDS_OBJECT (invite) ||
          !read_string (json_node_get_object (invite), "id", TRUE, &job->invite_id, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                         "“invite” must be an object {id, rotation}");
          return FALSE;
        }
      if (rotation == NULL || !JSON_NODE_HOLDS_OBJECT (rotation) || job->chosen_user_id == NULL ||
          previous == NULL || !JSON_NODE_HOLDS_ARRAY (previous))
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                       "an invitation needs its “rotation”, the “user_id” it is for and"
                       " “previous_keys”");
          return FALSE;
        }
      job->invite_rotation = json_object_ref (json_node_get_object (rotation));
      job->previous_keys = json_to_string (previous, FALSE);
      if (strlen (job->previous_keys) > 4000)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                       "“previous_keys” is too large");
          return FALSE;
        }
    }

  if (g_strcmp0 (job->role, "client") != 0 && g_strcmp0 (job->role, "therapist") != 0)
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_FORBIDDEN,
                   "only the roles “client” and “therapist” can register");
      return FALSE;
    }
  therapist = g_str_equal (job->role, "therapist");
  if (therapist && job->license_number == NULL)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                   "“license_number” is required for a therapist");
      return FALSE;
    }
  if (!therapist)
    g_clear_pointer (&job->license_number, g_free);

  return check_email (job, error) &&
         check_length ("device_name", job->device_name, DEVICE_NAME_MAX_CHARS, error) &&
         check_name ("first_name", job->first_name, error) &&
         check_name ("last_name", job->last_name, error) &&
         (!therapist || check_name ("license_number", job->license_number, error));
}

gboolean
tf_auth_parse_login (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL &&
         read_email (body, job, error) &&
         read_auth_key (body, "auth_key", &job->auth_key, error) &&
         read_device (body, job, error) &&
         read_code (body, "totp", FALSE, &job->totp, error) &&
         check_email (job, error) &&
         check_length ("device_name", job->device_name, DEVICE_NAME_MAX_CHARS, error);
}

gboolean
tf_auth_parse_recovery_login (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL &&
         read_email (body, job, error) &&
         read_key (body, "recovery_auth_key", TRUE, &job->recovery_auth_key, error) &&
         read_device (body, job, error) &&
         check_email (job, error) &&
         check_length ("device_name", job->device_name, DEVICE_NAME_MAX_CHARS, error);
}

/* What a password change and a recovery both carry: the new password's
 * auth key, KDF parameters and master-key wrap. */
static gboolean
read_new_password (JsonObject *body, AuthJob *job, GError **error)
{
  return read_auth_key (body, "new_auth_key", &job->new_auth_key, error) &&
         read_kdf (body, &job->kdf, error) &&
         read_envelope (body, "wrapped_master_key", &job->wrapped_master_key, error) &&
         read_bool (body, "end_other_sessions", &job->end_other_sessions, error);
}

gboolean
tf_auth_parse_password (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL &&
         read_auth_key (body, "auth_key", &job->auth_key, error) &&
         read_new_password (body, job, error);
}

gboolean
tf_auth_parse_recover (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL &&
         read_key (body, "recovery_auth_key", TRUE, &job->recovery_auth_key, error) &&
         read_new_password (body, job, error);
}

gboolean
tf_auth_parse_mfa_code (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL && read_code (body, "code", TRUE, &job->totp, error);
}

gboolean
tf_auth_parse_session_id (TfRequest *req, AuthJob *job, GError **error)
{
  const char *id = req->path + strlen (SESSION_PATH);

  /* Anything but one of the caller's live sessions is "not found". */
  if (!tf_validate_uuid (id))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND, "no such session");
      return FALSE;
    }
  job->session_id = g_strdup (id);
  return TRUE;
}
