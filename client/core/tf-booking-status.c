/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-status.c: what may happen to an appointment once booked —
 * confirmed by its therapist, completed or missed once its time has come,
 * cancelled by either side with a reason — and the words for each status.
 *
 * The app's agenda and the CLI's "appointment confirm|complete|no-show|
 * cancel" both change an appointment here, so the two say and refuse the
 * same things.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-booking.h"
#include "tf-registry.h"
#include "tf-time.h"

const char *
tf_appointment_status_label (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return _("Pending");
  if (g_strcmp0 (status, "confirmed") == 0)
    return _("Confirmed");
  if (g_strcmp0 (status, "completed") == 0)
    return _("Completed");
  if (g_strcmp0 (status, "no_show") == 0)
    return _("No-show");
  if (g_strcmp0 (status, "cancelled") == 0)
    return _("Cancelled");
  return status != NULL ? status : "";
}

const char *
tf_appointment_status_label_for_client (const char *status)
{
  if (g_strcmp0 (status, "pending") == 0)
    return _("Awaiting confirmation");
  if (g_strcmp0 (status, "no_show") == 0)
    return _("Missed");
  return tf_appointment_status_label (status);
}

gboolean
tf_booking_may_become (const char *from, const char *to)
{
  if (g_strcmp0 (to, "confirmed") == 0)
    return g_strcmp0 (from, "pending") == 0;
  if (g_strcmp0 (to, "completed") == 0 || g_strcmp0 (to, "no_show") == 0)
    return g_strcmp0 (from, "confirmed") == 0;
  if (g_strcmp0 (to, "cancelled") == 0)
    return g_strcmp0 (from, "pending") == 0 || g_strcmp0 (from, "confirmed") == 0;
  return FALSE;
}

gboolean
tf_booking_has_started (const char *appointment_datetime)
{
  g_autoptr(GDateTime) when = appointment_datetime != NULL
                                ? tf_time_parse_timestamp (appointment_datetime, NULL)
                                : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return when != NULL && g_date_time_compare (when, now) <= 0;
}

static gboolean
refuse (GError **error, TfBookingError code, const char *message)
{
  g_set_error_literal (error, TF_BOOKING_ERROR, code, message);
  return FALSE;
}

gboolean
tf_booking_set_status (TfVault *vault, const char *appointment_id, const char *to,
                       const char *reason, GError **error)
{
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now), *why = NULL;
  const char *me, *from;
  gboolean cancelling = g_strcmp0 (to, "cancelled") == 0;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL, FALSE);
  g_return_val_if_fail (cancelling || g_strcmp0 (to, "confirmed") == 0 ||
                        g_strcmp0 (to, "completed") == 0 || g_strcmp0 (to, "no_show") == 0,
                        FALSE);

  why = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  if (cancelling && *why == '\0')
    return refuse (error, TF_BOOKING_ERROR_INVALID, _("Say why the appointment is cancelled"));
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
  if (cancelling && g_strcmp0 (tf_json_get_string (plain, "client_id"), me) != 0 &&
      g_strcmp0 (tf_json_get_string (plain, "therapist_id"), me) != 0)
    return refuse (error, TF_BOOKING_ERROR_NOT_YOURS,
                   _("Only the client or the therapist of an appointment can cancel it"));
  if (!cancelling && g_strcmp0 (tf_json_get_string (plain, "therapist_id"), me) != 0)
    return refuse (error, TF_BOOKING_ERROR_NOT_YOURS,
                   _("Only the therapist of an appointment can confirm it or mark it "
                     "completed or no-show"));

  from = tf_json_get_string (plain, "status");
  if (cancelling && !tf_booking_may_become (from, to))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_CANCELLABLE,
                   _("This appointment is already “%s” and cannot be cancelled"),
                   tf_appointment_status_label (from));
      return FALSE;
    }
  if (!tf_booking_may_become (from, to))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_CANCELLABLE,
                   _("This appointment is now “%s” and cannot be changed that way"),
                   tf_appointment_status_label (from));
      return FALSE;
    }
  if ((g_strcmp0 (to, "completed") == 0 || g_strcmp0 (to, "no_show") == 0) &&
      !tf_booking_has_started (tf_json_get_string (plain, "appointment_datetime")))
    return refuse (error, TF_BOOKING_ERROR_NOT_STARTED,
                   _("This appointment has not started yet: it can be marked completed or "
                     "no-show once its time has come"));

  json_object_set_string_member (plain, "status", to);
  json_object_set_string_member (plain, "updated_at", stamp);
  if (cancelling)
    {
      json_object_set_string_member (plain, "cancellation_reason", why);
      json_object_set_string_member (plain, "cancelled_by", me);
      json_object_set_string_member (plain, "cancelled_at", stamp);
    }
  return tf_vault_put (vault, appointments, appointment_id, plain, error);
}

