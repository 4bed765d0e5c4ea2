-- 0010_rerating_visits.sql: re-rating visits in the inspector's work, and the public grade
-- as a filter.
--
-- * Re-rating requests (sql/0005_appeals.sql) join the inspector's due list and are closed
--   by the submission of the re-inspection that makes the visit; both are statements over the
--   existing tables (rerating_one_open finds an establishment's open request): nothing new
--   to store.
-- * public_grade_differs(): the establishments whose public grade (public_grade(), what the
--   record and the search results show) may differ from the grade posted by the last
--   inspection, so that the search can filter on the grade the public sees without calling
--   public_grade() for every row. public_grade() departs from the posted grade only while an
--   appeal of the establishment is open, or under a scheme that withholds a new rating for
--   its appeal window, within the window after the inspection (as first submitted: an
--   inspection that amends another is always listed). The list is a superset; the search
--   calls public_grade() for its members, and takes the posted grade for everyone else.

-- When an inspection ended (or was submitted): where a withheld rating's window starts.
CREATE INDEX inspection_window_start ON inspection ((coalesce(ended_at, submitted_at)))
    WHERE status = 'submitted';

CREATE FUNCTION public_grade_differs() RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    WITH withholding AS (
        SELECT s.code, (s.definition -> 'rules' ->> 'appeal_window_days')::int AS days
        FROM scheme s
        WHERE coalesce((s.definition -> 'rules' ->> 'withhold_until_appeal_decided')::boolean,
                       false))
    SELECT a.establishment_id FROM appeal a
    WHERE a.state IN ('filed', 'under_review', 'hearing_scheduled')
    UNION
    SELECT i.establishment_id FROM inspection i
    WHERE i.status = 'submitted'
      AND coalesce(i.ended_at, i.submitted_at)
          >= now() - (SELECT coalesce(max(w.days), 0) FROM withholding w) * interval '1 day'
      AND i.scheme_code IN (SELECT w.code FROM withholding w)
    UNION
    SELECT i.establishment_id FROM inspection i
    WHERE i.amends_inspection_id IS NOT NULL AND i.status = 'submitted'
      AND i.scheme_code IN (SELECT w.code FROM withholding w);
$$;
