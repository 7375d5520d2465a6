/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-calendar-block.h: an appointment as a block of the calendar's time
 * grid or a line of a month's day — its time, the client's name and its
 * status — that opens the appointment (TfAppointmentPopover) when clicked
 * or activated with Enter or Space.
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-repository.h"

G_BEGIN_DECLS

#define TF_TYPE_CALENDAR_BLOCK (tf_calendar_block_get_type ())
G_DECLARE_FINAL_TYPE (TfCalendarBlock, tf_calendar_block, TF, CALENDAR_BLOCK, GtkWidget)

/* The block of appointment @item (a TfItem of tf_schedule_range_new), its
 * times in @zone, named @prefix-ID ("block", "month-appointment").
 * @compact: the time and the name on one line (a month's day). */
GtkWidget *tf_calendar_block_new       (TfItem          *item,
                                        GTimeZone       *zone,
                                        const char      *prefix,
                                        gboolean         compact);
TfItem    *tf_calendar_block_get_item  (TfCalendarBlock *self);
/* The appointment's start in the zone, and its length in minutes. */
GDateTime *tf_calendar_block_get_start (TfCalendarBlock *self);
int        tf_calendar_block_get_duration (TfCalendarBlock *self);
/* Opens the appointment, as a click does. */
void       tf_calendar_block_open      (TfCalendarBlock *self);

G_END_DECLS
