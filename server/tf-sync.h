/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync.h: the sync API: push, pull, wait, and the public keys directory.
 * The protocol is described in docs/protocol.md.
 */
#pragma once

#include "tf-server.h"

G_BEGIN_DECLS

/* The schema versions of the wire format this server speaks. */
#define TF_SYNC_SCHEMA_VERSION 1

void tf_sync_register_routes (TfServer *server);

G_END_DECLS
