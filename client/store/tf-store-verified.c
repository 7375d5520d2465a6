/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-store-verified.c: verification marks and key changes (tables
 * verified_keys and key_changes; sql/sqlite/0014-verified-keys.sql says
 * why they hold what they hold).
 *
 * The order of a key change matters: the device keeps using the pinned
 * keys, records what the server presents instead, and drops the verified
 * mark in the same transaction, so no state ever shows "verified" beside a
 * change the person has not seen.  Only accepting the change (after they
 * compared the new safety number) pins the new keys.
 */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-store-private.h"
#include "tf-store-verified.h"
#include "tf-time.h"

static const char * const change_columns[] = {
  "user_id", "old_fingerprint", "identity_public_key", "signing_public_key", "fingerprint",
  "first_seen_at", "seen_at", "rotation_signed",
};

/* The one row of @sql for @user_id; NULL with @error on a failure, NULL
 * alone when there is none. */
static JsonObject *
query_one (TfStore *self, const char *sql, const char *user_id, const char * const *names,
           guint n_names, GError **error)
{
  g_autoptr(GPtrArray) rows = tf_store_query_objects (self, sql, user_id, names, n_names, error);

  if (rows == NULL || rows->len == 0)
    return NULL;
  return json_object_ref (g_ptr_array_index (rows, 0));
}

gboolean
tf_store_mark_verified (TfStore *self, const char *user_id, const char *safety_number,
                        GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { user_id, safety_number, stamp };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && safety_number != NULL, FALSE);

  return tf_store_exec_bound (self,
                              "INSERT INTO verified_keys (user_id, safety_number, verified_at)"
                              " VALUES (?1, ?2, ?3) ON CONFLICT (user_id) DO UPDATE"
                              " SET safety_number = excluded.safety_number,"
                              " verified_at = excluded.verified_at",
                              params, G_N_ELEMENTS (params), error);
}

JsonObject *
tf_store_lookup_verified (TfStore *self, const char *user_id, GError **error)
{
  static const char * const names[] = { "user_id", "safety_number", "verified_at" };
  GError *local = NULL;
  JsonObject *mark;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  mark = query_one (self, "SELECT user_id, safety_number, verified_at"
                          " FROM verified_keys WHERE user_id = ?1",
                    user_id, names, G_N_ELEMENTS (names), &local);
  if (mark == NULL && local == NULL)
    g_set_error (&local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                 _("Nobody verified the safety number with %s on this device"), user_id);
  if (local != NULL)
    g_propagate_error (error, local);
  return mark;
}

/* @data: the parameters of tf_store_record_key_change(), then the time. */
static gboolean
record_change_body (TfStore *self, gpointer data, GError **error)
{
  const char * const *params = data;

  /* A change met again keeps when it was first seen; another change
   * replaces the keys it names. */
  return tf_store_exec_bound (self,
                              "INSERT INTO key_changes (user_id, old_fingerprint,"
                              " identity_public_key, signing_public_key, fingerprint,"
                              " first_seen_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)"
                              " ON CONFLICT (user_id) DO UPDATE"
                              " SET identity_public_key = excluded.identity_public_key,"
                              " signing_public_key = excluded.signing_public_key,"
                              " fingerprint = excluded.fingerprint,"
                              " first_seen_at = CASE WHEN key_changes.fingerprint ="
                              " excluded.fingerprint THEN key_changes.first_seen_at"
                              " ELSE excluded.first_seen_at END,"
                              " rotation_signed = CASE WHEN key_changes.fingerprint ="
                              " excluded.fingerprint THEN key_changes.rotation_signed ELSE 0 END,"
                              " seen_at = excluded.seen_at",
                              params, 6, error) &&
         tf_store_exec_bound (self, "DELETE FROM verified_keys WHERE user_id = ?1", params, 1,
                              error) &&
         /* Checked now: the next sync need not ask again at once. */
         tf_store_exec_bound (self, "UPDATE known_keys SET fetched_at = ?2 WHERE user_id = ?1",
                              (const char *[]) { params[0], params[5] }, 2, error);
}

gboolean
tf_store_record_key_change (TfStore *self, const char *user_id, const char *old_fingerprint,
                            const char *identity_public_key, const char *signing_public_key,
                            const char *fingerprint, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { user_id, old_fingerprint, identity_public_key, signing_public_key,
                           fingerprint, stamp };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && old_fingerprint != NULL && fingerprint != NULL, FALSE);
  g_return_val_if_fail (identity_public_key != NULL && signing_public_key != NULL, FALSE);

  return tf_store_in_transaction (self, record_change_body, params, error);
}

