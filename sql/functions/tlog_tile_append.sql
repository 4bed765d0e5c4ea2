-- Append the hashes @p_add (32 bytes each, all within the tile) to tile (@p_level, @p_idx)
-- of the log's tree; when that fills the tile, append its root to its tile one level up.
CREATE OR REPLACE FUNCTION tlog_tile_append(p_level integer, p_idx bigint, p_add bytea)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    h bytea;
BEGIN
    INSERT INTO tlog_tile AS t (level, idx, hashes) VALUES (p_level, p_idx, p_add)
        ON CONFLICT (level, idx) DO UPDATE SET hashes = t.hashes || excluded.hashes
        RETURNING hashes INTO h;
    IF length(h) = 256 * 32 THEN
        PERFORM tlog_tile_append(p_level + 1, p_idx / 256, tlog_tile_root(h));
    END IF;
END $$;
