/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-therapist.c: a therapist books for a client in their care —
 * the one write path the app's New Appointment dialog, its calendar and the
 * CLI's "appointment book --client" share.
 *
 * A therapist's booking is confirmed from the start (they are the one who
 * would confirm it), takes the length and the price of their own offer of
 * the service (the server sets both again from therapist_services,
 * whatever the device sent), and never overlaps another live appointment
 * of theirs.  The rules a client's booking obeys (working hours, notice)
 * are the therapist's to override: their own calendar is theirs.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account.h"
#include "tf-booking.h"
#include "tf-booking-private.h"
#include "tf-slots.h"
#include "tf-store.h"
#include "tf-time.h"
#include "tf-validate.h"

gboolean
tf_booking_in_care (TfVault *vault, const char *therapist_id, const char *client_id,
                    gboolean *out_in_care, GError **error)
{
  g_autoptr(GPtrArray) care = NULL;

  *out_in_care = FALSE;
  care = tf_vault_list (vault, tf_registry_lookup ("care_relationships"), "therapist_id",
                        therapist_id, error);
  if (care == NULL)
    return FALSE;
  for (guint i = 0; i < care->len && !*out_in_care; i++)
    {
      JsonObject *o = g_ptr_array_index (care, i);

      *out_in_care = g_strcmp0 (tf_json_get_string (o, "status"), "active") == 0 &&
                     g_strcmp0 (tf_json_get_string (o, "client_id"), client_id) == 0;
    }
  return TRUE;
}

gboolean
tf_booking_find_overlap (TfVault *vault, const char *therapist_id, const char *except_id,
                         GDateTime *start, int duration, int margin_minutes,
                         char **out_other_id, GError **error)
{
  g_autoptr(GPtrArray) booked = NULL;
  g_autoptr(GDateTime) from = g_date_time_add_minutes (start, -margin_minutes);
  g_autoptr(GDateTime) until = g_date_time_add_minutes (start, duration + margin_minutes);

  *out_other_id = NULL;
  booked = tf_vault_list (vault, tf_registry_lookup ("appointments"), "therapist_id",
                          therapist_id, error);
  if (booked == NULL)
    return FALSE;
  for (guint i = 0; i < booked->len; i++)
    {
      JsonObject *o = g_ptr_array_index (booked, i);
      g_autoptr(GDateTime) b = NULL, b_end = NULL;

      if (g_strcmp0 (tf_json_get_string (o, "id"), except_id) == 0 ||
          g_strcmp0 (tf_json_get_string (o, "status"), "cancelled") == 0)
        continue;
      b = tf_time_parse_timestamp (tf_json_get_string (o, "appointment_datetime"), NULL);
      if (b == NULL)
        continue;
      b_end = g_date_time_add_minutes (
        b, (int) json_object_get_int_member_with_default (o, "duration",
                                                          TF_BOOKING_DEFAULT_DURATION));
      if (g_date_time_compare (b, until) < 0 && g_date_time_compare (b_end, from) > 0)
        {
          *out_other_id = g_strdup (tf_json_get_string (o, "id"));
          return TRUE;
        }
    }
  return TRUE;
}

gboolean
tf_booking_check_location (const char *location_type, const char *meeting_url,
                           GError **error)
{
  if (location_type != NULL && g_strcmp0 (location_type, "online") != 0 &&
      g_strcmp0 (location_type, "in_person") != 0)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is neither online nor in person"), location_type);
      return FALSE;
    }
  if (meeting_url != NULL && *meeting_url != '\0')
    {
      g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), meeting_url);
      const TfTable *appointments = tf_registry_lookup ("appointments");

      if (g_strcmp0 (location_type, "online") != 0)
        {
          g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                               _("Only an online appointment has a meeting link"));
          return FALSE;
        }
      if (!tf_validate_value (appointments, tf_table_get_column (appointments, "meeting_url"),
                              value, NULL))
        {
          g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                       _("“%s” is not a web address (http:// or https://)"), meeting_url);
          return FALSE;
        }
    }
  return TRUE;
}

/* The zone @therapist_id works in: their profile's, or Europe/Athens. */
static char *
dup_therapist_tzid (TfVault *vault, const char *therapist_id)
{
  g_autoptr(TfRecord) profile = NULL;
  const char *tzid = NULL;

  profile = tf_store_get (tf_vault_get_store (vault), tf_registry_lookup ("profiles"),
                          therapist_id, NULL);
  if (profile != NULL && !profile->deleted)
    tzid = tf_json_get_string (profile->fields, "timezone");
  if (tzid == NULL || *tzid == '\0' || !tf_time_zone_is_known (tzid))
    tzid = TF_DEFAULT_TIMEZONE;
  return g_strdup (tzid);
}

