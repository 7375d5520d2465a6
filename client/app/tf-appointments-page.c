/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointments-page.c: "My appointments" for a client — the list, and
 * booking, in a stack.
 *
 * The list follows a live repository of the client's appointments
 * (client_id = me) and is rebuilt whenever it changes or a sync ends (a
 * therapist's name or a cancellation by the therapist may come with it).
 * An appointment is upcoming until it has ended; times are shown in this
 * computer's zone.
 *
 * Booking is with a therapist of the client's active care relationships;
 * the rules (which slots are free, what a service costs, what may be
 * cancelled) are client/core/tf-booking's, shared with the CLI.  A
 * therapist works in their own zone (the slots are computed there), so the
 * free times of a day picked here are those of the therapist's days around
 * it that fall on it in this computer's zone.
 *
 * Linking with a therapist needs the server (their keys come from its
 * directory): the lookup runs in a worker thread, the link is written on
 * the main thread, and a profile on this computer only is told plainly
 * that it must be connected to a server first.  Nothing typed is lost on a
 * failure: the note, the e-mail address and a cancellation's reason stay.
 */
#define G_LOG_DOMAIN "tf-appointments"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-appointment-info.h"
#include "tf-form.h"
#include "tf-appointments-page.h"
#include "tf-booking.h"
#include "tf-time.h"

struct _TfAppointmentsPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *appointments;    /* this client's, live */
  TfRepository  *care;            /* this client's care relationships, live */
  GCancellable  *cancellable;     /* the link's lookup; cancelled in dispose */

  GtkWidget     *stack;           /* "list" or "book" */
  GtkWidget     *upcoming;        /* GtkListBox */
  GtkWidget     *past;            /* GtkListBox */

  GtkWidget     *book_stack;      /* "link" or "form" */
  GtkWidget     *link_status;     /* AdwStatusPage "book-no-therapist" */
  GtkWidget     *link_email;      /* AdwEntryRow */
  GtkWidget     *link_share_mood; /* GtkSwitch */
  GtkWidget     *link_share_goals;
  GtkWidget     *link_button;
  GtkWidget     *link_spinner;
  GtkWidget     *link_error;

  GtkWidget     *therapist_row;   /* AdwComboRow over therapist_names */
  GtkStringList *therapist_names;
  GStrv          therapist_ids;   /* in therapist_row's order */
  GtkWidget     *service_row;     /* AdwComboRow: "no particular service", then offers */
  GtkStringList *service_names;
  GPtrArray     *offers;          /* TfOffer*, offered: service_row's position - 1 */
  GtkWidget     *calendar;
  GtkWidget     *slots_heading;
  GtkWidget     *slots;           /* GtkFlowBox of GtkToggleButton */
  GtkWidget     *slots_message;   /* why there are none */
  GtkWidget     *note;            /* AdwEntryRow */
  GtkWidget     *book_button;
  GtkWidget     *book_error;
  char          *chosen;          /* the chosen slot's start, RFC 3339 UTC, or NULL */
  gboolean       filling;         /* the combo rows are being filled: not a choice */
};

G_DEFINE_FINAL_TYPE (TfAppointmentsPage, tf_appointments_page, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void refresh_slots (TfAppointmentsPage *self);

static const TfTable *
appointments_table (void)
{
  return tf_registry_lookup ("appointments");
}

static TfVault *
get_vault (TfAppointmentsPage *self)
{
  return tf_session_get_vault (self->session);
}

static gboolean
may_cancel (const char *status)
{
  return g_strcmp0 (status, "pending") == 0 || g_strcmp0 (status, "confirmed") == 0;
}

static char *
therapist_name (TfVault *vault, const char *user_id)
{
  char *name = tf_appointment_dup_person_name (vault, user_id);

  return name != NULL ? name : g_strdup (_("Your therapist"));
}

static void
clear_list (GtkWidget *list)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), GTK_WIDGET (row));
}

/* --- the list ------------------------------------------------------------- */

/* The name of an appointment's service, or NULL for none. */
static char *
service_name (TfAppointmentsPage *self, const char *service_id)
{
  g_autoptr(JsonObject) service = NULL;

  if (service_id == NULL)
    return NULL;
  service = tf_vault_get (get_vault (self), tf_registry_lookup ("services"), service_id, NULL);
  return service != NULL ? g_strdup (tf_booking_service_name (service)) : NULL;
}

