/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-verify.c: keys fingerprint, keys rotate, therapist verify and
 * client verify — this account's fingerprint, new keys for it, and the
 * safety number with a therapist or a client, marked verified with
 * --confirm (tf-verify.h; docs/cli.md).
 *
 * --confirm takes the digits the person compared, not a bare flag: between
 * showing the number and confirming it the server could present other
 * keys, and a flag would then accept keys nobody compared.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-cli.h"
#include "tf-store.h"
#include "tf-verify.h"

static gboolean
keys_fingerprint (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *fingerprint = NULL;

  if (!tf_cli_parse (cli, &tf_cli_verify_commands[0], NULL, &argc, &argv, 0, error) ||
      tf_cli_vault (cli, error) == NULL)
    return FALSE;
  fingerprint = tf_verify_own_fingerprint (cli->vault);
  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (o, "user_id", tf_vault_get_user_id (cli->vault));
      json_object_set_string_member (o, "fingerprint", fingerprint);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n", fingerprint);
  return TRUE;
}

/* keys rotate --yes: new identity and signing keys (tf_account_rotate_keys).
 * Without --yes it says what it would do and does nothing: the person's
 * contacts must compare safety numbers again afterwards, and the server
 * ends the account's other sessions (a lost device syncs no more). */
static gboolean
keys_rotate (TfCli *cli, int argc, char **argv, GError **error)
{
  gboolean yes = FALSE;
  g_autofree char *fingerprint = NULL;
  guint resealed = 0;
  GOptionEntry entries[] = {
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes,
      N_("Rotate now (without it, only say what would happen)"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, &tf_cli_verify_commands[1], entries, &argc, &argv, 0, error))
    return FALSE;
  if (!yes)
    return tf_cli_usage_error (error,
                               _("Rotating gives this account new keys: everyone you share "
                                 "with is warned and must compare the new safety number with "
                                 "you before they share with you again, and every other device "
                                 "signed in to this account is signed out (a lost one can no "
                                 "longer sync; sign in again on yours and they get the new "
                                 "keys). Run it again with --yes to rotate"));
  if (tf_cli_vault (cli, error) == NULL ||
      !tf_account_rotate_keys (cli->vault, &fingerprint, &resealed, error))
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (o, "user_id", tf_vault_get_user_id (cli->vault));
      json_object_set_string_member (o, "fingerprint", fingerprint);
      json_object_set_int_member (o, "grants_resealed", resealed);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else
    g_print (_("New keys: %s. %u shares were sealed again with them and go to the server with "
               "the next sync. Your other devices were signed out: sign in again on each and it "
               "gets the new keys. The people you share with will be asked to compare the new "
               "safety number with you.\n"),
             fingerprint, resealed);
  return TRUE;
}

/* @text without its spaces. */
static char *
without_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

static void
print_number (TfCli *cli, JsonObject *info, const char *command, const char *name)
{
  JsonArray *words = json_object_get_array_member (info, "words");
  const char *digits = json_object_get_string_member (info, "digits");
  const char *email = json_object_get_string_member_with_default (info, "email", NULL);

  if (email != NULL && strcmp (email, name) != 0)
    g_print (_("Safety number with %s (%s):\n"), name, email);
  else
    g_print (_("Safety number with %s:\n"), name);
  /* Digits and words in two lines of five, as the app shows them. */
  g_print ("  %.29s\n  %s\n", digits, digits + 30);
  for (guint i = 0; i < json_array_get_length (words); i++)
    g_print ("%s%s%s", i % 5 == 0 ? "  " : " ", json_array_get_string_element (words, i),
             i % 5 == 4 ? "\n" : "");
  if (json_object_get_boolean_member (info, "verified"))
    g_print (_("Verified on this device on %s.\n"),
             json_object_get_string_member (info, "verified_at"));
  else if (!json_object_get_boolean_member (info, "key_changed"))
    g_print (_("Not verified. Compare it with %s in person or on a call; when it matches, "
               "run:\n  therapy-field-cli %s verify %s --confirm \"%s\"\n"),
             name, command, json_object_get_string_member (info, "user_id"), digits);
}

