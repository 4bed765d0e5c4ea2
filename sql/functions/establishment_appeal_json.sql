-- The appeal the establishment's record shows: the open one, else the latest.
CREATE OR REPLACE FUNCTION establishment_appeal_json(p_est bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $$
DECLARE
    a_id bigint;
BEGIN
    SELECT a.id INTO a_id FROM appeal a WHERE a.establishment_id = p_est
    ORDER BY appeal_state_open(a.state) DESC, a.id DESC
    LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    RETURN appeal_public_json(a_id);
END $$;
