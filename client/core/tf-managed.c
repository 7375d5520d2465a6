/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-managed.c: adding a managed client, writing in their name, and the
 * therapist's list and file of their clients (tf-managed.h).
 *
 * The client's keys are made here, on the therapist's device, the same
 * kinds registration makes; the server gets their public halves with the
 * client's account row (POST /v1/clients), and the device pins them at
 * once, so what it writes in the client's name verifies everywhere.  The
 * private halves and the master key live in the therapist's own
 * managed_clients record, encrypted under the therapist's keys and synced
 * to the therapist's other devices, which can write in the client's name
 * too.  Writing in the client's name is a vault of its own
 * (tf_vault_new_managed) beside the therapist's: the client's records are
 * encrypted under the client's keys and shared, as a registered client's
 * are, with the therapists in care (the grant to this therapist made and
 * signed by the client), and signed with the client's signing key.
 */
#define G_LOG_DOMAIN "tf-managed"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-account-private.h"
#include "tf-clients.h"
#include "tf-error.h"
#include "tf-managed.h"
#include "tf-time.h"
#include "tf-validate.h"
#include "tf-vault-private.h"

G_DEFINE_QUARK (tf-managed-error-quark, tf_managed_error)

static const TfTable *
table_of (const char *name)
{
  const TfTable *table = tf_registry_lookup (name);

  g_assert (table != NULL);
  return table;
}

static gboolean
require_therapist (TfVault *vault, GError **error)
{
  g_autofree char *role = tf_account_get (tf_vault_get_store (vault), "role");

  if (g_strcmp0 (role, "therapist") != 0 || tf_vault_get_principal (vault) != NULL)
    {
      g_set_error_literal (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_NOT_THERAPIST,
                           _("Only a therapist can add or invite clients"));
      return FALSE;
    }
  return TRUE;
}

/* --- checking what was typed ------------------------------------------------ */

static gboolean
invalid (GError **error, const char *field, const char *why)
{
  /* TRANSLATORS: "First name: is required", "AMKA: the check digit is wrong" */
  g_set_error (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_INVALID, _("%s: %s"), field, why);
  return FALSE;
}

static gboolean
blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static gboolean
check_length (const char *field, const char *text, guint max, GError **error)
{
  if (text != NULL && (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max))
    {
      g_autofree char *why = g_strdup_printf (g_dngettext (NULL, "at most %u character",
                                                           "at most %u characters", max), max);
      return invalid (error, field, why);
    }
  return TRUE;
}

/* Validates @text against column @column of client_details, as the vault
 * would before encrypting it, and words a failure for the field. */
static gboolean
check_detail (const char *field, const char *column, const char *text, GError **error)
{
  g_autoptr(GError) local = NULL;
  const TfTable *table = table_of ("client_details");

  if (text == NULL)
    return TRUE;
  if (!tf_validate_plaintext (table, tf_table_get_column (table, column), text, &local))
    {
      /* Its message names the column ("phone: ..."): the field's name instead. */
      const char *why = local->message;
      gsize n = strlen (column);

      if (strncmp (why, column, n) == 0 && strncmp (why + n, ": ", 2) == 0)
        why += n + 2;
      return invalid (error, field, why);
    }
  return TRUE;
}

static gboolean
check_birth_date (const char *text, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = NULL;
  int y, m, d;

  if (text == NULL)
    return TRUE;
  if (!tf_time_parse_date (text, &y, &m, &d, NULL))
    return invalid (error, _("Birth date"), _("a date as YYYY-MM-DD"));
  today = g_date_time_format (now, "%Y-%m-%d");
  /* Same width, so the strings sort as the dates do. */
  if (strcmp (text, today) > 0 || y < 1900)
    return invalid (error, _("Birth date"), _("not a birth date (in the future or before 1900)"));
  return TRUE;
}

