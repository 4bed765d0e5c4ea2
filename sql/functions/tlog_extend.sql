-- Extend the log's Merkle tree (sql/0026_tlog.sql) to every sealed entry: the leaf hash of
-- entry seq is SHA-256(0x00 || the 32 bytes of its chain hash), at leaf index seq - 1.
-- Called by event_seal() under its lock, in the sealing transaction. Returns the tree size.
CREATE OR REPLACE FUNCTION tlog_extend() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    target bigint;
    upto bigint;
    add bytea;
BEGIN
    SELECT size INTO n FROM tlog_state;
    SELECT coalesce(max(seq), 0) INTO target FROM event_log;
    IF target <= n THEN
        RETURN n;
    END IF;
    WHILE n < target LOOP
        -- One level-0 tile at a time.
        upto := least(target, (n / 256 + 1) * 256);
        SELECT string_agg(digest(decode('00', 'hex') || decode(hash, 'hex'), 'sha256'),
                          ''::bytea ORDER BY seq)
            INTO add
            FROM event_log
            WHERE seq > n AND seq <= upto;
        IF coalesce(length(add), 0) <> (upto - n) * 32 THEN
            RAISE EXCEPTION 'event_log has no entry for some sequence number from % to %',
                n + 1, upto;
        END IF;
        PERFORM tlog_tile_append(0, n / 256, add);
        n := upto;
    END LOOP;
    UPDATE tlog_state SET size = n;
    RETURN n;
END $$;
