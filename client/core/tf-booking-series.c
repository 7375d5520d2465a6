/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-series.c: repeating appointments — the preview with each
 * occurrence's clash, the booking of the series as one group, and "this
 * and the following" cancelled (the rules are in tf-booking-series.h).
 *
 * The clashes are looked at in the order a therapist would want to hear
 * them: a time already past, a day off, another appointment, then the
 * hours.  The preview reads what the device has; the server, which may
 * know of an appointment this device has not yet pulled, checks each
 * occurrence again when the group arrives and takes all or none.
 */
#define G_LOG_DOMAIN "tf-booking"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-account.h"
#include "tf-availability.h"
#include "tf-booking-private.h"
#include "tf-booking-series.h"
#include "tf-slots.h"
#include "tf-store.h"
#include "tf-time.h"
#include "tf-vault-private.h"

void
tf_series_occurrence_free (TfSeriesOccurrence *occurrence)
{
  if (occurrence == NULL)
    return;
  g_free (occurrence->date);
  g_clear_pointer (&occurrence->start, g_date_time_unref);
  g_free (occurrence->clash_id);
  g_free (occurrence);
}

const char *
tf_series_clash_label (TfSeriesClash clash)
{
  switch (clash)
    {
    case TF_SERIES_CLASH_PAST:
      return _("its time has passed");
    case TF_SERIES_CLASH_BLOCKED:
      return _("on a day off");
    case TF_SERIES_CLASH_BOOKED:
      return _("another appointment then");
    case TF_SERIES_CLASH_OUTSIDE_HOURS:
      return _("outside your working hours");
    case TF_SERIES_CLASH_NONE:
    default:
      return "";
    }
}

const char *
tf_series_clash_code (TfSeriesClash clash)
{
  static const char * const codes[] = { NULL, "past", "blocked", "booked", "outside_hours" };

  g_return_val_if_fail ((guint) clash < G_N_ELEMENTS (codes), NULL);
  return codes[clash];
}

guint
tf_series_count_clashes (GPtrArray *occurrences)
{
  guint n = 0;

  g_return_val_if_fail (occurrences != NULL, 0);

  for (guint i = 0; i < occurrences->len; i++)
    n += ((TfSeriesOccurrence *) g_ptr_array_index (occurrences, i))->clash !=
         TF_SERIES_CLASH_NONE;
  return n;
}

/* --- the preview ---------------------------------------------------------- */

/* What a preview and a booking both need: who, the offer, the zone and
 * the therapist's hours and days off. */
typedef struct
{
  const char *me;
  int         duration;
  char       *price;
  char       *tzid;
  GPtrArray  *availability; /* TfAvailability*, owned */
  GPtrArray  *blocked;      /* JsonObject*: the therapist_blocked_dates rows, owned */
} Context;

static void
context_clear (Context *c)
{
  g_clear_pointer (&c->price, g_free);
  g_clear_pointer (&c->tzid, g_free);
  g_clear_pointer (&c->availability, g_ptr_array_unref);
  g_clear_pointer (&c->blocked, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Context, context_clear)

/* The checks of tf_booking_book_for_client, once for the whole series. */
static gboolean
check_request (TfVault *vault, const TfSeriesRequest *request, GError **error)
{
  g_autofree char *role = tf_account_get (tf_vault_get_store (vault), "role");
  gboolean in_care = FALSE;

  if (g_strcmp0 (role, "therapist") != 0)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_YOURS,
                           _("Only a therapist books for a client"));
      return FALSE;
    }
  if (request->client_id == NULL || !g_uuid_string_is_valid (request->client_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of a client"),
                   request->client_id != NULL ? request->client_id : "");
      return FALSE;
    }
  if (!tf_booking_check_location (request->location_type, request->meeting_url, error) ||
      !tf_booking_in_care (vault, tf_vault_get_user_id (vault), request->client_id, &in_care,
                           error))
    return FALSE;
  if (!in_care)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_LINKED,
                           _("This person is not a client in your care"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
context_init (Context *c, TfVault *vault, const TfSeriesRequest *request, GError **error)
{
  g_autoptr(GPtrArray) hours = NULL;
  g_autoptr(TfRecord) profile = NULL;

  c->me = tf_vault_get_user_id (vault);
  if (!check_request (vault, request, error) ||
      !tf_booking_find_offer (vault, c->me, request->service_id, &c->duration, &c->price,
                              error))
    return FALSE;
  profile = tf_store_get (tf_vault_get_store (vault), tf_registry_lookup ("profiles"), c->me,
                          NULL);
  if (profile != NULL && !profile->deleted)
    c->tzid = g_strdup (tf_json_get_string (profile->fields, "timezone"));
  hours = tf_vault_list (vault, tf_registry_lookup ("therapist_availability"), "therapist_id",
                         c->me, error);
  if (hours == NULL)
    return FALSE;
  c->availability = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < hours->len; i++)
    {
      TfAvailability *a = g_new0 (TfAvailability, 1);

      if (tf_availability_init_from_fields (a, g_ptr_array_index (hours, i)))
        g_ptr_array_add (c->availability, a);
      else
        g_free (a);
    }
  c->blocked = tf_availability_list_blocked (vault, error);
  return c->blocked != NULL;
}

