/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-listener.h: the listening socket, the accept loop and the connection
 * cap, in front of a SoupServer (see tf-listener.c).
 */
#pragma once

#include <libsoup/soup.h>

#include "tf-config.h"

G_BEGIN_DECLS

typedef struct _TfListener TfListener;

/* @soup and @config are borrowed; @certificate (NULL: plain HTTP) is kept. */
TfListener *tf_listener_new              (SoupServer      *soup,
                                          const TfConfig  *config,
                                          GTlsCertificate *certificate);
/* Closes every connection it still holds. */
void        tf_listener_free             (TfListener      *listener);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfListener, tf_listener_free)

/* Listens on config->listen_host and listen_port; the port actually bound
 * (when 0 was asked) in @out_port. */
gboolean    tf_listener_listen           (TfListener      *listener,
                                          guint16         *out_port,
                                          GError         **error);

/* Serves @socket, connected elsewhere, as if it had been accepted here. */
gboolean    tf_listener_take_socket      (TfListener      *listener,
                                          GSocket         *socket,
                                          GError         **error);

/* For /metrics. */
guint       tf_listener_get_connections  (TfListener      *listener);
guint       tf_listener_get_max_connections (TfListener   *listener);
guint64     tf_listener_get_refused      (TfListener      *listener);

G_END_DECLS
