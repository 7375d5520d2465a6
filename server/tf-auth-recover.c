/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-recover.c: a new password for a signed-in caller — password
 * change (POST /v1/auth/password, proof: the current auth key) and recovery
 * (POST /v1/auth/recover, proof: the recovery proof).  The sign-in of a
 * device that holds only the recovery key is sign-in's (tf-auth-session.c).
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
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-auth-private.h"
#include "tf-db.h"
#include "tf-error.h"

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

  if (!tf_auth_lock_caller_account (conn, job, error))
    return NULL;
  if (!tf_auth_check_throttle (conn, job, &limited, error) || limited != NULL)
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
    proof_ok = tf_auth_verify_recovery_proof (PQgetisnull (user, 0, 1)
                                              ? NULL : PQgetvalue (user, 0, 1),
                                              job->recovery_auth_key);
  else
    proof_ok = tf_auth_verify_key (job->config, PQgetvalue (user, 0, 0), job->auth_key);
  if (!proof_ok)
    return tf_auth_record_failure (conn, job, user_id, by_recovery ? "password_recovery"
                                                                   : "password_change", error);

  hash = tf_auth_hash_key (job->config, job->new_auth_key, error);
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

    values = tf_auth_audit_values ("end_other_sessions", job->end_other_sessions ? "true" : "false",
                                   "sessions_ended", count, NULL);
  }
  if (!tf_auth_audit (conn, job, user_id, by_recovery ? "password_recovered" : "password_changed",
                      "users", user_id, values, error))
    return NULL;
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

AuthReply *
tf_auth_op_change_password (PGconn *conn, AuthJob *job, GError **error)
{
  return set_new_password (conn, job, FALSE, error);
}

AuthReply *
tf_auth_op_recover_password (PGconn *conn, AuthJob *job, GError **error)
{
  return set_new_password (conn, job, TRUE, error);
}

