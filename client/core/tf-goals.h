/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goals.h: the write paths of a goal, shared by the app and the CLI.
 *
 * As a check-in (tf-checkin.h), a goal is saved under an id its caller
 * chose and keeps: the first save makes it, every later one edits it, so a
 * form saved again after an error never makes a second goal.  Deleting a
 * goal deletes the days it was marked done with it, in one transaction.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* Saves goal @id of this account: @title (not empty), @frequency
 * ("daily", "weekly" or "monthly"), @target times per period (≥ 1).  An
 * edit keeps the stored goal's creation time, status and other fields.
 * Nothing is stored when it fails. */
gboolean tf_goal_save   (TfVault    *vault,
                         const char *id,
                         const char *title,
                         const char *frequency,
                         int         target,
                         JsonObject **out_plain,
                         GError     **error);

/* Marks goal @goal_id done on @date (YYYY-MM-DD) as mark @id, with @notes
 * (NULL: none).  A day the goal is already marked done on fails with
 * TF_STORE_ERROR_CONSTRAINT (one mark a day, the server's rule too); the
 * check and the write are one transaction.  @out_plain (optional)
 * receives the plain form saved. */
gboolean tf_goal_mark_done (TfVault    *vault,
                            const char *id,
                            const char *goal_id,
                            const char *date,
                            const char *notes,
                            JsonObject **out_plain,
                            GError     **error);

/* Deletes goal @id of this account and every mark of it done: all of it,
 * or (on failure) none. */
gboolean tf_goal_delete (TfVault    *vault,
                         const char *id,
                         GError     **error);

G_END_DECLS
