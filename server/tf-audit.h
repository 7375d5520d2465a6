/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-audit.h: the audit trail (audit_logs), written in the same transaction
 * as the act it records, so there is never an act without its entry.
 */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

#include "tf-http.h"

G_BEGIN_DECLS

typedef struct
{
  const char *user_id;     /* who; NULL for an unknown caller */
  const char *address;     /* client IP, or NULL */
  const char *user_agent;  /* or NULL */
} TfAuditActor;

/* Fills an actor from a request (borrowed strings). */
TfAuditActor tf_audit_actor_from_request (TfRequest *req);

/* Appends one entry.  @table/@record_id/@new_values may be NULL;
 * @new_values is JSON text.  Must run inside the act's transaction. */
gboolean tf_audit_append (PGconn             *conn,
                          const TfAuditActor *actor,
                          const char         *action,
                          const char         *table,
                          const char         *record_id,
                          const char         *new_values,
                          GError            **error);

G_END_DECLS
