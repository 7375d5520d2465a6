/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-server-cli.c: command-line front of therapy-field-server.
 *
 *   therapy-field-server migrate [--db CONNINFO] [--config FILE]   apply the migrations
 *   therapy-field-server serve [--db CONNINFO] [--listen HOST:PORT] [--config FILE]
 *   therapy-field-server version
 *
 * The connection string comes from --db, else from TF_DATABASE_URL.  Exit
 * status: 0 success, 1 failure (the reason on stderr), 2 usage error.
 */
#define G_LOG_DOMAIN "tf-server"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <sodium.h>

#include "tf-auth.h"
#include "tf-db.h"
#include "tf-migrate.h"
#include "tf-server-cli.h"
#include "tf-server.h"
#include "tf-routes.h"

/* Fills @config from @config_path (if any), then the database from --db,
 * else the file, else $TF_DATABASE_URL.  On failure prints why, prefixed
 * with @command, and returns the exit status (2); 0 on success. */
static int
load_settings (TfConfig *config, const char *command, const char *config_path, const char *db)
{
  g_autoptr(GError) error = NULL;
  const char *env = g_getenv ("TF_DATABASE_URL");

  if (config_path != NULL && !tf_config_load_file (config, config_path, &error))
    {
      g_printerr ("therapy-field-server %s: %s\n", command, error->message);
      return 2;
    }
  if (db != NULL && *db != '\0')
    {
      g_free (config->db);
      config->db = g_strdup (db);
    }
  else if (config->db == NULL && env != NULL && *env != '\0')
    config->db = g_strdup (env);
  if (config->db == NULL)
    {
      g_printerr ("therapy-field-server %s: %s\n", command,
                  _("no database: pass --db CONNINFO or set TF_DATABASE_URL"));
      return 2;
    }
  return 0;
}

static int
run_migrate (int argc, char **argv)
{
  g_autofree char *db = NULL, *config_path = NULL;
  g_autoptr(TfConfig) config = tf_config_new ();
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GPtrArray) migrations = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db,
      N_("PostgreSQL connection string (default: $TF_DATABASE_URL)"), N_("CONNINFO") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("Key file with the server settings"), N_("FILE") },
    { NULL }
  };
  guint applied = 0;
  int status;

  context = g_option_context_new (_("— apply the database migrations"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("therapy-field-server migrate: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr ("therapy-field-server migrate: %s “%s”\n", _("unexpected argument"), argv[1]);
      return 2;
    }
  if ((status = load_settings (config, "migrate", config_path, db)) != 0)
    return status;

  migrations = tf_migrate_builtin (&error);
  if (migrations == NULL || !(conn = tf_db_connect (config->db, &error)) ||
      !tf_migrate_apply (conn, migrations, &applied, &error))
    {
      g_printerr ("therapy-field-server migrate: %s\n", error->message);
      return 1;
    }
  if (applied == 0)
    g_print ("%s\n", _("The database schema is already up to date; nothing to apply."));
  else
    g_print (g_dngettext (GETTEXT_PACKAGE, "Applied %u migration; the schema is up to date.\n",
                          "Applied %u migrations; the schema is up to date.\n", applied),
             applied);
  return 0;
}

static gboolean
on_stop_signal_cb (gpointer user_data)
{
  gpointer *ctx = user_data;

  g_message ("stopping: finishing requests in flight");
  tf_server_shutdown (ctx[0], ctx[1], 10000);
  return G_SOURCE_CONTINUE;
}

/* Seals the TOTP secrets an older server left in plaintext and checks the
 * key against the sealed ones (tf_auth_mfa_prepare).  A database that is
 * down now is no reason not to serve: the secrets are then sealed as they
 * are used, and a wrong key shows as mfa_unavailable at sign-in. */
static int
prepare_mfa (TfConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = tf_db_connect (config->db, &error);
  guint sealed = 0;

  if (conn == NULL)
    {
      g_warning ("the TOTP secrets were not checked at start: %s", error->message);
      return 0;
    }
  if (!tf_auth_mfa_prepare (conn, config, &sealed, &error))
    {
      g_printerr ("therapy-field-server serve: %s\n", error->message);
      return 1;
    }
  if (sealed > 0)
    g_message ("sealed %u TOTP secrets stored in plaintext by an older server", sealed);
  return 0;
}

static int
run_serve (int argc, char **argv)
{
  g_autofree char *db = NULL, *listen = NULL, *config_path = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfConfig) config = tf_config_new ();
  g_autoptr(TfServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db,
      N_("PostgreSQL connection string (default: $TF_DATABASE_URL)"), N_("CONNINFO") },
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:8080)"), N_("HOST:PORT") },
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &config_path,
      N_("Key file with the server settings"), N_("FILE") },
    { NULL }
  };
  guint16 port = 0;
  int status;
  gpointer ctx[2];
  guint term_id, int_id;

  context = g_option_context_new (_("— serve the sync API"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("therapy-field-server serve: %s\n", error->message);
      return 2;
    }
  if (sodium_init () < 0)
    {
      g_printerr ("therapy-field-server serve: libsodium failed to initialise\n");
      return 1;
    }
  if ((status = load_settings (config, "serve", config_path, db)) != 0)
    return status;
  if (listen != NULL && !tf_config_set_listen (config, listen, &error))
    {
      g_printerr ("therapy-field-server serve: %s\n", error->message);
      return 2;
    }
  if (!tf_config_load_mfa_key (config, &error))
    {
      g_printerr ("therapy-field-server serve: %s\n", error->message);
      return 2;
    }
  if ((status = prepare_mfa (config)) != 0)
    return status;

  server = tf_server_new (config, &error);
  if (server == NULL)
    {
      g_printerr ("therapy-field-server serve: %s\n", error->message);
      return 1;
    }
  tf_routes_register (server);
  if (!tf_server_listen (server, &port, &error))
    {
      g_printerr ("therapy-field-server serve: %s\n", error->message);
      return 1;
    }
  g_print ("therapy-field-server listening on %s://%s:%u\n",
           config->tls_certificate ? "https" : "http", config->listen_host, port);

  loop = g_main_loop_new (NULL, FALSE);
  ctx[0] = server;
  ctx[1] = loop;
  term_id = g_unix_signal_add (SIGTERM, on_stop_signal_cb, ctx);
  int_id = g_unix_signal_add (SIGINT, on_stop_signal_cb, ctx);
  g_main_loop_run (loop);
  g_source_remove (term_id);
  g_source_remove (int_id);
  g_message ("stopped");
  return 0;
}

static void
print_usage (void)
{
  g_printerr ("%s\n  therapy-field-server migrate [--db CONNINFO]\n"
              "  therapy-field-server serve [--db CONNINFO] [--listen HOST:PORT] [--config FILE]\n"
              "  therapy-field-server version\n", _("Usage:"));
}

int
tf_server_cli_run (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      print_usage ();
      return 2;
    }
  if (g_str_equal (argv[1], "migrate"))
    return run_migrate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "serve"))
    return run_serve (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "version") || g_str_equal (argv[1], "--version"))
    {
      g_print ("therapy-field-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") ||
      g_str_equal (argv[1], "help"))
    {
      print_usage ();
      return 0;
    }
  g_printerr ("therapy-field-server: %s “%s”\n", _("unknown command"), argv[1]);
  print_usage ();
  return 2;
}
