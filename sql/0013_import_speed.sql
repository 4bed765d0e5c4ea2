-- 0013_import_speed.sql: bulk imports (placard import) without per-row work in triggers.
--
-- Measured on the San Francisco LIVES feed (6,359 businesses, 25,675 inspections, 37,861
-- violations) into an empty database, the import spent 5.2 s in opendata_lives_apply(), of
-- which 2.2 s went to keeping the search dictionary's deletion index (name_word_deletion,
-- sql/0009_search_speed.sql) current for the 5,430 new words: 124,000 rows, each checked by
-- the foreign key to name_word (0.9 s), inserted with ON CONFLICT and into two indexes. The
-- NYC API file (4,573 establishments) spent 2.0 s of 2.7 s there. This migration:
--
--   * name_word_deletion: the foreign key to name_word is replaced by statement-level
--     triggers on name_word, and the index on word is dropped. Its rows are written only by
--     those triggers, for the words a statement added, so the per-row check proved nothing;
--     the rows of a removed word are found through the primary key, from the word's own
--     deletions (they are exactly word_deletions(word, name_word_depth(word))).
--   * word_deletions() no longer produces each two-letter deletion twice (deleting letters
--     i then j, and j then i) nor once per letter of a run of equal letters: the same set,
--     about 40% fewer strings to compute and to make distinct.
--   * violation_immutable: the check that a new violation does not belong to a submitted
--     inspection runs once per statement, set-based over the inserted rows, instead of
--     once per row; updates and deletes are still refused row by row.
--   * opendata_nyc_apply(), opendata_lives_apply(): the establishments of a NYC file are
--     found by one index lookup each (the join's plan could be quadratic, see there); the
--     catalogue of imported codes is filled without sorting every violation row; the
--     staging tables are analysed for their row counts only; LIVES duplicates are sorted
--     only where a key repeats, and the ids of new inspections come from the insert.
--   * placard import rebuilds the dictionary (name_words_refresh(), a pass over every name
--     in the database) only when it updated an establishment: the triggers above already
--     added the words of the names it inserted.
--
-- The import of each of the three files is unchanged row for row (establishments,
-- inspections, violations, posted grades, catalogue, report, skipped and flagged rows,
-- dictionary and deletions compared before and after, each file imported twice).

-- ---- the deletion index of the name dictionary

CREATE OR REPLACE FUNCTION word_deletions(w text, depth int) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    found text[] := ARRAY[w];
    one text;
    n int := length(w);
BEGIN
    IF depth >= 1 THEN
        FOR i IN 1..n LOOP
            -- Deleting any letter of a run of equal letters leaves the same string: the
            -- run's first letter stands for the others.
            CONTINUE WHEN i > 1 AND substr(w, i - 1, 1) = substr(w, i, 1);
            one := left(w, i - 1) || substr(w, i + 1);
            found := found || one;
            IF depth >= 2 THEN
                -- Only second letters after the first: deleting j then i is deleting i then j.
                FOR j IN i..n - 1 LOOP
                    found := found || (left(one, j - 1) || substr(one, j + 1));
                END LOOP;
            END IF;
        END LOOP;
    END IF;
    RETURN found;
END $$;

ALTER TABLE name_word_deletion DROP CONSTRAINT name_word_deletion_word_fkey;
DROP INDEX name_word_deletion_word;

-- Words added, removed or changed by a statement bring or take their deletions. A word's
-- rows are found from its deletions, through the primary key: a change to word_deletions()
-- or name_word_depth() must rebuild name_word_deletion (as search needs anyway).
CREATE OR REPLACE FUNCTION name_word_deletions_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM name_word_deletion n
            USING (SELECT DISTINCT v, r.word
                   FROM removed r, unnest(word_deletions(r.word, name_word_depth(r.word))) v) x
            WHERE n.deletion = x.v AND n.word = x.word;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        -- The words are new to name_word (its primary key), so their rows are new too: no
        -- ON CONFLICT. Inserted in key order, which halves the cost of filling the index.
        INSERT INTO name_word_deletion (deletion, word)
            SELECT DISTINCT v, a.word
            FROM added a, unnest(word_deletions(a.word, name_word_depth(a.word))) v
            ORDER BY 1, 2;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER name_word_deletions_delete AFTER DELETE ON name_word
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION name_word_deletions_add();
CREATE TRIGGER name_word_deletions_update AFTER UPDATE ON name_word
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION name_word_deletions_add();

CREATE FUNCTION name_word_deletions_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE name_word_deletion;
    RETURN NULL;
END $$;
CREATE TRIGGER name_word_deletions_truncate AFTER TRUNCATE ON name_word
    FOR EACH STATEMENT EXECUTE FUNCTION name_word_deletions_truncate();

-- ---- violations of submitted inspections

-- New violations of a submitted inspection are refused, one check per statement. Bulk loads
-- (placard demo, placard import) write submitted inspections with their violations in one
-- transaction and say so (placard.bulk_load), as before.
CREATE FUNCTION violation_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('placard.bulk_load', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM added v JOIN inspection i ON i.id = v.inspection_id
               WHERE i.status = 'submitted') THEN
        RAISE EXCEPTION 'the violations of a submitted inspection cannot be changed'
            USING ERRCODE = 'P0001';
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER violation_immutable ON violation;
CREATE TRIGGER violation_immutable BEFORE UPDATE OR DELETE ON violation
    FOR EACH ROW EXECUTE FUNCTION violation_refuse_change();
CREATE TRIGGER violation_immutable_insert AFTER INSERT ON violation
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION violation_refuse_insert();

-- ---- the apply functions (as in sql/0007_open_data.sql, with the changes noted)

-- Apply a staged NYC file (temporary table nyc_stage) to jurisdiction p_jur. Returns the
-- counts for the report (rows_skipped includes those the importer recorded before).
CREATE OR REPLACE FUNCTION opendata_nyc_apply(p_import bigint, p_jur bigint) RETURNS jsonb
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

    -- Violations: a catalogue entry for every code NYC used, then the citations of the
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

-- Apply a staged LIVES feed (temporary tables lives_business_stage, lives_inspection_stage,
-- lives_violation_stage) to jurisdiction p_jur. Returns the counts for the report.
CREATE OR REPLACE FUNCTION opendata_lives_apply(p_import bigint, p_jur bigint) RETURNS jsonb
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
