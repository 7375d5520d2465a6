/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-conflict-card.h: one conflict copy waiting for the user, as a group
 * of the Conflicts page — what the record is, its two versions, and the
 * choice between them.  Choosing emits "keep" with the TfKeep chosen; the
 * page asks for confirmation and resolves.
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TF_TYPE_CONFLICT_CARD (tf_conflict_card_get_type ())
G_DECLARE_FINAL_TYPE (TfConflictCard, tf_conflict_card, TF, CONFLICT_CARD, AdwPreferencesGroup)

/* @conflict is one of tf_vault_list_conflicts(): {table, id, local,
 * server}, its table one of the registry's. */
GtkWidget  *tf_conflict_card_new             (JsonObject     *conflict);
/* The conflict copy's id. */
const char *tf_conflict_card_get_copy_id     (TfConflictCard *self);
/* Whether the record is gone from the server (deleted on another device). */
gboolean    tf_conflict_card_get_server_gone (TfConflictCard *self);
/* Gives the focus to the card's first choice that can be made; FALSE when
 * there is none. */
gboolean    tf_conflict_card_focus_choice    (TfConflictCard *self);

G_END_DECLS
