/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointment-popover.h: an appointment opened from the calendar — when,
 * who, its status, where (online or in person), the note the client wrote
 * for the therapist, Join for an online one with its link, and the changes
 * its status allows, as buttons on the Schedule page's actions
 * (schedule.confirm, .complete, .no-show, .late-cancel, .cancel,
 * appointment.move, with the appointment's id as target).
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TF_TYPE_APPOINTMENT_POPOVER (tf_appointment_popover_get_type ())
G_DECLARE_FINAL_TYPE (TfAppointmentPopover, tf_appointment_popover, TF, APPOINTMENT_POPOVER,
                      GtkPopover)

/* A popover for @appointment (its plain form, decrypted, with client_name
 * when known), its times in @zone; named appointment-popover. */
GtkWidget *tf_appointment_popover_new (JsonObject *appointment,
                                       GTimeZone  *zone);

G_END_DECLS