char *
tf_booking_shown_time (TfVault *vault, const char *therapist_id, GDateTime *start)
{
  g_autofree char *tzid = dup_therapist_tzid (vault, therapist_id);
  g_autoptr(GDateTime) local = tf_time_utc_to_local (tzid, start, NULL);

  if (local == NULL)
    local = g_date_time_to_local (start);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

gboolean
tf_booking_check_day_off (TfVault *vault, const char *therapist_id, GDateTime *start,
                          GError **error)
{
  g_autofree char *tzid = dup_therapist_tzid (vault, therapist_id);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GPtrArray) blocked = NULL;
  g_autofree char *date = NULL;

  local = tf_time_utc_to_local (tzid, start, error);
  if (local == NULL)
    return FALSE;
  date = g_date_time_format (local, "%Y-%m-%d");
  blocked = tf_vault_list (vault, tf_registry_lookup ("therapist_blocked_dates"), "therapist_id",
                           therapist_id, error);
  if (blocked == NULL)
    return FALSE;
  for (guint i = 0; i < blocked->len; i++)
    {
      TfBlocked b;

      if (tf_blocked_init_from_fields (&b, g_ptr_array_index (blocked, i)) &&
          tf_blocked_contains (&b, date))
        {
          g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_DAY_OFF,
                       _("%s is one of your days off"), date);
          return FALSE;
        }
    }
  return TRUE;
}

char *
tf_booking_book_for_client (TfVault *vault, const char *client_id, GDateTime *start,
                            const char *service_id, const char *location_type,
                            const char *meeting_url, GError **error)
{
  g_autoptr(GDateTime) current = g_date_time_new_now_utc ();
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autofree char *id = NULL, *now = NULL, *at_utc = NULL, *price = NULL, *taken = NULL;
  g_autofree char *role = NULL, *url = NULL;
  const char *me;
  gboolean in_care = FALSE;
  int duration;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);
  g_return_val_if_fail (start != NULL, NULL);

  me = tf_vault_get_user_id (vault);
  role = tf_account_get (tf_vault_get_store (vault), "role");
  if (g_strcmp0 (role, "therapist") != 0)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_YOURS,
                           _("Only a therapist books for a client"));
      return NULL;
    }
  if (!g_uuid_string_is_valid (client_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of a client"), client_id);
      return NULL;
    }
  if (g_date_time_compare (start, current) <= 0)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("An appointment must be in the future"));
      return NULL;
    }
  if (!tf_booking_check_location (location_type, meeting_url, error))
    return NULL;
  if (!tf_booking_in_care (vault, me, client_id, &in_care, error))
    return NULL;
  if (!in_care)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_LINKED,
                           _("This person is not a client in your care"));
      return NULL;
    }
  if (!tf_booking_find_offer (vault, me, service_id, &duration, &price, error))
    return NULL;
  if (!tf_booking_check_day_off (vault, me, start, error))
    return NULL;
  if (!tf_booking_find_overlap (vault, me, NULL, start, duration, 0, &taken, error))
    return NULL;
  if (taken != NULL)
    {
      g_autofree char *shown = tf_booking_shown_time (vault, me, start);

      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TAKEN,
                   _("You already have an appointment at %s"), shown);
      return NULL;
    }

  id = g_uuid_string_random ();
  if (g_strcmp0 (location_type, "online") == 0)
    url = tf_booking_meeting_url (vault, id, meeting_url);
  now = tf_time_format_timestamp (current);
  at_utc = tf_time_format_timestamp (start);
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", me);
  json_object_set_string_member (plain, "client_id", client_id);
  if (service_id != NULL)
    json_object_set_string_member (plain, "service_id", service_id);
  json_object_set_string_member (plain, "appointment_datetime", at_utc);
  json_object_set_int_member (plain, "duration", duration);
  json_object_set_string_member (plain, "status", "confirmed");
  json_object_set_string_member (plain, "price", price);
  if (location_type != NULL)
    json_object_set_string_member (plain, "location_type", location_type);
  if (url != NULL)
    json_object_set_string_member (plain, "meeting_url", url);
  json_object_set_string_member (plain, "created_at", now);
  json_object_set_string_member (plain, "updated_at", now);
  if (!tf_vault_put (vault, tf_registry_lookup ("appointments"), id, plain, error))
    return NULL;
  return g_steal_pointer (&id);
}
