/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-cli-series.h: the repeating appointments of "appointment book
 * --repeat" and "appointment cancel --series" (tf-cli-series.c), called
 * from tf-cli-schedule.c once the options are read.
 */
#pragma once

#include "tf-booking-series.h"
#include "tf-cli.h"

G_BEGIN_DECLS

/* Prints the preview of @request and books it (a therapist's): refused
 * (exit 2, nothing written) on a clash unless @skip_clashes; with
 * @preview_only only prints. */
gboolean tf_cli_book_series   (TfCli                 *cli,
                               const TfSeriesRequest *request,
                               gboolean               skip_clashes,
                               gboolean               preview_only,
                               GError               **error);

/* Cancels @appointment_id and the later ones of its series with @reason;
 * prints how many ({"cancelled": N} with --json). */
gboolean tf_cli_cancel_series (TfCli                 *cli,
                               const char            *appointment_id,
                               const char            *reason,
                               GError               **error);

/* Moves @appointment_id to @new_start and the later ones of its series
 * alike; prints how many ({"moved": N} with --json). */
gboolean tf_cli_move_series   (TfCli                 *cli,
                               const char            *appointment_id,
                               GDateTime             *new_start,
                               GError               **error);

G_END_DECLS
