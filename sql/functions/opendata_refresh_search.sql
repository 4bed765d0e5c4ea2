-- Rebuild the search dictionary after a bulk change, when the search migration provides one.
CREATE OR REPLACE FUNCTION opendata_refresh_search() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF to_regproc('name_words_refresh') IS NOT NULL THEN
        EXECUTE 'SELECT name_words_refresh()';
    END IF;
END $$;
