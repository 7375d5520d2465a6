/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-managed.c: a therapist's clients — adding one who has no app
 * account yet (a managed client), listing and showing them, and inviting a
 * managed client to take their records over (client/core/tf-managed.h).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-cli.h"
#include "tf-clinical.h"
#include "tf-error.h"
#include "tf-managed.h"

/* Bad input is a usage error (exit status 2: nothing was changed). */
static gboolean
as_usage (GError **error)
{
  if (error != NULL && *error != NULL &&
      g_error_matches (*error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_INVALID))
    {
      (*error)->domain = TF_CLI_ERROR;
      (*error)->code = TF_CLI_ERROR_USAGE;
    }
  return FALSE;
}

static gboolean
client_add (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *first = NULL, *last = NULL, *email = NULL, *phone = NULL, *address = NULL;
  g_autofree char *birth = NULL, *gender = NULL, *amka = NULL, *contact = NULL;
  g_autofree char *contact_phone = NULL, *relationship = NULL, *referral = NULL;
  g_autofree char *notes = NULL, *id = NULL;
  GOptionEntry entries[] = {
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first, N_("First name"), N_("F") },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last, N_("Last name"), N_("L") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("E") },
    { "phone", 0, 0, G_OPTION_ARG_STRING, &phone, N_("Phone number"), N_("P") },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("Postal address"), N_("A") },
    { "birth-date", 0, 0, G_OPTION_ARG_STRING, &birth, N_("Birth date, YYYY-MM-DD"), N_("D") },
    { "gender", 0, 0, G_OPTION_ARG_STRING, &gender, N_("Gender"), N_("G") },
    { "amka", 0, 0, G_OPTION_ARG_STRING, &amka, N_("AMKA (social security number)"), N_("N") },
    { "emergency-name", 0, 0, G_OPTION_ARG_STRING, &contact, N_("Emergency contact"),
      N_("NAME") },
    { "emergency-phone", 0, 0, G_OPTION_ARG_STRING, &contact_phone,
      N_("Emergency contact’s phone"), N_("P") },
    { "emergency-relationship", 0, 0, G_OPTION_ARG_STRING, &relationship,
      N_("Emergency contact’s relationship"), N_("R") },
    { "referral", 0, 0, G_OPTION_ARG_STRING, &referral, N_("Referral source"), N_("TEXT") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes, encrypted"), N_("TEXT") },
    { NULL }
  };
  TfManagedClient client;

  if (!tf_cli_parse (cli, &tf_cli_managed_commands[0], entries, &argc, &argv, 0, error))
    return FALSE;
  if (first == NULL || last == NULL)
    return tf_cli_usage_error (error, _("--first-name and --last-name are required"));
  client = (TfManagedClient) {
    .first_name = first, .last_name = last, .email = email, .phone = phone,
    .address = address, .birth_date = birth, .gender = gender, .amka = amka,
    .emergency_name = contact, .emergency_phone = contact_phone,
    .emergency_relationship = relationship, .referral_source = referral, .notes = notes,
  };
  /* What was typed is checked before the password is asked for. */
  if (!tf_managed_check (&client, error))
    return as_usage (error);
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  id = tf_managed_add (cli->vault, &client, error);
  if (id == NULL)
    return as_usage (error);
  if (cli->json)
    {
      g_autoptr(JsonObject) shown = tf_managed_show (cli->vault, id, error);
      g_autoptr(JsonNode) node = NULL;

      if (shown == NULL)
        return FALSE;
      node = json_node_init_object (json_node_alloc (), shown);
      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n", id);
  return TRUE;
}

/* "managed", "invited … took over" or nothing, for the list. */
static const char *
kind_of (JsonObject *o)
{
  if (json_object_get_boolean_member_with_default (o, "managed", FALSE))
    return _("managed (no account)");
  if (json_object_get_boolean_member_with_default (o, "handed_over", FALSE))
    return _("took over with an invitation");
  return "";
}

static const char *
status_of (JsonObject *o)
{
  return g_strcmp0 (tf_cli_text (o, "status"), "active") == 0 ? _("active") : _("ended");
}