static GtkWidget *
create_row (TfAppointmentsPage *self, TfDatedAppointment *entry, gboolean upcoming,
            GHashTable *names)
{
  TfItem *item = entry->item;
  const char *id = tf_item_get_id (item);
  const char *status = tf_item_get_string (item, "status");
  const char *therapist = tf_item_get_string (item, "therapist_id");
  const char *reason = tf_item_get_string (item, "cancellation_reason");
  g_autofree char *title = tf_appointment_format_when (entry->when);
  g_autofree char *service = service_name (self, tf_item_get_string (item, "service_id"));
  g_autofree char *row_name = g_strdup_printf ("appointment-%s", id);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  const char *name;

  name = therapist != NULL ? g_hash_table_lookup (names, therapist) : NULL;
  if (name == NULL)
    {
      char *found = therapist_name (get_vault (self), therapist);

      g_hash_table_insert (names, g_strdup (therapist != NULL ? therapist : ""), found);
      name = found;
    }
  g_string_append (subtitle, name);
  if (service != NULL)
    g_string_append_printf (subtitle, " · %s", service);
  g_string_append_c (subtitle, '\n');
  if (g_strcmp0 (status, "cancelled") == 0 && reason != NULL && *reason != '\0')
    g_string_append_printf (subtitle,
                            g_strcmp0 (tf_item_get_string (item, "cancelled_by"),
                                       tf_vault_get_user_id (get_vault (self))) == 0
                              ? _("Cancelled by you: %s")
                              : _("Cancelled by your therapist: %s"),
                            reason);
  else
    g_string_append (subtitle, tf_appointment_status_label_for_client (status));

  gtk_widget_set_name (row, row_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 4);
  /* A cancellation ahead stays legible: the client must notice it. */
  if (!upcoming)
    gtk_widget_add_css_class (row, "dim-label");

  if (upcoming && may_cancel (status))
    {
      GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel…"));
      g_autofree char *cancel_name = g_strdup_printf ("appointment-cancel-%s", id);
      g_autofree char *label = g_strdup_printf (_("Cancel the appointment of %s"), title);

      gtk_widget_set_name (cancel, cancel_name);
      gtk_widget_set_valign (cancel, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (cancel, "flat");
      gtk_widget_set_tooltip_text (cancel, label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      label, -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "appointments.cancel");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (cancel),
                                              g_variant_new_string (id));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);
    }
  return row;
}

static void
rebuild_list (TfAppointmentsPage *self)
{
  g_autoptr(GPtrArray) upcoming = g_ptr_array_new_with_free_func (tf_dated_appointment_free);
  g_autoptr(GPtrArray) past = g_ptr_array_new_with_free_func (tf_dated_appointment_free);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GListModel *model = G_LIST_MODEL (self->appointments);

  clear_list (self->upcoming);
  clear_list (self->past);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);
      TfDatedAppointment *entry = tf_dated_appointment_new (item);
      g_autoptr(GDateTime) end = NULL;

      if (entry == NULL)
        continue;
      end = g_date_time_add_minutes (entry->when, (int) tf_item_get_int (item, "duration", 0));
      g_ptr_array_add (g_date_time_compare (end, now) > 0 ? upcoming : past, entry);
    }
  g_ptr_array_sort (upcoming, tf_dated_appointment_soonest_first);
  g_ptr_array_sort (past, tf_dated_appointment_latest_first);
  for (guint i = 0; i < upcoming->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->upcoming),
                         create_row (self, g_ptr_array_index (upcoming, i), TRUE, names));
  for (guint i = 0; i < past->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->past),
                         create_row (self, g_ptr_array_index (past, i), FALSE, names));
}

/* --- cancelling ----------------------------------------------------------- */

static gboolean
has_appointment (TfAppointmentsPage *self, const char *id)
{
  GListModel *model = G_LIST_MODEL (self->appointments);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TfItem) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (tf_item_get_id (item), id) == 0)
        return TRUE;
    }
  return FALSE;
}

static void present_cancel_dialog (TfAppointmentsPage *self, const char *id, const char *reason,
                                   const char *problem);

