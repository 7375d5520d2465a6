/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth.c: accounts — prelogin, registration, login, bearer tokens,
 * sessions, password change and recovery, and the TOTP second factor
 * (DESIGN.md §4-§5; the wire format is in docs/protocol.md, "Accounts").
 *
 * What the server holds.  The device derives an auth key and a
 * key-encryption key from the password (Argon2id, parameters per account in
 * user_keys); only the 32-byte auth key reaches the server, which keeps it
 * as crypto_pwhash_str() at the server's own cost (auth-hash-opslimit and
 * -memlimit).  The wrapped keys are opaque to the server.
 *
 * Recovery.  At registration the device may send a recovery proof, a
 * 32-byte key derived from the recovery key (tf-keys.c); the server keeps
 * only its SHA-256 (user_keys.recovery_auth_hash, hex).  The proof has full
 * entropy, so a plain hash is enough; a slow hash would add nothing.  A
 * signed-in device that holds the recovery key may then set a new password
 * (POST /v1/auth/recover): the same path as a password change, with the
 * proof in place of the current auth key, so it is throttled and recorded
 * the same way.  A device with no session (a new one, or one whose
 * password is forgotten and whose sign-in lapsed) first signs in with the
 * e-mail and the proof (POST /v1/auth/recover/login), exactly as login
 * does with the auth key, and gets the wrapped keys it opens with the
 * recovery key.
 *
 * Tokens are 32 random bytes, sent as unpadded base64url and stored only as
 * their SHA-256 (auth_sessions.token_hash), so a copy of the database does
 * not let anyone in.  A session is live while it is neither revoked nor
 * expired and its user is active.  Expiry slides: a session lapses after
 * idle_timeout (token-lifetime) without use, and at the latest at
 * expires_at (token-max-lifetime after sign-in); each use moves
 * last_seen_at.  A lapsed token is told apart (401 token_expired) from a
 * revoked one, because a device that holds the password may sign in again
 * by itself after the first but must not after the second.
 *
 * No enumeration.  prelogin answers an unknown e-mail with a salt derived
 * from a server secret (HMAC-SHA256 over the lower-cased address) and the
 * default KDF limits: the same shape as a real answer, stable across calls.
 * login answers an unknown e-mail, a wrong key, a deactivated account and a
 * wrong TOTP code with the same 401 body, and verifies the key against a
 * dummy hash of the same cost when there is no account, so the time taken
 * does not tell them apart either.
 *
 * Throttling.  Failed attempts are rows of auth_failures (lower-cased e-mail
 * and address).  When the account has login-attempts failures, or the
 * address login-attempts-per-address, within login-window seconds, the
 * answer is 429 before the key is looked at, with Retry-After set to when
 * enough of them will have left the window.  Refused attempts are not
 * failures, so waiting always helps.  Everything that checks a secret of an
 * account (login, password change, recovery, MFA enable/disable) first takes
 * the account's transaction-scoped advisory lock, pg_advisory_xact_lock
 * (ACCOUNT_LOCK_CLASS, hashtext (lower (email))): counting, checking and
 * recording a failure cannot interleave, and a TOTP step is consumed once.
 *
 * Transactions.  Each request is one PostgreSQL transaction on a pool
 * worker: the token check, the act, its audit entry and, for a failed
 * attempt, the failure row and its audit entry (an attempt that failed still
 * commits).  A request that is refused for its input writes nothing.  Slow
 * hashes run on the worker, never on the main loop.
 *
 * TOTP replay.  The schema has no column for the last accepted step, so
 * users.mfa_secret holds "<base32 secret>" after setup and "<base32
 * secret>:<step>" once a code has been accepted; the step is compared and
 * advanced under the account lock.  A dedicated column would be cleaner
 * (reported; sql/ belongs to the schema's owner).
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-audit.h"
#include "tf-auth.h"
#include "tf-crypto.h"
#include "tf-db.h"
#include "tf-error.h"
#include "tf-validate.h"

#define TOKEN_BYTES           32
#define AUTH_KEY_BYTES        TF_CRYPTO_KEY_BYTES
#define PUBLIC_KEY_BYTES      32
#define NAME_MAX_CHARS        100  /* profiles.first_name, last_name; therapists.license_number */
#define DEVICE_NAME_MAX_CHARS 200
#define ACCOUNT_LOCK_CLASS    0x7466  /* "tf": first key of the two-key advisory lock */
#define REGISTER_LOCK_CLASS   0x7467  /* the same, for registrations from one address */
#define SESSION_PATH          "/v1/auth/sessions/"

/* One message for every failed check of a secret, so none tells which failed. */
#define INVALID_CREDENTIALS   "wrong e-mail, auth key or code"

/* RFC 3339 UTC (the connection's time zone is UTC, see tf_db_connect). */
#define SQL_TIMESTAMP(column) "to_char(" column ", 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* When a session of auth_sessions @s lapses if it is not used again. */
#define SQL_SESSION_ENDS(s) \
  "least (" s ".expires_at, " s ".last_seen_at + coalesce (" s ".idle_timeout, " s ".expires_at - " \
  s ".last_seen_at))"
/* A session that is neither revoked nor lapsed. */
#define SQL_SESSION_LIVE(s) \
  s ".revoked_at IS NULL AND " SQL_SESSION_ENDS (s) " > now ()"

/* ------------------------------------------------------------------------ */
/* Jobs and replies                                                         */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char   *salt;      /* standard base64 of TF_CRYPTO_SALT_BYTES */
  gint64  opslimit;
  gint64  memlimit;
} Kdf;

typedef struct _AuthJob AuthJob;
typedef struct _AuthReply AuthReply;

/* Runs on a worker inside the request's transaction.  NULL with @error
 * rolls back; a reply (even one carrying an error) commits. */
typedef AuthReply *(*AuthOp) (PGconn *conn, AuthJob *job, GError **error);

/* Everything a worker needs, copied from the request on the main context:
 * the worker never touches the TfRequest. */
struct _AuthJob
{
  AuthOp          op;
  const TfConfig *config;              /* borrowed: outlives the server and its pool */
  gboolean        needs_caller;        /* check the bearer token first */
  char           *token;
  char           *address;
  char           *user_agent;
  TfCaller        caller;              /* filled on the worker when needs_caller */

  char           *email;               /* as sent */
  char           *email_key;           /* lower case: what accounts and throttling match */
  char           *role;
  TfSecret       *auth_key;            /* raw 32 bytes; the current one for a change */
  TfSecret       *new_auth_key;
  TfSecret       *recovery_auth_key;   /* raw 32 bytes: register (optional), recover */
  Kdf             kdf;
  char           *wrapped_master_key;
  char           *wrapped_recovery_key;
  char           *identity_public_key;
  char           *wrapped_identity_key;
  char           *signing_public_key;
  char           *wrapped_signing_key;
  char           *device_id;
  char           *device_name;
  char           *first_name;
  char           *last_name;
  char           *license_number;
  char           *chosen_user_id;  /* register: an id the device made offline, or NULL */
  char           *totp;                /* six digits, or NULL */
  char           *session_id;          /* DELETE /v1/auth/sessions/{id} */
  gboolean        end_other_sessions;
};

struct _AuthReply
{
  guint     status;
  JsonNode *body;         /* NULL: no body */
  GError   *error;        /* answered as an error, yet the transaction commits */
  gint64    retry_after;  /* seconds, with a rate_limited error */
};

