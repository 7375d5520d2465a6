/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-side-by-side.c: a container whose children stand in a row when they
 * fit, else in a column (tf-side-by-side.h).  The deciding and placing is
 * its layout manager's, TfSideBySideLayout; this widget only holds the
 * children, hands its properties to the layout and unparents the children
 * in dispose.  It has no template: it has no children of its own, only
 * those its user's template or code gives it.
 */
#define G_LOG_DOMAIN "tf-side-by-side"

#include "config.h"

#include "tf-form.h"
#include "tf-side-by-side-layout.h"
#include "tf-side-by-side.h"

struct _TfSideBySide
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TfSideBySide, tf_side_by_side, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_SPACING, PROP_ROW_MIN_WIDTH, PROP_FIT_NATURAL, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
tf_side_by_side_dispose (GObject *object)
{
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_side_by_side_parent_class)->dispose (object);
}

/* The properties are the layout's, under the same names. */
static void
tf_side_by_side_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_object_get_property (G_OBJECT (gtk_widget_get_layout_manager (GTK_WIDGET (object))),
                         pspec->name, value);
}

static void
tf_side_by_side_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  g_object_set_property (G_OBJECT (gtk_widget_get_layout_manager (GTK_WIDGET (object))),
                         pspec->name, value);
}

static void
tf_side_by_side_class_init (TfSideBySideClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tf_side_by_side_dispose;
  object_class->get_property = tf_side_by_side_get_property;
  object_class->set_property = tf_side_by_side_set_property;
  gtk_widget_class_set_layout_manager_type (widget_class, TF_TYPE_SIDE_BY_SIDE_LAYOUT);

  /* As TfSideBySideLayout's. */
  properties[PROP_SPACING] = g_param_spec_int ("spacing", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_ROW_MIN_WIDTH] = g_param_spec_int ("row-min-width", NULL, NULL, 0, G_MAXINT,
                                                     0, flags);
  properties[PROP_FIT_NATURAL] = g_param_spec_boolean ("fit-natural", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tf_side_by_side_init (TfSideBySide *self)
{
}

GtkWidget *
tf_side_by_side_new (int spacing, int row_min_width, gboolean fit_natural)
{
  return g_object_new (TF_TYPE_SIDE_BY_SIDE, "spacing", spacing, "row-min-width", row_min_width,
                       "fit-natural", fit_natural, NULL);
}

void
tf_side_by_side_append (GtkWidget *box, GtkWidget *child)
{
  g_return_if_fail (TF_IS_SIDE_BY_SIDE (box));
  g_return_if_fail (GTK_IS_WIDGET (child));

  gtk_widget_set_parent (child, box);
}
