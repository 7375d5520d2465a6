/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-row.h: an appointment of the therapist's week in the
 * Schedule page, with the changes its status allows as buttons and a menu
 * of the page's actions (schedule.confirm, .complete, .no-show, .cancel,
 * .late-cancel, appointment.move, each with the appointment's id as target)
 * and, for an online appointment with its link, Join.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TF_TYPE_SCHEDULE_ROW (tf_schedule_row_get_type ())
G_DECLARE_FINAL_TYPE (TfScheduleRow, tf_schedule_row, TF, SCHEDULE_ROW, AdwActionRow)

/* What the row offers. */
typedef enum
{
  TF_SCHEDULE_ROW_CONFIRM  = 1 << 0,
  TF_SCHEDULE_ROW_COMPLETE = 1 << 1,
  TF_SCHEDULE_ROW_NO_SHOW  = 1 << 2,
  TF_SCHEDULE_ROW_CANCEL   = 1 << 3,
  TF_SCHEDULE_ROW_MOVE     = 1 << 4,
  TF_SCHEDULE_ROW_LATE     = 1 << 5,
} TfScheduleRowOffers;

/* What an appointment (its plain form) allows next, by the rules of
 * tf-schedule-page.c: pending → Confirm; confirmed and begun → Complete,
 * No-Show; pending or confirmed → Cancel and, not begun, Move; begun,
 * pending, confirmed or cancelled by the client, and not yet late → Late
 * Cancellation. */
TfScheduleRowOffers tf_schedule_row_offers_for (JsonObject *appointment);

/* The row of appointment @id, named appointment-@id, showing @title and
 * @subtitle; an appointment with neither Confirm nor Complete is dimmed. */
GtkWidget *tf_schedule_row_new (const char          *id,
                                const char          *title,
                                const char          *subtitle,
                                TfScheduleRowOffers  offers);

G_END_DECLS
