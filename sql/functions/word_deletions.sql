-- @w and the strings left by deleting up to @depth (0, 1 or 2) of its letters, repeats
-- included. PL/pgSQL: a SQL function of several UNIONs is planned again on every call.
--
-- Stored values depend on it: the generated column name_word.deletions. A change of what
-- it returns needs a migration that rebuilds them (docs/architecture.md, SQL in one place).
CREATE OR REPLACE FUNCTION word_deletions(w text, depth int) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    found text[] := ARRAY[w];
    one text;
    n int := length(w);
BEGIN
    IF depth >= 1 THEN
        FOR i IN 1..n LOOP
            -- Deleting any letter of a run of equal letters leaves the same string: the
            -- run's first letter stands for the others.
            CONTINUE WHEN i > 1 AND substr(w, i - 1, 1) = substr(w, i, 1);
            one := left(w, i - 1) || substr(w, i + 1);
            found := found || one;
            IF depth >= 2 THEN
                -- Only second letters after the first: deleting j then i is deleting i then j.
                FOR j IN i..n - 1 LOOP
                    found := found || (left(one, j - 1) || substr(one, j + 1));
                END LOOP;
            END IF;
        END LOOP;
    END IF;
    RETURN found;
END $$;
