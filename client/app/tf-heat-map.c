/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-heat-map.c: the history's calendar; its squares are drawn, its words
 * are the template's labels (tf-heat-map.ui), placed here.
 *
 * Like a contribution graph: one column per week, Monday at the top, the
 * first column starting on the Monday of the range's first week (cells
 * before the range are left out).  A day's shade is its average mood: the
 * GNOME palette's blue from faint (1) to full (10); a day without a
 * check-in is a faint square of the foreground colour, so the map reads on
 * both the light and the dark style.  Squares keep their shape: the widget
 * asks for its height from its width; in a window too narrow for a year,
 * the oldest weeks give way.  The weekday names sit beside their rows,
 * every other one (every third when the squares are smaller than a line of
 * text); the legend sits under the squares, or further left, under the
 * weekday names, when it is wider than they are.
 */
#define G_LOG_DOMAIN "tf-heat-map"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tf-heat-map.h"
#include "tf-mood-days.h"

struct _TfHeatMap
{
  GtkWidget       parent_instance;
  TfMoodDays     *days;         /* NULL until the first set_entries */
  guint           first_row;    /* the first day's weekday, 0 = Monday */
  /* From the last allocation, for the drawing functions. */
  double          cell;
  guint           first_column;

  /* Template children, all the widget's own: size_allocate places them. */
  GtkWidget      *weekdays[7];  /* Monday first */
  GtkDrawingArea *cells;
  GtkWidget      *low;
  GtkDrawingArea *scale;        /* the legend's five squares */
  GtkWidget      *high;
};

G_DEFINE_FINAL_TYPE (TfHeatMap, tf_heat_map, GTK_TYPE_WIDGET)

/* GNOME palette: blue 3. */
static const GdkRGBA mood_color = { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1.0 };

#define GAP 3.0
#define MIN_CELL 4.0
#define MAX_CELL 22.0
#define LABEL_GAP 6.0

static void
get_foreground (GtkWidget *widget, GdkRGBA *out)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, out);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), out);
#endif
}

static double
mood_alpha (double value)
{
  return 0.25 + 0.75 * (CLAMP (value, 1, 10) - 1) / 9.0;
}

static guint
n_columns (TfHeatMap *self)
{
  guint n = self->days != NULL ? tf_mood_days_get_n_days (self->days) : 30;

  return (self->first_row + n + 6) / 7;
}

static void
natural_size (GtkWidget *widget, int *out_width, int *out_height)
{
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, out_width, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, NULL, out_height, NULL, NULL);
}

/* The widest weekday name, and the text's height. */
static void
measure_labels (TfHeatMap *self, int *out_width, int *out_height)
{
  *out_width = 0;
  *out_height = 0;
  for (guint row = 0; row < 7; row++)
    {
      int w, h;

      natural_size (self->weekdays[row], &w, &h);
      *out_width = MAX (*out_width, w);
      *out_height = MAX (*out_height, h);
    }
}

/* The legend, "Low mood" ▢▢▢▢▢ "High mood": its width and height, and its
 * words' widths. */
static void
measure_legend (TfHeatMap *self, int *out_width, int *out_height, int *out_low_w,
                int *out_high_w)
{
  int low_w, low_h, high_w, high_h;

  natural_size (self->low, &low_w, &low_h);
  natural_size (self->high, &high_w, &high_h);
  *out_height = MAX (low_h, high_h);
  /* The squares are at most a line of text high. */
  *out_width = low_w + LABEL_GAP + 5 * (*out_height + GAP) - GAP + LABEL_GAP + high_w;
  if (out_low_w != NULL)
    *out_low_w = low_w;
  if (out_high_w != NULL)
    *out_high_w = high_w;
}

/* The square's size for @width, and the first week shown: when even the
 * smallest squares do not fit (a year in a narrow window), the oldest
 * weeks are left out, never the recent ones. */
static double
cell_for_width (TfHeatMap *self, int width, int label_w, guint *out_first_column)
{
  guint columns = n_columns (self);
  double room = width - label_w - LABEL_GAP;
  guint fit = room > 0 ? (guint) (room / (MIN_CELL + GAP)) : 0;
  double cell;

  fit = CLAMP (fit, 1, columns);
  if (out_first_column != NULL)
    *out_first_column = columns - fit;
  cell = room / fit - GAP;
  /* Whole pixels keep the squares sharp. */
  return CLAMP ((double) (int) cell, MIN_CELL, MAX_CELL);
}