gboolean
tf_managed_check (const TfManagedClient *c, GError **error)
{
  g_return_val_if_fail (c != NULL, FALSE);

  if (blank (c->first_name))
    return invalid (error, _("First name"), _("is required"));
  if (blank (c->last_name))
    return invalid (error, _("Last name"), _("is required"));
  return check_length (_("First name"), c->first_name, 100, error) &&
         check_length (_("Last name"), c->last_name, 100, error) &&
         check_detail (_("E-mail"), "email", c->email, error) &&
         check_detail (_("Phone"), "phone", c->phone, error) &&
         check_detail (_("Address"), "address", c->address, error) &&
         check_birth_date (c->birth_date, error) &&
         check_detail (_("Gender"), "gender", c->gender, error) &&
         check_detail (_("AMKA"), "amka", c->amka, error) &&
         check_length (_("Emergency contact"), c->emergency_name, 200, error) &&
         (c->emergency_phone == NULL || tf_validate_phone (c->emergency_phone, NULL) ||
          invalid (error, _("Emergency contact’s phone"), _("not a phone number"))) &&
         check_length (_("Emergency contact’s relationship"), c->emergency_relationship, 100,
                       error) &&
         check_length (_("Referral source"), c->referral_source, 500, error) &&
         check_length (_("Notes"), c->notes, TF_TEXT_MAX_CHARS, error);
}

/* --- adding ----------------------------------------------------------------- */

static void
set_optional (JsonObject *o, const char *member, const char *value)
{
  if (value != NULL && !blank (value))
    json_object_set_string_member (o, member, value);
  else
    json_object_set_null_member (o, member);
}

typedef struct
{
  TfVault               *vault;      /* the therapist's */
  TfVault               *managed;    /* in the client's name */
  const TfManagedClient *client;
  const char            *client_id;
  JsonObject            *keys;       /* the managed keys object */
} Add;

static gboolean
add_body (TfStore *store, gpointer data, GError **error)
{
  Add *a = data;
  const TfManagedClient *c = a->client;
  const char *me = tf_vault_get_user_id (a->vault);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = tf_time_format_timestamp (now);
  g_autofree char *care_id = g_uuid_string_random ();
  g_autoptr(JsonObject) file = json_object_new ();
  g_autoptr(JsonObject) profile = json_object_new ();
  g_autoptr(JsonObject) details = json_object_new ();
  g_autoptr(JsonObject) care = json_object_new ();
  g_autofree char *first = g_strstrip (g_strdup (c->first_name));
  g_autofree char *last = g_strstrip (g_strdup (c->last_name));

  /* The therapist's own file: the client's keys, the referral, notes. */
  json_object_set_string_member (file, "client_id", a->client_id);
  json_object_set_string_member (file, "therapist_id", me);
  json_object_set_object_member (file, "client_keys", json_object_ref (a->keys));
  set_optional (file, "referral_source", c->referral_source);
  set_optional (file, "notes", c->notes);
  json_object_set_null_member (file, "handed_over_at");
  json_object_set_string_member (file, "created_at", stamp);
  if (!tf_vault_put (a->vault, table_of ("managed_clients"), a->client_id, file, error))
    return FALSE;

  /* The client's own, in their name. */
  json_object_set_string_member (profile, "user_id", a->client_id);
  json_object_set_string_member (profile, "first_name", first);
  json_object_set_string_member (profile, "last_name", last);
  json_object_set_string_member (profile, "language", "el");
  json_object_set_string_member (profile, "timezone", "Europe/Athens");
  if (!tf_vault_put (a->managed, table_of ("profiles"), a->client_id, profile, error))
    return FALSE;

  json_object_set_string_member (details, "client_id", a->client_id);
  set_optional (details, "email", c->email);
  set_optional (details, "phone", c->phone);
  set_optional (details, "address", c->address);
  set_optional (details, "birth_date", c->birth_date);
  set_optional (details, "gender", c->gender);
  set_optional (details, "amka", c->amka);
  if (!blank (c->emergency_name) || !blank (c->emergency_phone) ||
      !blank (c->emergency_relationship))
    {
      JsonObject *contact = json_object_new ();

      set_optional (contact, "name", c->emergency_name);
      set_optional (contact, "phone", c->emergency_phone);
      set_optional (contact, "relationship", c->emergency_relationship);
      json_object_set_object_member (details, "emergency_contact", contact);
    }
  else
    json_object_set_null_member (details, "emergency_contact");
  json_object_set_string_member (details, "created_at", stamp);
  json_object_set_string_member (details, "updated_at", stamp);
  if (!tf_vault_put (a->managed, table_of ("client_details"), a->client_id, details, error))
    return FALSE;

  /* Last: the care relationship seals the details to the therapist. */
  json_object_set_string_member (care, "id", care_id);
  json_object_set_string_member (care, "therapist_id", me);
  json_object_set_string_member (care, "client_id", a->client_id);
  json_object_set_string_member (care, "status", "active");
  json_object_set_boolean_member (care, "share_mood", FALSE);
  json_object_set_boolean_member (care, "share_goals", FALSE);
  json_object_set_string_member (care, "started_at", stamp);
  json_object_set_null_member (care, "ended_at");
  json_object_set_null_member (care, "ended_by");
  return tf_vault_put (a->managed, table_of ("care_relationships"), care_id, care, error);
}

