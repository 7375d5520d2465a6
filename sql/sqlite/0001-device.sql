-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0001-device.sql: the offline store of one profile on one device.
--
-- The synced tables carry the seed's columns (names as in PostgreSQL and in
-- common/tf-registry.c) in SQLite's STRICT types, with the seed's CHECKs, plus:
--   version      the server version this row is at (0 = never synced)
--   deleted_at   tombstone, RFC 3339 UTC
--   conflict_of  for a conflict copy: the id of the record it conflicts with
-- Types: UUIDs, dates ("YYYY-MM-DD"), times ("HH:MM:SS"), timestamps
-- (RFC 3339 UTC) and money (decimal string "50.00") are TEXT in their wire
-- form; booleans are INTEGER 0/1; JSONB is TEXT holding JSON.  Encrypted
-- columns hold the "tf1:" envelope exactly as the server does: the file alone
-- reveals no clinical content.
--
-- There are no FOREIGN KEY constraints: a device holds a partial view and
-- receives records in version order, not dependency order; the server
-- enforces references.  Rows are written only through client/store.

CREATE TABLE profiles (
  user_id TEXT PRIMARY KEY NOT NULL,
  first_name TEXT NOT NULL CHECK (length(first_name) <= 100),
  last_name TEXT NOT NULL CHECK (length(last_name) <= 100),
  display_name TEXT CHECK (length(display_name) <= 200),
  phone TEXT CHECK (length(phone) <= 20),
  phone_verified INTEGER DEFAULT 0 CHECK (phone_verified IN (0, 1)),
  birth_date TEXT,
  gender TEXT CHECK (length(gender) <= 20),
  profile_photo_url TEXT,
  language TEXT DEFAULT 'el' CHECK (length(language) <= 10),
  timezone TEXT DEFAULT 'Europe/Athens' CHECK (length(timezone) <= 50),
  created_at TEXT,
  updated_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

CREATE TABLE therapists (
  user_id TEXT PRIMARY KEY NOT NULL,
  license_number TEXT NOT NULL CHECK (length(license_number) <= 100),
  license_verified INTEGER DEFAULT 0 CHECK (license_verified IN (0, 1)),
  license_expiry TEXT,
  years_experience INTEGER CHECK (years_experience >= 0),
  bio TEXT,
  education TEXT CHECK (education IS NULL OR json_valid(education)),
  supervisor_status INTEGER DEFAULT 0 CHECK (supervisor_status IN (0, 1)),
  accepts_insurance INTEGER DEFAULT 1 CHECK (accepts_insurance IN (0, 1)),
  online_therapy INTEGER DEFAULT 1 CHECK (online_therapy IN (0, 1)),
  in_person_therapy INTEGER DEFAULT 1 CHECK (in_person_therapy IN (0, 1)),
  created_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

CREATE TABLE therapist_availability (
  id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  day_of_week INTEGER CHECK (day_of_week BETWEEN 0 AND 6),
  start_time TEXT NOT NULL,
  end_time TEXT NOT NULL,
  is_available INTEGER DEFAULT 1 CHECK (is_available IN (0, 1)),
  effective_from TEXT,
  effective_until TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT,
  CONSTRAINT check_time_valid CHECK (end_time > start_time)
) STRICT;
CREATE INDEX therapist_availability_therapist ON therapist_availability (therapist_id, day_of_week);

CREATE TABLE therapist_blocked_dates (
  id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  blocked_date TEXT NOT NULL,
  reason TEXT CHECK (length(reason) <= 255),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX therapist_blocked_dates_therapist ON therapist_blocked_dates (therapist_id, blocked_date);

CREATE TABLE services (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL CHECK (length(name) <= 100),
  description TEXT,
  default_duration INTEGER DEFAULT 50 CHECK (default_duration > 0),
  service_type TEXT
    CHECK (service_type IN ('individual', 'couples', 'group', 'evaluation', 'consultation')),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

CREATE TABLE therapist_services (
  id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  price TEXT NOT NULL CHECK (price GLOB '[0-9]*' AND CAST(price AS REAL) >= 0),
  duration INTEGER CHECK (duration > 0),
  is_available INTEGER DEFAULT 1 CHECK (is_available IN (0, 1)),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX therapist_services_therapist ON therapist_services (therapist_id, service_id);

CREATE TABLE appointments (
  id TEXT PRIMARY KEY NOT NULL,
  therapist_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  service_id TEXT,
  appointment_datetime TEXT NOT NULL,
  duration INTEGER NOT NULL CHECK (duration > 0),
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'confirmed', 'cancelled', 'completed', 'no_show')),
  location_type TEXT CHECK (location_type IN ('online', 'in_person')),
  meeting_url TEXT,
  price TEXT NOT NULL CHECK (price GLOB '[0-9]*' AND CAST(price AS REAL) >= 0),
  cancellation_reason TEXT,
  cancelled_by TEXT,
  cancelled_at TEXT,
  notes_for_therapist TEXT,
  created_at TEXT,
  updated_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT,
  CONSTRAINT check_appointment_future
    CHECK (created_at IS NULL OR julianday(appointment_datetime) > julianday(created_at))
) STRICT;
CREATE INDEX appointments_therapist_date ON appointments (therapist_id, appointment_datetime);
CREATE INDEX appointments_client_date ON appointments (client_id, appointment_datetime);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY NOT NULL,
  appointment_id TEXT NOT NULL,
  actual_start_time TEXT,
  actual_end_time TEXT,
  therapist_notes TEXT CHECK (therapist_notes IS NULL OR therapist_notes LIKE 'tf1:%'),
  session_summary TEXT,
  homework_assigned TEXT,
  next_session_plan TEXT,
  client_attended INTEGER DEFAULT 1 CHECK (client_attended IN (0, 1)),
  therapist_attended INTEGER DEFAULT 1 CHECK (therapist_attended IN (0, 1)),
  technical_issues INTEGER DEFAULT 0 CHECK (technical_issues IN (0, 1)),
  created_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX sessions_appointment ON sessions (appointment_id);

CREATE TABLE client_intakes (
  client_id TEXT PRIMARY KEY NOT NULL,
  emergency_contact_name TEXT CHECK (length(emergency_contact_name) <= 200),
  emergency_contact_phone TEXT CHECK (length(emergency_contact_phone) <= 20),
  emergency_contact_relationship TEXT CHECK (length(emergency_contact_relationship) <= 100),
  medical_conditions TEXT CHECK (medical_conditions IS NULL OR medical_conditions LIKE 'tf1:%'),
  current_medications TEXT CHECK (current_medications IS NULL OR current_medications LIKE 'tf1:%'),
  allergies TEXT CHECK (allergies IS NULL OR allergies LIKE 'tf1:%'),
  previous_therapy INTEGER DEFAULT 0 CHECK (previous_therapy IN (0, 1)),
  previous_therapy_details TEXT
    CHECK (previous_therapy_details IS NULL OR previous_therapy_details LIKE 'tf1:%'),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

CREATE TABLE treatment_plans (
  id TEXT PRIMARY KEY NOT NULL,
  client_id TEXT NOT NULL,
  therapist_id TEXT NOT NULL,
  diagnosis_codes TEXT CHECK (diagnosis_codes IS NULL OR diagnosis_codes LIKE 'tf1:%'),
  treatment_goals TEXT CHECK (treatment_goals IS NULL OR treatment_goals LIKE 'tf1:%'),
  interventions TEXT CHECK (interventions IS NULL OR interventions LIKE 'tf1:%'),
  review_date TEXT,
  status TEXT DEFAULT 'active' CHECK (length(status) <= 50),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX treatment_plans_client ON treatment_plans (client_id);

CREATE TABLE session_notes (
  id TEXT PRIMARY KEY NOT NULL,
  session_id TEXT NOT NULL,
  therapist_id TEXT NOT NULL,
  approach_type TEXT CHECK (length(approach_type) <= 50),
  note_content TEXT CHECK (note_content IS NULL OR note_content LIKE 'tf1:%'),
  risk_assessment TEXT CHECK (risk_assessment IS NULL OR risk_assessment LIKE 'tf1:%'),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX session_notes_session ON session_notes (session_id);

CREATE TABLE client_histories (
  client_id TEXT PRIMARY KEY NOT NULL,
  family_history TEXT CHECK (family_history IS NULL OR family_history LIKE 'tf1:%'),
  psychiatric_history TEXT CHECK (psychiatric_history IS NULL OR psychiatric_history LIKE 'tf1:%'),
  social_history TEXT CHECK (social_history IS NULL OR social_history LIKE 'tf1:%'),
  medical_history TEXT CHECK (medical_history IS NULL OR medical_history LIKE 'tf1:%'),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;

CREATE TABLE mood_entries (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  mood_value INTEGER CHECK (mood_value BETWEEN 1 AND 10),
  energy_level INTEGER CHECK (energy_level BETWEEN 1 AND 10),
  anxiety_level INTEGER CHECK (anxiety_level BETWEEN 1 AND 10),
  categories TEXT CHECK (categories IS NULL OR json_valid(categories)),
  emotions TEXT CHECK (emotions IS NULL OR json_valid(emotions)),
  notes TEXT CHECK (notes IS NULL OR notes LIKE 'tf1:%'),
  created_at TEXT NOT NULL,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX mood_entries_user_date ON mood_entries (user_id, created_at DESC);

CREATE TABLE journal_entries (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  title TEXT CHECK (length(title) <= 255),
  content TEXT CHECK (content IS NULL OR content LIKE 'tf1:%'),
  category TEXT CHECK (length(category) <= 100),
  mood_at_time INTEGER CHECK (mood_at_time BETWEEN 1 AND 10),
  is_private INTEGER DEFAULT 1 CHECK (is_private IN (0, 1)),
  therapist_shared INTEGER DEFAULT 0 CHECK (therapist_shared IN (0, 1)),
  created_at TEXT,
  updated_at TEXT,
  enc_key TEXT CHECK (enc_key IS NULL OR enc_key LIKE 'tf1:%'),
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX journal_entries_user_date ON journal_entries (user_id, created_at DESC);

CREATE TABLE goals (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL,
  title TEXT NOT NULL CHECK (length(title) <= 255),
  description TEXT,
  category TEXT CHECK (length(category) <= 100),
  target_date TEXT,
  frequency TEXT CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  target_count INTEGER CHECK (target_count > 0),
  status TEXT DEFAULT 'active' CHECK (length(status) <= 50),
  created_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
CREATE INDEX goals_user ON goals (user_id, status);

CREATE TABLE goal_progress (
  id TEXT PRIMARY KEY NOT NULL,
  goal_id TEXT NOT NULL,
  completed_date TEXT NOT NULL,
  notes TEXT,
  created_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  deleted_at TEXT,
  conflict_of TEXT
) STRICT;
-- The seed's UNIQUE(goal_id, completed_date), for live rows: a tombstone or a
-- conflict copy must not block the day being logged again.
CREATE UNIQUE INDEX goal_progress_goal_day ON goal_progress (goal_id, completed_date)
  WHERE deleted_at IS NULL AND conflict_of IS NULL;

-- ---------------------------------------------------------------------------
-- Sync bookkeeping (DESIGN.md §3)
-- ---------------------------------------------------------------------------

-- Local writes waiting to be pushed.  AUTOINCREMENT: a mutation id is never
-- reused, even after the row is gone, so ids strictly increase per device.
CREATE TABLE outbox (
  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  base_version INTEGER NOT NULL CHECK (base_version >= 0),
  fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error TEXT,
  CHECK ((op = 'delete') = (fields IS NULL))
) STRICT;
CREATE INDEX outbox_record ON outbox (table_name, record_id);

-- The last synced copy of each record: the base of three-way merges.
CREATE TABLE sync_base (
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version > 0),
  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
  fields TEXT NOT NULL CHECK (json_valid(fields)),
  PRIMARY KEY (table_name, record_id)
) STRICT, WITHOUT ROWID;

-- Mutations the server refused (validation, authorization, slot_taken): kept
-- and shown to the user, never silently dropped.
CREATE TABLE sync_rejections (
  mutation_id INTEGER PRIMARY KEY,
  table_name TEXT NOT NULL,
  record_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
  fields TEXT CHECK (fields IS NULL OR json_valid(fields)),
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  rejected_at TEXT NOT NULL,
  dismissed INTEGER NOT NULL DEFAULT 0 CHECK (dismissed IN (0, 1))
) STRICT;

-- Small facts of this device and profile: pull cursor, device id, user id,
-- server address.
CREATE TABLE sync_state (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
