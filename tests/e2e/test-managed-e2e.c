/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-managed.c: a therapist adds a client who has no app account (a
 * managed client) and keeps their file, through therapy-field-cli, the
 * real server and PostgreSQL (issue 12; docs/encryption.md, "Managed
 * clients and the hand-over").  The client's personal details and intake
 * are encrypted under keys the therapist's device made for the client,
 * signed in the client's name, and readable on the therapist's other
 * device; the server holds none of their text.  Bad input changes nothing.
 * Invited, the client registers with the code on their own device and the
 * same records — nothing lost, nothing twice — are theirs, re-keyed under
 * their new keys; the therapist still reads what is shared and no longer
 * writes in the client's name.  A used, expired or unknown code is refused.
 */
#define _GNU_SOURCE
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "tf-test-pg.h"
#include "tf-test-server.h"

#define PASSWORD "σωστός κωδικός 1"
#define AMKA     "12048512342"
#define PHONE    "2107654321"
#define ADDRESS  "Οδός Αθηνάς 12, Αθήνα"
#define NOTES    "Ήρθε μετά από σύσταση του γιατρού της"
#define ASTHMA   "άσθμα από την παιδική ηλικία"

static TfTestServer *server;
static int counter;

/* --- the CLI --------------------------------------------------------------- */

/* Runs the test CLI on the profile folder @dir; the exit status; stdout in
 * @out and stderr in @err (each may be NULL). */
static int
cli_full (const char *dir, char **out, char **err, const char * const *args)
{
  g_autofree char *exe = g_build_filename (g_getenv ("TF_BUILD_DIR"), "client",
                                           "therapy-field-cli-test", NULL);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *discarded = NULL, *discarded_err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  env = g_environ_unsetenv (env, "G_DEBUG");
  env = g_environ_setenv (env, "LANGUAGE", "en", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "TF_KDF_OPSLIMIT", "2", TRUE);
  env = g_environ_setenv (env, "TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  env = g_environ_setenv (env, "TF_PASSWORD", PASSWORD, TRUE);
  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, (gpointer) dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                out != NULL ? out : &discarded, err != NULL ? err : &discarded_err, &status,
                &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (status))
    return -WTERMSIG (status);
  if (WEXITSTATUS (status) != 0)
    g_test_message ("%s %s: exit %d: %s", args[0], args[1] ? args[1] : "",
                    WEXITSTATUS (status), err != NULL ? *err : discarded_err);
  return WEXITSTATUS (status);
}
#define CLI(dir, ...) cli_full (dir, NULL, NULL, (const char * const[]) { __VA_ARGS__, NULL })
#define CLI_ERR(dir, err, ...) \
  cli_full (dir, NULL, err, (const char * const[]) { __VA_ARGS__, NULL })

static char *
cli_out (const char *dir, const char * const *args)
{
  char *out = NULL;

  g_assert_cmpint (cli_full (dir, &out, NULL, args), ==, 0);
  return out;
}
#define CLI_OUT(dir, ...) cli_out (dir, (const char * const[]) { __VA_ARGS__, NULL })

static JsonNode *
cli_json (const char *dir, const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_ptr_array_add (argv, (gpointer) "--json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  out = cli_out (dir, (const char * const *) argv->pdata);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return node;
}
#define CLI_JSON(dir, ...) cli_json (dir, (const char * const[]) { __VA_ARGS__, NULL })

static char *
new_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tf-managed-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_dir (char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
  g_free (dir);
}

static char *
unique_email (const char *who)
{
  return g_strdup_printf ("%s-%d-%d@example.org", who, (int) getpid (), ++counter);
}

/* Registers a therapist on @dir; their user id. */
static char *
register_therapist (const char *dir, const char *email)
{
  g_autoptr(JsonNode) node = CLI_JSON (dir, "account", "register", "--server", server->base_url,
                                       "--email", email, "--role", "therapist",
                                       "--first-name", "Δήμητρα", "--last-name", "Αλεξίου",
                                       "--license", email);

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "user_id"));
}

static char *
db_value (const char *sql)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  return tf_test_pg_value (conn, sql);
}

/* The file's bytes hold @text nowhere. */
static void
assert_file_lacks (const char *path, const char *text)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_null (memmem (contents, len, text, strlen (text)));
}

/* --- the tests --------------------------------------------------------------- */

/* A therapist adds a managed client with their details; the therapist's
 * other device sees them and their intake decrypted; the server and the
 * device files hold none of the text. */
