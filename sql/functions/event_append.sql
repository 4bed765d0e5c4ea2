-- Record an event in the writer's own transaction: it exists exactly when its change
-- commits. event_seal() later moves it into event_log with its sequence number and hash.
CREATE OR REPLACE FUNCTION event_append(p_kind text, p_subject text, p_payload jsonb) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO event_pending (kind, subject, payload) VALUES (p_kind, p_subject, p_payload);
$$;
