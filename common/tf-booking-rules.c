/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-rules.c: the checks of tf-booking-rules.h.
 */
#include "config.h"

#include "tf-booking-rules.h"

static int
int_member (JsonObject *fields, const char *name, int unset)
{
  JsonNode *node = fields != NULL ? json_object_get_member (fields, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return unset;
  return (int) CLAMP (json_node_get_int (node), 0, G_MAXINT);
}

void
tf_booking_rules_init_from_fields (TfBookingRules *rules, JsonObject *fields)
{
  g_return_if_fail (rules != NULL);

  rules->min_notice_minutes = int_member (fields, "min_notice_minutes", -1);
  rules->buffer_minutes = int_member (fields, "buffer_minutes", 0);
  rules->max_days_ahead = int_member (fields, "max_days_ahead", 0);
}

int
tf_booking_rules_notice (const TfBookingRules *rules, int default_minutes)
{
  g_return_val_if_fail (rules != NULL, default_minutes);

  return rules->min_notice_minutes >= 0 ? rules->min_notice_minutes : default_minutes;
}

const char *
tf_booking_rules_check_time (const TfBookingRules *rules, int default_notice, GDateTime *now,
                             GDateTime *start)
{
  g_autoptr(GDateTime) earliest = NULL;

  g_return_val_if_fail (rules != NULL, NULL);
  g_return_val_if_fail (now != NULL && start != NULL, NULL);

  earliest = g_date_time_add_minutes (now, tf_booking_rules_notice (rules, default_notice));
  if (g_date_time_compare (start, earliest) <= 0)
    return "too_soon";
  if (rules->max_days_ahead > 0)
    {
      g_autoptr(GDateTime) latest = g_date_time_add_days (now, rules->max_days_ahead);

      if (g_date_time_compare (start, latest) > 0)
        return "too_far_ahead";
    }
  return NULL;
}

gboolean
tf_booking_rules_breaks_buffer (const TfBookingRules *rules, GDateTime *start, int duration,
                                GPtrArray *booked)
{
  g_autoptr(GDateTime) from = NULL, until = NULL;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (start != NULL, FALSE);

  if (rules->buffer_minutes <= 0 || booked == NULL)
    return FALSE;
  from = g_date_time_add_minutes (start, -rules->buffer_minutes);
  until = g_date_time_add_minutes (start, duration + rules->buffer_minutes);
  for (guint i = 0; i < booked->len; i++)
    {
      TfBooked *b = g_ptr_array_index (booked, i);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (b->start, b->duration_minutes);

      if (g_date_time_compare (b->start, until) < 0 && g_date_time_compare (end, from) > 0)
        return TRUE;
    }
  return FALSE;
}
