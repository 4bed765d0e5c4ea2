-- Triggers establishment_search_*: record which establishments a statement inserted,
-- deleted or renamed, with its transaction's id, for the servers' in-memory name index
-- (src/records/searchindex.c). A statement touching more than 1,000 establishments records one
-- row without an establishment: "reload everything".
CREATE OR REPLACE FUNCTION search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(n.id) INTO ids
        FROM changed n JOIN previous o ON o.id = n.id
        WHERE n.name IS DISTINCT FROM o.name;
    ELSE
        SELECT array_agg(id) INTO ids FROM changed;
    END IF;
    IF cardinality(ids) > 1000 THEN
        INSERT INTO search_change (establishment_id) VALUES (NULL);
    ELSIF cardinality(ids) > 0 THEN
        INSERT INTO search_change (establishment_id) SELECT unnest(ids);
    END IF;
    RETURN NULL;
END $$;
