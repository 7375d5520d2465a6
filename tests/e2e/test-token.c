/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-token.c: the device's account core (client/core/tf-account*.c) on
 * real SQLite files against the real server: the session token is never in
 * the profile's files, so a copy of the laptop's files gives no session;
 * a token that an older version stored in plaintext is wrapped at the next
 * unlock; and a password changed on another device still unlocks here.
 *
 * The token is looked for in the files by what the server knows of it:
 * auth_sessions keeps the SHA-256 of each token's 32 bytes, so every run of
 * 43 URL-safe base64 characters in the files is decoded and hashed, and
 * none may be the hash of any of the account's sessions, past or present.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-account.h"
#include "tf-crypto.h"
#include "tf-keys.h"
#include "tf-store.h"
#include "tf-sync-client.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

#define PASSWORD     "ο κωδικός μου 1"
#define NEW_PASSWORD "ο νέος κωδικός 2"
#define TOKEN_CHARS  43   /* 32 bytes, URL-safe base64 without padding */

static TfTestServer *server;

typedef struct
{
  char    *dir;
  char    *path;
  TfStore *store;
} Profile;

static Profile *
profile_new (void)
{
  Profile *p = g_new0 (Profile, 1);
  g_autoptr(GError) error = NULL;

  p->dir = g_dir_make_tmp ("tf-account-XXXXXX", &error);
  g_assert_no_error (error);
  p->path = g_build_filename (p->dir, "profile.sqlite", NULL);
  p->store = tf_store_open (p->path, &error);
  g_assert_no_error (error);
  return p;
}

static void
profile_close (Profile *p)
{
  if (p->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&p->store));
}

static void
profile_reopen (Profile *p)
{
  g_autoptr(GError) error = NULL;

  profile_close (p);
  p->store = tf_store_open (p->path, &error);
  g_assert_no_error (error);
}

static void
profile_free (Profile *p)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  profile_close (p);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (p->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (p->dir);
  g_free (p->path);
  g_free (p->dir);
  g_free (p);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Profile, profile_free)

static char *
unique_email (const char *what)
{
  g_autofree char *id = g_uuid_string_random ();

  return g_strdup_printf ("%s-%.8s@example.gr", what, id);
}

/* A client account made on @p and registered on the server: its vault. */
static TfVault *
register_on (Profile *p, const char *email)
{
  TfRegistration reg = { .password = PASSWORD, .role = "client" };
  g_autofree char *recovery = NULL;
  g_autoptr(GError) error = NULL;
  TfVault *vault = tf_account_create_local (p->store, &reg, &recovery, &error);

  g_assert_no_error (error);
  g_assert_true (tf_account_publish (p->store, server->base_url, email, PASSWORD, NULL,
                                     &error));
  g_assert_no_error (error);
  return vault;
}

static void
sync_ok (TfVault *vault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSyncClient) client = tf_account_new_sync_client (vault, &error);

  g_assert_no_error (error);
  if (!tf_sync_client_sync (client, tf_vault_get_store (vault), NULL, &error))
    g_error ("sync failed: %s", error->message);
}

static char *
hash_hex (const guint8 *raw, gsize len)
{
  guint8 hash[crypto_hash_sha256_BYTES];
  char hex[2 * crypto_hash_sha256_BYTES + 1];

  crypto_hash_sha256 (hash, raw, len);
  return g_strdup (sodium_bin2hex (hex, sizeof hex, hash, sizeof hash));
}

/* The hex SHA-256 of every session token @user_id ever had. */
static GHashTable *
session_hashes (const char *user_id)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = g_strdup_printf ("SELECT string_agg (encode (token_hash, 'hex'), ',')"
                                          " FROM auth_sessions WHERE user_id = '%s'", user_id);
  g_autofree char *list = tf_test_pg_value (conn, sql);
  g_auto(GStrv) hashes = g_strsplit (list, ",", -1);
  GHashTable *set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; hashes[i] != NULL; i++)
    g_hash_table_add (set, g_strdup (hashes[i]));
  g_assert_cmpuint (g_hash_table_size (set), >, 0);
  return set;
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

/* How many places of @bytes hold one of the tokens whose hashes are in
 * @hashes. */
