/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-config.c: defaults, key-file loading and checks of the server settings.
 *
 * The key file (see data/therapy-field-server.conf):
 *   [server]   listen, tls-certificate, tls-key, body-limit, batch-limit,
 *              pull-limit, wait-timeout, header-timeout, body-timeout,
 *              idle-timeout, max-connections, listen-backlog, token-lifetime,
 *              token-max-lifetime,
 *              login-attempts,
 *              login-attempts-per-address, login-window,
 *              register-attempts-per-address, register-window,
 *              booking-notice-minutes, booking-pending-limit, fake-salt-secret,
 *              auth-hash-opslimit, auth-hash-memlimit, mfa-key-file
 *   [database] url, pool-size
 * Command-line options override the file.  Every value is range-checked: a
 * typo is an error at start, not a surprise under load.
 */
#define G_LOG_DOMAIN "tf-config"

#include "config.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tf-config.h"

TfConfig *
tf_config_new (void)
{
  TfConfig *config = g_new0 (TfConfig, 1);

  config->listen_host = g_strdup ("127.0.0.1");
  config->listen_port = 8080;
  config->pool_size = 8;
  config->body_limit = 4 * 1024 * 1024;
  config->batch_limit = 500;
  config->pull_limit = 500;
  config->wait_timeout = 25;
  config->header_timeout = 10;
  config->body_timeout = 30;
  config->idle_timeout = 60;
  config->listen_backlog = 1024;
  config->token_lifetime = 30 * 24 * 3600;
  config->token_max_lifetime = 90 * 24 * 3600;
  config->login_attempts = 5;
  config->login_attempts_per_address = 20;
  config->login_window = 900;
  config->register_attempts_per_address = 10;
  config->register_window = 3600;
  config->booking_notice_minutes = 120;
  config->booking_pending_limit = 5;
  config->auth_hash_opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  config->auth_hash_memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  return config;
}

void
tf_config_free (TfConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->db);
  g_free (config->listen_host);
  g_free (config->tls_certificate);
  g_free (config->tls_key);
  g_free (config->fake_salt_secret);
  g_free (config->mfa_key_file);
  g_clear_pointer (&config->mfa_key, tf_secret_free);
  g_free (config);
}

gboolean
tf_config_set_listen (TfConfig *config, const char *listen, GError **error)
{
  const char *colon;
  g_autofree char *host = NULL;
  guint64 port;
  char *end = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (listen != NULL, FALSE);

  colon = strrchr (listen, ':');
  if (colon == NULL || colon == listen)
    goto bad;
  if (listen[0] == '[')
    {
      if (colon[-1] != ']')
        goto bad;
      host = g_strndup (listen + 1, colon - listen - 2);
    }
  else
    host = g_strndup (listen, colon - listen);
  port = g_ascii_strtoull (colon + 1, &end, 10);
  if (*host == '\0' || end == colon + 1 || *end != '\0' || port > 65535)
    goto bad;
  g_free (config->listen_host);
  config->listen_host = g_steal_pointer (&host);
  config->listen_port = (guint16) port;
  return TRUE;

bad:
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               "“%s” is not HOST:PORT (for example 127.0.0.1:8080)", listen);
  return FALSE;
}

static gboolean
read_uint (GKeyFile *file, const char *group, const char *key, guint64 min, guint64 max,
           guint64 *out, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = g_key_file_get_value (file, group, key, &local_error);
  char *end = NULL;
  guint64 value;

  if (text == NULL)
    return TRUE; /* not set: keep the default */
  g_strstrip (text);
  value = g_ascii_strtoull (text, &end, 10);
  if (end == text || *end != '\0' || value < min || value > max)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[%s] %s = %s: expected a whole number from %" G_GUINT64_FORMAT
                   " to %" G_GUINT64_FORMAT, group, key, text, min, max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static void
read_string (GKeyFile *file, const char *group, const char *key, char **out)
{
  g_autofree char *value = g_key_file_get_string (file, group, key, NULL);

  if (value != NULL)
    {
      g_free (*out);
      *out = g_steal_pointer (&value);
    }
}

gboolean
tf_config_load_file (TfConfig *config, const char *path, GError **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *listen = NULL;
  guint64 v;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, error))
    return FALSE;

  read_string (file, "database", "url", &config->db);
  read_string (file, "server", "tls-certificate", &config->tls_certificate);
  read_string (file, "server", "tls-key", &config->tls_key);
  read_string (file, "server", "fake-salt-secret", &config->fake_salt_secret);
  read_string (file, "server", "mfa-key-file", &config->mfa_key_file);
  listen = g_key_file_get_string (file, "server", "listen", NULL);
  if (listen != NULL && !tf_config_set_listen (config, g_strstrip (listen), error))
    return FALSE;

