/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-routes.h: every subsystem's routes, registered in one place.
 */
#pragma once

#include "tf-server.h"

G_BEGIN_DECLS

void tf_routes_register (TfServer *server);

G_END_DECLS
