/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-account.c: account create | register | login | password | recover |
 * logout, and from a signed-in device: sessions | revoke | mfa (the
 * account's sessions and its two-step sign-in, tf-account-manage.h).
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "tf-account-manage.h"
#include "tf-cli.h"
#include "tf-managed.h"
#include "tf-time.h"

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

static void
print_recovery (TfCli *cli, const char *recovery)
{
  if (cli->json)
    return;
  g_print (_("Recovery key: %s\n\n"), recovery);
  g_print ("%s\n", _("Write the recovery key down and keep it somewhere safe. It is shown "
                     "only now. Without your password or this key your data cannot be "
                     "recovered by anyone."));
}

/* The account on this computer (made now unless the profile has one). */
static gboolean
ensure_local (TfCli *cli, TfStore *store, const char *role, const char *first, const char *last,
              const char *license, const char *password, char **out_recovery, GError **error)
{
  g_autofree char *existing_role = tf_account_get (store, "role");
  g_autoptr(TfVault) vault = NULL;
  TfRegistration reg = { password, role, first, last, license };

  if (existing_role != NULL)
    {
      if (role != NULL && strcmp (role, existing_role) != 0)
        return tf_cli_usage_error (error, _("This profile is a %s’s; --role cannot change it"),
                                   existing_role);
      return TRUE;
    }
  if (g_strcmp0 (role, "client") != 0 && g_strcmp0 (role, "therapist") != 0)
    return tf_cli_usage_error (error, _("--role must be client or therapist"));
  if (strcmp (role, "therapist") == 0 && (license == NULL || *license == '\0'))
    return tf_cli_usage_error (error, _("A therapist registers with --license N"));
  if (strcmp (role, "client") == 0 && license != NULL)
    return tf_cli_usage_error (error, _("--license is for therapists only"));
  if ((first == NULL) != (last == NULL))
    return tf_cli_usage_error (error, _("Give both --first-name and --last-name, or neither"));
  vault = tf_account_create_local (store, &reg, out_recovery, error);
  return vault != NULL;
}

/* account create (this computer only) and account register (with a
 * server; a profile used offline first keeps its data and id). */
static gboolean
create_or_register (TfCli *cli, const TfCliCommand *command, gboolean with_server, int argc,
                    char **argv, GError **error)
{
  g_autofree char *server = NULL, *email = NULL, *role = NULL, *first = NULL, *last = NULL;
  g_autofree char *license = NULL, *password = NULL, *recovery = NULL, *user_id = NULL;
  g_autofree char *invite = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Sync server address"), N_("URL") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("E") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("client or therapist"), N_("ROLE") },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first, N_("First name"), N_("F") },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last, N_("Last name"), N_("L") },
    { "license", 0, 0, G_OPTION_ARG_STRING, &license, N_("Licence number (therapists)"),
      N_("N") },
    { "invite", 0, 0, G_OPTION_ARG_STRING, &invite,
      N_("The invitation code your therapist gave you"), N_("CODE") },
    { NULL }
  };
  gboolean ok = TRUE;
  TfStore *store;

  if (!with_server)
    memmove (&entries[0], &entries[2], sizeof entries - 2 * sizeof entries[0]);
  if (!tf_cli_parse (cli, command, entries, &argc, &argv, 0, error) ||
      (with_server && !check_server (server, error)))
    return FALSE;
  if (with_server && (email == NULL || strchr (email, '@') == NULL))
    return tf_cli_usage_error (error, _("--email must be an e-mail address"));
  if (invite != NULL && (!with_server || g_strcmp0 (role ? role : "client", "client") != 0 ||
                         license != NULL))
    return tf_cli_usage_error (error, _("--invite is for a client registering with a server"));
  store = tf_cli_store (cli, error);
  if (store == NULL)
    return FALSE;
  /* A client their therapist added: the account takes over what the
   * therapist kept for them (tf-managed.h). */
  if (invite != NULL)
    {
      password = tf_cli_secret ("TF_PASSWORD", _("New password: "), TRUE, error);
      if (password == NULL)
        return FALSE;
      ok = tf_managed_register_invited (store, server, email, password, invite, NULL, &recovery,
                                        error);
      wipe (password);
      if (!ok)
        return FALSE;
      print_recovery (cli, recovery);
      user_id = tf_account_get (store, "user_id");
      if (cli->json)
        {
          g_autoptr(JsonObject) o = json_object_new ();
          g_autoptr(JsonNode) node = NULL;

          json_object_set_string_member (o, "user_id", user_id);
          json_object_set_string_member (o, "role", "client");
          json_object_set_string_member (o, "recovery_key", recovery);
          json_object_set_boolean_member (o, "registered", TRUE);
          json_object_set_boolean_member (o, "took_over", TRUE);
          node = json_node_init_object (json_node_alloc (), o);
          tf_cli_print_json (node);
        }
      else
        g_print (_("Account registered as %s on %s; what your therapist kept for you is "
                   "yours now, under your own keys.\n"), email, server);
      wipe (recovery);
      return TRUE;
    }
  {
    g_autofree char *existing = tf_account_get (store, "user_id");
    password = tf_cli_secret ("TF_PASSWORD", existing ? _("Password: ") : _("New password: "),
                              existing == NULL, error);
  }
  if (password == NULL ||
      !ensure_local (cli, store, role, first, last, license, password, &recovery, error))
    return FALSE;
  if (recovery != NULL)
    print_recovery (cli, recovery);
  if (with_server)
    ok = tf_account_publish (store, server, email, password, NULL, error);
  wipe (password);

  user_id = tf_account_get (store, "user_id");
  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *stored_role = tf_account_get (store, "role");

      json_object_set_string_member (o, "user_id", user_id);
      json_object_set_string_member (o, "role", stored_role);
      json_object_set_string_member (o, "recovery_key", recovery);
      json_object_set_boolean_member (o, "registered", with_server && ok);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else if (ok && with_server)
    g_print (_("Account registered as %s on %s; this profile now syncs.\n"), email, server);
  else if (ok)
    g_print ("%s\n", _("Account created on this computer only. Register it with a server "
                       "when you want a second device or a therapist."));
  else if (recovery != NULL)
    g_printerr ("%s\n", _("The account exists on this computer; registering it with the server "
                          "failed, so run “account register” again later."));
  wipe (recovery);
  return ok;
}

