/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients.h: managed clients and their invitations (tf-clients.c).
 */
#pragma once

#include <libpq-fe.h>

#include "tf-server.h"

G_BEGIN_DECLS

/* How long an invitation lasts. */
#define TF_INVITE_DAYS 14

void     tf_clients_register_routes (TfServer   *server);

/* The invitation @id, usable now (locked FOR UPDATE when @lock, for the
 * registration that uses it up): the client's id, the bundle (JSON text)
 * and when it expires (each out may be NULL).  Else FALSE with
 * TF_HTTP_ERROR_INVITE_UNKNOWN, _INVITE_USED (or the client took over
 * already) or _INVITE_EXPIRED, or a database error. */
gboolean tf_clients_check_invite    (PGconn     *conn,
                                     const char *id,
                                     gboolean    lock,
                                     char      **out_client_id,
                                     char      **out_bundle,
                                     char      **out_expires,
                                     GError    **error);

G_END_DECLS
