/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-private.h: what the booking files of client/core share among
 * themselves.
 */
#pragma once

#include "tf-booking.h"

G_BEGIN_DECLS

/* Now, RFC 3339 UTC, as a record's stamps are written. */
char    *tf_booking_now_stamp      (void);

/* Whether @therapist_id and @client_id are in active care, as this device
 * knows it.  FALSE with @error when the store fails. */
gboolean tf_booking_in_care        (TfVault     *vault,
                                    const char  *therapist_id,
                                    const char  *client_id,
                                    gboolean    *out_in_care,
                                    GError     **error);

/* The id of a live appointment of @therapist_id (other than @except_id)
 * meeting [@start - @margin_minutes, @start + @duration + @margin_minutes),
 * in *@out_other_id, else NULL.  FALSE with @error when the store fails. */
gboolean tf_booking_find_overlap   (TfVault     *vault,
                                    const char  *therapist_id,
                                    const char  *except_id,
                                    GDateTime   *start,
                                    int          duration,
                                    int          margin_minutes,
                                    char       **out_other_id,
                                    GError     **error);

/* TF_BOOKING_ERROR_TOO_SOON or _TOO_FAR, in words, when a client's booking
 * of @start at @now breaks @therapist_id's rules. */
gboolean tf_booking_check_practice_rules      (TfVault     *vault,
                                    const char  *therapist_id,
                                    GDateTime   *start,
                                    GDateTime   *now,
                                    GError     **error);

/* TF_BOOKING_ERROR_BUFFER when [@start, @start + @duration) overlaps no
 * live appointment of @therapist_id (but @except_id) yet comes within
 * their buffer of one. */
gboolean tf_booking_check_buffer        (TfVault     *vault,
                                    const char  *therapist_id,
                                    const char  *except_id,
                                    GDateTime   *start,
                                    int          duration,
                                    GError     **error);

/* tf_booking_free_slots as if appointment @except_id (may be NULL) were
 * not booked: the times it may move to. */
GPtrArray *tf_booking_free_slots_except (TfVault    *vault,
                                         const char *therapist_id,
                                         const char *except_id,
                                         const char *from_date,
                                         const char *to_date,
                                         int         duration,
                                         gboolean   *out_known,
                                         GError    **error);

/* Whether @start is one of @therapist_id's free slots of @duration (but
 * for @except_id), as far as this device knows their hours (*@known
 * FALSE: it knows none). */
gboolean   tf_booking_is_free_slot      (TfVault    *vault,
                                         const char *therapist_id,
                                         const char *except_id,
                                         GDateTime  *start,
                                         int         duration,
                                         gboolean   *known,
                                         GError    **error);

/* @start as a wall-clock time ("%Y-%m-%d %H:%M") in @therapist_id's zone
 * (their profile's timezone, Europe/Athens when it has none), as their
 * calendar shows it, for messages. */
char      *tf_booking_shown_time        (TfVault    *vault,
                                         const char *therapist_id,
                                         GDateTime  *start);

/* TF_BOOKING_ERROR_DAY_OFF when @start falls, in @therapist_id's zone, on
 * one of their days off this device has (a therapist's own: the server
 * refuses such a booking as blocked_date). */
gboolean   tf_booking_check_day_off     (TfVault    *vault,
                                         const char *therapist_id,
                                         GDateTime  *start,
                                         GError    **error);

G_END_DECLS
