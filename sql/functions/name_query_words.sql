-- The words of what was typed (its first 200 characters), distinct, in byte order; a word
-- holding Chinese, Japanese or Korean characters stands for its extra words
-- (name_cjk_words()) instead.
CREATE OR REPLACE FUNCTION name_query_words(q text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(
        SELECT DISTINCT w COLLATE "C"
        FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, left(q, 200)))) AS t,
             unnest(CASE WHEN t ~ ('[' || name_cjk_chars() || ']')
                         THEN name_cjk_words(t, true) ELSE ARRAY[t] END) AS w
        ORDER BY 1)
$$;
