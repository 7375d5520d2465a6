/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-history-section.h: one of the history form's forms (developmental,
 * family, …) as a page: its title and description over its fields
 * (TfTextField), in the order added.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_HISTORY_SECTION (tf_history_section_get_type ())
G_DECLARE_FINAL_TYPE (TfHistorySection, tf_history_section, TF, HISTORY_SECTION,
                      AdwPreferencesPage)

GtkWidget *tf_history_section_new        (const char       *title,
                                          const char       *description);
/* Adds @field (a TfTextField) under the ones before it. */
void       tf_history_section_add_field  (TfHistorySection *self,
                                          GtkWidget        *field);

G_END_DECLS