static char *
dialog_reason (AdwMessageDialog *dialog)
{
  GtkWidget *entry = tf_appointment_cancel_dialog_get_entry (dialog);

  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));
}

/* What follows a response, once the dialog has finished handling it (a
 * click closes the dialog itself, Enter and a direct response do not). */
typedef struct
{
  TfAppointmentsPage *self;     /* a reference */
  GtkWidget          *dialog;   /* a reference */
  char               *id;
  char               *typed;    /* the reason as typed */
  char               *problem;  /* why it was refused; NULL: done */
} AfterResponse;

static gboolean
after_response (gpointer data)
{
  AfterResponse *after = data;

  if (after->problem == NULL)
    {
      if (gtk_widget_get_visible (after->dialog))
        gtk_window_close (GTK_WINDOW (after->dialog));
    }
  else if (gtk_widget_get_visible (after->dialog))
    {
      /* Still open: say why here, under the reason. */
      GtkWidget *label = g_object_get_data (G_OBJECT (after->dialog), "error-label");

      gtk_label_set_text (GTK_LABEL (label), after->problem);
      gtk_widget_set_visible (label, TRUE);
    }
  else if (after->self->session != NULL)
    present_cancel_dialog (after->self, after->id, after->typed, after->problem);
  g_object_unref (after->self);
  g_object_unref (after->dialog);
  g_free (after->id);
  g_free (after->typed);
  g_free (after->problem);
  g_free (after);
  return G_SOURCE_REMOVE;
}

static void
schedule_after_response (TfAppointmentsPage *self, AdwMessageDialog *dialog, const char *typed,
                         const char *problem)
{
  AfterResponse *after = g_new0 (AfterResponse, 1);

  after->self = g_object_ref (self);
  after->dialog = g_object_ref (GTK_WIDGET (dialog));
  after->id = g_strdup (g_object_get_data (G_OBJECT (dialog), "appointment-id"));
  after->typed = g_strdup (typed);
  after->problem = g_strdup (problem);
  g_idle_add (after_response, after);
}

static void
on_cancel_response_cb (AdwMessageDialog *dialog, const char *response, TfAppointmentsPage *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "appointment-id");
  g_autofree char *typed = NULL, *reason = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "cancel-appointment") != 0)
    return;
  typed = dialog_reason (dialog);
  reason = g_strstrip (g_strdup (typed));
  if (*reason == '\0')
    {
      const char *message = _("Say why you cancel: your therapist will read the reason.");

      tf_form_fail (self, "%s", message);
      schedule_after_response (self, dialog, typed, message);
      return;
    }
  if (!tf_booking_cancel (get_vault (self), id, reason, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The appointment was not cancelled: %s"),
                                                  error->message);

      tf_form_fail (self, "%s", message);
      /* Only what can be tried again is asked again, with its reason: not
       * an appointment that is past cancelling or gone. */
      if (error->domain == TF_BOOKING_ERROR || !has_appointment (self, id))
        schedule_after_response (self, dialog, typed, NULL);
      else
        schedule_after_response (self, dialog, typed, message);
      return;
    }
  schedule_after_response (self, dialog, typed, NULL);
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0, _("Appointment cancelled"));
}

static void
on_reason_activate_cb (GtkEntry *entry, AdwMessageDialog *dialog)
{
  adw_message_dialog_response (dialog, "cancel-appointment");
}

static void
present_cancel_dialog (TfAppointmentsPage *self, const char *id, const char *reason,
                       const char *problem)
{
  GtkWidget *dialog, *entry, *error;

  dialog = tf_appointment_cancel_dialog_new (GTK_WIDGET (self),
                                             _("Your therapist will see the reason. The time "
                                               "becomes free for others."),
                                             "appointment-cancel-reason", id);
  entry = tf_appointment_cancel_dialog_get_entry (ADW_MESSAGE_DIALOG (dialog));
  gtk_editable_set_text (GTK_EDITABLE (entry), reason != NULL ? reason : "");
  error = gtk_label_new (problem);
  gtk_widget_set_name (error, "appointment-cancel-error");
  gtk_widget_add_css_class (error, "error");
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_widget_set_visible (error, problem != NULL);
  gtk_box_append (GTK_BOX (adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog))),
                  error);
  g_object_set_data (G_OBJECT (dialog), "error-label", error);
  g_signal_connect (entry, "activate", G_CALLBACK (on_reason_activate_cb), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
cancel_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  present_cancel_dialog (TF_APPOINTMENTS_PAGE (widget), g_variant_get_string (param, NULL),
                         NULL, NULL);
}

