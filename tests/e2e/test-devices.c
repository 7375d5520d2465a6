/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-devices.c: real devices (SQLite files and the sync engine) against
 * the real server and PostgreSQL: offline writes converge, edits and deletes
 * travel, an unreachable server loses nothing, refusals are kept.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tf-crypto.h"
#include "tf-store-db.h"
#include "tf-store.h"
#include "tf-sync-client.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

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

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_true (tf_crypto_init (NULL));
  server = tf_test_server_start ("tf_e2e", NULL);

  g_test_add_func ("/tf/e2e/two-devices-converge", test_two_devices_converge);
  g_test_add_func ("/tf/e2e/unreachable-server-loses-nothing", test_unreachable_server_loses_nothing);
  g_test_add_func ("/tf/e2e/refusals-are-kept", test_refusals_are_kept);
  g_test_add_func ("/tf/e2e/different-fields-merge", test_different_fields_merge);
  g_test_add_func ("/tf/e2e/same-field-keeps-both", test_same_field_keeps_both);
  g_test_add_func ("/tf/e2e/edit-survives-delete", test_edit_survives_delete);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
