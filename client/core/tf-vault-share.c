/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-vault-share.c: key grants follow who should read a record.
 *
 * Sharing is a state to reach, not a command.  For each record of this
 * account in a table whose audience is TF_AUDIENCE_OWNER_SHARED and which
 * has content to protect, the readers it should have are the therapists of
 * the account's active care relationships (client_id = the account), when
 *   - the table has a shared_column (journal_entries.therapist_shared): the
 *     record's flag is on;
 *   - the table is in care_flags below (mood_entries while share_mood,
 *     goals and goal_progress while share_goals): the relationship's flag
 *     is on.
 * A client's intake and personal details (client_intakes, client_details,
 * TF_AUDIENCE_CARE) the client owns are read by every therapist of their
 * active care relationships, whatever the flags (care_always below): a
 * managed client's are written in their name (tf-managed.h) and so shared
 * like the client's own.
 * A table with neither rule is never shared.  Goals have no encrypted
 * columns, so the server's visibility alone decides there and there is
 * nothing to seal.
 *
 * Appointments and sessions (TF_AUDIENCE_CARE with TF_COLUMN_CARE_KEY
 * columns) are read by both sides: the client and the therapist of the
 * appointment (a session's client only while the therapist shares it:
 * sessions.shared_with_client).  Whichever account made the record's data
 * key (its own wrap opens enc_key) seals to the other the record's care
 * key, derived from the data key (tf_crypto_derive_care_key): it opens the
 * care columns (notes for the therapist, a cancellation's reason, the
 * session's summary, homework and plan) and not the columns under the data
 * key itself (the therapist's own notes on the session).  The two sides of
 * an appointment never change, so its grant is never taken back; a
 * session's is when the therapist stops sharing it, and the session is
 * re-keyed, like a journal entry no longer shared.  They are made once the
 * server has taken the record (it has a version), since the server refuses
 * some bookings (a slot taken meanwhile) and would refuse their grants too.
 *
 * A reader without a grant gets one: the record's data key sealed to their
 * identity key (known_keys) in a key_grants record that syncs like any
 * other, signed by this account (tf_vault_put_grant in tf-vault-grants.c,
 * the one place grants are made).  When their key is not known yet the
 * grant is "pending" and made by a later reconciliation
 * (tf_vault_remember_key() runs one).  A grant
 * whose recipient should no longer read the record is deleted, and the
 * record is re-keyed — a new data key, every content column encrypted
 * again, a new enc_key, every remaining grant sealed again — so whatever is
 * written from now on is unreadable to the former reader.  What they held
 * before, they keep: nothing can take back a key once given.
 *
 * The write that ends a share and all the re-keying it causes are one
 * store transaction (tf_vault_atomic), and each record's re-key, grant
 * deletions and new seals one atomic group within it, which a push keeps
 * whole and the server applies all or none: a crash or a refusal anywhere
 * leaves the old state or the new one, never a former reader with a grant
 * for the key in use or a remaining reader with a grant for a key the record
 * no longer has.  Test builds can be killed between the steps (kill points
 * rekey-sealed, rekey-grants-deleted, rekey-committed).
 */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include <string.h>

#include "tf-store.h"
#include "tf-sync-hooks.h"
#include "tf-vault-private.h"

/* Which flag of a care relationship shares a table that has no flag of its
 * own (DESIGN.md §3 visibility). */
static const struct
{
  const char *table;
  const char *flag;
} care_flags[] = {
  { "mood_entries", "share_mood" },
  { "goals", "share_goals" },
  { "goal_progress", "share_goals" },
};

/* A client's own records that every therapist in active care with them
 * reads, whatever the flags: their intake and their personal details, when
 * the client wrote them (a managed client's, written in their name: the
 * therapist who writes a registered client's intake keeps it under their
 * own key, and decides nothing here). */
static const char * const care_always[] = { "client_intakes", "client_details" };

static gboolean
is_care_always (const TfTable *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (care_always); i++)
    if (strcmp (care_always[i], table->name) == 0)
      return TRUE;
  return FALSE;
}

static const TfTable *
grants_table (void)
{
  return tf_registry_lookup ("key_grants");
}

static const char *
care_flag (const TfTable *table)
{
  for (guint i = 0; i < G_N_ELEMENTS (care_flags); i++)
    if (strcmp (care_flags[i].table, table->name) == 0)
      return care_flags[i].flag;
  return NULL;
}

/* An appointment or a session: both sides of the care read its care
 * columns, whoever made its key. */
static gboolean
is_care_record (const TfTable *table)
{
  return table->audience == TF_AUDIENCE_CARE && tf_vault_has_care_columns (table);
}

static gboolean
is_shareable (const TfTable *table)
{
  return (table->audience == TF_AUDIENCE_OWNER_SHARED && table->owner_column != NULL &&
          tf_vault_has_content (table) &&
          (table->shared_column != NULL || care_flag (table) != NULL)) ||
         (is_care_always (table) && tf_vault_has_content (table)) ||
         is_care_record (table);
}

/* TRUE when this account decides who reads @fields: it owns the record, or
 * (an appointment, a session) made the record's data key. */
static gboolean
decides_sharing (TfVault *self, const TfTable *table, JsonObject *fields)
{
  const char *enc_key;
  g_autoptr(TfSecret) key = NULL;

  if (!is_care_record (table))
    return g_strcmp0 (tf_json_get_string (fields, table->owner_column), self->user_id) == 0;
  enc_key = tf_json_get_string (fields, "enc_key");
  key = enc_key != NULL ? tf_keys_open_data_key (self->keys, enc_key, NULL) : NULL;
  return key != NULL;
}

/* The two sides of an appointment, or of a session's appointment (as this
 * device holds it), but for this account. */
static void
add_care_readers (TfVault *self, const TfTable *table, JsonObject *fields, GHashTable *readers)
{
  g_autoptr(TfRecord) parent = NULL;
  const char *sides[2];

  if (table->parent_table != NULL)
    {
      parent = tf_store_get (self->store, tf_registry_lookup (table->parent_table),
                             tf_json_get_string (fields, table->parent_column), NULL);
      if (parent == NULL)
        return;
      fields = parent->fields;
    }
  sides[0] = tf_json_get_string (fields, "client_id");
  sides[1] = tf_json_get_string (fields, "therapist_id");
  for (guint i = 0; i < G_N_ELEMENTS (sides); i++)
    if (sides[i] != NULL && strcmp (sides[i], self->user_id) != 0)
      g_hash_table_add (readers, g_strdup (sides[i]));
}

static gboolean
member_true (JsonObject *fields, const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The care relationships (TfRecord*) in which this account is the client
 * and which are active, as the client signed them (issue 19). */
static GPtrArray *
load_care (TfVault *self, GError **error)
{
  g_autoptr(GPtrArray) all = tf_store_list (self->store, tf_registry_lookup ("care_relationships"),
                                            "client_id", self->user_id, error);
  GPtrArray *active;

  if (all == NULL)
    return NULL;
  active = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_record_free);
  for (guint i = 0; i < all->len; i++)
    {
      TfRecord *care = g_ptr_array_index (all, i);

      if (g_strcmp0 (tf_json_get_string (care->fields, "status"), "active") == 0 &&
          tf_vault_care_signed_by_client (self, care))
        g_ptr_array_add (active, tf_record_copy (care));
    }
  return active;
}

/* The user ids that should read a record of @table with @fields (plain or
 * wire form: only plaintext columns decide). */
static GHashTable *
desired_readers (TfVault *self, const TfTable *table, JsonObject *fields, GPtrArray *care)
{
  GHashTable *readers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *flag = care_flag (table);

  if (is_care_record (table))
    {
      /* A session's summary, homework and plan reach the client once the
       * therapist shares them; a session from before the choice (the flag
       * null) was shared, and stays so. */
      JsonNode *shared = table->shared_column != NULL
                         ? json_object_get_member (fields, table->shared_column) : NULL;

      if (shared == NULL || JSON_NODE_HOLDS_NULL (shared) ||
          member_true (fields, table->shared_column))
        add_care_readers (self, table, fields, readers);
      return readers;
    }
  if (!is_shareable (table) ||
      g_strcmp0 (tf_json_get_string (fields, table->owner_column), self->user_id) != 0 ||
      (table->shared_column != NULL && !member_true (fields, table->shared_column)))
    return readers;
  for (guint i = 0; i < care->len; i++)
    {
      TfRecord *relationship = g_ptr_array_index (care, i);
      const char *therapist = tf_json_get_string (relationship->fields, "therapist_id");

      if (therapist != NULL && strcmp (therapist, self->user_id) != 0 &&
          (flag == NULL || member_true (relationship->fields, flag)))
        g_hash_table_add (readers, g_strdup (therapist));
    }
  return readers;
}

gboolean
tf_vault_write_revokes (TfVault *self, const TfTable *table, const char *id, JsonObject *fields,
                        gboolean *out_revokes, GError **error)
{
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(GHashTable) readers = NULL;

  *out_revokes = FALSE;
  if (!is_shareable (table))
    return TRUE;
  grants = tf_vault_list_grants (self, table, id, FALSE, error);
  if (grants == NULL)
    return FALSE;
  if (grants->len == 0)
    return TRUE;
  care = load_care (self, error);
  if (care == NULL)
    return FALSE;
  readers = desired_readers (self, table, fields, care);
  for (guint i = 0; i < grants->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (grants, i);
      const char *recipient = tf_json_get_string (grant->fields, "recipient_id");

      if (recipient == NULL || !g_hash_table_contains (readers, recipient))
        *out_revokes = TRUE;
    }
  return TRUE;
}

/* The identity key of @user_id, or NULL (no error) when not known yet. */
static char *
identity_key_of (TfVault *self, const char *user_id, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonObject) known = NULL;

  /* A managed client's vault sharing with the therapist who manages them. */
  if (self->principal != NULL && strcmp (user_id, self->principal->user_id) == 0)
    return g_strdup (tf_keys_get_identity_public (self->principal->keys));
  known = tf_store_lookup_key (self->store, user_id, &local_error);
  if (known == NULL)
    {
      if (!g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strdup (tf_json_get_string (known, "identity_public_key"));
}

/* Gives @record a new data key and stores it; @out_key receives the key. */
static gboolean
rekey (TfVault *self, const TfRecord *record, TfSecret **out_key, GError **error)
{
  const TfTable *table = record->table;
  const char *enc_key = tf_json_get_string (record->fields, "enc_key");
  g_autoptr(TfSecret) old_key = NULL;
  g_autoptr(TfSecret) key = NULL;
  g_autoptr(JsonObject) plain = NULL;
  g_autoptr(JsonObject) wire = NULL;
  g_autofree char *new_enc_key = NULL;

  if (enc_key != NULL)
    {
      old_key = tf_keys_open_data_key (self->keys, enc_key, error);
      if (old_key == NULL)
        return FALSE;
    }
  plain = tf_vault_open_fields (table, record->id, record->fields, old_key, TRUE, error);
  if (plain == NULL)
    return FALSE;
  key = tf_keys_new_data_key (self->keys, &new_enc_key, error);
  if (key == NULL)
    return FALSE;
  wire = tf_vault_seal_fields (table, record->id, plain, key, TRUE, new_enc_key, error);
  if (wire == NULL || !tf_store_put (self->store, table, record->id, wire, error))
    return FALSE;
  tf_vault_rekey_step (self, TF_KILL_REKEY_SEALED);
  *out_key = g_steal_pointer (&key);
  return TRUE;
}

/* The grants of @kept (readers who keep access to @id) that need it are
 * sealed again with @key; each reader then counts as @covered (a reader
 * whose key is not known yet too: signed once it is). */
static gboolean
reseal_kept_grants (TfVault *self, const TfTable *table, const char *id, GPtrArray *kept,
                    TfSecret *key, gboolean rekeyed, GHashTable *covered, GError **error)
{
  for (guint i = 0; i < kept->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (kept, i);
      const char *recipient = tf_json_get_string (grant->fields, "recipient_id");
      g_autofree char *identity = NULL;
      g_autofree char *sealed = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!rekeyed && tf_vault_grant_usable (self, grant))
        {
          g_hash_table_add (covered, (gpointer) recipient);
          continue;
        }
      identity = identity_key_of (self, recipient, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (identity == NULL && !rekeyed)
        {
          /* Signed once their key is known here. */
          g_hash_table_add (covered, (gpointer) recipient);
          continue;
        }
      if (identity == NULL)
        {
          /* An old key cannot open the new text anyway. */
          if (!tf_store_delete (self->store, grants_table (), grant->id, error))
            return FALSE;
          continue;
        }
      sealed = tf_crypto_seal_key (identity, key, error);
      if (sealed == NULL ||
          !tf_vault_put_grant (self, grant->id, table, id, recipient, sealed, error))
        return FALSE;
      g_hash_table_add (covered, (gpointer) recipient);
    }
  return TRUE;
}

/* Every reader of @readers not @covered gets a grant of @key; one whose
 * key is not known here yet is counted in @n_pending. */
static gboolean
grant_new_readers (TfVault *self, const TfTable *table, const char *id, GHashTable *readers,
                   GHashTable *covered, TfSecret *key, guint *n_pending, GError **error)
{
  GHashTableIter iter;
  gpointer reader;

  g_hash_table_iter_init (&iter, readers);
  while (g_hash_table_iter_next (&iter, &reader, NULL))
    {
      g_autofree char *identity = NULL;
      g_autofree char *sealed = NULL;
      g_autoptr(GError) local_error = NULL;

      if (g_hash_table_contains (covered, reader))
        continue;
      identity = identity_key_of (self, reader, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (identity == NULL)
        {
          if (n_pending != NULL)
            (*n_pending)++;
          continue;
        }
      sealed = tf_crypto_seal_key (identity, key, error);
      if (sealed == NULL || !tf_vault_put_grant (self, NULL, table, id, reader, sealed, error))
        return FALSE;
    }
  return TRUE;
}

/* Reconciles record @id of @table (@record: its stored state, NULL when
 * gone) against its grants @grants (TfRecord*, made by this account). */
static gboolean
reconcile_with (TfVault *self, const TfTable *table, const char *id, const TfRecord *record,
                GPtrArray *grants, GPtrArray *care, gboolean rekeyed, guint *n_pending,
                GError **error)
{
  gboolean live = record != NULL && !record->deleted;
  g_autoptr(GHashTable) readers = NULL;
  g_autoptr(GHashTable) covered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autoptr(TfSecret) key = NULL;
  gboolean revoked = FALSE;

  /* Someone else's record: their devices decide. */
  if (live && !decides_sharing (self, table, record->fields))
    return TRUE;
  /* An appointment or session is shared once the server has taken it: a
   * booking it refuses (slot_taken) needs no key, and a grant for it would
   * only be refused too. */
  if (live && is_care_record (table) && record->version == 0)
    return TRUE;
  readers = live ? desired_readers (self, table, record->fields, care)
                 : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < grants->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (grants, i);
      const char *recipient = tf_json_get_string (grant->fields, "recipient_id");

      if (recipient != NULL && g_hash_table_contains (readers, recipient))
        g_ptr_array_add (kept, grant);
      else
        revoked = TRUE;
    }
  if (revoked && live && !rekeyed)
    {
      if (!rekey (self, record, &key, error))
        return FALSE;
      rekeyed = TRUE;
    }
  for (guint i = 0; i < grants->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (grants, i);

      if (!g_ptr_array_find (kept, grant, NULL) &&
          !tf_store_delete (self->store, grants_table (), grant->id, error))
        return FALSE;
    }
  if (rekeyed && live)
    tf_vault_rekey_step (self, TF_KILL_REKEY_GRANTS_DELETED);
  if (!live || g_hash_table_size (readers) == 0)
    return TRUE;

  /* Unless re-keyed here, @record as stored holds the key to share (after
   * a re-keying write too: it was read after that write). */
  if (key == NULL)
    {
      const char *enc_key = tf_json_get_string (record->fields, "enc_key");

      if (enc_key == NULL)
        return TRUE; /* nothing encrypted yet: no key to share */
      key = tf_keys_open_data_key (self->keys, enc_key, error);
      if (key == NULL)
        return FALSE;
    }

  /* The other side of an appointment or a session gets its care key only. */
  if (is_care_record (table))
    {
      TfSecret *care = tf_crypto_derive_care_key (key);

      tf_secret_free (key);
      key = care;
    }

  /* Readers who keep access: after a re-key their grants are sealed again;
   * so is a grant this account did not sign (one from before signatures,
   * or one the server made in its name): the key sealed here, signed. */
  if (!reseal_kept_grants (self, table, id, kept, key, rekeyed, covered, error))
    return FALSE;
  /* Readers without a grant get one. */
  return grant_new_readers (self, table, id, readers, covered, key, n_pending, error);
}

void
tf_vault_rekey_step (TfVault *self, TfKillPoint point)
{
  self->rekeyed = TRUE;
  tf_sync_hook_kill_point (point);
}

gboolean
tf_vault_atomic (TfVault *self, TfStoreBody body, gpointer data, GError **error)
{
  gboolean ok, committed_rekey;
  TfKeys *acting = NULL;

  if (self->atomic_depth == 0)
    self->rekeyed = FALSE;
  /* A managed client's vault: what is queued meanwhile is signed with the
   * client's keys by the principal's sign function. */
  if (self->principal != NULL)
    {
      acting = self->principal->acting_keys;
      self->principal->acting_keys = self->keys;
    }
  self->atomic_depth++;
  ok = tf_store_atomic (self->store, body, data, error);
  self->atomic_depth--;
  if (self->principal != NULL)
    self->principal->acting_keys = acting;
  if (self->atomic_depth > 0)
    return ok;
  /* Only the outermost call commits. */
  committed_rekey = ok && self->rekeyed;
  self->rekeyed = FALSE;
  if (committed_rekey)
    tf_sync_hook_kill_point (TF_KILL_REKEY_COMMITTED);
  return ok;
}

typedef struct
{
  TfStoreBody body;
  gpointer    data;
} OneGroup;

static gboolean
one_group_body (TfStore *store, gpointer data, GError **error)
{
  OneGroup *g = data;

  return tf_store_atomic_one_group (store, g->body, g->data, error);
}

gboolean
tf_vault_atomic_one_group (TfVault *self, TfStoreBody body, gpointer data, GError **error)
{
  OneGroup g = { body, data };

  return tf_vault_atomic (self, one_group_body, &g, error);
}

/* One record brought in line: its re-key, grant deletions and new seals
 * are one atomic group (tf_store_atomic), inside whatever transaction is
 * under way. */
typedef struct
{
  TfVault       *vault;
  const TfTable *table;
  const char    *id;
  const TfRecord *record;
  GPtrArray     *grants;
  GPtrArray     *care;
  gboolean       rekeyed;
  guint         *n_pending;
} Reconcile;

static gboolean
reconcile_body (TfStore *store, gpointer data, GError **error)
{
  Reconcile *r = data;

  return reconcile_with (r->vault, r->table, r->id, r->record, r->grants, r->care, r->rekeyed,
                         r->n_pending, error);
}

static gboolean
reconcile_atomic (TfVault *self, const TfTable *table, const char *id, const TfRecord *record,
                  GPtrArray *grants, GPtrArray *care, gboolean rekeyed, guint *n_pending,
                  GError **error)
{
  Reconcile r = { self, table, id, record, grants, care, rekeyed, n_pending };

  return tf_vault_atomic (self, reconcile_body, &r, error);
}

gboolean
tf_vault_reconcile_record (TfVault *self, const TfTable *table, const char *id,
                           gboolean rekeyed, guint *n_pending, GError **error)
{
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(TfRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!is_shareable (table))
    return TRUE;
  record = tf_store_get (self->store, table, id, &local_error);
  if (record == NULL && !g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  grants = tf_vault_list_grants (self, table, id, FALSE, error);
  if (grants == NULL)
    return FALSE;
  care = load_care (self, error);
  if (care == NULL)
    return FALSE;
  return reconcile_atomic (self, table, id, record, grants, care, rekeyed, n_pending, error);
}

static gboolean
reconcile_shares (TfVault *self, guint *n_pending, GError **error)
{
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GHashTable) by_record = NULL;
  const TfTable *tables;
  guint n_tables, pending = 0;
  GHashTableIter iter;
  gpointer key, value;

  care = load_care (self, error);
  if (care == NULL)
    return FALSE;
  /* Every grant this account made, by "table\nrecord id". */
  mine = tf_store_list (self->store, grants_table (), "owner_id", self->user_id, error);
  if (mine == NULL)
    return FALSE;
  by_record = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < mine->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (mine, i);
      g_autofree char *record_key = g_strconcat (
        tf_json_get_string (grant->fields, "table_name"), "\n",
        tf_json_get_string (grant->fields, "record_id"), NULL);
      GPtrArray *list = g_hash_table_lookup (by_record, record_key);

      if (list == NULL)
        {
          list = g_ptr_array_new ();
          g_hash_table_insert (by_record, g_steal_pointer (&record_key), list);
        }
      g_ptr_array_add (list, grant);
    }

  tables = tf_registry_get_tables (&n_tables);
  for (guint t = 0; t < n_tables; t++)
    {
      const TfTable *table = &tables[t];
      g_autoptr(GPtrArray) records = NULL;

      if (!is_shareable (table))
        continue;
      /* An appointment or session has no owner column: reconcile_with()
       * passes over those whose key another account made. */
      records = tf_store_list (self->store, table, table->owner_column,
                               table->owner_column != NULL ? self->user_id : NULL, error);
      if (records == NULL)
        return FALSE;
      for (guint i = 0; i < records->len; i++)
        {
          TfRecord *record = g_ptr_array_index (records, i);
          g_autofree char *record_key = g_strconcat (table->name, "\n", record->id, NULL);
          g_autofree char *stolen_key = NULL;
          g_autoptr(GPtrArray) grants = NULL;

          /* Taken out: what stays in by_record afterwards is left over. */
          if (!g_hash_table_steal_extended (by_record, record_key, (gpointer *) &stolen_key,
                                            (gpointer *) &grants))
            grants = g_ptr_array_new ();
          if (!reconcile_atomic (self, table, record->id, record, grants, care, FALSE, &pending,
                                 error))
            return FALSE;
        }
    }

  /* Grants left over belong to records that are gone. */
  g_hash_table_iter_init (&iter, by_record);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\n", 2);
      const TfTable *table = tf_registry_lookup (parts[0]);
      g_autoptr(TfRecord) record = NULL;

      if (table == NULL || parts[1] == NULL || !is_shareable (table))
        continue;
      record = tf_store_get (self->store, table, parts[1], NULL);
      if (record != NULL && !record->deleted)
        continue; /* a conflict copy, or not this account's record */
      if (!reconcile_atomic (self, table, parts[1], NULL, value, care, FALSE, &pending, error))
        return FALSE;
    }
  if (n_pending != NULL)
    *n_pending = pending;
  return TRUE;
}

