/*
 * statements.c - every SQL statement Placard runs at request time, by name.
 *
 * Read paths let PostgreSQL build the JSON (json_build_object, json_agg): one round trip,
 * no row-by-row work in C. Parameters are always $n; nothing here is ever formatted.
 */
#include "store/statements.h"

/* A timestamp as the event log's canonical form writes it: UTC, microseconds, "Z". */
#define UTC_TIMESTAMP(col)                                                                         \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

/* One inspection as the public sees it (alias i): no inspector, notes or signature. Photos
 * belong to the visit: an amendment lists those taken for the inspection it corrects. */
#define INSPECTION_JSON                                                                            \
	"json_build_object('id', i.id, 'establishment_id', i.establishment_id,"                    \
	" 'scheme', i.scheme_code, 'type', i.inspection_type, 'status', i.status,"                 \
	" 'started_at', i.started_at, 'ended_at', i.ended_at,"                                     \
	" 'closed_establishment', i.closed_establishment,"                                         \
	" 'elements', CASE WHEN i.hygiene_score IS NULL THEN NULL ELSE json_build_object("         \
	"  'hygiene', i.hygiene_score, 'structural', i.structural_score,"                          \
	"  'management', i.management_score) END,"                                                 \
	" 'score', i.score, 'grade', CASE WHEN i.status = 'submitted' THEN json_build_object("     \
	"  'code', i.grade_code, 'label', i.grade_label, 'outcome', i.outcome,"                    \
	"  'sets_grade', i.sets_grade) END,"                                                       \
	" 'explanation', i.explanation, 'submitted_at', i.submitted_at,"                           \
	" 'public_code', i.public_code, 'revision', i.revision,"                                   \
	" 'amends_inspection_id', i.amends_inspection_id,"                                         \
	" 'amendment_reason', i.amendment_reason,"                                                 \
	" 'amended_by_inspection_id', (SELECT a.id FROM inspection a"                              \
	"  WHERE a.amends_inspection_id = i.id),"                                                  \
	" 'operator_signed', i.operator_signature IS NOT NULL,"                                    \
	" 'violations', coalesce((SELECT json_agg(json_build_object('id', v.id,"                   \
	"  'code', v.code, 'description', coalesce(vv.description, sv.description),"               \
	"  'category', sv.category,"                                                               \
	"  'observed', v.observed, 'points', v.points,"                                            \
	"  'corrected_on_site', v.corrected_on_site, 'repeat', v.repeat,"                          \
	"  'status', v.status, 'dismissed_reason', v.dismissed_reason) ORDER BY v.position)"       \
	"  FROM violation v JOIN scheme_violation sv ON sv.scheme_code = v.scheme_code"            \
	"  AND sv.code = v.code LEFT JOIN scheme_version_violation vv"                             \
	"  ON vv.scheme_code = v.scheme_code AND vv.version = i.scheme_version"                    \
	"  AND vv.code = v.code WHERE v.inspection_id = i.id), '[]'),"                             \
	" 'readings', coalesce((SELECT json_agg(json_build_object('item', r.item,"                 \
	"  'location', r.location, 'value', r.value, 'unit', r.unit, 'taken_at', r.taken_at,"      \
	"  'code', r.code) ORDER BY r.position)"                                                   \
	"  FROM inspection_reading r WHERE r.inspection_id = i.id), '[]'),"                        \
	" 'photos', coalesce((SELECT json_agg(json_build_object('id', p.id,"                       \
	"  'client_id', p.client_id, 'content_type', p.content_type, 'bytes', p.size_bytes,"       \
	"  'sha256', p.sha256, 'width', p.width, 'height', p.height, 'code', p.code,"              \
	"  'taken_at', p.taken_at, 'url', '/api/v1/staff/inspections/' || p.inspection_id"         \
	"  || '/photos/' || p.id) ORDER BY p.id) FROM inspection_photo p"                          \
	"  WHERE p.inspection_id = CASE WHEN i.amends_inspection_id IS NULL THEN i.id"             \
	"  ELSE inspection_root(i.id) END), '[]'))"

/*
 * An appeal's attachments (alias a), without their bytes: each with the URL it is read at,
 * @prefix (an SQL expression) followed by its id.
 */
#define APPEAL_ATTACHMENTS_JSON(prefix)                                                            \
	"(SELECT coalesce(json_agg(json_build_object('id', x.id, 'filename', x.filename,"          \
	"  'content_type', x.content_type, 'bytes', x.size_bytes, 'sha256', x.sha256,"             \
	"  'uploaded_at', x.uploaded_at, 'url', " prefix " || x.id) ORDER BY x.id), '[]')"         \
	"  FROM appeal_attachment x WHERE x.appeal_id = a.id)"

/* Whether staff member $1 inspected or amended a revision of appeal a's inspection (a
 * decision's revision does not count), as in inspection_duties. */
#define APPEAL_INVOLVED                                                                            \
	"EXISTS (SELECT 1 FROM inspection c"                                                       \
	"  WHERE c.id IN (SELECT id FROM inspection_chain(a.inspection_id))"                       \
	"  AND c.inspector_id = $1::bigint"                                                        \
	"  AND NOT EXISTS (SELECT 1 FROM appeal d WHERE d.revision_inspection_id = c.id))"

/* An appeal in a list of the hearing officers' (aliases a, e, i). */
#define APPEAL_LISTED_JSON                                                                         \
	"(appeal_public_json(a.id)::jsonb || jsonb_build_object("                                  \
	"  'establishment', json_build_object('id', e.id, 'name', e.name,"                         \
	"  'licence_number', e.licence_number), 'scheme', i.scheme_code))::text"

/*
 * Public search (alias e, posted grade g). Parameters: $1 the name query (a tsquery from
 * name_query()), $2 an address fragment (ILIKE-escaped), $3 a postcode prefix (upper case,
 * no spaces), $4 a cuisine, $5 grade codes (comma-separated) matched against the grade the
 * public sees (public_grade(), called only for the few public_grade_differs() lists: see
 * sql/functions/public_grade_differs.sql), $6 $7 latitude and longitude,
 * $8 a radius in metres, $9..$12 its bounding box (min longitude, min latitude, max
 * longitude, max latitude), and a licence number (the parameter named by @licence: $13 in
 * the count, $19 in the page), as typed, in capitals or in small letters, in any
 * jurisdiction (so that the unique index on (jurisdiction_id, licence_number) finds it),
 * and a cuisine or kind of place named in the search words (the parameter named by @kind:
 * $15 in the count, $20 in the page; in small letters), which finds the places of that
 * cuisine or kind besides those whose names match $1 ("pizza" near me), and a date (named
 * by @since: $16 in the count, $21 in the page): only places inspected since that day.
 * NULL means no such filter. Statements are planned with their values on every execution
 * (custom_plan: a generic plan would scan every row for the "$n IS NULL OR" conditions), so
 * an absent filter costs nothing and a present one uses its index.
 */
#define SEARCH_DISTANCE                                                                            \
	"(12742017.6 * asin(least(1, sqrt(power(sin(radians(e.latitude - $6::float8) / 2), 2)"     \
	" + cos(radians($6::float8)) * cos(radians(e.latitude))"                                   \
	" * power(sin(radians(e.longitude - $7::float8) / 2), 2)))))"
#define SEARCH_FROM_WHERE(licence, kind, since)                                                    \
	" FROM establishment e LEFT JOIN posted_grade g ON g.establishment_id = e.id"              \
	" WHERE ((" kind "::text IS NULL AND $1::tsquery IS NULL)"                                 \
	"  OR name_tsvector(e.name) @@ $1::tsquery"                                                \
	"  OR lower(e.cuisine) = " kind "::text OR lower(e.establishment_type) = " kind "::text)"  \
	" AND ($2::text IS NULL OR e.address_line ILIKE '%' || $2::text || '%')"                   \
	" AND ($3::text IS NULL OR upper(replace(e.postcode, ' ', '')) LIKE $3::text || '%')"      \
	" AND ($4::text IS NULL OR lower(e.cuisine) = lower($4::text))"                            \
	" AND ($5::text IS NULL OR CASE WHEN e.id IN (SELECT public_grade_differs())"              \
	"  THEN public_grade(e.id) ->> 'code' ELSE g.grade_code END"                               \
	"  = ANY (string_to_array($5::text, ',')))"                                                \
	" AND ($6::float8 IS NULL OR (e.latitude IS NOT NULL"                                      \
	"  AND point(e.longitude, e.latitude) <@ box(point($9::float8, $10::float8),"              \
	"  point($11::float8, $12::float8)) AND " SEARCH_DISTANCE " <= $8::float8))"               \
	" AND (" licence "::text IS NULL OR (e.jurisdiction_id = ANY (ARRAY(SELECT jl.id"          \
	"  FROM jurisdiction jl)) AND e.licence_number = ANY (ARRAY[" licence "::text,"            \
	"  upper(" licence "::text), lower(" licence "::text)])))"                                 \
	" AND (" since "::date IS NULL OR EXISTS (SELECT 1 FROM inspection si"                     \
	"  WHERE si.establishment_id = e.id AND si.status = 'submitted'"                           \
	"  AND si.started_at >= " since "::date))"
#define SEARCH_COUNT_WHERE SEARCH_FROM_WHERE("$13", "$15", "$16")
#define SEARCH_PAGE_WHERE  SEARCH_FROM_WHERE("$19", "$20", "$21")

/*
 * The grade the public sees (alias e, posted grade g), as public_grade(e.id) gives it but
 * without calling it for the establishments where it would return the posted grade as it is
 * (never appealed, under a scheme that publishes at once: see sql/functions/public_grade.sql),
 * which saves a third of a page's time.
 */
#define SEARCH_GRADE                                                                               \
	"CASE WHEN g.establishment_id IS NULL THEN NULL"                                           \
	" WHEN g.inspection_id IS NULL OR g.state <> 'graded'"                                     \
	"  OR (NOT EXISTS (SELECT 1 FROM appeal a WHERE a.establishment_id = e.id)"                \
	"  AND NOT (SELECT v.withholds_new_ratings FROM inspection gi"                             \
	"   JOIN scheme_version v ON v.scheme_code = gi.scheme_code"                               \
	"   AND v.version = gi.scheme_version WHERE gi.id = g.inspection_id))"                     \
	" THEN jsonb_build_object('state', g.state, 'code', g.grade_code,"                         \
	"  'label', g.grade_label, 'score', g.score, 'inspection_id', g.inspection_id,"            \
	"  'issued_at', g.issued_at, 'under_appeal', false, 'pending', false,"                     \
	"  'new_rating_pending', false)::json"                                                     \
	" ELSE public_grade(e.id) END"

/* A page by id: $1 a bigint[] in the order wanted. */
#define SEARCH_PAGE_IDS_FROM                                                                       \
	" FROM unnest($1::bigint[]) WITH ORDINALITY u(id, n)"                                      \
	" JOIN establishment e ON e.id = u.id JOIN jurisdiction j ON j.id = e.jurisdiction_id"     \
	" LEFT JOIN posted_grade g ON g.establishment_id = e.id ORDER BY u.n"

/* One search result (aliases e, j, posted grade g) as JSON text, its distance in metres given by @distance. */
#define SEARCH_ITEM(distance)                                                                      \
	"json_build_object('id', e.id, 'name', e.name, 'licence_number', e.licence_number,"        \
	" 'address', json_build_object('line', e.address_line, 'city', e.city,"                    \
	"  'postcode', e.postcode),"                                                               \
	" 'location', CASE WHEN e.latitude IS NULL THEN NULL ELSE json_build_object("              \
	"  'latitude', e.latitude, 'longitude', e.longitude) END,"                                 \
	" 'establishment_type', e.establishment_type, 'cuisine', e.cuisine,"                       \
	" 'status', e.status, 'jurisdiction', j.code,"                                             \
	" 'scheme', jurisdiction_scheme_at(j.id, (now() AT TIME ZONE j.timezone)::date),"          \
	" 'grade', " SEARCH_GRADE ","                                                              \
	" 'last_inspected_at', (SELECT max(i.started_at) FROM inspection i"                        \
	"  WHERE i.establishment_id = e.id AND i.status = 'submitted'),"                           \
	" 'distance_m', " distance ")::text AS item"

