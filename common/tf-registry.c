/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-registry.c: the synced tables, column by column, from the seed schema
 * (shared/seed/DATABASE-ARCHITECTURE.md) as fixed in sql/postgres/0001-schema.sql.
 *
 * Keep this file and the SQL in step: tests/server/test-schema.c checks every
 * column here against the live PostgreSQL catalogue, and tests/store checks
 * it against the device schema.
 */
#define G_LOG_DOMAIN "tf-registry"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tf-error.h"
#include "tf-registry.h"
#include "tf-time.h"

#define UUID(n)            { .name = n, .type = TF_COLUMN_UUID }
#define REF(n, t)          { .name = n, .type = TF_COLUMN_UUID, .references = t }
#define REF_FIXED(n, t)    { .name = n, .type = TF_COLUMN_UUID, .references = t, \
                             .flags = TF_COLUMN_IMMUTABLE }
#define REF_REQ_FIXED(n, t) { .name = n, .type = TF_COLUMN_UUID, .references = t, \
                              .flags = TF_COLUMN_IMMUTABLE | TF_COLUMN_REQUIRED }
#define TEXT(n)            { .name = n, .type = TF_COLUMN_TEXT }
#define VARCHAR(n, len)    { .name = n, .type = TF_COLUMN_TEXT, .max_length = len }
#define VARCHAR_REQ(n, len) { .name = n, .type = TF_COLUMN_TEXT, .max_length = len, \
                              .flags = TF_COLUMN_REQUIRED }
#define CHOICE(n, len, c)  { .name = n, .type = TF_COLUMN_TEXT, .max_length = len, .choices = c }
#define CHOICE_REQ(n, len, c) { .name = n, .type = TF_COLUMN_TEXT, .max_length = len, \
                                .choices = c, .flags = TF_COLUMN_REQUIRED }
#define FORMAT(n, len, f)  { .name = n, .type = TF_COLUMN_TEXT, .max_length = len, .format = f }
#define INT(n)             { .name = n, .type = TF_COLUMN_INTEGER }
#define INT_RANGE(n, lo, hi) { .name = n, .type = TF_COLUMN_INTEGER, .has_range = TRUE, \
                               .min = lo, .max = hi }
#define INT_RANGE_REQ(n, lo, hi) { .name = n, .type = TF_COLUMN_INTEGER, .has_range = TRUE, \
                                   .min = lo, .max = hi, .flags = TF_COLUMN_REQUIRED }
#define BOOL(n)            { .name = n, .type = TF_COLUMN_BOOLEAN }
#define DATE(n)            { .name = n, .type = TF_COLUMN_DATE }
#define DATE_REQ(n)        { .name = n, .type = TF_COLUMN_DATE, .flags = TF_COLUMN_REQUIRED }
#define TIME_REQ(n)        { .name = n, .type = TF_COLUMN_TIME, .flags = TF_COLUMN_REQUIRED }
#define STAMP(n)           { .name = n, .type = TF_COLUMN_TIMESTAMP }
#define STAMP_FIXED(n)     { .name = n, .type = TF_COLUMN_TIMESTAMP, .flags = TF_COLUMN_IMMUTABLE }
/* created_at and updated_at: of shared state (bookings, accounts, grants) the
 * server's clock decides; of a person's own writing, the moment they wrote
 * it on their device, possibly offline, not later than the server's now. */
#define CREATED_SERVER     { .name = "created_at", .type = TF_COLUMN_TIMESTAMP, \
                             .flags = TF_COLUMN_IMMUTABLE | TF_COLUMN_SERVER_CLOCK }
#define UPDATED_SERVER     { .name = "updated_at", .type = TF_COLUMN_TIMESTAMP, \
                             .flags = TF_COLUMN_SERVER_CLOCK }
#define CREATED_AUTHOR     { .name = "created_at", .type = TF_COLUMN_TIMESTAMP, \
                             .flags = TF_COLUMN_IMMUTABLE | TF_COLUMN_AUTHOR_CLOCK }
#define UPDATED_AUTHOR     { .name = "updated_at", .type = TF_COLUMN_TIMESTAMP, \
                             .flags = TF_COLUMN_AUTHOR_CLOCK }
