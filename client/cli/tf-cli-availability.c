/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-availability.c: what a therapist's availability holds — the
 * weekly hours and the days off, one day or a period — and unblocking a
 * day off.  Setting hours and blocking days are tf-cli-schedule.c's
 * "availability set|block"; the rules of all of them are
 * client/core/tf-availability's, shared with the app.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-availability.h"
#include "tf-booking.h"
#include "tf-cli.h"
#include "tf-error.h"

static const char * const day_names[] = {
  N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"),
  N_("Saturday"),
};

/* The weekly hours and the days off: with --json one object
 * {"hours": [...], "blocked": [...]} of the records as stored (a day off
 * has blocked_date, and end_date when it is a period). */
static gboolean
availability_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonArray) hours = json_array_new ();
  g_autoptr(GPtrArray) blocked = NULL;

  if (!tf_cli_parse (cli, &tf_cli_availability_commands[0], NULL, &argc, &argv, 0, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  for (int day = 0; day < 7; day++)
    {
      g_autoptr(GPtrArray) rows = tf_availability_list_day (cli->vault, day, error);

      if (rows == NULL)
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        {
          JsonObject *o = g_ptr_array_index (rows, i);

          json_array_add_object_element (hours, json_object_ref (o));
          if (!cli->json)
            g_print ("%s  %s–%s\n", _(day_names[day]), tf_cli_text (o, "start_time"),
                     tf_cli_text (o, "end_time"));
        }
    }
  blocked = tf_availability_list_blocked (cli->vault, error);
  if (blocked == NULL)
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonObject) out = json_object_new ();
      g_autoptr(JsonArray) days_off = json_array_new ();
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < blocked->len; i++)
        json_array_add_object_element (days_off,
                                       json_object_ref (g_ptr_array_index (blocked, i)));
      json_object_set_array_member (out, "hours", g_steal_pointer (&hours));
      json_object_set_array_member (out, "blocked", g_steal_pointer (&days_off));
      node = json_node_init_object (json_node_alloc (), out);
      tf_cli_print_json (node);
      return TRUE;
    }
  for (guint i = 0; i < blocked->len; i++)
    {
      JsonObject *o = g_ptr_array_index (blocked, i);
      const char *last = tf_json_get_string (o, "end_date");

      /* id, first day, last day (the same for one day), reason. */
      g_print ("%s  %s  %s  %s\n", tf_cli_text (o, "id"), tf_cli_text (o, "blocked_date"),
               last != NULL ? last : tf_cli_text (o, "blocked_date"), tf_cli_text (o, "reason"));
    }
  return TRUE;
}

static gboolean
availability_unblock (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) plain = NULL;

  if (!tf_cli_parse (cli, &tf_cli_availability_commands[1], NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL)
    return FALSE;
  /* The usual "no such" wording for an id that is not a day off here. */
  plain = tf_cli_dup_record (cli, "therapist_blocked_dates", argv[1], _("day off"), error);
  if (plain == NULL)
    return FALSE;
  return tf_availability_unblock (cli->vault, argv[1], error);
}

const TfCliCommand tf_cli_availability_commands[] = {
  { "availability", "list", availability_list, "" },
  { "availability", "unblock", availability_unblock, "ID" },
  { NULL }
};
