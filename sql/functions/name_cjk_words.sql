-- The extra words of one word of a name (@typed false) or of what was typed (@typed true)
-- that holds such characters: per run of them, its pairs of neighbouring characters, and
-- its characters alone (in a name, or when a run typed is one character long); then the
-- letters and digits between the runs.
--
-- Stored values depend on it: the index establishment_name_words (through
-- name_tsvector()). A change of what it returns needs a migration that rebuilds them
-- (docs/architecture.md, SQL in one place).
CREATE OR REPLACE FUNCTION name_cjk_words(word text, typed boolean) RETURNS text[]
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
