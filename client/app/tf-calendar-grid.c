/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-grid.c: the calendar's time grid (tf-calendar-grid.h).
 *
 * The grid lays its children out itself: the hours' labels down the
 * first column, each appointment's block in its day's column from its
 * start's wall-clock time for its length, and the current time's line.
 * Rows are the wall clock's hours, not elapsed time: on the last Sunday of
 * October, a day of 25 hours, 10:00 is still the eleventh row, and an
 * appointment at 10:00 sits there on both sides of the change (the hour
 * 03:00–04:00 that happens twice shows both of its appointments side by
 * side, as any overlap).
 *
 * The current time's line and the gestures are the template
 * tf-calendar-grid.ui.
 *
 * Overlaps are laid out as GNOME Calendar does, in spirit: the blocks of a
 * day, soonest first, form clusters of appointments that overlap one
 * another through a chain; in a cluster each block takes the first column
 * free at its start, and the cluster's columns share the day's width.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include "tf-calendar-block.h"
#include "tf-calendar-grid.h"

#define MIN_DAY_WIDTH  36   /* seven of them and the hours fit a phone's 360 px */
#define NAT_DAY_WIDTH  120
#define MINUTES_PER_DAY (24 * 60)
#define BLOCK_MIN_HEIGHT 16 /* a five-minute appointment can still be clicked */

struct _TfCalendarGrid
{
  GtkWidget  parent_instance;
  GDateTime *start;       /* the first day's midnight, in the therapist's zone */
  int        n_days;
  int        selected;    /* the selected day, or -1 */
  GPtrArray *blocks;      /* TfCalendarBlock, in the model's order */
  GtkWidget *hours[24];   /* "00:00" … "23:00" */
  GtkWidget *now_line;    /* on today's column, hidden on other days */
  guint      clock_id;

  /* A block being dragged to another time: drawn where the pointer has
   * taken it, until the drop says where it goes. */
  GtkWidget *dragged;
  double     drag_x;
  double     drag_y;
};

G_DEFINE_FINAL_TYPE (TfCalendarGrid, tf_calendar_grid, GTK_TYPE_WIDGET)

