/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-chart.c: the history's line chart.  The lines and rules are
 * drawn in the plot's draw function; every word is a label of the
 * template (tf-mood-chart.ui), which size_allocate puts where the plot
 * puts its value or its day.  Both take their places from one function,
 * chart_geometry, so a label and its rule never part.
 *
 * The grouping by day lives in tf-mood-days.c.  Lines and dots go into one
 * cairo node (GTK 4.8 has no GskPath).  A day without a check-in breaks its
 * series' line; a day whose neighbours both lack one is drawn as a dot, so
 * a single check-in is visible too.  Colours are from the GNOME palette,
 * mid shades that read on both the light and the dark style; the anxiety
 * line is also dashed, so the three differ without colour.
 *
 * A year of days is too many points for a line: 365 of them at 1–2 px
 * apart made three solid bands nobody could read.  Over more than
 * WEEKLY_AFTER days a point is a week's average instead (the last week
 * ends today), and the time axis names the months, each with a faint rule
 * at its first day.
 */
#define G_LOG_DOMAIN "tf-mood-chart"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tf-mood-chart.h"
#include "tf-mood-days.h"

#define N_TICKS 3
#define MAX_MONTHS 13  /* a year's days start at most thirteen months */

struct _TfMoodChart
{
  GtkWidget       parent_instance;
  TfMoodDays     *days;         /* NULL until the first set_entries */
  guint           month_day[MAX_MONTHS]; /* the day each month label names */
  guint           n_months;

  /* template (tf-mood-chart.ui), all the widget's own children */
  GtkDrawingArea *plot;
  GtkWidget      *legend;
  GtkDrawingArea *swatches[TF_MOOD_N_SERIES];
  GtkWidget      *ticks[N_TICKS];
  GtkWidget      *first_day;
  GtkWidget      *today;
  GtkWidget      *months[MAX_MONTHS];
  GtkWidget      *empty;
};

G_DEFINE_FINAL_TYPE (TfMoodChart, tf_mood_chart, GTK_TYPE_WIDGET)

/* GNOME palette: blue 3, green 4, orange 3. */
static const GdkRGBA series_colors[TF_MOOD_N_SERIES] = {
  { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1.0 },
  { 0x2e / 255.0, 0xc2 / 255.0, 0x7e / 255.0, 1.0 },
  { 0xff / 255.0, 0x78 / 255.0, 0x00 / 255.0, 1.0 },
};
static const int tick_values[N_TICKS] = { 1, 5, 10 };

#define PAD 8.0
#define LINE_WIDTH 2.0
#define DOT_RADIUS 3.5
#define WEEKLY_AFTER 92  /* days; the 90-day range is still drawn by day */

/* The points drawn: days, or weeks over a long range.  @offset days before
 * the first day complete the oldest, partial week, so that the last point
 * ends today. */
typedef struct
{
  guint per_point;  /* 1 or 7 days */
  guint offset;
  guint n_points;
} Points;

static void
points_for (TfMoodDays *days, Points *out)
{
  guint n = tf_mood_days_get_n_days (days);

  out->per_point = n > WEEKLY_AFTER ? 7 : 1;
  out->offset = (out->per_point - n % out->per_point) % out->per_point;
  out->n_points = (n + out->offset) / out->per_point;
}

/* The mean of @series over point @p's days that have a check-in, or NAN. */
static double
point_value (TfMoodDays *days, const Points *points, TfMoodSeries series, guint p)
{
  guint n = tf_mood_days_get_n_days (days);
  double sum = 0;
  guint count = 0;

  for (guint k = 0; k < points->per_point; k++)
    {
      guint slot = p * points->per_point + k;
      double value;

      if (slot < points->offset || slot - points->offset >= n)
        continue;
      value = tf_mood_days_get_value (days, series, slot - points->offset);
      if (isnan (value))
        continue;
      sum += value;
      count++;
    }
  return count > 0 ? sum / count : NAN;
}

