-- 0029_scheme_assignments.sql: a jurisdiction moves to another scoring scheme on a date, and
-- the violation descriptions of each published scheme version.
--
-- jurisdiction.scheme_code is the scheme a jurisdiction started with, in force from the
-- beginning. An assignment (jurisdiction_scheme) puts it on another scheme from a date on:
-- an inspection is filed under the scheme in force on the day its visit started, in the
-- jurisdiction's time zone (jurisdiction_scheme_at()), and graded under that scheme's version
-- in force that day (scheme_version_at()). An assignment is never changed or deleted, never
-- applies from a day on or before a submitted inspection's visit in the jurisdiction, and is
-- logged in the public event log ("jurisdiction.scheme_assigned").
--
-- scheme_version_violation holds each version's catalogue descriptions, so that what is
-- shown beside a cited violation is the wording of the version the inspection was graded
-- under, not the latest (scheme_violation keeps the latest, which foreign keys check).

CREATE TABLE jurisdiction_scheme (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    jurisdiction_id bigint NOT NULL REFERENCES jurisdiction (id),
    scheme_code text NOT NULL REFERENCES scheme (code),
    applies_from date NOT NULL,
    assigned_at timestamptz NOT NULL DEFAULT now(),
    assigned_by bigint REFERENCES staff_user (id),
    UNIQUE (jurisdiction_id, applies_from)
);

-- As in sql/functions/jurisdiction_scheme_refuse_change.sql (the triggers need it before the
-- function files are applied).
CREATE OR REPLACE FUNCTION jurisdiction_scheme_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'scheme assignments are never changed or deleted; assign again from a later date'
        USING ERRCODE = 'P0001';
END $$;

CREATE TRIGGER jurisdiction_scheme_immutable BEFORE UPDATE OR DELETE ON jurisdiction_scheme
    FOR EACH ROW EXECUTE FUNCTION jurisdiction_scheme_refuse_change();
CREATE TRIGGER jurisdiction_scheme_no_truncate BEFORE TRUNCATE ON jurisdiction_scheme
    FOR EACH STATEMENT EXECUTE FUNCTION jurisdiction_scheme_refuse_change();

CREATE TABLE scheme_version_violation (
    scheme_code text NOT NULL,
    version integer NOT NULL,
    code text NOT NULL,
    description text NOT NULL,
    PRIMARY KEY (scheme_code, version, code),
    FOREIGN KEY (scheme_code, version) REFERENCES scheme_version (scheme_code, version)
);

INSERT INTO scheme_version_violation (scheme_code, version, code, description)
SELECT v.scheme_code, v.version, x ->> 'code', x ->> 'description'
FROM scheme_version v, jsonb_array_elements(v.document -> 'violations') x
WHERE x ->> 'code' IS NOT NULL AND x ->> 'description' IS NOT NULL
ON CONFLICT DO NOTHING;
