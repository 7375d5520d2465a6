/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-recurrence.h: the occurrences of a repeating appointment.
 *
 * A series is its first appointment, a rhythm and an end.  The rhythm keeps
 * the first appointment's local wall-clock time in the therapist's zone, so
 * a 10:00 Europe/Athens series stays at 10:00 local when the clocks change
 * (its UTC instant moves by an hour), never drifts to 09:00 or 11:00.
 *
 *   weekly    every 7 local days from the first date
 *   biweekly  every 14 local days
 *   monthly   the same weekday in the same week of the month: the first is
 *             on the 2nd Tuesday, so is every occurrence.  A first on the
 *             5th weekday of its month (the 29th to the 31st) means "the last
 *             such weekday": most months have no 5th Tuesday, and a
 *             therapist who books the last Tuesday of a month means the last
 *             Tuesday of each month, not a series with holes.  So no month
 *             is skipped; tf_recurrence_get_week_of_month() says -1 and a
 *             preview can say "the last Tuesday".
 *
 * The end is a last local date (@until, inclusive: an occurrence on that
 * date in the zone is in) or a number of occurrences, never both, and never
 * more than TF_RECURRENCE_MAX_COUNT occurrences either way.
 *
 * Wall times the clocks skip or repeat:
 *   - a wall time in the spring-forward gap (03:30 in Athens on the last
 *     Sunday of March) does not exist: that occurrence is moved forward by
 *     the gap (04:30), and its state says TF_OCCURRENCE_SHIFTED, so the
 *     preview reports it instead of booking a silently different hour;
 *   - a wall time in the autumn overlap happens twice: the first of the two
 *     (summer time), as tf-slots.h offers it.
 *
 * Exceptions: an occurrence of the rule may be cancelled or moved to
 * another instant.  An exception names the occurrence by the local date
 * the rule gives it (as iCalendar's RECURRENCE-ID does), so moving one does
 * not renumber the rest; cancelled occurrences still count towards @count
 * and stay in the list, marked.  Nothing is ever dropped from the list: it
 * has one entry per occurrence of the rule, in the rule's order.
 *
 * Pure computation: no SQL, no I/O; the zone arithmetic is tf-time.c's.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Most occurrences of one series: two years of weekly sessions. */
#define TF_RECURRENCE_MAX_COUNT 104

typedef enum
{
  TF_REPEAT_WEEKLY,
  TF_REPEAT_BIWEEKLY,
  TF_REPEAT_MONTHLY,
} TfRepeat;

/* "weekly", "biweekly", "monthly" -> @repeat; FALSE with
 * TF_VALIDATION_ERROR_NOT_ALLOWED on anything else. */
gboolean    tf_repeat_from_string (const char  *text,
                                   TfRepeat    *repeat,
                                   GError     **error);
const char *tf_repeat_to_string   (TfRepeat     repeat);

typedef struct
{
  TfRepeat    repeat;
  const char *tzid;   /* IANA zone whose wall clock the series keeps; NULL = Europe/Athens */
  GDateTime  *first;  /* the first occurrence's start, any zone */
  const char *until;  /* "YYYY-MM-DD": the last local date an occurrence may fall on, or NULL */
  guint       count;  /* occurrences, 1 ... TF_RECURRENCE_MAX_COUNT; 0 when @until is set */
} TfRecurrence;

typedef struct
{
  const char *date;     /* "YYYY-MM-DD": the local date the rule gives the occurrence */
  GDateTime  *moved_to; /* its new start, or NULL: the occurrence is cancelled */
} TfRecurrenceException;

typedef enum
{
  TF_OCCURRENCE_SCHEDULED, /* at the series' wall time */
  TF_OCCURRENCE_SHIFTED,   /* the wall time does not exist that day (spring forward):
                            * later by the gap */
  TF_OCCURRENCE_MOVED,     /* an exception moved it to another instant */
  TF_OCCURRENCE_CANCELLED, /* an exception cancelled it */
} TfOccurrenceState;

typedef struct
{
  guint              index; /* 0 = the first; the rule's order */
  char              *date;  /* "YYYY-MM-DD": the local date the rule gives it */
  GDateTime         *start; /* UTC: where it is (moved: the new instant; cancelled: where it
                             * would have been) */
  TfOccurrenceState  state;
} TfOccurrence;

/* The occurrences of @rule, with @exceptions (TfRecurrenceException*, may
 * be NULL) applied, as described at the top of this file.  Returns an array
 * of TfOccurrence* that frees its elements, or NULL with:
 *   TF_PROTOCOL_ERROR_BAD_VALUE        a malformed date, an unknown zone;
 *   TF_VALIDATION_ERROR_OUT_OF_RANGE   a count of 0 or over the maximum, an
 *                                      @until that allows more;
 *   TF_VALIDATION_ERROR_INCONSISTENT   both or neither of @until and @count,
 *                                      @until before the first date, an
 *                                      exception on a date that is not an
 *                                      occurrence, or two on one date. */
GPtrArray  *tf_recurrence_expand  (const TfRecurrence *rule,
                                   GPtrArray          *exceptions,
                                   GError            **error);

/* The week of the month of @first's local date in @tzid (NULL = Athens),
 * as a monthly series repeats it: 1 ... 4, or -1 for "the last" (the 5th
 * weekday of its month); 0 when the zone is unknown. */
int         tf_recurrence_get_week_of_month (GDateTime  *first,
                                             const char *tzid);

void        tf_occurrence_free    (TfOccurrence *occurrence);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfOccurrence, tf_occurrence_free)

G_END_DECLS
