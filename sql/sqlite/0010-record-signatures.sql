-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0010-record-signatures.sql: the author's revision and signature of each
-- record (issue 19; common/tf-signed.h; docs/encryption.md, "Against the
-- server itself").
--
-- A mutation is signed when it is queued (client/store/tf-store-signed.c),
-- so the outbox, and what it keeps of acknowledged mutations, carry the
-- revision and signature that go out with it.
--
-- record_revisions holds, per record, the highest revision this device
-- holds from the server (a pulled record it accepted, or its own write the
-- server acknowledged) with that revision's signature, and the highest it
-- queued itself: the next write takes one more than both, and a pulled
-- record below the held revision (or equal to it with another signature)
-- is a rollback.  A table of its own rather than a column pair on every
-- synced table: the held revision must outlive the row (a revocation
-- removes row and base; a server that shares the record again must not be
-- able to serve an older revision then), and the rows' registry-built
-- statements stay as they are.

ALTER TABLE outbox ADD COLUMN revision INTEGER CHECK (revision IS NULL OR revision >= 1);
ALTER TABLE outbox ADD COLUMN signature TEXT;
ALTER TABLE outbox_acked ADD COLUMN revision INTEGER CHECK (revision IS NULL OR revision >= 1);
ALTER TABLE outbox_acked ADD COLUMN signature TEXT;

CREATE TABLE record_revisions (
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  revision INTEGER NOT NULL DEFAULT 0 CHECK (revision >= 0),
  signature TEXT,
  written INTEGER NOT NULL DEFAULT 0 CHECK (written >= 0),
  PRIMARY KEY (table_name, record_id)
) STRICT, WITHOUT ROWID;
