/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-section.c: a form of the history form (template
 * tf-history-section.ui).  Its words come from the history form's table of
 * forms (tf-history-form.c), which also reads and saves the fields.
 */
#define G_LOG_DOMAIN "tf-history-form"

#include "config.h"

#include "tf-history-section.h"

struct _TfHistorySection
{
  AdwPreferencesPage    parent_instance;

  AdwPreferencesGroup  *group;
};

G_DEFINE_FINAL_TYPE (TfHistorySection, tf_history_section, ADW_TYPE_PREFERENCES_PAGE)

static void
tf_history_section_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_HISTORY_SECTION);
  G_OBJECT_CLASS (tf_history_section_parent_class)->dispose (object);
}

static void
tf_history_section_class_init (TfHistorySectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_history_section_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-history-section.ui");
  gtk_widget_class_bind_template_child (widget_class, TfHistorySection, group);
}

static void
tf_history_section_init (TfHistorySection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_history_section_new (const char *title, const char *description)
{
  TfHistorySection *self = g_object_new (TF_TYPE_HISTORY_SECTION, NULL);

  adw_preferences_group_set_title (self->group, title);
  adw_preferences_group_set_description (self->group, description);
  return GTK_WIDGET (self);
}

void
tf_history_section_add_field (TfHistorySection *self, GtkWidget *field)
{
  g_return_if_fail (TF_IS_HISTORY_SECTION (self));
  g_return_if_fail (GTK_IS_WIDGET (field));

  adw_preferences_group_add (self->group, field);
}
