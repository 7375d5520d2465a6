/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-mfa.c: the TOTP second factor — setup, enable and disable
 * (POST /v1/auth/mfa/...), and the check of a code at sign-in and at
 * enable/disable (RFC 6238 itself is in tf-totp.c).
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

#include "tf-auth-private.h"
#include "tf-db.h"
#include "tf-error.h"

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
gboolean
tf_auth_consume_totp (PGconn *conn, AuthJob *job, const char *user_id, const char *stored,
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

AuthReply *
tf_auth_op_mfa_setup (PGconn *conn, AuthJob *job, GError **error)
{
  const char *user_id = job->caller.user_id;
  g_autoptr(PGresult) user = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autofree char *base32 = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (!tf_auth_lock_caller_account (conn, job, error))
    return NULL;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT email, mfa_enabled IS TRUE FROM users WHERE id = $1::uuid",
                        1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (tf_auth_db_true (user, 0, 1))
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
  tf_auth_add_string (builder, "secret", base32);
  tf_auth_add_string (builder, "otpauth_uri", uri);
  json_builder_end_object (builder);
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
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

  if (!tf_auth_lock_caller_account (conn, job, error))
    return NULL;
  if (!tf_auth_check_throttle (conn, job, &limited, error) || limited != NULL)
    return limited;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT mfa_enabled IS TRUE, mfa_secret FROM users"
                        " WHERE id = $1::uuid", 1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (enable && tf_auth_db_true (user, 0, 0))
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
  if (!enable && !tf_auth_db_true (user, 0, 0))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is not enabled");
      return NULL;
    }
  if (!tf_auth_consume_totp (conn, job, user_id, PQgetvalue (user, 0, 1), &code_ok, error))
    return NULL;
  if (!code_ok)
    return tf_auth_record_failure (conn, job, user_id, enable ? "mfa_enable" : "mfa_disable",
                                   error);
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
  if (!tf_auth_audit (conn, job, user_id, enable ? "mfa_enabled" : "mfa_disabled", "users", user_id,
                      NULL, error))
    return NULL;
  return tf_auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

AuthReply *
tf_auth_op_mfa_enable (PGconn *conn, AuthJob *job, GError **error)
{
  return change_mfa (conn, job, TRUE, error);
}

AuthReply *
tf_auth_op_mfa_disable (PGconn *conn, AuthJob *job, GError **error)
{
  return change_mfa (conn, job, FALSE, error);
}