static void
free_secret_string (char *text)
{
  if (text == NULL)
    return;
  sodium_memzero (text, strlen (text));
  g_free (text);
}

static void
auth_job_free (AuthJob *job)
{
  free_secret_string (job->token);
  g_free (job->address);
  g_free (job->user_agent);
  tf_auth_caller_clear (&job->caller);
  g_free (job->email);
  g_free (job->email_key);
  g_free (job->role);
  g_clear_pointer (&job->auth_key, tf_secret_free);
  g_clear_pointer (&job->new_auth_key, tf_secret_free);
  g_clear_pointer (&job->recovery_auth_key, tf_secret_free);
  g_free (job->kdf.salt);
  g_free (job->wrapped_master_key);
  g_free (job->wrapped_recovery_key);
  g_free (job->identity_public_key);
  g_free (job->wrapped_identity_key);
  g_free (job->signing_public_key);
  g_free (job->wrapped_signing_key);
  g_free (job->device_id);
  g_free (job->chosen_user_id);
  g_free (job->device_name);
  g_free (job->first_name);
  g_free (job->last_name);
  g_free (job->license_number);
  free_secret_string (job->totp);
  g_free (job->session_id);
  g_free (job);
}

static AuthReply *
auth_reply_new (guint status, JsonNode *body)
{
  AuthReply *reply = g_new0 (AuthReply, 1);

  reply->status = status;
  reply->body = body;
  return reply;
}

static AuthReply *
auth_reply_new_error (GError *error, gint64 retry_after)
{
  AuthReply *reply = g_new0 (AuthReply, 1);

  reply->error = error;
  reply->retry_after = retry_after;
  return reply;
}

static void
auth_reply_free (AuthReply *reply)
{
  g_clear_pointer (&reply->body, json_node_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

void
tf_auth_caller_clear (TfCaller *caller)
{
  g_return_if_fail (caller != NULL);

  g_clear_pointer (&caller->user_id, g_free);
  g_clear_pointer (&caller->role, g_free);
  g_clear_pointer (&caller->session_id, g_free);
  g_clear_pointer (&caller->device_id, g_free);
}

/* ------------------------------------------------------------------------ */
/* Reading request bodies (main context)                                    */
/* ------------------------------------------------------------------------ */

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
  free_secret_string (text);
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

static gboolean
parse_prelogin (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL && read_email (body, job, error) && check_email (job, error);
}

static gboolean
parse_register (TfRequest *req, AuthJob *job, GError **error)
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

static gboolean
parse_login (TfRequest *req, AuthJob *job, GError **error)
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

static gboolean
parse_recovery_login (TfRequest *req, AuthJob *job, GError **error)
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

static gboolean
parse_password (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL &&
         read_auth_key (body, "auth_key", &job->auth_key, error) &&
         read_new_password (body, job, error);
}

static gboolean
parse_recover (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL &&
         read_key (body, "recovery_auth_key", TRUE, &job->recovery_auth_key, error) &&
         read_new_password (body, job, error);
}

static gboolean
parse_mfa_code (TfRequest *req, AuthJob *job, GError **error)
{
  g_autoptr(JsonObject) body = tf_request_parse_object (req, error);

  return body != NULL && read_code (body, "code", TRUE, &job->totp, error);
}

static gboolean
parse_session_id (TfRequest *req, AuthJob *job, GError **error)
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

/* ------------------------------------------------------------------------ */
/* Secrets                                                                  */
/* ------------------------------------------------------------------------ */

/* The key of fake salts when the configuration names none: random, so stable
 * only for this process. */
static const guint8 *
process_salt_secret (void)
{
  static guint8 secret[32];
  static gsize ready = 0;

  if (g_once_init_enter (&ready))
    {
      randombytes_buf (secret, sizeof secret);
      g_once_init_leave (&ready, 1);
    }
  return secret;
}

static char *
fake_salt (const TfConfig *config, const char *email_key)
{
  crypto_auth_hmacsha256_state state;
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  const guint8 *key;
  gsize key_len;

  if (config->fake_salt_secret != NULL && *config->fake_salt_secret != '\0')
    {
      key = (const guint8 *) config->fake_salt_secret;
      key_len = strlen (config->fake_salt_secret);
    }
  else
    {
      key = process_salt_secret ();
      key_len = 32;
    }
  crypto_auth_hmacsha256_init (&state, key, key_len);
  crypto_auth_hmacsha256_update (&state, (const guint8 *) email_key, strlen (email_key));
  crypto_auth_hmacsha256_final (&state, mac);
  sodium_memzero (&state, sizeof state);
  return g_base64_encode (mac, TF_CRYPTO_SALT_BYTES);
}

static char *
hash_auth_key (const TfConfig *config, const TfSecret *key, GError **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (out, (const char *) tf_secret_get_data (key), tf_secret_get_size (key),
                         config->auth_hash_opslimit, config->auth_hash_memlimit) != 0)
    {
      g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FAILED,
                   "Argon2id of the auth key failed (out of memory?)");
      return NULL;
    }
  return g_strdup (out);
}

/* A hash of the server's cost over nothing anyone knows: verifying against
 * it when there is no account costs what a real check costs. */
static const char *
dummy_hash (const TfConfig *config)
{
  static char *hash = NULL;

  if (g_once_init_enter (&hash))
    {
      g_autoptr(TfSecret) junk = tf_secret_new_random (AUTH_KEY_BYTES);
      char *value = hash_auth_key (config, junk, NULL);

      g_once_init_leave (&hash, value != NULL ? value : g_strdup (""));
    }
  return hash;
}

/* TRUE only when @stored is a hash of @key; with @stored NULL spends the same
 * time and returns FALSE. */
static gboolean
verify_auth_key (const TfConfig *config, const char *stored, const TfSecret *key)
{
  const char *hash = stored != NULL ? stored : dummy_hash (config);
  gboolean ok = crypto_pwhash_str_verify (hash, (const char *) tf_secret_get_data (key),
                                          tf_secret_get_size (key)) == 0;

  return ok && stored != NULL;
}

/* Lower-case hex SHA-256 of a recovery proof: user_keys.recovery_auth_hash. */
static char *
recovery_hash_hex (const TfSecret *proof)
{
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];

  crypto_hash_sha256 (hash, tf_secret_get_data (proof), tf_secret_get_size (proof));
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  return g_strdup (hex);
}

/* TRUE only when SHA-256(@proof) is @stored (hex), compared in constant
 * time.  @stored NULL (an account without a proof) or unreadable: FALSE,
 * after the same work. */
static gboolean
verify_recovery_proof (const char *stored, const TfSecret *proof)
{
  guint8 expected[crypto_hash_sha256_BYTES] = { 0 };
  guint8 actual[crypto_hash_sha256_BYTES];
  size_t len = 0;
  gboolean readable;

  readable = stored != NULL &&
             sodium_hex2bin (expected, sizeof expected, stored, strlen (stored), NULL, &len,
                             NULL) == 0 && len == sizeof expected;
  crypto_hash_sha256 (actual, tf_secret_get_data (proof), tf_secret_get_size (proof));
  return sodium_memcmp (actual, expected, sizeof actual) == 0 && readable;
}

