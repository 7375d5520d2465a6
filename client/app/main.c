/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c: therapy-field, the desktop app.
 */
#include "config.h"

#include "tf-application.h"

int
main (int argc, char **argv)
{
  g_autoptr(TfApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  if (!tf_application_init_process (&error))
    {
      g_printerr ("therapy-field: %s\n", error->message);
      return 1;
    }
  app = tf_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
