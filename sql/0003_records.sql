-- 0003_records.sql: jurisdictions, published scoring schemes, licensed establishments,
-- licence actions, inspections with their violations, and the grade each establishment posts.
--
-- The scoring method itself lives in the grading engine (src/domain/grade.c) and is published
-- from there; `placard migrate` copies each built-in scheme and its violation catalogue into
-- scheme / scheme_violation so that the database can check every cited code.
--
-- Submitted inspections are immutable (enforced here, by trigger): a correction is a new
-- inspection that amends the original, with a reason, and both are kept. Ids are identities
-- and never reused.

CREATE TABLE scheme (
    code text PRIMARY KEY,
    version integer NOT NULL CHECK (version > 0),
    name text NOT NULL,
    kind text NOT NULL,
    definition jsonb NOT NULL,       -- bands and rules, as published by /api/v1/schemes
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE scheme_violation (
    scheme_code text NOT NULL REFERENCES scheme (code),
    code text NOT NULL,
    description text NOT NULL,
    category text NOT NULL CHECK (category IN ('priority', 'priority-foundation', 'core')),
    default_points integer NOT NULL,
    min_points integer NOT NULL,
    max_points integer NOT NULL,
    PRIMARY KEY (scheme_code, code)
);

CREATE TABLE jurisdiction (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]{2,32}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    scheme_code text NOT NULL REFERENCES scheme (code),
    timezone text NOT NULL DEFAULT 'UTC'
);

