/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-addendum-row.h: one addendum under a signed session note — when it
 * was added and signed, what it says, and a warning when its signature
 * does not verify; or, when its key is not here, that it cannot be read.
 */
#pragma once

#include <adwaita.h>

#include "tf-repository.h"

G_BEGIN_DECLS

#define TF_TYPE_ADDENDUM_ROW (tf_addendum_row_get_type ())
G_DECLARE_FINAL_TYPE (TfAddendumRow, tf_addendum_row, TF, ADDENDUM_ROW, AdwActionRow)

/* The row of @addendum (a note_addenda item), named addendum-ID. */
GtkWidget *tf_addendum_row_new (TfItem *addendum);

G_END_DECLS
