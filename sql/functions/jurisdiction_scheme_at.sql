-- The scheme jurisdiction p_jurisdiction is on, on day p_day (in its time zone): the latest
-- assignment (jurisdiction_scheme) applying on or before p_day, or the scheme the
-- jurisdiction started with when none does. NULL for an unknown jurisdiction.
CREATE OR REPLACE FUNCTION jurisdiction_scheme_at(p_jurisdiction bigint, p_day date)
RETURNS text LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT a.scheme_code FROM jurisdiction_scheme a
          WHERE a.jurisdiction_id = p_jurisdiction AND a.applies_from <= p_day
          ORDER BY a.applies_from DESC LIMIT 1),
        (SELECT j.scheme_code FROM jurisdiction j WHERE j.id = p_jurisdiction))
$$;
