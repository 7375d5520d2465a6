-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0018-drafts.sql: what a person typed into a form and did not save yet,
-- kept through a lock (manual or idle) so it is back after the unlock
-- (client/core/tf-drafts.h).  Never synced: a draft belongs to this device
-- and the moment, not to the record.
--
-- One draft per (account, form, record): form is the registry's table the
-- form writes ("session_notes", "journal_entries" ...), record_key the id
-- of the record being edited or a form's key for a new one ("new:" and
-- what the new record belongs to, e.g. the appointment of a new note).
-- content is always a "tf1:" envelope, XChaCha20-Poly1305 under a key
-- derived from the account's master key, bound to the account, form and
-- record: the file shows which forms had a draft and when, never what
-- was typed.

CREATE TABLE drafts (
  account_id TEXT NOT NULL,
  form TEXT NOT NULL,
  record_key TEXT NOT NULL,
  content TEXT NOT NULL CHECK (content LIKE 'tf1:%'),
  saved_at TEXT NOT NULL,
  PRIMARY KEY (account_id, form, record_key)
) STRICT;
