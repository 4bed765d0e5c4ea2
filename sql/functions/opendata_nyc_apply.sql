-- Apply a staged NYC file (temporary table nyc_stage) to jurisdiction p_jur. Returns the
-- counts for the report (rows_skipped includes those the importer recorded before).
-- p_catalogue names the scoring scheme whose catalogue the citations' codes must be in
-- (nyc); NULL takes every code as published.
CREATE OR REPLACE FUNCTION opendata_nyc_apply(p_import bigint, p_jur bigint, p_catalogue text)
RETURNS jsonb
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    tz text;
    inspector bigint;
    n_est_new bigint;
    n_est_changed bigint;
    n_est bigint;
    n_never bigint;
    n_insp bigint;
    n_insp_new bigint;
    n_viol bigint;
    n_viol_new bigint;
    n_skipped bigint;
    n_graded bigint;
    n_amended bigint;
BEGIN
    SELECT timezone INTO tz FROM jurisdiction WHERE id = p_jur;
    SELECT id INTO inspector FROM staff_user WHERE username = 'open-data-import';
    -- Temporary tables have no statistics until asked. What the plans below need is the
    -- row count: statistics of every column (long descriptions included) cost more than
    -- the statements they plan.
    ANALYZE nyc_stage (row_no);

    -- An establishment needs a name: a CAMIS whose rows all lack one cannot be used.
    WITH gone AS (
        DELETE FROM nyc_stage s
        WHERE NOT EXISTS (SELECT 1 FROM nyc_stage t WHERE t.camis = s.camis AND t.dba <> '')
        RETURNING s.row_no, s.camis)
    INSERT INTO import_skipped (import_id, file, row_no, reason)
        SELECT p_import, 'nyc', row_no, 'no establishment name (DBA) in any row of CAMIS ' || camis
        FROM gone;

    INSERT INTO import_flagged (import_id, file, row_no, flag)
        SELECT p_import, 'nyc', row_no, f FROM nyc_stage, unnest(flags) AS f;

    -- A citation names a code of the scheme's catalogue (the version in force on the day
    -- of the import): a row whose code the catalogue lacks cites nothing and is flagged;
    -- the rest of the row (the establishment, the inspection) is imported as usual.
    IF p_catalogue IS NOT NULL AND scheme_version_at(p_catalogue, current_date) IS NULL THEN
        RAISE EXCEPTION 'scoring scheme % is not published (placard migrate publishes it)',
            p_catalogue;
    END IF;
    IF p_catalogue IS NOT NULL THEN
        WITH unknown AS (
            UPDATE nyc_stage s SET violation_code = ''
            WHERE s.violation_code <> ''
              AND s.violation_code NOT IN (SELECT x ->> 'code'
                  FROM scheme_version v, jsonb_array_elements(v.document -> 'violations') x
                  WHERE v.scheme_code = p_catalogue
                    AND v.version = scheme_version_at(p_catalogue, current_date))
            RETURNING s.row_no)
        INSERT INTO import_flagged (import_id, file, row_no, flag)
            SELECT p_import, 'nyc', row_no, 'violation_code_not_in_catalogue' FROM unknown;
    END IF;

    -- Establishments: the details of each CAMIS's most recent row.
    CREATE TEMPORARY TABLE nyc_est ON COMMIT DROP AS
        SELECT DISTINCT ON (camis) camis, dba, city, address, postcode, phone, cuisine,
               latitude, longitude, record_date,
               bool_and(inspection_date IS NULL) OVER (PARTITION BY camis) AS never_inspected
        FROM nyc_stage WHERE dba <> ''
        ORDER BY camis, record_date DESC NULLS LAST, inspection_date DESC NULLS LAST, row_no DESC;
    SELECT count(*), count(*) FILTER (WHERE never_inspected) INTO n_est, n_never FROM nyc_est;

    WITH up AS (
        INSERT INTO establishment AS e (jurisdiction_id, licence_number, name, address_line, city,
                                        postcode, latitude, longitude, cuisine, phone,
                                        source_record_date)
        SELECT p_jur, camis, dba, address, city, postcode, latitude, longitude, cuisine, phone,
               record_date
        FROM nyc_est
        ON CONFLICT (jurisdiction_id, licence_number) DO UPDATE
            SET name = EXCLUDED.name, address_line = EXCLUDED.address_line, city = EXCLUDED.city,
                postcode = EXCLUDED.postcode, latitude = EXCLUDED.latitude,
                longitude = EXCLUDED.longitude, cuisine = EXCLUDED.cuisine,
                phone = EXCLUDED.phone, source_record_date = EXCLUDED.source_record_date,
                updated_at = now()
            WHERE coalesce(EXCLUDED.source_record_date, '-infinity') >=
                      coalesce(e.source_record_date, '-infinity')
              AND (e.name, e.address_line, e.city, e.postcode, e.latitude, e.longitude,
                   e.cuisine, e.phone)
                  IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.address_line, EXCLUDED.city, EXCLUDED.postcode,
                   EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.cuisine, EXCLUDED.phone)
        RETURNING (xmax = 0) AS created)
    SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        INTO n_est_new, n_est_changed FROM up;

    -- One index lookup per CAMIS. As a join, the plan rested on the statistics of
    -- establishment, which do not count the rows this transaction just wrote: estimating
    -- one, the planner compared every establishment with every CAMIS (150,000 comparisons
    -- for the 549 of the NYC portal file; a quadratic cost as files grow).
    CREATE TEMPORARY TABLE nyc_est_id ON COMMIT DROP AS
        SELECT (SELECT e.id FROM establishment e
                WHERE e.jurisdiction_id = p_jur AND e.licence_number = n.camis) AS id, n.camis
        FROM nyc_est n;
    CREATE UNIQUE INDEX ON nyc_est_id (camis);

    -- Inspections: one per CAMIS, date and type; the rows repeat it once per violation.
    CREATE TEMPORARY TABLE nyc_insp ON COMMIT DROP AS
        SELECT DISTINCT ON (s.camis, s.inspection_key) x.id AS establishment_id, s.*
        FROM nyc_stage s JOIN nyc_est_id x ON x.camis = s.camis
        WHERE s.inspection_date IS NOT NULL
        ORDER BY s.camis, s.inspection_key, s.row_no;
    SELECT count(*) INTO n_insp FROM nyc_insp;

    CREATE TEMPORARY TABLE nyc_new (id bigint, camis text, inspection_key text) ON COMMIT DROP;
    WITH ins AS (
        INSERT INTO inspection (establishment_id, scheme_code, inspection_type, inspector_id,
                                status, started_at, closed_establishment, score, grade_code,
                                grade_label, outcome, sets_grade, submitted_at, source,
                                source_key, source_record)
        SELECT n.establishment_id, 'nyc-import', n.placard_type, inspector, 'submitted',
               n.inspection_date::timestamp AT TIME ZONE tz, n.closed, n.score, n.grade,
               n.grade_label, n.outcome, n.grade <> '',
               coalesce(n.grade_date, n.inspection_date)::timestamp AT TIME ZONE tz,
               'nyc', n.inspection_key,
               jsonb_strip_nulls(jsonb_build_object(
                   'source', 'NYC DOHMH open data', 'camis', n.camis,
                   'inspection_date', n.inspection_date, 'inspection_type', n.source_type,
                   'action', n.action, 'score', n.score, 'grade', n.grade,
                   'grade_date', n.grade_date, 'record_date', n.record_date,
                   'flags', to_jsonb(n.flags)))
        FROM nyc_insp n
        WHERE NOT EXISTS (SELECT 1 FROM inspection i
                          WHERE i.establishment_id = n.establishment_id AND i.source = 'nyc'
                            AND i.source_key = n.inspection_key)
        RETURNING id, establishment_id, source_key)
    INSERT INTO nyc_new SELECT ins.id, x.camis, ins.source_key
        FROM ins JOIN nyc_est_id x ON x.id = ins.establishment_id;
    SELECT count(*) INTO n_insp_new FROM nyc_new;

    -- Republished with other values (NYC rewrites a grade after a hearing, and its score
    -- when violations are dismissed): the record keeps what was published first and adds
    -- what is published now as an amendment (revision + 1, source_key "<key> #<revision>"),
    -- unless this file is older than the one the current revision came from.
    CREATE TEMPORARY TABLE nyc_changed ON COMMIT DROP AS
        SELECT n.*, cur.id AS current_id, cur.revision AS current_revision,
               cur.score AS old_score, cur.grade_code AS old_grade
        FROM nyc_insp n
        JOIN inspection cur ON cur.establishment_id = n.establishment_id AND cur.source = 'nyc'
             AND (cur.source_key = n.inspection_key
                  OR left(cur.source_key, length(n.inspection_key) + 2) = n.inspection_key || ' #')
        WHERE NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = cur.id)
          AND NOT EXISTS (SELECT 1 FROM nyc_new w WHERE w.id = cur.id)
          AND (cur.score, cur.grade_code, cur.source_record->>'grade_date')
              IS DISTINCT FROM (n.score, n.grade, n.grade_date::text)
          AND coalesce(n.record_date, '-infinity') >=
              coalesce((cur.source_record->>'record_date')::date, '-infinity');
    WITH ins AS (
        INSERT INTO inspection (establishment_id, scheme_code, inspection_type, inspector_id,
                                status, started_at, closed_establishment, score, grade_code,
                                grade_label, outcome, sets_grade, submitted_at, source,
                                source_key, source_record, amends_inspection_id,
                                amendment_reason, revision)
        SELECT c.establishment_id, 'nyc-import', c.placard_type, inspector, 'submitted',
               c.inspection_date::timestamp AT TIME ZONE tz, c.closed, c.score, c.grade,
               c.grade_label, c.outcome, c.grade <> '',
               coalesce(c.grade_date, c.inspection_date)::timestamp AT TIME ZONE tz,
               'nyc', c.inspection_key || ' #' || (c.current_revision + 1),
               jsonb_strip_nulls(jsonb_build_object(
                   'source', 'NYC DOHMH open data', 'camis', c.camis,
                   'inspection_date', c.inspection_date, 'inspection_type', c.source_type,
                   'action', c.action, 'score', c.score, 'grade', c.grade,
                   'grade_date', c.grade_date, 'record_date', c.record_date,
                   'flags', to_jsonb(c.flags))),
               c.current_id,
               'Republished by NYC (record date ' || coalesce(c.record_date::text, 'unknown')
               || '): score ' || coalesce(c.old_score::text, 'none') || ' -> '
               || coalesce(c.score::text, 'none') || ', grade '
               || coalesce(nullif(c.old_grade, ''), 'none') || ' -> '
               || coalesce(nullif(c.grade, ''), 'none'),
               c.current_revision + 1
        FROM nyc_changed c
        RETURNING id, establishment_id, amends_inspection_id)
    INSERT INTO nyc_new SELECT ins.id, x.camis, c.inspection_key
        FROM ins JOIN nyc_est_id x ON x.id = ins.establishment_id
        JOIN nyc_changed c ON c.current_id = ins.amends_inspection_id;
    SELECT count(*) - n_insp_new INTO n_amended FROM nyc_new;

    -- Violations: a catalogue entry for every code NYC used (all of them in the scheme's
    -- catalogue, above), then the citations of the
    -- inspections created now (those imported before are immutable and already complete).
    -- Each code's most recent row is chosen on the narrow columns, then read (sorting the
    -- whole rows cost more than the rest of the statement).
    INSERT INTO scheme_violation (scheme_code, code, description, category, default_points,
                                  min_points, max_points, imported)
    SELECT 'nyc-import', s.violation_code,
           coalesce(nullif(s.violation_description, ''), s.violation_code),
           CASE WHEN s.critical = 'Critical' THEN 'priority' ELSE 'core' END, 0, 0, 0, true
    FROM (SELECT DISTINCT ON (violation_code) row_no FROM nyc_stage
          WHERE violation_code <> ''
          ORDER BY violation_code, record_date DESC NULLS LAST, row_no DESC) f
    JOIN nyc_stage s ON s.row_no = f.row_no
    ON CONFLICT (scheme_code, code) DO NOTHING;

    SELECT count(*) INTO n_viol FROM nyc_stage s
        WHERE s.violation_code <> '' AND s.inspection_date IS NOT NULL;
    INSERT INTO violation (inspection_id, scheme_code, code, observed, points, position)
    SELECT n.id, 'nyc-import', s.violation_code, s.violation_description, 0,
           row_number() OVER (PARTITION BY n.id ORDER BY s.row_no)
    FROM nyc_stage s JOIN nyc_new n ON n.camis = s.camis AND n.inspection_key = s.inspection_key
    WHERE s.violation_code <> '';
    GET DIAGNOSTICS n_viol_new = ROW_COUNT;

    -- The grade each establishment posts: the one NYC published last.
    WITH g AS (
        SELECT x.id AS establishment_id, last.*
        FROM nyc_est_id x
        LEFT JOIN LATERAL (
            SELECT i.id AS inspection_id, i.grade_code, i.grade_label, i.score,
                   CASE WHEN i.grade_code IN ('A', 'B', 'C') THEN 'graded'
                        WHEN i.grade_code IN ('Z', 'P') THEN 'pending'
                        ELSE 'not_yet_graded' END AS state,
                   i.submitted_at AS issued_at
            FROM inspection i
            WHERE i.establishment_id = x.id AND i.status = 'submitted' AND i.sets_grade
              AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = i.id)
            ORDER BY i.submitted_at DESC, i.started_at DESC, i.id DESC LIMIT 1) last ON true),
    up AS (
        INSERT INTO posted_grade AS p (establishment_id, state, grade_code, grade_label, score,
                                       inspection_id, issued_at)
        SELECT g.establishment_id, coalesce(g.state, 'not_yet_graded'),
               coalesce(g.grade_code, 'N'), coalesce(g.grade_label, 'Not Yet Graded'), g.score,
               g.inspection_id, coalesce(g.issued_at, e.created_at)
        FROM g JOIN establishment e ON e.id = g.establishment_id
        ON CONFLICT (establishment_id) DO UPDATE
            SET state = EXCLUDED.state, grade_code = EXCLUDED.grade_code,
                grade_label = EXCLUDED.grade_label, score = EXCLUDED.score,
                inspection_id = EXCLUDED.inspection_id, issued_at = EXCLUDED.issued_at
            WHERE (p.state, p.grade_code, p.grade_label, p.score, p.inspection_id)
                  IS DISTINCT FROM (EXCLUDED.state, EXCLUDED.grade_code, EXCLUDED.grade_label,
                                    EXCLUDED.score, EXCLUDED.inspection_id)
        RETURNING 1)
    SELECT count(*) INTO n_graded FROM up;

    SELECT count(*) INTO n_skipped FROM import_skipped WHERE import_id = p_import;
    RETURN jsonb_build_object(
        'rows_skipped', n_skipped,
        'establishments', n_est, 'establishments_created', n_est_new,
        'establishments_updated', n_est_changed, 'establishments_never_inspected', n_never,
        'inspections', n_insp, 'inspections_created', n_insp_new,
        'inspections_already_imported', n_insp - n_insp_new,
        'inspections_amended', n_amended,
        'violations', n_viol, 'violations_created', n_viol_new,
        'violations_already_imported', n_viol - n_viol_new,
        'posted_grades_changed', n_graded);
END $$;
