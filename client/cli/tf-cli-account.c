/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-account.c: account register | login | password | recover | logout.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-cli.h"

static gboolean
check_server (const char *url, GError **error)
{
  if (url == NULL)
    return tf_cli_usage_error (error, _("--server URL is required"));
  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    return tf_cli_usage_error (error, _("--server must be an http:// or https:// address "
                                        "(got “%s”)"), url);
  return TRUE;
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    memset (secret, 0, strlen (secret));
}

static gboolean
account_register (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *server = NULL, *email = NULL, *role = NULL, *first = NULL, *last = NULL;
  g_autofree char *license = NULL, *password = NULL, *recovery = NULL;
  g_autoptr(TfVault) vault = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Sync server address"), N_("URL") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("E") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("client or therapist"), N_("ROLE") },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first, N_("First name"), N_("F") },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last, N_("Last name"), N_("L") },
    { "license", 0, 0, G_OPTION_ARG_STRING, &license, N_("Licence number (therapists)"),
      N_("N") },
    { NULL }
  };
  TfRegistration reg = { NULL };
  TfStore *store;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[0], entries, &argc, &argv, 0, error) ||
      !check_server (server, error))
    return FALSE;
  if (email == NULL || strchr (email, '@') == NULL)
    return tf_cli_usage_error (error, _("--email must be an e-mail address"));
  if (g_strcmp0 (role, "client") != 0 && g_strcmp0 (role, "therapist") != 0)
    return tf_cli_usage_error (error, _("--role must be client or therapist"));
  if (strcmp (role, "therapist") == 0 && (license == NULL || *license == '\0'))
    return tf_cli_usage_error (error, _("A therapist registers with --license N"));
  if (strcmp (role, "client") == 0 && license != NULL)
    return tf_cli_usage_error (error, _("--license is for therapists only"));
  if ((first == NULL) != (last == NULL))
    return tf_cli_usage_error (error, _("Give both --first-name and --last-name, or neither"));
  store = tf_cli_store (cli, error);
  if (store == NULL)
    return FALSE;
  password = tf_cli_secret ("TF_PASSWORD", _("New password: "), TRUE, error);
  if (password == NULL)
    return FALSE;

  reg.server_url = server;
  reg.email = email;
  reg.password = password;
  reg.role = role;
  /* Without names, the part of the address before @ stands in until the
   * profile is edited. */
  if (first == NULL)
    {
      first = g_strndup (email, strchr (email, '@') - email);
      last = g_strdup ("-");
    }
  reg.first_name = first;
  reg.last_name = last;
  reg.license_number = license;
  vault = tf_account_register (store, &reg, &recovery, error);
  wipe (password);
  if (vault == NULL)
    return FALSE;

  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (o, "user_id", tf_vault_get_user_id (vault));
      json_object_set_string_member (o, "role", role);
      json_object_set_string_member (o, "recovery_key", recovery);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else
    {
      g_print (_("Account created for %s (%s).\n\n"), email, role);
      g_print (_("Recovery key: %s\n\n"), recovery);
      g_print ("%s\n", _("Write the recovery key down and keep it somewhere safe. It is shown "
                         "only now. Without your password or this key your data cannot be "
                         "recovered by anyone."));
    }
  wipe (recovery);
  return TRUE;
}

static gboolean
account_login (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *server = NULL, *email = NULL, *password = NULL;
  g_autoptr(TfVault) vault = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Sync server address"), N_("URL") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("E") },
    { NULL }
  };
  TfStore *store;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[1], entries, &argc, &argv, 0, error) ||
      !check_server (server, error))
    return FALSE;
  if (email == NULL)
    return tf_cli_usage_error (error, _("--email E is required"));
  store = tf_cli_store (cli, error);
  if (store == NULL)
    return FALSE;
  password = tf_cli_secret ("TF_PASSWORD", _("Password: "), FALSE, error);
  if (password == NULL)
    return FALSE;
  vault = tf_account_login (store, server, email, password, error);
  wipe (password);
  if (vault == NULL)
    return FALSE;
  if (!cli->json)
    g_print (_("Logged in as %s on this device. Run “sync” to bring your data here.\n"), email);
  return TRUE;
}

static gboolean
account_password (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *password = NULL, *new_password = NULL;
  TfStore *store;
  gboolean ok;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[2], NULL, &argc, &argv, 0, error))
    return FALSE;
  store = tf_cli_store (cli, error);
  if (store == NULL || tf_cli_require_role (cli, NULL, error) == NULL)
    return FALSE;
  password = tf_cli_secret ("TF_PASSWORD", _("Current password: "), FALSE, error);
  if (password == NULL)
    return FALSE;
  new_password = tf_cli_secret ("TF_NEW_PASSWORD", _("New password: "), TRUE, error);
  if (new_password == NULL)
    return FALSE;
  ok = tf_account_change_password (store, password, new_password, error);
  wipe (password);
  wipe (new_password);
  if (ok && !cli->json)
    g_print ("%s\n", _("Password changed. Other devices use the new password after their "
                       "next sync."));
  return ok;
}

static gboolean
account_recover (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *recovery = NULL, *new_password = NULL;
  TfStore *store;
  gboolean ok;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[3], NULL, &argc, &argv, 0, error))
    return FALSE;
  store = tf_cli_store (cli, error);
  if (store == NULL || tf_cli_require_role (cli, NULL, error) == NULL)
    return FALSE;
  recovery = tf_cli_secret ("TF_RECOVERY_KEY", _("Recovery key: "), FALSE, error);
  if (recovery == NULL || !tf_account_check_recovery_key (store, recovery, error))
    return FALSE;
  new_password = tf_cli_secret ("TF_NEW_PASSWORD", _("New password: "), TRUE, error);
  if (new_password == NULL)
    return FALSE;
  ok = tf_account_recover (store, recovery, new_password, error);
  wipe (recovery);
  wipe (new_password);
  if (ok && !cli->json)
    g_print ("%s\n", _("A new password is set. Your recovery key stays the same."));
  return ok;
}

static gboolean
account_logout (TfCli *cli, int argc, char **argv, GError **error)
{
  gboolean ended = FALSE;
  TfStore *store;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[4], NULL, &argc, &argv, 0, error))
    return FALSE;
  store = tf_cli_store (cli, error);
  if (store == NULL || !tf_account_logout (store, &ended, error))
    return FALSE;
  if (!cli->json)
    g_print ("%s\n", ended ? _("Logged out. The data on this device stays, encrypted.")
                           : _("Logged out on this device; the server could not be reached, so "
                               "the session ends there when it expires."));
  return TRUE;
}

const TfCliCommand tf_cli_account_commands[] = {
  { "account", "register", account_register,
    "--server URL --email E --role client|therapist [--first-name F --last-name L] "
    "[--license N]" },
  { "account", "login", account_login, "--server URL --email E" },
  { "account", "password", account_password, "" },
  { "account", "recover", account_recover, "" },
  { "account", "logout", account_logout, "" },
  { NULL }
};
