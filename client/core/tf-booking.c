/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking.c: services, prices, free slots, booking and cancelling — the
 * one copy of these rules, for the app and the CLI.
 *
 * Slots are computed on the device (common/tf-slots) from the synced rows of
 * therapist_availability, therapist_blocked_dates and appointments, in the
 * therapist's zone (their profile's timezone; Europe/Athens when it has
 * none).  A booking is checked against those slots before it is written;
 * the server checks it again against everyone's bookings.
 *
 * Prices are decimal strings ("60.00"), never floats: a price typed as
 * "45,5" (a Greek keyboard's decimal comma) is read as 45.50.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tf-account.h"
#include "tf-booking.h"
#include "tf-booking-private.h"
#include "tf-error.h"
#include "tf-store.h"
#include "tf-time.h"

G_DEFINE_QUARK (tf-booking-error-quark, tf_booking_error)

#define MAX_PRICE_DIGITS 8  /* DECIMAL(10,2) */

static const TfTable *
table (const char *name)
{
  const TfTable *t = tf_registry_lookup (name);

  g_assert (t != NULL);
  return t;
}

char *
tf_booking_now_stamp (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return tf_time_format_timestamp (now);
}

/* --- services and prices -------------------------------------------------- */

/* The catalogue's kinds, in the order they are shown. */
static const char * const service_types[] = {
  "individual", "couples", "group", "evaluation", "consultation",
};

const char *
tf_booking_service_name (JsonObject *service)
{
  const char *type = tf_json_get_string (service, "service_type");
  const char *name = tf_json_get_string (service, "name");

  if (g_strcmp0 (type, "individual") == 0)
    return _("Individual session");
  if (g_strcmp0 (type, "couples") == 0)
    return _("Couples session");
  if (g_strcmp0 (type, "group") == 0)
    return _("Group session");
  if (g_strcmp0 (type, "evaluation") == 0)
    return _("Evaluation");
  if (g_strcmp0 (type, "consultation") == 0)
    return _("Consultation");
  return name != NULL ? name : _("Service");
}

/* The catalogue's length of @service_id, as the server takes it for an
 * offer that names none (server/tf-sync-rules.c). */
static int
service_duration (TfVault *vault, const char *service_id)
{
  g_autoptr(JsonObject) service = tf_vault_get (vault, table ("services"), service_id, NULL);
  gint64 minutes = service != NULL
    ? json_object_get_int_member_with_default (service, "default_duration", 0) : 0;

  return minutes > 0 ? (int) minutes : TF_BOOKING_DEFAULT_DURATION;
}

gboolean
tf_booking_find_offer (TfVault *vault, const char *therapist_id, const char *service_id,
                       int *out_duration, char **out_price, GError **error)
{
  g_autoptr(GPtrArray) offered = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (therapist_id != NULL, FALSE);

  *out_duration = TF_BOOKING_DEFAULT_DURATION;
  *out_price = NULL;
  if (service_id == NULL)
    {
      *out_price = g_strdup ("0.00");
      return TRUE;
    }
  if (!g_uuid_string_is_valid (service_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of a service"), service_id);
      return FALSE;
    }
  offered = tf_vault_list (vault, table ("therapist_services"), "therapist_id", therapist_id,
                           error);
  if (offered == NULL)
    return FALSE;
  for (guint i = 0; i < offered->len; i++)
    {
      JsonObject *o = g_ptr_array_index (offered, i);
      const char *price;

      if (g_strcmp0 (tf_json_get_string (o, "service_id"), service_id) != 0 ||
          !json_object_get_boolean_member_with_default (o, "is_available", TRUE))
        continue;
      price = tf_json_get_string (o, "price");
      *out_duration = (int) json_object_get_int_member_with_default (o, "duration", 0);
      if (*out_duration <= 0)
        *out_duration = service_duration (vault, service_id);
      *out_price = g_strdup (price != NULL ? price : "0.00");
      return TRUE;
    }
  g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_OFFERED,
               _("This therapist does not offer the service %s"), service_id);
  return FALSE;
}

void
tf_offer_free (TfOffer *offer)
{
  if (offer == NULL)
    return;
  g_clear_pointer (&offer->service, json_object_unref);
  g_clear_pointer (&offer->offer, json_object_unref);
  g_free (offer);
}

gboolean
tf_offer_is_offered (const TfOffer *offer)
{
  g_return_val_if_fail (offer != NULL, FALSE);

  return offer->offer != NULL &&
         json_object_get_boolean_member_with_default (offer->offer, "is_available", TRUE);
}

static guint
type_rank (JsonObject *service)
{
  const char *type = tf_json_get_string (service, "service_type");

  for (guint i = 0; i < G_N_ELEMENTS (service_types); i++)
    if (g_strcmp0 (type, service_types[i]) == 0)
      return i;
  return G_N_ELEMENTS (service_types);
}

static int
compare_offers (gconstpointer a, gconstpointer b)
{
  const TfOffer *x = *(TfOffer **) a, *y = *(TfOffer **) b;
  guint rx = type_rank (x->service), ry = type_rank (y->service);

  if (rx != ry)
    return rx < ry ? -1 : 1;
  return g_utf8_collate (tf_booking_service_name (x->service),
                         tf_booking_service_name (y->service));
}

GPtrArray *
tf_booking_list_offers (TfVault *vault, const char *therapist_id, GError **error)
{
  g_autoptr(GPtrArray) services = NULL, offered = NULL;
  g_autoptr(GPtrArray) offers = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_offer_free);

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);

  services = tf_vault_list (vault, table ("services"), NULL, NULL, error);
  if (services == NULL)
    return NULL;
  offered = tf_vault_list (vault, table ("therapist_services"), "therapist_id", therapist_id,
                           error);
  if (offered == NULL)
    return NULL;
  for (guint i = 0; i < services->len; i++)
    {
      JsonObject *service = g_ptr_array_index (services, i);
      const char *id = tf_json_get_string (service, "id");
      TfOffer *offer = g_new0 (TfOffer, 1);

      offer->service = json_object_ref (service);
      for (guint j = 0; j < offered->len; j++)
        {
          JsonObject *o = g_ptr_array_index (offered, j);

          if (g_strcmp0 (tf_json_get_string (o, "service_id"), id) == 0)
            {
              offer->offer = json_object_ref (o);
              break;
            }
        }
      g_ptr_array_add (offers, offer);
    }
  g_ptr_array_sort (offers, compare_offers);
  return g_steal_pointer (&offers);
}

