-- Triggers scheme_version_immutable and scheme_version_no_truncate: a published version of a
-- scoring scheme is public forever, and the grades given under it rest on it: it never
-- changes and is never deleted. A changed scheme is a new version.
CREATE OR REPLACE FUNCTION scheme_version_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'scheme versions are never changed or deleted; publish a new version'
        USING ERRCODE = 'P0001';
END $$;
