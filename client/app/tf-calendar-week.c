/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-week.c: the calendar's week and day views
 * (tf-calendar-week.h); the widgets are the template tf-calendar-week.ui.
 * The blocks follow the model item by item: an appointment that changes
 * remakes its own block and the others stay, with their focus.  The grid
 * opens at 08:00, a working day's start, scrolled from there by the
 * person.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include "tf-calendar-block.h"
#include "tf-calendar-grid.h"
#include "tf-calendar-week.h"
#include "tf-repository.h"

#define FIRST_HOUR_SHOWN 8

struct _TfCalendarWeek
{
  GtkBox      parent_instance;
  GDateTime  *start;
  int         n_days;
  GListModel *model;
  gboolean    scrolled;    /* to FIRST_HOUR_SHOWN, once */

  /* template (tf-calendar-week.ui) */
  GtkWidget  *headings;
  GtkWidget  *scroller;
  GtkWidget  *grid;
};

G_DEFINE_FINAL_TYPE (TfCalendarWeek, tf_calendar_week, GTK_TYPE_BOX)

enum { DAY_ACTIVATED, SLOT_ACTIVATED, APPOINTMENT_DROPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_items_changed_cb (GListModel *model, guint position, guint removed, guint added,
                     TfCalendarWeek *self)
{
  TfCalendarGrid *grid = TF_CALENDAR_GRID (self->grid);
  g_autoptr(GTimeZone) zone = g_time_zone_ref (g_date_time_get_timezone (self->start));

  for (guint i = 0; i < removed; i++)
    tf_calendar_grid_remove_block (grid, position);
  for (guint i = 0; i < added; i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, position + i);

      tf_calendar_grid_insert_block (grid, position + i,
                                     tf_calendar_block_new (item, zone, "block", FALSE));
    }
}

static void
on_slot_activated_cb (TfCalendarGrid *grid, GDateTime *at, TfCalendarWeek *self)
{
  g_signal_emit (self, signals[SLOT_ACTIVATED], 0, at);
}

static void
on_block_dropped_cb (TfCalendarGrid *grid, TfCalendarBlock *block, GDateTime *to,
                     TfCalendarWeek *self)
{
  g_signal_emit (self, signals[APPOINTMENT_DROPPED], 0,
                 tf_item_get_id (tf_calendar_block_get_item (block)), to);
}

static void
on_heading_clicked_cb (GtkButton *button, TfCalendarWeek *self)
{
  g_signal_emit (self, signals[DAY_ACTIVATED], 0,
                 g_object_get_data (G_OBJECT (button), "tf-date"));
}

static void
make_headings (TfCalendarWeek *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (g_date_time_get_timezone (self->start));
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->headings)) != NULL)
    gtk_box_remove (GTK_BOX (self->headings), child);
  for (int d = 0; d < self->n_days; d++)
    {
      g_autoptr(GDateTime) day = g_date_time_add_days (self->start, d);
      g_autofree char *date = g_date_time_format (day, "%Y-%m-%d");
      g_autofree char *name = g_strdup_printf ("heading-%s", date);
      /* A day view has room for the whole name. */
      g_autofree char *text = g_date_time_format (day, self->n_days > 1 ? "%a\n%-d" : "%A %-d");
      g_autofree char *whole = g_date_time_format (day, "%A %-d %B %Y");
      GtkWidget *label = g_object_new (GTK_TYPE_LABEL, "label", text, "justify",
                                       GTK_JUSTIFY_CENTER, "ellipsize", PANGO_ELLIPSIZE_END,
                                       NULL);
      GtkWidget *button = g_object_new (GTK_TYPE_BUTTON, "name", name, "child", label,
                                        "tooltip-text", whole, NULL);

      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      whole, -1);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "calendar-heading");
      if (g_str_equal (date, today))
        gtk_widget_add_css_class (button, "today");
      g_object_set_data_full (G_OBJECT (button), "tf-date", g_steal_pointer (&date), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_heading_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (self->headings), button);
    }
}

/* To FIRST_HOUR_SHOWN the first time the grid has its height. */
static void
on_adjustment_changed_cb (GtkAdjustment *adjustment, TfCalendarWeek *self)
{
  double y = FIRST_HOUR_SHOWN * TF_CALENDAR_HOUR_HEIGHT;

  if (self->scrolled || gtk_adjustment_get_upper (adjustment) < y)
    return;
  self->scrolled = TRUE;
  gtk_adjustment_set_value (adjustment, y);
}

static void
tf_calendar_week_dispose (GObject *object)
{
  TfCalendarWeek *self = TF_CALENDAR_WEEK (object);

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CALENDAR_WEEK);
  g_clear_pointer (&self->start, g_date_time_unref);
  G_OBJECT_CLASS (tf_calendar_week_parent_class)->dispose (object);
}

