/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-cli.c: therapy-field-cli as a person uses it — real processes, each
 * with its own profile folder (a real SQLite file), against the real server
 * and PostgreSQL.  Two devices of one client and a therapist's device write
 * offline and converge; conflicts keep both texts until resolved; a delete
 * loses to an edit; shares end with a re-key; a double booking made offline
 * leaves one appointment and tells the loser; wrong passwords, recovery
 * keys, an unreachable server and an expired sign-in get clear messages and
 * lose nothing; a sync killed midway repeats cleanly; and at the end neither
 * a dump of the server database nor any device file holds a single clinical
 * text written here.
 */
#define _GNU_SOURCE
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "tf-crypto.h"
#include "tf-keys.h"
#include "tf-signed.h"
#include "tf-store.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

#define PASSWORD "σωστός κωδικός 1"

static TfTestServer *server;
static GPtrArray *secrets;   /* every clinical text written: scanned for at the end */
static GPtrArray *devices;   /* every profile folder: scanned at the end */

typedef struct
{
  char *dir;
  char *password;
} Device;

typedef struct
{
  int   status;   /* exit status, or -signal */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static Device *
device_new (void)
{
  Device *d = g_new0 (Device, 1);
  g_autoptr(GError) error = NULL;

  d->dir = g_dir_make_tmp ("tf-cli-XXXXXX", &error);
  g_assert_no_error (error);
  d->password = g_strdup (PASSWORD);
  g_ptr_array_add (devices, d);
  return d;
}

static void
device_free (Device *d)
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

static const char *
secret (const char *text)
{
  g_ptr_array_add (secrets, g_strdup (text));
  return text;
}

/* Set while a test plays a full disk: the CLI it starts can write no file
 * at all (RLIMIT_FSIZE 0: every write to a file fails, as on a full disk
 * where not even a block is left; SIGXFSZ ignored, so the write fails with
 * EFBIG instead of killing the process).  Needs no privilege, never skips. */
static gboolean disk_full;

static void
fill_disk (gpointer data)
{
  struct rlimit none = { 0, 0 };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &none);
}

/* Runs the CLI on @d with @env_extra ("NAME=value" strings, NULL-ended). */
/* Starts the CLI on @d with @env_extra ("NAME=value" strings, NULL-ended). */
static GSubprocess *
spawn_env (Device *d, const char * const *env_extra, const char * const *args)
{
  /* The test build of the CLI: the shipped one has no kill points. */
  g_autofree char *cli = g_build_filename (g_getenv ("TF_BUILD_DIR"), "client",
                                           "therapy-field-cli-test", NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE |
                               G_SUBPROCESS_FLAGS_STDIN_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "TF_KDF_OPSLIMIT", "2", TRUE);
  g_subprocess_launcher_setenv (launcher, "TF_KDF_MEMLIMIT_MIB", "64", TRUE);
  if (d->password != NULL)
    g_subprocess_launcher_setenv (launcher, "TF_PASSWORD", d->password, TRUE);
  if (disk_full)
    g_subprocess_launcher_set_child_setup (launcher, fill_disk, NULL, NULL);
  for (guint i = 0; env_extra != NULL && env_extra[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (env_extra[i], "=", 2);
      g_subprocess_launcher_setenv (launcher, kv[0], kv[1], TRUE);
    }
  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, d->dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Waits for @process and fills @run. */
static void
finish (Run *run, GSubprocess *process)
{
  g_autoptr(GBytes) in = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) out = NULL, err = NULL;
  g_autoptr(GError) error = NULL;

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

static void
run_env (Run *run, Device *d, const char * const *env_extra, const char * const *args)
{
  g_autoptr(GSubprocess) process = spawn_env (d, env_extra, args);

  finish (run, process);
}

#define RUN(run, d, ...) run_env (run, d, NULL, (const char * const[]) { __VA_ARGS__, NULL })
#define RUN_ENV(run, d, env, ...) \
  run_env (run, d, (const char * const[]) { env, NULL }, (const char * const[]) { __VA_ARGS__, NULL })

/* Runs and requires success; returns stdout. */
static char *
ok_v (Device *d, const char * const *args)
{
  Run run = { 0 };
  char *out;

  run_env (&run, d, NULL, args);
  if (run.status != 0)
    g_error ("%s %s failed (%d): %s", args[0], args[1] ? args[1] : "", run.status, run.err);
  out = g_steal_pointer (&run.out);
  run_clear (&run);
  return out;
}
#define OK(d, ...) ok_v (d, (const char * const[]) { __VA_ARGS__, NULL })

static JsonNode *
json_v (Device *d, const char * const *args)
{
  g_autoptr(GPtrArray) with_json = g_ptr_array_new ();
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_ptr_array_add (with_json, (gpointer) "--json");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (with_json, (gpointer) args[i]);
  g_ptr_array_add (with_json, NULL);
  out = ok_v (d, (const char * const *) with_json->pdata);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return node;
}
#define JSON(d, ...) json_v (d, (const char * const[]) { __VA_ARGS__, NULL })

static char *
unique_email (const char *who)
{
  static int n;
  return g_strdup_printf ("%s-%d-%d@example.org", who, (int) getpid (), ++n);
}

/* Registers on @d; returns the user id; the recovery key in @out_recovery. */
static char *
register_on (Device *d, const char *email, const char *role, char **out_recovery)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  if (g_strcmp0 (role, "therapist") == 0)
    node = JSON (d, "account", "register", "--server", server->base_url, "--email", email,
                 "--role", role, "--first-name", "Δήμητρα", "--last-name", "Αλεξίου",
                 "--license", email);
  else
    node = JSON (d, "account", "register", "--server", server->base_url, "--email", email,
                 "--role", role, "--first-name", "Ελένη", "--last-name", "Παπαδοπούλου");
  o = json_node_get_object (node);
  if (out_recovery != NULL)
    *out_recovery = g_strdup (json_object_get_string_member (o, "recovery_key"));
  return g_strdup (json_object_get_string_member (o, "user_id"));
}

static void
sync_ok (Device *d)
{
  g_free (OK (d, "sync"));
}

/* The therapist on @t accepts every request for care waiting for them:
 * a sync brings the requests, link accept answers each, a sync sends the
 * answers.  A client's link is a request since issue 12; the tests of what
 * care shares or allows accept it first, as a therapist would. */
static void
accept_requests (Device *t)
{
  g_autoptr(JsonNode) node = NULL;
  JsonArray *requests;

  sync_ok (t);
  node = JSON (t, "link", "requests");
  requests = json_node_get_array (node);
  g_assert_cmpuint (json_array_get_length (requests), >, 0);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    g_free (OK (t, "link", "accept",
                json_object_get_string_member (json_array_get_object_element (requests, i),
                                               "id")));
  sync_ok (t);
}

/* @c's request to the therapist on @t, sent, accepted, and signed active
 * by @c's next sync, which shares with them what the link shares. */
static void
link_accepted (Device *c, Device *t)
{
  sync_ok (c);
  accept_requests (t);
  sync_ok (c);
}

static JsonObject *
status_of (Device *d)
{
  g_autoptr(JsonNode) node = JSON (d, "status");
  return json_object_ref (json_node_get_object (node));
}

static gint64
status_int (Device *d, const char *member)
{
  g_autoptr(JsonObject) st = status_of (d);
  return json_object_get_int_member (st, member);
}

/* The journal entries of @d as id -> content ("" when unreadable). */
static GHashTable *
journal_of (Device *d)
{
  g_autoptr(JsonNode) node = JSON (d, "journal", "list");
  JsonArray *a = json_node_get_array (node);
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      g_hash_table_insert (out, g_strdup (json_object_get_string_member (o, "id")),
                           g_strdup (json_object_get_string_member_with_default (o, "content",
                                                                                 "")));
    }
  return out;
}

static gboolean
has_value (GHashTable *table, const char *value)
{
  GHashTableIter iter;
  gpointer v;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, &v))
    if (g_strcmp0 (v, value) == 0)
      return TRUE;
  return FALSE;
}

/* The first line of @text, which it takes over. */
static char *
first_line (char *text)
{
  g_autofree char *owned = text;

  return g_strndup (owned, strcspn (owned, "\n"));
}

/* --- the tests ------------------------------------------------------------ */

typedef struct
{
  char   *client_email;
  char   *therapist_email;
  char   *client_id;
  char   *therapist_id;
  Device *a;   /* the client's laptop */
  Device *b;   /* the client's phone */
  Device *t;   /* the therapist */
} Practice;

static void
practice_clear (Practice *p)
{
  g_free (p->client_email);
  g_free (p->therapist_email);
  g_free (p->client_id);
  g_free (p->therapist_id);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Practice, practice_clear)

/* A client on two devices, in care with a therapist on a third. */
static void
practice_init (Practice *p)
{
  p->client_email = unique_email ("client");
  p->therapist_email = unique_email ("therapist");
  p->a = device_new ();
  p->b = device_new ();
  p->t = device_new ();
  p->therapist_id = register_on (p->t, p->therapist_email, "therapist", NULL);
  p->client_id = register_on (p->a, p->client_email, "client", NULL);
  g_free (OK (p->b, "account", "login", "--server", server->base_url, "--email",
              p->client_email));
  g_free (OK (p->a, "therapist", "link", "--email", p->therapist_email));
  link_accepted (p->a, p->t);
  sync_ok (p->b);
  sync_ok (p->t);
}

static void
test_offline_devices_converge (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(GHashTable) on_a = NULL, on_b = NULL, on_t = NULL;
  g_autoptr(JsonNode) moods = NULL;
  g_autofree char *shared_id = NULL, *private_id = NULL, *phone_shared_id = NULL;
  JsonArray *a;

  practice_init (&p);
  /* Offline on every device: nothing here talks to the server. */
  g_free (OK (p.a, "mood", "add", "--mood", "6", "--energy", "5", "--anxiety", "3",
              "--emotion", secret ("ντροπή για το δικαστήριο"),
              "--category", secret ("custody hearing"),
              "--note", secret ("slept badly after the argument")));
  shared_id = first_line (OK (p.a, "journal", "add", "--title",
                              secret ("Τρίτη, όταν το είπα στην αδελφή μου"), "--content",
                              secret ("I told my sister about the panic attacks"), "--share"));
  private_id = first_line (OK (p.b, "journal", "add", "--title", "Private", "--content",
                               secret ("nobody should read this one")));
  /* Shared from the phone, where the therapist was never linked. */
  phone_shared_id = first_line (OK (p.b, "journal", "add", "--title", "From the phone",
                                    "--content", secret ("written on the bus, for Δήμητρα"),
                                    "--share"));
  g_free (OK (p.t, "availability", "set", "--day", "1", "--from", "09:00", "--to", "17:00"));
  g_assert_cmpint (status_int (p.a, "pending"), >, 0);

  sync_ok (p.a);
  sync_ok (p.b);
  sync_ok (p.a);
  sync_ok (p.t);

  on_a = journal_of (p.a);
  on_b = journal_of (p.b);
  g_assert_cmpuint (g_hash_table_size (on_a), ==, 3);
  g_assert_cmpuint (g_hash_table_size (on_b), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (on_a, private_id), ==, "nobody should read this one");
  g_assert_cmpstr (g_hash_table_lookup (on_b, shared_id), ==,
                   "I told my sister about the panic attacks");
  g_assert_cmpuint (status_int (p.a, "pending"), ==, 0);
  g_assert_cmpuint (status_int (p.b, "pending"), ==, 0);

  /* The therapist sees the shared entry, decrypted, with the client's name,
   * and not the private one. */
  on_t = journal_of (p.t);
  g_assert_cmpuint (g_hash_table_size (on_t), ==, 2);
  g_assert_cmpstr (g_hash_table_lookup (on_t, shared_id), ==,
                   "I told my sister about the panic attacks");
  g_assert_cmpstr (g_hash_table_lookup (on_t, phone_shared_id), ==,
                   "written on the bus, for Δήμητρα");
  {
    g_autoptr(JsonNode) list = JSON (p.t, "journal", "list");
    JsonArray *entries = json_node_get_array (list);
    JsonObject *entry = json_array_get_object_element (entries, 0);
    gboolean title_seen = FALSE;

    g_assert_cmpstr (json_object_get_string_member (entry, "owner_name"), ==,
                     "Ελένη Παπαδοπούλου");
    /* The title is encrypted too; the therapist reads it like the content. */
    for (guint i = 0; i < json_array_get_length (entries); i++)
      title_seen |= g_strcmp0 (json_object_get_string_member (
                                 json_array_get_object_element (entries, i), "title"),
                               "Τρίτη, όταν το είπα στην αδελφή μου") == 0;
    g_assert_true (title_seen);
  }
  /* Mood is not shared unless the client chose to. */
  moods = JSON (p.t, "mood", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (moods)), ==, 0);
  moods = (json_node_unref (moods), JSON (p.b, "mood", "list"));
  a = json_node_get_array (moods);
  g_assert_cmpuint (json_array_get_length (a), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (a, 0),
                                                  "notes"), ==,
                   "slept badly after the argument");
  {
    JsonObject *check_in = json_array_get_object_element (a, 0);
    JsonArray *felt = json_object_get_array_member (check_in, "emotions");
    JsonArray *about = json_object_get_array_member (check_in, "categories");

    g_assert_cmpstr (json_array_get_string_element (felt, 0), ==, "ντροπή για το δικαστήριο");
    g_assert_cmpstr (json_array_get_string_element (about, 0), ==, "custody hearing");
  }
}

static void
test_conflict_keeps_both (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(GHashTable) on_a = NULL, on_b = NULL;
  g_autoptr(JsonNode) conflicts = NULL, after = NULL;
  const char *copy_id;
  g_autoptr(GError) error = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Draft", "--content",
                       secret ("first version of the dream")));
  sync_ok (p.a);
  sync_ok (p.b);

  g_free (OK (p.a, "journal", "edit", id, "--content", secret ("the dream, told on the laptop")));
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("the dream, told on the phone")));
  sync_ok (p.a);
  sync_ok (p.b);   /* meets the laptop's edit: a conflict copy */
  sync_ok (p.a);

  on_a = journal_of (p.a);
  on_b = journal_of (p.b);
  g_assert_true (has_value (on_a, "the dream, told on the laptop"));
  g_assert_true (has_value (on_a, "the dream, told on the phone"));
  /* The phone, which met the conflict, shows the laptop's text as the entry
   * and its own as the conflict waiting for a choice. */
  g_assert_cmpstr (g_hash_table_lookup (on_b, id), ==, "the dream, told on the laptop");
  conflicts = JSON (p.b, "conflicts", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  {
    JsonObject *c = json_array_get_object_element (json_node_get_array (conflicts), 0);
    copy_id = json_object_get_string_member (c, "id");
    g_assert_cmpstr (json_object_get_string_member (c, "original_id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "local"),
                                                    "content"), ==,
                     "the dream, told on the phone");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "server"),
                                                    "content"), ==,
                     "the dream, told on the laptop");
  }
  g_assert_cmpuint (status_int (p.b, "conflicts"), ==, 1);

  /* Keep the phone's text: it replaces the laptop's, the copy goes. */
  g_free (OK (p.b, "conflicts", "resolve", copy_id, "--keep", "local"));
  after = JSON (p.b, "conflicts", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after)), ==, 0);
  sync_ok (p.b);
  sync_ok (p.a);
  g_hash_table_unref (on_a);
  on_a = journal_of (p.a);
  g_assert_cmpuint (g_hash_table_size (on_a), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (on_a, id), ==, "the dream, told on the phone");
}

/* The title edited on one device and the content on the other: both
 * edits are kept in the one entry, merged field by field, no conflict. */
static void
test_journal_fields_merge (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) on_a = NULL, on_b = NULL, conflicts = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Πρώτος τίτλος", "--content",
                       secret ("the words as first written")));
  sync_ok (p.a);
  sync_ok (p.b);
  g_free (OK (p.a, "journal", "edit", id, "--title", "Ο τίτλος του laptop"));
  g_free (OK (p.b, "journal", "edit", id, "--content",
              secret ("the words, rewritten on the phone")));
  sync_ok (p.a);
  sync_ok (p.b);
  sync_ok (p.a);

  conflicts = JSON (p.b, "conflicts", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 0);
  g_assert_cmpint (status_int (p.a, "conflicts"), ==, 0);
  on_a = JSON (p.a, "journal", "show", id);
  on_b = JSON (p.b, "journal", "show", id);
  for (JsonNode **n = (JsonNode *[]) { on_a, on_b, NULL }; *n != NULL; n++)
    {
      JsonObject *entry = json_node_get_object (*n);

      g_assert_cmpstr (json_object_get_string_member (entry, "title"), ==, "Ο τίτλος του laptop");
      g_assert_cmpstr (json_object_get_string_member (entry, "content"), ==,
                       "the words, rewritten on the phone");
    }
}

/* The days of the first goal in `goal list --json`, as "date=notes" lines. */
static char *
progress_days (Device *profile)
{
  g_autoptr(JsonNode) goals = JSON (profile, "goal", "list");
  JsonArray *done = json_object_get_array_member (
                      json_array_get_object_element (json_node_get_array (goals), 0), "done");
  GString *days = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (done); i++)
    {
      JsonObject *day = json_array_get_object_element (done, i);

      g_string_append_printf (days, "%s=%s\n", json_object_get_string_member (day, "date"),
                              json_object_get_null_member (day, "notes") ? "" :
                              json_object_get_string_member (day, "notes"));
    }
  return g_string_free (days, FALSE);
}

/* The same goal marked done for the same day on both devices, offline: one
 * progress record per goal per day (the server's UNIQUE and the device's
 * partial index), under two ids.  Marked alike, they are one fact: the
 * second device to sync takes the first one's record, with nothing refused
 * and no conflict.  Marked with different notes, the phone keeps its own as
 * a conflict copy, and the note it keeps reaches the laptop. */
static void
test_same_day_progress (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *goal = NULL, *days_a = NULL, *days_b = NULL;
  g_autoptr(JsonNode) conflicts = NULL, after = NULL, met = NULL;
  g_autofree char *copy_id = NULL;

  practice_init (&p);
  goal = first_line (OK (p.a, "goal", "add", "--title", "Walk every morning"));
  sync_ok (p.a);
  sync_ok (p.b);

  g_free (OK (p.a, "goal", "done", goal, "--date", "2026-03-02"));
  g_free (OK (p.b, "goal", "done", goal, "--date", "2026-03-02"));
  sync_ok (p.a);
  met = JSON (p.b, "sync");   /* meets the laptop's mark of the same day */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (met), "rejected"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (met), "conflicts"), ==, 0);
  sync_ok (p.a);
  for (Device **d = (Device *[]) { p.a, p.b, NULL }; *d != NULL; d++)
    {
      g_autofree char *days = progress_days (*d);

      g_assert_cmpstr (days, ==, "2026-03-02=\n");
      g_assert_cmpint (status_int (*d, "pending"), ==, 0);
      g_assert_cmpint (status_int (*d, "conflicts"), ==, 0);
    }

  g_free (OK (p.a, "goal", "done", goal, "--date", "2026-03-03", "--note", "by the sea"));
  g_free (OK (p.b, "goal", "done", goal, "--date", "2026-03-03", "--note", "στο πάρκο"));
  sync_ok (p.a);
  g_clear_pointer (&met, json_node_unref);
  met = JSON (p.b, "sync");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (met), "rejected"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (met), "conflicts"), ==, 1);
  g_assert_cmpint (status_int (p.b, "pending"), ==, 0);
  conflicts = JSON (p.b, "conflicts", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  copy_id = g_strdup (json_object_get_string_member (
                        json_array_get_object_element (json_node_get_array (conflicts), 0),
                        "id"));
  days_b = progress_days (p.b);
  g_assert_cmpstr (days_b, ==, "2026-03-02=\n2026-03-03=by the sea\n");

  g_free (OK (p.b, "conflicts", "resolve", copy_id, "--keep", "local"));
  after = JSON (p.b, "conflicts", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (after)), ==, 0);
  sync_ok (p.b);
  sync_ok (p.a);
  g_clear_pointer (&days_b, g_free);
  days_a = progress_days (p.a);
  days_b = progress_days (p.b);
  g_assert_cmpstr (days_a, ==, "2026-03-02=\n2026-03-03=στο πάρκο\n");
  g_assert_cmpstr (days_b, ==, days_a);
  g_assert_cmpint (status_int (p.a, "pending"), ==, 0);
  g_assert_cmpint (status_int (p.b, "pending"), ==, 0);
}

/* Edited twice offline on the phone while the laptop's edit reached the
 * server: the laptop's text is neither lost nor overwritten. */
static void
test_conflict_after_two_edits (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(GHashTable) on_a = NULL, on_b = NULL;
  g_autoptr(JsonNode) conflicts = NULL;
  JsonObject *c;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Twice", "--content",
                       secret ("the first words")));
  sync_ok (p.a);
  sync_ok (p.b);
  g_free (OK (p.a, "journal", "edit", id, "--content", secret ("the laptop's words")));
  sync_ok (p.a);
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("the phone's first try")));
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("the phone's second try")));
  sync_ok (p.b);
  sync_ok (p.a);

  on_b = journal_of (p.b);
  g_assert_cmpstr (g_hash_table_lookup (on_b, id), ==, "the laptop's words");
  conflicts = JSON (p.b, "conflicts", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (conflicts)), ==, 1);
  c = json_array_get_object_element (json_node_get_array (conflicts), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "local"),
                                                  "content"), ==, "the phone's second try");
  on_a = journal_of (p.a);
  g_assert_cmpstr (g_hash_table_lookup (on_a, id), ==, "the laptop's words");
  g_assert_true (has_value (on_a, "the phone's second try"));
}

