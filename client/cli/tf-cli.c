/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli.c: therapy-field-cli — the offline store and the sync engine from
 * a terminal.  Exit status 0 on success; otherwise one line on stderr and 1
 * (2 for bad arguments, which change nothing; 3 when a code of the
 * authenticator app is needed; 4 when this device must sign in again; 5
 * when someone's keys changed, docs/cli.md).  This file parses the global
 * options and runs a command (tf_cli_run); the commands are in
 * tf-cli-*.c, and main.c only sets up the locale.
 */
#define G_LOG_DOMAIN "tf-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tf-cli.h"
#include "tf-error.h"
#include "tf-time.h"

G_DEFINE_QUARK (tf-cli-error-quark, tf_cli_error)

static const TfCliCommand *const command_tables[] = {
  tf_cli_account_commands,
  tf_cli_client_commands,
  tf_cli_managed_commands,
  tf_cli_schedule_commands,
  tf_cli_availability_commands,
  tf_cli_link_commands,
  tf_cli_note_commands,
  tf_cli_session_commands,
  tf_cli_sync_commands,
  tf_cli_verify_commands,
};

/* --- the profile ---------------------------------------------------------- */

TfStore *
tf_cli_store (TfCli *cli, GError **error)
{
  g_autofree char *path = NULL;

  if (cli->store != NULL)
    return cli->store;
  if (g_mkdir_with_parents (cli->data_dir, 0700) != 0)
    {
      g_set_error (error, TF_CLI_ERROR, TF_CLI_ERROR_FAILED, _("Cannot create the folder %s: %s"),
                   cli->data_dir, g_strerror (errno));
      return NULL;
    }
  path = g_build_filename (cli->data_dir, "profile.sqlite", NULL);
  cli->store = tf_store_open (path, error);
  return cli->store;
}

static char *
read_hidden_line (const char *prompt)
{
  struct termios old, quiet;
  char buffer[1024];
  gboolean restore;
  char *line = NULL;

  fputs (prompt, stderr);
  fflush (stderr);
  restore = tcgetattr (STDIN_FILENO, &old) == 0;
  if (restore)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (buffer, sizeof buffer, stdin) != NULL)
    {
      buffer[strcspn (buffer, "\r\n")] = '\0';
      line = g_strdup (buffer);
    }
  if (restore)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &old);
  fputc ('\n', stderr);
  memset (buffer, 0, sizeof buffer);
  return line;
}

char *
tf_cli_secret (const char *env, const char *prompt, gboolean confirm, GError **error)
{
  const char *value = g_getenv (env);
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;

  if (value != NULL && *value != '\0')
    return g_strdup (value);
  if (!isatty (STDIN_FILENO))
    {
      g_set_error (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE,
                   _("%s: set %s or run on a terminal to be asked"), prompt, env);
      return NULL;
    }
  first = read_hidden_line (prompt);
  if (first == NULL || *first == '\0')
    {
      g_set_error (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE, _("Nothing was typed"));
      return NULL;
    }
  if (confirm)
    {
      gboolean same;

      again = read_hidden_line (_("Type it again: "));
      same = g_strcmp0 (first, again) == 0;
      if (again != NULL)
        memset (again, 0, strlen (again));
      if (!same)
        {
          memset (first, 0, strlen (first));
          g_set_error (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE, _("The two entries differ"));
          return NULL;
        }
    }
  return g_steal_pointer (&first);
}

void
tf_cli_encrypt_legacy (TfVault *vault)
{
  g_autoptr(GError) error = NULL;

  /* The command itself can go on: the next one tries again. */
  if (!tf_vault_encrypt_legacy (vault, NULL, &error))
    g_printerr (_("Old entries stay unencrypted for now: %s\n"), error->message);
}

TfVault *
tf_cli_vault (TfCli *cli, GError **error)
{
  g_autofree char *password = NULL;
  TfStore *store;

  if (cli->vault != NULL)
    return cli->vault;
  store = tf_cli_store (cli, error);
  if (store == NULL || tf_cli_require_role (cli, NULL, error) == NULL)
    return NULL;
  password = tf_cli_secret ("TF_PASSWORD", _("Password: "), FALSE, error);
  if (password == NULL)
    return NULL;
  cli->vault = tf_account_unlock (store, password, error);
  memset (password, 0, strlen (password));
  if (cli->vault != NULL)
    tf_cli_encrypt_legacy (cli->vault);
  return cli->vault;
}

gboolean
tf_cli_vault_if_possible (TfCli *cli, TfVault **out_vault, GError **error)
{
  const char *password = g_getenv ("TF_PASSWORD");

  *out_vault = cli->vault;
  if (cli->vault == NULL && ((password != NULL && *password != '\0') || isatty (STDIN_FILENO)))
    {
      *out_vault = tf_cli_vault (cli, error);
      return *out_vault != NULL;
    }
  return TRUE;
}

