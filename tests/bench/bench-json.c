/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-json.c: how fast the strict JSON check is, against json-glib's own
 * parse of the same text.
 *
 *   meson test -C _build --benchmark --suite bench bench-json
 *
 * Builds a push body of about 4 MiB (the server's default body limit):
 * mutations of journal entries with encrypted content (long base64 strings),
 * Greek titles, a few escapes, numbers and nested JSON, then times
 * tf_json_check alone, json-glib alone, and tf_json_parse (both), and prints
 * MB/s for each and the share the check adds.  A figure, not a pass/fail.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-json-check.h"
#include "tf-record.h"

static char *
push_body (gsize target)
{
  GString *body = g_string_new ("{\"schema_version\": 1, \"mutations\": [");
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *user = g_uuid_string_random ();
  g_autofree char *text = g_strnfill (1500, 'a');

  for (int i = 1; body->len < target; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *content = tf_crypto_encrypt_field (key, "journal_entries", id, "content",
                                                          text, NULL);

      g_string_append_printf (body,
                              "%s{\"mutation_id\": %d, \"table\": \"journal_entries\","
                              " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %d,"
                              " \"fields\": {\"user_id\": \"%s\", \"title\": \"Ημέρα %d"
                              " \\\"καλή\\\"\\n\", \"content\": \"%s\", \"therapist_shared\":"
                              " false, \"mood_tags\": [\"ήρεμη\", \"κουρασμένη\"],"
                              " \"created_at\": \"2026-11-20T08:00:00Z\"}}",
                              i > 1 ? ", " : "", i, id, i % 7, user, i, content);
    }
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

typedef enum { CHECK, GLIB, BOTH } Mode;

static double
mb_per_s (const char *text, gsize len, Mode mode, guint rounds)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;

      if (mode == CHECK)
        g_assert_true (tf_json_check (text, len, &error));
      else if (mode == GLIB)
        {
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();
          g_assert_true (json_parser_load_from_data (parser, text, (gssize) len, &error));
        }
      else
        {
          g_autoptr(JsonNode) node = tf_json_parse (text, (gssize) len, &error);
          g_assert_nonnull (node);
        }
    }
  return (double) len * rounds / (1024.0 * 1024.0) /
         ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  g_autofree char *body = NULL;
  gsize len;
  double check, glib, both;

  g_assert_true (tf_crypto_init (NULL));
  body = push_body (4 << 20);
  len = strlen (body);
  check = mb_per_s (body, len, CHECK, 50);
  glib = mb_per_s (body, len, GLIB, 10);
  both = mb_per_s (body, len, BOTH, 10);
  g_print ("push body: %.2f MiB\n", len / (1024.0 * 1024.0));
  g_print ("tf_json_check:           %8.1f MB/s\n", check);
  g_print ("json-glib parse:         %8.1f MB/s\n", glib);
  g_print ("tf_json_parse (both):    %8.1f MB/s\n", both);
  g_print ("the check adds %.1f%% to json-glib's time\n", 100.0 * glib / check);
  return 0;
}
