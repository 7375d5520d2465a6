/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-routes.c: the API's routing table.  Each subsystem registers its own
 * routes; this is the list of subsystems.
 */
#define G_LOG_DOMAIN "tf-server"

#include "config.h"

#include "tf-routes.h"

void
tf_routes_register (TfServer *server)
{
  (void) server; /* /healthz and /metrics are built into TfServer */
}
