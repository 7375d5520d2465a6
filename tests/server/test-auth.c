/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-auth.c: accounts against the real server over HTTP: prelogin without
 * enumeration, registration, login, tokens and sessions, throttling,
 * password change, recovery with the recovery key, TOTP and the audit
 * trail.  Accounts carry real key
 * material made with tf-crypto (at libsodium's minimum cost, for speed), so
 * the server sees what a device would send.
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tf-auth.h"
#include "tf-config.h"
#include "tf-crypto.h"
#include "tf-keys.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

#define TEST_OPSLIMIT crypto_pwhash_OPSLIMIT_MIN
#define TEST_MEMLIMIT (8u * 1024u * 1024u)

static TfTestServer *server;

/* ------------------------------------------------------------------------ */
/* Accounts with real keys                                                  */
/* ------------------------------------------------------------------------ */

typedef struct
{
  char     *email;
  char     *role;
  char     *auth_key;     /* base64 of the derived auth key */
  char     *salt;         /* base64 */
  TfSecret *master_key;
  char     *device_id;
  char     *user_id;      /* once registered */
  char     *token;        /* of the registering device */
  char     *session_id;
  char     *recovery_text;  /* the recovery key as the user keeps it */
  char     *recovery_auth;  /* base64 proof derived from it (tf-keys) */
} Account;

static void
free_secret_text (char *text)
{
  if (text != NULL)
    sodium_memzero (text, strlen (text));
  g_free (text);
}

static void
account_free (Account *account)
{
  g_free (account->email);
  g_free (account->role);
  g_free (account->auth_key);
  g_free (account->salt);
  g_clear_pointer (&account->master_key, tf_secret_free);
  g_free (account->device_id);
  g_free (account->user_id);
  g_free (account->token);
  g_free (account->session_id);
  free_secret_text (account->recovery_text);
  g_free (account->recovery_auth);
  g_free (account);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Account, account_free)

/* Derives the auth key and KEK of @password with a fresh salt; returns the
 * KEK and fills the account's salt and auth key. */
static TfSecret *
derive (Account *account, const char *password)
{
  guint8 salt[TF_CRYPTO_SALT_BYTES];
  g_autoptr(TfSecret) auth_key = NULL;
  TfSecret *kek = NULL;
  g_autoptr(GError) error = NULL;

  tf_crypto_random_salt (salt);
  g_assert_true (tf_crypto_derive_keys (password, salt, TEST_OPSLIMIT, TEST_MEMLIMIT, &auth_key,
                                        &kek, &error));
  g_assert_no_error (error);
  g_free (account->salt);
  account->salt = g_base64_encode (salt, sizeof salt);
  g_free (account->auth_key);
  account->auth_key = g_base64_encode (tf_secret_get_data (auth_key),
                                       tf_secret_get_size (auth_key));
  return kek;
}

static void
add_kdf (JsonObject *object, const Account *account)
{
  JsonObject *kdf = json_object_new ();

  json_object_set_string_member (kdf, "salt", account->salt);
  json_object_set_int_member (kdf, "opslimit", TEST_OPSLIMIT);
  json_object_set_int_member (kdf, "memlimit", TEST_MEMLIMIT);
  json_object_set_object_member (object, "kdf", kdf);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* A complete registration body for a new account; @account_out gets the
 * account (not yet registered). */
static JsonObject *
register_object (const char *email, const char *role, Account **account_out)
{
  Account *account = g_new0 (Account, 1);
  JsonObject *body = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(TfSecret) recovery = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
  g_autofree char *identity_public = NULL, *signing_public = NULL;
  g_autofree char *wrapped_master = NULL, *wrapped_recovery = NULL;
  g_autofree char *wrapped_identity = NULL, *wrapped_signing = NULL;
  g_autoptr(TfKeys) opened = NULL;

  account->email = g_strdup (email);
  account->role = g_strdup (role);
  account->device_id = g_uuid_string_random ();
  account->master_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  kek = derive (account, "correct horse battery staple");
  g_assert_true (tf_crypto_box_keypair (&identity_public, &identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing_public, &signing_secret, &error));
  wrapped_master = tf_crypto_wrap_key (kek, "master", account->master_key, &error);
  wrapped_recovery = tf_crypto_wrap_key (recovery, "master-recovery", account->master_key, &error);
  wrapped_identity = tf_crypto_wrap_key (account->master_key, "identity", identity_secret, &error);
  wrapped_signing = tf_crypto_wrap_key (account->master_key, "signing", signing_secret, &error);
  g_assert_no_error (error);

  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "role", role);
  json_object_set_string_member (body, "auth_key", account->auth_key);
  add_kdf (body, account);
  json_object_set_string_member (body, "wrapped_master_key", wrapped_master);
  json_object_set_string_member (body, "wrapped_recovery_key", wrapped_recovery);
  json_object_set_string_member (body, "identity_public_key", identity_public);
  json_object_set_string_member (body, "wrapped_identity_key", wrapped_identity);
  json_object_set_string_member (body, "signing_public_key", signing_public);
  json_object_set_string_member (body, "wrapped_signing_key", wrapped_signing);
  json_object_set_string_member (body, "device_id", account->device_id);
  json_object_set_string_member (body, "device_name", "Laptop");
  json_object_set_string_member (body, "first_name", "Ελένη");
  json_object_set_string_member (body, "last_name", "Παπαδοπούλου");
  if (g_str_equal (role, "therapist"))
    {
      g_autofree char *license = g_strdup_printf ("PSY-%s", account->device_id);
      json_object_set_string_member (body, "license_number", license);
    }
  /* The recovery proof, derived as a device derives it: by opening the
   * keys with the recovery key the user was shown. */
  account->recovery_text = tf_crypto_recovery_key_encode (recovery);
  opened = tf_keys_open_recovery (body, account->recovery_text, &account->recovery_auth, &error);
  g_assert_no_error (error);
  json_object_set_string_member (body, "recovery_auth_key", account->recovery_auth);
  *account_out = account;
  return body;
}

static TfTestResponse *
post_object (TfTestServer *srv, const char *path, const char *token, JsonObject *body)
{
  g_autofree char *text = object_to_string (body);

  return tf_test_request (srv, "POST", path, token, text);
}

/* Registers a new account on @srv and fails the test unless it is 201. */
static Account *
register_on (TfTestServer *srv, const char *email, const char *role)
{
  Account *account = NULL;
  g_autoptr(JsonObject) body = register_object (email, role, &account);
  g_autoptr(TfTestResponse) response = post_object (srv, "/v1/auth/register", NULL, body);
  JsonObject *reply;

  if (response->status != 201)
    g_error ("register %s: %u %s", email, response->status, response->text);
  reply = tf_test_response_object (response);
  account->user_id = g_strdup (json_object_get_string_member (reply, "user_id"));
  account->token = g_strdup (json_object_get_string_member (reply, "token"));
  account->session_id = g_strdup (json_object_get_string_member (reply, "session_id"));
  g_assert_cmpstr (json_object_get_string_member (reply, "role"), ==, role);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (reply, "expires_at"), "Z"));
  return account;
}

static Account *
register_account (const char *email, const char *role)
{
  return register_on (server, email, role);
}

/* @device_id NULL: a new device.  @totp may be NULL. */
static TfTestResponse *
login_on (TfTestServer *srv, const char *email, const char *auth_key, const char *device_id,
          const char *totp)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *device = device_id ? g_strdup (device_id) : g_uuid_string_random ();

  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "auth_key", auth_key);
  json_object_set_string_member (body, "device_id", device);
  json_object_set_string_member (body, "device_name", "Phone");
  if (totp != NULL)
    json_object_set_string_member (body, "totp", totp);
  return post_object (srv, "/v1/auth/login", NULL, body);
}

static TfTestResponse *
login (const Account *account, const char *totp)
{
  return login_on (server, account->email, account->auth_key, NULL, totp);
}

/* Logs in from a new device and returns its token. */
static char *
login_token (const Account *account)
{
  g_autoptr(TfTestResponse) response = login (account, NULL);

  if (response->status != 200)
    g_error ("login %s: %u %s", account->email, response->status, response->text);
  return g_strdup (json_object_get_string_member (tf_test_response_object (response), "token"));
}

