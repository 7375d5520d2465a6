/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-keys.c: the public keys devices pin and seal to —
 * GET /v1/keys/{id} (a user's, by id) and GET /v1/therapists?email=… (a
 * therapist's, by e-mail address, for a client linking to them).
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include <string.h>

#include "tf-auth.h"
#include "tf-db.h"
#include "tf-error.h"
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

