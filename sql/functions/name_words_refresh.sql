-- Rebuild the dictionary of name words (name_word) from every establishment's name, with
-- the words name_tsvector() gives. Returns the number of words.
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