/* The first clash of @o, with what it meets. */
static gboolean
find_clash (TfVault *vault, const Context *c, TfSeriesOccurrence *o, GDateTime *now,
            GError **error)
{
  g_autofree char *taken = NULL;
  gboolean within = FALSE;

  if (g_date_time_compare (o->start, now) <= 0)
    {
      o->clash = TF_SERIES_CLASH_PAST;
      return TRUE;
    }
  for (guint i = 0; i < c->blocked->len; i++)
    {
      JsonObject *row = g_ptr_array_index (c->blocked, i);
      TfBlocked b;

      if (tf_blocked_init_from_fields (&b, row) && tf_blocked_contains (&b, o->date))
        {
          o->clash = TF_SERIES_CLASH_BLOCKED;
          o->clash_id = g_strdup (tf_json_get_string (row, "id"));
          return TRUE;
        }
    }
  if (!tf_booking_find_overlap (vault, c->me, NULL, o->start, c->duration, 0, &taken, error))
    return FALSE;
  if (taken != NULL)
    {
      o->clash = TF_SERIES_CLASH_BOOKED;
      o->clash_id = g_steal_pointer (&taken);
      return TRUE;
    }
  if (!tf_slots_within_hours (c->tzid, c->availability, o->start, c->duration, &within, error))
    return FALSE;
  if (!within)
    o->clash = TF_SERIES_CLASH_OUTSIDE_HOURS;
  return TRUE;
}

static GPtrArray *
preview (TfVault *vault, const Context *c, const TfSeriesRequest *request, GError **error)
{
  TfRecurrence rule = { request->repeat, c->tzid, request->first, request->until,
                        request->count };
  g_autoptr(GPtrArray) expanded = NULL;
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  expanded = tf_recurrence_expand (&rule, NULL, error);
  if (expanded == NULL)
    return NULL;
  occurrences = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_series_occurrence_free);
  for (guint i = 0; i < expanded->len; i++)
    {
      TfOccurrence *e = g_ptr_array_index (expanded, i);
      TfSeriesOccurrence *o = g_new0 (TfSeriesOccurrence, 1);

      o->index = e->index;
      o->date = g_strdup (e->date);
      o->start = g_date_time_ref (e->start);
      o->shifted = e->state == TF_OCCURRENCE_SHIFTED;
      g_ptr_array_add (occurrences, o);
      if (!find_clash (vault, c, o, now, error))
        return NULL;
    }
  return g_steal_pointer (&occurrences);
}

GPtrArray *
tf_booking_series_preview (TfVault *vault, const TfSeriesRequest *request, GError **error)
{
  g_auto(Context) c = { 0 };

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (request != NULL && request->first != NULL, NULL);

  if (!context_init (&c, vault, request, error))
    return NULL;
  return preview (vault, &c, request, error);
}

/* --- the booking ---------------------------------------------------------- */

typedef struct
{
  TfVault               *vault;
  const TfSeriesRequest *request;
  const Context         *context;
  GPtrArray             *occurrences;
  const char            *series_id;
  GStrvBuilder          *ids;
} SeriesBooking;

