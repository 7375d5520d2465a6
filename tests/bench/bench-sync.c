/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-sync.c: records per second through the real server, against a raw
 * COPY of the same rows into the same table.
 *
 *   meson test -C _build --benchmark --suite bench    (or build-aux/tf-pg bench-sync)
 *
 * Pushes TF_BENCH_RECORDS mood entries (default 5000) in batches of
 * TF_BENCH_BATCH (default 250) over HTTP on loopback, pulls them back from
 * another device in pages of the server's pull limit, then COPYs the same
 * number of rows straight into mood_entries, and prints each rate and the
 * ratios.  A figure, not a pass/fail: compare runs on the same machine.
 */
#include "config.h"

#include <stdlib.h>

#include "tf-crypto.h"
#include "tf-test-pg.h"
#include "tf-test-server.h"

static guint
env_uint (const char *name, guint fallback)
{
  const char *value = g_getenv (name);

  return value ? (guint) strtoul (value, NULL, 10) : fallback;
}

static char *
mood_row_fields (const char *id, const char *user, int i, TfSecret *key)
{
  g_autofree char *notes = tf_crypto_encrypt_field (key, "mood_entries", id, "notes",
                                                    "κουρασμένη μετά τη δουλειά", NULL);

  return g_strdup_printf ("{\"user_id\": \"%s\", \"mood_value\": %d, \"energy_level\": %d,"
                          " \"created_at\": \"2026-11-%02dT%02d:%02d:00Z\", \"notes\": \"%s\"}",
                          user, 1 + i % 10, 1 + (i / 10) % 10, 1 + i % 28, i % 24, i % 60, notes);
}

int
main (int argc, char **argv)
{
  guint records = env_uint ("TF_BENCH_RECORDS", 5000);
  guint batch = env_uint ("TF_BENCH_BATCH", 250);
  TfTestServer *server;
  g_autoptr(TfTestUser) phone = NULL;
  g_autoptr(TfTestUser) laptop = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PGconn) conn = NULL;
  g_autoptr(GString) copy = g_string_new (NULL);
  g_autoptr(PGresult) begin = NULL;
  gint64 start, push_us, pull_us, copy_us, cursor = 0;
  guint pulled = 0, mutation = 0;
  gboolean more = TRUE;

  g_assert_true (tf_crypto_init (NULL));
  key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  server = tf_test_server_start ("tf_bench", "batch-limit=1000\npull-limit=1000\n"
                                 "body-limit=67108864");
  phone = tf_test_register (server, "bench@example.gr", "client");
  laptop = tf_test_new_device (server, phone);

  /* Requests are built before the clock starts: the server is measured. */
  for (guint done = 0; done < records; done += batch)
    {
      GString *body = g_string_new ("{\"schema_version\": 1, \"mutations\": [");
      for (guint i = done; i < MIN (records, done + batch); i++)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *fields = mood_row_fields (id, phone->user_id, (int) i, key);
          g_string_append_printf (body, "%s{\"mutation_id\": %u, \"table\": \"mood_entries\","
                                  " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                                  " \"fields\": %s}", i > done ? ", " : "", ++mutation, id, fields);
        }
      g_string_append (body, "]}");
      g_ptr_array_add (bodies, g_string_free (body, FALSE));
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < bodies->len; i++)
    {
      g_autoptr(TfTestResponse) r = tf_test_request (server, "POST", "/v1/sync/push",
                                                     phone->token, g_ptr_array_index (bodies, i));
      if (r->status != 200 || g_strstr_len (r->text, -1, "\"rejected\"") != NULL)
        g_error ("push failed: %u %.300s", r->status, r->text);
    }
  push_us = g_get_monotonic_time () - start;

  start = g_get_monotonic_time ();
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/v1/sync/pull?cursor=%" G_GINT64_FORMAT
                                               "&limit=1000", cursor);
      g_autoptr(TfTestResponse) r = tf_test_request (server, "GET", path, laptop->token, NULL);
      JsonObject *o = tf_test_response_object (r);

      JsonArray *changes = json_object_get_array_member (o, "changes");

      /* The pull also brings the user's own profile: count the entries. */
      for (guint i = 0; i < json_array_get_length (changes); i++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (changes, i),
                                                      "table"), "mood_entries") == 0)
          pulled++;
      cursor = json_object_get_int_member (o, "next_cursor");
      more = json_object_get_boolean_member (o, "has_more");
    }
  pull_us = g_get_monotonic_time () - start;
  if (pulled != records)
    g_error ("pulled %u records, pushed %u", pulled, records);

  /* The same rows, COPYed straight into the same table. */
  for (guint i = 0; i < records; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *notes = tf_crypto_encrypt_field (key, "mood_entries", id, "notes",
                                                        "κουρασμένη μετά τη δουλειά", NULL);
      g_string_append_printf (copy, "%s\t%s\t%u\t%u\t2026-11-%02uT%02u:%02u:00Z\t%s\t%u\n",
                              id, phone->user_id, 1 + i % 10, 1 + (i / 10) % 10, 1 + i % 28,
                              i % 24, i % 60, notes, i + 1);
    }
  conn = tf_test_pg_connect (server->conninfo);
  start = g_get_monotonic_time ();
  begin = PQexec (conn, "COPY mood_entries (id, user_id, mood_value, energy_level, created_at,"
                        " notes, version) FROM STDIN");
  g_assert_cmpint (PQresultStatus (begin), ==, PGRES_COPY_IN);
  g_assert_cmpint (PQputCopyData (conn, copy->str, (int) copy->len), ==, 1);
  g_assert_cmpint (PQputCopyEnd (conn, NULL), ==, 1);
  {
    g_autoptr(PGresult) end = PQgetResult (conn);
    if (PQresultStatus (end) != PGRES_COMMAND_OK)
      g_error ("COPY failed: %s", PQresultErrorMessage (end));
  }
  copy_us = g_get_monotonic_time () - start;

  g_print ("records: %u, push batch: %u, pull page: 1000\n", records, batch);
  g_print ("push: %10.0f records/s  (%.3f s)\n", records / (push_us / 1e6), push_us / 1e6);
  g_print ("pull: %10.0f records/s  (%.3f s)\n", records / (pull_us / 1e6), pull_us / 1e6);
  g_print ("COPY: %10.0f records/s  (%.3f s)\n", records / (copy_us / 1e6), copy_us / 1e6);
  g_print ("push/COPY: %.3f   pull/COPY: %.3f\n", (double) copy_us / push_us,
           (double) copy_us / pull_us);

  tf_test_server_stop (server);
  return 0;
}