static void
test_add_and_read_elsewhere (void)
{
  char *t = new_dir (), *t2 = new_dir ();
  g_autofree char *email = unique_email ("therapist");
  g_autofree char *therapist = register_therapist (t, email);
  g_autofree char *id = NULL, *sql = NULL, *value = NULL, *listed = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) intake = NULL;
  JsonObject *o;

  id = g_strstrip (CLI_OUT (t, "client", "add", "--first-name", "Μαρία", "--last-name",
                            "Νικολάου", "--email", "maria@example.org", "--phone", PHONE,
                            "--address", ADDRESS, "--birth-date", "1985-04-12", "--gender",
                            "γυναίκα", "--amka", AMKA, "--emergency-name", "Γιώργος Νικολάου",
                            "--emergency-phone", "6971234567", "--emergency-relationship",
                            "αδελφός", "--referral", "παθολόγος", "--notes", NOTES));
  g_assert_true (strlen (id) == 36);

  shown = CLI_JSON (t, "client", "show", id);
  o = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "Μαρία Νικολάου");
  g_assert_cmpstr (json_object_get_string_member (o, "amka"), ==, AMKA);
  g_assert_cmpstr (json_object_get_string_member (o, "phone"), ==, PHONE);
  g_assert_cmpstr (json_object_get_string_member (o, "birth_date"), ==, "1985-04-12");
  g_assert_true (json_object_get_boolean_member (o, "managed"));
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "active");

  /* The therapist writes the client's intake, in the client's name. */
  g_assert_cmpint (CLI (t, "intake", "write", "--client", id, "--condition", ASTHMA), ==, 0);
  g_assert_cmpint (CLI (t, "sync"), ==, 0);

  /* On the server: a users row with no credentials, the keys' public
   * halves, the details and the intake encrypted and signed. */
  sql = g_strdup_printf ("SELECT concat (coalesce (email, '-'), managed_by) FROM users"
                         " WHERE id = '%s'", id);
  value = db_value (sql);
  {
    g_autofree char *want = g_strconcat ("-", therapist, NULL);
    g_assert_cmpstr (value, ==, want);
  }
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&value, g_free);
  sql = g_strdup_printf ("SELECT concat (amka, phone, address, birth_date, author_signature)"
                         " FROM client_details WHERE client_id = '%s'", id);
  value = db_value (sql);
  g_assert_nonnull (value);
  g_assert_null (strstr (value, AMKA));
  g_assert_null (strstr (value, PHONE));
  g_assert_null (strstr (value, "1985"));
  g_assert_nonnull (strstr (value, "tfs1:"));
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&value, g_free);
  sql = g_strdup_printf ("SELECT concat (medical_conditions::text, author_signature)"
                         " FROM client_intakes WHERE client_id = '%s'", id);
  value = db_value (sql);
  g_assert_nonnull (strstr (value, "tf1:"));
  g_assert_null (strstr (value, "άσθμα"));
  g_clear_pointer (&sql, g_free);
  g_clear_pointer (&value, g_free);
  sql = g_strdup_printf ("SELECT count (*) FROM care_relationships WHERE client_id = '%s'"
                         " AND therapist_id = '%s' AND status = 'active'"
                         " AND author_signature IS NOT NULL", id, therapist);
  value = db_value (sql);
  g_assert_cmpstr (value, ==, "1");

  /* The therapist's other device: the client, the details, the notes
   * and the intake, all opened there. */
  g_assert_cmpint (CLI (t2, "account", "login", "--server", server->base_url, "--email", email),
                   ==, 0);
  g_assert_cmpint (CLI (t2, "sync"), ==, 0);
  list = CLI_JSON (t2, "client", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  o = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, id);
  g_assert_true (json_object_get_boolean_member (o, "managed"));
  g_clear_pointer (&shown, json_node_unref);
  shown = CLI_JSON (t2, "client", "show", id);
  o = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (o, "amka"), ==, AMKA);
  g_assert_cmpstr (json_object_get_string_member (o, "address"), ==, ADDRESS);
  g_assert_cmpstr (json_object_get_string_member (o, "notes"), ==, NOTES);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o,
                                                    "emergency_contact"), "relationship"),
                   ==, "αδελφός");
  intake = CLI_JSON (t2, "intake", "show", "--client", id);
  o = json_node_get_object (intake);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o,
                                                    "medical_conditions"), 0), ==, ASTHMA);
  listed = CLI_OUT (t2, "client", "list");
  g_assert_nonnull (strstr (listed, "Μαρία Νικολάου"));
  g_assert_nonnull (strstr (listed, "managed"));
  {
    g_autofree char *path = g_build_filename (t2, "profile.sqlite", NULL);

    assert_file_lacks (path, AMKA);
    assert_file_lacks (path, NOTES);
  }
  remove_dir (t);
  remove_dir (t2);
}

/* What cannot be a client's details is refused before anything is made:
 * exit status 2, the field named, no client. */