/* What tf_managed_add makes, step by step (tf-managed.h). */
struct _TfManagedNew
{
  char            *first_name, *last_name, *email, *phone, *address, *birth_date, *gender;
  char            *amka, *emergency_name, *emergency_phone, *emergency_relationship;
  char            *referral_source, *notes;
  TfManagedClient  client;       /* pointing at the copies above */
  char            *client_id;
  TfKeys          *keys;
  JsonObject      *keys_object;  /* the managed keys object */
};

void
tf_managed_new_free (TfManagedNew *self)
{
  if (self == NULL)
    return;
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->email);
  g_free (self->phone);
  g_free (self->address);
  g_free (self->birth_date);
  g_free (self->gender);
  g_free (self->amka);
  g_free (self->emergency_name);
  g_free (self->emergency_phone);
  g_free (self->emergency_relationship);
  g_free (self->referral_source);
  g_free (self->notes);
  g_free (self->client_id);
  g_clear_pointer (&self->keys, tf_keys_free);
  g_clear_pointer (&self->keys_object, json_object_unref);
  g_free (self);
}

/* A copy of @text, NULL for NULL or blank. */
static char *
dup_given (const char *text)
{
  return text != NULL && !blank (text) ? g_strdup (text) : NULL;
}

TfManagedNew *
tf_managed_new_prepare (TfVault *vault, const TfManagedClient *client, GError **error)
{
  TfManagedNew *self;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client != NULL, NULL);

  if (!require_therapist (vault, error) || !tf_managed_check (client, error))
    return NULL;
  self = g_new0 (TfManagedNew, 1);
  self->client.first_name = self->first_name = g_strdup (client->first_name);
  self->client.last_name = self->last_name = g_strdup (client->last_name);
  self->client.email = self->email = dup_given (client->email);
  self->client.phone = self->phone = dup_given (client->phone);
  self->client.address = self->address = dup_given (client->address);
  self->client.birth_date = self->birth_date = dup_given (client->birth_date);
  self->client.gender = self->gender = dup_given (client->gender);
  self->client.amka = self->amka = dup_given (client->amka);
  self->client.emergency_name = self->emergency_name = dup_given (client->emergency_name);
  self->client.emergency_phone = self->emergency_phone = dup_given (client->emergency_phone);
  self->client.emergency_relationship = self->emergency_relationship =
    dup_given (client->emergency_relationship);
  self->client.referral_source = self->referral_source = dup_given (client->referral_source);
  self->client.notes = self->notes = dup_given (client->notes);
  self->client_id = g_uuid_string_random ();
  self->keys = tf_keys_create_managed (&self->keys_object, error);
  if (self->keys == NULL)
    {
      tf_managed_new_free (self);
      return NULL;
    }
  return self;
}

