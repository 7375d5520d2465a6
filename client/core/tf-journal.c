/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-journal.c: saving and deleting a journal entry (tf-journal.h).
 *
 * The plain form is built here, once, for the app and the CLI alike.  An
 * edit starts from the stored plain form, so what the caller leaves out
 * (and the immutable creation time) stays as it was; is_private always
 * says the opposite of therapist_shared, the one flag the shares follow.
 */
#define G_LOG_DOMAIN "tf-journal"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-error.h"
#include "tf-journal.h"
#include "tf-time.h"

static const TfTable *
journal_table (void)
{
  return tf_registry_lookup ("journal_entries");
}

/* Sets @member of @plain to @value; "" removes it, NULL leaves it. */
static void
set_or_remove (JsonObject *plain, const char *member, const char *value)
{
  if (value == NULL)
    return;
  if (*value != '\0')
    json_object_set_string_member (plain, member, value);
  else if (json_object_has_member (plain, member))
    json_object_remove_member (plain, member);
}

gboolean
tf_journal_save (TfVault *vault, const char *id, const TfJournalEntry *entry,
                 JsonObject **out_plain, GError **error)
{
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  gboolean shared;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);

  if (!tf_vault_dup_own (vault, journal_table (), id,
                         _("This journal entry was shared with you; only its author can "
                           "change it"), &plain, error))
    return FALSE;
  if (plain == NULL)
    {
      plain = json_object_new ();
      json_object_set_string_member (plain, "id", id);
      json_object_set_string_member (plain, "user_id", tf_vault_get_user_id (vault));
      json_object_set_string_member (plain, "content", "");
      json_object_set_string_member (plain, "created_at", stamp);
    }
  set_or_remove (plain, "title", entry->title);
  if (entry->content != NULL)
    json_object_set_string_member (plain, "content", entry->content);
  set_or_remove (plain, "category", entry->category);
  if (entry->shared >= 0)
    shared = entry->shared != FALSE;
  else
    shared = json_object_get_boolean_member_with_default (plain, "therapist_shared", FALSE);
  json_object_set_boolean_member (plain, "therapist_shared", shared);
  json_object_set_boolean_member (plain, "is_private", !shared);
  json_object_set_string_member (plain, "updated_at", stamp);
  return tf_vault_put_keep (vault, journal_table (), id, plain, out_plain, error);
}

gboolean
tf_journal_delete (TfVault *vault, const char *id, GError **error)
{
  g_autoptr(JsonObject) stored = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!tf_vault_dup_own (vault, journal_table (), id,
                         _("This journal entry was shared with you; only its author can "
                           "delete it"), &stored, error))
    return FALSE;
  return tf_vault_delete (vault, journal_table (), id, error);
}
