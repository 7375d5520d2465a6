/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notify.h: PostgreSQL LISTEN/NOTIFY to the main loop, for long-polls.
 *
 * A push commits pg_notify('tf_sync', <user id>) for every recipient it
 * touched; this listener (its own thread and connection) passes each to the
 * main context, where waiting requests of that user are woken.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TfNotify TfNotify;

/* Called on the main context with the user id that has news (or the
 * directory recipient, meaning everyone). */
typedef void (*TfNotifyFunc) (const char *user_id,
                              gpointer    user_data);

TfNotify *tf_notify_new  (const char   *conninfo,
                          TfNotifyFunc  func,
                          gpointer      user_data);
void      tf_notify_free (TfNotify     *notify);

G_END_DECLS