/* "Stop sharing" on one device while another edits the same entry: the
 * conflict keeps both texts, and neither stays shared. */
static void
test_stop_sharing_survives_conflict (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(GHashTable) on_t = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Shared", "--content",
                       secret ("about my father"), "--share"));
  sync_ok (p.a);
  sync_ok (p.b);
  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_true (g_hash_table_contains (on_t, id));

  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("about my father, again")));
  sync_ok (p.b);
  g_free (OK (p.a, "journal", "edit", id, "--no-share", "--content",
              secret ("about my father, privately")));
  sync_ok (p.a);
  sync_ok (p.t);
  g_hash_table_unref (on_t);
  on_t = journal_of (p.t);
  g_assert_cmpuint (g_hash_table_size (on_t), ==, 0);
}

/* Offline first: an account on this computer only, used for days, then
 * registered on a server; everything written before syncs to a new
 * device as it was. */
static void
test_local_first (void)
{
  g_autofree char *email = unique_email ("client");
  g_autofree char *journal_id = NULL;
  Device *d = device_new (), *other = device_new ();
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(GHashTable) on_other = NULL;
  g_auto(Run) run = { 0 };

  created = JSON (d, "account", "create", "--role", "client", "--first-name", "Άννα",
                  "--last-name", "Κ.");
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (created),
                                                   "recovery_key"));
  g_assert_false (json_object_get_boolean_member (json_node_get_object (created),
                                                  "registered"));
  g_free (OK (d, "mood", "add", "--mood", "7", "--energy", "6", "--anxiety", "2", "--note",
              secret ("a good day at the sea")));
  journal_id = first_line (OK (d, "journal", "add", "--title", "Offline", "--content",
                               secret ("written before any server existed")));
  RUN (&run, d, "sync");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "on this computer only"));
  run_clear (&run);

  g_free (OK (d, "account", "register", "--server", server->base_url, "--email", email));
  sync_ok (d);
  g_assert_cmpint (status_int (d, "pending"), ==, 0);

  g_free (OK (other, "account", "login", "--server", server->base_url, "--email", email));
  sync_ok (other);
  on_other = journal_of (other);
  g_assert_cmpstr (g_hash_table_lookup (on_other, journal_id), ==,
                   "written before any server existed");
  {
    g_autoptr(JsonNode) moods = JSON (other, "mood", "list");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (moods)), ==, 1);
  }
}

static void
test_edit_survives_delete (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL;
  g_autoptr(GHashTable) on_a = NULL, on_b = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Keep?", "--content",
                       secret ("a memory from school")));
  sync_ok (p.a);
  sync_ok (p.b);
  g_free (OK (p.a, "journal", "delete", id));
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("a memory from school, longer")));
  sync_ok (p.a);
  sync_ok (p.b);
  sync_ok (p.a);
  on_a = journal_of (p.a);
  on_b = journal_of (p.b);
  g_assert_cmpstr (g_hash_table_lookup (on_a, id), ==, "a memory from school, longer");
  g_assert_cmpstr (g_hash_table_lookup (on_b, id), ==, "a memory from school, longer");
}

static char *
server_value (const char *sql)
{
  PGconn *conn = tf_test_pg_connect (server->conninfo);
  char *value = tf_test_pg_value (conn, sql);

  PQfinish (conn);
  return value;
}

static void
test_share_ends_with_rekey (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL, *sql = NULL, *key_before = NULL, *key_after = NULL;
  g_autofree char *grants_sql = NULL, *grants = NULL;
  g_auto(Run) run = { 0 };
  g_autoptr(GHashTable) on_t = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "For Δήμητρα", "--content",
                       secret ("what happened at the funeral"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, id), ==, "what happened at the funeral");
  sql = g_strdup_printf ("SELECT enc_key FROM journal_entries WHERE id = '%s'", id);
  key_before = server_value (sql);

  g_free (OK (p.a, "journal", "edit", id, "--no-share"));
  g_free (OK (p.a, "journal", "edit", id, "--content", secret ("what happened after, later")));
  sync_ok (p.a);
  sync_ok (p.t);

  /* The therapist's device no longer has it. */
  RUN (&run, p.t, "journal", "show", id);
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, id));
  g_hash_table_unref (on_t);
  on_t = journal_of (p.t);
  g_assert_false (g_hash_table_contains (on_t, id));

  /* And the later edit is under a new key, with no grant left for them. */
  key_after = server_value (sql);
  g_assert_cmpstr (key_before, !=, key_after);
  grants_sql = g_strdup_printf ("SELECT count(*) FROM key_grants WHERE record_id = '%s'"
                                " AND deleted_at IS NULL", id);
  grants = server_value (grants_sql);
  g_assert_cmpstr (grants, ==, "0");

  /* Shared again later: the therapist reads the current text. */
  g_free (OK (p.a, "journal", "edit", id, "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  {
    g_autofree char *shown = OK (p.t, "journal", "show", id);
    g_assert_nonnull (strstr (shown, "what happened after, later"));
  }
}

static void
test_double_booking (void)
{
  g_autofree char *therapist_email = unique_email ("therapist");
  g_autofree char *e1 = unique_email ("client"), *e2 = unique_email ("client");
  g_autofree char *therapist_id = NULL, *slot = NULL, *count_sql = NULL, *count = NULL;
  Device *t = device_new (), *c1 = device_new (), *c2 = device_new ();
  g_autoptr(JsonNode) slots = NULL;
  g_autoptr(JsonNode) report1 = NULL, report2 = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 7);
  g_autofree char *from = g_date_time_format (later, "%Y-%m-%d");
  guint refused = 0;

  therapist_id = register_on (t, therapist_email, "therapist", NULL);
  g_free (register_on (c1, e1, "client", NULL));
  g_free (register_on (c2, e2, "client", NULL));
  for (int day = 0; day <= 6; day++)
    {
      g_autofree char *d = g_strdup_printf ("%d", day);
      g_free (OK (t, "availability", "set", "--day", d, "--from", "09:00", "--to", "17:00"));
    }
  sync_ok (t);
  g_free (OK (c1, "therapist", "link", "--email", therapist_email));
  g_free (OK (c2, "therapist", "link", "--email", therapist_email));
  sync_ok (c1);
  sync_ok (c2);
  accept_requests (t);
  sync_ok (c1);
  sync_ok (c2);

  slots = JSON (c1, "slots", "--therapist", therapist_id, "--from", from, "--to", from);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (slots)), >, 0);
  slot = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (slots), 0), "start"));

  /* Both book the same slot while offline. */
  g_free (OK (c1, "appointment", "book", "--therapist", therapist_id, "--at", slot));
  g_free (OK (c2, "appointment", "book", "--therapist", therapist_id, "--at", slot));
  report1 = JSON (c1, "sync");
  report2 = JSON (c2, "sync");
  refused = json_object_get_int_member (json_node_get_object (report1), "rejected") +
            json_object_get_int_member (json_node_get_object (report2), "rejected");
  g_assert_cmpuint (refused, ==, 1);
  {
    JsonObject *loser = json_object_get_int_member (json_node_get_object (report2), "rejected")
                          ? json_node_get_object (report2) : json_node_get_object (report1);
    JsonArray *why = json_object_get_array_member (loser, "rejections");
    g_assert_cmpuint (json_array_get_length (why), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (why, 0),
                                                    "code"), ==, "slot_taken");
  }
  count_sql = g_strdup_printf ("SELECT count(*) FROM appointments WHERE therapist_id = '%s'"
                               " AND deleted_at IS NULL", therapist_id);
  count = server_value (count_sql);
  g_assert_cmpstr (count, ==, "1");

  /* Each client's list shows the server's truth: one has the booking, the
   * other none (their attempt is kept among the refusals). */
  {
    g_autoptr(JsonNode) list1 = JSON (c1, "appointment", "list");
    g_autoptr(JsonNode) list2 = JSON (c2, "appointment", "list");
    guint n1 = json_array_get_length (json_node_get_array (list1));
    guint n2 = json_array_get_length (json_node_get_array (list2));

    g_assert_cmpuint (n1 + n2, ==, 1);
    /* Told once, by the sync that met it (above). */
    g_assert_cmpint (status_int (n1 == 1 ? c2 : c1, "rejected"), ==, 0);
  }
}

static void
test_wrong_secrets_and_outages (void)
{
  g_autofree char *email = unique_email ("client");
  g_autofree char *recovery = NULL, *user_id = NULL, *sql = NULL;
  Device *d = device_new ();
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) before = NULL, after = NULL;
  PGconn *conn;

  user_id = register_on (d, email, "client", &recovery);
  g_free (OK (d, "journal", "add", "--title", "t", "--content",
              secret ("the thing I never said out loud")));

  /* A wrong password opens nothing and changes nothing. */
  RUN_ENV (&run, d, "TF_PASSWORD=wrong password", "journal", "list");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.err, ==, "therapy-field-cli: Wrong password\n");
  run_clear (&run);

  /* Bad arguments: clear, exit 2, nothing written. */
  before = status_of (d);
  RUN (&run, d, "mood", "add", "--mood", "11", "--energy", "5", "--anxiety", "5");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "--mood must be between 1 and 10"));
  run_clear (&run);
  RUN (&run, d, "goal", "done", "3f0e7c7e-7e57-4a0b-9c1e-0123456789ab", "--date", "2026-02-30");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "YYYY-MM-DD"));
  run_clear (&run);
  RUN (&run, d, "appointment", "book", "--therapist", "3f0e7c7e-7e57-4a0b-9c1e-0123456789ab",
       "--at", "2099-01-01T10:00:00Z");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "No therapist with the id"));
  run_clear (&run);
  RUN (&run, d, "journal", "show", "3f0e7c7e-7e57-4a0b-9c1e-0123456789ab");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "There is no journal entry"));
  run_clear (&run);
  after = status_of (d);
  g_assert_cmpint (json_object_get_int_member (before, "pending"), ==,
                   json_object_get_int_member (after, "pending"));

  /* Recovery keys: a typo and a key of another account. */
  RUN_ENV (&run, d, "TF_RECOVERY_KEY=not-a-key", "account", "recover");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "not a valid recovery key"));
  run_clear (&run);
  {
    Device *other = device_new ();
    g_autofree char *other_email = unique_email ("client");
    g_autofree char *other_key = NULL;
    g_autofree char *env = NULL;

    g_free (register_on (other, other_email, "client", &other_key));
    env = g_strconcat ("TF_RECOVERY_KEY=", other_key, NULL);
    RUN_ENV (&run, d, env, "account", "recover");
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "does not belong to this account"));
    run_clear (&run);
  }

  /* The right recovery key sets a new password; the old one stops working. */
  {
    g_autofree char *env_key = g_strconcat ("TF_RECOVERY_KEY=", recovery, NULL);
    const char *env[] = { env_key, "TF_NEW_PASSWORD=νέος κωδικός 2", NULL };
    run_env (&run, d, env, (const char * const[]) { "account", "recover", NULL });
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    RUN (&run, d, "journal", "list");
    g_assert_cmpint (run.status, ==, 1);
    run_clear (&run);
    g_free (d->password);
    d->password = g_strdup ("νέος κωδικός 2");
    {
      g_autofree char *out = OK (d, "journal", "list");
      g_assert_nonnull (strstr (out, "t"));
    }
  }
  /* Password change from the device; a second device logs in with it. */
  {
    const char *env[] = { "TF_NEW_PASSWORD=τρίτος κωδικός 3", NULL };
    Device *second = device_new ();
    Device *phone = device_new ();

    g_free (phone->password);
    phone->password = g_strdup ("νέος κωδικός 2");
    g_free (OK (phone, "account", "login", "--server", server->base_url, "--email", email));
    run_env (&run, d, env, (const char * const[]) { "account", "password", NULL });
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    g_free (d->password);
    d->password = g_strdup ("τρίτος κωδικός 3");
    sync_ok (d);
    /* The phone stayed signed in: the new password opens it too. */
    g_free (phone->password);
    phone->password = g_strdup ("τρίτος κωδικός 3");
    sync_ok (phone);
    g_free (OK (phone, "journal", "list"));
    /* And the phone can change it again in turn; the laptop follows. */
    {
      const char *again[] = { "TF_NEW_PASSWORD=τέταρτος κωδικός 4", NULL };

      run_env (&run, phone, again, (const char * const[]) { "account", "password", NULL });
      g_assert_cmpint (run.status, ==, 0);
      run_clear (&run);
      g_free (d->password);
      d->password = g_strdup ("τέταρτος κωδικός 4");
      g_free (OK (d, "journal", "list"));
    }
    g_free (second->password);
    second->password = g_strdup ("νέος κωδικός 2");
    RUN (&run, second, "account", "login", "--server", server->base_url, "--email", email);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "Wrong e-mail or password"));
    run_clear (&run);
    g_free (second->password);
    second->password = g_strdup ("τέταρτος κωδικός 4");
    g_free (OK (second, "account", "login", "--server", server->base_url, "--email", email));
    sync_ok (second);
    {
      g_autoptr(JsonNode) list = JSON (second, "journal", "list");
      const char *id = json_object_get_string_member (
        json_array_get_object_element (json_node_get_array (list), 0), "id");
      g_autofree char *shown = OK (second, "journal", "show", id);
      g_assert_nonnull (strstr (shown, "the thing I never said out loud"));
    }
  }

  /* A lapsed sign-in: the device holds the password, so it signs in again
   * by itself and the sync goes on, nobody asked. */
  g_free (OK (d, "journal", "add", "--title", "t2", "--content",
              secret ("written while the token was expired")));
  conn = tf_test_pg_connect (server->conninfo);
  sql = g_strdup_printf ("UPDATE auth_sessions SET expires_at = now() - interval '1 second'"
                         " WHERE user_id = '%s'", user_id);
  tf_test_pg_exec (conn, sql);
  RUN (&run, d, "sync");
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  g_assert_cmpint (status_int (d, "pending"), ==, 0);
  /* A session someone ended is not renewed: a clear message, the outbox kept. */
  g_free (OK (d, "journal", "add", "--title", "t3", "--content",
              secret ("written after the session was revoked")));
  g_free (sql);
  sql = g_strdup_printf ("UPDATE auth_sessions SET revoked_at = now() WHERE user_id = '%s'",
                         user_id);
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
  RUN (&run, d, "sync");
  g_assert_cmpint (run.status, ==, 4);
  g_assert_nonnull (strstr (run.err, "log in again"));
  run_clear (&run);
  g_assert_cmpint (status_int (d, "pending"), ==, 1);
  g_free (OK (d, "account", "login", "--server", server->base_url, "--email", email));
  sync_ok (d);
  g_assert_cmpint (status_int (d, "pending"), ==, 0);
}

/* A device whose session lapsed on a server with short lifetimes keeps
 * syncing without asking, sync after sync. */
static void
test_lapsed_session_keeps_syncing (void)
{
  TfTestServer *brief = tf_test_server_start ("tf_cli_lapse",
                                              "token-lifetime=1\ntoken-max-lifetime=2");
  g_autofree char *email = unique_email ("client");
  Device *d = device_new (), *other = device_new ();
  g_auto(Run) run = { 0 };

  g_free (OK (d, "account", "register", "--server", brief->base_url, "--email", email,
              "--role", "client"));
  for (int i = 0; i < 3; i++)
    {
      g_free (OK (d, "mood", "add", "--mood", "5", "--energy", "5", "--anxiety", "5"));
      g_usleep (2200 * 1000);  /* past both lifetimes */
      RUN (&run, d, "sync");
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (run.err == NULL || *run.err == '\0');
      run_clear (&run);
      g_assert_cmpint (status_int (d, "pending"), ==, 0);
    }
  g_free (OK (other, "account", "login", "--server", brief->base_url, "--email", email));
  g_free (OK (other, "sync"));
  {
    g_autoptr(JsonNode) moods = JSON (other, "mood", "list");

    g_assert_cmpuint (json_array_get_length (json_node_get_array (moods)), ==, 3);
  }
  tf_test_server_stop (brief);
}

static void
test_server_down (void)
{
  g_autofree char *email = unique_email ("client");
  TfTestServer *alone = tf_test_server_start ("tf_cli_down", NULL);
  Device *d = device_new ();
  g_auto(Run) run = { 0 };
  g_autofree char *base = g_strdup (alone->base_url);

  g_free (OK (d, "account", "register", "--server", base, "--email", email, "--role",
              "client"));
  g_free (OK (d, "mood", "add", "--mood", "4", "--energy", "4", "--anxiety", "7", "--note",
              secret ("written while the server was down")));
  tf_test_server_stop (alone);
  RUN (&run, d, "sync");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "cannot be reached"));
  run_clear (&run);
  /* Everything local keeps working. */
  g_free (OK (d, "mood", "add", "--mood", "5", "--energy", "5", "--anxiety", "5"));
  {
    g_autoptr(JsonNode) list = JSON (d, "mood", "list");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  }
  g_assert_cmpint (status_int (d, "pending"), >=, 2);
}

static void
test_killed_sync_repeats (void)
{
  g_auto(Practice) p = { 0 };
  const char *points[] = { "push-sent", "push-applied", "pull-received", "pull-applied" };

  practice_init (&p);
  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autofree char *env = g_strconcat ("TF_DEBUG_KILL_AT=", points[i], NULL);
      g_autofree char *text = g_strdup_printf ("entry before kill at %s", points[i]);
      g_autofree char *count_sql = NULL, *count = NULL;
      g_auto(Run) run = { 0 };
      g_autoptr(GHashTable) on_b = NULL;

      g_free (OK (p.a, "journal", "add", "--title", points[i], "--content", secret (text)));
      /* Something to pull, so the pull points are reached too. */
      g_free (OK (p.b, "goal", "add", "--title", points[i]));
      sync_ok (p.b);
      RUN_ENV (&run, p.a, env, "sync");
      g_assert_cmpint (run.status, ==, -SIGKILL);
      sync_ok (p.a);
      sync_ok (p.b);
      /* Titles are encrypted: each kill point adds exactly one entry. */
      count_sql = g_strdup_printf ("SELECT count(*) FROM journal_entries WHERE user_id = '%s'",
                                   p.client_id);
      count = server_value (count_sql);
      g_assert_cmpint (g_ascii_strtoll (count, NULL, 10), ==, i + 1);
      on_b = journal_of (p.b);
      g_assert_true (has_value (on_b, text));
      g_assert_cmpint (status_int (p.a, "pending"), ==, 0);
    }
}

/* Copies every file of @from's profile folder into @to's, replacing what
 * is there: a file backup and its restore. */
static void
copy_profile (Device *from, Device *to)
{
  g_autoptr(GDir) old = g_dir_open (to->dir, 0, NULL);
  g_autoptr(GDir) dir = g_dir_open (from->dir, 0, NULL);
  const char *name;

  g_assert_nonnull (old);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (old)) != NULL)
    {
      g_autofree char *path = g_build_filename (to->dir, name, NULL);
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from->dir, name, NULL);
      g_autofree char *dst = g_build_filename (to->dir, name, NULL);
      g_autoptr(GFile) a = g_file_new_for_path (src);
      g_autoptr(GFile) b = g_file_new_for_path (dst);
      g_autoptr(GError) error = NULL;

      g_file_copy (a, b, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
      g_assert_no_error (error);
    }
}

/* A profile restored from a file backup reuses mutation ids the server has
 * already seen from it: its new writes must still reach the server and the
 * other devices, not be answered with the stored answers of old ones. */
static void
test_restored_profile (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(GHashTable) on_b = NULL, on_a = NULL;
  g_autofree char *goals = NULL;
  g_auto(Run) run = { 0 };
  Device *backup;

  practice_init (&p);
  g_free (OK (p.a, "journal", "add", "--title", "one", "--content", secret ("before the backup")));
  sync_ok (p.a);
  backup = device_new ();
  copy_profile (p.a, backup);

  g_free (OK (p.a, "journal", "add", "--title", "two", "--content", secret ("after the backup")));
  g_free (OK (p.a, "mood", "add", "--mood", "4", "--energy", "4", "--anxiety", "4",
              "--note", secret ("after the backup too")));
  sync_ok (p.a);

  /* The laptop is restored from the backup, and written on. */
  copy_profile (backup, p.a);
  g_free (OK (p.a, "journal", "add", "--title", "three",
              "--content", secret ("written on the restored laptop")));
  g_free (OK (p.a, "goal", "add", "--title", "restored goal"));
  RUN (&run, p.a, "sync");
  g_assert_cmpint (run.status, ==, 0);
  goals = server_value ("SELECT count(*) FROM goals WHERE title = 'restored goal'");
  g_assert_cmpstr (goals, ==, "1");
  g_assert_cmpint (status_int (p.a, "pending"), ==, 0);
  g_assert_nonnull (strstr (run.out, "restored from a backup or copied"));

  /* The other device has all of it; so has the restored one. */
  sync_ok (p.b);
  on_b = journal_of (p.b);
  g_assert_true (has_value (on_b, "written on the restored laptop"));
  g_assert_true (has_value (on_b, "after the backup"));
  sync_ok (p.a);
  on_a = journal_of (p.a);
  g_assert_cmpuint (g_hash_table_size (on_a), ==, 3);
  g_assert_true (has_value (on_a, "after the backup"));

  /* And it goes on: the next write is a new one too. */
  g_free (OK (p.a, "goal", "add", "--title", "restored goal 2"));
  sync_ok (p.a);
  g_free (goals);
  goals = server_value ("SELECT count(*) FROM goals WHERE title = 'restored goal 2'");
  g_assert_cmpstr (goals, ==, "1");
}

