-- The grade an establishment falls back to when the inspection chain rooted at p_root no
-- longer counts: the latest other current revision that set a grade (or closed the
-- establishment), or nothing (then the scheme's not-yet-graded label applies).
CREATE OR REPLACE FUNCTION grade_fallback(p_est bigint, p_root bigint)
RETURNS TABLE (state text, grade_code text, grade_label text, score integer, inspection_id bigint)
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN i.closed_establishment THEN 'closed'
                WHEN i.outcome = 'graded' THEN 'graded'
                WHEN i.outcome = 'pending' THEN 'pending'
                ELSE 'not_yet_graded' END,
           CASE WHEN i.closed_establishment THEN '' ELSE i.grade_code END,
           CASE WHEN i.closed_establishment THEN 'Closed' ELSE i.grade_label END,
           i.score, i.id
    FROM inspection i
    WHERE i.establishment_id = p_est AND i.status = 'submitted'
      AND (i.sets_grade OR i.closed_establishment)
      AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = i.id)
      AND inspection_root(i.id) <> p_root
      AND NOT inspection_overturned(i.id)
    ORDER BY i.started_at DESC, i.id DESC
    LIMIT 1;
$$;