enum { SLOT_ACTIVATED, BLOCK_DROPPED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define SLOT_MINUTES 30   /* a click on the grid asks for the half hour under it */
#define DROP_MINUTES 15   /* a dropped block starts on a quarter */

/* Where a block goes: its day, its minutes of the wall clock, and its
 * column among those of its cluster. */
typedef struct
{
  GtkWidget *block;
  int        day;
  int        from;      /* minutes since the local midnight */
  int        to;
  int        column;
  int        n_columns;
} Place;

/* Days from the grid's first to @date's (in the same zone). */
static int
day_index (TfCalendarGrid *self, GDateTime *date)
{
  g_autoptr(GDate) first = g_date_new_dmy (g_date_time_get_day_of_month (self->start),
                                           g_date_time_get_month (self->start),
                                           g_date_time_get_year (self->start));
  g_autoptr(GDate) day = g_date_new_dmy (g_date_time_get_day_of_month (date),
                                         g_date_time_get_month (date),
                                         g_date_time_get_year (date));

  return g_date_days_between (first, day);
}

static int
by_day_then_start (gconstpointer a, gconstpointer b)
{
  const Place *x = a, *y = b;

  if (x->day != y->day)
    return x->day - y->day;
  if (x->from != y->from)
    return x->from - y->from;
  return y->to - x->to;
}

/* The places of the blocks shown (those of the grid's days), columns and
 * all. */
static GArray *
place_blocks (TfCalendarGrid *self)
{
  GArray *places = g_array_new (FALSE, TRUE, sizeof (Place));
  guint cluster_first = 0;
  int cluster_end = -1, cluster_day = -1;
  g_autoptr(GArray) column_ends = g_array_new (FALSE, TRUE, sizeof (int));

  if (self->start == NULL)
    return places;
  for (guint i = 0; i < self->blocks->len; i++)
    {
      TfCalendarBlock *block = g_ptr_array_index (self->blocks, i);
      GDateTime *start = tf_calendar_block_get_start (block);
      Place place = { GTK_WIDGET (block), day_index (self, start), 0, 0, 0, 1 };

      if (place.day < 0 || place.day >= self->n_days)
        continue;
      place.from = g_date_time_get_hour (start) * 60 + g_date_time_get_minute (start);
      /* Past midnight it is cut at the day's end. */
      place.to = MIN (place.from + tf_calendar_block_get_duration (block), MINUTES_PER_DAY);
      g_array_append_val (places, place);
    }
  g_array_sort (places, by_day_then_start);

  for (guint i = 0; i <= places->len; i++)
    {
      Place *place = i < places->len ? &g_array_index (places, Place, i) : NULL;

      /* A cluster ends where the next block begins after all of it. */
      if (place == NULL || place->day != cluster_day || place->from >= cluster_end)
        {
          for (guint k = cluster_first; k < i; k++)
            g_array_index (places, Place, k).n_columns = (int) column_ends->len;
          if (place == NULL)
            break;
          cluster_first = i;
          cluster_day = place->day;
          cluster_end = place->to;
          g_array_set_size (column_ends, 0);
        }
      cluster_end = MAX (cluster_end, place->to);
      place->column = -1;
      for (guint c = 0; c < column_ends->len; c++)
        if (g_array_index (column_ends, int, c) <= place->from)
          {
            place->column = (int) c;
            g_array_index (column_ends, int, c) = place->to;
            break;
          }
      if (place->column < 0)
        {
          place->column = (int) column_ends->len;
          g_array_append_val (column_ends, place->to);
        }
    }
  return places;
}

/* --- the current time ----------------------------------------------------- */

/* Where now is: its day's index (or -1 when not shown) and minutes. */
static int
now_day (TfCalendarGrid *self, int *minutes)
{
  g_autoptr(GDateTime) now = NULL;
  int day;

  if (self->start == NULL)
    return -1;
  now = g_date_time_new_now (g_date_time_get_timezone (self->start));
  day = day_index (self, now);
  *minutes = g_date_time_get_hour (now) * 60 + g_date_time_get_minute (now);
  return day >= 0 && day < self->n_days ? day : -1;
}

static void
update_now_line (TfCalendarGrid *self)
{
  int minutes;

  gtk_widget_set_visible (self->now_line, now_day (self, &minutes) >= 0);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static gboolean
tick_cb (gpointer data)
{
  update_now_line (TF_CALENDAR_GRID (data));
  return G_SOURCE_CONTINUE;
}

/* --- layout --------------------------------------------------------------- */

static void
tf_calendar_grid_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                          int *minimum, int *natural, int *minimum_baseline,
                          int *natural_baseline)
{
  TfCalendarGrid *self = TF_CALENDAR_GRID (widget);

  /* The children are laid out over the grid, not beside each other: what
   * they ask does not change what the grid asks, but GTK wants them
   * measured. */
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_measure (child, orientation, -1, NULL, NULL, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = TF_CALENDAR_HOURS_WIDTH + self->n_days * MIN_DAY_WIDTH;
      *natural = TF_CALENDAR_HOURS_WIDTH + self->n_days * NAT_DAY_WIDTH;
    }
  else
    *minimum = *natural = 24 * TF_CALENDAR_HOUR_HEIGHT;
}

static int
minutes_to_y (int minutes)
{
  return minutes * TF_CALENDAR_HOUR_HEIGHT / 60;
}

/* Allocates @child at least its minimum size. */
static void
put_child (GtkWidget *child, int x, int y, int width, int height)
{
  int min_width, min_height;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (width, min_width), &min_height, NULL,
                      NULL, NULL);
  gtk_widget_size_allocate (child,
                            &(GtkAllocation) { x, y, MAX (width, min_width),
                                               MAX (height, min_height) }, -1);
}

