-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0008-outbox-acked.sql: mutations the server acknowledged as applied are
-- kept a while after they leave the outbox, so that a server whose
-- bookkeeping goes back (its database restored from an older backup) can be
-- sent again what it lost instead of the user being told it is gone.  Kept
-- for a bounded time and count (tf-store-outbox.c says how long); the
-- mutation id is the outbox's, so a row put back in the queue keeps its
-- place in the order of this device's writes.

CREATE TABLE outbox_acked (
  mutation_id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  base_version INTEGER NOT NULL CHECK (base_version >= 0),
  fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
  created_at TEXT NOT NULL,
  acknowledged_at TEXT NOT NULL,
  CHECK ((op = 'delete') = (fields IS NULL))
) STRICT;
CREATE INDEX outbox_acked_at ON outbox_acked (acknowledged_at);
