/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-schedule.c: a therapist's weekly availability and blocked dates;
 * free slots; booking, listing and cancelling appointments.
 *
 * The rules of slots, booking and cancelling are client/core/tf-booking's,
 * shared with the app; this file reads options and prints.  A client's
 * device does not see other clients' bookings, so the server has the last
 * word: a slot taken meanwhile comes back as a refusal (slot_taken) that
 * `sync` and `status` report.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-availability.h"
#include "tf-booking.h"
#include "tf-cli.h"
#include "tf-cli-series.h"
#include "tf-error.h"
#include "tf-time.h"

/* Prints a record just written: its id, or with --json the whole of it. */
static gboolean
print_record (TfCli *cli, const char *table_name, const char *id, GError **error)
{
  g_autoptr(JsonObject) plain = NULL;

  if (!cli->json)
    {
      g_print ("%s\n", id);
      return TRUE;
    }
  plain = tf_vault_get (cli->vault, tf_cli_table (table_name), id, error);
  if (plain == NULL)
    return FALSE;
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), plain);
    tf_cli_print_json (node);
  }
  return TRUE;
}

/* A refusal of the booking rules (tf-booking) is a bad argument here: it
 * changed nothing. */
static gboolean
as_usage_error (GError **error)
{
  if (error != NULL && *error != NULL && (*error)->domain == TF_BOOKING_ERROR)
    {
      (*error)->domain = TF_CLI_ERROR;
      (*error)->code = TF_CLI_ERROR_USAGE;
    }
  return FALSE;
}

/* "HH:MM" (or "HH:MM:SS") -> "HH:MM:SS" and seconds. */
static char *
parse_clock (const char *name, const char *text, int *seconds, GError **error)
{
  g_autofree char *full = NULL;

  if (text != NULL && strlen (text) == 5)
    full = g_strconcat (text, ":00", NULL);
  else
    full = g_strdup (text);
  if (full == NULL || !tf_time_parse_time (full, seconds, NULL))
    {
      tf_cli_usage_error (error, _("--%s must be a time as HH:MM (got “%s”)"), name,
                          text ? text : "");
      return NULL;
    }
  return g_steal_pointer (&full);
}

static gboolean
availability_set (TfCli *cli, int argc, char **argv, GError **error)
{
  int day = -1, from_s, to_s;
  g_autofree char *from = NULL, *to = NULL, *from_full = NULL, *to_full = NULL;
  GOptionEntry entries[] = {
    { "day", 0, 0, G_OPTION_ARG_INT, &day, N_("Day of the week, 0 = Sunday … 6 = Saturday"),
      N_("0-6") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("Start"), N_("HH:MM") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("End"), N_("HH:MM") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[0], entries, &argc, &argv, 0, error) ||
      !tf_cli_check_range ("day", day, 0, 6, error))
    return FALSE;
  from_full = parse_clock ("from", from, &from_s, error);
  if (from_full == NULL)
    return FALSE;
  to_full = parse_clock ("to", to, &to_s, error);
  if (to_full == NULL)
    return FALSE;
  if (to_s <= from_s)
    return tf_cli_usage_error (error, _("--to must be later than --from"));
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;

  /* "set" replaces the day's hours with the one window. */
  {
    g_autoptr(GPtrArray) times = g_ptr_array_new ();
    g_auto(GStrv) ids = NULL;

    g_ptr_array_add (times, from_full);
    g_ptr_array_add (times, to_full);
    ids = tf_availability_set_day (cli->vault, day, times, NULL, error);
    if (ids == NULL)
      return as_usage_error (error);
    return print_record (cli, "therapist_availability", ids[0], error);
  }
}