/* --- linking with a therapist --------------------------------------------- */

typedef struct
{
  char *email;
} Lookup;

static void
lookup_free (gpointer data)
{
  Lookup *lookup = data;

  g_free (lookup->email);
  g_free (lookup);
}

static void
lookup_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Lookup *lookup = data;
  TfSyncClient *client = g_object_get_data (G_OBJECT (task), "client");
  GError *error = NULL;
  JsonObject *entry = tf_account_lookup_therapist (client, lookup->email, &error);

  if (entry == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, entry, (GDestroyNotify) json_object_unref);
}

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
lookup_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(TfAppointmentsPage) self = data;
  g_autoptr(JsonObject) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *therapist = NULL, *done = NULL;
  Lookup *lookup = g_task_get_task_data (G_TASK (result));
  TfVault *vault;

  entry = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->session == NULL)
    return;
  set_linking (self, FALSE);
  vault = get_vault (self);
  if (vault == NULL)
    return;
  if (entry == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE))
        message = g_strdup_printf (_("The server could not be reached, so your therapist "
                                     "could not be found: %s. Linking needs a connection; "
                                     "try again when you are online."), error->message);
      else
        message = g_strdup (error->message);
      show_link_error (self, message);
      return;
    }
  therapist = tf_booking_link_found (vault, entry, lookup->email,
                                     gtk_switch_get_active (GTK_SWITCH (self->link_share_mood)),
                                     gtk_switch_get_active (GTK_SWITCH (self->link_share_goals)),
                                     &error);
  if (therapist == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("You were not linked: %s"),
                                                  error->message);
      show_link_error (self, message);
      return;
    }
  gtk_widget_set_visible (self->link_error, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->link_email), "");
  tf_session_sync (self->session);
  /* The keys just pinned: the client compares them out of band. */
  done = g_strdup_printf (_("Linked with %s. Their keys’ fingerprint is %s: compare it with "
                            "the one their app shows before you share anything."),
                          lookup->email, tf_json_get_string (entry, "fingerprint"));
  g_signal_emit (self, signals[SAVED], 0, done);
}

static void
on_link_clicked_cb (TfAppointmentsPage *self)
{
  g_autofree char *email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (
                                                   self->link_email))));
  g_autoptr(TfSyncClient) client = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Lookup *lookup;

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
  client = tf_account_new_sync_client (tf_session_get_store (self->session), &error);
  if (client == NULL)
    {
      show_link_error (self, _("This device is signed out of the server. Sign in again, then "
                               "link with your therapist."));
      return;
    }
  gtk_widget_set_visible (self->link_error, FALSE);
  set_linking (self, TRUE);
  lookup = g_new0 (Lookup, 1);
  lookup->email = g_steal_pointer (&email);
  task = g_task_new (NULL, self->cancellable, lookup_done, g_object_ref (self));
  g_task_set_source_tag (task, on_link_clicked_cb);
  g_task_set_task_data (task, lookup, lookup_free);
  g_object_set_data_full (G_OBJECT (task), "client", g_steal_pointer (&client), g_object_unref);
  g_task_run_in_thread (task, lookup_thread);
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
  all = therapist != NULL ? tf_booking_list_offers (get_vault (self), therapist, &error) : NULL;
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

