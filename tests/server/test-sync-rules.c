/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sync-rules.c: what the server decides in a pushed record, whatever
 * a device sends — pushed to the real server on loopback, read back from
 * the real schema: a booking's price, length and created_at are the
 * server's, and it books only a therapist in care, in their hours, with
 * notice, a few pending at a time; timestamps are the server's clock (or,
 * for a person's writing, not later than it); a changed licence number
 * loses its verification; no text column takes more than its cap.
 */
#include "config.h"

#include <string.h>

#include "tf-crypto.h"
#include "tf-registry.h"
#include "tf-test-pg.h"
#include "tf-test-sample.h"
#include "tf-test-server.h"
#include "tf-time.h"

static TfTestServer *server;
static int counter;

static TfTestResponse *
push (TfTestUser *user, const char *mutations)
{
  g_autofree char *body = g_strdup_printf ("{\"schema_version\": 1, \"mutations\": [%s]}",
                                           mutations);
  return tf_test_request (server, "POST", "/v1/sync/push", user->token, body);
}

static JsonObject *
result_at (TfTestResponse *response, guint index)
{
  JsonArray *results;

  if (response->status != 200)
    g_error ("push failed: %u %s", response->status, response->text);
  results = json_object_get_array_member (tf_test_response_object (response), "results");
  g_assert_cmpuint (index, <, json_array_get_length (results));
  return json_array_get_object_element (results, index);
}

static const char *
status_at (TfTestResponse *response, guint index)
{
  return json_object_get_string_member (result_at (response, index), "status");
}

static TfTestUser *
new_user (const char *role)
{
  g_autofree char *email = g_strdup_printf ("rules-%s%d@example.gr", role, ++counter);

  return tf_test_register (server, email, role);
}

static char *db_text (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* The first value of an SQL query, as text (g_free). */
static char *
db_text (const char *format, ...)
{
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return tf_test_pg_value (conn, sql);
}

/* @text (taken) as a number; the query must have answered one. */
static gint64
take_int (char *text)
{
  g_autofree char *value = text;

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

/* The first value of an SQL query, as a number. */
#define db_int(...) take_int (db_text (__VA_ARGS__))

/* --- verification ---------------------------------------------------------- */

static char *
therapist_mutation (gint64 mutation_id, TfTestUser *therapist, gint64 base, const char *license,
                    const char *bio)
{
  /* What the device holds: the row as pulled, verified flag included. */
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"therapists\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"user_id\": \"%s\", \"license_number\": \"%s\","
                          " \"license_verified\": true, \"bio\": \"%s\"}}",
                          mutation_id, therapist->user_id, base, therapist->user_id, license, bio);
}

/* A verified licence stays verified while its number stays; a new number
 * is not the one that was checked, so the same write clears it, and the
 * answer tells the device. */
static void
test_licence_change_clears_verification (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autofree char *license = NULL;
  g_autofree char *keep = NULL, *swap = NULL;
  g_autoptr(TfTestResponse) kept = NULL, swapped = NULL;
  JsonObject *record;
  gint64 version;

  /* An administrator verified it (there is no admin endpoint yet: SQL). */
  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *sql = g_strdup_printf ("UPDATE therapists SET license_verified = true"
                                            " WHERE user_id = '%s'", therapist->user_id);
    tf_test_pg_exec (conn, sql);
  }
  license = db_text ("SELECT license_number FROM therapists WHERE user_id = '%s'",
                     therapist->user_id);
  version = db_int ("SELECT version FROM therapists WHERE user_id = '%s'", therapist->user_id);

  keep = therapist_mutation (1, therapist, version, license, "Ψυχολόγος");
  kept = push (therapist, keep);
  g_assert_cmpstr (status_at (kept, 0), ==, "applied");
  g_assert_cmpint (db_int ("SELECT license_verified::int FROM therapists WHERE user_id = '%s'",
                           therapist->user_id), ==, 1);

  version = json_object_get_int_member (result_at (kept, 0), "version");
  swap = therapist_mutation (2, therapist, version, "GR-SWAPPED-1", "Ψυχολόγος");
  swapped = push (therapist, swap);
  g_assert_cmpstr (status_at (swapped, 0), ==, "applied");
  g_assert_cmpint (db_int ("SELECT license_verified::int FROM therapists WHERE user_id = '%s'",
                           therapist->user_id), ==, 0);
  /* The answer carries the stored record: the device shows "not verified". */
  record = json_object_get_object_member (result_at (swapped, 0), "record");
  g_assert_nonnull (record);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (record, "fields"),
                                                  "license_verified"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record, "fields"),
                                                  "license_number"), ==, "GR-SWAPPED-1");
}

/* The same for a verified phone number: a new number is not verified. */
static void
test_phone_change_clears_verification (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *m = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  gint64 version;

  {
    g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
    g_autofree char *sql = g_strdup_printf ("UPDATE profiles SET phone = '+30 210 1234567',"
                                            " phone_verified = true WHERE user_id = '%s'",
                                            client->user_id);
    tf_test_pg_exec (conn, sql);
  }
  version = db_int ("SELECT version FROM profiles WHERE user_id = '%s'", client->user_id);
  m = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"profiles\", \"id\": \"%s\","
                       " \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT ","
                       " \"fields\": {\"first_name\": \"Ελένη\", \"last_name\": \"Π.\","
                       " \"phone\": \"+30 697 0000000\", \"phone_verified\": true}}",
                       client->user_id, version);
  r = push (client, m);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_cmpint (db_int ("SELECT phone_verified::int FROM profiles WHERE user_id = '%s'",
                           client->user_id), ==, 0);
}

/* --- length limits --------------------------------------------------------- */

static char *
goal_mutation (gint64 mutation_id, const char *id, TfTestUser *user, const char *description)
{
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"goals\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                          " \"fields\": {\"user_id\": \"%s\", \"title\": \"Περπάτημα\","
                          " \"description\": \"%s\"}}", mutation_id, id, user->user_id,
                          description);
}

static void
assert_too_long (TfTestResponse *response, guint index, const char *field)
{
  JsonObject *result = result_at (response, index);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result, "code"), ==, "too_long");
  g_assert_nonnull (strstr (json_object_get_string_member (result, "message"), field));
}

/* A megabyte of notes for the therapist, a TEXT column one character over
 * its cap, a JSONB column and an encrypted one over theirs: each refused
 * with too_long naming the field, nothing stored; at the cap, stored. */