/* A base64 auth key nobody derived. */
static char *
random_auth_key (void)
{
  guint8 key[32];

  randombytes_buf (key, sizeof key);
  return g_base64_encode (key, sizeof key);
}

static const char *
error_message (TfTestResponse *response)
{
  JsonObject *error = json_object_get_object_member (tf_test_response_object (response), "error");

  return json_object_get_string_member (error, "message");
}

/* GET /v1/auth/sessions: the status, and the answer when 200. */
static guint
sessions_status (const char *token, char **message)
{
  g_autoptr(TfTestResponse) response = tf_test_request (server, "GET", "/v1/auth/sessions",
                                                        token, NULL);

  if (message != NULL)
    *message = response->status == 200 ? NULL : g_strdup (error_message (response));
  return response->status;
}

static PGconn *
db (TfTestServer *srv)
{
  return tf_test_pg_connect (srv->conninfo);
}

/* ------------------------------------------------------------------------ */
/* TOTP                                                                     */
/* ------------------------------------------------------------------------ */

static void
test_totp_rfc6238 (void)
{
  const guint8 *secret = (const guint8 *) "12345678901234567890";
  char code[TF_TOTP_DIGITS + 1];
  g_autofree char *base32 = tf_totp_base32_encode (secret, 20);
  g_autofree guint8 *decoded = NULL;
  gsize len = 0;

  /* RFC 6238 appendix B, SHA-1, truncated to six digits. */
  tf_totp_code (secret, 20, 59 / TF_TOTP_PERIOD, code);
  g_assert_cmpstr (code, ==, "287082");
  tf_totp_code (secret, 20, 1111111109 / TF_TOTP_PERIOD, code);
  g_assert_cmpstr (code, ==, "081804");
  tf_totp_code (secret, 20, 1234567890 / TF_TOTP_PERIOD, code);
  g_assert_cmpstr (code, ==, "005924");

  /* One step either side, never the same step twice. */
  g_assert_cmpint (tf_totp_verify (secret, 20, "081804", 1111111109 + 30, -1), ==,
                   1111111109 / 30);
  g_assert_cmpint (tf_totp_verify (secret, 20, "081804", 1111111109 + 60, -1), ==, -1);
  g_assert_cmpint (tf_totp_verify (secret, 20, "081804", 1111111109, 1111111109 / 30), ==, -1);
  g_assert_cmpint (tf_totp_verify (secret, 20, "000000", 1111111109, -1), ==, -1);

  g_assert_cmpstr (base32, ==, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  decoded = tf_totp_base32_decode ("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", &len);
  g_assert_nonnull (decoded);
  g_assert_cmpmem (decoded, len, secret, 20);
  g_assert_null (tf_totp_base32_decode ("GEZ1", &len));
}

/* ------------------------------------------------------------------------ */
/* Prelogin, register, login                                                */
/* ------------------------------------------------------------------------ */

static JsonObject *
prelogin (const char *email, TfTestResponse **keep)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\"}", email);
  TfTestResponse *response = tf_test_request (server, "POST", "/v1/auth/prelogin", NULL, body);

  g_assert_cmpuint (response->status, ==, 200);
  *keep = response;
  return tf_test_response_object (response);
}

static void
test_prelogin (void)
{
  g_autoptr(Account) known = register_account ("prelogin@example.org", "client");
  g_autoptr(TfTestResponse) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  JsonObject *real, *fake, *again, *upper, *other;
  g_autofree guint8 *salt = NULL;
  gsize salt_len = 0;
  guint8 mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  g_autofree char *expected = NULL;

  real = prelogin ("Prelogin@Example.org", &r1);
  g_assert_cmpstr (json_object_get_string_member (real, "salt"), ==, known->salt);
  g_assert_cmpint (json_object_get_int_member (real, "opslimit"), ==, TEST_OPSLIMIT);
  g_assert_cmpint (json_object_get_int_member (real, "memlimit"), ==, TEST_MEMLIMIT);

  fake = prelogin ("ghost@example.org", &r2);
  g_assert_cmpuint (json_object_get_size (fake), ==, json_object_get_size (real));
  salt = g_base64_decode (json_object_get_string_member (fake, "salt"), &salt_len);
  g_assert_cmpuint (salt_len, ==, TF_CRYPTO_SALT_BYTES);
  g_assert_cmpint (json_object_get_int_member (fake, "opslimit"), ==,
                   TF_CRYPTO_KDF_OPSLIMIT_DEFAULT);
  g_assert_cmpint (json_object_get_int_member (fake, "memlimit"), ==,
                   TF_CRYPTO_KDF_MEMLIMIT_DEFAULT);

  /* Stable, case-insensitive, different per address. */
  again = prelogin ("ghost@example.org", &r3);
  upper = prelogin ("GHOST@example.ORG", &r4);
  other = prelogin ("ghost2@example.org", &r5);
  g_assert_cmpstr (json_object_get_string_member (again, "salt"), ==,
                   json_object_get_string_member (fake, "salt"));
  g_assert_cmpstr (json_object_get_string_member (upper, "salt"), ==,
                   json_object_get_string_member (fake, "salt"));
  g_assert_cmpstr (json_object_get_string_member (other, "salt"), !=,
                   json_object_get_string_member (fake, "salt"));

  /* HMAC-SHA256 under the configured secret (the harness sets "test-secret"). */
  crypto_auth_hmacsha256_init (&state, (const guint8 *) "test-secret", strlen ("test-secret"));
  crypto_auth_hmacsha256_update (&state, (const guint8 *) "ghost@example.org",
                                 strlen ("ghost@example.org"));
  crypto_auth_hmacsha256_final (&state, mac);
  expected = g_base64_encode (mac, TF_CRYPTO_SALT_BYTES);
  g_assert_cmpstr (json_object_get_string_member (fake, "salt"), ==, expected);
}

static void
test_register_then_login (void)
{
  g_autoptr(Account) account = register_account ("alice@example.org", "client");
  g_autoptr(TfTestResponse) response = login (account, NULL);
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *last_login = NULL;
  g_autofree char *sql = NULL;
  JsonObject *reply, *keys, *kdf;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecret) kek = NULL, auth = NULL, master = NULL;
  g_autofree guint8 *salt = NULL;
  gsize salt_len;

  g_assert_cmpuint (response->status, ==, 200);
  reply = tf_test_response_object (response);
  g_assert_cmpstr (json_object_get_string_member (reply, "user_id"), ==, account->user_id);
  g_assert_cmpstr (json_object_get_string_member (reply, "role"), ==, "client");
  g_assert_cmpstr (json_object_get_string_member (reply, "token"), !=, account->token);
  g_assert_cmpuint (strlen (json_object_get_string_member (reply, "token")), ==, 43);
  keys = json_object_get_object_member (reply, "keys");
  kdf = json_object_get_object_member (keys, "kdf");
  g_assert_cmpstr (json_object_get_string_member (kdf, "salt"), ==, account->salt);
  g_assert_nonnull (json_object_get_string_member (keys, "fingerprint"));

  /* The device can unwrap its master key from what login returned. */
  salt = g_base64_decode (account->salt, &salt_len);
  g_assert_true (tf_crypto_derive_keys ("correct horse battery staple", salt, TEST_OPSLIMIT,
                                        TEST_MEMLIMIT, &auth, &kek, &error));
  master = tf_crypto_unwrap_key (kek, "master",
                                 json_object_get_string_member (keys, "wrapped_master_key"),
                                 &error);
  g_assert_no_error (error);
  g_assert_true (tf_secret_equal (master, account->master_key));

  /* The token works, and the login was recorded. */
  g_assert_cmpuint (sessions_status (json_object_get_string_member (reply, "token"), NULL), ==,
                    200);
  sql = g_strdup_printf ("SELECT last_login IS NOT NULL FROM users WHERE id = '%s'",
                         account->user_id);
  last_login = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (last_login, ==, "t");
}

