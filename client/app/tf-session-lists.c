/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-session-lists.c: the list models the session hands to pages, as
 * GNOME Calendar's context hands its views theirs.  Each is a repository
 * of the open vault (tf-repository.h): one table's records, or a list
 * client/core derives from several (the clients, the goals, free slots).
 * A repository follows the store's change signal itself — a local write,
 * a sync's pulled pages, a share granted — so a page binds it once
 * (gtk_list_box_bind_model) and never wires a refresh of its own.
 */
#define G_LOG_DOMAIN "tf-session"

#include "config.h"

#include "tf-addenda.h"
#include "tf-booking-lists.h"
#include "tf-clients.h"
#include "tf-goals-list.h"
#include "tf-notes-list.h"
#include "tf-plans-list.h"
#include "tf-schedule-range.h"
#include "tf-schedule-week.h"
#include "tf-time.h"
#include "tf-registry.h"
#include "tf-session-private.h"

TfRepository *
tf_session_dup_clients (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return self->vault != NULL ? tf_clients_list_new (self->vault) : NULL;
}

TfRepository *
tf_session_dup_free_slots (TfSession *self, const char *therapist_id, const char *service_id,
                           int year, int month, int day)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);

  if (self->vault == NULL)
    return NULL;
  return tf_booking_slots_new (self->vault, therapist_id, service_id, year, month, day);
}

TfRepository *
tf_session_dup_blocked_dates (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return self->vault != NULL ? tf_booking_blocked_new (self->vault) : NULL;
}

TfRepository *
tf_session_dup_goals (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return self->vault != NULL ? tf_goals_list_new (self->vault) : NULL;
}

TfRepository *
tf_session_dup_note_sessions (TfSession *self, const char *client_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return self->vault != NULL ? tf_notes_sessions_new (self->vault, client_id) : NULL;
}

TfRepository *
tf_session_dup_addenda (TfSession *self, const char *note_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (note_id != NULL, NULL);

  return self->vault != NULL ? tf_addenda_list_new (self->vault, note_id) : NULL;
}

TfRepository *
tf_session_dup_plans (TfSession *self, const char *client_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return self->vault != NULL ? tf_plans_list_new (self->vault, client_id) : NULL;
}

TfRepository *
tf_session_dup_week (TfSession *self, GDateTime *week_start)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (week_start != NULL, NULL);

  return self->vault != NULL ? tf_schedule_week_new (self->vault, week_start) : NULL;
}

TfRepository *
tf_session_dup_appointments_between (TfSession *self, GDateTime *from, GDateTime *to)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  return self->vault != NULL ? tf_schedule_range_new (self->vault, from, to) : NULL;
}

GTimeZone *
tf_session_dup_time_zone (TfSession *self)
{
  GTimeZone *zone;

  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  if (self->vault != NULL)
    return tf_schedule_dup_zone (self->vault);
  zone = g_time_zone_new_identifier (TF_DEFAULT_TIMEZONE);
  return zone != NULL ? zone : g_time_zone_new_local ();
}

TfRepository *
tf_session_dup_my_appointments (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return self->vault != NULL ? tf_booking_mine_new (self->vault) : NULL;
}

/* --- one person's records --------------------------------------------------- */

/* The records of @table_name whose @column is @user_id (NULL: the
 * account's own). */
static TfRepository *
dup_of_person (TfSession *self, const char *table_name, const char *column, const char *user_id)
{
  if (self->vault == NULL)
    return NULL;
  return tf_repository_new (self->vault, tf_registry_lookup (table_name), column,
                            user_id != NULL ? user_id : tf_vault_get_user_id (self->vault));
}

TfRepository *
tf_session_dup_moods (TfSession *self, const char *user_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return dup_of_person (self, "mood_entries", "user_id", user_id);
}

TfRepository *
tf_session_dup_journal (TfSession *self, const char *user_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return dup_of_person (self, "journal_entries", "user_id", user_id);
}

TfRepository *
tf_session_dup_profile (TfSession *self, const char *user_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return dup_of_person (self, "profiles", "user_id", user_id);
}

TfRepository *
tf_session_dup_care (TfSession *self, const char *client_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return dup_of_person (self, "care_relationships", "client_id", client_id);
}

TfRepository *
tf_session_dup_intakes (TfSession *self, const char *client_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return dup_of_person (self, "client_intakes", "client_id", client_id);
}

TfRepository *
tf_session_dup_histories (TfSession *self, const char *client_id)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  return dup_of_person (self, "client_histories", "client_id", client_id);
}

TfRepository *
tf_session_dup_services (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  if (self->vault == NULL)
    return NULL;
  return tf_repository_new (self->vault, tf_registry_lookup ("services"), NULL, NULL);
}

TfRepository *
tf_session_dup_offers (TfSession *self)
{
  g_return_val_if_fail (TF_IS_SESSION (self), NULL);

  return dup_of_person (self, "therapist_services", "therapist_id", NULL);
}
