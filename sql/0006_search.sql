-- 0006_search.sql: the public search over establishments: typo-tolerant names, addresses,
-- postcodes, cuisines and distance.
--
-- Names are found in two steps, as measured in docs/performance (a similarity() scan over
-- a million names costs about half a second; correcting words costs milliseconds):
--   1. each word of the query is corrected against name_word, the dictionary of the distinct
--      words of all names (about 12,000 for a million names), by trigram similarity and by
--      edit distance (name_query());
--   2. the corrected words are matched exactly through a GIN full-text index on the names.
-- Words are those of to_tsvector('simple', name): lower case, no stemming, no stop words.
--
-- name_word stays current by trigger (inserts and renames, one statement at a time, so a
-- COPY of a million rows is one pass); name_words_refresh() rebuilds it from scratch and
-- also drops the words no name uses any more. Bulk loaders call it when they are done.
--
-- Distance has no PostGIS: a GiST index on point(longitude, latitude) answers a bounding
-- box, and the exact great-circle distance is computed for what is inside it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

CREATE TABLE name_word (
    word text PRIMARY KEY
);
CREATE INDEX name_word_trgm ON name_word USING gin (word gin_trgm_ops);

CREATE INDEX establishment_name_words ON establishment
    USING gin (to_tsvector('simple'::regconfig, name));
CREATE INDEX establishment_name_order ON establishment (name, id);
CREATE INDEX establishment_address_trgm ON establishment
    USING gin (address_line gin_trgm_ops);
CREATE INDEX establishment_postcode ON establishment
    (upper(replace(postcode, ' ', '')) text_pattern_ops);
CREATE INDEX establishment_cuisine ON establishment (lower(cuisine));
CREATE INDEX establishment_position ON establishment
    USING gist (point(longitude, latitude)) WHERE latitude IS NOT NULL;
CREATE INDEX posted_grade_code ON posted_grade (grade_code);

-- Rebuild the dictionary from the names as they are now. Returns the number of words.
CREATE FUNCTION name_words_refresh() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    CREATE TEMPORARY TABLE name_word_now ON COMMIT DROP AS
        SELECT DISTINCT w AS word
        FROM establishment e,
             unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) AS w;
    DELETE FROM name_word d WHERE NOT EXISTS (SELECT 1 FROM name_word_now x WHERE x.word = d.word);
    INSERT INTO name_word (word) SELECT word FROM name_word_now ON CONFLICT DO NOTHING;
    SELECT count(*) INTO n FROM name_word;
    DROP TABLE name_word_now;
    RETURN n;
END $$;

-- New words of the names a statement inserted or changed. Words a rename left unused stay
-- until the next refresh: they only cost a candidate that matches nothing.
CREATE FUNCTION name_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_word (word)
        SELECT DISTINCT w
        FROM changed e, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, e.name))) AS w
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER establishment_name_words_insert AFTER INSERT ON establishment
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION name_words_add();
CREATE TRIGGER establishment_name_words_update AFTER UPDATE ON establishment
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION name_words_add();

-- The full-text query for what someone typed as a name: every word must match (AND), each
-- as itself or as a dictionary word close to it: trigram neighbours, and words within an
-- edit distance that grows with the word (none up to 2 letters, 1 up to 5, 2 beyond).
-- At most 8 words are used. NULL when the text has no words.
CREATE FUNCTION name_query(q text) RETURNS tsquery LANGUAGE sql STABLE PARALLEL SAFE AS $$
    WITH typed AS (
        SELECT w, length(w) AS len,
               CASE WHEN length(w) <= 2 THEN 0 WHEN length(w) <= 5 THEN 1 ELSE 2 END AS dist
        FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, left(q, 200)))) AS w
        ORDER BY w
        LIMIT 8
    ),
    alternatives AS (
        SELECT t.w, c.word
        FROM typed t,
             LATERAL (
                 SELECT t.w AS word
                 UNION
                 (SELECT d.word FROM name_word d
                  WHERE t.len >= 3 AND d.word % t.w
                  ORDER BY d.word <-> t.w, d.word LIMIT 5)
                 UNION
                 (SELECT d.word FROM name_word d
                  WHERE t.dist > 0 AND length(d.word) BETWEEN t.len - t.dist AND t.len + t.dist
                    AND levenshtein_less_equal(d.word, t.w, t.dist) <= t.dist
                  ORDER BY levenshtein(d.word, t.w), d.word LIMIT 5)
             ) c
    )
    -- Each word quoted for tsquery's input: a quote doubled, a backslash escaped.
    SELECT string_agg('(' || alts || ')', ' & ')::tsquery
    FROM (SELECT w, string_agg('''' || replace(replace(word, '\', '\\'), '''', '''''') || '''',
                               ' | ' ORDER BY word) AS alts
          FROM alternatives GROUP BY w) a
$$;

SELECT name_words_refresh();
