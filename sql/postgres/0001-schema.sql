-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- 0001-schema.sql: the canonical PostgreSQL 15 schema of Therapy Field.
--
-- This is the seed's schema (shared/seed/DATABASE-ARCHITECTURE.md) made to work
-- on PostgreSQL 15, plus the sync columns of DESIGN.md §3.  Every table, column,
-- default, CHECK, UNIQUE, foreign key, index, domain and function name the seed
-- gives is here.  Where the seed could not run as written, or where running it
-- as written would betray what it meant, this file deviates; each deviation
-- and its reason:
--
--  D1  Domains are created before the tables and used by them: users.email is
--      `email`, the phone columns are `phone`, prices and amounts are
--      `positive_money`.  The seed declared the domains but never used them.
--  D2  appointments, mood_entries and audit_logs are declared PARTITION BY
--      RANGE (the seed's `PARTITION OF` children had no partitioned parent;
--      audit_logs' primary key lacked the partition column).  Their primary keys
--      include the partition column: appointments (id, appointment_datetime),
--      mood_entries (id, created_at), audit_logs (id, created_at).
--  D3  Partitions are kept by pg_partman (native, monthly for appointments and
--      audit_logs, quarterly for mood_entries) instead of hand-written
--      CREATE TABLE ... PARTITION OF statements, so their names follow
--      pg_partman (appointments_p2026_11, mood_entries_p2026q4) rather than the
--      seed's appointments_2024_01 / mood_entries_2024_q1 / audit_logs_2024_01.
--      Each set has a default partition, so a row outside every partition is
--      kept, never refused; create_monthly_partitions() (the seed's name) moves
--      such rows into proper partitions and premakes the months ahead
--      (12 months of appointments, 4 of the others).  The server calls it
--      periodically; pg_partman's background worker may be used instead.
--  D4  A partitioned table cannot have a unique key without its partition
--      column, so appointments.id alone cannot be a foreign-key target.  The
--      table appointment_ids holds every appointment id once (kept by triggers
--      on appointments); it makes ids globally unique across partitions and is
--      the target of sessions.appointment_id and transactions.appointment_id,
--      so those keep the seed's foreign-key behaviour (no dangling reference,
--      no delete of a referenced appointment).
--  D5  unique_therapist_time is a unique index over live, uncancelled
--      appointments (status <> 'cancelled' AND deleted_at IS NULL): as written,
--      a cancelled slot could never be booked again.  The server also refuses
--      overlapping appointments (not only equal start times); PostgreSQL 15
--      cannot put an exclusion constraint on a partitioned table.
--  D6  idx_therapists_location cannot have a subquery in its predicate; it
--      indexes the located addresses (latitude and longitude not null) and a
--      therapist search joins therapists, which yields the same rows.
--  D7  Clinical content is end-to-end encrypted on the devices (DESIGN.md §5):
--      the server never holds the key, so the seed's server-side trigger cannot
--      encrypt.  encrypt_json_field() is a trigger function that refuses
--      plaintext in the columns it guards (each value must be NULL or a "tf1:"
--      envelope), so plaintext can never be stored by mistake.  The seed's
--      trigger encrypt_session_notes uses it; other tables with encrypted
--      columns get a trigger of the same kind.  encrypt_sensitive_data() and
--      decrypt_sensitive_data() are kept (pgcrypto, key from the session
--      setting app.encryption_key) for server-held secrets, and fail with a
--      clear error when no key is set instead of encrypting with NULL.
--  D8  Server settings (archive_mode, archive_command) are not SQL; they are
--      in docs/operations.md.  Redis, Elasticsearch and TimescaleDB are not
--      used: sessions, rate limits and search live in PostgreSQL.
--  D9  export_user_data(uuid) is rewritten: json_agg(DISTINCT row) fails
--      (json has no equality) and the joins multiplied rows.  It returns one
--      JSON object with every table that holds the user's data, each as an
--      array, and never the password hash or MFA secret.  Its parameter is
--      p_user_id (the seed's user_id was ambiguous with the columns).
--  D10 anonymize_user(uuid): `WHERE user_id = user_id` compared the column with
--      itself and would have anonymized every profile; the parameter is
--      p_user_id.  It also clears the rest of the person's identifying data
--      (display name, birth date, gender, phone, addresses, emergency
--      contact, payment details, MFA, password).
--  D11 Sync columns on every synced table (DESIGN.md §3): version (assigned by
--      the server), deleted_at (tombstone) and, where fields are encrypted,
--      enc_key (the record's wrapped data key).  therapist_services gains a
--      unique `id` so it can be addressed by one id in the sync protocol; its
--      primary key stays (therapist_id, service_id).
--  D12 A few CHECKs the seed implies but did not write: durations positive,
--      journal mood_at_time 1..10 like the mood scales, goals.frequency one of
--      its commented values, non-negative counts and years, card expiry month
--      1..12, case-insensitive unique e-mail.
--
-- Encrypted columns (ciphertext "tf1:<base64>" from the device; the server
-- sees only these strings): see docs/encryption.md for the full list.

CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE SCHEMA IF NOT EXISTS partman;
CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA partman;

-- ---------------------------------------------------------------------------
-- Domains (D1)
-- ---------------------------------------------------------------------------

CREATE DOMAIN email AS VARCHAR(255)
  CHECK (VALUE ~ '^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Z|a-z]{2,}$');
CREATE DOMAIN phone AS VARCHAR(20)
  CHECK (VALUE ~ '^\+?[0-9\s\-\(\)]+$');
CREATE DOMAIN positive_money AS DECIMAL(10,2)
  CHECK (VALUE >= 0);

-- ---------------------------------------------------------------------------
-- User management
-- ---------------------------------------------------------------------------

CREATE TABLE users (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  email email UNIQUE NOT NULL,
  email_verified BOOLEAN DEFAULT FALSE,
  password_hash VARCHAR(255) NOT NULL,
  role VARCHAR(50) NOT NULL
    CHECK (role IN ('client', 'therapist', 'business_admin', 'super_admin')),
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  last_login TIMESTAMP WITH TIME ZONE,
  is_active BOOLEAN DEFAULT TRUE,
  mfa_enabled BOOLEAN DEFAULT FALSE,
  mfa_secret VARCHAR(255)
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE profiles (
  user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  first_name VARCHAR(100) NOT NULL,
  last_name VARCHAR(100) NOT NULL,
  display_name VARCHAR(200),
  phone phone,
  phone_verified BOOLEAN DEFAULT FALSE,
  birth_date DATE,
  gender VARCHAR(20),
  profile_photo_url TEXT,
  language VARCHAR(10) DEFAULT 'el',
  timezone VARCHAR(50) DEFAULT 'Europe/Athens',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE addresses (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  type VARCHAR(50) DEFAULT 'primary',
  street_address TEXT,
  city VARCHAR(100),
  state_province VARCHAR(100),
  postal_code VARCHAR(20),
  country VARCHAR(2) DEFAULT 'GR',
  latitude DECIMAL(10, 8),
  longitude DECIMAL(11, 8),
  is_primary BOOLEAN DEFAULT FALSE
);

-- ---------------------------------------------------------------------------
-- Therapists
-- ---------------------------------------------------------------------------

CREATE TABLE therapists (
  user_id UUID PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  license_number VARCHAR(100) UNIQUE NOT NULL,
  license_verified BOOLEAN DEFAULT FALSE,
  license_expiry DATE,
  years_experience INTEGER CHECK (years_experience >= 0),
  bio TEXT,
  education JSONB, -- Array of {degree, institution, year}
  supervisor_status BOOLEAN DEFAULT FALSE,
  accepts_insurance BOOLEAN DEFAULT TRUE,
  online_therapy BOOLEAN DEFAULT TRUE,
  in_person_therapy BOOLEAN DEFAULT TRUE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE specializations (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(100) UNIQUE NOT NULL,
  category VARCHAR(100),
  description TEXT
);

CREATE TABLE therapist_specializations (
  therapist_id UUID REFERENCES therapists(user_id) ON DELETE CASCADE,
  specialization_id UUID REFERENCES specializations(id),
  is_primary BOOLEAN DEFAULT FALSE,
  years_experience INTEGER CHECK (years_experience >= 0),
  PRIMARY KEY (therapist_id, specialization_id)
);

CREATE TABLE therapist_languages (
  therapist_id UUID REFERENCES therapists(user_id) ON DELETE CASCADE,
  language_code VARCHAR(10),
  proficiency_level VARCHAR(20)
    CHECK (proficiency_level IN ('native', 'fluent', 'conversational', 'basic')),
  PRIMARY KEY (therapist_id, language_code)
);

CREATE TABLE therapeutic_approaches (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(100) UNIQUE NOT NULL,
  description TEXT
);

CREATE TABLE therapist_approaches (
  therapist_id UUID REFERENCES therapists(user_id) ON DELETE CASCADE,
  approach_id UUID REFERENCES therapeutic_approaches(id),
  PRIMARY KEY (therapist_id, approach_id)
);

CREATE TABLE therapist_availability (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id UUID REFERENCES therapists(user_id) ON DELETE CASCADE,
  day_of_week INTEGER CHECK (day_of_week BETWEEN 0 AND 6),
  start_time TIME NOT NULL,
  end_time TIME NOT NULL,
  is_available BOOLEAN DEFAULT TRUE,
  effective_from DATE DEFAULT CURRENT_DATE,
  effective_until DATE,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  UNIQUE (therapist_id, day_of_week, start_time, effective_from)
);

CREATE TABLE therapist_blocked_dates (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  therapist_id UUID REFERENCES therapists(user_id) ON DELETE CASCADE,
  blocked_date DATE NOT NULL,
  reason VARCHAR(255),
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  UNIQUE (therapist_id, blocked_date)
);

-- ---------------------------------------------------------------------------
-- Appointments
-- ---------------------------------------------------------------------------

CREATE TABLE services (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(100) NOT NULL,
  description TEXT,
  default_duration INTEGER DEFAULT 50 CHECK (default_duration > 0), -- minutes
  service_type VARCHAR(50)
    CHECK (service_type IN ('individual', 'couples', 'group', 'evaluation', 'consultation')),
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE therapist_services (
  therapist_id UUID REFERENCES therapists(user_id) ON DELETE CASCADE,
  service_id UUID REFERENCES services(id),
  price positive_money NOT NULL,
  duration INTEGER CHECK (duration > 0), -- override default duration
  is_available BOOLEAN DEFAULT TRUE,
  id UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (therapist_id, service_id)
);

-- Every appointment id, once (D4).
CREATE TABLE appointment_ids (
  id UUID PRIMARY KEY
);

CREATE TABLE appointments (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  therapist_id UUID REFERENCES therapists(user_id),
  client_id UUID REFERENCES users(id),
  service_id UUID REFERENCES services(id),
  appointment_datetime TIMESTAMP WITH TIME ZONE NOT NULL,
  duration INTEGER NOT NULL CHECK (duration > 0),
  status VARCHAR(50) NOT NULL
    CHECK (status IN ('pending', 'confirmed', 'cancelled', 'completed', 'no_show')),
  location_type VARCHAR(50) CHECK (location_type IN ('online', 'in_person')),
  meeting_url TEXT,
  price positive_money NOT NULL,
  cancellation_reason TEXT,
  cancelled_by UUID REFERENCES users(id),
  cancelled_at TIMESTAMP WITH TIME ZONE,
  notes_for_therapist TEXT,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  PRIMARY KEY (id, appointment_datetime),
  CONSTRAINT check_appointment_future CHECK (appointment_datetime > created_at)
) PARTITION BY RANGE (appointment_datetime);

CREATE UNIQUE INDEX unique_therapist_time ON appointments (therapist_id, appointment_datetime)
  WHERE status <> 'cancelled' AND deleted_at IS NULL;

-- appointment_ids upkeep.  The row for an id is locked (ON CONFLICT DO UPDATE)
-- before the uniqueness check so that two transactions inserting the same id
-- serialise; a row moved to another partition by an UPDATE of
-- appointment_datetime passes through here as delete + insert and keeps its id.
CREATE FUNCTION appointment_ids_claim() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id <> OLD.id THEN
    RAISE EXCEPTION 'an appointment id cannot change (% -> %)', OLD.id, NEW.id
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  INSERT INTO appointment_ids (id) VALUES (NEW.id)
    ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id;
  RETURN NEW;
END;
$$;

CREATE FUNCTION appointment_ids_check() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF (SELECT count(*) FROM appointments WHERE id = NEW.id) > 1 THEN
      RAISE EXCEPTION 'duplicate appointment id %', NEW.id
        USING ERRCODE = 'unique_violation', CONSTRAINT = 'appointment_ids_pkey';
    END IF;
    RETURN NULL;
  END IF;
  -- DELETE: release the id unless the row only moved partitions.  A session or
  -- transaction that still refers to it makes this fail (D4).
  IF NOT EXISTS (SELECT 1 FROM appointments WHERE id = OLD.id) THEN
    DELETE FROM appointment_ids WHERE id = OLD.id;
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER appointments_claim_id
  BEFORE INSERT OR UPDATE OF id ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointment_ids_claim();
CREATE TRIGGER appointments_check_id
  AFTER INSERT OR DELETE ON appointments
  FOR EACH ROW EXECUTE FUNCTION appointment_ids_check();

CREATE TABLE sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id UUID REFERENCES appointment_ids(id),
  actual_start_time TIMESTAMP WITH TIME ZONE,
  actual_end_time TIMESTAMP WITH TIME ZONE,
  therapist_notes TEXT, -- Encrypted
  session_summary TEXT, -- For client
  homework_assigned TEXT,
  next_session_plan TEXT,
  client_attended BOOLEAN DEFAULT TRUE,
  therapist_attended BOOLEAN DEFAULT TRUE,
  technical_issues BOOLEAN DEFAULT FALSE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT
);

-- ---------------------------------------------------------------------------
-- Clinical documentation
-- ---------------------------------------------------------------------------

CREATE TABLE client_intakes (
  client_id UUID PRIMARY KEY REFERENCES users(id),
  emergency_contact_name VARCHAR(200),
  emergency_contact_phone phone,
  emergency_contact_relationship VARCHAR(100),
  medical_conditions JSONB,
  current_medications JSONB,
  allergies JSONB,
  previous_therapy BOOLEAN DEFAULT FALSE,
  previous_therapy_details TEXT,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT
);

CREATE TABLE treatment_plans (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  client_id UUID REFERENCES users(id),
  therapist_id UUID REFERENCES therapists(user_id),
  diagnosis_codes JSONB, -- ICD-10 codes
  treatment_goals JSONB,
  interventions JSONB,
  review_date DATE,
  status VARCHAR(50) DEFAULT 'active',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT
);

CREATE TABLE session_notes (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  session_id UUID REFERENCES sessions(id),
  therapist_id UUID REFERENCES therapists(user_id),
  approach_type VARCHAR(50),
  note_content JSONB, -- Encrypted, structure varies by approach
  risk_assessment JSONB,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT
);

-- Client history forms (Greek specific)
CREATE TABLE client_histories (
  client_id UUID PRIMARY KEY REFERENCES users(id),
  family_history JSONB,      -- Οικογενειακό Ιστορικό
  psychiatric_history JSONB, -- Ψυχιατρικό Ιστορικό
  social_history JSONB,      -- Κοινωνικό Ιστορικό
  medical_history JSONB,     -- Ιστορικό Ασθενούς
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT
);

-- ---------------------------------------------------------------------------
-- Wellness tracking
-- ---------------------------------------------------------------------------

-- Mood tracking (Emotia)
CREATE TABLE mood_entries (
  id UUID NOT NULL DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id),
  mood_value INTEGER CHECK (mood_value BETWEEN 1 AND 10),
  energy_level INTEGER CHECK (energy_level BETWEEN 1 AND 10),
  anxiety_level INTEGER CHECK (anxiety_level BETWEEN 1 AND 10),
  categories JSONB, -- Array of categories
  emotions JSONB,   -- Array of specific emotions
  notes TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT,
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

-- Journal entries (Journalia)
CREATE TABLE journal_entries (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id),
  title VARCHAR(255),
  content TEXT, -- Encrypted
  category VARCHAR(100),
  mood_at_time INTEGER CHECK (mood_at_time BETWEEN 1 AND 10),
  is_private BOOLEAN DEFAULT TRUE,
  therapist_shared BOOLEAN DEFAULT FALSE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  enc_key TEXT
);

-- Goals and habits (Momentum)
CREATE TABLE goals (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id),
  title VARCHAR(255) NOT NULL,
  description TEXT,
  category VARCHAR(100),
  target_date DATE,
  frequency VARCHAR(50) CHECK (frequency IN ('daily', 'weekly', 'monthly')),
  target_count INTEGER CHECK (target_count > 0),
  status VARCHAR(50) DEFAULT 'active',
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE goal_progress (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  goal_id UUID REFERENCES goals(id) ON DELETE CASCADE,
  completed_date DATE NOT NULL,
  notes TEXT,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  version BIGINT NOT NULL DEFAULT 0,
  deleted_at TIMESTAMP WITH TIME ZONE,
  UNIQUE (goal_id, completed_date)
);

-- ---------------------------------------------------------------------------
-- Payment and billing
-- ---------------------------------------------------------------------------

CREATE TABLE payment_methods (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id),
  type VARCHAR(50) NOT NULL, -- card, bank_transfer, etc.
  provider VARCHAR(50),      -- stripe, viva_wallet
  provider_customer_id VARCHAR(255),
  last_four VARCHAR(4),
  expiry_month INTEGER CHECK (expiry_month BETWEEN 1 AND 12),
  expiry_year INTEGER,
  is_default BOOLEAN DEFAULT FALSE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE transactions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  appointment_id UUID REFERENCES appointment_ids(id),
  payer_id UUID REFERENCES users(id),
  payee_id UUID REFERENCES users(id),
  payment_method_id UUID REFERENCES payment_methods(id),
  amount positive_money NOT NULL,
  currency VARCHAR(3) DEFAULT 'EUR',
  platform_fee positive_money,
  net_amount DECIMAL(10, 2),
  status VARCHAR(50) NOT NULL,
  provider_transaction_id VARCHAR(255),
  failure_reason TEXT,
  refund_amount positive_money,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE subscriptions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id),
  plan_type VARCHAR(50) NOT NULL,
  status VARCHAR(50) NOT NULL,
  current_period_start DATE,
  current_period_end DATE,
  cancel_at_period_end BOOLEAN DEFAULT FALSE,
  provider_subscription_id VARCHAR(255),
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

-- ---------------------------------------------------------------------------
-- Business portal
-- ---------------------------------------------------------------------------

CREATE TABLE companies (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  admin_user_id UUID REFERENCES users(id),
  plan_type VARCHAR(50),
  employee_limit INTEGER CHECK (employee_limit >= 0),
  industry VARCHAR(100),
  size_range VARCHAR(50),
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE company_employees (
  company_id UUID REFERENCES companies(id),
  user_id UUID REFERENCES users(id),
  employee_id VARCHAR(100), -- Company's internal ID
  department VARCHAR(100),
  role VARCHAR(100),
  sessions_used INTEGER DEFAULT 0 CHECK (sessions_used >= 0),
  sessions_limit INTEGER CHECK (sessions_limit >= 0),
  enrolled_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (company_id, user_id)
);

CREATE TABLE wellness_programs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id UUID REFERENCES companies(id),
  name VARCHAR(255) NOT NULL,
  description TEXT,
  start_date DATE,
  end_date DATE,
  program_type VARCHAR(100),
  target_metrics JSONB,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

-- ---------------------------------------------------------------------------
-- Content and community
-- ---------------------------------------------------------------------------

CREATE TABLE articles (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  author_id UUID REFERENCES users(id),
  title VARCHAR(255) NOT NULL,
  content TEXT NOT NULL,
  summary TEXT,
  category VARCHAR(100),
  tags JSONB,
  status VARCHAR(50) DEFAULT 'draft',
  published_at TIMESTAMP WITH TIME ZONE,
  view_count INTEGER DEFAULT 0 CHECK (view_count >= 0),
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE forum_posts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  author_id UUID REFERENCES users(id),
  title VARCHAR(255),
  content TEXT NOT NULL,
  category VARCHAR(100),
  is_anonymous BOOLEAN DEFAULT FALSE,
  parent_post_id UUID REFERENCES forum_posts(id),
  upvotes INTEGER DEFAULT 0,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

-- ---------------------------------------------------------------------------
-- System
-- ---------------------------------------------------------------------------

CREATE TABLE audit_logs (
  id BIGSERIAL,
  user_id UUID,
  action VARCHAR(100) NOT NULL,
  table_name VARCHAR(100),
  record_id UUID,
  old_values JSONB,
  new_values JSONB,
  ip_address INET,
  user_agent TEXT,
  created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE notifications (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID REFERENCES users(id),
  type VARCHAR(100) NOT NULL,
  title VARCHAR(255),
  message TEXT,
  data JSONB,
  read_at TIMESTAMP WITH TIME ZONE,
  created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);

-- ---------------------------------------------------------------------------
-- Indexes for performance
-- ---------------------------------------------------------------------------

CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_role ON users (role) WHERE is_active = true;

CREATE INDEX idx_therapists_location ON addresses (latitude, longitude)
  WHERE latitude IS NOT NULL AND longitude IS NOT NULL;                 -- D6
CREATE INDEX idx_therapist_specializations ON therapist_specializations (specialization_id);
CREATE INDEX idx_therapist_languages ON therapist_languages (language_code);

CREATE INDEX idx_appointments_therapist_date ON appointments (therapist_id, appointment_datetime);
CREATE INDEX idx_appointments_client ON appointments (client_id);
CREATE INDEX idx_appointments_status ON appointments (status)
  WHERE status IN ('pending', 'confirmed');

CREATE INDEX idx_mood_entries_user_date ON mood_entries (user_id, created_at DESC);
CREATE INDEX idx_journal_entries_user ON journal_entries (user_id) WHERE is_private = false;
CREATE INDEX idx_goals_user_active ON goals (user_id) WHERE status = 'active';

CREATE INDEX idx_articles_search ON articles
  USING gin (to_tsvector('greek', title || ' ' || content));
CREATE INDEX idx_therapists_search ON therapists USING gin (to_tsvector('greek', bio));

-- Foreign keys the seed's queries walk, which PostgreSQL does not index itself.
CREATE INDEX idx_addresses_user ON addresses (user_id);
CREATE INDEX idx_sessions_appointment ON sessions (appointment_id);
CREATE INDEX idx_session_notes_session ON session_notes (session_id);
CREATE INDEX idx_session_notes_therapist ON session_notes (therapist_id);
CREATE INDEX idx_treatment_plans_client ON treatment_plans (client_id);
CREATE INDEX idx_treatment_plans_therapist ON treatment_plans (therapist_id);
CREATE INDEX idx_journal_entries_owner ON journal_entries (user_id, created_at DESC);
CREATE INDEX idx_goals_user ON goals (user_id);
CREATE INDEX idx_therapist_availability_therapist ON therapist_availability (therapist_id);
CREATE INDEX idx_transactions_appointment ON transactions (appointment_id);
CREATE INDEX idx_transactions_payer ON transactions (payer_id);
CREATE INDEX idx_notifications_user ON notifications (user_id, created_at DESC);
CREATE INDEX idx_audit_logs_user ON audit_logs (user_id, created_at DESC);

-- ---------------------------------------------------------------------------
-- Check constraints
-- ---------------------------------------------------------------------------

ALTER TABLE therapist_availability ADD CONSTRAINT check_time_valid
  CHECK (end_time > start_time);

-- ---------------------------------------------------------------------------
-- Encryption (D7)
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION encrypt_sensitive_data(data TEXT)
RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  key TEXT := current_setting('app.encryption_key', true);
BEGIN
  IF key IS NULL OR key = '' THEN
    RAISE EXCEPTION 'app.encryption_key is not set'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN pgp_sym_encrypt(data, key);
END;
$$;

CREATE OR REPLACE FUNCTION decrypt_sensitive_data(encrypted_data TEXT)
RETURNS TEXT
LANGUAGE plpgsql AS $$
DECLARE
  key TEXT := current_setting('app.encryption_key', true);
BEGIN
  IF key IS NULL OR key = '' THEN
    RAISE EXCEPTION 'app.encryption_key is not set'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN pgp_sym_decrypt(encrypted_data::bytea, key);
END;
$$;

-- Trigger function: each column named in the trigger's arguments must be NULL
-- (SQL or JSON null) or a device-made "tf1:" envelope.  Works for TEXT and
-- JSONB columns alike (a JSONB column holds the envelope as a JSON string).
CREATE OR REPLACE FUNCTION encrypt_json_field()
RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  row_json JSONB := to_jsonb(NEW);
  col TEXT;
  val JSONB;
BEGIN
  FOREACH col IN ARRAY TG_ARGV LOOP
    IF NOT row_json ? col THEN
      RAISE EXCEPTION 'encrypt_json_field: %.% does not exist', TG_TABLE_NAME, col;
    END IF;
    val := row_json -> col;
    IF val IS NULL OR jsonb_typeof(val) = 'null' THEN
      CONTINUE;
    END IF;
    IF jsonb_typeof(val) <> 'string'
       OR (val #>> '{}') !~ '^tf1:[A-Za-z0-9+/]{54,}={0,2}$' THEN
      RAISE EXCEPTION '%.% must be encrypted on the device', TG_TABLE_NAME, col
        USING ERRCODE = 'check_violation', COLUMN = col, TABLE = TG_TABLE_NAME;
    END IF;
  END LOOP;
  RETURN NEW;
END;
$$;

CREATE TRIGGER encrypt_session_notes
  BEFORE INSERT OR UPDATE ON session_notes
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('note_content', 'risk_assessment');
CREATE TRIGGER encrypt_sessions
  BEFORE INSERT OR UPDATE ON sessions
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('therapist_notes');
CREATE TRIGGER encrypt_client_intakes
  BEFORE INSERT OR UPDATE ON client_intakes
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field(
    'medical_conditions', 'current_medications', 'allergies', 'previous_therapy_details');
CREATE TRIGGER encrypt_treatment_plans
  BEFORE INSERT OR UPDATE ON treatment_plans
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field(
    'diagnosis_codes', 'treatment_goals', 'interventions');
CREATE TRIGGER encrypt_client_histories
  BEFORE INSERT OR UPDATE ON client_histories
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field(
    'family_history', 'psychiatric_history', 'social_history', 'medical_history');
CREATE TRIGGER encrypt_mood_entries
  BEFORE INSERT OR UPDATE ON mood_entries
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('notes');
CREATE TRIGGER encrypt_journal_entries
  BEFORE INSERT OR UPDATE ON journal_entries
  FOR EACH ROW EXECUTE FUNCTION encrypt_json_field('content');

-- ---------------------------------------------------------------------------
-- Partitioning (D2, D3)
-- ---------------------------------------------------------------------------

SELECT partman.create_parent('public.appointments', 'appointment_datetime', 'native', 'monthly',
                             p_premake := 12, p_jobmon := false);
SELECT partman.create_parent('public.mood_entries', 'created_at', 'native', 'quarterly',
                             p_premake := 4, p_jobmon := false);
SELECT partman.create_parent('public.audit_logs', 'created_at', 'native', 'monthly',
                             p_premake := 4, p_jobmon := false);
UPDATE partman.part_config SET infinite_time_partitions = true
  WHERE parent_table IN ('public.appointments', 'public.mood_entries', 'public.audit_logs');

-- The seed's name for partition upkeep.  Moves rows that landed in a default
-- partition into a proper partition (creating it), then premakes partitions
-- ahead.  Safe to call at any time and as often as wanted.
CREATE OR REPLACE FUNCTION create_monthly_partitions()
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  parent TEXT;
BEGIN
  FOREACH parent IN ARRAY ARRAY['public.appointments', 'public.mood_entries', 'public.audit_logs']
  LOOP
    -- pg_partman 4.7 moves rows through a temporary table shaped like the
    -- parent, created IF NOT EXISTS and dropped only at commit: a second
    -- parent in the same transaction would reuse the first one's shape.
    DROP TABLE IF EXISTS pg_temp.partman_temp_data_storage;
    PERFORM partman.partition_data_time(parent, p_batch_count := 1000, p_analyze := false);
    PERFORM partman.run_maintenance(parent, p_analyze := false, p_jobmon := false);
  END LOOP;
END;
$$;
-- pg_partman reports its scratch table on every call; that is not news.
ALTER FUNCTION create_monthly_partitions() SET client_min_messages = warning;

-- ---------------------------------------------------------------------------
-- GDPR (D9, D10)
-- ---------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION export_user_data(p_user_id UUID)
RETURNS JSON
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'user', (SELECT to_jsonb(u) - 'password_hash' - 'mfa_secret' FROM users u WHERE u.id = p_user_id),
    'profile', (SELECT row_to_json(p) FROM profiles p WHERE p.user_id = p_user_id),
    'addresses', (SELECT coalesce(json_agg(a ORDER BY a.id), '[]') FROM addresses a
                  WHERE a.user_id = p_user_id),
    'therapist', (SELECT row_to_json(t) FROM therapists t WHERE t.user_id = p_user_id),
    'appointments', (SELECT coalesce(json_agg(a ORDER BY a.appointment_datetime, a.id), '[]')
                     FROM appointments a
                     WHERE a.client_id = p_user_id OR a.therapist_id = p_user_id),
    'sessions', (SELECT coalesce(json_agg(s ORDER BY s.created_at, s.id), '[]')
                 FROM sessions s JOIN appointments a ON a.id = s.appointment_id
                 WHERE a.client_id = p_user_id OR a.therapist_id = p_user_id),
    'client_intake', (SELECT row_to_json(i) FROM client_intakes i WHERE i.client_id = p_user_id),
    'client_history', (SELECT row_to_json(h) FROM client_histories h
                       WHERE h.client_id = p_user_id),
    'treatment_plans', (SELECT coalesce(json_agg(tp ORDER BY tp.created_at, tp.id), '[]')
                        FROM treatment_plans tp
                        WHERE tp.client_id = p_user_id OR tp.therapist_id = p_user_id),
    'session_notes', (SELECT coalesce(json_agg(n ORDER BY n.created_at, n.id), '[]')
                      FROM session_notes n WHERE n.therapist_id = p_user_id),
    'mood_entries', (SELECT coalesce(json_agg(m ORDER BY m.created_at, m.id), '[]')
                     FROM mood_entries m WHERE m.user_id = p_user_id),
    'journal_entries', (SELECT coalesce(json_agg(j ORDER BY j.created_at, j.id), '[]')
                        FROM journal_entries j WHERE j.user_id = p_user_id),
    'goals', (SELECT coalesce(json_agg(g ORDER BY g.created_at, g.id), '[]')
              FROM goals g WHERE g.user_id = p_user_id),
    'goal_progress', (SELECT coalesce(json_agg(gp ORDER BY gp.completed_date, gp.id), '[]')
                      FROM goal_progress gp JOIN goals g ON g.id = gp.goal_id
                      WHERE g.user_id = p_user_id),
    'payment_methods', (SELECT coalesce(json_agg(pm ORDER BY pm.created_at, pm.id), '[]')
                        FROM payment_methods pm WHERE pm.user_id = p_user_id),
    'transactions', (SELECT coalesce(json_agg(t ORDER BY t.created_at, t.id), '[]')
                     FROM transactions t WHERE t.payer_id = p_user_id OR t.payee_id = p_user_id),
    'subscriptions', (SELECT coalesce(json_agg(s ORDER BY s.created_at, s.id), '[]')
                      FROM subscriptions s WHERE s.user_id = p_user_id),
    'company_memberships', (SELECT coalesce(json_agg(ce ORDER BY ce.enrolled_at), '[]')
                            FROM company_employees ce WHERE ce.user_id = p_user_id),
    'articles', (SELECT coalesce(json_agg(ar ORDER BY ar.created_at, ar.id), '[]')
                 FROM articles ar WHERE ar.author_id = p_user_id),
    'forum_posts', (SELECT coalesce(json_agg(f ORDER BY f.created_at, f.id), '[]')
                    FROM forum_posts f WHERE f.author_id = p_user_id),
    'notifications', (SELECT coalesce(json_agg(nt ORDER BY nt.created_at, nt.id), '[]')
                      FROM notifications nt WHERE nt.user_id = p_user_id)
  )
  WHERE EXISTS (SELECT 1 FROM users WHERE id = p_user_id);
$$;

CREATE OR REPLACE FUNCTION anonymize_user(p_user_id UUID)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET
    email = 'deleted_' || id || '@example.com',
    email_verified = false,
    password_hash = '!',
    is_active = false,
    mfa_enabled = false,
    mfa_secret = NULL,
    updated_at = CURRENT_TIMESTAMP
  WHERE id = p_user_id;

  UPDATE profiles SET
    first_name = 'Deleted',
    last_name = 'User',
    display_name = NULL,
    phone = NULL,
    phone_verified = false,
    birth_date = NULL,
    gender = NULL,
    profile_photo_url = NULL,
    updated_at = CURRENT_TIMESTAMP
  WHERE user_id = p_user_id;

  UPDATE addresses SET
    street_address = NULL, city = NULL, state_province = NULL, postal_code = NULL,
    latitude = NULL, longitude = NULL
  WHERE user_id = p_user_id;

  UPDATE client_intakes SET
    emergency_contact_name = NULL,
    emergency_contact_phone = NULL,
    emergency_contact_relationship = NULL,
    updated_at = CURRENT_TIMESTAMP
  WHERE client_id = p_user_id;

  UPDATE payment_methods SET
    provider_customer_id = NULL, last_four = NULL, expiry_month = NULL, expiry_year = NULL
  WHERE user_id = p_user_id;

  UPDATE forum_posts SET is_anonymous = true WHERE author_id = p_user_id;
END;
$$;
