/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability.c: writing a therapist's working hours and days off
 * (tf-availability.h), for the app and the CLI alike.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-availability.h"
#include "tf-booking.h"
#include "tf-slots.h"
#include "tf-time.h"

static const TfTable *
hours_table (void)
{
  return tf_registry_lookup ("therapist_availability");
}

static int
by_blocked_date (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;

  return g_strcmp0 (tf_json_get_string (x, "blocked_date"),
                    tf_json_get_string (y, "blocked_date"));
}

static int
by_start (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;

  return g_strcmp0 (tf_json_get_string (x, "start_time"), tf_json_get_string (y, "start_time"));
}

/* Whether @times are windows the slot rules can read. */
static gboolean
check_times (GPtrArray *times, GError **error)
{
  int last_end = -1;

  if (times->len % 2 != 0)
    {
      g_set_error_literal (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                           _("Every window of working hours needs a start and an end"));
      return FALSE;
    }
  for (guint i = 0; i < times->len; i += 2)
    {
      const char *from = g_ptr_array_index (times, i), *to = g_ptr_array_index (times, i + 1);
      int start, end;

      if (!tf_time_parse_time (from, &start, NULL) || !tf_time_parse_time (to, &end, NULL))
        {
          g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                       _("“%s–%s” is not a window of working hours"), from, to);
          return FALSE;
        }
      if (end <= start)
        {
          g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                       _("Working hours must end after they start (%s–%s)"), from, to);
          return FALSE;
        }
      if (start < last_end)
        {
          g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                       _("Working hours %s–%s overlap the window before them"), from, to);
          return FALSE;
        }
      last_end = end;
    }
  return TRUE;
}

GPtrArray *
tf_availability_list_day (TfVault *vault, int day_of_week, GError **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *rows;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  all = tf_vault_list (vault, hours_table (), "therapist_id", tf_vault_get_user_id (vault),
                       error);
  if (all == NULL)
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; i < all->len; i++)
    {
      JsonObject *o = g_ptr_array_index (all, i);

      if (json_object_get_int_member_with_default (o, "day_of_week", -1) == day_of_week)
        g_ptr_array_add (rows, json_object_ref (o));
    }
  g_ptr_array_sort (rows, by_start);
  return rows;
}

static gboolean
rows_are (GPtrArray *rows, GPtrArray *times)
{
  if (rows->len * 2 != times->len)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *o = g_ptr_array_index (rows, i);

      if (!json_object_get_boolean_member_with_default (o, "is_available", TRUE) ||
          tf_json_get_string (o, "effective_from") != NULL ||
          tf_json_get_string (o, "effective_until") != NULL ||
          g_strcmp0 (tf_json_get_string (o, "start_time"), g_ptr_array_index (times, 2 * i)) != 0 ||
          g_strcmp0 (tf_json_get_string (o, "end_time"), g_ptr_array_index (times, 2 * i + 1)) != 0)
        return FALSE;
    }
  return TRUE;
}

GStrv
tf_availability_set_day (TfVault *vault, int day_of_week, GPtrArray *times, gboolean *changed,
                         GError **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  const char *me;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (times != NULL, NULL);

  if (changed != NULL)
    *changed = FALSE;
  if (day_of_week < 0 || day_of_week > 6)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   _("%d is not a day of the week (0 = Sunday … 6 = Saturday)"), day_of_week);
      return NULL;
    }
  if (!check_times (times, error))
    return NULL;
  me = tf_vault_get_user_id (vault);
  rows = tf_availability_list_day (vault, day_of_week, error);
  if (rows == NULL)
    return NULL;
  if (rows_are (rows, times))
    {
      for (guint i = 0; i < rows->len; i++)
        g_strv_builder_add (ids, tf_json_get_string (g_ptr_array_index (rows, i), "id"));
      return g_strv_builder_end (ids);
    }

  for (guint i = 0; i < rows->len; i++)
    if (!tf_vault_delete (vault, hours_table (),
                          tf_json_get_string (g_ptr_array_index (rows, i), "id"), error))
      return NULL;
  if (changed != NULL)
    *changed = TRUE;
  for (guint i = 0; i < times->len; i += 2)
    {
      g_autoptr(JsonObject) plain = json_object_new ();
      g_autofree char *id = g_uuid_string_random ();

      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "therapist_id", me);
      json_object_set_int_member (plain, "day_of_week", day_of_week);
      json_object_set_string_member (plain, "start_time", g_ptr_array_index (times, i));
      json_object_set_string_member (plain, "end_time", g_ptr_array_index (times, i + 1));
      json_object_set_boolean_member (plain, "is_available", TRUE);
      if (!tf_vault_put (vault, hours_table (), id, plain, error))
        return NULL;
      g_strv_builder_add (ids, id);
    }
  return g_strv_builder_end (ids);
}

