/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointments-page.h: a client's appointments — upcoming and past,
 * cancelling one with a reason — and booking a new one with their
 * therapist (or, before there is one, linking with them).
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_APPOINTMENTS_PAGE (tf_appointments_page_get_type ())
G_DECLARE_FINAL_TYPE (TfAppointmentsPage, tf_appointments_page, TF, APPOINTMENTS_PAGE, GtkWidget)

/* The appointments of the unlocked @session's client, live.  ::saved
 * (message) and ::failed (message) tell the window what to say.
 *
 * Widgets by name: the lists "appointments-upcoming" and
 * "appointments-past" with rows "appointment-<id>" and, on an upcoming
 * pending or confirmed one, "appointment-cancel-<id>"; "appointments-book"
 * opens the booking view: "book-no-therapist" (a status page with
 * "link-email", "link-therapist", "link-error") when the client has no
 * therapist yet, else "book-therapist", "book-service", "book-calendar",
 * the free times "slot-HH:MM" (local time) or "book-no-slots",
 * "book-note", "book-confirm", "book-error" and "book-back".
 *
 * Actions (group "appointments"): book, list, and with the appointment's
 * id ("s"): cancel (asks for the reason first; an empty one is refused). */
GtkWidget *tf_appointments_page_new (TfSession *session);

G_END_DECLS
