-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0002-sharing.sql: care relationships and key grants on the device
-- (DESIGN.md §3 visibility, §5 sealed sharing).

CREATE TABLE care_relationships (
  id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  share_mood INTEGER DEFAULT 0 CHECK (share_mood IN (0, 1)),
  share_goals INTEGER DEFAULT 0 CHECK (share_goals IN (0, 1)),
  started_at TEXT,
  ended_at TEXT,
  ended_by TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT,
  CHECK ((status = 'ended') = (ended_at IS NOT NULL))
) STRICT;
CREATE INDEX care_relationships_client ON care_relationships (client_id, status);

CREATE TABLE key_grants (
  id TEXT PRIMARY KEY NOT NULL,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  owner_id TEXT NOT NULL,
  recipient_id TEXT NOT NULL,
  sealed_key TEXT NOT NULL,
  created_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX key_grants_record ON key_grants (table_name, record_id);
