/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-notes-list.c: the notes view's list (tf-notes-list.h), a derived
 * repository over appointments, sessions and session_notes: a session, or
 * a note written by the CLI or brought by a sync, changes that session's
 * record in the list and no other, without anyone reloading it.
 */
#define G_LOG_DOMAIN "tf-notes"

#include "config.h"

#include "tf-notes-list.h"
#include "tf-registry.h"
#include "tf-time.h"

static gboolean
is_session (JsonObject *appointment, const char *me)
{
  const char *status = tf_json_get_string (appointment, "status");
  const char *at = tf_json_get_string (appointment, "appointment_datetime");
  g_autoptr(GDateTime) when = at != NULL ? tf_time_parse_timestamp (at, NULL) : NULL;

  return when != NULL && g_strcmp0 (tf_json_get_string (appointment, "therapist_id"), me) == 0 &&
         (g_strcmp0 (status, "confirmed") == 0 || g_strcmp0 (status, "completed") == 0);
}

/* Latest first, by time (the stored UTC spelling, parsed), then by id. */
static int
latest_first (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  g_autoptr(GDateTime) x_at = tf_time_parse_timestamp (
    tf_json_get_string (x, "appointment_datetime"), NULL);
  g_autoptr(GDateTime) y_at = tf_time_parse_timestamp (
    tf_json_get_string (y, "appointment_datetime"), NULL);
  int by_time = g_date_time_compare (y_at, x_at);

  return by_time != 0 ? by_time
                      : g_strcmp0 (tf_json_get_string (x, "id"), tf_json_get_string (y, "id"));
}

static int
older_note_first (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;

  return g_strcmp0 (tf_json_get_string (x, "created_at"), tf_json_get_string (y, "created_at"));
}

/* appointment id → GPtrArray of its notes (borrowed from @notes), oldest
 * first. */
static GHashTable *
notes_by_appointment (GPtrArray *sessions, GPtrArray *notes)
{
  g_autoptr(GHashTable) appointment_of = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTable *by_appointment = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                      (GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer list;

  for (guint i = 0; i < sessions->len; i++)
    {
      JsonObject *session = g_ptr_array_index (sessions, i);
      const char *appointment = tf_json_get_string (session, "appointment_id");

      if (appointment != NULL && tf_json_get_string (session, "id") != NULL)
        g_hash_table_insert (appointment_of, (char *) tf_json_get_string (session, "id"),
                             (char *) appointment);
    }
  for (guint i = 0; i < notes->len; i++)
    {
      JsonObject *note = g_ptr_array_index (notes, i);
      const char *appointment = g_hash_table_lookup (appointment_of,
                                                     tf_json_get_string (note, "session_id"));
      GPtrArray *of_it;

      if (appointment == NULL)
        continue;
      of_it = g_hash_table_lookup (by_appointment, appointment);
      if (of_it == NULL)
        {
          of_it = g_ptr_array_new ();
          g_hash_table_insert (by_appointment, (char *) appointment, of_it);
        }
      g_ptr_array_add (of_it, note);
    }
  g_hash_table_iter_init (&iter, by_appointment);
  while (g_hash_table_iter_next (&iter, NULL, &list))
    g_ptr_array_sort (list, older_note_first);
  return by_appointment;
}

static GPtrArray *
load_sessions (TfVault *vault, gpointer data, GError **error)
{
  const char *client_id = data;
  const char *me = tf_vault_get_user_id (vault);
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(GHashTable) by_appointment = NULL;
  GPtrArray *visits;

  appointments = tf_vault_list (vault, tf_registry_lookup ("appointments"), "client_id",
                                client_id, error);
  if (appointments == NULL)
    return NULL;
  sessions = tf_vault_list (vault, tf_registry_lookup ("sessions"), NULL, NULL, error);
  if (sessions == NULL)
    return NULL;
  notes = tf_vault_list (vault, tf_registry_lookup ("session_notes"), "therapist_id", me, error);
  if (notes == NULL)
    return NULL;
  by_appointment = notes_by_appointment (sessions, notes);
  visits = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < appointments->len; i++)
    {
      JsonObject *appointment = g_ptr_array_index (appointments, i);
      GPtrArray *of_it = g_hash_table_lookup (by_appointment,
                                              tf_json_get_string (appointment, "id"));
      JsonArray *listed = json_array_new ();

      if (!is_session (appointment, me))
        {
          json_array_unref (listed);
          continue;
        }
      for (guint n = 0; of_it != NULL && n < of_it->len; n++)
        json_array_add_object_element (listed, json_object_ref (g_ptr_array_index (of_it, n)));
      json_object_set_array_member (appointment, "notes", listed);
      g_ptr_array_add (visits, json_object_ref (appointment));
    }
  g_ptr_array_sort (visits, latest_first);
  return visits;
}

TfRepository *
tf_notes_sessions_new (TfVault *vault, const char *client_id)
{
  static const char *const tables[] = { "appointments", "sessions", "session_notes", NULL };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return tf_repository_new_derived (vault, tables, load_sessions, g_strdup (client_id), g_free);
}