/* One day off (--date D) or a period of them (--from D --to D). */
static gboolean
availability_block (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *date = NULL, *from = NULL, *to = NULL, *reason = NULL, *id = NULL;
  GOptionEntry entries[] = {
    { "date", 0, 0, G_OPTION_ARG_STRING, &date, N_("The day off"), N_("YYYY-MM-DD") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The first day off of a period"),
      N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("The last day off of a period, included"),
      N_("YYYY-MM-DD") },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (optional)"), N_("R") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[1], entries, &argc, &argv, 0, error))
    return FALSE;
  if ((date == NULL) == (from == NULL && to == NULL))
    return tf_cli_usage_error (error, _("Give --date D for one day off, or --from D --to D "
                                        "for a period"));
  if (date == NULL && (from == NULL || to == NULL))
    return tf_cli_usage_error (error, _("A period of days off needs both --from D and --to D"));
  if (!tf_cli_check_date (date != NULL ? "date" : "from", date != NULL ? date : from, error) ||
      (to != NULL && !tf_cli_check_date ("to", to, error)) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  id = tf_availability_block (cli->vault, date != NULL ? date : from, to, reason, error);
  if (id == NULL)
    return as_usage_error (error);
  return print_record (cli, "therapist_blocked_dates", id, error);
}

/* "availability rules": sets what is given, keeps the rest, prints all. */
static gboolean
availability_rules (TfCli *cli, int argc, char **argv, GError **error)
{
  int notice = G_MININT, buffer = G_MININT, ahead = G_MININT;
  g_autofree char *meeting_template = NULL, *address = NULL;
  g_autoptr(JsonObject) practice = NULL;
  TfBookingRules rules;
  const char *me;
  GOptionEntry entries[] = {
    { "min-notice", 0, 0, G_OPTION_ARG_INT, &notice,
      N_("Minutes of notice a client's booking gives (-1: the server's)"), N_("M") },
    { "buffer", 0, 0, G_OPTION_ARG_INT, &buffer,
      N_("Minutes kept free between appointments"), N_("M") },
    { "ahead", 0, 0, G_OPTION_ARG_INT, &ahead,
      N_("Days ahead a client may book (0: no limit)"), N_("D") },
    { "meeting-template", 0, 0, G_OPTION_ARG_STRING, &meeting_template,
      N_("Link of online appointments; {id} becomes the appointment's id (\"\": none)"),
      N_("URL") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address,
      N_("The practice's address, shown with appointments in person (\"\": none)"), N_("A") },
    { NULL }
  };
  gboolean changing;

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[9], entries, &argc, &argv, 0, error) ||
      (notice != G_MININT && !tf_cli_check_range ("min-notice", notice, -1, 90 * 24 * 60,
                                                  error)) ||
      (buffer != G_MININT && !tf_cli_check_range ("buffer", buffer, 0, 24 * 60, error)) ||
      (ahead != G_MININT && !tf_cli_check_range ("ahead", ahead, 0, 730, error)) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  me = tf_vault_get_user_id (cli->vault);
  practice = tf_booking_dup_practice (cli->vault, me, &rules);
  changing = notice != G_MININT || buffer != G_MININT || ahead != G_MININT ||
             meeting_template != NULL || address != NULL;
  if (changing)
    {
      if (notice != G_MININT)
        rules.min_notice_minutes = notice;
      if (buffer != G_MININT)
        rules.buffer_minutes = buffer;
      if (ahead != G_MININT)
        rules.max_days_ahead = ahead;
      if (!tf_booking_set_practice (cli->vault, &rules,
                                    meeting_template != NULL
                                      ? meeting_template
                                      : (practice ? tf_json_get_string (practice,
                                                                        "meeting_url_template")
                                                  : NULL),
                                    address != NULL
                                      ? address
                                      : (practice ? tf_json_get_string (practice,
                                                                        "practice_address")
                                                  : NULL),
                                    error))
        return as_usage_error (error);
      g_clear_pointer (&practice, json_object_unref);
      practice = tf_booking_dup_practice (cli->vault, me, &rules);
    }
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      const char *t = practice ? tf_json_get_string (practice, "meeting_url_template") : NULL;
      const char *a = practice ? tf_json_get_string (practice, "practice_address") : NULL;

      if (rules.min_notice_minutes >= 0)
        json_object_set_int_member (out, "min_notice_minutes", rules.min_notice_minutes);
      else
        json_object_set_null_member (out, "min_notice_minutes");
      json_object_set_int_member (out, "buffer_minutes", rules.buffer_minutes);
      if (rules.max_days_ahead > 0)
        json_object_set_int_member (out, "max_days_ahead", rules.max_days_ahead);
      else
        json_object_set_null_member (out, "max_days_ahead");
      if (t != NULL)
        json_object_set_string_member (out, "meeting_url_template", t);
      else
        json_object_set_null_member (out, "meeting_url_template");
      if (a != NULL)
        json_object_set_string_member (out, "practice_address", a);
      else
        json_object_set_null_member (out, "practice_address");
      node = json_node_init_object (json_node_alloc (), out);
      tf_cli_print_json (node);
      return TRUE;
    }
  if (rules.min_notice_minutes >= 0)
    g_print (_("Notice: %d minutes\n"), rules.min_notice_minutes);
  else
    g_print ("%s\n", _("Notice: the server's"));
  g_print (_("Between appointments: %d minutes\n"), rules.buffer_minutes);
  if (rules.max_days_ahead > 0)
    g_print (_("Bookings at most %d days ahead\n"), rules.max_days_ahead);
  else
    g_print ("%s\n", _("Bookings any time ahead"));
  if (practice != NULL && tf_json_get_string (practice, "meeting_url_template") != NULL)
    g_print (_("Meeting link: %s\n"), tf_json_get_string (practice, "meeting_url_template"));
  if (practice != NULL && tf_json_get_string (practice, "practice_address") != NULL)
    g_print (_("Address: %s\n"), tf_json_get_string (practice, "practice_address"));
  return TRUE;
}

