/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-config.h: therapy-field-server settings, from a key file and options.
 */
#pragma once

#include <glib.h>

#include "tf-crypto.h"

G_BEGIN_DECLS

typedef struct
{
  char    *db;                    /* libpq connection string */
  char    *listen_host;           /* default 127.0.0.1 */
  guint16  listen_port;           /* default 8080 */
  char    *tls_certificate;       /* PEM file; TLS when both are set */
  char    *tls_key;
  guint    pool_size;             /* database workers (connections), default 8 */
  gsize    body_limit;            /* bytes of a request body, default 4 MiB */
  guint    batch_limit;           /* mutations in one push, default 500 */
  guint    pull_limit;            /* records in one pull page, max and default 500 */
  guint    wait_timeout;          /* seconds a /v1/sync/wait may hang, default 25 */
  guint    header_timeout;        /* seconds from connecting (or a request's first byte)
                                   * to its complete head, default 10 */
  guint    body_timeout;          /* seconds to receive a body, or to send an answer, default 30 */
  guint    idle_timeout;          /* seconds a keep-alive connection may wait, default 60 */
  guint    max_connections;       /* open at once; 0: from the descriptor limit (default) */
  guint    listen_backlog;        /* connections the kernel completes before accept(), 1024 */
  gint64   token_lifetime;        /* seconds a session lasts unused (it slides with use),
                                   * default 30 days */
  gint64   token_max_lifetime;    /* seconds after sign-in a session ends however much it is
                                   * used, default 90 days */
  guint    login_attempts;        /* failed logins per account per window, default 5 */
  guint    login_attempts_per_address; /* per client address per window, default 20 */
  guint    login_window;          /* seconds, default 900 */
  guint    register_attempts_per_address; /* registrations per address per window, default 10 */
  guint    register_window;       /* seconds, default 3600 */
  guint    booking_notice_minutes; /* a client books at least this far ahead, default 120 */
  guint    booking_pending_limit; /* pending bookings per client at a time, default 5 */
  guint64  auth_hash_opslimit;    /* Argon2id of the auth key on the server */
  gsize    auth_hash_memlimit;
  char    *fake_salt_secret;      /* derives stable fake salts for unknown e-mails */
  char    *mfa_key_file;          /* the key of TOTP secrets at rest; NULL: the systemd
                                   * credential $CREDENTIALS_DIRECTORY/mfa-key */
  TfSecret *mfa_key;              /* TF_CONFIG_MFA_KEY_BYTES, from tf_config_load_mfa_key */
} TfConfig;

#define TF_CONFIG_MFA_KEY_BYTES 32

TfConfig *tf_config_new        (void);
void      tf_config_free       (TfConfig    *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfConfig, tf_config_free)

/* Reads [server] and [database] of a key file over the current values. */
gboolean  tf_config_load_file  (TfConfig    *config,
                                const char  *path,
                                GError     **error);
/* Reads the key of the TOTP secrets at rest into @config->mfa_key: from
 * mfa-key-file, or else from the systemd credential "mfa-key"
 * ($CREDENTIALS_DIRECTORY/mfa-key).  The file holds 32 bytes as 64 hex
 * digits (a final newline allowed) or as the raw bytes, and is not readable
 * by everyone.  FALSE, saying what to do, when there is none or it is not
 * such a file. */
gboolean  tf_config_load_mfa_key (TfConfig  *config,
                                  GError   **error);
/* "HOST:PORT" or "[V6]:PORT" -> listen_host/listen_port. */
gboolean  tf_config_set_listen (TfConfig    *config,
                                const char  *listen,
                                GError     **error);

G_END_DECLS
