-- Trigger inspection_version: every change of a draft raises inspection.version (the
-- inspection's ETag). Fires after inspection_immutable (triggers fire in name order), so a
-- submitted inspection gets here only when its appeal code alone changed, and then keeps its
-- version.
CREATE OR REPLACE FUNCTION inspection_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'submitted' THEN
        RETURN NEW; -- only the appeal code changed (inspection_refuse_change ran first)
    END IF;
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END $$;