static GtkSizeRequestMode
tf_heat_map_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tf_heat_map_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                     int *minimum, int *natural, int *minimum_baseline, int *natural_baseline)
{
  TfHeatMap *self = TF_HEAT_MAP (widget);
  int label_w, label_h, legend_w, legend_h;
  double cell;

  measure_labels (self, &label_w, &label_h);
  measure_legend (self, &legend_w, &legend_h, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Ten weeks at least; fewer squares than that say too little.  The
       * legend's words are never cut: in Greek they are wider than a
       * month's five weeks of squares. */
      *minimum = MAX (legend_w, label_w + LABEL_GAP + MIN (n_columns (self), 10) *
                                (MIN_CELL + GAP));
      *natural = label_w + LABEL_GAP + MAX (legend_w, n_columns (self) * (MAX_CELL + GAP));
      return;
    }
  cell = for_size < 0 ? MAX_CELL : cell_for_width (self, for_size, label_w, NULL);
  /* Seven rows, then a line for the legend. */
  *minimum = *natural = (int) (7 * (cell + GAP) + LABEL_GAP + MAX (label_h, legend_h) + 0.999);
}

static void
place (GtkWidget *child, double x, double y, int width, int height)
{
  gtk_widget_size_allocate (child,
                            &(GtkAllocation) { (int) x, (int) y, MAX (width, 0),
                                               MAX (height, 0) },
                            -1);
}

/* Every other weekday; every third when the squares are too small for
 * that (a year in a narrow window), so that no two names overlap, and
 * none above the first row or below the last. */
static void
place_weekdays (TfHeatMap *self, int label_w, int label_h)
{
  guint step = MAX (2, (guint) ceil (label_h / (self->cell + GAP)));
  double rows_h = 7 * (self->cell + GAP) - GAP;

  for (guint row = 0; row < 7; row++)
    {
      int h;

      gtk_widget_measure (self->weekdays[row], GTK_ORIENTATION_VERTICAL, label_w, NULL, &h,
                          NULL, NULL);
      gtk_widget_set_child_visible (self->weekdays[row], row % step == 0);
      place (self->weekdays[row], 0,
             CLAMP (row * (self->cell + GAP) + (self->cell - h) / 2, 0, MAX (0, rows_h - h)),
             label_w, h);
    }
}

static void
tf_heat_map_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TfHeatMap *self = TF_HEAT_MAP (widget);
  int label_w, label_h, legend_w, legend_h, low_w, high_w, scale_w, cells_w;
  double left, legend_x, legend_y, size;

  measure_labels (self, &label_w, &label_h);
  self->cell = cell_for_width (self, width, label_w, &self->first_column);
  left = label_w + LABEL_GAP;
  place_weekdays (self, label_w, label_h);

  gtk_widget_measure (GTK_WIDGET (self->cells), GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL,
                      NULL, NULL);
  cells_w = (int) ((n_columns (self) - self->first_column) * (self->cell + GAP) - GAP);
  place (GTK_WIDGET (self->cells), left, 0, MIN (cells_w, width - (int) left),
         (int) (7 * (self->cell + GAP) - GAP));

  /* The legend: "Low mood" ▢▢▢▢▢ "High mood". */
  measure_legend (self, &legend_w, &legend_h, &low_w, &high_w);
  legend_y = 7 * (self->cell + GAP) + LABEL_GAP;
  legend_x = MAX (0, MIN (left, width - legend_w));
  size = MIN (self->cell, (double) legend_h);
  scale_w = (int) (5 * (size + GAP) - GAP);
  gtk_widget_measure (GTK_WIDGET (self->scale), GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL,
                      NULL, NULL);
  place (self->low, legend_x, legend_y, low_w, legend_h);
  place (GTK_WIDGET (self->scale), legend_x + low_w + LABEL_GAP, legend_y, scale_w, legend_h);
  place (self->high, legend_x + low_w + LABEL_GAP + scale_w + LABEL_GAP, legend_y, high_w,
         legend_h);
}

static void
rounded_square (cairo_t *cr, double x, double y, double size)
{
  double r = MIN (3.0, size / 4);

  cairo_new_sub_path (cr);
  cairo_arc (cr, x + size - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + size - r, y + size - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + size - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* The squares: empty days first, in one fill; then each day with a mood. */
static void
draw_cells (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  TfHeatMap *self = data;
  double cell = self->cell;
  guint n;
  GdkRGBA fg;

  if (self->days == NULL || cell <= 0)
    return;
  get_foreground (GTK_WIDGET (area), &fg);
  n = tf_mood_days_get_n_days (self->days);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.08);
  for (guint i = 0; i < n; i++)
    if (isnan (tf_mood_days_get_value (self->days, TF_MOOD_SERIES_MOOD, i)))
      {
        guint k = self->first_row + i;

        if (k / 7 >= self->first_column)
          rounded_square (cr, (k / 7 - self->first_column) * (cell + GAP),
                          (k % 7) * (cell + GAP), cell);
      }
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    {
      double value = tf_mood_days_get_value (self->days, TF_MOOD_SERIES_MOOD, i);
      guint k = self->first_row + i;

      if (isnan (value) || k / 7 < self->first_column)
        continue;
      cairo_set_source_rgba (cr, mood_color.red, mood_color.green, mood_color.blue,
                             mood_alpha (value));
      rounded_square (cr, (k / 7 - self->first_column) * (cell + GAP), (k % 7) * (cell + GAP),
                      cell);
      cairo_fill (cr);
    }
}

/* The legend's five squares, from the faintest shade to the full one. */
static void
draw_scale (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  TfHeatMap *self = data;
  double size = MIN (self->cell, (double) height);

  for (guint step = 0; step < 5; step++)
    {
      cairo_set_source_rgba (cr, mood_color.red, mood_color.green, mood_color.blue,
                             mood_alpha (1 + step * 9 / 4.0));
      rounded_square (cr, step * (size + GAP), (height - size) / 2, size);
      cairo_fill (cr);
    }
}

static void
tf_heat_map_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_HEAT_MAP);
  G_OBJECT_CLASS (tf_heat_map_parent_class)->dispose (object);
}

