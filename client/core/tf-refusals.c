/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-refusals.c: the list of refused records, for people (issue 19;
 * docs/encryption.md, "What a device refuses, and how the user is told").
 *
 * The store keeps a row per refused record (tf-store-refused.c): its table,
 * id, version, a short code and the check's sentence.  Here each becomes a
 * TfRefusal that says what the record is ("Mood check-in"), whose it is
 * said to be, and why it was refused ("Changed after its author signed
 * it").  Whose is read from what this device holds of the record — the
 * copy it kept when the server's was refused, or the refused grant itself,
 * which stays in the store unused — or, for a record never held, from the
 * user the server's copy named (sync_refused.claimed_by); it is named by
 * the person's profile or the e-mail their keys came with, and said to be
 * someone whose keys this device does not know when it has not pinned
 * them: only the server says it is theirs.
 */
#define G_LOG_DOMAIN "tf-refusals"

#include "config.h"

#include <glib/gi18n.h>

#include "tf-refusals.h"
#include "tf-store.h"

struct _TfRefusal
{
  GObject  parent_instance;
  char    *table;       /* the store's table name */
  char    *record_id;
  char    *code;        /* the check's short code, e.g. "bad_signature" */
  char    *message;     /* the check's sentence */
  char    *refused_at;  /* RFC 3339 */
  char    *whose;       /* a name, "You", or NULL */
  char    *author_id;   /* the user it is said to be from, or NULL */
  gboolean author_known; /* this account, or keys this device pinned */
};

G_DEFINE_FINAL_TYPE (TfRefusal, tf_refusal, G_TYPE_OBJECT)

static void
tf_refusal_finalize (GObject *object)
{
  TfRefusal *self = TF_REFUSAL (object);

  g_free (self->table);
  g_free (self->record_id);
  g_free (self->code);
  g_free (self->message);
  g_free (self->refused_at);
  g_free (self->whose);
  g_free (self->author_id);
  G_OBJECT_CLASS (tf_refusal_parent_class)->finalize (object);
}

static void
tf_refusal_class_init (TfRefusalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_refusal_finalize;
}

static void
tf_refusal_init (TfRefusal *self)
{
}

const char *
tf_refusal_get_table (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return self->table;
}

const char *
tf_refusal_get_record_id (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return self->record_id;
}

const char *
tf_refusal_get_code (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return self->code;
}

const char *
tf_refusal_get_refused_at (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return self->refused_at;
}

const char *
tf_refusal_get_message (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return self->message;
}

const char *
tf_refusal_get_whose (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return self->whose;
}

const char *
tf_refusal_get_author_id (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);

  return self->author_id;
}

gboolean
tf_refusal_get_author_known (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), FALSE);

  return self->author_known;
}

const char *
tf_refusal_get_what (TfRefusal *self)
{
  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  return tf_refusals_describe_table (self->table);
}

const char *
tf_refusal_get_why (TfRefusal *self)
{
  const char *why;

  g_return_val_if_fail (TF_IS_REFUSAL (self), NULL);
  why = tf_refusals_describe_code (self->code);
  return why != NULL ? why : self->message;
}

/* --- words ----------------------------------------------------------------- */

static const struct
{
  const char *table;
  const char *words;
} table_words[] = {
  { "profiles", N_("Profile") },
  { "therapists", N_("Therapist’s profile") },
  { "therapist_availability", N_("Working hours") },
  { "therapist_blocked_dates", N_("Days off") },
  { "services", N_("Service") },
  { "therapist_services", N_("Price of a service") },
  { "appointments", N_("Appointment") },
  { "sessions", N_("Session") },
  { "client_intakes", N_("Intake") },
  { "treatment_plans", N_("Treatment plan") },
  { "session_notes", N_("Session note") },
  { "client_histories", N_("History") },
  { "mood_entries", N_("Mood check-in") },
  { "journal_entries", N_("Journal entry") },
  { "goals", N_("Goal") },
  { "goal_progress", N_("Goal done") },
  { "care_relationships", N_("Care relationship") },
  { "key_grants", N_("Key grant") },
};

const char *
tf_refusals_describe_table (const char *table_name)
{
  for (guint i = 0; i < G_N_ELEMENTS (table_words); i++)
    if (g_strcmp0 (table_words[i].table, table_name) == 0)
      return _(table_words[i].words);
  return _("Record");
}

