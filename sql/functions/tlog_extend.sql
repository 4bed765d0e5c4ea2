-- Extend the log's Merkle tree (sql/0026_tlog.sql) to every sealed entry: the leaf hash of
-- entry seq is SHA-256(0x00 || the 32 bytes of its chain hash), at leaf index seq - 1.
-- Called by event_seal() under its lock, in the sealing transaction. Returns the tree size.
--
-- The tree takes only entries that follow on from its last leaf: the next sequence number,
-- linked (prev_hash) to the entry before. The sealer writes nothing else; an entry that
-- does not follow on can only come from someone changing event_log behind its trigger,
-- and the tree stops before it (with a warning), so that what it pins stays the history
-- that was sealed. placard verify-log then reports the tree behind the log.
CREATE OR REPLACE FUNCTION tlog_extend() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    target bigint;
    upto bigint;
    bad bigint;
    add bytea;
    start bigint;
BEGIN
    SELECT size INTO n FROM tlog_state;
    start := n;
    SELECT coalesce(max(seq), 0) INTO target FROM event_log;
    IF target <= n THEN
        RETURN n;
    END IF;
    WHILE n < target LOOP
        -- One level-0 tile at a time.
        upto := least(target, (n / 256 + 1) * 256);
        SELECT min(seq) INTO bad
            FROM (SELECT seq, prev_hash,
                         lag(seq) OVER (ORDER BY seq) AS seq_before,
                         lag(hash) OVER (ORDER BY seq) AS hash_before
                  FROM event_log
                  WHERE seq >= n AND seq <= upto) e
            WHERE seq > n
              AND (seq <> coalesce(seq_before, 0) + 1
                   OR prev_hash <> coalesce(hash_before, repeat('0', 64)));
        IF bad IS NOT NULL THEN
            RAISE WARNING 'the log''s tree stops at % entries: entry % does not follow on '
                          'from entry % (changed behind the trigger?)', bad - 1, bad, bad - 1;
            upto := bad - 1;
            IF upto <= n THEN
                EXIT;
            END IF;
        END IF;
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
        IF bad IS NOT NULL THEN
            EXIT;
        END IF;
    END LOOP;
    IF n > start THEN
        UPDATE tlog_state SET size = n;
    END IF;
    RETURN n;
END $$;
