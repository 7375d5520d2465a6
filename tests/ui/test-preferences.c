/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-preferences.c: the preferences window under Xvfb with the app's
 * real (compiled) settings schema in the memory backend — language, time
 * zone, idle lock and keyring rows change the settings — and applying the
 * language and time zone at start, in a child process of its own since it
 * changes the environment: the catalogue turns Greek and local time is
 * the chosen zone's.  GTK warnings are fatal.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tf-preferences.h"
#include "tf-preferences-window.h"
#include "tf-ui-test.h"
#include "tf-window.h"

#define PASSWORD "σωστός κωδικός"

static const TfRegistration client_reg = {
  .password = PASSWORD, .role = "client", .first_name = "Ελένη", .last_name = "Δήμου",
};

/* The index of @text in a combo row's string list. */
static guint
find_choice (AdwComboRow *row, const char *text)
{
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  g_assert_not_reached ();
}

static void
test_window_changes_settings (void)
{
  g_autoptr(GSettings) settings = tf_preferences_settings_new ();
  g_autofree char *dir = NULL;
  TfSession *session = tf_ui_new_profile (&client_reg, &dir);
  GtkWidget *window, *language, *zone, *idle, *keyring;
  g_autofree char *lang = NULL, *tz = NULL;

  g_assert_nonnull (settings);
  window = tf_preferences_window_new (NULL, settings, session);
  language = tf_ui_wait_shown (window, "preferences-language");
  zone = tf_ui_find (window, "preferences-time-zone");
  idle = tf_ui_find (window, "preferences-idle-lock");
  keyring = tf_ui_find (window, "preferences-keyring");

  /* The rows start from the settings: system language, Athens. */
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (language)), ==, 0);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (zone)), ==,
                    find_choice (ADW_COMBO_ROW (zone), "Europe/Athens"));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (keyring)));

  adw_combo_row_set_selected (ADW_COMBO_ROW (language),
                              find_choice (ADW_COMBO_ROW (language), "Ελληνικά"));
  lang = g_settings_get_string (settings, "language");
  g_assert_cmpstr (lang, ==, "el");
  adw_combo_row_set_selected (ADW_COMBO_ROW (zone), find_choice (ADW_COMBO_ROW (zone),
                                                                 "Europe/Nicosia"));
  tz = g_settings_get_string (settings, "time-zone");
  g_assert_cmpstr (tz, ==, "Europe/Nicosia");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (idle), 12);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-lock-minutes"), ==, 12);
  gtk_switch_set_active (GTK_SWITCH (keyring), TRUE);
  g_assert_true (g_settings_get_boolean (settings, "remember-password"));
  gtk_switch_set_active (GTK_SWITCH (keyring), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "remember-password"));

  /* A zone set from outside the window (gsettings) is offered, not lost. */
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_set_string (settings, "time-zone", "Asia/Tokyo");
  window = tf_preferences_window_new (NULL, settings, session);
  zone = tf_ui_wait_shown (window, "preferences-time-zone");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (zone)), ==,
                    find_choice (ADW_COMBO_ROW (zone), "Asia/Tokyo"));
  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "time-zone");
  g_settings_reset (settings, "language");
  g_settings_reset (settings, "idle-lock-minutes");

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (session);
  tf_ui_remove_profile (dir);
}

