/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-side-by-side.h: a row of equal cells when they fit, else a column.
 *
 * A container laid out by TfSideBySideLayout (tf-side-by-side-layout.h,
 * which says how it decides); "spacing", "row-min-width" and "fit-natural"
 * are the layout's.  Children are added with tf_side_by_side_append() or
 * as <child> elements of a GtkBuilder file.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_SIDE_BY_SIDE (tf_side_by_side_get_type ())
G_DECLARE_FINAL_TYPE (TfSideBySide, tf_side_by_side, TF, SIDE_BY_SIDE, GtkWidget)

/* @spacing pixels between the cells; a column below @row_min_width; a row
 * only when every child gets its natural width if @fit_natural. */
GtkWidget *tf_side_by_side_new    (int        spacing,
                                   int        row_min_width,
                                   gboolean   fit_natural);
void       tf_side_by_side_append (GtkWidget *box,
                                   GtkWidget *child);

G_END_DECLS
