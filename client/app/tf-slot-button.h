/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-slot-button.h: a free time of the booking form, as a toggle button
 * named slot-HH:MM showing the local time it starts.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_SLOT_BUTTON (tf_slot_button_get_type ())
G_DECLARE_FINAL_TYPE (TfSlotButton, tf_slot_button, TF, SLOT_BUTTON, GtkToggleButton)

/* The free time that starts at @start (any zone; shown in the local one). */
GtkWidget  *tf_slot_button_new       (GDateTime    *start);
/* When it starts, as a stored timestamp (tf_time_format_timestamp). */
const char *tf_slot_button_get_start (TfSlotButton *self);

G_END_DECLS
