-- True when the inspection's chain was overturned on appeal: it no longer counts.
CREATE OR REPLACE FUNCTION inspection_overturned(p_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM appeal a
                   WHERE a.inspection_id = inspection_root(p_id) AND a.state = 'overturned');
$$;