const char *
tf_cli_require_role (TfCli *cli, const char *want, GError **error)
{
  TfStore *store = tf_cli_store (cli, error);
  const char *role;

  if (store == NULL)
    return NULL;
  if (cli->role == NULL)
    cli->role = tf_account_get (store, "role");
  role = cli->role;
  if (role == NULL)
    {
      g_set_error (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_NO_ACCOUNT,
                   _("This profile has no account yet: run “account register” or "
                     "“account login”"));
      return NULL;
    }
  if (want != NULL && strcmp (role, want) != 0)
    {
      g_set_error (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE,
                   strcmp (want, "therapist") == 0
                     ? _("Only a therapist’s profile can do this")
                     : _("Only a client’s profile can do this"));
      return NULL;
    }
  return role;
}

/* --- arguments ------------------------------------------------------------ */

gboolean
tf_cli_usage_error (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE, message);
  return FALSE;
}

gboolean
tf_cli_parse (TfCli *cli, const TfCliCommand *command, GOptionEntry *entries, int *argc,
              char ***argv, int n_positional, GError **error)
{
  GOptionEntry global[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &cli->data_dir, N_("Profile folder"), N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autofree char *name = g_strdup_printf ("%s%s%s — %s", command->group,
                                           command->verb ? " " : "",
                                           command->verb ? command->verb : "",
                                           command->usage);
  g_autoptr(GOptionContext) context = g_option_context_new (name);
  g_autofree char *old_dir = g_strdup (cli->data_dir);

  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    {
      (*error)->domain = TF_CLI_ERROR;
      (*error)->code = TF_CLI_ERROR_USAGE;
      return FALSE;
    }
  if (cli->data_dir == NULL)
    cli->data_dir = g_steal_pointer (&old_dir);
  /* (*argv)[0] is the program; the rest are positional. */
  for (int i = 1; i < *argc; i++)
    if ((*argv)[i][0] == '-' && (*argv)[i][1] != '\0')
      return tf_cli_usage_error (error, _("Unknown option %s"), (*argv)[i]);
  if (*argc - 1 != n_positional)
    return tf_cli_usage_error (error, _("Usage: therapy-field-cli %s"), name);
  return TRUE;
}

gboolean
tf_cli_check_range (const char *name, int value, int min, int max, GError **error)
{
  if (value >= min && value <= max)
    return TRUE;
  return tf_cli_usage_error (error, _("--%s must be between %d and %d (got %d)"), name, min,
                             max, value);
}

gboolean
tf_cli_check_date (const char *name, const char *value, GError **error)
{
  int year, month, day;

  if (value != NULL && tf_time_parse_date (value, &year, &month, &day, NULL))
    return TRUE;
  return tf_cli_usage_error (error, _("--%s must be a date as YYYY-MM-DD (got “%s”)"), name,
                             value ? value : "");
}

JsonObject *
tf_cli_dup_record (TfCli *cli, const char *table_name, const char *id, const char *what,
                   GError **error)
{
  TfVault *vault = tf_cli_vault (cli, error);
  g_autoptr(GError) local = NULL;
  JsonObject *record;

  if (vault == NULL)
    return NULL;
  if (!g_uuid_string_is_valid (id))
    {
      tf_cli_usage_error (error, _("“%s” is not an id of a %s"), id, what);
      return NULL;
    }
  record = tf_vault_get (vault, tf_registry_lookup (table_name), id, &local);
  if (record == NULL)
    {
      if (g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        tf_cli_usage_error (error, _("There is no %s with the id %s"), what, id);
      else
        g_propagate_error (error, g_steal_pointer (&local));
    }
  return record;
}

const TfTable *
tf_cli_table (const char *name)
{
  const TfTable *table = tf_registry_lookup (name);

  g_assert (table != NULL);
  return table;
}

const char *
tf_cli_text (JsonObject *o, const char *member)
{
  const char *text = tf_json_get_string (o, member);

  return text != NULL ? text : "";
}

char *
tf_cli_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return tf_time_format_timestamp (now);
}

JsonArray *
tf_cli_string_array (char **values)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  return array;
}

/* --- output --------------------------------------------------------------- */

void
tf_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

void
tf_cli_print_records (GPtrArray *records)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; i < records->len; i++)
    json_array_add_object_element (array, json_object_ref (g_ptr_array_index (records, i)));
  node = json_node_init_array (json_node_alloc (), array);
  tf_cli_print_json (node);
}

char *
tf_cli_user_name (TfCli *cli, const char *user_id)
{
  g_autoptr(TfRecord) profile = NULL;
  const char *first, *last;

  if (user_id == NULL)
    return g_strdup ("?");
  profile = tf_store_get (cli->store, tf_registry_lookup ("profiles"), user_id, NULL);
  if (profile == NULL)
    return g_strdup (user_id);
  first = json_object_get_string_member_with_default (profile->fields, "first_name", "");
  last = json_object_get_string_member_with_default (profile->fields, "last_name", "");
  return g_strstrip (g_strdup_printf ("%s %s", first, last));
}

