/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth.c: accounts — the /v1/auth routes and their dispatch, the job a
 * request becomes and its reply, and the steps the operations share:
 * hashing and checking secrets, the account lock, throttling and audit
 * entries (DESIGN.md §4-§5; the wire format is in docs/protocol.md,
 * "Accounts").  The operations are in tf-auth-session.c (tokens, sign-in,
 * sessions), tf-auth-register.c, tf-auth-recover.c (password change and
 * recovery) and tf-auth-mfa.c (TOTP); request bodies are read in
 * tf-auth-parse.c.
 *
 * What the server holds.  The device derives an auth key and a
 * key-encryption key from the password (Argon2id, parameters per account in
 * user_keys); only the 32-byte auth key reaches the server, which keeps it
 * as crypto_pwhash_str() at the server's own cost (auth-hash-opslimit and
 * -memlimit).  The wrapped keys are opaque to the server.
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
 * failures, so waiting always helps.  Rows that have left their window are
 * deleted by the server's hourly upkeep (tf_auth_purge_throttles).  Everything that checks a secret of an
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
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-audit.h"
#include "tf-auth-private.h"
#include "tf-db.h"
#include "tf-error.h"

/* One message for every failed check of a secret, so none tells which failed. */
#define INVALID_CREDENTIALS   "wrong e-mail, auth key or code"

/* ------------------------------------------------------------------------ */
/* Jobs and replies                                                         */
/* ------------------------------------------------------------------------ */

void
tf_auth_free_secret_string (char *text)
{
  if (text == NULL)
    return;
  sodium_memzero (text, strlen (text));
  g_free (text);
}

static void
auth_job_free (AuthJob *job)
{
  tf_auth_free_secret_string (job->token);
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
  g_free (job->invite_id);
  g_clear_pointer (&job->invite_rotation, json_object_unref);
  g_free (job->previous_keys);
  g_free (job->device_name);
  g_free (job->first_name);
  g_free (job->last_name);
  g_free (job->license_number);
  tf_auth_free_secret_string (job->totp);
  g_free (job->session_id);
  g_free (job);
}

AuthReply *
tf_auth_reply_new (guint status, JsonNode *body)
{
  AuthReply *reply = g_new0 (AuthReply, 1);

  reply->status = status;
  reply->body = body;
  return reply;
}

AuthReply *
tf_auth_reply_new_error (GError *error, gint64 retry_after)
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
/* Secrets                                                                  */
/* ------------------------------------------------------------------------ */

char *
tf_auth_hash_key (const TfConfig *config, const TfSecret *key, GError **error)
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
      char *value = tf_auth_hash_key (config, junk, NULL);

      g_once_init_leave (&hash, value != NULL ? value : g_strdup (""));
    }
  return hash;
}

/* TRUE only when @stored is a hash of @key; with @stored NULL spends the same
 * time and returns FALSE. */
gboolean
tf_auth_verify_key (const TfConfig *config, const char *stored, const TfSecret *key)
{
  const char *hash = stored != NULL ? stored : dummy_hash (config);
  gboolean ok = crypto_pwhash_str_verify (hash, (const char *) tf_secret_get_data (key),
                                          tf_secret_get_size (key)) == 0;

  return ok && stored != NULL;
}

/* Lower-case hex SHA-256 of a recovery proof: user_keys.recovery_auth_hash. */
char *
tf_auth_recovery_hash_hex (const TfSecret *proof)
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
gboolean
tf_auth_verify_recovery_proof (const char *stored, const TfSecret *proof)
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

/* ------------------------------------------------------------------------ */
/* Database steps (worker)                                                  */
/* ------------------------------------------------------------------------ */

gboolean
tf_auth_db_true (PGresult *result, int row, int column)
{
  return !PQgetisnull (result, row, column) && PQgetvalue (result, row, column)[0] == 't';
}

/* JSON text of string pairs (key, value, ..., NULL) for audit new_values. */
char *
tf_auth_audit_values (const char *first_key, ...)
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

gboolean
tf_auth_audit (PGconn *conn, AuthJob *job, const char *user_id, const char *action,
               const char *table, const char *record_id, const char *values, GError **error)
{
  TfAuditActor actor = { user_id, job->address, job->user_agent };

  return tf_audit_append (conn, &actor, action, table, record_id, values, error);
}

/* The transaction-scoped advisory lock (@lock_class, hashtext (@key)). */
gboolean
tf_auth_lock_key (PGconn *conn, int lock_class, const char *key, GError **error)
{
  g_autofree char *class_text = g_strdup_printf ("%d", lock_class);
  const char *params[] = { class_text, key };
  g_autoptr(PGresult) result =
    tf_db_query (conn, "SELECT pg_advisory_xact_lock ($1::integer, hashtext ($2))",
                 G_N_ELEMENTS (params), params, error);

  return result != NULL;
}

