/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-preferences-window.c: the preferences window — idle lock and
 * keyring, the server (and, for a profile on this computer only, the group
 * that puts it on one), language and time zone, and while unlocked the
 * Account page.  The General page is the template
 * tf-preferences-window.ui; the choices of the two combo rows are made
 * here from the tables below.  Without the installed settings schema
 * nothing here could be kept: the settings are shown unavailable.
 */
#define G_LOG_DOMAIN "tf-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account-page.h"
#include "tf-keyring.h"
#include "tf-preferences.h"
#include "tf-preferences-window.h"
#include "tf-publish-group.h"

/* Languages by their own names, as language pickers show them. */
static const struct
{
  const char *code;
  const char *name;  /* NULL: "follow the system", translated */
} languages[] = {
  { "", NULL },
  { "el", "Ελληνικά" },
  { "en", "English" },
};

/* Where Greek practices and their clients live; any other valid zone set
 * with gsettings is shown too. */
static const char * const zones[] = {
  "Europe/Athens", "Europe/Nicosia", "Europe/London", "Europe/Dublin", "Europe/Berlin",
  "Europe/Amsterdam", "Europe/Brussels", "Europe/Paris", "Europe/Rome", "Europe/Madrid",
  "Europe/Vienna", "Europe/Zurich", "Europe/Stockholm", "Europe/Sofia", "Europe/Bucharest",
  "Europe/Istanbul", "America/New_York", "America/Toronto", "America/Chicago",
  "America/Los_Angeles", "Australia/Melbourne", "Australia/Sydney", "UTC",
};

struct _TfPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;
  GSettings            *settings;   /* NULL: no schema installed */
  char                 *profile;    /* the session's path, for the keyring */
  GPtrArray            *zone_ids;   /* index of the zone row → setting ("" first) */
  GtkWidget            *publish;    /* TfPublishGroup, or NULL */

  /* template (tf-preferences-window.ui) */
  GtkWidget            *general;
  GtkWidget            *idle;
  GtkWidget            *remember;
  GtkWidget            *sync;
  GtkWidget            *server_row;
  GtkWidget            *region;
  GtkWidget            *language;
  GtkWidget            *zone;
};

G_DEFINE_FINAL_TYPE (TfPreferencesWindow, tf_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
on_language_selected_cb (TfPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->language));

  if (self->settings != NULL && i < G_N_ELEMENTS (languages))
    g_settings_set_string (self->settings, "language", languages[i].code);
}

static void
on_zone_selected_cb (TfPreferencesWindow *self)
{
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->zone));

  if (self->settings != NULL && i < self->zone_ids->len)
    g_settings_set_string (self->settings, "time-zone", g_ptr_array_index (self->zone_ids, i));
}

static void
on_remember_changed_cb (GSettings *settings, const char *key, TfPreferencesWindow *self)
{
  if (!g_settings_get_boolean (settings, "remember-password"))
    tf_keyring_clear (self->profile);
}

static void
fill_languages (TfPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *current = g_settings_get_string (self->settings, "language");

  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    gtk_string_list_append (names, languages[i].name ? languages[i].name
                                                     : _("Same as the system"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->language), G_LIST_MODEL (names));
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (current, languages[i].code))
      adw_combo_row_set_selected (ADW_COMBO_ROW (self->language), i);
  g_signal_connect_swapped (self->language, "notify::selected",
                            G_CALLBACK (on_language_selected_cb), self);
}