#define STAMP_REQ(n)       { .name = n, .type = TF_COLUMN_TIMESTAMP, .flags = TF_COLUMN_REQUIRED }
#define MONEY_REQ(n)       { .name = n, .type = TF_COLUMN_MONEY, \
                             .flags = TF_COLUMN_REQUIRED | TF_COLUMN_NONNEG }
#define JSON(n)            { .name = n, .type = TF_COLUMN_JSON }
#define SECRET_TEXT(n)     { .name = n, .type = TF_COLUMN_TEXT, .flags = TF_COLUMN_ENCRYPTED }
#define SECRET_JSON(n)     { .name = n, .type = TF_COLUMN_JSON, .flags = TF_COLUMN_ENCRYPTED }
#define SECRET_JSON_F(n, f) { .name = n, .type = TF_COLUMN_JSON, .flags = TF_COLUMN_ENCRYPTED, \
                              .format = f }
/* Encrypted since migration 0010 (docs/encryption.md); the length is the plaintext's. */
#define SECRET_TEXT_LATE(n, len) { .name = n, .type = TF_COLUMN_TEXT, .max_length = len, \
                                   .flags = TF_COLUMN_ENCRYPTED | TF_COLUMN_WAS_PLAIN }
#define SECRET_JSON_LATE(n) { .name = n, .type = TF_COLUMN_JSON, \
                              .flags = TF_COLUMN_ENCRYPTED | TF_COLUMN_WAS_PLAIN }
/* Encrypted since migration 0011, for both sides of the care (TF_COLUMN_CARE_KEY). */
#define SECRET_CARE_LATE(n) { .name = n, .type = TF_COLUMN_TEXT, \
                              .flags = TF_COLUMN_ENCRYPTED | TF_COLUMN_WAS_PLAIN | \
                                       TF_COLUMN_CARE_KEY }
/* The record's data key, wrapped by the owner's master key (DESIGN.md §5). */
#define ENC_KEY            { .name = "enc_key", .type = TF_COLUMN_TEXT, \
                             .flags = TF_COLUMN_ENCRYPTED }

#define N_COLUMNS(a) G_N_ELEMENTS (a)

/* --- cross-field rules ---------------------------------------------------- */

static gboolean
rule_time_order (const char *start, const char *end, const char *start_name,
                 const char *end_name, gboolean allow_equal, GError **error)
{
  int cmp;

  if (start == NULL || end == NULL)
    return TRUE;
  /* Dates, times and UTC timestamps in their canonical forms sort as text;
   * timestamps are normalised before comparing. */
  if (strchr (start, 'T') != NULL)
    {
      g_autoptr(GDateTime) a = tf_time_parse_timestamp (start, NULL);
      g_autoptr(GDateTime) b = tf_time_parse_timestamp (end, NULL);
      if (a == NULL || b == NULL)
        return TRUE; /* the column check reports the bad value */
      cmp = g_date_time_compare (a, b);
    }
  else
    cmp = strcmp (start, end);
  if (cmp > 0 || (cmp == 0 && !allow_equal))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("%s must be after %s"), end_name, start_name);
      return FALSE;
    }
  return TRUE;
}

static gboolean
blocked_rule (const TfTable *table, const char *(*get) (gpointer, const char *),
              gpointer data, GError **error)
{
  return rule_time_order (get (data, "blocked_date"), get (data, "end_date"),
                          "blocked_date", "end_date", TRUE, error);
}

static gboolean
availability_rule (const TfTable *table, const char *(*get) (gpointer, const char *),
                   gpointer data, GError **error)
{
  return rule_time_order (get (data, "start_time"), get (data, "end_time"),
                          "start_time", "end_time", FALSE, error) &&
         rule_time_order (get (data, "effective_from"), get (data, "effective_until"),
                          "effective_from", "effective_until", TRUE, error);
}

static gboolean
session_rule (const TfTable *table, const char *(*get) (gpointer, const char *),
              gpointer data, GError **error)
{
  return rule_time_order (get (data, "actual_start_time"), get (data, "actual_end_time"),
                          "actual_start_time", "actual_end_time", TRUE, error);
}

