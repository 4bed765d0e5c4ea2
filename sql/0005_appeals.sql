-- 0005_appeals.sql: due process. Appeals against an inspection, the operator's public
-- reply, re-rating requests, the count of wrong appeal codes, and the functions that say
-- what the public record shows while an appeal is open.
--
-- The lifecycle rules are in src/domain/appeal.c; these tables record where each appeal is.
-- Nothing is deleted: a modified decision is a new revision of the inspection (dismissed
-- violations marked, with the reason), an overturned one is recorded here and the posted
-- grade falls back; the original stays on the record.

-- An inspection and its amendments form a chain (one amendment per inspection). The root is
-- the inspection as first submitted (whose appeal code the operator holds); the head is the
-- current revision.
CREATE FUNCTION inspection_chain(p_id bigint) RETURNS TABLE (id bigint)
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up AS (
        SELECT i.id, i.amends_inspection_id FROM inspection i WHERE i.id = p_id
        UNION ALL
        SELECT i.id, i.amends_inspection_id FROM inspection i JOIN up ON i.id = up.amends_inspection_id
    ), down AS (
        SELECT up.id FROM up WHERE up.amends_inspection_id IS NULL
        UNION ALL
        SELECT i.id FROM inspection i JOIN down ON i.amends_inspection_id = down.id
    )
    SELECT down.id FROM down;
$$;