/* The bytea text form "\x<hex>" of SHA-256(@raw token). */
static void
token_hash_param (const guint8 raw[TOKEN_BYTES], char out[2 + 2 * crypto_hash_sha256_BYTES + 1])
{
  guint8 hash[crypto_hash_sha256_BYTES];

  crypto_hash_sha256 (hash, raw, TOKEN_BYTES);
  out[0] = '\\';
  out[1] = 'x';
  sodium_bin2hex (out + 2, 2 * crypto_hash_sha256_BYTES + 1, hash, sizeof hash);
}

/* ------------------------------------------------------------------------ */
/* Database steps (worker)                                                  */
/* ------------------------------------------------------------------------ */

static gboolean
db_true (PGresult *result, int row, int column)
{
  return !PQgetisnull (result, row, column) && PQgetvalue (result, row, column)[0] == 't';
}

static char *
db_dup (PGresult *result, int row, int column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

/* JSON text of string pairs (key, value, ..., NULL) for audit new_values. */
static char *
audit_values (const char *first_key, ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  const char *key;
  va_list args;

  json_builder_begin_object (builder);
  va_start (args, first_key);
  for (key = first_key; key != NULL; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);

      json_builder_set_member_name (builder, key);
      if (value != NULL)
        json_builder_add_string_value (builder, value);
      else
        json_builder_add_null_value (builder);
    }
  va_end (args);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static gboolean
audit (PGconn *conn, AuthJob *job, const char *user_id, const char *action, const char *table,
       const char *record_id, const char *values, GError **error)
{
  TfAuditActor actor = { user_id, job->address, job->user_agent };

  return tf_audit_append (conn, &actor, action, table, record_id, values, error);
}

/* The transaction-scoped advisory lock (@lock_class, hashtext (@key)). */
static gboolean
lock_key (PGconn *conn, int lock_class, const char *key, GError **error)
{
  g_autofree char *class_text = g_strdup_printf ("%d", lock_class);
  const char *params[] = { class_text, key };
  g_autoptr(PGresult) result =
    tf_db_query (conn, "SELECT pg_advisory_xact_lock ($1::integer, hashtext ($2))",
                 G_N_ELEMENTS (params), params, error);

  return result != NULL;
}

/* Serialises everything that checks a secret of the account @email_key. */
static gboolean
lock_account (PGconn *conn, const char *email_key, GError **error)
{
  return lock_key (conn, ACCOUNT_LOCK_CLASS, email_key, error);
}

/* The same lock for a signed-in caller; sets job->email_key. */
static gboolean
lock_caller_account (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->caller.user_id };
  g_autoptr(PGresult) result =
    tf_db_query (conn, "SELECT lower (email) FROM users WHERE id = $1::uuid", 1, params, error);

  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED, "unknown token");
      return FALSE;
    }
  g_free (job->email_key);
  job->email_key = g_strdup (PQgetvalue (result, 0, 0));
  return lock_account (conn, job->email_key, error);
}

/* Seconds until fewer than @limit failures matching @where remain in the
 * window, or 0 when there are fewer already: the @limit-th most recent one
 * is the one that has to leave. */
static gboolean
throttle_wait (PGconn *conn, const char *where, const char *value, guint limit, guint window,
               gint64 *out_seconds, GError **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  g_autofree char *window_text = g_strdup_printf ("%u", window);
  g_autofree char *sql = NULL;
  const char *params[] = { value, window_text, limit_text };
  g_autoptr(PGresult) result = NULL;

  /* @where is one of two literals below, never input. */
  sql = g_strconcat ("SELECT ceil (extract (epoch FROM failed_at + $2::bigint * interval '1 second'"
                     " - now ()))::bigint FROM auth_failures WHERE ", where,
                     " AND failed_at > now () - $2::bigint * interval '1 second'"
                     " ORDER BY failed_at DESC OFFSET ($3::bigint - 1) LIMIT 1", NULL);
  result = tf_db_query (conn, sql, G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return FALSE;
  *out_seconds = 0;
  if (PQntuples (result) == 1)
    *out_seconds = MAX (1, g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10));
  return TRUE;
}

/* Sets @out_limited to a rate_limited reply when the account or the address
 * is over its limit, else to NULL.  FALSE when the check itself failed. */
static gboolean
check_throttle (PGconn *conn, AuthJob *job, AuthReply **out_limited, GError **error)
{
  const TfConfig *config = job->config;
  gint64 by_account = 0, by_address = 0, wait;

  *out_limited = NULL;
  if (!throttle_wait (conn, "lower (email) = $1", job->email_key, config->login_attempts,
                      config->login_window, &by_account, error))
    return FALSE;
  if (job->address != NULL &&
      !throttle_wait (conn, "ip_address = $1::inet", job->address,
                      config->login_attempts_per_address, config->login_window, &by_address,
                      error))
    return FALSE;
  wait = MAX (by_account, by_address);
  if (wait > 0)
    *out_limited = auth_reply_new_error (g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_RATE_LIMITED,
                                                      "too many failed attempts; try again in %"
                                                      G_GINT64_FORMAT " seconds", wait), wait);
  return TRUE;
}

/* Records a failed attempt (throttling row and audit entry) and answers 401:
 * the transaction commits, the caller learns nothing about what failed. */
static AuthReply *
record_failure (PGconn *conn, AuthJob *job, const char *user_id, const char *reason,
                GError **error)
{
  const char *params[] = { job->email_key, job->address };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *values = audit_values ("email", job->email_key, "reason", reason, NULL);

  result = tf_db_query (conn, "INSERT INTO auth_failures (email, ip_address) VALUES ($1, $2::inet)",
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL ||
      !audit (conn, job, user_id, "login_failed", "users", user_id, values, error))
    return NULL;
  return auth_reply_new_error (g_error_new_literal (TF_HTTP_ERROR,
                                                    TF_HTTP_ERROR_INVALID_CREDENTIALS,
                                                    INVALID_CREDENTIALS), 0);
}

typedef struct
{
  char *id;
  char *token;       /* unpadded base64url of the 32 random bytes */
  char *expires_at;
} NewSession;