static void
tf_heat_map_finalize (GObject *object)
{
  TfHeatMap *self = TF_HEAT_MAP (object);

  g_clear_pointer (&self->days, tf_mood_days_free);
  G_OBJECT_CLASS (tf_heat_map_parent_class)->finalize (object);
}

static void
tf_heat_map_class_init (TfHeatMapClass *klass)
{
  static const char *const weekdays[7] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
  };
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_heat_map_dispose;
  G_OBJECT_CLASS (klass)->finalize = tf_heat_map_finalize;
  widget_class->get_request_mode = tf_heat_map_get_request_mode;
  widget_class->measure = tf_heat_map_measure;
  widget_class->size_allocate = tf_heat_map_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "tf-heat-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-heat-map.ui");
  for (guint row = 0; row < 7; row++)
    gtk_widget_class_bind_template_child_full (widget_class, weekdays[row], FALSE,
                                               G_STRUCT_OFFSET (TfHeatMap, weekdays) +
                                               row * sizeof (GtkWidget *));
  gtk_widget_class_bind_template_child (widget_class, TfHeatMap, cells);
  gtk_widget_class_bind_template_child (widget_class, TfHeatMap, low);
  gtk_widget_class_bind_template_child (widget_class, TfHeatMap, scale);
  gtk_widget_class_bind_template_child (widget_class, TfHeatMap, high);
}

static void
tf_heat_map_init (TfHeatMap *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The locale's names, from a week in 2024 that starts on a Monday. */
  for (guint row = 0; row < 7; row++)
    {
      g_autoptr(GDateTime) day = g_date_time_new_utc (2024, 1, 1 + row, 12, 0, 0);
      g_autofree char *name = g_date_time_format (day, "%a");

      gtk_label_set_label (GTK_LABEL (self->weekdays[row]), name);
    }
  gtk_drawing_area_set_draw_func (self->cells, draw_cells, self, NULL);
  gtk_drawing_area_set_draw_func (self->scale, draw_scale, self, NULL);
}

GtkWidget *
tf_heat_map_new (void)
{
  return g_object_new (TF_TYPE_HEAT_MAP, NULL);
}

static void
update_description (TfHeatMap *self, guint n_days)
{
  guint with_data = tf_mood_days_get_n_days_with_data (self->days);
  g_autofree char *text = NULL;

  if (with_data == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No check-ins in the last %u day.",
                                         "No check-ins in the last %u days.", n_days),
                            n_days);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Mood recorded on %u of the last %u day, average %.1f out of 10.",
                                         "Mood recorded on %u of the last %u days, average %.1f out of 10.",
                                         n_days),
                            with_data, n_days,
                            tf_mood_days_get_average (self->days, TF_MOOD_SERIES_MOOD));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

void
tf_heat_map_set_entries (TfHeatMap *self, GPtrArray *entries, GDateTime *today, guint days)
{
  GDate first;

  g_return_if_fail (TF_IS_HEAT_MAP (self));
  g_return_if_fail (entries != NULL);
  g_return_if_fail (today != NULL);
  g_return_if_fail (days > 0);

  g_clear_pointer (&self->days, tf_mood_days_free);
  self->days = tf_mood_days_new (entries, today, days);
  tf_mood_days_get_date (self->days, 0, &first);
  self->first_row = g_date_get_weekday (&first) - G_DATE_MONDAY;
  update_description (self, days);
  /* The number of weeks may have changed, and with it the size. */
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self->cells));
}

guint
tf_heat_map_get_n_days_with_data (TfHeatMap *self)
{
  g_return_val_if_fail (TF_IS_HEAT_MAP (self), 0);
  return self->days != NULL ? tf_mood_days_get_n_days_with_data (self->days) : 0;
}

double
tf_heat_map_get_average (TfHeatMap *self)
{
  g_return_val_if_fail (TF_IS_HEAT_MAP (self), NAN);
  return self->days != NULL ? tf_mood_days_get_average (self->days, TF_MOOD_SERIES_MOOD) : NAN;
}
