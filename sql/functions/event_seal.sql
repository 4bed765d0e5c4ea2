-- The single sealer (called every 50 ms by the server and before verification): moves up
-- to @p_max pending events into event_log in order, giving each the next sequence number and
-- a SHA-256 over the previous entry's hash and event_canonical() of its own content, and
-- extends the log's Merkle tree over them (tlog_extend_sealed(), from the leaf hashes it
-- computes on the way). Returns how many it sealed.
--
-- The lines that serve only the tree end in "-- tree": tests/bench/tlog removes exactly
-- those to measure, in its own throw-away database, what sealing costs without the tree.
CREATE OR REPLACE FUNCTION event_seal(p_max integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    r record;
    n integer := 0;
    ids bigint[] := '{}';
    h text;
    first_seq bigint; -- tree
    leaves bytea := ''::bytea; -- tree
BEGIN
    -- One sealer at a time; others return at once and leave the work to it.
    IF NOT pg_try_advisory_xact_lock(7261002) THEN
        RETURN 0;
    END IF;
    SELECT seq, hash INTO last_seq, last_hash FROM event_log ORDER BY seq DESC LIMIT 1;
    IF last_seq IS NULL THEN
        last_seq := 0;
        last_hash := repeat('0', 64);
    END IF;
    first_seq := last_seq; -- tree
    FOR r IN SELECT * FROM event_pending ORDER BY id LIMIT p_max LOOP
        last_seq := last_seq + 1;
        h := encode(digest(event_canonical(last_seq, last_hash, r.occurred_at, r.kind,
                                           r.subject, r.payload), 'sha256'), 'hex');
        INSERT INTO event_log (seq, occurred_at, kind, subject, payload, prev_hash, hash)
            VALUES (last_seq, r.occurred_at, r.kind, r.subject, r.payload, last_hash, h);
        last_hash := h;
        leaves := leaves || digest(decode('00', 'hex') || decode(h, 'hex'), 'sha256'); -- tree
        ids := ids || r.id;
        n := n + 1;
    END LOOP;
    DELETE FROM event_pending WHERE id = ANY (ids);
    PERFORM tlog_extend_sealed(first_seq, leaves); -- tree
    RETURN n;
END $$;
