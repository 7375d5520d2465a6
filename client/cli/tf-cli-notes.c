/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-notes.c: a therapist's session notes — add, lock (sign), list.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-cli.h"
#include "tf-clinical.h"

static gboolean
note_add (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *appointment_id = NULL, *approach = NULL, *content = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) appointment = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *body;
  GOptionEntry entries[] = {
    { "appointment", 0, 0, G_OPTION_ARG_STRING, &appointment_id, N_("Appointment id"),
      N_("ID") },
    { "approach", 0, 0, G_OPTION_ARG_STRING, &approach, N_("soap, dap, birp or cbt"),
      N_("A") },
    { "content", 0, 0, G_OPTION_ARG_STRING, &content, N_("The note, encrypted"), N_("TEXT") },
    { NULL }
  };
  static const char *const approaches[] = { "soap", "dap", "birp", "cbt", NULL };

  if (!tf_cli_parse (cli, &tf_cli_note_commands[0], entries, &argc, &argv, 0, error))
    return FALSE;
  if (appointment_id == NULL || content == NULL || approach == NULL)
    return tf_cli_usage_error (error, _("A note needs --appointment, --approach and --content"));
  if (!g_strv_contains (approaches, approach))
    return tf_cli_usage_error (error, _("--approach must be soap, dap, birp or cbt"));
  if (tf_cli_require_role (cli, "therapist", error) == NULL)
    return FALSE;
  appointment = tf_cli_dup_record (cli, "appointments", appointment_id, _("appointment"), error);
  if (appointment == NULL)
    return FALSE;
  /* The session is made with the first note, in its transaction; only the
   * appointment's therapist may (the vault refuses anyone else). */
  body = json_object_new ();
  json_object_set_string_member (body, "approach", approach);
  json_object_set_string_member (body, "text", content);
  node = json_node_init_object (json_node_alloc (), body);
  json_object_unref (body);
  if (!tf_note_save (cli->vault, id, appointment_id, approach, node, NULL, FALSE, NULL, error))
    return FALSE;
  g_print ("%s\n", id);
  return TRUE;
}

static gboolean
note_lock (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) note = NULL;

  if (!tf_cli_parse (cli, &tf_cli_note_commands[1], NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL)
    return FALSE;
  note = tf_cli_dup_record (cli, "session_notes", argv[1], _("session note"), error);
  if (note == NULL)
    return FALSE;
  if (tf_json_get_string (note, "locked_at") != NULL)
    return tf_cli_usage_error (error, _("This note is already locked"));
  if (!tf_vault_lock_note (cli->vault, argv[1], error))
    return FALSE;
  if (!cli->json)
    g_print ("%s\n", _("The note is locked and signed; it can no longer be changed."));
  return TRUE;
}

static gboolean
note_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;

  if (!tf_cli_parse (cli, &tf_cli_note_commands[2], NULL, &argc, &argv, 0, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  records = tf_vault_list (cli->vault, tf_cli_table ("session_notes"), NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  if (cli->json)
    {
      tf_cli_print_records (records);
      return TRUE;
    }
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);
      JsonNode *content = json_object_get_member (o, "note_content");
      const char *text = NULL;
      const char *lock = "";

      if (content != NULL && JSON_NODE_HOLDS_OBJECT (content))
        text = json_object_get_string_member_with_default (json_node_get_object (content),
                                                           "text", NULL);
      if (tf_json_get_string (o, "locked_at") != NULL)
        lock = json_object_get_boolean_member_with_default (o, "signature_valid", FALSE)
                 ? _(" [locked, signature valid]") : _(" [locked, SIGNATURE INVALID]");
      g_print ("%s  %s  %s%s  %s\n", tf_cli_text (o, "id"), tf_cli_text (o, "created_at"),
               tf_cli_text (o, "approach_type"), lock,
               text ? text : "");
    }
  return TRUE;
}

const TfCliCommand tf_cli_note_commands[] = {
  { "note", "add", note_add, "--appointment ID --approach soap|dap|birp|cbt --content TEXT" },
  { "note", "lock", note_lock, "ID" },
  { "note", "list", note_list, "" },
  { NULL }
};
