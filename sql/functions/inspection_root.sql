-- The root of an inspection's chain (see inspection_chain()): the inspection as first
-- submitted. NULL when @p_id is no inspection. PL/pgSQL, so that its plan is kept per
-- connection (the public record calls it for every read).
CREATE OR REPLACE FUNCTION inspection_root(p_id bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    cur bigint := p_id;
    up bigint;
BEGIN
    LOOP
        SELECT amends_inspection_id INTO up FROM inspection WHERE id = cur;
        IF NOT FOUND THEN
            RETURN NULL;
        END IF;
        IF up IS NULL THEN
            RETURN cur;
        END IF;
        cur := up;
    END LOOP;
END $$;
