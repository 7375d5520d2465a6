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

typedef struct
{
  TfVault    *vault;
  GPtrArray  *ids;    /* the appointments to cancel, the chosen one first */
  const char *reason;
} SeriesCancel;

static gboolean
cancel_body (TfStore *store, gpointer data, GError **error)
{
  SeriesCancel *s = data;

  for (guint i = 0; i < s->ids->len; i++)
    if (!tf_booking_cancel (s->vault, g_ptr_array_index (s->ids, i), s->reason, error))
      return FALSE;
  return TRUE;
}

gboolean
tf_booking_cancel_following (TfVault *vault, const char *appointment_id, const char *reason,
                             guint *out_cancelled, GError **error)
{
  const TfTable *appointments = tf_registry_lookup ("appointments");
  g_autoptr(JsonObject) chosen = NULL;
  g_autoptr(GPtrArray) series = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) from = NULL;
  SeriesCancel s = { vault, ids, reason };
  const char *series_id;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (appointment_id != NULL, FALSE);

  if (out_cancelled != NULL)
    *out_cancelled = 0;
  if (!g_uuid_string_is_valid (appointment_id))
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("“%s” is not an id of an appointment"), appointment_id);
      return FALSE;
    }
  chosen = tf_vault_get (vault, appointments, appointment_id, error);
  if (chosen == NULL)
    return FALSE;
  series_id = tf_json_get_string (chosen, "series_id");
  if (series_id == NULL)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("This appointment is not part of a series"));
      return FALSE;
    }
  from = tf_time_parse_timestamp (tf_json_get_string (chosen, "appointment_datetime"), NULL);
  series = tf_vault_list (vault, appointments, "series_id", series_id, error);
  if (series == NULL)
    return FALSE;
  /* The chosen one first, so its refusal (already cancelled…) is the one told. */
  g_ptr_array_add (ids, g_strdup (appointment_id));
  for (guint i = 0; i < series->len; i++)
    {
      JsonObject *o = g_ptr_array_index (series, i);
      const char *status = tf_json_get_string (o, "status");
      g_autoptr(GDateTime) at = tf_time_parse_timestamp (
        tf_json_get_string (o, "appointment_datetime"), NULL);

      if (g_strcmp0 (tf_json_get_string (o, "id"), appointment_id) == 0 || at == NULL ||
          from == NULL || g_date_time_compare (at, from) <= 0 ||
          !tf_booking_may_become (status, "cancelled"))
        continue;
      g_ptr_array_add (ids, g_strdup (tf_json_get_string (o, "id")));
    }
  if (!tf_vault_atomic_one_group (vault, cancel_body, &s, error))
    return FALSE;
  if (out_cancelled != NULL)
    *out_cancelled = ids->len;
  return TRUE;
}
