-- Trigger violation_immutable (BEFORE UPDATE OR DELETE ON violation): a submitted
-- inspection's violations never change. New violations are checked per statement by
-- violation_refuse_insert().
CREATE OR REPLACE FUNCTION violation_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
