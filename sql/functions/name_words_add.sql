-- New words of the names a statement inserted or changed. Words a rename left unused stay
-- until the next refresh: they only cost a candidate that matches nothing.
CREATE OR REPLACE FUNCTION name_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO name_word (word)
        SELECT DISTINCT w
        FROM changed e, unnest(tsvector_to_array(name_tsvector(e.name))) AS w
        ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
