/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fuzz-answer.c: the device's reading of the server's answers to a push, a
 * pull and a long poll (client/sync/tf-sync-answer.c), all the way into a
 * real store, as tf-sync-client.c runs it after each request.
 *
 * The input is an HTTP status line and the body, as a hostile or broken
 * server could send them:
 *
 *   push 200\n{"results": [...], "last_mutation_id": 3}
 *   pull 200\n{"changes": [...], "next_cursor": 9, "has_more": false}
 *   wait 200\n{"changes": true}
 *
 * Each input gets a fresh store holding three local edits not yet
 * pushed (outbox mutation ids 1 to 3: a mood entry, a journal entry and a
 * goal, ids in tf-fuzz.h), as a push of them gets its answer, so push
 * results can apply, reject, conflict with them and repeat them (another
 * copy of the profile), and pulled records and the server's
 * last_mutation_id can meet them.  A refusal must come with a
 * TF_SYNC_ERROR (or the store's own error for a store failure), and a
 * malformed answer must leave the outbox as it was.
 */
#define G_LOG_DOMAIN "fuzz-answer"

#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tf-error.h"
#include "tf-fuzz.h"
#include "tf-store.h"
#include "tf-sync-answer.h"
#include "tf-test-sample.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static TfStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  TfStore *store = tf_store_open (path, &error);

  if (store == NULL)
    g_error ("cannot open a store: %s", error->message);
  return store;
}

/* The store file with the edits is made once; each input gets a copy, which
 * opens without running the migrations again.  In memory (/dev/shm) when
 * there is one: SQLite's and GLib's fsyncs on a disk make it eight times
 * slower. */
static char *work_dir;
static char *work_path;
static GBytes *template_bytes;

static void
remove_work_files (void)
{
  const char *names[] = { "store.db", "store.db-wal", "store.db-shm", "template.db" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (work_dir, names[i], NULL);
      g_unlink (path);
    }
  g_rmdir (work_dir);
}

static void
make_template (void)
{
  static const struct { const char *table; const char *id; } edits[] = {
    { "mood_entries", TF_FUZZ_MOOD_ID }, { "journal_entries", TF_FUZZ_JOURNAL_ID },
    { "goals", TF_FUZZ_GOAL_ID },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *template_path = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  if (g_access ("/dev/shm", W_OK) == 0)
    work_dir = g_mkdtemp (g_strdup ("/dev/shm/fuzz-answer-XXXXXX"));
  if (work_dir == NULL)
    work_dir = g_dir_make_tmp ("fuzz-answer-XXXXXX", &error);
  if (work_dir == NULL)
    g_error ("cannot make a directory: %s", error->message);
  atexit (remove_work_files);
  template_path = g_build_filename (work_dir, "template.db", NULL);
  work_path = g_build_filename (work_dir, "store.db", NULL);
  {
    g_autoptr(TfStore) store = open_store (template_path);

    for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
      {
        const TfTable *table = tf_registry_lookup (edits[i].table);
        g_autoptr(JsonObject) fields = tf_test_sample_fields (table, edits[i].id);

        if (!tf_store_put (store, table, edits[i].id, fields, &error))
          g_error ("cannot write the sample %s: %s", edits[i].table, error->message);
      }
    /* A profile that has pushed before, so "repeat" answers above its ids
     * count as another copy's. */
    if (!tf_store_set_sent_mutation (store, 0, &error))
      g_error ("cannot keep the ids sent: %s", error->message);
  }
  /* Closed: the write-ahead log is folded into the file. */
  if (!g_file_get_contents (template_path, &contents, &length, &error))
    g_error ("cannot read the template store: %s", error->message);
  template_bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_unlink (template_path);
}

static TfStore *
store_with_edits (void)
{
  g_autoptr(GError) error = NULL;
  const char *suffixes[] = { "-wal", "-shm" };
  gsize length;
  const char *bytes = g_bytes_get_data (template_bytes, &length);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (work_path, suffixes[i], NULL);
      g_unlink (path);
    }
  if (!g_file_set_contents (work_path, bytes, (gssize) length, &error))
    g_error ("cannot copy the template store: %s", error->message);
  return open_store (work_path);
}

static guint
outbox_length (TfStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) outbox = tf_store_outbox_peek (store, 1000, &error);

  if (outbox == NULL)
    g_error ("cannot read the outbox: %s", error->message);
  return json_array_get_length (outbox);
}

