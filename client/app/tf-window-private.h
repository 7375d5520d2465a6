/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-window-private.h: what the three files of TfWindow share — its
 * fields, and the functions one file gives the others.
 * tf-window.c holds the object and the pages; tf-window-account.c
 * unlocking, locking (win.lock, or idle) and the account's actions;
 * tf-window-sync.c the sync state in the header and the sync notices.
 */
#pragma once

#include "tf-window.h"

G_BEGIN_DECLS

struct _TfWindow
{
  AdwApplicationWindow  parent_instance;
  TfSession            *session;
  GSettings            *settings;       /* NULL when the schema is not installed */
  guint                 idle_seconds;   /* 0: never lock by itself */
  guint                 idle_source;
  guint                 label_source;   /* says the relative time again */
  guint                 width_source;   /* narrow follows the width given (idle) */
  gboolean              keyring_unlock; /* the unlock running uses the keyring's password */
  gboolean              narrow;         /* narrower than TF_WINDOW_NARROW_WIDTH */
  gboolean              rotating;       /* the identity keys are being replaced */
  gboolean              refused;        /* records from the server are refused here */

  /* template (tf-window.ui) */
  AdwToastOverlay      *toasts;
  GtkStack             *pages;
  GtkBox               *onboarding_box;
  AdwPasswordEntryRow  *unlock_password;
  GtkLabel             *unlock_error;
  GtkButton            *unlock_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewStack         *views;
  GtkLabel             *sync_label;
  GtkWidget            *sign_in_button;  /* shown while signed out */
  GtkRevealer          *lost_banner;     /* sync notices: shown until dismissed */
  GtkLabel             *lost_label;
  GtkWidget            *refusals_button; /* the list of refused records */
};

/* Below this width the header says the sync state in short words. */
#define TF_WINDOW_NARROW_WIDTH 600

/* --- tf-window.c ---------------------------------------------------------- */

void tf_window_toast                (TfWindow       *self,
                                     const char     *message);
/* The main view with the pages of the unlocked profile's role, and the
 * drafts kept through the last lock back in their forms. */
void tf_window_show_main            (TfWindow       *self);
/* Drops the pages, made for the unlocked vault. */
void tf_window_remove_pages         (TfWindow       *self);

/* --- tf-window-account.c -------------------------------------------------- */

/* Binds the template callbacks and installs the actions this file holds:
 * unlocking, win.lock, win.preferences and the account's actions. */
void tf_window_class_init_account   (GtkWidgetClass *widget_class);
/* Follows the idle-lock-minutes setting (tf_window_init). */
void tf_window_init_account         (TfWindow       *self);
/* Follows the session's sync state (asks to sign in again when the server
 * refuses this device), and at start unlocks with the keyring's password
 * when asked to remember it (tf_window_new). */
void tf_window_start_account        (TfWindow       *self);
/* The account's actions enabled for the session's state. */
void tf_window_update_actions       (TfWindow       *self);
/* Starts the idle time again. */
void tf_window_restart_idle         (TfWindow       *self);

/* --- tf-window-sync.c ----------------------------------------------------- */

/* Binds the template callbacks and installs the actions this file holds:
 * win.sync, win.refusals and the notice's dismissal. */
void tf_window_class_init_sync      (GtkWidgetClass *widget_class);
/* Follows the window's width and says the relative time again every half
 * minute (tf_window_init). */
void tf_window_init_sync            (TfWindow       *self);
/* The header's words, tooltip and sign-in button for the sync state, and
 * the banner of the sync notices. */
void tf_window_update_sync_label    (TfWindow       *self);
/* The window was given @width: the header's words follow it (narrow or
 * wide) once the layout is done. */
void tf_window_follow_width         (TfWindow       *self,
                                     int             width);

G_END_DECLS
