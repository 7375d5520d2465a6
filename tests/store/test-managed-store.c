/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-managed-store.c: a managed client's records on the therapist's
 * device, and their keys (issue 12; docs/encryption.md, "Managed clients
 * and the hand-over"), without a server: what was typed is checked before
 * anything is made; the personal details are ciphertext in the SQLite file
 * and open for the therapist only through the grant the client's keys
 * signed; the therapist's file holds the client's keys encrypted; a
 * client's keys sealed for an invitation open with its secret alone, and
 * an account that takes them over re-keys the records under its own keys.
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tf-crypto.h"
#include "tf-error.h"
#include "tf-keys.h"
#include "tf-managed.h"
#include "tf-store.h"
#include "tf-vault.h"

#define THERAPIST "8e1d9c3a-2b4f-4c6d-9e8f-1a2b3c4d5e6f"
#define AMKA      "12048512342"
#define PHONE     "2107654321"
#define ADDRESS   "Οδός Αθηνάς 12, Αθήνα"

static TfKeys *
new_account_keys (JsonObject **out_keys)
{
  g_autoptr(JsonObject) kdf = tf_keys_new_kdf (TF_KEYS_KDF_OPSLIMIT_FLOOR,
                                               TF_KEYS_KDF_MEMLIMIT_FLOOR);
  g_autoptr(TfSecret) auth = NULL, kek = NULL;
  g_autofree char *recovery = NULL;
  g_autoptr(GError) error = NULL;
  TfKeys *keys;

  g_assert_true (tf_keys_derive (kdf, "σωστός κωδικός", &auth, &kek, &error));
  keys = tf_keys_create (kdf, kek, out_keys, &recovery, NULL, &error);
  g_assert_no_error (error);
  return keys;
}

typedef struct
{
  char    *dir;
  char    *path;
  TfStore *store;
  TfVault *vault;  /* the therapist's */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) keys_object = NULL;
  const char *names[] = { "account.role", NULL };
  const char *values[] = { "therapist", NULL };

  f->dir = g_dir_make_tmp ("tf-managed-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "therapist.db", NULL);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_set_state (f->store, names, values, &error));
  f->vault = tf_vault_new (f->store, THERAPIST, new_account_keys (&keys_object));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->vault);
  g_clear_object (&f->store);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Adds a managed client without the server (the account row is the
 * server's; everything on the device is this). */
static char *
add_offline (Fixture *f, const TfManagedClient *client)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfManagedNew) made = tf_managed_new_prepare (f->vault, client, &error);
  char *id;

  g_assert_no_error (error);
  id = tf_managed_new_finish (made, f->vault, &error);
  g_assert_no_error (error);
  return id;
}

/* @text is in neither the database file nor its write-ahead log. */
static void
assert_not_in_files (Fixture *f, const char *text)
{
  const char *suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &contents, &len, NULL))
        continue;
      g_assert_null (memmem (contents, len, text, strlen (text)));
    }
}

static void
assert_invalid (const TfManagedClient *client, const char *field)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tf_managed_check (client, &error));
  g_assert_error (error, TF_MANAGED_ERROR, TF_MANAGED_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, field));
}

/* Names required; e-mail, phone, birth date and AMKA as the formats say. */
static void
test_check (void)
{
  TfManagedClient ok = { .first_name = "Μαρία", .last_name = "Νικολάου", .amka = AMKA,
                         .phone = PHONE, .birth_date = "1985-04-12",
                         .email = "maria@example.org" };
  TfManagedClient c;

  g_assert_true (tf_managed_check (&ok, NULL));
  c = ok;
  c.first_name = "  ";
  assert_invalid (&c, "First name");
  c = ok;
  c.amka = "12048512343";  /* the check digit is wrong */
  assert_invalid (&c, "AMKA");
  c = ok;
  c.birth_date = "2999-01-01";
  assert_invalid (&c, "Birth date");
  c = ok;
  c.birth_date = "12/04/1985";
  assert_invalid (&c, "Birth date");
  c = ok;
  c.email = "maria";
  assert_invalid (&c, "E-mail");
  c = ok;
  c.phone = "τηλέφωνο";
  assert_invalid (&c, "Phone");
}

/* The details are ciphertext on disk, opened through the client's grant;
 * the therapist's file holds the client's keys, encrypted too. */
static void
test_details_encrypted (Fixture *f, gconstpointer data)
{
  TfManagedClient client = { .first_name = "Μαρία", .last_name = "Νικολάου", .amka = AMKA,
                             .phone = PHONE, .address = ADDRESS, .birth_date = "1985-04-12",
                             .notes = "σημείωση του θεραπευτή" };
  g_autofree char *id = add_offline (f, &client);
  g_autoptr(JsonObject) shown = NULL;
  g_autoptr(TfRecord) details = NULL, file = NULL;
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GError) error = NULL;
  gboolean granted = FALSE;

  shown = tf_managed_show (f->vault, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (shown, "amka"), ==, AMKA);
  g_assert_cmpstr (json_object_get_string_member (shown, "address"), ==, ADDRESS);
  g_assert_cmpstr (json_object_get_string_member (shown, "status"), ==, "active");
  g_assert_true (json_object_get_boolean_member (shown, "managed"));

  /* Stored: envelopes only, under the client's key, not the therapist's. */
  details = tf_store_get (f->store, tf_registry_lookup ("client_details"), id, &error);
  g_assert_no_error (error);
  g_assert_true (tf_crypto_is_envelope (tf_json_get_string (details->fields, "amka")));
  g_assert_true (tf_crypto_is_envelope (tf_json_get_string (details->fields, "birth_date")));
  g_assert_null (tf_keys_open_data_key (tf_vault_get_keys (f->vault),
                                        tf_json_get_string (details->fields, "enc_key"), NULL));
  grants = tf_store_list (f->store, tf_registry_lookup ("key_grants"), "record_id", id, &error);
  for (guint i = 0; i < grants->len; i++)
    {
      TfRecord *g = g_ptr_array_index (grants, i);

      if (g_strcmp0 (tf_json_get_string (g->fields, "table_name"), "client_details") == 0 &&
          g_strcmp0 (tf_json_get_string (g->fields, "owner_id"), id) == 0 &&
          g_strcmp0 (tf_json_get_string (g->fields, "recipient_id"), THERAPIST) == 0)
        granted = TRUE;
    }
  g_assert_true (granted);
  file = tf_store_get (f->store, tf_registry_lookup ("managed_clients"), id, &error);
  g_assert_no_error (error);
  g_assert_true (tf_crypto_is_envelope (tf_json_get_string (file->fields, "client_keys")));
  assert_not_in_files (f, AMKA);
  assert_not_in_files (f, PHONE);
  assert_not_in_files (f, "1985-04-12");
  assert_not_in_files (f, "σημείωση του θεραπευτή");
}

