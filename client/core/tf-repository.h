/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-repository.h: live lists of records for the app to bind to.
 *
 * A TfRepository is a GListModel of TfItem: the live records of one table
 * (optionally those whose column equals a value) in plain form, as
 * tf_vault_list returns them.  When the store changes the table — a local
 * write, a pulled page, a re-key, a share granted or revoked — the
 * repository reloads once on the main context it was made in, however many
 * records changed and from whichever thread, and announces only the range
 * that differs.  No SQL leaves client/store/.
 */
#pragma once

#include <gio/gio.h>

#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_TYPE_ITEM (tf_item_get_type ())
G_DECLARE_FINAL_TYPE (TfItem, tf_item, TF, ITEM, GObject)

const char *tf_item_get_id      (TfItem     *self);
/* The record in plain form (owned by the item; do not change it). */
JsonObject *tf_item_get_plain   (TfItem     *self);
/* A string member, or NULL when absent or not a string. */
const char *tf_item_get_string  (TfItem     *self,
                                 const char *member);
gint64      tf_item_get_int     (TfItem     *self,
                                 const char *member,
                                 gint64      fallback);
gboolean    tf_item_get_boolean (TfItem     *self,
                                 const char *member,
                                 gboolean    fallback);

#define TF_TYPE_REPOSITORY (tf_repository_get_type ())
G_DECLARE_FINAL_TYPE (TfRepository, tf_repository, TF, REPOSITORY, GObject)

/* The records of @table (those with @column = @value when @column is not
 * NULL), loaded now.  A load that fails leaves the list empty and keeps the
 * error for tf_repository_get_error. */
TfRepository *tf_repository_new       (TfVault       *vault,
                                       const TfTable *table,
                                       const char    *column,
                                       const char    *value);
/* Reloads now (normally it happens by itself). */
gboolean      tf_repository_refresh   (TfRepository  *self,
                                       GError       **error);
/* The error of the last load, or NULL. */
const GError *tf_repository_get_error (TfRepository  *self);
/* The item of record @id as last loaded, or NULL. */
TfItem       *tf_repository_dup_item  (TfRepository  *self,
                                       const char    *id);

G_END_DECLS
