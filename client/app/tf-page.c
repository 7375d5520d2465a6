/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-page.c: the page interface (see tf-page.h): its signals and the
 * defaults of what a page need not say.
 */
#define G_LOG_DOMAIN "tf-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-page.h"

G_DEFINE_INTERFACE (TfPage, tf_page, GTK_TYPE_WIDGET)

enum { SAVED, FAILED, CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static guint
default_get_badge (TfPage *self)
{
  return 0;
}

static gboolean
default_get_own_bar (TfPage *self)
{
  return FALSE;
}

static TfPageNeeds
default_get_needs (TfPage *self)
{
  return TF_PAGE_NEEDS_VAULT;
}

static gboolean
default_restore_draft (TfPage *self, JsonObject *draft)
{
  return FALSE;
}

static void
tf_page_default_init (TfPageInterface *iface)
{
  GType type = G_TYPE_FROM_INTERFACE (iface);

  iface->get_badge = default_get_badge;
  iface->get_needs = default_get_needs;
  iface->get_own_bar = default_get_own_bar;
  iface->restore_draft = default_restore_draft;

  /**
   * TfPage::saved:
   * @message: what was saved, for a toast
   */
  signals[SAVED] = g_signal_new ("saved", type, G_SIGNAL_RUN_LAST,
                                 G_STRUCT_OFFSET (TfPageInterface, saved), NULL, NULL, NULL,
                                 G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TfPage::failed:
   * @message: what went wrong, for a toast
   */
  signals[FAILED] = g_signal_new ("failed", type, G_SIGNAL_RUN_LAST,
                                  G_STRUCT_OFFSET (TfPageInterface, failed), NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TfPage::changed:
   *
   * tf_page_get_badge() or tf_page_get_own_bar() has another value.
   */
  signals[CHANGED] = g_signal_new ("changed", type, G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                         NULL, G_TYPE_NONE, 0);
}

const char *
tf_page_get_name (TfPage *self)
{
  g_return_val_if_fail (TF_IS_PAGE (self), NULL);

  return TF_PAGE_GET_IFACE (self)->name;
}

const char *
tf_page_get_title (TfPage *self)
{
  g_return_val_if_fail (TF_IS_PAGE (self), NULL);

  return _(TF_PAGE_GET_IFACE (self)->title);
}

const char *
tf_page_get_icon_name (TfPage *self)
{
  g_return_val_if_fail (TF_IS_PAGE (self), NULL);

  return TF_PAGE_GET_IFACE (self)->icon_name;
}

guint
tf_page_get_badge (TfPage *self)
{
  g_return_val_if_fail (TF_IS_PAGE (self), 0);

  return TF_PAGE_GET_IFACE (self)->get_badge (self);
}

gboolean
tf_page_get_own_bar (TfPage *self)
{
  g_return_val_if_fail (TF_IS_PAGE (self), FALSE);

  return TF_PAGE_GET_IFACE (self)->get_own_bar (self);
}

TfPageNeeds
tf_page_get_needs (TfPage *self)
{
  g_return_val_if_fail (TF_IS_PAGE (self), 0);

  return TF_PAGE_GET_IFACE (self)->get_needs (self);
}

gboolean
tf_page_restore_draft (TfPage *self, JsonObject *draft)
{
  g_return_val_if_fail (TF_IS_PAGE (self), FALSE);
  g_return_val_if_fail (draft != NULL, FALSE);

  return TF_PAGE_GET_IFACE (self)->restore_draft (self, draft);
}

void
tf_page_emit_saved (TfPage *self, const char *message)
{
  g_return_if_fail (TF_IS_PAGE (self));

  g_signal_emit (self, signals[SAVED], 0, message);
}

void
tf_page_emit_failed (TfPage *self, const char *message)
{
  g_return_if_fail (TF_IS_PAGE (self));

  g_signal_emit (self, signals[FAILED], 0, message);
}

void
tf_page_changed (TfPage *self)
{
  g_return_if_fail (TF_IS_PAGE (self));

  g_signal_emit (self, signals[CHANGED], 0);
}

/* The interface's signals exist once its default vtable was made. */
static void
ensure_signals (void)
{
  if (signals[SAVED] == 0)
    g_type_default_interface_unref (g_type_default_interface_ref (TF_TYPE_PAGE));
}

guint
tf_page_get_saved_signal (void)
{
  ensure_signals ();
  return signals[SAVED];
}

guint
tf_page_get_failed_signal (void)
{
  ensure_signals ();
  return signals[FAILED];
}
