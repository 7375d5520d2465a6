/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-record-dialog.c: the record of a held session
 * (tf-session-record-dialog.h); its widgets are the template
 * tf-session-record-dialog.ui.
 *
 * The times are typed as HH:MM on the appointment's day in the therapist's
 * time zone (tf_session_dup_time_zone), as the calendar shows them.
 */
#define G_LOG_DOMAIN "tf-session-record"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-session-record-dialog.h"
#include "tf-session-record.h"
#include "tf-time.h"

struct _TfSessionRecordDialog
{
  AdwWindow   parent_instance;

  TfSession  *session;
  char       *appointment_id;
  GDateTime  *day;            /* the appointment's start, in the therapist's zone */

  /* template (tf-session-record-dialog.ui) */
  GtkWidget  *heading;        /* AdwPreferencesGroup: the times, titled with the day */
  GtkWidget  *start_row;      /* AdwEntryRow, HH:MM */
  GtkWidget  *end_row;
  GtkWidget  *client_attended;    /* GtkSwitch */
  GtkWidget  *therapist_attended;
  GtkWidget  *technical_issues;
  GtkWidget  *shared;
  GtkWidget  *therapist_notes;    /* GtkTextView */
  GtkWidget  *summary;
  GtkWidget  *homework;
  GtkWidget  *next_plan;
  GtkWidget  *error;
};

G_DEFINE_FINAL_TYPE (TfSessionRecordDialog, tf_session_record_dialog, ADW_TYPE_WINDOW)

enum { SAVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_text (GtkWidget *view, const char *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text ? text : "",
                            -1);
}

static void
set_time (TfSessionRecordDialog *self, GtkWidget *row, const char *timestamp,
          GDateTime *fallback)
{
  g_autoptr(GDateTime) utc = timestamp ? tf_time_parse_timestamp (timestamp, NULL) : NULL;
  g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (self->session);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, zone)
                                   : fallback ? g_date_time_ref (fallback) : NULL;
  g_autofree char *text = local ? g_date_time_format (local, "%H:%M") : NULL;

  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

/* The instant @row's HH:MM names on the appointment's day, as RFC 3339;
 * NULL (no error) when empty; NULL with @error when it is no time. */
static char *
dup_moment (TfSessionRecordDialog *self, GtkWidget *row, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GDateTime) at = NULL;
  int hour = -1, minute = -1;
  char end = 0;

  if (*text == '\0')
    return NULL;
  if (sscanf (text, "%d:%d%c", &hour, &minute, &end) != 2 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a time: write it as HH:MM, e.g. 10:50"), text);
      return NULL;
    }
  at = g_date_time_new (g_date_time_get_timezone (self->day), g_date_time_get_year (self->day),
                        g_date_time_get_month (self->day),
                        g_date_time_get_day_of_month (self->day), hour, minute, 0);
  return at ? tf_time_format_timestamp (at) : NULL;
}

static void
fill (TfSessionRecordDialog *self, JsonObject *appointment, JsonObject *record)
{
  g_autoptr(GDateTime) utc = tf_time_parse_timestamp (tf_json_get_string (appointment,
                                                        "appointment_datetime"), NULL);
  g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (self->session);
  g_autoptr(GDateTime) end = NULL;
  g_autofree char *heading = NULL;
  gboolean readable;

  self->day = utc ? g_date_time_to_timezone (utc, zone) : g_date_time_new_now (zone);
  end = g_date_time_add_minutes (self->day,
                                 (int) json_object_get_int_member_with_default (appointment,
                                                                                "duration", 50));
  heading = g_date_time_format (self->day, "%A %-d %B %Y, %H:%M");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->heading), heading);
  set_time (self, self->start_row, record ? tf_json_get_string (record, "actual_start_time")
                                          : NULL, self->day);
  set_time (self, self->end_row, record ? tf_json_get_string (record, "actual_end_time") : NULL,
            end);
  readable = record == NULL ||
             !json_object_get_boolean_member_with_default (record, "unreadable", FALSE);
  gtk_switch_set_active (GTK_SWITCH (self->client_attended),
                         record == NULL ||
                         json_object_get_boolean_member_with_default (record, "client_attended",
                                                                      TRUE));
  gtk_switch_set_active (GTK_SWITCH (self->therapist_attended),
                         record == NULL ||
                         json_object_get_boolean_member_with_default (record,
                                                                      "therapist_attended",
                                                                      TRUE));
  gtk_switch_set_active (GTK_SWITCH (self->technical_issues),
                         record != NULL &&
                         json_object_get_boolean_member_with_default (record, "technical_issues",
                                                                      FALSE));
  gtk_switch_set_active (GTK_SWITCH (self->shared),
                         record != NULL && tf_session_record_is_shared (record));
  if (record != NULL && readable)
    {
      set_text (self->therapist_notes, tf_json_get_string (record, "therapist_notes"));
      set_text (self->summary, tf_json_get_string (record, "session_summary"));
      set_text (self->homework, tf_json_get_string (record, "homework_assigned"));
      set_text (self->next_plan, tf_json_get_string (record, "next_session_plan"));
    }
}

