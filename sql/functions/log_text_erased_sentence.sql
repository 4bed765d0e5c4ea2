-- The sentence that takes an erased text's place where a record displays it.
CREATE OR REPLACE FUNCTION log_text_erased_sentence() RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT 'This text was erased: it held personal data.'::text;
$$;
