/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth-mfa.c: the TOTP second factor — setup, enable and disable
 * (POST /v1/auth/mfa/...), and the check of a code at sign-in and at
 * enable/disable (RFC 6238 itself is in tf-totp.c).
 *
 * At rest.  users.mfa_secret holds the secret sealed with the server's
 * TOTP key (mfa-key-file, never in the database): "tfmfa1:" and the
 * standard base64 of a 24-byte nonce and the XChaCha20-Poly1305 ciphertext
 * of the base32 secret, with "tfmfa1:<user id>" as associated data, so a
 * copy of the database reveals no secret and a sealed secret moved to
 * another account does not open there.  A secret that does not open (the
 * wrong key, or a moved or damaged value) is answered 503 mfa_unavailable
 * and counts as no attempt: it is the operator's to fix, not the user's
 * mistake.  Secrets stored in plaintext by an older server ("<base32>") are
 * sealed by tf_auth_mfa_prepare() when `serve` starts, and any left (the
 * database was down then) when they are next used.
 *
 * TOTP replay.  The schema has no column for the last accepted step, so
 * once a code has been accepted ":<step>" follows the sealed value (base64
 * has no colon); the step is compared and advanced under the account lock.
 * It need not be secret, and a writer of the database could clear the
 * secret itself.  A dedicated column would be cleaner (reported; sql/
 * belongs to the schema's owner).
 */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "tf-auth-private.h"
#include "tf-db.h"
#include "tf-error.h"

#define SEALED_PREFIX "tfmfa1:"
#define NONCE_BYTES   crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define MAC_BYTES     crypto_aead_xchacha20poly1305_ietf_ABYTES

#define BASE64_CHARS  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

/* What a client is told when the server cannot use the secrets: no key, or
 * one that does not open them.  The operator learns which from the log. */
static void
set_unavailable (GError **error)
{
  g_set_error_literal (error, TF_HTTP_ERROR, TF_HTTP_ERROR_MFA_UNAVAILABLE,
                       "two-factor authentication is unavailable on this server for now;"
                       " its operator has to fix its key");
}

/* "tfmfa1:<user id>": a sealed secret opens only for its own account. */
static char *
seal_context (const char *user_id)
{
  return g_strconcat (SEALED_PREFIX, user_id, NULL);
}

/* SEALED_PREFIX and base64 (nonce || ciphertext) of @base32 under @key. */
static char *
seal_secret (const TfSecret *key, const char *user_id, const char *base32)
{
  g_autofree char *context = seal_context (user_id);
  gsize len = strlen (base32);
  gsize sealed_len = NONCE_BYTES + len + MAC_BYTES;
  g_autofree guint8 *sealed = g_malloc (sealed_len);
  g_autofree char *text = NULL;

  g_assert (tf_secret_get_size (key) == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
  randombytes_buf (sealed, NONCE_BYTES);
  crypto_aead_xchacha20poly1305_ietf_encrypt (sealed + NONCE_BYTES, NULL,
                                              (const guint8 *) base32, len,
                                              (const guint8 *) context, strlen (context), NULL,
                                              sealed, tf_secret_get_data (key));
  text = g_base64_encode (sealed, sealed_len);
  return g_strconcat (SEALED_PREFIX, text, NULL);
}

/* The base32 secret inside @sealed (SEALED_PREFIX and base64), or NULL when
 * it does not open with @key for @user_id.  Free with
 * tf_auth_free_secret_string. */
static char *
open_secret (const TfSecret *key, const char *user_id, const char *sealed)
{
  g_autofree char *context = seal_context (user_id);
  g_autofree guint8 *bytes = NULL;
  char *base32;
  unsigned long long len = 0;
  gsize bytes_len = 0;
  const char *text = sealed + strlen (SEALED_PREFIX);

  if (key == NULL || strspn (text, BASE64_CHARS) != strlen (text))
    return NULL;
  bytes = g_base64_decode (text, &bytes_len);
  if (bytes_len < NONCE_BYTES + MAC_BYTES)
    return NULL;
  base32 = g_malloc (bytes_len - NONCE_BYTES - MAC_BYTES + 1);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt ((guint8 *) base32, &len, NULL,
                                                  bytes + NONCE_BYTES, bytes_len - NONCE_BYTES,
                                                  (const guint8 *) context, strlen (context),
                                                  bytes, tf_secret_get_data (key)) != 0)
    {
      g_free (base32);
      return NULL;
    }
  base32[len] = '\0';
  return base32;
}

/* The parts of users.mfa_secret: sealed ("tfmfa1:..." or "tfmfa1:...:<last
 * step>") or, from an older server, plain ("<base32>" or "<base32>:<last
 * step>"). */
typedef struct
{
  char     *value;      /* without the step: sealed text, or the plain base32 */
  gboolean  sealed;
  gint64    last_step;  /* -1: no code used yet */
} StoredSecret;

static void
stored_secret_clear (StoredSecret *stored)
{
  g_clear_pointer (&stored->value, tf_auth_free_secret_string);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (StoredSecret, stored_secret_clear)

static void
split_stored (const char *stored, StoredSecret *out)
{
  gsize skip = g_str_has_prefix (stored, SEALED_PREFIX) ? strlen (SEALED_PREFIX) : 0;
  const char *colon = strchr (stored + skip, ':');

  out->sealed = skip > 0;
  out->value = colon != NULL ? g_strndup (stored, colon - stored) : g_strdup (stored);
  out->last_step = colon != NULL ? g_ascii_strtoll (colon + 1, NULL, 10) : -1;
}

/* The secret's bytes from @stored (users.mfa_secret of @user_id), filling
 * @out with its parts.  NULL with TF_HTTP_ERROR_MFA_UNAVAILABLE when it
 * does not open or is not a secret; the operator is told in the log,
 * without the value. */
static guint8 *
read_stored_secret (const TfConfig *config, const char *user_id, const char *stored,
                    StoredSecret *out, gsize *out_len, GError **error)
{
  g_autofree char *base32 = NULL;
  guint8 *secret = NULL;

  if (stored != NULL)
    {
      split_stored (stored, out);
      if (out->sealed)
        base32 = open_secret (config->mfa_key, user_id, out->value);
      else
        base32 = g_strdup (out->value);
    }
  if (base32 != NULL)
    secret = tf_totp_base32_decode (base32, out_len);
  tf_auth_free_secret_string (g_steal_pointer (&base32));
  if (secret == NULL || *out_len == 0)
    {
      g_free (secret);
      g_warning ("users.mfa_secret of %s %s", user_id,
                 stored != NULL && out->sealed
                 ? "does not open with the configured mfa-key-file (the wrong key, or a value"
                   " moved from another account or damaged)"
                 : "is not a TOTP secret");
      set_unavailable (error);
      return NULL;
    }
  return secret;
}

/* Checks job->totp against @stored and, when it is good, consumes its step.
 * @out_ok FALSE for a wrong or replayed code. */
gboolean
tf_auth_consume_totp (PGconn *conn, AuthJob *job, const char *user_id, const char *stored,
                      gboolean *out_ok, GError **error)
{
  g_auto(StoredSecret) parts = { NULL };
  g_autofree guint8 *secret = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *updated = NULL;
  g_autoptr(PGresult) result = NULL;
  gint64 step;
  gsize len = 0;

  *out_ok = FALSE;
  secret = read_stored_secret (job->config, user_id, stored, &parts, &len, error);
  if (secret == NULL)
    return FALSE;
  step = tf_totp_verify (secret, len, job->totp, g_get_real_time () / G_USEC_PER_SEC,
                         parts.last_step);
  sodium_memzero (secret, len);
  if (step < 0)
    return TRUE;

  /* A plaintext secret left from an older server is sealed as it is used. */
  if (!parts.sealed)
    {
      if (job->config->mfa_key == NULL)
        {
          set_unavailable (error);
          return FALSE;
        }
      sealed = seal_secret (job->config->mfa_key, user_id, parts.value);
    }
  updated = g_strdup_printf ("%s:%" G_GINT64_FORMAT, sealed != NULL ? sealed : parts.value, step);
  {
    const char *params[] = { user_id, updated, stored };

    /* Compare-and-set besides the account lock: a step is consumed once. */
    result = tf_db_query (conn, "UPDATE users SET mfa_secret = $2 WHERE id = $1::uuid"
                          " AND mfa_secret = $3", G_N_ELEMENTS (params), params, error);
  }
  if (result == NULL)
    return FALSE;
  *out_ok = g_strcmp0 (PQcmdTuples (result), "1") == 0;
  return TRUE;
}

AuthReply *
tf_auth_op_mfa_setup (PGconn *conn, AuthJob *job, GError **error)
{
  const char *user_id = job->caller.user_id;
  g_autoptr(PGresult) user = NULL;
  g_autoptr(TfSecret) secret = NULL;
  g_autofree char *base32 = NULL;
  g_autofree char *sealed = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(JsonBuilder) builder = NULL;

  if (job->config->mfa_key == NULL)
    {
      set_unavailable (error);
      return NULL;
    }
  if (!tf_auth_lock_caller_account (conn, job, error))
    return NULL;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT email, mfa_enabled IS TRUE FROM users WHERE id = $1::uuid",
                        1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (tf_auth_db_true (user, 0, 1))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is already enabled; disable it first");
      return NULL;
    }
  secret = tf_secret_new_random (TF_TOTP_SECRET_BYTES);
  base32 = tf_totp_base32_encode (tf_secret_get_data (secret), tf_secret_get_size (secret));
  uri = tf_totp_uri (base32, PQgetvalue (user, 0, 0));
  sealed = seal_secret (job->config->mfa_key, user_id, base32);
  {
    const char *params[] = { user_id, sealed };
    g_autoptr(PGresult) result =
      tf_db_query (conn, "UPDATE users SET mfa_secret = $2 WHERE id = $1::uuid",
                   G_N_ELEMENTS (params), params, error);

    if (result == NULL)
      return NULL;
  }
  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  tf_auth_add_string (builder, "secret", base32);
  tf_auth_add_string (builder, "otpauth_uri", uri);
  json_builder_end_object (builder);
  return tf_auth_reply_new (SOUP_STATUS_OK, json_builder_get_root (builder));
}

/* enable: needs a set-up secret and a good code; disable: needs MFA on and a
 * good code.  A wrong code is a failed attempt like a wrong key. */
static AuthReply *
change_mfa (PGconn *conn, AuthJob *job, gboolean enable, GError **error)
{
  const char *user_id = job->caller.user_id;
  g_autoptr(PGresult) user = NULL;
  AuthReply *limited;
  gboolean code_ok;

  if (!tf_auth_lock_caller_account (conn, job, error))
    return NULL;
  if (!tf_auth_check_throttle (conn, job, &limited, error) || limited != NULL)
    return limited;
  {
    const char *params[] = { user_id };

    user = tf_db_query (conn, "SELECT mfa_enabled IS TRUE, mfa_secret FROM users"
                        " WHERE id = $1::uuid", 1, params, error);
  }
  if (user == NULL)
    return NULL;
  if (enable && tf_auth_db_true (user, 0, 0))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is already enabled");
      return NULL;
    }
  if (enable && PQgetisnull (user, 0, 1))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "nothing to enable: call /v1/auth/mfa/setup first");
      return NULL;
    }
  if (!enable && !tf_auth_db_true (user, 0, 0))
    {
      g_set_error (error, TF_HTTP_ERROR, TF_HTTP_ERROR_CONFLICT,
                   "two-factor authentication is not enabled");
      return NULL;
    }
  if (!tf_auth_consume_totp (conn, job, user_id, PQgetvalue (user, 0, 1), &code_ok, error))
    return NULL;
  if (!code_ok)
    return tf_auth_record_failure (conn, job, user_id, enable ? "mfa_enable" : "mfa_disable",
                                   error);
  {
    const char *params[] = { user_id };
    g_autoptr(PGresult) result =
      tf_db_query (conn, enable
                   ? "UPDATE users SET mfa_enabled = true, updated_at = now () WHERE id = $1::uuid"
                   : "UPDATE users SET mfa_enabled = false, mfa_secret = NULL, updated_at = now ()"
                     " WHERE id = $1::uuid", 1, params, error);

    if (result == NULL)
      return NULL;
  }
  if (!tf_auth_audit (conn, job, user_id, enable ? "mfa_enabled" : "mfa_disabled", "users", user_id,
                      NULL, error))
    return NULL;
  return tf_auth_reply_new (SOUP_STATUS_NO_CONTENT, NULL);
}