static void
new_session_clear (NewSession *session)
{
  g_clear_pointer (&session->id, g_free);
  g_clear_pointer (&session->token, free_secret_string);
  g_clear_pointer (&session->expires_at, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (NewSession, new_session_clear)

static gboolean
create_session (PGconn *conn, AuthJob *job, const char *user_id, NewSession *out,
                GError **error)
{
  guint8 raw[TOKEN_BYTES];
  char token[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  char hash[2 + 2 * crypto_hash_sha256_BYTES + 1];
  g_autofree char *lifetime = g_strdup_printf ("%" G_GINT64_FORMAT, job->config->token_lifetime);
  g_autofree char *max_lifetime = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                   job->config->token_max_lifetime);
  const char *params[] = {
    hash, user_id, job->device_id, job->device_name, lifetime, job->address, job->user_agent,
    max_lifetime,
  };
  g_autoptr(PGresult) result = NULL;

  randombytes_buf (raw, sizeof raw);
  sodium_bin2base64 (token, sizeof token, raw, sizeof raw,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  token_hash_param (raw, hash);
  sodium_memzero (raw, sizeof raw);
  result = tf_db_query (conn,
                        "INSERT INTO auth_sessions AS s (token_hash, user_id, device_id,"
                        " device_name, expires_at, idle_timeout, ip_address, user_agent)"
                        " VALUES ($1::bytea, $2::uuid, $3::uuid, $4,"
                        " now () + $8::bigint * interval '1 second',"
                        " $5::bigint * interval '1 second', $6::inet, $7)"
                        " RETURNING id, " SQL_TIMESTAMP (SQL_SESSION_ENDS ("s")),
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    {
      sodium_memzero (token, sizeof token);
      return FALSE;
    }
  out->id = g_strdup (PQgetvalue (result, 0, 0));
  out->expires_at = g_strdup (PQgetvalue (result, 0, 1));
  out->token = g_strdup (token);
  sodium_memzero (token, sizeof token);
  return TRUE;
}

static void
add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_kdf (JsonBuilder *builder, const char *salt, gint64 opslimit, gint64 memlimit)
{
  add_string (builder, "salt", salt);
  json_builder_set_member_name (builder, "opslimit");
  json_builder_add_int_value (builder, opslimit);
  json_builder_set_member_name (builder, "memlimit");
  json_builder_add_int_value (builder, memlimit);
}

/* The members register and login share. */
static void
add_session (JsonBuilder *builder, const char *user_id, const char *role,
             const NewSession *session)
{
  add_string (builder, "user_id", user_id);
  add_string (builder, "role", role);
  add_string (builder, "token", session->token);
  add_string (builder, "expires_at", session->expires_at);
  add_string (builder, "session_id", session->id);
}

/* Splits users.mfa_secret ("<base32>" or "<base32>:<last step>"). */
static guint8 *
parse_mfa_secret (const char *stored, char **out_base32, gint64 *out_last_step, gsize *out_len)
{
  const char *colon = stored != NULL ? strchr (stored, ':') : NULL;
  g_autofree char *base32 = NULL;
  guint8 *secret;

  if (stored == NULL)
    return NULL;
  base32 = colon != NULL ? g_strndup (stored, colon - stored) : g_strdup (stored);
  *out_last_step = colon != NULL ? g_ascii_strtoll (colon + 1, NULL, 10) : -1;
  secret = tf_totp_base32_decode (base32, out_len);
  if (secret == NULL || *out_len == 0)
    {
      g_free (secret);
      return NULL;
    }
  *out_base32 = g_steal_pointer (&base32);
  return secret;
}

/* Checks job->totp against @stored and, when it is good, consumes its step.
 * @out_ok FALSE for a wrong or replayed code. */
static gboolean
consume_totp (PGconn *conn, AuthJob *job, const char *user_id, const char *stored,
              gboolean *out_ok, GError **error)
{
  g_autofree char *base32 = NULL;
  g_autofree guint8 *secret = NULL;
  g_autofree char *updated = NULL;
  g_autoptr(PGresult) result = NULL;
  gint64 last_step = -1, step;
  gsize len = 0;

  *out_ok = FALSE;
  secret = parse_mfa_secret (stored, &base32, &last_step, &len);
  if (secret == NULL)
    {
      g_set_error (error, TF_DB_ERROR, TF_DB_ERROR_FAILED,
                   "users.mfa_secret of %s is unreadable", user_id);
      return FALSE;
    }
  step = tf_totp_verify (secret, len, job->totp, g_get_real_time () / G_USEC_PER_SEC, last_step);
  sodium_memzero (secret, len);
  if (step < 0)
    return TRUE;

  updated = g_strdup_printf ("%s:%" G_GINT64_FORMAT, base32, step);
  {
    const char *params[] = { user_id, updated, stored };

    /* Compare-and-set besides the account lock: a step is consumed once. */
    result = tf_db_query (conn, "UPDATE users SET mfa_secret = $2 WHERE id = $1::uuid"
                          " AND mfa_secret = $3", G_N_ELEMENTS (params), params, error);
  }
  if (result == NULL)
    return FALSE;
  *out_ok = g_strcmp0 (PQcmdTuples (result), "1") == 0;
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Token check                                                              */
/* ------------------------------------------------------------------------ */

/* Notes that session @session_id was seen now.  Many requests with one
 * token run at once, each in its own transaction (a pull's is REPEATABLE
 * READ), and a row updated by another since the snapshot would fail the
 * whole request with a serialization failure, a 503 on a healthy database.
 * Skipping is safe: the request that holds the row (SKIP LOCKED, no wait)
 * or updated it since (a serialization failure inside this transaction's
 * savepoint, forgotten) is setting or has set last_seen_at to now as well,
 * so the session still slides. */
static gboolean
touch_session (PGconn *conn, const char *session_id, GError **error)
{
  const char *params[] = { session_id };
  gboolean savepoint = PQtransactionStatus (conn) == PQTRANS_INTRANS;
  g_autoptr(PGresult) touched = NULL;
  g_autoptr(GError) local_error = NULL;

  if (savepoint && !tf_db_exec (conn, "SAVEPOINT touch_session", error))
    return FALSE;
  touched = tf_db_query (conn, "UPDATE auth_sessions SET last_seen_at = now ()"
                               " WHERE id = (SELECT id FROM auth_sessions WHERE id = $1::uuid"
                               " FOR UPDATE SKIP LOCKED)",
                         1, params, &local_error);
  if (touched == NULL &&
      (!savepoint || !g_error_matches (local_error, TF_DB_ERROR, TF_DB_ERROR_SERIALIZATION)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!savepoint)
    return TRUE;
  return tf_db_exec (conn, touched == NULL ? "ROLLBACK TO SAVEPOINT touch_session"
                                           : "RELEASE SAVEPOINT touch_session", error);
}

gboolean
tf_auth_check_token (PGconn *conn, const char *token, TfCaller *caller, GError **error)
{
  guint8 raw[TOKEN_BYTES];
  char hash[2 + 2 * crypto_hash_sha256_BYTES + 1];
  const char *params[] = { hash };
  g_autoptr(PGresult) result = NULL;
  size_t raw_len = 0;
  const char *problem = NULL;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);

  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED, "no token");
      return FALSE;
    }
  if (sodium_base642bin (raw, sizeof raw, token, strlen (token), NULL, &raw_len, NULL,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      raw_len != TOKEN_BYTES)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED, "unknown token");
      return FALSE;
    }
  token_hash_param (raw, hash);
  sodium_memzero (raw, sizeof raw);

  result = tf_db_query (conn,
                        "SELECT s.id, s.user_id, u.role, s.device_id, s.revoked_at IS NOT NULL,"
                        " " SQL_SESSION_ENDS ("s") " <= now (), u.is_active IS TRUE,"
                        /* often enough that a short idle limit still slides */
                        " s.last_seen_at < now () - least (interval '1 minute',"
                        " coalesce (s.idle_timeout / 4, interval '1 minute'))"
                        " FROM auth_sessions s JOIN users u ON u.id = s.user_id"
                        " WHERE s.token_hash = $1::bytea",
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    problem = "unknown token";
  else if (db_true (result, 0, 4))
    problem = "token revoked";
  else if (!db_true (result, 0, 6))
    problem = "account deactivated";
  else if (db_true (result, 0, 5))
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_TOKEN_EXPIRED, "token expired");
      return FALSE;
    }
  if (problem != NULL)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED, problem);
      return FALSE;
    }

  if (db_true (result, 0, 7) && !touch_session (conn, PQgetvalue (result, 0, 0), error))
    return FALSE;

  tf_auth_caller_clear (caller);
  caller->session_id = db_dup (result, 0, 0);
  caller->user_id = db_dup (result, 0, 1);
  caller->role = db_dup (result, 0, 2);
  caller->device_id = db_dup (result, 0, 3);
  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* The operations (worker, inside the request's transaction)                */
/* ------------------------------------------------------------------------ */

static AuthReply *
op_prelogin (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->email_key };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  result = tf_db_query (conn,
                        "SELECT k.kdf_salt, k.kdf_opslimit, k.kdf_memlimit"
                        " FROM users u JOIN user_keys k ON k.user_id = u.id"
                        " WHERE lower (u.email) = $1", 1, params, error);
  if (result == NULL)
    return NULL;
  json_builder_begin_object (builder);
  if (PQntuples (result) == 1)
    add_kdf (builder, PQgetvalue (result, 0, 0),
             g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10),
             g_ascii_strtoll (PQgetvalue (result, 0, 2), NULL, 10));
  else
    {
      g_autofree char *salt = fake_salt (job->config, job->email_key);

      add_kdf (builder, salt, TF_CRYPTO_KDF_OPSLIMIT_DEFAULT, TF_CRYPTO_KDF_MEMLIMIT_DEFAULT);
    }
  json_builder_end_object (builder);
  return auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