static gboolean
account_create (TfCli *cli, int argc, char **argv, GError **error)
{
  return create_or_register (cli, &tf_cli_account_commands[0], FALSE, argc, argv, error);
}

static gboolean
account_register (TfCli *cli, int argc, char **argv, GError **error)
{
  return create_or_register (cli, &tf_cli_account_commands[1], TRUE, argc, argv, error);
}

/* The code given for a login (--totp, else TF_TOTP_CODE), or NULL. */
static char *
given_totp (const char *option)
{
  const char *env = g_getenv ("TF_TOTP_CODE");

  if (option != NULL)
    return g_strdup (option);
  return env != NULL && *env != '\0' ? g_strdup (env) : NULL;
}

static gboolean
account_login (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *server = NULL, *email = NULL, *password = NULL, *option = NULL;
  g_autofree char *totp = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(GError) local = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Sync server address"), N_("URL") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("E") },
    { "totp", 0, 0, G_OPTION_ARG_STRING, &option,
      N_("Code from the authenticator app (two-step sign-in)"), N_("CODE") },
    { NULL }
  };
  TfStore *store;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[2], entries, &argc, &argv, 0, error) ||
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
  totp = given_totp (option);
  vault = tf_account_login (store, server, email, password, totp, &local);
  /* Asked for on a terminal, as the password is; a script is told how to
   * give it (and gets its own exit status). */
  if (vault == NULL && totp == NULL &&
      g_error_matches (local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED))
    {
      if (isatty (STDIN_FILENO))
        {
          g_clear_error (&local);
          totp = tf_cli_secret ("TF_TOTP_CODE", _("Code from your authenticator app: "), FALSE,
                                &local);
          if (totp != NULL)
            vault = tf_account_login (store, server, email, password, totp, &local);
        }
      else
        {
          g_clear_error (&local);
          g_set_error (&local, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED,
                       _("This account uses two-step sign-in: run again with --totp CODE, the "
                         "code your authenticator app shows"));
        }
    }
  wipe (password);
  if (vault == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
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

  if (!tf_cli_parse (cli, &tf_cli_account_commands[3], NULL, &argc, &argv, 0, error))
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

/* account recover: with the recovery key, a new password — on this
 * profile (signed in, or this computer only, offline), or with --server and
 * --email on a new profile that has no account yet. */
static gboolean
account_recover (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *recovery = NULL, *new_password = NULL, *server = NULL, *email = NULL;
  g_autofree char *existing = NULL;
  g_autoptr(TfVault) vault = NULL;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server, N_("Sync server address"), N_("URL") },
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), N_("E") },
    { NULL }
  };
  TfStore *store;
  gboolean ok;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[4], entries, &argc, &argv, 0, error))
    return FALSE;
  if ((server == NULL) != (email == NULL))
    return tf_cli_usage_error (error, _("Give both --server and --email, or neither"));
  if (server != NULL && !check_server (server, error))
    return FALSE;
  store = tf_cli_store (cli, error);
  if (store == NULL)
    return FALSE;
  existing = tf_account_get (store, "user_id");
  if (server == NULL && tf_cli_require_role (cli, NULL, error) == NULL)
    return FALSE;
  if (server != NULL && existing != NULL)
    return tf_cli_usage_error (error, _("This profile already has an account: run “account "
                                        "recover” without --server and --email"));
  recovery = tf_cli_secret ("TF_RECOVERY_KEY", _("Recovery key: "), FALSE, error);
  if (recovery == NULL ||
      (server == NULL && !tf_account_check_recovery_key (store, recovery, error)))
    return FALSE;
  new_password = tf_cli_secret ("TF_NEW_PASSWORD", _("New password: "), TRUE, error);
  if (new_password == NULL)
    return FALSE;
  if (server != NULL)
    {
      vault = tf_account_recover_on_new_device (store, server, email, recovery, new_password,
                                                error);
      ok = vault != NULL;
    }
  else
    ok = tf_account_recover (store, recovery, new_password, error);
  wipe (recovery);
  wipe (new_password);
  if (ok && !cli->json)
    {
      g_autofree char *on_server = tf_account_get (store, "server");

      g_print ("%s\n", _("A new password is set. Your recovery key stays the same."));
      if (server != NULL)
        g_print (_("Signed in as %s on this device. Run “sync” to bring your data here.\n"),
                 email);
      else if (on_server == NULL)
        g_print ("%s\n", _("This account is on this computer only; nothing was sent anywhere."));
    }
  return ok;
}

