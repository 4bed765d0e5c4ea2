-- The one change event_log accepts: the payload of an entry listed in log_redaction becomes
-- JSON null, every other column unchanged, while event_log_redact_apply() runs for it.
CREATE OR REPLACE FUNCTION event_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND current_setting('placard.redacting', true) = OLD.seq::text
       AND EXISTS (SELECT 1 FROM log_redaction r WHERE r.seq = OLD.seq)
       AND NEW.payload = 'null'::jsonb
       AND NEW.seq = OLD.seq AND NEW.occurred_at = OLD.occurred_at AND NEW.kind = OLD.kind
       AND NEW.subject = OLD.subject AND NEW.prev_hash = OLD.prev_hash
       AND NEW.hash = OLD.hash THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the event log is append-only' USING ERRCODE = 'P0001';
END $$;
