-- The trigger on tlog_tile (sql/0026_tlog.sql): a tile only grows, keeping its level, its
-- index and the hashes it had.
CREATE OR REPLACE FUNCTION tlog_tile_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.level <> OLD.level OR NEW.idx <> OLD.idx
       OR length(NEW.hashes) <= length(OLD.hashes)
       OR substring(NEW.hashes FROM 1 FOR length(OLD.hashes)) <> OLD.hashes THEN
        RAISE EXCEPTION 'a tile of the log''s tree only grows' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END $$;