/* The refusals @d's status lists and the live grants to a user in
 * PostgreSQL (below, with the grants' and the care's tests). */
static char *refusals_of (Device *d);
static char *grants_to (const char *recipient);

/* A restored profile ends care: its queued end and the re-keys it made get
 * new mutation ids (the server has seen the old ones from it) and still go
 * whole and in order, signed as they were — the former therapist holds no
 * grant for the live key, and the other devices refuse nothing. */
static void
test_restored_profile_ends_care (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *entry = NULL, *sql = NULL, *care = NULL, *key_before = NULL;
  g_autofree char *key_after = NULL, *grants = NULL;
  g_auto(Run) run = { 0 };
  Device *backup;

  practice_init (&p);
  entry = first_line (OK (p.a, "journal", "add", "--title", "shared", "--content",
                          secret ("shared before the backup"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  backup = device_new ();
  copy_profile (p.a, backup);
  g_free (OK (p.a, "mood", "add", "--mood", "4", "--energy", "4", "--anxiety", "4"));
  g_free (OK (p.a, "goal", "add", "--title", "a goal from the laptop"));
  sync_ok (p.a);
  sql = g_strdup_printf ("SELECT enc_key FROM journal_entries WHERE id = '%s'", entry);
  key_before = server_value (sql);

  copy_profile (backup, p.a);
  g_free (OK (p.a, "therapist", "end", "--email", p.therapist_email));
  RUN (&run, p.a, "sync");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "restored from a backup or copied"));
  g_assert_cmpint (status_int (p.a, "pending"), ==, 0);

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT status FROM care_relationships WHERE client_id = '%s'",
                         p.client_id);
  care = server_value (sql);
  g_assert_cmpstr (care, ==, "ended");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT enc_key FROM journal_entries WHERE id = '%s'", entry);
  key_after = server_value (sql);
  g_assert_cmpstr (key_after, !=, key_before);
  grants = grants_to (p.therapist_id);
  g_assert_cmpstr (grants, ==, "0");

  sync_ok (p.t);
  sync_ok (p.b);
  {
    g_autofree char *on_t = refusals_of (p.t);
    g_autofree char *on_b = refusals_of (p.b);

    g_assert_cmpstr (on_t, ==, "");
    g_assert_cmpstr (on_b, ==, "");
  }
}

static char *server_signed (const char *table, const char *id);

/* A profile restored from a backup signs its next edit of a record above
 * the backup's revision only; the server's copy, met in the conflict, is
 * what the merge signs above, so the phone's later edits are no rollback:
 * neither device refuses anything, and both end with every edit. */
static void
test_restored_profile_edits_on (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL, *on_server = NULL, *refusals = NULL;
  g_autoptr(GHashTable) on_a = NULL, on_b = NULL;
  Device *backup;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "kept", "--content",
                       secret ("before the backup")));
  sync_ok (p.a);
  sync_ok (p.b);
  backup = device_new ();
  copy_profile (p.a, backup);
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("the phone's first edit")));
  sync_ok (p.b);
  sync_ok (p.a);
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("the phone's second edit")));
  sync_ok (p.b);

  /* The laptop, restored, holds revision 1 and edits the title. */
  copy_profile (backup, p.a);
  g_free (OK (p.a, "journal", "edit", id, "--title", "edited on the restored laptop"));
  sync_ok (p.a);
  on_server = server_signed ("journal_entries", id);
  g_assert_true (g_str_has_prefix (on_server, "4 tfs1:"));

  /* The phone takes it and edits on. */
  sync_ok (p.b);
  g_free (OK (p.b, "journal", "edit", id, "--content", secret ("the phone after the restore")));
  sync_ok (p.b);
  g_assert_cmpint (status_int (p.b, "pending"), ==, 0);
  g_clear_pointer (&on_server, g_free);
  on_server = server_signed ("journal_entries", id);
  g_assert_true (g_str_has_prefix (on_server, "5 tfs1:"));
  sync_ok (p.a);
  on_a = journal_of (p.a);
  on_b = journal_of (p.b);
  g_assert_cmpstr (g_hash_table_lookup (on_a, id), ==, "the phone after the restore");
  g_assert_cmpstr (g_hash_table_lookup (on_b, id), ==, "the phone after the restore");
  refusals = refusals_of (p.b);
  g_assert_cmpstr (refusals, ==, "");
  g_clear_pointer (&refusals, g_free);
  refusals = refusals_of (p.a);
  g_assert_cmpstr (refusals, ==, "");
}

/* Where the server stands for @user_id: "last_mutation_id version", the
 * device's bookkeeping and the highest version of the user's records. */
static char *
server_mark (const char *user_id)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT (SELECT max(last_mutation_id) FROM sync_devices WHERE user_id = '%s') || ' ' ||"
    " (SELECT coalesce(max(version), 0) FROM sync_records WHERE owner_id = '%s')",
    user_id, user_id);

  return server_value (sql);
}

/* Takes the server back to @mark (server_mark) for @user_id's goals, as a
 * restore of its database from a backup made then would: the goals written
 * since, their versions and feed, the stored answers and the device's
 * last_mutation_id are gone.  Returns how many goals went. */
static gint64
server_restore_goals (const char *user_id, const char *mark)
{
  g_auto(GStrv) parts = g_strsplit (mark, " ", 2);
  g_autofree char *sql = g_strdup_printf (
    "WITH lost AS (SELECT table_name, record_id FROM sync_records WHERE owner_id = '%s'"
    "   AND version > %s AND table_name = 'goals'),"
    " g AS (DELETE FROM goals WHERE id IN (SELECT record_id FROM lost) RETURNING 1),"
    " f AS (DELETE FROM sync_feed WHERE (table_name, record_id) IN (SELECT * FROM lost)"
    "   RETURNING 1),"
    " r AS (DELETE FROM sync_records WHERE (table_name, record_id) IN (SELECT * FROM lost)"
    "   RETURNING 1),"
    " m AS (DELETE FROM sync_mutation_results WHERE user_id = '%s' AND mutation_id > %s"
    "   RETURNING 1),"
    " d AS (UPDATE sync_devices SET last_mutation_id = %s WHERE user_id = '%s' RETURNING 1)"
    " SELECT (SELECT count(*) FROM g) + 0 * (SELECT count(*) FROM f) * (SELECT count(*) FROM r)"
    "   * (SELECT count(*) FROM m) * (SELECT count(*) FROM d)",
    user_id, parts[1], user_id, parts[0], parts[0], user_id);
  g_autofree char *n = server_value (sql);

  return g_ascii_strtoll (n, NULL, 10);
}

static gint64
server_goals (const char *title)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM goals WHERE title = '%s'"
                                          " AND deleted_at IS NULL", title);
  g_autofree char *n = server_value (sql);

  return g_ascii_strtoll (n, NULL, 10);
}

/* When the server's database is restored from an older backup, it has
 * forgotten changes it had acknowledged: the device sends them again —
 * whether it finds out from a push (it wrote since) or from a pull (it did
 * not) — and says so plainly; the other devices get them too. */
static void
test_server_went_back (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *mark = NULL;
  g_autoptr(JsonObject) st = NULL;
  g_autoptr(JsonNode) goals = NULL;
  g_auto(Run) run = { 0 };
  g_auto(Run) status = { 0 };

  practice_init (&p);
  g_free (OK (p.a, "goal", "add", "--title", "kept all along"));
  sync_ok (p.a);
  mark = server_mark (p.client_id);
  g_free (OK (p.a, "goal", "add", "--title", "lost one"));
  g_free (OK (p.a, "goal", "add", "--title", "lost two"));
  sync_ok (p.a);
  g_assert_cmpint (server_goals ("lost one"), ==, 1);

  /* Restored; the laptop writes again and syncs: the push finds out. */
  g_assert_cmpint (server_restore_goals (p.client_id, mark), ==, 2);
  g_assert_cmpint (server_goals ("lost one"), ==, 0);
  g_free (OK (p.a, "goal", "add", "--title", "after the restore"));
  RUN (&run, p.a, "sync");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (run.err);
  g_assert_nonnull (strstr (run.err, "The server had lost 2 changes"));
  g_assert_nonnull (strstr (run.err, "They were sent again. Nothing was lost."));
  g_assert_cmpint (server_goals ("kept all along"), ==, 1);
  g_assert_cmpint (server_goals ("lost one"), ==, 1);
  g_assert_cmpint (server_goals ("lost two"), ==, 1);
  g_assert_cmpint (server_goals ("after the restore"), ==, 1);
  g_assert_cmpint (status_int (p.a, "pending"), ==, 0);
  st = status_of (p.a);
  g_assert_nonnull (json_object_get_string_member (st, "server_lost"));
  RUN (&status, p.a, "status");
  g_assert_nonnull (strstr (status.out, "The server had lost 2 changes"));
  /* Told once by sync (status keeps it), not at every sync. */
  run_clear (&run);
  RUN (&run, p.a, "sync");
  g_assert_true (run.err == NULL || strstr (run.err, "had lost") == NULL);

  /* Restored again; nothing written since: the pull finds out, and the
   * same sync sends it again. */
  g_free (mark);
  mark = server_mark (p.client_id);
  g_free (OK (p.a, "goal", "add", "--title", "lost three"));
  sync_ok (p.a);
  g_assert_cmpint (server_restore_goals (p.client_id, mark), ==, 1);
  run_clear (&run);
  RUN (&run, p.a, "sync");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (run.err);
  g_assert_nonnull (strstr (run.err, "The server had lost 1 change"));
  g_assert_cmpint (server_goals ("lost three"), ==, 1);
  g_assert_cmpint (status_int (p.a, "pending"), ==, 0);

  /* The phone has every goal, once. */
  sync_ok (p.b);
  goals = JSON (p.b, "goal", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (goals)), ==, 5);
}

/* On a full disk, reading works — status and every list — and a write
 * fails with a clear error and loses nothing. */
static void
test_full_disk_reads (void)
{
  g_autofree char *email = unique_email ("full-disk");
  Device *d = device_new ();
  g_autofree char *user_id = register_on (d, email, "client", NULL);
  g_autoptr(JsonObject) st = NULL;
  g_autoptr(JsonNode) moods = NULL;
  g_autoptr(GHashTable) journal = NULL;
  g_auto(Run) run = { 0 };

  g_free (OK (d, "mood", "add", "--mood", "7", "--energy", "6", "--anxiety", "2",
              "--note", secret ("a good day before the disk filled")));
  g_free (OK (d, "journal", "add", "--title", "full", "--content", secret ("kept on a full disk")));

  disk_full = TRUE;
  st = status_of (d);
  g_assert_cmpint (json_object_get_int_member (st, "pending"), ==, 2);
  moods = JSON (d, "mood", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (moods)), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (moods), 0), "notes"), ==,
                   "a good day before the disk filled");
  journal = journal_of (d);
  g_assert_true (has_value (journal, "kept on a full disk"));
  /* A write says why it failed, and leaves everything as it was. */
  RUN (&run, d, "mood", "add", "--mood", "3", "--energy", "3", "--anxiety", "3");
  disk_full = FALSE;
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (run.err);
  g_assert_nonnull (strstr (run.err, "the disk is full"));
  g_assert_cmpint (status_int (d, "pending"), ==, 2);
  g_free (OK (d, "mood", "add", "--mood", "3", "--energy", "3", "--anxiety", "3"));
  g_assert_cmpint (status_int (d, "pending"), ==, 3);
  sync_ok (d);
  g_assert_cmpint (status_int (d, "pending"), ==, 0);
}

/* A profile file truncated to nothing is refused with a clear message and
 * left as it is, never opened as a new empty profile. */
static void
test_truncated_store (void)
{
  g_autofree char *email = unique_email ("truncated");
  Device *d = device_new ();
  g_autofree char *user_id = register_on (d, email, "client", NULL);
  g_autofree char *path = g_build_filename (d->dir, "profile.sqlite", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  const char * const *commands[] = {
    (const char * const[]) { "status", NULL },
    (const char * const[]) { "mood", "list", NULL },
    (const char * const[]) { "journal", "add", "--title", "x", "--content", "y", NULL },
    (const char * const[]) { "account", "create", "--role", "client", NULL },
  };
  GStatBuf st;

  g_free (OK (d, "journal", "add", "--title", "unsynced", "--content", secret ("not yet sent")));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
  g_assert_true (g_file_set_contents (path, "", 0, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };

      run_env (&run, d, NULL, commands[i]);
      g_assert_cmpint (run.status, ==, 1);
      g_assert_nonnull (run.err);
      if (strstr (run.err, "is empty or damaged") == NULL)
        g_error ("%s: no clear error: %s", commands[i][0], run.err);
      g_assert_cmpint (g_stat (path, &st), ==, 0);
      g_assert_cmpint (st.st_size, ==, 0);
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    }
}

/* The local date in Athens @days from now, "YYYY-MM-DD". */
static char *
athens_day (int days)
{
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) now = g_date_time_new_now (athens);
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

/* A vacation from one date to another, from the terminal: blocked with
 * --from/--to beside a single day (--date), listed with its last day,
 * refused when it meets another; after sync the client's device offers no
 * time inside it and refuses to book one there. */
static void
test_blocked_period (void)
{
  g_autofree char *therapist_email = unique_email ("therapist");
  g_autofree char *client_email = unique_email ("client");
  g_autofree char *therapist_id = NULL, *period = NULL, *single = NULL;
  g_autofree char *before = athens_day (9), *first = athens_day (10), *middle = athens_day (11);
  g_autofree char *last = athens_day (12), *after = athens_day (13), *later = athens_day (20);
  g_autofree char *at_middle = NULL;
  Device *t = device_new (), *c = device_new ();
  g_autoptr(JsonNode) listed = NULL, slots = NULL;
  JsonArray *blocked, *free_times;
  gboolean seen_before = FALSE, seen_after = FALSE;

  therapist_id = register_on (t, therapist_email, "therapist", NULL);
  g_free (register_on (c, client_email, "client", NULL));
  for (int d = 0; d <= 6; d++)
    {
      g_autofree char *dow = g_strdup_printf ("%d", d);
      g_free (OK (t, "availability", "set", "--day", dow, "--from", "10:00", "--to", "12:00"));
    }
  period = first_line (OK (t, "availability", "block", "--from", first, "--to", last,
                           "--reason", "Διακοπές"));
  single = first_line (OK (t, "availability", "block", "--date", later));
  {
    g_auto(Run) inside = { 0 }, half = { 0 }, both = { 0 }, backwards = { 0 };

    RUN (&inside, t, "availability", "block", "--date", middle);
    g_assert_cmpint (inside.status, ==, 2);
    g_assert_nonnull (strstr (inside.err, "meet those already blocked"));
    RUN (&half, t, "availability", "block", "--from", after);
    g_assert_cmpint (half.status, ==, 2);
    g_assert_nonnull (strstr (half.err, "needs both --from D and --to D"));
    RUN (&both, t, "availability", "block", "--date", after, "--from", after, "--to", after);
    g_assert_cmpint (both.status, ==, 2);
    RUN (&backwards, t, "availability", "block", "--from", after, "--to", before);
    g_assert_cmpint (backwards.status, ==, 2);
    g_assert_nonnull (strstr (backwards.err, "before they start"));
  }
  listed = JSON (t, "availability", "list");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (listed), "hours")), ==, 7);
  blocked = json_object_get_array_member (json_node_get_object (listed), "blocked");
  g_assert_cmpuint (json_array_get_length (blocked), ==, 2);
  {
    JsonObject *vacation = json_array_get_object_element (blocked, 0);
    JsonObject *day_off = json_array_get_object_element (blocked, 1);

    g_assert_cmpstr (json_object_get_string_member (vacation, "id"), ==, period);
    g_assert_cmpstr (json_object_get_string_member (vacation, "blocked_date"), ==, first);
    g_assert_cmpstr (json_object_get_string_member (vacation, "end_date"), ==, last);
    g_assert_cmpstr (json_object_get_string_member (vacation, "reason"), ==, "Διακοπές");
    g_assert_cmpstr (json_object_get_string_member (day_off, "id"), ==, single);
    g_assert_false (json_object_has_member (day_off, "end_date") &&
                    !json_object_get_null_member (day_off, "end_date"));
  }
  sync_ok (t);

  g_free (OK (c, "therapist", "link", "--email", therapist_email));
  link_accepted (c, t);
  slots = JSON (c, "slots", "--therapist", therapist_id, "--from", before, "--to", after);
  free_times = json_node_get_array (slots);
  for (guint i = 0; i < json_array_get_length (free_times); i++)
    {
      const char *start = json_object_get_string_member (
        json_array_get_object_element (free_times, i), "start");

      /* 10:00–12:00 in Athens is the same date in UTC. */
      g_assert_false (g_str_has_prefix (start, first));
      g_assert_false (g_str_has_prefix (start, middle));
      g_assert_false (g_str_has_prefix (start, last));
      seen_before |= g_str_has_prefix (start, before);
      seen_after |= g_str_has_prefix (start, after);
    }
  g_assert_true (seen_before);
  g_assert_true (seen_after);
  /* 10:00 in Athens on a day of the vacation. */
  {
    g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
    g_autoptr(GDateTime) now = g_date_time_new_now (athens);
    g_autoptr(GDateTime) then = g_date_time_add_days (now, 11);
    g_autoptr(GDateTime) ten = g_date_time_new (athens, g_date_time_get_year (then),
                                                g_date_time_get_month (then),
                                                g_date_time_get_day_of_month (then), 10, 0, 0);

    at_middle = g_date_time_format (ten, "%Y-%m-%dT%H:%M:%S%:z");
  }
  {
    g_auto(Run) book = { 0 };

    RUN (&book, c, "appointment", "book", "--therapist", therapist_id, "--at", at_middle);
    g_assert_cmpint (book.status, ==, 2);
    g_assert_nonnull (strstr (book.err, "is not a free slot of this therapist"));
  }
  g_free (OK (t, "availability", "unblock", period));
  listed = (json_node_unref (listed), JSON (t, "availability", "list"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (listed), "blocked")), ==, 1);
}

static void operator_change (const char *table, const char *id, const char *set);
static gboolean refused_with (Device *d, const char *table, const char *id, const char *code);