/* Once the therapist's file no longer holds the client's keys (the
 * hand-over), nothing is written in the client's name any more. */
static void
test_no_keys_no_writing_as_client (Fixture *f, gconstpointer data)
{
  TfManagedClient client = { .first_name = "Άννα", .last_name = "Κωνσταντίνου" };
  g_autofree char *id = add_offline (f, &client);
  g_autoptr(TfVault) managed = NULL;
  g_autoptr(JsonObject) file = NULL;
  g_autoptr(GError) error = NULL;

  managed = tf_managed_vault_for (f->vault, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (managed);
  g_assert_cmpstr (tf_vault_get_user_id (managed), ==, id);
  g_clear_object (&managed);

  file = tf_vault_get (f->vault, tf_registry_lookup ("managed_clients"), id, &error);
  g_assert_no_error (error);
  json_object_set_null_member (file, "client_keys");
  json_object_set_string_member (file, "handed_over_at", "2026-12-01T10:00:00Z");
  g_assert_true (tf_vault_put (f->vault, tf_registry_lookup ("managed_clients"), id, file,
                               &error));
  managed = tf_managed_vault_for (f->vault, id, &error);
  g_assert_no_error (error);
  g_assert_null (managed);
}

/* An invitation's bundle opens with its secret alone; the account that
 * takes the keys over opens what they wrapped, and re-keys it. */
static void
test_invite_keys (void)
{
  g_autoptr(JsonObject) managed_object = NULL, bundle = NULL, keys_object = NULL;
  g_autoptr(JsonObject) adopted = NULL, rotation = NULL;
  g_autoptr(TfKeys) managed = tf_keys_create_managed (&managed_object, NULL);
  g_autoptr(TfKeys) opened = NULL, wrong = NULL, account = NULL;
  g_autoptr(TfSecret) secret = tf_keys_new_invite_secret ();
  g_autoptr(TfSecret) other = tf_keys_new_invite_secret ();
  g_autoptr(TfSecret) data_key = NULL, again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *enc_key = NULL, *id = tf_keys_invite_id (secret);
  g_autofree char *code = tf_crypto_recovery_key_encode (secret);
  const char *user = "0b6f4e2d-7c1a-4d3e-8f9a-6b5c4d3e2f1a";

  g_assert_true (g_uuid_string_is_valid (id));
  bundle = tf_keys_seal_invite (managed, secret, &error);
  g_assert_no_error (error);
  /* Nothing of the secret or the master key is in the bundle. */
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), bundle);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_null (strstr (text, json_object_get_string_member (managed_object, "master_key")));
    g_assert_null (strstr (text, code));
  }
  wrong = tf_keys_open_invite (bundle, other, &error);
  g_assert_null (wrong);
  g_assert_error (error, TF_CRYPTO_ERROR, TF_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);
  opened = tf_keys_open_invite (bundle, secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_keys_get_signing_public (opened), ==, tf_keys_get_signing_public (managed));

  /* A record's key under the managed master: opened after the adoption
   * only as a previous master's (to be re-keyed). */
  data_key = tf_keys_new_data_key (managed, &enc_key, &error);
  account = new_account_keys (&keys_object);
  g_assert_null (tf_keys_open_previous_data_key (account, enc_key));
  g_assert_true (tf_keys_adopt (account, keys_object, opened, user, &adopted, &rotation,
                                &error));
  g_assert_no_error (error);
  g_assert_true (tf_keys_verify_rotation (user, rotation, &error));
  g_assert_no_error (error);
  g_assert_null (tf_keys_open_data_key (account, enc_key, NULL));
  again = tf_keys_open_previous_data_key (account, enc_key);
  g_assert_nonnull (again);
  g_assert_cmpmem (tf_secret_get_data (again), tf_secret_get_size (again),
                   tf_secret_get_data (data_key), tf_secret_get_size (data_key));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tf/managed/check", test_check);
  g_test_add ("/tf/managed/details-encrypted", Fixture, NULL, fixture_set_up,
              test_details_encrypted, fixture_tear_down);
  g_test_add ("/tf/managed/no-keys-no-writing-as-client", Fixture, NULL, fixture_set_up,
              test_no_keys_no_writing_as_client, fixture_tear_down);
  g_test_add_func ("/tf/managed/invite-keys", test_invite_keys);
  return g_test_run ();
}