static void
test_wrong_key_and_unknown_email (void)
{
  g_autoptr(Account) account = register_account ("bob@example.org", "client");
  g_autofree char *wrong = random_auth_key ();
  g_autoptr(TfTestResponse) bad_key = login_on (server, account->email, wrong, NULL, NULL);
  g_autoptr(TfTestResponse) unknown = login_on (server, "nobody@example.org", wrong, NULL, NULL);
  g_autoptr(TfTestResponse) inactive = NULL;
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *sql = NULL;

  g_assert_cmpuint (bad_key->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (bad_key), ==, "invalid_credentials");
  g_assert_cmpuint (unknown->status, ==, 401);
  /* Byte for byte the same answer: nothing tells the two apart. */
  g_assert_cmpstr (unknown->text, ==, bad_key->text);

  /* A deactivated account with the right key: the same answer again. */
  sql = g_strdup_printf ("UPDATE users SET is_active = false WHERE id = '%s'", account->user_id);
  tf_test_pg_exec (conn, sql);
  inactive = login (account, NULL);
  g_assert_cmpuint (inactive->status, ==, 401);
  g_assert_cmpstr (inactive->text, ==, bad_key->text);
  /* ... and its existing token stops working. */
  g_assert_cmpuint (sessions_status (account->token, NULL), ==, 401);
}

static void
test_register_twice (void)
{
  g_autoptr(Account) first = register_account ("carol@example.org", "client");
  Account *second_raw = NULL;
  g_autoptr(JsonObject) body = register_object ("CAROL@example.org", "client", &second_raw);
  g_autoptr(Account) second = second_raw;
  g_autoptr(TfTestResponse) response = post_object (server, "/v1/auth/register", NULL, body);

  g_assert_cmpuint (response->status, ==, 409);
  g_assert_cmpstr (tf_test_response_error_code (response), ==, "email_taken");
}

static void
test_admin_role_forbidden (void)
{
  const char *roles[] = { "super_admin", "business_admin", "admin" };
  g_autoptr(PGconn) conn = db (server);
  gint64 before = tf_test_pg_int (conn, "SELECT count(*) FROM users");

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      Account *raw = NULL;
      g_autofree char *email = g_strdup_printf ("boss%u@example.org", i);
      g_autoptr(JsonObject) body = register_object (email, roles[i], &raw);
      g_autoptr(Account) account = raw;
      g_autoptr(TfTestResponse) response = post_object (server, "/v1/auth/register", NULL, body);

      g_assert_cmpuint (response->status, ==, 403);
      g_assert_cmpstr (tf_test_response_error_code (response), ==, "forbidden");
    }
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"), ==, before);
}

static void
test_client_is_not_therapist (void)
{
  Account *raw = NULL;
  g_autoptr(JsonObject) body = register_object ("dan@example.org", "client", &raw);
  g_autoptr(Account) client = raw;
  g_autoptr(TfTestResponse) response = NULL;
  g_autoptr(Account) therapist = register_account ("dr.eva@example.org", "therapist");
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *sql = NULL, *role = NULL;
  JsonObject *reply;

  /* A client that claims a license is still only a client. */
  json_object_set_string_member (body, "license_number", "FAKE-1");
  response = post_object (server, "/v1/auth/register", NULL, body);
  g_assert_cmpuint (response->status, ==, 201);
  reply = tf_test_response_object (response);
  g_assert_cmpstr (json_object_get_string_member (reply, "role"), ==, "client");

  sql = g_strdup_printf ("SELECT role FROM users WHERE id = '%s'",
                         json_object_get_string_member (reply, "user_id"));
  role = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (role, ==, "client");
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM therapists WHERE user_id = '%s'",
                         json_object_get_string_member (reply, "user_id"));
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 0);

  /* A therapist gets the role and the therapists row. */
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM therapists t JOIN users u ON u.id = t.user_id"
                         " WHERE u.id = '%s' AND u.role = 'therapist'", therapist->user_id);
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
}

/* ------------------------------------------------------------------------ */
/* Tokens and sessions                                                      */
/* ------------------------------------------------------------------------ */

static void
test_logout (void)
{
  g_autoptr(Account) account = register_account ("frank@example.org", "client");
  g_autoptr(TfTestResponse) out = NULL, again = NULL;
  g_autofree char *message = NULL;

  g_assert_cmpuint (sessions_status (account->token, NULL), ==, 200);
  out = tf_test_request (server, "POST", "/v1/auth/logout", account->token, NULL);
  g_assert_cmpuint (out->status, ==, 204);
  g_assert_cmpuint (sessions_status (account->token, &message), ==, 401);
  g_assert_cmpstr (message, ==, "token revoked");
  again = tf_test_request (server, "POST", "/v1/auth/logout", account->token, NULL);
  g_assert_cmpuint (again->status, ==, 401);
}

static void
test_no_and_unknown_token (void)
{
  g_autofree char *message = NULL;
  g_autofree char *message2 = NULL;

  g_assert_cmpuint (sessions_status (NULL, &message), ==, 401);
  g_assert_cmpstr (message, ==, "no token");
  g_assert_cmpuint (sessions_status ("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &message2), ==,
                    401);
  g_assert_cmpstr (message2, ==, "unknown token");
}

static void
test_sessions (void)
{
  g_autoptr(Account) account = register_account ("gina@example.org", "client");
  g_autofree char *phone = login_token (account);
  g_autoptr(TfTestResponse) list = tf_test_request (server, "GET", "/v1/auth/sessions",
                                                    account->token, NULL);
  g_autoptr(TfTestResponse) revoke = NULL, after = NULL;
  g_autofree char *phone_session = NULL, *path = NULL, *message = NULL;
  JsonArray *sessions;
  guint current = 0;

  g_assert_cmpuint (list->status, ==, 200);
  sessions = json_object_get_array_member (tf_test_response_object (list), "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *s = json_array_get_object_element (sessions, i);

      if (json_object_get_boolean_member (s, "current"))
        {
          current++;
          g_assert_cmpstr (json_object_get_string_member (s, "id"), ==, account->session_id);
          g_assert_cmpstr (json_object_get_string_member (s, "device_id"), ==,
                           account->device_id);
          g_assert_cmpstr (json_object_get_string_member (s, "device_name"), ==, "Laptop");
        }
      else
        {
          phone_session = g_strdup (json_object_get_string_member (s, "id"));
          g_assert_cmpstr (json_object_get_string_member (s, "device_name"), ==, "Phone");
        }
      g_assert_true (g_str_has_suffix (json_object_get_string_member (s, "last_seen_at"), "Z"));
    }
  g_assert_cmpuint (current, ==, 1);
  g_assert_nonnull (phone_session);

  /* Revoking the phone ends its token only. */
  path = g_strconcat ("/v1/auth/sessions/", phone_session, NULL);
  revoke = tf_test_request (server, "DELETE", path, account->token, NULL);
  g_assert_cmpuint (revoke->status, ==, 204);
  g_assert_cmpuint (sessions_status (phone, &message), ==, 401);
  g_assert_cmpstr (message, ==, "token revoked");
  after = tf_test_request (server, "GET", "/v1/auth/sessions", account->token, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  sessions = json_object_get_array_member (tf_test_response_object (after), "sessions");
  g_assert_cmpuint (json_array_get_length (sessions), ==, 1);
}

static void
test_foreign_session_not_found (void)
{
  g_autoptr(Account) owner = register_account ("hana@example.org", "client");
  g_autoptr(Account) other = register_account ("ivan@example.org", "client");
  g_autofree char *path = g_strconcat ("/v1/auth/sessions/", owner->session_id, NULL);
  g_autofree char *unknown_path = NULL, *unknown_id = g_uuid_string_random ();
  g_autoptr(TfTestResponse) foreign = tf_test_request (server, "DELETE", path, other->token, NULL);
  g_autoptr(TfTestResponse) unknown = NULL, garbage = NULL;

  g_assert_cmpuint (foreign->status, ==, 404);
  g_assert_cmpstr (tf_test_response_error_code (foreign), ==, "not_found");
  /* The owner's session is untouched. */
  g_assert_cmpuint (sessions_status (owner->token, NULL), ==, 200);

  unknown_path = g_strconcat ("/v1/auth/sessions/", unknown_id, NULL);
  unknown = tf_test_request (server, "DELETE", unknown_path, other->token, NULL);
  g_assert_cmpuint (unknown->status, ==, 404);
  /* Same answer as for someone else's session. */
  g_assert_cmpstr (unknown->text, ==, foreign->text);
  garbage = tf_test_request (server, "DELETE", "/v1/auth/sessions/'%3B--", other->token, NULL);
  g_assert_cmpuint (garbage->status, ==, 404);
}

static void
test_expired_token (void)
{
  g_autoptr(Account) account = register_account ("jon@example.org", "client");
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *sql = g_strdup_printf ("UPDATE auth_sessions SET expires_at = now () - interval"
                                          " '1 hour' WHERE id = '%s'", account->session_id);
  g_autofree char *message = NULL;

  g_assert_cmpuint (sessions_status (account->token, NULL), ==, 200);
  tf_test_pg_exec (conn, sql);
  g_assert_cmpuint (sessions_status (account->token, &message), ==, 401);
  g_assert_cmpstr (message, ==, "token expired");
}


/* GET /v1/auth/sessions on @srv: status and, when refused, the error code. */
static guint
sessions_code_on (TfTestServer *srv, const char *token, char **code)
{
  g_autoptr(TfTestResponse) response = tf_test_request (srv, "GET", "/v1/auth/sessions", token,
                                                        NULL);

  if (code != NULL)
    *code = g_strdup (tf_test_response_error_code (response));
  return response->status;
}

/* Sessions slide: a token used more often than token-lifetime stays good
 * long past it, one left unused that long lapses, and none outlives
 * token-max-lifetime however much it is used.  A lapsed token is
 * "token_expired" (the device may sign in again), a revoked one is not. */
static void
test_sliding_session (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_auth_sliding",
                                            "token-lifetime=2\ntoken-max-lifetime=5");
  g_autoptr(Account) idle = register_on (srv, "idle@example.org", "client");
  g_autoptr(Account) revoked = register_on (srv, "revoked@example.org", "client");
  g_autoptr(Account) used = register_on (srv, "sliding@example.org", "client");
  g_autoptr(PGconn) conn = db (srv);
  g_autofree char *code = NULL;
  g_autofree char *sql = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Used every 0.8 s for 3.2 s: past the 2 s idle limit, still good. */
  for (int i = 0; i < 4; i++)
    {
      g_usleep (800 * 1000);
      g_assert_cmpuint (sessions_code_on (srv, used->token, NULL), ==, 200);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >, 3 * G_USEC_PER_SEC);

  /* Unused for as long: lapsed, and said so. */
  g_assert_cmpuint (sessions_code_on (srv, idle->token, &code), ==, 401);
  g_assert_cmpstr (code, ==, "token_expired");
  g_clear_pointer (&code, g_free);

  /* A revoked session is not "expired": signing in again by itself would
   * undo what its owner did. */
  sql = g_strdup_printf ("UPDATE auth_sessions SET revoked_at = now () WHERE id = '%s'",
                         revoked->session_id);
  tf_test_pg_exec (conn, sql);
  g_assert_cmpuint (sessions_code_on (srv, revoked->token, &code), ==, 401);
  g_assert_cmpstr (code, ==, "unauthorized");
  g_clear_pointer (&code, g_free);

  /* Still used, but 5 s after sign-in it ends. */
  while (g_get_monotonic_time () - start < 5 * G_USEC_PER_SEC + 500 * 1000)
    {
      g_usleep (700 * 1000);
      if (sessions_code_on (srv, used->token, &code) != 200)
        break;
      g_clear_pointer (&code, g_free);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4 * G_USEC_PER_SEC);
  g_assert_cmpstr (code, ==, "token_expired");
  tf_test_server_stop (srv);
}

/* Sets the column @set of the session @id (SQL text, e.g. "revoked_at = ..."). */
static void
update_session (PGconn *conn, const char *id, const char *set)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE auth_sessions SET %s WHERE id = '%s'", set, id);

  tf_test_pg_exec (conn, sql);
}