static void
get_foreground (GtkWidget *widget, GdkRGBA *out)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, out);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), out);
#endif
}

static void
natural_size (GtkWidget *widget, int *out_width, int *out_height)
{
  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, out_width, NULL, NULL);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, NULL, out_height, NULL, NULL);
}

static gboolean
has_data (TfMoodChart *self)
{
  return self->days != NULL && tf_mood_days_get_n_days_with_data (self->days) > 0;
}

/* Where the plot is in a chart of @width × @height: the value axis' labels
 * set the left margin, the legend the top, the time axis the bottom. */
typedef struct
{
  int    label_w;   /* the widest value label */
  int    legend_h;
  int    axis_h;    /* the time axis' line */
  double left, right, top, bottom;
  double unit;      /* pixels per step of 1 on the 1–10 scale */
  double step;      /* pixels per point */
  Points points;
} Geometry;

/* FALSE when there is nothing to plot, or no room for it. */
static gboolean
chart_geometry (TfMoodChart *self, int width, int height, Geometry *g)
{
  int label_h = 0, w, h;

  if (!has_data (self))
    return FALSE;
  g->label_w = 0;
  for (guint t = 0; t < N_TICKS; t++)
    {
      natural_size (self->ticks[t], &w, &h);
      g->label_w = MAX (g->label_w, w);
      label_h = MAX (label_h, h);
    }
  natural_size (self->legend, &w, &g->legend_h);
  natural_size (self->today, &w, &g->axis_h);
  g->left = g->label_w + PAD;
  g->right = width - PAD;
  g->top = g->legend_h + PAD + label_h / 2.0;
  g->bottom = height - g->axis_h - PAD / 2;
  if (g->bottom - g->top < 20 || g->right - g->left < 20)
    return FALSE;
  g->unit = (g->bottom - g->top) / 9.0;
  points_for (self->days, &g->points);
  g->step = (g->right - g->left) / g->points.n_points;
  return TRUE;
}

/* The x of day @i's first instant, on a whole pixel's middle. */
static double
day_x (TfMoodChart *self, const Geometry *g, guint i)
{
  guint n = tf_mood_days_get_n_days (self->days);
  double day_step = (g->right - g->left) / (n + g->points.offset);

  return (int) (g->left + (i + g->points.offset) * day_step) + 0.5;
}

static void
trace_series (cairo_t *cr, TfMoodDays *days, const Points *points, TfMoodSeries series,
              double left, double step, double bottom, double unit)
{
  guint n = points->n_points;
  gboolean drawing = FALSE;

  cairo_set_source_rgba (cr, series_colors[series].red, series_colors[series].green,
                         series_colors[series].blue, 1.0);
  for (guint i = 0; i < n; i++)
    {
      double value = point_value (days, points, series, i);
      double x = left + (i + 0.5) * step;
      double y;
      gboolean alone;

      if (isnan (value))
        {
          drawing = FALSE;
          continue;
        }
      y = bottom - (value - 1) * unit;
      alone = (i == 0 || isnan (point_value (days, points, series, i - 1))) &&
              (i + 1 == n || isnan (point_value (days, points, series, i + 1)));
      if (alone)
        {
          /* A dot on its own path: the line's dash must not cut it. */
          cairo_stroke (cr);
          cairo_save (cr);
          cairo_new_path (cr);
          cairo_arc (cr, x, y, DOT_RADIUS, 0, 2 * G_PI);
          cairo_fill (cr);
          cairo_restore (cr);
          drawing = FALSE;
          continue;
        }
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
}

static char *
format_day (GDate *date)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (g_date_get_year (date),
                                                   g_date_get_month (date),
                                                   g_date_get_day (date), 12, 0, 0);

  /* TRANSLATORS: a day on the chart's time axis, in g_date_time_format()
   * form: "%e %b" gives " 5 Mar".  xgettext:no-c-format */
  return dt != NULL ? g_date_time_format (dt, _("%e %b")) : g_strdup ("");
}

