/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-launch.c: the app as build-aux/run opens it.  Meson runs this test
 * through build-aux/launch-app, the script build-aux/run starts the app
 * with (TF_LAUNCH_PROGRAM puts this program in the app's place, nothing
 * else differs), under LANG=el_GR.UTF-8 and with no catalogue or schema
 * directory of the build tree in the environment.  It starts the
 * application as main() does (tf_application_init_process, then the
 * application registered and activated on a fresh profile) and checks what
 * an uninstalled build did not find: the app's icon in the icon theme
 * (shown on the welcome page; a broken image before), the Greek catalogue
 * (the welcome page in Greek; English before) and the settings schema (the
 * preferences show an idle lock of minutes and a language to choose, not
 * 0 and "unavailable").  GTK warnings are fatal.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tf-application.h"
#include "tf-preferences-window.h"
#include "tf-ui-test.h"

static GtkWidget *window;

static void
test_icon (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (window));
  GtkWidget *welcome = tf_ui_find (window, "onboarding-welcome");
  g_autoptr(GtkIconPaintable) icon = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (welcome);
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (welcome)), ==,
                   APPLICATION_ID);
  g_assert_true (gtk_icon_theme_has_icon (theme, APPLICATION_ID));
  /* The installed file, not a fallback of the theme's. */
  icon = gtk_icon_theme_lookup_icon (theme, APPLICATION_ID, NULL, 128, 1,
                                     gtk_widget_get_direction (window), 0);
  file = gtk_icon_paintable_get_file (icon);
  g_assert_nonnull (file);
  path = g_file_get_path (file);
  g_assert_true (g_str_has_suffix (path, "/icons/hicolor/scalable/apps/" APPLICATION_ID ".svg"));
}

static void
test_greek (void)
{
  /* The catalogue of the prefix, bound as main() binds it. */
  g_assert_cmpstr (_("Welcome to Therapy Field"), ==, "Καλώς ήρθατε στο Therapy Field");
  tf_ui_wait_label (window, "Καλώς ήρθατε στο Therapy Field");
}

static gboolean
find_preferences (gpointer data)
{
  GtkWidget **found = data;
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels) && *found == NULL; i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (TF_IS_PREFERENCES_WINDOW (toplevel) && gtk_widget_get_mapped (GTK_WIDGET (toplevel)))
        *found = GTK_WIDGET (toplevel);
    }
  return *found != NULL;
}

static void
test_settings (void)
{
  GtkWidget *preferences = NULL, *idle, *language;
  GObject *chosen;

  g_assert_true (gtk_widget_activate_action (window, "win.preferences", NULL));
  g_assert_true (tf_ui_wait_for (find_preferences, &preferences));
  idle = tf_ui_wait_shown (preferences, "preferences-idle-lock");
  language = tf_ui_wait_shown (preferences, "preferences-language");

  /* The schema's default, and a row one can change. */
  g_assert_true (gtk_widget_is_sensitive (idle));
  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (idle)), >, 0);
  g_assert_true (gtk_widget_is_sensitive (language));
  chosen = adw_combo_row_get_selected_item (ADW_COMBO_ROW (language));
  g_assert_nonnull (chosen);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (chosen)), !=, "");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

int
main (int argc, char **argv)
{
  g_autoptr(TfApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tf-launch-XXXXXX", NULL);
  int status;

  g_assert_nonnull (dir);
  g_setenv ("TF_DATA_DIR", dir, TRUE);
  g_assert_true (tf_application_init_process (&error));
  g_test_init (&argc, &argv, NULL);

  app = tf_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  tf_ui_wait_shown (window, "onboarding-welcome");

  g_test_add_func ("/ui/launch/icon", test_icon);
  g_test_add_func ("/ui/launch/greek", test_greek);
  g_test_add_func ("/ui/launch/settings", test_settings);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  tf_ui_remove_profile (dir);
  return status;
}
