/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-devices.c: real devices (SQLite files and the sync engine) against
 * the real server and PostgreSQL: offline writes converge, edits and deletes
 * travel, an unreachable server loses nothing, refusals are kept, a long
 * poll wakes on another device's push, failures (500, 503, a cut-off or
 * malformed answer) lose and apply nothing and passing ones are retried,
 * and a device killed at any point of a sync loses and duplicates nothing.
 *
 * Failures the real server cannot be made to produce on demand come from a
 * relay: a small SoupServer on loopback that forwards to the real server or
 * answers as it is told, request by request.  The kill tests run this very
 * binary again as a child (--child-sync) with TF_DEBUG_KILL_AT set.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-store-db.h"
#include "tf-store.h"
#include "tf-sync-client.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"
#include "tf-time.h"

static TfTestServer *server;

typedef struct
{
  char         *dir;
  char         *path;
  TfStore      *store;
  TfSyncClient *client;
} Device;

static Device *
device_new (TfTestUser *user, const char *base_url)
{
  Device *d = g_new0 (Device, 1);
  g_autoptr(GError) error = NULL;

  d->dir = g_dir_make_tmp ("tf-device-XXXXXX", &error);
  g_assert_no_error (error);
  d->path = g_build_filename (d->dir, "profile.db", NULL);
  d->store = tf_store_open (d->path, &error);
  g_assert_no_error (error);
  d->client = tf_sync_client_new (base_url ? base_url : server->base_url, user->token);
  return d;
}

static void
device_free (Device *d)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (d->store);
  g_assert_finalize_object (d->client);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (d->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (d->dir);
  g_free (d->path);
  g_free (d->dir);
  g_free (d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Device, device_free)

static JsonObject *
mood (const char *id, const char *user, int value)
{
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *notes = tf_crypto_encrypt_field (key, "mood_entries", id, "notes", "ήρεμη",
                                                    NULL);
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, "user_id", user);
  json_object_set_int_member (fields, "mood_value", value);
  json_object_set_string_member (fields, "created_at", "2026-11-24T08:00:00Z");
  json_object_set_string_member (fields, "notes", notes);
  return fields;
}

static void
sync_ok (Device *d, TfSyncReport *report)
{
  g_autoptr(GError) error = NULL;

  if (!tf_sync_client_sync (d->client, d->store, report, &error))
    g_error ("sync failed: %s", error->message);
}

static guint
live_moods (Device *d, const char *user)
{
  g_autoptr(GPtrArray) list = tf_store_list (d->store, tf_registry_lookup ("mood_entries"),
                                             "user_id", user, NULL);
  return list->len;
}

static void
test_two_devices_converge (void)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autoptr(TfTestUser) phone_user = tf_test_register (server, "converge@example.gr", "client");
  g_autoptr(TfTestUser) laptop_user = tf_test_new_device (server, phone_user);
  g_autoptr(Device) phone = device_new (phone_user, NULL);
  g_autoptr(Device) laptop = device_new (laptop_user, NULL);
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *c = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  TfSyncReport report;

  /* Offline on the phone. */
  {
    g_autoptr(JsonObject) fa = mood (a, phone_user->user_id, 3);
    g_autoptr(JsonObject) fb = mood (b, phone_user->user_id, 5);
    g_autoptr(JsonObject) fc = mood (c, phone_user->user_id, 7);
    g_assert_true (tf_store_put (phone->store, moods, a, fa, &error));
    g_assert_true (tf_store_put (phone->store, moods, b, fb, &error));
    g_assert_true (tf_store_put (phone->store, moods, c, fc, &error));
  }
  sync_ok (phone, &report);
  g_assert_cmpuint (report.pushed, ==, 3);
  g_assert_cmpint (tf_store_outbox_count (phone->store, NULL), ==, 0);

  sync_ok (laptop, &report);
  g_assert_cmpuint (live_moods (laptop, phone_user->user_id), ==, 3);

  /* An edit on the laptop reaches the phone. */
  {
    g_autoptr(TfRecord) rec = tf_store_get (laptop->store, moods, a, &error);
    json_object_set_int_member (rec->fields, "mood_value", 9);
    g_assert_true (tf_store_put (laptop->store, moods, a, rec->fields, &error));
  }
  sync_ok (laptop, &report);
  g_assert_cmpuint (report.pushed, ==, 1);
  g_assert_cmpuint (report.conflicts, ==, 0);
  sync_ok (phone, &report);
  {
    g_autoptr(TfRecord) rec = tf_store_get (phone->store, moods, a, &error);
    g_assert_cmpint (json_object_get_int_member (rec->fields, "mood_value"), ==, 9);
  }

  /* A delete on the phone reaches the laptop. */
  g_assert_true (tf_store_delete (phone->store, moods, b, &error));
  sync_ok (phone, &report);
  sync_ok (laptop, &report);
  g_assert_cmpuint (live_moods (laptop, phone_user->user_id), ==, 2);
  g_assert_cmpuint (live_moods (phone, phone_user->user_id), ==, 2);
}