static guint
count_tokens (const char *bytes, gsize len, GHashTable *hashes)
{
  guint found = 0;
  gsize run = 0;

  for (gsize i = 0; i < len; i++)
    {
      run = is_token_char (bytes[i]) ? run + 1 : 0;
      if (run >= TOKEN_CHARS)
        {
          guint8 raw[32];
          size_t raw_len = 0;
          g_autofree char *hex = NULL;

          if (sodium_base642bin (raw, sizeof raw, bytes + i + 1 - TOKEN_CHARS, TOKEN_CHARS,
                                 NULL, &raw_len, NULL,
                                 sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
              raw_len != sizeof raw)
            continue;
          hex = hash_hex (raw, raw_len);
          if (g_hash_table_contains (hashes, hex))
            found++;
        }
    }
  return found;
}

/* The tokens of @user_id found in @p's database file and its -wal. */
static guint
tokens_in_files (Profile *p, const char *user_id)
{
  g_autoptr(GHashTable) hashes = session_hashes (user_id);
  const char *suffixes[] = { "", "-wal" };
  guint found = 0;

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (p->path, suffixes[i], NULL);
      g_autofree char *bytes = NULL;
      gsize len = 0;

      if (!g_file_test (file, G_FILE_TEST_EXISTS))
        continue;
      g_assert_true (g_file_get_contents (file, &bytes, &len, NULL));
      found += count_tokens (bytes, len, hashes);
    }
  return found;
}

static char *
state (Profile *p, const char *key)
{
  return tf_store_dup_state (p->store, key, NULL);
}

/* Signing up, logging in on a second device, syncing and signing in again
 * after the session lapsed: no token reaches the files, open or closed. */
static void
test_token_not_in_files (void)
{
  g_autoptr(Profile) laptop = profile_new ();
  g_autoptr(Profile) phone = profile_new ();
  g_autofree char *email = unique_email ("token");
  g_autoptr(TfVault) laptop_vault = register_on (laptop, email);
  g_autoptr(TfVault) phone_vault = NULL;
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = state (laptop, "account.user_id");
  g_autofree char *sql = NULL;
  PGconn *conn;

  phone_vault = tf_account_login (phone->store, server->base_url, email, PASSWORD, NULL, &error);
  g_assert_no_error (error);
  sync_ok (laptop_vault);
  sync_ok (phone_vault);
  g_assert_cmpuint (tokens_in_files (laptop, user_id), ==, 0);
  g_assert_cmpuint (tokens_in_files (phone, user_id), ==, 0);

  /* The phone's session lapses; it signs in again by itself. */
  conn = tf_test_pg_connect (server->conninfo);
  sql = g_strdup_printf ("UPDATE auth_sessions SET expires_at = now () - interval '1 second'"
                         " WHERE user_id = '%s'", user_id);
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
  client = tf_account_new_sync_client (phone_vault, &error);
  g_assert_no_error (error);
  g_assert_false (tf_sync_client_sync (client, phone->store, NULL, &error));
  g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED);
  g_clear_error (&error);
  g_assert_true (tf_account_renew_session (phone_vault, client, &error));
  g_assert_no_error (error);
  g_assert_true (tf_sync_client_sync (client, phone->store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tokens_in_files (phone, user_id), ==, 0);

  /* Closed (the -wal checkpointed into the file): still none. */
  g_clear_object (&client);
  g_clear_object (&laptop_vault);
  g_clear_object (&phone_vault);
  profile_close (laptop);
  profile_close (phone);
  g_assert_cmpuint (tokens_in_files (laptop, user_id), ==, 0);
  g_assert_cmpuint (tokens_in_files (phone, user_id), ==, 0);

  /* Locked, the profile knows it has a session but cannot use it. */
  profile_reopen (phone);
  g_assert_true (tf_account_has_session (phone->store, &error));
  g_assert_no_error (error);
  g_assert_null (state (phone, "account.token"));
}

/* A profile as older versions left it, the token in plaintext: the next
 * unlock wraps it and deletes the plaintext, and the device keeps that
 * very session. */
