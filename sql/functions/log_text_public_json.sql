-- One text as the public may see it: a public text with its salt (hex) so that the log's
-- hash can be checked, or, once erased, only that it was. NULL for an internal text.
CREATE OR REPLACE FUNCTION log_text_public_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', t.id, 'source', t.source, 'sha256', t.sha256,
        'erased', t.erased_at IS NOT NULL, 'erased_at', t.erased_at,
        'salt', encode(t.salt, 'hex'), 'text', t.body)
    FROM log_text t WHERE t.id = p_id AND t.public;
$$;