static void
test_unreachable_server_loses_nothing (void)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autoptr(TfTestUser) user = tf_test_register (server, "offline@example.gr", "client");
  /* Nothing listens on port 9 of loopback. */
  g_autoptr(Device) away = device_new (user, "http://127.0.0.1:9");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) fields = mood (id, user->user_id, 4);
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_store_put (away->store, moods, id, fields, &error));
  g_assert_false (tf_sync_client_sync (away->client, away->store, NULL, &error));
  g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  /* Local work goes on; the change waits. */
  g_assert_cmpint (tf_store_outbox_count (away->store, NULL), ==, 1);
  g_assert_cmpuint (live_moods (away, user->user_id), ==, 1);

  /* Back online (the same file, the right address): it syncs. */
  {
    g_autoptr(TfSyncClient) online = tf_sync_client_new (server->base_url, user->token);
    TfSyncReport report;

    g_assert_true (tf_sync_client_sync (online, away->store, &report, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (report.pushed, ==, 1);
    g_assert_cmpint (tf_store_outbox_count (away->store, NULL), ==, 0);
  }
}

static void
test_refusals_are_kept (void)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autoptr(TfTestUser) user = tf_test_register (server, "refused@example.gr", "client");
  g_autoptr(TfTestUser) other = tf_test_register (server, "other@example.gr", "client");
  g_autoptr(Device) device = device_new (user, NULL);
  g_autofree char *id = g_uuid_string_random ();
  /* Valid on its own, but for someone else: the server refuses it. */
  g_autoptr(JsonObject) fields = mood (id, other->user_id, 4);
  g_autoptr(GError) error = NULL;
  TfSyncReport report;

  g_assert_true (tf_store_put (device->store, moods, id, fields, &error));
  sync_ok (device, &report);
  g_assert_cmpuint (report.rejected, ==, 1);
  g_assert_cmpint (tf_store_rejection_count (device->store, NULL), ==, 1);
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 0);

  /* An expired sign-in is told apart from an outage. */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *sql = g_strdup_printf ("UPDATE auth_sessions SET revoked_at = now()"
                                            " WHERE user_id = '%s'", user->user_id);
    tf_test_pg_exec (conn, sql);
    g_assert_false (tf_sync_client_sync (device->client, device->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED);
  }
}

/* Two devices of one client, both offline, both with the same entry. */
typedef struct
{
  TfTestUser *phone_user, *laptop_user;
  Device     *phone, *laptop;
  char       *id;
} Pair;

static void
pair_set_up (Pair *p, const char *email)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(GError) error = NULL;
  TfSyncReport report;

  p->phone_user = tf_test_register (server, email, "client");
  p->laptop_user = tf_test_new_device (server, p->phone_user);
  p->phone = device_new (p->phone_user, NULL);
  p->laptop = device_new (p->laptop_user, NULL);
  p->id = g_uuid_string_random ();
  fields = mood (p->id, p->phone_user->user_id, 5);
  json_object_set_int_member (fields, "energy_level", 5);
  g_assert_true (tf_store_put (p->phone->store, moods, p->id, fields, &error));
  sync_ok (p->phone, &report);
  sync_ok (p->laptop, &report);
}

static void
pair_tear_down (Pair *p)
{
  device_free (p->phone);
  device_free (p->laptop);
  tf_test_user_free (p->phone_user);
  tf_test_user_free (p->laptop_user);
  g_free (p->id);
}

static void
edit (Device *d, const char *id, const char *column, int value)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfRecord) rec = tf_store_get (d->store, moods, id, &error);

  g_assert_no_error (error);
  json_object_set_int_member (rec->fields, column, value);
  g_assert_true (tf_store_put (d->store, moods, id, rec->fields, &error));
  g_assert_no_error (error);
}

static gint64
value_of (Device *d, const char *id, const char *column)
{
  g_autoptr(TfRecord) rec = tf_store_get (d->store, tf_registry_lookup ("mood_entries"), id, NULL);

  g_assert_nonnull (rec);
  g_assert_false (rec->deleted);
  return json_object_get_int_member (rec->fields, column);
}

static void
test_different_fields_merge (void)
{
  Pair p;
  TfSyncReport report;

  pair_set_up (&p, "merge@example.gr");
  edit (p.phone, p.id, "mood_value", 8);      /* offline on the phone */
  edit (p.laptop, p.id, "energy_level", 2);   /* offline on the laptop */
  sync_ok (p.phone, &report);
  sync_ok (p.laptop, &report);                /* conflict, merged automatically */
  g_assert_cmpuint (report.conflicts, ==, 0);
  sync_ok (p.phone, &report);
  /* Both changes, on both devices. */
  g_assert_cmpint (value_of (p.phone, p.id, "mood_value"), ==, 8);
  g_assert_cmpint (value_of (p.phone, p.id, "energy_level"), ==, 2);
  g_assert_cmpint (value_of (p.laptop, p.id, "mood_value"), ==, 8);
  g_assert_cmpint (value_of (p.laptop, p.id, "energy_level"), ==, 2);
  pair_tear_down (&p);
}

static void
test_same_field_keeps_both (void)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  Pair p;
  TfSyncReport report;
  g_autoptr(GPtrArray) all = NULL;
  gboolean saw_three = FALSE, saw_nine = FALSE;

  pair_set_up (&p, "clash@example.gr");
  edit (p.phone, p.id, "mood_value", 9);
  edit (p.laptop, p.id, "mood_value", 3);
  sync_ok (p.phone, &report);
  sync_ok (p.laptop, &report);
  g_assert_cmpuint (report.conflicts, ==, 1);
  /* Nothing lost: the server's 9 is the entry, the laptop's 3 a copy. */
  g_assert_cmpint (value_of (p.laptop, p.id, "mood_value"), ==, 9);
  g_assert_cmpint (tf_store_conflict_count (p.laptop->store, moods, NULL), ==, 1);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (p.laptop->path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                     SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT mood_value FROM mood_entries"
                                             " WHERE id = ?1 OR conflict_of = ?1", -1, &stmt,
                                         NULL), ==, SQLITE_OK);
    sqlite3_bind_text (stmt, 1, p.id, -1, SQLITE_STATIC);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        saw_nine |= sqlite3_column_int (stmt, 0) == 9;
        saw_three |= sqlite3_column_int (stmt, 0) == 3;
      }
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }
  g_assert_true (saw_nine && saw_three);
  all = tf_store_list (p.laptop->store, moods, NULL, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 1); /* lists show the entry, not the copy */
  pair_tear_down (&p);
}