JsonObject *
tf_store_lookup_key_change (TfStore *self, const char *user_id, GError **error)
{
  GError *local = NULL;
  JsonObject *change;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  change = query_one (self, "SELECT user_id, old_fingerprint, identity_public_key,"
                            " signing_public_key, fingerprint, first_seen_at, seen_at, rotation_signed"
                            " FROM key_changes WHERE user_id = ?1",
                      user_id, change_columns, G_N_ELEMENTS (change_columns), &local);
  if (change == NULL && local == NULL)
    g_set_error (&local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                 _("The keys of %s did not change"), user_id);
  if (local != NULL)
    g_propagate_error (error, local);
  return change;
}

GPtrArray *
tf_store_list_key_changes (TfStore *self, GError **error)
{
  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  return tf_store_query_objects (self, "SELECT user_id, old_fingerprint, identity_public_key,"
                                       " signing_public_key, fingerprint, first_seen_at, seen_at,"
                                       " rotation_signed FROM key_changes ORDER BY first_seen_at, user_id",
                                 NULL, change_columns, G_N_ELEMENTS (change_columns), error);
}

typedef struct
{
  const char *user_id;
  const char *identity;
  const char *signing;
  const char *safety_number;
} Accept;

static gboolean
accept_body (TfStore *self, gpointer data, GError **error)
{
  Accept *a = data;
  g_autoptr(JsonObject) change = tf_store_lookup_key_change (self, a->user_id, error);
  const char *params[] = { a->user_id, NULL };

  if (change == NULL)
    return FALSE;
  if (g_strcmp0 (json_object_get_string_member (change, "identity_public_key"), a->identity) != 0 ||
      g_strcmp0 (json_object_get_string_member (change, "signing_public_key"), a->signing) != 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                   _("The keys of %s changed again; compare the new safety number first"),
                   a->user_id);
      return FALSE;
    }
  /* The keys a signed rotation replaced still verify what they signed. */
  if (g_strcmp0 (json_object_get_string_member (change, "rotation_signed"), "1") == 0 &&
      !tf_store_exec_bound (self, "INSERT OR IGNORE INTO previous_keys (user_id,"
                                  " signing_public_key, identity_public_key, replaced_at)"
                                  " SELECT user_id, signing_public_key, identity_public_key,"
                                  " strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM known_keys"
                                  " WHERE user_id = ?1", params, 1, error))
    return FALSE;
  return tf_store_exec_bound (self,
                              "UPDATE known_keys SET (identity_public_key, signing_public_key,"
                              " fingerprint, fetched_at) = (SELECT identity_public_key,"
                              " signing_public_key, fingerprint, seen_at FROM key_changes"
                              " WHERE user_id = ?1) WHERE user_id = ?1",
                              params, 1, error) &&
         tf_store_exec_bound (self, "DELETE FROM key_changes WHERE user_id = ?1", params, 1,
                              error) &&
         (a->safety_number == NULL ||
          tf_store_mark_verified (self, a->user_id, a->safety_number, error));
}

gboolean
tf_store_accept_key_change (TfStore *self, const char *user_id, const char *identity_public_key,
                            const char *signing_public_key, const char *safety_number,
                            GError **error)
{
  Accept a = { user_id, identity_public_key, signing_public_key, safety_number };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (identity_public_key != NULL && signing_public_key != NULL, FALSE);

  return tf_store_in_transaction (self, accept_body, &a, error);
}

gboolean
tf_store_set_key_change_signed (TfStore *self, const char *user_id, const char *fingerprint,
                                GError **error)
{
  const char *params[] = { user_id, fingerprint };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && fingerprint != NULL, FALSE);

  return tf_store_exec_bound (self, "UPDATE key_changes SET rotation_signed = 1"
                                    " WHERE user_id = ?1 AND fingerprint = ?2",
                              params, G_N_ELEMENTS (params), error);
}

gboolean
tf_store_add_previous_key (TfStore *self, const char *user_id, const char *signing_public_key,
                           const char *identity_public_key, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  const char *params[] = { user_id, signing_public_key, identity_public_key, stamp };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (user_id != NULL && signing_public_key != NULL, FALSE);
  g_return_val_if_fail (identity_public_key != NULL, FALSE);

  return tf_store_exec_bound (self, "INSERT OR IGNORE INTO previous_keys (user_id,"
                                    " signing_public_key, identity_public_key, replaced_at)"
                                    " VALUES (?1, ?2, ?3, ?4)",
                              params, G_N_ELEMENTS (params), error);
}

GPtrArray *
tf_store_list_previous_signing (TfStore *self, const char *user_id, GError **error)
{
  static const char * const names[] = { "signing_public_key" };
  g_autoptr(GPtrArray) rows = NULL;
  GPtrArray *out;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (user_id != NULL, NULL);

  rows = tf_store_query_objects (self, "SELECT signing_public_key FROM previous_keys"
                                       " WHERE user_id = ?1 ORDER BY replaced_at DESC",
                                 user_id, names, G_N_ELEMENTS (names), error);
  if (rows == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (out, g_strdup (json_object_get_string_member (g_ptr_array_index (rows, i),
                                                                   "signing_public_key")));
  return out;
}
