/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointment-info.h: what the pages that list appointments (the
 * therapist's agenda, the client's appointments, the notes of a client's
 * sessions) say about one — its status in words, the name of the person on
 * the other side, when it is in this computer's zone — a dated
 * appointment to sort lists by, and the dialog that asks why one is
 * cancelled.
 */
#pragma once

#include <adwaita.h>

#include "tf-booking.h"
#include "tf-session.h"

G_BEGIN_DECLS

/* An appointment (a TfItem of "appointments") and its start in this
 * computer's zone. */
typedef struct
{
  GDateTime *when;  /* local */
  TfItem    *item;
} TfDatedAppointment;

/* @item with its appointment_datetime in this computer's zone (holds a
 * reference on @item), or NULL when that time is missing or unreadable. */
TfDatedAppointment *tf_dated_appointment_new           (TfItem        *item);
/* Frees a TfDatedAppointment (a GDestroyNotify for GPtrArray). */
void                tf_dated_appointment_free          (gpointer       data);
/* GCompareFunc for g_ptr_array_sort of TfDatedAppointment*: soonest first. */
int                 tf_dated_appointment_soonest_first (gconstpointer  a,
                                                        gconstpointer  b);
/* GCompareFunc for g_ptr_array_sort of TfDatedAppointment*: latest first. */
int                 tf_dated_appointment_latest_first  (gconstpointer  a,
                                                        gconstpointer  b);


/* "Tuesday 3 March 2026 · 10:00" for @local. */
char       *tf_appointment_format_when             (GDateTime  *local);

/* The instant @date ("YYYY-MM-DD") at @time ("HH:MM") in @zone, as a
 * person typed them, or NULL with why in *@out_problem (a date or time
 * that is none, a time the clocks skip). */
GDateTime  *tf_appointment_parse_start             (const char *date,
                                                    const char *time,
                                                    GTimeZone  *zone,
                                                    char      **out_problem);

/* A "Join" button, named appointment-join-ID, that opens @appointment's
 * meeting link (tf_appointment_join) when it is online with one; NULL
 * otherwise. */
GtkWidget  *tf_appointment_join_button_new         (JsonObject *appointment);

/* Where @appointment takes place, for a list's subtitle: "Online", "In
 * person · @address" (or "In person" when @address is NULL), or NULL when
 * it does not say. */
char       *tf_appointment_dup_place               (JsonObject *appointment,
                                                    const char *address);

/* Says to @widget's @tell, after each sync of @session, each new refusal
 * of this device's booking, move or mark of an appointment by the server,
 * in words ("The server refused the appointment of … : That time is
 * already booked"), once; those already there when it starts are not
 * said again.  Follows @session as long as @widget lives. */
void        tf_appointment_watch_refusals          (GtkWidget  *widget,
                                                    TfSession  *session,
                                                    void      (*tell) (GtkWidget  *widget,
                                                                       const char *message));

/* Opens @appointment's meeting link (its meeting_url) with the desktop's
 * browser, over @parent's window. */
void        tf_appointment_join                    (GtkWidget  *parent,
                                                    const char *meeting_url);

G_END_DECLS
