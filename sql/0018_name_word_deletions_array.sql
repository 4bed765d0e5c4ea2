-- 0018_name_word_deletions_array.sql: a dictionary word's deletions kept in its own row.
--
-- name_word_deletion (sql/0009_search_speed.sql) held one row per deletion of each
-- dictionary word, about 23 per word, in a B-tree on (deletion, word). Keeping it current
-- was most of the cost of adding names: for the 5,430 new words of the San Francisco LIVES
-- feed, 124,000 rows computed, sorted, made distinct and inserted one by one into the
-- B-tree, 0.3 s of the import's 1.9 s; for the 560 rows of the NYC portal sample, 41 ms of
-- its 115 ms in the database.
--
-- Now each word's deletions are a generated column of its name_word row, found through a
-- GIN index: adding a word is one row, and a removed word takes its deletions with it, so
-- the triggers of sql/0013_import_speed.sql go too. The index takes new entries into its
-- pending list, and a vacuum merges them into the index later (0.23 s for those 5,430
-- words), off the writer's path. name_query() asks for the words whose deletions overlap
-- the typed word's; the words found, and so the searches' answers, are the same.

ALTER TABLE name_word
    ADD COLUMN deletions text[] NOT NULL
    GENERATED ALWAYS AS (word_deletions(word, name_word_depth(word))) STORED;
CREATE INDEX name_word_deletions ON name_word USING gin (deletions);

-- A GIN index takes new entries into its pending list, which the next vacuum merges into the
-- index proper; until then every lookup reads the whole list (after the 4,300 new words of
-- an import into the million-name database: 16 ms a word typed instead of 2 ms). Autovacuum
-- takes the dictionary once 200 words were added, within a minute of an import, instead of
-- after a fifth of the dictionary.
ALTER TABLE name_word SET (autovacuum_vacuum_insert_threshold = 200,
                           autovacuum_vacuum_insert_scale_factor = 0);

DROP TRIGGER name_word_deletions_insert ON name_word;
DROP TRIGGER name_word_deletions_delete ON name_word;
DROP TRIGGER name_word_deletions_update ON name_word;
DROP TRIGGER name_word_deletions_truncate ON name_word;
DROP FUNCTION name_word_deletions_add();
DROP FUNCTION name_word_deletions_truncate();
DROP TABLE name_word_deletion;

-- The words of what was typed (its first 200 characters), distinct, in byte order: what
-- name_query() corrects, and what the server's index in memory is given
-- (src/store/statements.c, search_index_sync).
CREATE FUNCTION name_query_words(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(
        SELECT w COLLATE "C"
        FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, left(q, 200)))) AS w
        ORDER BY 1)
$$;

-- As in sql/0014_search_index.sql, with the edit-distance candidates found by overlap and
-- the typed words from name_query_words().
CREATE OR REPLACE FUNCTION name_query(q text) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
    WITH typed AS (
        SELECT w, len, dist, word_deletions(w, dist) AS deletions
        FROM (SELECT w, length(w) AS len,
                     CASE WHEN length(w) <= 2 THEN 0 WHEN length(w) <= 5 THEN 1 ELSE 2 END AS dist
              FROM unnest(name_query_words(q)) AS w
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
                 (SELECT n.word FROM name_word n
                  WHERE t.dist > 0 AND n.deletions && t.deletions
                    AND length(n.word) BETWEEN t.len - t.dist AND t.len + t.dist
                    AND levenshtein_less_equal(n.word, t.w, t.dist) <= t.dist
                  ORDER BY levenshtein(n.word, t.w), n.word COLLATE "C" LIMIT 5)
             ) c
    )
    -- Each word quoted for tsquery's input: a quote doubled, a backslash escaped.
    SELECT string_agg('(' || alts || ')', ' & ')::tsquery
    FROM (SELECT w, string_agg('''' || replace(replace(word, '\', '\\'), '''', '''''') || '''',
                               ' | ' ORDER BY word) AS alts
          FROM alternatives GROUP BY w) a);
END $$;

ANALYZE name_word;
