/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-sync-rules.h: what the server decides in a pushed record, whatever
 * the device sent (DESIGN.md §4: "the server decides what it can").
 *
 * tf-sync-push-apply.c decides whether a mutation may be applied; these rules
 * correct the record it applies — timestamps from the server's clock, a
 * booking's price and length from the therapist's offer, a verification
 * that no longer holds cleared — and refuse a booking the therapist did
 * not open (no care, outside their hours, too soon, too many pending).
 * The push answers a corrected record with the stored fields, so the
 * device takes the server's values at once.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "tf-booking-rules.h"
#include "tf-record.h"

G_BEGIN_DECLS

/* How far ahead of the server a device's clock may run (an author's moment
 * later than that is refused, clock_ahead). */
#define TF_SYNC_RULES_CLOCK_SKEW_MINUTES 5

/* Whether column @column has the same value in @a and @b (absent = null). */
gboolean tf_sync_rules_same_value (JsonObject     *a,
                                   JsonObject     *b,
                                   const char     *column);

/* The timestamps of an upsert of @table that are the server's
 * (TF_COLUMN_SERVER_CLOCK: @now, or @current's once set when also
 * IMMUTABLE).  Changes @fields in place; TRUE when they now differ from
 * what was sent.  An author's moment (TF_COLUMN_AUTHOR_CLOCK) is signed by
 * its author and never changed: one later than @now plus the allowed skew
 * is named in *@out_ahead (else NULL) for the push to refuse, and a fixed
 * one sent changed is refused as such (tf_push_changed_immutable). */
gboolean tf_sync_rules_stamp   (const TfTable  *table,
                                JsonObject     *fields,
                                const TfRecord *current,
                                GDateTime      *now,
                                const char    **out_ahead);

/* What a booking rule needs beyond the record. */
typedef struct
{
  PGconn     *conn;
  GDateTime  *now;             /* the server's clock */
  guint       notice_minutes;  /* booking-notice-minutes: a client books this far ahead */
  guint       pending_limit;   /* booking-pending-limit: pending bookings per client */
  gboolean    by_client;       /* the client books; FALSE: their therapist does */
  gboolean    in_care;         /* client and therapist are in active care (stored or pushed) */
  guint       pending_in_push; /* new pending bookings of the client earlier in this push */
  GPtrArray  *booked_in_push;  /* TfBooked*: the therapist's live appointments applied earlier
                                * in this push (not yet stored), or NULL */
} TfBookingCheck;

/* Checks and corrects an upsert of appointment @id (@fields over @current)
 * that books or moves a time: notice and how far ahead (a client's: the
 * therapist's rules), care, the offer, the pending limit.
 * Refused: *@out_code (a rejection code) and *@out_message set, @fields
 * untouched.  Accepted: *@out_code NULL, and for a client's new booking
 * price and duration set from the offer (*@out_corrected TRUE when they
 * differ from what was sent).  FALSE with @error when the database
 * failed. */
gboolean tf_sync_rules_check_booking (const TfBookingCheck *check,
                                      const char           *id,
                                      JsonObject           *fields,
                                      const TfRecord       *current,
                                      gboolean             *out_corrected,
                                      const char          **out_code,
                                      char                **out_message,
                                      GError              **error);

/* An edit of an existing appointment (@current), by either side, keeps its terms:
 * the price and the length stay @current's whatever the device holds (a
 * booking made and cancelled offline carries the device's guesses); both
 * are the server's to decide and no author signs them.  The service is the
 * author's, signed: a client's change of it is refused
 * (tf_push_changed_by_client).  TRUE when @fields changed. */
gboolean tf_sync_rules_keep_terms (JsonObject     *fields,
                                   const TfRecord *current);

/* Whether the time a client's upsert of an appointment books is one of
 * the therapist's slots of its duration (common/tf-slots.c, the grid the
 * device offers), and keeps the therapist's buffer from their other
 * appointments (@id's own aside).  Refused: *@out_code "outside_hours" or
 * "buffer" and *@out_message.  FALSE with @error when the database failed. */
gboolean tf_sync_rules_check_hours (const TfBookingCheck *check,
                                    const char           *id,
                                    JsonObject           *fields,
                                    const TfRecord       *current,
                                    const char          **out_code,
                                    char                **out_message,
                                    GError              **error);

/* @therapist's booking rules (tf-sync-rules-booking.c): their
 * therapist_booking_rules row, or none set. */
gboolean tf_sync_rules_load_booking_rules (PGconn              *conn,
                                           const char          *therapist,
                                           TfBookingRules      *out,
                                           GError             **error);

/* Whether appointment @id of @therapist at @start for @duration minutes
 * comes nearer than @rules' buffer to another of their live appointments
 * stored, or of @in_push (TfBooked*, may be NULL: those applied earlier in
 * the same push). */
gboolean tf_sync_rules_breaks_buffer      (PGconn              *conn,
                                           const TfBookingRules *rules,
                                           const char          *therapist,
                                           const char          *id,
                                           GDateTime           *start,
                                           int                  duration,
                                           GPtrArray           *in_push,
                                           gboolean            *out_breaks,
                                           GError             **error);

/* Corrects @fields (a mutation's upsert of @table, changed in place) over
 * @current (the stored row, or NULL for a new record).  @admin: the caller
 * is an administrator, whose verification flags stand as sent.  Returns
 * TRUE when @fields now differ from what the device sent. */
gboolean tf_sync_rules_correct (const TfTable  *table,
                                JsonObject     *fields,
                                const TfRecord *current,
                                gboolean        admin);

/* The record as it will be stored: @current's fields with @fields over
 * them, at @version. */
TfRecord *tf_sync_rules_stored (const TfTable  *table,
                                const char     *id,
                                JsonObject     *fields,
                                const TfRecord *current,
                                gint64          version);

G_END_DECLS