static gboolean
note_rule (const TfTable *table, const char *(*get) (gpointer, const char *),
           gpointer data, GError **error)
{
  if ((get (data, "locked_at") == NULL) != (get (data, "signature") == NULL))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("a locked note has both locked_at and a signature"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
appointment_rule (const TfTable *table, const char *(*get) (gpointer, const char *),
                  gpointer data, GError **error)
{
  const char *status = get (data, "status");

  /* check_appointment_future */
  if (!rule_time_order (get (data, "created_at"), get (data, "appointment_datetime"),
                        "created_at", "appointment_datetime", FALSE, error))
    return FALSE;
  /* A move names the time it had, who moved it and when, all three. */
  if ((get (data, "previous_datetime") == NULL) != (get (data, "moved_at") == NULL) ||
      (get (data, "moved_at") == NULL) != (get (data, "moved_by") == NULL))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("a moved appointment has previous_datetime, moved_by and moved_at"));
      return FALSE;
    }
  /* A cancellation says who cancelled and when; nothing else carries them. */
  if (g_strcmp0 (status, "cancelled") == 0)
    {
      if (get (data, "cancelled_by") == NULL || get (data, "cancelled_at") == NULL)
        {
          g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                       _("a cancelled appointment needs cancelled_by and cancelled_at"));
          return FALSE;
        }
    }
  else if (get (data, "cancelled_by") != NULL || get (data, "cancelled_at") != NULL)
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("only a cancelled appointment has cancelled_by and cancelled_at"));
      return FALSE;
    }
  return TRUE;
}

/* --- the tables ----------------------------------------------------------- */

static const char * const appointment_statuses[] = {
  "pending", "confirmed", "cancelled", "completed", "no_show", NULL
};
static const char * const location_types[] = { "online", "in_person", NULL };
static const char * const service_types[] = {
  "individual", "couples", "group", "evaluation", "consultation", NULL
};
static const char * const frequencies[] = { "daily", "weekly", "monthly", NULL };

static const TfColumn profiles_columns[] = {
  REF_REQ_FIXED ("user_id", "users"),
  VARCHAR_REQ ("first_name", 100),
  VARCHAR_REQ ("last_name", 100),
  VARCHAR ("display_name", 200),
  FORMAT ("phone", 20, TF_FORMAT_PHONE),
  { .name = "phone_verified", .type = TF_COLUMN_BOOLEAN, .flags = TF_COLUMN_ADMIN_ONLY,
    .verifies = "phone" },
  DATE ("birth_date"),
  VARCHAR ("gender", 20),
  FORMAT ("profile_photo_url", 0, TF_FORMAT_URL),
  FORMAT ("language", 10, TF_FORMAT_LANGUAGE),
  FORMAT ("timezone", 50, TF_FORMAT_TIMEZONE),
  CREATED_SERVER,
  UPDATED_SERVER,
};

static const TfColumn therapists_columns[] = {
  REF_REQ_FIXED ("user_id", "users"),
  VARCHAR_REQ ("license_number", 100),
  { .name = "license_verified", .type = TF_COLUMN_BOOLEAN, .flags = TF_COLUMN_ADMIN_ONLY,
    .verifies = "license_number" },
  DATE ("license_expiry"),
  INT_RANGE ("years_experience", 0, G_MAXINT32),
  TEXT ("bio"),
  JSON ("education"),
  BOOL ("supervisor_status"),
  BOOL ("accepts_insurance"),
  BOOL ("online_therapy"),
  BOOL ("in_person_therapy"),
  CREATED_SERVER,
};

static const TfColumn therapist_availability_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  INT_RANGE ("day_of_week", 0, 6),
  TIME_REQ ("start_time"),
  TIME_REQ ("end_time"),
  BOOL ("is_available"),
  DATE ("effective_from"),
  DATE ("effective_until"),
};

/* blocked_date is the first day off; end_date (migration 0018) the last
 * of a period, NULL for the one day. */
static const TfColumn therapist_blocked_dates_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  DATE_REQ ("blocked_date"),
  VARCHAR ("reason", 255),
  { .name = "end_date", .type = TF_COLUMN_DATE, .flags = TF_COLUMN_SIGNED_IF_SET },
};

static const TfColumn services_columns[] = {
  UUID ("id"),
  VARCHAR_REQ ("name", 100),
  TEXT ("description"),
  INT_RANGE ("default_duration", 1, G_MAXINT32),
  CHOICE ("service_type", 50, service_types),
};