static gint64
count_session (PGconn *conn, const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM auth_sessions WHERE id = '%s'",
                                          id);

  return tf_test_pg_int (conn, sql);
}

/* The ended sessions kept past token-max-lifetime (1 day here) */
#define OLD_SESSIONS "SELECT count(*) FROM auth_sessions WHERE least (revoked_at, expires_at," \
                     " last_seen_at + idle_timeout) <= now () - interval '1 day'"

/* Waits (20 s at most) for the upkeep of a server just started to leave
 * @want rows of ended sessions older than a day. */
static void
wait_old_sessions (PGconn *conn, gint64 want)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (tf_test_pg_int (conn, OLD_SESSIONS) != want && g_get_monotonic_time () < deadline)
    g_usleep (100 * 1000);
  g_assert_cmpint (tf_test_pg_int (conn, OLD_SESSIONS), ==, want);
}

/* The server's upkeep (at start, then hourly) deletes the rows of sessions
 * that ended, lapsed or revoked, token-max-lifetime ago, at most 10,000 at
 * a time, the longest ended first; a live session and one that lapsed
 * lately stay, and the latter still gets token_expired. */
static void
test_ended_sessions_purged (void)
{
  const char *config = "token-lifetime=3600\ntoken-max-lifetime=86400";
  TfTestServer *srv = tf_test_server_start ("tf_auth_purge_sessions", config);
  g_autofree char *conninfo = g_strdup (srv->conninfo);
  g_autoptr(Account) lapsed = register_on (srv, "lapsed@example.org", "client");
  g_autoptr(Account) revoked = register_on (srv, "revoked@example.org", "client");
  g_autoptr(Account) lately = register_on (srv, "lately@example.org", "client");
  g_autoptr(Account) live = register_on (srv, "live@example.org", "client");
  g_autoptr(PGconn) conn = db (srv);
  g_autofree char *code = NULL;
  g_autofree char *backlog = NULL;

  tf_test_server_stop (srv);
  update_session (conn, lapsed->session_id, "last_seen_at = now () - interval '3 days'");
  update_session (conn, revoked->session_id, "revoked_at = now () - interval '2 days'");
  update_session (conn, lately->session_id, "last_seen_at = now () - interval '2 hours'");
  /* A backlog of sessions that ended a month ago, more than one upkeep takes. */
  backlog = g_strdup_printf ("INSERT INTO auth_sessions (token_hash, user_id, device_id,"
                             " created_at, expires_at, last_seen_at, idle_timeout)"
                             " SELECT sha256 (n::text::bytea), '%s', gen_random_uuid (),"
                             " now () - interval '40 days', now () - interval '30 days',"
                             " now () - interval '35 days', interval '1 hour'"
                             " FROM generate_series (1, 10050) n", live->user_id);
  tf_test_pg_exec (conn, backlog);
  g_assert_cmpint (tf_test_pg_int (conn, OLD_SESSIONS), ==, 10052);

  /* The first upkeep takes 10,000 of the oldest: the backlog's. */
  srv = tf_test_server_start_on (conninfo, config);
  wait_old_sessions (conn, 52);
  g_assert_cmpint (count_session (conn, lapsed->session_id), ==, 1);
  tf_test_server_stop (srv);

  /* The next takes the rest. */
  srv = tf_test_server_start_on (conninfo, config);
  wait_old_sessions (conn, 0);
  g_assert_cmpint (count_session (conn, lapsed->session_id), ==, 0);
  g_assert_cmpint (count_session (conn, revoked->session_id), ==, 0);
  g_assert_cmpint (count_session (conn, lately->session_id), ==, 1);
  g_assert_cmpint (count_session (conn, live->session_id), ==, 1);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_sessions"), ==, 2);
  g_assert_cmpuint (sessions_code_on (srv, live->token, NULL), ==, 200);
  g_assert_cmpuint (sessions_code_on (srv, lately->token, &code), ==, 401);
  g_assert_cmpstr (code, ==, "token_expired");
  g_clear_pointer (&code, g_free);
  /* A purged token is an unknown one. */
  g_assert_cmpuint (sessions_code_on (srv, lapsed->token, &code), ==, 401);
  g_assert_cmpstr (code, ==, "unauthorized");
  tf_test_server_stop (srv);
}

/* The two lifetimes are checked at start: a maximum below the idle limit
 * is a mistake, and a longer idle limit alone raises the maximum. */
