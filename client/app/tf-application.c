/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-application.c: one window on one profile.  The profile lives in the
 * user's data folder (TF_DATA_DIR overrides it, for tests and for keeping
 * two profiles apart).
 */
#define G_LOG_DOMAIN "tf-application"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tf-application.h"
#include "tf-crypto.h"
#include "tf-preferences.h"
#include "tf-window.h"

struct _TfApplication
{
  AdwApplication  parent_instance;
  TfSession      *session;
};

G_DEFINE_FINAL_TYPE (TfApplication, tf_application, ADW_TYPE_APPLICATION)

static char *
data_dir (void)
{
  const char *dir = g_getenv ("TF_DATA_DIR");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_user_data_dir (),
                           DEVELOPMENT_BUILD ? "therapy-field-devel" : "therapy-field", NULL);
}

static void
tf_application_activate (GApplication *app)
{
  TfApplication *self = TF_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GError) error = NULL;

  if (window == NULL)
    {
      if (self->session == NULL)
        {
          g_autofree char *dir = data_dir ();

          self->session = tf_session_new (dir, &error);
          if (self->session == NULL)
            {
              g_printerr ("therapy-field: %s\n", error->message);
              return;
            }
        }
      window = GTK_WINDOW (tf_window_new (GTK_APPLICATION (app), self->session));
    }
  gtk_window_present (window);
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (data));
  const char *developers[] = { "Therapy Field developers", NULL };

  adw_show_about_window (window,
                         "application-name", _("Therapy Field"),
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer data)
{
  g_application_quit (G_APPLICATION (data));
}

static void
tf_application_startup (GApplication *app)
{
  static const GActionEntry actions[] = {
    { "about", about_activated },
    { "quit", quit_activated },
  };
  const char *quit[] = { "<Control>q", NULL };
  const char *lock[] = { "<Control>l", NULL };
  const char *sync[] = { "<Control>r", NULL };
  const char *preferences[] = { "<Control>comma", NULL };
  const char *change_password[] = { "<Control><Shift>p", NULL };
  const char *sessions[] = { "<Control><Shift>d", NULL };
  const char *sign_out[] = { "<Control><Shift>o", NULL };

  G_APPLICATION_CLASS (tf_application_parent_class)->startup (app);
  g_action_map_add_action_entries (G_ACTION_MAP (app), actions, G_N_ELEMENTS (actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.lock", lock);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.sync", sync);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.preferences", preferences);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.change-password",
                                         change_password);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.sessions", sessions);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.sign-out", sign_out);
}

static void
tf_application_dispose (GObject *object)
{
  g_clear_object (&TF_APPLICATION (object)->session);
  G_OBJECT_CLASS (tf_application_parent_class)->dispose (object);
}

static void
tf_application_class_init (TfApplicationClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_application_dispose;
  G_APPLICATION_CLASS (klass)->activate = tf_application_activate;
  G_APPLICATION_CLASS (klass)->startup = tf_application_startup;
}

static void
tf_application_init (TfApplication *self)
{
}

gboolean
tf_application_init_process (GError **error)
{
  const char *localedir = g_getenv ("TF_LOCALEDIR");

  /* Language and time zone from the preferences, before anything reads them. */
  tf_preferences_apply_at_start ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return tf_crypto_init (error);
}

TfApplication *
tf_application_new (void)
{
  return g_object_new (TF_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/therapyfield/TherapyField",
                       NULL);
}
