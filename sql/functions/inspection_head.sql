-- The head of an inspection's chain (see inspection_chain()): its current revision.
CREATE OR REPLACE FUNCTION inspection_head(p_id bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT c.id FROM inspection_chain(p_id) c
    WHERE NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = c.id);
$$;