char *
tf_booking_parse_price (const char *text, GError **error)
{
  g_autoptr(GString) clean = g_string_new (NULL);
  g_autofree char *whole = NULL;
  const char *dot;
  gsize int_len, frac_len;

  /* "€ 45,50" → "45.50"; spaces (also non-breaking ones) and the euro sign
   * are decoration. */
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x20AC /* € */)
        continue;
      if (c == ',')
        g_string_append_c (clean, '.');
      else
        g_string_append_unichar (clean, c);
    }
  if (clean->len == 0)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("Enter a price in euros, for example 60 or 45.50"));
      return NULL;
    }
  if (clean->str[0] == '-')
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("A price cannot be negative"));
      return NULL;
    }
  dot = strchr (clean->str, '.');
  int_len = dot != NULL ? (gsize) (dot - clean->str) : clean->len;
  frac_len = dot != NULL ? strlen (dot + 1) : 0;
  if (int_len == 0 || strspn (clean->str, "0123456789") != int_len ||
      (dot != NULL && (frac_len == 0 || strspn (dot + 1, "0123456789") != frac_len)))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not a price in euros; write it as 60 or 45.50"), text);
      return NULL;
    }
  if (frac_len > 2)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” has more than two decimals; a price is in euros and cents"), text);
      return NULL;
    }
  /* Leading zeros go; one stays for prices under a euro. */
  whole = g_strndup (clean->str, int_len);
  {
    const char *digits = whole;

    while (digits[0] == '0' && digits[1] != '\0')
      digits++;
    if (strlen (digits) > MAX_PRICE_DIGITS)
      {
        g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                     _("“%s” is more than a price can be"), text);
        return NULL;
      }
    return g_strdup_printf ("%s.%c%c", digits, frac_len > 0 ? dot[1] : '0',
                            frac_len > 1 ? dot[2] : '0');
  }
}

char *
tf_booking_format_price (const char *price)
{
  g_autofree char *shown = g_strdup (price != NULL ? price : "0.00");
  const char *point = localeconv ()->decimal_point;
  char *dot = strchr (shown, '.');

  if (dot != NULL && point != NULL && point[0] != '\0' && point[1] == '\0')
    *dot = point[0];
  /* TRANSLATORS: a price in euros; %s is the amount, e.g. "60.00" */
  return g_strdup_printf (_("€%s"), shown);
}

