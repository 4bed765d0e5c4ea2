-- Apply a staged LIVES feed (temporary tables lives_business_stage, lives_inspection_stage,
-- lives_violation_stage) to jurisdiction p_jur. Returns the counts for the report.
-- p_catalogue names the scoring scheme whose catalogue the violations' codes must be in
-- (sf100 for San Francisco's feed); NULL takes every code as the feed publishes it.
CREATE OR REPLACE FUNCTION opendata_lives_apply(p_import bigint, p_jur bigint, p_catalogue text)
RETURNS jsonb
LANGUAGE plpgsql SET jit = off AS $$
DECLARE
    tz text;
    inspector bigint;
    n_est bigint;
    n_est_new bigint;
    n_est_changed bigint;
    n_insp bigint;
    n_insp_new bigint;
    n_viol bigint;
    n_viol_new bigint;
    n_skipped bigint;
    n_graded bigint;
BEGIN
    SELECT timezone INTO tz FROM jurisdiction WHERE id = p_jur;
    SELECT id INTO inspector FROM staff_user WHERE username = 'open-data-import';
    -- Temporary tables have no statistics until asked.
    -- What the plans below need is the row counts: statistics of every column took 200 ms
    -- on the San Francisco feed (mostly sorting the violations' descriptions), of the join
    -- columns still 140 ms, of the line number 40 ms, for the same plans.
    ANALYZE lives_business_stage (row_no);
    ANALYZE lives_inspection_stage (row_no);
    ANALYZE lives_violation_stage (row_no);

    -- Businesses: one row per business_id; a repeated id is reported, the first row kept.
    WITH d AS (
        SELECT row_no, business_id,
               first_value(row_no) OVER (PARTITION BY business_id ORDER BY row_no) AS first_row
        FROM lives_business_stage),
    gone AS (
        DELETE FROM lives_business_stage s USING d
        WHERE d.row_no = s.row_no AND d.row_no <> d.first_row
        RETURNING s.row_no, d.first_row)
    INSERT INTO import_skipped (import_id, file, row_no, reason)
        SELECT p_import, 'businesses', row_no, 'business_id repeats line ' || first_row FROM gone;

    INSERT INTO import_flagged (import_id, file, row_no, flag)
        SELECT p_import, 'businesses', row_no, f FROM lives_business_stage, unnest(flags) AS f;
    INSERT INTO import_flagged (import_id, file, row_no, flag)
        SELECT p_import, 'inspections', row_no, f FROM lives_inspection_stage, unnest(flags) AS f;

    SELECT count(*) INTO n_est FROM lives_business_stage;
    WITH up AS (
        INSERT INTO establishment AS e (jurisdiction_id, licence_number, name, address_line, city,
                                        postcode, latitude, longitude, phone)
        SELECT p_jur, business_id, name, address, city, postcode, latitude, longitude, phone
        FROM lives_business_stage
        ON CONFLICT (jurisdiction_id, licence_number) DO UPDATE
            SET name = EXCLUDED.name, address_line = EXCLUDED.address_line, city = EXCLUDED.city,
                postcode = EXCLUDED.postcode, latitude = EXCLUDED.latitude,
                longitude = EXCLUDED.longitude, phone = EXCLUDED.phone, updated_at = now()
            WHERE (e.name, e.address_line, e.city, e.postcode, e.latitude, e.longitude, e.phone)
                  IS DISTINCT FROM
                  (EXCLUDED.name, EXCLUDED.address_line, EXCLUDED.city, EXCLUDED.postcode,
                   EXCLUDED.latitude, EXCLUDED.longitude, EXCLUDED.phone)
        RETURNING (xmax = 0) AS created)
    SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created)
        INTO n_est_new, n_est_changed FROM up;

    -- Inspections of businesses this feed or an earlier one of the jurisdiction knows.
    CREATE TEMPORARY TABLE lives_est_id ON COMMIT DROP AS
        SELECT e.id, e.licence_number AS business_id FROM establishment e
        WHERE e.jurisdiction_id = p_jur
          AND e.licence_number IN (SELECT DISTINCT business_id FROM lives_inspection_stage);
    CREATE UNIQUE INDEX ON lives_est_id (business_id);

    WITH gone AS (
        DELETE FROM lives_inspection_stage s
        WHERE NOT EXISTS (SELECT 1 FROM lives_est_id x WHERE x.business_id = s.business_id)
        RETURNING s.row_no, s.business_id)
    INSERT INTO import_skipped (import_id, file, row_no, reason)
        SELECT p_import, 'inspections', row_no, 'no business ' || business_id || ' in businesses'
        FROM gone;

    -- The key (ikey): the feed's inspection_id when it has one, else date and type (LIVES has
    -- no inspection id). A repeated key is a duplicate row: the first is kept, the rest
    -- reported. Only the rows of repeated keys are sorted (it was every row).
    WITH k AS (
        SELECT business_id, ikey FROM lives_inspection_stage
        GROUP BY business_id, ikey HAVING count(*) > 1),
    d AS (
        SELECT s.row_no, s.score, first_value(s.row_no) OVER w AS first_row,
               first_value(s.score) OVER w AS first_score
        FROM lives_inspection_stage s JOIN k ON k.business_id = s.business_id AND k.ikey = s.ikey
        WINDOW w AS (PARTITION BY s.business_id, s.ikey ORDER BY s.row_no)),
    gone AS (
        DELETE FROM lives_inspection_stage s USING d
        WHERE d.row_no = s.row_no AND d.row_no <> d.first_row
        RETURNING s.row_no, d.first_row, d.score IS NOT DISTINCT FROM d.first_score AS same)
    INSERT INTO import_skipped (import_id, file, row_no, reason)
        SELECT p_import, 'inspections', row_no,
               CASE WHEN same THEN 'duplicate of line ' || first_row
                    ELSE 'same business, date and type as line ' || first_row
                         || ' with another score; line ' || first_row || ' kept' END
        FROM gone;

    CREATE TEMPORARY TABLE lives_insp ON COMMIT DROP AS
        SELECT x.id AS establishment_id, s.* FROM lives_inspection_stage s
        JOIN lives_est_id x ON x.business_id = s.business_id;
    SELECT count(*) INTO n_insp FROM lives_insp;

    CREATE TEMPORARY TABLE lives_new (id bigint, establishment_id bigint, ikey text)
        ON COMMIT DROP;
    WITH ins AS (
        INSERT INTO inspection (establishment_id, scheme_code, inspection_type, inspector_id,
                                status, started_at, score, grade_code, grade_label, outcome,
                                sets_grade, submitted_at, source, source_key, source_record)
        SELECT n.establishment_id, 'lives-import', n.placard_type, inspector, 'submitted',
               n.inspection_date::timestamp AT TIME ZONE tz, n.score, '',
               CASE WHEN n.score IS NULL THEN NULL ELSE nullif(n.description, '') END,
               CASE WHEN n.score IS NULL THEN 'not-yet-graded' ELSE 'graded' END,
               n.score IS NOT NULL, n.inspection_date::timestamp AT TIME ZONE tz, 'lives', n.ikey,
               jsonb_strip_nulls(jsonb_build_object(
                   'source', 'LIVES feed', 'business_id', n.business_id,
                   'date', to_char(n.inspection_date, 'YYYYMMDD'), 'type', n.source_type,
                   'score', n.score, 'description', nullif(n.description, ''),
                   'inspection_id', n.inspection_id, 'flags', to_jsonb(n.flags)))
        FROM lives_insp n
        WHERE NOT EXISTS (SELECT 1 FROM inspection i
                          WHERE i.establishment_id = n.establishment_id AND i.source = 'lives'
                            AND i.source_key = n.ikey)
        RETURNING id, establishment_id, source_key)
    INSERT INTO lives_new SELECT id, establishment_id, source_key FROM ins;
    SELECT count(*) INTO n_insp_new FROM lives_new;

    -- Every inspection of the feed with its id: those created now as the insert returned
    -- them, those imported before by one index lookup each (it was a join of every row
    -- with the inspection table).
    CREATE TEMPORARY TABLE lives_all ON COMMIT DROP AS
        SELECT * FROM (
            SELECT coalesce(w.id, (SELECT i.id FROM inspection i
                                   WHERE i.establishment_id = n.establishment_id
                                     AND i.source = 'lives' AND i.source_key = n.ikey)) AS id,
                   n.establishment_id, n.business_id, n.ikey, n.inspection_date,
                   n.score IS NOT NULL AS scored, n.inspection_id, w.id IS NOT NULL AS created
            FROM lives_insp n
            LEFT JOIN lives_new w ON w.establishment_id = n.establishment_id AND w.ikey = n.ikey
        ) a
        WHERE id IS NOT NULL;

    -- Violations join their inspection by inspection_id when the feed has it, else by
    -- business and date; when a business had several inspections that day, the scored one
    -- (the routine inspection the violations were scored on), else the first.
    CREATE TEMPORARY TABLE lives_by_id ON COMMIT DROP AS
        SELECT business_id, inspection_id, id, created FROM lives_all
        WHERE inspection_id IS NOT NULL;
    CREATE TEMPORARY TABLE lives_by_date ON COMMIT DROP AS
        SELECT DISTINCT ON (business_id, inspection_date) business_id, inspection_date, id, created
        FROM lives_all ORDER BY business_id, inspection_date, scored DESC, id;
    -- A violation names a code of the scheme's catalogue (the version in force on the day
    -- of the import): a row whose code the catalogue lacks is not cited, and says why.
    IF p_catalogue IS NOT NULL AND scheme_version_at(p_catalogue, current_date) IS NULL THEN
        RAISE EXCEPTION 'scoring scheme % is not published (placard migrate publishes it)',
            p_catalogue;
    END IF;
    IF p_catalogue IS NOT NULL THEN
        WITH gone AS (
            DELETE FROM lives_violation_stage s
            WHERE s.code NOT IN (SELECT x ->> 'code'
                  FROM scheme_version v, jsonb_array_elements(v.document -> 'violations') x
                  WHERE v.scheme_code = p_catalogue
                    AND v.version = scheme_version_at(p_catalogue, current_date))
            RETURNING s.row_no, s.code)
        INSERT INTO import_skipped (import_id, file, row_no, reason)
            SELECT p_import, 'violations', row_no,
                   'violation code ' || code || ' is not in the catalogue of scheme '
                   || p_catalogue
            FROM gone;
    END IF;
    CREATE TEMPORARY TABLE lives_viol ON COMMIT DROP AS
        SELECT v.*, coalesce(a.id, b.id) AS inspection_pk, coalesce(a.created, b.created) AS created
        FROM lives_violation_stage v
        LEFT JOIN lives_by_id a ON v.inspection_id IS NOT NULL AND a.business_id = v.business_id
                                AND a.inspection_id = v.inspection_id
        LEFT JOIN lives_by_date b ON v.inspection_id IS NULL AND b.business_id = v.business_id
                                  AND b.inspection_date = v.inspection_date;

    INSERT INTO import_skipped (import_id, file, row_no, reason)
        SELECT p_import, 'violations', row_no,
               CASE WHEN inspection_id IS NOT NULL
                    THEN 'no inspection ' || inspection_id || ' of business ' || business_id
                    ELSE 'no inspection of business ' || business_id || ' on '
                         || to_char(inspection_date, 'YYYYMMDD') END
        FROM lives_viol WHERE inspection_pk IS NULL;
    SELECT count(*) INTO n_viol FROM lives_viol WHERE inspection_pk IS NOT NULL;

    -- Each code's first row is chosen on the narrow columns, then read (sorting the whole
    -- rows cost more than the rest of the statement).
    INSERT INTO scheme_violation (scheme_code, code, description, category, default_points,
                                  min_points, max_points, imported)
    SELECT 'lives-import', v.code, coalesce(nullif(v.description, ''), v.code), v.category,
           0, 0, 0, true
    FROM (SELECT min(row_no) AS row_no FROM lives_viol WHERE inspection_pk IS NOT NULL
          GROUP BY code) f
    JOIN lives_viol v ON v.row_no = f.row_no
    ON CONFLICT (scheme_code, code) DO NOTHING;

    INSERT INTO violation (inspection_id, scheme_code, code, observed, points, position)
    SELECT inspection_pk, 'lives-import', code, description, 0,
           row_number() OVER (PARTITION BY inspection_pk ORDER BY row_no)
    FROM lives_viol WHERE inspection_pk IS NOT NULL AND created;
    GET DIAGNOSTICS n_viol_new = ROW_COUNT;

    -- The posted score: the latest scored inspection's.
    WITH g AS (
        SELECT x.id AS establishment_id, e.created_at, last.*
        FROM establishment e
        JOIN (SELECT id FROM establishment WHERE jurisdiction_id = p_jur
                AND licence_number IN (SELECT business_id FROM lives_business_stage
                                       UNION SELECT business_id FROM lives_est_id)) x
          ON x.id = e.id
        LEFT JOIN LATERAL (
            SELECT i.id AS inspection_id, i.score, i.grade_label, i.submitted_at AS issued_at
            FROM inspection i
            WHERE i.establishment_id = x.id AND i.status = 'submitted' AND i.sets_grade
              AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = i.id)
            ORDER BY i.started_at DESC, i.id DESC LIMIT 1) last ON true),
    up AS (
        INSERT INTO posted_grade AS p (establishment_id, state, grade_code, grade_label, score,
                                       inspection_id, issued_at)
        SELECT establishment_id,
               CASE WHEN inspection_id IS NULL THEN 'not_yet_graded' ELSE 'graded' END,
               CASE WHEN inspection_id IS NULL THEN 'N' ELSE '' END,
               CASE WHEN inspection_id IS NULL THEN 'Not Yet Scored'
                    ELSE coalesce(grade_label, 'Score ' || score) END,
               score, inspection_id, coalesce(issued_at, created_at)
        FROM g
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
        'establishments_updated', n_est_changed,
        'inspections', n_insp, 'inspections_created', n_insp_new,
        'inspections_already_imported', n_insp - n_insp_new,
        'violations', n_viol, 'violations_created', n_viol_new,
        'violations_already_imported', n_viol - n_viol_new,
        'posted_grades_changed', n_graded);
END $$;
