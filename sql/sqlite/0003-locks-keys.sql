-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0003-locks-keys.sql: locked session notes and the public keys this device
-- has looked up (DESIGN.md §5).

ALTER TABLE session_notes ADD COLUMN locked_at TEXT;
ALTER TABLE session_notes ADD COLUMN signature TEXT;

-- Other users' public keys, fetched from /v1/keys/{id} or the therapist
-- directory, so that sharing works offline once a key is known.
CREATE TABLE known_keys (
  user_id TEXT PRIMARY KEY NOT NULL,
  identity_public_key TEXT NOT NULL,
  signing_public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  email TEXT,
  fetched_at TEXT NOT NULL
) STRICT;
