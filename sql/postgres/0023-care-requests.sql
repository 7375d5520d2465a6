-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0023-care-requests.sql: a client's link to a therapist is a request
-- until the therapist accepts or declines it (issue 12, "Clients").
--
-- care_relationships.status gains 'pending' (the client asked; nothing is
-- shared, sync_refresh_care and the push rules count only 'active') and
-- 'declined' (the therapist said no; like 'ended' it carries ended_at and
-- ended_by).  The two CHECKs of 0002-sync.sql are replaced under the names
-- PostgreSQL gave them there (care_relationships_status_check,
-- care_relationships_check), so the seed's schema and DATABASE-ARCHITECTURE.md
-- name the same constraints.  An open request is one per therapist and
-- client, as an active relationship is (care_relationships_pending).
ALTER TABLE care_relationships DROP CONSTRAINT care_relationships_status_check;
ALTER TABLE care_relationships ADD CONSTRAINT care_relationships_status_check
  CHECK (status IN ('pending', 'active', 'declined', 'ended'));
ALTER TABLE care_relationships DROP CONSTRAINT care_relationships_check;
ALTER TABLE care_relationships ADD CONSTRAINT care_relationships_check
  CHECK ((status IN ('declined', 'ended')) = (ended_at IS NOT NULL));
CREATE UNIQUE INDEX care_relationships_pending ON care_relationships (therapist_id, client_id)
  WHERE status = 'pending';
