/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-session.c: bearer tokens and sessions — prelogin, sign-in (login
 * and recovery login), the token check every other subsystem calls
 * (tf_auth_check_token), sliding expiry, logout, and listing and revoking
 * one's sessions.
 *
 * Tokens are 32 random bytes, sent as unpadded base64url and stored only as
 * their SHA-256 (auth_sessions.token_hash), so a copy of the database does
 * not let anyone in.  A session is live while it is neither revoked nor
 * expired and its user is active.  Expiry slides: a session lapses after
 * idle_timeout (token-lifetime) without use, and at the latest at
 * expires_at (token-max-lifetime after sign-in); each use moves
 * last_seen_at.  A lapsed token is told apart (401 token_expired) from a
 * revoked one, because a device that holds the password may sign in again
 * by itself after the first but must not after the second.  The row of a
 * session that ended stays token-max-lifetime longer, so that a device
 * coming back after a while still hears token_expired, then the upkeep
 * deletes it (tf_auth_purge_sessions) and its token is an unknown one.
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-auth-private.h"
#include "tf-db.h"
#include "tf-error.h"

#define TOKEN_BYTES           32
/* The most rows of ended sessions one upkeep deletes: a backlog (a server
 * that never purged, or many sign-ins) goes over a few hours in short
 * statements instead of one that holds the table for long. */
#define PURGE_SESSIONS_BATCH  10000

/* RFC 3339 UTC (the connection's time zone is UTC, see tf_db_connect). */
#define SQL_TIMESTAMP(column) "to_char(" column ", 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

/* When a session of auth_sessions @s lapses if it is not used again. */
#define SQL_SESSION_ENDS(s) \
  "least (" s ".expires_at, " s ".last_seen_at + coalesce (" s ".idle_timeout, " \
  s ".expires_at - " s ".last_seen_at))"
/* A session that is neither revoked nor lapsed. */
#define SQL_SESSION_LIVE(s) \
  s ".revoked_at IS NULL AND " SQL_SESSION_ENDS (s) " > now ()"

/* ------------------------------------------------------------------------ */
/* Fake salts, token hashes and new sessions                                */
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

static char *
db_dup (PGresult *result, int row, int column)
{
  return PQgetisnull (result, row, column) ? NULL : g_strdup (PQgetvalue (result, row, column));
}

void
tf_auth_new_session_clear (NewSession *session)
{
  g_clear_pointer (&session->id, g_free);
  g_clear_pointer (&session->token, tf_auth_free_secret_string);
  g_clear_pointer (&session->expires_at, g_free);
}

gboolean
tf_auth_create_session (PGconn *conn, AuthJob *job, const char *user_id, NewSession *out,
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

/* The members register and login share. */
void
tf_auth_add_session (JsonBuilder *builder, const char *user_id, const char *role,
                     const NewSession *session)
{
  tf_auth_add_string (builder, "user_id", user_id);
  tf_auth_add_string (builder, "role", role);
  tf_auth_add_string (builder, "token", session->token);
  tf_auth_add_string (builder, "expires_at", session->expires_at);
  tf_auth_add_string (builder, "session_id", session->id);
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
                        " coalesce (s.idle_timeout / 4, interval '1 minute')),"
                        " s.revoke_reason IS NOT DISTINCT FROM 'keys_replaced'"
                        " FROM auth_sessions s JOIN users u ON u.id = s.user_id"
                        " WHERE s.token_hash = $1::bytea",
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) != 1)
    problem = "unknown token";
  else if (tf_auth_db_true (result, 0, 4) && tf_auth_db_true (result, 0, 8))
    {
      /* Told apart: the device says its keys were replaced elsewhere. */
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_KEYS_REPLACED,
                           "token revoked: the account's keys were replaced on another device");
      return FALSE;
    }
  else if (tf_auth_db_true (result, 0, 4))
    problem = "token revoked";
  else if (!tf_auth_db_true (result, 0, 6))
    problem = "account deactivated";
  else if (tf_auth_db_true (result, 0, 5))
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_TOKEN_EXPIRED, "token expired");
      return FALSE;
    }
  if (problem != NULL)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_UNAUTHORIZED, problem);
      return FALSE;
    }

  if (tf_auth_db_true (result, 0, 7) && !touch_session (conn, PQgetvalue (result, 0, 0), error))
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