static void
test_edit_survives_delete (void)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");
  Pair p;
  TfSyncReport report;
  g_autoptr(GError) error = NULL;

  pair_set_up (&p, "survive@example.gr");
  g_assert_true (tf_store_delete (p.phone->store, moods, p.id, &error));
  edit (p.laptop, p.id, "mood_value", 7);
  sync_ok (p.phone, &report);                 /* the delete lands first */
  sync_ok (p.laptop, &report);                /* the edit meets it: kept */
  g_assert_cmpuint (report.edits_kept, ==, 1);
  g_assert_cmpint (tf_store_rejection_count (p.laptop->store, NULL), ==, 1); /* the user is told */
  sync_ok (p.phone, &report);
  g_assert_cmpint (value_of (p.laptop, p.id, "mood_value"), ==, 7);
  g_assert_cmpint (value_of (p.phone, p.id, "mood_value"), ==, 7);
  pair_tear_down (&p);
}

/* --- helpers ------------------------------------------------------------------ */

static char *self_exe;   /* this binary, for the kill tests' children */

static gint64
server_int (const char *sql)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  return tf_test_pg_int (conn, sql);
}

/* Mood entries of @user_id on the server, and how often they were written. */
static gint64
server_moods (const char *user_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM mood_entries"
                                          " WHERE user_id = '%s'", user_id);
  return server_int (sql);
}

static gint64
server_mood_writes (const char *user_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM audit_logs WHERE user_id = '%s'"
                                          " AND table_name = 'mood_entries'"
                                          " AND action = 'write'", user_id);
  return server_int (sql);
}

/* Changes a first pull of @user_id's gets: each record once (the moods,
 * and whatever else the account has, such as its profile). */
static guint
server_feed (const char *user_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT (SELECT count(*) FROM sync_feed"
                                          " WHERE user_id = '%s')"
                                          " + (SELECT count(*) FROM sync_public_feed)",
                                          user_id);
  return (guint) server_int (sql);
}

static void
put_moods (Device *d, const char *user_id, guint n)
{
  const TfTable *moods = tf_registry_lookup ("mood_entries");

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(JsonObject) fields = mood (id, user_id, 1 + (int) i % 10);
      g_autoptr(GError) error = NULL;

      g_assert_true (tf_store_put (d->store, moods, id, fields, &error));
      g_assert_no_error (error);
    }
}

static char *
state_of (Device *d, const char *key)
{
  return tf_store_dup_state (d->store, key, NULL);
}

/* A server whose pull-limit is below the page a device asks for (500): a
 * second device still receives everything, page by page, and both then ask
 * the server's limit. */
static void
test_small_pull_limit (void)
{
  TfTestServer *small = tf_test_server_start ("tf_e2e_pages", "pull-limit=50");
  g_autoptr(TfTestUser) user = tf_test_register (small, "pages@example.gr", "client");
  g_autoptr(TfTestUser) other = tf_test_new_device (small, user);
  g_autoptr(Device) writer = device_new (user, small->base_url);
  g_autoptr(Device) reader = device_new (other, small->base_url);
  TfSyncReport report;

  put_moods (writer, user->user_id, 120);
  sync_ok (writer, &report);
  g_assert_cmpuint (report.pushed, ==, 120);
  sync_ok (reader, &report);
  g_assert_cmpuint (report.pulled, >=, 120);
  g_assert_cmpuint (live_moods (reader, user->user_id), ==, 120);
  /* Both devices learnt the server's limit and ask it from then on. */
  for (Device **d = (Device *[]) { writer, reader, NULL }; *d != NULL; d++)
    {
      g_autofree char *limit = state_of (*d, TF_SYNC_STATE_PULL_LIMIT);
      g_assert_cmpstr (limit, ==, "50");
    }
  sync_ok (reader, &report);
  tf_test_server_stop (small);
}

/* --- the relay ---------------------------------------------------------------- */

/* Actions, one per request (then `otherwise`):
 *   "proxy"             forward to the real server, answer what it answers
 *   "status:N[:S]"      answer status N (Retry-After: S) without forwarding
 *   "drop"              send headers and half a body, then close the connection
 *   "proxy-drop"        forward (the server acts on it), then cut its answer off
 *   "not-json"          200 with an HTML page, as a captive portal would
 *   "strip:MEMBER"      forward, then remove MEMBER from the answer's object */
typedef struct
{
  GMutex        lock;        /* guards everything below but the thread's own */
  GCond         cond;
  GThread      *thread;
  GMainContext *context;     /* the relay thread's */
  GMainLoop    *loop;
  SoupServer   *server;      /* relay thread only */
  SoupSession  *upstream;    /* relay thread only */
  char         *base_url;    /* http://127.0.0.1:PORT, set once listening */
  GQueue        script;      /* char *: actions for the next requests */
  char         *otherwise;   /* the action once the script is used up */
  guint         requests;    /* requests answered so far */
} Relay;

static void
relay_write_cut (SoupServerMessage *msg, guint status, const char *body, gsize len)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  g_autofree char *head = g_strdup_printf ("HTTP/1.1 %u Whatever\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n",
                                           status, len + 1000);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  g_output_stream_write_all (out, head, strlen (head), NULL, NULL, NULL);
  g_output_stream_write_all (out, body, len / 2, NULL, NULL, NULL);
  g_output_stream_flush (out, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
relay_forward (Relay *relay, SoupServerMessage *msg, const char *action)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  g_autofree char *url = g_strconcat (server->base_url, g_uri_get_path (uri),
                                      query ? "?" : "", query ? query : "", NULL);
  g_autoptr(SoupMessage) up = soup_message_new (soup_server_message_get_method (msg), url);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;

  /* Pass on what the server looks at. */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "Authorization" : "User-Agent";
      const char *value = soup_message_headers_get_one (headers, name);

      if (value != NULL)
        soup_message_headers_replace (soup_message_get_request_headers (up), name, value);
    }
  if (g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (up, "application/json", body);
  reply = soup_session_send_and_read (relay->upstream, up, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (reply, &len), g_bytes_get_size (reply));
  len = strlen (text);

  if (strcmp (action, "proxy-drop") == 0)
    {
      relay_write_cut (msg, soup_message_get_status (up), text, len);
      return;
    }
  if (g_str_has_prefix (action, "strip:"))
    {
      g_autoptr(JsonNode) root = json_from_string (text, NULL);

      g_assert_true (root != NULL && JSON_NODE_HOLDS_OBJECT (root));
      g_assert_true (json_object_has_member (json_node_get_object (root), action + 6));
      json_object_remove_member (json_node_get_object (root), action + 6);
      g_free (text);
      text = json_to_string (root, FALSE);
      len = strlen (text);
    }
  soup_server_message_set_status (msg, soup_message_get_status (up), NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text, len);
}