static gboolean
client_list (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) clients = NULL;

  if (!tf_cli_parse (cli, &tf_cli_managed_commands[1], NULL, &argc, &argv, 0, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  clients = tf_managed_list (cli->vault, error);
  if (clients == NULL)
    return FALSE;
  if (cli->json)
    {
      tf_cli_print_records (clients);
      return TRUE;
    }
  for (guint i = 0; i < clients->len; i++)
    {
      JsonObject *o = g_ptr_array_index (clients, i);

      g_print ("%s  %s  %s%s%s\n", tf_cli_text (o, "id"), tf_cli_text (o, "name"),
               status_of (o), *kind_of (o) ? ", " : "", kind_of (o));
    }
  return TRUE;
}

static void
print_line (const char *label, const char *value)
{
  if (value != NULL && *value != '\0')
    g_print ("%s: %s\n", label, value);
}

static gboolean
client_show (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(JsonObject) o = NULL;
  JsonNode *contact;

  if (!tf_cli_parse (cli, &tf_cli_managed_commands[2], NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  o = tf_managed_show (cli->vault, argv[1], error);
  if (o == NULL)
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), o);

      tf_cli_print_json (node);
      return TRUE;
    }
  print_line (_("Name"), tf_cli_text (o, "name"));
  print_line (_("Status"), status_of (o));
  print_line (_("Account"), kind_of (o));
  print_line (_("E-mail"), tf_cli_text (o, "email"));
  print_line (_("Phone"), tf_cli_text (o, "phone"));
  print_line (_("Address"), tf_cli_text (o, "address"));
  print_line (_("Birth date"), tf_cli_text (o, "birth_date"));
  print_line (_("Gender"), tf_cli_text (o, "gender"));
  print_line (_("AMKA"), tf_cli_text (o, "amka"));
  contact = json_object_get_member (o, "emergency_contact");
  if (contact != NULL && JSON_NODE_HOLDS_OBJECT (contact))
    {
      JsonObject *c = json_node_get_object (contact);

      print_line (_("Emergency contact"), tf_cli_text (c, "name"));
      print_line (_("Emergency contact’s phone"), tf_cli_text (c, "phone"));
      print_line (_("Emergency contact’s relationship"), tf_cli_text (c, "relationship"));
    }
  print_line (_("Referral source"), tf_cli_text (o, "referral_source"));
  print_line (_("Notes"), tf_cli_text (o, "notes"));
  return TRUE;
}

static gboolean
client_invite (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *code = NULL, *expires = NULL;

  if (!tf_cli_parse (cli, &tf_cli_managed_commands[3], NULL, &argc, &argv, 1, error) ||
      tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  code = tf_managed_invite (cli->vault, argv[1], &expires, error);
  if (code == NULL)
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (o, "client_id", argv[1]);
      json_object_set_string_member (o, "code", code);
      json_object_set_string_member (o, "expires_at", expires);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else
    {
      g_print ("%s\n", code);
      /* TRANSLATORS: %s is a moment, e.g. 2026-12-17T15:04:05Z */
      g_printerr (_("Give this code to the client (it is shown only now, and works once, "
                    "until %s): they register with “account register … --invite CODE”, or "
                    "with “I have an invitation code” in the app.\n"), expires);
    }
  memset (code, 0, strlen (code));
  return TRUE;
}

/* --- intake ---------------------------------------------------------------- */

typedef struct
{
  char    **conditions;
  char    **medications;
  char    **allergies;
  char     *previous;
} IntakeEdit;

static void
set_list (JsonObject *plain, const char *member, char **values)
{
  if (values != NULL)
    json_object_set_array_member (plain, member, tf_cli_string_array (values));
}

static void
edit_intake (JsonObject *plain, gboolean is_new, gpointer data)
{
  IntakeEdit *e = data;

  set_list (plain, "medical_conditions", e->conditions);
  set_list (plain, "current_medications", e->medications);
  set_list (plain, "allergies", e->allergies);
  if (e->previous != NULL)
    {
      json_object_set_boolean_member (plain, "previous_therapy", TRUE);
      json_object_set_string_member (plain, "previous_therapy_details", e->previous);
    }
}

static gboolean
intake_write (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *client = NULL;
  g_auto(GStrv) conditions = NULL, medications = NULL, allergies = NULL;
  g_autofree char *previous = NULL;
  g_autoptr(JsonObject) plain = NULL;
  GOptionEntry entries[] = {
    { "client", 0, 0, G_OPTION_ARG_STRING, &client, N_("The client’s id"), N_("ID") },
    { "condition", 0, 0, G_OPTION_ARG_STRING_ARRAY, &conditions,
      N_("A medical condition (repeatable)"), N_("TEXT") },
    { "medication", 0, 0, G_OPTION_ARG_STRING_ARRAY, &medications,
      N_("A current medication (repeatable)"), N_("TEXT") },
    { "allergy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &allergies, N_("An allergy (repeatable)"),
      N_("TEXT") },
    { "previous-therapy", 0, 0, G_OPTION_ARG_STRING, &previous,
      N_("Previous therapy, in a few words"), N_("TEXT") },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_managed_commands[4], entries, &argc, &argv, 0, error))
    return FALSE;
  if (client == NULL)
    return tf_cli_usage_error (error, _("--client is required"));
  if (tf_cli_require_role (cli, "therapist", error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;
  {
    IntakeEdit e = { conditions, medications, allergies, previous };

    if (!tf_client_record_save (cli->vault, TF_CLIENT_RECORD_INTAKE, client, edit_intake, &e,
                                _("This intake is not shared with you"), &plain, error))
      return FALSE;
  }
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), plain);

      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n", client);
  return TRUE;
}

