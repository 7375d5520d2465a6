/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-notes.c: locked session notes (DESIGN.md §5, authorship).
 *
 * Locking a note signs it with the therapist's Ed25519 key.  What is signed
 * is tf_vault_note_signed_bytes(): the note's identity and its stored
 * ciphertext envelopes, not the plaintext, so that any device holding the
 * record and the author's public key can verify it without being able to
 * read it — and a server that swapped an envelope or moved the note to
 * another session is caught.  From then on the vault refuses any change to
 * the note, and every locked note it hands out is verified first.
 *
 * The lock is a field of the record and travels like any other; the vault
 * enforces it on every device of every user, the server cannot forge it.
 *
 * Notes belong to a session, and a session to an appointment.  The session
 * is made when the first note of an appointment is written
 * (tf_vault_session_for), by the app and the CLI alike.
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-error.h"
#include "tf-store.h"
#include "tf-time.h"
#include "tf-vault-private.h"

gboolean
tf_vault_is_lockable (const TfTable *table)
{
  return tf_table_get_column (table, "locked_at") != NULL &&
         tf_table_get_column (table, "signature") != NULL;
}

gboolean
tf_vault_check_unlocked (TfVault *self, const TfTable *table, const char *id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TfRecord) stored = tf_store_get (self->store, table, id, &local_error);

  if (stored == NULL)
    {
      if (g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (tf_json_get_string (stored->fields, "locked_at") != NULL)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_LOCKED_NOTE,
                   _("This session note is locked and cannot be changed"));
      return FALSE;
    }
  return TRUE;
}

/* A member as signed: its string value, "" when null or absent. */
static const char *
signed_member (JsonObject *fields, const char *name)
{
  const char *value = tf_json_get_string (fields, name);

  return value != NULL ? value : "";
}

GBytes *
tf_vault_note_signed_bytes (JsonObject *fields)
{
  const char *locked_at;
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *stamp = NULL;
  char *text;

  g_return_val_if_fail (fields != NULL, NULL);

  /* One spelling of the instant, whatever offset a server wrote it with. */
  locked_at = signed_member (fields, "locked_at");
  when = tf_time_parse_timestamp (locked_at, NULL);
  stamp = when != NULL ? tf_time_format_timestamp (when) : g_strdup (locked_at);
  /* Only approach_type is free text; every other part is a UUID, an
   * envelope or a timestamp, none of which contains "|", so the fields
   * around it fix where it starts and ends. */
  text = g_strjoin ("|", "tf1", "note",
                    signed_member (fields, "id"),
                    signed_member (fields, "session_id"),
                    signed_member (fields, "therapist_id"),
                    signed_member (fields, "approach_type"),
                    signed_member (fields, "note_content"),
                    signed_member (fields, "risk_assessment"),
                    stamp, NULL);
  return g_bytes_new_take (text, strlen (text));
}

/* An addendum's lock binds it to its note: moved to another note, or its
 * ciphertext swapped, it no longer verifies.  Every part but the envelope
 * is a UUID or a timestamp, none of which contains "|". */
static GBytes *
addendum_signed_bytes (JsonObject *fields)
{
  g_autoptr(GDateTime) when = tf_time_parse_timestamp (signed_member (fields, "locked_at"), NULL);
  g_autofree char *stamp = when != NULL ? tf_time_format_timestamp (when)
                                        : g_strdup (signed_member (fields, "locked_at"));
  char *text = g_strjoin ("|", "tf1", "addendum",
                          signed_member (fields, "id"),
                          signed_member (fields, "note_id"),
                          signed_member (fields, "therapist_id"),
                          signed_member (fields, "content"),
                          stamp, NULL);

  return g_bytes_new_take (text, strlen (text));
}

GBytes *
tf_vault_lock_signed_bytes (const TfTable *table, JsonObject *fields)
{
  g_return_val_if_fail (table != NULL && fields != NULL, NULL);

  if (strcmp (table->name, "note_addenda") == 0)
    return addendum_signed_bytes (fields);
  g_return_val_if_fail (strcmp (table->name, "session_notes") == 0, NULL);
  return tf_vault_note_signed_bytes (fields);
}

