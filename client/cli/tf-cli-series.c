/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-series.c: a therapist's repeating appointments from the terminal —
 * "appointment book --client ID --at T --repeat weekly|biweekly|monthly
 * (--until D | --count N) [--skip-clashes | --preview]" and "appointment
 * cancel ID --reason R --series" (this and the following).
 *
 * The preview is printed before anything is written, one occurrence a
 * line: its local date, its start (UTC) and what stands in its way.  With a
 * clash nothing is booked unless --skip-clashes says to leave those out;
 * the lines say which were.  The rules are client/core/tf-booking-series's.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-cli-series.h"
#include "tf-error.h"
#include "tf-time.h"

static JsonObject *
occurrence_json (const TfSeriesOccurrence *o, const char *id)
{
  JsonObject *j = json_object_new ();
  g_autofree char *start = tf_time_format_timestamp (o->start);
  const char *code = tf_series_clash_code (o->clash);

  json_object_set_int_member (j, "index", o->index);
  json_object_set_string_member (j, "date", o->date);
  json_object_set_string_member (j, "start", start);
  json_object_set_boolean_member (j, "shifted", o->shifted);
  if (code != NULL)
    json_object_set_string_member (j, "clash", code);
  else
    json_object_set_null_member (j, "clash");
  if (o->clash_id != NULL)
    json_object_set_string_member (j, "clash_with", o->clash_id);
  if (id != NULL)
    json_object_set_string_member (j, "id", id);
  else
    json_object_set_null_member (j, "id");
  return j;
}

/* One line per occurrence: "DATE START [ID] [— why]"; @ids the booked
 * appointments in order (NULL when nothing was booked). */
static void
print_occurrences (TfCli *cli, GPtrArray *occurrences, const char *series_id, GStrv ids)
{
  g_autoptr(JsonArray) all = json_array_new ();
  guint next = 0;

  for (guint i = 0; i < occurrences->len; i++)
    {
      TfSeriesOccurrence *o = g_ptr_array_index (occurrences, i);
      const char *id = ids != NULL && o->clash == TF_SERIES_CLASH_NONE ? ids[next++] : NULL;
      g_autofree char *start = tf_time_format_timestamp (o->start);

      json_array_add_object_element (all, occurrence_json (o, id));
      if (cli->json)
        continue;
      if (o->clash != TF_SERIES_CLASH_NONE)
        /* Translators: a date, a time, then why that appointment of the series cannot be. */
        g_print (_("%s  %s  clash: %s%s%s%s\n"), o->date, start,
                 tf_series_clash_label (o->clash), o->clash_id != NULL ? " (" : "",
                 o->clash_id != NULL ? o->clash_id : "", o->clash_id != NULL ? ")" : "");
      else
        g_print ("%s  %s  %s%s\n", o->date, start, id != NULL ? id : _("free"),
                 o->shifted ? _(" (later by the clock change: the usual time does not exist "
                                "that day)") : "");
    }
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      if (series_id != NULL)
        json_object_set_string_member (out, "series_id", series_id);
      else
        json_object_set_null_member (out, "series_id");
      json_object_set_int_member (out, "clashes", tf_series_count_clashes (occurrences));
      json_object_set_array_member (out, "occurrences", g_steal_pointer (&all));
      node = json_node_init_object (json_node_alloc (), out);
      tf_cli_print_json (node);
    }
  else if (series_id != NULL)
    /* Translators: %s is the new series' id. */
    g_print (_("series %s\n"), series_id);
}

gboolean
tf_cli_book_series (TfCli *cli, const TfSeriesRequest *request, gboolean skip_clashes,
                    gboolean preview_only, GError **error)
{
  g_autoptr(GPtrArray) occurrences = NULL;
  g_autoptr(GError) local = NULL;
  g_auto(GStrv) ids = NULL;
  g_autofree char *series_id = NULL;
  guint clashes;

  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  occurrences = tf_booking_series_preview (cli->vault, request, &local);
  if (occurrences == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      if ((*error)->domain == TF_BOOKING_ERROR || (*error)->domain == TF_VALIDATION_ERROR)
        {
          (*error)->domain = TF_CLI_ERROR;
          (*error)->code = TF_CLI_ERROR_USAGE;
        }
      return FALSE;
    }
  clashes = tf_series_count_clashes (occurrences);
  if (preview_only || (clashes > 0 && !skip_clashes) || clashes == occurrences->len)
    {
      print_occurrences (cli, occurrences, NULL, NULL);
      if (preview_only)
        return TRUE;
      if (clashes == occurrences->len)
        return tf_cli_usage_error (error, _("Every appointment of the series clashes; nothing "
                                            "was booked"));
      return tf_cli_usage_error (error,
                                 g_dngettext (GETTEXT_PACKAGE,
                                              "%u of the %u appointments of the series clashes "
                                              "(above); nothing was booked. Book the others "
                                              "with --skip-clashes",
                                              "%u of the %u appointments of the series clash "
                                              "(above); nothing was booked. Book the others "
                                              "with --skip-clashes", clashes),
                                 clashes, occurrences->len);
    }
  series_id = tf_booking_book_series (cli->vault, request, skip_clashes, &ids, &local);
  if (series_id == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      if ((*error)->domain == TF_BOOKING_ERROR)
        {
          (*error)->domain = TF_CLI_ERROR;
          (*error)->code = TF_CLI_ERROR_USAGE;
        }
      return FALSE;
    }
  print_occurrences (cli, occurrences, series_id, ids);
  return TRUE;
}

gboolean
tf_cli_cancel_series (TfCli *cli, const char *appointment_id, const char *reason,
                      GError **error)
{
  guint cancelled = 0;

  if (!tf_booking_cancel_following (cli->vault, appointment_id, reason, &cancelled, error))
    {
      if (error != NULL && *error != NULL && (*error)->domain == TF_BOOKING_ERROR)
        {
          (*error)->domain = TF_CLI_ERROR;
          (*error)->code = TF_CLI_ERROR_USAGE;
        }
      return FALSE;
    }
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_int_member (out, "cancelled", cancelled);
      node = json_node_init_object (json_node_alloc (), out);
      tf_cli_print_json (node);
    }
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u appointment cancelled\n",
                          "%u appointments cancelled\n", cancelled), cancelled);
  return TRUE;
}

gboolean
tf_cli_move_series (TfCli *cli, const char *appointment_id, GDateTime *new_start,
                    GError **error)
{
  guint moved = 0;

  if (!tf_booking_move_following (cli->vault, appointment_id, new_start, &moved, error))
    {
      if (error != NULL && *error != NULL && (*error)->domain == TF_BOOKING_ERROR)
        {
          (*error)->domain = TF_CLI_ERROR;
          (*error)->code = TF_CLI_ERROR_USAGE;
        }
      return FALSE;
    }
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_int_member (out, "moved", moved);
      node = json_node_init_object (json_node_alloc (), out);
      tf_cli_print_json (node);
    }
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "%u appointment moved\n",
                          "%u appointments moved\n", moved), moved);
  return TRUE;
}
