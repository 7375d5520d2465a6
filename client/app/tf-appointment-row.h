/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointment-row.h: one of the client's appointments in "My
 * appointments", with Cancel (the page's appointments.cancel action, the
 * appointment's id its target) when it may still be cancelled.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_APPOINTMENT_ROW (tf_appointment_row_get_type ())
G_DECLARE_FINAL_TYPE (TfAppointmentRow, tf_appointment_row, TF, APPOINTMENT_ROW, AdwActionRow)

/* The row of appointment @id, named appointment-@id: @title (when) over
 * @subtitle; with @cancellable a Cancel button named appointment-cancel-@id.
 * A row that is not @upcoming is dimmed. */
GtkWidget *tf_appointment_row_new (const char *id,
                                   const char *title,
                                   const char *subtitle,
                                   gboolean    upcoming,
                                   gboolean    cancellable);

G_END_DECLS