static void
test_note_lock (void)
{
  g_autofree char *therapist_email = unique_email ("therapist");
  g_autofree char *client_email = unique_email ("client");
  g_autofree char *therapist_id = NULL, *appointment = NULL, *note = NULL;
  g_autofree char *other = NULL;
  Device *t = device_new (), *c = device_new ();
  g_autoptr(JsonNode) notes = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 3);
  g_autofree char *day = g_date_time_format (later, "%Y-%m-%d");
  g_autoptr(JsonNode) slots = NULL;
  JsonObject *first;

  therapist_id = register_on (t, therapist_email, "therapist", NULL);
  g_free (register_on (c, client_email, "client", NULL));
  for (int d = 0; d <= 6; d++)
    {
      g_autofree char *dow = g_strdup_printf ("%d", d);
      g_free (OK (t, "availability", "set", "--day", dow, "--from", "10:00", "--to", "12:00"));
    }
  sync_ok (t);
  g_free (OK (c, "therapist", "link", "--email", therapist_email));
  link_accepted (c, t);
  slots = JSON (c, "slots", "--therapist", therapist_id, "--from", day, "--to", day);
  appointment = first_line (OK (c, "appointment", "book", "--therapist", therapist_id, "--at",
                                json_object_get_string_member (
                                  json_array_get_object_element (json_node_get_array (slots), 0),
                                  "start"),
                                "--notes", secret ("I am afraid of heights since the fall")));
  other = first_line (OK (c, "appointment", "book", "--therapist", therapist_id, "--at",
                          json_object_get_string_member (
                            json_array_get_object_element (json_node_get_array (slots), 1),
                            "start")));
  g_free (OK (c, "appointment", "cancel", other, "--reason",
              secret ("my mother is in hospital again")));
  sync_ok (c);
  sync_ok (t);
  /* Encrypted on the way, read by the therapist (DESIGN.md §5). */
  {
    g_autoptr(JsonNode) list = JSON (t, "appointment", "list");
    JsonArray *all = json_node_get_array (list);
    guint seen = 0;

    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *a = json_array_get_object_element (all, i);
        const char *id = json_object_get_string_member (a, "id");

        if (g_strcmp0 (id, appointment) == 0)
          seen += g_strcmp0 (json_object_get_string_member (a, "notes_for_therapist"),
                             "I am afraid of heights since the fall") == 0;
        if (g_strcmp0 (id, other) == 0)
          seen += g_strcmp0 (json_object_get_string_member (a, "cancellation_reason"),
                             "my mother is in hospital again") == 0;
      }
    g_assert_cmpuint (seen, ==, 2);
  }
  /* The therapist confirms it from the terminal; completed only once it has
   * been held, and a cancelled one stays cancelled — the app's rules. */
  {
    g_auto(Run) early = { 0 }, again = { 0 }, cancelled = { 0 }, by_client = { 0 };
    g_autoptr(JsonNode) list = NULL;
    JsonArray *all;

    RUN (&by_client, c, "appointment", "confirm", appointment);
    g_assert_cmpint (by_client.status, ==, 2);
    g_assert_nonnull (strstr (by_client.err, "Only a therapist’s profile can do this"));
    g_free (OK (t, "appointment", "confirm", appointment));
    RUN (&again, t, "appointment", "confirm", appointment);
    g_assert_cmpint (again.status, ==, 2);
    g_assert_nonnull (strstr (again.err, "is now “Confirmed” and cannot be changed that way"));
    RUN (&early, t, "appointment", "complete", appointment);
    g_assert_cmpint (early.status, ==, 2);
    g_assert_nonnull (strstr (early.err, "has not started yet"));
    RUN (&cancelled, t, "appointment", "no-show", other);
    g_assert_cmpint (cancelled.status, ==, 2);
    g_assert_nonnull (strstr (cancelled.err, "is now “Cancelled”"));
    list = JSON (t, "appointment", "list");
    all = json_node_get_array (list);
    for (guint i = 0; i < json_array_get_length (all); i++)
      {
        JsonObject *a = json_array_get_object_element (all, i);
        const char *id = json_object_get_string_member (a, "id");

        if (g_strcmp0 (id, appointment) == 0)
          g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, "confirmed");
        if (g_strcmp0 (id, other) == 0)
          g_assert_cmpstr (json_object_get_string_member (a, "status"), ==, "cancelled");
      }
  }
  note = first_line (OK (t, "note", "add", "--appointment", appointment, "--approach", "soap",
                         "--content", secret ("S: reports intrusive thoughts since May")));
  g_free (OK (t, "note", "lock", note));
  sync_ok (t);
  notes = JSON (t, "note", "list");
  first = json_array_get_object_element (json_node_get_array (notes), 0);
  g_assert_true (json_object_get_boolean_member (first, "signature_valid"));
  g_assert_nonnull (json_object_get_string_member (first, "locked_at"));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT signature IS NOT NULL FROM session_notes"
                                            " WHERE id = '%s'", note);
    g_autofree char *signed_on_server = server_value (sql);
    g_assert_cmpstr (signed_on_server, ==, "t");
  }
  /* The server changes the note's approach: the therapist's other device
   * refuses the change, tells the user and keeps the approach written. */
  {
    Device *other_device = device_new ();
    g_autoptr(JsonNode) held = NULL;

    g_free (OK (other_device, "account", "login", "--server", server->base_url, "--email",
                therapist_email));
    sync_ok (other_device);
    operator_change ("session_notes", note, "approach_type = 'cbt'");
    g_free (OK (other_device, "sync"));
    g_assert_true (refused_with (other_device, "session_notes", note, "bad_signature"));
    held = JSON (other_device, "note", "list");
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (json_node_get_array (held), 0),
                       "approach_type"), ==, "soap");
  }
  /* An addendum to the signed note: appended and signed, the note as it
   * was; an unsigned note takes none and is the one `--unsigned` lists.
   * The therapist's new device reads both, verified, and refuses an
   * addendum the server changed. */
  {
    g_autofree char *draft = NULL, *addendum = NULL;
    g_autoptr(JsonNode) to_sign = NULL, shown = NULL, seen = NULL;
    g_auto(Run) early = { 0 }, empty = { 0 };
    Device *laptop = device_new ();
    JsonObject *o, *a;

    /* The operator puts the note back as it was signed. */
    operator_change ("session_notes", note, "approach_type = 'soap'");
    draft = first_line (OK (t, "note", "add", "--appointment", appointment, "--approach", "dap",
                            "--content", secret ("D: to finish after supervision")));
    addendum = first_line (OK (t, "note", "addendum", note, "--content",
                               secret ("Phoned the next day: sleeping better")));
    RUN (&early, t, "note", "addendum", draft, "--content", "too soon");
    g_assert_cmpint (early.status, !=, 0);
    g_assert_nonnull (strstr (early.err, "not signed yet"));
    RUN (&empty, t, "note", "addendum", note, "--content", "   ");
    g_assert_cmpint (empty.status, !=, 0);
    g_assert_nonnull (strstr (empty.err, "needs some text"));
    to_sign = JSON (t, "note", "list", "--unsigned");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (to_sign)), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (
                       json_array_get_object_element (json_node_get_array (to_sign), 0), "id"),
                     ==, draft);
    sync_ok (t);

    g_free (OK (laptop, "account", "login", "--server", server->base_url, "--email",
                therapist_email));
    sync_ok (laptop);
    shown = JSON (laptop, "note", "show", note);
    o = json_node_get_object (shown);
    g_assert_true (json_object_get_boolean_member (o, "signature_valid"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "addenda")), ==, 1);
    a = json_array_get_object_element (json_object_get_array_member (o, "addenda"), 0);
    g_assert_cmpstr (json_object_get_string_member (a, "id"), ==, addendum);
    g_assert_cmpstr (json_object_get_string_member (a, "content"), ==,
                     "Phoned the next day: sleeping better");
    g_assert_true (json_object_get_boolean_member (a, "signature_valid"));

    /* Printed to PDF with the practice's header: the note, its signature
     * verified, and the addendum. */
    {
      g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "tf-note-print.pdf", NULL);
      g_autofree char *printed = OK (laptop, "note", "print", note, "--output", pdf);
      g_autofree char *text = NULL, *argv_err = NULL;
      int status = 0;
      const char *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };

      g_assert_nonnull (strstr (printed, "1 page"));
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                                   &text, &argv_err, &status, NULL));
      g_assert_cmpint (status, ==, 0);
      g_assert_nonnull (strstr (text, "SOAP Note"));
      g_assert_nonnull (strstr (text, "S: reports intrusive thoughts since May"));
      g_assert_nonnull (strstr (text, "the signature verifies"));
      g_assert_nonnull (strstr (text, "Phoned the next day: sleeping better"));
      g_assert_nonnull (strstr (text, "Page 1 of 1"));
      g_unlink (pdf);
    }

    /* The server moves the addendum's time: refused, the signed one kept. */
    operator_change ("note_addenda", addendum, "locked_at = locked_at + interval '1 day'");
    g_free (OK (laptop, "sync"));
    g_assert_true (refused_with (laptop, "note_addenda", addendum, "bad_signature"));
    seen = JSON (laptop, "note", "show", note);
    a = json_array_get_object_element (
          json_object_get_array_member (json_node_get_object (seen), "addenda"), 0);
    g_assert_true (json_object_get_boolean_member (a, "signature_valid"));
  }
}

/* A client who shares mood: the therapist's device, long-polling, hears of
 * a new check-in within moments and shows it, note decrypted, with the
 * client's name. */
static void
test_mood_share_and_wait (void)
{
  g_autofree char *therapist_email = unique_email ("therapist");
  g_autofree char *client_email = unique_email ("client");
  Device *t = device_new (), *c = device_new ();
  g_autoptr(GSubprocess) waiting = NULL;
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(JsonNode) moods = NULL;
  g_auto(Run) run = { 0 };
  JsonObject *entry;

  g_free (register_on (t, therapist_email, "therapist", NULL));
  g_free (register_on (c, client_email, "client", NULL));
  g_free (OK (c, "therapist", "link", "--email", therapist_email, "--share-mood"));
  link_accepted (c, t);
  sync_ok (t);

  waiting = spawn_env (t, NULL, (const char * const[]) { "sync", "--wait", "60", NULL });
  timer = g_timer_new ();
  g_usleep (G_USEC_PER_SEC);
  g_free (OK (c, "mood", "add", "--mood", "3", "--energy", "2", "--anxiety", "8", "--note",
              secret ("could not get out of bed")));
  sync_ok (c);
  finish (&run, waiting);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, 30.0);

  moods = JSON (t, "mood", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (moods)), ==, 1);
  entry = json_array_get_object_element (json_node_get_array (moods), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "notes"), ==,
                   "could not get out of bed");
  g_assert_cmpstr (json_object_get_string_member (entry, "owner_name"), ==,
                   "Ελένη Παπαδοπούλου");
  g_assert_cmpint (json_object_get_int_member (entry, "anxiety_level"), ==, 8);
}

/* Rows from before titles, emotions and categories were encrypted (0010):
 * the client's laptop and the server both hold them in plaintext, as the
 * first versions wrote them.  The laptop's next sync encrypts and pushes
 * them; afterwards the server and the laptop hold envelopes, and the
 * therapist and the client's phone still read the texts. */
static void
test_old_plaintext_encrypted (void)
{
  g_auto(Practice) p = { 0 };
  const char *title = secret ("Ο τίτλος μιας εγγραφής από πέρσι");
  const char *felt = secret ("θλίψη στη γιορτή της μητέρας");
  g_autofree char *id = NULL, *mood_id = NULL, *db_path = NULL, *old_rows = NULL;
  g_autofree char *server_title = NULL, *server_emotions = NULL, *sql = NULL;
  g_autoptr(JsonNode) moods = NULL;
  PGconn *conn;
  sqlite3 *db;

  practice_init (&p);
  g_free (OK (p.a, "mood", "add", "--mood", "3", "--energy", "4", "--anxiety", "6",
              "--emotion", felt));
  id = first_line (OK (p.a, "journal", "add", "--title", title, "--content",
                       secret ("η γιορτή πέρασε ήσυχα"), "--share"));
  sync_ok (p.a);
  moods = JSON (p.a, "mood", "list");
  mood_id = g_strdup (json_object_get_string_member (
                        json_array_get_object_element (json_node_get_array (moods), 0), "id"));

  /* Back to how the first versions stored them, on the laptop... */
  db_path = g_build_filename (p.a->dir, "profile.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  old_rows = sqlite3_mprintf ("UPDATE journal_entries SET title = %Q WHERE id = %Q;"
                              "UPDATE mood_entries SET emotions = json_array(%Q) WHERE id = %Q",
                              title, id, felt, mood_id);
  g_assert_cmpint (sqlite3_exec (db, old_rows, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (g_steal_pointer (&old_rows));
  sqlite3_close (db);
  /* ... and on the server, under the triggers that refuse it now. */
  conn = tf_test_pg_connect (server->conninfo);
  g_free (tf_test_pg_value (conn, "SET session_replication_role = replica"));
  sql = g_strdup_printf ("UPDATE journal_entries SET title = '%s' WHERE id = '%s'"
                         " RETURNING 1", title, id);
  g_free (tf_test_pg_value (conn, sql));
  g_free (sql);
  sql = g_strdup_printf ("UPDATE mood_entries SET emotions = jsonb_build_array('%s')"
                         " WHERE id = '%s' RETURNING 1", felt, mood_id);
  g_free (tf_test_pg_value (conn, sql));
  g_free (sql);
  PQfinish (conn);

  /* The laptop's next sync encrypts them again. */
  sync_ok (p.a);
  g_assert_cmpint (status_int (p.a, "pending"), ==, 0);
  sql = g_strdup_printf ("SELECT title FROM journal_entries WHERE id = '%s'", id);
  server_title = server_value (sql);
  g_free (sql);
  g_assert_true (g_str_has_prefix (server_title, "tf1:"));
  sql = g_strdup_printf ("SELECT emotions #>> '{}' FROM mood_entries WHERE id = '%s'", mood_id);
  server_emotions = server_value (sql);
  g_assert_true (g_str_has_prefix (server_emotions, "tf1:"));

  /* The others read them as before. */
  sync_ok (p.t);
  {
    g_autoptr(JsonNode) list = JSON (p.t, "journal", "list");
    JsonArray *entries = json_node_get_array (list);
    gboolean seen = FALSE;

    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);

        seen |= g_strcmp0 (json_object_get_string_member (entry, "id"), id) == 0 &&
                g_strcmp0 (json_object_get_string_member (entry, "title"), title) == 0;
      }
    g_assert_true (seen);
  }
  sync_ok (p.b);
  g_clear_pointer (&moods, json_node_unref);
  moods = JSON (p.b, "mood", "list");
  {
    JsonObject *check_in = json_array_get_object_element (json_node_get_array (moods), 0);

    g_assert_cmpstr (json_array_get_string_element (
                       json_object_get_array_member (check_in, "emotions"), 0), ==, felt);
  }
}

/* --- authors' signatures (issue 19) ------------------------------------------ */

/* "REVISION SIGNATURE" of record @id of @table as device @d holds it:
 * @what "outbox_acked" (what it sent) or "record_revisions" (what it holds). */
/* The first value @sql selects in @d's store, or NULL. */
static char *
device_value (Device *d, const char *sql)
{
  g_autofree char *path = g_build_filename (d->dir, "profile.sqlite", NULL);
  sqlite3 *db;
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
device_signed (Device *d, const char *what, const char *table, const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT revision || ' ' || signature FROM %s"
                                          " WHERE record_id = '%s' AND table_name = '%s'"
                                          " ORDER BY revision DESC LIMIT 1", what, id, table);

  return device_value (d, sql);
}

static char *
server_signed (const char *table, const char *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT author_revision || ' ' || author_signature"
                                          " FROM %s WHERE id = '%s'", table, id);

  return server_value (sql);
}

/* Every write is signed by its author as it is queued, one revision above
 * the last, deletions too; the server stores the revision and the signature
 * as they came and serves them so: the other device holds the very text. */
static void
test_signatures_stored_verbatim (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL, *on_server = NULL, *sent = NULL, *held = NULL;
  g_autofree char *edited = NULL, *deleted = NULL, *sql = NULL, *public_key = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Signed", "--content",
                       secret ("what the author signed")));
  sync_ok (p.a);
  on_server = server_signed ("journal_entries", id);
  sent = device_signed (p.a, "outbox_acked", "journal_entries", id);
  g_assert_nonnull (on_server);
  g_assert_true (g_str_has_prefix (on_server, "1 tfs1:"));
  g_assert_cmpstr (on_server, ==, sent);
  sync_ok (p.b);
  held = device_signed (p.b, "record_revisions", "journal_entries", id);
  g_assert_cmpstr (held, ==, on_server);

  /* It is the author's signature over what the other device holds. */
  sql = g_strdup_printf ("SELECT signing_public_key FROM user_keys WHERE user_id = '%s'",
                         p.client_id);
  public_key = server_value (sql);
  {
    g_autofree char *path = g_build_filename (p.b->dir, "profile.sqlite", NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(TfStore) store = tf_store_open (path, &error);
    g_autoptr(TfRecord) record = NULL;

    g_assert_no_error (error);
    record = tf_store_get (store, tf_registry_lookup ("journal_entries"), id, &error);
    g_assert_no_error (error);
    g_assert_true (tf_signed_record_verify (public_key, record, 1, strchr (held, ' ') + 1,
                                            &error));
    g_assert_no_error (error);
  }

  g_free (OK (p.a, "journal", "edit", id, "--title", "Signed again"));
  sync_ok (p.a);
  edited = server_signed ("journal_entries", id);
  g_assert_true (g_str_has_prefix (edited, "2 tfs1:"));
  sync_ok (p.b);
  g_free (OK (p.b, "journal", "delete", id));
  sync_ok (p.b);
  deleted = server_signed ("journal_entries", id);
  g_assert_true (g_str_has_prefix (deleted, "3 tfs1:"));
  sync_ok (p.a);
  g_clear_pointer (&held, g_free);
  held = device_signed (p.a, "record_revisions", "journal_entries", id);
  g_assert_cmpstr (held, ==, deleted);
}

/* As a malicious operator: @set (an SQL SET list) on record @id of @table,
 * under a new version fed to everyone who receives it, triggers off (as
 * PostgreSQL's owner can). */
static void
operator_change (const char *table, const char *id, const char *set)
{
  tf_test_pg_operator_change (server->conninfo, table, id, set);
}

static gboolean
refused_with (Device *d, const char *table, const char *id, const char *code)
{
  g_autofree char *all = refusals_of (d);
  g_autofree char *line = g_strdup_printf ("%s %s %s\n", table, id, code);

  return strstr (all, line) != NULL;
}

/* The server changes what an author wrote and signed — a check-in's score,
 * a journal entry's date — and the other device refuses the change, keeps
 * what it held, and tells the user (sync and status). */
static void
test_altered_fields_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *entry = NULL, *mood_id = NULL, *shown = NULL, *out = NULL;
  g_autoptr(JsonNode) moods = NULL, again = NULL, journal = NULL;
  JsonObject *check_in;

  practice_init (&p);
  g_free (OK (p.a, "mood", "add", "--mood", "6", "--energy", "5", "--anxiety", "3"));
  entry = first_line (OK (p.a, "journal", "add", "--title", "Τρίτη", "--content",
                          secret ("a day as it was")));
  sync_ok (p.a);
  sync_ok (p.b);
  moods = JSON (p.b, "mood", "list");
  mood_id = g_strdup (json_object_get_string_member (
                        json_array_get_object_element (json_node_get_array (moods), 0), "id"));

  operator_change ("mood_entries", mood_id, "mood_value = 2");
  operator_change ("journal_entries", entry, "created_at = '2020-02-02T10:00:00Z'");
  out = OK (p.b, "sync");
  g_assert_true (refused_with (p.b, "mood_entries", mood_id, "bad_signature"));
  g_assert_true (refused_with (p.b, "journal_entries", entry, "bad_signature"));
  g_assert_cmpint (status_int (p.b, "refused"), ==, 2);

  again = JSON (p.b, "mood", "list");
  check_in = json_array_get_object_element (json_node_get_array (again), 0);
  g_assert_cmpint (json_object_get_int_member (check_in, "mood_value"), ==, 6);
  journal = JSON (p.b, "journal", "show", entry);
  shown = g_strdup (json_object_get_string_member (json_node_get_object (journal),
                                                   "created_at"));
  g_assert_false (g_str_has_prefix (shown, "2020-02-02"));
}

/* A push answer's record is checked as a pulled one is: the server
 * answers a conflicting edit with a copy of the record it altered (a
 * journal entry's date), and the device refuses to merge it — it keeps its
 * own date and its edit queued, and tells the user. */
static void
test_altered_conflict_copy_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *entry = NULL, *shown = NULL;
  g_autoptr(JsonNode) journal = NULL;

  practice_init (&p);
  entry = first_line (OK (p.a, "journal", "add", "--title", "Τετάρτη", "--content",
                          secret ("what the day was")));
  sync_ok (p.a);
  sync_ok (p.b);
  g_free (OK (p.a, "journal", "edit", entry, "--content", secret ("what the day was, later")));
  sync_ok (p.a);
  operator_change ("journal_entries", entry, "created_at = '2020-02-02T10:00:00Z'");
  /* Written before the phone heard of either change: its push conflicts. */
  g_free (OK (p.b, "journal", "edit", entry, "--title", "Τετάρτη βράδυ"));
  g_free (OK (p.b, "sync"));

  g_assert_true (refused_with (p.b, "journal_entries", entry, "bad_signature"));
  journal = JSON (p.b, "journal", "show", entry);
  shown = g_strdup (json_object_get_string_member (json_node_get_object (journal),
                                                   "created_at"));
  g_assert_false (g_str_has_prefix (shown, "2020-02-02"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (journal), "title"), ==,
                   "Τετάρτη βράδυ");
}

/* The server serves an old ciphertext with its old signature under a new
 * version number: the device holds a later revision and refuses it. */
static void
test_rolled_back_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *id = NULL, *sql = NULL, *old = NULL, *set = NULL;
  g_autoptr(GHashTable) journal = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "Before", "--content",
                       secret ("what I first wrote")));
  sync_ok (p.a);
  /* Every column of the first revision, as an operator's backup has it. */
  sql = g_strdup_printf ("SELECT format('title = %%L, content = %%L, enc_key = %%L,"
                         " updated_at = %%L, author_revision = %%s, author_signature = %%L',"
                         " title, content, enc_key, updated_at, author_revision,"
                         " author_signature) FROM journal_entries WHERE id = '%s'", id);
  old = server_value (sql);
  g_free (OK (p.a, "journal", "edit", id, "--content", secret ("what I wrote after")));
  sync_ok (p.a);
  sync_ok (p.b);

  operator_change ("journal_entries", id, old);
  sync_ok (p.b);
  {
    g_autofree char *refusals = refusals_of (p.b);

    g_test_message ("refused: %s", refusals);
  }
  g_assert_true (refused_with (p.b, "journal_entries", id, "rolled_back"));
  journal = journal_of (p.b);
  g_assert_cmpstr (g_hash_table_lookup (journal, id), ==, "what I wrote after");
}

/* The proxy attack of issue 19: the server plants a journal entry "of the
 * client", its content under a key it made, with a grant of that key it
 * sealed to the therapist's public key itself — unsigned, and again signed
 * with a signing key of its own.  The therapist's device refuses both and
 * shows neither. */
