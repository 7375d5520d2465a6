/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-move.c: moving an appointment to another time — the app's
 * Move… dialog, its calendar and the CLI's "appointment move" share it.
 *
 * A move is the same booking again: its therapist may move it anywhere in
 * the future but over another of their appointments; its client only
 * while it is pending (once confirmed the time is the therapist's), and
 * only to a free slot that keeps the therapist's rules.  The appointment
 * keeps the time it had (previous_datetime), who moved it and when, which
 * both sides see; the server takes them only as the time it had stored,
 * the caller and no moment after its clock (bad_move otherwise), and
 * checks the new time as it checks a booking.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-booking.h"
#include "tf-booking-private.h"
#include "tf-time.h"

static gboolean
refuse (GError **error, TfBookingError code, const char *message)
{
  g_set_error_literal (error, TF_BOOKING_ERROR, code, message);
  return FALSE;
}

gboolean
tf_booking_move (TfVault *vault, const char *appointment_id, GDateTime *new_start,
                 GError **error)
{
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) old_start = NULL;
  g_autofree char *stamp = tf_time_format_timestamp (now), *taken = NULL, *at = NULL;
  const char *me, *therapist, *status;
  gboolean by_therapist, known = FALSE;
  int duration;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL, FALSE);
  g_return_val_if_fail (new_start != NULL, FALSE);

  if (!g_uuid_string_is_valid (appointment_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of an appointment"), appointment_id);
      return FALSE;
    }
  plain = tf_vault_get (vault, appointments, appointment_id, error);
  if (plain == NULL)
    return FALSE;
  me = tf_vault_get_user_id (vault);
  therapist = tf_json_get_string (plain, "therapist_id");
  status = tf_json_get_string (plain, "status");
  by_therapist = g_strcmp0 (therapist, me) == 0;
  if (!by_therapist && g_strcmp0 (tf_json_get_string (plain, "client_id"), me) != 0)
    return refuse (error, TF_BOOKING_ERROR_NOT_YOURS,
                   _("Only the client or the therapist of an appointment can move it"));
  if (g_strcmp0 (status, "pending") != 0 && g_strcmp0 (status, "confirmed") != 0)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_CANCELLABLE,
                   _("This appointment is “%s” and cannot be moved"),
                   tf_appointment_status_label (status));
      return FALSE;
    }
  if (!by_therapist && g_strcmp0 (status, "pending") != 0)
    return refuse (error, TF_BOOKING_ERROR_NOT_YOURS,
                   _("Your therapist has confirmed this appointment: ask them to move it"));
  if (g_date_time_compare (new_start, now) <= 0)
    return refuse (error, TF_BOOKING_ERROR_INVALID, _("An appointment must be in the future"));
  old_start = tf_time_parse_timestamp (tf_json_get_string (plain, "appointment_datetime"), NULL);
  if (old_start != NULL && g_date_time_equal (old_start, new_start))
    return refuse (error, TF_BOOKING_ERROR_INVALID, _("The appointment is already at that time"));

  duration = (int) json_object_get_int_member_with_default (plain, "duration",
                                                            TF_BOOKING_DEFAULT_DURATION);
  /* The therapist's own days off (a client's move meets them as no free slot). */
  if (by_therapist && !tf_booking_check_day_off (vault, therapist, new_start, error))
    return FALSE;
  if (!tf_booking_find_overlap (vault, therapist, appointment_id, new_start, duration, 0, &taken,
                                error))
    return FALSE;
  if (taken != NULL)
    {
      g_autofree char *shown = tf_booking_shown_time (vault, therapist, new_start);

      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TAKEN,
                   by_therapist ? _("You already have an appointment at %s")
                                : _("%s is not a free time of this therapist"), shown);
      return FALSE;
    }
  /* A client's move keeps the therapist's rules and hours. */
  if (!by_therapist)
    {
      g_autoptr(GError) local = NULL;

      if (!tf_booking_check_practice_rules (vault, therapist, new_start, now, error) ||
          !tf_booking_check_buffer (vault, therapist, appointment_id, new_start, duration,
                                    error))
        return FALSE;
      if (!tf_booking_is_free_slot (vault, therapist, appointment_id, new_start, duration,
                                    &known, &local))
        {
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (known)
            {
              g_autofree char *shown = tf_booking_shown_time (vault, therapist, new_start);

              g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_FREE,
                           _("%s is not a free time of this therapist"), shown);
              return FALSE;
            }
        }
    }

  at = tf_time_format_timestamp (new_start);
  json_object_set_string_member (plain, "previous_datetime",
                                 tf_json_get_string (plain, "appointment_datetime"));
  json_object_set_string_member (plain, "moved_by", me);
  json_object_set_string_member (plain, "moved_at", stamp);
  json_object_set_string_member (plain, "appointment_datetime", at);
  json_object_set_string_member (plain, "updated_at", stamp);
  return tf_vault_put (vault, appointments, appointment_id, plain, error);
}
