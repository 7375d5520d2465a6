/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-push.h: applying a device's batch of mutations (DESIGN.md §3).
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "tf-http.h"
#include "tf-record.h"

G_BEGIN_DECLS

/* The one advisory lock every versioned write takes (see 0002-sync.sql). */
#define TF_SYNC_LOCK_KEY "7350288244"

/* The directory recipient: stands for every signed-in user.  Not a UUID, so
 * no account can ever be it (the nil UUID once was, see 0006-public-feed.sql);
 * its rows live in sync_public_feed. */
#define TF_SYNC_EVERYONE "public"

/* One mutation of a push, as parsed on the main thread. */
typedef struct
{
  gint64         mutation_id;
  const TfTable *table;
  char          *id;
  TfMutationOp   op;
  gint64         base_version;
  TfMutation    *mutation; /* NULL when the fields were refused: see invalid */
  GError        *invalid;
  guint          group;    /* its atomic group, 1 and up ("atomic_groups"); 0: none */
} TfPushItem;

void tf_push_item_free (TfPushItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfPushItem, tf_push_item_free)

typedef struct
{
  char      *token;
  char      *address;
  char      *user_agent;
  GPtrArray *items;  /* TfPushItem*, mutation ids strictly increasing */
  guint      n_groups; /* atomic groups among the items: all or none of each */
  gint64     acknowledged; /* the highest id the device was told was taken
                            * ("acknowledged_mutation_id"), 0 when not sent */
  guint      booking_notice_minutes; /* the server's booking rules (tf-config.h) */
  guint      booking_pending_limit;
} TfPushJob;

void tf_push_job_free (TfPushJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfPushJob, tf_push_job_free)

/* Runs the whole push in one transaction on @conn.  Returns the response
 * body ({"results": [...], "last_mutation_id": N}) or NULL with an error
 * (401, 503 ...) when nothing was applied. */
JsonNode *tf_sync_push_run (PGconn    *conn,
                            TfPushJob *job,
                            GError   **error);

G_END_DECLS