static void
plant_entry_of (Practice *p, const char *owner, const char *id, const TfSecret *server_signing)
{
  g_autoptr(TfSecret) data_key = tf_secret_new_random (32);
  g_autofree char *sql = NULL, *identity = NULL, *sealed = NULL, *title = NULL, *content = NULL;
  g_autofree char *enc_key = NULL, *signature = NULL, *grant_id = g_uuid_string_random ();
  g_autofree char *envelope = NULL;
  g_autoptr(GError) error = NULL;
  PGconn *conn;

  sql = g_strdup_printf ("SELECT identity_public_key FROM user_keys WHERE user_id = '%s'",
                         p->therapist_id);
  identity = server_value (sql);
  sealed = tf_crypto_seal_key (identity, data_key, &error);
  g_assert_no_error (error);
  title = tf_crypto_encrypt_field (data_key, "journal_entries", id, "title", "Βοήθεια", &error);
  content = tf_crypto_encrypt_field (data_key, "journal_entries", id, "content",
                                     "Planted by the server", &error);
  enc_key = tf_crypto_encrypt_field (data_key, "journal_entries", id, "enc_key", "x", &error);
  g_assert_no_error (error);
  if (server_signing != NULL)
    {
      g_autoptr(TfRecord) record = tf_record_new (tf_registry_lookup ("journal_entries"), id);

      json_object_set_string_member (record->fields, "user_id", owner);
      json_object_set_string_member (record->fields, "title", title);
      json_object_set_string_member (record->fields, "content", content);
      json_object_set_boolean_member (record->fields, "therapist_shared", TRUE);
      json_object_set_string_member (record->fields, "created_at", "2026-11-20T08:00:00Z");
      json_object_set_string_member (record->fields, "enc_key", enc_key);
      signature = tf_signed_record_sign (server_signing, record, 1, &error);
      g_assert_no_error (error);
      envelope = g_strdup_printf (", author_revision = 1, author_signature = '%s'", signature);
    }
  g_free (sql);
  sql = g_strdup_printf (
    "DO $$ DECLARE v bigint := nextval('sync_version_seq'); BEGIN"
    " INSERT INTO journal_entries (id, user_id, title, content, therapist_shared, created_at,"
    "  enc_key, version) VALUES ('%s', '%s', '%s', '%s', true, '2026-11-20T08:00:00Z', '%s', v);"
    " UPDATE journal_entries SET version = v%s WHERE id = '%s';"
    " INSERT INTO sync_records (table_name, record_id, version, owner_id)"
    "  VALUES ('journal_entries', '%s', v, '%s');"
    " INSERT INTO sync_feed (user_id, table_name, record_id, version)"
    "  VALUES ('%s', 'journal_entries', '%s', v);"
    " v := nextval('sync_version_seq');"
    " INSERT INTO key_grants (id, table_name, record_id, owner_id, recipient_id, sealed_key,"
    "  version) VALUES ('%s', 'journal_entries', '%s', '%s', '%s', '%s', v);"
    " INSERT INTO sync_records (table_name, record_id, version, owner_id)"
    "  VALUES ('key_grants', '%s', v, '%s');"
    " INSERT INTO sync_feed (user_id, table_name, record_id, version)"
    "  VALUES ('%s', 'key_grants', '%s', v); END $$",
    id, owner, title, content, enc_key, envelope ? envelope : "", id,
    id, owner, p->therapist_id, id,
    grant_id, id, owner, p->therapist_id, sealed,
    grant_id, owner, p->therapist_id, grant_id);
  conn = tf_test_pg_connect (server->conninfo);
  tf_test_pg_exec (conn, "SET session_replication_role = replica");
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
}

static void
plant_entry (Practice *p, const char *id, const TfSecret *server_signing)
{
  plant_entry_of (p, p->client_id, id, server_signing);
}

static void
test_planted_entry_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *unsigned_id = g_uuid_string_random (), *signed_id = g_uuid_string_random ();
  g_autofree char *server_public = NULL;
  g_autoptr(TfSecret) server_secret = NULL;
  g_autoptr(GHashTable) journal = NULL;
  g_autoptr(GError) error = NULL;

  practice_init (&p);
  g_assert_true (tf_crypto_sign_keypair (&server_public, &server_secret, &error));
  plant_entry (&p, unsigned_id, NULL);
  plant_entry (&p, signed_id, server_secret);
  sync_ok (p.t);
  journal = journal_of (p.t);
  g_assert_false (g_hash_table_contains (journal, unsigned_id));
  g_assert_false (g_hash_table_contains (journal, signed_id));
  g_assert_false (has_value (journal, "Planted by the server"));
  g_assert_true (refused_with (p.t, "journal_entries", unsigned_id, "unsigned"));
  g_assert_true (refused_with (p.t, "journal_entries", signed_id, "wrong_signer"));
}

/* The signature of @signer over care relationship @id of @client with
 * @therapist as plant_care and care_forged write it (active, sharing mood
 * and goals, started 2026-11-20 08:00 UTC) at @revision. */
static char *
care_signed (const char *id, const char *client, const char *therapist, gint64 revision,
             const TfSecret *signer)
{
  g_autoptr(TfRecord) care = tf_record_new (tf_registry_lookup ("care_relationships"), id);
  g_autoptr(GError) error = NULL;
  char *signature;

  json_object_set_string_member (care->fields, "therapist_id", therapist);
  json_object_set_string_member (care->fields, "client_id", client);
  json_object_set_string_member (care->fields, "status", "active");
  json_object_set_boolean_member (care->fields, "share_mood", TRUE);
  json_object_set_boolean_member (care->fields, "share_goals", TRUE);
  json_object_set_string_member (care->fields, "started_at", "2026-11-20T08:00:00Z");
  json_object_set_null_member (care->fields, "ended_at");
  json_object_set_null_member (care->fields, "ended_by");
  signature = tf_signed_record_sign (signer, care, revision, &error);
  g_assert_no_error (error);
  return signature;
}

/* Plants, as the operator, an active care relationship of @client with
 * @therapist sharing mood and goals; signed with @signer when not NULL.
 * Returns its id. */
static char *
plant_care (const char *client, const char *therapist, const TfSecret *signer)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *envelope = NULL, *sql = NULL;
  PGconn *conn;

  if (signer != NULL)
    {
      g_autofree char *signature = care_signed (id, client, therapist, 1, signer);

      envelope = g_strdup_printf (", author_revision = 1, author_signature = '%s'", signature);
    }
  sql = g_strdup_printf (
    "DO $$ DECLARE v bigint := nextval('sync_version_seq'); BEGIN"
    " INSERT INTO care_relationships (id, therapist_id, client_id, status, share_mood,"
    "  share_goals, started_at, version) VALUES ('%s', '%s', '%s', 'active', true, true,"
    "  '2026-11-20T08:00:00Z', v);"
    " UPDATE care_relationships SET version = v%s WHERE id = '%s';"
    " INSERT INTO sync_records (table_name, record_id, version, owner_id)"
    "  VALUES ('care_relationships', '%s', v, '%s');"
    " INSERT INTO sync_feed (user_id, table_name, record_id, version) VALUES"
    "  ('%s', 'care_relationships', '%s', v), ('%s', 'care_relationships', '%s', v); END $$",
    id, therapist, client, envelope ? envelope : "", id, id, client, client, id, therapist, id);
  conn = tf_test_pg_connect (server->conninfo);
  tf_test_pg_exec (conn, "SET session_replication_role = replica");
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
  return g_steal_pointer (&id);
}

/* Gives @user keys whose signing secret the server (the test) holds, as an
 * operator can in user_keys; the secret in @out_secret. */
static void
server_keys_for (TfTestUser *user, TfSecret **out_secret)
{
  g_autofree char *signing = NULL, *sql = NULL, *fingerprint = NULL;
  g_autoptr(GError) error = NULL;
  const char *publics[] = { user->identity_public, NULL, NULL };

  g_assert_true (tf_crypto_sign_keypair (&signing, out_secret, &error));
  publics[1] = signing;
  fingerprint = tf_crypto_fingerprint (publics);
  sql = g_strdup_printf ("UPDATE user_keys SET signing_public_key = '%s', fingerprint = '%s'"
                         " WHERE user_id = '%s' RETURNING 1", signing, fingerprint,
                         user->user_id);
  g_free (server_value (sql));
}

/* The grants in PostgreSQL to @recipient. */
static char *
grants_to (const char *recipient)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM key_grants WHERE recipient_id"
                                          " = '%s' AND deleted_at IS NULL", recipient);
  return server_value (sql);
}

/* The server invents care relationships "sharing mood and goals": one
 * unsigned with a therapist on a device of their own, one signed by a
 * therapist whose keys the server holds.  Neither is the client's: the
 * client's devices seal nothing to either, and refuse and report both
 * (unsigned; care_not_signed_by_client). */
static void
test_invented_care_shares_nothing (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *e1 = unique_email ("invented"), *e2 = unique_email ("invented");
  g_autofree char *stranger_id = NULL, *unsigned_id = NULL, *signed_id = NULL;
  g_autofree char *grants = NULL, *to_real = NULL;
  g_autoptr(TfTestUser) held = tf_test_register (server, e2, "therapist");
  g_autoptr(TfSecret) forged = NULL;
  Device *stranger = device_new ();

  practice_init (&p);
  stranger_id = register_on (stranger, e1, "therapist", NULL);
  server_keys_for (held, &forged);
  unsigned_id = plant_care (p.client_id, stranger_id, NULL);
  signed_id = plant_care (p.client_id, held->user_id, forged);

  sync_ok (p.a);
  g_free (OK (p.a, "mood", "add", "--mood", "4", "--energy", "4", "--anxiety", "7", "--note",
              secret ("a note for nobody else")));
  g_free (OK (p.a, "journal", "add", "--title", "Για τη Δήμητρα", "--content",
              secret ("for my own therapist only"), "--share"));
  g_free (OK (p.a, "goal", "add", "--title", "Sleep before midnight"));
  sync_ok (p.a);
  sync_ok (p.b);
  sync_ok (stranger);
  grants = grants_to (stranger_id);
  g_assert_cmpstr (grants, ==, "0");
  g_clear_pointer (&grants, g_free);
  grants = grants_to (held->user_id);
  g_assert_cmpstr (grants, ==, "0");
  /* The real therapist reads the shared entry. */
  to_real = grants_to (p.therapist_id);
  g_assert_cmpstr (to_real, ==, "1");
  /* An unsigned row "of this account" was refused before (unsigned). */
  g_assert_true (refused_with (p.a, "care_relationships", unsigned_id, "unsigned"));
  g_assert_true (refused_with (p.a, "care_relationships", signed_id,
                               "care_not_signed_by_client"));
  g_assert_true (refused_with (p.b, "care_relationships", signed_id,
                               "care_not_signed_by_client"));
}

/* The real relationship's row changed in PostgreSQL: its client's signature
 * altered, its therapist replaced by another (with or without a signature
 * by the new therapist's keys, which the server holds).  The client's and
 * the therapist's devices refuse each and keep what they held: the client's
 * entries go on being shared with their therapist and with nobody else. */
static void
test_altered_care_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *email = unique_email ("other");
  g_autoptr(TfTestUser) other = tf_test_register (server, email, "therapist");
  g_autoptr(TfSecret) forged = NULL;
  g_autofree char *sql = NULL, *care = NULL, *signature = NULL, *set = NULL;
  g_autofree char *grants = NULL, *original = NULL, *other_signature = NULL;

  practice_init (&p);
  server_keys_for (other, &forged);
  sql = g_strdup_printf ("SELECT id FROM care_relationships WHERE client_id = '%s'",
                         p.client_id);
  care = server_value (sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT author_signature FROM care_relationships WHERE id = '%s'",
                         care);
  original = server_value (sql);

  /* The client's signature altered (another signature's bytes): refused. */
  other_signature = care_signed (care, p.client_id, p.therapist_id, 1, forged);
  set = g_strdup_printf ("author_signature = '%s'", other_signature);
  operator_change ("care_relationships", care, set);
  sync_ok (p.a);
  sync_ok (p.t);
  g_assert_true (refused_with (p.a, "care_relationships", care, "wrong_signer"));
  g_assert_true (refused_with (p.t, "care_relationships", care, "wrong_signer"));

  /* The therapist replaced, the client's signature kept: refused. */
  g_clear_pointer (&set, g_free);
  set = g_strdup_printf ("therapist_id = '%s', author_signature = '%s'", other->user_id,
                         original);
  operator_change ("care_relationships", care, set);
  sync_ok (p.a);
  sync_ok (p.t);
  g_assert_true (refused_with (p.a, "care_relationships", care, "bad_signature"));
  g_assert_true (refused_with (p.t, "care_relationships", care, "bad_signature"));

  /* Replaced and signed by the new therapist's keys, as the server can:
   * not the client's signature, refused on both devices. */
  signature = care_signed (care, p.client_id, other->user_id, 7, forged);
  g_clear_pointer (&set, g_free);
  set = g_strdup_printf ("therapist_id = '%s', status = 'active', share_mood = true,"
                         " share_goals = true, started_at = '2026-11-20T08:00:00Z',"
                         " ended_at = NULL, ended_by = NULL, author_revision = 7,"
                         " author_signature = '%s'", other->user_id, signature);
  operator_change ("care_relationships", care, set);
  sync_ok (p.a);
  sync_ok (p.t);
  g_assert_true (refused_with (p.a, "care_relationships", care, "care_not_signed_by_client"));
  g_assert_true (refused_with (p.t, "care_relationships", care, "care_not_signed_by_client"));

  /* The client's device kept the relationship it signed: what it shares
   * now is sealed to its therapist, not to the other one (the server, which
   * decides what it serves, may withhold it from the therapist). */
  g_free (OK (p.a, "journal", "add", "--title", "Μετά", "--content",
              secret ("still for my therapist"), "--share"));
  sync_ok (p.a);
  grants = grants_to (other->user_id);
  g_assert_cmpstr (grants, ==, "0");
  g_clear_pointer (&grants, g_free);
  grants = grants_to (p.therapist_id);
  g_assert_cmpstr (grants, ==, "1");
}

/* Unsigned in the name of someone the therapist's device has never seen
 * sign: the operator plants, for a user who exists but never wrote a thing,
 * a journal entry shared with the therapist (with a grant sealed to them)
 * and a care relationship with them.  Another writer's record unsigned is
 * refused whoever the writer: both are listed among the refusals, and the
 * therapist's device shows neither.  Nor does it take an unsigned record
 * "of its own" account that it never held. */
static void
test_planted_for_stranger_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *email = unique_email ("stranger");
  g_autoptr(TfTestUser) stranger = tf_test_register (server, email, "client");
  g_autofree char *entry = g_uuid_string_random (), *care = NULL, *refusals = NULL;
  g_autofree char *own = g_uuid_string_random ();
  g_autoptr(GHashTable) journal = NULL;

  practice_init (&p);
  plant_entry_of (&p, stranger->user_id, entry, NULL);
  care = plant_care (stranger->user_id, p.therapist_id, NULL);
  plant_entry_of (&p, p.therapist_id, own, NULL);
  sync_ok (p.t);

  refusals = refusals_of (p.t);
  g_test_message ("refused: %s", refusals);
  g_assert_true (refused_with (p.t, "journal_entries", entry, "unsigned"));
  g_assert_true (refused_with (p.t, "care_relationships", care, "unsigned"));
  g_assert_true (refused_with (p.t, "journal_entries", own, "unsigned"));
  journal = journal_of (p.t);
  g_assert_false (g_hash_table_contains (journal, entry));
  g_assert_false (g_hash_table_contains (journal, own));
  g_assert_false (has_value (journal, "Planted by the server"));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM care_relationships"
                                            " WHERE client_id = '%s'", stranger->user_id);
    g_autofree char *held = device_value (p.t, sql);

    g_assert_cmpstr (held, ==, "0");
  }
}

/* Last: nothing written above is readable in the server's database or in
 * any device's files. */
static void
test_no_plaintext_anywhere (void)
{
  g_autofree char *dump = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "pg_dump", "--data-only", "-d", server->conninfo, NULL };

  g_assert_cmpuint (secrets->len, >, 10);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &dump, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (strlen (dump), >, 1000);
  for (guint i = 0; i < secrets->len; i++)
    g_assert_null (strstr (dump, g_ptr_array_index (secrets, i)));

  for (guint d = 0; d < devices->len; d++)
    {
      Device *device = g_ptr_array_index (devices, d);
      g_autoptr(GDir) dir = g_dir_open (device->dir, 0, NULL);
      const char *name;
      guint files = 0;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (device->dir, name, NULL);
          g_autofree char *bytes = NULL;
          gsize len = 0;

          g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
          files++;
          for (guint i = 0; i < secrets->len; i++)
            {
              const char *s = g_ptr_array_index (secrets, i);
              g_assert_null (memmem (bytes, len, s, strlen (s)));
            }
        }
      g_assert_cmpuint (files, >=, 1);
    }
}

/* Recovery needs no session: on a new profile, the e-mail and the recovery
 * key sign in, set a new password and bring everything back; the device
 * that had the forgotten password is signed out.  A wrong key and an
 * unknown e-mail get the same answer. */
static void
test_recover_on_new_device (void)
{
  g_autofree char *email = unique_email ("client");
  g_autofree char *recovery = NULL, *journal_id = NULL, *env_key = NULL;
  g_autofree char *other_email = unique_email ("client");
  g_autofree char *other_key = NULL, *other_env = NULL, *unknown = unique_email ("nobody");
  Device *old = device_new (), *fresh = device_new (), *other = device_new ();
  Device *probe = device_new ();
  g_auto(Run) run = { 0 };

  g_free (register_on (old, email, "client", &recovery));
  journal_id = first_line (OK (old, "journal", "add", "--title", "Πριν", "--content",
                               secret ("what the forgotten password guarded")));
  sync_ok (old);
  g_free (register_on (other, other_email, "client", &other_key));

  env_key = g_strconcat ("TF_RECOVERY_KEY=", recovery, NULL);
  other_env = g_strconcat ("TF_RECOVERY_KEY=", other_key, NULL);
  g_clear_pointer (&probe->password, g_free);
  {
    const char *wrong_key[] = { other_env, "TF_NEW_PASSWORD=whatever 1", NULL };
    const char *no_account[] = { env_key, "TF_NEW_PASSWORD=whatever 1", NULL };
    g_autofree char *first_err = NULL;

    run_env (&run, probe, wrong_key, (const char * const[]) {
      "account", "recover", "--server", server->base_url, "--email", email, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "Wrong e-mail address or recovery key"));
    first_err = g_steal_pointer (&run.err);
    run_clear (&run);
    run_env (&run, probe, no_account, (const char * const[]) {
      "account", "recover", "--server", server->base_url, "--email", unknown, NULL });
    g_assert_cmpint (run.status, ==, 1);
    g_assert_cmpstr (run.err, ==, first_err);
    run_clear (&run);
  }

  /* The new device: no password at all until the recovery sets one. */
  g_clear_pointer (&fresh->password, g_free);
  {
    const char *env[] = { env_key, "TF_NEW_PASSWORD=καινούργιος κωδικός 5", NULL };

    run_env (&run, fresh, env, (const char * const[]) {
      "account", "recover", "--server", server->base_url, "--email", email, NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "A new password is set"));
    run_clear (&run);
  }
  fresh->password = g_strdup ("καινούργιος κωδικός 5");
  sync_ok (fresh);
  {
    g_autoptr(GHashTable) entries = journal_of (fresh);

    g_assert_cmpstr (g_hash_table_lookup (entries, journal_id), ==,
                     "what the forgotten password guarded");
  }
  /* Written on the new device, it syncs out as well. */
  g_free (OK (fresh, "mood", "add", "--mood", "6", "--energy", "5", "--anxiety", "4"));
  sync_ok (fresh);
  g_assert_cmpint (status_int (fresh, "pending"), ==, 0);

  /* Whoever held the old password is signed out there: sign in again. */
  RUN (&run, old, "sync");
  g_assert_cmpint (run.status, ==, 4);
  run_clear (&run);
}

/* An account on this computer only recovers offline: the recovery key sets
 * a new password, the old one opens nothing, the data stays readable. */
static void
test_recover_local_only (void)
{
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *recovery = NULL, *env_key = NULL, *journal_id = NULL;
  Device *d = device_new ();
  g_auto(Run) run = { 0 };

  created = JSON (d, "account", "create", "--role", "client");
  recovery = g_strdup (json_object_get_string_member (json_node_get_object (created),
                                                      "recovery_key"));
  journal_id = first_line (OK (d, "journal", "add", "--title", "Μόνο εδώ", "--content",
                               secret ("kept on this computer only")));
  env_key = g_strconcat ("TF_RECOVERY_KEY=", recovery, NULL);
  {
    const char *env[] = { env_key, "TF_NEW_PASSWORD=τοπικός νέος 7", NULL };

    run_env (&run, d, env, (const char * const[]) { "account", "recover", NULL });
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "on this computer only"));
    run_clear (&run);
  }
  RUN (&run, d, "journal", "list");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "Wrong password"));
  run_clear (&run);
  g_free (d->password);
  d->password = g_strdup ("τοπικός νέος 7");
  {
    g_autofree char *shown = OK (d, "journal", "show", journal_id);

    g_assert_nonnull (strstr (shown, "kept on this computer only"));
  }
  /* Registered later, it is the new password that the server learns. */
  {
    g_autofree char *email = unique_email ("client");
    Device *other = device_new ();

    g_free (OK (d, "account", "register", "--server", server->base_url, "--email", email));
    g_free (other->password);
    other->password = g_strdup ("τοπικός νέος 7");
    g_free (OK (other, "account", "login", "--server", server->base_url, "--email", email));
  }
}

/* The sessions of an account, listed from each of its devices with that
 * device marked; one ends another's, whose next sync is refused with the
 * exit status for signing in again, and then its own, which signs it out. */