AuthReply *
tf_auth_op_prelogin (PGconn *conn, AuthJob *job, GError **error)
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
    tf_auth_add_kdf (builder, PQgetvalue (result, 0, 0),
                     g_ascii_strtoll (PQgetvalue (result, 0, 1), NULL, 10),
                     g_ascii_strtoll (PQgetvalue (result, 0, 2), NULL, 10));
  else
    {
      g_autofree char *salt = fake_salt (job->config, job->email_key);

      tf_auth_add_kdf (builder, salt, TF_CRYPTO_KDF_OPSLIMIT_DEFAULT,
                       TF_CRYPTO_KDF_MEMLIMIT_DEFAULT);
    }
  json_builder_end_object (builder);
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
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
  USER_PREVIOUS_KEYS,
};

/* The columns above, for one user. */
#define SELECT_USER \
  "SELECT u.id, u.password_hash, u.role, u.is_active IS TRUE," \
  " u.mfa_enabled IS TRUE, u.mfa_secret, k.user_id IS NOT NULL," \
  " k.kdf_salt, k.kdf_opslimit, k.kdf_memlimit, k.wrapped_master_key," \
  " k.wrapped_recovery_key, k.identity_public_key, k.wrapped_identity_key," \
  " k.signing_public_key, k.wrapped_signing_key, k.fingerprint, k.recovery_auth_hash," \
  " k.previous_keys::text" \
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
  if (!tf_auth_db_true (user, 0, USER_HAS_KEYS))
    {
      /* An account made by an administrator, before its first device. */
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kdf");
  json_builder_begin_object (builder);
  tf_auth_add_kdf (builder, PQgetvalue (user, 0, USER_KDF_SALT),
                   g_ascii_strtoll (PQgetvalue (user, 0, USER_KDF_OPSLIMIT), NULL, 10),
                   g_ascii_strtoll (PQgetvalue (user, 0, USER_KDF_MEMLIMIT), NULL, 10));
  json_builder_end_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    tf_auth_add_string (builder, members[i].name, PQgetvalue (user, 0, members[i].column));
  /* The identity keys before a rotation (0014), still wrapped by the master
   * key: they open what others sealed to them and have not sealed again. */
  {
    g_autoptr(JsonNode) previous = json_from_string (PQgetvalue (user, 0, USER_PREVIOUS_KEYS),
                                                     NULL);

    if (previous != NULL && JSON_NODE_HOLDS_ARRAY (previous) &&
        json_array_get_length (json_node_get_array (previous)) > 0)
      {
        json_builder_set_member_name (builder, "previous_keys");
        json_builder_add_value (builder, g_steal_pointer (&previous));
      }
  }
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

  if (!tf_auth_lock_account (conn, job->email_key, error))
    return NULL;
  if (!tf_auth_check_throttle (conn, job, &limited, error) || limited != NULL)
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
    key_ok = tf_auth_verify_recovery_proof (known && !PQgetisnull (user, 0, USER_RECOVERY_HASH)
                                            ? PQgetvalue (user, 0, USER_RECOVERY_HASH) : NULL,
                                            job->recovery_auth_key);
  else
    key_ok = tf_auth_verify_key (job->config, stored_hash, job->auth_key);
  if (!known)
    return tf_auth_record_failure (conn, job, NULL, "unknown_email", error);
  if (!key_ok)
    return tf_auth_record_failure (conn, job, user_id,
                                   by_recovery ? "wrong_recovery_key" : "wrong_key", error);
  if (!tf_auth_db_true (user, 0, USER_ACTIVE))
    return tf_auth_record_failure (conn, job, user_id, "inactive", error);

  if (!by_recovery && tf_auth_db_true (user, 0, USER_MFA_ENABLED))
    {
      gboolean code_ok;

      if (job->totp == NULL)
        return tf_auth_reply_new_error (g_error_new_literal (TF_HTTP_ERROR,
                                                             TF_HTTP_ERROR_MFA_REQUIRED,
                                                             "this account needs a TOTP code"
                                                             " (“totp”)"), 0);
      if (!tf_auth_consume_totp (conn, job, user_id,
                                 PQgetisnull (user, 0, USER_MFA_SECRET)
                                 ? NULL : PQgetvalue (user, 0, USER_MFA_SECRET), &code_ok, error))
        return NULL;
      if (!code_ok)
        return tf_auth_record_failure (conn, job, user_id, "wrong_totp", error);
    }

  /* The server's hash cost was raised since this hash was made: renew it. */
  if (!by_recovery &&
      crypto_pwhash_str_needs_rehash (stored_hash, job->config->auth_hash_opslimit,
                                      job->config->auth_hash_memlimit) != 0)
    {
      g_autofree char *hash = tf_auth_hash_key (job->config, job->auth_key, error);
      const char *update[] = { user_id, hash };
      g_autoptr(PGresult) result = NULL;

      if (hash == NULL)
        return NULL;
      result = tf_db_query (conn, "UPDATE users SET password_hash = $2 WHERE id = $1::uuid",
                            G_N_ELEMENTS (update), update, error);
      if (result == NULL)
        return NULL;
    }

  if (!tf_auth_create_session (conn, job, user_id, &session, error))
    return NULL;
  {
    const char *update[] = { user_id };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "UPDATE users SET last_login = now () WHERE id = $1::uuid", 1, update,
                   error);

    if (result == NULL)
      return NULL;
  }
  values = tf_auth_audit_values ("device_id", job->device_id, "device_name", job->device_name,
                                 NULL);
  if (!tf_auth_audit (conn, job, user_id, by_recovery ? "login_recovery" : "login", "auth_sessions",
                      session.id, values, error))
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  tf_auth_add_session (builder, user_id, PQgetvalue (user, 0, USER_ROLE), &session);
  add_keys (builder, user);
  json_builder_end_object (builder);
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

