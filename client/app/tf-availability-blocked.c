/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-blocked.c: the blocked dates of the availability editor
 * (tf-availability-editor.c has the object and the weekly hours) — days
 * the therapist is away, which no slot falls on: one day, or a period
 * such as a vacation (a first and a last day).  The list is the
 * session's live list of this therapist's blocked dates, by date
 * (tf_session_dup_blocked_dates), bound once; blocking and unblocking
 * write at once and sync.
 */
#define G_LOG_DOMAIN "tf-availability"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-availability-editor-private.h"
#include "tf-availability.h"
#include "tf-booking.h"
#include "tf-date-button.h"
#include "tf-form.h"
#include "tf-removable-row.h"
#include "tf-time.h"

static char *
pretty_date (const char *date)
{
  int y, m, d;
  g_autoptr(GDateTime) dt = NULL;

  if (date == NULL || !tf_time_parse_date (date, &y, &m, &d, NULL))
    return g_strdup (date != NULL ? date : "");
  dt = g_date_time_new_utc (y, m, d, 0, 0, 0);
  return g_date_time_format (dt, "%A %-d %B %Y");
}

/* "Monday 3 August 2026", or "Monday 3 August 2026 – Friday 21 August 2026". */
static char *
pretty_days (const char *first, const char *last)
{
  g_autofree char *from = pretty_date (first);
  g_autofree char *to = NULL;

  if (last == NULL)
    return g_steal_pointer (&from);
  to = pretty_date (last);
  /* Translators: a period of days off, from the first day to the last. */
  return g_strdup_printf (_("%s – %s"), from, to);
}

static void
show_blocked_error (TfAvailabilityEditor *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->blocked_error), message);
  gtk_widget_set_visible (self->blocked_error, TRUE);
  tf_availability_editor_emit_failed (self, message);
}

static void
on_unblock_clicked_cb (TfRemovableRow *row, TfAvailabilityEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (row), "id");
  g_autoptr(GError) error = NULL;

  if (!tf_availability_unblock (tf_session_get_vault (self->session), id, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The date was not unblocked: %s"),
                                                  error->message);
      show_blocked_error (self, message);
      return;
    }
  gtk_widget_set_visible (self->blocked_error, FALSE);
  tf_session_sync (self->session);
  tf_availability_editor_emit_saved (self, _("Date unblocked"));
}

static GtkWidget *
create_blocked_row (gpointer item, gpointer data)
{
  TfAvailabilityEditor *self = data;
  TfItem *entry = item;
  const char *date = tf_item_get_string (entry, "blocked_date");
  const char *reason = tf_item_get_string (entry, "reason");
  g_autofree char *title = pretty_days (date, tf_item_get_string (entry, "end_date"));
  g_autofree char *row_name = g_strdup_printf ("blocked-%s", date);
  g_autofree char *button_name = g_strdup_printf ("blocked-remove-%s", date);
  g_autofree char *label = g_strdup_printf (_("Unblock %s"), title);
  GtkWidget *row = tf_removable_row_new (row_name, title, reason, button_name, label);

  g_object_set_data_full (G_OBJECT (row), "id", g_strdup (tf_item_get_id (entry)), g_free);
  g_signal_connect (row, "remove", G_CALLBACK (on_unblock_clicked_cb), self);
  return row;
}

static void
on_block_clicked_cb (TfAvailabilityEditor *self)
{
  g_autofree char *date = g_strstrip (g_strdup (gtk_editable_get_text (
                                        GTK_EDITABLE (self->blocked_date))));
  g_autofree char *until = g_strstrip (g_strdup (gtk_editable_get_text (
                                         GTK_EDITABLE (self->blocked_until))));
  const char *reason = gtk_editable_get_text (GTK_EDITABLE (self->blocked_reason));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = tf_availability_block (tf_session_get_vault (self->session), date,
                                               *until != '\0' ? until : NULL, reason, &error);

  if (id == NULL)
    {
      g_autofree char *message = NULL;

      if (error->domain == TF_BOOKING_ERROR)
        message = g_strdup (error->message);
      else
        message = g_strdup_printf (_("The date was not blocked: %s"), error->message);
      show_blocked_error (self, message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->blocked_date), "");
  gtk_editable_set_text (GTK_EDITABLE (self->blocked_until), "");
  gtk_editable_set_text (GTK_EDITABLE (self->blocked_reason), "");
  gtk_widget_set_visible (self->blocked_error, FALSE);
  tf_session_sync (self->session);
  tf_availability_editor_emit_saved (self, _("Date blocked"));
}

/* --- building ------------------------------------------------------------- */

void
tf_availability_editor_class_bind_blocked (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_block_clicked_cb);
}

void
tf_availability_editor_init_blocked (TfAvailabilityEditor *self)
{
  GtkWidget *add = gtk_button_new_from_icon_name ("list-add-symbolic");

  gtk_widget_set_name (add, "blocked-add");
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (add, _("Block This Date"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (add), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Block This Date"), -1);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (on_block_clicked_cb), self);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->blocked_date),
                            tf_date_button_new (self->blocked_date));
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->blocked_date), add);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (self->blocked_until),
                            tf_date_button_new (self->blocked_until));
}

void
tf_availability_editor_bind_blocked (TfAvailabilityEditor *self)
{
  g_assert (self->blocked != NULL);
  gtk_list_box_bind_model (GTK_LIST_BOX (self->blocked_list), G_LIST_MODEL (self->blocked),
                           create_blocked_row, self, NULL);
}