gboolean
tf_booking_set_offer (TfVault *vault, const char *service_id, const char *price, int duration,
                      gboolean offered, GError **error)
{
  const char *me;
  g_autofree char *stored_price = NULL, *id = NULL;
  g_autoptr(JsonObject) service = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (service_id != NULL, FALSE);

  me = tf_vault_get_user_id (vault);
  stored_price = tf_booking_parse_price (price, error);
  if (stored_price == NULL)
    return FALSE;
  if (duration < 1 || duration > TF_SLOTS_MAX_DURATION)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("A session lasts between 1 and %d minutes (got %d)"),
                   TF_SLOTS_MAX_DURATION, duration);
      return FALSE;
    }
  service = g_uuid_string_is_valid (service_id)
              ? tf_vault_get (vault, table ("services"), service_id, &local) : NULL;
  if (service == NULL)
    {
      if (local != NULL && !g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_UNKNOWN_SERVICE,
                   _("This device does not know the service %s"), service_id);
      return FALSE;
    }

  /* One row per therapist and service (the server's primary key). */
  existing = tf_vault_list (vault, table ("therapist_services"), "therapist_id", me, error);
  if (existing == NULL)
    return FALSE;
  for (guint i = 0; i < existing->len && plain == NULL; i++)
    {
      JsonObject *o = g_ptr_array_index (existing, i);

      if (g_strcmp0 (tf_json_get_string (o, "service_id"), service_id) == 0)
        plain = json_object_ref (o);
    }
  if (plain == NULL)
    {
      id = g_uuid_string_random ();
      plain = json_object_new ();
      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "therapist_id", me);
      json_object_set_string_member (plain, "service_id", service_id);
    }
  else
    id = g_strdup (tf_json_get_string (plain, "id"));
  json_object_set_string_member (plain, "price", stored_price);
  json_object_set_int_member (plain, "duration", duration);
  json_object_set_boolean_member (plain, "is_available", offered);
  return tf_vault_put (vault, table ("therapist_services"), id, plain, error);
}

/* --- slots ---------------------------------------------------------------- */

GPtrArray *
tf_booking_free_slots (TfVault *vault, const char *therapist_id, const char *from_date,
                       const char *to_date, int duration, gboolean *out_known, GError **error)
{
  return tf_booking_free_slots_except (vault, therapist_id, NULL, from_date, to_date, duration,
                                       out_known, error);
}