/* The rules at 1, 5 and 10, the months' rules over a long range, and the
 * three series. */
static void
draw_plot (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  TfMoodChart *self = data;
  Geometry g;
  GdkRGBA fg;

  if (!chart_geometry (self, width, height, &g))
    return;
  get_foreground (GTK_WIDGET (area), &fg);
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.15);
  for (guint t = 0; t < N_TICKS; t++)
    {
      /* Half-pixel offsets keep one-pixel rules sharp. */
      double y = (int) (g.bottom - (tick_values[t] - 1) * g.unit + 0.5) + 0.5;

      cairo_move_to (cr, g.left, y);
      cairo_line_to (cr, g.right, y);
    }
  cairo_stroke (cr);
  if (g.points.per_point > 1)
    {
      guint n = tf_mood_days_get_n_days (self->days);

      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.08);
      for (guint i = 0; i < n; i++)
        {
          GDate date;

          tf_mood_days_get_date (self->days, i, &date);
          if (g_date_get_day (&date) != 1)
            continue;
          cairo_move_to (cr, day_x (self, &g, i), g.top);
          cairo_line_to (cr, day_x (self, &g, i), g.bottom);
        }
      cairo_stroke (cr);
    }

  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    {
      static const double dash[] = { 6.0, 4.0 };

      cairo_set_dash (cr, dash, s == TF_MOOD_SERIES_ANXIETY ? 2 : 0, 0);
      trace_series (cr, self->days, &g.points, s, g.left, g.step, g.bottom, g.unit);
    }
}

static void
draw_swatch (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  const GdkRGBA *color = data;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_paint (cr);
}

static void
tf_mood_chart_measure (GtkWidget *widget, GtkOrientation orientation, int for_size,
                       int *minimum, int *natural, int *minimum_baseline,
                       int *natural_baseline)
{
  /* Down to a 360 px window, less its margins. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 480;
    }
  else
    {
      *minimum = 180;
      *natural = 220;
    }
}

/* Gives @child its natural size with its top-left corner at (@x, @y), and
 * shows it, or hides it when not @shown. */
static void
place (GtkWidget *child, gboolean shown, double x, double y)
{
  int w, h;

  natural_size (child, &w, &h);
  gtk_widget_set_child_visible (child, shown);
  gtk_widget_size_allocate (child, &(GtkAllocation) { (int) x, (int) y, w, h }, -1);
}

/* Over a long range the time axis names each month at its first day; a
 * name that would touch the previous one or "Today" (@today_x onwards) is
 * left out. */
static void
place_months (TfMoodChart *self, const Geometry *g, double today_x)
{
  double free_x = g->left;

  for (guint k = 0; k < MAX_MONTHS; k++)
    {
      double x = k < self->n_months ? day_x (self, g, self->month_day[k]) : 0;
      int w, h;

      natural_size (self->months[k], &w, &h);
      place (self->months[k],
             k < self->n_months && x - w / 2.0 >= free_x && x + w / 2.0 <= MIN (today_x - PAD,
                                                                                  g->right),
             x - w / 2.0, g->bottom + PAD / 4);
      if (gtk_widget_get_child_visible (self->months[k]))
        free_x = x + w / 2.0 + PAD;
    }
}

static void
tf_mood_chart_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TfMoodChart *self = TF_MOOD_CHART (widget);
  gboolean data = has_data (self);
  gboolean plotted;
  Geometry g = { 0 };
  int w, h;

  gtk_widget_measure (GTK_WIDGET (self->plot), GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL,
                      NULL);
  gtk_widget_size_allocate (GTK_WIDGET (self->plot), &(GtkAllocation) { 0, 0, width, height },
                            -1);

  /* Nothing to draw: a sentence, in the middle. */
  gtk_widget_measure (self->empty, GTK_ORIENTATION_VERTICAL, MAX (0, width - 2 * (int) PAD),
                      NULL, &h, NULL, NULL);
  gtk_widget_measure (self->empty, GTK_ORIENTATION_HORIZONTAL, -1, NULL, NULL, NULL, NULL);
  gtk_widget_set_child_visible (self->empty, !data);
  gtk_widget_size_allocate (self->empty,
                            &(GtkAllocation) { (int) PAD, (height - h) / 2,
                                               MAX (0, width - 2 * (int) PAD), h }, -1);

  /* The legend stands at the plot's left even when there is no room for
   * the plot. */
  plotted = chart_geometry (self, width, height, &g);
  place (self->legend, data, g.left, 0);
  for (guint t = 0; t < N_TICKS; t++)
    {
      natural_size (self->ticks[t], &w, &h);
      place (self->ticks[t], plotted, g.label_w - w,
             g.bottom - (tick_values[t] - 1) * (plotted ? g.unit : 0) - h / 2.0);
    }
  /* The time axis: the first day (or the months) at the left, today at the
   * right. */
  place (self->first_day, plotted && g.points.per_point == 1, g.left, g.bottom + PAD / 4);
  natural_size (self->today, &w, &h);
  place (self->today, plotted, g.right - w, g.bottom + PAD / 4);
  if (plotted)
    place_months (self, &g, g.right - w);
  else
    for (guint k = 0; k < MAX_MONTHS; k++)
      place (self->months[k], FALSE, 0, 0);
}

