/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-audit.c: append-only audit entries.
 *
 * Actions are short verbs: register, login, login_failed, logout,
 * session_revoked, password_changed, mfa_enabled, mfa_disabled, read, write,
 * delete, conflict, rejected.  Clinical content never goes into an entry:
 * new_values carries only what the server can see anyway.
 */
#define G_LOG_DOMAIN "tf-audit"

#include "config.h"

#include "tf-audit.h"
#include "tf-db.h"

TfAuditActor
tf_audit_actor_from_request (TfRequest *req)
{
  TfAuditActor actor = { req->caller.user_id, req->address, req->user_agent };

  return actor;
}

gboolean
tf_audit_append (PGconn *conn, const TfAuditActor *actor, const char *action, const char *table,
                 const char *record_id, const char *new_values, GError **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *params[] = {
    actor ? actor->user_id : NULL, action, table, record_id, new_values,
    actor ? actor->address : NULL, actor ? actor->user_agent : NULL,
  };

  g_return_val_if_fail (conn != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  result = tf_db_query (conn,
                        "INSERT INTO audit_logs (user_id, action, table_name, record_id,"
                        " new_values, ip_address, user_agent)"
                        " VALUES ($1::uuid, $2, $3, $4::uuid, $5::jsonb, $6::inet, $7)",
                        G_N_ELEMENTS (params), params, error);
  return result != NULL;
}
