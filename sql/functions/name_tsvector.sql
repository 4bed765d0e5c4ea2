-- A name's words for the full-text index establishment_name_words: to_tsvector('simple')
-- alone, unless the name holds Chinese, Japanese or Korean characters
-- (name_cjk_tsvector()).
CREATE OR REPLACE FUNCTION name_tsvector(name text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN name ~ ('[' || name_cjk_chars() || ']') THEN name_cjk_tsvector(name)
                ELSE to_tsvector('simple'::regconfig, name) END
$$;
