/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goals.c: saving and deleting goals (tf-goals.h).
 *
 * An edit starts from the stored plain form, so the columns the forms do
 * not show (description, category, target date, status) and the immutable
 * creation time stay as they were.  A delete runs in tf_vault_atomic: the
 * goal's marks and the goal go in one transaction and one push group, so
 * no device is ever left with marks of a goal that is gone.
 */
#define G_LOG_DOMAIN "tf-goals"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-error.h"
#include "tf-goals.h"
#include "tf-time.h"
#include "tf-vault-private.h"

gboolean
tf_goal_save (TfVault *vault, const char *id, const char *title, const char *frequency,
              int target, JsonObject **out_plain, GError **error)
{
  const TfTable *table = tf_registry_lookup ("goals");
  g_autoptr(JsonObject) plain = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL && title != NULL && frequency != NULL, FALSE);

  if (!tf_vault_dup_own (vault, table, id, _("Only the person whose goal it is can change it"),
                         &plain, error))
    return FALSE;
  if (plain == NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = tf_time_format_timestamp (now);

      plain = json_object_new ();
      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "user_id", tf_vault_get_user_id (vault));
      json_object_set_string_member (plain, "status", "active");
      json_object_set_string_member (plain, "created_at", stamp);
    }
  json_object_set_string_member (plain, "title", title);
  json_object_set_string_member (plain, "frequency", frequency);
  json_object_set_int_member (plain, "target_count", target);
  return tf_vault_put_keep (vault, table, id, plain, out_plain, error);
}

typedef struct
{
  TfVault    *vault;
  const char *id;
  const char *goal_id;
  const char *date;
  const char *notes;
  JsonObject *plain;  /* out: the mark saved */
} Mark;

static gboolean
mark_body (TfStore *store, gpointer data, GError **error)
{
  Mark *m = data;
  const TfTable *marks = tf_registry_lookup ("goal_progress");
  g_autoptr(GPtrArray) done = tf_vault_list (m->vault, marks, "goal_id", m->goal_id, error);
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);

  if (done == NULL)
    return FALSE;
  for (guint i = 0; i < done->len; i++)
    {
      JsonObject *mark = g_ptr_array_index (done, i);

      if (g_strcmp0 (tf_json_get_string (mark, "completed_date"), m->date) == 0 &&
          g_strcmp0 (tf_json_get_string (mark, "id"), m->id) != 0)
        {
          g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_CONSTRAINT,
                       _("This goal is already marked done on %s"), m->date);
          return FALSE;
        }
    }
  plain = json_object_new ();
  json_object_set_string_member (plain, "id", m->id);
  json_object_set_string_member (plain, "goal_id", m->goal_id);
  json_object_set_string_member (plain, "completed_date", m->date);
  if (m->notes != NULL)
    json_object_set_string_member (plain, "notes", m->notes);
  json_object_set_string_member (plain, "created_at", stamp);
  if (!tf_vault_put (m->vault, marks, m->id, plain, error))
    return FALSE;
  m->plain = g_steal_pointer (&plain);
  return TRUE;
}

gboolean
tf_goal_mark_done (TfVault *vault, const char *id, const char *goal_id, const char *date,
                   const char *notes, JsonObject **out_plain, GError **error)
{
  Mark m = { vault, id, goal_id, date, notes, NULL };
  gboolean ok;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL && goal_id != NULL && date != NULL, FALSE);

  ok = tf_vault_atomic (vault, mark_body, &m, error);
  if (ok && out_plain != NULL)
    *out_plain = g_steal_pointer (&m.plain);
  g_clear_pointer (&m.plain, json_object_unref);
  return ok;
}

typedef struct
{
  TfVault    *vault;
  const char *id;
} Delete;

static gboolean
delete_body (TfStore *store, gpointer data, GError **error)
{
  Delete *d = data;
  const TfTable *marks = tf_registry_lookup ("goal_progress");
  g_autoptr(GPtrArray) done = tf_vault_list (d->vault, marks, "goal_id", d->id, error);

  if (done == NULL)
    return FALSE;
  for (guint i = 0; i < done->len; i++)
    if (!tf_vault_delete (d->vault, marks, tf_json_get_string (g_ptr_array_index (done, i), "id"),
                          error))
      return FALSE;
  return tf_vault_delete (d->vault, tf_registry_lookup ("goals"), d->id, error);
}

gboolean
tf_goal_delete (TfVault *vault, const char *id, GError **error)
{
  Delete d = { vault, id };

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return tf_vault_atomic (vault, delete_body, &d, error);
}
