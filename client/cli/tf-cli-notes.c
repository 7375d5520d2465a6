/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-notes.c: a therapist's session notes — add, lock (sign), list (the
 * unsigned ones too), show, and addenda to locked notes.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-cli.h"
#include "tf-addenda.h"
#include "tf-clinical.h"
#include "tf-print-doc.h"
#include "tf-print-render.h"

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

/* The text of a note's content or an addendum's, whatever its shape. */
static const char *
note_text (JsonObject *o)
{
  JsonNode *content = json_object_get_member (o, "note_content");

  if (content != NULL && JSON_NODE_HOLDS_OBJECT (content))
    return json_object_get_string_member_with_default (json_node_get_object (content), "text",
                                                       NULL);
  return NULL;
}

static const char *
lock_words (JsonObject *o)
{
  if (tf_json_get_string (o, "locked_at") == NULL)
    return _(" [not signed]");
  return json_object_get_boolean_member_with_default (o, "signature_valid", FALSE)
           ? _(" [locked, signature valid]") : _(" [locked, SIGNATURE INVALID]");
}

/* @note with its addenda, oldest first, as "addenda" (each verified). */
static gboolean
add_addenda (TfCli *cli, JsonObject *note, GError **error)
{
  g_autoptr(GPtrArray) addenda = tf_addendum_list (cli->vault, tf_cli_text (note, "id"), error);
  JsonArray *array;

  if (addenda == NULL)
    return FALSE;
  array = json_array_new ();
  for (guint i = 0; i < addenda->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (addenda, i)));
  json_object_set_array_member (note, "addenda", array);
  return TRUE;
}

static void
print_note (JsonObject *o)
{
  const char *text = note_text (o);
  JsonArray *addenda = json_object_get_array_member (o, "addenda");

  g_print ("%s  %s  %s%s  %s\n", tf_cli_text (o, "id"), tf_cli_text (o, "created_at"),
           tf_cli_text (o, "approach_type"), lock_words (o), text ? text : "");
  for (guint i = 0; addenda != NULL && i < json_array_get_length (addenda); i++)
    {
      JsonObject *a = json_array_get_object_element (addenda, i);

      /* TRANSLATORS: an addendum under its note: when, whether its
       * signature verifies, what it says */
      g_print (_("  + addendum %s%s  %s\n"), tf_cli_text (a, "created_at"), lock_words (a),
               tf_cli_text (a, "content"));
    }
}

static gboolean
note_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  gboolean unsigned_only = FALSE;
  GOptionEntry entries[] = {
    { "unsigned", 0, 0, G_OPTION_ARG_NONE, &unsigned_only,
      N_("Only the notes still to sign"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_note_commands[2], entries, &argc, &argv, 0, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  records = tf_vault_list (cli->vault, tf_cli_table ("session_notes"), NULL, NULL, error);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *o = g_ptr_array_index (records, i);

      if (unsigned_only && tf_json_get_string (o, "locked_at") != NULL)
        continue;
      if (!add_addenda (cli, o, error))
        return FALSE;
      g_ptr_array_add (shown, o);
    }
  if (cli->json)
    {
      tf_cli_print_records (shown);
      return TRUE;
    }
  for (guint i = 0; i < shown->len; i++)
    print_note (g_ptr_array_index (shown, i));
  return TRUE;
}

static gboolean
note_addendum (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *content = NULL;
  g_autofree char *id = g_uuid_string_random ();
  GOptionEntry entries[] = {
    { "content", 0, 0, G_OPTION_ARG_STRING, &content, N_("The addendum, encrypted"),
      N_("TEXT") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_note_commands[3], entries, &argc, &argv, 1, error))
    return FALSE;
  if (content == NULL)
    return tf_cli_usage_error (error, _("An addendum needs --content"));
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  if (!tf_addendum_add (cli->vault, id, argv[1], content, error))
    return FALSE;
  g_print ("%s\n", id);
  return TRUE;
}

static gboolean
note_show (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) note = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!tf_cli_parse (cli, &tf_cli_note_commands[4], NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  note = tf_note_dup_stored (cli->vault, argv[1], &local_error);
  if (note == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                     _("There is no session note %s"), argv[1]);
      return FALSE;
    }
  if (!add_addenda (cli, note, error))
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), note);

      tf_cli_print_json (node);
    }
  else
    print_note (note);
  return TRUE;
}

static gboolean
note_print (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *output = NULL;
  g_autoptr(TfPrintDoc) doc = NULL;
  guint pages = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("The PDF file to write"),
      N_("FILE") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_note_commands[5], entries, &argc, &argv, 1, error))
    return FALSE;
  if (output == NULL)
    return tf_cli_usage_error (error, _("Say where the PDF goes with --output FILE"));
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  doc = tf_print_doc_new_for_note (cli->vault, argv[1], error);
  if (doc == NULL || !tf_print_doc_save_pdf (doc, output, &pages, error))
    return FALSE;
  if (!cli->json)
    g_print (g_dngettext (GETTEXT_PACKAGE, "%s: %u page\n", "%s: %u pages\n", pages), output,
             pages);
  return TRUE;
}

const TfCliCommand tf_cli_note_commands[] = {
  { "note", "add", note_add, "--appointment ID --approach soap|dap|birp|cbt --content TEXT" },
  { "note", "lock", note_lock, "ID" },
  { "note", "list", note_list, "[--unsigned]" },
  { "note", "addendum", note_addendum, "ID --content TEXT" },
  { "note", "show", note_show, "ID" },
  { "note", "print", note_print, "ID --output FILE.pdf" },
  { NULL }
};