static void
test_length_limits (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autofree char *appt = g_uuid_string_random (), *goal_ok = g_uuid_string_random ();
  g_autofree char *goal_bad = g_uuid_string_random ();
  g_autofree char *mood2 = g_uuid_string_random ();
  g_autofree char *megabyte = tf_test_repeat ("a", 1000000);
  g_autofree char *at_cap = tf_test_repeat ("α", TF_TEXT_MAX_CHARS);
  g_autofree char *over_cap = tf_test_repeat ("α", TF_TEXT_MAX_CHARS + 1);
  g_autofree char *education = tf_test_repeat ("a", TF_JSON_MAX_CHARS);
  g_autofree char *secret = tf_test_repeat ("😀", TF_SECRET_MAX_CHARS + 1);
  g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
  g_autofree char *envelope = NULL, *big_notes = NULL;
  g_autofree char *m1 = NULL, *m2 = NULL, *m3 = NULL, *m4 = NULL, *m5 = NULL, *batch = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_crypto_init (NULL));
  envelope = tf_crypto_encrypt_field (key, "mood_entries", mood2, "notes", secret, &error);
  g_assert_no_error (error);
  /* The notes are encrypted since migration 0011: a megabyte of them is an
   * envelope over its cap. */
  big_notes = tf_crypto_encrypt_field (key, "appointments", appt, "notes_for_therapist", megabyte,
                                       &error);
  g_assert_no_error (error);
  m1 = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"appointments\", \"id\": \"%s\","
                        " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {"
                        "\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                        " \"appointment_datetime\": \"2031-05-05T10:00:00Z\", \"duration\": 50,"
                        " \"status\": \"pending\", \"price\": \"60.00\","
                        " \"notes_for_therapist\": \"%s\"}}",
                        appt, therapist->user_id, client->user_id, big_notes);
  m2 = goal_mutation (2, goal_bad, client, over_cap);
  m3 = goal_mutation (3, goal_ok, client, at_cap);
  /* A JSONB column the server reads (therapists.education), from the
   * therapist's device. */
  m4 = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"therapists\", \"id\": \"%s\","
                        " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {"
                        "\"license_number\": \"GR-1\", \"education\": [\"%s\"]}}",
                        therapist->user_id, education);
  m5 = g_strdup_printf ("{\"mutation_id\": 4, \"table\": \"mood_entries\", \"id\": \"%s\","
                        " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {"
                        "\"user_id\": \"%s\", \"mood_value\": 5,"
                        " \"created_at\": \"2026-11-20T08:00:00Z\", \"notes\": \"%s\"}}",
                        mood2, client->user_id, envelope);
  batch = g_strjoin (", ", m1, m2, m3, m5, NULL);
  r = push (client, batch);

  assert_too_long (r, 0, "notes_for_therapist");
  assert_too_long (r, 1, "description");
  g_assert_cmpstr (status_at (r, 2), ==, "applied");
  assert_too_long (r, 3, "notes");
  {
    g_autoptr(TfTestResponse) rt = push (therapist, m4);
    assert_too_long (rt, 0, "education");
  }
  g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'", appt), ==, 0);
  g_assert_cmpint (db_int ("SELECT count(*) FROM goals WHERE id = '%s'", goal_bad), ==, 0);
  g_assert_cmpint (db_int ("SELECT char_length(description) FROM goals WHERE id = '%s'", goal_ok),
                   ==, TF_TEXT_MAX_CHARS);
  g_assert_cmpint (db_int ("SELECT count(*) FROM mood_entries WHERE id = '%s'", mood2), ==, 0);
}

/* --- bookings --------------------------------------------------------------- */

#define INDIVIDUAL "5e7a1c00-0000-4000-8000-000000000001" /* 0005-services.sql */
#define COUPLES    "5e7a1c00-0000-4000-8000-000000000002"

static char *
booking (gint64 mutation_id, const char *id, TfTestUser *therapist, TfTestUser *client,
         const char *start, const char *service, const char *price, int minutes,
         const char *created)
{
  g_autofree char *service_member = service
    ? g_strdup_printf (", \"service_id\": \"%s\"", service) : g_strdup ("");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"appointments\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                          " \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"appointment_datetime\": \"%s\", \"duration\": %d,"
                          " \"status\": \"pending\", \"price\": \"%s\","
                          " \"created_at\": \"%s\"%s}}",
                          mutation_id, id, therapist->user_id, client->user_id, start, minutes,
                          price, created, service_member);
}

static const char *
code_at (TfTestResponse *response, guint index)
{
  return json_object_get_string_member_with_default (result_at (response, index), "code", NULL);
}

/* The therapist offers individual sessions: 70.00 for 60 minutes. */
static void
offer_individual (TfTestUser *therapist)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = g_strdup_printf (
      "{\"mutation_id\": 1, \"table\": \"therapist_services\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"therapist_id\": \"%s\","
      " \"service_id\": \"" INDIVIDUAL "\", \"price\": \"70.00\", \"duration\": 60,"
      " \"is_available\": true}}", id, therapist->user_id);
  g_autoptr(TfTestResponse) r = push (therapist, m);

  g_assert_cmpstr (status_at (r, 0), ==, "applied");
}

/* A client names their own price (0.00), length (a whole day) and
 * created_at (2001): the server stores the offer's and its own clock's,
 * and answers with the stored record. */