gboolean
tf_managed_new_register (TfManagedNew *self, TfSyncClient *sync, GError **error)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) answer = NULL;

  g_return_val_if_fail (self != NULL && sync != NULL, FALSE);

  /* The client's account row: public keys only. */
  json_object_set_string_member (body, "client_id", self->client_id);
  json_object_set_string_member (body, "identity_public_key",
                                 tf_keys_get_identity_public (self->keys));
  json_object_set_string_member (body, "signing_public_key",
                                 tf_keys_get_signing_public (self->keys));
  json_object_set_string_member (body, "fingerprint",
                                 tf_json_get_string (self->keys_object, "fingerprint"));
  answer = tf_account_call (sync, "POST", "/v1/clients", body, error);
  return answer != NULL;
}

char *
tf_managed_new_finish (TfManagedNew *self, TfVault *vault, GError **error)
{
  g_autoptr(TfVault) managed = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  if (!tf_store_remember_key (tf_vault_get_store (vault), self->client_id,
                              tf_keys_get_identity_public (self->keys),
                              tf_keys_get_signing_public (self->keys),
                              tf_json_get_string (self->keys_object, "fingerprint"), NULL, error))
    return NULL;
  managed = tf_vault_new_managed (vault, self->client_id, tf_keys_copy (self->keys));
  {
    Add a = { vault, managed, &self->client, self->client_id, self->keys_object };

    if (!tf_vault_atomic (vault, add_body, &a, error))
      return NULL;
  }
  return g_strdup (self->client_id);
}

char *
tf_managed_add (TfVault *vault, const TfManagedClient *client, GError **error)
{
  g_autoptr(TfManagedNew) made = NULL;
  g_autoptr(TfSyncClient) sync = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client != NULL, NULL);

  made = tf_managed_new_prepare (vault, client, error);
  if (made == NULL)
    return NULL;
  sync = tf_account_new_sync_client (vault, error);
  if (sync == NULL || !tf_managed_new_register (made, sync, error))
    return NULL;
  return tf_managed_new_finish (made, vault, error);
}

/* --- writing in a managed client's name -------------------------------------- */