static void
test_session_lifetimes_config (void)
{
  g_autoptr(TfConfig) config = tf_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  int fd = g_file_open_tmp ("tf-config-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, "[server]\ntoken-lifetime=400\n"
                                      "token-max-lifetime=300\n", -1, &error));
  g_assert_false (tf_config_load_file (config, path, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  tf_config_free (config);
  config = tf_config_new ();
  g_assert_true (g_file_set_contents (path, "[server]\ntoken-lifetime=31536000\n", -1, &error));
  g_assert_true (tf_config_load_file (config, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->token_lifetime, ==, 31536000);
  g_assert_cmpint (config->token_max_lifetime, ==, 31536000);
  g_unlink (path);
}

/* ------------------------------------------------------------------------ */
/* Throttling                                                               */
/* ------------------------------------------------------------------------ */

static void
test_throttle_account (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_auth_throttle",
                                            "login-attempts=3\nlogin-attempts-per-address=1000");
  g_autoptr(Account) victim = register_on (srv, "kate@example.org", "client");
  g_autoptr(Account) bystander = register_on (srv, "leo@example.org", "client");
  g_autofree char *wrong = random_auth_key ();
  g_autoptr(TfTestResponse) limited = NULL, other = NULL, later = NULL;
  g_autoptr(PGconn) conn = db (srv);
  gint64 retry;

  for (int i = 0; i < 3; i++)
    {
      g_autoptr(TfTestResponse) failed = login_on (srv, victim->email, wrong, NULL, NULL);
      g_assert_cmpuint (failed->status, ==, 401);
    }
  /* Now even the right key is refused, before it is checked. */
  limited = login_on (srv, victim->email, victim->auth_key, NULL, NULL);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (tf_test_response_error_code (limited), ==, "rate_limited");
  g_assert_nonnull (limited->retry_after);
  retry = g_ascii_strtoll (limited->retry_after, NULL, 10);
  g_assert_cmpint (retry, >, 800);
  g_assert_cmpint (retry, <=, 900);
  /* Refused attempts are not failures. */
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures"), ==, 3);

  /* Per account: someone else from the same address is not affected. */
  other = login_on (srv, bystander->email, bystander->auth_key, NULL, NULL);
  g_assert_cmpuint (other->status, ==, 200);

  /* Once the failures have left the window, the account can log in. */
  tf_test_pg_exec (conn, "UPDATE auth_failures SET failed_at = now () - interval '1 hour'");
  later = login_on (srv, victim->email, victim->auth_key, NULL, NULL);
  g_assert_cmpuint (later->status, ==, 200);

  tf_test_server_stop (srv);
}

static void
test_throttle_address (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_auth_throttle_ip",
                                            "login-attempts=1000\nlogin-attempts-per-address=3");
  g_autoptr(Account) account = register_on (srv, "mia@example.org", "client");
  g_autofree char *wrong = random_auth_key ();
  g_autoptr(TfTestResponse) limited = NULL;

  /* Three different (unknown) accounts from one address... */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *email = g_strdup_printf ("spray%d@example.org", i);
      g_autoptr(TfTestResponse) failed = login_on (srv, email, wrong, NULL, NULL);

      g_assert_cmpuint (failed->status, ==, 401);
    }
  /* ...and the address is refused, for any account. */
  limited = login_on (srv, account->email, account->auth_key, NULL, NULL);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (tf_test_response_error_code (limited), ==, "rate_limited");
  g_assert_nonnull (limited->retry_after);
  g_assert_cmpint (g_ascii_strtoll (limited->retry_after, NULL, 10), >, 0);

  tf_test_server_stop (srv);
}

/* ------------------------------------------------------------------------ */
/* Password change                                                          */
/* ------------------------------------------------------------------------ */

/* A password-change body re-wrapping @account's master key under the KEK of
 * @password; updates the account's salt and auth key to the new ones. */
static JsonObject *
password_object (Account *account, const char *password, gboolean end_other_sessions)
{
  JsonObject *body = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autofree char *old_key = g_strdup (account->auth_key);
  g_autofree char *wrapped = NULL;

  kek = derive (account, password);
  wrapped = tf_crypto_wrap_key (kek, "master", account->master_key, &error);
  g_assert_no_error (error);
  json_object_set_string_member (body, "auth_key", old_key);
  json_object_set_string_member (body, "new_auth_key", account->auth_key);
  add_kdf (body, account);
  json_object_set_string_member (body, "wrapped_master_key", wrapped);
  json_object_set_boolean_member (body, "end_other_sessions", end_other_sessions);
  return body;
}

static void
test_password_change (void)
{
  g_autoptr(Account) account = register_account ("nora@example.org", "client");
  g_autofree char *phone = login_token (account);
  g_autofree char *tablet = login_token (account);
  g_autofree char *old_key = g_strdup (account->auth_key);
  g_autofree char *wrong = random_auth_key ();
  g_autofree char *message = NULL, *laptop2 = NULL;
  g_autoptr(JsonObject) wrong_body = NULL, body = NULL, body2 = NULL;
  g_autoptr(TfTestResponse) refused = NULL, changed = NULL, old_login = NULL, new_login = NULL;
  g_autoptr(TfTestResponse) changed2 = NULL, pre = NULL;
  JsonObject *keys;

  /* Wrong current key: 401 and nothing changes. */
  wrong_body = password_object (account, "new password one", TRUE);
  json_object_set_string_member (wrong_body, "auth_key", wrong);
  refused = post_object (server, "/v1/auth/password", account->token, wrong_body);
  g_assert_cmpuint (refused->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (refused), ==, "invalid_credentials");
  g_free (account->auth_key);
  account->auth_key = g_strdup (old_key);

  body = password_object (account, "new password one", TRUE);
  changed = post_object (server, "/v1/auth/password", account->token, body);
  g_assert_cmpuint (changed->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (changed),
                                               "sessions_ended"), ==, 2);

  /* The other devices are signed out; this one stays. */
  g_assert_cmpuint (sessions_status (phone, &message), ==, 401);
  g_assert_cmpstr (message, ==, "token revoked");
  g_assert_cmpuint (sessions_status (tablet, NULL), ==, 401);
  g_assert_cmpuint (sessions_status (account->token, NULL), ==, 200);

  /* The old key no longer works; the new one does and brings the new wrap. */
  old_login = login_on (server, account->email, old_key, NULL, NULL);
  g_assert_cmpuint (old_login->status, ==, 401);
  new_login = login (account, NULL);
  g_assert_cmpuint (new_login->status, ==, 200);
  keys = json_object_get_object_member (tf_test_response_object (new_login), "keys");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (keys, "kdf"),
                                                  "salt"), ==, account->salt);
  g_assert_cmpstr (json_object_get_string_member (keys, "wrapped_master_key"), ==,
                   json_object_get_string_member (body, "wrapped_master_key"));
  pre = tf_test_request (server, "POST", "/v1/auth/prelogin", NULL,
                         "{\"email\": \"nora@example.org\"}");
  g_assert_cmpstr (json_object_get_string_member (tf_test_response_object (pre), "salt"), ==,
                   account->salt);

  /* Without end_other_sessions the others stay signed in. */
  laptop2 = g_strdup (json_object_get_string_member (tf_test_response_object (new_login),
                                                     "token"));
  body2 = password_object (account, "new password two", FALSE);
  changed2 = post_object (server, "/v1/auth/password", account->token, body2);
  g_assert_cmpuint (changed2->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (changed2),
                                               "sessions_ended"), ==, 0);
  g_assert_cmpuint (sessions_status (laptop2, NULL), ==, 200);
}

/* ------------------------------------------------------------------------ */
/* Recovery with the recovery key                                           */
/* ------------------------------------------------------------------------ */

/* A recovery body: @proof, and @master re-wrapped under the KEK of
 * @password.  Updates the account's salt and auth key to the new ones. */
static JsonObject *
recover_object (Account *account, const char *proof, const TfSecret *master,
                const char *password, gboolean end_other_sessions)
{
  JsonObject *body = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecret) kek = derive (account, password);
  g_autofree char *wrapped = tf_crypto_wrap_key (kek, "master", master, &error);

  g_assert_no_error (error);
  json_object_set_string_member (body, "recovery_auth_key", proof);
  json_object_set_string_member (body, "new_auth_key", account->auth_key);
  add_kdf (body, account);
  json_object_set_string_member (body, "wrapped_master_key", wrapped);
  json_object_set_boolean_member (body, "end_other_sessions", end_other_sessions);
  return body;
}

/* The user forgot the password but kept the recovery key: a signed-in
 * device opens the keys with it, proves it to the server and sets a new
 * password. */
