/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-side-by-side-layout.c: a row of equal cells when they fit, else a
 * column (tf-side-by-side-layout.h).  Measuring for a width says whether
 * that width makes a row, so the height asked for is the row's or the
 * column's; allocating decides the same way, and gives the last cell of a
 * row what rounding left over.  A column gets natural heights when they
 * all fit, else the minimum ones.
 */
#define G_LOG_DOMAIN "tf-side-by-side"

#include "config.h"

#include "tf-side-by-side-layout.h"

struct _TfSideBySideLayout
{
  GtkLayoutManager parent_instance;
  int              spacing;
  int              row_min_width; /* narrower than this: a column, whatever fits */
  gboolean         fit_natural;   /* a row only when every child gets its natural width */
};

G_DEFINE_FINAL_TYPE (TfSideBySideLayout, tf_side_by_side_layout, GTK_TYPE_LAYOUT_MANAGER)

enum { PROP_0, PROP_SPACING, PROP_ROW_MIN_WIDTH, PROP_FIT_NATURAL, N_PROPS };
static GParamSpec *properties[N_PROPS];

static guint
side_by_side_n_visible (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      n++;
  return n;
}

/* The width of each cell when @width is shared by @n in a row. */
static int
side_by_side_cell (TfSideBySideLayout *self, int width, guint n)
{
  return n > 0 ? MAX (0, (width - self->spacing * ((int) n - 1)) / (int) n) : width;
}

static gboolean
side_by_side_is_row (TfSideBySideLayout *self, GtkWidget *widget, int width)
{
  guint n = side_by_side_n_visible (widget);
  int cell;

  if (n <= 1)
    return FALSE;
  if (width < self->row_min_width)
    return FALSE;
  cell = side_by_side_cell (self, width, n);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      if (min > cell || (self->fit_natural && nat > cell))
        return FALSE;
    }
  return TRUE;
}

static void
tf_side_by_side_layout_measure (GtkLayoutManager *manager, GtkWidget *widget,
                                GtkOrientation orientation, int for_size, int *minimum,
                                int *natural, int *minimum_baseline, int *natural_baseline)
{
  TfSideBySideLayout *self = TF_SIDE_BY_SIDE_LAYOUT (manager);
  guint n = side_by_side_n_visible (widget);
  gboolean row = FALSE;
  int cell = for_size;

  *minimum = *natural = 0;
  if (orientation == GTK_ORIENTATION_VERTICAL && for_size >= 0)
    {
      row = side_by_side_is_row (self, widget, for_size);
      if (row)
        cell = side_by_side_cell (self, for_size, n);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      if (orientation == GTK_ORIENTATION_HORIZONTAL)
        {
          /* As narrow as the widest child (stacked), as wide as all in a row. */
          gtk_widget_measure (child, orientation, -1, &min, &nat, NULL, NULL);
          *minimum = MAX (*minimum, min);
          *natural += nat;
        }
      else
        {
          gtk_widget_measure (child, orientation, cell, &min, &nat, NULL, NULL);
          if (row)
            {
              *minimum = MAX (*minimum, min);
              *natural = MAX (*natural, nat);
            }
          else
            {
              *minimum += min;
              *natural += nat;
            }
        }
    }
  if (n > 1 && (orientation == GTK_ORIENTATION_HORIZONTAL || !row))
    {
      *natural += self->spacing * ((int) n - 1);
      if (orientation == GTK_ORIENTATION_VERTICAL)
        *minimum += self->spacing * ((int) n - 1);
    }
  *natural = MAX (*natural, *minimum);
}

static void
tf_side_by_side_layout_allocate (GtkLayoutManager *manager, GtkWidget *widget, int width,
                                 int height, int baseline)
{
  TfSideBySideLayout *self = TF_SIDE_BY_SIDE_LAYOUT (manager);
  guint n = side_by_side_n_visible (widget);
  gboolean row = side_by_side_is_row (self, widget, width);
  int cell = side_by_side_cell (self, width, n);
  int total_natural = 0;
  int x = 0, y = 0;
  guint i = 0;

  if (!row)
    {
      for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          int nat = 0;

          if (gtk_widget_should_layout (child))
            {
              gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, NULL, &nat, NULL, NULL);
              total_natural += nat;
            }
        }
      total_natural += n > 1 ? self->spacing * ((int) n - 1) : 0;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      if (row)
        {
          /* The last cell takes what rounding left over. */
          int w = ++i == n ? width - x : cell;

          gtk_widget_size_allocate (child, &(GtkAllocation) { x, 0, w, height }, -1);
          x += w + self->spacing;
        }
      else
        {
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
          /* Natural heights when they fit, else the minimum ones. */
          if (total_natural > height)
            nat = min;
          gtk_widget_size_allocate (child, &(GtkAllocation) { 0, y, width, nat }, -1);
          y += nat + self->spacing;
        }
    }
}

static GtkSizeRequestMode
tf_side_by_side_layout_get_request_mode (GtkLayoutManager *manager, GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tf_side_by_side_layout_get_property (GObject *object, guint prop_id, GValue *value,
                                     GParamSpec *pspec)
{
  TfSideBySideLayout *self = TF_SIDE_BY_SIDE_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      g_value_set_int (value, self->spacing);
      break;
    case PROP_ROW_MIN_WIDTH:
      g_value_set_int (value, self->row_min_width);
      break;
    case PROP_FIT_NATURAL:
      g_value_set_boolean (value, self->fit_natural);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_side_by_side_layout_set_property (GObject *object, guint prop_id, const GValue *value,
                                     GParamSpec *pspec)
{
  TfSideBySideLayout *self = TF_SIDE_BY_SIDE_LAYOUT (object);

  switch (prop_id)
    {
    case PROP_SPACING:
      self->spacing = g_value_get_int (value);
      break;
    case PROP_ROW_MIN_WIDTH:
      self->row_min_width = g_value_get_int (value);
      break;
    case PROP_FIT_NATURAL:
      self->fit_natural = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  gtk_layout_manager_layout_changed (GTK_LAYOUT_MANAGER (self));
}

static void
tf_side_by_side_layout_class_init (TfSideBySideLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkLayoutManagerClass *layout_class = GTK_LAYOUT_MANAGER_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tf_side_by_side_layout_get_property;
  object_class->set_property = tf_side_by_side_layout_set_property;
  layout_class->measure = tf_side_by_side_layout_measure;
  layout_class->allocate = tf_side_by_side_layout_allocate;
  layout_class->get_request_mode = tf_side_by_side_layout_get_request_mode;

  /* Pixels between the cells, in a row and in a column. */
  properties[PROP_SPACING] = g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0, flags);
  /* Narrower than this, the children stand in a column whatever fits. */
  properties[PROP_ROW_MIN_WIDTH] = g_param_spec_int ("row-min-width", NULL, NULL, 0, G_MAXINT,
                                                     0, flags);
  /* A row only when every child gets its natural width, not just its minimum. */
  properties[PROP_FIT_NATURAL] = g_param_spec_boolean ("fit-natural", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tf_side_by_side_layout_init (TfSideBySideLayout *self)
{
}

GtkLayoutManager *
tf_side_by_side_layout_new (int spacing, int row_min_width, gboolean fit_natural)
{
  return g_object_new (TF_TYPE_SIDE_BY_SIDE_LAYOUT, "spacing", spacing, "row-min-width",
                       row_min_width, "fit-natural", fit_natural, NULL);
}
