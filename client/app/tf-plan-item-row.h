/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plan-item-row.h: a row of the treatment plan editor's lists — a
 * diagnosis, a goal or an intervention that a button removes ("remove"),
 * or a suggested code that activating the row adds.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_PLAN_ITEM_ROW (tf_plan_item_row_get_type ())
G_DECLARE_FINAL_TYPE (TfPlanItemRow, tf_plan_item_row, TF, PLAN_ITEM_ROW, AdwActionRow)

/* A row named @name showing @title (and @subtitle, when not NULL); its
 * remove button is named @remove_name, @remove_label its tooltip and
 * accessible name.  "remove" is emitted when it is clicked. */
GtkWidget *tf_plan_item_row_new            (const char *name,
                                            const char *title,
                                            const char *subtitle,
                                            const char *remove_name,
                                            const char *remove_label);
/* An activatable row named @name that offers to add @title. */
GtkWidget *tf_plan_item_row_new_suggestion (const char *name,
                                            const char *title,
                                            const char *subtitle);

G_END_DECLS
