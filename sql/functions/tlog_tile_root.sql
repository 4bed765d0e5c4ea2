-- The root of a full tile's 256 hashes (@p_hashes, 8192 bytes): eight rounds of
-- SHA-256(0x01 || left || right) over neighbouring pairs, in the function's own loop (a
-- query a round took a third longer). It is the tile's hash in the tile one level up.
-- src/domain/tlog.c (tlog_fold) computes the same in C.
CREATE OR REPLACE FUNCTION tlog_tile_root(p_hashes bytea) RETURNS bytea
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    h bytea := p_hashes;
    up bytea;
    node constant bytea := '\x01'::bytea;
BEGIN
    WHILE length(h) > 32 LOOP
        up := ''::bytea;
        FOR i IN 0 .. length(h) / 64 - 1 LOOP
            up := up || digest(node || substring(h FROM i * 64 + 1 FOR 64), 'sha256');
        END LOOP;
        h := up;
    END LOOP;
    RETURN h;
END $$;
