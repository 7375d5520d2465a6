/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-month.c: the calendar's month view (tf-calendar-month.h);
 * the widgets are the template tf-calendar-month.ui.
 *
 * Each day of the grid is a box: a button with the day's number (pressed:
 * that day's view), the count of its appointments and the first
 * MAX_SHOWN of them as compact blocks that open like the week's.  A change
 * of the model remakes the days' contents, not the days.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-calendar-block.h"
#include "tf-calendar-grid.h"
#include "tf-calendar-month.h"
#include "tf-repository.h"
#include "tf-time.h"

#define N_DAYS (TF_CALENDAR_MONTH_WEEKS * 7)
#define MAX_SHOWN 2

typedef struct
{
  GtkWidget *cell;       /* the day's box */
  GtkWidget *count;      /* how many, hidden when none */
  GtkWidget *list;       /* the first ones */
  guint      n;          /* how many appointments the day has */
} Day;

struct _TfCalendarMonth
{
  GtkBox      parent_instance;
  GDateTime  *grid_start;
  GListModel *model;
  Day         day[N_DAYS];

  /* template (tf-calendar-month.ui) */
  GtkWidget  *weekdays;
  GtkWidget  *days;
};

G_DEFINE_FINAL_TYPE (TfCalendarMonth, tf_calendar_month, GTK_TYPE_BOX)

enum { DAY_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_day_clicked_cb (GtkButton *button, TfCalendarMonth *self)
{
  g_signal_emit (self, signals[DAY_ACTIVATED], 0,
                 g_object_get_data (G_OBJECT (button), "tf-date"));
}

static int
day_index (TfCalendarMonth *self, GDateTime *when)
{
  g_autoptr(GDate) first = g_date_new_dmy (g_date_time_get_day_of_month (self->grid_start),
                                           g_date_time_get_month (self->grid_start),
                                           g_date_time_get_year (self->grid_start));
  g_autoptr(GDate) day = g_date_new_dmy (g_date_time_get_day_of_month (when),
                                         g_date_time_get_month (when),
                                         g_date_time_get_year (when));

  return g_date_days_between (first, day);
}

/* Each day's count and first appointments, from the model as it is. */
static void
fill_days (TfCalendarMonth *self)
{
  g_autoptr(GTimeZone) zone = g_time_zone_ref (g_date_time_get_timezone (self->grid_start));
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  for (int d = 0; d < N_DAYS; d++)
    {
      GtkWidget *child;

      self->day[d].n = 0;
      while ((child = gtk_widget_get_first_child (self->day[d].list)) != NULL)
        gtk_box_remove (GTK_BOX (self->day[d].list), child);
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (self->model, i);
      g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_item_get_string (
                                                            item, "appointment_datetime"), NULL);
      g_autoptr(GDateTime) start = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
      int d = start != NULL ? day_index (self, start) : -1;

      if (d < 0 || d >= N_DAYS)
        continue;
      /* Soonest first: the first ones are shown. */
      if (self->day[d].n < MAX_SHOWN)
        gtk_box_append (GTK_BOX (self->day[d].list),
                        tf_calendar_block_new (item, zone, "month-appointment", TRUE));
      self->day[d].n++;
    }
  for (int d = 0; d < N_DAYS; d++)
    {
      guint count = self->day[d].n;
      g_autofree char *text = g_strdup_printf ("%u", count);
      g_autofree char *said = g_strdup_printf (g_dngettext (NULL, "%u appointment",
                                                             "%u appointments", count),
                                                count);

      gtk_label_set_text (GTK_LABEL (self->day[d].count), text);
      gtk_widget_set_tooltip_text (self->day[d].count, said);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->day[d].count),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, said, -1);
      gtk_widget_set_visible (self->day[d].count, count > 0);
    }
}

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     TfCalendarMonth *self)
{
  fill_days (self);
}

static void
tf_calendar_month_dispose (GObject *object)
{
  TfCalendarMonth *self = TF_CALENDAR_MONTH (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CALENDAR_MONTH);
  g_clear_pointer (&self->grid_start, g_date_time_unref);
  G_OBJECT_CLASS (tf_calendar_month_parent_class)->dispose (object);
}

static void
tf_calendar_month_class_init (TfCalendarMonthClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_calendar_month_dispose;
  signals[DAY_ACTIVATED] = g_signal_new ("day-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-calendar-month.ui");
  gtk_widget_class_bind_template_child (widget_class, TfCalendarMonth, weekdays);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarMonth, days);
}

