-- The version of scheme p_code in force on p_day: the latest published version whose
-- applies_from is on or before p_day, or the scheme's first version when none is (a scheme's
-- first version applies to the visits before it too). NULL for an unknown scheme.
CREATE OR REPLACE FUNCTION scheme_version_at(p_code text, p_day date) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT v.version FROM scheme_version v
          WHERE v.scheme_code = p_code AND v.applies_from <= p_day
          ORDER BY v.version DESC LIMIT 1),
        (SELECT min(v.version) FROM scheme_version v WHERE v.scheme_code = p_code))
$$;