/* One occurrence as tf_booking_book_for_client writes an appointment, with
 * the series' id. */
static gboolean
put_occurrence (SeriesBooking *s, TfSeriesOccurrence *o, const char *now, GError **error)
{
  const TfSeriesRequest *r = s->request;
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *at = tf_time_format_timestamp (o->start), *url = NULL;

  if (g_strcmp0 (r->location_type, "online") == 0)
    url = tf_booking_meeting_url (s->vault, id, r->meeting_url);
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", s->context->me);
  json_object_set_string_member (plain, "client_id", r->client_id);
  if (r->service_id != NULL)
    json_object_set_string_member (plain, "service_id", r->service_id);
  json_object_set_string_member (plain, "series_id", s->series_id);
  json_object_set_string_member (plain, "appointment_datetime", at);
  json_object_set_int_member (plain, "duration", s->context->duration);
  json_object_set_string_member (plain, "status", "confirmed");
  json_object_set_string_member (plain, "price", s->context->price);
  if (r->location_type != NULL)
    json_object_set_string_member (plain, "location_type", r->location_type);
  if (url != NULL)
    json_object_set_string_member (plain, "meeting_url", url);
  json_object_set_string_member (plain, "created_at", now);
  json_object_set_string_member (plain, "updated_at", now);
  if (!tf_vault_put (s->vault, tf_registry_lookup ("appointments"), id, plain, error))
    return FALSE;
  g_strv_builder_add (s->ids, id);
  return TRUE;
}

static gboolean
book_body (TfStore *store, gpointer data, GError **error)
{
  SeriesBooking *s = data;
  g_autoptr(GDateTime) current = g_date_time_new_now_utc ();
  g_autofree char *now = tf_time_format_timestamp (current);

  for (guint i = 0; i < s->occurrences->len; i++)
    {
      TfSeriesOccurrence *o = g_ptr_array_index (s->occurrences, i);

      if (o->clash == TF_SERIES_CLASH_NONE && !put_occurrence (s, o, now, error))
        return FALSE;
    }
  return TRUE;
}

char *
tf_booking_book_series (TfVault *vault, const TfSeriesRequest *request, gboolean skip_clashes,
                        GStrv *out_ids, GError **error)
{
  g_auto(Context) c = { 0 };
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree char *series_id = g_uuid_string_random ();
  SeriesBooking s = { vault, request, &c, NULL, series_id, ids };
  guint clashes;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (request != NULL && request->first != NULL, NULL);

  if (!context_init (&c, vault, request, error))
    return NULL;
  occurrences = preview (vault, &c, request, error);
  if (occurrences == NULL)
    return NULL;
  clashes = tf_series_count_clashes (occurrences);
  if (clashes == occurrences->len || (clashes > 0 && !skip_clashes))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_FREE,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u of the %u appointments of the series clashes; nothing was "
                                "booked",
                                "%u of the %u appointments of the series clash; nothing was "
                                "booked", clashes),
                   clashes, occurrences->len);
      return NULL;
    }
  s.occurrences = occurrences;
  if (!tf_vault_atomic_one_group (vault, book_body, &s, error))
    return NULL;
  if (out_ids != NULL)
    *out_ids = g_strv_builder_end (ids);
  return g_steal_pointer (&series_id);
}

/* --- this and the following ----------------------------------------------- */

/* Where @o stands in its series: the time the series gave it — before it
 * was moved on its own (previous_datetime), else its time.  "This and the
 * following" go by that, so one moved past a later one stays in its
 * place. */
static GDateTime *
series_slot (JsonObject *o)
{
  const char *previous = tf_json_get_string (o, "previous_datetime");

  return tf_time_parse_timestamp (previous != NULL ? previous
                                                   : tf_json_get_string (o,
                                                                         "appointment_datetime"),
                                  NULL);
}

static int
by_datetime (gconstpointer a, gconstpointer b)
{
  g_autoptr(GDateTime) x = series_slot (*(JsonObject **) a);
  g_autoptr(GDateTime) y = series_slot (*(JsonObject **) b);

  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);
  return g_date_time_compare (x, y);
}

/* The chosen appointment and the later live ones of its series, by time
 * (the chosen one first), as JsonObject*; NULL with @error. */
