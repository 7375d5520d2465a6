/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-box-model.h: a GtkBox bound to a list model, as
 * gtk_list_box_bind_model binds a list box — for a list of groups (a
 * client's sessions, each an AdwPreferencesGroup) that must not look like
 * one list.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes the children of @box one widget per item of @model, made by
 * @create (@data), in the model's order, and keeps them so: when the model
 * changes only the children of the items that changed are made again, the
 * others stay (and the one with the focus keeps it).  @box keeps a
 * reference on @model; @destroy frees @data with the binding.  Binding
 * @box again (another week, say) replaces the binding and its children. */
void tf_box_bind_model (GtkBox                     *box,
                        GListModel                 *model,
                        GtkListBoxCreateWidgetFunc  create,
                        gpointer                    data,
                        GDestroyNotify              destroy);

G_END_DECLS
