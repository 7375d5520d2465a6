-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0016-acked-groups.sql: an acknowledged mutation keeps its atomic group
-- (0012).  When the server went back and lost what it had acknowledged,
-- the kept mutations are queued again (tf_store_outbox_requeue_acked) in
-- their groups, so a share's ending — re-key, grant deletions, new seals —
-- still reaches the server all or none.  NULL: a mutation of its own.

ALTER TABLE outbox_acked ADD COLUMN atomic_group INTEGER;
