/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointments-booking.c: booking an appointment, the second page of
 * "My appointments" (tf-appointments-page.c has the list and cancelling).
 *
 * Booking is with a therapist of the client's active care relationships;
 * the rules (which slots are free, what a service costs) are
 * client/core/tf-booking's, shared with the CLI.  A therapist works in
 * their own zone (the slots are computed there), so the free times of a day
 * picked here are those of the therapist's days around it that fall on it
 * in this computer's zone.
 *
 * Linking with a therapist needs the server (their keys come from its
 * directory): the session does it (tf_session_link_therapist_async), and a
 * profile on this computer only is told plainly that it must be connected
 * to a server first.  Nothing typed is lost on a
 * failure: the note and the e-mail address stay.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-appointment-info.h"
#include "tf-appointments-page-private.h"
#include "tf-booking.h"
#include "tf-form.h"
#include "tf-session-link.h"
#include "tf-slot-button.h"
#include "tf-time.h"

/* --- linking with a therapist --------------------------------------------- */

static void
show_link_error (TfAppointmentsPage *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->link_error), message);
  gtk_widget_set_visible (self->link_error, TRUE);
  tf_form_fail (self, "%s", message);
}

static void
set_linking (TfAppointmentsPage *self, gboolean linking)
{
  gtk_widget_set_sensitive (self->link_button, !linking);
  gtk_widget_set_sensitive (self->link_email, !linking);
  gtk_widget_set_visible (self->link_spinner, linking);
  gtk_spinner_set_spinning (GTK_SPINNER (self->link_spinner), linking);
}

static void
on_linked_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAppointmentsPage) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = NULL, *email = NULL, *done = NULL;

  fingerprint = tf_session_link_therapist_finish (TF_SESSION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    return;
  set_linking (self, FALSE);
  if (fingerprint == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT))
        message = g_strdup (_("This device is signed out of the server. Sign in again, then "
                              "link with your therapist."));
      else if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE))
        message = g_strdup_printf (_("The server could not be reached, so your therapist "
                                     "could not be found: %s. Linking needs a connection; "
                                     "try again when you are online."), error->message);
      else
        message = g_strdup (error->message);
      show_link_error (self, message);
      return;
    }
  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->link_email))));
  gtk_widget_set_visible (self->link_error, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->link_email), "");
  /* The keys just pinned: the client compares them out of band. */
  done = g_strdup_printf (_("Asked %s for care: nothing is shared until they accept. Their "
                            "keys’ fingerprint is %s: compare it with the one their app shows "
                            "before you share anything."),
                          email, fingerprint);
  tf_appointments_page_emit_saved (self, done);
}

/* The session looks the therapist up and links (tf-session-link.c); the
 * page only says how it went.  The e-mail address stays until it worked
 * (the field is insensitive meanwhile). */
static void
on_link_clicked_cb (TfAppointmentsPage *self)
{
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                   self->link_email))));

  if (strchr (email, '@') == NULL)
    {
      show_link_error (self, _("Enter the e-mail address your therapist uses in Therapy Field"));
      return;
    }
  if (tf_session_get_sync_state (self->session) == TF_SYNC_STATE_LOCAL_ONLY)
    {
      show_link_error (self, _("This profile is on this computer only. Linking with your "
                               "therapist needs your practice’s server: connect this profile "
                               "to it from Preferences, then link here."));
      return;
    }
  gtk_widget_set_visible (self->link_error, FALSE);
  set_linking (self, TRUE);
  tf_session_link_therapist_async (self->session, email,
                                   gtk_switch_get_active (GTK_SWITCH (self->link_share_mood)),
                                   gtk_switch_get_active (GTK_SWITCH (self->link_share_goals)),
                                   self->cancellable, on_linked_cb, g_object_ref (self));
}

/* --- booking -------------------------------------------------------------- */

static const char *
chosen_therapist (TfAppointmentsPage *self)
{
  guint position = adw_combo_row_get_selected (ADW_COMBO_ROW (self->therapist_row));

  if (self->therapist_ids == NULL || position >= g_strv_length (self->therapist_ids))
    return NULL;
  return self->therapist_ids[position];
}

static const char *
chosen_service (TfAppointmentsPage *self)
{
  guint position = adw_combo_row_get_selected (ADW_COMBO_ROW (self->service_row));
  TfOffer *offer;

  if (position == 0 || position == GTK_INVALID_LIST_POSITION || position > self->offers->len)
    return NULL;
  offer = g_ptr_array_index (self->offers, position - 1);
  return tf_json_get_string (offer->service, "id");
}

