/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-schedule-week.h: a therapist's week as the Schedule page lists it —
 * a repository (tf-repository.h) that reloads by itself when an
 * appointment or a profile changes, a sync's pulled pages included.
 */
#pragma once

#include "tf-repository.h"

G_BEGIN_DECLS

/* This therapist's appointments of the week that begins at @week_start
 * (Monday 00:00 in the therapist's zone, the zone of @week_start), live: a TfItem per day that has
 * any, Monday first, {id (the local date, YYYY-MM-DD), appointments (their
 * plain forms, soonest first, each with client_name when the client's
 * profile names them)}. */
TfRepository *tf_schedule_week_new (TfVault   *vault,
                                    GDateTime *week_start);
/* The Monday 00:00 after @week_start, in its zone. */
GDateTime    *tf_schedule_week_end (GDateTime *week_start);

G_END_DECLS
