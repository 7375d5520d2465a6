/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-keyring.c: one secret per profile, found by the profile's database
 * path, in the user's default collection.  The password only ever leaves
 * this file to unlock the session; it is wiped when freed.
 */
#define G_LOG_DOMAIN "tf-keyring"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "tf-keyring.h"

static const SecretSchema *
password_schema (void)
{
  static const SecretSchema schema = {
    "org.therapyfield.TherapyField.Password", SECRET_SCHEMA_NONE,
    {
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
lookup_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;
  char *password = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, (GDestroyNotify) secret_password_free);
}

void
tf_keyring_lookup_async (const char *profile, GCancellable *cancellable,
                         GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  secret_password_lookup (password_schema (), cancellable, lookup_done, task,
                          "profile", profile, NULL);
}

char *
tf_keyring_lookup_finish (GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stored (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GTask) task = data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_message ("The password could not be kept in the keyring: %s", error->message);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
tf_keyring_store_async (const char *profile, const char *password, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  GTask *task;

  g_return_if_fail (profile != NULL && password != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_keyring_store_async);
  secret_password_store (password_schema (), SECRET_COLLECTION_DEFAULT,
                         _("Therapy Field password"), password, cancellable, stored, task,
                         "profile", profile, NULL);
}

gboolean
tf_keyring_store_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
cleared (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_message ("The password could not be removed from the keyring: %s", error->message);
}

void
tf_keyring_clear (const char *profile)
{
  g_return_if_fail (profile != NULL);

  secret_password_clear (password_schema (), NULL, cleared, NULL, "profile", profile, NULL);
}

void
tf_keyring_free_password (char *password)
{
  secret_password_free (password);
}
