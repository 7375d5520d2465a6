/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-practice.c: a therapist's booking rules and practice details
 * (the synced, signed therapist_booking_rules row, read by everyone signed
 * in): setting them, reading them, the meeting link an online appointment
 * gets from the template, and the words for the server's refusals of a
 * booking.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-booking.h"
#include "tf-store.h"
#include "tf-time.h"
#include "tf-validate.h"

static const TfTable *
rules_table (void)
{
  return tf_registry_lookup ("therapist_booking_rules");
}

JsonObject *
tf_booking_dup_practice (TfVault *vault, const char *therapist_id, TfBookingRules *out_rules)
{
  g_autoptr(TfRecord) row = NULL;
  JsonObject *fields = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);

  row = tf_store_get (tf_vault_get_store (vault), rules_table (), therapist_id, NULL);
  if (row != NULL && !row->deleted)
    fields = json_object_ref (row->fields);
  if (out_rules != NULL)
    tf_booking_rules_init_from_fields (out_rules, fields);
  return fields;
}

/* Whether @template is an http(s) address once {id} is filled in. */
static gboolean
template_is_url (const char *template)
{
  g_autoptr(GString) filled = g_string_new (template);
  g_autoptr(JsonNode) value = NULL;
  const TfTable *appointments = tf_registry_lookup ("appointments");

  g_string_replace (filled, "{id}", "00000000-0000-4000-8000-000000000000", 0);
  value = json_node_init_string (json_node_alloc (), filled->str);
  return tf_validate_value (appointments, tf_table_get_column (appointments, "meeting_url"),
                            value, NULL);
}

gboolean
tf_booking_set_practice (TfVault *vault, const TfBookingRules *rules,
                         const char *meeting_template, const char *address, GError **error)
{
  const char *me;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now), *trimmed = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (rules != NULL, FALSE);

  if (rules->min_notice_minutes > 90 * 24 * 60)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("The notice can be at most 90 days"));
      return FALSE;
    }
  if (rules->buffer_minutes < 0 || rules->buffer_minutes > 24 * 60)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("The time between appointments is 0 to 1440 minutes"));
      return FALSE;
    }
  if (rules->max_days_ahead < 0 || rules->max_days_ahead > 730)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("Bookings can be taken at most 730 days ahead"));
      return FALSE;
    }
  if (meeting_template != NULL && *meeting_template != '\0' &&
      !template_is_url (meeting_template))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not a web address (http:// or https://)"), meeting_template);
      return FALSE;
    }
  if (meeting_template != NULL && g_utf8_strlen (meeting_template, -1) > 500)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("The meeting link template is longer than 500 characters"));
      return FALSE;
    }
  if (address != NULL && g_utf8_strlen (address, -1) > 500)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("The practice address is longer than 500 characters"));
      return FALSE;
    }

  me = tf_vault_get_user_id (vault);
  plain = json_object_new ();
  json_object_set_string_member (plain, "therapist_id", me);
  if (rules->min_notice_minutes >= 0)
    json_object_set_int_member (plain, "min_notice_minutes", rules->min_notice_minutes);
  else
    json_object_set_null_member (plain, "min_notice_minutes");
  json_object_set_int_member (plain, "buffer_minutes", rules->buffer_minutes);
  if (rules->max_days_ahead > 0)
    json_object_set_int_member (plain, "max_days_ahead", rules->max_days_ahead);
  else
    json_object_set_null_member (plain, "max_days_ahead");
  if (meeting_template != NULL && *meeting_template != '\0')
    json_object_set_string_member (plain, "meeting_url_template", meeting_template);
  else
    json_object_set_null_member (plain, "meeting_url_template");
  trimmed = g_strstrip (g_strdup (address != NULL ? address : ""));
  if (*trimmed != '\0')
    json_object_set_string_member (plain, "practice_address", trimmed);
  else
    json_object_set_null_member (plain, "practice_address");
  json_object_set_string_member (plain, "updated_at", stamp);
  return tf_vault_put (vault, rules_table (), me, plain, error);
}