/* The words that depend on the days shown: the first day's date, and over
 * a long range the months that start within it. */
static void
name_days (TfMoodChart *self)
{
  guint n = tf_mood_days_get_n_days (self->days);
  g_autofree char *first_text = NULL;
  Points points;
  GDate date;

  tf_mood_days_get_date (self->days, 0, &date);
  first_text = format_day (&date);
  gtk_label_set_label (GTK_LABEL (self->first_day), first_text);
  points_for (self->days, &points);
  self->n_months = 0;
  for (guint i = 0; points.per_point > 1 && i < n && self->n_months < MAX_MONTHS; i++)
    {
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *name = NULL;

      tf_mood_days_get_date (self->days, i, &date);
      if (g_date_get_day (&date) != 1)
        continue;
      dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), 1, 12, 0, 0);
      /* TRANSLATORS: a month on the year chart's time axis, in
       * g_date_time_format() form: "%b" gives "Mar".  xgettext:no-c-format */
      name = g_date_time_format (dt, _("%b"));
      gtk_label_set_label (GTK_LABEL (self->months[self->n_months]), name);
      self->month_day[self->n_months++] = i;
    }
}

static void
tf_mood_chart_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_MOOD_CHART);
  G_OBJECT_CLASS (tf_mood_chart_parent_class)->dispose (object);
}

static void
tf_mood_chart_finalize (GObject *object)
{
  TfMoodChart *self = TF_MOOD_CHART (object);

  g_clear_pointer (&self->days, tf_mood_days_free);
  G_OBJECT_CLASS (tf_mood_chart_parent_class)->finalize (object);
}

/* Binds template child @name to the pointer at @offset. */
static void
bind_child (GtkWidgetClass *widget_class, const char *name, gsize offset)
{
  gtk_widget_class_bind_template_child_full (widget_class, name, FALSE, offset);
}