static const TfColumn therapist_services_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  REF_REQ_FIXED ("service_id", "services"),
  MONEY_REQ ("price"),
  INT_RANGE ("duration", 1, G_MAXINT32),
  BOOL ("is_available"),
};

/* A therapist's booking rules and the practice details appointments show
 * (migration 0016): a client's booking obeys them, the therapist's own may
 * override them (server/tf-sync-rules.c). */
static const TfColumn therapist_booking_rules_columns[] = {
  REF_REQ_FIXED ("therapist_id", "therapists"),
  INT_RANGE ("min_notice_minutes", 0, 90 * 24 * 60),
  INT_RANGE ("buffer_minutes", 0, 24 * 60),
  INT_RANGE ("max_days_ahead", 1, 730),
  VARCHAR ("meeting_url_template", 500),
  VARCHAR ("practice_address", 500),
  UPDATED_AUTHOR,
};

static const TfColumn appointments_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  REF_REQ_FIXED ("client_id", "users"),
  REF ("service_id", "services"),
  /* The series a repeating appointment belongs to (migration 0021), or NULL. */
  { .name = "series_id", .type = TF_COLUMN_UUID,
    .flags = TF_COLUMN_IMMUTABLE | TF_COLUMN_SIGNED_IF_SET },
  STAMP_REQ ("appointment_datetime"),
  /* A client's booking takes its length and price from the therapist's offer. */
  { .name = "duration", .type = TF_COLUMN_INTEGER, .has_range = TRUE, .min = 1, .max = 24 * 60,
    .flags = TF_COLUMN_REQUIRED | TF_COLUMN_SERVER_DECIDED },
  CHOICE_REQ ("status", 50, appointment_statuses),
  CHOICE ("location_type", 50, location_types),
  FORMAT ("meeting_url", 0, TF_FORMAT_URL),
  { .name = "price", .type = TF_COLUMN_MONEY,
    .flags = TF_COLUMN_REQUIRED | TF_COLUMN_NONNEG | TF_COLUMN_SERVER_DECIDED },
  SECRET_CARE_LATE ("cancellation_reason"),
  REF ("cancelled_by", "users"),
  STAMP ("cancelled_at"),
  SECRET_CARE_LATE ("notes_for_therapist"),
  CREATED_SERVER,
  UPDATED_SERVER,
  ENC_KEY,
  /* A move keeps the time it had, who moved it and when (migration 0016):
   * written and signed by the device that moves it, taken by the server
   * only as the stored time, the caller and no moment after its clock. */
  /* Added to records signed before (TF_COLUMN_SIGNED_IF_SET): an
   * appointment signed before 0016 still verifies. */
  { .name = "previous_datetime", .type = TF_COLUMN_TIMESTAMP, .flags = TF_COLUMN_SIGNED_IF_SET },
  { .name = "moved_by", .type = TF_COLUMN_UUID, .references = "users",
    .flags = TF_COLUMN_SIGNED_IF_SET },
  { .name = "moved_at", .type = TF_COLUMN_TIMESTAMP,
    .flags = TF_COLUMN_AUTHOR_CLOCK | TF_COLUMN_SIGNED_IF_SET },
  /* Cancelled too late, or not at all: its therapist's mark once the time
   * has passed (server/tf-sync-rules.c).  No default (0016): the rows from
   * before hold null, which means no; a false, as a device may write, is
   * left out of what is signed like null (TF_COLUMN_SIGNED_IF_TRUE). */
  { .name = "late_cancellation", .type = TF_COLUMN_BOOLEAN,
    .flags = TF_COLUMN_SIGNED_IF_SET | TF_COLUMN_SIGNED_IF_TRUE },
};

static const TfColumn sessions_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("appointment_id", "appointments"),
  STAMP ("actual_start_time"),
  STAMP ("actual_end_time"),
  SECRET_TEXT ("therapist_notes"),
  SECRET_CARE_LATE ("session_summary"),
  SECRET_CARE_LATE ("homework_assigned"),
  SECRET_CARE_LATE ("next_session_plan"),
  BOOL ("client_attended"),
  BOOL ("therapist_attended"),
  BOOL ("technical_issues"),
  CREATED_AUTHOR,
  ENC_KEY,
  /* Whether the summary, homework and plan reach the client (their care key
   * sealed to them: client/core/tf-vault-share.c); NULL, a session from
   * before the choice: shared. */
  { .name = "shared_with_client", .type = TF_COLUMN_BOOLEAN, .flags = TF_COLUMN_SIGNED_IF_SET },
};

