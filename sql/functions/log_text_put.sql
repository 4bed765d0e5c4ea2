-- Keep @p_body (NULL: nothing) and return the reference the log entry carries,
-- {"text": id, "sha256": hex}, or NULL.
CREATE OR REPLACE FUNCTION log_text_put(p_source text, p_source_id bigint, p_public boolean, p_body text)
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
