/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients.c: clients a therapist adds who have no app account yet
 * (managed clients, issue 12; docs/protocol.md, "Managed clients and
 * invitations"; docs/encryption.md, "Managed clients and the hand-over").
 *
 * POST /v1/clients makes the client's users row — role client, no e-mail,
 * no password hash, managed_by the calling therapist — and their user_keys
 * row with the public halves the therapist's device made, in one
 * transaction, so every reference to the client works and everyone can
 * verify and seal to the client's keys.  Everything else about the client
 * (profile, details, care relationship, intake) the therapist's device
 * then pushes in the client's name, which the push allows while managed_by
 * names the caller (tf-sync-push-access.c).
 *
 * Invitations: POST /v1/invites files, for a client the caller manages,
 * the bundle the therapist's device sealed under the invitation's secret
 * (tf_keys_seal_invite) under the id derived from it; it expires after
 * TF_INVITE_DAYS.  GET /v1/invites/{id} gives it to whoever holds the code
 * (no token: they have no account yet), or says typed why not —
 * invite_unknown, invite_expired, invite_used — telling nothing to anyone
 * without the code, whose id is 128 bits derived from 256.  The bundle is
 * useless without the secret.  Registration with the invitation
 * (tf-auth-register.c) uses it up.
 */
#define G_LOG_DOMAIN "tf-clients"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-audit.h"
#include "tf-auth.h"
#include "tf-clients.h"
#include "tf-crypto.h"
#include "tf-db.h"
#include "tf-error.h"
#include "tf-sync-private.h"
#include "tf-validate.h"

typedef struct
{
  char       *token;
  char       *address;
  char       *user_agent;
  JsonObject *body;
} ClientsJob;

static void
clients_job_free (ClientsJob *job)
{
  g_free (job->token);
  g_free (job->address);
  g_free (job->user_agent);
  g_clear_pointer (&job->body, json_object_unref);
  g_free (job);
}

static ClientsJob *
clients_job_new (TfRequest *req, JsonObject *body)
{
  ClientsJob *job = g_new0 (ClientsJob, 1);

  job->token = g_strdup (req->token);
  job->address = g_strdup (req->address);
  job->user_agent = g_strdup (req->user_agent);
  job->body = body;
  return job;
}

/* Runs @run inside one transaction, after the token check; rolls back on
 * failure. */
static JsonNode *
in_transaction (PGconn *conn, ClientsJob *job,
                JsonNode *(*run) (PGconn *, ClientsJob *, const TfCaller *, GError **),
                GError **error)
{
  TfCaller caller = { 0 };
  JsonNode *answer = NULL;

  if (!tf_db_exec (conn, "BEGIN", error))
    return NULL;
  if (tf_auth_check_token (conn, job->token, &caller, error))
    answer = run (conn, job, &caller, error);
  if (answer != NULL && !tf_db_commit_durable (conn, error))
    g_clear_pointer (&answer, json_node_unref);
  tf_auth_caller_clear (&caller);
  if (answer == NULL && PQtransactionStatus (conn) != PQTRANS_IDLE)
    {
      PGresult *result = PQexec (conn, "ROLLBACK");

      PQclear (result);
    }
  return answer;
}

static const char *
required_string (JsonObject *body, const char *name, gsize max, GError **error)
{
  const char *value = json_object_get_string_member_with_default (body, name, NULL);

  if (value == NULL || strlen (value) > max)
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_MISSING_FIELD,
                   "“%s” is required (a string of at most %" G_GSIZE_FORMAT " characters)",
                   name, max);
      return NULL;
    }
  return value;
}

/* Standard base64 of exactly 32 bytes (an X25519 or Ed25519 public key). */
static gboolean
is_public_key (const char *b64)
{
  guint8 raw[32];
  size_t decoded = 0;

  return sodium_base642bin (raw, sizeof raw, b64, strlen (b64), NULL, &decoded, NULL,
                            sodium_base64_VARIANT_ORIGINAL) == 0 && decoded == sizeof raw;
}

/* --- POST /v1/clients ---------------------------------------------------------- */