static void
tf_calendar_grid_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TfCalendarGrid *self = TF_CALENDAR_GRID (widget);
  double day_width = (double) (width - TF_CALENDAR_HOURS_WIDTH) / MAX (self->n_days, 1);
  g_autoptr(GArray) places = place_blocks (self);
  int minutes, today;

  for (int h = 0; h < 24; h++)
    put_child (self->hours[h], 0, minutes_to_y (h * 60), TF_CALENDAR_HOURS_WIDTH - 4,
               TF_CALENDAR_HOUR_HEIGHT);

  /* Blocks not on the grid's days (none, normally) get no room. */
  for (guint i = 0; i < self->blocks->len; i++)
    gtk_widget_set_child_visible (g_ptr_array_index (self->blocks, i), FALSE);
  for (guint i = 0; i < places->len; i++)
    {
      Place *place = &g_array_index (places, Place, i);
      double column_width = (day_width - 4) / place->n_columns;
      int x = TF_CALENDAR_HOURS_WIDTH + (int) (place->day * day_width + 1 +
                                                place->column * column_width);
      int y = minutes_to_y (place->from);
      int h = MAX (minutes_to_y (place->to) - y - 1, BLOCK_MIN_HEIGHT);

      gtk_widget_set_child_visible (place->block, TRUE);
      if (place->block == self->dragged)
        {
          /* Above the others, as wide as a day, where the pointer is. */
          x = TF_CALENDAR_HOURS_WIDTH + (int) (place->day * day_width + 1 + self->drag_x);
          y += (int) self->drag_y;
          column_width = day_width - 4;
        }
      put_child (place->block, x, y, MAX ((int) column_width - 1, 1), h);
    }

  today = now_day (self, &minutes);
  if (today >= 0 && gtk_widget_get_visible (self->now_line))
    put_child (self->now_line, TF_CALENDAR_HOURS_WIDTH + (int) (today * day_width),
               minutes_to_y (minutes) - 1, (int) day_width, 2);
}

/* Lines at the hours and between the days, and the selected day's
 * shade, under the children. */
static void
tf_calendar_grid_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TfCalendarGrid *self = TF_CALENDAR_GRID (widget);
  int width = gtk_widget_get_width (widget);
  double day_width = (double) (width - TF_CALENDAR_HOURS_WIDTH) / MAX (self->n_days, 1);
  GdkRGBA color, line;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS
  line = color;
  line.alpha = 0.12f;
  if (self->selected >= 0 && self->n_days > 1)
    {
      GdkRGBA shade = color;

      shade.alpha = 0.03f;
      gtk_snapshot_append_color (snapshot, &shade,
                                 &GRAPHENE_RECT_INIT (TF_CALENDAR_HOURS_WIDTH +
                                                        (float) (self->selected * day_width),
                                                      0, (float) day_width,
                                                      24 * TF_CALENDAR_HOUR_HEIGHT));
    }
  for (int h = 0; h <= 24; h++)
    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT (TF_CALENDAR_HOURS_WIDTH,
                                                    minutes_to_y (h * 60), width, 1));
  for (int d = 0; d <= self->n_days; d++)
    gtk_snapshot_append_color (snapshot, &line,
                               &GRAPHENE_RECT_INIT (TF_CALENDAR_HOURS_WIDTH +
                                                      (float) (d * day_width), 0, 1,
                                                    24 * TF_CALENDAR_HOUR_HEIGHT));
  GTK_WIDGET_CLASS (tf_calendar_grid_parent_class)->snapshot (widget, snapshot);
}

/* --- where a point is in time ------------------------------------------------ */

