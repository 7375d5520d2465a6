/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-routes.c: the API's routing table.  Each subsystem registers its own
 * routes; this is the list of subsystems.
 */
#define G_LOG_DOMAIN "tf-server"

#include "config.h"

#include "tf-auth.h"
#include "tf-clients.h"
#include "tf-routes.h"
#include "tf-sync.h"

void
tf_routes_register (TfServer *server)
{
  /* /healthz and /metrics are built into TfServer. */
  tf_auth_register_routes (server);
  tf_sync_register_routes (server);
  tf_clients_register_routes (server);
}