char *
tf_booking_meeting_url (TfVault *vault, const char *appointment_id, const char *entered)
{
  g_autoptr(JsonObject) practice = NULL;
  const char *template;
  GString *url;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  if (entered != NULL && *entered != '\0')
    return g_strdup (entered);
  practice = tf_booking_dup_practice (vault, tf_vault_get_user_id (vault), NULL);
  template = practice != NULL ? tf_json_get_string (practice, "meeting_url_template") : NULL;
  if (template == NULL || *template == '\0')
    return NULL;
  url = g_string_new (template);
  g_string_replace (url, "{id}", appointment_id, 0);
  return g_string_free (url, FALSE);
}

/* --- the server's refusals of a booking, in words --------------------------- */

static const struct
{
  const char *code;
  const char *words;
} rejection_words[] = {
  { "not_in_care", N_("Not in care: the client and the therapist must be linked first") },
  { "outside_hours", N_("Outside the therapist’s working hours") },
  { "too_soon", N_("Too soon: inside the therapist’s notice, or in the past") },
  { "too_far_ahead", N_("Too far ahead: the therapist does not take bookings that far ahead") },
  { "buffer", N_("Too close to another appointment: the therapist keeps time free between "
                 "sessions") },
  { "slot_taken", N_("That time is already booked") },
  { "blocked_date", N_("The therapist does not take appointments on that day") },
  { "too_many_pending", N_("Too many bookings waiting for the therapist’s answer") },
  { "not_offered", N_("The therapist does not offer this service") },
  { "service_required", N_("Choose one of the therapist’s services") },
  { "not_yet_held", N_("The appointment’s time has not come yet") },
  { "bad_transition", N_("The appointment cannot change that way now") },
  { "bad_move", N_("The move does not match the appointment’s time") },
  /* The server's general refusals, so that none reaches the user in its
   * English. */
  { "forbidden", N_("You may not make this change") },
  { "immutable_field", N_("Part of this appointment cannot change once it is made") },
  { "validation", N_("The server found part of this change invalid") },
  { "clock_ahead", N_("This device’s clock is ahead: check its date and time") },
  { "conflict", N_("Changed meanwhile on another device: see the latest version") },
  { "not_found", N_("The server no longer has this appointment") },
  { "group_refused", N_("Refused with the other changes made together with it") },
};

const char *
tf_booking_describe_rejection (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (rejection_words); i++)
    if (g_strcmp0 (rejection_words[i].code, code) == 0)
      return _(rejection_words[i].words);
  return NULL;
}

JsonArray *
tf_booking_list_refusals (TfVault *vault, GError **error)
{
  g_autoptr(JsonArray) all = NULL;
  JsonArray *out;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  all = tf_store_list_rejections (tf_vault_get_store (vault), error);
  if (all == NULL)
    return NULL;
  out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *r = json_array_get_object_element (all, i);
      const char *id = tf_json_get_string (r, "id");
      const char *code = tf_json_get_string (r, "code");
      const char *words = tf_booking_describe_rejection (code);
      g_autoptr(JsonObject) held = NULL;
      JsonObject *o;

      if (g_strcmp0 (tf_json_get_string (r, "table"), "appointments") != 0 || id == NULL)
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "id", id);
      json_object_set_int_member (o, "mutation_id",
                                  json_object_get_int_member_with_default (r, "mutation_id", 0));
      json_object_set_string_member (o, "code", code != NULL ? code : "");
      /* Never the server's own text: it is English, and not for users. */
      json_object_set_string_member (o, "words", words != NULL ? words
                                                               : _("Refused by the server"));
      held = tf_vault_get (vault, tf_registry_lookup ("appointments"), id, NULL);
      if (held != NULL && tf_json_get_string (held, "appointment_datetime") != NULL)
        json_object_set_string_member (o, "appointment_datetime",
                                       tf_json_get_string (held, "appointment_datetime"));
      json_array_add_object_element (out, o);
    }
  return out;
}