static void
test_recover (void)
{
  g_autoptr(Account) account = register_account ("rhea@example.org", "client");
  g_autofree char *phone = login_token (account);
  g_autofree char *old_key = g_strdup (account->auth_key);
  g_autoptr(TfTestResponse) signed_in = login (account, NULL);
  g_autoptr(TfTestResponse) recovered = NULL, old_login = NULL, new_login = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(TfKeys) opened = NULL, still_opens = NULL;
  g_autoptr(TfSecret) auth = NULL, kek = NULL, master = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *proof = NULL, *sql = NULL, *stored = NULL;
  g_autofree guint8 *proof_raw = NULL, *salt = NULL;
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  gsize proof_len = 0, salt_len = 0;
  JsonObject *keys;

  g_assert_cmpuint (signed_in->status, ==, 200);
  keys = json_object_get_object_member (tf_test_response_object (signed_in), "keys");
  opened = tf_keys_open_recovery (keys, account->recovery_text, &proof, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secret_equal (tf_keys_get_master (opened), account->master_key));

  /* The server kept only the SHA-256 of the proof sent at registration. */
  proof_raw = g_base64_decode (proof, &proof_len);
  g_assert_cmpuint (proof_len, ==, 32);
  crypto_hash_sha256 (hash, proof_raw, proof_len);
  sodium_bin2hex (hex, sizeof hex, hash, sizeof hash);
  sql = g_strdup_printf ("SELECT recovery_auth_hash FROM user_keys WHERE user_id = '%s'",
                         account->user_id);
  stored = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (stored, ==, hex);

  body = recover_object (account, proof, tf_keys_get_master (opened), "a brand new password",
                         TRUE);
  recovered = post_object (server, "/v1/auth/recover", account->token, body);
  g_assert_cmpuint (recovered->status, ==, 200);
  /* The phone and the other login are signed out; this device stays. */
  g_assert_cmpint (json_object_get_int_member (tf_test_response_object (recovered),
                                               "sessions_ended"), ==, 2);
  g_assert_cmpuint (sessions_status (phone, NULL), ==, 401);
  g_assert_cmpuint (sessions_status (account->token, NULL), ==, 200);

  /* The forgotten password's key is refused; the new one signs in ... */
  old_login = login_on (server, account->email, old_key, NULL, NULL);
  g_assert_cmpuint (old_login->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (old_login), ==, "invalid_credentials");
  new_login = login (account, NULL);
  g_assert_cmpuint (new_login->status, ==, 200);

  /* ... and brings a wrap the new password opens, while the recovery key
   * still opens the same master key. */
  keys = json_object_get_object_member (tf_test_response_object (new_login), "keys");
  salt = g_base64_decode (json_object_get_string_member (
                            json_object_get_object_member (keys, "kdf"), "salt"), &salt_len);
  g_assert_true (tf_crypto_derive_keys ("a brand new password", salt, TEST_OPSLIMIT,
                                        TEST_MEMLIMIT, &auth, &kek, &error));
  master = tf_crypto_unwrap_key (kek, "master",
                                 json_object_get_string_member (keys, "wrapped_master_key"),
                                 &error);
  g_assert_no_error (error);
  g_assert_true (tf_secret_equal (master, account->master_key));
  still_opens = tf_keys_open_recovery (keys, account->recovery_text, NULL, &error);
  g_assert_no_error (error);

  /* A device that stayed signed in fetches the new wrap of its own keys
   * (and only with a token). */
  {
    g_autoptr(TfTestResponse) own = tf_test_request (server, "GET", "/v1/auth/keys",
                                                     account->token, NULL);
    g_autoptr(TfTestResponse) anonymous = tf_test_request (server, "GET", "/v1/auth/keys",
                                                           NULL, NULL);
    JsonObject *own_keys;

    g_assert_cmpuint (own->status, ==, 200);
    own_keys = json_object_get_object_member (tf_test_response_object (own), "keys");
    g_assert_cmpstr (json_object_get_string_member (own_keys, "wrapped_master_key"), ==,
                     json_object_get_string_member (keys, "wrapped_master_key"));
    g_assert_cmpuint (anonymous->status, ==, 401);
  }

  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_logs WHERE user_id = '%s'"
                         " AND action = 'password_recovered'", account->user_id);
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
}

/* A wrong recovery proof is a failed attempt like a wrong current key: the
 * same 401, counted, and throttled with them. */
static void
test_recover_wrong_key_throttled (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_auth_recover_throttle",
                                            "login-attempts=3\nlogin-attempts-per-address=1000");
  g_autoptr(Account) account = register_on (srv, "sofia@example.org", "client");
  g_autofree char *old_key = g_strdup (account->auth_key);
  g_autofree char *wrong_proof = random_auth_key ();
  g_autofree char *right_proof = g_strdup (account->recovery_auth);
  g_autofree char *wrong_key = random_auth_key ();
  g_autoptr(JsonObject) change = NULL, wrong = NULL, right = NULL;
  g_autoptr(TfTestResponse) wrong_change = NULL, limited = NULL, old_login = NULL;
  g_autoptr(TfTestResponse) recovered = NULL;
  g_autoptr(PGconn) conn = db (srv);

  /* One wrong current key on a password change ... */
  change = password_object (account, "never used", FALSE);
  json_object_set_string_member (change, "auth_key", wrong_key);
  wrong_change = post_object (srv, "/v1/auth/password", account->token, change);
  g_assert_cmpuint (wrong_change->status, ==, 401);

  /* ... and two wrong recovery proofs: the same answer, byte for byte. */
  wrong = recover_object (account, wrong_proof, account->master_key, "never used", FALSE);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(TfTestResponse) refused = post_object (srv, "/v1/auth/recover", account->token,
                                                       wrong);

      g_assert_cmpuint (refused->status, ==, 401);
      g_assert_cmpstr (tf_test_response_error_code (refused), ==, "invalid_credentials");
      g_assert_cmpstr (refused->text, ==, wrong_change->text);
    }
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures"
                                   " WHERE email = 'sofia@example.org'"), ==, 3);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM audit_logs"
                                   " WHERE action = 'login_failed'"
                                   " AND new_values->>'reason' = 'password_recovery'"), ==, 2);

  /* Three failures: now even the right proof is refused, before it is
   * looked at, and nothing changes. */
  right = recover_object (account, right_proof, account->master_key, "the new one", FALSE);
  limited = post_object (srv, "/v1/auth/recover", account->token, right);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_cmpstr (tf_test_response_error_code (limited), ==, "rate_limited");
  g_assert_nonnull (limited->retry_after);

  /* Once the failures have left the window, the old password still works
   * and the right proof is accepted. */
  tf_test_pg_exec (conn, "UPDATE auth_failures SET failed_at = now () - interval '1 hour'");
  old_login = login_on (srv, account->email, old_key, NULL, NULL);
  g_assert_cmpuint (old_login->status, ==, 200);
  recovered = post_object (srv, "/v1/auth/recover", account->token, right);
  g_assert_cmpuint (recovered->status, ==, 200);

  tf_test_server_stop (srv);
}

/* An account registered before recovery proofs existed has none on file:
 * no proof can recover it. */
static void
test_recover_without_proof_on_file (void)
{
  Account *raw = NULL;
  g_autoptr(JsonObject) registration = register_object ("tomas@example.org", "client", &raw);
  g_autoptr(Account) account = raw;
  g_autofree char *old_key = g_strdup (account->auth_key);
  g_autoptr(TfTestResponse) registered = NULL, refused = NULL, old_login = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *sql = NULL, *missing = NULL;
  const char *token;

  json_object_remove_member (registration, "recovery_auth_key");
  registered = post_object (server, "/v1/auth/register", NULL, registration);
  g_assert_cmpuint (registered->status, ==, 201);
  token = json_object_get_string_member (tf_test_response_object (registered), "token");
  sql = g_strdup_printf ("SELECT recovery_auth_hash IS NULL FROM user_keys k JOIN users u"
                         " ON u.id = k.user_id WHERE u.email = '%s'", account->email);
  missing = tf_test_pg_value (conn, sql);
  g_assert_cmpstr (missing, ==, "t");

  /* Even the proof the recovery key really gives is refused. */
  body = recover_object (account, account->recovery_auth, account->master_key, "new", FALSE);
  refused = post_object (server, "/v1/auth/recover", token, body);
  g_assert_cmpuint (refused->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (refused), ==, "invalid_credentials");
  old_login = login_on (server, account->email, old_key, NULL, NULL);
  g_assert_cmpuint (old_login->status, ==, 200);
}

