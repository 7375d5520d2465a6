-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0005-services.sql: the standard service catalogue, so that every server
-- has one.
--
-- services is written by administrators only (TF_WRITER_ADMIN) and read by
-- everyone signed in (the directory feed); therapists set their own price,
-- duration and availability of each in therapist_services.  The five kinds
-- of the seed's CHECK on service_type get a row each, with fixed ids so
-- that every server, device and test names them alike.  The apps show the
-- name translated by service_type; name and description here are the
-- English defaults an administrator may change.
--
-- The rows enter sync as sync_publish_account() does for an account: each
-- takes a version from sync_version_seq under the sync lock, is recorded
-- in sync_records (no owner: the catalogue is nobody's) and is fed to the
-- directory recipient, so every device pulls it.
DO $$
DECLARE
  s RECORD;
  v BIGINT;
BEGIN
  PERFORM pg_advisory_xact_lock(7350288244);
  FOR s IN
    SELECT * FROM (VALUES
      ('5e7a1c00-0000-4000-8000-000000000001'::uuid, 'Individual session',
       'A session of one client with their therapist.', 50, 'individual'),
      ('5e7a1c00-0000-4000-8000-000000000002'::uuid, 'Couples session',
       'A session of a couple with their therapist.', 80, 'couples'),
      ('5e7a1c00-0000-4000-8000-000000000003'::uuid, 'Group session',
       'A session of a therapy group led by the therapist.', 90, 'group'),
      ('5e7a1c00-0000-4000-8000-000000000004'::uuid, 'Evaluation',
       'An assessment of the client''s needs, before therapy starts or to review it.', 90,
       'evaluation'),
      ('5e7a1c00-0000-4000-8000-000000000005'::uuid, 'Consultation',
       'A short first meeting or a consultation on a specific question.', 30,
       'consultation')
    ) AS t (id, name, description, default_duration, service_type)
  LOOP
    v := nextval('sync_version_seq');
    INSERT INTO services (id, name, description, default_duration, service_type, version)
      VALUES (s.id, s.name, s.description, s.default_duration, s.service_type, v);
    INSERT INTO sync_records (table_name, record_id, version, owner_id)
      VALUES ('services', s.id, v, NULL);
    INSERT INTO sync_feed (user_id, table_name, record_id, version)
      VALUES ('00000000-0000-0000-0000-000000000000', 'services', s.id, v);
  END LOOP;
  PERFORM pg_notify('tf_sync', '00000000-0000-0000-0000-000000000000');
END;
$$;