static void
tf_calendar_month_init (TfCalendarMonth *self)
{
  tf_calendar_style_ensure ();
  gtk_widget_init_template (GTK_WIDGET (self));
  for (int d = 0; d < N_DAYS; d++)
    {
      GtkWidget *cell = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
      /* The count under the number: seven days fit 360 px. */
      GtkWidget *top = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
      GtkWidget *number = gtk_label_new (NULL);
      GtkWidget *button = g_object_new (GTK_TYPE_BUTTON, "child", number, "halign",
                                        GTK_ALIGN_START, NULL);

      gtk_widget_add_css_class (cell, "calendar-day");
      gtk_widget_add_css_class (number, "day-number");
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "circular");
      self->day[d].cell = cell;
      self->day[d].count = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->day[d].count, "calendar-count");
      gtk_widget_set_halign (self->day[d].count, GTK_ALIGN_START);
      self->day[d].list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_day_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (top), button);
      gtk_box_append (GTK_BOX (top), self->day[d].count);
      gtk_box_append (GTK_BOX (cell), top);
      gtk_box_append (GTK_BOX (cell), self->day[d].list);
      gtk_grid_attach (GTK_GRID (self->days), cell, d % 7, d / 7, 1, 1);
    }
}

GtkWidget *
tf_calendar_month_new (void)
{
  return g_object_new (TF_TYPE_CALENDAR_MONTH, NULL);
}

void
tf_calendar_month_set_month (TfCalendarMonth *self, GDateTime *first, GDateTime *grid_start,
                             GListModel *model)
{
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *today = NULL;
  GtkWidget *child;

  g_return_if_fail (TF_IS_CALENDAR_MONTH (self));
  g_return_if_fail (first != NULL && grid_start != NULL);
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  g_clear_pointer (&self->grid_start, g_date_time_unref);
  self->grid_start = g_date_time_ref (grid_start);
  now = g_date_time_new_now (g_date_time_get_timezone (grid_start));
  today = g_date_time_format (now, "%Y-%m-%d");

  while ((child = gtk_widget_get_first_child (self->weekdays)) != NULL)
    gtk_box_remove (GTK_BOX (self->weekdays), child);
  for (int d = 0; d < N_DAYS; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (grid_start, d);
      g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
      g_autofree char *name = g_strdup_printf ("month-day-%s", date);
      g_autofree char *count = g_strdup_printf ("month-count-%s", date);
      g_autofree char *number = g_date_time_format (day, "%-d");
      g_autofree char *whole = g_date_time_format (day, "%A %-d %B %Y");
      GtkWidget *top = gtk_widget_get_first_child (self->day[d].cell);
      GtkWidget *button = gtk_widget_get_first_child (top);

      if (d < 7)
        {
          g_autofree char *weekday = g_date_time_format (day, "%a");
          /* Over the days' numbers. */
          GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "label", weekday, "ellipsize",
                                           PANGO_ELLIPSIZE_END, "xalign", 0.0,
                                           "margin-start", 8, NULL);

          gtk_widget_add_css_class (label, "caption-heading");
          gtk_widget_add_css_class (label, "dim-label");
          gtk_box_append (GTK_BOX (self->weekdays), label);
        }
      gtk_widget_set_name (self->day[d].cell, name);
      gtk_widget_set_name (self->day[d].count, count);
      gtk_label_set_text (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), number);
      gtk_widget_set_tooltip_text (button, whole);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      whole, -1);
      g_object_set_data_full (G_OBJECT (button), "tf-date", g_steal_pointer (&date), g_free);
      if (g_date_time_get_month (day) != g_date_time_get_month (first))
        gtk_widget_add_css_class (self->day[d].cell, "other-month");
      else
        gtk_widget_remove_css_class (self->day[d].cell, "other-month");
      if (g_str_equal (g_object_get_data (G_OBJECT (button), "tf-date"), today))
        gtk_widget_add_css_class (self->day[d].cell, "today");
      else
        gtk_widget_remove_css_class (self->day[d].cell, "today");
    }

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (model != NULL)
    {
      self->model = g_object_ref (model);
      g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), self);
    }
  fill_days (self);
}

void
tf_calendar_month_drop_model (TfCalendarMonth *self)
{
  g_return_if_fail (TF_IS_CALENDAR_MONTH (self));

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  if (self->grid_start != NULL)
    fill_days (self);
}

void
tf_calendar_month_set_selected (TfCalendarMonth *self, int index)
{
  g_return_if_fail (TF_IS_CALENDAR_MONTH (self));

  for (int d = 0; d < N_DAYS; d++)
    {
      if (d == index)
        gtk_widget_add_css_class (self->day[d].cell, "selected");
      else
        gtk_widget_remove_css_class (self->day[d].cell, "selected");
    }
}

gboolean
tf_calendar_month_open_first (TfCalendarMonth *self, int index)
{
  GtkWidget *first;

  g_return_val_if_fail (TF_IS_CALENDAR_MONTH (self), FALSE);

  if (index < 0 || index >= N_DAYS)
    return FALSE;
  first = gtk_widget_get_first_child (self->day[index].list);
  if (first == NULL)
    return FALSE;
  tf_calendar_block_open (TF_CALENDAR_BLOCK (first));
  return TRUE;
}