static void
on_relay_request_cb (SoupServer        *soup_server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  Relay *relay = user_data;
  g_autofree char *action = NULL;

  g_mutex_lock (&relay->lock);
  action = g_queue_pop_head (&relay->script);
  if (action == NULL)
    action = g_strdup (relay->otherwise);
  relay->requests++;
  g_mutex_unlock (&relay->lock);

  if (strcmp (action, "proxy") == 0 || strcmp (action, "proxy-drop") == 0 ||
      g_str_has_prefix (action, "strip:"))
    relay_forward (relay, msg, action);
  else if (strcmp (action, "drop") == 0)
    relay_write_cut (msg, 200, "{\"results\": [{\"mutation_id\": 1}]}", 33);
  else if (strcmp (action, "not-json") == 0)
    {
      const char *page = "<html><body>Sign in to the hotel Wi-Fi</body></html>";

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, page,
                                        strlen (page));
    }
  else if (g_str_has_prefix (action, "status:"))
    {
      g_auto(GStrv) parts = g_strsplit (action, ":", 3);
      guint status = (guint) g_ascii_strtoull (parts[1], NULL, 10);
      g_autofree char *body = g_strdup_printf ("{\"error\": {\"code\": \"relay\","
                                               " \"message\": \"relay says %u\"}}", status);

      if (parts[2] != NULL)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", parts[2]);
      soup_server_message_set_status (msg, status, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                        strlen (body));
    }
  else
    g_error ("unknown relay action %s", action);
}

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (relay->context);
  relay->server = soup_server_new (NULL, NULL);
  relay->upstream = soup_session_new_with_options ("timeout", 60, NULL);
  soup_server_add_handler (relay->server, NULL, on_relay_request_cb, relay, NULL);
  g_assert_true (soup_server_listen_local (relay->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY,
                                           &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (relay->server);
  g_mutex_lock (&relay->lock);
  relay->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_cond_signal (&relay->cond);
  g_mutex_unlock (&relay->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (relay->loop);

  soup_server_disconnect (relay->server);
  g_clear_object (&relay->server);
  g_clear_object (&relay->upstream);
  /* Let the sources the server and session leave behind go. */
  while (g_main_context_iteration (relay->context, FALSE))
    ;
  g_main_context_pop_thread_default (relay->context);
  return NULL;
}

/* Starts a relay that does @otherwise, after the NULL-terminated @script. */
static Relay *
relay_start (const char *otherwise, ...)
{
  Relay *relay = g_new0 (Relay, 1);
  const char *action;
  va_list args;

  g_mutex_init (&relay->lock);
  g_cond_init (&relay->cond);
  g_queue_init (&relay->script);
  relay->otherwise = g_strdup (otherwise);
  va_start (args, otherwise);
  while ((action = va_arg (args, const char *)) != NULL)
    g_queue_push_tail (&relay->script, g_strdup (action));
  va_end (args);
  relay->context = g_main_context_new ();
  relay->loop = g_main_loop_new (relay->context, FALSE);
  relay->thread = g_thread_new ("relay", relay_thread, relay);
  g_mutex_lock (&relay->lock);
  while (relay->base_url == NULL)
    g_cond_wait (&relay->cond, &relay->lock);
  g_mutex_unlock (&relay->lock);
  return relay;
}

static guint
relay_requests (Relay *relay)
{
  guint n;

  g_mutex_lock (&relay->lock);
  n = relay->requests;
  g_mutex_unlock (&relay->lock);
  return n;
}

static gboolean
quit_loop_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
relay_stop (Relay *relay)
{
  g_main_context_invoke (relay->context, quit_loop_cb, relay->loop);
  g_thread_join (relay->thread);
  g_main_loop_unref (relay->loop);
  g_main_context_unref (relay->context);
  g_queue_clear_full (&relay->script, g_free);
  g_free (relay->otherwise);
  g_free (relay->base_url);
  g_mutex_clear (&relay->lock);
  g_cond_clear (&relay->cond);
  g_free (relay);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Relay, relay_stop)

/* --- last sync ------------------------------------------------------------------ */

static void
test_last_sync_is_recorded (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "lastsync@example.gr", "client");
  g_autoptr(Device) device = device_new (user, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL, *after_failure = NULL, *failure = NULL, *cleared = NULL;
  TfSyncReport report;

  g_assert_null (state_of (device, TF_SYNC_STATE_LAST_SYNC));
  put_moods (device, user->user_id, 1);
  sync_ok (device, &report);
  first = state_of (device, TF_SYNC_STATE_LAST_SYNC);
  g_assert_nonnull (first);
  {
    g_autoptr(GDateTime) when = tf_time_parse_timestamp (first, &error);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_no_error (error);
    g_assert_true (g_str_has_suffix (first, "Z"));
    g_assert_cmpint (g_date_time_difference (now, when), >=, 0);
    g_assert_cmpint (g_date_time_difference (now, when), <, 60 * G_TIME_SPAN_SECOND);
  }
  g_assert_null (state_of (device, TF_SYNC_STATE_LAST_SYNC_ERROR));

  /* A failure is recorded with its message; the last good sync stays. */
  {
    g_autoptr(TfSyncClient) away = tf_sync_client_new ("http://127.0.0.1:9", user->token);

    tf_sync_client_set_retry (away, 1, 0);
    g_assert_false (tf_sync_client_sync (away, device->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
    failure = state_of (device, TF_SYNC_STATE_LAST_SYNC_ERROR);
    g_assert_cmpstr (failure, ==, error->message);
    g_clear_error (&error);
  }
  after_failure = state_of (device, TF_SYNC_STATE_LAST_SYNC);
  g_assert_cmpstr (after_failure, ==, first);

  /* Success clears it. */
  sync_ok (device, &report);
  cleared = state_of (device, TF_SYNC_STATE_LAST_SYNC_ERROR);
  g_assert_null (cleared);
}

/* --- wait ----------------------------------------------------------------------- */

typedef struct
{
  Device   *device;
  guint     timeout;
  gboolean  ok;
  gboolean  changes;
  gint64    returned_at;   /* monotonic */
} Waiting;

static gpointer
wait_thread (gpointer data)
{
  Waiting *w = data;
  g_autoptr(GError) error = NULL;

  w->ok = tf_sync_client_wait (w->device->client, w->device->store, w->timeout, &w->changes,
                               NULL, &error);
  g_assert_no_error (error);
  w->returned_at = g_get_monotonic_time ();
  return NULL;
}

static void
test_wait_wakes_on_push (void)
{
  g_autoptr(TfTestUser) phone_user = tf_test_register (server, "wait@example.gr", "client");
  g_autoptr(TfTestUser) laptop_user = tf_test_new_device (server, phone_user);
  g_autoptr(Device) phone = device_new (phone_user, NULL);
  g_autoptr(Device) laptop = device_new (laptop_user, NULL);
  Waiting w = { laptop, 20, FALSE, FALSE, 0 };
  TfSyncReport report;
  GThread *thread;
  gint64 pushed_at;

  sync_ok (laptop, &report); /* up to date: nothing to hear of yet */
  thread = g_thread_new ("wait", wait_thread, &w);
  g_usleep (500 * 1000);    /* the laptop is waiting */
  g_assert_cmpint (w.returned_at, ==, 0);
  put_moods (phone, phone_user->user_id, 1);
  sync_ok (phone, &report);
  pushed_at = g_get_monotonic_time ();
  g_thread_join (thread);
  g_assert_true (w.ok);
  g_assert_true (w.changes);
  /* Woken by the push, not by the 20 s timeout. */
  g_assert_cmpint (w.returned_at - pushed_at, <, 3 * G_TIME_SPAN_SECOND);
  sync_ok (laptop, &report);
  g_assert_cmpuint (report.pulled, ==, 1);

  /* Behind already (the phone pushed again): at once, even asking for a
   * longer wait than this server allows. */
  put_moods (phone, phone_user->user_id, 1);
  sync_ok (phone, &report);
  {
    g_autoptr(GError) error = NULL;
    gboolean changes = FALSE;
    gint64 start = g_get_monotonic_time ();

    g_assert_true (tf_sync_client_wait (laptop->client, laptop->store, 100000, &changes, NULL,
                                        &error));
    g_assert_no_error (error);
    g_assert_true (changes);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);
  }
}

static void
test_wait_times_out (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "quiet@example.gr", "client");
  g_autoptr(Device) device = device_new (user, NULL);
  g_autoptr(GError) error = NULL;
  gboolean changes = TRUE;
  TfSyncReport report;
  gint64 start, took;

  put_moods (device, user->user_id, 1);
  sync_ok (device, &report); /* its own change pulled back: nothing beyond the cursor */
  /* A change another test's device made visible to everyone (directory
   * rows) may still arrive once; sync it and wait again, at most twice. */
  for (int attempt = 0; attempt < 3; attempt++)
    {
      start = g_get_monotonic_time ();
      g_assert_true (tf_sync_client_wait (device->client, device->store, 2, &changes, NULL,
                                          &error));
      took = g_get_monotonic_time () - start;
      g_assert_no_error (error);
      if (!changes)
        break;
      sync_ok (device, &report);
    }
  g_assert_false (changes);
  g_assert_cmpint (took, >=, 1500 * 1000);
  g_assert_cmpint (took, <, 10 * G_TIME_SPAN_SECOND);

  /* A cancelled wait ends at once. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    g_assert_false (tf_sync_client_wait (device->client, device->store, 20, &changes, cancellable,
                                         &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

/* --- failures ------------------------------------------------------------------- */

static void
test_internal_error_keeps_changes (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "five-hundred@example.gr", "client");
  g_autoptr(Relay) relay = relay_start ("status:500", NULL);
  g_autoptr(Device) device = device_new (user, relay->base_url);
  g_autoptr(GError) error = NULL;
  g_autofree char *recorded = NULL;

  put_moods (device, user->user_id, 2);
  tf_sync_client_set_retry (device->client, 3, 10);
  g_assert_false (tf_sync_client_sync (device->client, device->store, NULL, &error));
  g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "internal error"));
  g_assert_nonnull (strstr (error->message, "500"));
  g_assert_nonnull (strstr (error->message, "changes are kept"));
  g_assert_cmpuint (relay_requests (relay), ==, 3);   /* transient: tried 3 times */
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 2);
  g_assert_cmpuint (live_moods (device, user->user_id), ==, 2);
  g_assert_cmpint (server_moods (user->user_id), ==, 0);
  recorded = state_of (device, TF_SYNC_STATE_LAST_SYNC_ERROR);
  g_assert_cmpstr (recorded, ==, error->message);
}

