/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-journal.h: the write paths of a journal entry, shared by the app and
 * the CLI.
 *
 * As a check-in (tf-checkin.h), an entry is saved under an id its caller
 * chose and keeps: the first save makes it, every later one edits it, so a
 * form saved again after an error never makes a second entry.  Each save
 * is one tf_vault_put: the entry, its outbox entry and the key grants that
 * share it with the account's therapists (or the re-key that stops
 * sharing it) commit in one transaction, or nothing does.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* What a save of an entry says.  NULL members stay as stored (a new entry:
 * none); "" removes a title or category. */
typedef struct
{
  const char *title;
  const char *content;   /* the text, encrypted */
  const char *category;
  int         shared;    /* TRUE: shared with the therapists; FALSE: private;
                          * -1: as stored (a new entry: private) */
} TfJournalEntry;

/* Saves @entry as journal entry @id of this account: a new one made now,
 * or, when @id is stored, an edit of it (its creation time kept).  An
 * entry shared with this account is refused (TF_VAULT_ERROR_NOT_OWNER).
 * Nothing is stored when it fails.  @out_plain (optional) receives the
 * plain form saved. */
gboolean tf_journal_save   (TfVault              *vault,
                            const char           *id,
                            const TfJournalEntry *entry,
                            JsonObject          **out_plain,
                            GError              **error);

/* Deletes journal entry @id of this account (TF_VAULT_ERROR_NOT_OWNER for
 * one shared with it) and its grants. */
gboolean tf_journal_delete (TfVault              *vault,
                            const char           *id,
                            GError              **error);

G_END_DECLS
