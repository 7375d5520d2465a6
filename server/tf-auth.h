/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-auth.h: accounts — registration, login, bearer tokens, sessions,
 * password change and the TOTP second factor (docs/protocol.md, "Accounts").
 *
 * Other subsystems authenticate a request with tf_auth_check_token() from
 * their pool function (on the worker, with the worker's connection); the
 * HTTP routes are registered by tf_auth_register_routes().
 */
#pragma once

#include <libpq-fe.h>

#include "tf-server.h"

G_BEGIN_DECLS

/* Adds the /v1/auth/... routes. */
void     tf_auth_register_routes (TfServer    *server);

/* Looks up the session of bearer @token (live: not revoked, not expired, its
 * user active) and fills @caller with g_strdup'd user_id, role, session_id
 * and device_id (clearing what it held).  Bumps the session's last_seen_at,
 * at most once a minute.  Runs on a pool worker with its connection; may run
 * inside the caller's transaction.  FALSE with TF_HTTP_ERROR_UNAUTHORIZED
 * ("no token", "unknown token", "token expired", "token revoked", "account
 * deactivated") or a TF_DB_ERROR. */
gboolean tf_auth_check_token     (PGconn      *conn,
                                  const char  *token,
                                  TfCaller    *caller,
                                  GError     **error);

/* At the start of `serve`, on its own connection: seals with
 * config->mfa_key the TOTP secrets an older server stored in plaintext
 * (@out_sealed: how many), and checks that the key opens the sealed ones.
 * FALSE when it opens none of them (the wrong key: serving would lock
 * everyone with a second factor out) or the database failed. */
gboolean tf_auth_mfa_prepare     (PGconn          *conn,
                                  const TfConfig  *config,
                                  guint           *out_sealed,
                                  GError         **error);

/* Deletes the rows of the login and registration throttles
 * (auth_failures, register_attempts) that have left their windows
 * (login-window, register-window): nothing reads them again.  Upkeep, on a
 * pool worker. */
gboolean tf_auth_purge_throttles (PGconn          *conn,
                                  const TfConfig  *config,
                                  GError         **error);

/* Deletes the rows of sessions that ended (revoked or lapsed)
 * token-max-lifetime ago or longer, at most a batch of them, the longest
 * ended first: their tokens are then unknown ones (401 unauthorized).
 * Upkeep, on a pool worker. */
gboolean tf_auth_purge_sessions  (PGconn          *conn,
                                  const TfConfig  *config,
                                  GError         **error);

/* Frees the members of @caller and sets them to NULL. */
void     tf_auth_caller_clear    (TfCaller    *caller);

/* --- TOTP, RFC 6238 (tf-totp.c) ------------------------------------------- */

#define TF_TOTP_PERIOD        30  /* seconds per step */
#define TF_TOTP_DIGITS        6
#define TF_TOTP_SECRET_BYTES  20  /* 160 bits, as RFC 4226 recommends */
#define TF_TOTP_ISSUER        "Therapy Field"

/* The code of time step @step (Unix time / TF_TOTP_PERIOD) for @secret,
 * as TF_TOTP_DIGITS decimal digits. */
void     tf_totp_code            (const guint8 *secret,
                                  gsize         len,
                                  gint64        step,
                                  char          out[TF_TOTP_DIGITS + 1]);
/* Checks @code against the steps around Unix time @now (one either side),
 * considering only steps after @last_step (-1: none used yet).  Returns the
 * step that matched, or -1. */
gint64   tf_totp_verify          (const guint8 *secret,
                                  gsize         len,
                                  const char   *code,
                                  gint64        now,
                                  gint64        last_step);
/* RFC 4648 base32 without padding, upper case. */
char    *tf_totp_base32_encode   (const guint8 *data,
                                  gsize         len);
/* Accepts either case and optional padding; NULL on any other character. */
guint8  *tf_totp_base32_decode   (const char   *text,
                                  gsize        *out_len);
/* otpauth://totp/Therapy%20Field:<account>?secret=...&issuer=... */
char    *tf_totp_uri             (const char   *secret_base32,
                                  const char   *account);

G_END_DECLS