static AuthReply *
register_account (PGconn *conn, AuthJob *job, GError **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *opslimit = g_strdup_printf ("%" G_GINT64_FORMAT, job->kdf.opslimit);
  g_autofree char *memlimit = g_strdup_printf ("%" G_GINT64_FORMAT, job->kdf.memlimit);
  g_autofree char *values = NULL;
  g_autofree char *recovery_hash = NULL;
  g_auto(NewSession) session = { NULL };
  g_autoptr(JsonBuilder) builder = NULL;
  const char *public_keys[] = { job->identity_public_key, job->signing_public_key, NULL };

  /* The slow hash first: no row is locked while it runs. */
  hash = hash_auth_key (job->config, job->auth_key, error);
  fingerprint = tf_crypto_fingerprint (public_keys);
  if (hash == NULL)
    return NULL;
  g_assert (fingerprint != NULL); /* both keys were checked to be 32 bytes */
  if (job->recovery_auth_key != NULL)
    recovery_hash = recovery_hash_hex (job->recovery_auth_key);

  {
    const char *params[] = { job->email, hash, job->role, job->chosen_user_id };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "INSERT INTO users (id, email, password_hash, role)"
                   " VALUES (coalesce ($4::uuid, gen_random_uuid ()), $1, $2, $3)"
                   " ON CONFLICT DO NOTHING RETURNING id", G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
    if (PQntuples (result) != 1)
      {
        g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_EMAIL_TAKEN,
                     "an account with this e-mail already exists");
        return NULL;
      }
    user_id = g_strdup (PQgetvalue (result, 0, 0));
  }
  {
    const char *params[] = { user_id, job->first_name, job->last_name };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "INSERT INTO profiles (user_id, first_name, last_name)"
                   " VALUES ($1::uuid, $2, $3)", G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
  }
  if (job->license_number != NULL)
    {
      const char *params[] = { user_id, job->license_number };
      g_autoptr(PGresult) result =
        tf_db_query (conn, "INSERT INTO therapists (user_id, license_number) VALUES ($1::uuid, $2)"
                     " ON CONFLICT (license_number) DO NOTHING RETURNING user_id",
                     G_N_ELEMENTS (params), params, error);

      if (result == NULL)
        return NULL;
      if (PQntuples (result) != 1)
        {
          g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_LICENSE_TAKEN,
                       "a therapist with this license number is already registered");
          return NULL;
        }
    }
  /* The new profile (and therapist row) enter sync like any other write. */
  {
    const char *params[] = { user_id };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "SELECT sync_publish_account($1::uuid)", 1, params, error);

    if (result == NULL)
      return NULL;
  }
  {
    const char *params[] = {
      user_id, job->kdf.salt, opslimit, memlimit, job->wrapped_master_key,
      job->wrapped_recovery_key, job->identity_public_key, job->wrapped_identity_key,
      job->signing_public_key, job->wrapped_signing_key, fingerprint, recovery_hash,
    };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "INSERT INTO user_keys (user_id, kdf_salt, kdf_opslimit, kdf_memlimit,"
                   " wrapped_master_key, wrapped_recovery_key, identity_public_key,"
                   " wrapped_identity_key, signing_public_key, wrapped_signing_key, fingerprint,"
                   " recovery_auth_hash)"
                   " VALUES ($1::uuid, $2, $3::bigint, $4::bigint, $5, $6, $7, $8, $9, $10, $11,"
                   " $12)",
                   G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
  }
  if (!create_session (conn, job, user_id, &session, error))
    return NULL;
  values = audit_values ("role", job->role, "device_id", job->device_id, "session_id", session.id,
                         NULL);
  if (!audit (conn, job, user_id, "register", "users", user_id, values, error))
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  add_session (builder, user_id, job->role, &session);
  json_builder_end_object (builder);
  return auth_reply_new (SOUP_STATUS_CREATED, json_builder_get_root (builder));
}

/* Registration, rationed per address: every attempt within
 * register-window counts, made or refused, because each refusal tells
 * whether an e-mail has an account (docs/protocol.md, "Registration and
 * enumeration").  The address's advisory lock makes counting and recording
 * one step, so parallel requests cannot slip past the limit.  The attempt
 * row is kept when the registration is refused for a taken e-mail or
 * licence number: only the registration rolls back, to a savepoint. */
static AuthReply *
op_register (PGconn *conn, AuthJob *job, GError **error)
{
  const TfConfig *config = job->config;
  g_autofree char *limit = g_strdup_printf ("%u", config->register_attempts_per_address);
  g_autofree char *window = g_strdup_printf ("%u", config->register_window);
  g_autoptr(GError) local_error = NULL;
  AuthReply *reply;

  if (job->address != NULL)
    {
      const char *params[] = { job->address, window, limit };
      g_autoptr(PGresult) wait = NULL, recorded = NULL;
      gint64 seconds = 0;

      if (!lock_key (conn, REGISTER_LOCK_CLASS, job->address, error))
        return NULL;
      wait = tf_db_query (conn, "SELECT ceil (extract (epoch FROM attempted_at"
                          " + $2::bigint * interval '1 second' - now ()))::bigint"
                          " FROM register_attempts WHERE ip_address = $1::inet"
                          " AND attempted_at > now () - $2::bigint * interval '1 second'"
                          " ORDER BY attempted_at DESC OFFSET ($3::bigint - 1) LIMIT 1",
                          G_N_ELEMENTS (params), params, error);
      if (wait == NULL)
        return NULL;
      if (PQntuples (wait) == 1)
        seconds = MAX (1, g_ascii_strtoll (PQgetvalue (wait, 0, 0), NULL, 10));
      if (seconds > 0)
        return auth_reply_new_error (g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_RATE_LIMITED,
                                                  "too many registrations from this address;"
                                                  " try again in %" G_GINT64_FORMAT " seconds",
                                                  seconds), seconds);
      recorded = tf_db_query (conn, "INSERT INTO register_attempts (ip_address)"
                              " VALUES ($1::inet)", 1, params, error);
      if (recorded == NULL || !tf_db_exec (conn, "SAVEPOINT register", error))
        return NULL;
    }
  reply = register_account (conn, job, &local_error);
  if (reply != NULL)
    return reply;
  if (job->address == NULL || local_error->domain != TF_HTTP_ERROR ||
      !tf_db_exec (conn, "ROLLBACK TO SAVEPOINT register", NULL))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return auth_reply_new_error (g_steal_pointer (&local_error), 0);
}