static GPtrArray *
list_following (TfVault *vault, const char *appointment_id, GError **error)
{
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autoptr(JsonObject) chosen = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GPtrArray) following = NULL;
  g_autoptr(GDateTime) from = NULL;
  const char *series_id;

  if (!g_uuid_string_is_valid (appointment_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of an appointment"), appointment_id);
      return NULL;
    }
  chosen = tf_vault_get (vault, appointments, appointment_id, error);
  if (chosen == NULL)
    return NULL;
  series_id = tf_json_get_string (chosen, "series_id");
  if (series_id == NULL)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("This appointment is not part of a series"));
      return NULL;
    }
  from = series_slot (chosen);
  series = tf_vault_list (vault, appointments, "series_id", series_id, error);
  if (series == NULL)
    return NULL;
  following = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  /* The chosen one first, so its refusal (already cancelled…) is the one told. */
  g_ptr_array_add (following, g_steal_pointer (&chosen));
  g_ptr_array_sort (series, by_datetime);
  for (guint i = 0; i < series->len; i++)
    {
      JsonObject *o = g_ptr_array_index (series, i);
      g_autoptr(GDateTime) at = series_slot (o);

      if (g_strcmp0 (tf_json_get_string (o, "id"), appointment_id) == 0 || at == NULL ||
          from == NULL || g_date_time_compare (at, from) <= 0 ||
          !tf_booking_may_become (tf_json_get_string (o, "status"), "cancelled"))
        continue;
      g_ptr_array_add (following, json_object_ref (o));
    }
  return g_steal_pointer (&following);
}

typedef struct
{
  TfVault    *vault;
  GPtrArray  *following; /* JsonObject*: the chosen one first, then by time */
  const char *reason;
} SeriesCancel;

static gboolean
cancel_body (TfStore *store, gpointer data, GError **error)
{
  SeriesCancel *s = data;

  for (guint i = 0; i < s->following->len; i++)
    if (!tf_booking_cancel (s->vault,
                            tf_json_get_string (g_ptr_array_index (s->following, i), "id"),
                            s->reason, error))
      return FALSE;
  return TRUE;
}

gboolean
tf_booking_cancel_following (TfVault *vault, const char *appointment_id, const char *reason,
                             guint *out_cancelled, GError **error)
{
  g_autoptr(GPtrArray) following = NULL;
  SeriesCancel s = { vault, NULL, reason };

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL, FALSE);

  if (out_cancelled != NULL)
    *out_cancelled = 0;
  following = list_following (vault, appointment_id, error);
  if (following == NULL)
    return FALSE;
  s.following = following;
  if (!tf_vault_atomic_one_group (vault, cancel_body, &s, error))
    return FALSE;
  if (out_cancelled != NULL)
    *out_cancelled = following->len;
  return TRUE;
}

/* @at's local date and time of day in @tzid. */
static gboolean
local_wall (const char *tzid, GDateTime *at, GDate *date, int *seconds, GError **error)
{
  g_autoptr(GDateTime) local = tf_time_utc_to_local (tzid, at, error);

  if (local == NULL)
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_date_time_get_day_of_month (local),
                  (GDateMonth) g_date_time_get_month (local),
                  (GDateYear) g_date_time_get_year (local));
  *seconds = g_date_time_get_hour (local) * 3600 + g_date_time_get_minute (local) * 60 +
             g_date_time_get_second (local);
  return TRUE;
}

/* @date at @seconds in @tzid: the first of a repeated wall time, a skipped
 * one later by the gap (as tf-recurrence places an occurrence). */
static GDateTime *
wall_to_instant (const char *tzid, const GDate *date, int seconds, GError **error)
{
  int y = g_date_get_year (date), m = g_date_get_month (date), d = g_date_get_day (date);
  g_autoptr(GDateTime) earlier = NULL;
  GDate shown;
  int shown_seconds;

  earlier = tf_time_local_to_utc (tzid, y, m, d, seconds, TF_TIME_LOCAL_EARLIER, error);
  if (earlier == NULL || !local_wall (tzid, earlier, &shown, &shown_seconds, error))
    return NULL;
  if (g_date_compare (&shown, date) == 0 && shown_seconds == seconds)
    return g_steal_pointer (&earlier);
  return tf_time_local_to_utc (tzid, y, m, d, seconds, TF_TIME_LOCAL_LATER, error);
}