static void
test_booking_takes_the_offer (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = NULL, *created = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) stored = NULL;
  JsonObject *fields;

  offer_individual (therapist);
  tf_test_open_hours (server, therapist);
  tf_test_link_care (server, client, therapist);
  /* 11:00 in Athens (UTC+2 in March). */
  m = booking (1, id, therapist, client, "2031-03-04T09:00:00Z", INDIVIDUAL, "0.00", 1440,
               "2001-01-01T00:00:00Z");
  r = push (client, m);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");

  g_assert_cmpint (db_int ("SELECT (price * 100)::int FROM appointments WHERE id = '%s'", id), ==,
                   7000);
  g_assert_cmpint (db_int ("SELECT duration FROM appointments WHERE id = '%s'", id), ==, 60);
  created = db_text ("SELECT to_char (created_at AT TIME ZONE 'UTC',"
                     " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM appointments WHERE id = '%s'", id);
  stored = g_date_time_new_from_iso8601 (created, NULL);
  g_assert_nonnull (stored);
  g_assert_cmpint (g_date_time_difference (stored, before), >=, -G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (stored, before), <, 5 * G_TIME_SPAN_MINUTE);

  fields = json_object_get_object_member (json_object_get_object_member (result_at (r, 0),
                                                                         "record"), "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "price"), ==, "70.00");
  g_assert_cmpint (json_object_get_int_member (fields, "duration"), ==, 60);
  g_assert_false (g_str_has_prefix (json_object_get_string_member (fields, "created_at"), "2001"));

  /* The service is the author's, signed: a client's change of it is
   * refused, not put back (a corrected copy would not verify). */
  {
    gint64 version = json_object_get_int_member (result_at (r, 0), "version");
    g_autofree char *other = g_strdup_printf (
        "{\"mutation_id\": 3, \"table\": \"appointments\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {\"therapist_id\": \"%s\","
        " \"client_id\": \"%s\", \"appointment_datetime\": \"2031-03-04T09:00:00Z\","
        " \"duration\": 60, \"status\": \"pending\", \"price\": \"70.00\","
        " \"service_id\": \"" COUPLES "\"}}",
        id, version, therapist->user_id, client->user_id);
    g_autoptr(TfTestResponse) refused = push (client, other);

    g_assert_cmpstr (status_at (refused, 0), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (result_at (refused, 0), "code"), ==,
                     "forbidden");
    g_assert_nonnull (strstr (json_object_get_string_member (result_at (refused, 0), "message"),
                              "service_id"));
  }

  /* The terms are the offer's for good.  A device that booked and
   * cancelled offline still holds its own guesses (0.00, a whole day) when
   * the cancellation goes: it is applied, and the terms stay. */
  {
    gint64 version = json_object_get_int_member (result_at (r, 0), "version");
    g_autoptr(TfSecret) key = tf_secret_new_random (TF_CRYPTO_KEY_BYTES);
    /* Encrypted on the device since migration 0011. */
    g_autofree char *reason = tf_crypto_encrypt_field (key, "appointments", id,
                                                       "cancellation_reason",
                                                       "Άλλαξαν τα σχέδια", NULL);
    g_autofree char *cancel = g_strdup_printf (
        "{\"mutation_id\": 4, \"table\": \"appointments\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {\"therapist_id\": \"%s\","
        " \"client_id\": \"%s\", \"appointment_datetime\": \"2031-03-04T09:00:00Z\","
        " \"duration\": 1440, \"status\": \"cancelled\", \"price\": \"0.00\","
        " \"cancelled_by\": \"%s\", \"cancelled_at\": \"2026-12-01T10:00:00Z\","
        " \"cancellation_reason\": \"%s\"}}",
        id, version, therapist->user_id, client->user_id, client->user_id, reason);
    g_autoptr(TfTestResponse) cancelled = push (client, cancel);
    JsonObject *kept;

    g_assert_cmpstr (status_at (cancelled, 0), ==, "applied");
    g_assert_cmpint (db_int ("SELECT duration FROM appointments WHERE id = '%s'", id), ==, 60);
    g_assert_cmpint (db_int ("SELECT (price * 100)::int FROM appointments WHERE id = '%s'", id),
                     ==, 7000);
    g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                             " AND status = 'cancelled' AND service_id = '" INDIVIDUAL "'", id),
                     ==, 1);
    kept = json_object_get_object_member (json_object_get_object_member (
                                            result_at (cancelled, 0), "record"), "fields");
    g_assert_cmpstr (json_object_get_string_member (kept, "price"), ==, "70.00");
  }
}

/* Each way a booking can be out of bounds is refused with its own code,
 * and nothing of it is stored. */
static void
test_booking_refusals (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) stranger = new_user ("client");
  g_autoptr(TfTestUser) plain = new_user ("therapist");
  g_autofree char *soon = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_half_an_hour = g_date_time_add_minutes (now, 30);
  struct { TfTestUser *who; TfTestUser *with; const char *start; const char *service;
           const char *code; } cases[] = {
    /* No care relationship with the therapist. */
    { stranger, therapist, "2031-03-04T09:00:00Z", INDIVIDUAL, "not_in_care" },
    /* 08:00 in Athens: before the therapist's hours. */
    { client, therapist, "2031-03-04T06:00:00Z", INDIVIDUAL, "outside_hours" },
    /* 11:30: within the hours, but not a slot of the offer's length. */
    { client, therapist, "2031-03-04T09:30:00Z", INDIVIDUAL, "outside_hours" },
    /* In the past (dated by a created_at before it, which the server
     * ignores), and sooner than the notice. */
    { client, therapist, "2001-01-01T09:00:00Z", INDIVIDUAL, "too_soon" },
    { client, therapist, NULL, INDIVIDUAL, "too_soon" },
    /* A service the therapist does not offer; none, though they offer one. */
    { client, therapist, "2031-03-04T09:00:00Z", COUPLES, "not_offered" },
    { client, therapist, "2031-03-04T09:00:00Z", NULL, "service_required" },
  };

  soon = g_date_time_format (in_half_an_hour, "%Y-%m-%dT%H:%M:00Z");
  offer_individual (therapist);
  tf_test_open_hours (server, therapist);
  tf_test_open_hours (server, plain);
  tf_test_link_care (server, client, therapist);
  tf_test_link_care (server, client, plain);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *m = booking (i + 1, id, cases[i].with, cases[i].who,
                                    cases[i].start ? cases[i].start : soon, cases[i].service,
                                    "70.00", 60, "2000-01-01T00:00:00Z");
      g_autoptr(TfTestResponse) r = push (cases[i].who, m);

      if (g_strcmp0 (code_at (r, 0), cases[i].code) != 0)
        g_error ("case %u: expected %s, got %s", i, cases[i].code, r->text);
      g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'", id), ==, 0);
    }

  /* A therapist who offers no service: bookable without one, free, for
   * the default length. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *m = booking (20, id, plain, client, "2031-03-04T09:00:00Z", NULL, "99.00",
                                  120, "2026-11-01T09:00:00Z");
    g_autoptr(TfTestResponse) r = push (client, m);

    g_assert_cmpstr (status_at (r, 0), ==, "applied");
    g_assert_cmpint (db_int ("SELECT (price * 100)::int FROM appointments WHERE id = '%s'", id),
                     ==, 0);
    g_assert_cmpint (db_int ("SELECT duration FROM appointments WHERE id = '%s'", id), ==, 50);
  }
}

/* Ten days booked in one push: as many as the pending limit (3 in this
 * suite's configuration) are taken, the rest refused. */
static void
test_booking_pending_limit (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(GString) batch = g_string_new (NULL);
  g_autoptr(TfTestResponse) r = NULL;

  offer_individual (therapist);
  tf_test_open_hours (server, therapist);
  tf_test_link_care (server, client, therapist);
  for (int day = 0; day < 10; day++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *start = g_strdup_printf ("2031-03-%02dT09:00:00Z", 3 + day);
      g_autofree char *m = booking (day + 1, id, therapist, client, start, INDIVIDUAL, "70.00",
                                    60, "2026-11-01T09:00:00Z");

      g_string_append_printf (batch, "%s%s", day > 0 ? ", " : "", m);
    }
  r = push (client, batch->str);
  for (guint i = 0; i < 10; i++)
    {
      if (i < 3)
        g_assert_cmpstr (status_at (r, i), ==, "applied");
      else
        g_assert_cmpstr (code_at (r, i), ==, "too_many_pending");
    }
  g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE client_id = '%s'",
                           client->user_id), ==, 3);
}

