-- 0019_cjk_name_words.sql: parts of Chinese, Japanese and Korean names are found.
--
-- These scripts put no space between words, so PostgreSQL's parser takes a whole name,
-- "老北京炸酱面" (Old Beijing noodles), as one word, and a search for "炸酱面" (the noodles)
-- or "北京" found nothing: every search is by words (sql/0006_search.sql). Now each run of
-- such characters in a name also gives, as words of their own, each pair of neighbouring
-- characters and each character alone ("老北", "北京", "京炸", ..., "老", "北", ...),
-- the usual way to index text without spaces (bigrams, as Lucene's CJK analyser does); a
-- run typed is looked up as its pairs, all required ("炸酱面": "炸酱" and "酱面"), or as
-- its one character. Letters and digits next to such a run in the same word are words of
-- their own too ("老北京pizza": also "pizza"). Names in other scripts have the same words
-- as before.
--
-- name_tsvector() replaces to_tsvector('simple', name) wherever names are matched: the
-- full-text index, the search statements (src/store/statements.c), the dictionary, and the
-- words the server's index in memory is given (src/api/searchindex.c), so that the database
-- and the index still find the same names. name_query_words() (sql/0018) gives the words
-- of what was typed, for both: name_query() and the index in memory.

-- Han (with extension A and compatibility ideographs), hiragana, katakana and hangul
-- syllables, as a regular-expression bracket expression's contents.
CREATE FUNCTION name_cjk_chars() RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af'
$$;

-- The extra words of one word of a name (@typed false) or of what was typed (@typed true)
-- that holds such characters: per run of them, its pairs of neighbouring characters, and
-- its characters alone (in a name, or when a run typed is one character long); then the
-- letters and digits between the runs.
CREATE FUNCTION name_cjk_words(word text, typed boolean) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT g), '{}')
    FROM (SELECT substr(r.run, i, n) AS g
          FROM (SELECT m[1] AS run
                FROM regexp_matches(word, '[' || name_cjk_chars() || ']+', 'g') AS m) r,
               generate_series(1, length(r.run)) AS i, (VALUES (1), (2)) AS k(n)
          WHERE (n = 2 AND i < length(r.run))
             OR (n = 1 AND (NOT typed OR length(r.run) = 1))
          UNION ALL
          SELECT m[1]
          FROM regexp_matches(word, '[^' || name_cjk_chars() || ']+', 'g') AS m
          WHERE m[1] ~ '[[:alnum:]]') x
$$;

-- A name's words, for matching: to_tsvector('simple', name) and, for its words holding
-- Chinese, Japanese or Korean characters, their extra words. An expression without a
-- subquery, so that PostgreSQL inlines it: a name without such characters costs one
-- regular-expression test more than before.
CREATE FUNCTION name_cjk_tsvector(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, name) || array_to_tsvector(ARRAY(
        SELECT DISTINCT g
        FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, name))) AS w,
             unnest(name_cjk_words(w, false)) AS g
        WHERE w ~ ('[' || name_cjk_chars() || ']')))
$$;

CREATE FUNCTION name_tsvector(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN name ~ ('[' || name_cjk_chars() || ']') THEN name_cjk_tsvector(name)
                ELSE to_tsvector('simple'::regconfig, name) END
$$;

-- As in sql/0018_name_word_deletions_array.sql: the words of what was typed (its first 200
-- characters), distinct, in byte order; now a word holding Chinese, Japanese or Korean
-- characters stands for its extra words instead.
CREATE OR REPLACE FUNCTION name_query_words(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(
        SELECT DISTINCT w COLLATE "C"
        FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, left(q, 200)))) AS t,
             unnest(CASE WHEN t ~ ('[' || name_cjk_chars() || ']')
                         THEN name_cjk_words(t, true) ELSE ARRAY[t] END) AS w
        ORDER BY 1)
$$;

DROP INDEX establishment_name_words;
CREATE INDEX establishment_name_words ON establishment USING gin (name_tsvector(name));

-- As in sql/0006_search.sql, with the words name_tsvector() gives.
CREATE OR REPLACE FUNCTION name_words_refresh() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    CREATE TEMPORARY TABLE name_word_now ON COMMIT DROP AS
        SELECT DISTINCT w AS word
        FROM establishment e, unnest(tsvector_to_array(name_tsvector(e.name))) AS w;
    DELETE FROM name_word d WHERE NOT EXISTS (SELECT 1 FROM name_word_now x WHERE x.word = d.word);
    INSERT INTO name_word (word) SELECT word FROM name_word_now ON CONFLICT DO NOTHING;
    SELECT count(*) INTO n FROM name_word;
    DROP TABLE name_word_now;
    RETURN n;
END $$;

CREATE OR REPLACE FUNCTION name_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_word (word)
        SELECT DISTINCT w
        FROM changed e, unnest(tsvector_to_array(name_tsvector(e.name))) AS w
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

-- The dictionary gains the extra words of the names already there.
SELECT name_words_refresh();
ANALYZE establishment;
