/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conn.h: one accepted client connection, between the socket and
 * libsoup: TLS handshake, request framing, timeouts, answers of its own.
 * The listener (tf-listener.c) makes them; see tf-conn.c for why.
 */
#pragma once

#include <libsoup/soup.h>

#include "tf-config.h"

G_BEGIN_DECLS

#define TF_TYPE_CONN (tf_conn_get_type ())
G_DECLARE_FINAL_TYPE (TfConn, tf_conn, TF, CONN, GIOStream)

/* Called once, when the connection is closed for good. */
typedef void (*TfConnClosedFunc) (TfConn   *conn,
                                  gpointer  user_data);

/* Takes @socket (accepted); TLS with @certificate when not NULL.  @soup
 * and @config are borrowed and must outlive the connection's callbacks
 * (tf_conn_detach()). */
TfConn   *tf_conn_new              (GSocket           *socket,
                                    SoupServer        *soup,
                                    const TfConfig    *config,
                                    GTlsCertificate   *certificate,
                                    TfConnClosedFunc   closed,
                                    gpointer           user_data);
/* Handshakes if TLS, then hands the connection to libsoup. */
void      tf_conn_start            (TfConn            *conn);
/* Answers 503 and closes, without libsoup (the listener is over its
 * connection cap); over TLS, after the handshake. */
void      tf_conn_refuse           (TfConn            *conn);
/* Closes now; the closed callback is not called after this. */
void      tf_conn_detach           (TfConn            *conn);
gboolean  tf_conn_is_refusing      (TfConn            *conn);

/* Connect to SoupServer::request-started once per server: it tells each
 * connection which message it carries now. */
void      tf_conn_on_request_started (SoupServer        *soup,
                                      SoupServerMessage *msg,
                                      gpointer           user_data);

G_END_DECLS
