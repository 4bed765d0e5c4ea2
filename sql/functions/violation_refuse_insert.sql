-- New violations of a submitted inspection are refused, one check per statement. Bulk loads
-- (placard demo, placard import) write submitted inspections with their violations in one
-- transaction and say so (placard.bulk_load), as before.
CREATE OR REPLACE FUNCTION violation_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('placard.bulk_load', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM added v JOIN inspection i ON i.id = v.inspection_id
               WHERE i.status = 'submitted') THEN
        RAISE EXCEPTION 'the violations of a submitted inspection cannot be changed'
            USING ERRCODE = 'P0001';
    END IF;
    RETURN NULL;
END $$;