/* --- slots ---------------------------------------------------------------- */

static gboolean
check_therapist (TfCli *cli, const char *id, GError **error)
{
  g_autoptr(TfRecord) therapist = NULL;
  TfStore *store;

  if (id == NULL)
    return tf_cli_usage_error (error, _("--therapist ID is required"));
  if (!g_uuid_string_is_valid (id))
    return tf_cli_usage_error (error, _("“%s” is not an id of a therapist"), id);
  store = tf_cli_store (cli, error);
  if (store == NULL)
    return FALSE;
  therapist = tf_store_get (store, tf_cli_table ("therapists"), id, NULL);
  if (therapist == NULL || therapist->deleted)
    return tf_cli_usage_error (error, _("No therapist with the id %s is known to this device; "
                                        "run “sync” first"), id);
  return TRUE;
}

static gboolean
slots (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *therapist = NULL, *from = NULL, *to = NULL, *service = NULL, *price = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JsonArray) out = json_array_new ();
  gboolean known = FALSE;
  int duration;
  GOptionEntry entries[] = {
    { "therapist", 0, 0, G_OPTION_ARG_STRING, &therapist, N_("Therapist id"), N_("ID") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First day"), N_("YYYY-MM-DD") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day"), N_("YYYY-MM-DD") },
    { "service", 0, 0, G_OPTION_ARG_STRING, &service, N_("Service id"), N_("ID") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[2], entries, &argc, &argv, 0, error) ||
      !check_therapist (cli, therapist, error) || !tf_cli_check_date ("from", from, error) ||
      !tf_cli_check_date ("to", to, error))
    return FALSE;
  if (strcmp (from, to) > 0)
    return tf_cli_usage_error (error, _("--from must not be after --to"));
  if (tf_cli_vault (cli, error) == NULL)
    return FALSE;
  if (!tf_booking_find_offer (cli->vault, therapist, service, &duration, &price, error))
    return as_usage_error (error);
  found = tf_booking_free_slots (cli->vault, therapist, from, to, duration, &known, error);
  if (found == NULL)
    {
      /* A range the slot rules refuse is a bad argument. */
      if (g_error_matches (*error, TF_PROTOCOL_ERROR, TF_PROTOCOL_ERROR_BAD_VALUE))
        {
          (*error)->domain = TF_CLI_ERROR;
          (*error)->code = TF_CLI_ERROR_USAGE;
        }
      return FALSE;
    }
  for (guint i = 0; i < found->len; i++)
    {
      TfSlot *slot = g_ptr_array_index (found, i);
      g_autofree char *start = tf_time_format_timestamp (slot->start);
      g_autofree char *end = tf_time_format_timestamp (slot->end);

      if (cli->json)
        {
          JsonObject *o = json_object_new ();
          json_object_set_string_member (o, "start", start);
          json_object_set_string_member (o, "end", end);
          json_array_add_object_element (out, o);
        }
      else
        g_print ("%s  %s\n", start, end);
    }
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), out);
      tf_cli_print_json (node);
    }
  else if (!known)
    g_printerr ("%s\n", _("This device knows no working hours of this therapist yet; run "
                          "“sync” first."));
  return TRUE;
}

/* --- appointments --------------------------------------------------------- */

