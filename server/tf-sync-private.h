/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-private.h: what the sync endpoints' files (tf-sync.c,
 * tf-sync-pull.c, tf-sync-keys.c) share.
 */
#pragma once

#include "tf-server.h"

G_BEGIN_DECLS

/* TRUE when @req carries a bearer token; else answers 401 and FALSE. */
gboolean tf_sync_require_token    (TfRequest  *req);
/* Answers @result, a JsonNode, as 200. */
void     tf_sync_reply_node       (TfRequest  *req,
                                   gpointer    result);

/* The integer query parameter @name of @req, within [@min, @max]; @fallback
 * when absent; else FALSE with a TF_PROTOCOL_ERROR naming it. */
gboolean tf_sync_parse_cursor     (TfRequest  *req,
                                   const char *name,
                                   gint64      min,
                                   gint64      max,
                                   gint64      fallback,
                                   gint64     *out,
                                   GError    **error);

void     tf_sync_handle_pull      (TfRequest *req);
void     tf_sync_handle_keys      (TfRequest *req);
void     tf_sync_handle_therapist (TfRequest *req);
void     tf_sync_handle_rotate    (TfRequest *req);

G_END_DECLS
