/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-row.c: an appointment of the Schedule page
 * (tf-schedule-row.h); the widgets are the template tf-schedule-row.ui.
 * The page says what the appointment allows (tf-schedule-page.c knows the
 * rules); the row shows those choices and points them at the appointment.
 */
#define G_LOG_DOMAIN "tf-schedule-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-booking.h"
#include "tf-schedule-row.h"

struct _TfScheduleRow
{
  AdwActionRow parent_instance;

  /* template (tf-schedule-row.ui) */
  GtkWidget   *confirm;
  GtkWidget   *complete;
  GtkWidget   *more;
};

G_DEFINE_FINAL_TYPE (TfScheduleRow, tf_schedule_row, ADW_TYPE_ACTION_ROW)

static void
tf_schedule_row_class_init (TfScheduleRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-schedule-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfScheduleRow, confirm);
  gtk_widget_class_bind_template_child (widget_class, TfScheduleRow, complete);
  gtk_widget_class_bind_template_child (widget_class, TfScheduleRow, more);
}

static void
tf_schedule_row_init (TfScheduleRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TfScheduleRowOffers
tf_schedule_row_offers_for (JsonObject *appointment)
{
  const char *status = tf_json_get_string (appointment, "status");
  const char *at = tf_json_get_string (appointment, "appointment_datetime");
  TfScheduleRowOffers offers = 0;

  g_return_val_if_fail (appointment != NULL, 0);

  if (g_strcmp0 (status, "pending") == 0)
    offers |= TF_SCHEDULE_ROW_CONFIRM;
  else if (g_strcmp0 (status, "confirmed") == 0 && tf_booking_has_started (at))
    offers |= TF_SCHEDULE_ROW_COMPLETE | TF_SCHEDULE_ROW_NO_SHOW;
  if (tf_booking_may_become (status, "cancelled"))
    offers |= TF_SCHEDULE_ROW_CANCEL;
  if (tf_booking_may_become (status, "cancelled") && !tf_booking_has_started (at))
    offers |= TF_SCHEDULE_ROW_MOVE;
  /* Late: the client's cancellation, or none, once the time has passed. */
  if (tf_booking_has_started (at) && !tf_booking_is_late_cancellation (appointment) &&
      (g_strcmp0 (status, "confirmed") == 0 || g_strcmp0 (status, "pending") == 0 ||
       (g_strcmp0 (status, "cancelled") == 0 &&
        g_strcmp0 (tf_json_get_string (appointment, "cancelled_by"),
                   tf_json_get_string (appointment, "therapist_id")) != 0)))
    offers |= TF_SCHEDULE_ROW_LATE;
  return offers;
}

static void
add_menu_item (GMenu *menu, const char *label, const char *action, const char *id)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (id));
  g_menu_append_item (menu, item);
}

/* Shows @button, for @action on appointment @id.  (A button not offered has
 * no action: one without its target would not match the action's.) */
static void
offer_button (GtkWidget *button, const char *action, const char *id)
{
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_visible (button, TRUE);
}

GtkWidget *
tf_schedule_row_new (const char *id, const char *title, const char *subtitle,
                     TfScheduleRowOffers offers)
{
  g_autofree char *name = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  TfScheduleRow *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);

  name = g_strdup_printf ("appointment-%s", id);
  self = g_object_new (TF_TYPE_SCHEDULE_ROW, "name", name, "title", title, "subtitle", subtitle,
                       NULL);
  if (offers & TF_SCHEDULE_ROW_CONFIRM)
    offer_button (self->confirm, "schedule.confirm", id);
  if (offers & TF_SCHEDULE_ROW_COMPLETE)
    offer_button (self->complete, "schedule.complete", id);
  if (!(offers & (TF_SCHEDULE_ROW_CONFIRM | TF_SCHEDULE_ROW_COMPLETE)))
    gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
  if (offers & TF_SCHEDULE_ROW_MOVE)
    add_menu_item (menu, _("Move…"), "appointment.move", id);
  if (offers & TF_SCHEDULE_ROW_NO_SHOW)
    add_menu_item (menu, _("Mark as No-Show"), "schedule.no-show", id);
  if (offers & TF_SCHEDULE_ROW_LATE)
    add_menu_item (menu, _("Mark as Late Cancellation"), "schedule.late-cancel", id);
  if (offers & TF_SCHEDULE_ROW_CANCEL)
    add_menu_item (menu, _("Cancel Appointment…"), "schedule.cancel", id);
  if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0)
    {
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->more), G_MENU_MODEL (menu));
      gtk_widget_set_visible (self->more, TRUE);
    }
  return GTK_WIDGET (self);
}
