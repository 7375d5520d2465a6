/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-draft-notice.h: the line a form shows above its fields when it was
 * given back its unsaved changes after an unlock (tf-drafts.h): "Restored
 * your unsaved changes", with Discard.  ::discard: the person drops them.
 * With it, the two calls every form makes about its draft.
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_DRAFT_NOTICE (tf_draft_notice_get_type ())
G_DECLARE_FINAL_TYPE (TfDraftNotice, tf_draft_notice, TF, DRAFT_NOTICE, GtkWidget)

/* At TfSession::locking: keeps @typed (the form's fields, as the form
 * shows them again) as the draft of @form (a table) for @record_key when it
 * differs from @saved (the same fields as last saved; NULL: always). */
void  tf_draft_keep           (TfSession     *session,
                               const char    *form,
                               const char    *record_key,
                               JsonObject    *typed,
                               JsonObject    *saved);
/* The record was saved or the changes dropped: forgets the draft of @form
 * for @record_key, and hides @notice. */
void  tf_draft_notice_forget  (GtkWidget     *notice,
                               TfSession     *session,
                               const char    *form,
                               const char    *record_key);

G_END_DECLS
