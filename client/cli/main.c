/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c: therapy-field-cli entry point; everything else is in libtf-cli
 * (tf-cli.c and the commands) so the tests can link the same code.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tf-cli.h"

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return tf_cli_run (argc, argv);
}