gboolean
tf_vault_reconcile_shares (TfVault *self, guint *n_pending, GError **error)
{
  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  /* Each record is brought in line in a transaction of its own (one atomic
   * group), not all of them in one: a sync's reconciliation would otherwise
   * hold the profile's write lock over every record it reads.  The write
   * that ends a care relationship calls this inside its own transaction,
   * which makes all of it one. */
  return reconcile_shares (self, n_pending, error);
}

/* --- sealing again to new keys ---------------------------------------------- */

typedef struct
{
  TfVault    *vault;
  const char *recipient;
  guint       n_resealed;
} Reseal;

static gboolean
reseal_body (TfStore *store, gpointer data, GError **error)
{
  Reseal *r = data;
  TfVault *self = r->vault;
  g_autoptr(GPtrArray) grants = NULL;

  grants = tf_store_list (store, grants_table (), "owner_id", self->user_id, error);
  if (grants == NULL)
    return FALSE;
  for (guint i = 0; i < grants->len; i++)
    {
      TfRecord *grant = g_ptr_array_index (grants, i);
      const char *recipient = tf_json_get_string (grant->fields, "recipient_id");
      const char *table_name = tf_json_get_string (grant->fields, "table_name");
      const char *record_id = tf_json_get_string (grant->fields, "record_id");
      const TfTable *table = table_name != NULL ? tf_registry_lookup (table_name) : NULL;
      g_autoptr(TfRecord) record = NULL;
      g_autoptr(TfSecret) key = NULL;
      g_autofree char *identity = NULL, *sealed = NULL;
      const char *enc_key;

      if (grant->deleted || recipient == NULL || table == NULL || record_id == NULL ||
          (r->recipient != NULL && strcmp (recipient, r->recipient) != 0))
        continue;
      record = tf_store_get (store, table, record_id, NULL);
      enc_key = record != NULL && !record->deleted
                  ? tf_json_get_string (record->fields, "enc_key") : NULL;
      /* A record gone or without a key of this account's: the share's
       * reconciliation deals with its grant. */
      if (enc_key == NULL || (key = tf_keys_open_data_key (self->keys, enc_key, NULL)) == NULL)
        continue;
      if (is_care_record (table))
        {
          TfSecret *care = tf_crypto_derive_care_key (key);

          tf_secret_free (key);
          key = care;
        }
      identity = identity_key_of (self, recipient, error);
      if (identity == NULL)
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          continue;
        }
      sealed = tf_crypto_seal_key (identity, key, error);
      if (sealed == NULL ||
          !tf_vault_put_grant (self, grant->id, table, record_id, recipient, sealed, error))
        return FALSE;
      r->n_resealed++;
    }
  return TRUE;
}

gboolean
tf_vault_reseal_grants (TfVault *self, const char *recipient, guint *n_resealed, GError **error)
{
  Reseal r = { self, recipient, 0 };

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);

  if (!tf_vault_atomic (self, reseal_body, &r, error))
    return FALSE;
  if (n_resealed != NULL)
    *n_resealed = r.n_resealed;
  return TRUE;
}