enum
{
  USER_ID,
  USER_HASH,
  USER_ROLE,
  USER_ACTIVE,
  USER_MFA_ENABLED,
  USER_MFA_SECRET,
  USER_HAS_KEYS,
  USER_KDF_SALT,
  USER_KDF_OPSLIMIT,
  USER_KDF_MEMLIMIT,
  USER_WRAPPED_MASTER_KEY,
  USER_WRAPPED_RECOVERY_KEY,
  USER_IDENTITY_PUBLIC_KEY,
  USER_WRAPPED_IDENTITY_KEY,
  USER_SIGNING_PUBLIC_KEY,
  USER_WRAPPED_SIGNING_KEY,
  USER_FINGERPRINT,
  USER_RECOVERY_HASH,
};

/* The columns above, for one user. */
#define SELECT_USER \
  "SELECT u.id, u.password_hash, u.role, u.is_active IS TRUE," \
  " u.mfa_enabled IS TRUE, u.mfa_secret, k.user_id IS NOT NULL," \
  " k.kdf_salt, k.kdf_opslimit, k.kdf_memlimit, k.wrapped_master_key," \
  " k.wrapped_recovery_key, k.identity_public_key, k.wrapped_identity_key," \
  " k.signing_public_key, k.wrapped_signing_key, k.fingerprint, k.recovery_auth_hash" \
  " FROM users u LEFT JOIN user_keys k ON k.user_id = u.id"

