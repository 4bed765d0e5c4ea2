-- A name's words, for matching: to_tsvector('simple', name) and, for its words holding
-- Chinese, Japanese or Korean characters, their extra words. An expression without a
-- subquery, so that PostgreSQL inlines it: a name without such characters costs one
-- regular-expression test more than before.
--
-- Stored values depend on it: the index establishment_name_words (through
-- name_tsvector()). A change of what it returns needs a migration that rebuilds them
-- (docs/architecture.md, SQL in one place).
CREATE OR REPLACE FUNCTION name_cjk_tsvector(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT to_tsvector('simple'::regconfig, name) || array_to_tsvector(ARRAY(
        SELECT DISTINCT g
        FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, name))) AS w,
             unnest(name_cjk_words(w, false)) AS g
        WHERE w ~ ('[' || name_cjk_chars() || ']')))
$$;
