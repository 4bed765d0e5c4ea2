-- 0014_search_index.sql: the changes a server needs to keep its in-memory name index
-- current (src/api/searchindex.c, src/domain/nameindex.c).
--
-- Each statement that inserts, deletes or renames establishments records which ones, with
-- the id of its transaction. A server remembers the snapshot (pg_current_snapshot()) it
-- last read names in, and asks for the changes of the transactions that snapshot did not
-- see (pg_visible_in_snapshot), reading them in a new snapshot that it then remembers: a
-- change is applied exactly once however commits interleave, and a change still
-- uncommitted is found by a later ask. A statement touching more than 1,000 establishments
-- (an import, the demo loader) records one row without an establishment: "reload
-- everything".
--
-- Rows older than a day are pruned by the servers (search_index_prune); a server that has
-- not synced for that long reloads everything.

CREATE TABLE search_change (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    changed_at timestamptz NOT NULL DEFAULT now(),
    establishment_id bigint -- NULL: reload every name
);
CREATE INDEX search_change_xid ON search_change (xid);
CREATE INDEX search_change_changed_at ON search_change (changed_at);

CREATE FUNCTION search_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

CREATE TRIGGER establishment_search_insert AFTER INSERT ON establishment
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_changed();
CREATE TRIGGER establishment_search_update AFTER UPDATE ON establishment
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed
    FOR EACH STATEMENT EXECUTE FUNCTION search_changed();
CREATE TRIGGER establishment_search_delete AFTER DELETE ON establishment
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_changed();

-- name_query() (sql/0009_search_speed.sql) as before, but with ties between equally close
-- words broken in byte order, whatever the database's collation: the index in memory breaks
-- them the same way, so both find the same names.
CREATE OR REPLACE FUNCTION name_query(q text) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
    WITH typed AS (
        SELECT w, len, dist, word_deletions(w, dist) AS deletions
        FROM (SELECT w, length(w) AS len,
                     CASE WHEN length(w) <= 2 THEN 0 WHEN length(w) <= 5 THEN 1 ELSE 2 END AS dist
              FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, left(q, 200)))) AS w
              ORDER BY w COLLATE "C"
              LIMIT 8) words
    ),
    alternatives AS (
        SELECT t.w, c.word
        FROM typed t,
             LATERAL (
                 SELECT t.w AS word
                 UNION
                 (SELECT d.word FROM name_word d
                  WHERE t.len >= 3 AND d.word % t.w
                  ORDER BY d.word <-> t.w, d.word COLLATE "C" LIMIT 5)
                 UNION
                 (SELECT x.word
                  FROM (SELECT DISTINCT n.word FROM name_word_deletion n
                        WHERE t.dist > 0 AND n.deletion = ANY (t.deletions)) x
                  WHERE length(x.word) BETWEEN t.len - t.dist AND t.len + t.dist
                    AND levenshtein_less_equal(x.word, t.w, t.dist) <= t.dist
                  ORDER BY levenshtein(x.word, t.w), x.word COLLATE "C" LIMIT 5)
             ) c
    )
    -- Each word quoted for tsquery's input: a quote doubled, a backslash escaped.
    SELECT string_agg('(' || alts || ')', ' & ')::tsquery
    FROM (SELECT w, string_agg('''' || replace(replace(word, '\', '\\'), '''', '''''') || '''',
                               ' | ' ORDER BY word) AS alts
          FROM alternatives GROUP BY w) a);
END $$;
