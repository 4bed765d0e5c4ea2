-- 0027_scheme_versions.sql: every published version of a scoring scheme, kept forever, and the
-- version each inspection was graded under.
--
-- A scheme is a JSON document (docs/schemes.md). Publishing a changed document adds a version
-- (`placard scheme publish`, and `placard migrate` for the built-in documents in schemes/);
-- a version never changes and is never deleted. A version applies to inspections whose visit
-- started on or after its applies_from date (in the jurisdiction's time zone); a scheme's
-- first version applies to every inspection before it too. Grading at submission uses the
-- version in force at the visit's date and records it on the inspection; an amendment keeps
-- the version of the inspection it amends. scheme.version and scheme.definition hold the
-- latest version, as before; what the public sees during an appeal (public_grade(),
-- public_grade_differs() and the search's shortcut) follows the rules of the inspection's
-- version.

CREATE TABLE scheme_version (
    id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,   -- publication order
    scheme_code text NOT NULL REFERENCES scheme (code),
    version integer NOT NULL CHECK (version > 0),
    document jsonb NOT NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    applies_from date NOT NULL,
    -- What the public sees during an appeal follows the rules of the version an inspection
    -- was graded under (public_grade()); its common case reads this flag, not the document.
    withholds_new_ratings boolean GENERATED ALWAYS AS
        (coalesce((document -> 'rules' ->> 'withhold_until_appeal_decided')::boolean, false))
        STORED,
    PRIMARY KEY (scheme_code, version)
);

-- As in sql/functions/scheme_version_refuse_change.sql (the triggers need it before the
-- function files are applied).
CREATE OR REPLACE FUNCTION scheme_version_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'scheme versions are never changed or deleted; publish a new version'
        USING ERRCODE = 'P0001';
END $$;

CREATE TRIGGER scheme_version_immutable BEFORE UPDATE OR DELETE ON scheme_version
    FOR EACH ROW EXECUTE FUNCTION scheme_version_refuse_change();
CREATE TRIGGER scheme_version_no_truncate BEFORE TRUNCATE ON scheme_version
    FOR EACH STATEMENT EXECUTE FUNCTION scheme_version_refuse_change();

-- What the database holds now is each scheme's version 1 (the built-in schemes as the engine
-- published them, and the imported ones), in force from the beginning. The built-in schemes
-- first, in the engine's order, which is the order the list of schemes keeps.
INSERT INTO scheme_version (scheme_code, version, document, published_at, applies_from)
SELECT code, version, definition || jsonb_build_object('version', version), updated_at,
       '-infinity'::date
FROM scheme
ORDER BY coalesce(array_position(ARRAY['nyc', 'fhrs', 'cn-faces', 'sf100'], code), 5), code;

-- Every inspection so far was graded under its scheme's version 1. Adding the column with a
-- default fills the existing rows without an UPDATE (the submitted ones refuse changes).
ALTER TABLE inspection ADD COLUMN scheme_version integer NOT NULL DEFAULT 1;
ALTER TABLE inspection ADD CONSTRAINT inspection_scheme_version
    FOREIGN KEY (scheme_code, scheme_version) REFERENCES scheme_version (scheme_code, version);
