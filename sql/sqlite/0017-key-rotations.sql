-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0017-key-rotations.sql: other people's key rotations as this device
-- sees them (docs/encryption.md, "Rotation").  Never synced.
--
-- key_changes.rotation_signed: 1 when the server showed, with the new keys,
-- a chain of rotation statements from the keys this device pinned to them,
-- each signed by the key before and the key after; 0 for keys that just
-- changed (an operator's replacement, or a reset): the person is told
-- which.  Either way nothing is shared with the new keys until the person
-- compares the new safety number and accepts it.
--
-- previous_keys: signing keys a person had before, vouched for by a signed
-- rotation to their keys pinned now, so what they signed with them still
-- verifies here.

ALTER TABLE key_changes ADD COLUMN rotation_signed INTEGER NOT NULL DEFAULT 0
  CHECK (rotation_signed IN (0, 1));

CREATE TABLE previous_keys (
  user_id TEXT NOT NULL,
  signing_public_key TEXT NOT NULL,
  identity_public_key TEXT NOT NULL,
  replaced_at TEXT NOT NULL,
  PRIMARY KEY (user_id, signing_public_key)
) STRICT;