static gboolean
intake_show (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *client = NULL;
  g_autoptr(GPtrArray) intakes = NULL;
  GOptionEntry entries[] = {
    { "client", 0, 0, G_OPTION_ARG_STRING, &client,
      N_("The client’s id (a therapist; a client sees their own)"), N_("ID") },
    { NULL }
  };
  JsonObject *o;

  if (!tf_cli_parse (cli, &tf_cli_managed_commands[5], entries, &argc, &argv, 0, error) ||
      tf_cli_vault (cli, error) == NULL)
    return FALSE;
  intakes = tf_vault_list (cli->vault, tf_cli_table ("client_intakes"), "client_id",
                           client != NULL ? client : tf_vault_get_user_id (cli->vault), error);
  if (intakes == NULL)
    return FALSE;
  if (intakes->len == 0)
    {
      g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                           _("There is no intake on this device yet"));
      return FALSE;
    }
  o = g_ptr_array_index (intakes, 0);
  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json_object_ref (o));

      tf_cli_print_json (node);
      return TRUE;
    }
  if (json_object_get_boolean_member_with_default (o, "unreadable", FALSE))
    {
      g_print ("%s\n", _("(no longer shared with you)"));
      return TRUE;
    }
  for (const char * const *m = (const char * const[]) { "medical_conditions",
                                                        "current_medications", "allergies",
                                                        NULL }; *m != NULL; m++)
    {
      JsonNode *list = json_object_get_member (o, *m);

      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
          g_print ("%s: %s\n", *m,
                   json_array_get_string_element (json_node_get_array (list), i));
    }
  print_line (_("Previous therapy"), tf_cli_text (o, "previous_therapy_details"));
  return TRUE;
}

const TfCliCommand tf_cli_managed_commands[] = {
  { "client", "add", client_add,
    "--first-name F --last-name L [--email E] [--phone P] [--address A] [--birth-date D] "
    "[--gender G] [--amka N] [--emergency-name NAME] [--emergency-phone P] "
    "[--emergency-relationship R] [--referral TEXT] [--notes TEXT]" },
  { "client", "list", client_list, "" },
  { "client", "show", client_show, "ID" },
  { "client", "invite", client_invite, "ID" },
  { "intake", "write", intake_write,
    "--client ID [--condition TEXT]... [--medication TEXT]... [--allergy TEXT]... "
    "[--previous-therapy TEXT]" },
  { "intake", "show", intake_show, "[--client ID]" },
  { NULL }
};
