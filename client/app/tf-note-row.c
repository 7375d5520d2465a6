/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-note-row.c: a session note in a client's Notes (tf-note-row.h); its
 * widgets are the template tf-note-row.ui.  A note whose key is not here
 * has nothing to open: its row says so, dimmed, and does not activate.
 */
#define G_LOG_DOMAIN "tf-notes-view"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-note-content.h"
#include "tf-note-row.h"

struct _TfNoteRow
{
  AdwActionRow parent_instance;

  TfItem      *note;
  char        *appointment_id;

  /* template (tf-note-row.ui) */
  GtkWidget   *locked;      /* the key is not here */
  GtkWidget   *unverified;  /* the signature does not verify */
  GtkWidget   *opens;
};

G_DEFINE_FINAL_TYPE (TfNoteRow, tf_note_row, ADW_TYPE_ACTION_ROW)

static void
tf_note_row_dispose (GObject *object)
{
  g_clear_object (&TF_NOTE_ROW (object)->note);
  G_OBJECT_CLASS (tf_note_row_parent_class)->dispose (object);
}

static void
tf_note_row_finalize (GObject *object)
{
  g_free (TF_NOTE_ROW (object)->appointment_id);
  G_OBJECT_CLASS (tf_note_row_parent_class)->finalize (object);
}

static void
tf_note_row_class_init (TfNoteRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_note_row_dispose;
  object_class->finalize = tf_note_row_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-note-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfNoteRow, locked);
  gtk_widget_class_bind_template_child (widget_class, TfNoteRow, unverified);
  gtk_widget_class_bind_template_child (widget_class, TfNoteRow, opens);
}

static void
tf_note_row_init (TfNoteRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Written, signed (or not yet), a raised risk, the first words; whether
 * the signature verifies in @verifies. */
static char *
dup_subtitle (TfItem *note, gboolean *verifies)
{
  g_autofree char *written = tf_form_format_local (tf_item_get_string (note, "created_at"),
                                                   "%x %H:%M");
  const char *locked_at = tf_item_get_string (note, "locked_at");
  JsonObject *risk = tf_note_member_object (tf_item_get_plain (note), "risk_assessment");
  const char *level = risk ? tf_json_get_string (risk, "level") : NULL;
  g_autofree char *preview = tf_note_dup_preview (tf_item_get_plain (note));
  GString *subtitle = g_string_new (NULL);

  *verifies = TRUE;
  if (written != NULL)
    g_string_append_printf (subtitle, _("Written %s"), written);
  if (locked_at != NULL)
    {
      g_autofree char *when = tf_form_format_local (locked_at, "%x %H:%M");

      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("Signed %s"), when ? when : locked_at);
      *verifies = tf_item_get_boolean (note, "signature_valid", FALSE);
      if (!*verifies)
        g_string_append_printf (subtitle, " · %s", _("The signature does not verify"));
    }
  else
    g_string_append_printf (subtitle, "%s%s", subtitle->len > 0 ? " · " : "",
                            _("Not signed yet"));
  if (g_strcmp0 (level, "moderate") == 0 || g_strcmp0 (level, "high") == 0)
    g_string_append_printf (subtitle, " · %s", tf_note_risk_label (level));
  if (preview != NULL)
    g_string_append_printf (subtitle, "\n%s", preview);
  return g_string_free (subtitle, FALSE);
}

GtkWidget *
tf_note_row_new (TfItem *note, const char *appointment_id)
{
  g_autofree char *name = NULL, *title = NULL, *subtitle = NULL;
  gboolean verifies = TRUE;
  TfNoteRow *self;

  g_return_val_if_fail (TF_IS_ITEM (note), NULL);

  name = g_strdup_printf ("note-%s", tf_item_get_id (note));
  self = g_object_new (TF_TYPE_NOTE_ROW, "name", name, NULL);
  self->note = g_object_ref (note);
  self->appointment_id = g_strdup (appointment_id);
  if (tf_item_get_boolean (note, "unreadable", FALSE))
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), _("Note"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self),
                                   _("This note cannot be opened on this device: its key is "
                                     "not here."));
      gtk_widget_set_visible (self->locked, TRUE);
      gtk_widget_add_css_class (GTK_WIDGET (self), "dim-label");
      return GTK_WIDGET (self);
    }
  title = g_strdup_printf (_("%s Note"),
                           tf_note_approach_name (tf_note_get_approach (tf_item_get_plain (note))));
  subtitle = dup_subtitle (note, &verifies);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (self), 3);
  gtk_widget_set_visible (self->unverified, !verifies);
  gtk_widget_set_visible (self->opens, TRUE);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self), TRUE);
  return GTK_WIDGET (self);
}

TfItem *
tf_note_row_get_note (TfNoteRow *self)
{
  g_return_val_if_fail (TF_IS_NOTE_ROW (self), NULL);

  return self->note;
}

const char *
tf_note_row_get_appointment_id (TfNoteRow *self)
{
  g_return_val_if_fail (TF_IS_NOTE_ROW (self), NULL);

  return self->appointment_id;
}
