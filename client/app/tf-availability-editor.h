/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-availability-editor.h: a therapist's weekly hours — for each day of the
 * week its windows (HH:MM–HH:MM), added and removed — and the blocked dates.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_AVAILABILITY_EDITOR (tf_availability_editor_get_type ())
G_DECLARE_FINAL_TYPE (TfAvailabilityEditor, tf_availability_editor, TF, AVAILABILITY_EDITOR,
                      GtkWidget)

/* The editor of the unlocked @session's own availability.
 *
 * Save checks every day first (a start and an end between 00:00 and 24:00,
 * the end after the start, no two windows of a day overlapping); anything
 * wrong is said in the label "availability-error" and by ::failed (message),
 * and nothing is written.  Otherwise each changed day's therapist_availability
 * rows are replaced and ::saved (message) follows.  Blocking and unblocking
 * a date is written at once, with ::saved or ::failed. */
GtkWidget *tf_availability_editor_new    (TfSession            *session);

/* Loads the stored hours again, dropping edits not saved. */
void       tf_availability_editor_reload (TfAvailabilityEditor *self);

G_END_DECLS
