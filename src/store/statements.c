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

/* One inspection as the public sees it (alias i): no inspector, notes or signature. */
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
	"  'code', v.code, 'description', sv.description, 'category', sv.category,"                \
	"  'observed', v.observed, 'points', v.points,"                                            \
	"  'corrected_on_site', v.corrected_on_site, 'repeat', v.repeat,"                          \
	"  'status', v.status, 'dismissed_reason', v.dismissed_reason) ORDER BY v.position)"       \
	"  FROM violation v JOIN scheme_violation sv ON sv.scheme_code = v.scheme_code"            \
	"  AND sv.code = v.code WHERE v.inspection_id = i.id), '[]'))"

const struct store_statement store_statements[STMT__COUNT] = {
	[STMT_PING] = { "ping", "SELECT 1", 0, true },
	[STMT_SCHEMA_VERSION] = { "schema_version",
	                          "SELECT coalesce(max(version), 0) FROM schema_migrations", 0,
	                          true },

	/* ---- schemes: copies of the engine's built-in methods, written by placard migrate */
	[STMT_SCHEME_UPSERT] = { "scheme_upsert",
	                         "INSERT INTO scheme (code, version, name, kind, definition)"
	                         " VALUES ($1, $2::int, $3, $4, $5::jsonb)"
	                         " ON CONFLICT (code) DO UPDATE SET version = EXCLUDED.version, "
	                         "name = EXCLUDED.name,"
	                         " kind = EXCLUDED.kind, definition = EXCLUDED.definition, "
	                         "updated_at = now()"
	                         " WHERE scheme.definition IS DISTINCT FROM EXCLUDED.definition",
	                         5, false },
	[STMT_SCHEME_VIOLATION_UPSERT] = { "scheme_violation_upsert",
	                                   "INSERT INTO scheme_violation (scheme_code, code, "
	                                   "description, category,"
	                                   " default_points, min_points, max_points)"
	                                   " VALUES ($1, $2, $3, $4, $5::int, $6::int, $7::int)"
	                                   " ON CONFLICT (scheme_code, code) DO UPDATE SET "
	                                   "description = EXCLUDED.description,"
	                                   " category = EXCLUDED.category, default_points = "
	                                   "EXCLUDED.default_points,"
	                                   " min_points = EXCLUDED.min_points, max_points = "
	                                   "EXCLUDED.max_points",
	                                   7, false },

	/* ---- jurisdictions and establishments */
	[STMT_JURISDICTION_LIST] = { "jurisdiction_list",
	                             "SELECT json_build_object('jurisdictions', "
	                             "coalesce(json_agg(json_build_object("
	                             "'code', code, 'name', name, 'scheme', scheme_code, "
	                             "'timezone', timezone)"
	                             " ORDER BY code), '[]'))::text FROM jurisdiction",
	                             0, true },
	[STMT_JURISDICTION_CREATE] = { "jurisdiction_create",
	                               "INSERT INTO jurisdiction (code, name, scheme_code, "
	                               "timezone)"
	                               " VALUES ($1, $2, $3, coalesce($4, 'UTC'))"
	                               " RETURNING json_build_object('code', code, 'name', name, "
	                               "'scheme', scheme_code,"
	                               " 'timezone', timezone)::text",
	                               4, false },
	[STMT_ESTABLISHMENT_CREATE] = { "establishment_create",
	                                "INSERT INTO establishment (jurisdiction_id, "
	                                "licence_number, name, address_line, city,"
	                                " postcode, latitude, longitude, establishment_type, "
	                                "cuisine, risk_category)"
	                                " SELECT j.id, $2, $3, coalesce($4, ''), coalesce($5, ''), "
	                                "coalesce($6, ''),"
	                                " $7::float8, $8::float8, coalesce($9, 'restaurant'), "
	                                "coalesce($10, ''),"
	                                " coalesce($11, 'B')"
	                                " FROM jurisdiction j WHERE j.code = $1"
	                                " RETURNING id, (SELECT scheme_code FROM jurisdiction "
	                                "WHERE code = $1)",
	                                11, false },
	[STMT_ESTABLISHMENT_UPDATE] = { "establishment_update",
	                                "UPDATE establishment SET name = coalesce($2, name),"
	                                " address_line = coalesce($3, address_line), city = "
	                                "coalesce($4, city),"
	                                " postcode = coalesce($5, postcode), latitude = "
	                                "coalesce($6::float8, latitude),"
	                                " longitude = coalesce($7::float8, longitude),"
	                                " establishment_type = coalesce($8, establishment_type),"
	                                " cuisine = coalesce($9, cuisine), risk_category = "
	                                "coalesce($10, risk_category),"
	                                " updated_at = now()"
	                                " WHERE id = $1::bigint RETURNING id",
	                                10, false },
	/* The public record of one establishment: its details, the grade it posts and the
	 * inspection that grade rests on, and its latest inspections. One round trip. */
	[STMT_ESTABLISHMENT_JSON] = { "establishment_json",
	                              "SELECT json_build_object("
	                              "'id', e.id, 'licence_number', e.licence_number, 'name', "
	                              "e.name,"
	                              "'address', json_build_object('line', e.address_line, "
	                              "'city', e.city,"
	                              " 'postcode', e.postcode),"
	                              "'location', CASE WHEN e.latitude IS NULL THEN NULL ELSE "
	                              "json_build_object("
	                              " 'latitude', e.latitude, 'longitude', e.longitude) END,"
	                              "'establishment_type', e.establishment_type, 'cuisine', "
	                              "e.cuisine,"
	                              "'risk_category', e.risk_category, 'status', e.status,"
	                              "'jurisdiction', j.code, 'scheme', j.scheme_code,"
	                              "'grade', (SELECT json_build_object('state', g.state, "
	                              "'code', g.grade_code,"
	                              " 'label', g.grade_label, 'score', g.score, 'inspection_id', "
	                              "g.inspection_id,"
	                              " 'issued_at', g.issued_at) FROM posted_grade g WHERE "
	                              "g.establishment_id = e.id),"
	                              "'inspections', coalesce((SELECT "
	                              "json_agg(json_build_object('id', i.id,"
	                              " 'type', i.inspection_type, 'started_at', i.started_at, "
	                              "'score', i.score,"
	                              " 'grade_code', i.grade_code, 'grade_label', i.grade_label, "
	                              "'outcome', i.outcome,"
	                              " 'revision', i.revision) ORDER BY i.started_at DESC, i.id "
	                              "DESC)"
	                              " FROM (SELECT * FROM inspection i2 WHERE "
	                              "i2.establishment_id = e.id"
	                              "  AND i2.status = 'submitted' ORDER BY i2.started_at DESC, "
	                              "i2.id DESC LIMIT 5) i),"
	                              " '[]'))::text"
	                              " FROM establishment e JOIN jurisdiction j ON j.id = "
	                              "e.jurisdiction_id"
	                              " WHERE e.id = $1::bigint",
	                              1, true },
	[STMT_ESTABLISHMENT_SET_STATUS] = { "establishment_set_status",
	                                    "UPDATE establishment SET status = $2, updated_at = "
	                                    "now() WHERE id = $1::bigint"
	                                    " RETURNING id",
	                                    2, false },
	[STMT_LICENCE_ACTION_CREATE] = { "licence_action_create",
	                                 "INSERT INTO licence_action (establishment_id, action, "
	                                 "effective_on, expires_on,"
	                                 " reason, recorded_by)"
	                                 " VALUES ($1::bigint, $2, coalesce($3::date, "
	                                 "current_date), $4::date,"
	                                 " coalesce($5, ''), $6::bigint)"
	                                 " RETURNING json_build_object('id', id, "
	                                 "'establishment_id', establishment_id,"
	                                 " 'action', action, 'effective_on', effective_on, "
	                                 "'expires_on', expires_on,"
	                                 " 'reason', reason, 'recorded_at', recorded_at)::text",
	                                 6, false },
	[STMT_POSTED_GRADE_SET] = { "posted_grade_set",
	                            "INSERT INTO posted_grade (establishment_id, state, "
	                            "grade_code, grade_label, score,"
	                            " inspection_id, issued_at)"
	                            " VALUES ($1::bigint, $2, $3, $4, $5::int, $6::bigint, now())"
	                            " ON CONFLICT (establishment_id) DO UPDATE SET state = "
	                            "EXCLUDED.state,"
	                            " grade_code = EXCLUDED.grade_code, grade_label = "
	                            "EXCLUDED.grade_label,"
	                            " score = EXCLUDED.score, inspection_id = "
	                            "EXCLUDED.inspection_id,"
	                            " issued_at = EXCLUDED.issued_at",
	                            6, false },

	/* ---- inspections */
	[STMT_IDEMPOTENCY_CLAIM] = { "idempotency_claim",
	                             "INSERT INTO idempotency_key (user_id, key, request_hash, "
	                             "status, response)"
	                             " VALUES ($1::bigint, $2, $3, 0, '') ON CONFLICT DO NOTHING "
	                             "RETURNING 1",
	                             3, false },
	[STMT_IDEMPOTENCY_GET] = { "idempotency_get",
	                           "SELECT request_hash, status, response FROM idempotency_key"
	                           " WHERE user_id = $1::bigint AND key = $2",
	                           2, false },
	[STMT_IDEMPOTENCY_FINISH] = { "idempotency_finish",
	                              "UPDATE idempotency_key SET status = $3::int, response = $4"
	                              " WHERE user_id = $1::bigint AND key = $2",
	                              4, false },
	[STMT_INSPECTION_CREATE] = { "inspection_create",
	                             "INSERT INTO inspection (establishment_id, scheme_code, "
	                             "inspection_type, inspector_id,"
	                             " started_at, ended_at, closed_establishment, hygiene_score, "
	                             "structural_score,"
	                             " management_score, notes, operator_signature, "
	                             "operator_signed_name,"
	                             " amends_inspection_id, amendment_reason, revision)"
	                             " SELECT e.id, j.scheme_code, $2, $3::bigint, "
	                             "coalesce($4::timestamptz, now()),"
	                             " $5::timestamptz, $6::boolean, $7::int, $8::int, $9::int, "
	                             "coalesce($10, ''), $11, $12,"
	                             " $13::bigint, $14,"
	                             " coalesce((SELECT revision + 1 FROM inspection WHERE id = "
	                             "$13::bigint), 1)"
	                             " FROM establishment e JOIN jurisdiction j ON j.id = "
	                             "e.jurisdiction_id"
	                             " WHERE e.id = $1::bigint"
	                             " RETURNING id, scheme_code",
	                             14, false },
	[STMT_INSPECTION_UPDATE_DRAFT] = { "inspection_update_draft",
	                                   "UPDATE inspection SET inspection_type = $2, started_at "
	                                   "= coalesce($3::timestamptz,"
	                                   " started_at), ended_at = $4::timestamptz, "
	                                   "closed_establishment = $5::boolean,"
	                                   " hygiene_score = $6::int, structural_score = $7::int, "
	                                   "management_score = $8::int,"
	                                   " notes = coalesce($9, ''), operator_signature = $10, "
	                                   "operator_signed_name = $11,"
	                                   " updated_at = now()"
	                                   " WHERE id = $1::bigint AND status = 'draft' RETURNING "
	                                   "id",
	                                   11, false },
	[STMT_VIOLATIONS_DELETE] = { "violations_delete",
	                             "DELETE FROM violation WHERE inspection_id = $1::bigint", 1,
	                             false },
	[STMT_VIOLATION_INSERT] = { "violation_insert",
	                            "INSERT INTO violation (inspection_id, scheme_code, code, "
	                            "observed, points,"
	                            " corrected_on_site, repeat, position, status, "
	                            "dismissed_reason)"
	                            " VALUES ($1::bigint, $2, $3, coalesce($4, ''), $5::int, "
	                            "$6::boolean, $7::boolean,"
	                            " $8::int, coalesce($9, 'cited'), $10)",
	                            10, false },
	[STMT_INSPECTION_LOCK] = { "inspection_lock",
	                           "SELECT i.id, i.establishment_id, i.scheme_code, "
	                           "i.inspection_type, i.inspector_id,"
	                           " i.status, i.closed_establishment, i.hygiene_score, "
	                           "i.structural_score,"
	                           " i.management_score, i.started_at, i.amends_inspection_id,"
	                           " (SELECT a.id FROM inspection a WHERE a.amends_inspection_id = "
	                           "i.id)"
	                           " FROM inspection i WHERE i.id = $1::bigint FOR UPDATE",
	                           1, false },
	[STMT_INSPECTION_VIOLATIONS] = { "inspection_violations",
	                                 "SELECT code, points, status = 'dismissed', observed, "
	                                 "corrected_on_site, repeat,"
	                                 " dismissed_reason FROM violation WHERE inspection_id = "
	                                 "$1::bigint ORDER BY position",
	                                 1, false },
	/* Days from the previous inspection that counts for the cycle rules: the last initial
	 * inspection ($3 = true) or the last graded one, submitted before this one started. */
	[STMT_DAYS_SINCE_PREVIOUS] = { "days_since_previous",
	                               "SELECT ($2::timestamptz::date - max(started_at)::date) "
	                               "FROM inspection"
	                               " WHERE establishment_id = $1::bigint AND status = "
	                               "'submitted'"
	                               " AND started_at <= $2::timestamptz AND "
	                               "amends_inspection_id IS NULL"
	                               " AND CASE WHEN $3::boolean THEN inspection_type = "
	                               "'initial' ELSE sets_grade END",
	                               3, false },
	[STMT_INSPECTION_SUBMIT] = { "inspection_submit",
	                             "UPDATE inspection SET status = 'submitted', score = $2::int, "
	                             "grade_code = $3,"
	                             " grade_label = $4, outcome = $5, sets_grade = $6::boolean,"
	                             " explanation = $7::jsonb, submitted_at = now(),"
	                             " ended_at = coalesce(ended_at, now()), public_code = $8, "
	                             "appeal_code_hash = $9"
	                             " WHERE id = $1::bigint AND status = 'draft' RETURNING id",
	                             9, false },
	/* True when no submitted inspection of the establishment started after $2, other than
	 * the ones named: then a grade from the inspection is the current one. */
	[STMT_INSPECTION_IS_LATEST] = { "inspection_is_latest",
	                                "SELECT NOT EXISTS (SELECT 1 FROM inspection WHERE "
	                                "establishment_id = $1::bigint"
	                                " AND status = 'submitted' AND started_at > $2::timestamptz"
	                                " AND id <> ALL ($3::bigint[]))",
	                                3, false },
	[STMT_INSPECTION_JSON_PUBLIC] = { "inspection_json_public",
	                                  "SELECT " INSPECTION_JSON "::text"
	                                  " FROM inspection i WHERE i.id = $1::bigint AND i.status "
	                                  "= 'submitted'",
	                                  1, true },
	[STMT_INSPECTION_JSON_STAFF] = { "inspection_json_staff",
	                                 "SELECT (" INSPECTION_JSON "::jsonb || jsonb_build_object("
	                                 " 'inspector_id', i.inspector_id, 'notes', i.notes,"
	                                 " 'operator_signed_name', i.operator_signed_name,"
	                                 " 'operator_signature', i.operator_signature))::text"
	                                 " FROM inspection i WHERE i.id = $1::bigint",
	                                 1, true },

	/* ---- the event log */
	[STMT_EVENT_APPEND] = { "event_append", "SELECT event_append($1, $2, $3::jsonb)", 3,
	                        false },
	[STMT_EVENT_SEAL] = { "event_seal", "SELECT event_seal($1::int)", 1, false },
	[STMT_LOG_PAGE] = { "log_page",
	                    "SELECT json_build_object('entries', "
	                    "coalesce(json_agg(json_build_object("
	                    "'seq', seq, 'occurred_at', " UTC_TIMESTAMP(
	                            "occurred_at") ", 'kind', kind,"
	                                           " 'subject', subject, 'payload', payload, 'payload_text', payload::text, "
	                                           "'prev_hash', prev_hash, 'hash', hash)"
	                                           " ORDER BY seq), '[]'), 'next_after', "
	                                           "max(seq))::text"
	                                           " FROM (SELECT * FROM event_log WHERE seq > "
	                                           "$1::bigint ORDER BY seq"
	                                           " LIMIT $2::int) e",
	                    2, true },
	[STMT_LOG_HEAD] = { "log_head",
	                    "SELECT json_build_object('seq', coalesce(max(seq), 0),"
	                    " 'hash', coalesce((SELECT hash FROM event_log ORDER BY seq DESC LIMIT "
	                    "1),"
	                    " repeat('0', 64)), 'pending', (SELECT count(*) FROM "
	                    "event_pending))::text"
	                    " FROM event_log",
	                    0, true },
	/* The columns the hash covers, formatted as event_canonical() formats them. */
	[STMT_LOG_VERIFY_PAGE] = { "log_verify_page",
	                           "SELECT seq, prev_hash, " UTC_TIMESTAMP(
	                                   "occurred_at") ", kind, subject,"
	                                                  " payload::text, hash"
	                                                  " FROM event_log WHERE seq > $1::bigint "
	                                                  "ORDER BY seq LIMIT $2::int",
	                           2, true },
	/* staff and sessions */
	[STMT_STAFF_CREATE] = { "staff_create",
	                        "INSERT INTO staff_user (username, display_name, role, "
	                        "password_hash)"
	                        " VALUES ($1, $2, $3, $4)"
	                        " RETURNING id, username, display_name, role",
	                        4, false },
	[STMT_STAFF_LIST] = { "staff_list",
	                      "SELECT id, username, display_name, role, active,"
	                      " to_char(created_at AT TIME ZONE 'UTC', "
	                      "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
	                      " FROM staff_user ORDER BY lower(username)",
	                      0, true },
	[STMT_STAFF_LIST_JSON] = { "staff_list_json",
	                           "SELECT json_build_object('staff', coalesce(json_agg("
	                           "json_build_object('id', id, 'username', username,"
	                           " 'display_name', display_name, 'role', role, 'active', active,"
	                           " 'created_at', to_char(created_at AT TIME ZONE 'UTC',"
	                           " 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
	                           " ORDER BY lower(username)), '[]'::json))"
	                           " FROM staff_user",
	                           0, true },
	[STMT_STAFF_BY_USERNAME] = { "staff_by_username",
	                             "SELECT id, username, display_name, role, password_hash"
	                             " FROM staff_user WHERE lower(username) = lower($1) AND "
	                             "active",
	                             1, true },
	/* $1 username as typed, $2 client address, $3 short window s, $4 long window s. Counts
	 * and the age in seconds of the oldest failure: account short, account long, ip short. */
	[STMT_LOGIN_FAILURE_COUNTS] = { "login_failure_counts",
	                                "SELECT count(*) FILTER (WHERE username = lower($1)"
	                                "  AND at > now() - $3::int * interval '1 second'),"
	                                " coalesce(floor(extract(epoch FROM now() - min(at) FILTER "
	                                "("
	                                "  WHERE username = lower($1) AND at > now() - $3::int * "
	                                "interval '1 second'))),"
	                                "  0)::bigint,"
	                                " count(*) FILTER (WHERE username = lower($1)),"
	                                " coalesce(floor(extract(epoch FROM now() - min(at) FILTER "
	                                "("
	                                "  WHERE username = lower($1)))), 0)::bigint,"
	                                " count(*) FILTER (WHERE ip = $2 AND at > now() - $3::int "
	                                "* interval '1 second'),"
	                                " coalesce(floor(extract(epoch FROM now() - min(at) FILTER "
	                                "("
	                                "  WHERE ip = $2 AND at > now() - $3::int * interval '1 "
	                                "second'))), 0)::bigint"
	                                " FROM login_failure"
	                                " WHERE (username = lower($1) OR ip = $2)"
	                                " AND at > now() - $4::int * interval '1 second'",
	                                4, true },
	/* $1 username as typed, $2 client address, $3 seconds to keep failures for. */
	[STMT_LOGIN_FAILURE_ADD] = { "login_failure_add",
	                             "WITH purge AS (DELETE FROM login_failure"
	                             "  WHERE at < now() - $3::int * interval '1 second')"
	                             " INSERT INTO login_failure (username, ip) VALUES (lower($1), "
	                             "$2)",
	                             3, false },
	[STMT_LOGIN_FAILURE_CLEAR] = { "login_failure_clear",
	                               "DELETE FROM login_failure WHERE username = lower($1)", 1,
	                               false },
	/* $1 token hash (hex), $2 user id, $3 CSRF token, $4 lifetime s. */
	[STMT_SESSION_CREATE] = { "session_create",
	                          "WITH purge AS (DELETE FROM staff_session"
	                          "  WHERE expires_at < now() - interval '1 day')"
	                          " INSERT INTO staff_session (token_hash, user_id, csrf_token, "
	                          "expires_at)"
	                          " VALUES (decode($1, 'hex'), $2, $3, now() + $4::int * interval "
	                          "'1 second')",
	                          4, false },
	/* $1 token hash (hex), $2 idle limit s, $3 touch interval s. The live session's user
	 * (id, username, display_name, role) and CSRF token; last_seen_at is written only when
	 * older than $3, so at most once per interval (idempotent: safe to retry). */
	[STMT_SESSION_LOOKUP] = { "session_lookup",
	                          "WITH s AS (SELECT s.token_hash, s.csrf_token, s.last_seen_at, "
	                          "u.id, u.username,"
	                          "  u.display_name, u.role"
	                          "  FROM staff_session s JOIN staff_user u ON u.id = s.user_id"
	                          "  WHERE s.token_hash = decode($1, 'hex') AND s.revoked_at IS "
	                          "NULL"
	                          "  AND s.expires_at > now()"
	                          "  AND s.last_seen_at > now() - $2::int * interval '1 second' "
	                          "AND u.active),"
	                          " touch AS (UPDATE staff_session t SET last_seen_at = now() FROM "
	                          "s"
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
	                               "SELECT count(*), coalesce(max(id), 0) FROM establishment",
	                               0, true },
	[STMT_JURISDICTION_ENSURE] = { "jurisdiction_ensure",
	                               "INSERT INTO jurisdiction (code, name, scheme_code) VALUES "
	                               "($1, $2, $3)"
	                               " ON CONFLICT (code) DO NOTHING",
	                               3, false },
	[STMT_JURISDICTION_ID] = { "jurisdiction_id", "SELECT id FROM jurisdiction WHERE code = $1",
	                           1, true },
	[STMT_BULK_LOAD_ON] = { "bulk_load_on",
	                        "SELECT set_config('placard.bulk_load', 'on', true)", 0, false },
	[STMT_COPY_ESTABLISHMENTS] = { "copy_establishments",
	                               "COPY establishment (id, jurisdiction_id, licence_number, "
	                               "name, address_line, city,"
	                               " postcode, latitude, longitude, establishment_type, "
	                               "cuisine, risk_category, status)"
	                               " FROM STDIN",
	                               -1, false },
	[STMT_COPY_INSPECTIONS] = { "copy_inspections",
	                            "COPY inspection (id, establishment_id, scheme_code, "
	                            "inspection_type, inspector_id,"
	                            " status, started_at, ended_at, closed_establishment, "
	                            "hygiene_score,"
	                            " structural_score, management_score, score, grade_code, "
	                            "grade_label, outcome,"
	                            " sets_grade, explanation, submitted_at, public_code) FROM "
	                            "STDIN",
	                            -1, false },
	[STMT_COPY_VIOLATIONS] = { "copy_violations",
	                           "COPY violation (inspection_id, scheme_code, code, points, "
	                           "position) FROM STDIN",
	                           -1, false },
	[STMT_COPY_POSTED_GRADES] = { "copy_posted_grades",
	                              "COPY posted_grade (establishment_id, state, grade_code, "
	                              "grade_label, score,"
	                              " inspection_id, issued_at) FROM STDIN",
	                              -1, false },
	[STMT_SEQUENCES_RESET] = { "sequences_reset",
	                           "SELECT setval(pg_get_serial_sequence('establishment', 'id'),"
	                           " (SELECT coalesce(max(id), 0) + 1 FROM establishment), false),"
	                           " setval(pg_get_serial_sequence('inspection', 'id'),"
	                           " (SELECT coalesce(max(id), 0) + 1 FROM inspection), false),"
	                           " setval(pg_get_serial_sequence('violation', 'id'),"
	                           " (SELECT coalesce(max(id), 0) + 1 FROM violation), false)",
	                           0, false },
};
