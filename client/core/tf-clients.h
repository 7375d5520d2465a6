/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-clients.h: a therapist's clients as the app lists them — one record
 * per client of the account's care relationships, named from their
 * profile — and the name a profile gives a person.
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* The name @profile (a plain profiles record, or NULL) shows: its display
 * name, else first and last name; NULL when it has none. */
char         *tf_client_name_from_profile (JsonObject *profile);

/* The name of @user_id as their profile on this device gives it, or NULL
 * (no profile, or one without a name). */
char         *tf_clients_dup_name         (TfVault    *vault,
                                           const char *user_id);

/* User id → name (tf_client_name_from_profile) of every profile this
 * device holds that gives one; NULL with @error when they cannot be read. */
GHashTable   *tf_clients_dup_names        (TfVault    *vault,
                                           GError    **error);

/* This therapist's clients, live: a TfItem per client, {id (the client's
 * user id), name (from the profile, else "Unknown client"), search_key
 * (the name folded by tf_text_fold_for_search), active, stamp (when care
 * began if active, else when it ended; may be absent)}.  A client with
 * several relationships is listed once, by the active one if any, else
 * the one that ended last.  Active clients first, then the others, each
 * in the locale's alphabetical order.  It reloads by itself when a care
 * relationship or a profile changes. */
TfRepository *tf_clients_list_new         (TfVault    *vault);

G_END_DECLS