/* The client's therapists; the link form when there are none. */
static void
fill_therapists (TfAppointmentsPage *self)
{
  g_autofree char *was = g_strdup (chosen_therapist (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) ids = tf_booking_list_therapists (get_vault (self), &error);
  guint select = 0;

  if (ids == NULL)
    {
      tf_form_fail (self, _("Your therapists could not be read: %s"), error->message);
      ids = g_new0 (char *, 1);
    }
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_ptr_array_add (names, therapist_name (get_vault (self), ids[i]));
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
}

static void
set_chosen (TfAppointmentsPage *self, const char *start)
{
  g_free (self->chosen);
  self->chosen = g_strdup (start);
  gtk_widget_set_sensitive (self->book_button, self->chosen != NULL);
}

static void
on_slot_toggled_cb (GtkToggleButton *button, TfAppointmentsPage *self)
{
  if (gtk_toggle_button_get_active (button))
    set_chosen (self, g_object_get_data (G_OBJECT (button), "start"));
  else if (g_strcmp0 (self->chosen, g_object_get_data (G_OBJECT (button), "start")) == 0)
    set_chosen (self, NULL);
}

/* The local date picked in the calendar. */
static void
picked_day (TfAppointmentsPage *self, int *year, int *month, int *day)
{
  g_autoptr(GDateTime) picked = gtk_calendar_get_date (GTK_CALENDAR (self->calendar));

  g_date_time_get_ymd (picked, year, month, day);
}

static void
show_slots_message (TfAppointmentsPage *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->slots_message), message);
  gtk_widget_set_visible (self->slots_message, TRUE);
}

/* The free times of the picked day, as buttons; the chosen one stays
 * chosen while it is still free. */
static void
refresh_slots (TfAppointmentsPage *self)
{
  const char *therapist = chosen_therapist (self);
  const char *service = chosen_service (self);
  g_autofree char *keep = g_strdup (self->chosen), *price = NULL, *heading = NULL;
  g_autofree char *from = NULL, *to = NULL, *day_name = NULL;
  g_autoptr(GDateTime) first = NULL, before = NULL, after = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  GtkToggleButton *group = NULL;
  GtkFlowBoxChild *child;
  gboolean known = FALSE;
  int year, month, day, duration;
  guint shown = 0;

  while ((child = gtk_flow_box_get_child_at_index (GTK_FLOW_BOX (self->slots), 0)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->slots), GTK_WIDGET (child));
  set_chosen (self, NULL);
  gtk_widget_set_visible (self->slots_message, FALSE);

  picked_day (self, &year, &month, &day);
  first = g_date_time_new_local (year, month, day, 0, 0, 0);
  day_name = g_date_time_format (first, "%A %-d %B");
  heading = g_strdup_printf (_("Free Times on %s"), day_name);
  gtk_label_set_text (GTK_LABEL (self->slots_heading), heading);
  if (therapist == NULL)
    return;
  if (!tf_booking_find_offer (get_vault (self), therapist, service, &duration, &price, &error))
    {
      show_slots_message (self, error->message);
      return;
    }
  /* The therapist's days around this one cover it in any two zones. */
  before = g_date_time_add_days (first, -1);
  after = g_date_time_add_days (first, 1);
  from = g_date_time_format (before, "%Y-%m-%d");
  to = g_date_time_format (after, "%Y-%m-%d");
  found = tf_booking_free_slots (get_vault (self), therapist, from, to, duration, &known, &error);
  if (found == NULL)
    {
      show_slots_message (self, error->message);
      return;
    }
  for (guint i = 0; i < found->len; i++)
    {
      TfSlot *slot = g_ptr_array_index (found, i);
      g_autoptr(GDateTime) local = g_date_time_to_local (slot->start);
      g_autofree char *label = NULL, *name = NULL, *start = NULL, *description = NULL;
      GtkWidget *button;
      int y, m, d;

      g_date_time_get_ymd (local, &y, &m, &d);
      if (y != year || m != month || d != day)
        continue;
      label = g_date_time_format (local, "%H:%M");
      name = g_strdup_printf ("slot-%s", label);
      start = tf_time_format_timestamp (slot->start);
      description = g_strdup_printf (_("Free time at %s"), label);
      button = gtk_toggle_button_new_with_label (label);
      gtk_widget_set_name (button, name);
      gtk_widget_set_tooltip_text (button, description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      description, -1);
      g_object_set_data_full (G_OBJECT (button), "start", g_strdup (start), g_free);
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (on_slot_toggled_cb), self);
      gtk_flow_box_append (GTK_FLOW_BOX (self->slots), button);
      if (g_strcmp0 (start, keep) == 0)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
      shown++;
    }
  if (!known)
    show_slots_message (self, _("This device does not know your therapist’s working hours yet. "
                                "They arrive with the next sync."));
  else if (shown == 0)
    show_slots_message (self, _("No free times that day"));
}

