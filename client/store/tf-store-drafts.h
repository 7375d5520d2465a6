/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-drafts.h: unsaved forms kept through a lock (table drafts,
 * SQLite 0018).  The store holds only their envelopes; client/core's
 * tf-drafts.h encrypts and opens them.  Drafts never sync.
 */
#pragma once

#include "tf-store.h"

G_BEGIN_DECLS

/* Keeps @envelope (a "tf1:" envelope, else TF_STORE_ERROR_CONSTRAINT) as
 * the draft of @form (a table name) for @record_key of @account_id,
 * replacing the one there was. */
gboolean    tf_store_put_draft      (TfStore     *self,
                                     const char  *account_id,
                                     const char  *form,
                                     const char  *record_key,
                                     const char  *envelope,
                                     GError     **error);
/* The draft's envelope, or NULL with TF_STORE_ERROR_NOT_FOUND. */
char       *tf_store_dup_draft      (TfStore     *self,
                                     const char  *account_id,
                                     const char  *form,
                                     const char  *record_key,
                                     GError     **error);
/* Forgets the draft (nothing to forget is no error). */
gboolean    tf_store_delete_draft   (TfStore     *self,
                                     const char  *account_id,
                                     const char  *form,
                                     const char  *record_key,
                                     GError     **error);
/* @account_id's drafts, oldest first, as objects {form, record_key,
 * content, saved_at}. */
GPtrArray  *tf_store_list_drafts    (TfStore     *self,
                                     const char  *account_id,
                                     GError     **error);
/* Forgets every draft of @account_id (signing out). */
gboolean    tf_store_delete_drafts  (TfStore     *self,
                                     const char  *account_id,
                                     GError     **error);

G_END_DECLS
