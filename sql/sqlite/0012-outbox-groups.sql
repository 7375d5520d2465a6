-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0012-outbox-groups.sql: mutations that must reach the server together.
-- A share that ends re-keys the record, deletes the former reader's grant
-- and seals the new key again for the readers who stay, in one local
-- transaction (tf_store_atomic); its queued mutations carry one
-- atomic_group, a push never splits them, and the server applies them all
-- or none (docs/protocol.md, "Atomic groups").  NULL: a mutation of its own.

ALTER TABLE outbox ADD COLUMN atomic_group INTEGER;
