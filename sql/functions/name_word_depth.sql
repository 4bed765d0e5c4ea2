-- The depth a dictionary word is stored with: the largest edit distance any typed word is
-- allowed to have from it (name_query: none up to 2 letters, 1 up to 5, 2 beyond; a 3-letter
-- word is more than 2 edits from every word of 6 letters or more).
--
-- Stored values depend on it: the generated column name_word.deletions. A change of what
-- it returns needs a migration that rebuilds them (docs/architecture.md, SQL in one place).
CREATE OR REPLACE FUNCTION name_word_depth(w text) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN length(w) <= 2 THEN 0 WHEN length(w) = 3 THEN 1 ELSE 2 END
$$;
