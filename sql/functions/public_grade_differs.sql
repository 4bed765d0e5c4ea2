-- The establishments whose public grade (public_grade(), what the record and the search
-- results show) may differ from the grade posted by the last inspection, so that the search
-- can filter on the grade the public sees without calling public_grade() for every row:
-- those with an open appeal, and those inspected under a scheme of which some version
-- withholds a new rating, within the longest appeal window of such a version (an inspection that amends another is always listed). A
-- superset: the search calls public_grade() for its members and takes the posted grade for
-- everyone else. The cut-off and the withholding schemes are worked out first and the query
-- planned with them as values, so that the inspection_notice_at index finds the few
-- recent inspections.
CREATE OR REPLACE FUNCTION public_grade_differs() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
    codes text[];
    since timestamptz;
BEGIN
    SELECT array_agg(DISTINCT scheme_code),
           now() - coalesce(max((document -> 'rules' ->> 'appeal_window_days')::int), 0)
                   * interval '1 day'
        INTO codes, since
        FROM scheme_version WHERE withholds_new_ratings;
    RETURN QUERY EXECUTE
        'SELECT a.establishment_id FROM appeal a'
        ' WHERE appeal_state_open(a.state)'
        ' UNION'
        ' SELECT i.establishment_id FROM inspection i'
        ' WHERE i.status = ''submitted'' AND greatest(i.ended_at, i.submitted_at) >= $1'
        '   AND i.scheme_code = ANY ($2)'
        ' UNION'
        ' SELECT i.establishment_id FROM inspection i'
        ' WHERE i.amends_inspection_id IS NOT NULL AND i.status = ''submitted'''
        '   AND i.scheme_code = ANY ($2)'
        USING since, coalesce(codes, '{}');
END $$;
