/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-chart.c: the history's line chart, drawn in the snapshot vfunc.
 *
 * The grouping by day lives in tf-mood-days.c; this file only draws it.
 * Lines and dots go into one cairo node (GTK 4.8 has no GskPath), text into
 * Pango layout nodes so that it follows the widget's font and scale.  A
 * day without a check-in breaks its series' line; a day whose neighbours
 * both lack one is drawn as a dot, so a single check-in is visible too.
 * Colours are from the GNOME palette, mid shades that read on both the
 * light and the dark style; the anxiety line is also dashed, so the three
 * differ without colour.
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

struct _TfMoodChart
{
  GtkWidget   parent_instance;
  TfMoodDays *days;   /* NULL until the first set_entries */
};

G_DEFINE_FINAL_TYPE (TfMoodChart, tf_mood_chart, GTK_TYPE_WIDGET)

/* GNOME palette: blue 3, green 4, orange 3. */
static const GdkRGBA series_colors[TF_MOOD_N_SERIES] = {
  { 0x35 / 255.0, 0x84 / 255.0, 0xe4 / 255.0, 1.0 },
  { 0x2e / 255.0, 0xc2 / 255.0, 0x7e / 255.0, 1.0 },
  { 0xff / 255.0, 0x78 / 255.0, 0x00 / 255.0, 1.0 },
};
static const char *const series_labels[TF_MOOD_N_SERIES] = {
  N_("Mood"), N_("Energy"), N_("Anxiety"),
};

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
tf_mood_chart_finalize (GObject *object)
{
  TfMoodChart *self = TF_MOOD_CHART (object);

  g_clear_pointer (&self->days, tf_mood_days_free);
  G_OBJECT_CLASS (tf_mood_chart_parent_class)->finalize (object);
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

/* Draws @layout with its top-left corner at (@x, @y). */
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
snapshot_empty (TfMoodChart *self, GtkSnapshot *snapshot, int width, int height,
                const GdkRGBA *fg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                  _("No check-ins in these days"));
  GdkRGBA dim = *fg;
  int w, h;

  dim.alpha *= 0.55f;
  pango_layout_set_width (layout, (width - 2 * (int) PAD) * PANGO_SCALE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_get_pixel_size (layout, &w, &h);
  append_layout_at (snapshot, layout, PAD, (height - h) / 2.0, &dim);
}

/* The legend across the top; returns its height. */
static int
snapshot_legend (TfMoodChart *self, GtkSnapshot *snapshot, double left, const GdkRGBA *fg)
{
  double x = left;
  int line_height = 0;

  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                      _(series_labels[s]));
      int w, h;

      pango_layout_get_pixel_size (layout, &w, &h);
      gtk_snapshot_append_color (snapshot, &series_colors[s],
                                 &GRAPHENE_RECT_INIT ((float) x, (h - 10) / 2.0f, 10, 10));
      append_layout_at (snapshot, layout, x + 14, 0, fg);
      x += 14 + w + 16;
      line_height = MAX (line_height, h);
    }
  return line_height;
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

/* Over a long range the time axis names each month at its first day, with
 * a faint rule there; a name that would touch the previous one or
 * "Today" (@today_x onwards) is left out. */
static void
snapshot_months (TfMoodChart *self, GtkSnapshot *snapshot, cairo_t *cr, const Points *points,
                 double left, double right, double top, double bottom, double today_x,
                 const GdkRGBA *dim)
{
  guint n = tf_mood_days_get_n_days (self->days);
  double day_step = (right - left) / (n + points->offset);
  double free_x = left;

  for (guint i = 0; i < n; i++)
    {
      GDate date;
      g_autoptr(GDateTime) dt = NULL;
      g_autofree char *name = NULL;
      g_autoptr(PangoLayout) layout = NULL;
      double x = (int) (left + (i + points->offset) * day_step) + 0.5;
      int w, h;

      tf_mood_days_get_date (self->days, i, &date);
      if (g_date_get_day (&date) != 1)
        continue;
      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x, bottom);
      dt = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date), 1, 12, 0, 0);
      /* TRANSLATORS: a month on the year chart's time axis, in
       * g_date_time_format() form: "%b" gives "Mar".  xgettext:no-c-format */
      name = g_date_time_format (dt, _("%b"));
      layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), name);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (x - w / 2.0 < free_x || x + w / 2.0 > MIN (today_x - PAD, right))
        continue;
      append_layout_at (snapshot, layout, x - w / 2.0, bottom + PAD / 4, dim);
      free_x = x + w / 2.0 + PAD;
    }
  cairo_stroke (cr);
}

