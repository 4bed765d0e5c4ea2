-- One appeal as the public sees it: where it is, its deadlines, and once decided the
-- decision with its reasons and the result before and after. The operator's grounds are
-- not public.
CREATE OR REPLACE FUNCTION appeal_public_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', a.id, 'inspection_id', a.inspection_id, 'establishment_id', a.establishment_id,
        'state', a.state,
        'open', appeal_state_open(a.state),
        'filed_at', a.filed_at, 'filing_deadline', a.filing_deadline,
        'decision_due', a.decision_due,
        'overdue', appeal_state_open(a.state) AND a.decision_due < now(),
        'hearing_at', a.hearing_at, 'adjournments', a.adjournments,
        'decided_at', a.decided_at,
        'outcome', CASE WHEN a.state IN ('upheld', 'modified', 'overturned') THEN a.state END,
        'reasons', a.decision_reasons,
        'closed_at', a.closed_at, 'closing_note', a.closing_note,
        'before', json_build_object('inspection_id', a.inspection_id,
            'score', a.original_score, 'grade_code', a.original_grade_code,
            'grade_label', a.original_grade_label),
        'after', CASE
            WHEN a.state = 'modified' THEN (SELECT json_build_object('inspection_id', r.id,
                'score', r.score, 'grade_code', r.grade_code, 'grade_label', r.grade_label,
                'counts', true)
                FROM inspection r WHERE r.id = a.revision_inspection_id)
            WHEN a.state = 'upheld' THEN json_build_object('inspection_id', a.inspection_id,
                'score', a.original_score, 'grade_code', a.original_grade_code,
                'grade_label', a.original_grade_label, 'counts', true)
            WHEN a.state = 'overturned' THEN json_build_object('inspection_id', a.inspection_id,
                'score', NULL, 'grade_code', NULL, 'grade_label', NULL, 'counts', false)
            END,
        'dismissed_violations', coalesce((SELECT json_agg(json_build_object(
                'violation_id', v.id, 'code', v.code, 'points', v.points,
                'reason', v.dismissed_reason) ORDER BY v.position)
            FROM violation v WHERE a.state = 'modified'
              AND v.inspection_id = a.revision_inspection_id AND v.status = 'dismissed'), '[]'))
    FROM appeal a WHERE a.id = p_id;
$$;
