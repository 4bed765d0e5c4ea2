-- Han (with extension A and compatibility ideographs), hiragana, katakana and hangul
-- syllables, as a regular-expression bracket expression's contents.
--
-- Stored values depend on it: the index establishment_name_words (through
-- name_tsvector()). A change of what it returns needs a migration that rebuilds them
-- (docs/architecture.md, SQL in one place).
CREATE OR REPLACE FUNCTION name_cjk_chars() RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT '\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af'
$$;
