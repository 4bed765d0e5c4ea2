-- A name's words for the full-text index establishment_name_words: to_tsvector('simple')
-- alone, unless the name holds Chinese, Japanese or Korean characters
-- (name_cjk_tsvector()).
--
-- Stored values depend on it: the index establishment_name_words. A change of what it
-- returns needs a migration that rebuilds them (docs/architecture.md, SQL in one place).
CREATE OR REPLACE FUNCTION name_tsvector(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN name ~ ('[' || name_cjk_chars() || ']') THEN name_cjk_tsvector(name)
                ELSE to_tsvector('simple'::regconfig, name) END
$$;