static void
test_plaintext_token_migrates (void)
{
  g_autoptr(Profile) p = profile_new ();
  g_autofree char *email = unique_email ("old");
  g_autoptr(TfVault) vault = register_on (p, email);
  g_autofree char *user_id = state (p, "account.user_id");
  g_autofree char *device_id = state (p, "account.device_id");
  g_autofree char *body = NULL, *token = NULL, *hex = NULL, *sql = NULL;
  char *old_rows;
  g_autoptr(TfTestResponse) pre = NULL;
  g_autoptr(TfTestResponse) login = NULL;
  g_autoptr(TfSecret) auth_key = NULL;
  g_autoptr(TfSecret) kek = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *auth_b64 = NULL;
  guint8 raw[32];
  size_t raw_len = 0;
  PGconn *conn;
  sqlite3 *db;

  /* A session of this device's, signed in as the older versions did. */
  body = g_strdup_printf ("{\"email\": \"%s\"}", email);
  pre = tf_test_request (server, "POST", "/v1/auth/prelogin", NULL, body);
  g_assert_cmpuint (pre->status, ==, 200);
  g_assert_true (tf_keys_derive (tf_test_response_object (pre), PASSWORD, &auth_key, &kek,
                                 &error));
  g_assert_no_error (error);
  auth_b64 = g_base64_encode (tf_secret_get_data (auth_key), tf_secret_get_size (auth_key));
  g_free (body);
  body = g_strdup_printf ("{\"email\": \"%s\", \"auth_key\": \"%s\", \"device_id\": \"%s\"}",
                          email, auth_b64, device_id);
  login = tf_test_request (server, "POST", "/v1/auth/login", NULL, body);
  g_assert_cmpuint (login->status, ==, 200);
  token = g_strdup (json_object_get_string_member (tf_test_response_object (login), "token"));
  g_assert_cmpint (sodium_base642bin (raw, sizeof raw, token, strlen (token), NULL, &raw_len,
                                      NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), ==, 0);
  hex = hash_hex (raw, raw_len);

  /* Only that session stays valid on the server... */
  conn = tf_test_pg_connect (server->conninfo);
  sql = g_strdup_printf ("UPDATE auth_sessions SET revoked_at = now () WHERE user_id = '%s'"
                         " AND encode (token_hash, 'hex') <> '%s'", user_id, hex);
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
  /* ... and the profile holds it as the older versions did. */
  g_clear_object (&vault);
  profile_close (p);
  g_assert_cmpint (sqlite3_open (p->path, &db), ==, SQLITE_OK);
  old_rows = sqlite3_mprintf ("DELETE FROM sync_state WHERE key = 'account.session';"
                              "INSERT OR REPLACE INTO sync_state (key, value)"
                              " VALUES ('account.token', %Q)", token);
  g_assert_cmpint (sqlite3_exec (db, old_rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (old_rows);
  sqlite3_close (db);
  /* The scan sees a token where there is one. */
  g_assert_cmpuint (tokens_in_files (p, user_id), >=, 1);

  profile_reopen (p);
  vault = tf_account_unlock (p->store, PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_null (state (p, "account.token"));
  g_assert_cmpuint (tokens_in_files (p, user_id), ==, 0);
  /* The wrapped token is that session: the only one the server takes. */
  sync_ok (vault);
  g_clear_object (&vault);
  profile_close (p);
  g_assert_cmpuint (tokens_in_files (p, user_id), ==, 0);
}

static gint64
failed_logins (const char *email)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM auth_failures"
                                          " WHERE lower (email) = lower ('%s')", email);

  return tf_test_pg_int (conn, sql);
}

/* The password changed on the laptop: the phone, whose stored keys open
 * with the old one only, unlocks with the new one — it signs in with it,
 * since its token opens only with the master key it is after — syncs,
 * and the session it had is ended.  A mistyped password afterwards is not
 * sent to the server. */
static void
test_password_changed_elsewhere (void)
{
  g_autoptr(Profile) laptop = profile_new ();
  g_autoptr(Profile) phone = profile_new ();
  g_autofree char *email = unique_email ("changed");
  g_autoptr(TfVault) laptop_vault = register_on (laptop, email);
  g_autoptr(TfVault) phone_vault = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_id = state (laptop, "account.user_id");
  g_autofree char *device_id = NULL, *sql = NULL;
  PGconn *conn;

  phone_vault = tf_account_login (phone->store, server->base_url, email, PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&phone_vault);
  device_id = state (phone, "account.device_id");
  g_assert_true (tf_account_change_password (laptop->store, PASSWORD, NEW_PASSWORD, &error));
  g_assert_no_error (error);

  phone_vault = tf_account_unlock (phone->store, NEW_PASSWORD, &error);
  g_assert_no_error (error);
  sync_ok (phone_vault);
  g_assert_cmpuint (tokens_in_files (phone, user_id), ==, 0);
  conn = tf_test_pg_connect (server->conninfo);
  sql = g_strdup_printf ("SELECT count(*) FROM auth_sessions WHERE device_id = '%s'"
                         " AND revoked_at IS NULL", device_id);
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM auth_sessions WHERE device_id = '%s'"
                         " AND revoked_at IS NOT NULL", device_id);
  g_assert_cmpint (tf_test_pg_int (conn, sql), ==, 1);
  PQfinish (conn);
  g_clear_object (&phone_vault);

  /* The new wrap is stored: the next unlock is offline, and a wrong
   * password is answered here. */
  {
    gint64 failures = failed_logins (email);

    g_assert_null (tf_account_unlock (phone->store, "not the password", &error));
    g_assert_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_WRONG_PASSWORD);
    g_clear_error (&error);
    g_assert_cmpint (failed_logins (email), ==, failures);
    phone_vault = tf_account_unlock (phone->store, NEW_PASSWORD, &error);
    g_assert_no_error (error);
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  /* Key derivation at the floor: these tests are about the token. */
  g_setenv ("TF_KDF_OPSLIMIT", "2", TRUE);
  g_setenv ("TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  server = tf_test_server_start ("tf_e2e_account", NULL);

  g_test_add_func ("/tf/account/token/not-in-files", test_token_not_in_files);
  g_test_add_func ("/tf/account/token/plaintext-migrates", test_plaintext_token_migrates);
  g_test_add_func ("/tf/account/token/password-changed-elsewhere",
                   test_password_changed_elsewhere);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