static void
test_database_down_keeps_changes (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "pg-down@example.gr", "client");
  g_autoptr(Device) device = device_new (user, NULL);
  g_autoptr(GError) error = NULL;
  TfSyncReport report;
  gint64 start;
  gboolean up = FALSE;

  put_moods (device, user->user_id, 2);
  tf_test_pg_ctl ("-m fast stop");
  tf_sync_client_set_retry (device->client, 2, 10);
  start = g_get_monotonic_time ();
  g_assert_false (tf_sync_client_sync (device->client, device->store, NULL, &error));
  g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "503"));
  g_assert_nonnull (strstr (error->message, "changes are kept"));
  /* The retry waited the server's Retry-After (at least 1 s), not 10 ms. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000);
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 2);
  g_clear_error (&error);

  tf_test_pg_ctl ("start");
  for (int i = 0; i < 50 && !up; i++)
    {
      g_autoptr(TfTestResponse) health = tf_test_request (server, "GET", "/healthz", NULL, NULL);
      up = health->status == 200;
      if (!up)
        g_usleep (100 * 1000);
    }
  g_assert_true (up);
  sync_ok (device, &report);
  g_assert_cmpuint (report.pushed, ==, 2);
  g_assert_cmpint (server_moods (user->user_id), ==, 2);
}

static void
test_cut_off_answer_keeps_changes (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "cut-off@example.gr", "client");
  g_autoptr(Relay) relay = relay_start ("drop", NULL);
  g_autoptr(Device) device = device_new (user, relay->base_url);
  g_autoptr(GError) error = NULL;

  put_moods (device, user->user_id, 1);
  tf_sync_client_set_retry (device->client, 2, 10);
  g_assert_false (tf_sync_client_sync (device->client, device->store, NULL, &error));
  g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "connection to the server was lost"));
  g_assert_nonnull (strstr (error->message, "changes are kept"));
  g_assert_cmpuint (relay_requests (relay), ==, 2);
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 1);
}

/* The server applies the push, its answer is lost on the way, the retry
 * gets the stored answer: applied once, acknowledged once. */
