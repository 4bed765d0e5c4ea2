-- 0012_grade_filter_speed.sql: the list of establishments whose public grade may differ from
-- the posted one, computed from an index instead of a scan of every inspection.
--
-- public_grade_differs() (0010) compared each inspection's end with a cut-off that the
-- planner could not see, so at 10,000,000 inspections it read them all (about 2.7 s a call,
-- and the search's grade filter calls it). Here the cut-off and the schemes that withhold new
-- ratings are worked out first and the query is planned with them as values, so the
-- inspection_window_start index finds the few recent inspections.

CREATE OR REPLACE FUNCTION public_grade_differs() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    codes text[];
    since timestamptz;
BEGIN
    SELECT array_agg(code),
           now() - coalesce(max((definition -> 'rules' ->> 'appeal_window_days')::int), 0)
                   * interval '1 day'
        INTO codes, since
        FROM scheme WHERE withholds_new_ratings;
    RETURN QUERY EXECUTE
        'SELECT a.establishment_id FROM appeal a'
        ' WHERE a.state IN (''filed'', ''under_review'', ''hearing_scheduled'')'
        ' UNION'
        ' SELECT i.establishment_id FROM inspection i'
        ' WHERE i.status = ''submitted'' AND coalesce(i.ended_at, i.submitted_at) >= $1'
        '   AND i.scheme_code = ANY ($2)'
        ' UNION'
        ' SELECT i.establishment_id FROM inspection i'
        ' WHERE i.amends_inspection_id IS NOT NULL AND i.status = ''submitted'''
        '   AND i.scheme_code = ANY ($2)'
        USING since, coalesce(codes, '{}');
END $$;
