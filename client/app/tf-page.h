/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-page.h: the contract between the main window and its pages.
 *
 * A page is a widget the window adds to its view stack: it says its name
 * (the stack's child name, which the ui tests use too), its title and icon
 * for the view switchers, a badge (a count that wants attention; a page
 * that is "shown only with a badge" — the conflicts — hides at 0), whether
 * it shows a bottom bar of its own just now (a client's sections at phone
 * width: the window's switcher bar gives way, so one bar shows), and what
 * it needs from the session.  What it saved or failed to save it
 * reports through ::saved and ::failed, which the window toasts.  A page
 * is made with the session (tf_page_new) and takes its list models from it
 * (tf_session_dup_goals and the like): a page never names the store or wires its own
 * refresh.  After an unlock, the window hands each draft (tf-drafts.h) to
 * its pages until one restores it: that page opens the form and record
 * the draft is of, which shows the unsaved changes again.
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-session.h"

G_BEGIN_DECLS

#define TF_TYPE_PAGE (tf_page_get_type ())
G_DECLARE_INTERFACE (TfPage, tf_page, TF, PAGE, GtkWidget)

typedef enum
{
  TF_PAGE_NEEDS_VAULT         = 1 << 0,  /* made for an unlocked vault, dropped at lock */
  TF_PAGE_NEEDS_SERVER        = 1 << 1,  /* only for a profile that syncs with a server */
  TF_PAGE_SHOWN_WITH_BADGE    = 1 << 2,  /* hidden while its badge is 0 */
} TfPageNeeds;

struct _TfPageInterface
{
  GTypeInterface parent_iface;

  /* Set in the page's interface init (all three required): the view
   * stack's child name, e.g. "checkin"; the title for the view switchers,
   * untranslated (N_(), tf_page_get_title translates it); the icon name. */
  const char   *name;
  const char   *title;
  const char   *icon_name;
  /* A count that wants attention; 0 (the default) shows none. */
  guint        (*get_badge)     (TfPage *self);
  /* Whether the page shows a bottom bar of its own now (default FALSE). */
  gboolean     (*get_own_bar)   (TfPage *self);
  /* Default TF_PAGE_NEEDS_VAULT. */
  TfPageNeeds  (*get_needs)     (TfPage *self);
  /* Opens the form of @draft ({form, record_key, saved_at, content}, from
   * tf_drafts_list) on its record, which restores the draft; FALSE (the
   * default) when the draft is not of this page's forms. */
  gboolean     (*restore_draft) (TfPage     *self,
                                 JsonObject *draft);

  /* Signals. */
  void         (*saved)         (TfPage     *self,
                                 const char *message);
  void         (*failed)        (TfPage     *self,
                                 const char *message);
};

const char  *tf_page_get_name          (TfPage     *self);
const char  *tf_page_get_title         (TfPage     *self);
const char  *tf_page_get_icon_name     (TfPage     *self);
guint        tf_page_get_badge         (TfPage     *self);
gboolean     tf_page_get_own_bar       (TfPage     *self);
TfPageNeeds  tf_page_get_needs         (TfPage     *self);
gboolean     tf_page_restore_draft     (TfPage     *self,
                                        JsonObject *draft);

/* Emit ::saved / ::failed with a translated message for the person. */
void         tf_page_emit_saved        (TfPage     *self,
                                        const char *message);
void         tf_page_emit_failed       (TfPage     *self,
                                        const char *message);
/* Emits ::changed: the badge or the own bar changed, the window reads
 * them again. */
void         tf_page_changed           (TfPage     *self);

/* The signal ids of ::saved and ::failed, for a page's class_init that
 * emits them by id (tf_form_class_add_outcome_signals gives these to a
 * class implementing TfPage). */
guint        tf_page_get_saved_signal  (void);
guint        tf_page_get_failed_signal (void);

G_END_DECLS
