-- An inspection and its amendments form a chain (one amendment per inspection). The root is
-- the inspection as first submitted (whose appeal code the operator holds); the head is the
-- current revision.
CREATE OR REPLACE FUNCTION inspection_chain(p_id bigint) RETURNS TABLE (id bigint)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up AS (
        SELECT i.id, i.amends_inspection_id FROM inspection i WHERE i.id = p_id
        UNION ALL
        SELECT i.id, i.amends_inspection_id FROM inspection i JOIN up ON i.id = up.amends_inspection_id
    ), down AS (
        SELECT up.id FROM up WHERE up.amends_inspection_id IS NULL
        UNION ALL
        SELECT i.id FROM inspection i JOIN down ON i.amends_inspection_id = down.id
    )
    SELECT down.id FROM down;
$$;
