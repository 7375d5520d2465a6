/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-register.c: registration (POST /v1/auth/register) — the account,
 * its profile (and therapist row), its keys and its first session in one
 * transaction, rationed per address (register-attempts-per-address within
 * register-window).
 *
 * With an invitation (issue 12; docs/protocol.md, "Managed clients and
 * invitations") the account is not made but taken over: the managed
 * client's users row gets the e-mail and password hash and loses its
 * managing therapist, its user_keys row the new keys (the managed ones
 * kept as previous keys), the rotation from the managed keys to the new
 * ones is kept as a signed rotation, and the invitation (with every other
 * of the client's) is used up — only when the rotation is signed by the
 * managed signing key the server holds, which only the code's holder can
 * open, and by the new key.  The profile and everything else the therapist
 * wrote in the client's name stay as they are, already the client's.
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-auth-private.h"
#include "tf-clients.h"
#include "tf-keys.h"
#include "tf-db.h"
#include "tf-error.h"

/* The managed client's row and keys, taken over by the registration of
 * @job (its invite_id): see the top of this file. */
static gboolean
take_over_account (PGconn *conn, AuthJob *job, const char *hash, const char *fingerprint,
                   const char *opslimit, const char *memlimit, const char *recovery_hash,
                   GError **error)
{
  JsonObject *r = job->invite_rotation;
  g_autofree char *client_id = NULL;
  g_autoptr(PGresult) current = NULL;
  g_autoptr(GError) local = NULL;
  const char *old_identity, *old_signing, *old_fingerprint;
  const char *user_id = job->chosen_user_id;

  if (!tf_clients_check_invite (conn, job->invite_id, TRUE, &client_id, NULL, NULL, error))
    return FALSE;
  if (strcmp (client_id, user_id) != 0 || g_strcmp0 (job->role, "client") != 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_UNKNOWN,
                           "there is no such invitation");
      return FALSE;
    }
  {
    const char *params[] = { user_id };

    current = tf_db_query (conn, "SELECT k.identity_public_key, k.signing_public_key,"
                                 " k.fingerprint FROM user_keys k JOIN users u ON u.id = k.user_id"
                                 " WHERE k.user_id = $1::uuid AND u.managed_by IS NOT NULL"
                                 " FOR UPDATE", 1, params, error);
  }
  if (current == NULL)
    return FALSE;
  if (PQntuples (current) != 1)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_USED,
                           "this invitation was used already");
      return FALSE;
    }
  old_identity = PQgetvalue (current, 0, 0);
  old_signing = PQgetvalue (current, 0, 1);
  old_fingerprint = PQgetvalue (current, 0, 2);
  if (g_strcmp0 (json_object_get_string_member_with_default (r, "old_identity_public_key", NULL),
                 old_identity) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (r, "old_signing_public_key", NULL),
                 old_signing) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (r, "identity_public_key", NULL),
                 job->identity_public_key) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (r, "signing_public_key", NULL),
                 job->signing_public_key) != 0 ||
      !tf_keys_verify_rotation (user_id, r, &local))
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_FORBIDDEN,
                           "the hand-over is not signed by the client's keys and the new ones");
      return FALSE;
    }
  {
    const char *params[] = { job->email };
    g_autoptr(PGresult) taken = tf_db_query (conn, "SELECT 1 FROM users"
                                                   " WHERE lower (email) = lower ($1)",
                                             1, params, error);

    if (taken == NULL)
      return FALSE;
    if (PQntuples (taken) > 0)
      {
        g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_EMAIL_TAKEN,
                     "an account with this e-mail already exists");
        return FALSE;
      }
  }
  {
    const char *params[] = {
      user_id, job->email, hash, job->kdf.salt, opslimit, memlimit, job->wrapped_master_key,
      job->wrapped_recovery_key, job->identity_public_key, job->wrapped_identity_key,
      job->signing_public_key, job->wrapped_signing_key, fingerprint, recovery_hash,
      job->previous_keys, old_identity, old_signing, old_fingerprint,
      json_object_get_string_member (r, "signature_by_old"),
      json_object_get_string_member (r, "signature_by_new"), job->invite_id,
    };
    g_autoptr(PGresult) done =
      tf_db_query (conn,
                   "WITH u AS (UPDATE users SET email = $2, password_hash = $3, managed_by = NULL,"
                   "   updated_at = now () WHERE id = $1::uuid AND managed_by IS NOT NULL"
                   "   RETURNING id),"
                   " k AS (UPDATE user_keys SET kdf_salt = $4, kdf_opslimit = $5::bigint,"
                   "   kdf_memlimit = $6::bigint, wrapped_master_key = $7,"
                   "   wrapped_recovery_key = $8, identity_public_key = $9,"
                   "   wrapped_identity_key = $10, signing_public_key = $11,"
                   "   wrapped_signing_key = $12, fingerprint = $13, recovery_auth_hash = $14,"
                   "   previous_keys = $15::jsonb, updated_at = now ()"
                   "   WHERE user_id = (SELECT id FROM u) RETURNING user_id),"
                   " r AS (INSERT INTO user_key_rotations (user_id, seq, old_identity_public_key,"
                   "   old_signing_public_key, old_fingerprint, identity_public_key,"
                   "   signing_public_key, fingerprint, signature_by_old, signature_by_new)"
                   "   SELECT user_id, coalesce ((SELECT max (seq) FROM user_key_rotations"
                   "   WHERE user_id = $1::uuid), 0) + 1, $16, $17, $18, $9, $11, $13, $19, $20"
                   "   FROM k RETURNING 1)"
                   " UPDATE client_invites SET used_at = now () WHERE client_id = $1::uuid"
                   " AND used_at IS NULL AND EXISTS (SELECT 1 FROM r)"
                   " RETURNING (id = $21::uuid)",
                   G_N_ELEMENTS (params), params, error);

    if (done == NULL)
      return FALSE;
    if (PQntuples (done) == 0)
      {
        g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_USED,
                             "this invitation was used already");
        return FALSE;
      }
  }
  return TRUE;
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
  hash = tf_auth_hash_key (job->config, job->auth_key, error);
  fingerprint = tf_crypto_fingerprint (public_keys);
  if (hash == NULL)
    return NULL;
  g_assert (fingerprint != NULL); /* both keys were checked to be 32 bytes */
  if (job->recovery_auth_key != NULL)
    recovery_hash = tf_auth_recovery_hash_hex (job->recovery_auth_key);

  if (job->invite_id != NULL)
    {
      if (!take_over_account (conn, job, hash, fingerprint, opslimit, memlimit, recovery_hash,
                              error))
        return NULL;
      user_id = g_strdup (job->chosen_user_id);
      goto session;
    }
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
session:
  if (!tf_auth_create_session (conn, job, user_id, &session, error))
    return NULL;
  values = tf_auth_audit_values ("role", job->role, "device_id", job->device_id,
                                 "session_id", session.id, NULL);
  if (!tf_auth_audit (conn, job, user_id, job->invite_id != NULL ? "took_over" : "register",
                      "users", user_id, values, error))
    return NULL;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  tf_auth_add_session (builder, user_id, job->role, &session);
  json_builder_end_object (builder);
  return tf_auth_reply_new (SOUP_STATUS_CREATED, json_builder_get_root (builder));
}

/* Registration, rationed per address: every attempt within
 * register-window counts, made or refused, because each refusal tells
 * whether an e-mail has an account (docs/protocol.md, "Registration and
 * enumeration").  The address's advisory lock makes counting and recording
 * one step, so parallel requests cannot slip past the limit.  The attempt
 * row is kept when the registration is refused for a taken e-mail or
 * licence number: only the registration rolls back, to a savepoint. */
AuthReply *
tf_auth_op_register (PGconn *conn, AuthJob *job, GError **error)
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

      if (!tf_auth_lock_key (conn, REGISTER_LOCK_CLASS, job->address, error))
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
        return tf_auth_reply_new_error (g_error_new (TF_HTTP_ERROR, TF_HTTP_ERROR_RATE_LIMITED,
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
  return tf_auth_reply_new_error (g_steal_pointer (&local_error), 0);
}

