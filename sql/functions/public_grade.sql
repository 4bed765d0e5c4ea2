-- What the public record shows as an establishment's grade: the posted grade, except
--  * while the scheme withholds a new rating (FHRS-style): until the appeal window after the
--    inspection has closed with no appeal, or an appeal of it has ended, the previously
--    published rating stays, flagged new_rating_pending;
--  * while an appeal is open under a scheme with a pending label (NYC-style): "Grade
--    Pending" replaces a grade below the top band, until the establishment has asked for
--    more adjournments than the scheme allows.
-- The rules come from the version of the scheme the posted inspection was graded under, as
-- published (scheme_version.document). This is the one implementation of the rule: every reader gets the
-- same answer from here, and the shared vectors of op appeal_posting
-- (tests/vectors/grading.json) run against it (tests/integration/test_vectors.c). PL/pgSQL,
-- so that its plans are kept per connection; it returns at once for the common case (no
-- appeal, a scheme that publishes new grades immediately).
CREATE OR REPLACE FUNCTION public_grade(p_est bigint) RETURNS json LANGUAGE plpgsql STABLE AS $$
DECLARE
    g posted_grade;
    def jsonb;
    root bigint;
    ri inspection;
    ap appeal;
    has_appeal boolean;
    is_open boolean := false;
    base jsonb;
    prev inspection;
    window_end timestamptz;
BEGIN
    SELECT * INTO g FROM posted_grade WHERE establishment_id = p_est;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    base := jsonb_build_object('state', g.state, 'code', g.grade_code, 'label', g.grade_label,
        'score', g.score, 'inspection_id', g.inspection_id, 'issued_at', g.issued_at,
        'under_appeal', false, 'pending', false, 'new_rating_pending', false);
    IF g.inspection_id IS NULL OR g.state <> 'graded' THEN
        RETURN base::json;
    END IF;
    -- Most establishments have never appealed and post under a scheme that publishes at
    -- once: then the posted grade is the public one, and nothing more need be read.
    IF NOT EXISTS (SELECT 1 FROM appeal WHERE establishment_id = p_est)
       AND NOT (SELECT v.withholds_new_ratings FROM inspection i
                JOIN scheme_version v ON v.scheme_code = i.scheme_code
                 AND v.version = i.scheme_version
                WHERE i.id = g.inspection_id) THEN
        RETURN base::json;
    END IF;
    SELECT v.document INTO def FROM inspection i
        JOIN scheme_version v ON v.scheme_code = i.scheme_code AND v.version = i.scheme_version
        WHERE i.id = g.inspection_id;
    root := inspection_root(g.inspection_id);
    SELECT * INTO ri FROM inspection WHERE id = root;
    SELECT * INTO ap FROM appeal WHERE inspection_id = root;
    has_appeal := FOUND;
    IF has_appeal THEN
        is_open := appeal_state_open(ap.state);
    END IF;
    base := base || jsonb_build_object('under_appeal', is_open,
        'appeal_id', CASE WHEN has_appeal THEN ap.id END);

    IF coalesce((def -> 'rules' ->> 'withhold_until_appeal_decided')::boolean, false) THEN
        window_end := greatest(ri.ended_at, ri.submitted_at)
            + (def -> 'rules' ->> 'appeal_window_days')::int * interval '1 day';
        IF is_open OR (NOT has_appeal AND now() <= window_end) THEN
            SELECT p.* INTO prev FROM inspection p
            WHERE p.establishment_id = p_est AND p.status = 'submitted' AND p.sets_grade
              AND p.outcome = 'graded' AND p.started_at <= ri.started_at
              AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = p.id)
              AND inspection_root(p.id) <> root AND NOT inspection_overturned(p.id)
            ORDER BY p.started_at DESC, p.id DESC LIMIT 1;
            IF FOUND THEN
                base := base || jsonb_build_object('state', 'graded', 'code', prev.grade_code,
                    'label', prev.grade_label, 'score', prev.score, 'inspection_id', prev.id,
                    'issued_at', prev.submitted_at);
            ELSE
                base := base || jsonb_build_object('state', 'awaiting_publication',
                    'code', 'AwaitingPublication', 'label', 'Awaiting Publication',
                    'score', NULL, 'inspection_id', NULL, 'issued_at', NULL);
            END IF;
            RETURN (base || jsonb_build_object('new_rating_pending', true,
                'pending_inspection_id', g.inspection_id,
                'publication_due', CASE WHEN is_open THEN NULL ELSE window_end END,
                'rule', CASE WHEN is_open
                    THEN 'The new rating is not published until the appeal is decided; the previously published rating stands.'
                    ELSE 'The new rating is published when the appeal window closes; the previously published rating stands until then.'
                    END,
                'rule_parts', jsonb_build_array(jsonb_build_object('key', CASE WHEN is_open
                    THEN 'grade.posted.withheld_appeal' ELSE 'grade.posted.withheld_window' END,
                    'args', '{}'::jsonb))))::json;
        END IF;
        RETURN base::json;
    END IF;

    IF is_open AND def -> 'rules' ->> 'pending_label_during_appeal' IS NOT NULL
       AND g.grade_code <> def -> 'bands' -> 0 ->> 'code'
       AND ap.adjournments <= (def -> 'rules' ->> 'max_adjournments_with_pending')::int THEN
        RETURN (base || jsonb_build_object('state', 'pending', 'pending', true,
            'code', def -> 'rules' ->> 'pending_code_during_appeal',
            'label', def -> 'rules' ->> 'pending_label_during_appeal',
            'contested', jsonb_build_object('code', g.grade_code, 'label', g.grade_label),
            'rule', format('Grade %s is contested: the establishment may post %s (%s) until the hearing.',
                g.grade_label, def -> 'rules' ->> 'pending_label_during_appeal',
                def -> 'rules' ->> 'pending_code_during_appeal'),
            'rule_parts', jsonb_build_array(jsonb_build_object('key', 'grade.posted.contested',
                'args', jsonb_build_object('contested', g.grade_label,
                    'label', def -> 'rules' ->> 'pending_label_during_appeal',
                    'code', def -> 'rules' ->> 'pending_code_during_appeal')))))::json;
    END IF;
    RETURN base::json;
END $$;