/* A refusal names its reason: the sync's domain for the answer's faults. */
static void
expect_refusal (GError *error, const char *what)
{
  if (error == NULL)
    g_error ("%s refused without an error", what);
  if (error->domain != TF_SYNC_ERROR && error->domain != TF_STORE_ERROR)
    g_error ("%s refused with an error of another layer: %s", what, error->message);
}

static void
read_push (TfStore *store, JsonObject *answer)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) applied = NULL;
  TfSyncReport report = { 0 };
  guint before = outbox_length (store);
  gint64 sent_before;
  JsonArray *results = tf_sync_answer_push_results (answer, &error);

  if (results == NULL)
    {
      expect_refusal (error, "a push answer");
      if (outbox_length (store) != before)
        g_error ("a malformed push answer changed the outbox");
      return;
    }
  /* As push_all does: the highest id sent before (0: the template's), then
   * this batch's, 1 to 3, saved before the answer is read. */
  sent_before = tf_store_get_sent_mutation (store, &error);
  if (sent_before != 0 || !tf_store_set_sent_mutation (store, 3, &error))
    g_error ("cannot keep the ids sent: %s", error ? error->message : "not the template's");
  applied = tf_sync_answer_apply_push (store, answer, results, sent_before, 3, &report, &error);
  if (applied == NULL || !tf_sync_answer_merge_push (store, applied, &report, &error))
    expect_refusal (error, "applying push results");
}

static void
read_pull (TfStore *store, JsonObject *page)
{
  g_autoptr(GError) error = NULL;
  gint64 cursor = tf_store_get_cursor (store, &error);
  TfSyncReport report = { 0 };
  gint64 next_cursor = -1;
  gboolean more = FALSE;
  JsonArray *changes;

  g_assert (cursor == 0);
  changes = tf_sync_answer_pull_changes (page, cursor, &next_cursor, &more, &error);
  if (changes == NULL)
    {
      expect_refusal (error, "a pull page");
      return;
    }
  if (!tf_sync_answer_check_bookkeeping (store, page, &report, &error))
    {
      expect_refusal (error, "a pull page's last_mutation_id");
      return;
    }
  if (!tf_sync_answer_apply_pull (store, changes, next_cursor, NULL, &error))
    {
      expect_refusal (error, "a pull page");
      if (tf_store_get_cursor (store, NULL) != cursor)
        g_error ("a refused pull page moved the cursor");
      return;
    }
  if (tf_store_get_cursor (store, &error) != next_cursor)
    g_error ("an applied pull page did not move the cursor to its next_cursor");
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  const guint8 *newline = memchr (data, '\n', size);
  g_autofree char *head = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  gboolean transient = FALSE;
  guint64 status;
  char *end = NULL;
  const char *body;
  gsize body_size;

  tf_fuzz_init (FALSE);
  if (template_bytes == NULL)
    make_template ();
  if (newline == NULL || newline - data < 6)
    return 0;
  head = tf_fuzz_strndup (data, (gsize) (newline - data));
  if (strncmp (head, "push ", 5) != 0 && strncmp (head, "pull ", 5) != 0 &&
      strncmp (head, "wait ", 5) != 0)
    return 0;
  status = g_ascii_strtoull (head + 5, &end, 10);
  if (end == head + 5 || *end != '\0' || status > 999)
    return 0;
  body = (const char *) newline + 1;
  body_size = size - (gsize) (newline + 1 - data);

  answer = tf_sync_answer_decode ((guint) status, body, body_size, &code, &transient, &error);
  if (answer == NULL)
    {
      expect_refusal (error, "an answer");
      if (status >= 200 && status < 300 && transient)
        g_error ("a 2xx answer is a passing failure");
      return 0;
    }
  if (status < 200 || status >= 300)
    g_error ("a %u answer was taken as a success", (guint) status);

  if (head[1] == 'a')
    {
      gboolean changes;

      if (!tf_sync_answer_wait_changes (answer, &changes, &error))
        expect_refusal (error, "a wait answer");
      return 0;
    }
  store = store_with_edits ();
  if (head[1] == 'u' && head[2] == 's')
    read_push (store, answer);
  else
    read_pull (store, answer);
  return 0;
}
