-- Trigger inspection_immutable: a submitted inspection never changes and is never deleted,
-- except for its appeal code's hash (a credential, not part of the record: a new code may be
-- issued when the operator lost the report).
CREATE OR REPLACE FUNCTION inspection_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'submitted' THEN
            RAISE EXCEPTION 'inspection % is submitted and cannot be deleted', OLD.id
                USING ERRCODE = 'P0001';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status = 'submitted' THEN
        IF (to_jsonb(NEW) - 'appeal_code_hash') = (to_jsonb(OLD) - 'appeal_code_hash') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'inspection % is submitted and cannot be changed; amend it instead', OLD.id
            USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