const struct store_statement
        store_statements[STMT__COUNT] = {
	        /* clang-format off */
	[STMT_PING] = { "ping",
		"SELECT 1 AS ok",
		0, true },
	[STMT_SCHEMA_VERSION] = { "schema_version",
		"SELECT coalesce(max(version), 0) FROM schema_migrations",
		0, true },

	/* ---- schemes: every published version of each scheme's document (sql/0027), and the
	 * scheme row and catalogue copy that foreign keys check */
	[STMT_SCHEME_UPSERT] = { "scheme_upsert",
		"INSERT INTO scheme (code, version, name, kind, definition)"
		" VALUES ($1, $2::int, $3, $4, $5::jsonb)"
		" ON CONFLICT (code) DO UPDATE SET version = EXCLUDED.version,"
		" name = EXCLUDED.name,"
		" kind = EXCLUDED.kind, definition = EXCLUDED.definition, updated_at = now()"
		" WHERE scheme.definition IS DISTINCT FROM EXCLUDED.definition",
		5, false },
	[STMT_SCHEME_VIOLATION_UPSERT] = { "scheme_violation_upsert",
		"INSERT INTO scheme_violation (scheme_code, code, description, category,"
		" default_points, min_points, max_points)"
		" VALUES ($1, $2, $3, $4, $5::int, $6::int, $7::int)"
		" ON CONFLICT (scheme_code,"
		" code) DO UPDATE SET description = EXCLUDED.description,"
		" category = EXCLUDED.category, default_points = EXCLUDED.default_points,"
		" min_points = EXCLUDED.min_points, max_points = EXCLUDED.max_points",
		7, false },

	/* The latest version of scheme $1: whether document $2 is the same (the version number
	 * aside), its kind, and whether applies_from $3 (NULL: the default) is not before it. */
	[STMT_SCHEME_LATEST] = { "scheme_latest",
		"SELECT v.version,"
		" (v.document - 'version') = ($2::jsonb - 'version') AS same,"
		" v.document->>'kind' AS kind,"
		" ($3::date IS NULL OR $3::date >= v.applies_from) AS date_ok"
		" FROM scheme_version v"
		" WHERE v.scheme_code = $1"
		" ORDER BY v.version DESC"
		" LIMIT 1"
		" FOR UPDATE",
		3, false },
	/* A scheme's first version applies from the beginning unless a date is given; a later
	 * one from the day it is published. */
	[STMT_SCHEME_VERSION_INSERT] = { "scheme_version_insert",
		"INSERT INTO scheme_version (scheme_code, version, document, applies_from)"
		" VALUES ($1, $2::int, $3::jsonb,"
		" coalesce($4::date, CASE WHEN $2::int = 1 THEN '-infinity'::date ELSE current_date END))"
		" RETURNING CASE WHEN isfinite(applies_from) THEN applies_from::text END AS applies_from",
		4, false },
	/* The published schemes (imported ones aside), in the order they were first published,
	 * each as the version in force today. */
	[STMT_SCHEME_LIST] = { "scheme_list",
		"SELECT v.document::text AS document"
		" FROM scheme s"
		" JOIN scheme_version v ON v.scheme_code = s.code"
		" AND v.version = scheme_version_at(s.code, current_date)"
		" JOIN scheme_version f ON f.scheme_code = s.code AND f.version = 1"
		" WHERE s.kind <> 'imported'"
		" ORDER BY f.id",
		0, true },
	/* Version $2 of scheme $1, or with $2 NULL the version in force today. */
	[STMT_SCHEME_VERSION_GET] = { "scheme_version_get",
		"SELECT v.version, v.document::text AS document"
		" FROM scheme s"
		" JOIN scheme_version v ON v.scheme_code = s.code"
		" WHERE s.code = $1 AND s.kind <> 'imported'"
		" AND v.version = coalesce($2::int, scheme_version_at(s.code, current_date))",
		2, true },
	[STMT_SCHEME_VERSIONS] = { "scheme_versions",
		"SELECT json_build_object('code', s.code,"
		" 'versions', json_agg(json_build_object("
		"'version', v.version,"
		" 'published_at', v.published_at,"
		" 'applies_from', CASE WHEN isfinite(v.applies_from) THEN v.applies_from END,"
		" 'in_force', v.version = scheme_version_at(s.code, current_date))"
		" ORDER BY v.version))::text AS json"
		" FROM scheme s"
		" JOIN scheme_version v ON v.scheme_code = s.code"
		" WHERE s.code = $1 AND s.kind <> 'imported'"
		" GROUP BY s.code",
		1, true },
	/* The scheme version inspection $1 is graded under: the one it was graded under once
	 * submitted; for a draft amendment, the amended inspection's; for any other draft, the
	 * version in force on the day the visit started, in the jurisdiction's time zone. */
	[STMT_SCHEME_OF_INSPECTION] = { "scheme_of_inspection",
		"SELECT v.version, v.document::text AS document"
		" FROM inspection i"
		" JOIN establishment e ON e.id = i.establishment_id"
		" JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" LEFT JOIN inspection o ON o.id = i.amends_inspection_id"
		" JOIN scheme_version v ON v.scheme_code = i.scheme_code"
		" AND v.version = CASE"
		" WHEN i.status = 'submitted' THEN i.scheme_version"
		" WHEN o.id IS NOT NULL THEN o.scheme_version"
		" ELSE scheme_version_at(i.scheme_code, (i.started_at AT TIME ZONE j.timezone)::date)"
		" END"
		" WHERE i.id = $1::bigint",
		1, false },

	/* The descriptions of version $2 of scheme $1's catalogue (sql/0029), from its document:
	 * what is shown beside the violations cited under that version. */
	[STMT_SCHEME_VERSION_VIOLATIONS_INSERT] = { "scheme_version_violations_insert",
		"INSERT INTO scheme_version_violation (scheme_code, version, code, description)"
		" SELECT v.scheme_code, v.version, x->>'code', x->>'description'"
		" FROM scheme_version v, jsonb_array_elements(v.document->'violations') x"
		" WHERE v.scheme_code = $1 AND v.version = $2::int"
		" ON CONFLICT DO NOTHING",
		2, false },

	/* ---- jurisdictions and establishments */
	[STMT_JURISDICTION_LIST] = { "jurisdiction_list",
		"SELECT json_build_object('jurisdictions',"
		" coalesce(json_agg(json_build_object('code', code, 'name', name, 'scheme',"
		" jurisdiction_scheme_at(id, (now() AT TIME ZONE timezone)::date),"
		" 'timezone', timezone) ORDER BY code), '[]'))::text AS json"
		" FROM jurisdiction",
		0, true },
	[STMT_JURISDICTION_CREATE] = { "jurisdiction_create",
		"INSERT INTO jurisdiction (code, name, scheme_code, timezone)"
		" VALUES ($1, $2, $3, coalesce($4, 'UTC'))"
		" RETURNING json_build_object('code', code, 'name', name, 'scheme',"
		" scheme_code, 'timezone', timezone)::text AS json",
		4, false },
	/* What decides whether jurisdiction $1 may move to scheme $2: the jurisdiction (locked),
	 * the scheme's kind (NULL: no such scheme), the latest day a submitted inspection's visit
	 * started there, in its time zone, and the latest assignment's date
	 * (scheme_assignment_check() decides). */
	[STMT_JURISDICTION_SCHEME_CHECK] = { "jurisdiction_scheme_check",
		"SELECT j.id,"
		" (SELECT s.kind FROM scheme s WHERE s.code = $2) AS kind,"
		" (SELECT max((i.started_at AT TIME ZONE j.timezone)::date)::text"
		"  FROM inspection i JOIN establishment e ON e.id = i.establishment_id"
		"  WHERE e.jurisdiction_id = j.id AND i.status = 'submitted') AS last_visit,"
		" (SELECT max(a.applies_from)::text FROM jurisdiction_scheme a"
		"  WHERE a.jurisdiction_id = j.id) AS last_from"
		" FROM jurisdiction j"
		" WHERE j.code = $1"
		" FOR UPDATE OF j",
		2, false },
	[STMT_JURISDICTION_SCHEME_INSERT] = { "jurisdiction_scheme_insert",
		"INSERT INTO jurisdiction_scheme (jurisdiction_id, scheme_code, applies_from,"
		" assigned_by)"
		" VALUES ($1::bigint, $2, $3::date, $4::bigint)"
		" RETURNING applies_from::text AS applies_from",
		4, false },
	/* Jurisdiction $1's schemes: the one it started with, its assignments in date order, and
	 * the scheme in force today in its time zone. */
	[STMT_JURISDICTION_SCHEMES] = { "jurisdiction_schemes",
		"SELECT json_build_object('code', j.code, 'name', j.name, 'timezone', j.timezone,"
		" 'initial_scheme', j.scheme_code,"
		" 'scheme', jurisdiction_scheme_at(j.id, (now() AT TIME ZONE j.timezone)::date),"
		" 'assignments', coalesce((SELECT json_agg(json_build_object('scheme', a.scheme_code,"
		"  'applies_from', a.applies_from, 'assigned_at', a.assigned_at)"
		"  ORDER BY a.applies_from)"
		"  FROM jurisdiction_scheme a WHERE a.jurisdiction_id = j.id), '[]'))::text AS json"
		" FROM jurisdiction j"
		" WHERE j.code = $1",
		1, true },
	[STMT_ESTABLISHMENT_CREATE] = { "establishment_create",
		"INSERT INTO establishment (jurisdiction_id, licence_number, name,"
		" address_line, city, postcode, latitude, longitude, establishment_type,"
		" cuisine, risk_category)"
		" SELECT j.id, $2, $3, coalesce($4, ''), coalesce($5, ''), coalesce($6, ''),"
		" $7::float8, $8::float8, coalesce($9, 'restaurant'), coalesce($10, ''),"
		" coalesce($11, 'B')"
		" FROM jurisdiction j"
		" WHERE j.code = $1"
		" RETURNING id, (SELECT scheme_code FROM jurisdiction WHERE code = $1) AS scheme",
		11, false },
	[STMT_ESTABLISHMENT_UPDATE] = { "establishment_update",
		"UPDATE establishment SET name = coalesce($2, name),"
		" address_line = coalesce($3, address_line), city = coalesce($4, city),"
		" postcode = coalesce($5, postcode), latitude = coalesce($6::float8, latitude),"
		" longitude = coalesce($7::float8, longitude),"
		" establishment_type = coalesce($8, establishment_type),"
		" cuisine = coalesce($9, cuisine), risk_category = coalesce($10, risk_category),"
		" updated_at = now()"
		" WHERE id = $1::bigint RETURNING id",
		10, false },
	/* The public record of one establishment: its details, the grade it posts and the
	 * inspection that grade rests on, and its latest inspections. One round trip. */
	/* A page of establishment $1's submitted inspections, newest first, as in its record:
	 * those after inspection $2 in that order (from the newest when NULL), at most $3. One
	 * row: whether the establishment exists, whether $2 is one of its inspections, and the
	 * page with the cursor of the next ({"inspections","next_before"}). */
	[STMT_ESTABLISHMENT_INSPECTIONS] = { "establishment_inspections",
		"WITH c AS (SELECT started_at, id FROM inspection"
		"  WHERE id = $2::bigint AND establishment_id = $1::bigint AND status = 'submitted'),"
		" p AS (SELECT i.id, i.started_at, json_build_object('id', i.id,"
		"  'type', i.inspection_type, 'started_at', i.started_at, 'score', i.score,"
		"  'grade_code', i.grade_code, 'grade_label', i.grade_label, 'outcome',"
		" i.outcome,"
		"  'revision', i.revision) AS j"
		"  FROM inspection i WHERE i.establishment_id = $1::bigint AND i.status = 'submitted'"
		"  AND ($2::bigint IS NULL OR (i.started_at, i.id) < (SELECT started_at,"
		" id FROM c))"
		"  ORDER BY i.started_at DESC, i.id DESC LIMIT $3::int + 1),"
		" shown AS (SELECT * FROM p ORDER BY started_at DESC, id DESC LIMIT $3::int)"
		" SELECT EXISTS (SELECT 1 FROM establishment WHERE id = $1::bigint) AS found,"
		" $2::bigint IS NULL OR EXISTS (SELECT 1 FROM c) AS before_found,"
		" json_build_object('inspections',"
		" coalesce((SELECT json_agg(j ORDER BY started_at"
		"  DESC, id DESC) FROM shown), '[]'),"
		"  'next_before', CASE WHEN (SELECT count(*) FROM p) > $3::int THEN (SELECT id FROM"
		"  shown ORDER BY started_at, id LIMIT 1) END)::text AS json",
		3, true },
	[STMT_ESTABLISHMENT_JSON] = { "establishment_json",
		"SELECT json_build_object('id', e.id, 'licence_number', e.licence_number,"
		" 'name', e.name,"
		" 'address', json_build_object('line', e.address_line, 'city', e.city,"
		" 'postcode', e.postcode),"
		" 'location', CASE WHEN e.latitude IS NULL THEN NULL ELSE json_build_object( 'latitude', e.latitude, 'longitude', e.longitude) END,"
		" 'establishment_type', e.establishment_type, 'cuisine', e.cuisine,"
		" 'risk_category', e.risk_category, 'status', e.status,"
		" 'status_since', CASE WHEN e.status <> 'active' THEN (SELECT json_build_object("
		" 'action', la.action, 'effective_on', la.effective_on,"
		" 'reason_category', la.reason_category)"
		" FROM licence_action la WHERE la.establishment_id = e.id"
		" AND la.action IN ('suspended', 'revoked') ORDER BY la.id DESC LIMIT 1) END,"
		" 'jurisdiction', j.code, 'jurisdiction_name', j.name,"
		" 'scheme', jurisdiction_scheme_at(j.id, (now() AT TIME ZONE j.timezone)::date),"
		" 'grade', public_grade(e.id),"
		" 'appeal', establishment_appeal_json(e.id),"
		" 'reply', establishment_reply_json(e.id),"
		" 'inspections', coalesce((SELECT json_agg(json_build_object('id', i.id,"
		" 'type', i.inspection_type, 'started_at', i.started_at, 'score', i.score,"
		"  'grade_code', i.grade_code, 'grade_label', i.grade_label, 'outcome',"
		" i.outcome, 'revision', i.revision) ORDER BY i.started_at DESC, i.id DESC)"
		"  FROM (SELECT * FROM inspection i2 WHERE i2.establishment_id = e.id AND i2.status = 'submitted' ORDER BY i2.started_at DESC, i2.id DESC LIMIT 5) i),"
		" '[]'))::text AS json"
		" FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" WHERE e.id = $1::bigint",
		1, true },
	/* Establishment $1's status, locked for a licence action. */
	[STMT_ESTABLISHMENT_STATUS_LOCK] = { "establishment_status_lock",
		"SELECT status FROM establishment WHERE id = $1::bigint"
		" FOR UPDATE",
		1, false },
	[STMT_ESTABLISHMENT_SET_STATUS] = { "establishment_set_status",
		"UPDATE establishment SET status = $2, updated_at = now() WHERE id = $1::bigint"
		" RETURNING id",
		2, false },
	[STMT_LICENCE_ACTION_CREATE] = { "licence_action_create",
		"INSERT INTO licence_action (establishment_id, action, effective_on,"
		" expires_on, reason, recorded_by, reason_category)"
		" VALUES ($1::bigint, $2, coalesce($3::date, current_date), $4::date,"
		" coalesce($5, ''), $6::bigint, $7)"
		" RETURNING json_build_object('id', id, 'establishment_id', establishment_id,"
		" 'action', action, 'effective_on', effective_on, 'expires_on', expires_on,"
		" 'reason', reason, 'recorded_at', recorded_at)::text AS json, id",
		7, false },
	/* An establishment's licence history, newest first (the index on (establishment_id,
	 * id)); no row when there is no such establishment. */
	[STMT_LICENCE_ACTION_LIST] = { "licence_action_list",
		"SELECT json_build_object('licence_actions', coalesce(("
		" SELECT json_agg(json_build_object('id', a.id,"
		" 'action', a.action, 'effective_on', a.effective_on,"
		" 'expires_on', a.expires_on, 'reason', a.reason,"
		" 'recorded_at', a.recorded_at) ORDER BY a.id DESC)"
		" FROM licence_action a WHERE a.establishment_id = e.id),"
		" '[]'))::text AS json"
		" FROM establishment e"
		" WHERE e.id = $1::bigint",
		1, true },
	[STMT_POSTED_GRADE_SET] = { "posted_grade_set",
		"INSERT INTO posted_grade (establishment_id, state, grade_code, grade_label,"
		" score,"
		" inspection_id, issued_at)"
		" VALUES ($1::bigint, $2, $3, $4, $5::int, $6::bigint, now())"
		" ON CONFLICT (establishment_id) DO UPDATE SET state = EXCLUDED.state,"
		" grade_code = EXCLUDED.grade_code, grade_label = EXCLUDED.grade_label,"
		" score = EXCLUDED.score, inspection_id = EXCLUDED.inspection_id,"
		" issued_at = EXCLUDED.issued_at",
		6, false },

	/* ---- inspections */
	[STMT_IDEMPOTENCY_CLAIM] = { "idempotency_claim",
		"INSERT INTO idempotency_key (user_id, key, request_hash, status, response)"
		" VALUES ($1::bigint, $2, $3, 0, '') ON CONFLICT DO NOTHING RETURNING 1",
		3, false },
	[STMT_IDEMPOTENCY_GET] = { "idempotency_get",
		"SELECT request_hash, status, response FROM idempotency_key"
		" WHERE user_id = $1::bigint AND key = $2",
		2, false },
	[STMT_IDEMPOTENCY_FINISH] = { "idempotency_finish",
		"UPDATE idempotency_key SET status = $3::int, response = $4"
		" WHERE user_id = $1::bigint AND key = $2",
		4, false },
	/* Keys are kept 30 days (docs/architecture.md, "Idempotency"): longer than a tablet
	 * stays offline. Run by the sealer thread's hourly housekeeping. */
	[STMT_IDEMPOTENCY_PRUNE] = { "idempotency_prune",
		"WITH d AS (DELETE FROM idempotency_key"
		" WHERE created_at < now() - interval '31 days' RETURNING 1)"
		" SELECT count(*) FROM d",
		0, false },
	[STMT_INSPECTION_CREATE] = { "inspection_create",
		"INSERT INTO inspection (establishment_id, scheme_code, inspection_type,"
		" inspector_id,"
		" started_at, ended_at, closed_establishment, hygiene_score, structural_score,"
		" management_score, notes, operator_signature, operator_signed_name,"
		" amends_inspection_id, amendment_reason, revision)"
		" SELECT e.id,"
		" coalesce((SELECT o.scheme_code FROM inspection o WHERE o.id = $13::bigint),"
		" jurisdiction_scheme_at(j.id, (coalesce($4::timestamptz, now()) AT TIME ZONE j.timezone)::date)),"
		" $2, $3::bigint, coalesce($4::timestamptz, now()),"
		" $5::timestamptz, $6::boolean, $7::int, $8::int, $9::int, coalesce($10, ''),"
		" $11, $12,"
		" $13::bigint, $14,"
		" coalesce((SELECT revision + 1 FROM inspection WHERE id = $13::bigint), 1)"
		" FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" WHERE e.id = $1::bigint"
		" RETURNING id, scheme_code",
		14, false },
	[STMT_INSPECTION_UPDATE_DRAFT] = { "inspection_update_draft",
		"UPDATE inspection SET inspection_type = $2,"
		" started_at = coalesce($3::timestamptz,"
		" started_at), ended_at = $4::timestamptz, closed_establishment = $5::boolean,"
		" hygiene_score = $6::int, structural_score = $7::int,"
		" management_score = $8::int,"
		" notes = coalesce($9, ''), operator_signature = $10, operator_signed_name = $11,"
		" updated_at = now()"
		" WHERE id = $1::bigint AND status = 'draft' RETURNING id",
		11, false },
	[STMT_VIOLATIONS_DELETE] = { "violations_delete",
		"DELETE FROM violation WHERE inspection_id = $1::bigint",
		1, false },
	[STMT_VIOLATION_INSERT] = { "violation_insert",
		"INSERT INTO violation (inspection_id, scheme_code, code, observed, points,"
		" corrected_on_site, repeat, position, status, dismissed_reason, correct_by)"
		" VALUES ($1::bigint, $2, $3, coalesce($4, ''), $5::int, $6::boolean,"
		" $7::boolean,"
		" $8::int, coalesce($9, 'cited'), $10, $11::date)",
		11, false },
	[STMT_INSPECTION_LOCK] = { "inspection_lock",
		"SELECT i.id, i.establishment_id, i.scheme_code, i.inspection_type,"
		" i.inspector_id,"
		" i.status, i.closed_establishment,"
		" i.hygiene_score, i.structural_score, i.management_score,"
		" i.started_at, i.amends_inspection_id,"
		" (SELECT a.id FROM inspection a WHERE a.amends_inspection_id = i.id) AS amended_by"
		" FROM inspection i WHERE i.id = $1::bigint FOR UPDATE",
		1, false },
	/* Whether inspection $1's visit is dated more than a day ahead of the clock: its start,
	 * its end (a day's grace for a tablet's clock). */
	[STMT_INSPECTION_AHEAD] = { "inspection_ahead",
		"SELECT started_at > now() + interval '1 day' AS started_ahead,"
		" coalesce(ended_at > now() + interval '1 day', false) AS ended_ahead"
		" FROM inspection WHERE id = $1::bigint",
		1, false },
	/* Whether inspection $1's visit dated $2 instead would fall under another scheme of its
	 * jurisdiction than on the day it has (a move, sql/0029, between the two days). */
	[STMT_INSPECTION_SCHEME_CROSSING] = { "inspection_scheme_crossing",
		"SELECT jurisdiction_scheme_at(j.id, (i.started_at AT TIME ZONE j.timezone)::date)"
		"  AS scheme_then,"
		" jurisdiction_scheme_at(j.id, ($2::timestamptz AT TIME ZONE j.timezone)::date)"
		"  AS scheme_new"
		" FROM inspection i"
		" JOIN establishment e ON e.id = i.establishment_id"
		" JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" WHERE i.id = $1::bigint",
		2, false },
	[STMT_INSPECTION_VIOLATIONS] = { "inspection_violations",
		"SELECT code, points, status = 'dismissed' AS dismissed, observed,"
		" corrected_on_site, repeat,"
		" dismissed_reason"
		" FROM violation WHERE inspection_id = $1::bigint"
		" ORDER BY position",
		1, false },
	/* Days from the previous inspection that counts for the cycle rules: the last initial
	 * inspection ($3 = true) or the last graded one, submitted before this one started. */
	[STMT_DAYS_SINCE_PREVIOUS] = { "days_since_previous",
		"SELECT ($2::timestamptz::date - max(started_at)::date) AS days"
		" FROM inspection"
		" WHERE establishment_id = $1::bigint AND status = 'submitted'"
		" AND started_at <= $2::timestamptz AND amends_inspection_id IS NULL"
		" AND CASE WHEN $3::boolean THEN inspection_type = 'initial' ELSE sets_grade END"
		" AND NOT inspection_overturned(id)",
		3, false },
	[STMT_INSPECTION_SUBMIT] = { "inspection_submit",
		"UPDATE inspection SET status = 'submitted', score = $2::int, grade_code = $3,"
		" grade_label = $4, outcome = $5, sets_grade = $6::boolean,"
		" explanation = $7::jsonb, submitted_at = now(),"
		" ended_at = coalesce(ended_at, now()), public_code = $8, appeal_code_hash = $9,"
		" scheme_version = $10::int"
		" WHERE id = $1::bigint AND status = 'draft' RETURNING id",
		10, false },
	/* True when the posted grade rests on $4 (the inspection being amended), or when no
	 * submitted inspection of the establishment started after $2, other than the ones named
	 * and those overturned on appeal: then a grade from the inspection is the current one. */
	[STMT_INSPECTION_IS_LATEST] = { "inspection_is_latest",
		"SELECT EXISTS (SELECT 1 FROM posted_grade"
		"  WHERE establishment_id = $1::bigint AND inspection_id = $4::bigint)"
		" OR NOT EXISTS (SELECT 1 FROM inspection"
		"  WHERE establishment_id = $1::bigint"
		"  AND status = 'submitted' AND started_at > $2::timestamptz"
		"  AND id <> ALL ($3::bigint[])"
		"  AND NOT inspection_overturned(id)) AS latest",
		4, false },
	[STMT_INSPECTION_JSON_PUBLIC] = { "inspection_json_public",
		"SELECT "
		INSPECTION_JSON
		"::text AS inspection"
		" FROM inspection i WHERE i.id = $1::bigint AND i.status = 'submitted'",
		1, true },
	[STMT_INSPECTION_JSON_STAFF] = { "inspection_json_staff",
		"SELECT ("
		INSPECTION_JSON
		"::jsonb || jsonb_build_object("
		" 'inspector_id', i.inspector_id, 'notes', i.notes,"
		" 'operator_signed_name', i.operator_signed_name,"
		" 'operator_signature', i.operator_signature,"
		" 'version', i.version, 'checklist', i.checklist,"
		" 'corrective_actions', coalesce((SELECT json_agg(json_build_object("
		"  'violation_id', v.id, 'code', v.code, 'correct_by', v.correct_by)"
		"  ORDER BY v.position) FROM violation v WHERE v.inspection_id = i.id"
		"  AND v.correct_by IS NOT NULL), '[]'),"
		" 'conflicts', coalesce((SELECT json_agg(json_build_object("
		"  'id', c.id, 'user_id', c.user_id, 'by', u.username,"
		"  'base_version', c.base_version,"
		"  'current_version', c.current_version,"
		"  'flagged_at', c.flagged_at,"
		"  'refused_document', c.refused_document) ORDER BY c.id)"
		"  FROM inspection_conflict c JOIN staff_user u"
		"  ON u.id = c.user_id WHERE c.inspection_id = i.id"
		"  AND c.resolved_at IS NULL), '[]')))::text AS inspection"
		" FROM inspection i WHERE i.id = $1::bigint",
		1, true },

	/* ---- the event log */
	[STMT_EVENT_APPEND] = { "event_append",
		"SELECT event_append($1, $2, $3::jsonb)",
		3, false },
	[STMT_EVENT_SEAL] = { "event_seal",
		"SELECT event_seal($1::int) AS sealed",
		1, false },
	/* A redacted entry (listed in log_redaction, its payload replaced by JSON null) is
	 * published with "redacted": true and no payload: its hash is still pinned by the next
	 * entry's prev_hash. */
	[STMT_LOG_PAGE] = { "log_page",
		"SELECT json_build_object('entries',"
		" coalesce(json_agg(json_build_object('seq', seq, 'occurred_at', "
		UTC_TIMESTAMP("occurred_at")
		", 'kind', kind,"
		" 'subject', subject,"
		" 'payload', CASE WHEN redacted THEN NULL ELSE payload END, 'payload_text',"
		" CASE WHEN redacted THEN NULL ELSE payload::text END,"
		" 'redacted', redacted, 'prev_hash', prev_hash, 'hash', hash)"
		" ORDER BY seq), '[]'), 'next_after', max(seq))::text AS json"
		" FROM (SELECT l.*, (l.payload = 'null'::jsonb AND EXISTS (SELECT 1 FROM log_redaction r WHERE r.seq = l.seq)) AS redacted"
		" FROM event_log l"
		" WHERE l.seq > $1::bigint"
		" ORDER BY l.seq"
		" LIMIT $2::int) e",
		2, true },
	/* The sealed entries of one subject ("inspection/42"), as STMT_LOG_PAGE gives them, with the
	 * checkpoints' verifier key and origin the caller passes ($4, $5: NULL without a key) and
	 * during a rotation the key being replaced ($6). */
	[STMT_LOG_SUBJECT] = { "log_subject",
		"SELECT json_build_object('subject', $1::text, 'vkey', $4::text, 'origin', $5::text,"
		" 'previous_vkey', $6::text,"
		" 'entries', coalesce(json_agg(json_build_object("
		"  'seq', seq,"
		"  'occurred_at', " UTC_TIMESTAMP("occurred_at") ","
		"  'kind', kind,"
		"  'subject', subject,"
		"  'payload', CASE WHEN redacted THEN NULL ELSE payload END,"
		"  'payload_text', CASE WHEN redacted THEN NULL ELSE payload::text END,"
		"  'redacted', redacted,"
		"  'prev_hash', prev_hash,"
		"  'hash', hash)"
		" ORDER BY seq), '[]'),"
		" 'next_after', max(seq))::text AS json"
		" FROM (SELECT l.*,"
		"  (l.payload = 'null'::jsonb"
		"   AND EXISTS (SELECT 1 FROM log_redaction r WHERE r.seq = l.seq)) AS redacted"
		"  FROM event_log l"
		"  WHERE l.subject = $1::text"
		"  AND l.seq > $2::bigint"
		"  ORDER BY l.seq"
		"  LIMIT $3::int) e",
		6, true },
	[STMT_LOG_HEAD] = { "log_head",
		"SELECT json_build_object('seq', coalesce(max(seq), 0),"
		" 'hash', coalesce((SELECT hash FROM event_log ORDER BY seq DESC LIMIT 1),"
		" repeat('0', 64)), 'pending',"
		" (SELECT count(*) FROM event_pending))::text AS json"
		" FROM event_log",
		0, true },
	/* The columns the hash covers, formatted as event_canonical() formats them, and whether
	 * the entry is redacted. */
	[STMT_LOG_VERIFY_PAGE] = { "log_verify_page",
		"SELECT l.seq, l.prev_hash, "
		UTC_TIMESTAMP("l.occurred_at")
		" AS occurred_at, l.kind, l.subject,"
		" l.payload::text AS payload, l.hash,"
		" l.payload = 'null'::jsonb AND EXISTS (SELECT 1 FROM log_redaction r WHERE r.seq = l.seq) AS redacted"
		" FROM event_log l"
		" WHERE l.seq > $1::bigint ORDER BY l.seq"
		" LIMIT $2::int",
		2, true },
	/* ---- free text kept out of the log (sql/0022_log_text.sql) */
	/* $1 source ('appeal.decision_reasons'...), $2 its row, $3 public, $4 the text: the
	 * reference {"text": id, "sha256": hex} the log entry carries (NULL for no text). */
	[STMT_LOG_TEXT_PUT] = { "log_text_put",
		"SELECT log_text_put($1, $2::bigint, $3::boolean, $4)::text AS ref",
		4, false },
	[STMT_LOG_TEXT_PUBLIC_JSON] = { "log_text_public_json",
		"SELECT log_text_public_json($1::bigint)::text AS json",
		1, true },
	/* $1 text, $2 administrator's username, $3 reason. */
	[STMT_LOG_TEXT_ERASE] = { "log_text_erase",
		"SELECT log_text_erase($1::bigint, $2, $3)::text AS ref",
		3, false },
	/* $1 sequence number, $2 administrator's username, $3 reason. */
	[STMT_LOG_REDACTION_REQUEST] = { "log_redaction_request",
		"SELECT log_redaction_request($1::bigint, $2, $3)",
		3, false },
	[STMT_LOG_REDACT_APPLY] = { "log_redact_apply",
		"SELECT event_log_redact_apply($1::bigint) AS applied",
		1, false },
	/* staff and sessions */
	[STMT_STAFF_CREATE] = { "staff_create",
		"INSERT INTO staff_user (username, display_name, role, password_hash)"
		" VALUES ($1, $2, $3, $4)"
		" RETURNING id, username, display_name, role",
		4, false },
	[STMT_STAFF_LIST] = { "staff_list",
		"SELECT id, username, display_name, role, active,"
		" to_char(created_at AT TIME ZONE 'UTC',"
		" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at"
		" FROM staff_user"
		" ORDER BY lower(username)",
		0, true },
	[STMT_STAFF_LIST_JSON] = { "staff_list_json",
		"SELECT json_build_object('staff', coalesce(json_agg("
		" json_build_object('id', id, 'username', username,"
		" 'display_name', display_name, 'role', role, 'active', active,"
		" 'created_at', to_char(created_at AT TIME ZONE 'UTC',"
		" 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
		" ORDER BY lower(username)), '[]'::json)) AS json"
		" FROM staff_user",
		0, true },
	[STMT_STAFF_BY_USERNAME] = { "staff_by_username",
		"SELECT id, username, display_name, role, password_hash"
		" FROM staff_user WHERE lower(username) = lower($1) AND active",
		1, true },
	/* $1 username as typed, $2 client network, $3 the network's own window s, $4 window s
	 * (src/domain/ratelimit.h): failures of the pair and seconds since its latest; of the
	 * network in its own window and seconds since its oldest; of the username. */
	[STMT_LOGIN_FAILURE_COUNTS] = { "login_failure_counts",
		"SELECT count(*) FILTER (WHERE username = lower($1) AND ip = $2) AS pair,"
		" coalesce(floor(extract(epoch FROM now() - max(at)"
		"  FILTER (WHERE username = lower($1) AND ip = $2))),"
		" 0)::bigint AS pair_last_age,"
		" count(*) FILTER (WHERE ip = $2"
		"  AND at > now() - $3::int * interval '1 second') AS client,"
		" coalesce(floor(extract(epoch FROM now() - min(at)"
		"  FILTER (WHERE ip = $2"
		"  AND at > now() - $3::int * interval '1 second'))), 0)::bigint"
		"  AS client_oldest_age,"
		" count(*) FILTER (WHERE username = lower($1)) AS target"
		" FROM login_failure"
		" WHERE (username = lower($1) OR ip = $2)"
		" AND at > now() - $4::int * interval '1 second'",
		4, true },
	/* $1 username as typed, $2 client network, $3 seconds to keep failures for. */
	[STMT_LOGIN_FAILURE_ADD] = { "login_failure_add",
		"WITH purge AS (DELETE FROM login_failure"
		"  WHERE at < now() - $3::int * interval '1 second')"
		" INSERT INTO login_failure (username, ip) VALUES (lower($1), $2)",
		3, false },
	/* $1 username, $2 client network: a sign-in succeeded, so this pair's failures go; the
	 * username's failures from elsewhere stay counted. */
	[STMT_LOGIN_FAILURE_CLEAR] = { "login_failure_clear",
		"DELETE FROM login_failure WHERE username = lower($1)"
		" AND ip = $2",
		2, false },
	/* $1 token hash (hex), $2 user id, $3 CSRF token, $4 lifetime s. */
	[STMT_SESSION_CREATE] = { "session_create",
		"WITH purge AS (DELETE FROM staff_session"
		"  WHERE expires_at < now() - interval '1 day')"
		" INSERT INTO staff_session (token_hash, user_id, csrf_token, expires_at)"
		" VALUES (decode($1, 'hex'), $2, $3, now() + $4::int * interval '1 second')",
		4, false },
	/* $1 token hash (hex), $2 idle limit s, $3 touch interval s. The live session's user
	 * (id, username, display_name, role) and CSRF token; last_seen_at is written only when
	 * older than $3, so at most once per interval (idempotent: safe to retry). */
	[STMT_SESSION_LOOKUP] = { "session_lookup",
		"WITH s AS (SELECT s.token_hash, s.csrf_token, s.last_seen_at, u.id, u.username,"
		"  u.display_name, u.role"
		"  FROM staff_session s JOIN staff_user u ON u.id = s.user_id"
		"  WHERE s.token_hash = decode($1, 'hex') AND s.revoked_at IS NULL"
		"  AND s.expires_at > now()"
		"  AND s.last_seen_at > now() - $2::int * interval '1 second' AND u.active),"
		" touch AS (UPDATE staff_session t SET last_seen_at = now() FROM s"
		"  WHERE t.token_hash = s.token_hash"
		"  AND s.last_seen_at < now() - $3::int * interval '1 second')"
		" SELECT id, username, display_name, role, csrf_token FROM s",
		3, true },
	[STMT_SESSION_REVOKE] = { "session_revoke",
		"UPDATE staff_session SET revoked_at = now()"
		" WHERE token_hash = decode($1, 'hex') AND revoked_at IS NULL",
		1, false },

	/* ---- bulk loading: demo data (COPY in text format, ids given by the loader) */
	[STMT_ESTABLISHMENT_COUNT] = { "establishment_count",
		"SELECT count(*), coalesce(max(id), 0) AS max_id"
		" FROM establishment",
		0, true },
	[STMT_JURISDICTION_ENSURE] = { "jurisdiction_ensure",
		"INSERT INTO jurisdiction (code, name, scheme_code) VALUES ($1, $2, $3)"
		" ON CONFLICT (code) DO NOTHING",
		3, false },
	[STMT_JURISDICTION_ID] = { "jurisdiction_id",
		"SELECT id FROM jurisdiction WHERE code = $1",
		1, true },
	[STMT_BULK_LOAD_ON] = { "bulk_load_on",
		"SELECT set_config('placard.bulk_load', 'on', true)",
		0, false },
	[STMT_COPY_ESTABLISHMENTS] = { "copy_establishments",
		"COPY establishment (id, jurisdiction_id, licence_number, name, address_line,"
		" city,"
		" postcode, latitude, longitude, establishment_type, cuisine, risk_category,"
		" status)"
		" FROM STDIN",
		-1, false },
	[STMT_COPY_INSPECTIONS] = { "copy_inspections",
		"COPY inspection (id, establishment_id, scheme_code, inspection_type,"
		" inspector_id,"
		" status, started_at, ended_at, closed_establishment, hygiene_score,"
		" structural_score, management_score, score, grade_code, grade_label, outcome,"
		" sets_grade, explanation, submitted_at, public_code) FROM STDIN",
		-1, false },
	[STMT_COPY_VIOLATIONS] = { "copy_violations",
		"COPY violation (inspection_id, scheme_code, code, points, position) FROM STDIN",
		-1, false },
	[STMT_COPY_POSTED_GRADES] = { "copy_posted_grades",
		"COPY posted_grade (establishment_id, state, grade_code, grade_label, score,"
		" inspection_id, issued_at) FROM STDIN",
		-1, false },
	/* The demo's events, one per record, with what the records functions would have logged
	 * (establishment.registered, inspection.submitted) under kinds and subjects that say
	 * they are demo data (so that no demo inspection passes for a submission in the
	 * record's check): each establishment from id $1 on, then each of their inspections,
	 * oldest first. */
	[STMT_DEMO_EVENTS] = { "demo_events",
		"INSERT INTO event_pending (kind, subject, payload)"
		" SELECT kind, subject, payload FROM ("
		" SELECT 0 AS pass, NULL::timestamptz AS at, e.id,"
		" 'demo.establishment' AS kind, 'demo-establishment/' || e.id AS subject,"
		" jsonb_build_object('jurisdiction', j.code, 'licence_number', e.licence_number,"
		" 'name', e.name) AS payload"
		" FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" WHERE e.id >= $1::bigint"
		" UNION ALL"
		" SELECT 1, i.started_at, i.id,"
		" 'demo.inspection', 'demo-inspection/' || i.id,"
		" jsonb_build_object('establishment', i.establishment_id::text,"
		" 'type', i.inspection_type, 'score', i.score,"
		" 'grade_code', coalesce(i.grade_code, ''), 'outcome', i.outcome,"
		" 'public_code', i.public_code,"
		" 'violations', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', v.code,"
		" 'points', v.points, 'dismissed', v.status = 'dismissed') ORDER BY v.id), '[]')"
		" FROM violation v WHERE v.inspection_id = i.id))"
		" FROM inspection i WHERE i.establishment_id >= $1::bigint"
		") ev"
		" ORDER BY pass, at, id",
		1, false },
	[STMT_SEQUENCES_RESET] = { "sequences_reset",
		"SELECT setval(pg_get_serial_sequence('establishment', 'id'),"
		" (SELECT coalesce(max(id), 0) + 1 FROM establishment), false),"
		" setval(pg_get_serial_sequence('inspection', 'id'),"
		" (SELECT coalesce(max(id), 0) + 1 FROM inspection), false),"
		" setval(pg_get_serial_sequence('violation', 'id'),"
		" (SELECT coalesce(max(id), 0) + 1 FROM violation), false)",
		0, false },
	/* ---- appeals and due process (sql/0005_appeals.sql) */
	/* The report opened by licence $1 and appeal code hash $2: a code on a submitted revision,
	 * or the code that filed the report's appeal (it keeps opening the case after a new code
	 * was issued). Root, establishment, scheme, head revision, seconds since the operator was
	 * notified, the appeal's state (NULL: none), whether this code acts in the appeal (the
	 * filing code, or any code of an appeal filed before filing codes were kept), seconds
	 * since this code was issued, seconds since the appeal closed (NULL: open or none),
	 * whether the code was replaced by a newer one (it then opens the report read only). */
	[STMT_OPERATOR_REPORT] = { "operator_report",
		"SELECT r.id AS inspection, r.establishment_id AS establishment,"
		" r.scheme_code AS scheme, inspection_head(r.id) AS head,"
		" greatest(0, floor(extract(epoch FROM now()"
		"  - greatest(r.ended_at, r.submitted_at))))::bigint AS since_notice,"
		" a.state AS appeal_state,"
		" a.id IS NULL OR a.filed_code_hash IS NULL OR a.filed_code_hash = $2"
		"  AS filing_code,"
		" greatest(0, floor(extract(epoch FROM now() - coalesce("
		"  (SELECT max(x.issued_at) FROM appeal_code_reissue x"
		"   WHERE x.inspection_id = r.id AND x.code_hash = $2),"
		"  c.issued))))::bigint AS code_age,"
		" floor(extract(epoch FROM now() - a.closed_at))::bigint AS since_closed,"
		" c.rank = 2 AS replaced_code"
		" FROM (SELECT inspection_root(i.id) AS root,"
		"  CASE WHEN i.amends_inspection_id IS NULL"
		"  THEN greatest(i.ended_at, i.submitted_at)"
		"  ELSE i.submitted_at END AS issued, 0 AS rank"
		"  FROM inspection i JOIN establishment e ON e.id = i.establishment_id"
		"  WHERE lower(e.licence_number) = lower($1) AND i.appeal_code_hash = $2"
		"  AND i.status = 'submitted'"
		"  UNION ALL"
		"  SELECT f.inspection_id, f.filed_at, 1 FROM appeal f"
		"  JOIN establishment e ON e.id = f.establishment_id"
		"  WHERE lower(e.licence_number) = lower($1) AND f.filed_code_hash = $2"
		"  UNION ALL"
		"  SELECT x.inspection_id, x.replaced_at, 2 FROM appeal_code_replaced x"
		"  JOIN inspection xi ON xi.id = x.inspection_id"
		"  JOIN establishment e ON e.id = xi.establishment_id"
		"  WHERE lower(e.licence_number) = lower($1) AND x.code_hash = $2"
		"  ORDER BY 3 LIMIT 1) c"
		" JOIN inspection r ON r.id = c.root"
		" LEFT JOIN appeal a ON a.inspection_id = r.id",
		2, true },
	/* Is appeal code hash $2 already on a report of establishment $1? */
	[STMT_APPEAL_CODE_IN_USE] = { "appeal_code_in_use",
		"SELECT 1 FROM inspection WHERE establishment_id = $1::bigint"
		" AND appeal_code_hash = $2 LIMIT 1",
		2, false },
	/* Inspection $1, locked, for a new appeal code: status, inspector, source, establishment. */
	[STMT_APPEAL_CODE_TARGET] = { "appeal_code_target",
		"SELECT status, inspector_id, source, establishment_id"
		" FROM inspection WHERE id = $1::bigint FOR UPDATE",
		1, false },
	/* Before a new code replaces them: keep the hashes of the codes on inspection $1's
	 * report, which then open it read only (sql/0024). */
	[STMT_APPEAL_CODE_KEEP_REPLACED] = { "appeal_code_keep_replaced",
		"INSERT INTO appeal_code_replaced (inspection_id, code_hash)"
		" SELECT inspection_root($1::bigint), i.appeal_code_hash"
		" FROM inspection i WHERE i.id IN (SELECT c.id FROM"
		" inspection_chain($1::bigint) c)"
		" AND i.appeal_code_hash IS NOT NULL",
		1, false },
	/* The new code hash $2 on inspection $1; every other revision of its report loses its
	 * code, so that no code printed before opens the report. */
	[STMT_APPEAL_CODE_REPLACE] = { "appeal_code_replace",
		"UPDATE inspection SET appeal_code_hash ="
		" CASE WHEN id = $1::bigint THEN $2 END"
		" WHERE id IN (SELECT c.id FROM inspection_chain($1::bigint) c)"
		" AND status = 'submitted'",
		2, false },
	/* Record the new code hash $2 on revision $1, issued by staff member $3 for reason $4. */
	[STMT_APPEAL_CODE_REISSUE_RECORD] = { "appeal_code_reissue_record",
		"INSERT INTO appeal_code_reissue (inspection_id,"
		" revision_id, code_hash, issued_by, reason)"
		" VALUES (inspection_root($1::bigint), $1::bigint, $2,"
		" $3::bigint, $4)",
		4, false },
	/* $1 licence (lower case), $2 client network, $3 the network's own window s, $4 window
	 * s (src/domain/ratelimit.h): wrong codes of the pair and seconds since its latest; of
	 * the network in its own window and seconds since its oldest; of the licence. */
	[STMT_APPEAL_CODE_FAILURE_COUNTS] = { "appeal_code_failure_counts",
		"SELECT count(*) FILTER (WHERE licence = $1 AND ip = $2) AS pair,"
		" coalesce(floor(extract(epoch FROM now() - max(at)"
		"  FILTER (WHERE licence = $1 AND ip = $2))), 0)::bigint AS pair_last_age,"
		" count(*) FILTER (WHERE ip = $2"
		"  AND at > now() - $3::int * interval '1 second') AS client,"
		" coalesce(floor(extract(epoch FROM now() - min(at)"
		"  FILTER (WHERE ip = $2"
		"  AND at > now() - $3::int * interval '1 second'))), 0)::bigint"
		"  AS client_oldest_age,"
		" count(*) FILTER (WHERE licence = $1) AS target"
		" FROM appeal_code_failure"
		" WHERE (licence = $1 OR ip = $2)"
		" AND at > now() - $4::int * interval '1 second'",
		4, true },
	/* $1 licence (lower case), $2 client network, $3 seconds to keep failures for. */
	[STMT_APPEAL_CODE_FAILURE_ADD] = { "appeal_code_failure_add",
		"WITH purge AS (DELETE FROM appeal_code_failure"
		"  WHERE at < now() - $3::int * interval '1 second')"
		" INSERT INTO appeal_code_failure (licence, ip) VALUES ($1, $2)",
		3, false },
	/* $1 licence (lower case), $2 client network: the right code came from this network, so
	 * its wrong codes for the licence go; those from elsewhere stay counted. */
	[STMT_APPEAL_CODE_FAILURE_CLEAR] = { "appeal_code_failure_clear",
		"DELETE FROM appeal_code_failure"
		" WHERE licence = $1 AND ip = $2",
		2, false },
	/* What the operator sees: $1 root inspection, $2 filing window in days (0: until the
	 * hearing, NULL: no appeal), $3 whether the code acts in the appeal, $4 whether it was
	 * replaced, $5 the scheme's re-rating stand-still in days (0 or NULL: no re-rating). Their
	 * own grounds, attachments (without their bytes) and reply text as posted are included. */
	[STMT_OPERATOR_STATUS_JSON] = { "operator_status_json",
		"SELECT json_build_object("
		" 'establishment', json_build_object('id', e.id, 'name', e.name,"
		"  'licence_number', e.licence_number, 'scheme', r.scheme_code,"
		"  'grade', public_grade(e.id)),"
		" 'inspection', json_build_object('id', r.id, 'current_revision_id', h.id,"
		"  'type', r.inspection_type, 'started_at', r.started_at,"
		"  'notified_at', greatest(r.ended_at, r.submitted_at), 'score', h.score,"
		"  'grade_code', h.grade_code, 'grade_label', h.grade_label,"
		"  'overturned', inspection_overturned(r.id),"
		"  'violations', coalesce((SELECT json_agg(json_build_object('id', v.id,"
		"   'code', v.code, 'description', coalesce(vv.description, sv.description),"
		"   'points', v.points,"
		"   'status', v.status, 'dismissed_reason',"
		" v.dismissed_reason, 'observed', v.observed,"
		"   'corrected_on_site', v.corrected_on_site, 'repeat', v.repeat,"
		"   'correct_by', v.correct_by) ORDER BY v.position)"
		"   FROM violation v JOIN scheme_violation sv ON sv.scheme_code = v.scheme_code"
		"   AND sv.code = v.code LEFT JOIN scheme_version_violation vv"
		"   ON vv.scheme_code = v.scheme_code AND vv.version = h.scheme_version"
		"   AND vv.code = v.code WHERE v.inspection_id = h.id), '[]'),"
		"  'readings', coalesce((SELECT json_agg(json_build_object('item', rd.item,"
		"   'location', rd.location, 'value', rd.value, 'unit', rd.unit,"
		"   'taken_at', rd.taken_at) ORDER BY rd.position)"
		"   FROM inspection_reading rd WHERE rd.inspection_id = h.id), '[]')),"
		" 'appeal_window', json_build_object('appealable', $2::int IS NOT NULL,"
		"  'days', $2::int, 'until_hearing', $2::int = 0,"
		"  'deadline', CASE WHEN $2::int > 0 THEN greatest(r.ended_at, r.submitted_at)"
		"   + $2::int * interval '1 day' END),"
		" 'appeal', (SELECT appeal_public_json(a.id)::jsonb || jsonb_build_object("
		"  'grounds', a.grounds, 'contested_violations', a.contested_violations,"
		"  'attachments', " APPEAL_ATTACHMENTS_JSON("'/api/v1/operator/appeals/attachments/'") ")"
		"  FROM appeal a WHERE a.inspection_id = r.id),"
		" 'reply', (SELECT json_build_object('id', p.id, 'text', p.original_text,"
		"  'published_text', p.published_text, 'posted_at', p.posted_at,"
		"  'moderated', p.moderated_at IS NOT NULL, 'moderation_reason',"
		" p.moderation_reason)"
		"  FROM operator_reply p WHERE p.establishment_id = e.id AND p.superseded_at IS NULL"
		"  ORDER BY p.id DESC LIMIT 1),"
		" 'rerating', (SELECT json_build_object('id', q.id, 'state', q.state,"
		"  'requested_at', q.requested_at, 'earliest_visit_on', q.earliest_visit_on,"
		"  'visit_on', q.visit_on, 'visit_inspection_id', q.visit_inspection_id)"
		"  FROM rerating_request q WHERE q.establishment_id = e.id ORDER BY q.id DESC LIMIT 1),"
		" 'code_reissues', coalesce((SELECT json_agg(json_build_object("
		"  'issued_at', x.issued_at) ORDER BY x.id)"
		"  FROM appeal_code_reissue x WHERE x.inspection_id = r.id), '[]'),"
		" 'code_acts_in_appeal', $3::boolean, 'code_replaced', $4::boolean,"
		" 'rerating_window', json_build_object('available', coalesce($5::int, 0) > 0,"
		"  'standstill_days', $5::int),"
		" 'now', now())::text AS json"
		" FROM inspection r JOIN inspection h ON h.id = inspection_head(r.id)"
		" JOIN establishment e ON e.id = r.establishment_id"
		" WHERE r.id = $1::bigint",
		5, true },
	/* $1 root inspection, $2 establishment, $3 grounds, $4 contested violation ids of the
	 * current revision, $5 filing window days (NULL: until the hearing), $6 decision days.
	 * $7 the hash of the code that files it. No row when a contested id is not a violation of
	 * the current revision. */
	[STMT_APPEAL_CREATE] = { "appeal_create",
		"INSERT INTO appeal (inspection_id, establishment_id, grounds,"
		" contested_violations, filing_deadline, decision_due,"
		" original_score, original_grade_code, original_grade_label,"
		" filed_code_hash)"
		" SELECT r.id, $2::bigint, $3, $4::bigint[],"
		" greatest(r.ended_at, r.submitted_at) + $5::int * interval '1 day',"
		" now() + $6::int * interval '1 day', h.score, h.grade_code, h.grade_label, $7"
		" FROM inspection r JOIN inspection h ON h.id = inspection_head(r.id)"
		" WHERE r.id = $1::bigint AND $4::bigint[] <@ ARRAY(SELECT v.id FROM violation v"
		"  WHERE v.inspection_id = h.id)"
		" RETURNING id, filing_deadline, decision_due",
		7, false },
	/* By id ($1) or by inspection ($2): id, state, root inspection, establishment,
	 * adjournments, head revision, scheme. */
	[STMT_APPEAL_LOCK] = { "appeal_lock",
		"SELECT a.id, a.state, a.inspection_id, a.establishment_id, a.adjournments,"
		" inspection_head(a.inspection_id) AS head, i.scheme_code, a.original_score,"
		" coalesce(a.filed_at > a.filing_deadline, false) AS filed_late,"
		" " UTC_TIMESTAMP("a.filing_deadline") " AS filing_deadline"
		" FROM appeal a JOIN inspection i ON i.id = a.inspection_id"
		" WHERE a.id = $1::bigint OR a.inspection_id = $2::bigint"
		" FOR UPDATE OF a",
		2, false },
	/* $1 id, $2 new state, $3 hearing time or NULL, $4 one more adjournment, $5 note: the
	 * closing note when the step closes the appeal (a review's notes and an adjournment's
	 * reason are in the log entry of the step). */
	[STMT_APPEAL_SET_STATE] = { "appeal_set_state",
		"UPDATE appeal SET state = $2, hearing_at = coalesce($3::timestamptz,"
		" hearing_at),"
		" adjournments = adjournments + CASE WHEN $4::boolean THEN 1 ELSE 0 END,"
		" closing_note = CASE WHEN $2 IN ('withdrawn', 'rejected_late')"
		" THEN coalesce($5, closing_note) ELSE closing_note END,"
		" closed_at = CASE WHEN $2 IN ('withdrawn', 'rejected_late') THEN now() END,"
		" updated_at = now() WHERE id = $1::bigint"
		" RETURNING hearing_at, adjournments",
		5, false },
	/* $1 id, $2 outcome state, $3 hearing officer, $4 reasons, $5 revision or NULL. */
	[STMT_APPEAL_DECIDE] = { "appeal_decide",
		"UPDATE appeal SET state = $2, decided_at = now(), decided_by = $3::bigint,"
		" decision_reasons = $4, revision_inspection_id = $5::bigint,"
		" closed_at = now(), updated_at = now() WHERE id = $1::bigint",
		5, false },
	/* How staff member $2 stands to inspection $1, and where it stands, for the separation of
	 * duties (domain/policy.c): the root, whether $2 inspected the visit (the root), whether
	 * $2 inspected or amended any revision (a decision's revision does not count), status,
	 * whether it is the newest revision, whether it was imported, its appeal's state. */
	[STMT_INSPECTION_DUTIES] = { "inspection_duties",
		"SELECT r.id AS root,"
		" r.inspector_id IS NOT DISTINCT FROM $2::bigint AS owner,"
		" EXISTS (SELECT 1 FROM inspection c"
		"  WHERE c.id IN (SELECT id FROM inspection_chain(r.id))"
		"  AND c.inspector_id = $2::bigint"
		"  AND NOT EXISTS (SELECT 1 FROM appeal d WHERE d.revision_inspection_id = c.id))"
		"  AS involved,"
		" i.status,"
		" NOT EXISTS (SELECT 1 FROM inspection n WHERE n.amends_inspection_id = i.id)"
		"  AS current,"
		" i.source IS NOT NULL AS imported,"
		" a.state AS appeal_state"
		" FROM inspection i"
		" JOIN inspection r ON r.id = inspection_root(i.id)"
		" LEFT JOIN appeal a ON a.inspection_id = r.id"
		" WHERE i.id = $1::bigint",
		2, false },
	/* The hearing officers' queue: open appeals, most urgent first; $1 true: only those
	 * past their decision deadline. */
	[STMT_APPEAL_QUEUE_JSON] = { "appeal_queue_json",
		"SELECT json_build_object('appeals', coalesce(json_agg("
		"  appeal_public_json(a.id)::jsonb || jsonb_build_object("
		"  'establishment', json_build_object('id', e.id, 'name', e.name,"
		"  'licence_number', e.licence_number), 'scheme', i.scheme_code)"
		"  ORDER BY a.decision_due, a.id), '[]'))::text AS json"
		" FROM appeal a JOIN establishment e ON e.id = a.establishment_id"
		" JOIN inspection i ON i.id = a.inspection_id"
		" WHERE appeal_state_open(a.state)"
		" AND (NOT $1::boolean OR a.decision_due < now())",
		1, true },
	[STMT_APPEAL_PUBLIC_JSON] = { "appeal_public_json",
		"SELECT appeal_public_json(a.id)::text AS json"
		" FROM appeal a WHERE a.id = $1::bigint",
		1, true },
	/* An appeal as hearing officers see it: with the grounds, the review notes and
	 * adjournment reasons (kept in log_text, never public) and the current revision of the
	 * inspection (violation ids to dismiss). */
	[STMT_APPEAL_STAFF_JSON] = { "appeal_staff_json",
		"SELECT (appeal_public_json(a.id)::jsonb || jsonb_build_object("
		" 'grounds', a.grounds, 'contested_violations', a.contested_violations,"
		" 'scheme', r.scheme_code,"
		" 'internal_notes', (SELECT coalesce(json_agg(json_build_object("
		"  'source', t.source, 'text', t.body, 'written_at', t.created_at,"
		"  'erased', t.erased_at IS NOT NULL) ORDER BY t.id), '[]')"
		"  FROM log_text t WHERE t.source_id = a.id"
		"  AND t.source IN ('appeal.review_note', 'appeal.adjournment_reason')),"
		" 'establishment', json_build_object('id', e.id, 'name', e.name,"
		"  'licence_number', e.licence_number),"
		" 'attachments', "
		APPEAL_ATTACHMENTS_JSON("'/api/v1/staff/appeals/' || a.id || '/attachments/'") ","
		" 'observations', (SELECT i.notes FROM inspection i"
		"  WHERE i.id = inspection_head(a.inspection_id)),"
		" 'previous_inspections', (SELECT coalesce(json_agg(json_build_object("
		"  'id', p.id, 'type', p.inspection_type, 'started_at', p.started_at,"
		"  'score', ph.score, 'grade_label', ph.grade_label,"
		"  'overturned', inspection_overturned(p.id),"
		"  'violations', (SELECT count(*) FROM violation v WHERE v.inspection_id = ph.id"
		"   AND v.status <> 'dismissed'))"
		"  ORDER BY p.started_at DESC), '[]')"
		"  FROM (SELECT * FROM inspection q"
		"   WHERE q.establishment_id = a.establishment_id"
		"   AND q.amends_inspection_id IS NULL AND q.status = 'submitted'"
		"   AND q.id <> a.inspection_id AND q.started_at < r.started_at"
		"   ORDER BY q.started_at DESC LIMIT 10) p"
		"  JOIN inspection ph ON ph.id = inspection_head(p.id)),"
		" 'inspection', (SELECT "
		INSPECTION_JSON
		" FROM inspection i"
		"  WHERE i.id = inspection_head(a.inspection_id))))::text AS json"
		" FROM appeal a JOIN establishment e ON e.id = a.establishment_id"
		" JOIN inspection r ON r.id = a.inspection_id"
		" WHERE a.id = $1::bigint",
		1, true },
	/* The inspection (the chain's root) appeal $1 is against. */
	[STMT_APPEAL_INSPECTION] = { "appeal_inspection",
		"SELECT inspection_id FROM appeal WHERE id = $1::bigint",
		1, true },
	/* The inspection chain ($2 root) the posted grade of establishment $1 rests on. */
	[STMT_POSTED_GRADE_LOCK] = { "posted_grade_lock",
		"SELECT inspection_id, inspection_root(inspection_id) = $2::bigint AS on_chain"
		" FROM posted_grade WHERE establishment_id = $1::bigint"
		" FOR UPDATE",
		2, false },
	[STMT_GRADE_FALLBACK] = { "grade_fallback",
		"SELECT state, grade_code, grade_label, score, inspection_id"
		" FROM grade_fallback($1::bigint, $2::bigint)",
		2, false },
	/* A new draft revision of submitted inspection $1 made by staff member $2 with the
	 * reason $3: the same visit, to be given its violations and submitted. */
	[STMT_INSPECTION_REVISE] = { "inspection_revise",
		"INSERT INTO inspection (establishment_id, scheme_code, inspection_type,"
		" inspector_id, started_at, ended_at, closed_establishment, hygiene_score,"
		" structural_score, management_score, notes, operator_signature,"
		" operator_signed_name, amends_inspection_id, amendment_reason, revision)"
		" SELECT establishment_id, scheme_code, inspection_type, $2::bigint, started_at,"
		" ended_at, closed_establishment, hygiene_score, structural_score,"
		" management_score, notes, operator_signature, operator_signed_name, id, $3,"
		" revision + 1 FROM inspection WHERE id = $1::bigint AND status = 'submitted'"
		" RETURNING id, scheme_code",
		3, false },
	[STMT_VIOLATIONS_OF] = { "violations_of",
		"SELECT id, code, points, observed, corrected_on_site, repeat, status,"
		" dismissed_reason, correct_by FROM violation WHERE inspection_id = $1::bigint"
		" ORDER BY position",
		1, false },
	[STMT_REPLY_SUPERSEDE] = { "reply_supersede",
		"UPDATE operator_reply SET superseded_at = now()"
		" WHERE establishment_id = $1::bigint AND superseded_at IS NULL",
		1, false },
	/* $1 establishment, $2 inspection, $3 text. */
	[STMT_REPLY_CREATE] = { "reply_create",
		"INSERT INTO operator_reply (establishment_id, inspection_id, original_text,"
		" published_text) VALUES ($1::bigint, $2::bigint, $3, $3)"
		" RETURNING id",
		3, false },
	/* $1 reply, $2 the text to publish instead (NULL: withdraw it), $3 clerk, $4 reason. */
	[STMT_REPLY_MODERATE] = { "reply_moderate",
		"UPDATE operator_reply SET published_text = $2, moderated_at = now(),"
		" moderated_by = $3::bigint, moderation_reason = $4"
		" WHERE id = $1::bigint AND superseded_at IS NULL"
		" RETURNING establishment_id",
		4, false },
	/* The inspection current reply $1 answers. */
	[STMT_REPLY_INSPECTION] = { "reply_inspection",
		"SELECT inspection_id FROM operator_reply"
		" WHERE id = $1::bigint AND superseded_at IS NULL",
		1, false },
	/* $1 establishment, $2 rated inspection, $3 improvements, $4 days until the visit may
	 * happen. */
	[STMT_RERATING_CREATE] = { "rerating_create",
		"INSERT INTO rerating_request (establishment_id, inspection_id, improvements,"
		" earliest_visit_on) VALUES ($1::bigint, $2::bigint, $3,"
		" current_date + $4::int)"
		" RETURNING id, earliest_visit_on",
		4, false },
	[STMT_RERATING_LOCK] = { "rerating_lock",
		"SELECT id, state, establishment_id, earliest_visit_on"
		" FROM rerating_request WHERE id = $1::bigint FOR UPDATE",
		1, false },
	/* $1 request, $2 state, $3 visit date or NULL, $4 staff, $5 visit inspection or NULL
	 * (must be a submitted inspection of the same establishment made since the request,
	 * as STMT_RERATING_CLOSE_BY_VISIT counts a visit, not the rated one, and a visit is a
	 * first revision, not an amendment re-dated after the request: else no row). */
	[STMT_RERATING_SET] = { "rerating_set",
		"UPDATE rerating_request q SET state = $2, visit_on = coalesce($3::date,"
		" visit_on),"
		" scheduled_by = CASE WHEN $3::date IS NULL THEN scheduled_by ELSE $4::bigint END,"
		" visit_inspection_id = $5::bigint,"
		" inspected_at = CASE WHEN $5::bigint IS NULL THEN NULL ELSE now() END"
		" WHERE q.id = $1::bigint AND ($5::bigint IS NULL OR EXISTS ("
		"  SELECT 1 FROM inspection i WHERE i.id = $5::bigint"
		"  AND i.establishment_id = q.establishment_id AND i.status = 'submitted' AND i.id <> q.inspection_id"
		"  AND i.amends_inspection_id IS NULL"
		"  AND i.started_at::date >= q.requested_at::date))"
		" RETURNING json_build_object('id', q.id, 'establishment_id', q.establishment_id,"
		" 'state', q.state, 'requested_at', q.requested_at,"
		" 'earliest_visit_on', q.earliest_visit_on, 'visit_on', q.visit_on,"
		" 'visit_inspection_id', q.visit_inspection_id)::text AS json",
		5, false },
	/* Open re-rating requests for the inspectors' due list: due now, and still in the
	 * stand-still. The operator's text is shown to inspectors: it says what to look at. */
	[STMT_RERATING_DUE_JSON] = { "rerating_due_json",
		"SELECT json_build_object("
		" 'due', coalesce(json_agg(x.o ORDER BY x.d,"
		" x.id) FILTER (WHERE x.d <= current_date), '[]'),"
		" 'upcoming', coalesce(json_agg(x.o ORDER BY x.d,"
		" x.id) FILTER (WHERE x.d > current_date), '[]')"
		" )::text AS json"
		" FROM (SELECT q.id, coalesce(q.visit_on, q.earliest_visit_on) AS d,"
		"  json_build_object('id', q.id, 'state', q.state,"
		"  'establishment', json_build_object('id', e.id, 'name', e.name,"
		"  'address', e.address_line, 'city', e.city, 'postcode', e.postcode),"
		"  'inspection_id', q.inspection_id, 'improvements', q.improvements,"
		"  'requested_at', q.requested_at, 'earliest_visit_on', q.earliest_visit_on,"
		"  'visit_on', q.visit_on) AS o"
		"  FROM rerating_request q JOIN establishment e ON e.id = q.establishment_id"
		"  WHERE q.state <> 'inspected') x",
		0, true },
	/* Days since the rated inspection $1 started. */
	[STMT_RERATING_DAYS_SINCE] = { "rerating_days_since",
		"SELECT greatest(0, current_date - started_at::date) AS days"
		" FROM inspection"
		" WHERE id = $1::bigint",
		1, true },
	/* The re-inspection $2 of establishment $1, started at $3, makes the re-rating visit
	 * of its open request, if one was made by that day: the request becomes inspected. */
	[STMT_RERATING_CLOSE_BY_VISIT] = { "rerating_close_by_visit",
		"UPDATE rerating_request q SET state = 'inspected',"
		" visit_inspection_id = $2::bigint, inspected_at = now()"
		" WHERE q.establishment_id = $1::bigint"
		" AND q.state IN ('requested', 'scheduled')"
		" AND $3::timestamptz::date >= q.requested_at::date"
		" RETURNING q.id",
		3, false },
	/* ---- public portal: search, grade cards, the name dictionary (sql/0006_search.sql) */
	[STMT_SEARCH_NAME_QUERY] = { "search_name_query",
		"SELECT name_query($1::text)::text AS tsquery",
		1, true },
	/* Whether $1 (in small letters) is a cuisine or a kind of place some establishment has. */
	[STMT_SEARCH_KIND_EXISTS] = { "search_kind_exists",
		"SELECT EXISTS (SELECT 1 FROM establishment WHERE lower(cuisine) = $1::text)"
		" OR EXISTS (SELECT 1 FROM establishment WHERE lower(establishment_type) = $1::text)"
		" AS kind",
		1, true },
	/* The matches, counted up to $14 rows (the cap plus one: more means "at least"). */
	[STMT_SEARCH_COUNT] = { "search_count",
		"SELECT count(*) FROM (SELECT 1"
		SEARCH_COUNT_WHERE
		" LIMIT $14::bigint) m",
		16, true, true },
	/* Then $13 the sort (name, relevance, distance), $14 the name as typed (relevance is
	 * its trigram similarity), the last row of the previous page ($15 name, $16 relevance
	 * or distance, $17 id; NULL for the first page), $18 the number of rows and $19 the
	 * licence number. One row per establishment: its JSON, its sort key as text, its id. */
	[STMT_SEARCH_PAGE] = { "search_page",
		"SELECT "
		SEARCH_ITEM("CASE WHEN $6::float8 IS NULL THEN NULL ELSE round("SEARCH_DISTANCE") END")
		","
		" CASE WHEN $13::text = 'name' THEN h.name ELSE h.k::text END AS sort_key, h.id"
		" FROM (SELECT e.id, e.name, CASE $13::text"
		"  WHEN 'relevance' THEN similarity(e.name, $14::text)::float8"
		"  WHEN 'distance' THEN "
		SEARCH_DISTANCE
		" END AS k"
		SEARCH_PAGE_WHERE
		" AND ($17::bigint IS NULL OR CASE $13::text"
		"  WHEN 'name' THEN (e.name, e.id) > ($15::text, $17::bigint)"
		"  WHEN 'relevance' THEN similarity(e.name, $14::text)::float8 < $16::float8"
		"   OR (similarity(e.name,"
		" $14::text)::float8 = $16::float8 AND e.id > $17::bigint)"
		"  ELSE ("
		SEARCH_DISTANCE
		", e.id) > ($16::float8, $17::bigint) END)"
		" ORDER BY CASE WHEN $13::text = 'name' THEN e.name END,"
		"  CASE WHEN $13::text = 'relevance' THEN similarity(e.name, $14::text) END DESC,"
		"  CASE WHEN $13::text = 'distance' THEN "
		SEARCH_DISTANCE
		" END, e.id"
		" LIMIT $18::int) h"
		" JOIN establishment e ON e.id = h.id"
		" JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" LEFT JOIN posted_grade g ON g.establishment_id = e.id"
		" ORDER BY CASE WHEN $13::text = 'name' THEN h.name END,"
		"  CASE WHEN $13::text = 'relevance' THEN h.k END DESC,"
		"  CASE WHEN $13::text = 'distance' THEN h.k END, h.id",
		21, true, true },
	/* The name index in memory (src/records/searchindex.c, sql/0014_search_index.sql). What
	 * was typed ($1) as its words (sql/functions/name_query_words.sql), separated by spaces (the
	 * parser never puts a space inside a word), and whether a change was recorded by a
	 * transaction that the snapshot $2 (the one the index was last brought up to) did not
	 * see. */
	[STMT_SEARCH_INDEX_SYNC] = { "search_index_sync",
		"SELECT array_to_string(name_query_words($1::text), ' ') AS words,"
		" EXISTS (SELECT 1 FROM search_change"
		"  WHERE xid >= pg_snapshot_xmin($2::pg_snapshot)"
		"  AND NOT pg_visible_in_snapshot(xid, $2::pg_snapshot)) AS changed",
		2, true },
	/* Those changes, read in a new snapshot, returned with them: one row per change (its
	 * id; the establishment, NULL for "reload everything"; its name now, NULL when it is
	 * gone; its words), or a single row with only the snapshot when there are none. */
	[STMT_SEARCH_INDEX_CHANGES] = { "search_index_changes",
		"SELECT s.x::text AS snapshot, c.id, c.establishment_id, e.name,"
		" array_to_string(tsvector_to_array(name_tsvector(e.name)), ' ') AS words"
		" FROM (SELECT pg_current_snapshot() AS x) s"
		" LEFT JOIN (search_change c LEFT JOIN establishment e"
		"  ON e.id = c.establishment_id)"
		"  ON c.xid >= pg_snapshot_xmin($1::pg_snapshot)"
		"  AND NOT pg_visible_in_snapshot(c.xid, $1::pg_snapshot)"
		" ORDER BY c.id",
		1, true },
	/* The snapshot a load starts from (changes after it are applied after the load). */
	[STMT_SEARCH_INDEX_SNAPSHOT] = { "search_index_snapshot",
		"SELECT pg_current_snapshot()::text AS snapshot",
		0, true },
	/* Every name and its words. */
	[STMT_SEARCH_INDEX_LOAD] = { "search_index_load",
		"COPY (SELECT"
		" id, name, array_to_string(tsvector_to_array(name_tsvector(name)),"
		" ' ') FROM establishment)"
		" TO STDOUT",
		0, false },
	/* Changes a day old: every server has long applied them (they sync every second, and
	 * reload everything after a longer gap). */
	[STMT_SEARCH_INDEX_PRUNE] = { "search_index_prune",
		"DELETE FROM search_change"
		" WHERE changed_at < now() - interval '1 day'",
		0, false },
	/* A page of results by id ($1, a bigint[] in the order wanted), as search_page's. */
	[STMT_SEARCH_PAGE_IDS] = { "search_page_ids",
		"SELECT "
		SEARCH_ITEM("NULL::float8")
		SEARCH_PAGE_IDS_FROM,
		1, true },
	/* A grade card by the public code printed on it ($1): the grade it shows, and whether
	 * the establishment still posts that grade or a later inspection has superseded it. */
	[STMT_CARD_JSON] = { "card_json",
		"SELECT json_build_object('public_code', i.public_code,"
		" 'inspection_id', i.id, 'establishment_id', e.id,"
		" 'establishment_name', e.name, 'inspected_at', i.started_at,"
		" 'grade', json_build_object('code', i.grade_code,"
		"  'label', i.grade_label, 'outcome', i.outcome, 'score', i.score),"
		" 'current', coalesce(g.inspection_id = i.id, false),"
		" 'posted', CASE WHEN g.establishment_id IS NULL THEN NULL ELSE"
		"  json_build_object('state', g.state, 'code', g.grade_code,"
		"  'label', g.grade_label, 'inspection_id', g.inspection_id,"
		"  'public_code', p.public_code, 'issued_at', g.issued_at) END)::text AS json"
		" FROM inspection i JOIN establishment e ON e.id = i.establishment_id"
		" LEFT JOIN posted_grade g ON g.establishment_id = e.id"
		" LEFT JOIN inspection p ON p.id = g.inspection_id"
		" WHERE i.public_code = upper($1) AND i.status = 'submitted'",
		1, true },
	/* The public code of the inspection establishment $1's posted grade rests on (NULL when
	 * none); no row when there is no such establishment. */
	[STMT_CARD_CURRENT_CODE] = { "card_current_code",
		"SELECT p.public_code FROM establishment e"
		" LEFT JOIN posted_grade g ON g.establishment_id = e.id"
		" LEFT JOIN inspection p ON p.id = g.inspection_id"
		" WHERE e.id = $1::bigint",
		1, true },
	[STMT_NAME_WORDS_REFRESH] = { "name_words_refresh",
		"SELECT name_words_refresh()",
		0, false },

	/* ---- tablet app: versions and conflicts, checklist, readings, photos, due list */
	[STMT_TABLET_INSPECTION_VERSION] = { "tablet_inspection_version",
		"SELECT version FROM inspection WHERE id = $1::bigint",
		1, false },
	[STMT_TABLET_CHECKLIST_SET] = { "tablet_checklist_set",
		"UPDATE inspection SET checklist = $2::jsonb"
		" WHERE id = $1::bigint AND checklist <> $2::jsonb",
		2, false },
	[STMT_TABLET_READINGS_DELETE] = { "tablet_readings_delete",
		"DELETE FROM inspection_reading WHERE inspection_id = $1::bigint",
		1, false },
	/* $1 inspection, $2 position, $3 item, $4 location, $5 value, $6 unit, $7 taken_at,
	 * $8 catalogue code or NULL. */
	[STMT_TABLET_READING_INSERT] = { "tablet_reading_insert",
		"INSERT INTO inspection_reading (inspection_id, position, item, location,"
		" value, unit, taken_at, code) VALUES ($1::bigint, $2::int, $3, coalesce($4, ''),"
		" $5::numeric, $6, coalesce($7::timestamptz, now()), $8)",
		8, false },
	/* A photo already stored under the device's id: its id, hash and metadata. */
	[STMT_TABLET_PHOTO_FIND] = { "tablet_photo_find",
		"SELECT id, sha256, json_build_object('id', id, 'client_id', client_id,"
		" 'content_type', content_type, 'bytes', size_bytes, 'sha256', sha256,"
		" 'width', width, 'height', height, 'code', code, 'taken_at', taken_at,"
		" 'url', '/api/v1/staff/inspections/' || inspection_id || '/photos/' || id)::text AS photo"
		" FROM inspection_photo WHERE inspection_id = $1::bigint AND client_id = $2",
		2, false },
	[STMT_TABLET_PHOTO_COUNT] = { "tablet_photo_count",
		"SELECT count(*) AS photos FROM inspection_photo WHERE inspection_id = $1::bigint",
		1, false },
	/* $1 inspection, $2 client id, $3 content type, $4 data (hex), $5 sha256 (hex), $6 width,
	 * $7 height, $8 code, $9 taken_at, $10 uploader. The database checks the hash again. */
	[STMT_TABLET_PHOTO_INSERT] = { "tablet_photo_insert",
		"INSERT INTO inspection_photo (inspection_id, client_id, content_type, data,"
		" size_bytes, sha256, width, height, code, taken_at, uploaded_by)"
		" VALUES ($1::bigint, $2, $3, decode($4, 'hex'), length($4) / 2, $5, $6::int,"
		" $7::int, $8, coalesce($9::timestamptz, now()), $10::bigint)"
		" RETURNING id, json_build_object('id', id, 'client_id', client_id,"
		" 'content_type', content_type, 'bytes', size_bytes, 'sha256', sha256,"
		" 'width', width, 'height', height, 'code', code, 'taken_at', taken_at,"
		" 'url', '/api/v1/staff/inspections/' || inspection_id || '/photos/' || id)::text AS photo",
		10, false },
	[STMT_TABLET_PHOTO_GET] = { "tablet_photo_get",
		"SELECT content_type, encode(data, 'hex') AS data_hex,"
		" sha256 FROM inspection_photo"
		" WHERE inspection_id = $1::bigint AND id = $2::bigint",
		2, true },
	[STMT_TABLET_PHOTO_DELETE] = { "tablet_photo_delete",
		"DELETE FROM inspection_photo WHERE inspection_id = $1::bigint AND id = $2::bigint"
		" RETURNING sha256",
		2, false },
	/* $1 inspection, $2 user, $3 the version the device had, $4 the current version,
	 * $5 the refused document. */
	[STMT_TABLET_CONFLICT_ADD] = { "tablet_conflict_add",
		"INSERT INTO inspection_conflict (inspection_id, user_id, base_version,"
		" current_version, refused_document) VALUES ($1::bigint, $2::bigint, $3::int,"
		" $4::int, $5::jsonb) RETURNING id",
		5, false },
	/* $1 inspection, $2 conflict, $3 user, $4 resolution. */
	[STMT_TABLET_CONFLICT_RESOLVE] = { "tablet_conflict_resolve",
		"UPDATE inspection_conflict SET resolved_at = now(), resolved_by = $3::bigint,"
		" resolution = $4 WHERE inspection_id = $1::bigint AND id = $2::bigint"
		" AND resolved_at IS NULL RETURNING id",
		4, false },
	[STMT_TABLET_CONFLICT_OPEN_COUNT] = { "tablet_conflict_open_count",
		"SELECT count(*) AS conflicts FROM inspection_conflict"
		" WHERE inspection_id = $1::bigint AND resolved_at IS NULL",
		1, false },
	/* $1 establishment, $2 inspector (must be an active inspector), $3 who assigns. */
	[STMT_TABLET_ASSIGN] = { "tablet_assign",
		"INSERT INTO inspector_assignment (establishment_id, inspector_id, assigned_by)"
		" SELECT e.id, u.id, $3::bigint FROM establishment e, staff_user u"
		" WHERE e.id = $1::bigint AND u.id = $2::bigint AND u.role = 'inspector' AND u.active"
		" ON CONFLICT (establishment_id) DO UPDATE SET inspector_id = EXCLUDED.inspector_id,"
		" assigned_by = EXCLUDED.assigned_by, assigned_at = now()"
		" RETURNING establishment_id",
		3, false },
	/*
	 * The due list of inspector $1: visits due within $2 days or overdue, for the active
	 * establishments assigned to them. A cycle visit is due a risk category's interval after
	 * the last inspection (A 6 months, B 12, C 18, D 24; E is left to other means), or at
	 * once for an establishment never inspected; a re-inspection is due when the latest
	 * cycle inspection required one, no sooner than the days it names; a re-rating visit
	 * the operator asked for (requested or scheduled) is one more item, due on the day it
	 * was scheduled for or else when the stand-still ends (its not_before). Overdue first,
	 * by risk category and then the longest time since the last inspection; the rest by
	 * date.
	 */
	[STMT_TABLET_DUE_LIST] = { "tablet_due_list",
		"SELECT json_build_object('inspector_id', $1::bigint, 'as_of', current_date,"
		" 'horizon_days', $2::int, 'items', coalesce(json_agg(json_build_object("
		"  'establishment', json_build_object('id', x.id, 'name', x.name,"
		"   'licence_number', x.licence_number, 'address', json_build_object("
		"   'line', x.address_line, 'city', x.city, 'postcode', x.postcode),"
		"   'risk_category', x.risk_category, 'scheme', x.scheme_code),"
		"  'reason', x.reason, 'due_on', x.due_on, 'overdue', x.overdue,"
		"  'days_overdue', greatest(current_date - x.due_on, 0),"
		"  'not_before', x.not_before, 'rerating', x.rerating,"
		"  'suggested_type', CASE WHEN x.reason IN ('reinspection', 'rerating', 'followup')"
		"   THEN 'reinspection' ELSE 'initial' END,"
		"  'days_since_last_inspection', x.days_since,"
		"  'last_inspection', CASE WHEN x.last_id IS NULL THEN NULL ELSE"
		"   json_build_object('id', x.last_id, 'type', x.last_type,"
		"   'started_at', x.last_at, 'score', x.last_score,"
		"   'grade_code', x.last_grade_code, 'grade_label', x.last_grade_label) END,"
		"  'draft_id', x.draft_id)"
		" ORDER BY x.overdue DESC, CASE WHEN x.overdue THEN x.risk_category END,"
		"  CASE WHEN x.overdue THEN coalesce(x.days_since, 1000000) END DESC,"
		"  x.due_on, x.risk_category, x.id, x.reason), '[]'))::text AS due"
		" FROM (SELECT e.id, e.name, e.licence_number, e.address_line, e.city,"
		" e.postcode,"
		"  e.risk_category,"
		"  jurisdiction_scheme_at(j.id, (now() AT TIME ZONE j.timezone)::date) AS scheme_code,"
		"  v.reason, v.due_on, v.not_before,"
		"  v.rerating, v.due_on < current_date AS overdue,"
		"  current_date - last.started_at::date AS days_since,"
		"  last.id AS last_id, last.inspection_type AS last_type,"
		" last.started_at AS last_at,"
		"  last.score AS last_score, last.grade_code AS last_grade_code,"
		"  last.grade_label AS last_grade_label,"
		"  (SELECT max(dr.id) FROM inspection dr WHERE dr.establishment_id = e.id"
		"   AND dr.status = 'draft' AND dr.inspector_id = $1::bigint) AS draft_id"
		"  FROM inspector_assignment ia"
		"  JOIN establishment e ON e.id = ia.establishment_id"
		"  JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		"  LEFT JOIN LATERAL (SELECT i.* FROM inspection i"
		"   WHERE i.establishment_id = e.id AND i.status = 'submitted'"
		"   ORDER BY i.started_at DESC, i.id DESC LIMIT 1) last ON true"
		"  LEFT JOIN LATERAL (SELECT i.* FROM inspection i"
		"   WHERE i.establishment_id = e.id AND i.status = 'submitted'"
		"   AND i.inspection_type IN ('initial', 'reinspection')"
		"   ORDER BY i.started_at DESC, i.id DESC LIMIT 1) cyc ON true"
		"  CROSS JOIN LATERAL (SELECT CASE WHEN (cyc.explanation->>'reinspection_required')::boolean"
		"   THEN 'reinspection' ELSE 'cycle' END AS reason) r"
		"  CROSS JOIN LATERAL (SELECT CASE WHEN r.reason = 'reinspection' THEN"
		"   cyc.started_at::date + coalesce((cyc.explanation->>'reinspection_min_days')::int, 0)"
		"   WHEN last.id IS NULL THEN e.created_at::date"
		"   ELSE (last.started_at + CASE e.risk_category"
		"   WHEN 'A' THEN interval '6 months' WHEN 'B' THEN interval '12 months'"
		"   WHEN 'C' THEN interval '18 months' ELSE interval '24 months' END)::date"
		"   END AS due_on) d"
		"  CROSS JOIN LATERAL (SELECT r.reason, d.due_on,"
		"   CASE WHEN r.reason = 'reinspection' THEN d.due_on END AS not_before,"
		"   NULL::json AS rerating"
		"   WHERE e.risk_category <> 'E' OR r.reason = 'reinspection'"
		"   UNION ALL SELECT 'rerating', coalesce(q.visit_on, q.earliest_visit_on),"
		"   q.earliest_visit_on, json_build_object('id', q.id, 'state', q.state,"
		"   'requested_at', q.requested_at, 'earliest_visit_on', q.earliest_visit_on,"
		"   'visit_on', q.visit_on, 'inspection_id', q.inspection_id,"
		"   'improvements', q.improvements)"
		"   FROM rerating_request q WHERE q.establishment_id = e.id"
		"   AND q.state IN ('requested', 'scheduled')"
		"   UNION ALL SELECT 'followup', fu.correct_by, NULL::date, NULL::json"
		"   FROM (SELECT min(cv.correct_by) AS correct_by FROM violation cv"
		"   WHERE cv.inspection_id = last.id AND cv.status = 'cited'"
		"   AND cv.correct_by IS NOT NULL) fu WHERE fu.correct_by IS NOT NULL) v"
		"  WHERE ia.inspector_id = $1::bigint AND e.status = 'active') x"
		" WHERE x.due_on <= current_date + $2::int",
		2, true },
	/*
	 * What the tablet needs to inspect establishment $1 offline: the establishment, its
	 * scheme's code (the catalogue is GET /api/v1/schemes/{code}), the type of visit due,
	 * and the violations cited at the last inspection (to suggest "repeat").
	 */
	[STMT_TABLET_FORM] = { "tablet_form",
		"SELECT json_build_object('establishment', json_build_object('id', e.id,"
		"  'name', e.name, 'licence_number', e.licence_number, 'address',"
		"  json_build_object('line', e.address_line, 'city', e.city, 'postcode',"
		" e.postcode),"
		"  'establishment_type', e.establishment_type, 'risk_category', e.risk_category,"
		"  'status', e.status, 'jurisdiction', j.code),"
		" 'scheme', json_build_object('code', s.code, 'version', s.version, 'name',"
		" s.name),"
		" 'suggested_type', CASE WHEN (cyc.explanation->>'reinspection_required')::boolean"
		"  THEN 'reinspection' ELSE 'initial' END,"
		" 'reinspection_not_before',"
		" CASE WHEN (cyc.explanation->>'reinspection_required')::boolean"
		"  THEN cyc.started_at::date + coalesce((cyc.explanation->>'reinspection_min_days')::int, 0) END,"
		" 'last_inspection', CASE WHEN last.id IS NULL THEN NULL ELSE json_build_object("
		"  'id', last.id, 'type', last.inspection_type, 'started_at', last.started_at,"
		"  'score', last.score, 'grade_code', last.grade_code, 'grade_label',"
		" last.grade_label,"
		"  'violations', coalesce((SELECT json_agg(json_build_object('code', v.code,"
		"  'points', v.points, 'observed', v.observed) ORDER BY v.position)"
		"  FROM violation v WHERE v.inspection_id = last.id AND v.status = 'cited'),"
		" '[]'))"
		"  END)::text AS form"
		" FROM establishment e JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" JOIN scheme s ON s.code = jurisdiction_scheme_at(j.id,"
		" (now() AT TIME ZONE j.timezone)::date)"
		" LEFT JOIN LATERAL (SELECT i.* FROM inspection i WHERE i.establishment_id = e.id"
		"  AND i.status = 'submitted' ORDER BY i.started_at DESC,"
		" i.id DESC LIMIT 1) last ON true"
		" LEFT JOIN LATERAL (SELECT i.* FROM inspection i WHERE i.establishment_id = e.id"
		"  AND i.status = 'submitted' AND i.inspection_type IN ('initial',"
		" 'reinspection')"
		"  ORDER BY i.started_at DESC, i.id DESC LIMIT 1) cyc ON true"
		" WHERE e.id = $1::bigint",
		1, true },

	/* ---- open data: imports into staging tables, applied by opendata_*_apply() (see
	 * sql/functions/opendata_nyc_apply.sql), and the LIVES export (COPY ... TO STDOUT, CSV, UTF-8). */
	/* $1 code, $2 name, $3 timezone: the import's jurisdiction, created when missing with
	 * the import scheme $4. Returns its id. */
	[STMT_OPENDATA_JURISDICTION] = { "opendata_jurisdiction",
		"WITH ins AS (INSERT INTO jurisdiction (code, name, scheme_code, timezone)"
		" VALUES ($1, $2, $4, $3) ON CONFLICT (code) DO NOTHING RETURNING id)"
		" SELECT id FROM ins UNION ALL"
		" SELECT id FROM jurisdiction WHERE code = $1 LIMIT 1",
		4, false },
	/* $1 format, $2 jurisdiction id, $3 source name. */
	[STMT_OPENDATA_REPORT_CREATE] = { "opendata_report_create",
		"INSERT INTO import_report (format, jurisdiction_id, source_name)"
		" VALUES ($1, $2::bigint, $3) RETURNING id",
		3, false },
	[STMT_OPENDATA_REPORT_FINISH] = { "opendata_report_finish",
		"UPDATE import_report SET counts = $2::jsonb WHERE id = $1::bigint",
		2, false },
	[STMT_OPENDATA_STAGE_NYC] = { "opendata_stage_nyc",
		"CREATE TEMPORARY TABLE nyc_stage (LIKE opendata_nyc_row)"
		" ON COMMIT DROP",
		0, false },
	[STMT_OPENDATA_STAGE_LIVES_BUSINESSES] = { "opendata_stage_lives_businesses",
		"CREATE TEMPORARY TABLE lives_business_stage"
		" (LIKE opendata_lives_business_row) ON COMMIT DROP",
		0, false },
	[STMT_OPENDATA_STAGE_LIVES_INSPECTIONS] = { "opendata_stage_lives_inspections",
		"CREATE TEMPORARY TABLE lives_inspection_stage"
		" (LIKE opendata_lives_inspection_row) ON COMMIT DROP",
		0, false },
	[STMT_OPENDATA_STAGE_LIVES_VIOLATIONS] = { "opendata_stage_lives_violations",
		"CREATE TEMPORARY TABLE lives_violation_stage"
		" (LIKE opendata_lives_violation_row) ON COMMIT DROP",
		0, false },
	[STMT_OPENDATA_COPY_NYC] = { "opendata_copy_nyc",
		"COPY nyc_stage FROM STDIN",
		-1, false },
	[STMT_OPENDATA_COPY_LIVES_BUSINESSES] = { "opendata_copy_lives_businesses",
		"COPY lives_business_stage FROM STDIN",
		-1, false },
	[STMT_OPENDATA_COPY_LIVES_INSPECTIONS] = { "opendata_copy_lives_inspections",
		"COPY lives_inspection_stage FROM STDIN",
		-1, false },
	[STMT_OPENDATA_COPY_LIVES_VIOLATIONS] = { "opendata_copy_lives_violations",
		"COPY lives_violation_stage FROM STDIN",
		-1, false },
	[STMT_OPENDATA_COPY_SKIPPED] = { "opendata_copy_skipped",
		"COPY import_skipped (import_id, file, row_no, reason) FROM STDIN",
		-1, false },
	/* $1 import id, $2 jurisdiction id: the counts, as JSON text. */
	[STMT_OPENDATA_NYC_APPLY] = { "opendata_nyc_apply",
		"SELECT opendata_nyc_apply($1::bigint, $2::bigint, $3)::text AS counts",
		3, false },
	[STMT_OPENDATA_LIVES_APPLY] = { "opendata_lives_apply",
		"SELECT opendata_lives_apply($1::bigint, $2::bigint, $3)::text AS counts",
		3, false },
	[STMT_OPENDATA_SKIPPED_LIST] = { "opendata_skipped_list",
		"SELECT file, row_no, reason FROM import_skipped"
		" WHERE import_id = $1::bigint ORDER BY file, row_no",
		1, true },
	[STMT_OPENDATA_FLAG_COUNTS] = { "opendata_flag_counts",
		"SELECT flag, count(*) FROM import_flagged"
		" WHERE import_id = $1::bigint GROUP BY flag ORDER BY flag",
		1, true },
	[STMT_OPENDATA_REFRESH_SEARCH] = { "opendata_refresh_search",
		"SELECT opendata_refresh_search()",
		0, false },
	/* The export reads one consistent snapshot (first statement of its transaction). */
	[STMT_OPENDATA_SNAPSHOT] = { "opendata_snapshot",
		"SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY",
		0, false },
	/* The data's version: every change appends to the event log in its transaction, and
	 * sealing moves entries without changing their number. */
	[STMT_OPENDATA_EXPORT_VERSION] = { "opendata_export_version",
		"SELECT (SELECT coalesce(max(seq), 0) FROM event_log)"
		" + (SELECT count(*) FROM event_pending) AS version",
		0, true },
	[STMT_OPENDATA_EXPORT_BUSINESSES] = { "opendata_export_businesses",
		"COPY (SELECT e.id AS business_id, e.name, e.address_line AS address, e.city,"
		" '' AS state, e.postcode AS postal_code, e.latitude, e.longitude,"
		" e.phone AS phone_number FROM establishment e ORDER BY e.id)"
		" TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')",
		-1, true },
	/* Scores 0-100, higher is better: NYC points become 100 - points (0 at least), FHRS
	 * ratings 0-5 become rating x 20, 100-point schemes are as they are. The letter or
	 * rating is in the description. Only the latest revision of an amended inspection. */
	[STMT_OPENDATA_EXPORT_INSPECTIONS] = { "opendata_export_inspections",
		"COPY (SELECT i.establishment_id AS business_id,"
		" CASE WHEN i.score IS NULL THEN NULL"
		"  WHEN i.scheme_code IN ('nyc', 'nyc-import')"
		"   THEN least(100, greatest(0, 100 - i.score))"
		"  WHEN i.scheme_code = 'fhrs'"
		"   THEN CASE WHEN i.grade_code ~ '^[0-5]$' THEN i.grade_code::int * 20 END"
		"  ELSE i.score END AS score,"
		" to_char(i.started_at AT TIME ZONE j.timezone, 'YYYYMMDD') AS date,"
		" CASE WHEN i.source = 'lives' THEN coalesce(i.source_record->>'description', '')"
		"  WHEN i.scheme_code IN ('nyc', 'nyc-import') THEN concat_ws('; ',"
		"   'Grade ' || nullif(i.grade_code, ''),"
		"   i.score || ' points (NYC, lower is better)')"
		"  WHEN i.scheme_code = 'fhrs'"
		"   THEN coalesce('Food hygiene rating ' || nullif(i.grade_code, ''), '')"
		"  ELSE coalesce(i.grade_label, '') END AS description,"
		" CASE WHEN i.source = 'nyc' THEN i.source_record->>'inspection_type'"
		"  WHEN i.source = 'lives' THEN coalesce(i.source_record->>'type', '')"
		"  ELSE i.inspection_type END AS type,"
		" i.id AS inspection_id"
		" FROM inspection i JOIN establishment e ON e.id = i.establishment_id"
		" JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" WHERE i.status = 'submitted'"
		"  AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = i.id)"
		" ORDER BY i.establishment_id, i.started_at, i.id)"
		" TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')",
		-1, true },
	[STMT_OPENDATA_EXPORT_VIOLATIONS] = { "opendata_export_violations",
		"COPY (SELECT i.establishment_id AS business_id,"
		" to_char(i.started_at AT TIME ZONE j.timezone, 'YYYYMMDD') AS date, v.code,"
		" CASE WHEN sv.imported THEN coalesce(nullif(v.observed, ''), sv.description)"
		"  ELSE coalesce((SELECT vv.description FROM scheme_version_violation vv"
		"  WHERE vv.scheme_code = v.scheme_code AND vv.version = i.scheme_version"
		"  AND vv.code = v.code), sv.description) END AS description,"
		" i.id AS inspection_id,"
		" CASE sv.category WHEN 'priority' THEN 'High Risk'"
		"  WHEN 'priority-foundation' THEN 'Moderate Risk' ELSE 'Low Risk' END"
		"  AS risk_category"
		" FROM violation v JOIN inspection i ON i.id = v.inspection_id"
		" JOIN scheme_violation sv ON sv.scheme_code = v.scheme_code AND sv.code = v.code"
		" JOIN establishment e ON e.id = i.establishment_id"
		" JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" WHERE v.status = 'cited' AND i.status = 'submitted'"
		"  AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = i.id)"
		" ORDER BY i.establishment_id, i.started_at, i.id, v.position)"
		" TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')",
		-1, true },
	[STMT_OPENDATA_EXPORT_FEED_INFO] = { "opendata_export_feed_info",
		"COPY (SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD') AS feed_date,"
		" (SELECT coalesce(max(seq), 0) FROM event_log)"
		"  + (SELECT count(*) FROM event_pending) AS feed_version,"
		" coalesce((SELECT string_agg(j.name, '; ' ORDER BY j.code) FROM jurisdiction j"
		"  WHERE EXISTS (SELECT 1 FROM establishment e WHERE e.jurisdiction_id = j.id)),"
		"  '') AS municipality_name,"
		" '' AS municipality_url, '' AS contact_email,"
		" 'Scores are 0-100, higher is better; see legend.csv for the mapping of NYC"
		" points and FHRS ratings. inspection_id (inspections.csv, violations.csv) is"
		" Placard''s stable inspection id. log_seq and log_hash are the newest entry of the public log"
		" in this snapshot: keep them to check later that the log was only added to.' AS notes,"
		" coalesce(h.seq, 0) AS log_seq, coalesce(h.hash, '') AS log_hash"
		" FROM (SELECT 1) one LEFT JOIN (SELECT seq,"
		" hash FROM event_log ORDER BY seq DESC LIMIT 1) h ON true)"
		" TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')",
		-1, true },
	[STMT_OPENDATA_EXPORT_LEGEND] = { "opendata_export_legend",
		"COPY (SELECT * FROM (VALUES"
		" (90, 100, '100-point schemes (San Francisco, Chinese faces, LIVES imports):"
		" 90-100 good'),"
		" (86, 89, '100-point schemes: adequate (San Francisco bands)'),"
		" (71, 85, '100-point schemes: needs improvement (San Francisco bands)'),"
		" (0, 70, '100-point schemes: poor (San Francisco bands)'),"
		" (87, 100, 'NYC letter grades: score = 100 - points; A is 0-13 points (87-100)'),"
		" (73, 86, 'NYC letter grades: B is 14-27 points (73-86)'),"
		" (0, 72, 'NYC letter grades: C is 28 or more points (0-72); the grade NYC issued"
		" is in the inspection description'),"
		" (100, 100, 'UK food hygiene rating: score = rating x 20; 5 very good (100)'),"
		" (80, 80, 'UK food hygiene rating: 4 good (80)'),"
		" (60, 60, 'UK food hygiene rating: 3 generally satisfactory (60)'),"
		" (40, 40, 'UK food hygiene rating: 2 improvement necessary (40)'),"
		" (20, 20, 'UK food hygiene rating: 1 major improvement necessary (20)'),"
		" (0, 0, 'UK food hygiene rating: 0 urgent improvement necessary (0)'))"
		" AS legend (minimum_score, maximum_score, description))"
		" TO STDOUT WITH (FORMAT csv, HEADER, ENCODING 'UTF8')",
		-1, true },
	/* The Placard feed (docs/opendata.md): one JSON object a line, a header line first, then
	 * every published inspection (the latest revision of each) with what its grade was
	 * computed from. COPY's CSV mode with a quote and a delimiter that JSON text never holds
	 * (control characters are escaped in it) writes each line exactly as PostgreSQL made it. */
	[STMT_OPENDATA_EXPORT_PLACARD] = { "opendata_export_placard",
		"COPY (SELECT line"
		" FROM (SELECT 0 AS part, 0::bigint AS establishment_id, NULL::timestamptz AS started_at,"
		" 0::bigint AS id,"
		" json_build_object('feed', 'placard-inspections', 'format', 1,"
		" 'data_version', (SELECT coalesce(max(seq), 0) FROM event_log)"
		" + (SELECT count(*) FROM event_pending),"
		" 'generated_at', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
		" 'scheme_versions', '/api/v1/schemes/{code}/versions/{version}',"
		" 'log_seq', coalesce(h.seq, 0),"
		" 'log_hash', coalesce(h.hash, ''))::text AS line"
		" FROM (SELECT 1) one"
		" LEFT JOIN (SELECT seq, hash FROM event_log ORDER BY seq DESC LIMIT 1) h ON true"
		" UNION ALL"
		" SELECT 1, i.establishment_id, i.started_at, i.id,"
		" json_build_object('inspection', i.id,"
		" 'establishment', i.establishment_id,"
		" 'jurisdiction', j.code,"
		" 'date', to_char(i.started_at AT TIME ZONE j.timezone, 'YYYY-MM-DD'),"
		" 'type', i.inspection_type,"
		" 'closed', i.closed_establishment,"
		" 'revision', i.revision,"
		" 'scheme', json_build_object('code', i.scheme_code, 'version', i.scheme_version),"
		" 'as_published', i.source IS NOT NULL,"
		" 'source', i.source,"
		" 'score', i.score,"
		" 'grade', json_build_object('code', coalesce(i.grade_code, ''),"
		" 'label', coalesce(i.grade_label, ''),"
		" 'outcome', i.outcome,"
		" 'sets_grade', coalesce(i.sets_grade, false)),"
		" 'counts', NOT inspection_overturned(i.id),"
		" 'elements', CASE WHEN i.hygiene_score IS NULL THEN NULL"
		" ELSE (SELECT json_object_agg(el.e ->> 'name',"
		" (ARRAY[i.hygiene_score, i.structural_score, i.management_score])[el.n] ORDER BY el.n)"
		" FROM jsonb_array_elements(sv.document -> 'elements') WITH ORDINALITY AS el (e, n)"
		" WHERE el.n <= 3) END,"
		" 'violations', coalesce((SELECT json_agg(json_build_object('code', v.code,"
		" 'points', v.points,"
		" 'category', c.category,"
		" 'corrected_on_site', v.corrected_on_site,"
		" 'repeat', v.repeat,"
		" 'dismissed', v.status = 'dismissed',"
		" 'dismissed_reason', CASE WHEN v.status <> 'dismissed' THEN NULL"
		" WHEN EXISTS (SELECT 1 FROM appeal a"
		" WHERE a.inspection_id = inspection_root(i.id)"
		" AND a.state = 'modified') THEN 'appeal'"
		" ELSE 'other' END) ORDER BY v.position)"
		" FROM violation v"
		" JOIN scheme_violation c ON c.scheme_code = v.scheme_code AND c.code = v.code"
		" WHERE v.inspection_id = i.id), '[]'::json))::text"
		" FROM inspection i"
		" JOIN establishment e ON e.id = i.establishment_id"
		" JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		" JOIN scheme_version sv ON sv.scheme_code = i.scheme_code"
		" AND sv.version = i.scheme_version"
		" WHERE i.status = 'submitted'"
		" AND NOT EXISTS (SELECT 1 FROM inspection a WHERE a.amends_inspection_id = i.id)) feed"
		" ORDER BY part, establishment_id, started_at, id)"
		" TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02', ENCODING 'UTF8')",
		-1, true },
	/* ---- the log's Merkle tree and its signed checkpoints (sql/0026_tlog.sql) */
	/* How many entries the tree has. */
	[STMT_TLOG_SIZE] = { "tlog_size",
		"SELECT size"
		" FROM tlog_state",
		0, true },
	/* Tile ($1 level, $2 index): its hashes as hex, 64 digits each; no row when there is none. */
	[STMT_TLOG_TILE] = { "tlog_tile",
		"SELECT encode(hashes, 'hex') AS hashes"
		" FROM tlog_tile"
		" WHERE level = $1::int"
		" AND idx = $2::bigint",
		2, true },
	/* The chain hashes (the leaf data) of the entries after $1 up to $2, in order, one after
	 * the other as hex. */
	[STMT_TLOG_ENTRIES] = { "tlog_entries",
		"SELECT coalesce(string_agg(hash, '' ORDER BY seq), '') AS hashes"
		" FROM event_log"
		" WHERE seq > $1::bigint"
		" AND seq <= $2::bigint",
		2, true },
	/* Keep the checkpoint note $3 of tree size $1 signed with verifier key $2. */
	[STMT_TLOG_CHECKPOINT_PUT] = { "tlog_checkpoint_put",
		"INSERT INTO tlog_checkpoint (size, vkey, note)"
		" VALUES ($1::bigint, $2, $3)"
		" ON CONFLICT (size, vkey) DO NOTHING",
		3, false },
	/* The newest checkpoint kept: no row when none was signed. */
	[STMT_TLOG_CHECKPOINT_LATEST] = { "tlog_checkpoint_latest",
		"SELECT size, vkey, note"
		" FROM tlog_checkpoint"
		" ORDER BY size DESC, signed_at DESC"
		" LIMIT 1",
		0, true },
	/* The appeal against root inspection $1, locked, its state, and its attachments so far:
	 * how many, their bytes in all. */
	[STMT_APPEAL_ATTACHMENT_TOTALS] = { "appeal_attachment_totals",
		"SELECT a.id, a.state,"
		" (SELECT count(*) FROM appeal_attachment x WHERE x.appeal_id = a.id) AS count,"
		" (SELECT coalesce(sum(x.size_bytes), 0) FROM appeal_attachment x"
		"  WHERE x.appeal_id = a.id) AS total"
		" FROM appeal a"
		" WHERE a.inspection_id = $1::bigint"
		" FOR UPDATE OF a",
		1, false },
	/* $1 appeal, $2 file name, $3 content type, $4 data (hex), $5 sha256 (hex). The database
	 * checks the size and the hash again. */
	[STMT_APPEAL_ATTACHMENT_INSERT] = { "appeal_attachment_insert",
		"INSERT INTO appeal_attachment (appeal_id, filename, content_type, data,"
		" size_bytes, sha256)"
		" VALUES ($1::bigint, $2, $3, decode($4, 'hex'), length($4) / 2, $5)"
		" RETURNING id",
		5, false },
	/* Attachment $3 of the appeal $1 (by id) or of the appeal against root inspection $2:
	 * its bytes, type, name and hash. */
	[STMT_APPEAL_ATTACHMENT_GET] = { "appeal_attachment_get",
		"SELECT x.content_type, encode(x.data, 'hex') AS data_hex, x.sha256, x.filename,"
		" a.inspection_id"
		" FROM appeal_attachment x"
		" JOIN appeal a ON a.id = x.appeal_id"
		" WHERE x.id = $3::bigint"
		" AND ($1::bigint IS NULL OR a.id = $1::bigint)"
		" AND ($2::bigint IS NULL OR a.inspection_id = $2::bigint)",
		3, true },
	/* The hearing calendar: hearings scheduled from day $2 to day $3 (dates, inclusive, in
	 * UTC), in order; for each whether staff member $1 took part in the inspection. */
	[STMT_APPEAL_CALENDAR] = { "appeal_calendar",
		"SELECT " APPEAL_LISTED_JSON " AS json,"
		" " APPEAL_INVOLVED " AS involved,"
		" a.state"
		" FROM appeal a"
		" JOIN establishment e ON e.id = a.establishment_id"
		" JOIN inspection i ON i.id = a.inspection_id"
		" WHERE a.state = 'hearing_scheduled'"
		" AND a.hearing_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'"
		" AND a.hearing_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'"
		" ORDER BY a.hearing_at, a.id"
		" LIMIT 500",
		3, true },
	/* Decided appeals, newest decision first: $2 establishment name or licence number
	 * (a fragment, ILIKE-escaped), $3 $4 decided from day to day (inclusive, UTC), $5 the
	 * outcome, $6 how many; NULL: no such filter. For each, whether staff member $1 took
	 * part in the inspection. */
	[STMT_APPEAL_DECIDED_SEARCH] = { "appeal_decided_search",
		"SELECT " APPEAL_LISTED_JSON " AS json,"
		" " APPEAL_INVOLVED " AS involved,"
		" a.state"
		" FROM appeal a"
		" JOIN establishment e ON e.id = a.establishment_id"
		" JOIN inspection i ON i.id = a.inspection_id"
		" WHERE a.decided_at IS NOT NULL"
		" AND ($2::text IS NULL OR e.name ILIKE '%' || $2::text || '%'"
		"  OR e.licence_number ILIKE '%' || $2::text || '%')"
		" AND ($3::date IS NULL OR a.decided_at >= ($3::date)::timestamp AT TIME ZONE 'UTC')"
		" AND ($4::date IS NULL"
		"  OR a.decided_at < ($4::date + 1)::timestamp AT TIME ZONE 'UTC')"
		" AND ($5::text IS NULL OR a.state = $5::text)"
		" ORDER BY a.decided_at DESC, a.id DESC"
		" LIMIT $6::int",
		6, true },
	/* ---- GET /metrics (records/metrics.c) */
	/* A scrape must not wait on a busy database: its queries give up after 2 s (for the
	 * rest of the transaction). */
	[STMT_METRICS_TIMEOUT] = { "metrics_timeout",
		"SELECT set_config('statement_timeout', '2000', true) AS timeout",
		0, true },
	/* The gauges only the database knows: events not yet sealed into the log and the age in
	 * seconds of the oldest; appeals open and those past their decision deadline; imports
	 * and when the last one started (seconds since the epoch, 0 for none). */
	[STMT_METRICS_GAUGES] = { "metrics_gauges",
		"SELECT (SELECT count(*) FROM event_pending) AS sealer_pending,"
		" (SELECT coalesce(extract(epoch FROM clock_timestamp() - min(occurred_at)), 0)"
		" FROM event_pending)::float8 AS sealer_oldest_age,"
		" (SELECT count(*) FROM appeal WHERE appeal_state_open(state)) AS appeals_open,"
		" (SELECT count(*) FROM appeal WHERE appeal_state_open(state)"
		" AND decision_due < now()) AS appeals_overdue,"
		" (SELECT count(*) FROM import_report) AS imports,"
		" (SELECT coalesce(extract(epoch FROM max(started_at)), 0)"
		" FROM import_report)::float8 AS last_import",
		0, true },

	/* ---- the supervisor's screen (sql/functions/establishment_due_on.sql) */
	/* Establishment $1, locked, with the inspector it is assigned to (held_by, NULL when
	 * none) and whether staff $2 is an active inspector; no row when there is no such
	 * establishment. */
	[STMT_ASSIGNMENT_GET] = { "assignment_get",
		"SELECT e.id AS establishment_id,"
		" ia.inspector_id AS held_by,"
		" EXISTS (SELECT 1 FROM staff_user u WHERE u.id = $2::bigint"
		" AND u.role = 'inspector' AND u.active) AS to_inspector"
		" FROM establishment e"
		" LEFT JOIN inspector_assignment ia ON ia.establishment_id = e.id"
		" WHERE e.id = $1::bigint"
		" FOR UPDATE OF e",
		2, false },
	/* The work to give out: active establishments in area $1 (a city, any case, or the
	 * beginning of a postcode; NULL: all), of risk categories $2 (comma-separated; NULL:
	 * all), due within $3 days or overdue (NULL: any), only those assigned to nobody when
	 * $4, only those of inspector $5 (NULL: anyone's); soonest due first, at most $6. */
	[STMT_SUPERVISOR_WORKLIST] = { "supervisor_worklist",
		"SELECT json_build_object('as_of', current_date,"
		" 'items', coalesce(json_agg(json_build_object("
		"  'establishment', json_build_object('id', x.id, 'name', x.name,"
		"   'licence_number', x.licence_number,"
		"   'address', json_build_object('line', x.address_line, 'city', x.city,"
		"   'postcode', x.postcode),"
		"   'risk_category', x.risk_category, 'scheme', x.scheme_code),"
		"  'due_on', x.due_on,"
		"  'overdue', coalesce(x.due_on < current_date, false),"
		"  'days_overdue', greatest(current_date - x.due_on, 0),"
		"  'inspector', CASE WHEN x.inspector_id IS NULL THEN NULL"
		"   ELSE json_build_object('id', x.inspector_id, 'display_name', x.display_name) END)"
		"  ORDER BY x.due_on NULLS LAST, x.risk_category, x.id), '[]'))::text AS worklist"
		" FROM (SELECT e.id, e.name, e.licence_number, e.address_line, e.city, e.postcode,"
		"  e.risk_category, j.scheme_code, d.due_on, ia.inspector_id, u.display_name"
		"  FROM establishment e"
		"  JOIN jurisdiction j ON j.id = e.jurisdiction_id"
		"  LEFT JOIN inspector_assignment ia ON ia.establishment_id = e.id"
		"  LEFT JOIN staff_user u ON u.id = ia.inspector_id"
		"  CROSS JOIN LATERAL (SELECT establishment_due_on(e.id) AS due_on) d"
		"  WHERE e.status = 'active'"
		"  AND ($1::text IS NULL OR lower(e.city) = lower($1::text)"
		"   OR upper(replace(e.postcode, ' ', '')) LIKE upper(replace($1::text, ' ', '')) || '%')"
		"  AND ($2::text IS NULL OR e.risk_category = ANY (string_to_array($2::text, ',')))"
		"  AND ($3::int IS NULL OR d.due_on <= current_date + $3::int)"
		"  AND (NOT $4::boolean OR ia.inspector_id IS NULL)"
		"  AND ($5::bigint IS NULL OR ia.inspector_id = $5::bigint)"
		"  ORDER BY d.due_on NULLS LAST, e.risk_category, e.id"
		"  LIMIT $6::int) x",
		6, true, true },
	/* The active inspectors with how much they hold: establishments assigned, of which due
	 * within 30 days (overdue included) and overdue. */
	[STMT_SUPERVISOR_INSPECTORS] = { "supervisor_inspectors",
		"SELECT json_build_object('as_of', current_date,"
		" 'inspectors', coalesce(json_agg(json_build_object('id', u.id,"
		"  'username', u.username, 'display_name', u.display_name,"
		"  'assigned', c.assigned, 'due_30_days', c.due, 'overdue', c.overdue)"
		"  ORDER BY u.display_name, u.id), '[]'))::text AS inspectors"
		" FROM staff_user u"
		" CROSS JOIN LATERAL (SELECT count(*) AS assigned,"
		"  count(*) FILTER (WHERE d.due_on <= current_date + 30) AS due,"
		"  count(*) FILTER (WHERE d.due_on < current_date) AS overdue"
		"  FROM inspector_assignment ia"
		"  JOIN establishment e ON e.id = ia.establishment_id AND e.status = 'active'"
		"  CROSS JOIN LATERAL (SELECT establishment_due_on(e.id) AS due_on) d"
		"  WHERE ia.inspector_id = u.id) c"
		" WHERE u.role = 'inspector'"
		" AND u.active",
		0, true },
	/* placard demo: establishments $1 (ids, comma-separated) to inspector $2, by $3. */
	[STMT_DEMO_ASSIGN] = { "demo_assign",
		"INSERT INTO inspector_assignment (establishment_id, inspector_id, assigned_by)"
		" SELECT unnest(string_to_array($1, ','))::bigint, $2::bigint, $3::bigint"
		" ON CONFLICT (establishment_id) DO NOTHING",
		3, false },
	/* The corrective actions establishment $1 is under: the cited violations of its latest
	 * inspection with a day to correct by, soonest first; no row when there is no such
	 * establishment. */
	[STMT_CORRECTIVE_ACTIONS] = { "corrective_actions",
		"SELECT json_build_object('establishment_id', e.id, 'as_of', current_date,"
		" 'corrective_actions', coalesce((SELECT json_agg(json_build_object("
		"  'inspection_id', v.inspection_id, 'violation_id', v.id, 'code', v.code,"
		"  'description', sv.description, 'correct_by', v.correct_by,"
		"  'overdue', v.correct_by < current_date)"
		"  ORDER BY v.correct_by, v.position)"
		"  FROM violation v"
		"  JOIN scheme_violation sv ON sv.scheme_code = v.scheme_code AND sv.code = v.code"
		"  WHERE v.inspection_id = (SELECT i.id FROM inspection i"
		"   WHERE i.establishment_id = e.id AND i.status = 'submitted'"
		"   ORDER BY i.started_at DESC, i.id DESC LIMIT 1)"
		"  AND v.status = 'cited'"
		"  AND v.correct_by IS NOT NULL), '[]'))::text AS actions"
		" FROM establishment e"
		" WHERE e.id = $1::bigint",
		1, true },
	        /* clang-format on */
        };