typedef struct
{
  TfVault   *vault;
  GPtrArray *following; /* JsonObject* */
  GPtrArray *starts;    /* GDateTime*: the new start of each */
} SeriesMove;

static gboolean
move_body (TfStore *store, gpointer data, GError **error)
{
  SeriesMove *s = data;
  g_autoptr(GDateTime) first_new = g_date_time_ref (g_ptr_array_index (s->starts, 0));
  g_autoptr(GDateTime) first_old = tf_time_parse_timestamp (
    tf_json_get_string (g_ptr_array_index (s->following, 0), "appointment_datetime"), NULL);
  gboolean later = g_date_time_compare (first_new, first_old) > 0;
  guint n = s->following->len;

  /* Moved later, the last goes first (and earlier, the first), so no
   * appointment is moved onto one of the series not yet moved. */
  for (guint k = 0; k < n; k++)
    {
      guint i = later ? n - 1 - k : k;
      JsonObject *o = g_ptr_array_index (s->following, i);
      g_autoptr(GError) local = NULL;

      if (!tf_booking_move (s->vault, tf_json_get_string (o, "id"),
                            g_ptr_array_index (s->starts, i), &local))
        {
          g_autoptr(GDateTime) was = tf_time_parse_timestamp (
            tf_json_get_string (o, "appointment_datetime"), NULL);
          g_autofree char *shown = tf_time_format_timestamp (was);

          g_propagate_prefixed_error (error, g_steal_pointer (&local),
                                      /* Translators: %s is an appointment's start. */
                                      _("The appointment at %s: "), shown);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
tf_booking_move_following (TfVault *vault, const char *appointment_id, GDateTime *new_start,
                           guint *out_moved, GError **error)
{
  g_autoptr(GPtrArray) following = NULL;
  g_autoptr(GPtrArray) starts = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                g_date_time_unref);
  g_autoptr(TfRecord) profile = NULL;
  g_autoptr(GDateTime) old_start = NULL;
  const char *tzid = NULL;
  SeriesMove s = { vault, NULL, starts };
  GDate old_date, new_date;
  int old_seconds, new_seconds;
  gint days;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL && new_start != NULL, FALSE);

  if (out_moved != NULL)
    *out_moved = 0;
  following = list_following (vault, appointment_id, error);
  if (following == NULL)
    return FALSE;
  profile = tf_store_get (tf_vault_get_store (vault), tf_registry_lookup ("profiles"),
                          tf_json_get_string (g_ptr_array_index (following, 0), "therapist_id"),
                          NULL);
  if (profile != NULL && !profile->deleted)
    tzid = tf_json_get_string (profile->fields, "timezone");
  old_start = tf_time_parse_timestamp (
    tf_json_get_string (g_ptr_array_index (following, 0), "appointment_datetime"), error);
  if (old_start == NULL ||
      !local_wall (tzid, old_start, &old_date, &old_seconds, error) ||
      !local_wall (tzid, new_start, &new_date, &new_seconds, error))
    return FALSE;
  days = g_date_days_between (&old_date, &new_date);
  g_ptr_array_add (starts, g_date_time_ref (new_start));
  for (guint i = 1; i < following->len; i++)
    {
      g_autoptr(GDateTime) at = tf_time_parse_timestamp (
        tf_json_get_string (g_ptr_array_index (following, i), "appointment_datetime"), error);
      GDate date;
      int seconds;
      GDateTime *moved;

      if (at == NULL || !local_wall (tzid, at, &date, &seconds, error))
        return FALSE;
      if (days >= 0)
        g_date_add_days (&date, days);
      else
        g_date_subtract_days (&date, -days);
      moved = wall_to_instant (tzid, &date, new_seconds, error);
      if (moved == NULL)
        return FALSE;
      g_ptr_array_add (starts, moved);
    }
  s.following = following;
  if (!tf_vault_atomic_one_group (vault, move_body, &s, error))
    return FALSE;
  if (out_moved != NULL)
    *out_moved = following->len;
  return TRUE;
}
