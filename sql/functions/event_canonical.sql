-- The bytes an entry's hash covers. placard verify-log builds the same text in C from the
-- columns (src/domain/eventlog.c); the two must never differ.
CREATE OR REPLACE FUNCTION event_canonical(p_seq bigint, p_prev text, p_at timestamptz, p_kind text,
                                p_subject text, p_payload jsonb) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT p_seq::text || E'\n' || p_prev || E'\n'
        || to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || E'\n'
        || p_kind || E'\n' || p_subject || E'\n' || p_payload::text;
$$;
