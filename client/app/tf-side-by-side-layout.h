/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-side-by-side-layout.h: a layout manager that puts a widget's children
 * in a row of equal cells when they fit, else in a column.
 *
 * It decides by the width it is given, so a layout follows any window
 * without timers or resize handlers: the children stand side by side, each
 * an equal share of the width, when every one fits its share (its minimum
 * width, or its natural width with "fit-natural") and the width is at least
 * "row-min-width"; otherwise they stand one above the other at full width.
 * TfSideBySide is the widget that uses it; any widget may, in a template:
 * <property name="layout-manager"><object class="TfSideBySideLayout">.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_SIDE_BY_SIDE_LAYOUT (tf_side_by_side_layout_get_type ())
G_DECLARE_FINAL_TYPE (TfSideBySideLayout, tf_side_by_side_layout, TF, SIDE_BY_SIDE_LAYOUT,
                      GtkLayoutManager)

/* @spacing pixels between the cells; a column below @row_min_width; a row
 * only when every child gets its natural width if @fit_natural. */
GtkLayoutManager *tf_side_by_side_layout_new (int      spacing,
                                              int      row_min_width,
                                              gboolean fit_natural);

G_END_DECLS