GDateTime *
tf_calendar_grid_time_at (TfCalendarGrid *self, double x, double y, int step)
{
  double day_width;
  int day, minutes;
  g_autoptr(GDateTime) date = NULL;

  g_return_val_if_fail (TF_IS_CALENDAR_GRID (self), NULL);
  g_return_val_if_fail (step > 0 && step <= 60, NULL);

  if (self->start == NULL || x < TF_CALENDAR_HOURS_WIDTH)
    return NULL;
  day_width = (double) (gtk_widget_get_width (GTK_WIDGET (self)) - TF_CALENDAR_HOURS_WIDTH) /
              MAX (self->n_days, 1);
  day = day_width > 0 ? (int) ((x - TF_CALENDAR_HOURS_WIDTH) / day_width) : -1;
  if (day < 0 || day >= self->n_days || y < 0)
    return NULL;
  minutes = (int) (y * 60 / TF_CALENDAR_HOUR_HEIGHT);
  minutes = CLAMP (minutes - minutes % step, 0, MINUTES_PER_DAY - step);
  date = g_date_time_add_days (self->start, day);
  /* The wall clock's time that day, whatever its length: a row is an hour
   * of the clock (for the hour that comes twice, its first time). */
  return g_date_time_new (g_date_time_get_timezone (self->start), g_date_time_get_year (date),
                          g_date_time_get_month (date), g_date_time_get_day_of_month (date),
                          minutes / 60, minutes % 60, 0);
}

/* The block under @x, @y, or NULL. */
static GtkWidget *
block_at (TfCalendarGrid *self, double x, double y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);

  while (picked != NULL && picked != GTK_WIDGET (self) && !TF_IS_CALENDAR_BLOCK (picked))
    picked = gtk_widget_get_parent (picked);
  return picked != NULL && TF_IS_CALENDAR_BLOCK (picked) ? picked : NULL;
}

/* A click where no block is: the half hour there. */
static void
on_released_cb (GtkGestureClick *gesture, int n_press, double x, double y, TfCalendarGrid *self)
{
  g_autoptr(GDateTime) at = NULL;

  if (n_press != 1 || block_at (self, x, y) != NULL)
    return;
  at = tf_calendar_grid_time_at (self, x, y, SLOT_MINUTES);
  if (at != NULL)
    g_signal_emit (self, signals[SLOT_ACTIVATED], 0, at);
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture, double x, double y, TfCalendarGrid *self)
{
  GtkWidget *block = block_at (self, x, y);

  /* Only a block moves; and only once the pointer has really moved
   * (on_drag_update_cb), so a click still opens it. */
  if (block == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  self->dragged = block;
  self->drag_x = self->drag_y = 0;
}

static void
on_drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, TfCalendarGrid *self)
{
  if (self->dragged == NULL)
    return;
  if (!gtk_drag_check_threshold (GTK_WIDGET (self), 0, 0, (int) dx, (int) dy) &&
      self->drag_x == 0 && self->drag_y == 0)
    return;
  /* From here on it is a drag, not the block's click. */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = dx;
  self->drag_y = dy;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
on_drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, TfCalendarGrid *self)
{
  GtkWidget *block = self->dragged;
  g_autoptr(GDateTime) to = NULL;
  double x, y;
  graphene_rect_t bounds;

  self->dragged = NULL;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  if (block == NULL || (self->drag_x == 0 && self->drag_y == 0) ||
      !gtk_widget_compute_bounds (block, GTK_WIDGET (self), &bounds))
    return;
  /* Where its top-left corner was left, half a quarter's grace. */
  x = bounds.origin.x + 2;
  y = bounds.origin.y + DROP_MINUTES * TF_CALENDAR_HOUR_HEIGHT / 120.0;
  to = tf_calendar_grid_time_at (self, x, y, DROP_MINUTES);
  if (to != NULL && !g_date_time_equal (to, tf_calendar_block_get_start (TF_CALENDAR_BLOCK (block))))
    g_signal_emit (self, signals[BLOCK_DROPPED], 0, block, to);
}

static void
on_drag_cancel_cb (GtkGesture *gesture, GdkEventSequence *sequence, TfCalendarGrid *self)
{
  self->dragged = NULL;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* --- the widget ----------------------------------------------------------- */

static void
tf_calendar_grid_dispose (GObject *object)
{
  TfCalendarGrid *self = TF_CALENDAR_GRID (object);
  GtkWidget *child;

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CALENDAR_GRID);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->start, g_date_time_unref);
  G_OBJECT_CLASS (tf_calendar_grid_parent_class)->dispose (object);
}

