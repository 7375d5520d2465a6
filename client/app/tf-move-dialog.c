/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-move-dialog.c: the Move Appointment dialog (tf-move-dialog.h); the
 * widgets are the template tf-move-dialog.ui.  The same slot checks as a
 * booking are client/core's (tf_booking_move), and the appointment keeps
 * the time it had, which both sides see.
 */
#define G_LOG_DOMAIN "tf-schedule"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-appointment-info.h"
#include "tf-booking.h"
#include "tf-date-button.h"
#include "tf-move-dialog.h"
#include "tf-time.h"

struct _TfMoveDialog
{
  AdwWindow   parent_instance;
  TfSession  *session;
  char       *id;

  /* template (tf-move-dialog.ui) */
  GtkWidget  *now_label;
  GtkWidget  *date_row;
  GtkWidget  *time_row;
  GtkWidget  *error;
};

G_DEFINE_FINAL_TYPE (TfMoveDialog, tf_move_dialog, ADW_TYPE_WINDOW)

enum { MOVED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_problem (TfMoveDialog *self, const char *problem)
{
  gtk_label_set_text (GTK_LABEL (self->error), problem != NULL ? problem : "");
  gtk_widget_set_visible (self->error, problem != NULL);
}

static void
on_move_clicked_cb (TfMoveDialog *self)
{
  g_autoptr(GTimeZone) zone = tf_session_dup_time_zone (self->session);
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problem = NULL;
  TfVault *vault = tf_session_get_vault (self->session);

  if (vault == NULL)
    return;
  start = tf_appointment_parse_start (gtk_editable_get_text (GTK_EDITABLE (self->date_row)),
                                      gtk_editable_get_text (GTK_EDITABLE (self->time_row)),
                                      zone, &problem);
  if (start == NULL)
    {
      set_problem (self, problem);
      return;
    }
  if (!tf_booking_move (vault, self->id, start, &error))
    {
      if (error->domain == TF_BOOKING_ERROR)
        set_problem (self, error->message);
      else
        {
          g_autofree char *message = g_strdup_printf (_("The appointment was not moved: %s"),
                                                      error->message);
          set_problem (self, message);
        }
      return;
    }
  set_problem (self, NULL);
  g_signal_emit (self, signals[MOVED], 0, self->id);
  gtk_window_close (GTK_WINDOW (self));
}

static void
tf_move_dialog_dispose (GObject *object)
{
  TfMoveDialog *self = TF_MOVE_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->id, g_free);
  G_OBJECT_CLASS (tf_move_dialog_parent_class)->dispose (object);
}

static void
tf_move_dialog_class_init (TfMoveDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_move_dialog_dispose;
  signals[MOVED] = g_signal_new ("moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-move-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TfMoveDialog, now_label);
  gtk_widget_class_bind_template_child (widget_class, TfMoveDialog, date_row);
  gtk_widget_class_bind_template_child (widget_class, TfMoveDialog, time_row);
  gtk_widget_class_bind_template_child (widget_class, TfMoveDialog, error);
  gtk_widget_class_bind_template_callback (widget_class, on_move_clicked_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tf_move_dialog_init (TfMoveDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->date_row), tf_date_button_new (self->date_row));
}

GtkWidget *
tf_move_dialog_new (GtkWidget *parent, TfSession *session, const char *id)
{
  TfMoveDialog *self;
  GtkRoot *root;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) utc = NULL, local = NULL;
  g_autofree char *date = NULL, *time = NULL, *day = NULL, *text = NULL;
  TfVault *vault;

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  vault = tf_session_get_vault (session);
  plain = vault != NULL ? tf_vault_get (vault, tf_registry_lookup ("appointments"), id, NULL)
                        : NULL;
  if (plain == NULL)
    return NULL;
  utc = tf_time_parse_timestamp (tf_json_get_string (plain, "appointment_datetime"), NULL);
  if (utc == NULL)
    return NULL;
  zone = tf_session_dup_time_zone (session);
  local = g_date_time_to_timezone (utc, zone);
  root = gtk_widget_get_root (parent);
  self = g_object_new (TF_TYPE_MOVE_DIALOG,
                       "transient-for", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                       "modal", TRUE, NULL);
  self->session = g_object_ref (session);
  self->id = g_strdup (id);
  date = g_date_time_format (local, "%Y-%m-%d");
  time = g_date_time_format (local, "%H:%M");
  day = tf_appointment_format_when (local);
  /* TRANSLATORS: the appointment's day and time before it moves. */
  text = g_strdup_printf (_("Now: %s"), day);
  gtk_label_set_text (GTK_LABEL (self->now_label), text);
  gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  gtk_editable_set_text (GTK_EDITABLE (self->time_row), time);
  return GTK_WIDGET (self);
}
