/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-page.c: the streak, the chart and the calendar of a client's
 * check-ins.
 *
 * The page holds a live list of the user's mood entries (TfRepository) and
 * redraws from it whenever it changes — a check-in saved on the check-in
 * page, records pulled by a sync — or when the range changes.  "Today" is
 * taken afresh at each redraw, in the desktop's time zone.  The page's
 * widgets are the template tf-history-page.ui.
 */
#define G_LOG_DOMAIN "tf-history-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-heat-map.h"
#include "tf-history-page.h"
#include "tf-page.h"
#include "tf-mood-chart.h"
#include "tf-mood-range.h"
#include "tf-mood-days.h"

struct _TfHistoryPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *entries;      /* the user's mood_entries, live */
  guint          range;        /* days shown: 30, 90 or 365 */
  guint          streak;
  guint          best_streak;
  /* template */
  GtkWidget     *page;        /* the only child: bound so that dispose unparents it */
  GtkLabel      *streak_label;
  GtkLabel      *best_label;
  TfMoodChart   *chart;
  TfHeatMap     *heat_map;
  TfMoodRange   *range_switcher;
};

static void tf_history_page_page_init (TfPageInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfHistoryPage, tf_history_page, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (TF_TYPE_PAGE, tf_history_page_page_init))

/* --- the page contract ---------------------------------------------------- */

static void
tf_history_page_page_init (TfPageInterface *iface)
{
  iface->name = "history";
  iface->title = N_("History");
  iface->icon_name = "document-open-recent-symbolic";
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
on_range_changed_cb (TfHistoryPage *self)
{
  self->range = tf_mood_range_get_days (self->range_switcher);
  reload (self);
}

static void
on_items_changed_cb (TfHistoryPage *self)
{
  reload (self);
}

static void
tf_history_page_dispose (GObject *object)
{
  TfHistoryPage *self = TF_HISTORY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_HISTORY_PAGE);
  g_clear_object (&self->entries);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_history_page_parent_class)->dispose (object);
}

static void
tf_history_page_class_init (TfHistoryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_history_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (TF_TYPE_MOOD_CHART);
  g_type_ensure (TF_TYPE_HEAT_MAP);
  g_type_ensure (TF_TYPE_MOOD_RANGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-history-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfHistoryPage, name)
  BIND (page);
  BIND (streak_label);
  BIND (best_label);
  BIND (chart);
  BIND (heat_map);
  BIND (range_switcher);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_range_changed_cb);
}

static void
tf_history_page_init (TfHistoryPage *self)
{
  self->range = 30;
  /* The last choice of range is kept while the page lives. */
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_history_page_new (TfSession *session)
{
  TfHistoryPage *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_is_unlocked (session), NULL);

  self = g_object_new (TF_TYPE_HISTORY_PAGE, NULL);
  self->session = g_object_ref (session);
  self->entries = tf_session_dup_moods (session, NULL);
  g_signal_connect_object (self->entries, "items-changed", G_CALLBACK (on_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
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