static void
test_account_sessions (void)
{
  g_autofree char *email = unique_email ("sessions");
  g_autofree char *user_id = NULL, *phone_session = NULL, *laptop_session = NULL;
  g_autoptr(JsonNode) listed = NULL, laptop_listed = NULL, revoked = NULL;
  Device *phone = device_new ();
  Device *laptop = device_new ();
  g_auto(Run) run = { 0 };
  JsonArray *sessions;

  user_id = register_on (phone, email, "client", NULL);
  g_free (OK (laptop, "account", "login", "--server", server->base_url, "--email", email));

  listed = JSON (phone, "account", "sessions");
  sessions = json_node_get_array (listed);
  g_assert_cmpuint (json_array_get_length (sessions), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *s = json_array_get_object_element (sessions, i);

      g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (s, "id")));
      g_assert_nonnull (json_object_get_string_member (s, "expires_at"));
      if (json_object_get_boolean_member (s, "current"))
        phone_session = g_strdup (json_object_get_string_member (s, "id"));
      else
        laptop_session = g_strdup (json_object_get_string_member (s, "id"));
    }
  g_assert_nonnull (phone_session);
  g_assert_nonnull (laptop_session);
  /* The laptop marks its own: the other one. */
  laptop_listed = JSON (laptop, "account", "sessions");
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *s = json_array_get_object_element (json_node_get_array (laptop_listed), i);

      g_assert_cmpint (json_object_get_boolean_member (s, "current"), ==,
                       g_str_equal (json_object_get_string_member (s, "id"), laptop_session));
    }
  RUN (&run, phone, "account", "sessions");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, phone_session));
  g_assert_nonnull (strstr (strstr (run.out, phone_session), "(this device)"));
  g_assert_null (strstr (strstr (run.out, "(this device)") + 1, "(this device)"));
  run_clear (&run);

  /* Not an id: bad arguments.  An id of nobody's session: refused. */
  RUN (&run, phone, "account", "revoke", "laptop");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  {
    g_autofree char *nobody = g_uuid_string_random ();

    RUN (&run, phone, "account", "revoke", nobody);
    g_assert_cmpint (run.status, ==, 1);
    g_assert_nonnull (strstr (run.err, "No live sign-in"));
    run_clear (&run);
  }

  /* The phone ends the laptop's session: its next sync says to sign in. */
  RUN (&run, phone, "account", "revoke", laptop_session);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "must sign in again"));
  run_clear (&run);
  g_free (OK (laptop, "journal", "add", "--title", "t", "--content",
              secret ("written after the laptop was signed out")));
  RUN (&run, laptop, "sync");
  g_assert_cmpint (run.status, ==, 4);
  g_assert_nonnull (strstr (run.err, "log in again"));
  run_clear (&run);
  g_assert_cmpint (status_int (laptop, "pending"), ==, 1);
  g_free (OK (laptop, "account", "login", "--server", server->base_url, "--email", email));
  sync_ok (laptop);
  g_assert_cmpint (status_int (laptop, "pending"), ==, 0);

  /* The phone ends its own: it is signed out, its data stays. */
  revoked = JSON (phone, "account", "revoke", phone_session);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (revoked), "this_device"));
  RUN (&run, phone, "sync");
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "logged out"));
  run_clear (&run);
  g_free (OK (phone, "journal", "list"));
}

/* The two-step sign-in from the CLI, with codes computed as an
 * authenticator app does: set up, turned on, asked for at login (its own
 * exit status without one), a wrong code refused, the right one signs in,
 * and turned off with a code from TF_TOTP_CODE. */
static void
test_account_mfa (void)
{
  g_autofree char *email = unique_email ("mfa");
  g_autofree char *user_id = NULL, *wrong = NULL, *code = NULL, *env = NULL;
  g_autoptr(JsonNode) setup = NULL;
  Device *d = device_new ();
  Device *other = device_new ();
  Device *third = device_new ();
  g_auto(Run) run = { 0 };
  const char *secret_b32, *uri;
  gint64 last_step = -1;

  user_id = register_on (d, email, "client", NULL);
  setup = JSON (d, "account", "mfa", "setup");
  uri = json_object_get_string_member (json_node_get_object (setup), "otpauth_uri");
  secret_b32 = json_object_get_string_member (json_node_get_object (setup), "secret");
  g_assert_true (g_str_has_prefix (uri, "otpauth://totp/"));
  g_assert_nonnull (strstr (uri, secret_b32));
  wrong = tf_test_totp_wrong_code (secret_b32);

  RUN (&run, d, "account", "mfa", "enable", "--code", wrong);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "wrong or was already used"));
  run_clear (&run);
  RUN (&run, d, "account", "mfa", "sideways");
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);
  code = tf_test_totp_next_code (secret_b32, &last_step);
  RUN (&run, d, "account", "mfa", "enable", "--code", code);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Two-step sign-in is on"));
  run_clear (&run);
  g_clear_pointer (&code, g_free);

  /* Another device: no code, then a wrong one, then the right one. */
  RUN (&run, other, "account", "login", "--server", server->base_url, "--email", email);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "--totp"));
  run_clear (&run);
  RUN (&run, other, "account", "login", "--server", server->base_url, "--email", email,
       "--totp", wrong);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "code is wrong"));
  run_clear (&run);
  code = tf_test_totp_next_code (secret_b32, &last_step);
  g_free (OK (other, "account", "login", "--server", server->base_url, "--email", email,
              "--totp", code));
  g_clear_pointer (&code, g_free);
  sync_ok (other);

  /* Off, with the code from the environment: a login needs none again. */
  code = tf_test_totp_next_code (secret_b32, &last_step);
  env = g_strconcat ("TF_TOTP_CODE=", code, NULL);
  RUN_ENV (&run, d, env, "account", "mfa", "disable");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Two-step sign-in is off"));
  run_clear (&run);
  g_free (OK (third, "account", "login", "--server", server->base_url, "--email", email));
}

/* What this device refused from the server (sync_refused, as a check that
 * found a forged grant leaves it) is listed by `status`, in JSON and in
 * words, and goes when the server sends a later version of the record,
 * written on the account's other device. */
static void
test_refused_listed (void)
{
  g_autofree char *email = unique_email ("client");
  g_autofree char *id = NULL, *db_path = NULL, *text = NULL;
  g_autoptr(JsonObject) st = NULL;
  Device *a = device_new (), *b = device_new ();
  JsonArray *refusals;
  JsonObject *r;
  char *sql;
  sqlite3 *db;

  g_free (register_on (a, email, "client", NULL));
  g_free (OK (b, "account", "login", "--server", server->base_url, "--email", email));
  id = first_line (OK (a, "journal", "add", "--title", "t", "--content", secret ("ein Satz")));
  sync_ok (a);
  sync_ok (b);
  db_path = g_build_filename (a->dir, "profile.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sql = sqlite3_mprintf ("INSERT INTO sync_refused (table_name, record_id, version, code, message,"
                         " refused_at) SELECT 'journal_entries', id, version, 'bad_signature',"
                         " 'forged', '2026-12-01T10:00:00Z' FROM journal_entries WHERE id = %Q",
                         id);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (sql);
  sqlite3_close (db);

  st = status_of (a);
  g_assert_cmpint (json_object_get_int_member (st, "refused"), ==, 1);
  refusals = json_object_get_array_member (st, "refusals");
  r = json_array_get_object_element (refusals, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "table"), ==, "journal_entries");
  g_assert_cmpstr (json_object_get_string_member (r, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (r, "code"), ==, "bad_signature");
  text = OK (a, "status");
  g_assert_nonnull (strstr (text, "Records from the server refused here: 1\n"));
  g_assert_nonnull (strstr (text, id));

  /* A later version from the phone: judged afresh, the refusal goes. */
  g_free (OK (b, "journal", "edit", id, "--content", secret ("ein anderer Satz")));
  sync_ok (b);
  sync_ok (a);
  g_assert_cmpint (status_int (a, "refused"), ==, 0);
}

/* --- as a malicious server (issue 19): PostgreSQL changed directly ------------ */

/* Runs @sql (printf-style) on the server's database. */
static void server_exec (const char *format, ...) G_GNUC_PRINTF (1, 2);

static void
server_exec (const char *format, ...)
{
  PGconn *conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  tf_test_pg_exec (conn, sql);
  PQfinish (conn);
}

/* Record @id of @table as written in PostgreSQL goes to the pulls of @owner
 * and @reader at a new version, as the server's own writes do: what a
 * device then pulls is whatever the database holds. */
static void
server_publish (const char *table, const char *id, const char *owner, const char *reader)
{
  server_exec ("UPDATE %s SET version = nextval('sync_version_seq') WHERE id = '%s';"
               "INSERT INTO sync_records (table_name, record_id, version, owner_id)"
               " SELECT '%s', id, version, '%s' FROM %s WHERE id = '%s'"
               " ON CONFLICT (table_name, record_id) DO UPDATE SET version = excluded.version;"
               "INSERT INTO sync_feed (user_id, table_name, record_id, version)"
               " SELECT u, '%s', t.id, t.version FROM %s t, unnest(ARRAY['%s', '%s']::uuid[]) u"
               " WHERE t.id = '%s' ON CONFLICT (user_id, table_name, record_id)"
               " DO UPDATE SET version = excluded.version, revoked = false",
               table, id, table, owner, table, id, table, table, owner, reader, id);
}

/* The sealed key and signature texts of a grant the "server" makes: @key
 * sealed to @recipient's identity key as PostgreSQL holds it, and signed by
 * @signer (NULL: by nobody) over what the grant says. */
static void
forge_grant (const char *grant_id, const char *table, const char *record_id, const char *owner,
             const char *recipient, const TfSecret *key, const TfSecret *signer,
             char **out_sealed, char **out_signature)
{
  g_autofree char *sql = g_strdup_printf ("SELECT identity_public_key FROM user_keys"
                                          " WHERE user_id = '%s'", recipient);
  g_autofree char *identity = server_value (sql);
  g_autoptr(GError) error = NULL;
  TfRecord grant = { .table = tf_registry_lookup ("key_grants"), .id = (char *) grant_id };

  *out_sealed = tf_crypto_seal_key (identity, key, &error);
  g_assert_no_error (error);
  *out_signature = NULL;
  if (signer == NULL)
    return;
  grant.fields = json_object_new ();
  json_object_set_string_member (grant.fields, "table_name", table);
  json_object_set_string_member (grant.fields, "record_id", record_id);
  json_object_set_string_member (grant.fields, "owner_id", owner);
  json_object_set_string_member (grant.fields, "recipient_id", recipient);
  json_object_set_string_member (grant.fields, "sealed_key", *out_sealed);
  *out_signature = tf_signed_grant_sign (signer, &grant, 1, &error);
  g_assert_no_error (error);
  json_object_unref (grant.fields);
}

/* The refusals @d's status lists, as "table id code" lines. */
static char *
refusals_of (Device *d)
{
  g_autoptr(JsonObject) st = status_of (d);
  JsonArray *list = json_object_get_array_member (st, "refusals");
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

/* The server plants a journal entry "of the client" under a key of its own,
 * with a grant of that key sealed to the therapist (the proxy attack of
 * issue 19), once signed by nobody and once by a key it made up: the
 * therapist's device uses neither, shows neither text, and reports both;
 * the client's real shared entry still reads. */
static void
test_forged_grant_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(TfSecret) server_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(TfSecret) made_up = NULL;
  g_autofree char *made_up_public = NULL, *real_id = NULL, *refusals = NULL;
  g_autoptr(GHashTable) on_t = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;
  const char *texts[] = { "planted by the server, unsigned", "planted by the server, signed" };
  char *entries[2], *grants[2];

  g_assert_true (tf_crypto_sign_keypair (&made_up_public, &made_up, &error));
  practice_init (&p);
  real_id = first_line (OK (p.a, "journal", "add", "--title", "real", "--content",
                            secret ("what I really wrote"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, real_id), ==, "what I really wrote");

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *content = NULL, *sealed = NULL, *signature = NULL;

      entries[i] = g_uuid_string_random ();
      grants[i] = g_uuid_string_random ();
      content = tf_crypto_encrypt_field (server_key, "journal_entries", entries[i], "content",
                                         texts[i], &error);
      g_assert_no_error (error);
      server_exec ("INSERT INTO journal_entries (id, user_id, content, therapist_shared)"
                   " VALUES ('%s', '%s', '%s', true)", entries[i], p.client_id, content);
      server_publish ("journal_entries", entries[i], p.client_id, p.therapist_id);
      forge_grant (grants[i], "journal_entries", entries[i], p.client_id, p.therapist_id,
                   server_key, i == 1 ? made_up : NULL, &sealed, &signature);
      server_exec ("INSERT INTO key_grants (id, table_name, record_id, owner_id, recipient_id,"
                   " sealed_key, signature, counter) VALUES ('%s', 'journal_entries', '%s', '%s',"
                   " '%s', '%s', %s%s%s, %s)", grants[i], entries[i], p.client_id,
                   p.therapist_id, sealed, signature ? "'" : "", signature ? signature : "NULL",
                   signature ? "'" : "", signature ? "1" : "NULL");
      server_publish ("key_grants", grants[i], p.client_id, p.therapist_id);
    }

  report = JSON (p.t, "sync");
  /* The two grants, and the two entries, which their "author" did not sign
   * (tf-vault-verify.c). */
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "refused"), ==, 4);
  on_t = (g_hash_table_unref (on_t), journal_of (p.t));
  g_assert_cmpstr (g_hash_table_lookup (on_t, real_id), ==, "what I really wrote");
  g_assert_false (has_value (on_t, texts[0]));
  g_assert_false (has_value (on_t, texts[1]));
  refusals = refusals_of (p.t);
  g_test_message ("refused: %s", refusals);
  {
    g_autofree char *unsigned_line = g_strdup_printf ("key_grants %s grant_unsigned\n", grants[0]);
    g_autofree char *forged_line = g_strdup_printf ("key_grants %s grant_forged\n", grants[1]);

    g_assert_nonnull (strstr (refusals, unsigned_line));
    g_assert_nonnull (strstr (refusals, forged_line));
  }
  /* Told once: the next sync finds nothing new. */
  json_node_unref (report);
  report = JSON (p.t, "sync");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "refused"), ==, 0);
  for (guint i = 0; i < 2; i++)
    {
      g_free (entries[i]);
      g_free (grants[i]);
    }
}

/* The server changes a real grant: its sealed key replaced by one of its own
 * key (and the entry's text by one under that key), then — the sealed key
 * restored — one character of its signature.  The therapist's device
 * refuses the grant each time and never shows the server's text; once the
 * client's device signs the grant anew (its next sync finds the grant in
 * its name it did not sign), the real entry reads again. */
static void
test_altered_grant_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(TfSecret) server_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autoptr(GHashTable) on_t = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL, *grant = NULL, *sql = NULL, *sealed = NULL, *unused = NULL;
  g_autofree char *content = NULL, *real_sealed = NULL, *real_content = NULL, *real_title = NULL;
  g_autofree char *signature = NULL, *refusals = NULL, *line = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "real", "--content",
                       secret ("the real text"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  sql = g_strdup_printf ("SELECT id FROM key_grants WHERE record_id = '%s' AND recipient_id = '%s'"
                         " AND deleted_at IS NULL", id, p.therapist_id);
  grant = server_value (sql);
  g_free (sql);
  sql = g_strdup_printf ("SELECT sealed_key || ' ' || content || ' ' || title || ' ' || signature"
                         " FROM key_grants g, journal_entries j WHERE g.id = '%s' AND j.id = '%s'",
                         grant, id);
  {
    g_autofree char *row = server_value (sql);
    g_auto(GStrv) parts = g_strsplit (row, " ", 4);

    real_sealed = g_strdup (parts[0]);
    real_content = g_strdup (parts[1]);
    real_title = g_strdup (parts[2]);
    signature = g_strdup (parts[3]);
  }

  forge_grant (grant, "journal_entries", id, p.client_id, p.therapist_id, server_key, NULL,
               &sealed, &unused);
  content = tf_crypto_encrypt_field (server_key, "journal_entries", id, "content",
                                     "the server's text", &error);
  g_assert_no_error (error);
  server_exec ("UPDATE key_grants SET sealed_key = '%s' WHERE id = '%s';"
               "UPDATE journal_entries SET content = '%s', title = NULL WHERE id = '%s'", sealed,
               grant, content, id);
  server_publish ("key_grants", grant, p.client_id, p.therapist_id);
  server_publish ("journal_entries", id, p.client_id, p.therapist_id);
  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_false (has_value (on_t, "the server's text"));
  refusals = refusals_of (p.t);
  line = g_strdup_printf ("key_grants %s grant_forged\n", grant);
  g_assert_nonnull (strstr (refusals, line));

  /* The sealed key and text back, the signature changed in one place. */
  {
    gsize at = strlen ("tfs1:") + 40 + 1 + 10;  /* within the signature's bytes */

    signature[at] = signature[at] == 'A' ? 'B' : 'A';
  }
  server_exec ("UPDATE key_grants SET sealed_key = '%s', signature = '%s' WHERE id = '%s';"
               "UPDATE journal_entries SET content = '%s', title = '%s' WHERE id = '%s'",
               real_sealed, signature, grant, real_content, real_title, id);
  server_publish ("key_grants", grant, p.client_id, p.therapist_id);
  server_publish ("journal_entries", id, p.client_id, p.therapist_id);
  sync_ok (p.t);
  on_t = (g_hash_table_unref (on_t), journal_of (p.t));
  g_assert_true (g_hash_table_contains (on_t, id));
  g_assert_cmpstr (g_hash_table_lookup (on_t, id), !=, "the real text");
  g_free (refusals);
  refusals = refusals_of (p.t);
  g_assert_nonnull (strstr (refusals, line));

  /* The client's device finds the grant in its name with a signature it did
   * not make, says so, and signs it anew; the therapist reads again. */
  {
    g_autoptr(JsonNode) report = JSON (p.a, "sync");
    g_autofree char *own = NULL;

    g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "refused"),
                     ==, 1);
    own = refusals_of (p.a);
    g_assert_nonnull (strstr (own, line));
  }
  sync_ok (p.t);
  on_t = (g_hash_table_unref (on_t), journal_of (p.t));
  g_assert_cmpstr (g_hash_table_lookup (on_t, id), ==, "the real text");
  g_assert_cmpint (status_int (p.t, "refused"), ==, 0);
}

/* The server writes a grant in the client's name, of a private entry's key
 * to the therapist, signed by a key it made up: the client's device reports
 * it (once), and deletes it, since the therapist should not read the entry;
 * the therapist's device refuses it too. */
static void
test_owner_reports_grant_not_its_own (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(TfSecret) made_up = NULL, some_key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *made_up_public = NULL, *id = NULL, *grant = g_uuid_string_random ();
  g_autofree char *sealed = NULL, *signature = NULL, *refusals = NULL, *line = NULL;
  g_autofree char *sql = NULL, *left = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_crypto_sign_keypair (&made_up_public, &made_up, &error));
  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "mine", "--content",
                       secret ("only mine")));
  sync_ok (p.a);
  forge_grant (grant, "journal_entries", id, p.client_id, p.therapist_id, some_key, made_up,
               &sealed, &signature);
  server_exec ("INSERT INTO key_grants (id, table_name, record_id, owner_id, recipient_id,"
               " sealed_key, signature, counter) VALUES ('%s', 'journal_entries', '%s', '%s',"
               " '%s', '%s', '%s', 1)", grant, id, p.client_id, p.therapist_id, sealed,
               signature);
  server_publish ("key_grants", grant, p.client_id, p.therapist_id);

  report = JSON (p.a, "sync");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "refused"), ==, 1);
  refusals = refusals_of (p.a);
  line = g_strdup_printf ("key_grants %s grant_forged\n", grant);
  g_assert_nonnull (strstr (refusals, line));
  /* The grant is gone on the server: the client's device deleted it. */
  sql = g_strdup_printf ("SELECT count(*) FROM key_grants WHERE id = '%s'"
                         " AND deleted_at IS NULL", grant);
  left = server_value (sql);
  g_assert_cmpstr (left, ==, "0");
}

/* A grant from before signatures (the server's copy as older versions
 * wrote it: no signature, no counter): the therapist's device refuses it,
 * the client's device takes it as its own from before and signs it (sealing
 * the key again) without a word, and the therapist reads again. */
static void
test_grant_from_before_signed (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(GHashTable) on_t = NULL;
  g_autofree char *id = NULL, *grant = NULL, *sql = NULL, *signature = NULL;
  g_autoptr(JsonNode) report = NULL;

  practice_init (&p);
  id = first_line (OK (p.a, "journal", "add", "--title", "old", "--content",
                       secret ("shared before signatures"), "--share"));
  sync_ok (p.a);
  sql = g_strdup_printf ("SELECT id FROM key_grants WHERE record_id = '%s' AND recipient_id = '%s'"
                         " AND deleted_at IS NULL", id, p.therapist_id);
  grant = server_value (sql);
  server_exec ("UPDATE key_grants SET signature = NULL, counter = NULL WHERE id = '%s'", grant);
  server_publish ("key_grants", grant, p.client_id, p.therapist_id);
  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_true (g_hash_table_contains (on_t, id));
  g_assert_cmpstr (g_hash_table_lookup (on_t, id), !=, "shared before signatures");
  g_assert_cmpint (status_int (p.t, "refused"), ==, 1);

  report = JSON (p.a, "sync");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (report), "refused"), ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT signature FROM key_grants WHERE id = '%s'", grant);
  signature = server_value (sql);
  g_assert_true (g_str_has_prefix (signature, "tfs1:"));
  sync_ok (p.t);
  on_t = (g_hash_table_unref (on_t), journal_of (p.t));
  g_assert_cmpstr (g_hash_table_lookup (on_t, id), ==, "shared before signatures");
  g_assert_cmpint (status_int (p.t, "refused"), ==, 0);
}

