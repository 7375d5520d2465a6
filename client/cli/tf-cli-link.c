/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-link.c: a therapist's answer to the clients who asked for care —
 * link requests (who, since when, what they would share), link accept ID
 * and link decline ID.  The client asks with "therapist link"
 * (tf-cli-client.c); the rules are client/core/tf-care-requests.c's,
 * shared with the app.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "tf-care-requests.h"
#include "tf-cli.h"

/* What a request would share once accepted, for a person to read. */
static const char *
shares (JsonObject *o)
{
  gboolean mood = json_object_get_boolean_member (o, "share_mood");
  gboolean goals = json_object_get_boolean_member (o, "share_goals");

  if (mood && goals)
    return _("shares mood and goals");
  if (mood)
    return _("shares mood");
  if (goals)
    return _("shares goals");
  return _("shares neither mood nor goals");
}

static gboolean
link_requests (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) requests = NULL;

  if (!tf_cli_parse (cli, &tf_cli_link_commands[0], NULL, &argc, &argv, 0, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  requests = tf_care_requests_list (cli->vault, error);
  if (requests == NULL)
    return FALSE;
  if (cli->json)
    {
      tf_cli_print_records (requests);
      return TRUE;
    }
  if (requests->len == 0)
    g_print ("%s\n", _("No client is waiting for your answer."));
  for (guint i = 0; i < requests->len; i++)
    {
      JsonObject *o = g_ptr_array_index (requests, i);

      /* id, the client's name, when they asked, what they would share. */
      g_print ("%s  %s  %s  %s\n", tf_cli_text (o, "id"), tf_cli_text (o, "name"),
               tf_cli_text (o, "started_at"), shares (o));
    }
  return TRUE;
}

static gboolean
answer (TfCli *cli, const TfCliCommand *command, gboolean accept, int argc, char **argv,
        GError **error)
{
  if (!tf_cli_parse (cli, command, NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  if (!tf_care_request_answer (cli->vault, argv[1], accept, error))
    return FALSE;
  if (!cli->json)
    g_print ("%s\n", accept ? _("Accepted. The client’s shared records reach you after their "
                                "next sync.")
                            : _("Declined. Nothing of the client’s is shared with you."));
  return TRUE;
}

static gboolean
link_accept (TfCli *cli, int argc, char **argv, GError **error)
{
  return answer (cli, &tf_cli_link_commands[1], TRUE, argc, argv, error);
}

static gboolean
link_decline (TfCli *cli, int argc, char **argv, GError **error)
{
  return answer (cli, &tf_cli_link_commands[2], FALSE, argc, argv, error);
}

const TfCliCommand tf_cli_link_commands[] = {
  { "link", "requests", link_requests, "" },
  { "link", "accept", link_accept, "ID" },
  { "link", "decline", link_decline, "ID" },
  { NULL }
};
