/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-safety-banner.c: "Their keys changed" and Verify (template
 * tf-safety-banner.ui).  A bar of its own, as the app's other notices:
 * libadwaita 1.2 has no AdwBanner.  The banner only says it and offers the
 * action; what Verify does is the page's (TfSafetyBanner:action-name), and
 * whether a change waits is tf_safety_keys_changed()'s, the dialog's rule.
 */
#define G_LOG_DOMAIN "tf-safety-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-form.h"
#include "tf-safety-banner.h"
#include "tf-safety-dialog.h"

struct _TfSafetyBanner
{
  GtkWidget  parent_instance;

  GtkLabel  *label;
  GtkButton *verify;
};

G_DEFINE_FINAL_TYPE (TfSafetyBanner, tf_safety_banner, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_ACTION_NAME, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
tf_safety_banner_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TfSafetyBanner *self = TF_SAFETY_BANNER (object);

  switch (prop_id)
    {
    case PROP_ACTION_NAME:
      g_value_set_string (value, gtk_actionable_get_action_name (GTK_ACTIONABLE (self->verify)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_safety_banner_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  TfSafetyBanner *self = TF_SAFETY_BANNER (object);

  switch (prop_id)
    {
    case PROP_ACTION_NAME:
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->verify), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_safety_banner_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_SAFETY_BANNER);
  tf_form_unparent_children (GTK_WIDGET (object));
  G_OBJECT_CLASS (tf_safety_banner_parent_class)->dispose (object);
}

static void
tf_safety_banner_class_init (TfSafetyBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tf_safety_banner_get_property;
  object_class->set_property = tf_safety_banner_set_property;
  object_class->dispose = tf_safety_banner_dispose;

  /* The page's action that opens the Verify Safety Number dialog. */
  properties[PROP_ACTION_NAME] =
    g_param_spec_string ("action-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/therapyfield/TherapyField/"
                                               "tf-safety-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, TfSafetyBanner, label);
  gtk_widget_class_bind_template_child (widget_class, TfSafetyBanner, verify);
}

static void
tf_safety_banner_init (TfSafetyBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
tf_safety_banner_update (TfSafetyBanner *self, TfSession *session, const char *other_id,
                         const char *name)
{
  gboolean changed;

  g_return_if_fail (TF_IS_SAFETY_BANNER (self));

  changed = tf_safety_keys_changed (session, other_id);
  if (changed)
    {
      g_autofree char *text = g_strdup_printf (_("The keys of %s changed. Nothing more is "
                                                 "shared with them until you compare the new "
                                                 "safety number."), name);

      gtk_label_set_text (self->label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), changed);
}
