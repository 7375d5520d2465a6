/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-server.h: runs the real therapy-field-server binary on loopback
 * against a migrated throwaway database, and talks JSON to it over real
 * HTTP.  No mocks: what the tests see is what a device sees.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *conninfo;   /* the server's database */
  char        *base_url;   /* http://127.0.0.1:PORT */
  char        *config_path;
  char        *mfa_key_path;  /* the TOTP key file it was started with */
  SoupSession *session;
  const char  *user_agent;  /* NULL: "tf-test/1"; "": none sent */
  char        *tls_dir;     /* the certificate and key of a TLS server, or NULL */
} TfTestServer;

/* Creates database @db_name, migrates it, writes a config (fast auth hash,
 * @extra_config appended to [server] when not NULL) and starts the server.
 * Fails the test if it does not come up. */
TfTestServer *tf_test_server_start     (const char   *db_name,
                                        const char   *extra_config);
/* The same, with RLIMIT_NOFILE set to @fd_limit (0: unchanged) in the server. */
TfTestServer *tf_test_server_start_with_fd_limit (const char *db_name,
                                                  const char *extra_config,
                                                  guint       fd_limit);
/* The same over TLS: a self-signed certificate for 127.0.0.1, made for this
 * server with openssl and removed when it stops; base_url is https://. */
TfTestServer *tf_test_server_start_tls (const char   *db_name,
                                        const char   *extra_config);
/* Starts a server on the existing database @conninfo (a restart: what the
 * first one wrote is there), with a new TOTP key unless @extra_config names
 * one (mfa-key-file=...). */
TfTestServer *tf_test_server_start_on  (const char   *conninfo,
                                        const char   *extra_config);
/* A new file holding a random TOTP key (64 hex digits, mode 0600); the
 * caller unlinks it. */
char         *tf_test_write_mfa_key    (void);
/* SIGTERM, wait, free. */
void          tf_test_server_stop      (TfTestServer *server);

typedef struct
{
  guint       status;
  JsonNode   *body;         /* parsed JSON, or NULL */
  char       *text;         /* raw body */
  char       *retry_after;  /* Retry-After header, or NULL */
} TfTestResponse;

void            tf_test_response_free  (TfTestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfTestResponse, tf_test_response_free)

/* @body: JSON text or NULL; @token: bearer token or NULL. */
TfTestResponse *tf_test_request        (TfTestServer *server,
                                        const char   *method,
                                        const char   *path,
                                        const char   *token,
                                        const char   *body);
/* The same with a body of any bytes (NUL included), or NULL. */
TfTestResponse *tf_test_request_bytes  (TfTestServer *server,
                                        const char   *method,
                                        const char   *path,
                                        const char   *token,
                                        GBytes       *body);
/* The error code of an error response ("bad_json" ...), or NULL. */
const char     *tf_test_response_error_code (TfTestResponse *response);
JsonObject     *tf_test_response_object     (TfTestResponse *response);

/* An account made through the real /v1/auth/register, with real keys. */
typedef struct
{
  char     *user_id;
  char     *token;
  char     *device_id;
  char     *email;
  char     *role;
  char     *auth_key;          /* base64, what login sends */
  char     *identity_public;   /* X25519, base64 */
  gpointer  identity_secret;   /* TfSecret* */
  gpointer  master_key;        /* TfSecret* */
} TfTestUser;

/* Registers @email as @role ("client" or "therapist"); fails the test if
 * the server refuses. */
TfTestUser     *tf_test_register       (TfTestServer *server,
                                        const char   *email,
                                        const char   *role);
/* The same with licence number @license (NULL: none); the answer in
 * @out_response (free it); NULL when the server refused. */
TfTestUser     *tf_test_register_full  (TfTestServer *server,
                                        const char   *email,
                                        const char   *role,
                                        const char   *license,
                                        TfTestResponse **out_response);
/* The JSON text tf_test_register_full sends, and in @out_user the account
 * it makes once the server takes it (without user_id and token). */
char           *tf_test_register_body  (const char   *email,
                                        const char   *role,
                                        const char   *license,
                                        TfTestUser  **out_user);
/* Logs @user in again from another device: a new token and device id. */
TfTestUser     *tf_test_new_device     (TfTestServer *server,
                                        TfTestUser   *user);
void            tf_test_user_free      (TfTestUser   *user);

/* Puts @client in active care with @therapist, from another device of the
 * client's (so the caller's own mutation ids stay as they are). */
void            tf_test_link_care      (TfTestServer *server,
                                        TfTestUser   *client,
                                        TfTestUser   *therapist);
/* Opens @therapist's hours, every day, in their zone (Europe/Athens):
 * 11:00-12:00 and 13:00-17:00, from another device of the therapist's.  So
 * 09:00Z in winter and 10:00Z in summer start a slot of 50 or 60 minutes:
 * the server books only the slots the device offers. */
void            tf_test_open_hours     (TfTestServer *server,
                                        TfTestUser   *therapist);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfTestUser, tf_test_user_free)

/* @text of column @column of record @id of @table, encrypted under a
 * throwaway key: a valid envelope that no one can open. */
char           *tf_test_envelope       (const char   *table,
                                        const char   *id,
                                        const char   *column,
                                        const char   *text);

/* One mood_entries upsert of @user's, as push JSON (notes encrypted with a
 * throwaway key), and a push of @mutations (comma-separated JSON objects). */
char           *tf_test_mood_mutation  (gint64        mutation_id,
                                        const char   *id,
                                        const char   *user,
                                        gint64        base,
                                        int           mood);
TfTestResponse *tf_test_push           (TfTestServer *server,
                                        TfTestUser   *user,
                                        const char   *mutations);

/* TOTP codes as an authenticator app makes them (the server's own RFC 6238
 * code), for tests that turn the second factor on.  @secret_base32 is what
 * /v1/auth/mfa/setup gave.  The server takes the current step and one
 * either side, never a step at or before the last one it took: this is a
 * code it takes now, of a step after *@last_step (-1 at first), which is
 * updated; when the step it needs is too far ahead it waits for the clock. */
char           *tf_test_totp_next_code  (const char   *secret_base32,
                                         gint64       *last_step);
/* Six digits the server takes for no step now, nor in the next minute. */
char           *tf_test_totp_wrong_code (const char   *secret_base32);

G_END_DECLS
