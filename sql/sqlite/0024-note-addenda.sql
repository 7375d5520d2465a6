-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0024-note-addenda.sql: addenda to locked session notes on the device
-- (issue 12; sql/postgres/0020-note-addenda.sql says what they are).

CREATE TABLE note_addenda (
  id TEXT PRIMARY KEY NOT NULL,
  note_id TEXT NOT NULL,
  therapist_id TEXT NOT NULL,
  content TEXT CHECK (content IS NULL OR content LIKE 'tf1:%'),
  created_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  locked_at TEXT,
  signature TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT,
  CHECK ((locked_at IS NULL) = (signature IS NULL))
) STRICT;
CREATE INDEX note_addenda_note ON note_addenda (note_id);