/* A therapist's booking for @client: confirmed, at @start, the device's
 * own guess of the terms (@price, @minutes). */
static char *
therapist_booking (gint64 mutation_id, const char *id, TfTestUser *therapist,
                   TfTestUser *client, const char *start, const char *service,
                   const char *price, int minutes)
{
  g_autofree char *service_member = service
    ? g_strdup_printf (", \"service_id\": \"%s\"", service) : g_strdup ("");

  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"appointments\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                          " \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"appointment_datetime\": \"%s\", \"duration\": %d,"
                          " \"status\": \"confirmed\", \"price\": \"%s\","
                          " \"location_type\": \"online\","
                          " \"meeting_url\": \"https://meet.example.gr/tf-%s\"%s}}",
                          mutation_id, id, therapist->user_id, client->user_id, start, minutes,
                          price, id, service_member);
}

/* A therapist books for a client in their care: confirmed at once, at a
 * time a client could not book (before the hours, inside the notice), and
 * at their offer's price and length, not the device's; never for a person
 * not in their care (not_in_care), never over another appointment of
 * theirs (slot_taken), never in the past. */
static void
test_therapist_books_for_client (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autoptr(TfTestUser) stranger = new_user ("client");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_half_an_hour = g_date_time_add_minutes (now, 30);
  g_autofree char *soon = g_date_time_format (in_half_an_hour, "%Y-%m-%dT%H:%M:00Z");
  g_autofree char *early = g_uuid_string_random (), *quick = g_uuid_string_random ();
  g_autofree char *m = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  JsonObject *fields;

  offer_individual (therapist);
  tf_test_open_hours (server, therapist);
  tf_test_link_care (server, client, therapist);

  /* 08:00 in Athens, before the hours, for 0.00 and a whole day. */
  m = therapist_booking (2, early, therapist, client, "2031-03-04T06:00:00Z", INDIVIDUAL, "0.00",
                         1440);
  r = push (therapist, m);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_cmpint (db_int ("SELECT (price * 100)::int FROM appointments WHERE id = '%s'", early),
                   ==, 7000);
  g_assert_cmpint (db_int ("SELECT duration FROM appointments WHERE id = '%s'", early), ==, 60);
  g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                           " AND status = 'confirmed' AND location_type = 'online'", early),
                   ==, 1);
  fields = json_object_get_object_member (json_object_get_object_member (result_at (r, 0),
                                                                         "record"), "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "price"), ==, "70.00");
  g_assert_cmpint (json_object_get_int_member (fields, "duration"), ==, 60);

  /* In half an hour: inside a client's notice, the therapist's to decide. */
  {
    g_autofree char *mq = therapist_booking (3, quick, therapist, client, soon, INDIVIDUAL,
                                             "70.00", 60);
    g_autoptr(TfTestResponse) rq = push (therapist, mq);

    g_assert_cmpstr (status_at (rq, 0), ==, "applied");
  }

  {
    struct { TfTestUser *for_whom; const char *start; const char *code; } cases[] = {
      { stranger, "2031-03-05T09:00:00Z", "not_in_care" },
      /* 08:30: inside the 60 minutes booked from 08:00. */
      { client, "2031-03-04T06:30:00Z", "slot_taken" },
      { client, "2001-01-01T09:00:00Z", "too_soon" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *id = g_uuid_string_random ();
        g_autofree char *mc = therapist_booking (10 + i, id, therapist, cases[i].for_whom,
                                                 cases[i].start, INDIVIDUAL, "70.00", 60);
        g_autoptr(TfTestResponse) rc = push (therapist, mc);

        if (g_strcmp0 (code_at (rc, 0), cases[i].code) != 0)
          g_error ("case %u: expected %s, got %s", i, cases[i].code, rc->text);
        g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'", id), ==, 0);
      }
  }

  /* A later edit by the therapist keeps the terms the server set. */
  {
    gint64 version = db_int ("SELECT version FROM appointments WHERE id = '%s'", early);
    g_autofree char *edit = g_strdup_printf (
        "{\"mutation_id\": 20, \"table\": \"appointments\", \"id\": \"%s\", \"op\": \"upsert\","
        " \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {\"therapist_id\": \"%s\","
        " \"client_id\": \"%s\", \"appointment_datetime\": \"2031-03-04T06:00:00Z\","
        " \"duration\": 5, \"status\": \"confirmed\", \"price\": \"1.00\","
        " \"service_id\": \"" INDIVIDUAL "\", \"location_type\": \"in_person\"}}",
        early, version, therapist->user_id, client->user_id);
    g_autoptr(TfTestResponse) re = push (therapist, edit);

    g_assert_cmpstr (status_at (re, 0), ==, "applied");
    g_assert_cmpint (db_int ("SELECT (price * 100)::int FROM appointments WHERE id = '%s'",
                             early), ==, 7000);
    g_assert_cmpint (db_int ("SELECT duration FROM appointments WHERE id = '%s'", early), ==, 60);
  }
}

/* @hour:00 in Athens, @days from today, as RFC 3339 UTC (right in
 * summer and winter time alike). */
static char *
athens_in (int days, int hour)
{
  g_autoptr(GTimeZone) athens = g_time_zone_new_identifier ("Europe/Athens");
  g_autoptr(GDateTime) now = g_date_time_new_now (athens);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autoptr(GDateTime) local = g_date_time_new (athens, g_date_time_get_year (day),
                                                g_date_time_get_month (day),
                                                g_date_time_get_day_of_month (day), hour, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

/* The therapist's rules: two days' notice, half an hour free between
 * appointments, at most 60 days ahead.  A client's booking breaking each
 * is refused with its own code (too_soon, too_far_ahead, buffer) and
 * nothing of it stored; one that keeps them is applied; the therapist's
 * own booking inside the notice and the buffer is theirs to make. */
static void
test_booking_rules (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *rules = NULL;
  g_autofree char *at_13 = athens_in (10, 13), *at_14 = athens_in (10, 14);
  g_autofree char *at_15 = athens_in (10, 15), *at_16 = athens_in (10, 16);
  g_autofree char *tomorrow = athens_in (1, 13), *far = athens_in (90, 13);
  g_autofree char *held = g_uuid_string_random ();
  g_autoptr(TfTestResponse) r = NULL;

  offer_individual (therapist);
  tf_test_open_hours (server, therapist);
  tf_test_link_care (server, client, therapist);
  rules = g_strdup_printf ("{\"mutation_id\": 2, \"table\": \"therapist_booking_rules\","
                           " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                           " \"fields\": {\"therapist_id\": \"%s\", \"min_notice_minutes\": 2880,"
                           " \"buffer_minutes\": 30, \"max_days_ahead\": 60,"
                           " \"practice_address\": \"Σόλωνος 10, Αθήνα\"}}",
                           therapist->user_id, therapist->user_id);
  r = push (therapist, rules);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  {
    g_autofree char *m = therapist_booking (3, held, therapist, client, at_13, INDIVIDUAL,
                                            "70.00", 60);
    g_autoptr(TfTestResponse) rh = push (therapist, m);

    g_assert_cmpstr (status_at (rh, 0), ==, "applied");
  }

  {
    struct { const char *start; const char *code; } cases[] = {
      { tomorrow, "too_soon" },
      { far, "too_far_ahead" },
      /* Right after the therapist's 13:00-14:00: inside the half hour. */
      { at_14, "buffer" },
      /* Over it: taken, said as taken. */
      { at_13, "slot_taken" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *id = g_uuid_string_random ();
        g_autofree char *m = booking (10 + i, id, therapist, client, cases[i].start, INDIVIDUAL,
                                      "70.00", 60, "2026-11-01T09:00:00Z");
        g_autoptr(TfTestResponse) rc = push (client, m);

        if (g_strcmp0 (code_at (rc, 0), cases[i].code) != 0)
          g_error ("case %u: expected %s, got %s", i, cases[i].code, rc->text);
        g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'", id), ==, 0);
      }
  }
  /* 15:00 leaves the hour between free. */
  {
    g_autofree char *id = g_uuid_string_random ();
    g_autofree char *m = booking (20, id, therapist, client, at_15, INDIVIDUAL, "70.00", 60,
                                  "2026-11-01T09:00:00Z");
    g_autoptr(TfTestResponse) ok = push (client, m);

    g_assert_cmpstr (status_at (ok, 0), ==, "applied");
  }
  /* Two bookings made offline and pushed together, 13:00 and 14:00 of
   * another day: the second comes within the half hour of the first,
   * applied just before it in the same push. */
  {
    g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
    g_autofree char *at_a = athens_in (11, 13), *at_b = athens_in (11, 14);
    g_autofree char *ma = booking (30, a, therapist, client, at_a, INDIVIDUAL, "70.00", 60,
                                   "2026-11-01T09:00:00Z");
    g_autofree char *mb = booking (31, b, therapist, client, at_b, INDIVIDUAL, "70.00", 60,
                                   "2026-11-01T09:00:00Z");
    g_autofree char *both = g_strdup_printf ("%s, %s", ma, mb);
    g_autoptr(TfTestResponse) rboth = push (client, both);

    if (g_strcmp0 (status_at (rboth, 0), "applied") != 0 ||
        g_strcmp0 (code_at (rboth, 1), "buffer") != 0)
      g_error ("two bookings in one push: %s", rboth->text);
    g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'", b), ==, 0);
  }
  /* The therapist books 16:00, right after the client's 15:00, and
   * tomorrow, inside the notice: their own calendar. */
  {
    g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
    g_autofree char *ma = therapist_booking (21, a, therapist, client, at_16, INDIVIDUAL,
                                             "70.00", 60);
    g_autofree char *mb = therapist_booking (22, b, therapist, client, tomorrow, INDIVIDUAL,
                                             "70.00", 60);
    g_autoptr(TfTestResponse) ra = push (therapist, ma);
    g_autoptr(TfTestResponse) rb = push (therapist, mb);

    g_assert_cmpstr (status_at (ra, 0), ==, "applied");
    g_assert_cmpstr (status_at (rb, 0), ==, "applied");
  }
  /* Read by everyone signed in: the directory. */
  g_assert_cmpint (db_int ("SELECT count(*) FROM therapist_booking_rules WHERE therapist_id ="
                           " '%s' AND buffer_minutes = 30", therapist->user_id), ==, 1);
}

/* An upsert of appointment @id over @base, with @fields (JSON members). */
static char *
appointment_upsert (gint64 mutation_id, const char *id, gint64 base, const char *fields)
{
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"appointments\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %"
                          G_GINT64_FORMAT ", \"fields\": {%s}}", mutation_id, id, base, fields);
}

static gint64
stored_version (const char *id)
{
  return db_int ("SELECT version FROM appointments WHERE id = '%s'", id);
}

/* The therapist moves an appointment: onto their other one it is refused
 * (slot_taken), without the time it had or with another one it is refused
 * (bad_move); moved right, the server keeps the time it had, who moved it
 * and when.  A late cancellation is the therapist's mark once the time has
 * passed (not_yet_held before, forbidden to the client). */
static void
test_move_and_late_cancel (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *a = g_uuid_string_random (), *b = g_uuid_string_random ();
  g_autofree char *at_13 = athens_in (10, 13), *at_14 = athens_in (10, 14);
  g_autofree char *at_16 = athens_in (10, 16);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *common = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);

  offer_individual (therapist);
  tf_test_link_care (server, client, therapist);
  {
    g_autofree char *ma = therapist_booking (2, a, therapist, client, at_13, INDIVIDUAL,
                                             "70.00", 60);
    g_autofree char *mb = therapist_booking (3, b, therapist, client, at_14, INDIVIDUAL,
                                             "70.00", 60);
    g_autoptr(TfTestResponse) ra = push (therapist, ma);
    g_autoptr(TfTestResponse) rb = push (therapist, mb);

    g_assert_cmpstr (status_at (ra, 0), ==, "applied");
    g_assert_cmpstr (status_at (rb, 0), ==, "applied");
  }
  common = g_strdup_printf ("\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                            " \"service_id\": \"" INDIVIDUAL "\", \"duration\": 60,"
                            " \"price\": \"70.00\", \"location_type\": \"in_person\"",
                            therapist->user_id, client->user_id);

  {
    struct { const char *to; const char *previous; const char *code; } cases[] = {
      { at_14, at_13, "slot_taken" },
      { at_16, NULL, "bad_move" },
      { at_16, at_14, "bad_move" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autofree char *moved = cases[i].previous
          ? g_strdup_printf (", \"previous_datetime\": \"%s\", \"moved_by\": \"%s\","
                             " \"moved_at\": \"%s\"", cases[i].previous, therapist->user_id,
                             stamp)
          : g_strdup ("");
        g_autofree char *f = g_strdup_printf ("%s, \"status\": \"confirmed\","
                                              " \"appointment_datetime\": \"%s\"%s",
                                              common, cases[i].to, moved);
        g_autofree char *m = appointment_upsert (10 + i, a, stored_version (a), f);
        g_autoptr(TfTestResponse) r = push (therapist, m);

        if (g_strcmp0 (code_at (r, 0), cases[i].code) != 0)
          g_error ("case %u: expected %s, got %s", i, cases[i].code, r->text);
      }
  }
  g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                           " AND appointment_datetime = '%s' AND previous_datetime IS NULL",
                           a, at_13), ==, 1);
  {
    g_autofree char *f = g_strdup_printf ("%s, \"status\": \"confirmed\","
                                          " \"appointment_datetime\": \"%s\","
                                          " \"previous_datetime\": \"%s\", \"moved_by\": \"%s\","
                                          " \"moved_at\": \"%s\"", common, at_16, at_13,
                                          therapist->user_id, stamp);
    g_autofree char *m = appointment_upsert (20, a, stored_version (a), f);
    g_autoptr(TfTestResponse) r = push (therapist, m);

    g_assert_cmpstr (status_at (r, 0), ==, "applied");
    g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                             " AND appointment_datetime = '%s' AND previous_datetime = '%s'"
                             " AND moved_by = '%s'", a, at_16, at_13, therapist->user_id), ==, 1);
  }
  /* The record of the move does not change without a move. */
  {
    g_autofree char *f = g_strdup_printf ("%s, \"status\": \"confirmed\","
                                          " \"appointment_datetime\": \"%s\","
                                          " \"previous_datetime\": \"%s\", \"moved_by\": \"%s\","
                                          " \"moved_at\": \"%s\"", common, at_16, at_14,
                                          therapist->user_id, stamp);
    g_autofree char *m = appointment_upsert (21, a, stored_version (a), f);
    g_autoptr(TfTestResponse) r = push (therapist, m);

    g_assert_cmpstr (code_at (r, 0), ==, "bad_move");
  }

  /* Late cancellation: not before the time, never by the client. */
  {
    g_autofree char *f = g_strdup_printf ("%s, \"status\": \"cancelled\","
                                          " \"appointment_datetime\": \"%s\","
                                          " \"cancelled_by\": \"%s\", \"cancelled_at\": \"%s\","
                                          " \"late_cancellation\": true", common, at_14,
                                          therapist->user_id, stamp);
    g_autofree char *m = appointment_upsert (30, b, stored_version (b), f);
    g_autoptr(TfTestResponse) early = push (therapist, m);
    g_autofree char *sql = g_strdup_printf ("UPDATE appointments SET created_at = now () -"
                                            " interval '3 days', appointment_datetime ="
                                            " date_trunc ('second', now () - interval '2 hours')"
                                            " WHERE id = '%s'", b);
    g_autofree char *past = NULL, *fc = NULL, *mc = NULL, *ft = NULL, *mt = NULL;
    g_autoptr(TfTestResponse) by_client = NULL, applied = NULL;

    g_assert_cmpstr (code_at (early, 0), ==, "not_yet_held");
    tf_test_pg_exec (conn, sql);
    past = db_text ("SELECT to_char (appointment_datetime AT TIME ZONE 'UTC',"
                    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM appointments WHERE id = '%s'", b);
    fc = g_strdup_printf ("%s, \"status\": \"cancelled\", \"appointment_datetime\": \"%s\","
                          " \"cancelled_by\": \"%s\", \"cancelled_at\": \"%s\","
                          " \"late_cancellation\": true", common, past, client->user_id, stamp);
    mc = appointment_upsert (31, b, stored_version (b), fc);
    by_client = push (client, mc);
    g_assert_cmpstr (code_at (by_client, 0), ==, "forbidden");
    ft = g_strdup_printf ("%s, \"status\": \"cancelled\", \"appointment_datetime\": \"%s\","
                          " \"cancelled_by\": \"%s\", \"cancelled_at\": \"%s\","
                          " \"late_cancellation\": true", common, past, therapist->user_id,
                          stamp);
    mt = appointment_upsert (32, b, stored_version (b), ft);
    applied = push (therapist, mt);
    if (g_strcmp0 (status_at (applied, 0), "applied") != 0)
      g_error ("late cancellation refused: %s", applied->text);
    g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                             " AND status = 'cancelled' AND late_cancellation", b), ==, 1);

    /* Cancelled, it changes no more: not where, nor its link, nor its
     * service; the same record again is taken. */
    {
      const char *rest[] = {
        "\"service_id\": \"" INDIVIDUAL "\", \"duration\": 60, \"location_type\": \"online\","
        " \"meeting_url\": \"https://meet.example.org/x\"",
        "\"service_id\": null, \"duration\": 60, \"location_type\": \"in_person\"",
        "\"service_id\": \"" INDIVIDUAL "\", \"duration\": 60, \"location_type\": \"in_person\"",
      };

      for (guint i = 0; i < G_N_ELEMENTS (rest); i++)
        {
          g_autofree char *fe = g_strdup_printf ("\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                                                 " \"price\": \"70.00\", \"status\": \"cancelled\","
                                                 " \"appointment_datetime\": \"%s\","
                                                 " \"cancelled_by\": \"%s\","
                                                 " \"cancelled_at\": \"%s\","
                                                 " \"late_cancellation\": true, %s",
                                                 therapist->user_id, client->user_id, past,
                                                 therapist->user_id, stamp, rest[i]);
          g_autofree char *me = appointment_upsert (33 + i, b, stored_version (b), fe);
          g_autoptr(TfTestResponse) edited = push (therapist, me);
          const char *expected = i + 1 < G_N_ELEMENTS (rest) ? "rejected" : "applied";

          if (g_strcmp0 (status_at (edited, 0), expected) != 0 ||
              (i + 1 < G_N_ELEMENTS (rest) && g_strcmp0 (code_at (edited, 0), "bad_transition") != 0))
            g_error ("change %u of a cancelled appointment: %s", i, edited->text);
        }
      g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                               " AND location_type = 'in_person'"
                               " AND service_id IS NOT NULL", b), ==, 1);
    }
  }
}

