/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-page.c: the streak, the chart and the calendar of a client's
 * check-ins.
 *
 * The page holds a live list of the user's mood entries (TfRepository) and
 * redraws from it whenever it changes — a check-in saved on the check-in
 * page, records pulled by a sync — or when the range changes.  "Today" is
 * taken afresh at each redraw, in the desktop's time zone.
 */
#define G_LOG_DOMAIN "tf-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-heat-map.h"
#include "tf-history-page.h"
#include "tf-mood-chart.h"
#include "tf-mood-days.h"

struct _TfHistoryPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *entries;      /* the user's mood_entries, live */
  guint          range;        /* days shown: 30, 90 or 365 */
  guint          streak;
  guint          best_streak;
  GtkLabel      *streak_label;
  GtkLabel      *best_label;
  TfMoodChart   *chart;
  TfHeatMap     *heat_map;
};

G_DEFINE_FINAL_TYPE (TfHistoryPage, tf_history_page, GTK_TYPE_WIDGET)

static void
tf_history_page_dispose (GObject *object)
{
  TfHistoryPage *self = TF_HISTORY_PAGE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->entries);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_history_page_parent_class)->dispose (object);
}

static void
tf_history_page_class_init (TfHistoryPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tf_history_page_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
}

static char *
format_days (guint days)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", days), days);
}

/* Everything shown, from the list as it is now. */
static void
reload (TfHistoryPage *self)
{
  g_autoptr(GPtrArray) plain = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *streak = NULL;
  g_autofree char *best = NULL;
  guint n = self->entries != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->entries)) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (G_LIST_MODEL (self->entries), i);

      g_ptr_array_add (plain, json_object_ref (tf_item_get_plain (item)));
    }
  tf_mood_chart_set_entries (self->chart, plain, today, self->range);
  tf_heat_map_set_entries (self->heat_map, plain, today, self->range);
  self->streak = tf_mood_streak (plain, today, &self->best_streak);
  streak = format_days (self->streak);
  best = format_days (self->best_streak);
  gtk_label_set_text (self->streak_label, streak);
  gtk_label_set_text (self->best_label, best);
}

static void
on_range_changed (guint days, gpointer data)
{
  TfHistoryPage *self = data;

  self->range = days;
  reload (self);
}

static void
on_synced_cb (TfHistoryPage *self)
{
  /* A change the repository already noticed reloads through items-changed;
   * this catches what a sync changed on its own connection. */
  if (self->entries != NULL)
    tf_repository_refresh (self->entries, NULL);
}

static void
on_items_changed_cb (TfHistoryPage *self)
{
  reload (self);
}

static GtkLabel *
streak_row (AdwPreferencesGroup *group, const char *title, const char *subtitle,
            const char *name)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_name (label, name);
  gtk_widget_add_css_class (label, "numeric");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
  return GTK_LABEL (label);
}

static GtkWidget *
card (GtkWidget *child)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_top (child, 12);
  gtk_widget_set_margin_bottom (child, 12);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_box_append (GTK_BOX (box), child);
  return box;
}

static void
build (TfHistoryPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *streaks = adw_preferences_group_new ();
  GtkWidget *over_time = adw_preferences_group_new ();
  GtkWidget *calendar = adw_preferences_group_new ();
  GtkWidget *switcher;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("History"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (streaks), _("Streaks"));
  self->streak_label = streak_row (ADW_PREFERENCES_GROUP (streaks), _("Current Streak"),
                                   _("Days in a row with a check-in, up to today or yesterday"),
                                   "history-streak");
  self->best_label = streak_row (ADW_PREFERENCES_GROUP (streaks), _("Best Streak"), NULL,
                                 "history-best-streak");

  /* The range; the last choice is kept while the page lives. */
  switcher = tf_mood_range_switcher_new ("history-range", self->range, on_range_changed, self);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (over_time),
                                   _("Mood, Energy and Anxiety"));
  /* Above the chart rather than beside the title: both fit a phone, in
   * Greek too. */
  gtk_widget_set_margin_bottom (switcher, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (over_time), switcher);
  self->chart = TF_MOOD_CHART (tf_mood_chart_new ());
  gtk_widget_set_name (GTK_WIDGET (self->chart), "history-chart");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (over_time), card (GTK_WIDGET (self->chart)));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (calendar), _("Calendar"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (calendar),
                                         _("Each square is a day, shaded by its average mood."));
  self->heat_map = TF_HEAT_MAP (tf_heat_map_new ());
  gtk_widget_set_name (GTK_WIDGET (self->heat_map), "history-heat-map");
  gtk_widget_set_halign (GTK_WIDGET (self->heat_map), GTK_ALIGN_CENTER);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (calendar),
                             card (GTK_WIDGET (self->heat_map)));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (streaks));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (over_time));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (calendar));
  gtk_widget_set_parent (page, GTK_WIDGET (self));
}

static void
tf_history_page_init (TfHistoryPage *self)
{
  self->range = 30;
  build (self);
}

GtkWidget *
tf_history_page_new (TfSession *session)
{
  TfHistoryPage *self;
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_HISTORY_PAGE, NULL);
  vault = tf_session_get_vault (session);
  self->session = g_object_ref (session);
  self->entries = tf_repository_new (vault, tf_registry_lookup ("mood_entries"), "user_id",
                                     tf_vault_get_user_id (vault));
  g_signal_connect_object (self->entries, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  reload (self);
  return GTK_WIDGET (self);
}

guint
tf_history_page_get_streak (TfHistoryPage *self, guint *out_best)
{
  g_return_val_if_fail (TF_IS_HISTORY_PAGE (self), 0);
  if (out_best != NULL)
    *out_best = self->best_streak;
  return self->streak;
}