static JsonNode *
add_client (PGconn *conn, ClientsJob *job, const TfCaller *caller, GError **error)
{
  const char *client_id, *identity, *signing, *fingerprint;
  g_autofree char *computed = NULL;
  g_autoptr(PGresult) user = NULL;
  g_autoptr(PGresult) keys = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  TfAuditActor actor = { caller->user_id, job->address, job->user_agent };

  if (g_strcmp0 (caller->role, "therapist") != 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_FORBIDDEN,
                           "only a therapist adds clients");
      return NULL;
    }
  if ((client_id = required_string (job->body, "client_id", 36, error)) == NULL ||
      (identity = required_string (job->body, "identity_public_key", 64, error)) == NULL ||
      (signing = required_string (job->body, "signing_public_key", 64, error)) == NULL ||
      (fingerprint = required_string (job->body, "fingerprint", 100, error)) == NULL)
    return NULL;
  if (!tf_validate_uuid (client_id) || tf_uuid_is_reserved (client_id))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                   "“client_id” is not a lower-case UUID");
      return NULL;
    }
  if (!is_public_key (identity) || !is_public_key (signing))
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           "the public keys must be 32 bytes in base64");
      return NULL;
    }
  {
    const char *publics[] = { identity, signing, NULL };

    computed = tf_crypto_fingerprint (publics);
  }
  if (computed == NULL || strcmp (computed, fingerprint) != 0)
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           "the fingerprint is not the keys'");
      return NULL;
    }
  {
    const char *params[] = { client_id, caller->user_id };

    user = tf_db_query (conn, "INSERT INTO users (id, role, managed_by, email_verified)"
                              " VALUES ($1::uuid, 'client', $2::uuid, false)"
                              " ON CONFLICT DO NOTHING RETURNING id",
                        G_N_ELEMENTS (params), params, error);
  }
  if (user == NULL)
    return NULL;
  if (PQntuples (user) != 1)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                           "a user with this id exists already");
      return NULL;
    }
  {
    const char *params[] = { client_id, identity, signing, fingerprint };

    keys = tf_db_query (conn, "INSERT INTO user_keys (user_id, identity_public_key,"
                              " signing_public_key, fingerprint)"
                              " VALUES ($1::uuid, $2, $3, $4)",
                        G_N_ELEMENTS (params), params, error);
  }
  if (keys == NULL ||
      !tf_audit_append (conn, &actor, "managed_client_added", "users", client_id, NULL, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "client_id");
  json_builder_add_string_value (b, client_id);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gpointer
add_client_run (PGconn *conn, gpointer data, GError **error)
{
  return in_transaction (conn, data, add_client, error);
}

static void
handle_add_client (TfRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  if (!tf_sync_require_token (req))
    return;
  body = tf_request_parse_object (req, &error);
  if (body == NULL)
    {
      tf_request_reply_error (req, error);
      return;
    }
  tf_server_run_db (req, add_client_run, clients_job_new (req, body),
                    (GDestroyNotify) clients_job_free, (GDestroyNotify) json_node_unref,
                    tf_sync_reply_node);
}

/* --- POST /v1/invites --------------------------------------------------------- */

static JsonNode *
add_invite (PGconn *conn, ClientsJob *job, const TfCaller *caller, GError **error)
{
  const char *id, *client_id;
  JsonNode *bundle = json_object_get_member (job->body, "bundle");
  g_autofree char *bundle_text = NULL, *days = g_strdup_printf ("%d", TF_INVITE_DAYS);
  g_autoptr(PGresult) managed = NULL;
  g_autoptr(PGresult) made = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  TfAuditActor actor = { caller->user_id, job->address, job->user_agent };

  if ((id = required_string (job->body, "id", 36, error)) == NULL ||
      (client_id = required_string (job->body, "client_id", 36, error)) == NULL)
    return NULL;
  if (!tf_validate_uuid (id) || !tf_validate_uuid (client_id))
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           "“id” and “client_id” must be lower-case UUIDs");
      return NULL;
    }
  if (bundle == NULL || !JSON_NODE_HOLDS_OBJECT (bundle) ||
      !tf_crypto_is_envelope (json_object_get_string_member_with_default (
                                json_node_get_object (bundle), "wrapped_master_key", NULL)))
    {
      g_set_error_literal (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE,
                           "“bundle” must be an object with a wrapped master key");
      return NULL;
    }
  bundle_text = json_to_string (bundle, FALSE);
  if (strlen (bundle_text) > 4000)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_TOO_LARGE, "the bundle is too large");
      return NULL;
    }
  {
    const char *params[] = { client_id, caller->user_id };

    managed = tf_db_query (conn, "SELECT 1 FROM users WHERE id = $1::uuid"
                                 " AND managed_by = $2::uuid FOR UPDATE",
                           G_N_ELEMENTS (params), params, error);
  }
  if (managed == NULL)
    return NULL;
  if (PQntuples (managed) != 1)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_FORBIDDEN,
                           "this client is not one you manage");
      return NULL;
    }
  {
    const char *params[] = { id, client_id, caller->user_id, bundle_text, days };

    made = tf_db_query (conn, "INSERT INTO client_invites (id, client_id, therapist_id, bundle,"
                              " expires_at) VALUES ($1::uuid, $2::uuid, $3::uuid, $4::jsonb,"
                              " now () + $5::int * interval '1 day')"
                              " ON CONFLICT DO NOTHING"
                              " RETURNING to_char (expires_at AT TIME ZONE 'UTC',"
                              " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
                        G_N_ELEMENTS (params), params, error);
  }
  if (made == NULL)
    return NULL;
  if (PQntuples (made) != 1)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                           "an invitation with this id exists already");
      return NULL;
    }
  if (!tf_audit_append (conn, &actor, "client_invited", "users", client_id, NULL, error))
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, PQgetvalue (made, 0, 0));
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static gpointer
add_invite_run (PGconn *conn, gpointer data, GError **error)
{
  return in_transaction (conn, data, add_invite, error);
}

