/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-side-by-side.c: a container whose children stand in a row when they
 * fit, else in a column (tf-side-by-side.h).  The deciding and placing is
 * its layout manager's, TfSideBySideLayout, which its template
 * (tf-side-by-side.ui) sets; this widget only holds the children, stands
 * for the layout's properties and unparents the children in dispose.  It
 * has no children of its own, only those its user's template or code
 * gives it.
 */
#define G_LOG_DOMAIN "tf-side-by-side"

#include "config.h"

#include "tf-form.h"
#include "tf-side-by-side-layout.h"
#include "tf-side-by-side.h"

struct _TfSideBySide
{
  GtkWidget         parent_instance;

  /* template (tf-side-by-side.ui): the widget's layout manager */
  GtkLayoutManager *layout;
};

G_DEFINE_FINAL_TYPE (TfSideBySide, tf_side_by_side, GTK_TYPE_WIDGET)

static void
tf_side_by_side_dispose (GObject *object)
{
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_side_by_side_parent_class)->dispose (object);
}

/* Each property is the layout's own (an override of its GParamSpec, see
 * class_init), so @pspec is the layout's and names it there. */
static void
tf_side_by_side_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  g_object_get_property (G_OBJECT (TF_SIDE_BY_SIDE (object)->layout), pspec->name, value);
}

static void
tf_side_by_side_set_property (GObject *object, guint prop_id, const GValue *value,
                              GParamSpec *pspec)
{
  g_object_set_property (G_OBJECT (TF_SIDE_BY_SIDE (object)->layout), pspec->name, value);
}

static void
tf_side_by_side_class_init (TfSideBySideClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  /* Kept for the program's life: the overrides below point into it. */
  GObjectClass *layout_class = g_type_class_ref (TF_TYPE_SIDE_BY_SIDE_LAYOUT);
  static const char *const forwarded[] = { "spacing", "row-min-width", "fit-natural" };

  object_class->dispose = tf_side_by_side_dispose;
  object_class->get_property = tf_side_by_side_get_property;
  object_class->set_property = tf_side_by_side_set_property;

  /* The layout's properties, declared there once: the same names, types,
   * ranges and defaults here, so a template sets them on this widget. */
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    {
      GParamSpec *pspec = g_object_class_find_property (layout_class, forwarded[i]);

      g_object_class_install_property (object_class, i + 1,
                                       g_param_spec_override (pspec->name, pspec));
    }
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-side-by-side.ui");
  gtk_widget_class_bind_template_child (widget_class, TfSideBySide, layout);
}

static void
tf_side_by_side_init (TfSideBySide *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
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