/* Recovery is from a signed-in device; without a token nothing happens. */
static void
test_recover_needs_token (void)
{
  g_autoptr(Account) account = register_account ("ursula@example.org", "client");
  g_autofree char *old_key = g_strdup (account->auth_key);
  g_autoptr(JsonObject) body = recover_object (account, account->recovery_auth,
                                               account->master_key, "new", FALSE);
  g_autoptr(TfTestResponse) no_token = post_object (server, "/v1/auth/recover", NULL, body);
  g_autoptr(TfTestResponse) short_proof = NULL, old_login = NULL;
  guint8 short_key[16] = { 0 };
  g_autofree char *short_b64 = g_base64_encode (short_key, sizeof short_key);

  g_assert_cmpuint (no_token->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (no_token), ==, "unauthorized");
  g_assert_cmpstr (error_message (no_token), ==, "no token");

  /* A proof that is not 32 bytes is bad input, not a failed attempt. */
  json_object_set_string_member (body, "recovery_auth_key", short_b64);
  short_proof = post_object (server, "/v1/auth/recover", account->token, body);
  g_assert_cmpuint (short_proof->status, ==, 400);
  g_assert_cmpstr (tf_test_response_error_code (short_proof), ==, "bad_value");
  g_assert_nonnull (strstr (error_message (short_proof), "recovery_auth_key"));

  old_login = login_on (server, account->email, old_key, NULL, NULL);
  g_assert_cmpuint (old_login->status, ==, 200);
}

/* ------------------------------------------------------------------------ */
/* TOTP over HTTP                                                           */
/* ------------------------------------------------------------------------ */

static char *
code_at (const guint8 *secret, gsize len, gint64 step)
{
  char code[TF_TOTP_DIGITS + 1];

  tf_totp_code (secret, len, step, code);
  return g_strdup (code);
}

static TfTestResponse *
post_code (const char *path, const char *token, const char *code)
{
  g_autofree char *body = g_strdup_printf ("{\"code\": \"%s\"}", code);

  return tf_test_request (server, "POST", path, token, body);
}

static void
test_mfa (void)
{
  g_autoptr(Account) account = register_account ("olga@example.org", "client");
  g_autoptr(TfTestResponse) setup = NULL, bad_enable = NULL, enable = NULL, no_code = NULL;
  g_autoptr(TfTestResponse) wrong_code = NULL, with_code = NULL, replay = NULL, disable = NULL;
  g_autoptr(TfTestResponse) plain = NULL;
  g_autofree guint8 *secret = NULL;
  g_autofree char *previous = NULL, *now_code = NULL, *next = NULL, *wrong = NULL;
  const char *uri;
  gsize len = 0;
  gint64 step;

  setup = tf_test_request (server, "POST", "/v1/auth/mfa/setup", account->token, NULL);
  g_assert_cmpuint (setup->status, ==, 200);
  secret = tf_totp_base32_decode (json_object_get_string_member (tf_test_response_object (setup),
                                                                 "secret"), &len);
  g_assert_nonnull (secret);
  g_assert_cmpuint (len, ==, TF_TOTP_SECRET_BYTES);
  uri = json_object_get_string_member (tf_test_response_object (setup), "otpauth_uri");
  g_assert_true (g_str_has_prefix (uri, "otpauth://totp/"));
  g_assert_nonnull (strstr (uri, json_object_get_string_member (tf_test_response_object (setup),
                                                                "secret")));

  /* Not yet enabled: login needs no code. */
  plain = login (account, NULL);
  g_assert_cmpuint (plain->status, ==, 200);

  /* Keep the whole exchange within one 30-second step. */
  if (g_get_real_time () / G_USEC_PER_SEC % TF_TOTP_PERIOD > TF_TOTP_PERIOD - 5)
    g_usleep (6 * G_USEC_PER_SEC);
  step = g_get_real_time () / G_USEC_PER_SEC / TF_TOTP_PERIOD;
  previous = code_at (secret, len, step - 1);
  now_code = code_at (secret, len, step);
  next = code_at (secret, len, step + 1);
  /* A well-formed code that is none of the three accepted ones. */
  wrong = tf_test_totp_wrong_code (json_object_get_string_member (tf_test_response_object (setup),
                                                                  "secret"));

  bad_enable = post_code ("/v1/auth/mfa/enable", account->token, wrong);
  g_assert_cmpuint (bad_enable->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (bad_enable), ==, "invalid_credentials");
  /* One step back is accepted (clock drift). */
  enable = post_code ("/v1/auth/mfa/enable", account->token, previous);
  g_assert_cmpuint (enable->status, ==, 204);

  no_code = login (account, NULL);
  g_assert_cmpuint (no_code->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (no_code), ==, "mfa_required");
  wrong_code = login (account, wrong);
  g_assert_cmpuint (wrong_code->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (wrong_code), ==, "invalid_credentials");
  with_code = login (account, now_code);
  g_assert_cmpuint (with_code->status, ==, 200);
  /* The same code a second time is refused: it was used. */
  replay = login (account, now_code);
  g_assert_cmpuint (replay->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (replay), ==, "invalid_credentials");

  disable = post_code ("/v1/auth/mfa/disable", account->token, next);
  g_assert_cmpuint (disable->status, ==, 204);
  g_clear_pointer (&plain, tf_test_response_free);
  plain = login (account, NULL);
  g_assert_cmpuint (plain->status, ==, 200);
}

/* ------------------------------------------------------------------------ */
/* Audit and bad input                                                      */
/* ------------------------------------------------------------------------ */

static void
test_audit (void)
{
  g_autoptr(Account) account = register_account ("pavlos@example.org", "client");
  g_autofree char *wrong = random_auth_key ();
  g_autoptr(TfTestResponse) ok = login (account, NULL);
  g_autoptr(TfTestResponse) bad = login_on (server, account->email, wrong, NULL, NULL);
  g_autoptr(TfTestResponse) ghost = login_on (server, "ghost.audit@example.org", wrong, NULL,
                                              NULL);
  g_autoptr(PGconn) conn = db (server);
  g_autofree char *sql = NULL;

  g_assert_cmpuint (ok->status, ==, 200);
  g_assert_cmpuint (bad->status, ==, 401);
  g_assert_cmpuint (ghost->status, ==, 401);
#define FROM_TEST " AND host (ip_address) = '127.0.0.1' AND user_agent = 'tf-test/1'"
  sql = g_strdup_printf ("SELECT count(*) FROM audit_logs WHERE user_id = '%s' AND action = '%s'"
                         FROM_TEST, account->user_id, "register");
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_logs WHERE user_id = '%s' AND action = '%s'"
                         FROM_TEST, account->user_id, "login");
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_logs WHERE user_id = '%s' AND action = '%s'"
                         FROM_TEST, account->user_id, "login_failed");
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM audit_logs WHERE user_id IS NULL"
                                   " AND action = 'login_failed'"
                                   " AND new_values->>'email' = 'ghost.audit@example.org'"
                                   FROM_TEST), ==, 1);
#undef FROM_TEST
}

static void
expect_bad (JsonObject *body, const char *raw, guint status, const char *code, const char *field)
{
  g_autofree char *text = raw ? g_strdup (raw) : object_to_string (body);
  g_autoptr(TfTestResponse) response = tf_test_request (server, "POST", "/v1/auth/register", NULL, text);

  if (response->status != status)
    g_error ("expected %u, got %u: %s", status, response->status, response->text);
  g_assert_cmpstr (tf_test_response_error_code (response), ==, code);
  if (field != NULL && strstr (error_message (response), field) == NULL)
    g_error ("the message “%s” does not name %s", error_message (response), field);
}

