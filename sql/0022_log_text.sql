-- 0022_log_text.sql: free text written by people never enters the append-only log.
--
-- The public log cannot forget, so it must not hold what a person may have the right to have
-- erased: a decision's reasons, a review note, an adjournment's reason, a licence action's
-- reason, a moderation reason. Each such text is kept in log_text, with 16 random bytes of
-- salt, and the log entry carries only a reference and a salted hash:
--     "reasons": {"text": 42, "sha256": "<hex of SHA-256 over salt || UTF-8 text>"}
-- Whoever is shown the text and its salt (GET /api/v1/log/texts/42 for a text the public is
-- meant to read) can check that it is what was logged. Erasing a text (log_text_erase(),
-- `placard text erase`) blanks the text and its salt, here and in the row that displays it;
-- the hash left in the log then says nothing about the text, and the chain still verifies
-- because it never covered the text.
--
-- For a database whose log already holds such text (written before this migration), an
-- entry can be redacted: log_redaction records who asked and why (`placard log redact`,
-- event "log.redacted"), and as a separate, deliberate step by the database's owner,
-- event_log_redact_apply() replaces that entry's payload with JSON null. The entry's hash and
-- prev_hash stay, so the next entry still pins it and the chain's links still hold; its own
-- content can no longer be recomputed, and verifiers say so (docs/operations.md).

CREATE TABLE log_text (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Where the text is displayed or what it is: 'appeal.decision_reasons',
    -- 'appeal.closing_note', 'appeal.review_note', 'appeal.adjournment_reason',
    -- 'licence_action.reason', 'operator_reply.moderation_reason'.
    source text NOT NULL CHECK (source ~ '^[a-z_]+\.[a-z_]+$'),
    source_id bigint NOT NULL,
    -- Meant for the public to read (shown on the public record): its salt is published.
    public boolean NOT NULL,
    salt bytea CHECK (salt IS NULL OR length(salt) = 16),
    body text CHECK (body IS NULL OR char_length(body) <= 4000),
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    erased_at timestamptz,
    erased_by bigint REFERENCES staff_user (id),
    erase_reason text CHECK (erase_reason IS NULL OR char_length(erase_reason) BETWEEN 1 AND 2000),
    CHECK ((erased_at IS NULL) = (body IS NOT NULL AND salt IS NOT NULL)),
    CHECK ((erased_at IS NULL) = (erased_by IS NULL AND erase_reason IS NULL))
);
CREATE INDEX log_text_source ON log_text (source, source_id);

-- The sentence that takes an erased text's place where a record displays it.
CREATE FUNCTION log_text_erased_sentence() RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT 'This text was erased: it held personal data.'::text;
$$;

-- Keep @p_body (NULL: nothing) and return the reference the log entry carries,
-- {"text": id, "sha256": hex}, or NULL.
CREATE FUNCTION log_text_put(p_source text, p_source_id bigint, p_public boolean, p_body text)
RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
    s bytea;
    h text;
    new_id bigint;
BEGIN
    IF p_body IS NULL THEN
        RETURN NULL;
    END IF;
    s := gen_random_bytes(16);
    h := encode(digest(s || convert_to(p_body, 'UTF8'), 'sha256'), 'hex');
    INSERT INTO log_text (source, source_id, public, salt, body, sha256)
        VALUES (p_source, p_source_id, p_public, s, p_body, h)
        RETURNING id INTO new_id;
    RETURN jsonb_build_object('text', new_id, 'sha256', h);
END $$;

-- One text as the public may see it: a public text with its salt (hex) so that the log's
-- hash can be checked, or, once erased, only that it was. NULL for an internal text.
CREATE FUNCTION log_text_public_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', t.id, 'source', t.source, 'sha256', t.sha256,
        'erased', t.erased_at IS NOT NULL, 'erased_at', t.erased_at,
        'salt', encode(t.salt, 'hex'), 'text', t.body)
    FROM log_text t WHERE t.id = p_id AND t.public;
$$;

-- Erase text @p_id at the request of administrator @p_by (a username), for @p_reason (kept
-- here, never logged): the text and its salt are blanked, and so is the copy the record
-- displays. Appends "text.erased". Returns the erased text's reference.
CREATE FUNCTION log_text_erase(p_id bigint, p_by text, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    t log_text;
    by_id bigint;
    gone text := log_text_erased_sentence();
BEGIN
    SELECT id INTO by_id FROM staff_user WHERE username = p_by AND role = 'admin' AND active;
    IF by_id IS NULL THEN
        RAISE EXCEPTION 'only an active administrator may erase text; % is not one', p_by
            USING ERRCODE = '22023';
    END IF;
    IF p_reason IS NULL OR btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'an erasure needs a reason' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO t FROM log_text WHERE id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no text %', p_id USING ERRCODE = 'P0002';
    END IF;
    IF t.erased_at IS NOT NULL THEN
        RAISE EXCEPTION 'text % was already erased', p_id USING ERRCODE = '22023';
    END IF;
    UPDATE log_text SET body = NULL, salt = NULL, erased_at = now(), erased_by = by_id,
        erase_reason = p_reason WHERE id = p_id;
    IF t.source = 'appeal.decision_reasons' THEN
        UPDATE appeal SET decision_reasons = gone WHERE id = t.source_id;
    ELSIF t.source = 'appeal.closing_note' THEN
        UPDATE appeal SET closing_note = gone WHERE id = t.source_id;
    ELSIF t.source = 'licence_action.reason' THEN
        UPDATE licence_action SET reason = gone WHERE id = t.source_id;
    ELSIF t.source = 'operator_reply.moderation_reason' THEN
        UPDATE operator_reply SET moderation_reason = gone WHERE id = t.source_id;
    END IF;
    PERFORM event_append('text.erased', 'text/' || p_id,
        jsonb_build_object('text', p_id, 'sha256', t.sha256, 'source', t.source));
    RETURN jsonb_build_object('text', p_id, 'sha256', t.sha256, 'source', t.source);
END $$;

-- ---- Redacting an entry that already holds free text (written before this migration)

CREATE TABLE log_redaction (
    seq bigint PRIMARY KEY REFERENCES event_log (seq),
    requested_at timestamptz NOT NULL DEFAULT now(),
    requested_by bigint NOT NULL REFERENCES staff_user (id),
    reason text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 2000),
    applied_at timestamptz
);

-- Record that entry @p_seq is to be redacted, at the request of administrator @p_by, for
-- @p_reason (kept here, never logged). Appends "log.redacted". Does not touch the entry:
-- event_log_redact_apply() does, as a separate step.
CREATE FUNCTION log_redaction_request(p_seq bigint, p_by text, p_reason text) RETURNS void
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

-- The one change event_log accepts: the payload of an entry listed in log_redaction becomes
-- JSON null, every other column unchanged, while event_log_redact_apply() runs for it.
CREATE FUNCTION event_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP TRIGGER event_log_append_only ON event_log;
CREATE TRIGGER event_log_append_only BEFORE UPDATE OR DELETE ON event_log
    FOR EACH ROW EXECUTE FUNCTION event_log_guard();

-- Replace the payload of recorded redaction @p_seq by JSON null. Only the database's owner
-- (the role that ran the migrations) or a superuser may run it: EXECUTE is revoked from
-- PUBLIC. Returns false when the entry was already redacted.
CREATE FUNCTION event_log_redact_apply(p_seq bigint) RETURNS boolean LANGUAGE plpgsql AS $$
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
REVOKE EXECUTE ON FUNCTION event_log_redact_apply(bigint) FROM PUBLIC;