static void
on_choice_changed_cb (TfAppointmentsPage *self)
{
  if (self->filling)
    return;
  refresh_slots (self);
}

static void
on_therapist_changed_cb (TfAppointmentsPage *self)
{
  if (self->filling)
    return;
  fill_services (self);
  refresh_slots (self);
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
  id = tf_booking_book (get_vault (self), therapist, start, chosen_service (self), note, &error);
  if (id == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The appointment was not booked: %s"),
                                                  error->message);

      gtk_label_set_text (GTK_LABEL (self->book_error), message);
      gtk_widget_set_visible (self->book_error, TRUE);
      tf_form_fail (self, "%s", message);
      /* The time may have been taken meanwhile; what was typed stays. */
      refresh_slots (self);
      return;
    }
  local = g_date_time_to_local (start);
  when = tf_appointment_format_when (local);
  done = g_strdup_printf (_("Appointment booked: %s"), when);
  gtk_widget_set_visible (self->book_error, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->note), "");
  tf_session_sync (self->session);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
  g_signal_emit (self, signals[SAVED], 0, done);
}

/* --- navigation ----------------------------------------------------------- */

static void
book_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (widget);

  fill_therapists (self);
  refresh_slots (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "book");
}

static void
list_activated (GtkWidget *widget, const char *action, GVariant *param)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (widget);

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "list");
}

static void
on_appointments_changed_cb (TfAppointmentsPage *self)
{
  rebuild_list (self);
  /* A booking (this one or one synced) takes its time off the free list. */
  refresh_slots (self);
}

static void
on_care_changed_cb (TfAppointmentsPage *self)
{
  fill_therapists (self);
  refresh_slots (self);
}

static void
on_synced_cb (TfAppointmentsPage *self)
{
  tf_repository_refresh (self->appointments, NULL);
  tf_repository_refresh (self->care, NULL);
  /* Names, hours and services may have come with the sync. */
  rebuild_list (self);
  fill_therapists (self);
  refresh_slots (self);
}

/* --- the widget ----------------------------------------------------------- */

static void
tf_appointments_page_dispose (GObject *object)
{
  TfAppointmentsPage *self = TF_APPOINTMENTS_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  tf_form_unparent_children (GTK_WIDGET (self));
  g_clear_object (&self->cancellable);
  g_clear_object (&self->appointments);
  g_clear_object (&self->care);
  g_clear_object (&self->therapist_names);
  g_clear_object (&self->service_names);
  g_clear_pointer (&self->therapist_ids, g_strfreev);
  g_clear_pointer (&self->offers, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_free);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_appointments_page_parent_class)->dispose (object);
}

static void
tf_appointments_page_class_init (TfAppointmentsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_appointments_page_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  tf_form_class_add_outcome_signals (klass, &signals[SAVED], &signals[FAILED]);
  gtk_widget_class_install_action (widget_class, "appointments.book", NULL, book_activated);
  gtk_widget_class_install_action (widget_class, "appointments.list", NULL, list_activated);
  gtk_widget_class_install_action (widget_class, "appointments.cancel", "s", cancel_activated);
}

static GtkWidget *
section (GtkWidget *page, const char *title, const char *name, const char *empty)
{
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *placeholder = gtk_label_new (empty);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  gtk_widget_set_name (list, name);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_bottom (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), placeholder);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), list);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  return list;
}

static GtkWidget *
build_list (TfAppointmentsPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *top = adw_preferences_group_new ();
  GtkWidget *book = gtk_button_new_with_mnemonic (_("_Book an Appointment"));

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("My Appointments"));
  gtk_widget_set_name (book, "appointments-book");
  gtk_widget_add_css_class (book, "pill");
  gtk_widget_add_css_class (book, "suggested-action");
  gtk_widget_set_halign (book, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (book), "appointments.book");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (top), book);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (top));
  self->upcoming = section (page, _("Upcoming"), "appointments-upcoming",
                            _("No upcoming appointments"));
  self->past = section (page, _("Past"), "appointments-past", _("No past appointments"));
  return page;
}

