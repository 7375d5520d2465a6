/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-heat-map.c: the history's calendar, drawn in the snapshot vfunc.
 *
 * Like a contribution graph: one column per week, Monday at the top, the
 * first column starting on the Monday of the range's first week (cells
 * before the range are left out).  A day's shade is its average mood: the
 * GNOME palette's blue from faint (1) to full (10); a day without a
 * check-in is a faint square of the foreground colour, so the map reads on
 * both the light and the dark style.  Squares keep their shape: the widget
 * asks for its height from its width; in a window too narrow for a year,
 * the oldest weeks give way.
 */
#define G_LOG_DOMAIN "tf-heat-map"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tf-heat-map.h"
#include "tf-mood-days.h"

struct _TfHeatMap
{
  GtkWidget   parent_instance;
  TfMoodDays *days;      /* NULL until the first set_entries */
  guint       first_row; /* the first day's weekday, 0 = Monday */
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

/* The weekday label of row @row (0 = Monday), from a week in 2024 that
 * starts on a Monday, so the locale names it. */
static char *
weekday_name (guint row)
{
  g_autoptr(GDateTime) day = g_date_time_new_utc (2024, 1, 1 + row, 12, 0, 0);

  return g_date_time_format (day, "%a");
}

/* The widest weekday label, and the text's height. */
static void
measure_labels (TfHeatMap *self, int *out_width, int *out_height)
{
  *out_width = 0;
  *out_height = 0;
  for (guint row = 0; row < 7; row += 2)
    {
      g_autofree char *name = weekday_name (row);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      *out_width = MAX (*out_width, w);
      *out_height = MAX (*out_height, h);
    }
}

/* The legend, "Low mood" ▢▢▢▢▢ "High mood": its width and height, and its
 * two words' layouts when asked.  It starts under the squares when there is
 * room, else further left, under the weekday names. */
static void
measure_legend (TfHeatMap *self, int *out_width, int *out_height,
                PangoLayout **out_low, PangoLayout **out_high)
{
  g_autoptr(PangoLayout) low = gtk_widget_create_pango_layout (GTK_WIDGET (self), _("Low mood"));
  g_autoptr(PangoLayout) high = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                _("High mood"));
  int low_w, low_h, high_w, high_h;

  pango_layout_get_pixel_size (low, &low_w, &low_h);
  pango_layout_get_pixel_size (high, &high_w, &high_h);
  *out_height = MAX (low_h, high_h);
  /* The squares are at most a line of text high. */
  *out_width = low_w + LABEL_GAP + 5 * (*out_height + GAP) - GAP + LABEL_GAP + high_w;
  if (out_low != NULL)
    *out_low = g_steal_pointer (&low);
  if (out_high != NULL)
    *out_high = g_steal_pointer (&high);
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
append_layout_at (GtkSnapshot *snapshot, PangoLayout *layout, double x, double y,
                  const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) x, (float) y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
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

static void
tf_heat_map_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TfHeatMap *self = TF_HEAT_MAP (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) low = NULL;
  g_autoptr(PangoLayout) high = NULL;
  int label_w, label_h, legend_w, h;
  double cell, left, legend_x, legend_y, x;
  guint n, first_column, label_step;
  GdkRGBA fg, dim;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->days == NULL)
    return;
  get_foreground (widget, &fg);
  dim = fg;
  dim.alpha *= 0.55f;
  measure_labels (self, &label_w, &label_h);
  cell = cell_for_width (self, width, label_w, &first_column);
  left = label_w + LABEL_GAP;
  n = tf_mood_days_get_n_days (self->days);

  /* Every other weekday; every third when the squares are too small for
   * that (a year in a narrow window), so that no two labels overlap, and
   * none above the first row or below the last. */
  label_step = MAX (2, (guint) ceil (label_h / (cell + GAP)));
  for (guint row = 0; row < 7; row += label_step)
    {
      g_autofree char *name = weekday_name (row);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, name);
      double y;
      int w;

      pango_layout_get_pixel_size (layout, &w, &h);
      y = CLAMP (row * (cell + GAP) + (cell - h) / 2, 0, MAX (0, 7 * (cell + GAP) - GAP - h));
      append_layout_at (snapshot, layout, label_w - w, y, &dim);
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  /* Empty days first, in one fill; then each day with a mood. */
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.08);
  for (guint i = 0; i < n; i++)
    if (isnan (tf_mood_days_get_value (self->days, TF_MOOD_SERIES_MOOD, i)))
      {
        guint k = self->first_row + i;

        if (k / 7 >= first_column)
          rounded_square (cr, left + (k / 7 - first_column) * (cell + GAP),
                          (k % 7) * (cell + GAP), cell);
      }
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    {
      double value = tf_mood_days_get_value (self->days, TF_MOOD_SERIES_MOOD, i);
      guint k = self->first_row + i;

      if (isnan (value) || k / 7 < first_column)
        continue;
      cairo_set_source_rgba (cr, mood_color.red, mood_color.green, mood_color.blue,
                             mood_alpha (value));
      rounded_square (cr, left + (k / 7 - first_column) * (cell + GAP), (k % 7) * (cell + GAP),
                      cell);
      cairo_fill (cr);
    }

  /* The legend: "Low mood" ▢▢▢▢▢ "High mood". */
  legend_y = 7 * (cell + GAP) + LABEL_GAP;
  measure_legend (self, &legend_w, &h, &low, &high);
  legend_x = MAX (0, MIN (left, width - legend_w));
  {
    int low_w;

    pango_layout_get_pixel_size (low, &low_w, NULL);
    x = legend_x + low_w + LABEL_GAP;
  }
  for (guint step = 0; step < 5; step++)
    {
      double size = MIN (cell, (double) h);

      cairo_set_source_rgba (cr, mood_color.red, mood_color.green, mood_color.blue,
                             mood_alpha (1 + step * 9 / 4.0));
      rounded_square (cr, x, legend_y + (h - size) / 2, size);
      cairo_fill (cr);
      x += size + GAP;
    }
  cairo_destroy (cr);
  append_layout_at (snapshot, low, legend_x, legend_y, &dim);
  append_layout_at (snapshot, high, x + LABEL_GAP - GAP, legend_y, &dim);
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
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_heat_map_finalize;
  widget_class->get_request_mode = tf_heat_map_get_request_mode;
  widget_class->measure = tf_heat_map_measure;
  widget_class->snapshot = tf_heat_map_snapshot;
  gtk_widget_class_set_css_name (widget_class, "tf-heat-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tf_heat_map_init (TfHeatMap *self)
{
  /* Smaller text for the weekday and legend labels. */
  gtk_widget_add_css_class (GTK_WIDGET (self), "caption");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Calendar of mood by day"), -1);
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
