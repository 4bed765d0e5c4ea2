-- Replace the payload of recorded redaction @p_seq by JSON null. Only the database's owner
-- (the role that ran the migrations) or a superuser may run it: EXECUTE is revoked from
-- PUBLIC. Returns false when the entry was already redacted.
CREATE OR REPLACE FUNCTION event_log_redact_apply(p_seq bigint) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM log_redaction WHERE seq = p_seq) THEN
        RAISE EXCEPTION 'entry % has no recorded redaction', p_seq USING ERRCODE = 'P0002';
    END IF;
    PERFORM set_config('placard.redacting', p_seq::text, true);
    UPDATE event_log SET payload = 'null'::jsonb
        WHERE seq = p_seq AND payload <> 'null'::jsonb;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('placard.redacting', '', true);
    UPDATE log_redaction SET applied_at = coalesce(applied_at, now()) WHERE seq = p_seq;
    RETURN n > 0;
END $$;
