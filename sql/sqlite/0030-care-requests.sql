-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0030-care-requests.sql: a client's link to a therapist is a request
-- until the therapist accepts or declines it (issue 12, "Clients"; PG
-- 0023-care-requests.sql).  status gains 'pending' and 'declined' (which,
-- like 'ended', carries ended_at).  SQLite cannot change a CHECK: the table
-- of 0002-sharing.sql is rebuilt with the same columns, rows and index.

CREATE TABLE care_relationships_new (
  id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('pending', 'active', 'declined', 'ended')),
  share_mood INTEGER DEFAULT 0 CHECK (share_mood IN (0, 1)),
  share_goals INTEGER DEFAULT 0 CHECK (share_goals IN (0, 1)),
  started_at TEXT,
  ended_at TEXT,
  ended_by TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT,
  CHECK ((status IN ('declined', 'ended')) = (ended_at IS NOT NULL))
) STRICT;
INSERT INTO care_relationships_new (id, therapist_id, client_id, status, share_mood, share_goals,
                                    started_at, ended_at, ended_by, version, deleted_at,
                                    conflict_of)
  SELECT id, therapist_id, client_id, status, share_mood, share_goals, started_at, ended_at,
         ended_by, version, deleted_at, conflict_of
    FROM care_relationships;
DROP TABLE care_relationships;
ALTER TABLE care_relationships_new RENAME TO care_relationships;
CREATE INDEX care_relationships_client ON care_relationships (client_id, status);
