/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-slots.h: the free appointment slots of a therapist, computed from the
 * rows of therapist_availability, therapist_blocked_dates and the live
 * appointments.  The device uses it to offer times; the server will use the
 * same code to check a booking, so both agree to the second.
 *
 * Pure computation: no SQL, no I/O.  The caller turns rows into the structs
 * below (dropping deleted rows and cancelled appointments) and gets back UTC
 * instants.
 *
 * How a day's slots are made, for each local date from .. to:
 *
 *   1. A blocked date, or a date of a blocked period, has no slots.
 *   2. The available windows whose day_of_week and effective range match the
 *      date are merged where they overlap or touch; the unavailable windows
 *      that match are cut out of them.  What remains are the day's windows.
 *   3. In each window, slots start at the window's start wall time and step
 *      by the duration in wall time.  A slot lasts the duration in real
 *      minutes.
 *   4. Daylight saving: a start wall time that does not exist (the clocks go
 *      forward over it) has no slot; one that exists twice (the clocks go
 *      back) means its first occurrence only.  A slot must end no later than
 *      the window's end instant, the end wall time resolved the same way (an
 *      end inside a gap is the instant the clocks jump).  A slot that would
 *      begin before the previous slot of its window has ended (possible only
 *      just after the clocks go forward) is skipped, so slots never overlap.
 *   5. Slots overlapping a booking ([start, end) meets [b, b + duration)) and
 *      slots starting before @now are dropped.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest slot, in minutes: the limit of appointments.duration. */
#define TF_SLOTS_MAX_DURATION (24 * 60)
/* Minutes of a booking with no service, or of a service with no length. */
#define TF_SLOTS_DEFAULT_DURATION 50
/* Most local dates one call may cover (a leap year). */
#define TF_SLOTS_MAX_DAYS 366

/* One row of therapist_availability. */
typedef struct
{
  int         day_of_week;     /* 0 = Sunday ... 6 = Saturday (PostgreSQL's extract(dow)) */
  int         start_seconds;   /* local wall time of day, 0 ... 86399 */
  int         end_seconds;     /* local wall time of day, start < end <= 86400 (24:00:00) */
  gboolean    is_available;    /* FALSE: time cut out of the available windows */
  const char *effective_from;  /* "YYYY-MM-DD", first date it applies to, or NULL */
  const char *effective_until; /* "YYYY-MM-DD", last date it applies to, or NULL */
} TfAvailability;

/* @a from @fields, a therapist_availability record's fields in wire form
 * (as stored on the device, or as the server reads them): a missing
 * is_available is TRUE, an end of 00:00:00 is 24:00.  The dates point into
 * @fields.  FALSE when a day or time is unusable. */
gboolean tf_availability_init_from_fields (TfAvailability *a,
                                           JsonObject     *fields);

/* One row of therapist_blocked_dates: a day off, or a period of them. */
typedef struct
{
  const char *first_date;      /* "YYYY-MM-DD": blocked_date */
  const char *last_date;       /* "YYYY-MM-DD": end_date, the last day off (included), or
                                * NULL for the one day */
} TfBlocked;

/* @b from @fields, a therapist_blocked_dates record's fields in wire form;
 * the dates point into @fields.  FALSE when blocked_date is missing. */
gboolean tf_blocked_init_from_fields      (TfBlocked      *b,
                                           JsonObject     *fields);
/* Whether the local date @date ("YYYY-MM-DD") is a day off of @b (dates
 * compare as text in this form). */
gboolean tf_blocked_contains              (const TfBlocked *b,
                                           const char     *date);

/* A live (not cancelled, not deleted) appointment of the therapist. */
typedef struct
{
  GDateTime *start;            /* appointments.appointment_datetime, any zone */
  int        duration_minutes; /* appointments.duration, > 0 */
} TfBooked;

/* A free slot, [start, end). */
typedef struct
{
  GDateTime *start; /* UTC */
  GDateTime *end;   /* UTC, start + duration */
} TfSlot;

/* The free slots of @duration_minutes (1 ... TF_SLOTS_MAX_DURATION) on the
 * local dates @from to @to ("YYYY-MM-DD", both included, at most
 * TF_SLOTS_MAX_DAYS dates) in the zone @tzid (IANA name, NULL =
 * Europe/Athens), made as described at the top of this file.
 *
 * @availability: TfAvailability*, may be NULL or empty
 * @blocked:      TfBlocked* (therapist_blocked_dates), may be NULL
 * @booked:       TfBooked*, may be NULL
 * @now:          slots starting before this instant are left out; NULL keeps all
 *
 * Returns a new array of TfSlot* in time order that frees its elements, or
 * NULL with TF_PROTOCOL_ERROR_BAD_VALUE for a malformed date (in @from, @to,
 * an effective date or @blocked), a blocked period that ends before it
 * starts, @from after @to, a longer range, a
 * duration out of range or an unknown zone.  A malformed TfAvailability
 * (day or times out of range) or TfBooked is a programming error. */
GPtrArray *tf_slots_compute (const char  *tzid,
                             const char  *from,
                             const char  *to,
                             int          duration_minutes,
                             GPtrArray   *availability,
                             GPtrArray   *blocked,
                             GPtrArray   *booked,
                             GDateTime   *now,
                             GError     **error);

/* Whether [@start, @start + @duration_minutes) lies inside one of the
 * windows of @availability (as step 2 above makes them) on @start's local
 * date in @tzid (NULL = Europe/Athens), whatever the slot grid: a
 * therapist who books 10:00 in hours 09:00–17:00 books inside their hours
 * though a 50-minute grid offers 09:00, 09:50, 10:40.  Window ends resolve
 * as in step 4.  Blocked dates and bookings are not looked at.  FALSE with
 * TF_PROTOCOL_ERROR_BAD_VALUE for an unknown zone, a malformed effective
 * date or a duration out of range; else TRUE and *@out_within. */
gboolean   tf_slots_within_hours (const char  *tzid,
                                  GPtrArray   *availability,
                                  GDateTime   *start,
                                  int          duration_minutes,
                                  gboolean    *out_within,
                                  GError     **error);

void       tf_slot_free     (TfSlot *slot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfSlot, tf_slot_free)

G_END_DECLS