GPtrArray *
tf_booking_free_slots_except (TfVault *vault, const char *therapist_id, const char *except_id,
                              const char *from_date, const char *to_date, int duration,
                              gboolean *out_known, GError **error)
{
  g_autoptr(GPtrArray) rows = NULL, blocked_rows = NULL, booked_rows = NULL;
  g_autoptr(GPtrArray) availability = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) blocked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) booked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                g_date_time_unref);
  g_autoptr(TfRecord) profile = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *tz = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);
  g_return_val_if_fail (out_known != NULL, NULL);

  *out_known = FALSE;
  rows = tf_vault_list (vault, table ("therapist_availability"), "therapist_id", therapist_id,
                        error);
  if (rows == NULL)
    return NULL;
  blocked_rows = tf_vault_list (vault, table ("therapist_blocked_dates"), "therapist_id",
                                therapist_id, error);
  if (blocked_rows == NULL)
    return NULL;
  booked_rows = tf_vault_list (vault, table ("appointments"), "therapist_id", therapist_id,
                               error);
  if (booked_rows == NULL)
    return NULL;
  *out_known = rows->len > 0;

  for (guint i = 0; i < rows->len; i++)
    {
      TfAvailability *a = g_new0 (TfAvailability, 1);

      if (tf_availability_init_from_fields (a, g_ptr_array_index (rows, i)))
        g_ptr_array_add (availability, a);
      else
        g_free (a);
    }
  for (guint i = 0; i < blocked_rows->len; i++)
    {
      TfBlocked *b = g_new0 (TfBlocked, 1);

      if (tf_blocked_init_from_fields (b, g_ptr_array_index (blocked_rows, i)))
        g_ptr_array_add (blocked, b);
      else
        g_free (b);
    }
  for (guint i = 0; i < booked_rows->len; i++)
    {
      JsonObject *o = g_ptr_array_index (booked_rows, i);
      GDateTime *start;
      TfBooked *b;

      if (g_strcmp0 (tf_json_get_string (o, "status"), "cancelled") == 0 ||
          g_strcmp0 (tf_json_get_string (o, "id"), except_id) == 0)
        continue;
      start = tf_time_parse_timestamp (tf_json_get_string (o, "appointment_datetime"), NULL);
      if (start == NULL)
        continue;
      g_ptr_array_add (starts, start);
      b = g_new0 (TfBooked, 1);
      b->start = start;
      b->duration_minutes = (int) json_object_get_int_member_with_default (
        o, "duration", TF_BOOKING_DEFAULT_DURATION);
      g_ptr_array_add (booked, b);
    }
  profile = tf_store_get (tf_vault_get_store (vault), table ("profiles"), therapist_id, NULL);
  if (profile != NULL && !profile->deleted)
    tz = tf_json_get_string (profile->fields, "timezone");

  /* The therapist's rules, as a client's booking must keep them: no slot
   * inside the notice, none within the buffer of a booking (each booking
   * counts as longer by the buffer on both sides), none further ahead. */
  {
    TfBookingRules rules;
    g_autoptr(JsonObject) practice = tf_booking_dup_practice (vault, therapist_id, &rules);
    g_autoptr(GDateTime) earliest = g_date_time_add_minutes (now,
                                                             tf_booking_rules_notice (&rules, 0));
    g_autoptr(GDateTime) latest = rules.max_days_ahead > 0
                                    ? g_date_time_add_days (now, rules.max_days_ahead) : NULL;
    g_autoptr(GPtrArray) padded_starts = g_ptr_array_new_with_free_func (
      (GDestroyNotify) g_date_time_unref);
    GPtrArray *slots;

    for (guint i = 0; rules.buffer_minutes > 0 && i < booked->len; i++)
      {
        TfBooked *b = g_ptr_array_index (booked, i);
        GDateTime *padded = g_date_time_add_minutes (b->start, -rules.buffer_minutes);

        g_ptr_array_add (padded_starts, padded);
        b->start = padded;
        b->duration_minutes += 2 * rules.buffer_minutes;
      }
    slots = tf_slots_compute (tz, from_date, to_date, duration, availability, blocked, booked,
                              earliest, error);
    for (guint i = 0; slots != NULL && latest != NULL && i < slots->len;)
      {
        if (g_date_time_compare (((TfSlot *) g_ptr_array_index (slots, i))->start, latest) > 0)
          g_ptr_array_remove_index (slots, i);
        else
          i++;
      }
    return slots;
  }
}

/* --- appointments --------------------------------------------------------- */

/* Whether @start is one of @therapist_id's free slots of @duration, as far
 * as this device knows their hours (*@known FALSE: it knows none). */
gboolean
tf_booking_is_free_slot (TfVault *vault, const char *therapist_id, const char *except_id,
                         GDateTime *start, int duration, gboolean *known, GError **error)
{
  g_autoptr(GDateTime) before = g_date_time_add_days (start, -1);
  g_autoptr(GDateTime) after = g_date_time_add_days (start, 1);
  g_autofree char *day_before = g_date_time_format (before, "%Y-%m-%d");
  g_autofree char *day_after = g_date_time_format (after, "%Y-%m-%d");
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) local = NULL;

  /* The dates around the start's own cover it in any zone. */
  found = tf_booking_free_slots_except (vault, therapist_id, except_id, day_before, day_after,
                                        duration, known, &local);
  if (found == NULL)
    {
      /* A duration or zone the slot rules refuse is no free slot; anything
       * else (the store) is a real failure. */
      if (g_error_matches (local, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE))
        return FALSE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  for (guint i = 0; i < found->len; i++)
    if (g_date_time_equal (((TfSlot *) g_ptr_array_index (found, i))->start, start))
      return TRUE;
  return FALSE;
}

