/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-repository.c: the list models the app binds to follow the store —
 * local writes, edits, deletes and pulled pages — decrypted, with one
 * reload however many records change, and only the changed range announced;
 * a derived list (the goals with their progress) alike.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "tf-booking-lists.h"
#include "tf-goals.h"
#include "tf-goals-list.h"
#include "tf-keys.h"
#include "tf-repository.h"
#include "tf-signed.h"
#include "tf-store.h"
#include "tf-time.h"

#define CLIENT "5a0c2f11-6f0b-4d8e-8b6e-0f3c6f1d2a77"

typedef struct
{
  char         *dir;
  char         *path;
  TfStore      *store;
  TfVault      *vault;
  TfRepository *journal;
  guint         emissions;
  guint         last_position, last_removed, last_added;
} Fixture;

static void
on_items_changed (GListModel *model, guint position, guint removed, guint added, gpointer data)
{
  Fixture *f = data;

  f->emissions++;
  f->last_position = position;
  f->last_removed = removed;
  f->last_added = added;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) kdf = tf_keys_new_kdf (TF_KEYS_KDF_OPSLIMIT_FLOOR,
                                               TF_KEYS_KDF_MEMLIMIT_FLOOR);
  g_autoptr(JsonObject) keys_json = NULL;
  g_autoptr(TfSecret) auth = NULL, kek = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(GError) error = NULL;
  TfKeys *keys;

  f->dir = g_dir_make_tmp ("tf-repo-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "profile.db", NULL);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_keys_derive (kdf, "κωδικός", &auth, &kek, &error));
  keys = tf_keys_create (kdf, kek, &keys_json, &recovery, NULL, &error);
  g_assert_no_error (error);
  f->vault = tf_vault_new (f->store, CLIENT, keys);
  f->journal = tf_repository_new (f->vault, tf_registry_lookup ("journal_entries"), NULL, NULL);
  g_signal_connect (f->journal, "items-changed", G_CALLBACK (on_items_changed), f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_assert_finalize_object (f->journal);
  g_assert_finalize_object (f->vault);
  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
write_entry (Fixture *f, const char *id, const char *created, const char *content)
{
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "user_id", CLIENT);
  json_object_set_string_member (plain, "title", "τίτλος");
  json_object_set_string_member (plain, "content", content);
  json_object_set_boolean_member (plain, "therapist_shared", FALSE);
  json_object_set_string_member (plain, "created_at", created);
  g_assert_true (tf_vault_put (f->vault, tf_registry_lookup ("journal_entries"), id, plain,
                               &error));
  g_assert_no_error (error);
}

static const char *
content_at (Fixture *f, guint position)
{
  g_autoptr(TfItem) item = g_list_model_get_item (G_LIST_MODEL (f->journal), position);

  g_assert_nonnull (item);
  /* The string belongs to the plain form the model keeps. */
  return tf_item_get_string (item, "content");
}

static void
test_follows_writes (Fixture *f, gconstpointer data)
{
  const char *ids[] = { "0f4b9c1e-1111-4a0b-9c1e-0123456789ab",
                        "0f4b9c1e-2222-4a0b-9c1e-0123456789ab",
                        "0f4b9c1e-3333-4a0b-9c1e-0123456789ab" };
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->journal)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->journal)) == TF_TYPE_ITEM);

  /* Three writes, one reload, announced as one range of three. */
  write_entry (f, ids[0], "2026-11-01T10:00:00Z", "πρώτη");
  write_entry (f, ids[1], "2026-11-02T10:00:00Z", "δεύτερη");
  write_entry (f, ids[2], "2026-11-03T10:00:00Z", "τρίτη");
  g_assert_cmpuint (f->emissions, ==, 0);
  drain ();
  g_assert_cmpuint (f->emissions, ==, 1);
  g_assert_cmpuint (f->last_position, ==, 0);
  g_assert_cmpuint (f->last_removed, ==, 0);
  g_assert_cmpuint (f->last_added, ==, 3);
  /* Newest first, decrypted. */
  g_assert_cmpstr (content_at (f, 0), ==, "τρίτη");
  g_assert_cmpstr (content_at (f, 2), ==, "πρώτη");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->journal), 3));

  /* An edit of the middle one announces just that one. */
  write_entry (f, ids[1], "2026-11-02T10:00:00Z", "δεύτερη, διορθωμένη");
  drain ();
  g_assert_cmpuint (f->emissions, ==, 2);
  g_assert_cmpuint (f->last_position, ==, 1);
  g_assert_cmpuint (f->last_removed, ==, 1);
  g_assert_cmpuint (f->last_added, ==, 1);
  g_assert_cmpstr (content_at (f, 1), ==, "δεύτερη, διορθωμένη");

  /* A delete takes it out. */
  g_assert_true (tf_vault_delete (f->vault, tf_registry_lookup ("journal_entries"), ids[0],
                                  &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (f->emissions, ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->journal)), ==, 2);
  g_assert_cmpuint (f->last_position, ==, 2);
  g_assert_cmpuint (f->last_removed, ==, 1);
  g_assert_cmpuint (f->last_added, ==, 0);

  /* Another table's change does not reload; nor does a refresh that finds
   * nothing new announce anything. */
  g_assert_true (tf_repository_refresh (f->journal, &error));
  g_assert_cmpuint (f->emissions, ==, 3);
  g_assert_null (tf_repository_get_error (f->journal));
}