static const TfTable *
blocked_table (void)
{
  return tf_registry_lookup ("therapist_blocked_dates");
}

static gboolean
check_date (const char *date, GError **error)
{
  if (date != NULL && tf_time_parse_date (date, NULL, NULL, NULL, NULL))
    return TRUE;
  g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
               _("“%s” is not a date; write it as YYYY-MM-DD"), date != NULL ? date : "");
  return FALSE;
}

/* Refuses [@first, @last] when it meets a day off already stored. */
static gboolean
check_not_blocked (GPtrArray *existing, const char *first, const char *last, GError **error)
{
  for (guint i = 0; i < existing->len; i++)
    {
      TfBlocked b;

      if (!tf_blocked_init_from_fields (&b, g_ptr_array_index (existing, i)))
        continue;
      /* Two spans of dates meet when each starts before the other ends. */
      if (strcmp (first, b.last_date != NULL ? b.last_date : b.first_date) > 0 ||
          strcmp (b.first_date, last) > 0)
        continue;
      if (strcmp (first, last) == 0 && b.last_date == NULL)
        g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                     _("%s is already blocked"), first);
      else
        g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                     /* Translators: each %s is a date, 2026-08-03; the last two are the
                      * days off already there (the same date twice for one day). */
                     _("The days off %s to %s meet those already blocked, %s to %s"),
                     first, last, b.first_date, b.last_date != NULL ? b.last_date : b.first_date);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tf_availability_list_blocked (TfVault *vault, GError **error)
{
  GPtrArray *rows;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  rows = tf_vault_list (vault, blocked_table (), "therapist_id", tf_vault_get_user_id (vault),
                        error);
  if (rows != NULL)
    g_ptr_array_sort (rows, by_blocked_date);
  return rows;
}

char *
tf_availability_block (TfVault *vault, const char *first, const char *last, const char *reason,
                       GError **error)
{
  g_autoptr(GPtrArray) existing = NULL;
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *why = g_strstrip (g_strdup (reason != NULL ? reason : ""));
  const char *me;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  if (!check_date (first, error) || (last != NULL && !check_date (last, error)))
    return NULL;
  if (last != NULL && strcmp (last, first) < 0)
    {
      g_set_error (error, TF_BOOKING_ERROR, TF_BOOKING_ERROR_INVALID,
                   /* Translators: both %s are dates, 2026-08-03. */
                   _("The days off cannot end on %s, before they start on %s"), last, first);
      return NULL;
    }
  /* A period of one day is that day. */
  if (last != NULL && strcmp (last, first) == 0)
    last = NULL;
  me = tf_vault_get_user_id (vault);
  existing = tf_vault_list (vault, blocked_table (), "therapist_id", me, error);
  if (existing == NULL ||
      !check_not_blocked (existing, first, last != NULL ? last : first, error))
    return NULL;
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", me);
  json_object_set_string_member (plain, "blocked_date", first);
  if (last != NULL)
    json_object_set_string_member (plain, "end_date", last);
  if (*why != '\0')
    json_object_set_string_member (plain, "reason", why);
  if (!tf_vault_put (vault, blocked_table (), id, plain, error))
    return NULL;
  return g_steal_pointer (&id);
}

gboolean
tf_availability_unblock (TfVault *vault, const char *id, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return tf_vault_delete (vault, blocked_table (), id, error);
}