/* Prints an appointment just written: its id, or with --json the whole of it. */
static gboolean
print_appointment (TfCli *cli, const char *id, GError **error)
{
  return print_record (cli, "appointments", id, error);
}

/* A therapist books for a client in their care: "appointment book --client". */
static gboolean
book_for_client (TfCli *cli, const char *client, const char *at, GDateTime *start,
                 const char *service, gboolean online, const char *meeting_url, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autofree char *id = NULL;

  if (!g_uuid_string_is_valid (client))
    return tf_cli_usage_error (error, _("“%s” is not an id of a client"), client);
  if (meeting_url != NULL && !online)
    return tf_cli_usage_error (error, _("--meeting-url goes with --online"));
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  id = tf_booking_book_for_client (cli->vault, client, start, service,
                                   online ? "online" : "in_person", meeting_url, &local);
  if (id == NULL)
    {
      if (g_error_matches (local, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TAKEN))
        return tf_cli_usage_error (error, _("You already have an appointment at %s; see "
                                            "“appointment list”"), at);
      g_propagate_error (error, g_steal_pointer (&local));
      return as_usage_error (error);
    }
  return print_appointment (cli, id, error);
}

/* "appointment book --client … --repeat": the series' options checked here,
 * its rules in tf-cli-series.c. */
static gboolean
book_series (TfCli *cli, const char *client, GDateTime *start, const char *service,
             gboolean online, const char *meeting_url, const char *repeat, const char *until,
             int count, gboolean skip_clashes, gboolean preview, GError **error)
{
  TfSeriesRequest request = { client, start, service, online ? "online" : "in_person",
                              meeting_url, TF_REPEAT_WEEKLY, until, 0 };

  if (!tf_repeat_from_string (repeat, &request.repeat, NULL))
    return tf_cli_usage_error (error, _("--repeat is weekly, biweekly or monthly (got “%s”)"),
                               repeat);
  if ((until == NULL) == (count == 0))
    return tf_cli_usage_error (error, _("A repeating appointment needs --until D or --count N "
                                        "(one of them)"));
  if (until != NULL && !tf_cli_check_date ("until", until, error))
    return FALSE;
  if (count != 0 && !tf_cli_check_range ("count", count, 1, TF_RECURRENCE_MAX_COUNT, error))
    return FALSE;
  if (meeting_url != NULL && !online)
    return tf_cli_usage_error (error, _("--meeting-url goes with --online"));
  if (skip_clashes && preview)
    return tf_cli_usage_error (error, _("--preview books nothing: leave out --skip-clashes"));
  request.count = (guint) count;
  return tf_cli_book_series (cli, &request, skip_clashes, preview, error);
}