static gboolean
account_logout (TfCli *cli, int argc, char **argv, GError **error)
{
  gboolean ended = FALSE;
  TfStore *store;
  TfVault *vault = NULL;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[5], NULL, &argc, &argv, 0, error))
    return FALSE;
  store = tf_cli_store (cli, error);
  /* The token opens with the password only; without it, it is forgotten
   * here and ends on the server when it expires. */
  if (store == NULL || !tf_cli_vault_if_possible (cli, &vault, error) ||
      !tf_account_logout (store, vault, &ended, error))
    return FALSE;
  if (!cli->json)
    g_print ("%s\n", ended ? _("Logged out. The data on this device stays, encrypted.")
                           : _("Logged out on this device; the server could not be reached, so "
                               "the session ends there when it expires."));
  return TRUE;
}


/* --- sessions and the two-step sign-in ----------------------------------- */

static JsonObject *
session_to_json (TfAccountSession *session)
{
  JsonObject *o = json_object_new ();
  const struct { const char *member; GDateTime *time; } times[] = {
    { "created_at", tf_account_session_get_created (session) },
    { "last_seen_at", tf_account_session_get_last_seen (session) },
    { "expires_at", tf_account_session_get_expires (session) },
    { "ends_at_latest", tf_account_session_get_ends_at_latest (session) },
  };

  json_object_set_string_member (o, "id", tf_account_session_get_id (session));
  json_object_set_string_member (o, "device_id", tf_account_session_get_device_id (session));
  json_object_set_string_member (o, "device_name", tf_account_session_get_device_name (session));
  json_object_set_string_member (o, "label", tf_account_session_get_label (session));
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *text = tf_time_format_timestamp (times[i].time);

      json_object_set_string_member (o, times[i].member, text);
    }
  json_object_set_boolean_member (o, "current", tf_account_session_is_current (session));
  return o;
}

static gboolean
account_sessions (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autoptr(GPtrArray) sessions = NULL;
  TfVault *vault;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[6], NULL, &argc, &argv, 0, error))
    return FALSE;
  vault = tf_cli_vault (cli, error);
  if (vault == NULL)
    return FALSE;
  sessions = tf_account_list_sessions (vault, error);
  if (sessions == NULL)
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < sessions->len; i++)
        json_array_add_object_element (array, session_to_json (g_ptr_array_index (sessions, i)));
      node = json_node_init_array (json_node_alloc (), array);
      tf_cli_print_json (node);
      return TRUE;
    }
  for (guint i = 0; i < sessions->len; i++)
    {
      TfAccountSession *session = g_ptr_array_index (sessions, i);
      g_autofree char *created = NULL, *seen = NULL, *expires = NULL;

      created = tf_time_format_timestamp (tf_account_session_get_created (session));
      seen = tf_time_format_timestamp (tf_account_session_get_last_seen (session));
      expires = tf_time_format_timestamp (tf_account_session_get_expires (session));

      g_print ("%s  %s%s\n", tf_account_session_get_id (session),
               tf_account_session_get_label (session),
               tf_account_session_is_current (session) ? _(" (this device)") : "");
      g_print (_("    signed in %s, last used %s, ends %s unless used again\n"), created, seen,
               expires);
    }
  return TRUE;
}

