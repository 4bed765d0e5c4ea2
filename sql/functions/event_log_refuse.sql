-- Trigger event_log_no_truncate: event_log is never truncated. (UPDATE and DELETE go through
-- event_log_guard(), which allows only a recorded redaction.)
CREATE OR REPLACE FUNCTION event_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'P0001';
END $$;