static gboolean
appointment_book (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *therapist = NULL, *client = NULL, *at = NULL, *service = NULL, *id = NULL;
  g_autofree char *notes = NULL, *meeting_url = NULL, *repeat = NULL, *until = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GError) local = NULL;
  gboolean online = FALSE, skip_clashes = FALSE, preview = FALSE;
  int count = 0;
  GOptionEntry entries[] = {
    { "therapist", 0, 0, G_OPTION_ARG_STRING, &therapist, N_("Therapist id"), N_("ID") },
    { "client", 0, 0, G_OPTION_ARG_STRING, &client,
      N_("Client id (a therapist booking for a client in care)"), N_("ID") },
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("Start, RFC 3339"), N_("TIME") },
    { "service", 0, 0, G_OPTION_ARG_STRING, &service, N_("Service id"), N_("ID") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes for the therapist"), N_("TEXT") },
    { "online", 0, 0, G_OPTION_ARG_NONE, &online, N_("Online, not in person"), NULL },
    { "meeting-url", 0, 0, G_OPTION_ARG_STRING, &meeting_url,
      N_("The online meeting's link (else made from your meeting template)"), N_("URL") },
    { "repeat", 0, 0, G_OPTION_ARG_STRING, &repeat,
      N_("Repeat: weekly, biweekly or monthly (the same weekday of the month)"), N_("R") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("The last date of the series"),
      N_("YYYY-MM-DD") },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, N_("How many appointments in the series"),
      N_("N") },
    { "skip-clashes", 0, 0, G_OPTION_ARG_NONE, &skip_clashes,
      N_("Book the series without the appointments that clash"), NULL },
    { "preview", 0, 0, G_OPTION_ARG_NONE, &preview,
      N_("Only show the series and its clashes"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[3], entries, &argc, &argv, 0, error))
    return FALSE;
  if (repeat == NULL && (until != NULL || count != 0 || skip_clashes || preview))
    return tf_cli_usage_error (error, _("--until, --count, --skip-clashes and --preview go "
                                        "with --repeat"));
  if ((therapist == NULL) == (client == NULL))
    return tf_cli_usage_error (error, _("Give --therapist ID (a client booking) or --client ID "
                                        "(a therapist booking), not both"));
  if (client == NULL && !check_therapist (cli, therapist, error))
    return FALSE;
  start = at ? tf_time_parse_timestamp (at, NULL) : NULL;
  if (start == NULL)
    return tf_cli_usage_error (error, _("--at must be a time as RFC 3339, e.g. "
                                        "2026-12-01T10:00:00+02:00 (got “%s”)"), at ? at : "");
  if (client != NULL)
    {
      if (notes != NULL)
        return tf_cli_usage_error (error, _("--notes is a client's note for their therapist"));
      if (repeat != NULL)
        return book_series (cli, client, start, service, online, meeting_url, repeat, until,
                            count, skip_clashes, preview, error);
      return book_for_client (cli, client, at, start, service, online, meeting_url, error);
    }
  if (online || meeting_url != NULL || repeat != NULL)
    return tf_cli_usage_error (error, _("--online, --meeting-url and --repeat are the "
                                        "therapist's to choose"));
  if (tf_cli_require_role (cli, "client", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  id = tf_booking_book (cli->vault, therapist, start, service, notes, &local);
  if (id == NULL)
    {
      /* Said in the terms of this program: the time as typed, and where to look. */
      if (g_error_matches (local, TF_BOOKING_ERROR, TF_BOOKING_ERROR_NOT_FREE))
        return tf_cli_usage_error (error, _("%s is not a free slot of this therapist; see "
                                            "“slots”"), at);
      g_propagate_error (error, g_steal_pointer (&local));
      return as_usage_error (error);
    }
  return print_appointment (cli, id, error);
}

static gboolean
appointment_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  const char *role;

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[4], NULL, &argc, &argv, 0, error) ||
      tf_cli_vault (cli, error) == NULL)
    return FALSE;
  role = tf_cli_require_role (cli, NULL, error);
  records = tf_vault_list (cli->vault, tf_cli_table ("appointments"), NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);
      const char *other = tf_json_get_string (o, g_strcmp0 (role, "therapist") == 0
                                                    ? "client_id" : "therapist_id");
      g_autofree char *name = tf_cli_user_name (cli, other);

      json_object_set_string_member (o, "with_name", name);
      if (!cli->json)
        g_print ("%s  %s  %s  %s\n", tf_cli_text (o, "id"), tf_cli_text (o, "appointment_datetime"),
                 tf_booking_is_late_cancellation (o) ? "late_cancellation"
                                                     : tf_cli_text (o, "status"), name);
    }
  if (cli->json)
    tf_cli_print_records (records);
  return TRUE;
}

static gboolean
appointment_cancel (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *reason = NULL;
  g_autoptr(JsonObject) plain = NULL;
  gboolean series = FALSE;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why"), N_("R") },
    { "series", 0, 0, G_OPTION_ARG_NONE, &series,
      N_("This appointment and the following ones of its series"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[5], entries, &argc, &argv, 1, error))
    return FALSE;
  if (reason == NULL || *reason == '\0')
    return tf_cli_usage_error (error, _("Say why with --reason R"));
  /* The usual "no such appointment" wording first. */
  plain = tf_cli_dup_record (cli, "appointments", argv[1], _("appointment"), error);
  if (plain == NULL)
    return FALSE;
  if (series)
    return tf_cli_cancel_series (cli, argv[1], reason, error);
  if (!tf_booking_cancel (cli->vault, argv[1], reason, error))
    return as_usage_error (error);
  return TRUE;
}

