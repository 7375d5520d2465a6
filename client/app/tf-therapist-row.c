/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-therapist-row.c: one of the client's therapists
 * (tf-therapist-row.h); the widgets are the template tf-therapist-row.ui.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-therapist-row.h"

struct _TfTherapistRow
{
  AdwActionRow parent_instance;

  /* template (tf-therapist-row.ui) */
  GtkWidget   *verify;
  GtkWidget   *menu;    /* End Care… (appointments.end-care) */
};

G_DEFINE_FINAL_TYPE (TfTherapistRow, tf_therapist_row, ADW_TYPE_ACTION_ROW)

static void
tf_therapist_row_class_init (TfTherapistRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-therapist-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfTherapistRow, verify);
  gtk_widget_class_bind_template_child (widget_class, TfTherapistRow, menu);
}

static void
tf_therapist_row_init (TfTherapistRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_therapist_row_new (const char *therapist_id, const char *name, const char *state)
{
  TfTherapistRow *self;

  g_return_val_if_fail (therapist_id != NULL, NULL);

  self = g_object_new (TF_TYPE_THERAPIST_ROW, "title", name, "subtitle", state, NULL);
  /* The target first: the action takes a string. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->verify), "s", therapist_id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->verify), "appointments.verify-keys");
  {
    g_autoptr(GMenu) menu = g_menu_new ();
    g_autoptr(GMenuItem) item = g_menu_item_new (_("_End Care…"), NULL);

    g_menu_item_set_action_and_target_value (item, "appointments.end-care",
                                             g_variant_new_string (therapist_id));
    g_menu_append_item (menu, item);
    gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->menu), G_MENU_MODEL (menu));
  }
  return GTK_WIDGET (self);
}