/* The therapist's services on offer, after "No particular service". */
static void
fill_services (TfAppointmentsPage *self)
{
  g_autofree char *was = g_strdup (chosen_service (self));
  const char *therapist = chosen_therapist (self);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  guint select = 0;

  g_ptr_array_set_size (self->offers, 0);
  g_ptr_array_add (names, g_strdup (_("No particular service")));
  all = therapist != NULL ? tf_booking_list_offers (tf_session_get_vault (self->session), therapist, &error) : NULL;
  if (all == NULL && error != NULL)
    tf_form_fail (self, _("The services could not be read: %s"), error->message);
  while (all != NULL && all->len > 0)
    {
      TfOffer *offer = g_ptr_array_steal_index (all, 0);
      g_autofree char *price = NULL;

      if (!tf_offer_is_offered (offer))
        {
          tf_offer_free (offer);
          continue;
        }
      price = tf_booking_format_price (tf_json_get_string (offer->offer, "price"));
      g_ptr_array_add (names, g_strdup_printf (_("%s · %s · %d min"),
                                               tf_booking_service_name (offer->service), price,
                                               (int) json_object_get_int_member_with_default (
                                                 offer->offer, "duration",
                                                 TF_BOOKING_DEFAULT_DURATION)));
      g_ptr_array_add (self->offers, offer);
      if (g_strcmp0 (tf_json_get_string (offer->service, "id"), was) == 0)
        select = self->offers->len;
    }
  g_ptr_array_add (names, NULL);
  self->filling = TRUE;
  gtk_string_list_splice (self->service_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->service_names)),
                          (const char * const *) names->pdata);
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->service_row), select);
  self->filling = FALSE;
}

void
tf_appointments_page_fill_therapists (TfAppointmentsPage *self)
{
  g_autofree char *was = g_strdup (chosen_therapist (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) ids = tf_booking_list_therapists (tf_session_get_vault (self->session), &error);
  guint select = 0;

  if (ids == NULL)
    {
      tf_form_fail (self, _("Your therapists could not be read: %s"), error->message);
      ids = g_new0 (char *, 1);
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_ptr_array_add (names, tf_appointments_page_dup_therapist_name (tf_session_get_vault (self->session), ids[i]));
      if (g_strcmp0 (ids[i], was) == 0)
        select = i;
    }
  g_ptr_array_add (names, NULL);
  g_strfreev (self->therapist_ids);
  self->therapist_ids = g_steal_pointer (&ids);
  self->filling = TRUE;
  gtk_string_list_splice (self->therapist_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->therapist_names)),
                          (const char * const *) names->pdata);
  if (names->len > 1)
    adw_combo_row_set_selected (ADW_COMBO_ROW (self->therapist_row), select);
  self->filling = FALSE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->book_stack),
                                    self->therapist_ids[0] != NULL ? "form" : "link");
  fill_services (self);
  tf_appointments_page_show_slots (self);
}

static void
set_chosen (TfAppointmentsPage *self, const char *start)
{
  g_free (self->chosen);
  self->chosen = g_strdup (start);
  gtk_widget_set_sensitive (self->book_button, self->chosen != NULL);
}

static void
on_slot_toggled_cb (TfSlotButton *button, TfAppointmentsPage *self)
{
  const char *start = tf_slot_button_get_start (button);

  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button)))
    set_chosen (self, start);
  else if (g_strcmp0 (self->chosen, start) == 0)
    set_chosen (self, NULL);
}

/* The local date picked in the calendar. */
static void
picked_day (TfAppointmentsPage *self, int *year, int *month, int *day)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (GTK_CALENDAR (self->calendar));

  g_date_time_get_ymd (picked, year, month, day);
}

static GtkWidget *
create_slot_button (gpointer item, gpointer data)
{
  TfAppointmentsPage *self = data;
  g_autoptr(GDateTime) start = tf_time_parse_timestamp (tf_item_get_string (item, "start"),
                                                        NULL);
  GtkFlowBoxChild *first = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->slots), 0);
  GtkWidget *button = tf_slot_button_new (start);

  /* One chosen at a time: each joins the group of the others. */
  if (first != NULL)
    gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button),
                                 GTK_TOGGLE_BUTTON (gtk_flow_box_child_get_child (first)));
  if (g_strcmp0 (tf_slot_button_get_start (TF_SLOT_BUTTON (button)), self->chosen) == 0)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_signal_connect (button, "toggled", G_CALLBACK (on_slot_toggled_cb), self);
  return button;
}

/* Why no time shows, if none does; a chosen time that is gone (booked
 * meanwhile, the day blocked) is chosen no longer. */