gboolean
tf_vault_verify_note (TfVault *self, const TfRecord *record, GError **error)
{
  const TfTable *table = record->table;
  const char *signer, *signature, *public_key = NULL;
  g_autoptr(JsonObject) known = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (!tf_vault_is_lockable (table) ||
      tf_json_get_string (record->fields, "locked_at") == NULL)
    return TRUE;

  signer = tf_json_get_string (record->fields, table->owner_column);
  signature = tf_json_get_string (record->fields, "signature");
  if (g_strcmp0 (signer, self->user_id) == 0)
    public_key = tf_keys_get_signing_public (self->keys);
  else if (signer != NULL)
    {
      known = tf_store_lookup_key (self->store, signer, NULL);
      public_key = known ? tf_json_get_string (known, "signing_public_key") : NULL;
    }
  if (public_key == NULL)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_BAD_SIGNATURE,
                   _("This locked session note cannot be verified: its author’s key is not "
                     "known on this device"));
      return FALSE;
    }
  bytes = tf_vault_lock_signed_bytes (table, record->fields);
  if (signature != NULL &&
      !tf_crypto_verify (public_key, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                         signature, NULL))
    {
      /* Locked before its author rotated their keys. */
      g_autoptr(GPtrArray) all = tf_vault_signing_keys (self, signer);

      for (guint k = 1; k < all->len; k++)
        if (tf_crypto_verify (g_ptr_array_index (all, k), g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes), signature, NULL))
          return TRUE;
      signature = NULL;
    }
  if (signature == NULL)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_BAD_SIGNATURE,
                   _("This locked session note was changed after it was signed"));
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_vault_lock_note (TfVault *self, const char *id, GError **error)
{
  const TfTable *table = tf_registry_lookup ("session_notes");
  g_autoptr(TfRecord) record = NULL;
  g_autoptr(JsonObject) fields = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  record = tf_store_get (self->store, table, id, error);
  if (record == NULL)
    return FALSE;
  if (record->deleted)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND, _("There is no record %s"),
                   id);
      return FALSE;
    }
  if (!tf_vault_check_unlocked (self, table, id, error))
    return FALSE;
  if (g_strcmp0 (tf_json_get_string (record->fields, table->owner_column),
                 self->user_id) != 0)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER,
                   _("Only the author of a session note can lock it"));
      return FALSE;
    }

  fields = tf_json_object_dup (record->fields);
  tf_vault_sign_lock (self, table, fields);
  return tf_store_put (self->store, table, id, fields, error);
}

void
tf_vault_sign_lock (TfVault *self, const TfTable *table, JsonObject *wire)
{
  /* Whole seconds: the instant survives every round trip unchanged. */
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *signature = NULL;

  json_object_set_string_member (wire, "locked_at", stamp);
  bytes = tf_vault_lock_signed_bytes (table, wire);
  signature = tf_crypto_sign (tf_keys_get_signing_secret (self->keys),
                              g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  json_object_set_string_member (wire, "signature", signature);
}

/* --- the session of an appointment --------------------------------------- */

static GDateTime *
created_at (JsonObject *session)
{
  const char *text = tf_json_get_string (session, "created_at");

  return text != NULL ? tf_time_parse_timestamp (text, NULL) : NULL;
}

/* Whether session @a was made before @b (then by id, so that every device
 * picks the same one of two made offline). */
static gboolean
made_before (JsonObject *a, JsonObject *b)
{
  g_autoptr(GDateTime) when_a = created_at (a);
  g_autoptr(GDateTime) when_b = created_at (b);
  int order = 0;

  if (when_a != NULL && when_b != NULL)
    order = g_date_time_compare (when_a, when_b);
  else if ((when_a != NULL) != (when_b != NULL))
    order = when_a != NULL ? -1 : 1;
  if (order == 0)
    order = g_strcmp0 (tf_json_get_string (a, "id"), tf_json_get_string (b, "id"));
  return order < 0;
}

char *
tf_vault_session_for (TfVault *self, const char *appointment_id, GError **error)
{
  const TfTable *sessions = tf_registry_lookup ("sessions");
  g_autoptr(TfRecord) appointment = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *id = NULL, *stamp = NULL;
  JsonObject *oldest = NULL;

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);
  g_return_val_if_fail (appointment_id != NULL, NULL);

  /* As stored: its therapist is plaintext, and the notes of a session do
   * not wait for the key of the appointment's own notes to arrive. */
  appointment = tf_store_get (self->store, tf_registry_lookup ("appointments"), appointment_id,
                              error);
  if (appointment == NULL)
    return NULL;
  if (appointment->deleted)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND, _("There is no record %s"),
                   appointment_id);
      return NULL;
    }
  if (g_strcmp0 (tf_json_get_string (appointment->fields, "therapist_id"), self->user_id) != 0)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_NOT_OWNER,
                   _("Only the therapist of an appointment can write notes of its session"));
      return NULL;
    }

  found = tf_vault_list (self, sessions, "appointment_id", appointment_id, error);
  if (found == NULL)
    return NULL;
  for (guint i = 0; i < found->len; i++)
    if (oldest == NULL || made_before (g_ptr_array_index (found, i), oldest))
      oldest = g_ptr_array_index (found, i);
  if (oldest != NULL)
    return g_strdup (tf_json_get_string (oldest, "id"));

  id = g_uuid_string_random ();
  now = g_date_time_new_now_utc ();
  stamp = tf_time_format_timestamp (now);
  plain = json_object_new ();
  json_object_set_string_member (plain, "id", id);
  json_object_set_string_member (plain, "appointment_id", appointment_id);
  json_object_set_string_member (plain, "created_at", stamp);
  /* What the therapist writes for the client waits until they share it. */
  json_object_set_boolean_member (plain, "shared_with_client", FALSE);
  if (!tf_vault_put (self, sessions, id, plain, error))
    return NULL;
  return g_steal_pointer (&id);
}