/* The safety number of a pair, as one side's CLI shows it (--json). */
static JsonObject *
safety_of (Device *d, const char *command, const char *other, const char *language)
{
  g_autoptr(JsonNode) node = JSON (d, command, "verify", other, "--language", language);

  return json_object_ref (json_node_get_object (node));
}

static char *
words_of (JsonObject *info)
{
  JsonArray *words = json_object_get_array_member (info, "words");
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (words); i++)
    g_string_append_printf (out, "%s%s", i > 0 ? " " : "",
                            json_array_get_string_element (words, i));
  return g_string_free (out, FALSE);
}

/* Safety numbers: both sides of a care relationship see the same digits
 * and, per language, the same words; one marks it verified with the digits
 * it compared (others refused); when the server presents other keys for
 * the therapist, the client is warned (verify exits 5 and says so, sync and
 * status say so, also on a device that only notices at its next daily
 * check), the mark drops and the old keys stay pinned until the client
 * compares the new number and confirms it. */
static void
test_safety_number (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(JsonObject) on_client = NULL, on_therapist = NULL, greek_c = NULL, greek_t = NULL;
  g_autoptr(JsonObject) changed = NULL, accepted = NULL;
  g_autoptr(JsonNode) changed_node = NULL;
  g_autoptr(JsonNode) own = NULL;
  g_autofree char *words_c = NULL, *words_t = NULL, *greek_words_c = NULL;
  g_autofree char *greek_words_t = NULL, *identity = NULL, *signing = NULL, *fingerprint = NULL;
  g_autofree char *sql = NULL, *db_path = NULL, *pinned = NULL, *confirm = NULL;
  g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  sqlite3 *db;

  practice_init (&p);
  on_client = safety_of (p.a, "therapist", p.therapist_id, "en");
  on_therapist = safety_of (p.t, "client", p.client_id, "en");
  g_assert_cmpstr (json_object_get_string_member (on_client, "digits"), ==,
                   json_object_get_string_member (on_therapist, "digits"));
  g_assert_cmpuint (strlen (json_object_get_string_member (on_client, "digits")), ==, 59);
  words_c = words_of (on_client);
  words_t = words_of (on_therapist);
  g_assert_cmpstr (words_c, ==, words_t);
  greek_c = safety_of (p.a, "therapist", p.therapist_id, "el");
  greek_t = safety_of (p.t, "client", p.client_id, "el");
  greek_words_c = words_of (greek_c);
  greek_words_t = words_of (greek_t);
  g_assert_cmpstr (greek_words_c, ==, greek_words_t);
  g_assert_cmpstr (greek_words_c, !=, words_c);
  g_assert_false (json_object_get_boolean_member (on_client, "verified"));
  /* Each side's own fingerprint is what the other holds for it. */
  own = JSON (p.a, "keys", "fingerprint");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own), "fingerprint"), ==,
                   json_object_get_string_member (on_therapist, "fingerprint"));
  /* Human form: digits and words, and how to confirm. */
  RUN (&run, p.a, "therapist", "verify", p.therapist_id);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Not verified"));
  g_assert_nonnull (strstr (run.out, "--confirm"));
  g_assert_nonnull (strstr (run.out, json_array_get_string_element (
                                       json_object_get_array_member (on_client, "words"), 19)));
  run_clear (&run);

  /* Other digits are refused and mark nothing; the compared ones mark it. */
  RUN (&run, p.a, "therapist", "verify", p.therapist_id, "--confirm", "12345 67890");
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (strstr (run.err, "nothing was marked"));
  run_clear (&run);
  g_clear_pointer (&on_client, json_object_unref);
  on_client = safety_of (p.a, "therapist", p.therapist_id, "en");
  g_assert_false (json_object_get_boolean_member (on_client, "verified"));
  g_free (OK (p.a, "therapist", "verify", p.therapist_id, "--confirm",
              json_object_get_string_member (on_client, "digits")));
  g_clear_pointer (&on_client, json_object_unref);
  on_client = safety_of (p.a, "therapist", p.therapist_id, "en");
  g_assert_true (json_object_get_boolean_member (on_client, "verified"));
  g_assert_false (json_object_get_boolean_member (on_client, "key_changed"));

  /* The server presents other keys for the therapist. */
  g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing, &signing_secret, &error));
  g_assert_no_error (error);
  {
    const char *publics[] = { identity, signing, NULL };
    fingerprint = tf_crypto_fingerprint (publics);
  }
  sql = g_strdup_printf ("UPDATE user_keys SET identity_public_key = '%s',"
                         " signing_public_key = '%s', fingerprint = '%s' WHERE user_id = '%s'"
                         " RETURNING user_id", identity, signing, fingerprint, p.therapist_id);
  g_free (server_value (sql));

  RUN (&run, p.a, "--json", "therapist", "verify", p.therapist_id, "--language", "en");
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (strstr (run.err, "keys of Δήμητρα Αλεξίου changed"));
  changed_node = json_from_string (run.out, &error);
  g_assert_no_error (error);
  changed = json_object_ref (json_node_get_object (changed_node));
  g_assert_true (json_object_get_boolean_member (changed, "key_changed"));
  g_assert_false (json_object_get_boolean_member (changed, "verified"));
  g_assert_cmpstr (json_object_get_string_member (changed, "fingerprint"), ==, fingerprint);
  g_assert_cmpstr (json_object_get_string_member (changed, "previous_fingerprint"), ==,
                   json_object_get_string_member (on_client, "fingerprint"));
  g_assert_cmpstr (json_object_get_string_member (changed, "digits"), !=,
                   json_object_get_string_member (on_client, "digits"));
  run_clear (&run);
  /* The old keys stay pinned: nothing is sealed to the new ones. */
  db_path = g_build_filename (p.a->dir, "profile.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  {
    sqlite3_stmt *q = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT fingerprint FROM known_keys"
                                             " WHERE user_id = ?1", -1, &q, NULL), ==, SQLITE_OK);
    sqlite3_bind_text (q, 1, p.therapist_id, -1, SQLITE_STATIC);
    g_assert_cmpint (sqlite3_step (q), ==, SQLITE_ROW);
    pinned = g_strdup ((const char *) sqlite3_column_text (q, 0));
    sqlite3_finalize (q);
  }
  sqlite3_close (db);
  g_assert_cmpstr (pinned, ==, json_object_get_string_member (on_client, "fingerprint"));
  /* Sync and status say so too. */
  RUN (&run, p.a, "sync");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Warning: The keys of Δήμητρα Αλεξίου changed"));
  run_clear (&run);
  g_assert_cmpint (status_int (p.a, "key_changes"), ==, 1);

  /* The client's phone checked the keys less than a day ago: its sync asks
   * nothing.  A day later it asks again and notices. */
  sync_ok (p.b);
  g_assert_cmpint (status_int (p.b, "key_changes"), ==, 0);
  g_clear_pointer (&db_path, g_free);
  db_path = g_build_filename (p.b->dir, "profile.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE known_keys SET fetched_at = '2020-01-01T00:00:00Z'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  RUN (&run, p.b, "sync");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Warning: The keys of Δήμητρα Αλεξίου changed"));
  run_clear (&run);
  g_assert_cmpint (status_int (p.b, "key_changes"), ==, 1);

  /* The client compares the new number and accepts it. */
  confirm = g_strdup (json_object_get_string_member (changed, "digits"));
  g_free (OK (p.a, "therapist", "verify", p.therapist_id, "--confirm", confirm));
  accepted = safety_of (p.a, "therapist", p.therapist_id, "en");
  g_assert_true (json_object_get_boolean_member (accepted, "verified"));
  g_assert_false (json_object_get_boolean_member (accepted, "key_changed"));
  g_assert_cmpstr (json_object_get_string_member (accepted, "fingerprint"), ==, fingerprint);
  g_assert_cmpint (status_int (p.a, "key_changes"), ==, 0);
}


/* The safety number @d's verify shows for @other while their keys changed
 * (exit 5), parsed. */
static JsonObject *
changed_safety_of (Device *d, const char *command, const char *other)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  RUN (&run, d, "--json", command, "verify", other, "--language", "en");
  g_assert_cmpint (run.status, ==, 5);
  node = json_from_string (run.out, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

/* A rotation killed after the server took the new keys and before this
 * device kept them (kill point rotate-answered): the device still signs
 * with its old keys (contacts take them as the new ones' previous), and
 * the next `keys rotate` finishes that rotation — it takes the keys the
 * server holds, which it kept in account.rotating, instead of making
 * others (the server would refuse a rotation from keys it no longer
 * holds) — and seals the shares again with them; one rotation in all. */
static void
test_key_rotation_interrupted (void)
{
  g_auto(Practice) p = { 0 };
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) own = NULL, rotated = NULL;
  g_autofree char *sql = NULL, *on_server = NULL, *n_rotations = NULL, *local = NULL;

  practice_init (&p);
  g_free (OK (p.a, "journal", "add", "--title", "shared", "--content",
              secret ("shared before the interrupted rotation"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  own = JSON (p.a, "keys", "fingerprint");
  local = g_strdup (json_object_get_string_member (json_node_get_object (own), "fingerprint"));

  RUN_ENV (&run, p.a, "TF_DEBUG_KILL_AT=rotate-answered", "keys", "rotate", "--yes");
  g_assert_cmpint (run.status, ==, -SIGKILL);
  run_clear (&run);
  sql = g_strdup_printf ("SELECT fingerprint FROM user_keys WHERE user_id = '%s'", p.client_id);
  on_server = server_value (sql);
  g_assert_cmpstr (on_server, !=, local);
  /* Meanwhile the device works and syncs with its old keys. */
  g_clear_pointer (&own, json_node_unref);
  own = JSON (p.a, "keys", "fingerprint");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own), "fingerprint"), ==,
                   local);
  sync_ok (p.a);

  rotated = JSON (p.a, "keys", "rotate", "--yes");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (rotated), "fingerprint"),
                   ==, on_server);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (rotated),
                                               "grants_resealed"), >=, 1);
  g_clear_pointer (&own, json_node_unref);
  own = JSON (p.a, "keys", "fingerprint");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own), "fingerprint"), ==,
                   on_server);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM user_key_rotations WHERE user_id = '%s'",
                         p.client_id);
  n_rotations = server_value (sql);
  g_assert_cmpstr (n_rotations, ==, "1");
  sync_ok (p.a);
  sync_ok (p.t);
  {
    g_autofree char *refusals = refusals_of (p.t);

    g_test_message ("refused: %s", refusals);
    g_assert_null (strstr (refusals, "key_grants"));
  }
}

/* After a lost device: a rotation ends every other session of the account,
 * in its own transaction, and keeps the rotating device's.  The client's
 * other device (holding the old keys and a session, as a lost one would)
 * is refused at its next sync as signed out, with what it wrote kept; signed
 * in again, it holds the new keys and sends what it kept. */
static void
test_key_rotation_signs_out_others (void)
{
  g_auto(Practice) p = { 0 };
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) rotated = NULL, own = NULL;
  g_autofree char *sql = NULL, *live = NULL, *audited = NULL, *fingerprint = NULL;

  practice_init (&p);
  /* Asked first, the person is told. */
  RUN (&run, p.a, "keys", "rotate");
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "signed out"));
  run_clear (&run);
  rotated = JSON (p.a, "keys", "rotate", "--yes");
  fingerprint = g_strdup (json_object_get_string_member (json_node_get_object (rotated),
                                                         "fingerprint"));
  sql = g_strdup_printf ("SELECT count(*) FROM auth_sessions WHERE user_id = '%s'"
                         " AND revoked_at IS NULL", p.client_id);
  live = server_value (sql);
  g_assert_cmpstr (live, ==, "1");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT new_values->>'sessions_ended' FROM audit_logs"
                         " WHERE user_id = '%s' AND action = 'keys_rotated'", p.client_id);
  audited = server_value (sql);
  g_assert_cmpstr (audited, ==, "1");
  /* The rotating device keeps its session. */
  sync_ok (p.a);

  g_free (OK (p.b, "journal", "add", "--title", "t", "--content",
              secret ("written on the other device after the rotation")));
  /* Told why: not just "signed out", the keys were replaced elsewhere
   * (the server's stable code, kept with the session it revoked). */
  RUN (&run, p.b, "sync");
  g_assert_cmpint (run.status, ==, 4);
  g_test_message ("the other device: %s", run.err);
  g_assert_nonnull (strstr (run.err, "keys were replaced on another device"));
  g_assert_nonnull (strstr (run.err, "log in again with your password"));
  run_clear (&run);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM auth_sessions WHERE user_id = '%s'"
                         " AND revoke_reason = 'keys_replaced'", p.client_id);
  g_clear_pointer (&live, g_free);
  live = server_value (sql);
  g_assert_cmpstr (live, ==, "1");
  g_assert_cmpint (status_int (p.b, "pending"), ==, 1);
  g_free (OK (p.b, "account", "login", "--server", server->base_url, "--email",
              p.client_email));
  own = JSON (p.b, "keys", "fingerprint");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own), "fingerprint"), ==,
                   fingerprint);
  sync_ok (p.b);
  g_assert_cmpint (status_int (p.b, "pending"), ==, 0);
  sync_ok (p.a);
  {
    g_autoptr(JsonNode) list = JSON (p.a, "journal", "list");

    g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  }
}

/* The client rotates their keys (a lost device, say): the server takes the
 * new keys only signed by the old key; the therapist's device warns that
 * the client rotated them (a signed rotation), uses nothing signed with
 * the new keys until the therapist compares the new number, and then reads
 * the client's entries of before and after; what the therapist shares is
 * sealed to the new key then, which the old private key does not open.  A
 * key replaced in PostgreSQL (with a "rotation" signed by a key the server
 * made) is told apart: not a signed rotation. */
static void
test_key_rotation (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(GHashTable) on_t = NULL;
  g_autoptr(JsonNode) rotated = NULL, own = NULL;
  g_autoptr(JsonObject) before = NULL, changed = NULL, after = NULL, planted = NULL;
  g_autofree char *old_id = NULL, *new_id = NULL, *sql = NULL, *identity_now = NULL;
  g_autofree char *old_identity = NULL, *n_rotations = NULL, *confirm = NULL;
  g_autofree char *identity = NULL, *signing = NULL, *fingerprint = NULL;
  g_autofree char *statement = NULL, *by_made_up = NULL;
  g_autoptr(TfSecret) identity_secret = NULL, signing_secret = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  practice_init (&p);
  old_id = first_line (OK (p.a, "journal", "add", "--title", "before", "--content",
                           secret ("written before the rotation"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, old_id), ==, "written before the rotation");
  before = safety_of (p.t, "client", p.client_id, "en");
  sql = g_strdup_printf ("SELECT identity_public_key FROM user_keys WHERE user_id = '%s'",
                         p.client_id);
  old_identity = server_value (sql);

  /* Asked first; --yes rotates. */
  RUN (&run, p.a, "keys", "rotate");
  g_assert_cmpint (run.status, !=, 0);
  g_assert_nonnull (strstr (run.err, "--yes"));
  run_clear (&run);
  rotated = JSON (p.a, "keys", "rotate", "--yes");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (rotated),
                                               "grants_resealed"), ==, 1);
  own = JSON (p.a, "keys", "fingerprint");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own), "fingerprint"), ==,
                   json_object_get_string_member (json_node_get_object (rotated),
                                                  "fingerprint"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (own), "fingerprint"), !=,
                   json_object_get_string_member (before, "fingerprint"));
  identity_now = server_value (sql);
  g_assert_cmpstr (identity_now, !=, old_identity);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM user_key_rotations WHERE user_id = '%s'",
                         p.client_id);
  n_rotations = server_value (sql);
  g_assert_cmpstr (n_rotations, ==, "1");
  /* The server's audit trail has it, from which keys to which. */
  {
    g_autofree char *audit_sql =
      g_strdup_printf ("SELECT new_values->>'fingerprint' FROM audit_logs WHERE user_id = '%s'"
                       " AND action = 'keys_rotated' AND table_name = 'user_keys'",
                       p.client_id);
    g_autofree char *audited = server_value (audit_sql);

    g_assert_cmpstr (audited, ==, json_object_get_string_member (json_node_get_object (rotated),
                                                                  "fingerprint"));
  }
  /* The client's own device still reads its entry and writes a new one. */
  new_id = first_line (OK (p.a, "journal", "add", "--title", "after", "--content",
                           secret ("written after the rotation"), "--share"));
  sync_ok (p.a);

  /* The therapist's device: a signed rotation, warned; nothing signed with
   * the new keys is used yet. */
  sync_ok (p.t);
  changed = changed_safety_of (p.t, "client", p.client_id);
  g_assert_true (json_object_get_boolean_member (changed, "key_changed"));
  g_assert_true (json_object_get_boolean_member (changed, "rotation_signed"));
  RUN (&run, p.t, "client", "verify", p.client_id, "--language", "en");
  g_assert_cmpint (run.status, ==, 5);
  g_assert_nonnull (strstr (run.err, "rotated their keys"));
  run_clear (&run);
  /* What the client signs with the new keys counts (the old key vouched
   * for them), so both entries read; sharing to the new keys waits.  (The
   * directory's records of the therapist whose keys the safety number's
   * test replaced in PostgreSQL are refused here, as they should be.) */
  {
    g_autofree char *refusals = refusals_of (p.t);

    g_assert_null (strstr (refusals, "journal_entries"));
    g_assert_null (strstr (refusals, "key_grants"));
  }
  g_clear_pointer (&on_t, g_hash_table_unref);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, old_id), ==, "written before the rotation");
  g_assert_cmpstr (g_hash_table_lookup (on_t, new_id), ==, "written after the rotation");

  /* Compared and accepted: both entries read. */
  confirm = g_strdup (json_object_get_string_member (changed, "digits"));
  g_free (OK (p.t, "client", "verify", p.client_id, "--confirm", confirm));
  after = safety_of (p.t, "client", p.client_id, "en");
  g_assert_true (json_object_get_boolean_member (after, "verified"));
  g_clear_pointer (&on_t, g_hash_table_unref);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, old_id), ==, "written before the rotation");
  g_assert_cmpstr (g_hash_table_lookup (on_t, new_id), ==, "written after the rotation");
  sync_ok (p.t);
  g_clear_pointer (&on_t, g_hash_table_unref);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, new_id), ==, "written after the rotation");
  /* And the client's device still takes what it pulls, its own records
   * signed with the old key among them. */
  sync_ok (p.a);
  {
    g_autofree char *refusals = refusals_of (p.a);

    g_assert_null (strstr (refusals, "journal_entries"));
    g_assert_null (strstr (refusals, "care_relationships"));
  }

  /* The server replaces the therapist's keys and writes a "rotation" to
   * them signed by keys it made: the client's device tells the change, but
   * not as a rotation. */
  g_assert_true (tf_crypto_box_keypair (&identity, &identity_secret, &error));
  g_assert_true (tf_crypto_sign_keypair (&signing, &signing_secret, &error));
  g_assert_no_error (error);
  {
    const char *publics[] = { identity, signing, NULL };
    fingerprint = tf_crypto_fingerprint (publics);
  }
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT identity_public_key || '|' || signing_public_key"
                         " FROM user_keys WHERE user_id = '%s'", p.therapist_id);
  {
    g_autofree char *pair = server_value (sql);
    g_auto(GStrv) parts = g_strsplit (pair, "|", 2);

    statement = tf_keys_rotation_statement (p.therapist_id, parts[0], parts[1], identity,
                                            signing);
    by_made_up = tf_crypto_sign (signing_secret, (const guint8 *) statement,
                                 strlen (statement));
    server_exec ("INSERT INTO user_key_rotations (user_id, seq, old_identity_public_key,"
                 " old_signing_public_key, old_fingerprint, identity_public_key,"
                 " signing_public_key, fingerprint, signature_by_old, signature_by_new)"
                 " SELECT user_id, 1, identity_public_key, signing_public_key, fingerprint,"
                 " '%s', '%s', '%s', '%s', '%s' FROM user_keys WHERE user_id = '%s'",
                 identity, signing, fingerprint, by_made_up, by_made_up, p.therapist_id);
  }
  server_exec ("UPDATE user_keys SET identity_public_key = '%s', signing_public_key = '%s',"
               " fingerprint = '%s' WHERE user_id = '%s'", identity, signing, fingerprint,
               p.therapist_id);
  planted = changed_safety_of (p.a, "therapist", p.therapist_id);
  g_assert_true (json_object_get_boolean_member (planted, "key_changed"));
  g_assert_false (json_object_get_boolean_member (planted, "rotation_signed"));
  RUN (&run, p.a, "therapist", "verify", p.therapist_id, "--language", "en");
  g_assert_cmpint (run.status, ==, 5);
  g_assert_null (strstr (run.err, "rotated their keys"));
  g_assert_nonnull (strstr (run.err, "changed"));
}

/* The keys of @d's account as its store holds them, opened with its
 * password. */
static TfKeys *
device_keys (Device *d)
{
  g_autofree char *db_path = g_build_filename (d->dir, "profile.sqlite", NULL);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(TfSecret) auth = NULL, kek = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *keys;
  sqlite3_stmt *q = NULL;
  sqlite3 *db;
  TfKeys *opened;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM sync_state"
                                           " WHERE key = 'account.keys'", -1, &q, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (q), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (q, 0));
  sqlite3_finalize (q);
  sqlite3_close (db);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  keys = json_node_get_object (node);
  g_assert_true (tf_keys_derive (json_object_get_object_member (keys, "kdf"), d->password, &auth,
                                 &kek, &error));
  opened = tf_keys_open (keys, kek, &error);
  g_assert_no_error (error);
  return opened;
}

