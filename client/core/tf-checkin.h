/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tf-checkin.h: the one write path of a check-in (a mood entry), shared by
 * the app and the CLI.
 *
 * A check-in is saved under an id its caller chose and keeps: the first
 * save of that id makes the record, every later one edits it.  So a form
 * that failed to save and is saved again, or is saved twice, never makes
 * a second check-in.  Each save is tf_vault_put: the record, its outbox
 * entry and the key grants it needs (mood shared with therapists) commit in
 * one transaction, or nothing does.
 */
#pragma once

#include "tf-vault.h"

G_BEGIN_DECLS

/* What a person said in one check-in. */
typedef struct
{
  int                mood;        /* 1–10 */
  int                energy;      /* 1–10 */
  int                anxiety;     /* 1–10 */
  const char * const *emotions;   /* keys ("calm"), NULL-terminated; NULL: none */
  const char * const *categories; /* NULL-terminated; NULL: none */
  const char        *notes;       /* NULL or "": none */
} TfCheckin;

/* Saves @checkin as the check-in @id of this account: a new one made now,
 * or, when @id is stored, an edit that keeps its creation time.  Nothing is
 * stored when it fails.  @out_plain (optional) receives the plain form
 * saved. */
gboolean tf_checkin_save   (TfVault          *vault,
                            const char       *id,
                            const TfCheckin  *checkin,
                            JsonObject      **out_plain,
                            GError          **error);

/* Deletes check-in @id of this account. */
gboolean tf_checkin_delete (TfVault          *vault,
                            const char       *id,
                            GError          **error);

G_END_DECLS
