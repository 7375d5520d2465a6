/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * main.c: therapy-field, the desktop app.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tf-application.h"
#include "tf-crypto.h"
#include "tf-preferences.h"

int
main (int argc, char **argv)
{
  g_autoptr(TfApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  const char *localedir = g_getenv ("TF_LOCALEDIR");

  /* Language and time zone from the preferences, before anything reads them. */
  tf_preferences_apply_at_start ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (!tf_crypto_init (&error))
    {
      g_printerr ("therapy-field: %s\n", error->message);
      return 1;
    }
  app = tf_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
