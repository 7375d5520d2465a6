/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-date-button.h: the calendar button beside a date entry: a flat
 * "Choose a Date" button whose popover holds a calendar; picking a day
 * writes it, as YYYY-MM-DD, into TfDateButton:entry and closes the popover.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_DATE_BUTTON (tf_date_button_get_type ())
G_DECLARE_FINAL_TYPE (TfDateButton, tf_date_button, TF, DATE_BUTTON, GtkWidget)

/* A button that fills @entry (a GtkEditable) with the day picked. */
GtkWidget *tf_date_button_new (GtkWidget *entry);

G_END_DECLS
