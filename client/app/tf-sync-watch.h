/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-watch.h: live updates — a long poll of the sync server in a
 * worker thread that tells the main context when there is something new to
 * pull, so another device's change shows without the user asking.
 */
#pragma once

#include <gio/gio.h>

#include "tf-sync-client.h"

G_BEGIN_DECLS

typedef struct _TfSyncWatch TfSyncWatch;

/* Starts watching the account of the profile database @db_path (the
 * thread opens a connection of its own) with @client (its session: built
 * where the vault is open, then used by the watch's thread only).
 * @changed runs on the calling thread's main context when the server has
 * changes beyond the profile's cursor, and after an outage each time it is
 * worth trying again (every 2 s, doubling up to 5 minutes); it never runs
 * after tf_sync_watch_stop. */
TfSyncWatch *tf_sync_watch_start (const char   *db_path,
                                  TfSyncClient *client,
                                  GSourceFunc   changed,
                                  gpointer      data);
/* Stops the watch (the thread ends by itself soon after). */
void         tf_sync_watch_stop  (TfSyncWatch *watch);

G_END_DECLS
