/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-refusals.h: the records from the server this device refused to use
 * (the store's sync_refused), each said in words: what it is, whose, when
 * and why.
 */
#pragma once

#include <gio/gio.h>

#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_TYPE_REFUSAL (tf_refusal_get_type ())
G_DECLARE_FINAL_TYPE (TfRefusal, tf_refusal, TF, REFUSAL, GObject)

/* The table, the record's id and the short code as the store keeps them. */
const char *tf_refusal_get_table      (TfRefusal *self);
const char *tf_refusal_get_record_id  (TfRefusal *self);
const char *tf_refusal_get_code       (TfRefusal *self);
/* When it was refused (RFC 3339, UTC). */
const char *tf_refusal_get_refused_at (TfRefusal *self);
/* What it is, in words: "Journal entry", "Mood check-in", "Key grant"… */
const char *tf_refusal_get_what       (TfRefusal *self);
/* Why, in words: "Changed after its author signed it"… */
const char *tf_refusal_get_why        (TfRefusal *self);
/* The check's own sentence, with its details. */
const char *tf_refusal_get_message    (TfRefusal *self);
/* Whose it is said to be: a name, "You", or NULL when this device has no
 * name for them (or no one is named). */
const char *tf_refusal_get_whose      (TfRefusal *self);
/* The user id it is said to be from — by the copy this device holds, or
 * else by the server's copy — or NULL when neither names anyone. */
const char *tf_refusal_get_author_id  (TfRefusal *self);
/* TRUE when that user is this account or someone whose keys this device
 * pinned; FALSE when only the server says who they are. */
gboolean    tf_refusal_get_author_known (TfRefusal *self);

/* Every refusal of @vault's store, oldest first, as a new list of
 * TfRefusal. */
GListModel *tf_refusals_list          (TfVault   *vault,
                                       GError   **error);

/* @table_name in words, capitalised ("Journal entry"). */
const char *tf_refusals_describe_table (const char *table_name);
/* Why a refusal with @code was made, in words; NULL for a code this device
 * has no words for (the refusal's message then says it). */
const char *tf_refusals_describe_code  (const char *code);

G_END_DECLS