static void
tf_calendar_week_class_init (TfCalendarWeekClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_calendar_week_dispose;
  signals[DAY_ACTIVATED] = g_signal_new ("day-activated", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         G_TYPE_STRING);
  signals[SLOT_ACTIVATED] = g_signal_new ("slot-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, G_TYPE_DATE_TIME);
  signals[APPOINTMENT_DROPPED] = g_signal_new ("appointment-dropped", G_TYPE_FROM_CLASS (klass),
                                               G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                               G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_DATE_TIME);
  g_type_ensure (TF_TYPE_CALENDAR_GRID);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-calendar-week.ui");
  gtk_widget_class_bind_template_child (widget_class, TfCalendarWeek, headings);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarWeek, scroller);
  gtk_widget_class_bind_template_child (widget_class, TfCalendarWeek, grid);
}

static void
tf_calendar_week_init (TfCalendarWeek *self)
{
  tf_calendar_style_ensure ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->grid, "slot-activated", G_CALLBACK (on_slot_activated_cb), self,
                           0);
  g_signal_connect_object (self->grid, "block-dropped", G_CALLBACK (on_block_dropped_cb), self,
                           0);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
                             self->scroller)), "changed",
                           G_CALLBACK (on_adjustment_changed_cb), self, 0);
}

GtkWidget *
tf_calendar_week_new (void)
{
  return g_object_new (TF_TYPE_CALENDAR_WEEK, NULL);
}

void
tf_calendar_week_set_days (TfCalendarWeek *self, GDateTime *start, int n_days,
                           GListModel *model)
{
  TfCalendarGrid *grid;

  g_return_if_fail (TF_IS_CALENDAR_WEEK (self));
  g_return_if_fail (start != NULL);
  g_return_if_fail (n_days > 0);
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  grid = TF_CALENDAR_GRID (self->grid);
  tf_calendar_week_drop_model (self);

  g_clear_pointer (&self->start, g_date_time_unref);
  self->start = g_date_time_ref (start);
  self->n_days = n_days;
  tf_calendar_grid_set_days (grid, start, n_days);
  make_headings (self);
  if (model != NULL)
    {
      self->model = g_object_ref (model);
      g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed_cb), self);
      on_items_changed_cb (model, 0, 0, g_list_model_get_n_items (model), self);
    }
}

void
tf_calendar_week_drop_model (TfCalendarWeek *self)
{
  TfCalendarGrid *grid;

  g_return_if_fail (TF_IS_CALENDAR_WEEK (self));

  grid = TF_CALENDAR_GRID (self->grid);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  while (tf_calendar_grid_get_n_blocks (grid) > 0)
    tf_calendar_grid_remove_block (grid, 0);
}

void
tf_calendar_week_set_selected (TfCalendarWeek *self, int index)
{
  int d = 0;

  g_return_if_fail (TF_IS_CALENDAR_WEEK (self));

  tf_calendar_grid_set_selected (TF_CALENDAR_GRID (self->grid), index);
  for (GtkWidget *child = gtk_widget_get_first_child (self->headings); child != NULL;
       child = gtk_widget_get_next_sibling (child), d++)
    {
      /* A day view's one day needs no mark. */
      if (d == index && self->n_days > 1)
        gtk_widget_add_css_class (child, "selected");
      else
        gtk_widget_remove_css_class (child, "selected");
    }
}

/* Scrolls so that @block is in sight, an hour's room above it when it can
 * be, before its popover points at it. */
static void
scroll_to (TfCalendarWeek *self, GtkWidget *block)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (
                                                                     self->scroller));
  double value = gtk_adjustment_get_value (adjustment);
  double page = gtk_adjustment_get_page_size (adjustment);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (block, self->grid, &bounds))
    return;
  if (bounds.origin.y < value || bounds.origin.y + bounds.size.height > value + page)
    gtk_adjustment_set_value (adjustment, bounds.origin.y - TF_CALENDAR_HOUR_HEIGHT);
  /* The popover takes its place from the block's new one. */
  self->scrolled = TRUE;
}

gboolean
tf_calendar_week_open_first (TfCalendarWeek *self, int index)
{
  TfCalendarGrid *grid;
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *date = NULL;

  g_return_val_if_fail (TF_IS_CALENDAR_WEEK (self), FALSE);

  if (self->start == NULL || index < 0 || index >= self->n_days)
    return FALSE;
  grid = TF_CALENDAR_GRID (self->grid);
  day = g_date_time_add_days (self->start, index);
  date = g_date_time_format (day, "%Y-%m-%d");
  /* The blocks are soonest first. */
  for (guint i = 0; i < tf_calendar_grid_get_n_blocks (grid); i++)
    {
      TfCalendarBlock *block = TF_CALENDAR_BLOCK (tf_calendar_grid_get_block (grid, i));
      g_autofree char *on = g_date_time_format (tf_calendar_block_get_start (block), "%Y-%m-%d");

      if (g_str_equal (on, date))
        {
          scroll_to (self, GTK_WIDGET (block));
          tf_calendar_block_open (block);
          return TRUE;
        }
    }
  return FALSE;
}