/* The sealed key of the live grant of @record_id to @recipient, in
 * PostgreSQL. */
static char *
grant_sealed_on_server (const char *record_id, const char *recipient)
{
  g_autofree char *sql = g_strdup_printf ("SELECT sealed_key FROM key_grants WHERE record_id ="
                                          " '%s' AND recipient_id = '%s' AND deleted_at IS NULL",
                                          record_id, recipient);
  return server_value (sql);
}

/* The therapist rotates: the client's device warns, and once the client
 * accepts the new keys its grant to the therapist is sealed again to the
 * new identity key — the therapist reads the entries of before and after,
 * and the old private key (a lost device's) opens the grant no more. */
static void
test_key_rotation_reseals (void)
{
  g_auto(Practice) p = { 0 };
  g_autoptr(TfKeys) old_keys = NULL;
  g_autoptr(TfSecret) opened = NULL, not_opened = NULL;
  g_autoptr(JsonObject) changed = NULL;
  g_autoptr(GHashTable) on_t = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *entry = NULL, *later = NULL, *sealed = NULL, *confirm = NULL;

  practice_init (&p);
  entry = first_line (OK (p.a, "journal", "add", "--title", "shared", "--content",
                          secret ("shared before the therapist's new keys"), "--share"));
  sync_ok (p.a);
  sync_ok (p.t);
  old_keys = device_keys (p.t);
  sealed = grant_sealed_on_server (entry, p.therapist_id);
  opened = tf_keys_open_grant (old_keys, sealed, &error);
  g_assert_no_error (error);
  g_clear_pointer (&sealed, g_free);

  g_free (OK (p.t, "keys", "rotate", "--yes"));
  sync_ok (p.t);
  changed = changed_safety_of (p.a, "therapist", p.therapist_id);
  g_assert_true (json_object_get_boolean_member (changed, "rotation_signed"));
  /* Not accepted yet: still sealed to the old key. */
  sync_ok (p.a);
  sealed = grant_sealed_on_server (entry, p.therapist_id);
  g_clear_pointer (&opened, tf_secret_free);
  opened = tf_keys_open_grant (old_keys, sealed, &error);
  g_assert_no_error (error);
  g_clear_pointer (&sealed, g_free);

  confirm = g_strdup (json_object_get_string_member (changed, "digits"));
  g_free (OK (p.a, "therapist", "verify", p.therapist_id, "--confirm", confirm));
  later = first_line (OK (p.a, "journal", "add", "--title", "later", "--content",
                          secret ("shared after the therapist's new keys"), "--share"));
  sync_ok (p.a);
  sealed = grant_sealed_on_server (entry, p.therapist_id);
  not_opened = tf_keys_open_grant (old_keys, sealed, NULL);
  g_assert_null (not_opened);
  g_clear_pointer (&sealed, g_free);
  sealed = grant_sealed_on_server (later, p.therapist_id);
  not_opened = tf_keys_open_grant (old_keys, sealed, NULL);
  g_assert_null (not_opened);

  sync_ok (p.t);
  on_t = journal_of (p.t);
  g_assert_cmpstr (g_hash_table_lookup (on_t, entry), ==, "shared before the therapist's new keys");
  g_assert_cmpstr (g_hash_table_lookup (on_t, later), ==, "shared after the therapist's new keys");
  /* (The directory's records of the therapist whose keys the previous
   * test replaced in PostgreSQL are refused here, as they should be.) */
  {
    g_autofree char *refusals = refusals_of (p.t);

    g_assert_null (strstr (refusals, "journal_entries"));
    g_assert_null (strstr (refusals, "key_grants"));
  }
}

/* --- what the server makes at registration (issue 19) ----------------------- */

/* The revision and signature PostgreSQL holds of @user_id's row of @table
 * (profiles, therapists: keyed by user_id), "" when unsigned. */
static char *
registered_signed (const char *table, const char *user_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT coalesce(author_revision || ' ' ||"
                                          " author_signature, '') FROM %s WHERE user_id = '%s'",
                                          table, user_id);

  return server_value (sql);
}

static char *
user_id_of (const char *email)
{
  g_autofree char *sql = g_strdup_printf ("SELECT id FROM users WHERE email = '%s'", email);

  return server_value (sql);
}

/* The profile and the directory entry the server makes from what was typed
 * are signed by their owner at once: `account register` syncs and writes
 * them again, signed, the same content one revision up.  A device that
 * registered without (here: killed before that sync took them) signs them
 * at its first sync. */
static void
test_registration_signed (void)
{
  g_autofree char *t_email = unique_email ("therapist"), *c_email = unique_email ("client");
  g_autofree char *therapist = NULL, *profile = NULL, *entry = NULL, *client = NULL;
  g_autofree char *name = NULL, *sql = NULL;
  g_auto(Run) run = { 0 };
  Device *t = device_new (), *c = device_new ();

  therapist = register_on (t, t_email, "therapist", NULL);
  profile = registered_signed ("profiles", therapist);
  entry = registered_signed ("therapists", therapist);
  g_assert_true (g_str_has_prefix (profile, "1 tfs1:"));
  g_assert_true (g_str_has_prefix (entry, "1 tfs1:"));
  sql = g_strdup_printf ("SELECT first_name || ' ' || last_name || ' ' || license_number"
                         " FROM profiles JOIN therapists USING (user_id)"
                         " WHERE user_id = '%s'", therapist);
  name = server_value (sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("Δήμητρα Αλεξίου %s", t_email);
  g_assert_cmpstr (name, ==, sql);
  g_assert_cmpint (status_int (t, "pending"), ==, 0);

  RUN_ENV (&run, c, "TF_DEBUG_KILL_AT=pull-received", "account", "register", "--server",
           server->base_url, "--email", c_email, "--role", "client", "--first-name", "Ελένη",
           "--last-name", "Παπαδοπούλου");
  g_assert_cmpint (run.status, ==, -SIGKILL);
  client = user_id_of (c_email);
  g_clear_pointer (&profile, g_free);
  profile = registered_signed ("profiles", client);
  g_assert_cmpstr (profile, ==, "");
  sync_ok (c);
  g_clear_pointer (&profile, g_free);
  profile = registered_signed ("profiles", client);
  g_assert_true (g_str_has_prefix (profile, "1 tfs1:"));
}

/* As a malicious operator: @set (an SQL SET list) on @user_id's row of
 * @table (profiles or therapists, keyed by user_id), its signature dropped,
 * at a new version fed to everyone who receives it, triggers off. */
static void
operator_change_registered (const char *table, const char *user_id, const char *set)
{
  server_exec ("SET session_replication_role = replica;"
               "DO $$ DECLARE v bigint := nextval('sync_version_seq'); BEGIN"
               " UPDATE %s SET %s, author_revision = NULL, author_signature = NULL, version = v"
               " WHERE user_id = '%s';"
               " UPDATE sync_records SET version = v WHERE table_name = '%s'"
               " AND record_id = '%s';"
               " UPDATE sync_feed SET version = v WHERE table_name = '%s' AND record_id = '%s';"
               " UPDATE sync_public_feed SET version = v WHERE table_name = '%s'"
               " AND record_id = '%s'; END $$",
               table, set, user_id, table, user_id, table, user_id, table, user_id);
}

/* The directory no longer serves @therapist's profile and entry: so the
 * devices of the tests after one that altered them never pull them. */
static void
directory_forgets (const char *therapist)
{
  server_exec ("DELETE FROM sync_public_feed WHERE table_name IN ('profiles', 'therapists')"
               " AND record_id = '%s'", therapist);
}

static char *
held_names (Device *d, const char *user_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT first_name || ' ' || coalesce(display_name,"
                                          " '-') FROM profiles WHERE user_id = '%s'", user_id);

  return device_value (d, sql);
}

/* After both signed what registration made, the server serves an unsigned
 * later version of each — the client's display name, the therapist's
 * directory entry: the other side's devices refuse them as unsigned and
 * list them, keep what they held, and a new device of the therapist, which
 * never held the client's profile, does not take it either. */
static void
test_altered_registration_refused (void)
{
  g_auto(Practice) p = { 0 };
  g_autofree char *names = NULL, *bio = NULL, *sql = NULL;
  Device *t2 = device_new ();

  practice_init (&p);
  names = held_names (p.t, p.client_id);
  g_assert_cmpstr (names, ==, "Ελένη -");
  operator_change_registered ("profiles", p.client_id, "display_name = 'Planted name'");
  operator_change_registered ("therapists", p.therapist_id, "bio = 'Planted bio'");
  sync_ok (p.t);
  sync_ok (p.a);
  g_free (OK (t2, "account", "login", "--server", server->base_url, "--email",
              p.therapist_email));
  sync_ok (t2);

  g_assert_true (refused_with (p.t, "profiles", p.client_id, "unsigned"));
  g_assert_true (refused_with (t2, "profiles", p.client_id, "unsigned"));
  g_assert_true (refused_with (p.a, "therapists", p.therapist_id, "unsigned"));
  g_clear_pointer (&names, g_free);
  names = held_names (p.t, p.client_id);
  g_assert_cmpstr (names, ==, "Ελένη -");
  g_clear_pointer (&names, g_free);
  names = held_names (t2, p.client_id);
  g_assert_null (names);
  sql = g_strdup_printf ("SELECT coalesce(bio, '-') FROM therapists WHERE user_id = '%s'",
                         p.therapist_id);
  bio = device_value (p.a, sql);
  g_assert_cmpstr (bio, ==, "-");
  directory_forgets (p.therapist_id);
}

/* A client's link is a request: the therapist sees who asks and what they
 * would share, and nothing of the client's — the shared journal entry,
 * the mood — reaches them until they accept it; after link accept and the
 * client's next sync both do.  A declined request shares nothing, and no
 * request waits any more. */
static void
test_care_request (void)
{
  g_autofree char *therapist_email = unique_email ("therapist");
  g_autofree char *client_email = unique_email ("client"), *other_email = unique_email ("client");
  g_autofree char *client_id = NULL, *entry = NULL, *other_entry = NULL, *request = NULL;
  g_autofree char *declined = NULL;
  Device *t = device_new (), *c = device_new (), *o = device_new ();
  g_autoptr(GHashTable) before = NULL, after = NULL, at_end = NULL;
  g_autoptr(JsonNode) asked = NULL, moods_before = NULL, moods_after = NULL, none = NULL;
  g_autoptr(JsonNode) clients = NULL, other_asked = NULL;
  JsonObject *r;

  g_free (register_on (t, therapist_email, "therapist", NULL));
  client_id = register_on (c, client_email, "client", NULL);
  g_free (register_on (o, other_email, "client", NULL));
  entry = first_line (OK (c, "journal", "add", "--title", "Πριν", "--content",
                          secret ("what I told nobody yet"), "--share"));
  g_free (OK (c, "mood", "add", "--mood", "4", "--energy", "5", "--anxiety", "7"));
  g_free (OK (c, "therapist", "link", "--email", therapist_email, "--share-mood"));
  sync_ok (c);
  sync_ok (t);

  /* The request, who and what; nothing shared yet. */
  asked = JSON (t, "link", "requests");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (asked)), ==, 1);
  r = json_array_get_object_element (json_node_get_array (asked), 0);
  g_assert_cmpstr (json_object_get_string_member (r, "client_id"), ==, client_id);
  g_assert_true (json_object_get_boolean_member (r, "share_mood"));
  g_assert_false (json_object_get_boolean_member (r, "share_goals"));
  g_assert_nonnull (json_object_get_string_member (r, "started_at"));
  request = g_strdup (json_object_get_string_member (r, "id"));
  before = journal_of (t);
  g_assert_false (g_hash_table_contains (before, entry));
  moods_before = JSON (t, "mood", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (moods_before)), ==, 0);
  /* Not a client in care either. */
  clients = JSON (t, "client", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (clients)), ==, 0);

  /* Accepted: after the client's next sync both arrive, readable. */
  g_free (OK (t, "link", "accept", request));
  sync_ok (t);
  sync_ok (c);
  sync_ok (t);
  after = journal_of (t);
  g_assert_cmpstr (g_hash_table_lookup (after, entry), ==, "what I told nobody yet");
  moods_after = JSON (t, "mood", "list");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (moods_after)), ==, 1);
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_node_get_array (moods_after), 0),
                     "anxiety_level"), ==, 7);

  /* Another client's request, declined: nothing of theirs arrives. */
  other_entry = first_line (OK (o, "journal", "add", "--title", "Άλλη", "--content",
                                secret ("not for a therapist who said no"), "--share"));
  g_free (OK (o, "therapist", "link", "--email", therapist_email));
  sync_ok (o);
  sync_ok (t);
  other_asked = JSON (t, "link", "requests");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (other_asked)), ==, 1);
  declined = g_strdup (json_object_get_string_member (
    json_array_get_object_element (json_node_get_array (other_asked), 0), "id"));
  g_free (OK (t, "link", "decline", declined));
  sync_ok (t);
  sync_ok (o);
  sync_ok (t);
  at_end = journal_of (t);
  g_assert_false (g_hash_table_contains (at_end, other_entry));
  none = JSON (t, "link", "requests");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);
  {
    /* Nor can a declined request be accepted afterwards. */
    g_auto(Run) run = { 0 };

    RUN (&run, t, "link", "accept", declined);
    g_assert_cmpint (run.status, !=, 0);
    g_assert_nonnull (strstr (run.err, declined));
  }
}

/* What registration made, unsigned, is still taken as it was made — a
 * client whose device stopped before signing is in care, and their
 * therapist's device takes their profile; a therapist who never synced is
 * found and linked, and the client's device takes their profile and
 * directory entry — but not once the server changed them. */
static void
test_registration_taken_unsigned (void)
{
  g_autofree char *c_email = unique_email ("client"), *t_email = unique_email ("therapist");
  g_autofree char *a_email = unique_email ("therapist"), *client = NULL, *names = NULL;
  g_autofree char *linked_email = unique_email ("therapist");
  g_autofree char *refusals = NULL, *sql = NULL, *entry = NULL, *signed_now = NULL;
  g_autoptr(TfTestUser) fresh = tf_test_register (server, t_email, "therapist");
  g_autoptr(TfTestUser) altered = tf_test_register (server, a_email, "therapist");
  g_auto(Run) run = { 0 };
  Device *c = device_new (), *t = device_new ();
  g_autofree char *therapist = register_on (t, linked_email, "therapist", NULL);

  operator_change_registered ("profiles", altered->user_id, "display_name = 'Planted name'");
  operator_change_registered ("therapists", altered->user_id, "bio = 'Planted bio'");
  RUN_ENV (&run, c, "TF_DEBUG_KILL_AT=pull-received", "account", "register", "--server",
           server->base_url, "--email", c_email, "--role", "client", "--first-name", "Ελένη",
           "--last-name", "Παπαδοπούλου");
  g_assert_cmpint (run.status, ==, -SIGKILL);
  client = user_id_of (c_email);
  {
    g_autofree char *email = NULL;

    sql = g_strdup_printf ("SELECT email FROM users WHERE id = '%s'", therapist);
    email = server_value (sql);
    g_free (OK (c, "therapist", "link", "--email", email));
    g_free (OK (c, "therapist", "link", "--email", t_email));
  }
  run_clear (&run);
  RUN_ENV (&run, c, "TF_DEBUG_KILL_AT=pull-received", "sync");
  g_assert_cmpint (run.status, ==, -SIGKILL);
  signed_now = registered_signed ("profiles", client);
  g_assert_cmpstr (signed_now, ==, "");

  /* The client's profile as registration made it, in care once the
   * therapist accepts the request. */
  accept_requests (t);
  names = held_names (t, client);
  g_assert_cmpstr (names, ==, "Ελένη -");
  refusals = refusals_of (t);
  g_assert_null (strstr (refusals, client));

  /* The therapist who never synced, and the one the server changed. */
  sync_ok (c);
  g_clear_pointer (&names, g_free);
  names = held_names (c, fresh->user_id);
  g_assert_cmpstr (names, ==, "Δοκιμή -");
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT license_number FROM therapists WHERE user_id = '%s'",
                         fresh->user_id);
  entry = device_value (c, sql);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("GR-%s", t_email);
  g_assert_cmpstr (entry, ==, sql);
  g_clear_pointer (&refusals, g_free);
  refusals = refusals_of (c);
  g_assert_null (strstr (refusals, fresh->user_id));
  g_assert_true (refused_with (c, "profiles", altered->user_id, "unsigned"));
  g_assert_true (refused_with (c, "therapists", altered->user_id, "unsigned"));
  g_clear_pointer (&names, g_free);
  names = held_names (c, altered->user_id);
  g_assert_null (names);
  directory_forgets (altered->user_id);
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  secrets = g_ptr_array_new_with_free_func (g_free);
  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) device_free);
  server = tf_test_server_start ("tf_cli", NULL);

  g_test_add_func ("/cli/offline-devices-converge", test_offline_devices_converge);
  g_test_add_func ("/cli/care-request", test_care_request);
  g_test_add_func ("/cli/conflict-keeps-both", test_conflict_keeps_both);
  g_test_add_func ("/cli/conflict-after-two-edits", test_conflict_after_two_edits);
  g_test_add_func ("/cli/journal-fields-merge", test_journal_fields_merge);
  g_test_add_func ("/cli/same-day-progress", test_same_day_progress);
  g_test_add_func ("/cli/stop-sharing-survives-conflict", test_stop_sharing_survives_conflict);
  g_test_add_func ("/cli/local-first", test_local_first);
  g_test_add_func ("/cli/edit-survives-delete", test_edit_survives_delete);
  g_test_add_func ("/cli/share-ends-with-rekey", test_share_ends_with_rekey);
  g_test_add_func ("/cli/double-booking", test_double_booking);
  g_test_add_func ("/cli/wrong-secrets-and-outages", test_wrong_secrets_and_outages);
  g_test_add_func ("/cli/recover-on-new-device", test_recover_on_new_device);
  g_test_add_func ("/cli/recover-local-only", test_recover_local_only);
  g_test_add_func ("/cli/lapsed-session-keeps-syncing", test_lapsed_session_keeps_syncing);
  g_test_add_func ("/cli/server-down", test_server_down);
  g_test_add_func ("/cli/killed-sync-repeats", test_killed_sync_repeats);
  g_test_add_func ("/cli/note-lock", test_note_lock);
  g_test_add_func ("/cli/blocked-period", test_blocked_period);
  g_test_add_func ("/cli/old-plaintext-encrypted", test_old_plaintext_encrypted);
  g_test_add_func ("/cli/mood-share-and-wait", test_mood_share_and_wait);
  g_test_add_func ("/cli/restored-profile", test_restored_profile);
  g_test_add_func ("/cli/server-went-back", test_server_went_back);
  g_test_add_func ("/cli/full-disk-reads", test_full_disk_reads);
  g_test_add_func ("/cli/truncated-store", test_truncated_store);
  g_test_add_func ("/cli/account-sessions", test_account_sessions);
  g_test_add_func ("/cli/account-mfa", test_account_mfa);
  g_test_add_func ("/cli/signatures-stored-verbatim", test_signatures_stored_verbatim);
  g_test_add_func ("/cli/altered-fields-refused", test_altered_fields_refused);
  g_test_add_func ("/cli/rolled-back-refused", test_rolled_back_refused);
  g_test_add_func ("/cli/altered-conflict-copy-refused", test_altered_conflict_copy_refused);
  g_test_add_func ("/cli/planted-entry-refused", test_planted_entry_refused);
  g_test_add_func ("/cli/invented-care-shares-nothing", test_invented_care_shares_nothing);
  g_test_add_func ("/cli/altered-care-refused", test_altered_care_refused);
  g_test_add_func ("/cli/restored-profile-ends-care", test_restored_profile_ends_care);
  g_test_add_func ("/cli/restored-profile-edits-on", test_restored_profile_edits_on);
  g_test_add_func ("/cli/planted-for-stranger-refused", test_planted_for_stranger_refused);
  g_test_add_func ("/cli/registration-signed", test_registration_signed);
  g_test_add_func ("/cli/altered-registration-refused", test_altered_registration_refused);
  g_test_add_func ("/cli/registration-taken-unsigned", test_registration_taken_unsigned);
  g_test_add_func ("/cli/refused-listed", test_refused_listed);
  g_test_add_func ("/cli/forged-grant-refused", test_forged_grant_refused);
  g_test_add_func ("/cli/altered-grant-refused", test_altered_grant_refused);
  g_test_add_func ("/cli/owner-reports-grant-not-its-own", test_owner_reports_grant_not_its_own);
  g_test_add_func ("/cli/grant-from-before-signed", test_grant_from_before_signed);
  g_test_add_func ("/cli/safety-number", test_safety_number);
  /* Last but one, as the safety number's: they change keys in PostgreSQL,
   * and every later device reads the directory. */
  g_test_add_func ("/cli/key-rotation", test_key_rotation);
  g_test_add_func ("/cli/key-rotation-interrupted", test_key_rotation_interrupted);
  g_test_add_func ("/cli/key-rotation-signs-out-others", test_key_rotation_signs_out_others);
  g_test_add_func ("/cli/key-rotation-reseals", test_key_rotation_reseals);
  g_test_add_func ("/cli/no-plaintext-anywhere", test_no_plaintext_anywhere);
  status = g_test_run ();

  tf_test_server_stop (server);
  g_ptr_array_unref (devices);
  g_ptr_array_unref (secrets);
  return status;
}
