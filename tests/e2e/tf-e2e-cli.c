/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-e2e-cli.c: the CLI harness of tf-e2e-cli.h.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tf-e2e-cli.h"
#include "tf-test-pg.h"

static TfTestServer *e2e_server;

void
tf_e2e_set_server (TfTestServer *server)
{
  e2e_server = server;
}

void
tf_e2e_run_clear (TfE2eRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

TfE2eDevice *
tf_e2e_device_new (void)
{
  TfE2eDevice *d = g_new0 (TfE2eDevice, 1);
  g_autoptr(GError) error = NULL;

  d->dir = g_dir_make_tmp ("tf-e2e-XXXXXX", &error);
  g_assert_no_error (error);
  d->password = g_strdup (TF_E2E_PASSWORD);
  return d;
}

void
tf_e2e_device_free (TfE2eDevice *d)
{
  g_autoptr(GDir) dir = g_dir_open (d->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (d->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (d->dir);
  g_free (d->dir);
  g_free (d->password);
  g_free (d);
}

void
tf_e2e_run (TfE2eRun *run, TfE2eDevice *d, const char * const *args)
{
  /* The test build of the CLI, as test-cli.c runs it. */
  g_autofree char *cli = g_build_filename (g_getenv ("TF_BUILD_DIR"), "client",
                                           "therapy-field-cli-test", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) in = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "TF_KDF_OPSLIMIT", "2", TRUE);
  g_subprocess_launcher_setenv (launcher, "TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  if (d->password != NULL)
    g_subprocess_launcher_setenv (launcher, "TF_PASSWORD", d->password, TRUE);
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, d->dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  /* Bytes, not the _utf8 variant, which leaks a buffer in GLib 2.74. */
  g_subprocess_communicate (process, in, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->out = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_data (err, NULL), g_bytes_get_size (err));
  if (g_subprocess_get_if_signaled (process))
    run->status = -g_subprocess_get_term_sig (process);
  else
    run->status = g_subprocess_get_exit_status (process);
}

char *
tf_e2e_ok (TfE2eDevice *d, const char * const *args)
{
  g_auto(TfE2eRun) run = { 0 };

  tf_e2e_run (&run, d, args);
  if (run.status != 0)
    g_error ("%s %s failed (%d): %s", args[0], args[1] ? args[1] : "", run.status, run.err);
  return g_steal_pointer (&run.out);
}

JsonNode *
tf_e2e_json (TfE2eDevice *d, const char * const *args)
{
  g_autoptr(GPtrArray) with_json = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_ptr_array_add (with_json, (gpointer) "--json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (with_json, (gpointer) args[i]);
  g_ptr_array_add (with_json, NULL);
  out = tf_e2e_ok (d, (const char * const *) with_json->pdata);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return node;
}

char *
tf_e2e_unique_email (const char *who)
{
  static int n;

  return g_strdup_printf ("%s-%d-%d@example.org", who, (int) getpid (), ++n);
}

char *
tf_e2e_register (TfE2eDevice *d, const char *email, const char *role)
{
  g_autoptr(JsonNode) node = NULL;

  if (g_strcmp0 (role, "therapist") == 0)
    node = E2E_JSON (d, "account", "register", "--server", e2e_server->base_url, "--email", email,
                     "--role", role, "--first-name", "Δήμητρα", "--last-name", "Αλεξίου",
                     "--license", email);
  else
    node = E2E_JSON (d, "account", "register", "--server", e2e_server->base_url, "--email", email,
                     "--role", role, "--first-name", "Ελένη", "--last-name", "Παπαδοπούλου");
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "user_id"));
}

void
tf_e2e_sync (TfE2eDevice *d)
{
  g_free (E2E_OK (d, "sync"));
}

void
tf_e2e_link_accepted (TfE2eDevice *c, TfE2eDevice *t)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *requests;

  tf_e2e_sync (c);
  tf_e2e_sync (t);
  node = E2E_JSON (t, "link", "requests");
  requests = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (requests), >, 0);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    g_free (E2E_OK (t, "link", "accept",
                    json_object_get_string_member (json_array_get_object_element (requests, i),
                                                   "id")));
  tf_e2e_sync (t);
  tf_e2e_sync (c);
}

char *
tf_e2e_first_line (char *text)
{
  g_autofree char *owned = text;

  return g_strndup (owned, strcspn (owned, "\n"));
}

char *
tf_e2e_server_value (const char *sql)
{
  PGconn *conn = tf_test_pg_connect (e2e_server->conninfo);
  char *value = tf_test_pg_value (conn, sql);

  PQfinish (conn);
  return value;
}

char *
tf_e2e_refusals (TfE2eDevice *d)
{
  g_autoptr(JsonNode) node = E2E_JSON (d, "status");
  JsonArray *list = json_object_get_array_member (json_node_get_object (node), "refusals");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *r = json_array_get_object_element (list, i);

      g_string_append_printf (out, "%s %s %s\n", json_object_get_string_member (r, "table"),
                              json_object_get_string_member (r, "id"),
                              json_object_get_string_member (r, "code"));
    }
  return g_string_free (out, FALSE);
}
