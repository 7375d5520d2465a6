/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-form.h: small building blocks the app's pages and forms share — the
 * ::saved/::failed pair of signals, a status-and-Save bar, warning and
 * error labels, keyboard shortcuts, and the few one-liners (an accessible
 * label, a text view's text) that every form would otherwise write again.
 */
#pragma once

#include <adwaita.h>

#include "tf-repository.h"
#include "tf-session.h"

G_BEGIN_DECLS

/* Adds ::saved (message) and ::failed (message), both G_SIGNAL_RUN_LAST
 * with one string, to @klass (a GObjectClass); their ids go to @saved and
 * @failed. */
void       tf_form_class_add_outcome_signals (gpointer    klass,
                                              guint      *saved,
                                              guint      *failed);

/* Emits ::failed on @instance with the message @format makes. */
void       tf_form_fail                      (gpointer    instance,
                                              const char *format,
                                              ...) G_GNUC_PRINTF (2, 3);

/* For dispose: unparents every child of @widget. */
void       tf_form_unparent_children         (GtkWidget  *widget);

/* The stored UTC @timestamp in local time as @format (g_date_time_format),
 * or NULL when there is none or it does not parse. */
char      *tf_form_format_local              (const char *timestamp,
                                              const char *format);

/* Sets @widget's accessible label. */
void       tf_form_label_accessibly          (gpointer    widget,
                                              const char *label);

/* Adds @accelerator → @func (called with the controller's widget) to the
 * GtkShortcutController @controller. */
void       tf_form_add_shortcut              (GtkEventController *controller,
                                              const char         *accelerator,
                                              GtkShortcutFunc     func);

/* The whole text of @view (owned). */
char      *tf_form_dup_text                  (GtkTextView *view);

/* The question asked before something that cannot be undone, over the
 * window of @from: an AdwMessageDialog named @name whose answers are
 * @safe_id (the default, and Escape's) and @act_id (destructive).
 * @heading and @body may be NULL, to be formatted by the caller.  Not yet
 * shown. */
GtkWidget *tf_form_confirm_new               (GtkWidget  *from,
                                              const char *name,
                                              const char *heading,
                                              const char *body,
                                              const char *safe_id,
                                              const char *safe_label,
                                              const char *act_id,
                                              const char *act_label);

/* Asks, modal over the window of @from, whether to delete the record @id
 * (tf_form_confirm_new with Cancel and Delete, named @name, saying @body);
 * only "Delete" calls @on_delete (@from, @id), after the dialog answered. */
void       tf_form_confirm_delete            (GtkWidget  *from,
                                              const char *name,
                                              const char *heading,
                                              const char *body,
                                              const char *id,
                                              void      (*on_delete) (GtkWidget  *from,
                                                                      const char *id));


/* --- one record per client --------------------------------------------- */

/* The plain form of the first record of @records, or NULL; borrowed from
 * the repository's item. */
JsonObject *tf_form_first_plain              (TfRepository *records);

/* Says in @status when @plain (a record, or NULL: none, then @none is
 * said) was last saved, as @last_format ("Last saved %s") with the local
 * date and time; nothing for an unreadable record. */
void       tf_form_show_saved_at             (GtkLabel   *status,
                                              JsonObject *plain,
                                              const char *none,
                                              const char *last_format);

G_END_DECLS
