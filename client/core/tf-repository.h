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
 *
 * A derived repository lists what a load function makes of several tables
 * (a therapist's clients from their care and their profiles, goals with
 * their streaks, a day's free slots): it follows the store's changes of
 * each of them in the same way, so a page bound to it never reloads it.
 */
#pragma once

#include <gio/gio.h>

#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_TYPE_ITEM (tf_item_get_type ())
G_DECLARE_FINAL_TYPE (TfItem, tf_item, TF, ITEM, GObject)

/* An item of @plain (a record's plain form, or a member of a derived
 * record: a session's notes); the item keeps a reference. */
TfItem     *tf_item_new         (JsonObject *plain);
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

/* What a derived repository lists, made from @vault: the records in the
 * order shown, as JSON objects (the array owns them), or NULL with @error.
 * Runs on the repository's main context, after every change of its
 * tables. */
typedef GPtrArray *(*TfRepositoryLoad) (TfVault  *vault,
                                        gpointer  data,
                                        GError  **error);

/* The records of @table (those with @column = @value when @column is not
 * NULL), loaded now.  A load that fails leaves the list empty and keeps the
 * error for tf_repository_get_error. */
TfRepository *tf_repository_new       (TfVault       *vault,
                                       const TfTable *table,
                                       const char    *column,
                                       const char    *value);
/* What @load makes of @tables (names, NULL-terminated), loaded now and
 * again whenever the store changes one of them (or the key grants, when
 * one of them is encrypted).  @data goes to @load; @destroy frees it with
 * the repository. */
TfRepository *tf_repository_new_derived (TfVault           *vault,
                                         const char *const *tables,
                                         TfRepositoryLoad   load,
                                         gpointer           data,
                                         GDestroyNotify     destroy);
/* When the records @records loaded (their plain JsonObjects) next mean
 * something else by the clock alone — an appointment that begins or ends
 * — in microseconds since the epoch, after @now (the same); 0 for never. */
typedef gint64 (*TfRepositoryNextChange) (GPtrArray *records,
                                          gint64     now);

/* Reloads too when @next_change says the records' time comes (NULL stops
 * it), for a list whose items say something of the time that no change of
 * the store announces: one timeout at that instant, scheduled again after
 * each load, none while nothing is to come.  Only the items that changed
 * are replaced. */
void          tf_repository_reload_when (TfRepository          *self,
                                         TfRepositoryNextChange next_change);
/* Reloads now (normally it happens by itself). */
gboolean      tf_repository_refresh   (TfRepository  *self,
                                       GError       **error);
/* The error of the last load, or NULL (also the "error" property,
 * notified when it changes). */
const GError *tf_repository_get_error (TfRepository  *self);
/* How many records it lists (also the "n-items" property, notified when
 * it changes, for a page's "nothing yet" state). */
guint         tf_repository_get_n_items (TfRepository *self);
/* The item of record @id as last loaded, or NULL. */
TfItem       *tf_repository_dup_item  (TfRepository  *self,
                                       const char    *id);

G_END_DECLS