/* Records arriving from another device show up by themselves; a page of
 * many records is one reload. */
static void
test_follows_pulled_pages (Fixture *f, gconstpointer data)
{
  g_autoptr(TfRepository) goals = tf_repository_new (f->vault, tf_registry_lookup ("goals"),
                                                     "user_id", CLIENT);
  g_autoptr(JsonArray) changes = json_array_new ();
  g_autoptr(GError) error = NULL;
  guint before = f->emissions;

  for (int i = 0; i < 20; i++)
    {
      JsonObject *record = json_object_new ();
      JsonObject *fields = json_object_new ();
      g_autofree char *id = g_strdup_printf ("0f4b9c1e-5555-4a0b-9c1e-%012d", i);
      g_autofree char *title = g_strdup_printf ("στόχος %d", i);

      json_object_set_string_member (fields, "id", id);
      json_object_set_string_member (fields, "user_id", CLIENT);
      json_object_set_string_member (fields, "title", title);
      json_object_set_string_member (fields, "created_at", "2026-11-05T10:00:00Z");
      json_object_set_string_member (record, "table", "goals");
      json_object_set_string_member (record, "id", id);
      json_object_set_int_member (record, "version", i + 1);
      json_object_set_boolean_member (record, "deleted", FALSE);
      /* Signed by their author, as the other device signed them. */
      {
        g_autoptr(TfRecord) signed_record = tf_record_new (tf_registry_lookup ("goals"), id);
        g_autofree char *signature = NULL;

        json_object_unref (signed_record->fields);
        signed_record->fields = tf_json_object_dup (fields);
        signature = tf_signed_record_sign (
          tf_keys_get_signing_secret (tf_vault_get_keys (f->vault)), signed_record, 1, &error);
        g_assert_no_error (error);
        json_object_set_int_member (record, "revision", 1);
        json_object_set_string_member (record, "signature", signature);
      }
      json_object_set_object_member (record, "fields", fields);
      json_array_add_object_element (changes, record);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (goals)), ==, 0);
  g_assert_true (tf_store_apply_pull (f->store, changes, 20, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (goals)), ==, 20);
  /* The journal list did not reload for another table's page. */
  g_assert_cmpuint (f->emissions, ==, before);
}

/* The goals page's list: each goal with how it goes, and a day marked
 * done changes that goal's record only. */