TfVault *
tf_managed_vault_for (TfVault *vault, const char *client_id, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(JsonObject) file = NULL;
  JsonNode *keys_node;
  TfKeys *keys;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  if (client_id == NULL || tf_vault_get_principal (vault) != NULL)
    return NULL;
  file = tf_vault_get (vault, table_of ("managed_clients"), client_id, &local);
  if (file == NULL)
    {
      if (!g_error_matches (local, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (g_strcmp0 (tf_json_get_string (file, "therapist_id"), tf_vault_get_user_id (vault)) != 0)
    return NULL;
  keys_node = json_object_get_member (file, "client_keys");
  if (keys_node == NULL || !JSON_NODE_HOLDS_OBJECT (keys_node))
    return NULL;
  keys = tf_keys_open_managed (json_node_get_object (keys_node), error);
  if (keys == NULL)
    return NULL;
  return tf_vault_new_managed (vault, client_id, keys);
}

/* --- the therapist's clients --------------------------------------------------- */

/* The list entry of @client_id from what this device holds. */
static JsonObject *
entry_for (TfVault *vault, const char *client_id, const char *status)
{
  JsonObject *o = json_object_new ();
  g_autoptr(JsonObject) profile = tf_vault_get (vault, table_of ("profiles"), client_id, NULL);
  g_autoptr(TfRecord) file = tf_store_get (tf_vault_get_store (vault),
                                           table_of ("managed_clients"), client_id, NULL);
  g_autofree char *name = tf_client_name_from_profile (profile);
  gboolean mine = file != NULL && !file->deleted &&
                  g_strcmp0 (tf_json_get_string (file->fields, "therapist_id"),
                             tf_vault_get_user_id (vault)) == 0;

  json_object_set_string_member (o, "id", client_id);
  set_optional (o, "first_name", profile ? tf_json_get_string (profile, "first_name") : NULL);
  set_optional (o, "last_name", profile ? tf_json_get_string (profile, "last_name") : NULL);
  json_object_set_string_member (o, "name", name != NULL ? name : _("Unknown client"));
  json_object_set_string_member (o, "status", status);
  json_object_set_boolean_member (o, "managed",
                                  mine && tf_json_get_string (file->fields, "client_keys") != NULL);
  json_object_set_boolean_member (o, "handed_over",
                                  mine && tf_json_get_string (file->fields,
                                                              "handed_over_at") != NULL);
  return o;
}

static const char *
text_or_empty (JsonObject *o, const char *member)
{
  const char *text = tf_json_get_string (o, member);

  return text != NULL ? text : "";
}

/* Last name, then first name, in the locale's order (Greek collation
 * under el_GR), case folded. */
static char *
sort_key_of (JsonObject *o)
{
  g_autofree char *text = g_strdup_printf ("%s\t%s", text_or_empty (o, "last_name"),
                                           text_or_empty (o, "first_name"));
  g_autofree char *folded = g_utf8_casefold (text, -1);

  return g_utf8_collate_key (folded, -1);
}

static gint
by_last_name (gconstpointer a, gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a, *y = *(JsonObject **) b;
  g_autofree char *kx = sort_key_of (x), *ky = sort_key_of (y);

  return strcmp (kx, ky);
}

GPtrArray *
tf_managed_list (TfVault *vault, GError **error)
{
  g_autoptr(GPtrArray) care = NULL;
  g_autoptr(GHashTable) status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *out;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);

  care = tf_store_list (tf_vault_get_store (vault), table_of ("care_relationships"),
                        "therapist_id", tf_vault_get_user_id (vault), error);
  if (care == NULL)
    return NULL;
  for (guint i = 0; i < care->len; i++)
    {
      TfRecord *r = g_ptr_array_index (care, i);
      const char *client = tf_json_get_string (r->fields, "client_id");
      const char *s = tf_json_get_string (r->fields, "status");

      /* A request not yet answered, or declined: never in care. */
      if (client == NULL || r->deleted || g_strcmp0 (s, "pending") == 0 ||
          g_strcmp0 (s, "declined") == 0)
        continue;
      /* One entry per client, active if any of their relationships is. */
      if (g_strcmp0 (g_hash_table_lookup (status, client), "active") != 0)
        g_hash_table_insert (status, g_strdup (client), g_strdup (s ? s : "ended"));
    }
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_hash_table_iter_init (&iter, status);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_ptr_array_add (out, entry_for (vault, key, value));
  g_ptr_array_sort (out, by_last_name);
  return out;
}

JsonObject *
tf_managed_show (TfVault *vault, const char *client_id, GError **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonObject) details = NULL;
  g_autoptr(JsonObject) file = NULL;
  JsonObject *o = NULL;

  g_return_val_if_fail (TF_IS_VAULT (vault), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  all = tf_managed_list (vault, error);
  if (all == NULL)
    return NULL;
  for (guint i = 0; i < all->len && o == NULL; i++)
    if (g_strcmp0 (tf_json_get_string (g_ptr_array_index (all, i), "id"), client_id) == 0)
      o = json_object_ref (g_ptr_array_index (all, i));
  if (o == NULL)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                   _("No client %s is in your care"), client_id);
      return NULL;
    }
  details = tf_vault_get (vault, table_of ("client_details"), client_id, NULL);
  for (const char * const *m = (const char * const[]) { "email", "phone", "address",
                                                        "birth_date", "gender", "amka", NULL };
       *m != NULL; m++)
    set_optional (o, *m, details ? tf_json_get_string (details, *m) : NULL);
  if (details != NULL && json_object_has_member (details, "emergency_contact"))
    json_object_set_member (o, "emergency_contact",
                            json_object_dup_member (details, "emergency_contact"));
  else
    json_object_set_null_member (o, "emergency_contact");
  file = tf_vault_get (vault, table_of ("managed_clients"), client_id, NULL);
  set_optional (o, "referral_source", file ? tf_json_get_string (file, "referral_source") : NULL);
  set_optional (o, "notes", file ? tf_json_get_string (file, "notes") : NULL);
  return o;
}