static void
tf_mood_chart_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TfMoodChart *self = TF_MOOD_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  static const int ticks[] = { 1, 5, 10 };
  g_autoptr(PangoLayout) first_label = NULL;
  g_autoptr(PangoLayout) last_label = NULL;
  g_autofree char *first_text = NULL;
  double left, right, top, bottom, unit, step;
  int label_w = 0, label_h = 0, legend_h, w, h, today_w;
  GdkRGBA fg, dim;
  GDate first;
  Points points;
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;
  get_foreground (widget, &fg);
  dim = fg;
  dim.alpha *= 0.55f;
  if (self->days == NULL || tf_mood_days_get_n_days_with_data (self->days) == 0)
    {
      snapshot_empty (self, snapshot, width, height, &fg);
      return;
    }

  /* The value axis' labels set the left margin. */
  for (guint t = 0; t < G_N_ELEMENTS (ticks); t++)
    {
      g_autofree char *text = g_strdup_printf ("%d", ticks[t]);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);

      pango_layout_get_pixel_size (layout, &w, &h);
      label_w = MAX (label_w, w);
      label_h = MAX (label_h, h);
    }
  left = label_w + PAD;
  right = width - PAD;
  legend_h = snapshot_legend (self, snapshot, left, &fg);
  tf_mood_days_get_date (self->days, 0, &first);
  first_text = format_day (&first);
  first_label = gtk_widget_create_pango_layout (widget, first_text);
  last_label = gtk_widget_create_pango_layout (widget, _("Today"));
  pango_layout_get_pixel_size (last_label, &today_w, &h);
  w = today_w;
  top = legend_h + PAD + label_h / 2.0;
  bottom = height - h - PAD / 2;
  if (bottom - top < 20 || right - left < 20)
    return;
  unit = (bottom - top) / 9.0;
  points_for (self->days, &points);
  step = (right - left) / points.n_points;

  /* The time axis: the first day (or the months) at the left, today at the
   * right. */
  if (points.per_point == 1)
    append_layout_at (snapshot, first_label, left, bottom + PAD / 4, &dim);
  append_layout_at (snapshot, last_label, right - w, bottom + PAD / 4, &dim);

  for (guint t = 0; t < G_N_ELEMENTS (ticks); t++)
    {
      g_autofree char *text = g_strdup_printf ("%d", ticks[t]);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
      double y = bottom - (ticks[t] - 1) * unit;

      pango_layout_get_pixel_size (layout, &w, &h);
      append_layout_at (snapshot, layout, label_w - w, y - h / 2.0, &dim);
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1.0);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.15);
  for (guint t = 0; t < G_N_ELEMENTS (ticks); t++)
    {
      /* Half-pixel offsets keep one-pixel rules sharp. */
      double y = (int) (bottom - (ticks[t] - 1) * unit + 0.5) + 0.5;

      cairo_move_to (cr, left, y);
      cairo_line_to (cr, right, y);
    }
  cairo_stroke (cr);
  if (points.per_point > 1)
    {
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, fg.alpha * 0.08);
      snapshot_months (self, snapshot, cr, &points, left, right, top, bottom, right - today_w,
                       &dim);
    }

  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < TF_MOOD_N_SERIES; s++)
    {
      static const double dash[] = { 6.0, 4.0 };

      cairo_set_dash (cr, dash, s == TF_MOOD_SERIES_ANXIETY ? 2 : 0, 0);
      trace_series (cr, self->days, &points, s, left, step, bottom, unit);
    }
  cairo_destroy (cr);
}

static void
tf_mood_chart_class_init (TfMoodChartClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = tf_mood_chart_finalize;
  widget_class->measure = tf_mood_chart_measure;
  widget_class->snapshot = tf_mood_chart_snapshot;
  gtk_widget_class_set_css_name (widget_class, "tf-mood-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
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
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Mood, energy and anxiety by day"), -1);
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