static const TfColumn client_intakes_columns[] = {
  REF_REQ_FIXED ("client_id", "users"),
  VARCHAR ("emergency_contact_name", 200),
  FORMAT ("emergency_contact_phone", 20, TF_FORMAT_PHONE),
  VARCHAR ("emergency_contact_relationship", 100),
  SECRET_JSON ("medical_conditions"),
  SECRET_JSON ("current_medications"),
  SECRET_JSON ("allergies"),
  BOOL ("previous_therapy"),
  SECRET_TEXT ("previous_therapy_details"),
  CREATED_AUTHOR,
  UPDATED_AUTHOR,
  ENC_KEY,
};

static const TfColumn treatment_plans_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("client_id", "users"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  SECRET_JSON_F ("diagnosis_codes", TF_FORMAT_ICD10_LIST),
  SECRET_JSON ("treatment_goals"),
  SECRET_JSON ("interventions"),
  DATE ("review_date"),
  VARCHAR ("status", 50),
  CREATED_AUTHOR,
  UPDATED_AUTHOR,
  ENC_KEY,
};

static const TfColumn session_notes_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("session_id", "sessions"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  VARCHAR ("approach_type", 50),
  SECRET_JSON ("note_content"),
  SECRET_JSON ("risk_assessment"),
  CREATED_AUTHOR,
  UPDATED_AUTHOR,
  ENC_KEY,
  STAMP ("locked_at"),   /* set with the signature; a locked note never changes */
  TEXT ("signature"),    /* Ed25519 over tf_vault_note_signed_bytes(), base64 */
};

/* Written once, locked and signed at that moment (tf_vault_put_locked),
 * appended to a locked note; never changed or deleted. */
static const TfColumn note_addenda_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("note_id", "session_notes"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  SECRET_TEXT ("content"),
  CREATED_AUTHOR,
  ENC_KEY,
  STAMP ("locked_at"),
  TEXT ("signature"),    /* Ed25519 over tf_vault_lock_signed_bytes(), base64 */
};

static const TfColumn client_histories_columns[] = {
  REF_REQ_FIXED ("client_id", "users"),
  SECRET_JSON ("family_history"),
  SECRET_JSON ("psychiatric_history"),
  SECRET_JSON ("social_history"),
  SECRET_JSON ("medical_history"),
  CREATED_AUTHOR,
  UPDATED_AUTHOR,
  ENC_KEY,
};

static const TfColumn mood_entries_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("user_id", "users"),
  INT_RANGE ("mood_value", 1, 10),
  INT_RANGE ("energy_level", 1, 10),
  INT_RANGE ("anxiety_level", 1, 10),
  SECRET_JSON_LATE ("categories"),
  SECRET_JSON_LATE ("emotions"),
  SECRET_TEXT ("notes"),
  { .name = "created_at", .type = TF_COLUMN_TIMESTAMP,
    .flags = TF_COLUMN_REQUIRED | TF_COLUMN_IMMUTABLE | TF_COLUMN_AUTHOR_CLOCK },
  ENC_KEY,
};

static const TfColumn journal_entries_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("user_id", "users"),
  SECRET_TEXT_LATE ("title", 255),
  SECRET_TEXT ("content"),
  VARCHAR ("category", 100),
  INT_RANGE ("mood_at_time", 1, 10),
  BOOL ("is_private"),
  BOOL ("therapist_shared"),
  CREATED_AUTHOR,
  UPDATED_AUTHOR,
  ENC_KEY,
};

static const TfColumn goals_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("user_id", "users"),
  VARCHAR_REQ ("title", 255),
  TEXT ("description"),
  VARCHAR ("category", 100),
  DATE ("target_date"),
  CHOICE ("frequency", 50, frequencies),
  INT_RANGE ("target_count", 1, G_MAXINT32),
  VARCHAR ("status", 50),
  CREATED_AUTHOR,
};

