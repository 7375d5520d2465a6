/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-keys.c: the public keys devices pin and seal to —
 * GET /v1/keys/{id} (a user's, by id, with the signed rotations that led
 * to them), GET /v1/therapists?email=… (a therapist's, by e-mail address,
 * for a client linking to them) and POST /v1/keys/rotate (new key pairs
 * for the caller, taken only with a statement signed by the old signing
 * key and the new one; docs/encryption.md, "Rotation").
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-audit.h"
#include "tf-auth.h"
#include "tf-crypto.h"
#include "tf-db.h"
#include "tf-error.h"
#include "tf-keys.h"
#include "tf-sync-private.h"
#include "tf-validate.h"

/* GET /v1/keys/{id} (by user_id) and GET /v1/therapists (by email). */
typedef struct
{
  char *token;
  char *user_id;
  char *email;
} KeysJob;

static void
keys_job_free (KeysJob *job)
{
  g_free (job->token);
  g_free (job->user_id);
  g_free (job->email);
  g_free (job);
}

static void
add_member (JsonBuilder *b, const char *name, PGresult *result, int column)
{
  json_builder_set_member_name (b, name);
  if (PQgetisnull (result, 0, column))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, PQgetvalue (result, 0, column));
}

static gpointer
keys_job_run (PGconn *conn, gpointer data, GError **error)
{
  KeysJob *job = data;
  TfCaller caller = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *params[1];

  if (!tf_auth_check_token (conn, job->token, &caller, error))
    return NULL;
  tf_auth_caller_clear (&caller);
  params[0] = job->user_id;
  result = tf_db_query (conn, "SELECT identity_public_key, signing_public_key, fingerprint"
                              " FROM user_keys k JOIN users u ON u.id = k.user_id"
                              " WHERE k.user_id = $1::uuid AND u.is_active", 1, params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND, "no keys for user %s",
                   job->user_id);
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "user_id");
  json_builder_add_string_value (b, job->user_id);
  add_member (b, "identity_public_key", result, 0);
  add_member (b, "signing_public_key", result, 1);
  add_member (b, "fingerprint", result, 2);
  {
    /* The rotations, oldest first: a device that pinned keys of before
     * checks each step's signatures up to these keys. */
    g_autoptr(PGresult) rotations =
      tf_db_query (conn, "SELECT old_identity_public_key, old_signing_public_key,"
                         " old_fingerprint, identity_public_key, signing_public_key,"
                         " fingerprint, signature_by_old, signature_by_new,"
                         " to_char (rotated_at AT TIME ZONE 'UTC',"
                         " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
                         " FROM user_key_rotations WHERE user_id = $1::uuid ORDER BY seq",
                   1, params, error);
    static const char * const names[] = {
      "old_identity_public_key", "old_signing_public_key", "old_fingerprint",
      "identity_public_key", "signing_public_key", "fingerprint", "signature_by_old",
      "signature_by_new", "rotated_at",
    };

    if (rotations == NULL)
      return NULL;
    json_builder_set_member_name (b, "rotations");
    json_builder_begin_array (b);
    for (int row = 0; row < PQntuples (rotations); row++)
      {
        json_builder_begin_object (b);
        for (guint i = 0; i < G_N_ELEMENTS (names); i++)
          {
            json_builder_set_member_name (b, names[i]);
            json_builder_add_string_value (b, PQgetvalue (rotations, row, (int) i));
          }
        json_builder_end_object (b);
      }
    json_builder_end_array (b);
  }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