static void
fail (TfSessionRecordDialog *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->error), message);
  gtk_widget_set_visible (self->error, TRUE);
}

static void
save_activated (GtkWidget *widget, const char *action, GVariant *parameter)
{
  TfSessionRecordDialog *self = TF_SESSION_RECORD_DIALOG (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *start = NULL, *end = NULL, *notes = NULL, *summary = NULL;
  g_autofree char *homework = NULL, *plan = NULL;
  TfSessionRecord r = { 0 };

  start = dup_moment (self, self->start_row, &error);
  if (error == NULL)
    end = dup_moment (self, self->end_row, &error);
  if (error != NULL)
    {
      fail (self, error->message);
      return;
    }
  notes = tf_form_dup_text (GTK_TEXT_VIEW (self->therapist_notes));
  summary = tf_form_dup_text (GTK_TEXT_VIEW (self->summary));
  homework = tf_form_dup_text (GTK_TEXT_VIEW (self->homework));
  plan = tf_form_dup_text (GTK_TEXT_VIEW (self->next_plan));
  r.actual_start = start;
  r.actual_end = end;
  r.client_attended = gtk_switch_get_active (GTK_SWITCH (self->client_attended));
  r.therapist_attended = gtk_switch_get_active (GTK_SWITCH (self->therapist_attended));
  r.technical_issues = gtk_switch_get_active (GTK_SWITCH (self->technical_issues));
  r.shared_with_client = gtk_switch_get_active (GTK_SWITCH (self->shared));
  r.therapist_notes = notes;
  r.summary = summary;
  r.homework = homework;
  r.next_session_plan = plan;
  if (!tf_session_record_save (tf_session_get_vault (self->session), self->appointment_id, &r,
                               NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The session record was not saved: %s"),
                                                  error->message);

      fail (self, message);
      return;
    }
  tf_session_sync (self->session);
  g_signal_emit (self, signals[SAVED], 0,
                 r.shared_with_client ? _("Session record saved and shared with the client")
                                      : _("Session record saved"));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
tf_session_record_dialog_dispose (GObject *object)
{
  TfSessionRecordDialog *self = TF_SESSION_RECORD_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->appointment_id, g_free);
  g_clear_pointer (&self->day, g_date_time_unref);
  G_OBJECT_CLASS (tf_session_record_dialog_parent_class)->dispose (object);
}

static void
tf_session_record_dialog_class_init (TfSessionRecordDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_session_record_dialog_dispose;
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-session-record-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfSessionRecordDialog, name)
  BIND (heading);
  BIND (start_row);
  BIND (end_row);
  BIND (client_attended);
  BIND (therapist_attended);
  BIND (technical_issues);
  BIND (shared);
  BIND (therapist_notes);
  BIND (summary);
  BIND (homework);
  BIND (next_plan);
  BIND (error);
#undef BIND
  gtk_widget_class_install_action (widget_class, "session-record.save", NULL, save_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "session-record.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tf_session_record_dialog_init (TfSessionRecordDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tf_session_record_dialog_new (GtkWidget *parent, TfSession *session, const char *id)
{
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(JsonObject) record = NULL;
  TfSessionRecordDialog *self;
  GtkRoot *root;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  appointments = tf_vault_list (tf_session_get_vault (session),
                                tf_registry_lookup ("appointments"), "id", id, NULL);
  if (appointments == NULL || appointments->len == 0)
    return NULL;
  record = tf_session_record_dup (tf_session_get_vault (session), id, NULL);
  root = gtk_widget_get_root (parent);
  self = g_object_new (TF_TYPE_SESSION_RECORD_DIALOG, "modal", TRUE,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL);
  self->session = g_object_ref (session);
  self->appointment_id = g_strdup (id);
  fill (self, g_ptr_array_index (appointments, 0), record);
  return GTK_WIDGET (self);
}