static const struct
{
  const char *code;
  const char *words;
} code_words[] = {
  { "unsigned", N_("Not signed by its author") },
  { "bad_signature", N_("Changed after its author signed it") },
  { "wrong_signer", N_("Signed by someone who did not write it") },
  { "rolled_back", N_("An older version than one this device already has") },
  { "grant_unsigned", N_("Not signed by the person who shares it") },
  { "grant_forged", N_("Forged: made or changed on the server") },
  { "grant_signer_unknown", N_("Signed with keys not known or not verified here: their keys "
                               "may have changed") },
  { "grant_rolled_back", N_("An older grant than one this device already has") },
};

const char *
tf_refusals_describe_code (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (code_words); i++)
    if (g_strcmp0 (code_words[i].code, code) == 0)
      return _(code_words[i].words);
  return NULL;
}

/* --- whose ----------------------------------------------------------------- */

/* The user the held copy of @table's record @id belongs to, or NULL. */
static char *
dup_party (TfStore *store, const char *table_name, const char *id)
{
  const TfTable *t = tf_registry_lookup (table_name);
  g_autoptr(TfRecord) held = t != NULL ? tf_store_get (store, t, id, NULL) : NULL;
  const char *columns[3];

  if (held == NULL)
    return NULL;
  columns[0] = t->owner_column;
  columns[1] = t->client_column;
  columns[2] = t->therapist_column;
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const char *party = columns[i] != NULL ? tf_json_get_string (held->fields, columns[i])
                                             : NULL;

      if (party != NULL)
        return g_strdup (party);
    }
  return NULL;
}

/* @user_id's name as this device knows it, or their e-mail, or NULL. */
static char *
dup_name (TfVault *vault, const char *user_id)
{
  g_autoptr(GPtrArray) profiles = NULL;
  g_autoptr(JsonObject) key = NULL;

  if (g_strcmp0 (user_id, tf_vault_get_user_id (vault)) == 0)
    return g_strdup (_("You"));
  profiles = tf_vault_list (vault, tf_registry_lookup ("profiles"), "user_id", user_id, NULL);
  for (guint i = 0; profiles != NULL && i < profiles->len; i++)
    {
      JsonObject *p = g_ptr_array_index (profiles, i);
      const char *first = tf_json_get_string (p, "first_name");
      const char *last = tf_json_get_string (p, "last_name");
      g_autofree char *joined = g_strstrip (g_strdup_printf ("%s %s", first ?: "", last ?: ""));

      if (*joined != '\0')
        return g_steal_pointer (&joined);
    }
  key = tf_store_lookup_key (tf_vault_get_store (vault), user_id, NULL);
  return key != NULL ? g_strdup (tf_json_get_string (key, "email")) : NULL;
}

GListModel *
tf_refusals_list (TfVault *vault, GError **error)
{
  g_autoptr(JsonArray) rows = NULL;
  GListStore *out;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  rows = tf_store_list_refused (tf_vault_get_store (vault), error);
  if (rows == NULL)
    return NULL;
  out = g_list_store_new (TF_TYPE_REFUSAL);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *r = json_array_get_object_element (rows, i);
      g_autoptr(TfRefusal) refusal = g_object_new (TF_TYPE_REFUSAL, NULL);
      g_autofree char *party = NULL;

      refusal->table = g_strdup (tf_json_get_string (r, "table"));
      refusal->record_id = g_strdup (tf_json_get_string (r, "id"));
      refusal->code = g_strdup (tf_json_get_string (r, "code"));
      refusal->message = g_strdup (tf_json_get_string (r, "message"));
      refusal->refused_at = g_strdup (tf_json_get_string (r, "refused_at"));
      party = dup_party (tf_vault_get_store (vault), refusal->table, refusal->record_id);
      /* Never held: whose the server's copy said it was. */
      if (party == NULL)
        party = g_strdup (tf_json_get_string (r, "claimed_by"));
      if (party != NULL)
        {
          g_autoptr(JsonObject) key = tf_store_lookup_key (tf_vault_get_store (vault), party,
                                                           NULL);

          refusal->whose = dup_name (vault, party);
          refusal->author_known = key != NULL ||
                                  g_strcmp0 (party, tf_vault_get_user_id (vault)) == 0;
          refusal->author_id = g_steal_pointer (&party);
        }
      g_list_store_append (out, refusal);
    }
  return G_LIST_MODEL (out);
}
