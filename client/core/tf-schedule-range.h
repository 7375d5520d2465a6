/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-range.h: a therapist's appointments between two instants, as
 * the calendar's day, week and month views show them, and the zone the
 * therapist works in.
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* This therapist's appointments that begin in [@from, @to), soonest first
 * (by id at the same instant), their plain forms each with client_name
 * when the client's profile names them and started (whether its time has
 * come); a new array (it owns the objects), or NULL with @error. */
GPtrArray    *tf_schedule_list_between (TfVault    *vault,
                                        GDateTime  *from,
                                        GDateTime  *to,
                                        GError    **error);

/* The same, live: a TfItem per appointment, reloaded when an appointment or
 * a profile changes (a sync's pulled pages included) and when one of them
 * begins or ends (tf_booking_next_change), since an appointment whose time
 * comes offers other changes. */
TfRepository *tf_schedule_range_new    (TfVault    *vault,
                                        GDateTime  *from,
                                        GDateTime  *to);

/* The zone this account (a therapist) works in: their profile's timezone,
 * Europe/Athens when the profile has none or names a zone this computer
 * does not know. */
GTimeZone    *tf_schedule_dup_zone     (TfVault    *vault);

G_END_DECLS
