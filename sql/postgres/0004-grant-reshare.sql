-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0004-grant-reshare.sql: a record can be shared again after its share
-- ended.  A revoked grant stays as a tombstone (deleted_at), so uniqueness
-- holds only among live grants.
ALTER TABLE key_grants DROP CONSTRAINT key_grants_table_name_record_id_recipient_id_key;
CREATE UNIQUE INDEX key_grants_live ON key_grants (table_name, record_id, recipient_id)
  WHERE deleted_at IS NULL;