/* confirm, complete, no-show: a therapist's say on an appointment. */
static gboolean
appointment_mark (TfCli *cli, const TfCliCommand *command, const char *to, int argc,
                  char **argv, GError **error)
{
  g_autoptr(JsonObject) plain = NULL;

  if (!tf_cli_parse (cli, command, NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL)
    return FALSE;
  plain = tf_cli_dup_record (cli, "appointments", argv[1], _("appointment"), error);
  if (plain == NULL)
    return FALSE;
  if (!tf_booking_set_status (cli->vault, argv[1], to, NULL, error))
    return as_usage_error (error);
  return TRUE;
}

static gboolean
appointment_confirm (TfCli *cli, int argc, char **argv, GError **error)
{
  return appointment_mark (cli, &tf_cli_schedule_commands[6], "confirmed", argc, argv, error);
}

static gboolean
appointment_complete (TfCli *cli, int argc, char **argv, GError **error)
{
  return appointment_mark (cli, &tf_cli_schedule_commands[7], "completed", argc, argv, error);
}

static gboolean
appointment_no_show (TfCli *cli, int argc, char **argv, GError **error)
{
  return appointment_mark (cli, &tf_cli_schedule_commands[8], "no_show", argc, argv, error);
}

static gboolean
appointment_move (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *at = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GError) local = NULL;
  gboolean series = FALSE;
  GOptionEntry entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at, N_("New start, RFC 3339"), N_("TIME") },
    { "series", 0, 0, G_OPTION_ARG_NONE, &series,
      N_("This appointment and the following ones of its series"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[10], entries, &argc, &argv, 1, error))
    return FALSE;
  start = at ? tf_time_parse_timestamp (at, NULL) : NULL;
  if (start == NULL)
    return tf_cli_usage_error (error, _("--at must be a time as RFC 3339, e.g. "
                                        "2026-12-01T10:00:00+02:00 (got “%s”)"), at ? at : "");
  plain = tf_cli_dup_record (cli, "appointments", argv[1], _("appointment"), error);
  if (plain == NULL)
    return FALSE;
  if (series)
    return tf_cli_move_series (cli, argv[1], start, error);
  if (!tf_booking_move (cli->vault, argv[1], start, &local))
    {
      if (g_error_matches (local, TF_BOOKING_ERROR, TF_BOOKING_ERROR_TAKEN))
        return tf_cli_usage_error (error, _("%s is taken: there is another appointment then; "
                                            "see “appointment list”"), at);
      g_propagate_error (error, g_steal_pointer (&local));
      return as_usage_error (error);
    }
  return print_appointment (cli, argv[1], error);
}

static gboolean
appointment_attend (TfCli *cli, int argc, char **argv, GError **error)
{
  return appointment_mark (cli, &tf_cli_schedule_commands[11], "completed", argc, argv, error);
}

static gboolean
appointment_late_cancel (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *reason = NULL;
  g_autoptr(JsonObject) plain = NULL;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason, N_("Why (optional)"), N_("R") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_schedule_commands[12], entries, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL)
    return FALSE;
  plain = tf_cli_dup_record (cli, "appointments", argv[1], _("appointment"), error);
  if (plain == NULL)
    return FALSE;
  if (!tf_booking_mark_late_cancellation (cli->vault, argv[1], reason, error))
    return as_usage_error (error);
  return TRUE;
}

const TfCliCommand tf_cli_schedule_commands[] = {
  { "availability", "set", availability_set, "--day 0-6 --from HH:MM --to HH:MM" },
  { "availability", "block", availability_block,
    "--date D | --from D --to D [--reason R]" },
  { "slots", NULL, slots, "--therapist ID --from D --to D [--service ID]" },
  { "appointment", "book", appointment_book,
    "--therapist ID --at RFC3339 [--service ID] [--notes TEXT] | "
    "--client ID --at RFC3339 [--service ID] [--online [--meeting-url U]] "
    "[--repeat weekly|biweekly|monthly (--until D | --count N) [--skip-clashes | --preview]]" },
  { "appointment", "list", appointment_list, "" },
  { "appointment", "cancel", appointment_cancel, "ID --reason R [--series]" },
  { "appointment", "confirm", appointment_confirm, "ID" },
  { "appointment", "complete", appointment_complete, "ID" },
  { "appointment", "no-show", appointment_no_show, "ID" },
  { "availability", "rules", availability_rules,
    "[--min-notice M] [--buffer M] [--ahead D] [--meeting-template T] [--address A]" },
  { "appointment", "move", appointment_move, "ID --at RFC3339 [--series]" },
  { "appointment", "attend", appointment_attend, "ID" },
  { "appointment", "late-cancel", appointment_late_cancel, "ID [--reason R]" },
  { NULL }
};
