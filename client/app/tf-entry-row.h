/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-entry-row.h: one of the user's own entries — a journal entry, a
 * check-in — summed up in a row of the page's list (a title, and when and
 * what below), that activating opens in the page's form.
 */
#pragma once

#include <adwaita.h>

#include "tf-repository.h"

G_BEGIN_DECLS

#define TF_TYPE_ENTRY_ROW (tf_entry_row_get_type ())
G_DECLARE_FINAL_TYPE (TfEntryRow, tf_entry_row, TF, ENTRY_ROW, AdwActionRow)

/* The row of @item showing @title, and @subtitle in at most
 * @subtitle_lines lines; @opens: an arrow says that activating it opens
 * the entry on a page of its own. */
GtkWidget *tf_entry_row_new      (TfItem     *item,
                                  const char *title,
                                  const char *subtitle,
                                  int         subtitle_lines,
                                  gboolean    opens);
/* The entry the row shows. */
TfItem    *tf_entry_row_get_item (TfEntryRow *self);

G_END_DECLS