/* --- clocks ------------------------------------------------------------------ */

/* A mood check-in made offline keeps its moment; one dated after the
 * server's clock is refused (clock_ahead), never moved, since its author
 * signed the moment; a fixed moment sent changed is refused; a profile's
 * created_at stays the server's whatever an edit sends. */
static void
test_clocks (void)
{
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *past = g_uuid_string_random (), *future = g_uuid_string_random ();
  g_autofree char *m = NULL, *created = NULL, *profile = NULL;
  g_autoptr(TfTestResponse) r = NULL, rp = NULL;
  gint64 version;

  m = g_strdup_printf ("{\"mutation_id\": 1, \"table\": \"mood_entries\", \"id\": \"%s\","
                       " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"user_id\": \"%s\","
                       " \"mood_value\": 5, \"created_at\": \"2026-11-20T08:00:00Z\"}},"
                       " {\"mutation_id\": 2, \"table\": \"mood_entries\", \"id\": \"%s\","
                       " \"op\": \"upsert\", \"base_version\": 0, \"fields\": {\"user_id\": \"%s\","
                       " \"mood_value\": 5, \"created_at\": \"2099-01-01T08:00:00Z\"}}",
                       past, client->user_id, future, client->user_id);
  r = push (client, m);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  g_assert_null (json_object_get_member (result_at (r, 0), "record"));
  g_assert_cmpstr (status_at (r, 1), ==, "rejected");
  g_assert_cmpstr (json_object_get_string_member (result_at (r, 1), "code"), ==, "clock_ahead");
  g_assert_nonnull (strstr (json_object_get_string_member (result_at (r, 1), "message"),
                            "created_at"));
  g_assert_cmpint (db_int ("SELECT extract (year FROM created_at)::int FROM mood_entries"
                           " WHERE id = '%s'", past), ==, 2026);
  g_assert_cmpint (db_int ("SELECT count(*)::int FROM mood_entries WHERE id = '%s'", future),
                   ==, 0);
  {
    gint64 v = json_object_get_int_member (result_at (r, 0), "version");
    g_autofree char *moved = g_strdup_printf (
      "{\"mutation_id\": 4, \"table\": \"mood_entries\", \"id\": \"%s\","
      " \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT ", \"fields\": {"
      "\"user_id\": \"%s\", \"mood_value\": 5, \"created_at\": \"2026-11-19T08:00:00Z\"}}",
      past, v, client->user_id);
    g_autoptr(TfTestResponse) refused = push (client, moved);

    g_assert_cmpstr (json_object_get_string_member (result_at (refused, 0), "code"), ==,
                     "immutable_field");
  }

  created = db_text ("SELECT created_at::text FROM profiles WHERE user_id = '%s'",
                     client->user_id);
  version = db_int ("SELECT version FROM profiles WHERE user_id = '%s'", client->user_id);
  profile = g_strdup_printf ("{\"mutation_id\": 5, \"table\": \"profiles\", \"id\": \"%s\","
                             " \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT ","
                             " \"fields\": {\"first_name\": \"Ελένη\", \"last_name\": \"Π.\","
                             " \"created_at\": \"2001-01-01T00:00:00Z\","
                             " \"updated_at\": \"2001-01-01T00:00:00Z\"}}",
                             client->user_id, version);
  rp = push (client, profile);
  g_assert_cmpstr (status_at (rp, 0), ==, "applied");
  {
    g_autofree char *after = db_text ("SELECT created_at::text FROM profiles WHERE user_id = '%s'",
                                      client->user_id);
    g_assert_cmpstr (after, ==, created);
  }
  g_assert_cmpint (db_int ("SELECT extract (year FROM updated_at)::int FROM profiles"
                           " WHERE user_id = '%s'", client->user_id), >, 2001);
}

