-- 0008_tablet.sql: what the inspector's tablet records beside the violations, and what it
-- needs to work offline and sync safely.
--
-- * inspection.version: a counter raised by every change of the row (trigger), published as
--   the inspection's ETag. PATCH requires If-Match, so two devices editing the same draft
--   can never overwrite each other silently: the second one gets 412 and shows a conflict.
-- * inspection.checklist: the checklist marks (in / out / not observed / not applicable)
--   for the catalogue items the inspector looked at; "out" items are the cited violations.
-- * inspection_reading: temperature readings (what, where, when, degrees C or F).
-- * inspection_photo: photos as evidence, stored with the SHA-256 the tablet computed when
--   the photo was taken and the server checked on arrival. Photos never change; they may be
--   removed from a draft, never from a submitted inspection.
-- * inspector_assignment: which inspector is responsible for an establishment's visits
--   (the due list of the tablet app).

ALTER TABLE inspection ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE inspection ADD COLUMN checklist jsonb NOT NULL DEFAULT '{}'::jsonb
    CHECK (jsonb_typeof(checklist) = 'object');

CREATE FUNCTION inspection_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END $$;
-- Runs after inspection_immutable (triggers fire in name order), so only drafts get here.
CREATE TRIGGER inspection_version BEFORE UPDATE ON inspection
    FOR EACH ROW EXECUTE FUNCTION inspection_bump_version();

CREATE TABLE inspection_reading (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    position integer NOT NULL,
    item text NOT NULL CHECK (length(item) BETWEEN 1 AND 200),
    location text NOT NULL DEFAULT '' CHECK (length(location) <= 200),
    value numeric(5, 1) NOT NULL,
    unit text NOT NULL CHECK (unit IN ('C', 'F')),
    taken_at timestamptz NOT NULL,
    -- The catalogue item the reading supports (e.g. NYC 02G cold holding), or NULL.
    code text CHECK (code IS NULL OR length(code) <= 16),
    CHECK (CASE unit WHEN 'C' THEN value BETWEEN -50 AND 300 ELSE value BETWEEN -58 AND 572 END),
    UNIQUE (inspection_id, position)
);

CREATE TABLE inspection_photo (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    client_id text NOT NULL CHECK (client_id ~ '^[A-Za-z0-9-]{8,64}$'),
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
    data bytea NOT NULL,
    size_bytes integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 1048576),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    width integer CHECK (width IS NULL OR width BETWEEN 1 AND 10000),
    height integer CHECK (height IS NULL OR height BETWEEN 1 AND 10000),
    code text CHECK (code IS NULL OR length(code) <= 16),
    taken_at timestamptz NOT NULL,
    uploaded_by bigint NOT NULL REFERENCES staff_user (id),
    uploaded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (inspection_id, client_id),
    CHECK (size_bytes = length(data)),
    CHECK (sha256 = encode(sha256(data), 'hex'))
);
CREATE INDEX inspection_photo_inspection ON inspection_photo (inspection_id, id);

-- Readings and photos of a submitted inspection never change (as its violations).
CREATE FUNCTION inspection_evidence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'inspection_photo' THEN
        RAISE EXCEPTION 'a photo never changes once stored' USING ERRCODE = 'P0001';
    END IF;
    SELECT status INTO st FROM inspection
        WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.inspection_id ELSE OLD.inspection_id END;
    IF st = 'submitted' THEN
        RAISE EXCEPTION 'the evidence of a submitted inspection cannot be changed'
            USING ERRCODE = 'P0001';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER inspection_reading_immutable BEFORE INSERT OR UPDATE OR DELETE ON inspection_reading
    FOR EACH ROW EXECUTE FUNCTION inspection_evidence_refuse_change();
CREATE TRIGGER inspection_photo_immutable BEFORE INSERT OR UPDATE OR DELETE ON inspection_photo
    FOR EACH ROW EXECUTE FUNCTION inspection_evidence_refuse_change();

CREATE TABLE inspector_assignment (
    establishment_id bigint PRIMARY KEY REFERENCES establishment (id),
    inspector_id bigint NOT NULL REFERENCES staff_user (id),
    assigned_by bigint NOT NULL REFERENCES staff_user (id),
    assigned_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspector_assignment_inspector ON inspector_assignment (inspector_id);

-- An edit refused because the draft changed since the device last saw it (412): kept, with
-- the refused document, until someone resolves it. Both devices show it meanwhile, and the
-- draft cannot be submitted while a conflict is open.
CREATE TABLE inspection_conflict (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    user_id bigint NOT NULL REFERENCES staff_user (id),
    base_version integer NOT NULL,
    current_version integer NOT NULL,
    refused_document jsonb NOT NULL,
    flagged_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolved_by bigint REFERENCES staff_user (id),
    resolution text CHECK (resolution IS NULL OR resolution IN ('kept_server', 'kept_device')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL) AND (resolved_at IS NULL) = (resolved_by IS NULL))
);
CREATE INDEX inspection_conflict_open ON inspection_conflict (inspection_id) WHERE resolved_at IS NULL;