/* --- main ----------------------------------------------------------------- */

static void
print_help (void)
{
  g_print ("%s\n\n", _("Usage: therapy-field-cli [--data-dir DIR] [--json] COMMAND [ARGS…]"));
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const TfCliCommand *c = command_tables[t]; c->group != NULL; c++)
      g_print ("  %s%s%s %s\n", c->group, c->verb ? " " : "", c->verb ? c->verb : "", c->usage);
  g_print ("\n%s\n", _("The password comes from TF_PASSWORD (a new one from TF_NEW_PASSWORD, "
                       "a recovery key from TF_RECOVERY_KEY) or is asked for on a terminal."));
}

static const TfCliCommand *
find_command (const char *group, const char *verb)
{
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const TfCliCommand *c = command_tables[t]; c->group != NULL; c++)
      if (strcmp (c->group, group) == 0 &&
          (c->verb == NULL || (verb != NULL && strcmp (c->verb, verb) == 0)))
        return c;
  return NULL;
}

static gboolean
group_exists (const char *group)
{
  for (guint t = 0; t < G_N_ELEMENTS (command_tables); t++)
    for (const TfCliCommand *c = command_tables[t]; c->group != NULL; c++)
      if (strcmp (c->group, group) == 0)
        return TRUE;
  return FALSE;
}

/* 2: bad arguments; 3: the account asks for a code of the authenticator
 * app; 4: this device must sign in again (its session was ended, or it
 * lapsed and cannot be renewed here); 5: someone's keys are not the ones
 * this device pinned (a safety number to compare); 1: anything else.  Scripts tell
 * the cases apart without reading messages. */
static int
exit_status (const GError *error)
{
  if (g_error_matches (error, TF_CLI_ERROR, TF_CLI_ERROR_USAGE))
    return 2;
  if (g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_TOTP_NEEDED))
    return 3;
  if (g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_KEYS_REPLACED) ||
      g_error_matches (error, TF_SYNC_ERROR, TF_SYNC_ERROR_TOKEN_EXPIRED) ||
      g_error_matches (error, TF_ACCOUNT_ERROR, TF_ACCOUNT_ERROR_SIGN_IN_NEEDED))
    return 4;
  if (g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_KEY_CHANGED))
    return 5;
  return 1;
}

int
tf_cli_run (int argc, char **argv)
{
  TfCli cli = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  const TfCliCommand *command;
  const char *group = NULL, *verb = NULL;
  gboolean ok;
  int status;
  int i;

  g_return_val_if_fail (argc >= 1 && argv != NULL, 2);

  /* Global options may come first; the command's own parser takes them
   * anywhere after. */
  g_ptr_array_add (rest, argv[0]);
  for (i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--json") == 0)
        cli.json = TRUE;
      else if (strcmp (argv[i], "--data-dir") == 0 && i + 1 < argc)
        {
          g_free (cli.data_dir);
          cli.data_dir = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--data-dir="))
        {
          g_free (cli.data_dir);
          cli.data_dir = g_strdup (argv[i] + strlen ("--data-dir="));
        }
      else if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          if (group != NULL)
            {
              g_ptr_array_add (rest, argv[i]);
              continue;
            }
          print_help ();
          return 0;
        }
      else if (strcmp (argv[i], "--version") == 0 && group == NULL)
        {
          g_print ("therapy-field-cli %s\n", PACKAGE_VERSION);
          return 0;
        }
      else if (group == NULL && argv[i][0] != '-')
        group = argv[i];
      else if (verb == NULL && group != NULL && argv[i][0] != '-' && !find_command (group, NULL))
        verb = argv[i];
      else
        g_ptr_array_add (rest, argv[i]);
    }
  if (cli.data_dir == NULL)
    cli.data_dir = g_build_filename (g_get_user_data_dir (), "therapy-field", NULL);

  if (group == NULL)
    {
      print_help ();
      return 2;
    }
  command = find_command (group, verb);
  if (command == NULL)
    {
      g_printerr ("therapy-field-cli: %s\n",
                  group_exists (group) ? _("unknown or missing action; see --help")
                                       : _("unknown command; see --help"));
      return 2;
    }

  g_ptr_array_add (rest, NULL);
  {
    int n = (int) rest->len - 1;
    char **args = (char **) rest->pdata;

    if (!tf_crypto_init (&error))
      ok = FALSE;
    else
      ok = command->func (&cli, n, args, &error);
  }

  if (ok)
    status = 0;
  else
    {
      g_printerr ("therapy-field-cli: %s\n", error ? error->message : _("failed"));
      status = exit_status (error);
    }
  g_clear_object (&cli.vault);
  g_clear_object (&cli.store);
  g_free (cli.role);
  g_free (cli.data_dir);
  return status;
}