/* A therapist's confirmed appointment as @status at @start. */
static char *
therapist_appointment (gint64 mutation_id, const char *id, gint64 base, TfTestUser *therapist,
                       TfTestUser *client, const char *start, const char *status)
{
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"appointments\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": %" G_GINT64_FORMAT
                          ", \"fields\": {\"therapist_id\": \"%s\", \"client_id\": \"%s\","
                          " \"appointment_datetime\": \"%s\", \"duration\": 50,"
                          " \"status\": \"%s\", \"price\": \"0.00\"}}",
                          mutation_id, id, base, therapist->user_id, client->user_id, start,
                          status);
}

/* An appointment that has not begun cannot have been attended or missed:
 * marking it completed or no-show is refused (not_yet_held) and it stays
 * confirmed; once its time has come (moved into the past in PostgreSQL, as
 * time would) the same change is applied. */
static void
test_future_appointment_not_held (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  const char *to[] = { "completed", "no_show" };
  gint64 version;

  tf_test_link_care (server, client, therapist);
  m = therapist_appointment (1, id, 0, therapist, client, "2031-03-04T09:00:00Z", "confirmed");
  r = push (therapist, m);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  version = json_object_get_int_member (result_at (r, 0), "version");

  for (guint i = 0; i < G_N_ELEMENTS (to); i++)
    {
      g_autofree char *change = therapist_appointment (2 + i, id, version, therapist, client,
                                                       "2031-03-04T09:00:00Z", to[i]);
      g_autoptr(TfTestResponse) refused = push (therapist, change);

      g_assert_cmpstr (status_at (refused, 0), ==, "rejected");
      g_assert_cmpstr (code_at (refused, 0), ==, "not_yet_held");
      g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                               " AND status = 'confirmed'", id), ==, 1);
    }

  {
    g_autofree char *sql = g_strdup_printf ("UPDATE appointments SET created_at = now () -"
                                            " interval '3 days', appointment_datetime ="
                                            " date_trunc ('second', now () - interval '2 hours')"
                                            " WHERE id = '%s'", id);
    g_autofree char *past = NULL, *held = NULL;
    g_autoptr(TfTestResponse) applied = NULL;

    tf_test_pg_exec (conn, sql);
    past = db_text ("SELECT to_char (appointment_datetime AT TIME ZONE 'UTC',"
                    " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM appointments WHERE id = '%s'", id);
    held = therapist_appointment (4, id, version, therapist, client, past, "no_show");
    applied = push (therapist, held);
    g_assert_cmpstr (status_at (applied, 0), ==, "applied");
    g_assert_cmpint (db_int ("SELECT count(*) FROM appointments WHERE id = '%s'"
                             " AND status = 'no_show'", id), ==, 1);
  }
}

