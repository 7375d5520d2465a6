/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-booking-lists.h: the live lists of booking the app binds — the free
 * times of one day with a therapist, a therapist's blocked dates and a
 * client's appointments.
 * Each is a repository (tf-repository.h) that reloads by itself when a
 * table it is made from changes, a sync's pulled pages included.
 */
#pragma once

#include "tf-booking.h"
#include "tf-repository.h"

G_BEGIN_DECLS

/* The free times of @therapist_id on the local date @year-@month-@day for
 * @service_id (NULL: no particular service, the default duration): a
 * TfItem {start} per slot, soonest first, from the therapist's hours,
 * blocked dates, appointments and services this device has.  When they
 * cannot be told the list is empty and tf_repository_get_error says why:
 * TF_BOOKING_ERROR_HOURS_UNKNOWN while the device knows none of the
 * therapist's working hours, or what tf_booking_find_offer refused. */
TfRepository *tf_booking_slots_new        (TfVault    *vault,
                                           const char *therapist_id,
                                           const char *service_id,
                                           int         year,
                                           int         month,
                                           int         day);

/* This therapist's blocked dates, live: the therapist_blocked_dates
 * records of the account, by date. */
TfRepository *tf_booking_blocked_new      (TfVault    *vault);

/* This client's appointments, live: upcoming ones (not ended yet when
 * loaded) first, soonest first, then the past ones, latest first; each
 * its plain form with upcoming (boolean), therapist_name when the
 * therapist's profile names them and service_name when the service is
 * known.  It reloads when an appointment, a profile or a service
 * changes. */
TfRepository *tf_booking_mine_new         (TfVault    *vault);

/* For tf_repository_reload_when: the next start or end, after @now (µs
 * since the epoch), of the appointments in @records — appointments, or
 * records with an "appointments" array of them (a week's days); 0 when
 * none is to come.  A list of appointments looks at the clock then, and
 * only then: one whose time comes offers Completed and No-show, one that
 * ends moves to the past. */
gint64        tf_booking_next_change      (GPtrArray  *records,
                                           gint64      now);

G_END_DECLS
