-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0014-verified-keys.sql: safety numbers a person compared with someone
-- and marked verified, and the keys the server presents for someone that
-- differ from the ones this device pinned (docs/encryption.md, "Safety
-- numbers").  Both are this device's own knowledge and never sync: a
-- server must not be able to mark anyone verified or hide a key change.
--
-- A mark holds the safety number that was verified (tf-safety.h), not a
-- yes/no, so it stops counting by itself when either side's keys change.
-- A key change keeps the old keys in known_keys (nothing is shared with
-- the new ones) until the person compares the new safety number and
-- accepts it (tf_store_accept_key_change).

CREATE TABLE verified_keys (
  user_id TEXT PRIMARY KEY NOT NULL,
  safety_number TEXT NOT NULL,
  verified_at TEXT NOT NULL
) STRICT;

CREATE TABLE key_changes (
  user_id TEXT PRIMARY KEY NOT NULL,
  old_fingerprint TEXT NOT NULL,
  identity_public_key TEXT NOT NULL,   -- the keys the server presents now
  signing_public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  first_seen_at TEXT NOT NULL,
  seen_at TEXT NOT NULL
) STRICT;