/* No therapist yet: say why booking waits, and link here. */
static GtkWidget *
build_link (TfAppointmentsPage *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *mood_row = adw_action_row_new ();
  GtkWidget *goals_row = adw_action_row_new ();
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  self->link_status = adw_status_page_new ();
  gtk_widget_set_name (self->link_status, "book-no-therapist");
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->link_status), "system-users-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (self->link_status),
                             _("Link With Your Therapist First"));
  adw_status_page_set_description (ADW_STATUS_PAGE (self->link_status),
                                   _("Appointments are booked with your therapist. Enter the "
                                     "e-mail address they use in Therapy Field to link your "
                                     "account with theirs; you choose what they may see."));

  self->link_email = adw_entry_row_new ();
  gtk_widget_set_name (self->link_email, "link-email");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->link_email),
                                 _("Therapist’s e-mail address"));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->link_email), GTK_INPUT_PURPOSE_EMAIL);
  g_signal_connect_swapped (self->link_email, "entry-activated",
                            G_CALLBACK (on_link_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->link_email);

  self->link_share_mood = gtk_switch_new ();
  gtk_widget_set_name (self->link_share_mood, "link-share-mood");
  gtk_widget_set_valign (self->link_share_mood, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (mood_row), _("Share my mood check-ins"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (mood_row), self->link_share_mood);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (mood_row), self->link_share_mood);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), mood_row);
  self->link_share_goals = gtk_switch_new ();
  gtk_widget_set_name (self->link_share_goals, "link-share-goals");
  gtk_widget_set_valign (self->link_share_goals, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (goals_row), _("Share my goals"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (goals_row), self->link_share_goals);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (goals_row), self->link_share_goals);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), goals_row);

  self->link_error = tf_form_error_label_new ("link-error", NULL);

  self->link_button = gtk_button_new_with_mnemonic (_("_Link With Therapist"));
  gtk_widget_set_name (self->link_button, "link-therapist");
  gtk_widget_add_css_class (self->link_button, "pill");
  gtk_widget_add_css_class (self->link_button, "suggested-action");
  g_signal_connect_swapped (self->link_button, "clicked", G_CALLBACK (on_link_clicked_cb), self);
  self->link_spinner = gtk_spinner_new ();
  gtk_widget_set_visible (self->link_spinner, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->link_spinner),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Looking for your therapist"),
                                  -1);
  gtk_widget_set_halign (buttons, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (buttons), self->link_button);
  gtk_box_append (GTK_BOX (buttons), self->link_spinner);

  gtk_box_append (GTK_BOX (box), group);
  gtk_box_append (GTK_BOX (box), self->link_error);
  gtk_box_append (GTK_BOX (box), buttons);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 400);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  adw_status_page_set_child (ADW_STATUS_PAGE (self->link_status), clamp);
  return self->link_status;
}

