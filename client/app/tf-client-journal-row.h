/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-client-journal-row.h: a journal entry a client shares, as a row of
 * the client's detail (its title, when, category and mood, and its text).
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-repository.h"

G_BEGIN_DECLS

#define TF_TYPE_CLIENT_JOURNAL_ROW (tf_client_journal_row_get_type ())
G_DECLARE_FINAL_TYPE (TfClientJournalRow, tf_client_journal_row, TF, CLIENT_JOURNAL_ROW,
                      GtkListBoxRow)

/* The row of @entry (a journal_entries item), named client-journal-ID;
 * @when is its local date and time, or NULL. */
GtkWidget *tf_client_journal_row_new (TfItem     *entry,
                                      const char *when);

G_END_DECLS
