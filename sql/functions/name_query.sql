-- The full-text query for what someone typed as a name: every word must match (AND), each
-- as itself or as a dictionary word close to it: trigram neighbours, and words within an
-- edit distance that grows with the word (none up to 2 letters, 1 up to 5, 2 beyond), found
-- by overlap of their deletions (name_word.deletions). The typed words come from
-- name_query_words(); at most 8 are used. Ties between equally close words are broken in
-- byte order, whatever the database's collation: the index in memory
-- (src/domain/nameindex.c) breaks them the same way. NULL when the text has no words.
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