CREATE TABLE establishment (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    jurisdiction_id bigint NOT NULL REFERENCES jurisdiction (id),
    licence_number text NOT NULL CHECK (length(licence_number) BETWEEN 1 AND 64),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address_line text NOT NULL DEFAULT '' CHECK (length(address_line) <= 200),
    city text NOT NULL DEFAULT '' CHECK (length(city) <= 100),
    postcode text NOT NULL DEFAULT '' CHECK (length(postcode) <= 16),
    latitude double precision CHECK (latitude BETWEEN -90 AND 90),
    longitude double precision CHECK (longitude BETWEEN -180 AND 180),
    establishment_type text NOT NULL DEFAULT 'restaurant' CHECK (length(establishment_type) <= 64),
    cuisine text NOT NULL DEFAULT '' CHECK (length(cuisine) <= 64),
    risk_category text NOT NULL DEFAULT 'B' CHECK (risk_category IN ('A', 'B', 'C', 'D', 'E')),
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (jurisdiction_id, licence_number),
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

CREATE TABLE licence_action (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    establishment_id bigint NOT NULL REFERENCES establishment (id),
    action text NOT NULL CHECK (action IN ('issued', 'renewed', 'suspended', 'revoked', 'reinstated')),
    effective_on date NOT NULL,
    expires_on date CHECK (expires_on IS NULL OR expires_on >= effective_on),
    reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    recorded_by bigint NOT NULL REFERENCES staff_user (id),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX licence_action_establishment ON licence_action (establishment_id, id);

CREATE TABLE inspection (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    establishment_id bigint NOT NULL REFERENCES establishment (id),
    scheme_code text NOT NULL REFERENCES scheme (code),
    inspection_type text NOT NULL
        CHECK (inspection_type IN ('initial', 'reinspection', 'complaint', 'pre-permit', 'reopening')),
    inspector_id bigint NOT NULL REFERENCES staff_user (id),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
    started_at timestamptz NOT NULL DEFAULT now(),
    ended_at timestamptz CHECK (ended_at IS NULL OR ended_at >= started_at),
    closed_establishment boolean NOT NULL DEFAULT false,
    -- FHRS-style element scores, when the inspector gives them explicitly.
    hygiene_score integer,
    structural_score integer,
    management_score integer,
    notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
    operator_signature text CHECK (length(operator_signature) <= 200000),
    operator_signed_name text CHECK (length(operator_signed_name) <= 200),
    -- Set at submission.
    score integer,
    grade_code text,
    grade_label text,
    outcome text,
    sets_grade boolean,
    explanation jsonb,
    submitted_at timestamptz,
    public_code text UNIQUE,          -- printed on the grade card
    appeal_code_hash text,            -- sha256 of the code printed on the report
    -- A correction of a submitted inspection is a new inspection that amends it.
    amends_inspection_id bigint REFERENCES inspection (id),
    amendment_reason text CHECK (amendment_reason IS NULL OR length(amendment_reason) BETWEEN 1 AND 2000),
    revision integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((amends_inspection_id IS NULL) = (amendment_reason IS NULL)),
    CHECK (status = 'draft' OR (score IS NOT NULL AND submitted_at IS NOT NULL))
);
CREATE INDEX inspection_establishment ON inspection (establishment_id, started_at DESC)
    WHERE status = 'submitted';
CREATE INDEX inspection_inspector_draft ON inspection (inspector_id) WHERE status = 'draft';
CREATE UNIQUE INDEX inspection_one_amendment ON inspection (amends_inspection_id)
    WHERE amends_inspection_id IS NOT NULL;

CREATE TABLE violation (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    scheme_code text NOT NULL,
    code text NOT NULL,
    observed text NOT NULL DEFAULT '' CHECK (length(observed) <= 4000),
    points integer NOT NULL CHECK (points >= 0),
    corrected_on_site boolean NOT NULL DEFAULT false,
    repeat boolean NOT NULL DEFAULT false,
    status text NOT NULL DEFAULT 'cited' CHECK (status IN ('cited', 'dismissed')),
    dismissed_reason text CHECK (dismissed_reason IS NULL OR length(dismissed_reason) BETWEEN 1 AND 2000),
    position integer NOT NULL,
    FOREIGN KEY (scheme_code, code) REFERENCES scheme_violation (scheme_code, code),
    CHECK ((status = 'dismissed') = (dismissed_reason IS NOT NULL)),
    UNIQUE (inspection_id, position)
);

-- What each establishment posts now, and the inspection it rests on.
CREATE TABLE posted_grade (
    establishment_id bigint PRIMARY KEY REFERENCES establishment (id),
    state text NOT NULL CHECK (state IN ('graded', 'not_yet_graded', 'pending', 'closed')),
    grade_code text NOT NULL DEFAULT '',
    grade_label text NOT NULL,
    score integer,
    inspection_id bigint REFERENCES inspection (id),
    issued_at timestamptz NOT NULL DEFAULT now()
);

-- Idempotency keys: the same key with the same request returns the first result; with a
-- different request it is refused. Kept at least 30 days (tablets stay offline for days).
CREATE TABLE idempotency_key (
    user_id bigint NOT NULL REFERENCES staff_user (id),
    key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request_hash text NOT NULL,
    status integer NOT NULL,
    response text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);

-- A submitted inspection and its violations never change.
CREATE FUNCTION inspection_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'submitted' THEN
            RAISE EXCEPTION 'inspection % is submitted and cannot be deleted', OLD.id
                USING ERRCODE = 'P0001';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'submitted' THEN
        RAISE EXCEPTION 'inspection % is submitted and cannot be changed; amend it instead', OLD.id
            USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER inspection_immutable BEFORE UPDATE OR DELETE ON inspection
    FOR EACH ROW EXECUTE FUNCTION inspection_refuse_change();

CREATE FUNCTION violation_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    -- Bulk loads (demo data, imports) write submitted inspections with their violations in
    -- one transaction and say so; everything else may only change a draft's violations.
    IF TG_OP = 'INSERT' AND current_setting('placard.bulk_load', true) = 'on' THEN
        RETURN NEW;
    END IF;
    SELECT status INTO st FROM inspection
        WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.inspection_id ELSE OLD.inspection_id END;
    IF st = 'submitted' THEN
        RAISE EXCEPTION 'the violations of a submitted inspection cannot be changed'
            USING ERRCODE = 'P0001';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER violation_immutable BEFORE INSERT OR UPDATE OR DELETE ON violation
    FOR EACH ROW EXECUTE FUNCTION violation_refuse_change();
