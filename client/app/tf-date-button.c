/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-date-button.c: the calendar button of a date entry (template
 * tf-date-button.ui).  The entry stays the form's: the button only writes
 * the day picked into it, and the form reads and checks the text as when
 * it is typed.
 */
#define G_LOG_DOMAIN "tf-date-button"

#include "config.h"

#include "tf-date-button.h"
#include "tf-form.h"

struct _TfDateButton
{
  GtkWidget      parent_instance;

  GtkMenuButton *button;
  GtkCalendar   *calendar;
  GtkWidget     *entry;   /* weak: the entry row holds the button */
};

G_DEFINE_FINAL_TYPE (TfDateButton, tf_date_button, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_ENTRY, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
on_day_selected_cb (GtkCalendar *calendar, TfDateButton *self)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (picked, "%Y-%m-%d");

  if (self->entry != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_menu_button_popdown (self->button);
}

static void
tf_date_button_set_entry (TfDateButton *self, GtkWidget *entry)
{
  g_return_if_fail (entry == NULL || GTK_IS_EDITABLE (entry));

  if (self->entry == entry)
    return;
  g_clear_weak_pointer (&self->entry);
  g_set_weak_pointer (&self->entry, entry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

static void
tf_date_button_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TfDateButton *self = TF_DATE_BUTTON (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_date_button_set_property (GObject *object, guint prop_id, const GValue *value,
                             GParamSpec *pspec)
{
  TfDateButton *self = TF_DATE_BUTTON (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      tf_date_button_set_entry (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_date_button_dispose (GObject *object)
{
  TfDateButton *self = TF_DATE_BUTTON (object);

  g_clear_weak_pointer (&self->entry);
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_DATE_BUTTON);
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_date_button_parent_class)->dispose (object);
}

static void
tf_date_button_class_init (TfDateButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tf_date_button_get_property;
  object_class->set_property = tf_date_button_set_property;
  object_class->dispose = tf_date_button_dispose;

  /* The editable the day picked is written into. */
  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-date-button.ui");
  gtk_widget_class_bind_template_child (widget_class, TfDateButton, button);
  gtk_widget_class_bind_template_child (widget_class, TfDateButton, calendar);
  gtk_widget_class_bind_template_callback (widget_class, on_day_selected_cb);
}

static void
tf_date_button_init (TfDateButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_date_button_new (GtkWidget *entry)
{
  g_return_val_if_fail (GTK_IS_EDITABLE (entry), NULL);

  return g_object_new (TF_TYPE_DATE_BUTTON, "entry", entry, NULL);
}