AuthReply *
tf_auth_op_mfa_enable (PGconn *conn, AuthJob *job, GError **error)
{
  return change_mfa (conn, job, TRUE, error);
}

AuthReply *
tf_auth_op_mfa_disable (PGconn *conn, AuthJob *job, GError **error)
{
  return change_mfa (conn, job, FALSE, error);
}

/* ------------------------------------------------------------------------ */
/* At start                                                                 */
/* ------------------------------------------------------------------------ */

gboolean
tf_auth_mfa_prepare (PGconn *conn, const TfConfig *config, guint *out_sealed, GError **error)
{
  g_autoptr(PGresult) users = NULL;
  guint sealed_before = 0, opened = 0, sealed_now = 0;

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (config != NULL && config->mfa_key != NULL, FALSE);

  /* FOR UPDATE: two servers starting at once seal each secret once. */
  if (!tf_db_exec (conn, "BEGIN", error))
    return FALSE;
  users = tf_db_query (conn, "SELECT id, mfa_secret FROM users WHERE mfa_secret IS NOT NULL"
                       " FOR UPDATE", 0, NULL, error);
  if (users == NULL)
    goto fail;
  for (int row = 0; row < PQntuples (users); row++)
    {
      const char *user_id = PQgetvalue (users, row, 0);
      const char *stored = PQgetvalue (users, row, 1);
      g_auto(StoredSecret) parts = { NULL };

      split_stored (stored, &parts);
      if (parts.sealed)
        {
          char *base32 = open_secret (config->mfa_key, user_id, parts.value);

          sealed_before++;
          opened += base32 != NULL;
          tf_auth_free_secret_string (base32);
        }
      else
        {
          g_autofree char *sealed = seal_secret (config->mfa_key, user_id, parts.value);
          g_autofree char *updated = parts.last_step >= 0
                                     ? g_strdup_printf ("%s:%" G_GINT64_FORMAT, sealed,
                                                        parts.last_step)
                                     : g_strdup (sealed);
          const char *params[] = { user_id, updated };
          g_autoptr(PGresult) result =
            tf_db_query (conn, "UPDATE users SET mfa_secret = $2 WHERE id = $1::uuid",
                         G_N_ELEMENTS (params), params, error);

          if (result == NULL)
            goto fail;
          sealed_now++;
        }
    }
  /* None opens: this is not the key they were sealed with.  Serving would
   * lock every account with a second factor out, so refuse. */
  if (sealed_before > 0 && opened == 0)
    {
      g_set_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_FAILED,
                   "the TOTP key (mfa-key-file) opens none of the %u stored TOTP secrets: it "
                   "is not the key they were sealed with; start with that key "
                   "(docs/operations.md, \"The TOTP key\")", sealed_before);
      goto fail;
    }
  if (opened < sealed_before)
    g_warning ("%u stored TOTP secrets do not open with the TOTP key (moved between accounts "
               "or damaged); those accounts get mfa_unavailable at sign-in",
               sealed_before - opened);
  if (!tf_db_exec (conn, "COMMIT", error))
    goto fail;
  if (out_sealed != NULL)
    *out_sealed = sealed_now;
  return TRUE;

fail:
  if (PQtransactionStatus (conn) != PQTRANS_IDLE)
    {
      PGresult *result = PQexec (conn, "ROLLBACK");

      PQclear (result);
    }
  return FALSE;
}