static void
tf_calendar_grid_class_init (TfCalendarGridClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_calendar_grid_dispose;
  widget_class->measure = tf_calendar_grid_measure;
  widget_class->size_allocate = tf_calendar_grid_size_allocate;
  widget_class->snapshot = tf_calendar_grid_snapshot;
  gtk_widget_class_set_css_name (widget_class, "calendar-grid");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-calendar-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, TfCalendarGrid, now_line);
  gtk_widget_class_bind_template_callback (widget_class, on_released_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_begin_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_update_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_end_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_drag_cancel_cb);
  signals[SLOT_ACTIVATED] = g_signal_new ("slot-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          1, G_TYPE_DATE_TIME);
  signals[BLOCK_DROPPED] = g_signal_new ("block-dropped", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         TF_TYPE_CALENDAR_BLOCK, G_TYPE_DATE_TIME);
}

static void
tf_calendar_grid_init (TfCalendarGrid *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->n_days = 7;
  self->selected = -1;
  self->blocks = g_ptr_array_new ();
  for (int h = 0; h < 24; h++)
    {
      g_autofree char *text = g_strdup_printf ("%02d:00", h);
      g_autofree char *name = g_strdup_printf ("hour-%02d", h);

      self->hours[h] = g_object_new (GTK_TYPE_LABEL, "label", text, "name", name, "xalign", 1.0,
                                     "yalign", 0.0, NULL);
      gtk_widget_add_css_class (self->hours[h], "caption");
      gtk_widget_add_css_class (self->hours[h], "dim-label");
      gtk_widget_insert_before (self->hours[h], GTK_WIDGET (self), self->now_line);
    }
  /* The line moves with the clock. */
  self->clock_id = g_timeout_add_seconds (60, tick_cb, self);
}

void
tf_calendar_style_ensure (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/therapyfield/TherapyField/tf-calendar.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

GtkWidget *
tf_calendar_grid_new (void)
{
  return g_object_new (TF_TYPE_CALENDAR_GRID, NULL);
}

void
tf_calendar_grid_set_days (TfCalendarGrid *self, GDateTime *start, int n_days)
{
  g_return_if_fail (TF_IS_CALENDAR_GRID (self));
  g_return_if_fail (start != NULL);
  g_return_if_fail (n_days > 0);

  g_clear_pointer (&self->start, g_date_time_unref);
  self->start = g_date_time_ref (start);
  self->n_days = n_days;
  update_now_line (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
tf_calendar_grid_set_selected (TfCalendarGrid *self, int index)
{
  g_return_if_fail (TF_IS_CALENDAR_GRID (self));

  self->selected = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tf_calendar_grid_insert_block (TfCalendarGrid *self, guint position, GtkWidget *block)
{
  g_return_if_fail (TF_IS_CALENDAR_GRID (self));
  g_return_if_fail (TF_IS_CALENDAR_BLOCK (block));
  g_return_if_fail (position <= self->blocks->len);

  /* In the model's order, for Tab; all under the now line. */
  gtk_widget_insert_before (block, GTK_WIDGET (self),
                            position < self->blocks->len
                              ? g_ptr_array_index (self->blocks, position)
                              : self->now_line);
  g_ptr_array_insert (self->blocks, (int) position, block);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

void
tf_calendar_grid_remove_block (TfCalendarGrid *self, guint position)
{
  g_return_if_fail (TF_IS_CALENDAR_GRID (self));
  g_return_if_fail (position < self->blocks->len);

  if (g_ptr_array_index (self->blocks, position) == self->dragged)
    self->dragged = NULL;
  gtk_widget_unparent (g_ptr_array_index (self->blocks, position));
  g_ptr_array_remove_index (self->blocks, position);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

guint
tf_calendar_grid_get_n_blocks (TfCalendarGrid *self)
{
  g_return_val_if_fail (TF_IS_CALENDAR_GRID (self), 0);

  return self->blocks->len;
}

GtkWidget *
tf_calendar_grid_get_block (TfCalendarGrid *self, guint position)
{
  g_return_val_if_fail (TF_IS_CALENDAR_GRID (self), NULL);
  g_return_val_if_fail (position < self->blocks->len, NULL);

  return g_ptr_array_index (self->blocks, position);
}