static void
fill_zones (TfPreferencesWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autofree char *current = g_settings_get_string (self->settings, "time-zone");
  guint selected = 0;

  g_ptr_array_add (self->zone_ids, g_strdup (""));
  gtk_string_list_append (names, _("Same as the system"));
  for (guint i = 0; i < G_N_ELEMENTS (zones); i++)
    {
      g_ptr_array_add (self->zone_ids, g_strdup (zones[i]));
      gtk_string_list_append (names, zones[i]);
    }
  if (tf_preferences_zone_is_valid (current) && !g_strv_contains (zones, current))
    {
      g_ptr_array_add (self->zone_ids, g_strdup (current));
      gtk_string_list_append (names, current);
    }
  for (guint i = 0; i < self->zone_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->zone_ids, i), current))
      selected = i;
  adw_combo_row_set_model (ADW_COMBO_ROW (self->zone), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->zone), selected);
  g_signal_connect_swapped (self->zone, "notify::selected", G_CALLBACK (on_zone_selected_cb),
                            self);
}

/* "Sync With a Server…" of a local-only account leads to the form here. */
static void
on_publish_cb (GtkWidget *account, TfPreferencesWindow *self)
{
  if (self->publish == NULL)
    return;
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self),
                                           ADW_PREFERENCES_PAGE (self->general));
  gtk_widget_child_focus (self->publish, GTK_DIR_TAB_FORWARD);
}

static void
tf_preferences_window_dispose (GObject *object)
{
  TfPreferencesWindow *self = TF_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->profile, g_free);
  g_clear_pointer (&self->zone_ids, g_ptr_array_unref);
  self->publish = NULL;
  G_OBJECT_CLASS (tf_preferences_window_parent_class)->dispose (object);
}

static void
tf_preferences_window_class_init (TfPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_preferences_window_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-preferences-window.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfPreferencesWindow, name)
  BIND (general);
  BIND (idle);
  BIND (remember);
  BIND (sync);
  BIND (server_row);
  BIND (region);
  BIND (language);
  BIND (zone);
#undef BIND
}

static void
tf_preferences_window_init (TfPreferencesWindow *self)
{
  self->zone_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The switch and the spin button are labelled by their rows. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->idle),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  gtk_widget_get_ancestor (self->idle, ADW_TYPE_ACTION_ROW),
                                  NULL, -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->remember),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  gtk_widget_get_ancestor (self->remember, ADW_TYPE_ACTION_ROW),
                                  NULL, -1);
}

GtkWidget *
tf_preferences_window_new (GtkWindow *parent, GSettings *settings, TfSession *session)
{
  TfPreferencesWindow *self;
  g_autofree char *server = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);

  self = g_object_new (TF_TYPE_PREFERENCES_WINDOW, "transient-for", parent, NULL);
  self->profile = g_strdup (tf_session_get_path (session));
  server = tf_account_get (tf_session_get_store (session), "server");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->server_row),
                               server != NULL ? server : _("None — this computer only"));
  if (server == NULL && tf_session_is_unlocked (session))
    {
      self->publish = tf_publish_group_new (session, self->server_row);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->general),
                                ADW_PREFERENCES_GROUP (self->publish));
    }
  if (tf_session_is_unlocked (session))
    {
      GtkWidget *account = tf_account_page_new (session);

      if (self->publish != NULL)
        g_signal_connect_object (account, "publish", G_CALLBACK (on_publish_cb), self, 0);
      adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (account));
    }

  if (settings == NULL)
    {
      gtk_widget_set_sensitive (self->idle, FALSE);
      gtk_widget_set_sensitive (self->remember, FALSE);
      gtk_widget_set_visible (self->language, FALSE);
      gtk_widget_set_visible (self->zone, FALSE);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->region),
                                             _("These settings are unavailable: the app’s "
                                               "settings schema is not installed"));
      gtk_window_present (GTK_WINDOW (self));
      return GTK_WIDGET (self);
    }
  self->settings = g_object_ref (settings);
  g_settings_bind (settings, "idle-lock-minutes", self->idle, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "remember-password", self->remember, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (settings, "changed::remember-password",
                           G_CALLBACK (on_remember_changed_cb), self, 0);
  fill_languages (self);
  fill_zones (self);
  gtk_window_present (GTK_WINDOW (self));
  return GTK_WIDGET (self);
}