AuthReply *
tf_auth_op_login (PGconn *conn, AuthJob *job, GError **error)
{
  return sign_in (conn, job, FALSE, error);
}

AuthReply *
tf_auth_op_recovery_login (PGconn *conn, AuthJob *job, GError **error)
{
  return sign_in (conn, job, TRUE, error);
}

AuthReply *
tf_auth_op_logout (PGconn *conn, AuthJob *job, GError **error)
{
  const char *params[] = { job->caller.session_id };
  g_autoptr(PGresult) result =
    tf_db_query (conn, "UPDATE auth_sessions SET revoked_at = now () WHERE id = $1::uuid"
                 " AND revoked_at IS NULL", 1, params, error);

  if (result == NULL ||
      !tf_auth_audit (conn, job, job->caller.user_id, "logout", "auth_sessions",
                      job->caller.session_id, NULL, error))
    return NULL;
  return tf_auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

/* The caller's own wrapped keys, as login returns them: a signed-in device
 * picks up a password changed or recovered on another device. */
AuthReply *
tf_auth_op_own_keys (PGconn *conn, AuthJob *job, GError **error)
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
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

AuthReply *
tf_auth_op_list_sessions (PGconn *conn, AuthJob *job, GError **error)
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
      tf_auth_add_string (builder, "id", PQgetvalue (result, row, 0));
      tf_auth_add_string (builder, "device_id", PQgetvalue (result, row, 1));
      tf_auth_add_string (builder, "device_name",
                          PQgetisnull (result, row, 2) ? NULL : PQgetvalue (result, row, 2));
      tf_auth_add_string (builder, "created_at", PQgetvalue (result, row, 3));
      tf_auth_add_string (builder, "last_seen_at", PQgetvalue (result, row, 4));
      tf_auth_add_string (builder, "expires_at", PQgetvalue (result, row, 5));
      tf_auth_add_string (builder, "ends_at_latest", PQgetvalue (result, row, 6));
      json_builder_set_member_name (builder, "current");
      json_builder_add_boolean_value (builder, g_str_equal (PQgetvalue (result, row, 0),
                                                            job->caller.session_id));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

AuthReply *
tf_auth_op_revoke_session (PGconn *conn, AuthJob *job, GError **error)
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
  if (!tf_auth_audit (conn, job, job->caller.user_id, "session_revoked", "auth_sessions",
                      job->session_id, NULL, error))
    return NULL;
  return tf_auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

/* ------------------------------------------------------------------------ */
/* Upkeep                                                                   */
/* ------------------------------------------------------------------------ */

gboolean
tf_auth_purge_sessions (PGconn *conn, const TfConfig *config, GError **error)
{
  g_autofree char *keep = g_strdup_printf ("%" G_GINT64_FORMAT, config->token_max_lifetime);
  g_autofree char *batch = g_strdup_printf ("%d", PURGE_SESSIONS_BATCH);
  const char *params[] = { keep, batch };
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  /* Ended when revoked or lapsed, whichever came first (least () skips a
   * NULL revoked_at); the longest ended go first. */
  result = tf_db_query (conn, "DELETE FROM auth_sessions WHERE id IN (SELECT s.id"
                        " FROM auth_sessions s WHERE least (s.revoked_at, "
                        SQL_SESSION_ENDS ("s") ") <= now () - $1::bigint * interval '1 second'"
                        " ORDER BY least (s.revoked_at, " SQL_SESSION_ENDS ("s") ")"
                        " LIMIT $2::integer)",
                        G_N_ELEMENTS (params), params, error);
  return result != NULL;
}