#define UINT_SETTING(group, key, field, min, max)                       \
  v = config->field;                                                    \
  if (!read_uint (file, group, key, min, max, &v, error))               \
    return FALSE;                                                       \
  config->field = v;

  UINT_SETTING ("database", "pool-size", pool_size, 1, 256);
  UINT_SETTING ("server", "body-limit", body_limit, 1024, 1024 * 1024 * 1024);
  UINT_SETTING ("server", "batch-limit", batch_limit, 1, 10000);
  UINT_SETTING ("server", "pull-limit", pull_limit, 1, 10000);
  UINT_SETTING ("server", "wait-timeout", wait_timeout, 1, 3600);
  UINT_SETTING ("server", "header-timeout", header_timeout, 1, 3600);
  UINT_SETTING ("server", "body-timeout", body_timeout, 1, 3600);
  UINT_SETTING ("server", "idle-timeout", idle_timeout, 1, 24 * 3600);
  UINT_SETTING ("server", "max-connections", max_connections, 0, 1000000);
  UINT_SETTING ("server", "listen-backlog", listen_backlog, 1, 65535);
  /* Seconds are allowed so that expiry can be tested; a sign-in that lapses
   * is renewed by the device (it holds the password). */
  UINT_SETTING ("server", "token-lifetime", token_lifetime, 1, 365 * 24 * 3600);
  UINT_SETTING ("server", "token-max-lifetime", token_max_lifetime, 1, 5 * 365 * 24 * 3600);
  UINT_SETTING ("server", "login-attempts", login_attempts, 1, 1000);
  UINT_SETTING ("server", "login-attempts-per-address", login_attempts_per_address, 1, 100000);
  UINT_SETTING ("server", "login-window", login_window, 1, 24 * 3600);
  UINT_SETTING ("server", "register-attempts-per-address", register_attempts_per_address, 1,
                100000);
  UINT_SETTING ("server", "register-window", register_window, 1, 7 * 24 * 3600);
  UINT_SETTING ("server", "booking-notice-minutes", booking_notice_minutes, 0, 90 * 24 * 60);
  UINT_SETTING ("server", "booking-pending-limit", booking_pending_limit, 1, 1000);
  UINT_SETTING ("server", "auth-hash-opslimit", auth_hash_opslimit, 1, 64);
  UINT_SETTING ("server", "auth-hash-memlimit", auth_hash_memlimit, 8192,
                (guint64) 4 * 1024 * 1024 * 1024);
#undef UINT_SETTING
  /* A longer token-lifetime alone raises the default maximum with it. */
  if (config->token_max_lifetime < config->token_lifetime &&
      !g_key_file_has_key (file, "server", "token-max-lifetime", NULL))
    config->token_max_lifetime = config->token_lifetime;
  if (config->token_max_lifetime < config->token_lifetime)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[server] token-max-lifetime (%" G_GINT64_FORMAT " s) is shorter than "
                   "token-lifetime (%" G_GINT64_FORMAT " s)", config->token_max_lifetime,
                   config->token_lifetime);
      return FALSE;
    }
  return TRUE;
}

#define MFA_KEY_HOWTO \
  "make one with `openssl rand -hex 32 > FILE`, not readable by everyone, and name it in" \
  " [server] mfa-key-file or hand it over as the systemd credential mfa-key" \
  " (docs/operations.md, \"The TOTP key\")"

/* The key's bytes from @contents: 64 hex digits (and at most a final
 * newline), or exactly the raw bytes. */
static gboolean
parse_mfa_key (const char *contents, gsize len, guint8 *out)
{
  size_t decoded = 0;
  gsize text_len = len;

  while (text_len > 0 && (contents[text_len - 1] == '\n' || contents[text_len - 1] == '\r'))
    text_len--;
  if (text_len == 2 * TF_CONFIG_MFA_KEY_BYTES &&
      sodium_hex2bin (out, TF_CONFIG_MFA_KEY_BYTES, contents, text_len, NULL, &decoded,
                      NULL) == 0 && decoded == TF_CONFIG_MFA_KEY_BYTES)
    return TRUE;
  if (len == TF_CONFIG_MFA_KEY_BYTES)
    {
      memcpy (out, contents, TF_CONFIG_MFA_KEY_BYTES);
      return TRUE;
    }
  return FALSE;
}

gboolean
tf_config_load_mfa_key (TfConfig *config, GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *credentials = g_getenv ("CREDENTIALS_DIRECTORY");
  struct stat st;
  gsize len = 0;
  gboolean ok;

  g_return_val_if_fail (config != NULL, FALSE);

  if (config->mfa_key_file != NULL && *config->mfa_key_file != '\0')
    path = g_strdup (config->mfa_key_file);
  else if (credentials != NULL && *credentials != '\0')
    path = g_build_filename (credentials, "mfa-key", NULL);
  else
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                   "no key for the TOTP secrets at rest: " MFA_KEY_HOWTO);
      return FALSE;
    }
  if (stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "the key for the TOTP secrets, %s: %s; " MFA_KEY_HOWTO, path,
                   g_strerror (saved));
      return FALSE;
    }
  /* A key everyone on the machine may read protects nothing. */
  if ((st.st_mode & S_IROTH) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_PERM,
                   "the key for the TOTP secrets, %s, is readable by everyone: "
                   "`chmod o-rwx %s`", path, path);
      return FALSE;
    }
  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   "the key for the TOTP secrets: %s", local_error->message);
      return FALSE;
    }
  key = tf_secret_new (TF_CONFIG_MFA_KEY_BYTES);
  ok = parse_mfa_key (contents, len, tf_secret_get_mutable (key));
  sodium_memzero (contents, len);
  if (!ok)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "the key for the TOTP secrets, %s, is not 32 bytes as 64 hex digits; "
                   MFA_KEY_HOWTO, path);
      return FALSE;
    }
  g_clear_pointer (&config->mfa_key, tf_secret_free);
  config->mfa_key = g_steal_pointer (&key);
  return TRUE;
}