static gboolean
verify (TfCli *cli, const TfCliCommand *command, const char *role, int argc, char **argv,
        GError **error)
{
  g_autofree char *confirm = NULL, *language = NULL, *name = NULL;
  g_autoptr(JsonObject) info = NULL;
  gboolean offline = FALSE;
  const char *other;
  GOptionEntry entries[] = {
    { "confirm", 0, 0, G_OPTION_ARG_STRING, &confirm,
      N_("Mark the safety number verified: the digits you compared"), N_("DIGITS") },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language,
      N_("The words in this language (el or en)"), N_("LANG") },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Do not ask the server for their latest keys first"), NULL },
    { NULL }
  };

  if (!tf_cli_parse (cli, command, entries, &argc, &argv, 1, error))
    return FALSE;
  other = argv[1];
  if (!g_uuid_string_is_valid (other))
    return tf_cli_usage_error (error, _("“%s” is not an id"), other);
  if (language != NULL && strcmp (language, "el") != 0 && strcmp (language, "en") != 0)
    return tf_cli_usage_error (error, _("--language must be el or en (got “%s”)"), language);
  if (tf_cli_require_role (cli, role, error) == NULL || tf_cli_vault (cli, error) == NULL)
    return FALSE;

  /* The server's current keys first, so a change shows now; without the
   * server the keys on this device are compared. */
  if (!offline && tf_account_has_session (cli->store, NULL))
    {
      g_autoptr(GError) local = NULL;

      if (!tf_verify_refresh (cli->vault, other, &local))
        g_printerr (_("Could not ask the server for their latest keys (%s); showing the ones "
                      "on this device.\n"), local->message);
    }
  info = tf_verify_describe (cli->vault, other, language, error);
  if (info == NULL)
    return FALSE;
  name = tf_cli_user_name (cli, other);

  if (confirm != NULL)
    {
      g_autofree char *given = without_spaces (confirm);
      g_autofree char *digits = without_spaces (json_object_get_string_member (info, "digits"));

      if (strcmp (given, digits) != 0)
        {
          g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED,
                       _("These are not the digits of the safety number with %s now; nothing "
                         "was marked. Compare the number shown again."), name);
          return FALSE;
        }
      if (!tf_verify_confirm (cli->vault, other,
                              json_object_get_string_member (info, "safety_number"), error))
        return FALSE;
      g_clear_pointer (&info, json_object_unref);
      info = tf_verify_describe (cli->vault, other, language, error);
      if (info == NULL)
        return FALSE;
    }

  if (cli->json)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), info);

      tf_cli_print_json (node);
    }
  else
    print_number (cli, info, command->group, name);
  if (json_object_get_boolean_member (info, "key_changed"))
    {
      g_autofree char *message = tf_verify_change_message (info, name);

      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED, "%s", message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
therapist_verify (TfCli *cli, int argc, char **argv, GError **error)
{
  return verify (cli, &tf_cli_verify_commands[2], "client", argc, argv, error);
}

static gboolean
client_verify (TfCli *cli, int argc, char **argv, GError **error)
{
  return verify (cli, &tf_cli_verify_commands[3], "therapist", argc, argv, error);
}

gint64
tf_cli_count_key_changes (TfCli *cli)
{
  g_autoptr(GPtrArray) changes = tf_verify_list_changes (cli->store, NULL);

  return changes != NULL ? changes->len : 0;
}

void
tf_cli_print_key_changes (TfCli *cli)
{
  g_autoptr(GPtrArray) changes = tf_verify_list_changes (cli->store, NULL);

  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      JsonObject *change = g_ptr_array_index (changes, i);
      g_autofree char *name = tf_cli_user_name (cli, json_object_get_string_member (change,
                                                                                    "user_id"));
      g_autofree char *message = tf_verify_change_message (change, name);

      g_printerr (_("Warning: %s\n"), message);
    }
}

const TfCliCommand tf_cli_verify_commands[] = {
  { "keys", "fingerprint", keys_fingerprint, "" },
  { "keys", "rotate", keys_rotate, "--yes" },
  { "therapist", "verify", therapist_verify,
    "ID [--confirm DIGITS] [--language el|en] [--offline]" },
  { "client", "verify", client_verify, "ID [--confirm DIGITS] [--language el|en] [--offline]" },
  { NULL }
};