static void
test_bad_input_refused (void)
{
  char *t = new_dir ();
  g_autofree char *email = unique_email ("therapist");
  g_autofree char *therapist = register_therapist (t, email);
  g_autofree char *count = NULL;
  g_autoptr(JsonNode) list = NULL;
  char *err = NULL;

  g_assert_cmpint (CLI_ERR (t, &err, "client", "add", "--first-name", "Μαρία", "--last-name",
                            "Νικολάου", "--birth-date", "2999-01-01"), ==, 2);
  g_assert_nonnull (strstr (err, "Birth date"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI_ERR (t, &err, "client", "add", "--first-name", "Μαρία", "--last-name",
                            "Νικολάου", "--email", "not an address"), ==, 2);
  g_assert_nonnull (strstr (err, "E-mail"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI_ERR (t, &err, "client", "add", "--first-name", " ", "--last-name",
                            "Νικολάου"), ==, 2);
  g_assert_nonnull (strstr (err, "First name"));
  g_clear_pointer (&err, g_free);
  list = CLI_JSON (t, "client", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM users WHERE managed_by = '%s'",
                                            therapist);
    count = db_value (sql);
    g_assert_cmpstr (count, ==, "0");
  }
  remove_dir (t);
}

/* Adds a managed client with an intake on @t; their id. */
static char *
add_with_intake (const char *t)
{
  char *id = g_strstrip (CLI_OUT (t, "client", "add", "--first-name", "Άννα", "--last-name",
                                  "Κωνσταντίνου", "--amka", AMKA, "--phone", PHONE));

  g_assert_cmpint (CLI (t, "intake", "write", "--client", id, "--condition", ASTHMA), ==, 0);
  g_assert_cmpint (CLI (t, "sync"), ==, 0);
  return id;
}

static char *
invite (const char *t, const char *id)
{
  g_autoptr(JsonNode) node = CLI_JSON (t, "client", "invite", id);
  JsonObject *o = json_node_get_object (node);

  g_assert_cmpstr (json_object_get_string_member (o, "client_id"), ==, id);
  g_assert_nonnull (json_object_get_string_member (o, "expires_at"));
  return g_strdup (json_object_get_string_member (o, "code"));
}

/* Runs @sql (taken) and returns its first value. */
static char *
db_take (char *sql)
{
  g_autofree char *owned = sql;

  return db_value (owned);
}
#define db_printf(format, a, b) db_take (g_strdup_printf (format, a, b))

/* The hand-over: the client registers with the code on their own device
 * and the same records are theirs, under their keys; the therapist reads
 * what is shared and writes in their name no more. */
static void
test_invite_hand_over (void)
{
  char *t = new_dir (), *c = new_dir (), *again = new_dir ();
  g_autofree char *email = unique_email ("therapist");
  g_autofree char *client_email = unique_email ("client");
  g_autofree char *therapist = register_therapist (t, email);
  g_autofree char *id = add_with_intake (t);
  g_autofree char *code = invite (t, id);
  g_autofree char *enc_before = NULL, *enc_after = NULL, *value = NULL;
  g_autoptr(JsonNode) registered = NULL, intake = NULL, list = NULL, shown = NULL;
  char *err = NULL;
  JsonObject *o;

  /* No e-mail was sent; the server holds the id, never the code. */
  value = db_printf ("SELECT count (*) FROM client_invites WHERE client_id = '%s'"
                     " AND bundle::text NOT LIKE '%%%s%%'", id, code);
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);
  enc_before = db_printf ("SELECT enc_key FROM client_intakes WHERE client_id = '%s'%s", id, "");

  registered = CLI_JSON (c, "account", "register", "--server", server->base_url, "--email",
                         client_email, "--invite", code);
  o = json_node_get_object (registered);
  g_assert_cmpstr (json_object_get_string_member (o, "user_id"), ==, id);
  g_assert_true (json_object_get_boolean_member (o, "took_over"));
  g_assert_cmpint (CLI (c, "sync"), ==, 0);

  /* The client's own device reads the intake the therapist wrote for them. */
  intake = CLI_JSON (c, "intake", "show");
  o = json_node_get_object (intake);
  g_assert_false (json_object_get_boolean_member_with_default (o, "unreadable", FALSE));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o,
                                                    "medical_conditions"), 0), ==, ASTHMA);

  /* Re-keyed under the client's keys, nothing twice, still one care. */
  enc_after = db_printf ("SELECT enc_key FROM client_intakes WHERE client_id = '%s'%s", id, "");
  g_assert_cmpstr (enc_after, !=, enc_before);
  value = db_printf ("SELECT concat ((SELECT count (*) FROM client_intakes WHERE client_id = '%s'),"
                     " '/', (SELECT count (*) FROM care_relationships WHERE client_id = '%s'"
                     " AND status = 'active'))", id, id);
  g_assert_cmpstr (value, ==, "1/1");
  g_clear_pointer (&value, g_free);
  value = db_printf ("SELECT concat (email, '|', (managed_by IS NULL)::text) FROM users"
                     " WHERE id = '%s'%s", id, "");
  {
    g_autofree char *want = g_strconcat (client_email, "|true", NULL);
    g_assert_cmpstr (value, ==, want);
  }
  g_clear_pointer (&value, g_free);

  /* The therapist: notices, drops the client's keys, still reads. */
  g_assert_cmpint (CLI (t, "sync"), ==, 0);
  list = CLI_JSON (t, "client", "list");
  o = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "id"), ==, id);
  g_assert_false (json_object_get_boolean_member (o, "managed"));
  g_assert_true (json_object_get_boolean_member (o, "handed_over"));
  g_clear_pointer (&intake, json_node_unref);
  intake = CLI_JSON (t, "intake", "show", "--client", id);
  o = json_node_get_object (intake);
  g_assert_false (json_object_get_boolean_member_with_default (o, "unreadable", FALSE));
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (o,
                                                    "medical_conditions"), 0), ==, ASTHMA);
  shown = CLI_JSON (t, "client", "show", id);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "amka"), ==,
                   AMKA);
  value = db_printf ("SELECT concat ((client_keys IS NULL)::text, (handed_over_at IS NOT NULL)::text)"
                     " FROM managed_clients WHERE client_id = '%s'%s", id, "");
  g_assert_cmpstr (value, ==, "truetrue");
  g_clear_pointer (&value, g_free);
  /* A second invitation for them is refused: they are no longer managed. */
  g_assert_cmpint (CLI_ERR (t, &err, "client", "invite", id), ==, 1);
  g_clear_pointer (&err, g_free);

  /* The code works once. */
  g_assert_cmpint (CLI_ERR (again, &err, "account", "register", "--server", server->base_url,
                            "--email", "someone-else@example.org", "--invite", code), ==, 1);
  g_assert_nonnull (strstr (err, "used already"));
  g_clear_pointer (&err, g_free);
  remove_dir (t);
  remove_dir (c);
  remove_dir (again);
}