static const TfColumn goal_progress_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("goal_id", "goals"),
  DATE_REQ ("completed_date"),
  TEXT ("notes"),
  CREATED_AUTHOR,
};

/* pending: the client asked and the therapist has not answered; nothing is
 * shared until active.  declined (the therapist said no) and ended carry
 * ended_at (sql/postgres/0023-care-requests.sql). */
static const char * const care_statuses[] = { "pending", "active", "declined", "ended", NULL };

static const TfColumn care_relationships_columns[] = {
  UUID ("id"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  REF_REQ_FIXED ("client_id", "users"),
  CHOICE_REQ ("status", 20, care_statuses),
  BOOL ("share_mood"),
  BOOL ("share_goals"),
  STAMP_FIXED ("started_at"),
  STAMP ("ended_at"),
  REF ("ended_by", "users"),
};

static const TfColumn key_grants_columns[] = {
  UUID ("id"),
  { .name = "table_name", .type = TF_COLUMN_TEXT,
    .flags = TF_COLUMN_REQUIRED | TF_COLUMN_IMMUTABLE },
  REF_REQ_FIXED ("record_id", NULL),
  REF_REQ_FIXED ("owner_id", "users"),
  REF_REQ_FIXED ("recipient_id", "users"),
  { .name = "sealed_key", .type = TF_COLUMN_TEXT, .flags = TF_COLUMN_REQUIRED },
  CREATED_SERVER,
  /* The granting user's signature over what the grant grants, at counter
   * (tf_signed_grant_sign; docs/encryption.md, plan item 4).  Optional on
   * the wire because grants from before have neither; a recipient's device
   * refuses a grant without them. */
  FORMAT ("signature", 200, TF_FORMAT_SIGNATURE),
  INT_RANGE ("counter", 1, G_MAXINT32),
};

static const TfColumn managed_clients_columns[] = {
  REF_REQ_FIXED ("client_id", "users"),
  REF_REQ_FIXED ("therapist_id", "therapists"),
  /* The client's master key and key pairs (tf_keys_export_managed): only
   * while the therapist writes in the client's name; null after the
   * hand-over, when the therapist's device drops them. */
  SECRET_JSON ("client_keys"),
  { .name = "referral_source", .type = TF_COLUMN_TEXT, .max_length = 500,
    .flags = TF_COLUMN_ENCRYPTED },
  SECRET_TEXT ("notes"),
  STAMP ("handed_over_at"),
  CREATED_AUTHOR,
  ENC_KEY,
};

/* A client's personal details that the server has no need of, every one
 * encrypted; formats and lengths are of the plaintext, checked on the
 * device (the birth date and AMKA by client/core/tf-managed.c). */
static const TfColumn client_details_columns[] = {
  REF_REQ_FIXED ("client_id", "users"),
  { .name = "email", .type = TF_COLUMN_TEXT, .max_length = 255, .flags = TF_COLUMN_ENCRYPTED,
    .format = TF_FORMAT_EMAIL },
  { .name = "phone", .type = TF_COLUMN_TEXT, .max_length = 20, .flags = TF_COLUMN_ENCRYPTED,
    .format = TF_FORMAT_PHONE },
  { .name = "address", .type = TF_COLUMN_TEXT, .max_length = 500, .flags = TF_COLUMN_ENCRYPTED },
  { .name = "birth_date", .type = TF_COLUMN_TEXT, .max_length = 10,
    .flags = TF_COLUMN_ENCRYPTED },
  { .name = "gender", .type = TF_COLUMN_TEXT, .max_length = 20, .flags = TF_COLUMN_ENCRYPTED },
  { .name = "amka", .type = TF_COLUMN_TEXT, .max_length = 11, .flags = TF_COLUMN_ENCRYPTED,
    .format = TF_FORMAT_AMKA },
  SECRET_JSON ("emergency_contact"),
  CREATED_AUTHOR,
  UPDATED_AUTHOR,
  ENC_KEY,
};

static gboolean
care_rule (const TfTable *table, const char *(*get) (gpointer, const char *),
           gpointer data, GError **error)
{
  const char *status = get (data, "status");
  gboolean ended = g_strcmp0 (status, "ended") == 0 || g_strcmp0 (status, "declined") == 0;

  if (ended != (get (data, "ended_at") != NULL))
    {
      g_set_error (error, TF_VALIDATION_ERROR, TF_VALIDATION_ERROR_INCONSISTENT,
                   _("an ended or declined care relationship has ended_at, "
                     "a pending or active one does not"));
      return FALSE;
    }
  return TRUE;
}

/* What registration writes (server/tf-auth-register.c: the names typed, a
 * therapist's licence number) and the defaults of sql/postgres/0001-schema.sql
 * the rows take, among the columns their owner signs; the server's test
 * /tf/sync/registered-form checks the rows it makes against these. */
static const TfRegistered profiles_registered[] = {
  { "user_id", NULL },
  { "first_name", NULL },
  { "last_name", NULL },
  { "language", "\"el\"" },
  { "timezone", "\"Europe/Athens\"" },
  { NULL, NULL },
};

static const TfRegistered therapists_registered[] = {
  { "user_id", NULL },
  { "license_number", NULL },
  { "supervisor_status", "false" },
  { "accepts_insurance", "true" },
  { "online_therapy", "true" },
  { "in_person_therapy", "true" },
  { NULL, NULL },
};

#define TABLE(n) .name = #n, .columns = n##_columns, .n_columns = N_COLUMNS (n##_columns)

static const TfTable tables[] = {
  /* Made by the server at registration (the names typed, a therapist's
   * licence number): server-authored until their owner signs them. */
  { TABLE (profiles), .key_column = "user_id", .owner_column = "user_id",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_CARE,
    .server_creates = profiles_registered },
  { TABLE (therapists), .key_column = "user_id", .owner_column = "user_id",
    .therapist_column = "user_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_DIRECTORY,
    .server_creates = therapists_registered },
  { TABLE (therapist_availability), .key_column = "id", .owner_column = "therapist_id",
    .therapist_column = "therapist_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_DIRECTORY,
    .rule = availability_rule },
  { TABLE (therapist_blocked_dates), .key_column = "id", .owner_column = "therapist_id",
    .therapist_column = "therapist_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_DIRECTORY,
    .rule = blocked_rule },
  /* The administrators' catalogue, written through the server: no user's
   * key vouches for it, and devices do not check it. */
  { TABLE (services), .key_column = "id",
    .writer = TF_WRITER_ADMIN, .audience = TF_AUDIENCE_DIRECTORY },
  { TABLE (therapist_services), .key_column = "id", .owner_column = "therapist_id",
    .therapist_column = "therapist_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_DIRECTORY },
  { TABLE (therapist_booking_rules), .key_column = "therapist_id",
    .owner_column = "therapist_id", .therapist_column = "therapist_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_DIRECTORY },
  { TABLE (appointments), .key_column = "id", .client_column = "client_id",
    .therapist_column = "therapist_id", .partition_column = "appointment_datetime",
    .writer = TF_WRITER_CARE, .audience = TF_AUDIENCE_CARE, .rule = appointment_rule },
  { TABLE (sessions), .key_column = "id",
    .parent_column = "appointment_id", .parent_table = "appointments",
    .shared_column = "shared_with_client",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_CARE, .rule = session_rule },
  { TABLE (client_intakes), .key_column = "client_id", .owner_column = "client_id",
    .client_column = "client_id",
    .writer = TF_WRITER_CARE, .audience = TF_AUDIENCE_CARE },
  { TABLE (treatment_plans), .key_column = "id", .owner_column = "therapist_id",
    .client_column = "client_id", .therapist_column = "therapist_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_THERAPIST },
  { TABLE (session_notes), .key_column = "id", .owner_column = "therapist_id",
    .therapist_column = "therapist_id",
    .parent_column = "session_id", .parent_table = "sessions",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_THERAPIST, .rule = note_rule,
    .conflict_copy_syncs = TRUE },
  /* An addendum: the therapist who wrote the locked note it is appended to. */
  { TABLE (note_addenda), .key_column = "id", .owner_column = "therapist_id",
    .therapist_column = "therapist_id",
    .parent_column = "note_id", .parent_table = "session_notes",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_THERAPIST, .rule = note_rule },
  { TABLE (client_histories), .key_column = "client_id", .client_column = "client_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_THERAPIST },
  { TABLE (mood_entries), .key_column = "id", .owner_column = "user_id",
    .client_column = "user_id", .partition_column = "created_at",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_OWNER_SHARED,
    .conflict_copy_syncs = TRUE },
  { TABLE (journal_entries), .key_column = "id", .owner_column = "user_id",
    .client_column = "user_id", .shared_column = "therapist_shared",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_OWNER_SHARED,
    .conflict_copy_syncs = TRUE },
  { TABLE (goals), .key_column = "id", .owner_column = "user_id", .client_column = "user_id",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_OWNER_SHARED,
    .conflict_copy_syncs = TRUE },
  { TABLE (goal_progress), .key_column = "id",
    .parent_column = "goal_id", .parent_table = "goals",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_OWNER_SHARED,
    .unique_together = (const char * const[]) { "goal_id", "completed_date", NULL } },
  /* A therapist's file on a client they added (a managed client): the
   * client's keys while the therapist writes for them, the referral and
   * the therapist's notes; the therapist's alone. */
  { TABLE (managed_clients), .key_column = "client_id", .owner_column = "therapist_id",
    .therapist_column = "therapist_id",
    .writer = TF_WRITER_THERAPIST, .audience = TF_AUDIENCE_THERAPIST },
  /* The client's own, read by their therapists in care (as the intake). */
  { TABLE (client_details), .key_column = "client_id", .owner_column = "client_id",
    .client_column = "client_id",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_CARE },
  /* A client chooses a therapist; either of them can end it. */
  { TABLE (care_relationships), .key_column = "id", .client_column = "client_id",
    .therapist_column = "therapist_id",
    .writer = TF_WRITER_CARE, .audience = TF_AUDIENCE_CARE, .rule = care_rule },
  /* A record's data key sealed to one recipient; only the two parties see it. */
  { TABLE (key_grants), .key_column = "id", .owner_column = "owner_id",
    .recipient_column = "recipient_id",
    .writer = TF_WRITER_OWNER, .audience = TF_AUDIENCE_OWNER_SHARED },
};

const TfTable *
tf_registry_get_tables (guint *n_tables)
{
  if (n_tables != NULL)
    *n_tables = G_N_ELEMENTS (tables);
  return tables;
}

const TfTable *
tf_registry_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    if (strcmp (tables[i].name, name) == 0)
      return &tables[i];
  return NULL;
}

const TfColumn *
tf_table_get_column (const TfTable *table, const char *name)
{
  g_return_val_if_fail (table != NULL, NULL);

  if (name == NULL)
    return NULL;
  for (guint i = 0; i < table->n_columns; i++)
    if (strcmp (table->columns[i].name, name) == 0)
      return &table->columns[i];
  return NULL;
}

gboolean
tf_table_has_encrypted (const TfTable *table)
{
  g_return_val_if_fail (table != NULL, FALSE);

  for (guint i = 0; i < table->n_columns; i++)
    if (table->columns[i].flags & TF_COLUMN_ENCRYPTED)
      return TRUE;
  return FALSE;
}

guint
tf_column_max_chars (const TfColumn *column)
{
  g_return_val_if_fail (column != NULL, 0);

  if (column->max_length > 0)
    return column->max_length;
  if (column->flags & TF_COLUMN_ENCRYPTED)
    return TF_SECRET_MAX_CHARS;
  switch (column->type)
    {
    case TF_COLUMN_TEXT:
      return TF_TEXT_MAX_CHARS;
    case TF_COLUMN_JSON:
      return TF_JSON_MAX_CHARS;
    default:
      return 0;
    }
}

gsize
tf_column_max_envelope (const TfColumn *column)
{
  gsize plaintext;

  g_return_val_if_fail (column != NULL, 0);

  if (!(column->flags & TF_COLUMN_ENCRYPTED))
    return 0;
  /* UTF-8 takes at most 4 bytes a character; the envelope is "tf1:" and
   * padded base64 of nonce (24) || ciphertext || tag (16) (tf-crypto.h). */
  plaintext = (gsize) tf_column_max_chars (column) * 4;
  return 4 + 4 * ((24 + plaintext + 16 + 2) / 3);
}
