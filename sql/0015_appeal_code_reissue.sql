-- A new appeal code for a submitted inspection (POST /api/v1/inspections/{id}/appeal-code),
-- when the operator lost the report. The code's hash is a credential, not part of the
-- record: it is the one column of a submitted inspection that may change, and changing it
-- leaves the version as it was. Everything else stays refused, as before.

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

CREATE OR REPLACE FUNCTION inspection_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'submitted' THEN
        RETURN NEW; -- only the appeal code changed (inspection_refuse_change ran first)
    END IF;
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END $$;