static void
add_keys (JsonBuilder *builder, PGresult *user)
{
  static const struct { const char *name; int column; } members[] = {
    { "wrapped_master_key", USER_WRAPPED_MASTER_KEY },
    { "wrapped_recovery_key", USER_WRAPPED_RECOVERY_KEY },
    { "identity_public_key", USER_IDENTITY_PUBLIC_KEY },
    { "wrapped_identity_key", USER_WRAPPED_IDENTITY_KEY },
    { "signing_public_key", USER_SIGNING_PUBLIC_KEY },
    { "wrapped_signing_key", USER_WRAPPED_SIGNING_KEY },
    { "fingerprint", USER_FINGERPRINT },
  };

  json_builder_set_member_name (builder, "keys");
  if (!db_true (user, 0, USER_HAS_KEYS))
    {
      /* An account made by an administrator, before its first device. */
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kdf");
  json_builder_begin_object (builder);
  add_kdf (builder, PQgetvalue (user, 0, USER_KDF_SALT),
           g_ascii_strtoll (PQgetvalue (user, 0, USER_KDF_OPSLIMIT), NULL, 10),
           g_ascii_strtoll (PQgetvalue (user, 0, USER_KDF_MEMLIMIT), NULL, 10));
  json_builder_end_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    add_string (builder, members[i].name, PQgetvalue (user, 0, members[i].column));
  json_builder_end_object (builder);
}

/* A new session for the account of job->email: login (proof: the auth key,
 * then the TOTP code when MFA is on) and the sign-in of a device that holds
 * only the recovery key (proof: the recovery proof, which is a factor of
 * its own, so no TOTP code; the device sets a new password next).  Both
 * are throttled, counted and answered alike. */
static AuthReply *
sign_in (PGconn *conn, AuthJob *job, gboolean by_recovery, GError **error)
{
  const char *params[] = { job->email_key };
  g_autoptr(PGresult) user = NULL;
  g_auto(NewSession) session = { NULL };
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *values = NULL;
  AuthReply *limited;
  const char *user_id = NULL;
  const char *stored_hash = NULL;
  gboolean known, key_ok;

  if (!lock_account (conn, job->email_key, error))
    return NULL;
  if (!check_throttle (conn, job, &limited, error) || limited != NULL)
    return limited;

  user = tf_db_query (conn,
                      SELECT_USER " WHERE lower (u.email) = $1", 1, params, error);
  if (user == NULL)
    return NULL;
  known = PQntuples (user) == 1;
  if (known)
    {
      user_id = PQgetvalue (user, 0, USER_ID);
      stored_hash = PQgetvalue (user, 0, USER_HASH);
    }
  if (by_recovery)
    key_ok = verify_recovery_proof (known && !PQgetisnull (user, 0, USER_RECOVERY_HASH)
                                    ? PQgetvalue (user, 0, USER_RECOVERY_HASH) : NULL,
                                    job->recovery_auth_key);
  else
    key_ok = verify_auth_key (job->config, stored_hash, job->auth_key);
  if (!known)
    return record_failure (conn, job, NULL, "unknown_email", error);
  if (!key_ok)
    return record_failure (conn, job, user_id, by_recovery ? "wrong_recovery_key" : "wrong_key",
                           error);
  if (!db_true (user, 0, USER_ACTIVE))
    return record_failure (conn, job, user_id, "inactive", error);

  if (!by_recovery && db_true (user, 0, USER_MFA_ENABLED))
    {
      gboolean code_ok;

      if (job->totp == NULL)
        return auth_reply_new_error (g_error_new_literal (TF_HTTP_ERROR,
                                                          TF_HTTP_ERROR_MFA_REQUIRED,
                                                          "this account needs a TOTP code"
                                                          " (“totp”)"), 0);
      if (!consume_totp (conn, job, user_id,
                         PQgetisnull (user, 0, USER_MFA_SECRET)
                         ? NULL : PQgetvalue (user, 0, USER_MFA_SECRET), &code_ok, error))
        return NULL;
      if (!code_ok)
        return record_failure (conn, job, user_id, "wrong_totp", error);
    }

  /* The server's hash cost was raised since this hash was made: renew it. */
  if (!by_recovery &&
      crypto_pwhash_str_needs_rehash (stored_hash, job->config->auth_hash_opslimit,
                                      job->config->auth_hash_memlimit) != 0)
    {
      g_autofree char *hash = hash_auth_key (job->config, job->auth_key, error);
      const char *update[] = { user_id, hash };
      g_autoptr(PGresult) result = NULL;

      if (hash == NULL)
        return NULL;
      result = tf_db_query (conn, "UPDATE users SET password_hash = $2 WHERE id = $1::uuid",
                            G_N_ELEMENTS (update), update, error);
      if (result == NULL)
        return NULL;
    }

  if (!create_session (conn, job, user_id, &session, error))
    return NULL;
  {
    const char *update[] = { user_id };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "UPDATE users SET last_login = now () WHERE id = $1::uuid", 1, update,
                   error);

    if (result == NULL)
      return NULL;
  }
  values = audit_values ("device_id", job->device_id, "device_name", job->device_name, NULL);
  if (!audit (conn, job, user_id, by_recovery ? "login_recovery" : "login", "auth_sessions",
              session.id, values, error))
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  add_session (builder, user_id, PQgetvalue (user, 0, USER_ROLE), &session);
  add_keys (builder, user);
  json_builder_end_object (builder);
  return auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

static AuthReply *
op_login (PGconn *conn, AuthJob *job, GError **error)
{
  return sign_in (conn, job, FALSE, error);
}

static AuthReply *
op_recovery_login (PGconn *conn, AuthJob *job, GError **error)
{
  return sign_in (conn, job, TRUE, error);
}

static AuthReply *
op_logout (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->caller.session_id };
  g_autoptr(PGresult) result =
    tf_db_query (conn, "UPDATE auth_sessions SET revoked_at = now () WHERE id = $1::uuid"
                 " AND revoked_at IS NULL", 1, params, error);

  if (result == NULL ||
      !audit (conn, job, job->caller.user_id, "logout", "auth_sessions", job->caller.session_id,
              NULL, error))
    return NULL;
  return auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

/* The caller's own wrapped keys, as login returns them: a signed-in device
 * picks up a password changed or recovered on another device. */
static AuthReply *
op_own_keys (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->caller.user_id };
  g_autoptr(PGresult) user = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  user = tf_db_query (conn, SELECT_USER " WHERE u.id = $1::uuid", 1, params, error);
  if (user == NULL)
    return NULL;
  json_builder_begin_object (builder);
  add_keys (builder, user);
  json_builder_end_object (builder);
  return auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

static AuthReply *
op_list_sessions (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->caller.user_id };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  result = tf_db_query (conn,
                        "SELECT id, device_id, device_name, " SQL_TIMESTAMP ("created_at") ", "
                        SQL_TIMESTAMP ("last_seen_at") ", " SQL_TIMESTAMP (SQL_SESSION_ENDS ("s"))
                        ", " SQL_TIMESTAMP ("expires_at")
                        " FROM auth_sessions s WHERE user_id = $1::uuid AND " SQL_SESSION_LIVE ("s")
                        " ORDER BY created_at, id", 1, params, error);
  if (result == NULL)
    return NULL;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sessions");
  json_builder_begin_array (builder);
  for (int row = 0; row < PQntuples (result); row++)
    {
      json_builder_begin_object (builder);
      add_string (builder, "id", PQgetvalue (result, row, 0));
      add_string (builder, "device_id", PQgetvalue (result, row, 1));
      add_string (builder, "device_name",
                  PQgetisnull (result, row, 2) ? NULL : PQgetvalue (result, row, 2));
      add_string (builder, "created_at", PQgetvalue (result, row, 3));
      add_string (builder, "last_seen_at", PQgetvalue (result, row, 4));
      add_string (builder, "expires_at", PQgetvalue (result, row, 5));
      add_string (builder, "ends_at_latest", PQgetvalue (result, row, 6));
      json_builder_set_member_name (builder, "current");
      json_builder_add_boolean_value (builder, g_str_equal (PQgetvalue (result, row, 0),
                                                            job->caller.session_id));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

static AuthReply *
op_revoke_session (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->session_id, job->caller.user_id };
  g_autoptr(PGresult) result =
    tf_db_query (conn, "UPDATE auth_sessions s SET revoked_at = now () WHERE id = $1::uuid"
                 " AND user_id = $2::uuid AND " SQL_SESSION_LIVE ("s"),
                 G_N_ELEMENTS (params), params, error);

  if (result == NULL)
    return NULL;
  if (g_strcmp0 (PQcmdTuples (result), "1") != 0)
    {
      /* Someone else's session is as unknown as one that never existed. */
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND, "no such session");
      return NULL;
    }
  if (!audit (conn, job, job->caller.user_id, "session_revoked", "auth_sessions",
              job->session_id, NULL, error))
    return NULL;
  return auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

/* A new password for the signed-in caller: password change (proof: the
 * current auth key) and recovery (proof: the recovery proof) differ only in
 * the proof.  Under the account lock and the throttle, like every check of a
 * secret; a wrong proof is a failed attempt.  Stores the hash of the new
 * auth key and the new KDF parameters and master-key wrap; the recovery wrap
 * and the key pairs stay. */
static AuthReply *
set_new_password (PGconn *conn, AuthJob *job, gboolean by_recovery, GError **error)
{
  const char *user_id = job->caller.user_id;
  g_autoptr(PGresult) user = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *opslimit = g_strdup_printf ("%" G_GINT64_FORMAT, job->kdf.opslimit);
  g_autofree char *memlimit = g_strdup_printf ("%" G_GINT64_FORMAT, job->kdf.memlimit);
  g_autofree char *values = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 ended = 0;
  AuthReply *limited;
  gboolean proof_ok;

  if (!lock_caller_account (conn, job, error))
    return NULL;
  if (!check_throttle (conn, job, &limited, error) || limited != NULL)
    return limited;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT u.password_hash, k.recovery_auth_hash"
                        " FROM users u LEFT JOIN user_keys k ON k.user_id = u.id"
                        " WHERE u.id = $1::uuid", 1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (by_recovery)
    proof_ok = verify_recovery_proof (PQgetisnull (user, 0, 1) ? NULL : PQgetvalue (user, 0, 1),
                                      job->recovery_auth_key);
  else
    proof_ok = verify_auth_key (job->config, PQgetvalue (user, 0, 0), job->auth_key);
  if (!proof_ok)
    return record_failure (conn, job, user_id, by_recovery ? "password_recovery"
                                                           : "password_change", error);

  hash = hash_auth_key (job->config, job->new_auth_key, error);
  if (hash == NULL)
    return NULL;
  {
    const char *params[] = { user_id, hash };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "UPDATE users SET password_hash = $2, updated_at = now ()"
                   " WHERE id = $1::uuid", G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
  }
  {
    const char *params[] = { user_id, job->kdf.salt, opslimit, memlimit, job->wrapped_master_key };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "UPDATE user_keys SET kdf_salt = $2, kdf_opslimit = $3::bigint,"
                   " kdf_memlimit = $4::bigint, wrapped_master_key = $5, updated_at = now ()"
                   " WHERE user_id = $1::uuid", G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
    if (g_strcmp0 (PQcmdTuples (result), "1") != 0)
      {
        g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                     "this account has no keys to re-wrap");
        return NULL;
      }
  }
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sessions_ended");
  if (job->end_other_sessions)
    {
      const char *params[] = { user_id, job->caller.session_id };
      g_autoptr(PGresult) result =
        tf_db_query (conn, "UPDATE auth_sessions SET revoked_at = now () WHERE user_id = $1::uuid"
                     " AND id <> $2::uuid AND revoked_at IS NULL", G_N_ELEMENTS (params), params,
                     error);

      if (result == NULL)
        return NULL;
      ended = g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
    }
  json_builder_add_int_value (builder, ended);
  json_builder_end_object (builder);
  {
    g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, ended);

    values = audit_values ("end_other_sessions", job->end_other_sessions ? "true" : "false",
                           "sessions_ended", count, NULL);
  }
  if (!audit (conn, job, user_id, by_recovery ? "password_recovered" : "password_changed",
              "users", user_id, values, error))
    return NULL;
  return auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

static AuthReply *
op_change_password (PGconn *conn, AuthJob *job, GError **error)
{
  return set_new_password (conn, job, FALSE, error);
}

static AuthReply *
op_recover_password (PGconn *conn, AuthJob *job, GError **error)
{
  return set_new_password (conn, job, TRUE, error);
}

