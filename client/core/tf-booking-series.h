/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-series.h: a therapist books a repeating appointment for a
 * client — weekly, every two weeks or monthly on the same weekday, until a
 * date or a number of times — and cancels "this and the following" ones.
 *
 * First the preview: every occurrence of the series (tf-recurrence.h, in
 * the therapist's zone) with what stands in its way, as this device knows
 * it — its time has passed, it falls on a day off, it meets another live
 * appointment of the therapist, or it lies outside their hours.  Nothing
 * is left out of the preview and nothing skipped without being shown.
 * Then the booking: the whole series, or with @skip_clashes only the
 * occurrences that have no clash, as ordinary appointments (confirmed, the
 * therapist's offer, as tf_booking_book_for_client makes one) that share a
 * series_id, written in one local transaction as one outbox group, so the
 * server takes all of them or none.  Each is still checked there by the
 * rules of any booking (server/tf-sync-rules.c).
 */
#pragma once

#include "tf-booking.h"
#include "tf-recurrence.h"

G_BEGIN_DECLS

typedef enum
{
  TF_SERIES_CLASH_NONE,
  TF_SERIES_CLASH_PAST,          /* starts now or before */
  TF_SERIES_CLASH_BLOCKED,       /* on a day off of the therapist (one day or a period) */
  TF_SERIES_CLASH_BOOKED,        /* meets another live appointment of the therapist */
  TF_SERIES_CLASH_OUTSIDE_HOURS, /* not inside the therapist's working hours */
} TfSeriesClash;

typedef struct
{
  guint          index;    /* 0 = the first */
  char          *date;     /* "YYYY-MM-DD": its local date in the therapist's zone */
  GDateTime     *start;    /* UTC */
  gboolean       shifted;  /* the series' time does not exist that day (the clocks go
                            * forward): later by the gap */
  TfSeriesClash  clash;
  char          *clash_id; /* the appointment it meets (BOOKED) or the day off (BLOCKED) */
} TfSeriesOccurrence;

typedef struct
{
  const char *client_id;     /* a client in this therapist's care */
  GDateTime  *first;         /* the first occurrence's start */
  const char *service_id;    /* NULL: no service (free, the default length) */
  const char *location_type; /* "online", "in_person" or NULL */
  const char *meeting_url;   /* an online one's link, or NULL for the template's */
  TfRepeat    repeat;
  const char *until;         /* last local date, or NULL with @count */
  guint       count;         /* occurrences, or 0 with @until */
} TfSeriesRequest;

/* The occurrences of @request (TfSeriesOccurrence*, in order, a new array
 * that frees them) with their clashes.  NULL with TF_BOOKING_ERROR_NOT_YOURS
 * for a client's account, TF_BOOKING_ERROR_NOT_LINKED for a person not in
 * care, TF_BOOKING_ERROR_INVALID for a bad id, link or location, the
 * recurrence's own errors (TF_VALIDATION_ERROR: no end, both ends, too
 * many) and the offer's (tf_booking_find_offer). */
GPtrArray  *tf_booking_series_preview (TfVault               *vault,
                                       const TfSeriesRequest *request,
                                       GError               **error);

/* How many of @occurrences have a clash. */
guint       tf_series_count_clashes   (GPtrArray             *occurrences);

/* Books @request.  When an occurrence has a clash and @skip_clashes is
 * FALSE nothing is written and the error is TF_BOOKING_ERROR_NOT_FREE,
 * saying how many; with @skip_clashes those are left out (the preview
 * shows which) and the rest booked, unless none is left (NOT_FREE again).
 * Returns the new series_id; the booked appointments' ids, in order, in
 * @out_ids (NULL-terminated) when given. */
char       *tf_booking_book_series    (TfVault               *vault,
                                       const TfSeriesRequest *request,
                                       gboolean               skip_clashes,
                                       GStrv                 *out_ids,
                                       GError               **error);

/* Cancels @appointment_id and every later pending or confirmed
 * appointment of its series, with @reason, in one local transaction and
 * one outbox group; the number cancelled in @out_cancelled.  An
 * appointment of no series is TF_BOOKING_ERROR_INVALID; the rules of
 * tf_booking_cancel otherwise (the first must be cancellable). */
gboolean    tf_booking_cancel_following (TfVault             *vault,
                                         const char          *appointment_id,
                                         const char          *reason,
                                         guint               *out_cancelled,
                                         GError             **error);

/* Moves @appointment_id to @new_start and every later pending or
 * confirmed appointment of its series by the same change of local date and
 * to the same local time of day in the therapist's zone (Tuesday 10:00 →
 * Wednesday 11:00 moves each following Tuesday's to its Wednesday at
 * 11:00, across DST), each by tf_booking_move's rules, in one local
 * transaction and one outbox group: one refused (TF_BOOKING_ERROR_TAKEN
 * …, its date said) moves none.  The number moved in @out_moved. */
gboolean    tf_booking_move_following (TfVault               *vault,
                                       const char            *appointment_id,
                                       GDateTime             *new_start,
                                       guint                 *out_moved,
                                       GError               **error);

/* What stands in an occurrence's way, translated ("already booked"…);
 * "" for none. */
const char *tf_series_clash_label     (TfSeriesClash          clash);
/* "past", "blocked", "booked", "outside_hours", NULL for none: the --json
 * word. */
const char *tf_series_clash_code      (TfSeriesClash          clash);

void        tf_series_occurrence_free (TfSeriesOccurrence    *occurrence);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfSeriesOccurrence, tf_series_occurrence_free)

G_END_DECLS
