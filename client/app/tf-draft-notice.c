/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-draft-notice.c: "Restored your unsaved changes" and Discard (template
 * tf-draft-notice.ui).  The form that embeds it shows it when it restores a
 * draft, hides it when the record is saved or the changes are dropped, and
 * answers ::discard.  The notice stays until then: a toast would go before
 * a person who looks away has read it.  A draft that cannot be kept or
 * forgotten is logged, not shown: the first happens while the window
 * locks, and the second leaves only a draft that the next save replaces.
 */
#define G_LOG_DOMAIN "tf-draft-notice"

#include "config.h"

#include "tf-draft-notice.h"
#include "tf-drafts.h"
#include "tf-form.h"

struct _TfDraftNotice
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (TfDraftNotice, tf_draft_notice, GTK_TYPE_WIDGET)

enum { DISCARD, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
on_discard_clicked_cb (TfDraftNotice *self)
{
  g_signal_emit (self, signals[DISCARD], 0);
}

static void
tf_draft_notice_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_DRAFT_NOTICE);
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_draft_notice_parent_class)->dispose (object);
}

static void
tf_draft_notice_class_init (TfDraftNoticeClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tf_draft_notice_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  signals[DISCARD] = g_signal_new ("discard", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-draft-notice.ui");
  gtk_widget_class_bind_template_callback (widget_class, on_discard_clicked_cb);
}

static void
tf_draft_notice_init (TfDraftNotice *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tf_draft_keep (TfSession *session, const char *form, const char *record_key, JsonObject *typed,
               JsonObject *saved)
{
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) b = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TF_IS_SESSION (session));
  g_return_if_fail (form != NULL && record_key != NULL && typed != NULL);

  if (saved != NULL)
    {
      a = json_node_init_object (json_node_alloc (), typed);
      b = json_node_init_object (json_node_alloc (), saved);
      if (json_node_equal (a, b))
        return;
    }
  if (!tf_drafts_save (tf_session_get_vault (session), form, record_key, typed, &error))
    g_message ("Unsaved changes to %s were not kept: %s", form, error->message);
}

void
tf_draft_notice_forget (GtkWidget *notice, TfSession *session, const char *form,
                        const char *record_key)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (TF_IS_DRAFT_NOTICE (notice));
  g_return_if_fail (TF_IS_SESSION (session));
  g_return_if_fail (form != NULL && record_key != NULL);

  gtk_widget_set_visible (notice, FALSE);
  if (!tf_drafts_discard (tf_session_get_vault (session), form, record_key, &error))
    g_message ("The draft of %s stays: %s", form, error->message);
}