static GtkWidget *
build_form (TfAppointmentsPage *self)
{
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *with = adw_preferences_group_new ();
  GtkWidget *when = adw_preferences_group_new ();
  GtkWidget *times = adw_preferences_group_new ();
  GtkWidget *finish = adw_preferences_group_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (with), _("Book an Appointment"));
  self->therapist_names = gtk_string_list_new (NULL);
  self->therapist_row = adw_combo_row_new ();
  gtk_widget_set_name (self->therapist_row, "book-therapist");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->therapist_row), _("Therapist"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->therapist_row),
                           G_LIST_MODEL (self->therapist_names));
  g_signal_connect_swapped (self->therapist_row, "notify::selected",
                            G_CALLBACK (on_therapist_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (with), self->therapist_row);
  self->service_names = gtk_string_list_new (NULL);
  self->service_row = adw_combo_row_new ();
  gtk_widget_set_name (self->service_row, "book-service");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->service_row), _("Service"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->service_row),
                           G_LIST_MODEL (self->service_names));
  g_signal_connect_swapped (self->service_row, "notify::selected",
                            G_CALLBACK (on_choice_changed_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (with), self->service_row);

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (when), _("Day"));
  self->calendar = gtk_calendar_new ();
  gtk_widget_set_name (self->calendar, "book-calendar");
  gtk_widget_add_css_class (self->calendar, "card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->calendar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Day of the appointment"), -1);
  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (on_choice_changed_cb),
                            self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), self->calendar);

  self->slots_heading = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->slots_heading, "heading");
  gtk_label_set_wrap (GTK_LABEL (self->slots_heading), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->slots_heading), 0);
  self->slots = gtk_flow_box_new ();
  gtk_widget_set_name (self->slots, "book-slots");
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->slots), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->slots), TRUE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->slots), 6);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->slots), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->slots), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->slots), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Free times"), -1);
  self->slots_message = gtk_label_new (NULL);
  gtk_widget_set_name (self->slots_message, "book-no-slots");
  gtk_widget_add_css_class (self->slots_message, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (self->slots_message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->slots_message), 0);
  gtk_widget_set_visible (self->slots_message, FALSE);
  gtk_box_append (GTK_BOX (box), self->slots_heading);
  gtk_box_append (GTK_BOX (box), self->slots);
  gtk_box_append (GTK_BOX (box), self->slots_message);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (times), box);

  self->note = adw_entry_row_new ();
  gtk_widget_set_name (self->note, "book-note");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->note),
                                 _("Note for your therapist (optional)"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (finish), self->note);
  self->book_error = tf_form_error_label_new ("book-error", NULL);
  gtk_widget_set_margin_top (self->book_error, 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (finish), self->book_error);
  self->book_button = gtk_button_new_with_mnemonic (_("_Book"));
  gtk_widget_set_name (self->book_button, "book-confirm");
  gtk_widget_add_css_class (self->book_button, "pill");
  gtk_widget_add_css_class (self->book_button, "suggested-action");
  gtk_widget_set_halign (self->book_button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (self->book_button, 12);
  gtk_widget_set_sensitive (self->book_button, FALSE);
  g_signal_connect_swapped (self->book_button, "clicked", G_CALLBACK (on_book_clicked_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (finish), self->book_button);

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (with));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (when));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (times));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (finish));
  return page;
}

static GtkWidget *
build_book (TfAppointmentsPage *self)
{
  GtkWidget *book = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *back = gtk_button_new ();
  GtkWidget *content = adw_button_content_new ();

  adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "go-previous-symbolic");
  adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_Appointments"));
  adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
  gtk_button_set_child (GTK_BUTTON (back), content);
  gtk_widget_set_name (back, "book-back");
  gtk_widget_add_css_class (back, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "appointments.list");
  gtk_box_append (GTK_BOX (bar), back);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);

  self->book_stack = gtk_stack_new ();
  gtk_widget_set_vexpand (self->book_stack, TRUE);
  gtk_stack_add_named (GTK_STACK (self->book_stack), build_link (self), "link");
  gtk_stack_add_named (GTK_STACK (self->book_stack), build_form (self), "form");
  gtk_box_append (GTK_BOX (book), bar);
  gtk_box_append (GTK_BOX (book), self->book_stack);
  return book;
}

static void
tf_appointments_page_init (TfAppointmentsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->offers = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_offer_free);
  self->stack = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->stack),
                                 GTK_STACK_TRANSITION_TYPE_SLIDE_LEFT_RIGHT);
  gtk_stack_add_named (GTK_STACK (self->stack), build_list (self), "list");
  gtk_stack_add_named (GTK_STACK (self->stack), build_book (self), "book");
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));
}

GtkWidget *
tf_appointments_page_new (TfSession *session)
{
  TfAppointmentsPage *self;
  TfVault *vault;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);

  self = g_object_new (TF_TYPE_APPOINTMENTS_PAGE, NULL);
  self->session = g_object_ref (session);
  vault = tf_session_get_vault (session);
  self->appointments = tf_repository_new (vault, appointments_table (), "client_id",
                                          tf_vault_get_user_id (vault));
  self->care = tf_repository_new (vault, tf_registry_lookup ("care_relationships"), "client_id",
                                  tf_vault_get_user_id (vault));
  g_signal_connect_object (self->appointments, "items-changed",
                           G_CALLBACK (on_appointments_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->care, "items-changed", G_CALLBACK (on_care_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "synced", G_CALLBACK (on_synced_cb), self,
                           G_CONNECT_SWAPPED);
  rebuild_list (self);
  fill_therapists (self);
  refresh_slots (self);
  return GTK_WIDGET (self);
}
