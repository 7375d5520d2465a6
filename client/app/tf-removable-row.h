/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-removable-row.h: a row of a list the user adds to and takes from —
 * a treatment plan's diagnosis, goal or intervention, a blocked date —
 * that a button removes ("remove"), or a suggestion (a plan's common
 * code) that activating the row adds.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_REMOVABLE_ROW (tf_removable_row_get_type ())
G_DECLARE_FINAL_TYPE (TfRemovableRow, tf_removable_row, TF, REMOVABLE_ROW, AdwActionRow)

/* A row named @name showing @title (and @subtitle, when not NULL); its
 * remove button is named @remove_name, @remove_label its tooltip and
 * accessible name.  "remove" is emitted when it is clicked. */
GtkWidget *tf_removable_row_new            (const char *name,
                                            const char *title,
                                            const char *subtitle,
                                            const char *remove_name,
                                            const char *remove_label);
/* An activatable row named @name that offers to add @title. */
GtkWidget *tf_removable_row_new_suggestion (const char *name,
                                            const char *title,
                                            const char *subtitle);

G_END_DECLS
