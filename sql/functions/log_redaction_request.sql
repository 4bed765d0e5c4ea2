-- Record that entry @p_seq is to be redacted, at the request of administrator @p_by, for
-- @p_reason (kept here, never logged). Appends "log.redacted". Does not touch the entry:
-- event_log_redact_apply() does, as a separate step.
CREATE OR REPLACE FUNCTION log_redaction_request(p_seq bigint, p_by text, p_reason text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    by_id bigint;
    e event_log;
BEGIN
    SELECT id INTO by_id FROM staff_user WHERE username = p_by AND role = 'admin' AND active;
    IF by_id IS NULL THEN
        RAISE EXCEPTION 'only an active administrator may redact the log; % is not one', p_by
            USING ERRCODE = '22023';
    END IF;
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'a redaction needs a reason' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO e FROM event_log WHERE seq = p_seq;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no sealed log entry %', p_seq USING ERRCODE = 'P0002';
    END IF;
    INSERT INTO log_redaction (seq, requested_by, reason) VALUES (p_seq, by_id, p_reason);
    PERFORM event_append('log.redacted', 'log/' || p_seq,
        jsonb_build_object('seq', p_seq, 'kind', e.kind, 'hash', e.hash));
END $$;