static void
on_slots_changed_cb (TfAppointmentsPage *self)
{
  const GError *error = tf_repository_get_error (self->slot_list);
  GListModel *slots = G_LIST_MODEL (self->slot_list);
  gboolean chosen_there = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (slots) && self->chosen != NULL; i++)
    {
      g_autoptr(TfItem) slot = g_list_model_get_item (slots, i);

      chosen_there |= g_strcmp0 (tf_item_get_string (slot, "start"), self->chosen) == 0;
    }
  if (!chosen_there)
    set_chosen (self, NULL);
  if (error != NULL)
    gtk_label_set_text (GTK_LABEL (self->slots_message), error->message);
  else
    gtk_label_set_text (GTK_LABEL (self->slots_message), _("No free times that day"));
  gtk_widget_set_visible (self->slots_message,
                          error != NULL || g_list_model_get_n_items (slots) == 0);
}

void
tf_appointments_page_show_slots (TfAppointmentsPage *self)
{
  const char *therapist = chosen_therapist (self);
  const char *service = chosen_service (self);
  g_autoptr(GDateTime) first = NULL;
  g_autofree char *heading = NULL, *day_name = NULL, *slots_for = NULL;
  int year, month, day;

  picked_day (self, &year, &month, &day);
  first = g_date_time_new_local (year, month, day, 0, 0, 0);
  day_name = g_date_time_format (first, "%A %-d %B");
  heading = g_strdup_printf (_("Free Times on %s"), day_name);
  gtk_label_set_text (GTK_LABEL (self->slots_heading), heading);
  /* The same choices: the bound list follows the store already. */
  slots_for = g_strdup_printf ("%s %s %d-%d-%d", therapist ? therapist : "-",
                               service ? service : "-", year, month, day);
  if (g_strcmp0 (slots_for, self->slots_for) == 0)
    return;
  g_free (self->slots_for);
  self->slots_for = g_steal_pointer (&slots_for);
  g_clear_object (&self->slot_list);
  if (therapist == NULL)
    {
      gtk_flow_box_bind_model (GTK_FLOW_BOX (self->slots), NULL, NULL, NULL, NULL);
      set_chosen (self, NULL);
      gtk_widget_set_visible (self->slots_message, FALSE);
      return;
    }
  self->slot_list = tf_session_dup_free_slots (self->session, therapist, service, year, month,
                                               day);
  gtk_flow_box_bind_model (GTK_FLOW_BOX (self->slots), G_LIST_MODEL (self->slot_list),
                           create_slot_button, self, NULL);
  g_signal_connect_object (self->slot_list, "items-changed", G_CALLBACK (on_slots_changed_cb),
                           self, G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->slot_list, "notify::error", G_CALLBACK (on_slots_changed_cb),
                           self, G_CONNECT_SWAPPED);
  on_slots_changed_cb (self);
}

static void
on_choice_changed_cb (TfAppointmentsPage *self)
{
  if (self->filling)
    return;
  tf_appointments_page_show_slots (self);
}

static void
on_therapist_changed_cb (TfAppointmentsPage *self)
{
  if (self->filling)
    return;
  fill_services (self);
  tf_appointments_page_show_slots (self);
}

static void
on_book_clicked_cb (TfAppointmentsPage *self)
{
  const char *therapist = chosen_therapist (self);
  g_autofree char *note = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                  self->note))));
  g_autoptr(GDateTime) start = NULL, local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *when = NULL, *done = NULL;

  start = self->chosen != NULL ? tf_time_parse_timestamp (self->chosen, NULL) : NULL;
  if (therapist == NULL || start == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->book_error), _("Choose one of the free times first"));
      gtk_widget_set_visible (self->book_error, TRUE);
      tf_form_fail (self, "%s", _("Choose one of the free times first"));
      return;
    }
  id = tf_booking_book (tf_session_get_vault (self->session), therapist, start, chosen_service (self), note, &error);
  if (id == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The appointment was not booked: %s"),
                                                  error->message);

      gtk_label_set_text (GTK_LABEL (self->book_error), message);
      gtk_widget_set_visible (self->book_error, TRUE);
      /* What was typed stays; a time taken meanwhile leaves the free
       * times by itself (the list follows the store). */
      tf_form_fail (self, "%s", message);
      return;
    }
  local = g_date_time_to_local (start);
  when = tf_appointment_format_when (local);
  done = g_strdup_printf (_("Appointment booked: %s"), when);
  gtk_widget_set_visible (self->book_error, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->note), "");
  tf_session_sync (self->session);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  tf_appointments_page_emit_saved (self, done);
}
/* --- the template --------------------------------------------------------- */

void
tf_appointments_page_class_bind_booking (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_link_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_therapist_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_choice_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_book_clicked_cb);
}
