-- 0007_open_data.sql: records imported from other systems' open data (NYC DOHMH, LIVES
-- feeds such as San Francisco's), and the import reports.
--
-- Imported records are kept as their source published them: NYC's score, grade and grade
-- date are stored, never recomputed by Placard's grading engine. Each imported inspection
-- carries its source ('nyc' or 'lives'), a key unique within its establishment (the
-- source's own ids: inspection date + type, or a LIVES inspection_id) and source_record, the
-- published values with any anomalies flagged ("a B with score 38", "score 214").
--
-- Imported violation codes need not be in any built-in catalogue: each source has its own
-- scheme ('nyc-import', 'lives-import', kind 'imported'), whose scheme_violation rows
-- (imported = true) are added from the files' own codes and descriptions. The violation
-- foreign key stays as it is; imported inspections and violations use these schemes.
--
-- Importers (placard import) COPY each file into a temporary staging table shaped like
-- opendata_*_row below, then call opendata_nyc_apply() or opendata_lives_apply(): set-based
-- SQL, in the importer's one transaction, idempotent (rows already imported change nothing).
-- Every row that cannot be used is recorded in import_skipped with its reason, every
-- anomaly in import_flagged, and the counts in import_report.

ALTER TABLE scheme_violation ADD COLUMN imported boolean NOT NULL DEFAULT false;

INSERT INTO scheme (code, version, name, kind, definition) VALUES
    ('nyc-import', 1, 'NYC DOHMH open data, as published', 'imported',
     '{"code": "nyc-import", "kind": "imported", "score_direction": "lower-better",
       "description": "Points as NYC published them (0-13 A, 14-27 B, 28+ C); grades and grade dates as published, not recomputed."}'),
    ('lives-import', 1, 'LIVES open data, as published', 'imported',
     '{"code": "lives-import", "kind": "imported", "score_direction": "higher-better",
       "description": "LIVES scores (0-100, higher is better) as the feed published them."}')
ON CONFLICT (code) DO NOTHING;

-- The account imported inspections are recorded under: it cannot sign in (inactive, and
-- its password hash is no argon2id string any password can match).
INSERT INTO staff_user (username, display_name, role, password_hash, active)
    VALUES ('open-data-import', 'Open data import', 'inspector', '$argon2id$disabled', false);

ALTER TABLE establishment ADD COLUMN phone text NOT NULL DEFAULT '' CHECK (length(phone) <= 32);
-- The record date of the source row the establishment's details came from: an older file
-- imported after a newer one does not roll the details back.
ALTER TABLE establishment ADD COLUMN source_record_date date;

ALTER TABLE inspection ADD COLUMN source text CHECK (source IN ('nyc', 'lives'));
ALTER TABLE inspection ADD COLUMN source_key text CHECK (length(source_key) <= 200);
ALTER TABLE inspection ADD COLUMN source_record jsonb;
ALTER TABLE inspection ADD CONSTRAINT inspection_source_complete
    CHECK ((source IS NULL) = (source_key IS NULL) AND (source IS NULL) = (source_record IS NULL));
CREATE UNIQUE INDEX inspection_source_key ON inspection (establishment_id, source, source_key)
    WHERE source IS NOT NULL;

-- A submitted inspection recorded in Placard always has a score; an imported one has what
-- its source published, which is sometimes no score (NYC administrative inspections, SF
-- follow-ups).
DO $$
DECLARE
    c text;
BEGIN
    SELECT conname INTO c FROM pg_constraint
        WHERE conrelid = 'inspection'::regclass AND contype = 'c'
          AND pg_get_constraintdef(oid) LIKE '%score IS NOT NULL%submitted_at IS NOT NULL%';
    EXECUTE format('ALTER TABLE inspection DROP CONSTRAINT %I', c);
END $$;
ALTER TABLE inspection ADD CONSTRAINT inspection_submitted_complete
    CHECK (status = 'draft' OR (submitted_at IS NOT NULL AND (score IS NOT NULL OR source IS NOT NULL)));

CREATE TABLE import_report (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    format text NOT NULL CHECK (format IN ('nyc', 'lives')),
    jurisdiction_id bigint NOT NULL REFERENCES jurisdiction (id),
    source_name text NOT NULL CHECK (length(source_name) BETWEEN 1 AND 200),
    started_at timestamptz NOT NULL DEFAULT now(),
    counts jsonb NOT NULL DEFAULT '{}'
);

-- Rows an import could not use. row_no is the line the row starts on (the header is line 1).
CREATE TABLE import_skipped (
    import_id bigint NOT NULL REFERENCES import_report (id),
    file text NOT NULL,
    row_no bigint NOT NULL,
    reason text NOT NULL
);
CREATE INDEX import_skipped_import ON import_skipped (import_id, file, row_no);

-- Rows imported with an anomaly worth a look (not geocoded, a score out of range...).
CREATE TABLE import_flagged (
    import_id bigint NOT NULL REFERENCES import_report (id),
    file text NOT NULL,
    row_no bigint NOT NULL,
    flag text NOT NULL
);
CREATE INDEX import_flagged_import ON import_flagged (import_id, flag);

-- Staging shapes. Importers create temporary tables LIKE these, fill them with COPY, values
-- already parsed and checked by the importer (src/domain/opendata.c), and call the apply
-- function. Never written to themselves.
CREATE TABLE opendata_nyc_row (
    row_no bigint NOT NULL,
    camis text NOT NULL,
    dba text NOT NULL,
    city text NOT NULL,
    address text NOT NULL,
    postcode text NOT NULL,
    phone text NOT NULL,
    cuisine text NOT NULL,
    latitude double precision,
    longitude double precision,
    inspection_date date,         -- NULL: never inspected (published as 1900-01-01)
    inspection_key text,          -- date|type, the inspection's key within the establishment
    placard_type text,
    source_type text NOT NULL,
    action text NOT NULL,
    closed boolean NOT NULL,
    score integer,
    grade text NOT NULL,
    grade_label text NOT NULL,
    outcome text NOT NULL,
    grade_date date,
    record_date date,
    violation_code text NOT NULL,
    violation_description text NOT NULL,
    critical text NOT NULL,
    flags text[] NOT NULL
);

CREATE TABLE opendata_lives_business_row (
    row_no bigint NOT NULL,
    business_id text NOT NULL,
    name text NOT NULL,
    address text NOT NULL,
    city text NOT NULL,
    postcode text NOT NULL,
    latitude double precision,
    longitude double precision,
    phone text NOT NULL,
    flags text[] NOT NULL
);

CREATE TABLE opendata_lives_inspection_row (
    row_no bigint NOT NULL,
    business_id text NOT NULL,
    inspection_date date NOT NULL,
    score integer,
    description text NOT NULL,
    source_type text NOT NULL,
    placard_type text NOT NULL,
    inspection_id text,           -- the feed's own id, when it has one (Placard's exports do)
    ikey text NOT NULL,           -- '#' || inspection_id, else YYYYMMDD|type
    flags text[] NOT NULL
);

