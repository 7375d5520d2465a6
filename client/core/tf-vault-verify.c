/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-verify.c: the store's verify function — every record the server
 * sends is checked against its author's signature before the device uses
 * it (issue 19; docs/encryption.md, "Against the server itself").
 *
 * Who may have signed a record is the registry's writer rule, read from
 * the record itself (or, for a tombstone, from the copy this device holds,
 * and for sessions and goal progress from their parent): the owner of an
 * owner's table, the therapist of a therapist's one, either side of a care
 * table.  The signature's key id says which of their pinned keys made it;
 * a party whose keys this device has not pinned yet is fetched once
 * (/v1/keys/{id}, pinned at first sight like every key) before the pull is
 * applied.  A record that does not verify — changed after it was signed,
 * signed by someone who is not its writer, or not signed where it must be —
 * is refused: the store keeps its copy and reports it (sync_refused).
 *
 * Unsigned records (docs/encryption.md, "Unsigned records"): a record
 * another user may have written is refused unsigned, always — in a pull and
 * in a push answer alike.  Taken unsigned are only the records the server
 * itself creates (TfTable.server_creates: the profile and directory entry
 * made at registration, until their owner signs them, and only as
 * registration makes them: taken_as_registered) and a new version of
 * a record this account alone writes that this device already holds (from
 * before signatures; the device signs its own again at the next unlock or
 * sync, tf-vault-legacy.c) — one "of this account" this device never held
 * is refused, so the server cannot invent one on a new device.  A record it
 * holds signed can never come back unsigned (a revision below the held
 * one, tf_store_check_pulled).  Catalogue tables an administrator writes
 * (services) are not checked: no user's key vouches for them.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-account.h"
#include "tf-error.h"
#include "tf-signed.h"
#include "tf-vault-private.h"

static void
add_party (GPtrArray *parties, const char *user_id)
{
  if (user_id != NULL && !g_ptr_array_find_with_equal_func (parties, user_id, g_str_equal, NULL))
    g_ptr_array_add (parties, g_strdup (user_id));
}

static const char *
column_of (const TfRecord *record, const char *column)
{
  return column != NULL ? tf_json_get_string (record->fields, column) : NULL;
}

/* The therapists this device knows in care with @client. */
static void
add_care_therapists (TfVault *self, GPtrArray *parties, const char *client)
{
  g_autoptr(GPtrArray) care = NULL;

  if (client == NULL)
    return;
  care = tf_store_list (self->store, tf_registry_lookup ("care_relationships"), "client_id",
                        client, NULL);
  for (guint i = 0; care != NULL && i < care->len; i++)
    add_party (parties, column_of (g_ptr_array_index (care, i), "therapist_id"));
}

/* The users who may have signed @record: its writers by the registry. */
static GPtrArray *
writers_of (TfVault *self, const TfRecord *record)
{
  const TfTable *t = record->table;
  GPtrArray *parties = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TfRecord) held = NULL;
  g_autoptr(TfRecord) parent = NULL;
  const TfRecord *r = record;

  /* A tombstone names only its record: its parties are the held copy's. */
  if (record->deleted)
    {
      held = tf_store_get (self->store, t, record->id, NULL);
      if (held == NULL)
        return parties;
      r = held;
    }
  /* The parent as held, or as the page being checked brings it. */
  if (t->parent_table != NULL && column_of (r, t->parent_column) != NULL)
    parent = tf_store_get_checked (self->store, tf_registry_lookup (t->parent_table),
                                   column_of (r, t->parent_column));

  if (t->writer == TF_WRITER_OWNER)
    {
      add_party (parties, column_of (r, t->owner_column));
      if (t->owner_column == NULL && parent != NULL)
        add_party (parties, column_of (parent, parent->table->owner_column));
      return parties;
    }
  if (t->writer == TF_WRITER_CARE)
    {
      add_party (parties, column_of (r, t->client_column));
      add_party (parties, column_of (r, t->owner_column));
    }
  add_party (parties, column_of (r, t->therapist_column));
  if (t->writer == TF_WRITER_THERAPIST)
    add_party (parties, column_of (r, t->owner_column));
  if (parent != NULL)
    add_party (parties, column_of (parent, parent->table->therapist_column));
  /* A client's history or intake names the client only: their therapists. */
  if (t->therapist_column == NULL && parent == NULL)
    add_care_therapists (self, parties, column_of (r, t->client_column));
  return parties;
}

