-- Erase text @p_id at the request of administrator @p_by (a username), for @p_reason (kept
-- here, never logged): the text and its salt are blanked, and so is the copy the record
-- displays. Appends "text.erased". Returns the erased text's reference.
CREATE OR REPLACE FUNCTION log_text_erase(p_id bigint, p_by text, p_reason text) RETURNS jsonb
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
