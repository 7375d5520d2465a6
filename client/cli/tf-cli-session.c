/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-session.c: the record of a held session — its therapist keeps it
 * (session record), both sides read it (session show): the client only
 * what the therapist shared.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-cli.h"
#include "tf-session-record.h"

/* A flag pair --X / --no-X over @stored: the stored value unless one is
 * given; both is a usage error. */
static gboolean
pick_flag (gboolean yes, gboolean no, gboolean stored, const char *name, gboolean *out,
           GError **error)
{
  if (yes && no)
    {
      g_set_error (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE, _("Give --%s or --no-%s, not both"),
                   name, name);
      return FALSE;
    }
  *out = yes ? TRUE : no ? FALSE : stored;
  return TRUE;
}

/* The stored value of @member, or @given when an option gave one. */
static const char *
pick_text (const char *given, JsonObject *stored, const char *member)
{
  if (given != NULL)
    return given;
  return stored != NULL ? tf_json_get_string (stored, member) : NULL;
}

static gboolean
session_record (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *start = NULL, *end = NULL, *notes = NULL, *summary = NULL;
  g_autofree char *homework = NULL, *plan = NULL;
  gboolean absent = FALSE, attended = FALSE, away = FALSE, present = FALSE;
  gboolean issues = FALSE, no_issues = FALSE, share = FALSE, no_share = FALSE;
  g_autoptr(JsonObject) stored = NULL;
  g_autoptr(JsonObject) saved = NULL;
  TfSessionRecord r = { 0 };
  GOptionEntry entries[] = {
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, N_("When it actually began"), N_("RFC3339") },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, N_("When it actually ended"), N_("RFC3339") },
    { "client-attended", 0, 0, G_OPTION_ARG_NONE, &attended, N_("The client came"), NULL },
    { "client-absent", 0, 0, G_OPTION_ARG_NONE, &absent, N_("The client did not come"), NULL },
    { "therapist-attended", 0, 0, G_OPTION_ARG_NONE, &present, N_("You were there"), NULL },
    { "therapist-absent", 0, 0, G_OPTION_ARG_NONE, &away, N_("You could not be there"), NULL },
    { "technical-issues", 0, 0, G_OPTION_ARG_NONE, &issues,
      N_("Sound, picture or connection failed"), NULL },
    { "no-technical-issues", 0, 0, G_OPTION_ARG_NONE, &no_issues, N_("None failed"), NULL },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Your own notes on it, encrypted"),
      N_("TEXT") },
    { "summary", 0, 0, G_OPTION_ARG_STRING, &summary, N_("The summary for the client"),
      N_("TEXT") },
    { "homework", 0, 0, G_OPTION_ARG_STRING, &homework, N_("Homework for the client"),
      N_("TEXT") },
    { "plan", 0, 0, G_OPTION_ARG_STRING, &plan, N_("The plan for the next session"),
      N_("TEXT") },
    { "share", 0, 0, G_OPTION_ARG_NONE, &share,
      N_("Share the summary, homework and plan with the client"), NULL },
    { "no-share", 0, 0, G_OPTION_ARG_NONE, &no_share,
      N_("Stop sharing them (the session is locked again under a new key)"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_session_commands[0], entries, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  stored = tf_session_record_dup (cli->vault, argv[1], error);
  if (stored == NULL && error != NULL && *error != NULL)
    return FALSE;
  r.actual_start = pick_text (start, stored, "actual_start_time");
  r.actual_end = pick_text (end, stored, "actual_end_time");
  r.therapist_notes = pick_text (notes, stored, "therapist_notes");
  r.summary = pick_text (summary, stored, "session_summary");
  r.homework = pick_text (homework, stored, "homework_assigned");
  r.next_session_plan = pick_text (plan, stored, "next_session_plan");
  if (!pick_flag (attended, absent,
                  stored ? json_object_get_boolean_member_with_default (stored, "client_attended",
                                                                        TRUE) : TRUE,
                  "client-attended", &r.client_attended, error) ||
      !pick_flag (present, away,
                  stored ? json_object_get_boolean_member_with_default (stored,
                                                                        "therapist_attended",
                                                                        TRUE) : TRUE,
                  "therapist-attended", &r.therapist_attended, error) ||
      !pick_flag (issues, no_issues,
                  stored ? json_object_get_boolean_member_with_default (stored,
                                                                        "technical_issues",
                                                                        FALSE) : FALSE,
                  "technical-issues", &r.technical_issues, error) ||
      !pick_flag (share, no_share, stored ? tf_session_record_is_shared (stored) : FALSE,
                  "share", &r.shared_with_client, error))
    return FALSE;
  if (!tf_session_record_save (cli->vault, argv[1], &r, &saved, error))
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), saved);

      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n", tf_cli_text (saved, "id"));
  return TRUE;
}

static void
print_line (const char *label, const char *value)
{
  if (value != NULL)
    g_print ("%s: %s\n", label, value);
}

static gboolean
session_show (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) record = NULL;
  gboolean readable;

  if (!tf_cli_parse (cli, &tf_cli_session_commands[1], NULL, &argc, &argv, 1, error) ||
      tf_cli_vault (cli, error) == NULL)
    return FALSE;
  record = tf_session_record_dup (cli->vault, argv[1], error);
  if (record == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                     _("There is no session record of appointment %s here"), argv[1]);
      return FALSE;
    }
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);

      tf_cli_print_json (node);
      return TRUE;
    }
  readable = !json_object_get_boolean_member_with_default (record, "unreadable", FALSE);
  print_line (_("Began"), tf_json_get_string (record, "actual_start_time"));
  print_line (_("Ended"), tf_json_get_string (record, "actual_end_time"));
  if (!readable)
    {
      g_print ("%s\n", _("The therapist has not shared a summary of this session with you."));
      return TRUE;
    }
  print_line (_("Your notes"), tf_json_get_string (record, "therapist_notes"));
  print_line (_("Summary"), tf_json_get_string (record, "session_summary"));
  print_line (_("Homework"), tf_json_get_string (record, "homework_assigned"));
  print_line (_("Next session"), tf_json_get_string (record, "next_session_plan"));
  return TRUE;
}

const TfCliCommand tf_cli_session_commands[] = {
  { "session", "record", session_record,
    "APPOINTMENT [--start T] [--end T] [--client-attended | --client-absent] "
    "[--therapist-attended | --therapist-absent] [--technical-issues | --no-technical-issues] "
    "[--notes TEXT] [--summary TEXT] [--homework TEXT] [--plan TEXT] [--share | --no-share]" },
  { "session", "show", session_show, "APPOINTMENT" },
  { NULL }
};
