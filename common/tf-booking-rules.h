/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-rules.h: a therapist's booking rules (the synced
 * therapist_booking_rules row) as numbers, and the checks a client's
 * booking must pass — one copy for the device, which refuses before
 * writing, and the server, which refuses with the same code.
 *
 * Pure computation: no SQL, no I/O.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "tf-slots.h"

G_BEGIN_DECLS

typedef struct
{
  int min_notice_minutes; /* a client books at least this far ahead; -1: not set */
  int buffer_minutes;     /* kept free before and after each appointment; 0: none */
  int max_days_ahead;     /* a client books at most this many days ahead; 0: no limit */
} TfBookingRules;

/* @rules from @fields, a therapist_booking_rules record in wire form, or
 * none (@fields NULL: no rule set). */
void        tf_booking_rules_init_from_fields (TfBookingRules *rules,
                                               JsonObject     *fields);

/* The minimum notice in force: the therapist's when set, else
 * @default_minutes (the server's booking-notice-minutes; 0 on a device,
 * which does not know it). */
int         tf_booking_rules_notice           (const TfBookingRules *rules,
                                               int                   default_minutes);

/* The code a client's booking of @start, seen at @now, breaks: "too_soon"
 * (not later than @now plus the notice in force), "too_far_ahead" (more
 * than max_days_ahead days after @now), or NULL. */
const char *tf_booking_rules_check_time       (const TfBookingRules *rules,
                                               int                   default_notice,
                                               GDateTime            *now,
                                               GDateTime            *start);

/* Whether [@start, @start + @duration) comes nearer than buffer_minutes to
 * one of @booked (TfBooked*, the therapist's live appointments but the one
 * booked; overlapping ones count too), so "buffer". */
gboolean    tf_booking_rules_breaks_buffer    (const TfBookingRules *rules,
                                               GDateTime            *start,
                                               int                   duration,
                                               GPtrArray            *booked);

G_END_DECLS
