/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-http.h: one incoming request, and the one place errors become HTTP.
 *
 * A TfRequest holds a ref on its SoupServerMessage, which is paused while
 * the request waits for the database; replying unpauses it.  A handler owns
 * the request it is given and must end it with exactly one reply.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tf-config.h"
#include "tf-pool.h"

G_BEGIN_DECLS

#define TF_HTTP_ERROR (tf_http_error_quark ())

/* Errors that are about the request rather than the data. */
typedef enum
{
  TF_HTTP_ERROR_UNAUTHORIZED,   /* 401 no, expired or revoked token */
  TF_HTTP_ERROR_FORBIDDEN,      /* 403 not yours / not your role */
  TF_HTTP_ERROR_NOT_FOUND,      /* 404 */
  TF_HTTP_ERROR_CONFLICT,       /* 409 */
  TF_HTTP_ERROR_TOO_LARGE,      /* 413 body or batch over the limit */
  TF_HTTP_ERROR_RATE_LIMITED,   /* 429 */
  TF_HTTP_ERROR_BAD_REQUEST,    /* 400 anything else the client got wrong */
  TF_HTTP_ERROR_METHOD,         /* 405 */
  TF_HTTP_ERROR_MFA_REQUIRED,   /* 401 with code mfa_required */
  TF_HTTP_ERROR_INVALID_CREDENTIALS, /* 401 with code invalid_credentials */
  TF_HTTP_ERROR_EMAIL_TAKEN,    /* 409 with code email_taken */
  TF_HTTP_ERROR_UNSUPPORTED_SCHEMA, /* 400 with code unsupported_schema */
  TF_HTTP_ERROR_TOKEN_EXPIRED,  /* 401 with code token_expired: sign in again */
  TF_HTTP_ERROR_LICENSE_TAKEN,  /* 409 with code license_taken */
  TF_HTTP_ERROR_MFA_UNAVAILABLE, /* 503 with code mfa_unavailable: the server's TOTP key */
  TF_HTTP_ERROR_KEYS_REPLACED,  /* 401 with code keys_replaced: the session was revoked by a
                                 * key rotation on another device of the account */
  TF_HTTP_ERROR_INVITE_UNKNOWN, /* 404 with code invite_unknown: no such invitation */
  TF_HTTP_ERROR_INVITE_EXPIRED, /* 410 with code invite_expired */
  TF_HTTP_ERROR_INVITE_USED,    /* 409 with code invite_used: used, or the client took over */
} TfHttpError;

GQuark tf_http_error_quark (void);

typedef struct _TfServer TfServer;  /* tf-server.h */

typedef struct
{
  char    *user_id;     /* NULL until authenticated */
  char    *role;
  char    *session_id;
  char    *device_id;
} TfCaller;

typedef struct
{
  TfServer          *server;
  SoupServerMessage *msg;
  char              *method;
  char              *path;
  GHashTable        *query;       /* may be NULL */
  GBytes            *body;        /* never NULL (maybe empty) */
  char              *token;       /* bearer token, or NULL */
  char              *address;     /* client IP */
  char              *user_agent;
  const char        *route;       /* the matched route, for metrics */
  TfCaller           caller;
  GCancellable      *cancellable; /* cancelled when the client goes away */
  gint64             started_us;
  gulong             finished_id;
  gboolean           replied;
  gboolean           gone;        /* the client disconnected before the reply */
} TfRequest;

void        tf_request_free             (TfRequest   *req);

/* Parses the body as a JSON object; TF_PROTOCOL_ERROR_BAD_JSON otherwise. */
JsonObject *tf_request_parse_object     (TfRequest   *req,
                                         GError     **error);
const char *tf_request_get_query        (TfRequest   *req,
                                         const char  *name);

/* Replies and frees @req. */
void        tf_request_reply_json       (TfRequest   *req,
                                         guint        status,
                                         JsonNode    *body);
void        tf_request_reply_error      (TfRequest   *req,
                                         const GError *error);
void        tf_request_reply_text       (TfRequest   *req,
                                         guint        status,
                                         const char  *content_type,
                                         const char  *text);

/* {"error": {"code": @code, "message": @message}} as JSON text. */
char       *tf_http_error_body          (const char  *code,
                                         const char  *message);

/* The mapping behind reply_error, exposed for the push results. */
guint       tf_http_status_for_error    (const GError *error,
                                         const char **code);

G_END_DECLS