/* An expired code, an unknown one and a mistyped one are refused, and
 * the profile stays without an account. */
static void
test_invite_refused (void)
{
  char *t = new_dir (), *c = new_dir ();
  g_autofree char *email = unique_email ("therapist");
  g_autofree char *therapist = register_therapist (t, email);
  g_autofree char *id = add_with_intake (t);
  g_autofree char *code = invite (t, id);
  g_autofree char *value = NULL;
  char *err = NULL;

  value = db_printf ("UPDATE client_invites SET created_at = now () - interval '20 days',"
                     " expires_at = now () - interval '1 day' WHERE client_id = '%s'%s"
                     " RETURNING 1", id, "");
  g_assert_cmpstr (value, ==, "1");
  g_assert_cmpint (CLI_ERR (c, &err, "account", "register", "--server", server->base_url,
                            "--email", "expired@example.org", "--invite", code), ==, 1);
  g_assert_nonnull (strstr (err, "expired"));
  g_clear_pointer (&err, g_free);
  /* A well-formed code nobody made. */
  g_assert_cmpint (CLI_ERR (c, &err, "account", "register", "--server", server->base_url,
                            "--email", "unknown@example.org", "--invite",
                            "0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-0000-00"),
                   ==, 1);
  g_assert_nonnull (strstr (err, "not known"));
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (CLI_ERR (c, &err, "account", "register", "--server", server->base_url,
                            "--email", "mistyped@example.org", "--invite", "ABCD-EFGH"), ==, 1);
  g_assert_nonnull (strstr (err, "not known"));
  g_clear_pointer (&err, g_free);
  /* Still managed, and this profile still has no account. */
  g_clear_pointer (&value, g_free);
  value = db_printf ("SELECT (managed_by IS NOT NULL)::text FROM users WHERE id = '%s'%s", id, "");
  g_assert_cmpstr (value, ==, "true");
  /* Nothing was left behind on this profile: a new code works here. */
  {
    g_autofree char *fresh = invite (t, id);
    g_autoptr(JsonNode) registered = CLI_JSON (c, "account", "register", "--server",
                                               server->base_url, "--email",
                                               "second-try@example.org", "--invite", fresh);

    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (registered),
                                                    "user_id"), ==, id);
  }
  remove_dir (t);
  remove_dir (c);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_managed_e2e", NULL);

  g_test_add_func ("/tf/e2e/managed/add-and-read-elsewhere", test_add_and_read_elsewhere);
  g_test_add_func ("/tf/e2e/managed/bad-input-refused", test_bad_input_refused);
  g_test_add_func ("/tf/e2e/managed/invite-hand-over", test_invite_hand_over);
  g_test_add_func ("/tf/e2e/managed/invite-refused", test_invite_refused);

  status = g_test_run ();
  tf_test_server_stop (server);
  return status;
}
