/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-test-pg-proxy.h: a middlebox between the server and the test's
 * PostgreSQL that loses the server's "SET synchronous_commit = on", as a
 * pooler that runs a session's SET on another backend (or drops it) would.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TfTestPgProxy TfTestPgProxy;

/* Listens on a Unix socket of its own in front of the PostgreSQL of
 * tf_test_pg_conninfo(); every byte goes through unchanged but for that
 * SET, which reaches PostgreSQL as a SELECT of the same length. */
TfTestPgProxy *tf_test_pg_proxy_start     (void);
/* @conninfo with its host replaced by the proxy's. */
char          *tf_test_pg_proxy_conninfo  (TfTestPgProxy *proxy,
                                           const char    *conninfo);
/* How many SETs it lost so far. */
guint          tf_test_pg_proxy_lost      (TfTestPgProxy *proxy);
/* Stops listening, ends every connection, frees. */
void           tf_test_pg_proxy_stop      (TfTestPgProxy *proxy);

G_END_DECLS
