/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-span.c: a window of a weekday (template
 * tf-availability-span.ui).  The row holds only what is typed: whether it
 * reads as a time, and whether the windows of a day overlap, is the
 * editor's to say (tf-availability-editor.c), which marks the wrong entry
 * here.
 */
#define G_LOG_DOMAIN "tf-availability"

#include "config.h"

#include "tf-availability-span.h"

struct _TfAvailabilitySpan
{
  AdwActionRow  parent_instance;

  GtkEditable  *start;
  GtkEditable  *end;
  GtkWidget    *remove;
};

G_DEFINE_FINAL_TYPE (TfAvailabilitySpan, tf_availability_span, ADW_TYPE_ACTION_ROW)

enum { CHANGED, REMOVE, N_SIGNALS };
static guint signals[N_SIGNALS];

enum { PROP_0, PROP_START, PROP_END, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
on_start_changed_cb (TfAvailabilitySpan *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_START]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_end_changed_cb (TfAvailabilitySpan *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_remove_clicked_cb (TfAvailabilitySpan *self)
{
  g_signal_emit (self, signals[REMOVE], 0);
}

static void
tf_availability_span_get_property (GObject *object, guint prop_id, GValue *value,
                                   GParamSpec *pspec)
{
  TfAvailabilitySpan *self = TF_AVAILABILITY_SPAN (object);

  switch (prop_id)
    {
    case PROP_START:
      g_value_set_string (value, gtk_editable_get_text (self->start));
      break;
    case PROP_END:
      g_value_set_string (value, gtk_editable_get_text (self->end));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_availability_span_set_property (GObject *object, guint prop_id, const GValue *value,
                                   GParamSpec *pspec)
{
  TfAvailabilitySpan *self = TF_AVAILABILITY_SPAN (object);
  const char *text = g_value_get_string (value);

  switch (prop_id)
    {
    case PROP_START:
      gtk_editable_set_text (self->start, text != NULL ? text : "");
      break;
    case PROP_END:
      gtk_editable_set_text (self->end, text != NULL ? text : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_availability_span_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_AVAILABILITY_SPAN);
  G_OBJECT_CLASS (tf_availability_span_parent_class)->dispose (object);
}

static void
tf_availability_span_class_init (TfAvailabilitySpanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tf_availability_span_get_property;
  object_class->set_property = tf_availability_span_set_property;
  object_class->dispose = tf_availability_span_dispose;

  /* The start and the end as typed, "HH:MM" when they read as a time. */
  properties[PROP_START] =
    g_param_spec_string ("start", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_END] =
    g_param_spec_string ("end", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-availability-span.ui");
  gtk_widget_class_bind_template_child (widget_class, TfAvailabilitySpan, start);
  gtk_widget_class_bind_template_child (widget_class, TfAvailabilitySpan, end);
  gtk_widget_class_bind_template_child (widget_class, TfAvailabilitySpan, remove);
  gtk_widget_class_bind_template_callback (widget_class, on_start_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_end_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_remove_clicked_cb);
}

static void
tf_availability_span_init (TfAvailabilitySpan *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_availability_span_new (const char *start, const char *end)
{
  return g_object_new (TF_TYPE_AVAILABILITY_SPAN, "start", start, "end", end, NULL);
}

const char *
tf_availability_span_get_start (TfAvailabilitySpan *self)
{
  g_return_val_if_fail (TF_IS_AVAILABILITY_SPAN (self), NULL);

  return gtk_editable_get_text (self->start);
}

const char *
tf_availability_span_get_end (TfAvailabilitySpan *self)
{
  g_return_val_if_fail (TF_IS_AVAILABILITY_SPAN (self), NULL);

  return gtk_editable_get_text (self->end);
}

void
tf_availability_span_set_names (TfAvailabilitySpan *self, const char *suffix)
{
  g_autofree char *start = NULL, *end = NULL, *remove = NULL;

  g_return_if_fail (TF_IS_AVAILABILITY_SPAN (self));
  g_return_if_fail (suffix != NULL);

  start = g_strconcat ("availability-start-", suffix, NULL);
  end = g_strconcat ("availability-end-", suffix, NULL);
  remove = g_strconcat ("availability-remove-", suffix, NULL);
  gtk_widget_set_name (GTK_WIDGET (self->start), start);
  gtk_widget_set_name (GTK_WIDGET (self->end), end);
  gtk_widget_set_name (self->remove, remove);
}

void
tf_availability_span_mark (TfAvailabilitySpan *self, gboolean start, gboolean end)
{
  g_return_if_fail (TF_IS_AVAILABILITY_SPAN (self));

  if (start)
    gtk_widget_add_css_class (GTK_WIDGET (self->start), "error");
  if (end)
    gtk_widget_add_css_class (GTK_WIDGET (self->end), "error");
  if (!start && !end)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->start), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->end), "error");
    }
}