/* @user_id's pinned signing key, fetched and pinned first when @fetch and
 * this device has none; NULL (without @error) when there is none to be had. */
static char *
signing_key_of (TfVault *self, const char *user_id, gboolean fetch, GError **error)
{
  g_autoptr(JsonObject) known = NULL;

  if (strcmp (user_id, self->user_id) == 0)
    return g_strdup (tf_keys_get_signing_public (self->keys));
  known = tf_store_lookup_key (self->store, user_id, NULL);
  if (known == NULL && fetch)
    {
      if (!tf_account_fetch_keys (self, user_id, error))
        return NULL;
      known = tf_store_lookup_key (self->store, user_id, NULL);
    }
  return known != NULL ? g_strdup (tf_json_get_string (known, "signing_public_key")) : NULL;
}

static gboolean
refuse (char **out_code, char **out_message, const char *code, const char *message)
{
  *out_code = g_strdup (code);
  *out_message = g_strdup (message);
  return TRUE;
}

gboolean
tf_vault_refetch_keys_once (TfVault *self, const char *user_id)
{
  g_autoptr(GError) error = NULL;

  if (user_id == NULL || strcmp (user_id, self->user_id) == 0 ||
      (self->keys_refetched != NULL && g_hash_table_contains (self->keys_refetched, user_id)))
    return FALSE;
  if (self->keys_refetched == NULL)
    self->keys_refetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_add (self->keys_refetched, g_strdup (user_id));
  if (!tf_account_fetch_keys (self, user_id, &error))
    g_debug ("keys of %s not fetched again: %s", user_id, error->message);
  return TRUE;
}

/* An unsigned record of a table the server makes at registration
 * (TfTable.server_creates) is taken only as registration makes it: in that
 * form (tf_signed_is_registered_form), of a record this device never held
 * signed nor signed itself, and, when it holds a copy already, with nothing
 * its owner signs changed (a later version may differ only where the
 * server decides: a licence verified, its clock).  Anything else unsigned
 * is the server's own writing, refused. */
static gboolean
taken_as_registered (TfVault *self, const TfRecord *record)
{
  g_autoptr(TfRecord) held = NULL;
  gint64 revision = 0, written = 0;

  if (!tf_signed_is_registered_form (record) ||
      !tf_store_get_revision (self->store, record->table, record->id, &revision, NULL,
                              &written, NULL) ||
      revision != 0 || written != 0)
    return FALSE;
  held = tf_store_get (self->store, record->table, record->id, NULL);
  return held == NULL || tf_signed_same_content (held, record);
}

