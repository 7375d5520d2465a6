-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0006-encrypt-more.sql: journal titles and the emotions and categories of
-- a check-in are encrypted on the device (docs/encryption.md).  They now
-- hold "tf1:" envelopes, which neither the old length CHECK on the title nor
-- the json_valid() CHECKs on the JSON columns admit, and SQLite cannot drop
-- a CHECK: both tables are rebuilt without them, rows, ids and versions as
-- they were.  The rows' plaintext stays until the account is unlocked; the
-- vault then encrypts it and queues it for the server (tf-vault-legacy.c).
-- Plaintext is refused on every local write by the store's validation
-- (common/tf-validate.c), not here, because rows from before this step and
-- rows the server still holds from before must remain readable.

CREATE TABLE journal_entries_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  title TEXT,
  content TEXT CHECK (content IS NULL OR content LIKE 'tf1:%'),
  category TEXT CHECK (length(category) <= 100),
  mood_at_time INTEGER CHECK (mood_at_time BETWEEN 1 AND 10),
  is_private INTEGER DEFAULT 1 CHECK (is_private IN (0, 1)),
  therapist_shared INTEGER DEFAULT 0 CHECK (therapist_shared IN (0, 1)),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
INSERT INTO journal_entries_new (id, user_id, title, content, category, mood_at_time, is_private,
                                 therapist_shared, created_at, updated_at, enc_key, version,
                                 deleted_at, conflict_of)
  SELECT id, user_id, title, content, category, mood_at_time, is_private, therapist_shared,
         created_at, updated_at, enc_key, version, deleted_at, conflict_of
    FROM journal_entries;
DROP TABLE journal_entries;
ALTER TABLE journal_entries_new RENAME TO journal_entries;
CREATE INDEX journal_entries_user_date ON journal_entries (user_id, created_at DESC);

CREATE TABLE mood_entries_new (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  mood_value INTEGER CHECK (mood_value BETWEEN 1 AND 10),
  energy_level INTEGER CHECK (energy_level BETWEEN 1 AND 10),
  anxiety_level INTEGER CHECK (anxiety_level BETWEEN 1 AND 10),
  categories TEXT,
  emotions TEXT,
  notes TEXT CHECK (notes IS NULL OR notes LIKE 'tf1:%'),
  created_at TEXT NOT NULL,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
INSERT INTO mood_entries_new (id, user_id, mood_value, energy_level, anxiety_level, categories,
                              emotions, notes, created_at, enc_key, version, deleted_at,
                              conflict_of)
  SELECT id, user_id, mood_value, energy_level, anxiety_level, categories, emotions, notes,
         created_at, enc_key, version, deleted_at, conflict_of
    FROM mood_entries;
DROP TABLE mood_entries;
ALTER TABLE mood_entries_new RENAME TO mood_entries;
CREATE INDEX mood_entries_user_date ON mood_entries (user_id, created_at DESC);
