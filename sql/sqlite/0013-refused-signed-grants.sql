-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0013-refused-signed-grants.sql: what the server sent that this device refuses to
-- use (issue 19: a grant nobody signed, a record changed or rolled back by
-- the server).  One row per record, replaced when it is refused again and
-- removed when a later version of it arrives (which is checked anew); the
-- refused record itself is never used.  `seen` is set when the user
-- dismissed the notice, and cleared when the record is refused for another
-- reason or at another version.  `until_dismissed` marks a report of what
-- the server did in this account's name (a grant its owner did not sign),
-- which a later version does not undo: it stays until the user dismisses
-- it, and then goes.  Device-only: it never syncs.

CREATE TABLE sync_refused (
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 0),
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  refused_at TEXT NOT NULL,
  seen INTEGER NOT NULL DEFAULT 0 CHECK (seen IN (0, 1)),
  until_dismissed INTEGER NOT NULL DEFAULT 0 CHECK (until_dismissed IN (0, 1)),
  PRIMARY KEY (table_name, record_id)
) STRICT;

-- A key grant carries its granting user's signature over what it grants and
-- a counter (issue 19, plan item 4; common/tf-signed.h).  Both travel with
-- the grant; grants from before have neither, and their owner's device
-- signs them (tf-vault-grants.c).
ALTER TABLE key_grants ADD COLUMN signature TEXT;
ALTER TABLE key_grants ADD COLUMN counter INTEGER CHECK (counter IS NULL OR counter >= 1);

-- The highest grant counter this device has seen for a record and a
-- recipient, kept apart from the grants themselves: a grant the server
-- brings back from before (a deleted one undeleted, an older sealed key
-- under the same id) has a lower counter and is refused.  Device-only.
CREATE TABLE grant_counters (
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  counter INTEGER NOT NULL CHECK (counter >= 1),
  PRIMARY KEY (table_name, record_id, recipient_id)
) STRICT;