CREATE TABLE opendata_lives_violation_row (
    row_no bigint NOT NULL,
    business_id text NOT NULL,
    inspection_date date NOT NULL,
    code text NOT NULL,
    description text NOT NULL,
    category text NOT NULL,
    inspection_id text
);

-- Rebuild the search dictionary after a bulk change, when the search migration provides one.
CREATE FUNCTION opendata_refresh_search() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF to_regproc('name_words_refresh') IS NOT NULL THEN
        EXECUTE 'SELECT name_words_refresh()';
    END IF;
END $$;

-- Apply a staged NYC file (temporary table nyc_stage) to jurisdiction p_jur. Returns the
-- counts for the report (rows_skipped includes those the importer recorded before).
CREATE FUNCTION opendata_nyc_apply(p_import bigint, p_jur bigint) RETURNS jsonb
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
    ANALYZE nyc_stage; -- temporary tables have no statistics until asked

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

    CREATE TEMPORARY TABLE nyc_est_id ON COMMIT DROP AS
        SELECT e.id, e.licence_number AS camis FROM establishment e
        WHERE e.jurisdiction_id = p_jur AND e.licence_number IN (SELECT camis FROM nyc_est);
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

    -- Violations: a catalogue entry for every code NYC used, then the citations of the
    -- inspections created now (those imported before are immutable and already complete).
    INSERT INTO scheme_violation (scheme_code, code, description, category, default_points,
                                  min_points, max_points, imported)
    SELECT DISTINCT ON (violation_code) 'nyc-import', violation_code,
           coalesce(nullif(violation_description, ''), violation_code),
           CASE WHEN critical = 'Critical' THEN 'priority' ELSE 'core' END, 0, 0, 0, true
    FROM nyc_stage WHERE violation_code <> ''
    ORDER BY violation_code, record_date DESC NULLS LAST, row_no DESC
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

-- Apply a staged LIVES feed (temporary tables lives_business_stage, lives_inspection_stage,
-- lives_violation_stage) to jurisdiction p_jur. Returns the counts for the report.
CREATE FUNCTION opendata_lives_apply(p_import bigint, p_jur bigint) RETURNS jsonb
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
    ANALYZE lives_business_stage;
    ANALYZE lives_inspection_stage;
    ANALYZE lives_violation_stage;

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
    -- reported.
    WITH d AS (
        SELECT row_no, score, first_value(row_no) OVER w AS first_row,
               first_value(score) OVER w AS first_score
        FROM lives_inspection_stage
        WINDOW w AS (PARTITION BY business_id, ikey ORDER BY row_no)),
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

    CREATE TEMPORARY TABLE lives_new (id bigint PRIMARY KEY) ON COMMIT DROP;
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
        RETURNING id)
    INSERT INTO lives_new SELECT id FROM ins;
    SELECT count(*) INTO n_insp_new FROM lives_new;

    CREATE TEMPORARY TABLE lives_all ON COMMIT DROP AS
        SELECT i.id, n.establishment_id, n.business_id, n.ikey, n.inspection_date,
               n.score IS NOT NULL AS scored, n.inspection_id,
               w.id IS NOT NULL AS created
        FROM lives_insp n
        JOIN inspection i ON i.establishment_id = n.establishment_id AND i.source = 'lives'
                         AND i.source_key = n.ikey
        LEFT JOIN lives_new w ON w.id = i.id;

    -- Violations join their inspection by inspection_id when the feed has it, else by
    -- business and date; when a business had several inspections that day, the scored one
    -- (the routine inspection the violations were scored on), else the first.
    CREATE TEMPORARY TABLE lives_by_id ON COMMIT DROP AS
        SELECT business_id, inspection_id, id, created FROM lives_all
        WHERE inspection_id IS NOT NULL;
    CREATE TEMPORARY TABLE lives_by_date ON COMMIT DROP AS
        SELECT DISTINCT ON (business_id, inspection_date) business_id, inspection_date, id, created
        FROM lives_all ORDER BY business_id, inspection_date, scored DESC, id;
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

    INSERT INTO scheme_violation (scheme_code, code, description, category, default_points,
                                  min_points, max_points, imported)
    SELECT DISTINCT ON (code) 'lives-import', code, coalesce(nullif(description, ''), code),
           category, 0, 0, 0, true
    FROM lives_viol WHERE inspection_pk IS NOT NULL
    ORDER BY code, row_no
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
