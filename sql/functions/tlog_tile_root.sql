-- The root of a full tile's 256 hashes (@p_hashes, 8192 bytes): eight rounds of
-- SHA-256(0x01 || left || right) over neighbouring pairs. It is the tile's hash in the tile
-- one level up. src/domain/tlog.c (tlog_fold) computes the same in C.
CREATE OR REPLACE FUNCTION tlog_tile_root(p_hashes bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    h bytea := p_hashes;
BEGIN
    WHILE length(h) > 32 LOOP
        SELECT string_agg(digest(decode('01', 'hex') || substring(h FROM i * 64 + 1 FOR 64),
                                 'sha256'), ''::bytea ORDER BY i)
            INTO h
            FROM generate_series(0, length(h) / 64 - 1) AS i;
    END LOOP;
    RETURN h;
END $$;