static void
test_goals_with_progress (Fixture *f, gconstpointer data)
{
  g_autoptr(TfRepository) goals = tf_goals_list_new (f->vault);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *walk = g_uuid_string_random (), *read = g_uuid_string_random ();
  g_autofree char *mark = g_uuid_string_random ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfItem) item = NULL;
  guint position, before;

  g_signal_connect (goals, "items-changed", G_CALLBACK (on_items_changed), f);
  g_assert_true (tf_goal_save (f->vault, walk, "Περπάτημα", "weekly", 3, NULL, &error));
  g_assert_true (tf_goal_save (f->vault, read, "Διάβασμα", "daily", 1, NULL, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (goals)), ==, 2);
  item = tf_repository_dup_item (goals, walk);
  g_assert_false (tf_item_get_boolean (item, "done_today", TRUE));
  g_assert_cmpint (tf_item_get_int (item, "done_in_period", -1), ==, 0);
  g_clear_object (&item);

  before = f->emissions;
  g_assert_true (tf_goal_mark_done (f->vault, mark, walk, today, NULL, NULL, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (f->emissions, ==, before + 1);
  g_assert_cmpuint (f->last_removed, ==, 1);
  g_assert_cmpuint (f->last_added, ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (goals), f->last_position);
  g_assert_cmpstr (tf_item_get_id (item), ==, walk);
  g_assert_true (tf_item_get_boolean (item, "done_today", FALSE));
  g_assert_cmpint (tf_item_get_int (item, "current_streak", 0), ==, 1);
  g_assert_cmpint (tf_item_get_int (item, "best_streak", 0), ==, 1);
  g_assert_cmpint (tf_item_get_int (item, "done_in_period", 0), ==, 1);
  g_clear_object (&item);
  position = f->last_position;
  item = g_list_model_get_item (G_LIST_MODEL (goals), position == 0 ? 1 : 0);
  g_assert_cmpstr (tf_item_get_id (item), ==, read);
  g_assert_false (tf_item_get_boolean (item, "done_today", TRUE));
  g_clear_object (&item);
  g_signal_handlers_disconnect_by_data (goals, f);
  g_assert_finalize_object (g_steal_pointer (&goals));
}

static gboolean
first_is_past (gpointer data)
{
  g_autoptr(TfItem) item = g_list_model_get_item (data, 0);

  return item != NULL && !tf_item_get_boolean (item, "upcoming", TRUE);
}

/* An appointment that ends while the list is shown moves from upcoming to
 * past by the list's own clock: nothing in the store changed to say so. */
static void
test_appointment_ends_by_the_clock (Fixture *f, gconstpointer data)
{
  g_autoptr(TfRepository) mine = tf_booking_mine_new (f->vault);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  /* Fifty minutes long, over in two seconds. */
  g_autoptr(GDateTime) start = g_date_time_add_seconds (now, 2 - 50 * 60);
  g_autofree char *start_text = tf_time_format_timestamp (start);
  /* Booked the week before. */
  g_autoptr(GDateTime) booked = g_date_time_add_days (now, -7);
  g_autofree char *stamp = tf_time_format_timestamp (booked);
  g_autofree char *id = g_uuid_string_random (), *therapist = g_uuid_string_random ();
  g_autoptr(JsonObject) plain = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfItem) item = NULL;
  gint64 deadline;
  guint before;

  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "therapist_id", therapist);
  json_object_set_string_member (plain, "client_id", CLIENT);
  json_object_set_string_member (plain, "appointment_datetime", start_text);
  json_object_set_int_member (plain, "duration", 50);
  json_object_set_string_member (plain, "status", "confirmed");
  json_object_set_string_member (plain, "price", "60.00");
  json_object_set_string_member (plain, "created_at", stamp);
  json_object_set_string_member (plain, "updated_at", stamp);
  g_assert_true (tf_vault_put (f->vault, tf_registry_lookup ("appointments"), id, plain, &error));
  g_assert_no_error (error);
  drain ();
  item = g_list_model_get_item (G_LIST_MODEL (mine), 0);
  g_assert_nonnull (item);
  g_assert_true (tf_item_get_boolean (item, "upcoming", FALSE));

  g_signal_connect (mine, "items-changed", G_CALLBACK (on_items_changed), f);
  before = f->emissions;
  /* Its end, two seconds away, is when the list looks at the clock: well
   * before any periodic look would. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!first_is_past (mine) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (first_is_past (mine));
  g_assert_cmpuint (f->emissions, ==, before + 1);
  g_signal_handlers_disconnect_by_data (mine, f);
  g_assert_finalize_object (g_steal_pointer (&mine));
}

/* An appointment at @minutes from @now (µs), @duration long. */
static JsonObject *
appointment_at (gint64 now, int minutes, int duration)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc ((now / G_USEC_PER_SEC) + minutes * 60);
  g_autofree char *text = tf_time_format_timestamp (at);
  JsonObject *appointment = json_object_new ();

  json_object_set_string_member (appointment, "appointment_datetime", text);
  json_object_set_int_member (appointment, "duration", duration);
  return appointment;
}

