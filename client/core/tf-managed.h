/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-managed.h: clients a therapist adds who have no app account yet
 * ("managed clients", issue 12; docs/encryption.md, "Managed clients and
 * the hand-over") — adding one, the therapist's list and file of their
 * clients, writing in a managed client's name, and the invitation that
 * hands the client's records over to an account of their own.
 *
 * One write path per user action, for the app and the CLI alike.  Adding
 * and inviting need the server (it makes the client's account row, and
 * keeps the invitation); everything else works offline.
 */
#pragma once

#include "tf-sync-client.h"
#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_MANAGED_ERROR (tf_managed_error_quark ())

typedef enum
{
  TF_MANAGED_ERROR_NOT_THERAPIST,  /* only a therapist adds or invites clients */
  TF_MANAGED_ERROR_NOT_MANAGED,    /* not a client this therapist manages (any more) */
  TF_MANAGED_ERROR_INVALID,        /* a field as typed is not valid (the message says which) */
  TF_MANAGED_ERROR_INVITE_UNKNOWN, /* no such invitation (or a mistyped code) */
  TF_MANAGED_ERROR_INVITE_EXPIRED, /* the invitation is too old: ask for a new one */
  TF_MANAGED_ERROR_INVITE_USED,    /* the invitation was used already */
} TfManagedError;

GQuark tf_managed_error_quark (void);

/* What a therapist types of a new client; every member may be NULL but the
 * names.  @birth_date "YYYY-MM-DD"; @amka the 11 digits of the Greek social
 * security number. */
typedef struct
{
  const char *first_name;
  const char *last_name;
  const char *email;
  const char *phone;
  const char *address;
  const char *birth_date;
  const char *gender;
  const char *amka;
  const char *emergency_name;
  const char *emergency_phone;
  const char *emergency_relationship;
  const char *referral_source;
  const char *notes;
} TfManagedClient;

/* Checks @client as typed, before anything is made: the names, the formats
 * (e-mail, phone, birth date not in the future, AMKA) and the lengths.
 * FALSE with TF_MANAGED_ERROR_INVALID, its message translated and naming
 * the field. */
gboolean    tf_managed_check        (const TfManagedClient *client,
                                     GError               **error);

/* Adds a managed client of @vault's account (a therapist): new keys for
 * the client (tf_keys_create_managed), the client's account row on the
 * server (POST /v1/clients: no e-mail, no password, only the public keys),
 * then, in one transaction and one atomic group, the therapist's file on
 * the client (managed_clients, the client's keys in it), and, in the
 * client's name (signed with the client's keys), their profile, their
 * personal details (client_details, all encrypted) and an active care
 * relationship with the therapist.  Returns the client's user id. */
char       *tf_managed_add          (TfVault               *vault,
                                     const TfManagedClient *client,
                                     GError               **error);

/* tf_managed_add() in its three steps, for the app, which does the
 * network part in a worker thread: prepare (checks, keys; on the vault's
 * thread), register (the server's account row; any thread, no vault),
 * finish (pins the keys and writes; on the vault's thread; returns the
 * client's id). */
typedef struct _TfManagedNew TfManagedNew;

TfManagedNew *tf_managed_new_prepare  (TfVault               *vault,
                                       const TfManagedClient *client,
                                       GError               **error);
gboolean      tf_managed_new_register (TfManagedNew          *self,
                                       TfSyncClient          *sync,
                                       GError               **error);
char         *tf_managed_new_finish   (TfManagedNew          *self,
                                       TfVault               *vault,
                                       GError               **error);
void          tf_managed_new_free     (TfManagedNew          *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfManagedNew, tf_managed_new_free)

/* The vault that writes in the name of @client_id, a managed client of
 * @vault's account (tf_vault_new_managed), or NULL without an error when
 * this account does not manage them (any more: after the hand-over). */
TfVault    *tf_managed_vault_for    (TfVault               *vault,
                                     const char            *client_id,
                                     GError               **error);

/* The therapist's clients (JsonObject*), by last name: {id, first_name,
 * last_name, name, status ("active" or "ended": the care relationship),
 * managed (TRUE while the therapist writes in the client's name),
 * handed_over (TRUE once the client took over with an invitation)}. */
GPtrArray  *tf_managed_list         (TfVault               *vault,
                                     GError               **error);

/* One client of the therapist: what tf_managed_list gives, and, where this
 * device can open them, the details {email, phone, address, birth_date,
 * gender, amka, emergency_contact {name, phone, relationship}} and, of the
 * therapist's file, referral_source and notes.  An unknown client fails
 * with TF_STORE_ERROR_NOT_FOUND. */
JsonObject *tf_managed_show         (TfVault               *vault,
                                     const char            *client_id,
                                     GError               **error);

/* --- the invitation (tf-managed-invite.c) --------------------------------- */

/* An invitation for @client_id, a managed client of @vault's account: the
 * code to give the client (printed like a recovery key; it carries the
 * secret the server never learns), and in @out_expires (may be NULL) when
 * it expires.  The server keeps the client's keys sealed under it for the
 * client to take over.  Needs the server.  TF_MANAGED_ERROR_NOT_MANAGED
 * for a client this account does not (or no longer) manage. */
char       *tf_managed_invite       (TfVault               *vault,
                                     const char            *client_id,
                                     char                 **out_expires,
                                     GError               **error);

/* Registers this profile (which has no account yet) as the managed client
 * whose invitation @code is: their id, their records and their care, under
 * new keys made here from @password; the recovery key in
 * @out_recovery_text, to show once.  Then syncs once, which re-keys the
 * client's records under the new keys (tf_managed_settle).  A mistyped or
 * unknown code fails with TF_MANAGED_ERROR_INVITE_UNKNOWN, an old one with
 * _INVITE_EXPIRED, a used one with _INVITE_USED, and nothing is kept. */
gboolean    tf_managed_register_invited (TfStore           *store,
                                         const char        *server_url,
                                         const char        *email,
                                         const char        *password,
                                         const char        *code,
                                         const char        *device_name,
                                         char             **out_recovery_text,
                                         GError           **error);

/* After a sync (tf_account_settle): a client's account that took over
 * re-keys what is still under the managed keys (tf_vault_rekey_adopted); a
 * therapist's notices each client who took over since (their keys on the
 * server signed over from the managed ones), pins the new keys, seals its
 * own grants to them again and drops the client's keys from its file. */
gboolean    tf_managed_settle       (TfVault               *vault,
                                     GError               **error);

G_END_DECLS