static void
tf_mood_chart_class_init (TfMoodChartClass *klass)
{
  static const char *const swatches[TF_MOOD_N_SERIES] = {
    "mood_swatch", "energy_swatch", "anxiety_swatch",
  };
  static const char *const ticks[N_TICKS] = { "tick_1", "tick_5", "tick_10" };
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_mood_chart_dispose;
  G_OBJECT_CLASS (klass)->finalize = tf_mood_chart_finalize;
  widget_class->measure = tf_mood_chart_measure;
  widget_class->size_allocate = tf_mood_chart_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "tf-mood-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-mood-chart.ui");
  gtk_widget_class_bind_template_child (widget_class, TfMoodChart, plot);
  gtk_widget_class_bind_template_child (widget_class, TfMoodChart, legend);
  gtk_widget_class_bind_template_child (widget_class, TfMoodChart, first_day);
  gtk_widget_class_bind_template_child (widget_class, TfMoodChart, today);
  gtk_widget_class_bind_template_child (widget_class, TfMoodChart, empty);
  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    bind_child (widget_class, swatches[s],
                G_STRUCT_OFFSET (TfMoodChart, swatches) + s * sizeof (gpointer));
  for (guint t = 0; t < N_TICKS; t++)
    bind_child (widget_class, ticks[t],
                G_STRUCT_OFFSET (TfMoodChart, ticks) + t * sizeof (gpointer));
  for (guint k = 0; k < MAX_MONTHS; k++)
    {
      g_autofree char *name = g_strdup_printf ("month_%u", k);

      /* The template keeps the name it is given: it must outlive the class. */
      bind_child (widget_class, g_intern_string (name),
                  G_STRUCT_OFFSET (TfMoodChart, months) + k * sizeof (gpointer));
    }
}

static void
update_description (TfMoodChart *self, guint n_days)
{
  g_autofree char *text = NULL;
  guint with_data = tf_mood_days_get_n_days_with_data (self->days);

  if (with_data == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No check-ins in the last %u day.",
                                         "No check-ins in the last %u days.", n_days),
                            n_days);
  else
    {
      g_autofree char *range = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "Check-ins on %u of the last %u day.",
                     "Check-ins on %u of the last %u days.", n_days),
        with_data, n_days);
      g_autofree char *averages = g_strdup_printf (
        _("Average mood %.1f, energy %.1f, anxiety %.1f, out of 10."),
        tf_mood_days_get_average (self->days, TF_MOOD_SERIES_MOOD),
        tf_mood_days_get_average (self->days, TF_MOOD_SERIES_ENERGY),
        tf_mood_days_get_average (self->days, TF_MOOD_SERIES_ANXIETY));

      text = g_strconcat (range, " ", averages, NULL);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text, -1);
}

static void
tf_mood_chart_init (TfMoodChart *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->plot, draw_plot, self, NULL);
  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    gtk_drawing_area_set_draw_func (self->swatches[s], draw_swatch, (gpointer) &series_colors[s],
                                    NULL);
}

GtkWidget *
tf_mood_chart_new (void)
{
  return g_object_new (TF_TYPE_MOOD_CHART, NULL);
}

void
tf_mood_chart_set_entries (TfMoodChart *self, GPtrArray *entries, GDateTime *today,
                           guint days)
{
  g_return_if_fail (TF_IS_MOOD_CHART (self));
  g_return_if_fail (entries != NULL);
  g_return_if_fail (today != NULL);
  g_return_if_fail (days > 0);

  g_clear_pointer (&self->days, tf_mood_days_free);
  self->days = tf_mood_days_new (entries, today, days);
  update_description (self, days);
  name_days (self);
  /* Whether there is data shows or hides the words. */
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self->plot));
}

guint
tf_mood_chart_get_n_days_with_data (TfMoodChart *self)
{
  g_return_val_if_fail (TF_IS_MOOD_CHART (self), 0);
  return self->days != NULL ? tf_mood_days_get_n_days_with_data (self->days) : 0;
}

guint
tf_mood_chart_get_n_points (TfMoodChart *self)
{
  Points points;

  g_return_val_if_fail (TF_IS_MOOD_CHART (self), 0);
  if (self->days == NULL)
    return 0;
  points_for (self->days, &points);
  return points.n_points;
}

double
tf_mood_chart_get_average (TfMoodChart *self, const char *series)
{
  TfMoodSeries s;

  g_return_val_if_fail (TF_IS_MOOD_CHART (self), NAN);
  g_return_val_if_fail (tf_mood_series_from_name (series, &s), NAN);
  return self->days != NULL ? tf_mood_days_get_average (self->days, s) : NAN;
}