gboolean
tf_booking_check_practice_rules (TfVault *vault, const char *therapist_id,
                                 GDateTime *start, GDateTime *now, GError **error)
{
  TfBookingRules rules;
  g_autoptr(JsonObject) practice = tf_booking_dup_practice (vault, therapist_id, &rules);
  const char *broken = tf_booking_rules_check_time (&rules, 0, now, start);

  if (g_strcmp0 (broken, "too_soon") == 0)
    {
      int hours = tf_booking_rules_notice (&rules, 0) / 60;

      if (hours >= 1)
        g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TOO_SOON,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "This therapist takes bookings at least %d hour ahead",
                                  "This therapist takes bookings at least %d hours ahead", hours),
                     hours);
      else
        g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TOO_SOON,
                     g_dngettext (GETTEXT_PACKAGE,
                                  "This therapist takes bookings at least %d minute ahead",
                                  "This therapist takes bookings at least %d minutes ahead",
                                  tf_booking_rules_notice (&rules, 0)),
                     tf_booking_rules_notice (&rules, 0));
      return FALSE;
    }
  if (broken != NULL)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TOO_FAR,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This therapist takes bookings at most %d day ahead",
                                "This therapist takes bookings at most %d days ahead",
                                rules.max_days_ahead),
                   rules.max_days_ahead);
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_booking_check_buffer (TfVault *vault, const char *therapist_id, const char *except_id,
                         GDateTime *start, int duration, GError **error)
{
  TfBookingRules rules;
  g_autoptr(JsonObject) practice = tf_booking_dup_practice (vault, therapist_id, &rules);
  g_autofree char *taken = NULL, *near = NULL;

  if (rules.buffer_minutes <= 0)
    return TRUE;
  if (!tf_booking_find_overlap (vault, therapist_id, except_id, start, duration, 0, &taken,
                                error) ||
      !tf_booking_find_overlap (vault, therapist_id, except_id, start, duration,
                                rules.buffer_minutes, &near, error))
    return FALSE;
  if (taken == NULL && near != NULL)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_BUFFER,
                   g_dngettext (GETTEXT_PACKAGE,
                                "This therapist keeps %d minute free between appointments",
                                "This therapist keeps %d minutes free between appointments",
                                rules.buffer_minutes),
                   rules.buffer_minutes);
      return FALSE;
    }
  return TRUE;
}

char *
tf_booking_book (TfVault *vault, const char *therapist_id, GDateTime *start,
                 const char *service_id, const char *notes_for_therapist, GError **error)
{
  g_autoptr(GDateTime) current = g_date_time_new_now_utc ();
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) local = NULL;
  g_autofree char *id = NULL, *now = NULL, *at_utc = NULL, *price = NULL;
  gboolean known = FALSE;
  int duration;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (therapist_id != NULL, NULL);
  g_return_val_if_fail (start != NULL, NULL);

  if (!g_uuid_string_is_valid (therapist_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of a therapist"), therapist_id);
      return NULL;
    }
  if (g_date_time_compare (start, current) <= 0)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("An appointment must be in the future"));
      return NULL;
    }
  if (!tf_booking_check_practice_rules (vault, therapist_id, start, current, error))
    return NULL;
  if (!tf_booking_find_offer (vault, therapist_id, service_id, &duration, &price, error))
    return NULL;
  if (!tf_booking_is_free_slot (vault, therapist_id, NULL, start, duration, &known, &local))
    {
      g_autofree char *shown = NULL;

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (!tf_booking_check_buffer (vault, therapist_id, NULL, start, duration, error))
        return NULL;
      /* Hours this device does not know yet: the server decides. */
      if (known)
        {
          shown = tf_booking_shown_time (vault, therapist_id, start);
          g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_FREE,
                       _("%s is not a free time of this therapist"), shown);
          return NULL;
        }
    }

  id = g_uuid_string_random ();
  now = tf_time_format_timestamp (current);
  at_utc = tf_time_format_timestamp (start);
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", therapist_id);
  json_object_set_string_member (plain, "client_id", tf_vault_get_user_id (vault));
  if (service_id != NULL)
    json_object_set_string_member (plain, "service_id", service_id);
  json_object_set_string_member (plain, "appointment_datetime", at_utc);
  json_object_set_int_member (plain, "duration", duration);
  json_object_set_string_member (plain, "status", "pending");
  json_object_set_string_member (plain, "price", price);
  if (notes_for_therapist != NULL && *notes_for_therapist != '\0')
    json_object_set_string_member (plain, "notes_for_therapist", notes_for_therapist);
  json_object_set_string_member (plain, "created_at", now);
  json_object_set_string_member (plain, "updated_at", now);
  if (!tf_vault_put (vault, table ("appointments"), id, plain, error))
    return NULL;
  return g_steal_pointer (&id);
}
