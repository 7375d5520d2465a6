/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-plans-list.h: a client's treatment plans as their therapist's editor
 * follows them — a repository (tf-repository.h) that reloads by itself
 * when a plan changes, a sync's pulled pages included.
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* This therapist's treatment plans for @client_id, live, the current one
 * first: an active plan before one on hold, before a completed one (a
 * status that is none of these ranks as completed), the latest changed of
 * each (updated_at, else created_at), then by id.  A TfItem per plan, as
 * tf_vault_list gives it. */
TfRepository *tf_plans_list_new (TfVault    *vault,
                                 const char *client_id);

G_END_DECLS
