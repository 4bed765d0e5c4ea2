-- 0009_search_speed.sql: word correction through an index for the edit-distance step.
--
-- name_query() (sql/0006_search.sql) finds, for each word typed, the dictionary words within
-- an edit distance of 1 or 2. It did so by computing levenshtein() against every dictionary
-- word of a similar length: with the demo's 64,000 distinct words that is a scan of the whole
-- dictionary per word typed, 24 ms each, and most of a search's time. A length prefilter
-- does not help: nearly all words are 6 to 8 letters long.
--
-- Now each dictionary word is stored with the strings left by deleting up to 2 of its
-- letters (its "deletions"; 1 for 3-letter words, none for shorter ones), indexed. Two
-- words are within edit distance k only if some string is reachable from both by at most
-- k deletions each (a substitution is a deletion on both sides, an insertion on one side
-- a deletion on the other), so the candidates for a typed word are the dictionary words
-- sharing one of its deletions: a few dozen index lookups, then levenshtein() on the few
-- words found. The answers are the same words as before.

-- @w and the strings left by deleting up to @depth (0, 1 or 2) of its letters, repeats
-- included. PL/pgSQL: a SQL function of several UNIONs is planned again on every call.
CREATE FUNCTION word_deletions(w text, depth int) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    found text[] := ARRAY[w];
    one text;
    n int := length(w);
BEGIN
    IF depth >= 1 THEN
        FOR i IN 1..n LOOP
            one := left(w, i - 1) || substr(w, i + 1);
            found := found || one;
            IF depth >= 2 THEN
                FOR j IN 1..n - 1 LOOP
                    found := found || (left(one, j - 1) || substr(one, j + 1));
                END LOOP;
            END IF;
        END LOOP;
    END IF;
    RETURN found;
END $$;

-- The depth a dictionary word is stored with: the largest edit distance any typed word is
-- allowed to have from it (name_query: none up to 2 letters, 1 up to 5, 2 beyond; a 3-letter
-- word is more than 2 edits from every word of 6 letters or more).
CREATE FUNCTION name_word_depth(w text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN length(w) <= 2 THEN 0 WHEN length(w) = 3 THEN 1 ELSE 2 END
$$;

CREATE TABLE name_word_deletion (
    deletion text NOT NULL,
    word text NOT NULL REFERENCES name_word (word) ON DELETE CASCADE,
    PRIMARY KEY (deletion, word)
);
CREATE INDEX name_word_deletion_word ON name_word_deletion (word);

INSERT INTO name_word_deletion (deletion, word)
    SELECT DISTINCT v, d.word
    FROM name_word d, unnest(word_deletions(d.word, name_word_depth(d.word))) v;

-- New dictionary words bring their deletions (name_words_add and name_words_refresh insert
-- words; deleted words take theirs along by the foreign key).
CREATE FUNCTION name_word_deletions_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_word_deletion (deletion, word)
        SELECT DISTINCT v, a.word
        FROM added a, unnest(word_deletions(a.word, name_word_depth(a.word))) v
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER name_word_deletions_insert AFTER INSERT ON name_word
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION name_word_deletions_add();

-- As in 0006, but the edit-distance candidates come from name_word_deletion. PL/pgSQL keeps
-- the plan of its query for the session; a SQL function would plan it again on every call.
CREATE OR REPLACE FUNCTION name_query(q text) RETURNS tsquery
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN (
    WITH typed AS (
        SELECT w, len, dist, word_deletions(w, dist) AS deletions
        FROM (SELECT w, length(w) AS len,
                     CASE WHEN length(w) <= 2 THEN 0 WHEN length(w) <= 5 THEN 1 ELSE 2 END AS dist
              FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, left(q, 200)))) AS w
              ORDER BY w
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
                  ORDER BY d.word <-> t.w, d.word LIMIT 5)
                 UNION
                 (SELECT x.word
                  FROM (SELECT DISTINCT n.word FROM name_word_deletion n
                        WHERE t.dist > 0 AND n.deletion = ANY (t.deletions)) x
                  WHERE length(x.word) BETWEEN t.len - t.dist AND t.len + t.dist
                    AND levenshtein_less_equal(x.word, t.w, t.dist) <= t.dist
                  ORDER BY levenshtein(x.word, t.w), x.word LIMIT 5)
             ) c
    )
    -- Each word quoted for tsquery's input: a quote doubled, a backslash escaped.
    SELECT string_agg('(' || alts || ')', ' & ')::tsquery
    FROM (SELECT w, string_agg('''' || replace(replace(word, '\', '\\'), '''', '''''') || '''',
                               ' | ' ORDER BY word) AS alts
          FROM alternatives GROUP BY w) a);
END $$;

ANALYZE name_word_deletion;