static void
test_lost_answer_is_retried_once (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "lost-answer@example.gr", "client");
  g_autoptr(Relay) relay = relay_start ("proxy", "proxy-drop", NULL);
  g_autoptr(Device) device = device_new (user, relay->base_url);
  TfSyncReport report;

  put_moods (device, user->user_id, 3);
  tf_sync_client_set_retry (device->client, 3, 10);
  sync_ok (device, &report);
  g_assert_cmpuint (report.pushed, ==, 3);
  g_assert_cmpuint (report.conflicts, ==, 0);
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 0);
  g_assert_cmpint (server_moods (user->user_id), ==, 3);
  g_assert_cmpint (server_mood_writes (user->user_id), ==, 3);
  g_assert_cmpuint (relay_requests (relay), ==, 3);   /* push, push again, pull */
}

static void
test_malformed_answer_applies_nothing (void)
{
  g_autoptr(TfTestUser) phone_user = tf_test_register (server, "malformed@example.gr", "client");
  g_autoptr(TfTestUser) laptop_user = tf_test_new_device (server, phone_user);
  g_autoptr(Device) phone = device_new (phone_user, NULL);
  g_autoptr(GError) error = NULL;
  TfSyncReport report;

  put_moods (phone, phone_user->user_id, 2);

  /* Not JSON at all (a captive portal): not retried, nothing sent on. */
  {
    g_autoptr(Relay) relay = relay_start ("not-json", NULL);
    g_autoptr(TfSyncClient) client = tf_sync_client_new (relay->base_url, phone_user->token);

    g_assert_false (tf_sync_client_sync (client, phone->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
    g_assert_nonnull (strstr (error->message, "malformed"));
    g_clear_error (&error);
    g_assert_cmpuint (relay_requests (relay), ==, 1);
    g_assert_cmpint (tf_store_outbox_count (phone->store, NULL), ==, 2);
  }

  /* A push answer without "results": the server applied it, the device
   * applies nothing; the next sync settles it from the stored answers. */
  {
    g_autoptr(Relay) relay = relay_start ("strip:results", NULL);
    g_autoptr(TfSyncClient) client = tf_sync_client_new (relay->base_url, phone_user->token);

    g_assert_false (tf_sync_client_sync (client, phone->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
    g_assert_nonnull (strstr (error->message, "malformed"));
    g_clear_error (&error);
    g_assert_cmpint (tf_store_outbox_count (phone->store, NULL), ==, 2);
    g_assert_cmpint (server_moods (phone_user->user_id), ==, 2);
  }
  sync_ok (phone, &report);
  g_assert_cmpuint (report.pushed, ==, 2);
  g_assert_cmpint (tf_store_outbox_count (phone->store, NULL), ==, 0);
  g_assert_cmpint (server_mood_writes (phone_user->user_id), ==, 2);

  /* Pull pages without "changes" or "next_cursor": nothing applied, the
   * cursor stays. */
  {
    g_autoptr(Relay) relay = relay_start ("proxy", "strip:changes", "strip:next_cursor", NULL);
    g_autoptr(Device) laptop = device_new (laptop_user, relay->base_url);

    for (int i = 0; i < 2; i++)
      {
        g_assert_false (tf_sync_client_sync (laptop->client, laptop->store, &report, &error));
        g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
        g_assert_nonnull (strstr (error->message, "malformed"));
        g_clear_error (&error);
        g_assert_cmpuint (report.pulled, ==, 0);
        g_assert_cmpuint (live_moods (laptop, phone_user->user_id), ==, 0);
        g_assert_cmpint (tf_store_get_cursor (laptop->store, NULL), ==, 0);
      }
    g_assert_cmpuint (relay_requests (relay), ==, 2); /* never retried */
    sync_ok (laptop, &report);
    g_assert_cmpuint (report.pulled, ==, server_feed (phone_user->user_id));
    g_assert_cmpuint (live_moods (laptop, phone_user->user_id), ==, 2);
  }
}

static void
test_passing_failure_is_retried (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "retry@example.gr", "client");
  g_autoptr(Relay) relay = relay_start ("proxy", "status:503:1", NULL);
  g_autoptr(Device) device = device_new (user, relay->base_url);
  g_autoptr(GError) error = NULL;
  TfSyncReport report;
  gint64 start = g_get_monotonic_time ();

  put_moods (device, user->user_id, 2);
  tf_sync_client_set_retry (device->client, 3, 10);
  sync_ok (device, &report);
  g_assert_cmpuint (report.pushed, ==, 2);
  g_assert_cmpuint (relay_requests (relay), ==, 3);   /* 503, push, pull */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * 1000); /* Retry-After: 1 */
  g_assert_cmpint (server_moods (user->user_id), ==, 2);
  g_assert_cmpint (server_mood_writes (user->user_id), ==, 2);

  /* Without retries the same failure ends the sync. */
  put_moods (device, user->user_id, 1);
  {
    g_autoptr(Relay) once = relay_start ("proxy", "status:502", NULL);
    g_autoptr(TfSyncClient) client = tf_sync_client_new (once->base_url, user->token);

    tf_sync_client_set_retry (client, 1, 10);
    g_assert_false (tf_sync_client_sync (client, device->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
    g_clear_error (&error);
    g_assert_cmpuint (relay_requests (once), ==, 1);
  }

  /* A Retry-After beyond the cap is not waited for. */
  {
    g_autoptr(Relay) busy = relay_start ("status:429:3600", NULL);
    g_autoptr(TfSyncClient) client = tf_sync_client_new (busy->base_url, user->token);

    start = g_get_monotonic_time ();
    g_assert_false (tf_sync_client_sync (client, device->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAVAILABLE);
    g_clear_error (&error);
    g_assert_cmpuint (relay_requests (busy), ==, 1);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
  }

  /* Refusals are never retried. */
  {
    g_autoptr(Relay) no = relay_start ("status:401", NULL);
    g_autoptr(Relay) bad = relay_start ("status:400", NULL);
    g_autoptr(TfSyncClient) a = tf_sync_client_new (no->base_url, user->token);
    g_autoptr(TfSyncClient) b = tf_sync_client_new (bad->base_url, user->token);

    g_assert_false (tf_sync_client_sync (a, device->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_UNAUTHORIZED);
    g_clear_error (&error);
    g_assert_false (tf_sync_client_sync (b, device->store, NULL, &error));
    g_assert_error (error, TF_SYNC_ERROR, TF_SYNC_ERROR_REFUSED);
    g_clear_error (&error);
    g_assert_cmpuint (relay_requests (no), ==, 1);
    g_assert_cmpuint (relay_requests (bad), ==, 1);
  }
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 1);
  sync_ok (device, &report);
  g_assert_cmpuint (report.pushed, ==, 1);
}

/* --- async ------------------------------------------------------------------------ */

typedef struct
{
  GMainLoop    *loop;
  gboolean      ok;
  GError       *error;
  TfSyncReport  report;
  GThread      *thread;   /* the thread the callback ran in */
} Finished;

static void
on_sync_done_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Finished *f = data;

  f->ok = tf_sync_client_sync_finish (TF_SYNC_CLIENT (source), result, &f->report, &f->error);
  f->thread = g_thread_self ();
  g_main_loop_quit (f->loop);
}

/* The worker thread lets go of its task (and with it the client and the
 * store) just after the callback has run: wait for that before checking
 * that they finalize. */
static void
wait_for_sole_ref (gpointer object)
{
  for (int i = 0; i < 5000 && g_atomic_int_get (&G_OBJECT (object)->ref_count) > 1; i++)
    g_usleep (1000);
}

static void
test_sync_async (void)
{
  g_autoptr(TfTestUser) user = tf_test_register (server, "async@example.gr", "client");
  g_autoptr(Device) device = device_new (user, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *last = NULL;
  Finished f = { loop, FALSE, NULL, { 0 }, NULL };

  put_moods (device, user->user_id, 2);
  tf_sync_client_sync_async (device->client, device->store, NULL, on_sync_done_cb, &f);
  g_main_loop_run (loop);
  g_assert_no_error (f.error);
  g_assert_true (f.ok);
  g_assert_true (f.thread == g_thread_self ());
  g_assert_cmpuint (f.report.pushed, ==, 2);
  g_assert_cmpuint (f.report.pulled, ==, server_feed (user->user_id));
  g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 0);
  last = state_of (device, TF_SYNC_STATE_LAST_SYNC);
  g_assert_nonnull (last);

  /* Cancelled: fails as cancelled, keeps the change, records no failure. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *failure = NULL;
    Finished c = { loop, TRUE, NULL, { 0 }, NULL };

    put_moods (device, user->user_id, 1);
    g_cancellable_cancel (cancellable);
    tf_sync_client_sync_async (device->client, device->store, cancellable, on_sync_done_cb, &c);
    g_main_loop_run (loop);
    g_assert_false (c.ok);
    g_assert_error (c.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&c.error);
    g_assert_cmpint (tf_store_outbox_count (device->store, NULL), ==, 1);
    failure = state_of (device, TF_SYNC_STATE_LAST_SYNC_ERROR);
    g_assert_null (failure);
  }
  wait_for_sole_ref (device->client);
  wait_for_sole_ref (device->store);
}

/* --- kill points ------------------------------------------------------------------ */

/* The child: one sync of the store at @path; dies at TF_DEBUG_KILL_AT. */
static int
child_sync (const char *path, const char *url, const char *token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfSyncClient) client = NULL;

  if (!tf_crypto_init (&error))
    return 3;
  store = tf_store_open (path, &error);
  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 2;
    }
  client = tf_sync_client_new (url, token);
  if (!tf_sync_client_sync (client, store, NULL, &error))
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  return 0;
}

/* Syncs @d in a child process that kills itself at @point; the parent's
 * store is closed meanwhile and opened again after, as an app restarted
 * after a crash opens it. */
static void
sync_killed_at (Device *d, const char *token, const char *point)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (d->store);
  d->store = NULL;
  g_subprocess_launcher_setenv (launcher, "TF_DEBUG_KILL_AT", point, TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--child-sync", d->path,
                                       server->base_url, token, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (child, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);
  d->store = tf_store_open (d->path, &error);
  g_assert_no_error (error);
}

static void
test_kill_point (gconstpointer data)
{
  const char *point = data;
  g_autofree char *email = g_strdup_printf ("kill-%s@example.gr", point);
  g_autoptr(TfTestUser) phone_user = tf_test_register (server, email, "client");
  g_autoptr(TfTestUser) laptop_user = tf_test_new_device (server, phone_user);
  g_autoptr(Device) phone = device_new (phone_user, NULL);
  g_autoptr(Device) laptop = device_new (laptop_user, NULL);
  const char *user_id = phone_user->user_id;
  TfSyncReport report;

  put_moods (phone, user_id, 3);
  if (g_str_has_prefix (point, "push-"))
    {
      sync_killed_at (phone, phone_user->token, point);
      /* The server has them, once, whether or not the phone heard. */
      g_assert_cmpint (server_moods (user_id), ==, 3);
      sync_ok (phone, &report);
      /* Not yet acknowledged: the retry gets the stored answers. */
      g_assert_cmpuint (report.pushed, ==, strcmp (point, "push-sent") == 0 ? 3 : 0);
      g_assert_cmpuint (report.conflicts, ==, 0);
      g_assert_cmpuint (report.pulled, ==, server_feed (user_id));
      sync_ok (laptop, &report);
      g_assert_cmpuint (report.pulled, ==, server_feed (user_id));
    }
  else
    {
      sync_ok (phone, &report);
      g_assert_cmpuint (report.pushed, ==, 3);
      sync_killed_at (laptop, laptop_user->token, point);
      sync_ok (laptop, &report);
      /* Each change pulled once: again if the page was not applied, not at
       * all if it was (its cursor went with it). */
      g_assert_cmpuint (report.pulled, ==,
                        strcmp (point, "pull-received") == 0 ? server_feed (user_id) : 0);
    }

  /* Everything once, everywhere. */
  sync_ok (phone, &report);
  g_assert_cmpuint (report.pushed + report.pulled, ==, 0);
  sync_ok (laptop, &report);
  g_assert_cmpuint (report.pushed + report.pulled, ==, 0);
  g_assert_cmpint (server_moods (user_id), ==, 3);
  g_assert_cmpint (server_mood_writes (user_id), ==, 3);
  g_assert_cmpuint (live_moods (phone, user_id), ==, 3);
  g_assert_cmpuint (live_moods (laptop, user_id), ==, 3);
  g_assert_cmpint (tf_store_outbox_count (phone->store, NULL), ==, 0);
  g_assert_cmpint (tf_store_outbox_count (laptop->store, NULL), ==, 0);
  g_assert_cmpint (tf_store_conflict_count (phone->store,
                                            tf_registry_lookup ("mood_entries"), NULL), ==, 0);
  g_assert_cmpint (tf_store_rejection_count (phone->store, NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  int ret;

  if (argc == 5 && strcmp (argv[1], "--child-sync") == 0)
    return child_sync (argv[2], argv[3], argv[4]);

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_assert_nonnull (self_exe);
  server = tf_test_server_start ("tf_e2e", NULL);

  g_test_add_func ("/tf/e2e/two-devices-converge", test_two_devices_converge);
  g_test_add_func ("/tf/e2e/small-pull-limit", test_small_pull_limit);
  g_test_add_func ("/tf/e2e/unreachable-server-loses-nothing", test_unreachable_server_loses_nothing);
  g_test_add_func ("/tf/e2e/refusals-are-kept", test_refusals_are_kept);
  g_test_add_func ("/tf/e2e/different-fields-merge", test_different_fields_merge);
  g_test_add_func ("/tf/e2e/same-field-keeps-both", test_same_field_keeps_both);
  g_test_add_func ("/tf/e2e/edit-survives-delete", test_edit_survives_delete);
  g_test_add_func ("/tf/e2e/last-sync-is-recorded", test_last_sync_is_recorded);
  g_test_add_func ("/tf/e2e/wait-wakes-on-push", test_wait_wakes_on_push);
  g_test_add_func ("/tf/e2e/wait-times-out", test_wait_times_out);
  g_test_add_func ("/tf/e2e/internal-error-keeps-changes", test_internal_error_keeps_changes);
  g_test_add_func ("/tf/e2e/cut-off-answer-keeps-changes", test_cut_off_answer_keeps_changes);
  g_test_add_func ("/tf/e2e/lost-answer-is-retried-once", test_lost_answer_is_retried_once);
  g_test_add_func ("/tf/e2e/malformed-answer-applies-nothing",
                   test_malformed_answer_applies_nothing);
  g_test_add_func ("/tf/e2e/passing-failure-is-retried", test_passing_failure_is_retried);
  g_test_add_func ("/tf/e2e/sync-async", test_sync_async);
  g_test_add_data_func ("/tf/e2e/killed-at/push-sent", "push-sent", test_kill_point);
  g_test_add_data_func ("/tf/e2e/killed-at/push-applied", "push-applied", test_kill_point);
  g_test_add_data_func ("/tf/e2e/killed-at/pull-received", "pull-received", test_kill_point);
  g_test_add_data_func ("/tf/e2e/killed-at/pull-applied", "pull-applied", test_kill_point);
  /* Last (a suite of its own, made after the others): it restarts
   * PostgreSQL under the server. */
  g_test_add_func ("/tf/e2e/database/down-keeps-changes", test_database_down_keeps_changes);
  ret = g_test_run ();
  tf_test_server_stop (server);
  g_free (self_exe);
  return ret;
}
