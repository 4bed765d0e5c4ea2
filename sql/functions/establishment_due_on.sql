-- establishment_due_on(eid): the day establishment eid's next routine visit is due, as the
-- inspector's due list counts it (src/store/statements.c, tablet_due_list): a re-inspection
-- the latest cycle inspection required, on the first day it may be made; else a risk
-- category's interval after the last inspection (A 6 months, B 12, C 18, D 24), at once for
-- an establishment never inspected; NULL for category E (left to other means); and sooner
-- when the latest inspection gave a cited violation a day to correct by (a follow-up, due
-- that day). Used by the supervisor's screen to sort and count the work it gives out.
CREATE OR REPLACE FUNCTION establishment_due_on(eid bigint) RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT least((SELECT min(v.correct_by) FROM violation v
                  WHERE v.inspection_id = last.id AND v.status = 'cited'), CASE
        WHEN (cyc.explanation->>'reinspection_required')::boolean
            THEN cyc.started_at::date + coalesce((cyc.explanation->>'reinspection_min_days')::int, 0)
        WHEN e.risk_category = 'E' THEN NULL
        WHEN last.id IS NULL THEN e.created_at::date
        ELSE (last.started_at + CASE e.risk_category
            WHEN 'A' THEN interval '6 months' WHEN 'B' THEN interval '12 months'
            WHEN 'C' THEN interval '18 months' ELSE interval '24 months' END)::date
    END)
    FROM establishment e
    LEFT JOIN LATERAL (SELECT i.id, i.started_at FROM inspection i
        WHERE i.establishment_id = e.id AND i.status = 'submitted'
        ORDER BY i.started_at DESC, i.id DESC LIMIT 1) last ON true
    LEFT JOIN LATERAL (SELECT i.started_at, i.explanation FROM inspection i
        WHERE i.establishment_id = e.id AND i.status = 'submitted'
        AND i.inspection_type IN ('initial', 'reinspection')
        ORDER BY i.started_at DESC, i.id DESC LIMIT 1) cyc ON true
    WHERE e.id = eid
$$;
