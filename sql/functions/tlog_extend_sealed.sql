-- Extend the log's Merkle tree over the entries event_seal() has just sealed, in its
-- transaction: @p_after is the sequence number they follow, @p_leaves their leaf hashes in
-- order (SHA-256(0x00 || chain hash), 32 bytes each). It does what tlog_extend() does
-- without reading the entries back from event_log: the sealer numbered and linked them
-- itself, under its lock. When the tree does not end exactly at @p_after (it has not been
-- built over older entries yet, or it stopped before an entry changed behind the trigger),
-- tlog_extend() does the general work instead, checks included. Returns the tree's size.
CREATE OR REPLACE FUNCTION tlog_extend_sealed(p_after bigint, p_leaves bytea)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
    k integer := length(p_leaves) / 32;
    done integer := 0;
    take integer;
BEGIN
    SELECT size INTO n FROM tlog_state;
    IF n <> p_after OR length(p_leaves) % 32 <> 0 THEN
        RETURN tlog_extend();
    END IF;
    IF k = 0 THEN
        RETURN n;
    END IF;
    -- One level-0 tile at a time, as tlog_extend().
    WHILE done < k LOOP
        take := least(k - done, 256 - (n % 256)::integer);
        PERFORM tlog_tile_append(0, n / 256, substring(p_leaves FROM done * 32 + 1 FOR take * 32));
        n := n + take;
        done := done + take;
    END LOOP;
    UPDATE tlog_state SET size = n;
    RETURN n;
END $$;
