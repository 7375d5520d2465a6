/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability.h: a therapist's working hours and days off as the app's
 * availability editor and the CLI's "availability set|block" write them —
 * one day's windows replaced at once, a day or a period (a vacation from
 * one date to another) blocked once.
 *
 * The editor says which window of which day is wrong in its own words; the
 * rules here refuse the same things again so that nothing else can store
 * hours the slot rules (tf-slots) cannot read.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* This account's windows on @day_of_week as stored (JsonObject rows,
 * by start; a new array the caller owns), or NULL with @error set. */
GPtrArray  *tf_availability_list_day (TfVault      *vault,
                                      int           day_of_week,
                                      GError      **error);

/* Replaces this account's windows on @day_of_week (0 = Sunday … 6 =
 * Saturday) with @times: start and end of each window in turn, "HH:MM:SS"
 * (23:59:59 for the end of the day), by start.  An empty @times leaves the
 * day without hours.  A window that does not end after its start or that
 * overlaps the one before is TF_BOOKING_ERROR_INVALID, and nothing is
 * written.  When the stored windows are already @times nothing is written
 * and *@changed (if given) is FALSE.  Returns the ids of the day's rows
 * (NULL-terminated; empty for no hours), or NULL with @error set. */
GStrv       tf_availability_set_day (TfVault       *vault,
                                     int            day_of_week,
                                     GPtrArray     *times,
                                     gboolean      *changed,
                                     GError       **error);

/* Blocks the days @first to @last ("YYYY-MM-DD", both included; @last
 * NULL or @first for the one day) for this account, with an optional
 * @reason.  A date that is not one, a @last before @first, or days that
 * meet days off already blocked (a day inside a period, periods that
 * overlap) are TF_BOOKING_ERROR_INVALID, and nothing is written.  Returns
 * the new row's id. */
char       *tf_availability_block   (TfVault       *vault,
                                     const char    *first,
                                     const char    *last,
                                     const char    *reason,
                                     GError       **error);

/* This account's days off (therapist_blocked_dates rows: blocked_date, and
 * end_date for a period), by first day; a new array the caller owns. */
GPtrArray  *tf_availability_list_blocked (TfVault  *vault,
                                          GError  **error);

/* Unblocks the day off @id of this account. */
gboolean    tf_availability_unblock (TfVault       *vault,
                                     const char    *id,
                                     GError       **error);

G_END_DECLS