/* In the child: the settings a user chose, applied as main() does. */
static void
test_apply_at_start (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = tf_preferences_settings_new ();
      g_autoptr(GTimeZone) local = NULL;

      g_settings_set_string (settings, "language", "el");
      g_settings_set_string (settings, "time-zone", "America/New_York");
      g_unsetenv ("LANGUAGE");
      tf_preferences_apply_at_start ();
      setlocale (LC_ALL, "");
      g_assert_cmpstr (g_getenv ("TZ"), ==, "America/New_York");
      local = g_time_zone_new_local ();
      g_assert_cmpstr (g_time_zone_get_identifier (local), ==, "America/New_York");
      /* A string of the window, from the Greek catalogue. */
      g_assert_cmpstr (_("Therapy Field Is Locked"), !=, "Therapy Field Is Locked");
      g_assert_true (g_utf8_validate (_("Therapy Field Is Locked"), -1, NULL));
      g_assert_true (g_str_has_prefix (_("_Preferences"), "_Προ"));
      /* The charts' weekdays and the dates too, under the suite's
       * LC_ALL=C.UTF-8 (they stayed "Mon" and 12/02/26). */
      {
        g_autoptr(GDateTime) monday = g_date_time_new_local (2026, 11, 30, 12, 0, 0);
        g_autofree char *weekday = g_date_time_format (monday, "%a");
        g_autofree char *date = g_date_time_format (monday, "%x");

        g_assert_cmpstr (weekday, ==, "Δευ");
        g_assert_cmpstr (date, ==, "30/11/2026");
      }
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* An unknown zone in the settings is ignored, not applied. */
static void
test_unknown_zone (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GSettings) settings = tf_preferences_settings_new ();

      g_settings_set_string (settings, "time-zone", "Mars/Olympus_Mons");
      g_setenv ("TZ", "UTC", TRUE);
      tf_preferences_apply_at_start ();
      g_assert_cmpstr (g_getenv ("TZ"), ==, "UTC");
      return;
    }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*Mars/Olympus_Mons*");
}

/* The first label under @root whose text begins with @prefix, or NULL. */
static GtkWidget *
find_label_starting (GtkWidget *root, const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_label_starting (c, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget  *window;
  const char *prefix;
} Said;

static gboolean
is_said (gpointer data)
{
  Said *said = data;
  GtkWidget *label = find_label_starting (said->window, said->prefix);

  return label != NULL && gtk_widget_get_mapped (label);
}

/* What a translated message says before its first %s. */
static char *
before_argument (const char *format)
{
  const char *at = strstr (format, "%s");

  return g_strndup (format, at != NULL ? (gsize) (at - format) : strlen (format));
}

/* With "remember the password" on and no keyring to be had (the test's own
 * session bus has no secret service), the app says so: beside the password
 * field at start, that the keyring gave nothing, and once unlocked, in a
 * toast, that the password could not be kept — never silently. */
static void
test_keyring_failure_said (void)
{
  g_autoptr(GSettings) settings = tf_preferences_settings_new ();
  g_autofree char *dir = NULL;
  g_autofree char *lookup = before_argument (_("The keyring could not give the password (%s): "
                                               "enter it"));
  g_autofree char *store = before_argument (_("Your password could not be kept in the keyring "
                                              "(%s): you will be asked for it when the app "
                                              "starts"));
  TfSession *session = tf_ui_new_profile (&client_reg, &dir);
  GtkWidget *window;
  Said said;

  g_assert_nonnull (settings);
  g_settings_set_boolean (settings, "remember-password", TRUE);
  tf_session_lock (session);
  window = GTK_WIDGET (tf_window_new (NULL, session));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));

  said = (Said) { window, lookup };
  g_assert_true (tf_ui_wait_for (is_said, &said));
  g_assert_true (find_label_starting (tf_ui_find (window, "unlock-error"), lookup) != NULL);
  g_assert_false (tf_session_is_unlocked (session));

  tf_ui_unlock (window, session, PASSWORD);
  said = (Said) { window, store };
  g_assert_true (tf_ui_wait_for (is_said, &said));

  g_settings_reset (settings, "remember-password");
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (session);
  tf_ui_remove_profile (dir);
}

int
main (int argc, char **argv)
{
  tf_ui_init (&argc, &argv, "C.UTF-8");
  g_test_add_func ("/preferences/window", test_window_changes_settings);
  g_test_add_func ("/preferences/apply-at-start", test_apply_at_start);
  g_test_add_func ("/preferences/unknown-zone", test_unknown_zone);
  g_test_add_func ("/preferences/keyring-failure-said", test_keyring_failure_said);
  return g_test_run ();
}