/* Checks @record against the signatures of its writers by the registry. */
static gboolean
verify_by_writers (TfVault *self, const TfRecord *record, char **out_code,
                   char **out_message, GError **error)
{
  const TfTable *t = record->table;
  g_autoptr(GPtrArray) writers = NULL;

  if (!tf_signed_table_has_envelope (t) || t->writer == TF_WRITER_ADMIN)
    return TRUE;
  writers = writers_of (self, record);
  /* The tombstone of a record this device never held: nothing to undo. */
  if (record->deleted && writers->len == 0)
    return TRUE;
  if (record->signature == NULL)
    {
      g_autoptr(TfRecord) held = NULL;
      guint mine = 0;

      /* Server-authored until its owner writes it (the registration's
       * profile and directory entry): only as registration makes it. */
      if (t->server_creates != NULL)
        return taken_as_registered (self, record) ||
               refuse (out_code, out_message, "unsigned",
                       _("The server sent a record its author did not sign"));
      /* What this account alone writes, from before signatures: only a
       * copy this device already holds (the legacy step signs it); a new
       * unsigned record "of this account" may be the server's own. */
      if (writers->len == 1 &&
          g_ptr_array_find_with_equal_func (writers, self->user_id, g_str_equal, &mine) &&
          (held = tf_store_get (self->store, t, record->id, NULL)) != NULL)
        return TRUE;
      /* Anyone else's, or a writer this device cannot name: refused,
       * always — their devices sign what they write. */
      return refuse (out_code, out_message, "unsigned",
                     _("The server sent a record its author did not sign"));
    }
  /* The pinned keys first; a writer not met yet is fetched only when none
   * of those made it. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < writers->len; i++)
      {
        const char *writer = g_ptr_array_index (writers, i);
        g_autoptr(GError) local = NULL;
        g_autofree char *key = NULL;
        g_autoptr(JsonObject) known = NULL;

        /* The second pass is for the writers the first could not try. */
        if (pass == 1 && (strcmp (writer, self->user_id) == 0 ||
                          (known = tf_store_lookup_key (self->store, writer, NULL)) != NULL))
          continue;
        key = signing_key_of (self, writer, pass == 1, error);
        if (key == NULL)
          {
            if (error != NULL && *error != NULL)
              return FALSE;
            continue;
          }
        if (tf_signed_record_verify (key, record, record->revision, record->signature, &local))
          return TRUE;
        /* Signed before the writer rotated their keys: a key the rotation
         * vouches for as their previous one. */
        if (g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_WRONG_KEY))
          {
            g_autoptr(GPtrArray) all = tf_vault_signing_keys (self, writer);

            for (guint k = 1; k < all->len; k++)
              {
                g_clear_error (&local);
                if (tf_signed_record_verify (g_ptr_array_index (all, k), record,
                                             record->revision, record->signature, &local))
                  return TRUE;
                if (!g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_WRONG_KEY))
                  break;
              }
            /* Signed by a key this device has not seen for them: they may
             * have rotated.  Asked once per writer; a signed rotation then
             * counts (tf_vault_signing_keys), anything else is a change the
             * person is told of. */
            if (g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_WRONG_KEY) &&
                tf_vault_refetch_keys_once (self, writer))
              {
                g_autoptr(GPtrArray) now = tf_vault_signing_keys (self, writer);

                for (guint k = all->len; k < now->len; k++)
                  {
                    g_clear_error (&local);
                    if (tf_signed_record_verify (g_ptr_array_index (now, k), record,
                                                 record->revision, record->signature, &local))
                      return TRUE;
                  }
              }
          }
        if (!g_error_matches (local, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_WRONG_KEY))
          return refuse (out_code, out_message, "bad_signature",
                         _("The server sent a record that was changed after its author "
                           "signed it"));
      }
  return refuse (out_code, out_message, "wrong_signer",
                 _("The server sent a record signed by someone who did not write it"));
}

/* TRUE when @signature over @record at @revision is @user_id's: their
 * pinned key (fetched first when @fetch and none is), or one their signed
 * rotation vouches for as their previous one. */
static gboolean
signed_by (TfVault *self, const char *user_id, const TfRecord *record, gint64 revision,
           const char *signature, gboolean fetch, GError **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GPtrArray) all = NULL;

  if (signature == NULL || (key = signing_key_of (self, user_id, fetch, error)) == NULL)
    return FALSE;
  if (tf_signed_record_verify (key, record, revision, signature, NULL))
    return TRUE;
  all = tf_vault_signing_keys (self, user_id);
  for (guint k = 1; k < all->len; k++)
    if (tf_signed_record_verify (g_ptr_array_index (all, k), record, revision, signature, NULL))
      return TRUE;
  return FALSE;
}

