/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-http.c: requests, JSON replies, and the GError -> HTTP mapping.
 *
 * Every error a client sees is {"error": {"code": "...", "message": "..."}}
 * with the status this file chooses; no other file picks an error status.
 * No database text reaches a client: a TF_DB_ERROR is answered with a
 * message of ours and its details are logged.
 */
#define G_LOG_DOMAIN "tf-http"

#include "config.h"

#include <string.h>

#include "tf-db.h"
#include "tf-error.h"
#include "tf-http.h"
#include "tf-record.h"
#include "tf-server.h"

/* RFC 6585; libsoup 3.2 has no name for it. */
#define TF_STATUS_TOO_MANY_REQUESTS 429

G_DEFINE_QUARK (tf-http-error-quark, tf_http_error)

void
tf_request_free (TfRequest *req)
{
  if (req == NULL)
    return;
  if (req->finished_id != 0)
    g_signal_handler_disconnect (req->msg, req->finished_id);
  g_clear_object (&req->msg);
  g_free (req->method);
  g_free (req->path);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->body, g_bytes_unref);
  if (req->token != NULL)
    {
      memset (req->token, 0, strlen (req->token));
      g_free (req->token);
    }
  g_free (req->address);
  g_free (req->user_agent);
  g_free (req->caller.user_id);
  g_free (req->caller.role);
  g_free (req->caller.session_id);
  g_free (req->caller.device_id);
  g_clear_object (&req->cancellable);
  g_free (req);
}

JsonObject *
tf_request_parse_object (TfRequest *req, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (req->body, &len);
  g_autoptr(JsonNode) root = tf_json_parse (data ? data : "", (gssize) len, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_WRONG_TYPE,
                   "the request body must be a JSON object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

const char *
tf_request_get_query (TfRequest *req, const char *name)
{
  return req->query ? g_hash_table_lookup (req->query, name) : NULL;
}

static void
finish (TfRequest *req, guint status)
{
  g_assert (!req->replied);
  req->replied = TRUE;
  tf_server_record_request (req->server, req->route, req->gone ? 499 : status,
                            g_get_monotonic_time () - req->started_us);
  if (!req->gone)
    soup_server_message_unpause (req->msg);
  tf_request_free (req);
}

void
tf_request_reply_text (TfRequest *req, guint status, const char *content_type, const char *text)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  /* Nothing this server says may be cached by a proxy: it is all personal. */
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type, SOUP_MEMORY_COPY, text, strlen (text));
  finish (req, status);
}

void
tf_request_reply_json (TfRequest *req, guint status, JsonNode *body)
{
  g_autofree char *text = json_to_string (body, FALSE);

  tf_request_reply_text (req, status, "application/json", text);
}

static const char *
protocol_code (int code)
{
  switch (code)
    {
    case TF_PROTOCOL_ERROR_BAD_JSON: return "bad_json";
    case TF_PROTOCOL_ERROR_WRONG_TYPE: return "wrong_type";
    case TF_PROTOCOL_ERROR_UNKNOWN_TABLE: return "unknown_table";
    case TF_PROTOCOL_ERROR_UNKNOWN_FIELD: return "unknown_field";
    case TF_PROTOCOL_ERROR_MISSING_FIELD: return "missing_field";
    case TF_PROTOCOL_ERROR_BAD_SIGNATURE: return "bad_signature";
    case TF_PROTOCOL_ERROR_BAD_VALUE:
    default: return "bad_value";
    }
}