static gboolean
account_revoke (TfCli *cli, int argc, char **argv, GError **error)
{
  gboolean this_device = FALSE;
  TfVault *vault;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[7], NULL, &argc, &argv, 1, error))
    return FALSE;
  if (!g_uuid_string_is_valid (argv[1]))
    return tf_cli_usage_error (error, _("“%s” is not a session id (see “account sessions”)"),
                               argv[1]);
  vault = tf_cli_vault (cli, error);
  if (vault == NULL || !tf_account_revoke_session (vault, argv[1], &this_device, error))
    return FALSE;
  if (cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (o, "revoked", argv[1]);
      json_object_set_boolean_member (o, "this_device", this_device);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else
    g_print ("%s\n", this_device
                       ? _("This device’s own session ended: it is logged out. The data on this "
                           "device stays, encrypted; run “account login” to sign in again.")
                       : _("Session ended. That device must sign in again before it syncs."));
  return TRUE;
}

/* The code for an MFA step: --code, else TF_TOTP_CODE, else asked for. */
static char *
mfa_code (const char *given, GError **error)
{
  if (given != NULL)
    return g_strdup (given);
  return tf_cli_secret ("TF_TOTP_CODE", _("Code from your authenticator app: "), FALSE, error);
}

static gboolean
account_mfa (TfCli *cli, int argc, char **argv, GError **error)
{
  g_autofree char *given = NULL, *code = NULL;
  GOptionEntry entries[] = {
    { "code", 0, 0, G_OPTION_ARG_STRING, &given, N_("Code from the authenticator app"),
      N_("C") },
    { NULL }
  };
  const char *step;
  TfVault *vault;
  gboolean ok;

  if (!tf_cli_parse (cli, &tf_cli_account_commands[8], entries, &argc, &argv, 1, error))
    return FALSE;
  step = argv[1];
  if (strcmp (step, "setup") != 0 && strcmp (step, "enable") != 0 &&
      strcmp (step, "disable") != 0)
    return tf_cli_usage_error (error, _("Usage: therapy-field-cli account mfa %s"),
                               tf_cli_account_commands[8].usage);
  if (strcmp (step, "setup") == 0 && given != NULL)
    return tf_cli_usage_error (error, _("“account mfa setup” takes no code; give it to "
                                        "“account mfa enable”"));
  vault = tf_cli_vault (cli, error);
  if (vault == NULL)
    return FALSE;

  if (strcmp (step, "setup") == 0)
    {
      g_autofree char *secret = NULL;
      g_autofree char *uri = tf_account_mfa_setup (vault, &secret, error);

      if (uri == NULL)
        return FALSE;
      if (cli->json)
        {
          g_autoptr(JsonObject) o = json_object_new ();
          g_autoptr(JsonNode) node = NULL;

          json_object_set_string_member (o, "otpauth_uri", uri);
          json_object_set_string_member (o, "secret", secret);
          node = json_node_init_object (json_node_alloc (), o);
          tf_cli_print_json (node);
        }
      else
        {
          g_print ("%s\n%s\n\n", _("Add this account to your authenticator app with this "
                                   "address (most apps read it as a QR code):"), uri);
          g_print (_("Or type this key into the app by hand: %s\n\n"), secret);
          g_print ("%s\n", _("Two-step sign-in is not on yet: turn it on with “account mfa "
                             "enable --code C” and a code the app shows."));
        }
      wipe (uri);
      wipe (secret);
      return TRUE;
    }

  code = mfa_code (given, error);
  if (code == NULL)
    return FALSE;
  ok = strcmp (step, "enable") == 0 ? tf_account_mfa_enable (vault, code, error)
                                    : tf_account_mfa_disable (vault, code, error);
  wipe (code);
  if (ok && cli->json)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_boolean_member (o, "mfa_enabled", strcmp (step, "enable") == 0);
      node = json_node_init_object (json_node_alloc (), o);
      tf_cli_print_json (node);
    }
  else if (ok)
    g_print ("%s\n", strcmp (step, "enable") == 0
                       ? _("Two-step sign-in is on: signing in on a new device asks for a code "
                           "from your authenticator app (“account login --totp C”).")
                       : _("Two-step sign-in is off: signing in asks for the password only."));
  return ok;
}

const TfCliCommand tf_cli_account_commands[] = {
  { "account", "create", account_create,
    "--role client|therapist [--first-name F --last-name L] [--license N]" },
  { "account", "register", account_register,
    "--server URL --email E [--role client|therapist] [--first-name F --last-name L] "
    "[--license N] [--invite CODE]" },
  { "account", "login", account_login, "--server URL --email E [--totp CODE]" },
  { "account", "password", account_password, "" },
  { "account", "recover", account_recover, "[--server URL --email E]" },
  { "account", "logout", account_logout, "" },
  { "account", "sessions", account_sessions, "" },
  { "account", "revoke", account_revoke, "ID" },
  { "account", "mfa", account_mfa, "setup | enable [--code C] | disable [--code C]" },
  { NULL }
};
