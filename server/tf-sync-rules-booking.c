/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-rules-booking.c: a therapist's own booking rules
 * (therapist_booking_rules) as the server reads them for a client's
 * booking: the notice, how far ahead, the buffer between appointments.
 * The checks themselves are common/tf-booking-rules.c's, the device's
 * too, so both refuse the same bookings with the same codes.
 */
#define G_LOG_DOMAIN "tf-sync"

#include "config.h"

#include "tf-db.h"
#include "tf-sync-rules.h"
#include "tf-time.h"

gboolean
tf_sync_rules_load_booking_rules (PGconn *conn, const char *therapist, TfBookingRules *out,
                                  GError **error)
{
  const char *params[] = { therapist };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonNode) node = NULL;

  tf_booking_rules_init_from_fields (out, NULL);
  result = tf_db_query (conn,
                        "SELECT json_strip_nulls (json_build_object ("
                        "   'min_notice_minutes', min_notice_minutes,"
                        "   'buffer_minutes', buffer_minutes,"
                        "   'max_days_ahead', max_days_ahead))::text"
                        " FROM therapist_booking_rules"
                        " WHERE therapist_id = $1::uuid AND deleted_at IS NULL",
                        1, params, error);
  if (result == NULL)
    return FALSE;
  if (PQntuples (result) == 0)
    return TRUE;
  node = json_from_string (PQgetvalue (result, 0, 0), NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    tf_booking_rules_init_from_fields (out, json_node_get_object (node));
  return TRUE;
}

gboolean
tf_sync_rules_breaks_buffer (PGconn *conn, const TfBookingRules *rules, const char *therapist,
                             const char *id, GDateTime *start, int duration,
                             GPtrArray *in_push, gboolean *out_breaks, GError **error)
{
  g_autofree char *at = tf_time_format_timestamp (start);
  g_autofree char *minutes = g_strdup_printf ("%d", duration + rules->buffer_minutes);
  g_autofree char *margin = g_strdup_printf ("%d", rules->buffer_minutes);
  const char *params[] = { therapist, id, at, minutes, margin };
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) booked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                g_date_time_unref);

  *out_breaks = FALSE;
  if (rules->buffer_minutes <= 0)
    return TRUE;
  /* The therapist's live appointments that come within the buffer. */
  result = tf_db_query (conn,
                        "SELECT to_char (appointment_datetime AT TIME ZONE 'UTC',"
                        "   'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), duration"
                        " FROM appointments WHERE therapist_id = $1::uuid AND id <> $2::uuid"
                        " AND status <> 'cancelled' AND deleted_at IS NULL"
                        " AND appointment_datetime < $3::timestamptz + make_interval(mins => $4::int)"
                        " AND appointment_datetime + make_interval(mins => duration + $5::int)"
                        "   > $3::timestamptz",
                        G_N_ELEMENTS (params), params, error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      GDateTime *b_start = tf_time_parse_timestamp (PQgetvalue (result, i, 0), NULL);
      TfBooked *b;

      if (b_start == NULL)
        continue;
      g_ptr_array_add (starts, b_start);
      b = g_new0 (TfBooked, 1);
      b->start = b_start;
      b->duration_minutes = (int) g_ascii_strtoll (PQgetvalue (result, i, 1), NULL, 10);
      g_ptr_array_add (booked, b);
    }
  for (guint i = 0; in_push != NULL && i < in_push->len; i++)
    {
      const TfBooked *other = g_ptr_array_index (in_push, i);
      TfBooked *b = g_new0 (TfBooked, 1);

      *b = *other;  /* its start stays in_push's */
      g_ptr_array_add (booked, b);
    }
  *out_breaks = tf_booking_rules_breaks_buffer (rules, start, duration, booked);
  return TRUE;
}
