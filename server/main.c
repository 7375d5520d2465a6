/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c: therapy-field-server entry point; everything else is in
 * libtf-server so the tests link the same code.
 */
#include "config.h"

#include "tf-server-cli.h"

int
main (int argc, char **argv)
{
  return tf_server_cli_run (argc, argv);
}