guint
tf_http_status_for_error (const GError *error, const char **code)
{
  const char *c = "internal";
  guint status = SOUP_STATUS_INTERNAL_SERVER_ERROR;

  if (error->domain == TF_PROTOCOL_ERROR)
    {
      c = protocol_code (error->code);
      status = SOUP_STATUS_BAD_REQUEST;
    }
  else if (error->domain == TF_VALIDATION_ERROR)
    {
      c = error->code == TF_VALIDATION_ERROR_NOT_ENCRYPTED ? "not_encrypted"
        : error->code == TF_VALIDATION_ERROR_TOO_LONG ? "too_long" : "validation";
      status = SOUP_STATUS_UNPROCESSABLE_ENTITY;
    }
  else if (error->domain == TF_HTTP_ERROR)
    switch (error->code)
      {
      case TF_HTTP_ERROR_UNAUTHORIZED: c = "unauthorized"; status = SOUP_STATUS_UNAUTHORIZED; break;
      case TF_HTTP_ERROR_MFA_REQUIRED: c = "mfa_required"; status = SOUP_STATUS_UNAUTHORIZED; break;
      case TF_HTTP_ERROR_TOKEN_EXPIRED:
        c = "token_expired"; status = SOUP_STATUS_UNAUTHORIZED; break;
      case TF_HTTP_ERROR_KEYS_REPLACED:
        c = "keys_replaced"; status = SOUP_STATUS_UNAUTHORIZED; break;
      case TF_HTTP_ERROR_INVALID_CREDENTIALS:
        c = "invalid_credentials"; status = SOUP_STATUS_UNAUTHORIZED; break;
      case TF_HTTP_ERROR_EMAIL_TAKEN: c = "email_taken"; status = SOUP_STATUS_CONFLICT; break;
      case TF_HTTP_ERROR_LICENSE_TAKEN: c = "license_taken"; status = SOUP_STATUS_CONFLICT; break;
      case TF_HTTP_ERROR_INVITE_UNKNOWN:
        c = "invite_unknown"; status = SOUP_STATUS_NOT_FOUND; break;
      case TF_HTTP_ERROR_INVITE_EXPIRED: c = "invite_expired"; status = SOUP_STATUS_GONE; break;
      case TF_HTTP_ERROR_INVITE_USED: c = "invite_used"; status = SOUP_STATUS_CONFLICT; break;
      case TF_HTTP_ERROR_MFA_UNAVAILABLE:
        c = "mfa_unavailable"; status = SOUP_STATUS_SERVICE_UNAVAILABLE; break;
      case TF_HTTP_ERROR_FORBIDDEN: c = "forbidden"; status = SOUP_STATUS_FORBIDDEN; break;
      case TF_HTTP_ERROR_NOT_FOUND: c = "not_found"; status = SOUP_STATUS_NOT_FOUND; break;
      case TF_HTTP_ERROR_CONFLICT: c = "conflict"; status = SOUP_STATUS_CONFLICT; break;
      case TF_HTTP_ERROR_TOO_LARGE: c = "too_large"; status = SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE; break;
      case TF_HTTP_ERROR_RATE_LIMITED: c = "rate_limited"; status = TF_STATUS_TOO_MANY_REQUESTS; break;
      case TF_HTTP_ERROR_METHOD: c = "method_not_allowed"; status = SOUP_STATUS_METHOD_NOT_ALLOWED; break;
      case TF_HTTP_ERROR_UNSUPPORTED_SCHEMA: c = "unsupported_schema"; status = SOUP_STATUS_BAD_REQUEST; break;
      case TF_HTTP_ERROR_BAD_REQUEST:
      default: c = "bad_request"; status = SOUP_STATUS_BAD_REQUEST; break;
      }
  else if (error->domain == TF_DB_ERROR)
    switch (error->code)
      {
      case TF_DB_ERROR_UNAVAILABLE:
      case TF_DB_ERROR_SERIALIZATION:
        c = "database_unavailable"; status = SOUP_STATUS_SERVICE_UNAVAILABLE; break;
      case TF_DB_ERROR_CONSTRAINT:
        c = "validation"; status = SOUP_STATUS_UNPROCESSABLE_ENTITY; break;
      case TF_DB_ERROR_UNIQUE:
        c = "conflict"; status = SOUP_STATUS_CONFLICT; break;
      case TF_DB_ERROR_FOREIGN_KEY:
        c = "missing_reference"; status = SOUP_STATUS_UNPROCESSABLE_ENTITY; break;
      default:
        break;
      }
  if (code != NULL)
    *code = c;
  return status;
}

char *
tf_http_error_body (const char *code, const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* What a client is told of a database error.  PostgreSQL's own text names
 * constraints, other rows' keys, the SQL and the database's address: it goes
 * to the log only. */
static const char *
db_message (int code)
{
  switch (code)
    {
    case TF_DB_ERROR_UNAVAILABLE: return "the database is not available; try again shortly";
    case TF_DB_ERROR_SERIALIZATION: return "the database was busy; try again";
    case TF_DB_ERROR_CONSTRAINT: return "the database refused a value of this request";
    case TF_DB_ERROR_UNIQUE: return "a record with the same unique values exists";
    case TF_DB_ERROR_FOREIGN_KEY: return "a record this request refers to does not exist";
    default: return "internal error";
    }
}

void
tf_request_reply_error (TfRequest *req, const GError *error)
{
  const char *code;
  guint status = tf_http_status_for_error (error, &code);
  /* Internal details stay in the log, not in the answer. */
  const char *message = status == 500 ? "internal error"
                        : error->domain == TF_DB_ERROR ? db_message (error->code)
                        : error->message;
  g_autofree char *body = tf_http_error_body (code, message);

  if (status >= 500)
    g_warning ("%s %s: %s", req->method, req->path, error->message);
  else if (error->domain == TF_DB_ERROR)
    g_message ("%s %s: %s", req->method, req->path, error->message);
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE || status == TF_STATUS_TOO_MANY_REQUESTS)
    {
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
      if (soup_message_headers_get_one (headers, "Retry-After") == NULL)
        soup_message_headers_replace (headers, "Retry-After", "1");
    }
  tf_request_reply_text (req, status, "application/json", body);
}
