/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-form.c: small building blocks the app's pages and forms share.
 *
 * Nothing here holds state: each function builds or wires one widget the
 * way every page of the app does it, so that the history and intake forms,
 * the plan, availability and services editors and the pages look and
 * behave alike
 * (widget names stay the callers', since the ui tests find widgets by
 * name).
 */
#define G_LOG_DOMAIN "tf-form"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-page.h"
#include "tf-time.h"

void
tf_form_class_add_outcome_signals (gpointer klass, guint *saved, guint *failed)
{
  GType type = G_TYPE_FROM_CLASS (klass);

  g_return_if_fail (G_IS_OBJECT_CLASS (klass));
  g_return_if_fail (saved != NULL && failed != NULL);

  /* A page has them from its interface. */
  if (g_type_is_a (type, TF_TYPE_PAGE))
    {
      *saved = tf_page_get_saved_signal ();
      *failed = tf_page_get_failed_signal ();
      return;
    }
  *saved = g_signal_new ("saved", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                         G_TYPE_STRING);
  *failed = g_signal_new ("failed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                          G_TYPE_STRING);
}

void
tf_form_fail (gpointer instance, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (G_IS_OBJECT (instance));

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_signal_emit_by_name (instance, "failed", message);
}

void
tf_form_unparent_children (GtkWidget *widget)
{
  GtkWidget *child;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

char *
tf_form_format_local (const char *timestamp, const char *format)
{
  g_autoptr(GDateTime) utc = timestamp ? tf_time_parse_timestamp (timestamp, NULL) : NULL;
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  g_return_val_if_fail (format != NULL, NULL);

  return local ? g_date_time_format (local, format) : NULL;
}

void
tf_form_label_accessibly (gpointer widget, const char *label)
{
  g_return_if_fail (GTK_IS_ACCESSIBLE (widget));

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

void
tf_form_add_shortcut (GtkEventController *controller, const char *accelerator,
                      GtkShortcutFunc func)
{
  g_return_if_fail (GTK_IS_SHORTCUT_CONTROLLER (controller));

  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (
                                                            accelerator),
                                                          gtk_callback_action_new (func, NULL,
                                                                                   NULL)));
}

char *
tf_form_dup_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkWidget *
tf_form_confirm_new (GtkWidget *from, const char *name, const char *heading, const char *body,
                     const char *safe_id, const char *safe_label, const char *act_id,
                     const char *act_label)
{
  GtkRoot *root = gtk_widget_get_root (from);
  GtkWidget *dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                              heading, body);

  gtk_widget_set_name (dialog, name);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), safe_id, safe_label, act_id,
                                    act_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), act_id,
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), safe_id);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), safe_id);
  return dialog;
}

typedef void (*DeleteFunc) (GtkWidget *from, const char *id);

static void
on_delete_response_cb (AdwMessageDialog *dialog, const char *response, GtkWidget *from)
{
  DeleteFunc on_delete = (DeleteFunc) g_object_get_data (G_OBJECT (dialog), "tf-on-delete");

  if (g_strcmp0 (response, "delete") == 0)
    on_delete (from, g_object_get_data (G_OBJECT (dialog), "tf-id"));
}

void
tf_form_confirm_delete (GtkWidget *from, const char *name, const char *heading, const char *body,
                        const char *id, void (*on_delete) (GtkWidget *from, const char *id))
{
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (from));
  g_return_if_fail (id != NULL && on_delete != NULL);

  dialog = tf_form_confirm_new (from, name, heading, body, "cancel", _("_Cancel"), "delete",
                                _("_Delete"));
  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  g_object_set_data_full (G_OBJECT (dialog), "tf-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (dialog), "tf-on-delete", (gpointer) on_delete);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response_cb), from, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

JsonObject *
tf_form_first_plain (TfRepository *records)
{
  g_autoptr(TfItem) item = NULL;

  g_return_val_if_fail (TF_IS_REPOSITORY (records), NULL);

  item = g_list_model_get_item (G_LIST_MODEL (records), 0);
  /* The repository keeps the item, and with it the plain form. */
  return item ? tf_item_get_plain (item) : NULL;
}

void
tf_form_show_saved_at (GtkLabel *status, JsonObject *plain, const char *none,
                       const char *last_format)
{
  const char *stamp = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (GTK_IS_LABEL (status));

  if (plain == NULL)
    {
      gtk_label_set_text (status, none);
      return;
    }
  if (json_object_get_boolean_member_with_default (plain, "unreadable", FALSE))
    {
      gtk_label_set_text (status, "");
      return;
    }
  stamp = tf_json_get_string (plain, "updated_at");
  if (stamp == NULL)
    stamp = tf_json_get_string (plain, "created_at");
  utc = stamp ? tf_time_parse_timestamp (stamp, NULL) : NULL;
  local = utc ? g_date_time_to_local (utc) : NULL;
  if (local == NULL)
    {
      gtk_label_set_text (status, _("Saved"));
      return;
    }
  when = g_date_time_format (local, "%x %H:%M");
  /* @last_format is the caller's translated literal with one %s. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  text = g_strdup_printf (last_format, when);
#pragma GCC diagnostic pop
  gtk_label_set_text (status, text);
}
