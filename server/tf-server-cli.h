/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-server-cli.h: the commands of therapy-field-server.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs `therapy-field-server COMMAND [OPTIONS]`; returns the exit status. */
int tf_server_cli_run (int    argc,
                       char **argv);

G_END_DECLS
