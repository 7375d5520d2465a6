/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-goals-list.c: the goals page's list (tf-goals-list.h), a derived
 * repository over goals and goal_progress: a goal or a day done that
 * arrives with a sync, or that the CLI writes, changes that goal's record
 * in the list and no other, without anyone reloading it.
 */
#define G_LOG_DOMAIN "tf-goals"

#include "config.h"

#include "tf-goals-list.h"
#include "tf-registry.h"
#include "tf-streaks.h"

/* goal id → GPtrArray of its completed dates (borrowed from @marks). */
static GHashTable *
collect_dates (GPtrArray *marks)
{
  GHashTable *by_goal = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                               (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < marks->len; i++)
    {
      JsonObject *mark = g_ptr_array_index (marks, i);
      const char *goal_id = tf_json_get_string (mark, "goal_id");
      const char *date = tf_json_get_string (mark, "completed_date");
      GPtrArray *dates;

      if (goal_id == NULL || date == NULL)
        continue;
      dates = g_hash_table_lookup (by_goal, goal_id);
      if (dates == NULL)
        {
          dates = g_ptr_array_new ();
          g_hash_table_insert (by_goal, (gpointer) goal_id, dates);
        }
      g_ptr_array_add (dates, (gpointer) date);
    }
  return by_goal;
}

static GPtrArray *
load_goals (TfVault *vault, gpointer data, GError **error)
{
  g_autoptr(GPtrArray) goals = NULL;
  g_autoptr(GPtrArray) marks = NULL;
  g_autoptr(GHashTable) by_goal = NULL;
  g_autoptr(GPtrArray) none = g_ptr_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  goals = tf_vault_list (vault, tf_registry_lookup ("goals"), "user_id",
                         tf_vault_get_user_id (vault), error);
  if (goals == NULL)
    return NULL;
  marks = tf_vault_list (vault, tf_registry_lookup ("goal_progress"), NULL, NULL, error);
  if (marks == NULL)
    return NULL;
  by_goal = collect_dates (marks);
  for (guint i = 0; i < goals->len; i++)
    {
      JsonObject *goal = g_ptr_array_index (goals, i);
      const char *frequency = tf_json_get_string (goal, "frequency");
      GPtrArray *dates = g_hash_table_lookup (by_goal, tf_json_get_string (goal, "id"));
      guint current = 0, best = 0;
      gboolean done_today = FALSE;

      if (dates == NULL)
        dates = none;
      for (guint d = 0; d < dates->len; d++)
        done_today |= g_strcmp0 (g_ptr_array_index (dates, d), today) == 0;
      tf_streaks_compute (frequency, dates, today, &current, &best);
      json_object_set_boolean_member (goal, "done_today", done_today);
      json_object_set_int_member (goal, "current_streak", current);
      json_object_set_int_member (goal, "best_streak", best);
      json_object_set_int_member (goal, "done_in_period",
                                  tf_streaks_count_in_period (frequency, dates, today));
    }
  return g_steal_pointer (&goals);
}

TfRepository *
tf_goals_list_new (TfVault *vault)
{
  static const char *const tables[] = { "goals", "goal_progress", NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  return tf_repository_new_derived (vault, tables, load_goals, NULL, NULL);
}