static void
handle_add_invite (TfRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  if (!tf_sync_require_token (req))
    return;
  body = tf_request_parse_object (req, &error);
  if (body == NULL)
    {
      tf_request_reply_error (req, error);
      return;
    }
  tf_server_run_db (req, add_invite_run, clients_job_new (req, body),
                    (GDestroyNotify) clients_job_free, (GDestroyNotify) json_node_unref,
                    tf_sync_reply_node);
}

/* --- GET /v1/invites/{id} ------------------------------------------------------ */

gboolean
tf_clients_check_invite (PGconn *conn, const char *id, gboolean lock, char **out_client_id,
                         char **out_bundle, char **out_expires, GError **error)
{
  const char *params[] = { id };
  g_autoptr(PGresult) r = NULL;

  r = tf_db_query (conn, lock
                     ? "SELECT i.client_id::text, i.bundle::text, to_char (i.expires_at AT TIME"
                       " ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), i.used_at IS NOT NULL"
                       " OR u.managed_by IS NULL, i.expires_at <= now ()"
                       " FROM client_invites i JOIN users u ON u.id = i.client_id"
                       " WHERE i.id = $1::uuid FOR UPDATE"
                     : "SELECT i.client_id::text, i.bundle::text, to_char (i.expires_at AT TIME"
                       " ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), i.used_at IS NOT NULL"
                       " OR u.managed_by IS NULL, i.expires_at <= now ()"
                       " FROM client_invites i JOIN users u ON u.id = i.client_id"
                       " WHERE i.id = $1::uuid",
                   1, params, error);
  if (r == NULL)
    return FALSE;
  if (PQntuples (r) != 1)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_UNKNOWN,
                           "there is no such invitation");
      return FALSE;
    }
  if (strcmp (PQgetvalue (r, 0, 3), "t") == 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_USED,
                           "this invitation was used already");
      return FALSE;
    }
  if (strcmp (PQgetvalue (r, 0, 4), "t") == 0)
    {
      g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_EXPIRED,
                           "this invitation has expired");
      return FALSE;
    }
  if (out_client_id != NULL)
    *out_client_id = g_strdup (PQgetvalue (r, 0, 0));
  if (out_bundle != NULL)
    *out_bundle = g_strdup (PQgetvalue (r, 0, 1));
  if (out_expires != NULL)
    *out_expires = g_strdup (PQgetvalue (r, 0, 2));
  return TRUE;
}

typedef struct
{
  char *id;
} InviteJob;

static void
invite_job_free (InviteJob *job)
{
  g_free (job->id);
  g_free (job);
}

static gpointer
get_invite_run (PGconn *conn, gpointer data, GError **error)
{
  InviteJob *job = data;
  g_autofree char *client_id = NULL, *bundle = NULL, *expires = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  JsonNode *bundle_node;

  if (!tf_clients_check_invite (conn, job->id, FALSE, &client_id, &bundle, &expires, error))
    return NULL;
  bundle_node = json_from_string (bundle, error);
  if (bundle_node == NULL)
    return NULL;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, job->id);
  json_builder_set_member_name (b, "client_id");
  json_builder_add_string_value (b, client_id);
  json_builder_set_member_name (b, "bundle");
  json_builder_add_value (b, bundle_node);
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static void
handle_get_invite (TfRequest *req)
{
  const char *id = req->path + strlen ("/v1/invites/");
  InviteJob *job;

  /* A malformed id is no invitation either: the same answer as an unknown one. */
  if (!tf_validate_uuid (id))
    {
      g_autoptr(GError) error = g_error_new_literal (TF_HTTP_ERROR, TF_HTTP_ERROR_INVITE_UNKNOWN,
                                                     "there is no such invitation");
      tf_request_reply_error (req, error);
      return;
    }
  job = g_new0 (InviteJob, 1);
  job->id = g_strdup (id);
  tf_server_run_db (req, get_invite_run, job, (GDestroyNotify) invite_job_free,
                    (GDestroyNotify) json_node_unref, tf_sync_reply_node);
}

void
tf_clients_register_routes (TfServer *server)
{
  tf_server_add_route (server, "POST", "/v1/clients", handle_add_client);
  tf_server_add_route (server, "POST", "/v1/invites", handle_add_invite);
  tf_server_add_route (server, "GET", "/v1/invites/", handle_get_invite);
}
