-- Readings and photos of a submitted inspection never change (as its violations).
CREATE OR REPLACE FUNCTION inspection_evidence_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
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
