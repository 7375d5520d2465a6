/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-ui-test.h: helpers of the ui suite — find a widget by its name, run
 * the main loop until something holds, click and type, find labels and
 * answer message dialogs, store an appointment.
 */
#pragma once

#include <adwaita.h>

#include "tf-session.h"

G_BEGIN_DECLS

typedef struct
{
  GtkWidget  *window;
  const char *name;
} Lookup;

/* The widget named @name (gtk_widget_set_name) under @root, or NULL. */
GtkWidget *tf_ui_find       (GtkWidget  *root,
                             const char *name);
/* As tf_ui_find(), but NULL also when the widget is hidden, or a widget
 * between it and @root is: what a user is not offered. */
GtkWidget *tf_ui_find_shown (GtkWidget  *root,
                             const char *name);
/* Runs the main loop until @check holds, for at most 30 s. */
gboolean   tf_ui_wait_for   (gboolean  (*check) (gpointer),
                             gpointer    data);
/* Waits until @name is mapped, and returns it. */
GtkWidget *tf_ui_wait_shown (GtkWidget  *window,
                             const char *name);
/* Clicks the sensitive button @name. */
void       tf_ui_click      (GtkWidget  *window,
                             const char *name);
/* Presses @keyval with @mods as a person would with the focus in @widget:
 * the first shortcut of @widget or one of its ancestors (their classes'
 * accelerators, tf_ui_press reads their shortcut controllers) that the key
 * triggers runs, innermost first.  FALSE when no shortcut takes the key. */
gboolean   tf_ui_press      (GtkWidget       *widget,
                             guint            keyval,
                             GdkModifierType  mods);
/* Sets the text of the editable @name. */
void       tf_ui_type       (GtkWidget  *window,
                             const char *name,
                             const char *text);

/* A check for tf_ui_wait_for: whether the gboolean at @data is TRUE. */
gboolean   tf_ui_is_true    (gpointer    data);

/* The first GtkLabel under @root whose text is @text, or NULL. */
GtkWidget *tf_ui_find_label    (GtkWidget  *root,
                                const char *text);
/* Waits until a label reading @text under @root is mapped, and returns it. */
GtkWidget *tf_ui_wait_label    (GtkWidget  *root,
                                const char *text);
/* Waits until the widget @name is mapped (@mapped) or is not. */
void       tf_ui_wait_mapped   (GtkWidget  *window,
                                const char *name,
                                gboolean    mapped);
/* Waits until a widget @name is under @window (@present), mapped or not, or
 * until there is none. */
void       tf_ui_wait_present  (GtkWidget  *window,
                                const char *name,
                                gboolean    present);
/* Waits until the AdwActionRow @row is mapped and its subtitle holds @text. */
void       tf_ui_wait_subtitle (GtkWidget  *window,
                                const char *row,
                                const char *text);
/* Waits until the row (AdwPreferencesRow) @row is there and its title is
 * @title. */
void       tf_ui_wait_title    (GtkWidget  *window,
                                const char *row,
                                const char *title);

/* Waits until an AdwMessageDialog other than @not_this (or NULL) is mapped;
 * returns a reference on it, since it outlives its closing. */
GtkWidget        *tf_ui_wait_dialog   (GtkWidget  *not_this);
/* The AdwMessageDialog named @name among the toplevels, or NULL. */
AdwMessageDialog *tf_ui_find_dialog   (const char *name);
/* Waits for the AdwMessageDialog @name, answers it with @response, closes
 * it and checks it is gone; returns the heading it showed. */
char             *tf_ui_answer_dialog (const char *name,
                                       const char *response);

/* What the screen shows, saved as $TF_UI_SHOTS/@name.png (after the
 * pending redraws) when that folder is set; nothing otherwise. */
void        tf_ui_shot            (const char *name);

/* The visible toplevel window named @name, or NULL; and waiting for it to
 * show (asserted). */
GtkWidget  *tf_ui_find_window     (const char *name);
GtkWidget  *tf_ui_wait_window     (const char *name);

/* One sync of @session, to its end; it must reach the server. */
void        tf_ui_sync_now        (TfSession  *session);

