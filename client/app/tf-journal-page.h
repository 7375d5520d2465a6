/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-journal-page.h: a client's journal — the entries, searched locally
 * once decrypted, and an editor with sharing per entry.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_JOURNAL_PAGE (tf_journal_page_get_type ())
G_DECLARE_FINAL_TYPE (TfJournalPage, tf_journal_page, TF, JOURNAL_PAGE, GtkWidget)

/* ::saved (message) and ::failed (message) tell the window what to say. */
GtkWidget *tf_journal_page_new (TfSession *session);

G_END_DECLS