static void
test_bad_input (void)
{
  g_autoptr(PGconn) conn = db (server);
  gint64 users = tf_test_pg_int (conn, "SELECT count(*) FROM users");
  gint64 sessions = tf_test_pg_int (conn, "SELECT count(*) FROM auth_sessions");
  Account *raw = NULL;
  g_autoptr(JsonObject) body = register_object ("quinn@example.org", "client", &raw);
  g_autoptr(Account) account = raw;
  g_autoptr(TfTestResponse) bad_login = NULL;
  guint8 short_key[16] = { 0 };
  g_autofree char *short_b64 = g_base64_encode (short_key, sizeof short_key);
  g_autofree char *good_wrap = NULL;

  expect_bad (NULL, "{\"email\": \"quinn@example.org\", ", 400, "bad_json", NULL);
  expect_bad (NULL, "[1, 2]", 400, "wrong_type", NULL);

  json_object_set_int_member (body, "email", 42);
  expect_bad (body, NULL, 400, "wrong_type", "email");
  json_object_set_string_member (body, "email", "quinn@example.org");

  json_object_remove_member (body, "auth_key");
  expect_bad (body, NULL, 400, "missing_field", "auth_key");

  json_object_set_string_member (body, "auth_key", "not base64!");
  expect_bad (body, NULL, 400, "bad_value", "auth_key");
  json_object_set_string_member (body, "auth_key", short_b64);
  expect_bad (body, NULL, 400, "bad_value", "auth_key");
  json_object_set_string_member (body, "auth_key", account->auth_key);

  json_object_set_string_member (body, "recovery_auth_key", "not base64!");
  expect_bad (body, NULL, 400, "bad_value", "recovery_auth_key");
  json_object_set_string_member (body, "recovery_auth_key", short_b64);
  expect_bad (body, NULL, 400, "bad_value", "recovery_auth_key");
  json_object_set_string_member (body, "recovery_auth_key", account->recovery_auth);

  good_wrap = g_strdup (json_object_get_string_member (body, "wrapped_master_key"));
  json_object_set_string_member (body, "wrapped_master_key", "plaintext master key");
  expect_bad (body, NULL, 400, "bad_value", "wrapped_master_key");
  json_object_set_string_member (body, "wrapped_master_key", "tf1:AAAA");
  expect_bad (body, NULL, 400, "bad_value", "wrapped_master_key");
  json_object_set_string_member (body, "wrapped_master_key", good_wrap);

  json_object_set_string_member (body, "email", "not an address");
  expect_bad (body, NULL, 422, "validation", NULL);

  bad_login = tf_test_request (server, "POST", "/v1/auth/login", NULL, "{\"email\": 1");
  g_assert_cmpuint (bad_login->status, ==, 400);
  g_assert_cmpstr (tf_test_response_error_code (bad_login), ==, "bad_json");

  /* Nothing was written by any of them. */
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"), ==, users);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_sessions"), ==, sessions);

  /* Control: with the e-mail put right, the same body is accepted, so each
   * refusal above was for the one thing that was wrong. */
  json_object_set_string_member (body, "email", "quinn@example.org");
  expect_bad (body, NULL, 201, NULL, NULL);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM users"), ==, users + 1);
}

static TfTestResponse *
recovery_login_on (TfTestServer *srv, const char *email, const char *proof)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *device = g_uuid_string_random ();

  json_object_set_string_member (body, "email", email);
  json_object_set_string_member (body, "recovery_auth_key", proof);
  json_object_set_string_member (body, "device_id", device);
  return post_object (srv, "/v1/auth/recover/login", NULL, body);
}

/* A device with no session signs in with the e-mail and the recovery proof
 * and gets the wrapped keys; a wrong proof and an unknown e-mail are the
 * login's failure, byte for byte, and count against the same throttle. */
static void
test_recovery_login (void)
{
  TfTestServer *srv = tf_test_server_start ("tf_auth_recovery_login",
                                            "login-attempts=3\nlogin-attempts-per-address=1000");
  g_autoptr(Account) account = register_on (srv, "rhea@example.org", "client");
  g_autofree char *wrong_proof = random_auth_key ();
  g_autoptr(TfTestResponse) wrong = NULL, unknown = NULL, wrong_login = NULL, right = NULL;
  g_autoptr(TfTestResponse) limited = NULL, keys = NULL;
  g_autoptr(PGconn) conn = db (srv);
  JsonObject *reply;

  right = recovery_login_on (srv, account->email, account->recovery_auth);
  g_assert_cmpuint (right->status, ==, 200);
  reply = tf_test_response_object (right);
  g_assert_cmpstr (json_object_get_string_member (reply, "user_id"), ==, account->user_id);
  g_assert_nonnull (json_object_get_object_member (json_object_get_object_member (reply, "keys"),
                                                   "kdf"));
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (reply, "keys"),
                                                   "wrapped_recovery_key"));
  /* The session is a real one. */
  keys = tf_test_request (srv, "GET", "/v1/auth/keys",
                          json_object_get_string_member (reply, "token"), NULL);
  g_assert_cmpuint (keys->status, ==, 200);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM audit_logs"
                                   " WHERE action = 'login_recovery'"), ==, 1);

  wrong = recovery_login_on (srv, account->email, wrong_proof);
  unknown = recovery_login_on (srv, "nobody-here@example.org", account->recovery_auth);
  wrong_login = login_on (srv, account->email, wrong_proof, NULL, NULL);
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpstr (tf_test_response_error_code (wrong), ==, "invalid_credentials");
  g_assert_cmpstr (wrong->text, ==, unknown->text);
  g_assert_cmpstr (wrong->text, ==, wrong_login->text);
  g_assert_cmpint (tf_test_pg_int (conn, "SELECT count(*) FROM auth_failures"
                                   " WHERE email = 'rhea@example.org'"), ==, 2);
  /* A third failure for the account: now even the right proof waits. */
  g_clear_pointer (&wrong, tf_test_response_free);
  wrong = recovery_login_on (srv, account->email, wrong_proof);
  limited = recovery_login_on (srv, account->email, account->recovery_auth);
  g_assert_cmpuint (limited->status, ==, 429);
  g_assert_nonnull (limited->retry_after);
  tf_test_server_stop (srv);
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  /* `serve` prefers TF_DATABASE_URL (set by tf-pg to the unmigrated default
   * database) over the url of its config file; the servers started here must
   * use their own migrated databases.  The tests' own connections read
   * TF_TEST_DATABASE_URL. */
  g_unsetenv ("TF_DATABASE_URL");
  /* The per-address limit is for the throttling tests' own servers: here
   * every test shares 127.0.0.1. */
  server = tf_test_server_start ("tf_auth", "login-attempts-per-address=1000");

  g_test_add_func ("/tf/auth/totp-rfc6238", test_totp_rfc6238);
  g_test_add_func ("/tf/auth/prelogin", test_prelogin);
  g_test_add_func ("/tf/auth/register-then-login", test_register_then_login);
  g_test_add_func ("/tf/auth/wrong-key-and-unknown-email", test_wrong_key_and_unknown_email);
  g_test_add_func ("/tf/auth/register-twice", test_register_twice);
  g_test_add_func ("/tf/auth/admin-role-forbidden", test_admin_role_forbidden);
  g_test_add_func ("/tf/auth/client-is-not-therapist", test_client_is_not_therapist);
  g_test_add_func ("/tf/auth/logout", test_logout);
  g_test_add_func ("/tf/auth/no-and-unknown-token", test_no_and_unknown_token);
  g_test_add_func ("/tf/auth/sessions", test_sessions);
  g_test_add_func ("/tf/auth/foreign-session-not-found", test_foreign_session_not_found);
  g_test_add_func ("/tf/auth/expired-token", test_expired_token);
  g_test_add_func ("/tf/auth/sliding-session", test_sliding_session);
  g_test_add_func ("/tf/auth/session-lifetimes-config", test_session_lifetimes_config);
  g_test_add_func ("/tf/auth/ended-sessions-purged", test_ended_sessions_purged);
  g_test_add_func ("/tf/auth/throttle-account", test_throttle_account);
  g_test_add_func ("/tf/auth/throttle-address", test_throttle_address);
  g_test_add_func ("/tf/auth/password-change", test_password_change);
  g_test_add_func ("/tf/auth/recover", test_recover);
  g_test_add_func ("/tf/auth/recover-wrong-key-throttled", test_recover_wrong_key_throttled);
  g_test_add_func ("/tf/auth/recover-without-proof-on-file", test_recover_without_proof_on_file);
  g_test_add_func ("/tf/auth/recover-needs-token", test_recover_needs_token);
  g_test_add_func ("/tf/auth/recovery-login", test_recovery_login);
  g_test_add_func ("/tf/auth/mfa", test_mfa);
  g_test_add_func ("/tf/auth/audit", test_audit);
  g_test_add_func ("/tf/auth/bad-input", test_bad_input);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
