/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-ui-test.h: helpers of the ui suite — find a widget by its name, run
 * the main loop until something holds, click and type.
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
/* Runs the main loop until @check holds, for at most 30 s. */
gboolean   tf_ui_wait_for   (gboolean  (*check) (gpointer),
                             gpointer    data);
/* Waits until @name is mapped, and returns it. */
GtkWidget *tf_ui_wait_shown (GtkWidget  *window,
                             const char *name);
/* Clicks the sensitive button @name. */
void       tf_ui_click      (GtkWidget  *window,
                             const char *name);
/* Sets the text of the editable @name. */
void       tf_ui_type       (GtkWidget  *window,
                             const char *name,
                             const char *text);

/* Sets the locale (@locale, e.g. "C.UTF-8"), the app's catalogue from the
 * build, a fast key derivation, GTK, libadwaita and libsodium. */
void       tf_ui_init           (int         *argc,
                                 char      ***argv,
                                 const char  *locale);
/* A profile in a new temporary folder with an account made on this
 * computer only (@reg), unlocked; the folder in @out_dir. */
TfSession *tf_ui_new_profile    (const TfRegistration *reg,
                                 char       **out_dir);
/* Removes a profile folder and its database files. */
void       tf_ui_remove_profile (const char  *dir);

/* Applies @records (TfRecord*) to @session's store as one pulled page, as
 * a sync would bring them (someone else's records, for instance). */
void       tf_ui_pull_records   (TfSession   *session,
                                 GPtrArray   *records);
/* One record of @table with @fields (no encrypted content) pulled. */
void       tf_ui_pull           (TfSession   *session,
                                 const char  *table,
                                 const char  *id,
                                 JsonObject  *fields);

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

G_END_DECLS
