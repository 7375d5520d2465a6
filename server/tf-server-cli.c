/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-server-cli.c: command-line front of therapy-field-server.
 *
 *   therapy-field-server migrate [--db CONNINFO]   apply sql/postgres migrations
 *   therapy-field-server version
 *
 * The connection string comes from --db, else from TF_DATABASE_URL.  Exit
 * status: 0 success, 1 failure (the reason on stderr), 2 usage error.
 */
#define G_LOG_DOMAIN "tf-server"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tf-db.h"
#include "tf-migrate.h"
#include "tf-server-cli.h"

static const char *
conninfo_or_env (const char *db)
{
  if (db != NULL && *db != '\0')
    return db;
  db = g_getenv ("TF_DATABASE_URL");
  return (db != NULL && *db != '\0') ? db : NULL;
}

static int
run_migrate (int argc, char **argv)
{
  g_autofree char *db = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GPtrArray) migrations = NULL;
  const GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_STRING, &db,
      N_("PostgreSQL connection string (default: $TF_DATABASE_URL)"), N_("CONNINFO") },
    { NULL }
  };
  const char *conninfo;
  guint applied = 0;

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
  conninfo = conninfo_or_env (db);
  if (conninfo == NULL)
    {
      g_printerr ("therapy-field-server migrate: %s\n",
                  _("no database: pass --db CONNINFO or set TF_DATABASE_URL"));
      return 2;
    }

  migrations = tf_migrate_builtin (&error);
  if (migrations == NULL || !(conn = tf_db_connect (conninfo, &error)) ||
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

static void
print_usage (void)
{
  g_printerr ("%s\n  therapy-field-server migrate [--db CONNINFO]\n"
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