gboolean
tf_booking_cancel (TfVault *vault, const char *appointment_id, const char *reason,
                   GError **error)
{
  return tf_booking_set_status (vault, appointment_id, "cancelled", reason, error);
}

gboolean
tf_booking_mark_late_cancellation (TfVault *vault, const char *appointment_id,
                                   const char *reason, GError **error)
{
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now), *why = NULL;
  const char *status;
  JsonNode *late;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL, FALSE);

  if (!g_uuid_string_is_valid (appointment_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of an appointment"), appointment_id);
      return FALSE;
    }
  plain = tf_vault_get (vault, appointments, appointment_id, error);
  if (plain == NULL)
    return FALSE;
  if (g_strcmp0 (tf_json_get_string (plain, "therapist_id"), tf_vault_get_user_id (vault)) != 0)
    return refuse (error, TF_BOOKING_ERROR_NOT_YOURS,
                   _("Only the therapist of an appointment can mark it a late cancellation"));
  status = tf_json_get_string (plain, "status");
  late = json_object_get_member (plain, "late_cancellation");
  if ((late != NULL && JSON_NODE_HOLDS_VALUE (late) &&
       json_node_get_value_type (late) == G_TYPE_BOOLEAN && json_node_get_boolean (late)) ||
      !(g_strcmp0 (status, "cancelled") == 0 || tf_booking_may_become (status, "cancelled")))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_CANCELLABLE,
                   _("This appointment is now “%s” and cannot be changed that way"),
                   tf_booking_is_late_cancellation (plain) ? _("Late cancellation")
                                                           : tf_appointment_status_label (status));
      return FALSE;
    }
  if (!tf_booking_has_started (tf_json_get_string (plain, "appointment_datetime")))
    return refuse (error, TF_BOOKING_ERROR_NOT_STARTED,
                   _("This appointment has not started yet: it can be marked a late "
                     "cancellation once its time has come"));

  json_object_set_boolean_member (plain, "late_cancellation", TRUE);
  json_object_set_string_member (plain, "updated_at", stamp);
  if (g_strcmp0 (status, "cancelled") != 0)
    {
      why = g_strstrip (g_strdup (reason != NULL ? reason : ""));
      json_object_set_string_member (plain, "status", "cancelled");
      if (*why != '\0')
        json_object_set_string_member (plain, "cancellation_reason", why);
      json_object_set_string_member (plain, "cancelled_by", tf_vault_get_user_id (vault));
      json_object_set_string_member (plain, "cancelled_at", stamp);
    }
  return tf_vault_put (vault, appointments, appointment_id, plain, error);
}

gboolean
tf_booking_is_late_cancellation (JsonObject *appointment)
{
  JsonNode *late;

  g_return_val_if_fail (appointment != NULL, FALSE);

  late = json_object_get_member (appointment, "late_cancellation");
  return late != NULL && JSON_NODE_HOLDS_VALUE (late) &&
         json_node_get_value_type (late) == G_TYPE_BOOLEAN && json_node_get_boolean (late);
}
