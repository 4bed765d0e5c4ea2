-- The operator's current reply as published (NULL when none, or removed by a clerk).
CREATE OR REPLACE FUNCTION establishment_reply_json(p_est bigint) RETURNS json
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT json_build_object('id', r.id, 'inspection_id', r.inspection_id,
                'text', r.published_text, 'posted_at', r.posted_at,
                'moderated', r.moderated_at IS NOT NULL,
                'moderation_reason', r.moderation_reason)
            FROM operator_reply r
            WHERE r.establishment_id = p_est AND r.superseded_at IS NULL
              AND r.published_text IS NOT NULL AND r.published_text <> ''
            ORDER BY r.id DESC LIMIT 1);
END $$;
