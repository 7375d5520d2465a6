-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0003-locks-recovery.sql: locked session notes and recovery proofs
-- (DESIGN.md §5).
--
-- A therapist locks a note by signing it with their Ed25519 key: locked_at
-- and the signature (standard base64) over the note's canonical form are set
-- together, and a locked note never changes again (the sync server refuses
-- the change; every device checks the signature).
ALTER TABLE session_notes
  ADD COLUMN locked_at TIMESTAMP WITH TIME ZONE,
  ADD COLUMN signature TEXT,
  ADD CONSTRAINT session_notes_lock_signed CHECK ((locked_at IS NULL) = (signature IS NULL));

-- Account recovery from a logged-in device: the device proves it holds the
-- recovery key with a key derived from it (BLAKE2b, "tf1|recovery-auth");
-- the server keeps only its SHA-256, hex.  NULL for accounts made before.
ALTER TABLE user_keys ADD COLUMN recovery_auth_hash TEXT
  CHECK (recovery_auth_hash IS NULL OR recovery_auth_hash ~ '^[0-9a-f]{64}$');