static AuthReply *
op_mfa_setup (PGconn *conn, AuthJob *job, GError **error)
{
  const char *user_id = job->caller.user_id;
  g_autoptr(PGresult) user = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autofree char *base32 = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (!lock_caller_account (conn, job, error))
    return NULL;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT email, mfa_enabled IS TRUE FROM users WHERE id = $1::uuid",
                        1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (db_true (user, 0, 1))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is already enabled; disable it first");
      return NULL;
    }
  secret = tf_secret_new_random (TF_TOTP_SECRET_BYTES);
  base32 = tf_totp_base32_encode (tf_secret_get_data (secret), tf_secret_get_size (secret));
  uri = tf_totp_uri (base32, PQgetvalue (user, 0, 0));
  {
    const char *params[] = { user_id, base32 };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "UPDATE users SET mfa_secret = $2 WHERE id = $1::uuid",
                   G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
  }
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  add_string (builder, "secret", base32);
  add_string (builder, "otpauth_uri", uri);
  json_builder_end_object (builder);
  return auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* enable: needs a set-up secret and a good code; disable: needs MFA on and a
 * good code.  A wrong code is a failed attempt like a wrong key. */
static AuthReply *
change_mfa (PGconn *conn, AuthJob *job, gboolean enable, GError **error)
{
  const char *user_id = job->caller.user_id;
  g_autoptr(PGresult) user = NULL;
  AuthReply *limited;
  gboolean code_ok;

  if (!lock_caller_account (conn, job, error))
    return NULL;
  if (!check_throttle (conn, job, &limited, error) || limited != NULL)
    return limited;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT mfa_enabled IS TRUE, mfa_secret FROM users"
                        " WHERE id = $1::uuid", 1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (enable && db_true (user, 0, 0))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is already enabled");
      return NULL;
    }
  if (enable && PQgetisnull (user, 0, 1))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "nothing to enable: call /v1/auth/mfa/setup first");
      return NULL;
    }
  if (!enable && !db_true (user, 0, 0))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is not enabled");
      return NULL;
    }
  if (!consume_totp (conn, job, user_id, PQgetvalue (user, 0, 1), &code_ok, error))
    return NULL;
  if (!code_ok)
    return record_failure (conn, job, user_id, enable ? "mfa_enable" : "mfa_disable", error);
  {
    const char *params[] = { user_id };
    g_autoptr(PGresult) result =
      tf_db_query (conn, enable
                   ? "UPDATE users SET mfa_enabled = true, updated_at = now () WHERE id = $1::uuid"
                   : "UPDATE users SET mfa_enabled = false, mfa_secret = NULL, updated_at = now ()"
                     " WHERE id = $1::uuid", 1, params, error);

    if (result == NULL)
      return NULL;
  }
  if (!audit (conn, job, user_id, enable ? "mfa_enabled" : "mfa_disabled", "users", user_id,
              NULL, error))
    return NULL;
  return auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

static AuthReply *
op_mfa_enable (PGconn *conn, AuthJob *job, GError **error)
{
  return change_mfa (conn, job, TRUE, error);
}

static AuthReply *
op_mfa_disable (PGconn *conn, AuthJob *job, GError **error)
{
  return change_mfa (conn, job, FALSE, error);
}

/* ------------------------------------------------------------------------ */
/* Routes                                                                   */
/* ------------------------------------------------------------------------ */

typedef gboolean (*AuthParse) (TfRequest *req, AuthJob *job, GError **error);

typedef struct
{
  const char *method;
  const char *path;
  gboolean    needs_caller;  /* a bearer token is required */
  AuthParse   parse;         /* main context: request -> job; NULL when nothing to read */
  AuthOp      op;            /* worker */
} AuthRoute;

static const AuthRoute auth_routes[] = {
  { "POST",   "/v1/auth/prelogin",     FALSE, parse_prelogin,   op_prelogin },
  { "POST",   "/v1/auth/register",     FALSE, parse_register,   op_register },
  { "POST",   "/v1/auth/login",        FALSE, parse_login,      op_login },
  { "POST",   "/v1/auth/logout",       TRUE,  NULL,             op_logout },
  { "GET",    "/v1/auth/sessions",     TRUE,  NULL,             op_list_sessions },
  { "GET",    "/v1/auth/keys",         TRUE,  NULL,             op_own_keys },
  { "DELETE", SESSION_PATH,            TRUE,  parse_session_id, op_revoke_session },
  { "POST",   "/v1/auth/password",     TRUE,  parse_password,   op_change_password },
  { "POST",   "/v1/auth/recover",      TRUE,  parse_recover,    op_recover_password },
  { "POST",   "/v1/auth/recover/login", FALSE, parse_recovery_login, op_recovery_login },
  { "POST",   "/v1/auth/mfa/setup",    TRUE,  NULL,             op_mfa_setup },
  { "POST",   "/v1/auth/mfa/enable",   TRUE,  parse_mfa_code,   op_mfa_enable },
  { "POST",   "/v1/auth/mfa/disable",  TRUE,  parse_mfa_code,   op_mfa_disable },
};

static gpointer
run_auth_job (PGconn *conn, gpointer data, GError **error)
{
  AuthJob *job = data;
  AuthReply *reply = NULL;

  if (!tf_db_exec (conn, "BEGIN", error))
    return NULL;
  if (!job->needs_caller || tf_auth_check_token (conn, job->token, &job->caller, error))
    reply = job->op (conn, job, error);
  if (reply == NULL || !tf_db_commit_durable (conn, error))
    {
      if (PQtransactionStatus (conn) != PQTRANS_IDLE)
        {
          PGresult *result = PQexec (conn, "ROLLBACK");

          PQclear (result);
        }
      g_clear_pointer (&reply, auth_reply_free);
      return NULL;
    }
  return reply;
}

static void
on_auth_done (TfRequest *req, gpointer result)
{
  AuthReply *reply = result;

  if (reply->error != NULL)
    {
      if (reply->retry_after > 0)
        {
          g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, reply->retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                        "Retry-After", seconds);
        }
      tf_request_reply_error (req, reply->error);
    }
  else if (reply->body == NULL)
    tf_request_reply_text (req, reply->status, NULL, "");
  else
    tf_request_reply_json (req, reply->status, reply->body);
}

static void
handle_auth (TfRequest *req)
{
  const AuthRoute *route = NULL;
  g_autoptr(GError) error = NULL;
  AuthJob *job;

  for (guint i = 0; i < G_N_ELEMENTS (auth_routes) && route == NULL; i++)
    if (g_str_equal (auth_routes[i].path, req->route) &&
        g_str_equal (auth_routes[i].method, req->method))
      route = &auth_routes[i];
  g_assert (route != NULL);

  /* No database round trip for what is plainly refused. */
  if (route->needs_caller && (req->token == NULL || *req->token == '\0'))
    {
      error = g_error_new_literal (TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED, "no token");
      tf_request_reply_error (req, error);
      return;
    }

  job = g_new0 (AuthJob, 1);
  job->op = route->op;
  job->config = tf_server_get_config (req->server);
  job->needs_caller = route->needs_caller;
  job->token = g_strdup (req->token);
  job->address = g_strdup (req->address);
  job->user_agent = g_strdup (req->user_agent);
  if (route->parse != NULL && !route->parse (req, job, &error))
    {
      auth_job_free (job);
      tf_request_reply_error (req, error);
      return;
    }
  tf_server_run_db (req, run_auth_job, job, (GDestroyNotify) auth_job_free,
                    (GDestroyNotify) auth_reply_free, on_auth_done);
}

void
tf_auth_register_routes (TfServer *server)
{
  g_return_if_fail (server != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (auth_routes); i++)
    tf_server_add_route (server, auth_routes[i].method, auth_routes[i].path, handle_auth);
}