/* A session of appointment @appointment with @fields (JSON members, or ""). */
static char *
session_upsert (gint64 mutation_id, const char *id, const char *appointment, const char *fields)
{
  return g_strdup_printf ("{\"mutation_id\": %" G_GINT64_FORMAT ", \"table\": \"sessions\","
                          " \"id\": \"%s\", \"op\": \"upsert\", \"base_version\": 0,"
                          " \"fields\": {\"appointment_id\": \"%s\"%s%s}}", mutation_id, id,
                          appointment, *fields != '\0' ? ", " : "", fields);
}

/* The code the upsert of session @id (taken) gets, "" when applied. */
static char *
session_refusal_of (TfTestUser *therapist, gint64 mutation_id, char *id, const char *appointment,
                    const char *fields)
{
  g_autofree char *owned = id;
  g_autofree char *m = session_upsert (mutation_id, owned, appointment, fields);
  g_autoptr(TfTestResponse) r = push (therapist, m);

  if (g_strcmp0 (status_at (r, 0), "applied") == 0)
    return g_strdup ("");
  return g_strdup (code_at (r, 0));
}

/* The same for a new session. */
static char *
session_refusal (TfTestUser *therapist, gint64 mutation_id, const char *appointment,
                 const char *fields)
{
  return session_refusal_of (therapist, mutation_id, g_uuid_string_random (), appointment,
                             fields);
}