CREATE FUNCTION inspection_root(p_id bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up AS (
        SELECT i.id, i.amends_inspection_id FROM inspection i WHERE i.id = p_id
        UNION ALL
        SELECT i.id, i.amends_inspection_id FROM inspection i JOIN up ON i.id = up.amends_inspection_id
    )
    SELECT up.id FROM up WHERE up.amends_inspection_id IS NULL;
$$;

CREATE FUNCTION inspection_head(p_id bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT c.id FROM inspection_chain(p_id) c
    WHERE NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = c.id);
$$;

CREATE TABLE appeal (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The inspection as first submitted (the chain's root): one appeal per inspection.
    inspection_id bigint NOT NULL UNIQUE REFERENCES inspection (id),
    establishment_id bigint NOT NULL REFERENCES establishment (id),
    state text NOT NULL DEFAULT 'filed' CHECK (state IN ('filed', 'withdrawn', 'rejected_late',
        'under_review', 'hearing_scheduled', 'upheld', 'modified', 'overturned')),
    grounds text NOT NULL CHECK (char_length(grounds) BETWEEN 1 AND 4000),
    -- The violations the operator contests (ids), possibly none: the whole result.
    contested_violations bigint[] NOT NULL DEFAULT '{}',
    filed_at timestamptz NOT NULL DEFAULT now(),
    filing_deadline timestamptz,          -- NULL: open until the hearing (NYC-style)
    decision_due timestamptz NOT NULL,
    hearing_at timestamptz,
    adjournments integer NOT NULL DEFAULT 0 CHECK (adjournments >= 0),
    -- What the appeal contested, kept for the before/after record.
    original_score integer,
    original_grade_code text,
    original_grade_label text,
    decided_at timestamptz,
    decided_by bigint REFERENCES staff_user (id),
    decision_reasons text CHECK (decision_reasons IS NULL
        OR char_length(decision_reasons) BETWEEN 1 AND 4000),
    -- A modified decision: the revision of the inspection it created.
    revision_inspection_id bigint REFERENCES inspection (id),
    closed_at timestamptz,                -- withdrawn, rejected or decided
    closing_note text CHECK (closing_note IS NULL OR char_length(closing_note) <= 4000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((state IN ('upheld', 'modified', 'overturned'))
        = (decided_at IS NOT NULL AND decision_reasons IS NOT NULL)),
    CHECK ((state = 'modified') = (revision_inspection_id IS NOT NULL)),
    CHECK ((state = 'hearing_scheduled') <= (hearing_at IS NOT NULL))
);
CREATE INDEX appeal_establishment ON appeal (establishment_id, id DESC);
CREATE INDEX appeal_open ON appeal (decision_due)
    WHERE state IN ('filed', 'under_review', 'hearing_scheduled');

-- Wrong appeal codes, kept for an hour: the licence number as typed (lower-cased; it may
-- name no establishment) and the client's address. Nothing else.
CREATE TABLE appeal_code_failure (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    licence text NOT NULL,
    ip text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX appeal_code_failure_licence ON appeal_code_failure (licence, at);
CREATE INDEX appeal_code_failure_ip ON appeal_code_failure (ip, at);

-- The operator's right to reply. The text as posted is kept; what the public sees is
-- published_text, which a clerk may edit to remove offensive wording (saying why) or
-- withdraw altogether (NULL). A newer reply supersedes the older.
CREATE TABLE operator_reply (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    establishment_id bigint NOT NULL REFERENCES establishment (id),
    inspection_id bigint NOT NULL REFERENCES inspection (id),
    original_text text NOT NULL CHECK (char_length(original_text) BETWEEN 1 AND 2000),
    published_text text CHECK (published_text IS NULL OR char_length(published_text) <= 2000),
    posted_at timestamptz NOT NULL DEFAULT now(),
    moderated_at timestamptz,
    moderated_by bigint REFERENCES staff_user (id),
    moderation_reason text CHECK (moderation_reason IS NULL
        OR char_length(moderation_reason) BETWEEN 1 AND 2000),
    superseded_at timestamptz,
    CHECK ((moderated_at IS NULL) = (moderation_reason IS NULL))
);
CREATE INDEX operator_reply_establishment ON operator_reply (establishment_id, id DESC);

-- Re-rating visits asked for by the operator after improvements.
CREATE TABLE rerating_request (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    establishment_id bigint NOT NULL REFERENCES establishment (id),
    inspection_id bigint NOT NULL REFERENCES inspection (id),   -- the rated inspection
    state text NOT NULL DEFAULT 'requested' CHECK (state IN ('requested', 'scheduled', 'inspected')),
    improvements text NOT NULL CHECK (char_length(improvements) BETWEEN 1 AND 4000),
    requested_at timestamptz NOT NULL DEFAULT now(),
    earliest_visit_on date NOT NULL,      -- the end of the scheme's stand-still
    visit_on date,
    scheduled_by bigint REFERENCES staff_user (id),
    visit_inspection_id bigint REFERENCES inspection (id),
    inspected_at timestamptz,
    CHECK ((state = 'inspected') = (visit_inspection_id IS NOT NULL)),
    CHECK (state = 'requested' OR visit_on IS NOT NULL OR state = 'inspected')
);
CREATE UNIQUE INDEX rerating_one_open ON rerating_request (establishment_id)
    WHERE state <> 'inspected';

-- True when the inspection's chain was overturned on appeal: it no longer counts.
CREATE FUNCTION inspection_overturned(p_id bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM appeal a
                   WHERE a.inspection_id = inspection_root(p_id) AND a.state = 'overturned');
$$;

-- The grade an establishment falls back to when the inspection chain rooted at p_root no
-- longer counts: the latest other current revision that set a grade (or closed the
-- establishment), or nothing (then the scheme's not-yet-graded label applies).
CREATE FUNCTION grade_fallback(p_est bigint, p_root bigint)
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

-- One appeal as the public sees it: where it is, its deadlines, and once decided the
-- decision with its reasons and the result before and after. The operator's grounds are
-- not public.
CREATE FUNCTION appeal_public_json(p_id bigint) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', a.id, 'inspection_id', a.inspection_id, 'establishment_id', a.establishment_id,
        'state', a.state,
        'open', a.state IN ('filed', 'under_review', 'hearing_scheduled'),
        'filed_at', a.filed_at, 'filing_deadline', a.filing_deadline,
        'decision_due', a.decision_due,
        'overdue', a.state IN ('filed', 'under_review', 'hearing_scheduled')
                   AND a.decision_due < now(),
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

-- The appeal the establishment's record shows: the open one, else the latest.
CREATE FUNCTION establishment_appeal_json(p_est bigint) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT appeal_public_json(a.id) FROM appeal a WHERE a.establishment_id = p_est
    ORDER BY a.state IN ('filed', 'under_review', 'hearing_scheduled') DESC, a.id DESC
    LIMIT 1;
$$;

-- The operator's current reply as published (NULL when none, or removed by a clerk).
CREATE FUNCTION establishment_reply_json(p_est bigint) RETURNS json LANGUAGE sql STABLE AS $$
    SELECT json_build_object('id', r.id, 'inspection_id', r.inspection_id,
        'text', r.published_text, 'posted_at', r.posted_at,
        'moderated', r.moderated_at IS NOT NULL, 'moderation_reason', r.moderation_reason)
    FROM operator_reply r
    WHERE r.establishment_id = p_est AND r.superseded_at IS NULL
      AND r.published_text IS NOT NULL AND r.published_text <> ''
    ORDER BY r.id DESC LIMIT 1;
$$;

-- What the public record shows as an establishment's grade: the posted grade, except
--  * while the scheme withholds a new rating (FHRS-style): until the appeal window after the
--    inspection has closed with no appeal, or an appeal of it has ended, the previously
--    published rating stays, flagged new_rating_pending;
--  * while an appeal is open under a scheme with a pending label (NYC-style): "Grade
--    Pending" replaces a grade below the top band, until the establishment has asked for
--    more adjournments than the scheme allows.
-- The rules come from the scheme as published (scheme.definition), the same data the
-- engine's grade_appeal_posting() reads. Every reader gets the same answer from here.
CREATE FUNCTION public_grade(p_est bigint) RETURNS json LANGUAGE plpgsql STABLE AS $$
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
    SELECT s.definition INTO def FROM inspection i JOIN scheme s ON s.code = i.scheme_code
        WHERE i.id = g.inspection_id;
    root := inspection_root(g.inspection_id);
    SELECT * INTO ri FROM inspection WHERE id = root;
    SELECT * INTO ap FROM appeal WHERE inspection_id = root;
    has_appeal := FOUND;
    IF has_appeal THEN
        is_open := ap.state IN ('filed', 'under_review', 'hearing_scheduled');
    END IF;
    base := base || jsonb_build_object('under_appeal', is_open,
        'appeal_id', CASE WHEN has_appeal THEN ap.id END);

    IF coalesce((def -> 'rules' ->> 'withhold_until_appeal_decided')::boolean, false) THEN
        window_end := coalesce(ri.ended_at, ri.submitted_at)
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
                    END))::json;
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
                def -> 'rules' ->> 'pending_code_during_appeal')))::json;
    END IF;
    RETURN base::json;
END $$;
