/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-safety-dialog.c: the Verify Safety Number dialog (tf-safety-dialog.h).
 *
 * The template (tf-safety-dialog.ui) is one column that fits a phone; this
 * file fills it from tf_verify_describe(), the core's, which the CLI prints
 * too, so both front ends show the same digits and words for a pair.  The
 * words are in the app's language: the other person sees the same words
 * only if their app is in the same one, which the note under them says, and
 * the digits are the same everywhere.  "Mark as Verified" marks the number
 * this dialog shows, not whatever is current by then (tf_verify_confirm
 * refuses a number that changed meanwhile), and with a key change waiting
 * it accepts the new keys.  Everything here is on this device's store: the
 * keys come from the last sync, which asks the server again each day.
 */
#define G_LOG_DOMAIN "tf-safety-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-qr-code.h"
#include "tf-store-verified.h"
#include "tf-safety-dialog.h"
#include "tf-verify.h"

struct _TfSafetyDialog
{
  AdwWindow       parent_instance;
  TfSession      *session;
  char           *other_id;
  char           *name;
  char           *shown;      /* the safety number on screen (fingerprint text) */

  AdwWindowTitle *title;
  GtkWidget      *warning;
  GtkLabel       *warning_label;
  GtkLabel       *intro;
  GtkLabel       *digits;
  GtkLabel       *words;
  GtkLabel       *words_note;
  GtkPicture     *qr;
  GtkLabel       *state;
  GtkLabel       *error;
  GtkWidget      *mark;
};

G_DEFINE_FINAL_TYPE (TfSafetyDialog, tf_safety_dialog, ADW_TYPE_WINDOW)

enum { VERIFIED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* "a b c d e f …" in lines of @per_line items. */
static char *
in_lines (const char * const *items, guint n, guint per_line)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (text, i % per_line == 0 ? '\n' : ' ');
      g_string_append (text, items[i]);
    }
  return g_string_free (text, FALSE);
}

static void
show_error (TfSafetyDialog *self, const char *message)
{
  gtk_label_set_text (self->error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error), message != NULL);
}

static void
fill (TfSafetyDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) info = tf_verify_describe (tf_session_get_vault (self->session),
                                                   self->other_id, NULL, &error);
  g_auto(GStrv) groups = NULL;
  g_autoptr(GPtrArray) words = NULL;
  g_autofree char *digits = NULL, *word_text = NULL, *intro = NULL, *note = NULL;
  g_autoptr(TfQrCode) code = NULL;
  JsonArray *list;
  gboolean verified, changed;

  if (info == NULL)
    {
      gtk_widget_set_visible (self->mark, FALSE);
      show_error (self, error->message);
      return;
    }
  g_free (self->shown);
  self->shown = g_strdup (json_object_get_string_member (info, "safety_number"));
  verified = json_object_get_boolean_member (info, "verified");
  changed = json_object_get_boolean_member (info, "key_changed");

  adw_window_title_set_subtitle (self->title, self->name);
  intro = g_strdup_printf (_("Compare this number with the one %s’s app shows, in person or "
                             "on a call. If they match, what you share can be read by the two "
                             "of you only."), self->name);
  gtk_label_set_text (self->intro, intro);

  groups = g_strsplit (json_object_get_string_member (info, "digits"), " ", -1);
  digits = in_lines ((const char * const *) groups, g_strv_length (groups), 5);
  gtk_label_set_text (self->digits, digits);

  list = json_object_get_array_member (info, "words");
  words = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_ptr_array_add (words, (gpointer) json_array_get_string_element (list, i));
  word_text = in_lines ((const char * const *) words->pdata, words->len, 5);
  gtk_label_set_text (self->words, word_text);
  /* The lists are per language: only the digits are the same everywhere. */
  note = g_strdup_printf (_("%s sees the same words if their app is in the same language as "
                            "yours; otherwise compare the digits."), self->name);
  gtk_label_set_text (self->words_note, note);

  code = tf_qr_code_new (json_object_get_string_member (info, "qr"), NULL);
  gtk_picture_set_paintable (self->qr, GDK_PAINTABLE (code));
  gtk_picture_set_alternative_text (self->qr, _("The safety number as a QR code"));

  gtk_widget_set_visible (self->warning, changed);
  if (changed)
    {
      g_autoptr(JsonObject) change = json_object_new ();
      g_autofree char *message = NULL;

      json_object_set_string_member (change, "user_id", self->other_id);
      message = tf_verify_change_message (change, self->name);
      gtk_label_set_text (self->warning_label, message);
    }
  if (verified)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (
        json_object_get_string_member (info, "verified_at"), NULL);
      g_autoptr(GDateTime) local = at != NULL ? g_date_time_to_local (at) : NULL;
      g_autofree char *when = local != NULL ? g_date_time_format (local, _("%-d %B %Y, %H:%M"))
                                            : NULL;
      g_autofree char *text = g_strdup_printf (_("Verified on %s"), when != NULL ? when : "");

      gtk_label_set_text (self->state, text);
    }
  else
    gtk_label_set_text (self->state, changed ? _("Not verified: their keys changed")
                                             : _("Not verified"));
  gtk_widget_set_visible (self->mark, !verified);
  gtk_button_set_label (GTK_BUTTON (self->mark), changed ? _("_Mark New Keys as Verified")
                                                         : _("_Mark as Verified"));
}