tf_sync_handle_keys (TfRequest *req)
{
  const char *user_id = req->path + strlen ("/v1/keys/");
  KeysJob *job;

  if (!tf_sync_require_token (req))
    return;
  if (!tf_validate_uuid (user_id))
    {
      g_autoptr(GError) error = g_error_new (TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                                             "“%s” is not a lower-case UUID", user_id);
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (KeysJob, 1);
  job->token = g_strdup (req->token);
  job->user_id = g_strdup (user_id);
  tf_server_run_db (req, keys_job_run, job, (GDestroyNotify) keys_job_free,
                    (GDestroyNotify) json_node_unref, tf_sync_reply_node);
}

/* --- therapist directory ---------------------------------------------------- */

/* A client who knows their therapist's e-mail finds them here, with the
 * keys to share records with.  Only therapists are listed: a client's
 * address, an unknown one and a therapist who has no keys yet all get the
 * same 404, so the endpoint tells nobody who else uses the service. */
static gpointer
therapist_job_run (PGconn *conn, gpointer data, GError **error)
{
  KeysJob *job = data;
  TfCaller caller = { 0 };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const char *params[1];

  if (!tf_auth_check_token (conn, job->token, &caller, error))
    return NULL;
  tf_auth_caller_clear (&caller);
  params[0] = job->email;
  /* lower (email) is what users_email_lower_key indexes. */
  result = tf_db_query (conn, "SELECT u.id, p.first_name, p.last_name, k.identity_public_key,"
                              " k.signing_public_key, k.fingerprint"
                              " FROM users u JOIN user_keys k ON k.user_id = u.id"
                              " LEFT JOIN profiles p ON p.user_id = u.id AND p.deleted_at IS NULL"
                              " WHERE lower (u.email) = lower ($1) AND u.role = 'therapist'"
                              " AND u.is_active", 1, params, error);
  if (result == NULL)
    return NULL;
  if (PQntuples (result) == 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_NOT_FOUND,
                           "no therapist with this e-mail address");
      return NULL;
    }
  json_builder_begin_object (b);
  add_member (b, "user_id", result, 0);
  add_member (b, "first_name", result, 1);
  add_member (b, "last_name", result, 2);
  add_member (b, "identity_public_key", result, 3);
  add_member (b, "signing_public_key", result, 4);
  add_member (b, "fingerprint", result, 5);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
tf_sync_handle_therapist (TfRequest *req)
{
  const char *email = tf_request_get_query (req, "email");
  KeysJob *job;

  if (!tf_sync_require_token (req))
    return;
  if (email == NULL || *email == '\0')
    {
      g_autoptr(GError) error = g_error_new_literal (TF_PROTOCOL_ERROR,
                                                     TF_PROTOCOL_ERROR_MISSING_FIELD,
                                                     "“email” is required: /v1/therapists?email=…");
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (KeysJob, 1);
  job->token = g_strdup (req->token);
  job->email = g_strdup (email);
  tf_server_run_db (req, therapist_job_run, job, (GDestroyNotify) keys_job_free,
                    (GDestroyNotify) json_node_unref, tf_sync_reply_node);
}


/* --- rotation --------------------------------------------------------------- */

typedef struct
{
  char       *token;
  char       *address;     /* for the audit entry */
  char       *user_agent;
  JsonObject *rotation;
  gint64      sessions_ended;  /* the account's other sessions, ended by the rotation */
} RotateJob;

static void
rotate_job_free (RotateJob *job)
{
  g_free (job->token);
  g_free (job->address);
  g_free (job->user_agent);
  g_clear_pointer (&job->rotation, json_object_unref);
  g_free (job);
}

static gboolean
rotate_refuse (GError **error, const char *message)
{
  g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_FORBIDDEN, message);
  return FALSE;
}

/* In the rotation's transaction: every other session of the account ends
 * (a lost device holding the old keys and a session syncs no more; the
 * account's own devices sign in again and take the new keys), the one
 * that rotates stays; each one ended is marked keys_replaced, so that its
 * device hears why (401 keys_replaced) and says so; and the audit trail
 * records the rotation, from which keys to which, how many sessions it
 * ended and from where it came. */
static gboolean
rotate_end_sessions (PGconn *conn, RotateJob *job, const TfCaller *caller,
                     const char *old_fingerprint, const char *fingerprint, GError **error)
{
  const char *params[] = { caller->user_id, caller->session_id };
  TfAuditActor actor = { caller->user_id, job->address, job->user_agent };
  g_autoptr(PGresult) ended = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *values = NULL;

  ended = tf_db_query (conn, "UPDATE auth_sessions SET revoked_at = now (),"
                             " revoke_reason = 'keys_replaced'"
                             " WHERE user_id = $1::uuid AND id <> $2::uuid"
                             " AND revoked_at IS NULL",
                       G_N_ELEMENTS (params), params, error);
  if (ended == NULL)
    return FALSE;
  job->sessions_ended = g_ascii_strtoll (PQcmdTuples (ended), NULL, 10);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "old_fingerprint");
  json_builder_add_string_value (b, old_fingerprint);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, fingerprint);
  json_builder_set_member_name (b, "sessions_ended");
  json_builder_add_int_value (b, job->sessions_ended);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  values = json_to_string (root, FALSE);
  return tf_audit_append (conn, &actor, "keys_rotated", "user_keys", caller->user_id, values,
                          error);
}

/* The caller's new keys: written only when the statement verifies under the
 * signing key the server holds for them now (so whoever holds a session
 * alone, or a server's operator who is not the user, cannot make devices
 * take new keys as a rotation) and under the new key. */