static gboolean
flag_of (const TfRecord *record, const char *column)
{
  JsonNode *node = json_object_get_member (record->fields, column);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* @record, active and signed by its therapist, answers the request this
 * device holds: the same relationship pending, as its client signed it,
 * sharing what @record shares.  The client's device then signs it active
 * itself (tf_care_settle); until then it shares nothing. */
static gboolean
accepts_held_request (TfVault *self, const TfRecord *record, GError **error)
{
  g_autoptr(TfRecord) held = tf_store_get (self->store, record->table, record->id, NULL);
  const char *therapist = column_of (record, "therapist_id");

  if (held == NULL || held->deleted || therapist == NULL ||
      g_strcmp0 (column_of (held, "status"), "pending") != 0 ||
      g_strcmp0 (column_of (held, "therapist_id"), therapist) != 0 ||
      g_strcmp0 (column_of (held, "client_id"), column_of (record, "client_id")) != 0 ||
      flag_of (held, "share_mood") != flag_of (record, "share_mood") ||
      flag_of (held, "share_goals") != flag_of (record, "share_goals") ||
      !tf_vault_care_signed_by_client (self, held))
    return FALSE;
  return signed_by (self, therapist, record, record->revision, record->signature, TRUE, error);
}

/* An active care relationship decides who reads a client's records and
 * who may write about them (issue 19): only its client starts it or
 * changes what it shares, so one the server sends signed by anyone else —
 * the therapist, or a therapist whose keys the server holds — is refused.
 * An ended one or a tombstone may be the therapist's (either side ends
 * care) and shares nothing.  An unsigned one is the unsigned rule's above;
 * taken so, it shares nothing either (tf_vault_care_signed_by_client).
 * The one exception is the therapist's acceptance of a request this
 * client's device made (accepts_held_request). */
static gboolean
care_vouched_for (TfVault *self, const TfRecord *record, GError **error)
{
  const char *client = column_of (record, "client_id");

  if (record->table != tf_registry_lookup ("care_relationships") || record->deleted ||
      record->signature == NULL || g_strcmp0 (column_of (record, "status"), "active") != 0)
    return TRUE;
  if (client == NULL)
    return FALSE;
  if (signed_by (self, client, record, record->revision, record->signature, TRUE, error))
    return TRUE;
  if (error != NULL && *error != NULL)
    return FALSE;
  return strcmp (client, self->user_id) == 0 && accepts_held_request (self, record, error);
}

gboolean
tf_vault_verify_record (TfVault *self, const TfRecord *record, char **out_code,
                        char **out_message, GError **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  if (!verify_by_writers (self, record, out_code, out_message, error))
    return FALSE;
  if (*out_code != NULL || care_vouched_for (self, record, &local))
    return TRUE;
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return refuse (out_code, out_message, "care_not_signed_by_client",
                 _("The server sent a care relationship its client did not sign"));
}

gboolean
tf_vault_care_signed_by_client (TfVault *self, const TfRecord *care)
{
  const char *client = column_of (care, "client_id");
  g_autofree char *signature = NULL;
  gint64 held = 0, written = 0;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  if (client == NULL ||
      !tf_store_get_revision (self->store, care->table, care->id, &held, &signature, &written,
                              NULL))
    return FALSE;
  /* The client's own write, here, not yet acknowledged: the row is it. */
  if (strcmp (client, self->user_id) == 0 && written > held)
    return TRUE;
  return signed_by (self, client, care, held, signature, FALSE, NULL);
}

gboolean
tf_vault_verify_cb (TfStore *store, const TfRecord *record, gpointer user_data, char **out_code,
                    char **out_message, GError **error)
{
  g_autoptr(TfVault) self = g_weak_ref_get (user_data);

  /* Without the vault there is no key to check with (the revision still is). */
  if (self == NULL)
    return TRUE;
  return tf_vault_verify_record (self, record, out_code, out_message, error);
}

gboolean
tf_vault_care_accepted_by_therapist (TfVault *self, const TfRecord *care)
{
  const char *client = column_of (care, "client_id");
  const char *therapist = column_of (care, "therapist_id");
  g_autofree char *signature = NULL;
  gint64 held = 0, written = 0;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  if (client == NULL || therapist == NULL || strcmp (client, self->user_id) != 0 ||
      g_strcmp0 (column_of (care, "status"), "active") != 0 ||
      !tf_store_get_revision (self->store, care->table, care->id, &held, &signature, &written,
                              NULL) ||
      written > held || tf_vault_care_signed_by_client (self, care))
    return FALSE;
  return signed_by (self, therapist, care, held, signature, FALSE, NULL);
}
