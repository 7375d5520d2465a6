/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-mood-range.c: the mood chart's range (tf-mood-range.h); the toggles
 * are the template tf-mood-range.ui.  The history page and a client's
 * detail each hold one in their template and follow notify::days.
 */
#define G_LOG_DOMAIN "tf-mood-chart"

#include "config.h"

#include "tf-mood-range.h"

#define N_RANGES 3

struct _TfMoodRange
{
  GtkBox     parent_instance;
  guint      days;

  /* template (tf-mood-range.ui), in the order of range_days */
  GtkWidget *toggles[N_RANGES];
};

G_DEFINE_FINAL_TYPE (TfMoodRange, tf_mood_range, GTK_TYPE_BOX)

enum { PROP_0, PROP_DAYS, PROP_NAME_PREFIX, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const guint range_days[N_RANGES] = { 30, 90, 365 };

static void
on_toggled_cb (TfMoodRange *self)
{
  for (guint i = 0; i < N_RANGES; i++)
    if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->toggles[i])))
      tf_mood_range_set_days (self, range_days[i]);
}

static void
set_name_prefix (TfMoodRange *self, const char *prefix)
{
  for (guint i = 0; prefix != NULL && i < N_RANGES; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, range_days[i]);

      gtk_widget_set_name (self->toggles[i], name);
    }
}

static void
tf_mood_range_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TfMoodRange *self = TF_MOOD_RANGE (object);

  switch (prop_id)
    {
    case PROP_DAYS:
      g_value_set_uint (value, self->days);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_mood_range_set_property (GObject *object, guint prop_id, const GValue *value,
                            GParamSpec *pspec)
{
  TfMoodRange *self = TF_MOOD_RANGE (object);

  switch (prop_id)
    {
    case PROP_DAYS:
      tf_mood_range_set_days (self, g_value_get_uint (value));
      break;
    case PROP_NAME_PREFIX:
      set_name_prefix (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_mood_range_class_init (TfMoodRangeClass *klass)
{
  static const char *const ids[N_RANGES] = { "month", "quarter", "year" };
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tf_mood_range_get_property;
  object_class->set_property = tf_mood_range_set_property;
  /* The days chosen: 30, 90 or 365. */
  properties[PROP_DAYS] = g_param_spec_uint ("days", NULL, NULL, 30, 365, 30,
                                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
                                             G_PARAM_EXPLICIT_NOTIFY);
  /* The toggles' names' start: PREFIX-30, PREFIX-90, PREFIX-365. */
  properties[PROP_NAME_PREFIX] = g_param_spec_string ("name-prefix", NULL, NULL, NULL,
                                                      G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-mood-range.ui");
  for (guint i = 0; i < N_RANGES; i++)
    gtk_widget_class_bind_template_child_full (widget_class, ids[i], FALSE,
                                               G_STRUCT_OFFSET (TfMoodRange, toggles) +
                                               i * sizeof (GtkWidget *));
  gtk_widget_class_bind_template_callback (widget_class, on_toggled_cb);
}

static void
tf_mood_range_init (TfMoodRange *self)
{
  self->days = 30;
  gtk_widget_init_template (GTK_WIDGET (self));
}

guint
tf_mood_range_get_days (TfMoodRange *self)
{
  g_return_val_if_fail (TF_IS_MOOD_RANGE (self), 30);
  return self->days;
}

void
tf_mood_range_set_days (TfMoodRange *self, guint days)
{
  g_return_if_fail (TF_IS_MOOD_RANGE (self));

  for (guint i = 0; i < N_RANGES; i++)
    if (range_days[i] == days)
      {
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->toggles[i]), TRUE);
        if (self->days != days)
          {
            self->days = days;
            g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAYS]);
          }
        return;
      }
  g_critical ("%s: %u days is not a range the chart offers", G_STRFUNC, days);
}