/* Serialises everything that checks a secret of the account @email_key. */
gboolean
tf_auth_lock_account (PGconn *conn, const char *email_key, GError **error)
{
  return tf_auth_lock_key (conn, ACCOUNT_LOCK_CLASS, email_key, error);
}

/* The same lock for a signed-in caller; sets job->email_key. */
gboolean
tf_auth_lock_caller_account (PGconn *conn, AuthJob *job, GError **error)
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
  return tf_auth_lock_account (conn, job->email_key, error);
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
gboolean
tf_auth_check_throttle (PGconn *conn, AuthJob *job, AuthReply **out_limited, GError **error)
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
    *out_limited = tf_auth_reply_new_error (g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_RATE_LIMITED,
                                                         "too many failed attempts; try again in %"
                                                         G_GINT64_FORMAT " seconds", wait), wait);
  return TRUE;
}

gboolean
tf_auth_purge_throttles (PGconn *conn, const TfConfig *config, GError **error)
{
  g_autofree char *login_window = g_strdup_printf ("%u", config->login_window);
  g_autofree char *register_window = g_strdup_printf ("%u", config->register_window);
  const char *login_params[] = { login_window };
  const char *register_params[] = { register_window };
  g_autoptr(PGresult) failures = NULL, attempts = NULL;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  /* Each statement commits on its own: a row left by a failure is only
   * deleted at the next upkeep. */
  failures = tf_db_query (conn, "DELETE FROM auth_failures"
                          " WHERE failed_at <= now () - $1::bigint * interval '1 second'",
                          1, login_params, error);
  if (failures == NULL)
    return FALSE;
  attempts = tf_db_query (conn, "DELETE FROM register_attempts"
                          " WHERE attempted_at <= now () - $1::bigint * interval '1 second'",
                          1, register_params, error);
  return attempts != NULL;
}

/* Records a failed attempt (throttling row and audit entry) and answers 401:
 * the transaction commits, the caller learns nothing about what failed. */
AuthReply *
tf_auth_record_failure (PGconn *conn, AuthJob *job, const char *user_id, const char *reason,
                        GError **error)
{
  const char *params[] = { job->email_key, job->address };
  g_autoptr(PGresult) result = NULL;
  g_autofree char *values = tf_auth_audit_values ("email", job->email_key, "reason", reason, NULL);

  result = tf_db_query (conn, "INSERT INTO auth_failures (email, ip_address) VALUES ($1, $2::inet)",
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL ||
      !tf_auth_audit (conn, job, user_id, "login_failed", "users", user_id, values, error))
    return NULL;
  return tf_auth_reply_new_error (g_error_new_literal (TF_HTTP_ERROR,
                                                       TF_HTTP_ERROR_INVALID_CREDENTIALS,
                                                       INVALID_CREDENTIALS), 0);
}

void
tf_auth_add_string (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

void
tf_auth_add_kdf (JsonBuilder *builder, const char *salt, gint64 opslimit, gint64 memlimit)
{
  tf_auth_add_string (builder, "salt", salt);
  json_builder_set_member_name (builder, "opslimit");
  json_builder_add_int_value (builder, opslimit);
  json_builder_set_member_name (builder, "memlimit");
  json_builder_add_int_value (builder, memlimit);
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
  { "POST",   "/v1/auth/prelogin",      FALSE,
    tf_auth_parse_prelogin, tf_auth_op_prelogin },
  { "POST",   "/v1/auth/register",      FALSE,
    tf_auth_parse_register, tf_auth_op_register },
  { "POST",   "/v1/auth/login",         FALSE,
    tf_auth_parse_login, tf_auth_op_login },
  { "POST",   "/v1/auth/logout",        TRUE,
    NULL, tf_auth_op_logout },
  { "GET",    "/v1/auth/sessions",      TRUE,
    NULL, tf_auth_op_list_sessions },
  { "GET",    "/v1/auth/keys",          TRUE,
    NULL, tf_auth_op_own_keys },
  { "DELETE", SESSION_PATH,             TRUE,
    tf_auth_parse_session_id, tf_auth_op_revoke_session },
  { "POST",   "/v1/auth/password",      TRUE,
    tf_auth_parse_password, tf_auth_op_change_password },
  { "POST",   "/v1/auth/recover",       TRUE,
    tf_auth_parse_recover, tf_auth_op_recover_password },
  { "POST",   "/v1/auth/recover/login", FALSE,
    tf_auth_parse_recovery_login, tf_auth_op_recovery_login },
  { "POST",   "/v1/auth/mfa/setup",     TRUE,
    NULL, tf_auth_op_mfa_setup },
  { "POST",   "/v1/auth/mfa/enable",    TRUE,
    tf_auth_parse_mfa_code, tf_auth_op_mfa_enable },
  { "POST",   "/v1/auth/mfa/disable",   TRUE,
    tf_auth_parse_mfa_code, tf_auth_op_mfa_disable },
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
