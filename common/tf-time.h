/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-time.h: the time encodings of the wire format (DESIGN.md §3) and the
 * practice's wall clock.
 *
 *   timestamp  RFC 3339, always emitted in UTC with 'Z' and microseconds
 *              omitted when zero ("2026-03-29T01:30:00Z"); parsed from any
 *              RFC 3339 offset ("+02:00", "Z", "z"), fractional seconds allowed.
 *   date       "YYYY-MM-DD" (a real calendar date: no 2026-02-30)
 *   time       "HH:MM:SS" 00:00:00 ... 23:59:59 (no leap seconds, no 24:00)
 *
 * A practice works in Europe/Athens by default (profiles.timezone).  Wall
 * times that do not exist (spring-forward gap, last Sunday of March 03:00 to
 * 04:00) or exist twice (fall-back, last Sunday of October 03:00 to 04:00) are
 * resolved explicitly, never silently by the C library.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TF_DEFAULT_TIMEZONE "Europe/Athens"

/* RFC 3339 -> GDateTime (in UTC).  NULL with TF_PROTOCOL_ERROR_BAD_VALUE on
 * anything else (missing offset, out-of-range fields, trailing garbage). */
GDateTime *tf_time_parse_timestamp  (const char  *text,
                                     GError     **error);
/* GDateTime -> "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" in UTC. */
char      *tf_time_format_timestamp (GDateTime   *dt);

/* "YYYY-MM-DD" -> year/month/day; FALSE with TF_PROTOCOL_ERROR_BAD_VALUE. */
gboolean   tf_time_parse_date       (const char  *text,
                                     int         *year,
                                     int         *month,
                                     int         *day,
                                     GError     **error);
/* "HH:MM:SS" -> seconds since midnight; FALSE with TF_PROTOCOL_ERROR_BAD_VALUE. */
gboolean   tf_time_parse_time       (const char  *text,
                                     int         *seconds_of_day,
                                     GError     **error);
char      *tf_time_format_date      (int          year,
                                     int          month,
                                     int          day);
char      *tf_time_format_time      (int          seconds_of_day);

/* How to resolve a local wall time that does not exist or exists twice. */
typedef enum
{
  TF_TIME_LOCAL_STRICT,  /* fail with TF_PROTOCOL_ERROR_BAD_VALUE on a gap or an overlap */
  TF_TIME_LOCAL_EARLIER, /* overlap: the first (summer-time) instant; gap: the instant the gap starts */
  TF_TIME_LOCAL_LATER,   /* overlap: the second (standard-time) instant; gap: shift forward by the gap */
} TfTimeLocalPolicy;

/* Local wall time in @tzid (IANA name, NULL = Europe/Athens) -> UTC instant.
 * An unknown zone fails with TF_PROTOCOL_ERROR_BAD_VALUE. */
GDateTime *tf_time_local_to_utc     (const char        *tzid,
                                     int                year,
                                     int                month,
                                     int                day,
                                     int                seconds_of_day,
                                     TfTimeLocalPolicy  policy,
                                     GError           **error);
/* UTC instant -> local GDateTime in @tzid (NULL = Europe/Athens). */
GDateTime *tf_time_utc_to_local     (const char        *tzid,
                                     GDateTime         *utc,
                                     GError           **error);
/* TRUE if @tzid names a zone this machine knows (not silently UTC). */
gboolean   tf_time_zone_is_known    (const char        *tzid);

G_END_DECLS