static void
on_mark_clicked_cb (TfSafetyDialog *self)
{
  g_autoptr(GError) error = NULL;

  if (!tf_verify_confirm (tf_session_get_vault (self->session), self->other_id, self->shown,
                          &error))
    {
      /* The number changed meanwhile: the new one is shown, with why. */
      fill (self);
      show_error (self, error->message);
      return;
    }
  show_error (self, NULL);
  fill (self);
  g_signal_emit (self, signals[VERIFIED], 0);
}

gboolean
tf_safety_keys_changed (TfSession *session, const char *other_id)
{
  g_autoptr(JsonObject) change = NULL;

  g_return_val_if_fail (TF_IS_SESSION (session), FALSE);
  g_return_val_if_fail (other_id != NULL, FALSE);

  if (tf_session_get_vault (session) == NULL)
    return FALSE;
  change = tf_store_lookup_key_change (tf_vault_get_store (tf_session_get_vault (session)),
                                       other_id, NULL);
  return change != NULL;
}

char *
tf_safety_state_text (TfSession *session, const char *other_id)
{
  g_autoptr(JsonObject) info = NULL;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (other_id != NULL, NULL);

  if (tf_session_get_vault (session) != NULL)
    info = tf_verify_describe (tf_session_get_vault (session), other_id, NULL, NULL);
  if (info == NULL)
    return g_strdup (_("Their keys are not on this device yet: sync first"));
  if (json_object_get_boolean_member (info, "key_changed"))
    return g_strdup (_("Their keys changed: compare the new safety number"));
  if (json_object_get_boolean_member (info, "verified"))
    return g_strdup (_("Safety number verified"));
  return g_strdup (_("Safety number not verified"));
}

static void
tf_safety_dialog_dispose (GObject *object)
{
  TfSafetyDialog *self = TF_SAFETY_DIALOG (object);

  g_clear_object (&self->session);
  G_OBJECT_CLASS (tf_safety_dialog_parent_class)->dispose (object);
}

static void
tf_safety_dialog_finalize (GObject *object)
{
  TfSafetyDialog *self = TF_SAFETY_DIALOG (object);

  g_free (self->other_id);
  g_free (self->name);
  g_free (self->shown);
  G_OBJECT_CLASS (tf_safety_dialog_parent_class)->finalize (object);
}

static void
tf_safety_dialog_class_init (TfSafetyDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_safety_dialog_dispose;
  object_class->finalize = tf_safety_dialog_finalize;
  signals[VERIFIED] = g_signal_new ("verified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-safety-dialog.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, TfSafetyDialog, name)
  BIND (title);
  BIND (warning);
  BIND (warning_label);
  BIND (intro);
  BIND (digits);
  BIND (words);
  BIND (words_note);
  BIND (qr);
  BIND (state);
  BIND (error);
  BIND (mark);
#undef BIND
}

static void
tf_safety_dialog_init (TfSafetyDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->mark, "clicked", G_CALLBACK (on_mark_clicked_cb), self);
}

GtkWidget *
tf_safety_dialog_new (TfSession *session, const char *other_id, const char *name,
                      GtkWindow *parent)
{
  TfSafetyDialog *self;

  g_return_val_if_fail (TF_IS_SESSION (session), NULL);
  g_return_val_if_fail (tf_session_get_vault (session) != NULL, NULL);
  g_return_val_if_fail (other_id != NULL, NULL);

  self = g_object_new (TF_TYPE_SAFETY_DIALOG, "transient-for", parent, NULL);
  self->session = g_object_ref (session);
  self->other_id = g_strdup (other_id);
  self->name = g_strdup (name != NULL ? name : other_id);
  fill (self);
  return GTK_WIDGET (self);
}
