-- 0004_event_log.sql: the tamper-evident public log of every state change.
--
-- Writers append to event_pending inside their own transaction (event_append), so an
-- event exists exactly when its change committed. A single sealer (event_seal, called every
-- 50 ms by the server and before verification) moves pending events into event_log in
-- order, giving each the next sequence number and a SHA-256 over the previous entry's hash
-- and a canonical serialisation of its own content. Hashing in one place, in batches, keeps
-- the chain off the writers' critical path (see docs/architecture.md for the measurements).
--
-- event_log refuses UPDATE, DELETE and TRUNCATE. Anyone can recompute the chain
-- (`placard verify-log`, or from GET /api/v1/log): a changed byte breaks it at that entry.
-- Payloads carry ids, codes, scores and reasons: never a person's name or contact details.

CREATE TABLE event_pending (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    kind text NOT NULL CHECK (kind ~ '^[a-z_.]{3,64}$'),
    subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 100),
    payload jsonb NOT NULL
);

CREATE TABLE event_log (
    seq bigint PRIMARY KEY CHECK (seq > 0),
    occurred_at timestamptz NOT NULL,
    kind text NOT NULL,
    subject text NOT NULL,
    payload jsonb NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL UNIQUE
);
CREATE INDEX event_log_subject ON event_log (subject, seq);

CREATE FUNCTION event_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION event_log_refuse();
CREATE TRIGGER event_log_no_truncate BEFORE TRUNCATE ON event_log
    FOR EACH STATEMENT EXECUTE FUNCTION event_log_refuse();

CREATE FUNCTION event_append(p_kind text, p_subject text, p_payload jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO event_pending (kind, subject, payload) VALUES (p_kind, p_subject, p_payload);
$$;

-- The bytes an entry's hash covers. placard verify-log builds the same text in C from the
-- columns (src/domain/eventlog.c); the two must never differ.
CREATE FUNCTION event_canonical(p_seq bigint, p_prev text, p_at timestamptz, p_kind text,
                                p_subject text, p_payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_seq::text || E'\n' || p_prev || E'\n'
        || to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || E'\n'
        || p_kind || E'\n' || p_subject || E'\n' || p_payload::text;
$$;

CREATE FUNCTION event_seal(p_max integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    last_seq bigint;
    last_hash text;
    r record;
    n integer := 0;
    ids bigint[] := '{}';
    h text;
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
    FOR r IN SELECT * FROM event_pending ORDER BY id LIMIT p_max LOOP
        last_seq := last_seq + 1;
        h := encode(digest(event_canonical(last_seq, last_hash, r.occurred_at, r.kind,
                                           r.subject, r.payload), 'sha256'), 'hex');
        INSERT INTO event_log (seq, occurred_at, kind, subject, payload, prev_hash, hash)
            VALUES (last_seq, r.occurred_at, r.kind, r.subject, r.payload, last_hash, h);
        last_hash := h;
        ids := ids || r.id;
        n := n + 1;
    END LOOP;
    DELETE FROM event_pending WHERE id = ANY (ids);
    RETURN n;
END $$;
