/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-new-appointment-dialog.h: "New Appointment", a therapist booking for
 * a client in their care — the client, the day and time, the service,
 * online (with its link) or in person.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_NEW_APPOINTMENT_DIALOG (tf_new_appointment_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TfNewAppointmentDialog, tf_new_appointment_dialog, TF,
                      NEW_APPOINTMENT_DIALOG, AdwWindow)

/* The dialog over @parent's window, listing the clients in active care,
 * the services this therapist offers and the day of @day (may be NULL:
 * tomorrow) from @session, at @day's time in the therapist's zone when it
 * is not midnight (a click on the calendar's grid), else 10:00.  Book writes through
 * tf_booking_book_for_client; a refusal stays in the dialog, in words,
 * with what was typed.  ::booked (appointment id) when stored; the dialog
 * then closes.  Not presented yet. */
GtkWidget *tf_new_appointment_dialog_new (GtkWidget *parent,
                                          TfSession *session,
                                          GDateTime *day);

G_END_DECLS