static gboolean
rotate_in_transaction (PGconn *conn, RotateJob *job, const TfCaller *caller, GError **error)
{
  JsonObject *r = job->rotation;
  const char *user_id = caller->user_id;
  const char *names[] = { "identity_public_key", "signing_public_key", "wrapped_identity_key",
                          "wrapped_signing_key", "fingerprint", "signature_by_old",
                          "signature_by_new", "old_identity_public_key",
                          "old_signing_public_key" };
  const char *v[G_N_ELEMENTS (names)];
  const char *params[1] = { user_id };
  g_autoptr(PGresult) current = NULL;
  g_autoptr(PGresult) written = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *computed = NULL;
  const char *old_identity, *old_signing, *old_fingerprint;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      v[i] = json_object_get_string_member_with_default (r, names[i], NULL);
      if (v[i] == NULL || strlen (v[i]) > 400)
        {
          g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                       "“%s” is required (a string of at most 400 characters)", names[i]);
          return FALSE;
        }
    }
  if (!tf_crypto_is_envelope (v[2]) || !tf_crypto_is_envelope (v[3]))
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           "the wrapped keys must be envelopes");
      return FALSE;
    }
  {
    const char *publics[] = { v[0], v[1], NULL };

    computed = tf_crypto_fingerprint (publics);
  }
  if (computed == NULL || strcmp (computed, v[4]) != 0)
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           "the fingerprint is not the new keys'");
      return FALSE;
    }
  current = tf_db_query (conn, "SELECT identity_public_key, signing_public_key, fingerprint,"
                               " wrapped_identity_key FROM user_keys WHERE user_id = $1::uuid"
                               " FOR UPDATE", 1, params, error);
  if (current == NULL)
    return FALSE;
  if (PQntuples (current) != 1)
    return rotate_refuse (error, "this account has no keys to rotate");
  old_identity = PQgetvalue (current, 0, 0);
  old_signing = PQgetvalue (current, 0, 1);
  old_fingerprint = PQgetvalue (current, 0, 2);
  /* A statement about other old keys (a second device that rotated from
   * keys already replaced) is refused as one the current key did not sign. */
  if (strcmp (old_identity, v[7]) != 0 || strcmp (old_signing, v[8]) != 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                           "the keys to rotate from are no longer this account's");
      return FALSE;
    }
  if (!tf_keys_verify_rotation (user_id, r, &local))
    return rotate_refuse (error, "the rotation is not signed by this account's signing key "
                                 "and the new one");
  {
    const char *p[] = { user_id, old_identity, old_signing, old_fingerprint, v[0], v[1], v[4],
                        v[5], v[6], PQgetvalue (current, 0, 3), v[2], v[3] };

    written = tf_db_query (conn,
                           "WITH r AS (INSERT INTO user_key_rotations (user_id, seq,"
                           " old_identity_public_key, old_signing_public_key, old_fingerprint,"
                           " identity_public_key, signing_public_key, fingerprint,"
                           " signature_by_old, signature_by_new)"
                           " SELECT $1::uuid, coalesce (max (seq), 0) + 1, $2, $3, $4, $5, $6,"
                           " $7, $8, $9 FROM user_key_rotations WHERE user_id = $1::uuid"
                           " RETURNING 1)"
                           " UPDATE user_keys SET identity_public_key = $5,"
                           " signing_public_key = $6, fingerprint = $7,"
                           " wrapped_identity_key = $11, wrapped_signing_key = $12,"
                           " previous_keys = jsonb_build_array (jsonb_build_object ("
                           " 'identity_public_key', $2::text, 'wrapped_identity_key', $10::text,"
                           " 'signing_public_key', $3::text)) || previous_keys,"
                           " updated_at = now () WHERE user_id = $1::uuid"
                           " AND EXISTS (SELECT 1 FROM r)",
                           G_N_ELEMENTS (p), p, error);
  }
  if (written == NULL)
    return FALSE;
  return rotate_end_sessions (conn, job, caller, old_fingerprint, v[4], error);
}

static gpointer
rotate_job_run (PGconn *conn, gpointer data, GError **error)
{
  RotateJob *job = data;
  TfCaller caller = { 0 };
  g_autoptr(JsonBuilder) b = json_builder_new ();
  gboolean ok;

  if (!tf_db_exec (conn, "BEGIN", error))
    return NULL;
  ok = tf_auth_check_token (conn, job->token, &caller, error) &&
       rotate_in_transaction (conn, job, &caller, error) &&
       tf_db_commit_durable (conn, error);
  tf_auth_caller_clear (&caller);
  if (!ok)
    {
      if (PQtransactionStatus (conn) != PQTRANS_IDLE)
        {
          PGresult *result = PQexec (conn, "ROLLBACK");

          PQclear (result);
        }
      return NULL;
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, json_object_get_string_member (job->rotation,
                                                                   "fingerprint"));
  json_builder_set_member_name (b, "sessions_ended");
  json_builder_add_int_value (b, job->sessions_ended);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

void
tf_sync_handle_rotate (TfRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  RotateJob *job;

  if (!tf_sync_require_token (req))
    return;
  body = tf_request_parse_object (req, &error);
  if (body == NULL)
    {
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (RotateJob, 1);
  job->token = g_strdup (req->token);
  job->address = g_strdup (req->address);
  job->user_agent = g_strdup (req->user_agent);
  job->rotation = g_steal_pointer (&body);
  tf_server_run_db (req, rotate_job_run, job, (GDestroyNotify) rotate_job_free,
                    (GDestroyNotify) json_node_unref, tf_sync_reply_node);
}
