-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0014-key-rotations.sql: identity and signing keys replaced on request
-- (issue 19, plan item 8; docs/encryption.md, "Rotation").
--
-- POST /v1/keys/rotate replaces a user's key pairs in user_keys only with a
-- statement signed by the old signing key (and by the new one): the server
-- checks both signatures before it writes, and keeps the statement here, in
-- order, so devices that pinned an older key can check the chain from the
-- keys they pinned to the keys served now.  A key replaced in user_keys by
-- anyone else (an operator's UPDATE) has no such chain, and devices tell
-- their users so instead of taking it as a rotation.
--
-- previous_keys is what the account's own devices need after a rotation
-- elsewhere: the old identity secrets, wrapped by the master key as before,
-- still open grants that others sealed to them until they seal again; it is
-- served in the login answer's "keys" like the other wrapped keys.

CREATE TABLE user_key_rotations (
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL CHECK (seq >= 1),
  old_identity_public_key TEXT NOT NULL,
  old_signing_public_key TEXT NOT NULL,
  old_fingerprint TEXT NOT NULL,
  identity_public_key TEXT NOT NULL,
  signing_public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  signature_by_old TEXT NOT NULL CHECK (length(signature_by_old) <= 200),
  signature_by_new TEXT NOT NULL CHECK (length(signature_by_new) <= 200),
  rotated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (user_id, seq)
);

ALTER TABLE user_keys
  ADD COLUMN previous_keys JSONB NOT NULL DEFAULT '[]'::jsonb
    CHECK (jsonb_typeof(previous_keys) = 'array');