/* A session record that says it was held (actual times, the client's
 * summary) is refused as the therapist's
 * device refuses it: before its appointment's time (not_yet_held), with
 * actual times for a cancelled appointment (bad_transition), with times
 * after the server's clock (clock_ahead) or an end before the start
 * (validation); a bare session (a note's first save) may come before its
 * appointment, and a held one after it is applied. */
static void
test_session_record_held (void)
{
  g_autoptr(TfTestUser) therapist = new_user ("therapist");
  g_autoptr(TfTestUser) client = new_user ("client");
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *m = NULL, *past = NULL, *sql = NULL;
  g_autoptr(TfTestResponse) r = NULL;
  g_autoptr(PGconn) conn = tf_test_pg_connect (server->conninfo);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = NULL, end = NULL, ahead = NULL;
  g_autofree char *at_start = NULL, *at_end = NULL, *at_ahead = NULL;
  struct { const char *fields_format; const char *code; } future[] = {
    { "", "" },
    { "\"actual_start_time\": \"2031-03-04T09:00:00Z\","
      " \"actual_end_time\": \"2031-03-04T09:50:00Z\"", "not_yet_held" },
    /* The seed's defaults, as a bare session's row on a device carries
     * them (both attended, no technical issues): still bare. */
    { "\"client_attended\": true, \"therapist_attended\": true,"
      " \"technical_issues\": false", "" },
    { "\"client_attended\": false", "not_yet_held" },
    { "\"technical_issues\": true", "not_yet_held" },
  };

  tf_test_link_care (server, client, therapist);
  m = therapist_appointment (1, id, 0, therapist, client, "2031-03-04T09:00:00Z", "confirmed");
  r = push (therapist, m);
  g_assert_cmpstr (status_at (r, 0), ==, "applied");
  for (guint i = 0; i < G_N_ELEMENTS (future); i++)
    {
      g_autofree char *code = session_refusal (therapist, 10 + i, id, future[i].fields_format);

      if (g_strcmp0 (code, future[i].code) != 0)
        g_error ("future case %u: expected “%s”, got “%s”", i, future[i].code, code);
    }
  /* The client's summary, before the session. */
  {
    g_autofree char *session = g_uuid_string_random ();
    g_autofree char *summary = tf_test_envelope ("sessions", session, "session_summary",
                                                 "Καλή πρόοδος");
    g_autofree char *f = g_strdup_printf ("\"session_summary\": \"%s\"", summary);
    g_autofree char *code = session_refusal_of (therapist, 15, g_strdup (session), id, f);

    g_assert_cmpstr (code, ==, "not_yet_held");
  }
  /* The two bare ones. */
  g_assert_cmpint (db_int ("SELECT count(*) FROM sessions WHERE appointment_id = '%s'", id), ==,
                   2);

  sql = g_strdup_printf ("UPDATE appointments SET created_at = now () - interval '3 days',"
                         " appointment_datetime = date_trunc ('second', now () -"
                         " interval '2 hours') WHERE id = '%s'", id);
  tf_test_pg_exec (conn, sql);
  past = db_text ("SELECT to_char (appointment_datetime AT TIME ZONE 'UTC',"
                  " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM appointments WHERE id = '%s'", id);
  start = tf_time_parse_timestamp (past, NULL);
  g_assert_nonnull (start);
  end = g_date_time_add_minutes (start, 50);
  ahead = g_date_time_add_hours (now, 1);
  at_start = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  at_end = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  at_ahead = g_date_time_format (ahead, "%Y-%m-%dT%H:%M:%SZ");
  {
    struct { const char *from; const char *to; const char *code; } held[] = {
      { at_start, at_ahead, "clock_ahead" },
      { at_end, at_start, "validation" },
      { at_start, at_end, "" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (held); i++)
      {
        g_autofree char *f = g_strdup_printf ("\"actual_start_time\": \"%s\","
                                              " \"actual_end_time\": \"%s\","
                                              " \"client_attended\": true", held[i].from,
                                              held[i].to);
        g_autofree char *code = session_refusal (therapist, 20 + i, id, f);

        if (g_strcmp0 (code, held[i].code) != 0)
          g_error ("held case %u: expected “%s”, got “%s”", i, held[i].code, code);
      }
  }
  g_assert_cmpint (db_int ("SELECT count(*) FROM sessions WHERE appointment_id = '%s'"
                           " AND actual_start_time IS NOT NULL", id), ==, 1);

  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("UPDATE appointments SET status = 'cancelled', cancelled_by = '%s',"
                         " cancelled_at = now () WHERE id = '%s'", therapist->user_id, id);
  tf_test_pg_exec (conn, sql);
  {
    g_autofree char *f = g_strdup_printf ("\"actual_start_time\": \"%s\","
                                          " \"actual_end_time\": \"%s\"", at_start, at_end);
    g_autofree char *code = session_refusal (therapist, 30, id, f);

    g_assert_cmpstr (code, ==, "bad_transition");
  }
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  server = tf_test_server_start ("tf_sync_rules", "booking-pending-limit=3");

  g_test_add_func ("/tf/sync-rules/licence-change-clears-verification",
                   test_licence_change_clears_verification);
  g_test_add_func ("/tf/sync-rules/phone-change-clears-verification",
                   test_phone_change_clears_verification);
  g_test_add_func ("/tf/sync-rules/length-limits", test_length_limits);
  g_test_add_func ("/tf/sync-rules/booking-takes-the-offer", test_booking_takes_the_offer);
  g_test_add_func ("/tf/sync-rules/booking-refusals", test_booking_refusals);
  g_test_add_func ("/tf/sync-rules/booking-pending-limit", test_booking_pending_limit);
  g_test_add_func ("/tf/sync-rules/therapist-books-for-client",
                   test_therapist_books_for_client);
  g_test_add_func ("/tf/sync-rules/booking-rules", test_booking_rules);
  g_test_add_func ("/tf/sync-rules/move-and-late-cancel", test_move_and_late_cancel);
  g_test_add_func ("/tf/sync-rules/clocks", test_clocks);
  g_test_add_func ("/tf/sync-rules/future-appointment-not-held",
                   test_future_appointment_not_held);
  g_test_add_func ("/tf/sync-rules/session-record-held", test_session_record_held);
  ret = g_test_run ();
  tf_test_server_stop (server);
  return ret;
}