/* The next change of a list of appointments is the soonest start or end
 * to come, in a list of appointments or of days holding them; none when
 * all have ended. */
static void
test_next_change (Fixture *f, gconstpointer data)
{
  gint64 now = g_get_real_time ();
  gint64 second = now / G_USEC_PER_SEC * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *day = json_object_new ();
  JsonArray *appointments = json_array_new ();

  g_assert_cmpint (tf_booking_next_change (records, now), ==, 0);
  /* Ended an hour ago: nothing to come. */
  g_ptr_array_add (records, appointment_at (now, -120, 50));
  g_assert_cmpint (tf_booking_next_change (records, now), ==, 0);
  /* Begun ten minutes ago, fifty long: its end, in forty. */
  g_ptr_array_add (records, appointment_at (now, -10, 50));
  g_assert_cmpint (tf_booking_next_change (records, now), ==, second + (gint64) 40 * 60 * G_USEC_PER_SEC);
  /* A day of the week holding one that begins in five minutes. */
  json_array_add_object_element (appointments, appointment_at (now, 5, 50));
  json_object_set_array_member (day, "appointments", appointments);
  g_ptr_array_add (records, day);
  g_assert_cmpint (tf_booking_next_change (records, now), ==, second + (gint64) 5 * 60 * G_USEC_PER_SEC);
}

/* A therapist's free times the list shows follow their booking rules when
 * the rules arrive: the day after tomorrow has slots, and none once the
 * therapist asks for three days' notice — the same list, no reopening. */
static void
test_slots_follow_rules (Fixture *f, gconstpointer data)
{
  g_autofree char *therapist = g_uuid_string_random ();
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) now = g_date_time_new_now (athens);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 2);
  g_autoptr(TfRepository) slots = NULL;
  g_autoptr(JsonObject) rules = json_object_new ();
  g_autoptr(GError) error = NULL;

  for (int d = 0; d <= 6; d++)
    {
      g_autoptr(JsonObject) hours = json_object_new ();
      g_autofree char *id = g_uuid_string_random ();

      json_object_set_string_member (hours, "id", id);
      json_object_set_string_member (hours, "therapist_id", therapist);
      json_object_set_int_member (hours, "day_of_week", d);
      json_object_set_string_member (hours, "start_time", "09:00:00");
      json_object_set_string_member (hours, "end_time", "17:00:00");
      g_assert_true (tf_vault_put (f->vault, tf_registry_lookup ("therapist_availability"), id,
                                   hours, &error));
      g_assert_no_error (error);
    }
  slots = tf_booking_slots_new (f->vault, therapist, NULL, g_date_time_get_year (day),
                                g_date_time_get_month (day), g_date_time_get_day_of_month (day));
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), >, 0);

  json_object_set_string_member (rules, "therapist_id", therapist);
  json_object_set_int_member (rules, "min_notice_minutes", 3 * 24 * 60);
  g_assert_true (tf_vault_put (f->vault, tf_registry_lookup ("therapist_booking_rules"),
                               therapist, rules, &error));
  g_assert_no_error (error);
  drain ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (slots)), ==, 0);
  g_assert_finalize_object (g_steal_pointer (&slots));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/repository/follows-writes", Fixture, NULL, fixture_set_up, test_follows_writes,
              fixture_tear_down);
  g_test_add ("/repository/follows-pulled-pages", Fixture, NULL, fixture_set_up,
              test_follows_pulled_pages, fixture_tear_down);
  g_test_add ("/repository/goals-with-progress", Fixture, NULL, fixture_set_up,
              test_goals_with_progress, fixture_tear_down);
  g_test_add ("/repository/next-appointment-change", Fixture, NULL, fixture_set_up,
              test_next_change, fixture_tear_down);
  g_test_add ("/repository/appointment-ends-by-the-clock", Fixture, NULL, fixture_set_up,
              test_appointment_ends_by_the_clock, fixture_tear_down);
  g_test_add ("/repository/slots-follow-rules", Fixture, NULL, fixture_set_up,
              test_slots_follow_rules, fixture_tear_down);
  return g_test_run ();
}