/* Stores an appointment of @client_id with @session's therapist at @at,
 * 50 minutes, 60.00, @status, booked a week before; returns its id. */
char       *tf_ui_put_appointment (TfSession  *session,
                                   const char *client_id,
                                   GDateTime  *at,
                                   const char *status);
/* The same with @therapist_id (for a client's session, say). */
char       *tf_ui_put_appointment_with (TfSession  *session,
                                        const char *therapist_id,
                                        const char *client_id,
                                        GDateTime  *at,
                                        const char *status);
/* The plain record @id of @table in @session's vault (asserts it reads). */
JsonObject *tf_ui_get             (TfSession  *session,
                                   const char *table,
                                   const char *id);

/* Sets the locale (@locale, e.g. "C.UTF-8"), the app's catalogue from the
 * build, a fast key derivation, GTK, libadwaita and libsodium. */
void       tf_ui_init           (int         *argc,
                                 char      ***argv,
                                 const char  *locale);
/* tf_ui_init in English (C.UTF-8), or — when the first argument is
 * --greek, which it takes out of @argv — in Greek words (LANGUAGE=el) under
 * a Greek locale, as a program run by the suite's -greek test.  Returns
 * whether the run is Greek. */
gboolean   tf_ui_init_language  (int         *argc,
                                 char      ***argv);
/* A profile in a new temporary folder with an account made on this
 * computer only (@reg), unlocked; the folder in @out_dir. */
TfSession *tf_ui_new_profile    (const TfRegistration *reg,
                                 char       **out_dir);
/* Removes a profile folder and its database files. */
void       tf_ui_remove_profile (const char  *dir);

/* Applies @records (TfRecord*) to @session's store as one pulled page, as
 * a sync would bring them (someone else's records, for instance).  Each
 * record that comes unsigned is signed, as their device would, by the other
 * person it names (its owner, client or therapist that is not the session's
 * account), with keys made for them here and pinned in @session as a
 * contact's are; a person whose own keys the session knows must send
 * records signed (tf_ui_sign_as_queued).  Records checked: one refused
 * fails the test. */
void       tf_ui_pull_records   (TfSession   *session,
                                 GPtrArray   *records);
/* Gives @record the revision and signature its author's store @from queued
 * for it last (as the server serves them), when there is one. */
void       tf_ui_sign_as_queued (TfStore     *from,
                                 TfRecord    *record);
/* One record of @table with @fields (no encrypted content) pulled. */
void       tf_ui_pull           (TfSession   *session,
                                 const char  *table,
                                 const char  *id,
                                 JsonObject  *fields);
/* A client of @session's therapist in active care since 1 September
 * 2026, with a profile named @first_name @last_name, as a sync brings
 * them; returns the client's id. */
char      *tf_ui_pull_client    (TfSession   *session,
                                 const char  *first_name,
                                 const char  *last_name);
/* Unlocks @session with @password on @window's unlock page, as a person
 * would; returns once the main views show. */
void       tf_ui_unlock         (GtkWidget   *window,
                                 TfSession   *session,
                                 const char  *password);
/* The app's window @width × @height on @session as it opens on a profile:
 * @session locked, then unlocked with @password on the window's unlock
 * page; returns once the main views show. */
GtkWidget *tf_ui_open_unlocked  (TfSession   *session,
                                 const char  *password,
                                 int          width,
                                 int          height);

/* A page of the app on its own in a window, on a new profile. */
typedef struct
{
  char      *dir;
  TfSession *session;
  GtkWidget *window;
  GtkWidget *page;
  char      *saved;   /* the last ::saved message */
  char      *failed;  /* the last ::failed message */
} TfUiPage;

void       tf_ui_page_open      (TfUiPage    *f,
                                 const TfRegistration *reg,
                                 GtkWidget  *(*make) (TfSession *),
                                 int          width,
                                 int          height);
void       tf_ui_page_close     (TfUiPage    *f);
/* Puts @page in place of the fixture's page, its ::saved and ::failed
 * followed likewise (as when a view is opened again). */
void       tf_ui_page_replace   (TfUiPage    *f,
                                 GtkWidget   *page);
/* The fixture's vault. */
TfVault   *tf_ui_page_vault     (TfUiPage    *f);

G_END_DECLS
