/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-appointments-page-private.h: what the two files of TfAppointmentsPage
 * share — its fields, and the functions one file gives the other.
 * tf-appointments-page.c holds the object, the list and cancelling;
 * tf-appointments-booking.c linking with a therapist and booking.
 */
#pragma once

#include "tf-appointments-page.h"

G_BEGIN_DECLS

struct _TfAppointmentsPage
{
  GtkWidget      parent_instance;
  TfSession     *session;
  TfRepository  *appointments;    /* this client's, live, upcoming first (tf_booking_mine_new) */
  GtkFilterListModel *upcoming_shown; /* those upcoming, bound to upcoming */
  GtkFilterListModel *past_shown;     /* the others, bound to past */
  TfRepository  *care;            /* this client's care relationships, live */
  GCancellable  *cancellable;     /* the link's lookup; cancelled in dispose */
  GStrv          therapist_ids;   /* in therapist_row's order */
  GPtrArray     *offers;          /* TfOffer*, offered: service_row's position - 1 */
  TfRepository  *slot_list;       /* the picked day's free times, live; bound to slots */
  char          *slots_for;       /* the therapist, service and day slot_list is of */
  char          *chosen;          /* the chosen slot's start, RFC 3339 UTC, or NULL */
  gboolean       filling;         /* the combo rows are being filled: not a choice */

  /* template (tf-appointments-page.ui) */
  GtkWidget     *stack;           /* "list" or "book"; the only child */
  GtkWidget     *upcoming;        /* GtkListBox */
  GtkWidget     *past;            /* GtkListBox */
  GtkWidget     *therapists;      /* GtkListBox: the safety number with each */

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
  GtkWidget     *service_row;     /* AdwComboRow: "no particular service", then offers */
  GtkStringList *service_names;
  GtkWidget     *calendar;
  GtkWidget     *slots_heading;
  GtkWidget     *slots;           /* GtkFlowBox of TfSlotButton, bound to slot_list */
  GtkWidget     *slots_message;   /* why there are none */
  GtkWidget     *note;            /* AdwEntryRow */
  GtkWidget     *book_button;
  GtkWidget     *book_error;
};


/* --- tf-appointments-page.c ----------------------------------------------- */

/* The therapist's name as this device knows it, else "Your therapist". */
char      *tf_appointments_page_dup_therapist_name (TfVault            *vault,
                                                    const char         *user_id);
void       tf_appointments_page_emit_saved         (TfAppointmentsPage *self,
                                                    const char         *message);

/* --- tf-appointments-booking.c -------------------------------------------- */

/* Binds the template callbacks of the booking page (the link form, then
 * the booking form), which this file holds. */
void       tf_appointments_page_class_bind_booking (GtkWidgetClass     *widget_class);
/* The client's therapists in the booking form (the link form when there
 * are none), their services and the free times. */
void       tf_appointments_page_fill_therapists    (TfAppointmentsPage *self);
/* Binds the free times of the therapist, service and day chosen
 * (tf_session_dup_free_slots), as buttons; the list follows the store by
 * itself, and the chosen one stays chosen while it is still free. */
void       tf_appointments_page_show_slots         (TfAppointmentsPage *self);

G_END_DECLS
