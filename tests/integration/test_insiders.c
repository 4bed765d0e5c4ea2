/*
 * The insider suite: Placard's promises tried by its own staff, as docs/threat-model.md lists
 * them, against the real server and a real PostgreSQL. Each role tries each step the
 * separation of duties forbids it: an inspector amending another's inspection, anyone
 * amending while an appeal is open or after it was decided, staff who took part issuing a
 * new appeal code or taking any step of the appeal, a later code withdrawing the appeal or
 * speaking for the operator, a code the device made up, an expired code, a code gained by
 * amending, a party reading the officers' view of the appeal or moderating the operator's
 * reply, a visit dated ahead, an administrator reading the staff view, a supervisor creating
 * a report already submitted, an inspector choosing their own work, the operator's evidence
 * read by a party, a day to correct by made public, a visit re-dated across a move to
 * another scheme. Every refusal is a problem+json with a sentence, and the database is
 * exactly as it was before the attempt (a fingerprint of every inspection, appeal, reply,
 * re-rating request, posted grade, code reissue and log entry). Allowed steps are tried too, so that a refusal is never the only
 * thing the server can say.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, ines, ivan, supervisor, hearing, hazel, cora;
static const char pw[] = "correct horse battery staple";
static int refusals;

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("insiders", db_url, sizeof(db_url));
	/* hazel inspects and later becomes a hearing officer; cora inspects and later becomes a
	 * clerk: both took part in inspections they could then be asked to judge or reissue. */
	const char *who[][2] = { { "ada", "admin" },       { "clem", "clerk" },
		                 { "ines", "inspector" },  { "ivan", "inspector" },
		                 { "sue", "supervisor" },  { "hal", "hearing_officer" },
		                 { "hazel", "inspector" }, { "cora", "inspector" } };
	struct staff_session *s[] = { &admin,      &clerk,   &ines,  &ivan,
		                      &supervisor, &hearing, &hazel, &cora };
	for (size_t i = 0; i < 8; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	const char *j[] = { "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}",
		            "{\"code\":\"uk\",\"name\":\"Demo Council\",\"scheme\":\"fhrs\"}" };
	for (size_t i = 0; i < 2; i++) {
		long st;
		json_decref(staff_call(&server, &admin, "POST", "/api/v1/jurisdictions", j[i], NULL,
		                       &st));
		assert_int_equal(st, 201);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	print_message("insiders: %d forbidden attempts refused, nothing changed by any\n",
	              refusals);
	return 0;
}

/* Everything a forbidden step could change, as one number. */
static long long fingerprint(void)
{
	return itest_sql_count(
	        db_url,
	        "SELECT ('x' || substr(md5("
	        " (SELECT coalesce(string_agg(i::text, ',' ORDER BY id), '') FROM inspection i) ||"
	        " (SELECT coalesce(string_agg(v::text, ',' ORDER BY id), '') FROM violation v) ||"
	        " (SELECT coalesce(string_agg(a::text, ',' ORDER BY id), '') FROM appeal a) ||"
	        " (SELECT coalesce(string_agg(p::text, ',' ORDER BY id), '') FROM operator_reply "
	        "p) ||"
	        " (SELECT coalesce(string_agg(q::text, ',' ORDER BY id), '') FROM rerating_request "
	        "q)"
	        " || (SELECT coalesce(string_agg(g::text, ',' ORDER BY establishment_id), '')"
	        "  FROM posted_grade g) ||"
	        " (SELECT coalesce(string_agg(x::text, ',' ORDER BY id), '') FROM "
	        "appeal_code_reissue x)"
	        " || ((SELECT count(*) FROM event_log) + (SELECT count(*) FROM "
	        "event_pending))::text"
	        "), 1, 15))::bit(60)::bigint");
}

/*
 * @as (NULL: anonymous) sends @method @path @body and must be refused with @want as
 * problem+json with a sentence, the database unchanged.
 */
static void refused_(const struct staff_session *as, const char *method, const char *path,
                     const char *body, long want, const char *what, int line)
{
	long long before = fingerprint();
	struct itest_response r;
	staff_request(&server, as, method, path, body, NULL, &r);
	if (r.status != want)
		fail_msg("line %d, %s: %s %s answered %ld, not %ld: %.*s", line, what, method, path,
		         r.status, want, (int)r.body.len, r.body.data);
	const char *type = itest_header(&r, "Content-Type");
	if (!type || strncmp(type, "application/problem+json", 24) != 0)
		fail_msg("line %d, %s: answered %s, not problem+json", line, what,
		         type ? type : "no type");
	json_t *v = json_loads(r.body.data, 0, NULL);
	const char *detail = json_string_value(json_object_get(v, "detail"));
	if (!detail || strlen(detail) < 20)
		fail_msg("line %d, %s: no sentence saying why", line, what);
	json_decref(v);
	itest_response_free(&r);
	/* The sealer may move pending entries into the log meanwhile; the sum stays. */
	if (fingerprint() != before)
		fail_msg("line %d, %s: refused, but the database changed", line, what);
	refusals++;
}
#define refused(as, method, path, body, want, what)                                                \
	refused_(as, method, path, body, want, what, __LINE__)

static long long new_establishment(const char *jurisdiction, const char *licence)
{
	return staff_establishment(&server, &clerk, jurisdiction, licence);
}

struct report {
	long long id, violation;
	char code[16];
};

static struct report inspect(const struct staff_session *as, long long est, int days_ago,
                             const char *violations)
{
	static int key;
	char started[32], ended[32], body[1200], hdr[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[%s],\"submit\":true}",
	         est, staff_ago(days_ago, 9, started), staff_ago(days_ago, 11, ended), violations);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-%d-%d", (int)getpid(), ++key);
	long st;
	json_t *v = staff_call(&server, as, "POST", "/api/v1/inspections", body, hdr, &st);
	if (st != 201)
		fail_msg("inspection: %ld %s", st, json_walk_str(v, "detail"));
	struct report r = { .id = json_walk_int(v, "id"),
		            .violation = json_walk_int(v, "violations.0.id") };
	snprintf(r.code, sizeof(r.code), "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);
	staff_arrived_at_visit_end(db_url, r.id);
	return r;
}

static char *operator_body(const char *licence, const char *code, const char *more)
{
	static char body[2000];
	snprintf(body, sizeof(body), "{\"licence_number\":\"%s\",\"appeal_code\":\"%s\"%s%s}",
	         licence, code, *more ? "," : "", more);
	return body;
}

static long operator(const char *path, const char *licence, const char *code, const char *more)
{
	long st;
	json_decref(staff_call(&server, NULL, "POST", path, operator_body(licence, code, more),
	                       NULL, &st));
	return st;
}

static const char amend_body[] =
        "{\"type\":\"initial\",\"violations\":[],\"reason\":\"Cited the wrong item\"}";

static long long file_appeal(const char *licence, const char *code)
{
	long st;
	json_t *v = staff_call(
	        &server, NULL, "POST", "/api/v1/operator/appeals",
	        operator_body(licence, code, "\"grounds\":\"The item was corrected on the spot.\""),
	        NULL, &st);
	if (st != 201)
		fail_msg("filing: %ld %s", st, json_walk_str(v, "detail"));
	long long id = json_walk_int(v, "appeal.id");
	json_decref(v);
	return id;
}

/*
 * A supervisor may correct an inspector's draft but not submit it: submitting hands the
 * report's appeal code to whoever submits, and a supervisor who never met the operator would
 * hold a code that acts as the operator. Neither by PATCH with "submit" nor by /submit; the
 * inspector who made it submits it and is handed the code.
 */
static void test_supervisor_cannot_submit_a_draft(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "INS-SUB");
	char started[32], ended[32], body[600], hdr[64], path[96];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[]}",
	         est, staff_ago(1, 9, started), staff_ago(1, 11, ended));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-draft-%d", (int)getpid());
	long st;
	json_t *v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	assert_null(json_walk(v, "appeal_code"));
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/submit", id);
	refused(&supervisor, "POST", path, NULL, 403, "a supervisor submits a draft");
	refused(&ivan, "POST", path, NULL, 403, "another inspector submits a draft");
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
	         "\"violations\":[],\"submit\":true}",
	         started, ended);
	long long before = fingerprint();
	v = staff_call(&server, &supervisor, "PATCH", path, body, "If-Match: \"1\"", &st);
	if (st != 403)
		fail_msg("a supervisor submits a draft by PATCH: %ld %s", st,
		         json_walk_str(v, "detail"));
	assert_non_null(strstr(json_walk_str(v, "detail"), "Only the inspector who made"));
	json_decref(v);
	assert_int_equal(fingerprint(), before);
	refusals++;
	/* Correcting it stays open to the supervisor. */
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
	         "\"violations\":[],\"notes\":\"Checked by the supervisor\"}",
	         started, ended);
	json_decref(staff_call(&server, &supervisor, "PATCH", path, body, "If-Match: \"1\"", &st));
	assert_int_equal(st, 200);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/submit", id);
	v = staff_call(&server, &ines, "POST", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_non_null(json_walk_str(v, "appeal_code"));
	json_decref(v);
}

/*
 * Made and submitted in one request: the same rule as submitting a draft. A supervisor who
 * creates a report with "submit": true would be handed its appeal code for a visit no
 * inspector made with the operator.
 */
static void test_supervisor_cannot_create_submitted(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "INS-SUBNEW");
	char started[32], ended[32], body[600], hdr[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[],\"submit\":true}",
	         est, staff_ago(1, 9, started), staff_ago(1, 11, ended));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-subnew-%d", (int)getpid());
	long long before = fingerprint();
	long st;
	json_t *v = staff_call(&server, &supervisor, "POST", "/api/v1/inspections", body, hdr, &st);
	if (st != 403)
		fail_msg("a supervisor creates and submits a report: %ld %s", st,
		         json_walk_str(v, "appeal_code") ? "and holds its code" : "");
	assert_non_null(strstr(json_walk_str(v, "detail"), "Only the inspector who made"));
	assert_null(json_walk(v, "appeal_code"));
	json_decref(v);
	assert_int_equal(fingerprint(), before);
	refusals++;
	/* The inspector does the same and is handed the code. */
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-subnew-ines-%d", (int)getpid());
	v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	assert_non_null(json_walk_str(v, "appeal_code"));
	json_decref(v);
}

static long long staff_id(const char *username)
{
	char sql[160];
	snprintf(sql, sizeof(sql), "SELECT id FROM staff_user WHERE username = '%s'", username);
	return itest_sql_count(db_url, sql);
}

static long long holder_of(long long est)
{
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "SELECT coalesce((SELECT inspector_id FROM inspector_assignment"
	         " WHERE establishment_id = %lld), 0)",
	         est);
	return itest_sql_count(db_url, sql);
}

/* Inspectors do not choose their own work (row 26), tried with the real facts. */
static void test_assignments(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "INS-ASG");
	/* Inspectors of their own for this test: earlier tests changed others' roles. */
	static struct staff_session ike;
	assert_int_equal(staff_add(db_url, "ike", "inspector", pw, "", NULL), 0);
	assert_int_equal(staff_add(db_url, "ida", "inspector", pw, "", NULL), 0);
	assert_int_equal(staff_add(db_url, "iris", "inspector", pw, "", NULL), 0);
	assert_int_equal(staff_login(&server, "ike", pw, &ike, NULL), 201);
	long long id_ines = staff_id("ines"), id_ike = staff_id("ike"), id_ida = staff_id("ida"),
	          id_iris = staff_id("iris"), id_clem = staff_id("clem");
	itest_sql(db_url, "UPDATE staff_user SET active = false WHERE username = 'iris'");
	char path[96], to[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/inspector", est);
#define TO(n) (snprintf(to, sizeof(to), "{\"inspector_id\":%lld}", (long long)(n)), to)
	refused(&ines, "PUT", path, TO(id_ines), 403, "an inspector takes unassigned work");
	refused(&clerk, "PUT", path, TO(id_ines), 403, "a clerk gives out work");
	refused(&hearing, "PUT", path, TO(id_ines), 403, "a hearing officer gives out work");
	refused(NULL, "PUT", path, TO(id_ines), 401, "anyone gives out work");
	refused(&supervisor, "PUT", path, TO(id_clem), 422, "work given to a clerk");
	refused(&supervisor, "PUT", path, TO(id_iris), 422, "work given to an inactive inspector");
	assert_int_equal(holder_of(est), 0);
	long st;
	json_decref(staff_call(&server, &supervisor, "PUT", path, TO(id_ines), NULL, &st));
	assert_int_equal(st, 200);
	assert_int_equal(holder_of(est), id_ines);
	refused(&ike, "PUT", path, TO(id_ike), 403, "an inspector takes another's work");
	refused(&ike, "PUT", path, TO(id_ida), 403, "an inspector moves another's work");
	refused(&ines, "PUT", path, TO(id_ines), 403,
	        "an inspector assigns their own work to self");
	refused(&ines, "PUT", path, TO(id_iris), 422, "work handed to an inactive inspector");
	assert_int_equal(holder_of(est), id_ines);
	/* The one it was given to hands it over; then it is no longer theirs to take back. */
	json_t *v = staff_call(&server, &ines, "PUT", path, TO(id_ike), NULL, &st);
	if (st != 200)
		fail_msg("an inspector hands work over: %ld %s", st, json_walk_str(v, "detail"));
	json_decref(v);
	assert_int_equal(holder_of(est), id_ike);
	refused(&ines, "PUT", path, TO(id_ines), 403, "an inspector takes back work handed over");
	refused(&ines, "PUT", path, TO(id_ida), 403, "an inspector moves work handed over");
	assert_int_equal(holder_of(est), id_ike);
	/* Whose work it is stays between each inspector and the supervisors. */
	char due[96];
	snprintf(due, sizeof(due), "/api/v1/inspector/due?inspector=%lld", id_ike);
	refused(&ines, "GET", due, NULL, 403, "an inspector reads another's due list");
	v = staff_call(&server, &supervisor, "GET", due, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_decref(v);
#undef TO
}

/* A day to correct a violation stays between the office and the operator (row 27): it is
 * nowhere the public reads, and only staff who work on establishments read the list. */
static void test_corrective_actions_private(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-CA");
	struct report r = inspect(&ines, est, 1,
	                          "{\"code\":\"H01\",\"points\":15,\"correct_by\":\"2029-11-17\"}");
	char path[160];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/corrective-actions", est);
	refused(NULL, "GET", path, NULL, 401, "the public reads corrective actions");
	refused(&hearing, "GET", path, NULL, 403, "a hearing officer reads corrective actions");
	struct itest_response res;
	staff_request(&server, &clerk, "GET", path, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	buf_addch(&res.body, '\0');
	assert_non_null(strstr(res.body.data, "2029-11-17"));
	itest_response_free(&res);
	/* The operator's report carries it: the operator is the other party. */
	long st;
	json_t *v = staff_call(&server, NULL, "POST", "/api/v1/operator/report",
	                       operator_body("INS-CA", r.code, ""), NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "inspection.violations.0.correct_by"), "2029-11-17");
	json_decref(v);
	const char *pub[6];
	char p0[96], p1[96], p2[96], p3[128];
	snprintf(p0, sizeof(p0), "/api/v1/inspections/%lld", r.id);
	snprintf(p1, sizeof(p1), "/api/v1/establishments/%lld", est);
	snprintf(p2, sizeof(p2), "/api/v1/establishments/%lld/inspections", est);
	snprintf(p3, sizeof(p3), "/api/v1/log/entries?subject=inspection/%lld", r.id);
	pub[0] = p0;
	pub[1] = p1;
	pub[2] = p2;
	pub[3] = p3;
	pub[4] = "/api/v1/opendata/inspections.ndjson";
	pub[5] = "/api/v1/log";
	for (size_t i = 0; i < 6; i++) {
		itest_get(&server, pub[i], &res);
		if (res.status != 200)
			fail_msg("%s: %ld", pub[i], res.status);
		buf_addch(&res.body, '\0');
		if (strstr(res.body.data, "2029-11-17") || strstr(res.body.data, "correct_by"))
			fail_msg("the day to correct by is public at %s", pub[i]);
		itest_response_free(&res);
	}
}

/* A move to another scheme is an administrator's, dated after every visit there, and a
 * date that is not one is refused naming the field (never a server error). */
static void test_scheme_moves(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-SCH");
	inspect(&ines, est, 3, "{\"code\":\"H01\",\"points\":5}");
	const char *path = "/api/v1/jurisdictions/uk/schemes";
	refused(&supervisor, "POST", path, "{\"scheme\":\"nyc\",\"applies_from\":\"2099-01-01\"}",
	        403, "a supervisor moves a jurisdiction's scheme");
	refused(&clerk, "POST", path, "{\"scheme\":\"nyc\",\"applies_from\":\"2099-01-01\"}", 403,
	        "a clerk moves a jurisdiction's scheme");
	refused(&admin, "POST", path, "{\"scheme\":\"nyc\",\"applies_from\":\"2020-01-01\"}", 422,
	        "a move dated before a submitted visit");
	refused(&admin, "POST", path, "{\"scheme\":\"nyc\",\"applies_from\":\"2099-02-31\"}", 422,
	        "a move dated on a day that does not exist");
	refused(&admin, "POST", path, "{\"scheme\":\"nyc\",\"applies_from\":\"2099-04-31\"}", 422,
	        "a move dated on a day that does not exist");
	/* The field at fault is named: the day is checked before the database sees it. */
	long st;
	json_t *v = staff_call(&server, &admin, "POST", path,
	                       "{\"scheme\":\"nyc\",\"applies_from\":\"2099-02-29\"}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/applies_from");
	json_decref(v);
	refused(&supervisor, "POST", "/api/v1/schemes", "{}", 403,
	        "a supervisor publishes a scheme");
	refused(&clerk, "POST", "/api/v1/schemes", "{}", 403, "a clerk publishes a scheme");
}

static char *attach_body(const char *licence, const char *code)
{
	/* A PNG by its first bytes; the name is what the operator typed. */
	return operator_body(
	        licence, code,
	        "\"filename\":\"basin.png\","
	        "\"data\":[\"iVBORw0KGgoAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYn\"]");
}

/*
 * The operator's evidence (row 23): only the code that filed the appeal attaches, only while
 * it is open; hearing officers with no part in the inspection read it, a supervisor who
 * amended it does not, nor does anyone through another appeal or another appeal's code.
 */
static void test_attachments(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-ATT"),
	          est2 = new_establishment("uk", "INS-ATT2");
	struct report r = inspect(&ines, est, 2, "{\"code\":\"H01\",\"points\":15}");
	struct report r2 = inspect(&ines, est2, 2, "{\"code\":\"H01\",\"points\":15}");
	char path[128];
	long st;
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", r.id);
	json_decref(staff_call(&server, &supervisor, "POST", path, amend_body, NULL, &st));
	assert_int_equal(st, 201);
	refused(NULL, "POST", "/api/v1/operator/appeals/attachments",
	        attach_body("INS-ATT", r.code), 409, "evidence attached before an appeal");
	long long appeal = file_appeal("INS-ATT", r.code),
	          appeal2 = file_appeal("INS-ATT2", r2.code);
	json_t *v = staff_call(&server, NULL, "POST", "/api/v1/operator/appeals/attachments",
	                       attach_body("INS-ATT", r.code), NULL, &st);
	assert_int_equal(st, 201);
	long long att = json_walk_int(v, "appeal.attachments.0.id");
	json_decref(v);
	const char *count = "SELECT count(*) FROM appeal_attachment";
	long long n = itest_sql_count(db_url, count);

	/* A later code, which a clerk issued, does not add to the case. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", r.id);
	v = staff_call(&server, &clerk, "POST", path, "{\"reason\":\"Caller said it was lost\"}",
	               NULL, &st);
	assert_int_equal(st, 201);
	char later[16];
	snprintf(later, sizeof(later), "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);
	refused(NULL, "POST", "/api/v1/operator/appeals/attachments", attach_body("INS-ATT", later),
	        403, "a later code attaches evidence");
	/* Another appeal's operator does not read this one's evidence. */
	snprintf(path, sizeof(path), "/api/v1/operator/appeals/attachments/%lld", att);
	refused(NULL, "POST", path, operator_body("INS-ATT2", r2.code, ""), 404,
	        "another appeal's code reads the evidence");
	/* Staff: a party, other roles and the public are refused; through another appeal 404. */
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld/attachments/%lld", appeal, att);
	refused(NULL, "GET", path, NULL, 401, "the public reads the evidence");
	refused(&supervisor, "GET", path, NULL, 403, "a supervisor who amended reads the evidence");
	refused(&ines, "GET", path, NULL, 403, "the inspector reads the evidence");
	refused(&clerk, "GET", path, NULL, 403, "a clerk reads the evidence");
	refused(&admin, "GET", path, NULL, 403, "an administrator reads the evidence");
	struct itest_response res;
	staff_request(&server, &hearing, "GET", path, NULL, NULL, &res);
	assert_int_equal(res.status, 200);
	assert_memory_equal(res.body.data, "\x89PNG", 4);
	itest_response_free(&res);
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld/attachments/%lld", appeal2, att);
	refused(&hearing, "GET", path, NULL, 404, "the evidence read through another appeal");
	/* Closed: nothing more is attached. */
	assert_int_equal(operator("/api/v1/operator/appeals/withdraw", "INS-ATT", r.code, ""), 200);
	refused(NULL, "POST", "/api/v1/operator/appeals/attachments",
	        attach_body("INS-ATT", r.code), 409, "evidence attached to a withdrawn appeal");
	assert_int_equal(itest_sql_count(db_url, count), n);
}

/*
 * A jurisdiction moved to another scheme grades visits from that day under it. An inspector
 * who opens a draft dated before the move and then dates it after would have the visit graded
 * under the scheme of their choosing: a draft's day does not cross a move.
 */
static void test_redated_across_a_scheme_move(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	json_decref(staff_call(&server, &admin, "POST", "/api/v1/jurisdictions",
	                       "{\"code\":\"mv\",\"name\":\"Moving Council\",\"scheme\":\"fhrs\"}",
	                       NULL, &st));
	assert_int_equal(st, 201);
	char today[32], body[600], hdr[64], path[96], started[32], ended[32];
	staff_ago(0, 0, today);
	today[10] = '\0';
	snprintf(body, sizeof(body), "{\"scheme\":\"nyc\",\"applies_from\":\"%s\"}", today);
	json_decref(staff_call(&server, &admin, "POST", "/api/v1/jurisdictions/mv/schemes", body,
	                       NULL, &st));
	assert_int_equal(st, 201);
	long long est = new_establishment("mv", "INS-MV");
	/* A draft of a visit two days ago, before the move: the old scheme's catalogue. */
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[{\"code\":\"H01\",\"points\":5}]}",
	         est, staff_ago(2, 9, started), staff_ago(2, 10, ended));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-mv-%d", (int)getpid());
	json_t *v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	/* Dated today, after the move: refused, naming the day. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
	         "\"violations\":[{\"code\":\"H01\",\"points\":5}],\"submit\":true}",
	         staff_ago(0, 0, started), staff_ago(0, 0, ended));
	long long before = fingerprint();
	v = staff_call(&server, &ines, "PATCH", path, body, "If-Match: \"1\"", &st);
	if (st != 422)
		fail_msg("a draft re-dated across a scheme move: %ld, graded under %s", st,
		         json_walk_str(v, "scheme.code") ? json_walk_str(v, "scheme.code") : "?");
	assert_string_equal(json_walk_str(v, "field"), "/started_at");
	json_decref(v);
	assert_int_equal(fingerprint(), before);
	refusals++;
	/* Another day before the move is only a correction. */
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
	         "\"violations\":[{\"code\":\"H01\",\"points\":5}],\"submit\":true}",
	         staff_ago(3, 9, started), staff_ago(3, 10, ended));
	v = staff_call(&server, &ines, "PATCH", path, body, "If-Match: \"1\"", &st);
	if (st != 200)
		fail_msg("a draft re-dated before the move: %ld %s", st,
		         json_walk_str(v, "detail"));
	json_decref(v);
	/* Nor does an amendment move the visit across it. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", id);
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
	         "\"violations\":[],\"reason\":\"Wrong day entered\"}",
	         staff_ago(0, 0, started), staff_ago(0, 0, ended));
	refused(&supervisor, "POST", path, body, 422, "an amendment re-dated across a scheme move");
}

/* Class 1: amendments bypass ownership and the appeal. */
static void test_amendments(void **state)
{
	(void)state;
	NEED_DB();
	char path[96];
	long long est = new_establishment("uk", "INS-1");
	struct report r = inspect(&ines, est, 2, "{\"code\":\"H01\",\"points\":15}");
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", r.id);

	/* Nobody but the own inspector or a supervisor. */
	refused(&ivan, "POST", path, amend_body, 403, "another inspector amends");
	refused(&clerk, "POST", path, amend_body, 403, "a clerk amends");
	refused(&hearing, "POST", path, amend_body, 403, "a hearing officer amends");
	refused(&admin, "POST", path, amend_body, 403, "an administrator amends");
	refused(NULL, "POST", path, amend_body, 401, "the public amends");

	/* While the appeal is open: nobody, not even the own inspector or a supervisor. */
	long long appeal = file_appeal("INS-1", r.code);
	refused(&ines, "POST", path, amend_body, 409, "own inspector amends under appeal");
	refused(&supervisor, "POST", path, amend_body, 409, "supervisor amends under appeal");

	/* Decided (modified): the decision's revision and the original stay as decided. */
	char step[96], body[300];
	snprintf(step, sizeof(step), "/api/v1/appeals/%lld/review", appeal);
	long st;
	json_decref(
	        staff_call(&server, &hearing, "POST", step, "{\"action\":\"accept\"}", NULL, &st));
	assert_int_equal(st, 200);
	snprintf(step, sizeof(step), "/api/v1/appeals/%lld/decision", appeal);
	snprintf(body, sizeof(body),
	         "{\"outcome\":\"modified\",\"reasons\":\"Corrected during the visit.\","
	         "\"dismissed\":[{\"violation_id\":%lld,\"reason\":\"Corrected on site\"}]}",
	         r.violation);
	json_t *v = staff_call(&server, &hearing, "POST", step, body, NULL, &st);
	assert_int_equal(st, 200);
	long long revision = json_walk_int(v, "after.inspection_id");
	json_decref(v);
	assert_true(revision > r.id);
	char rev_path[96];
	snprintf(rev_path, sizeof(rev_path), "/api/v1/inspections/%lld/amendments", revision);
	refused(&supervisor, "POST", rev_path, amend_body, 409, "supervisor amends the decision");
	refused(&ines, "POST", rev_path, amend_body, 409, "own inspector amends the decision");
	refused(&ines, "POST", path, amend_body, 409, "own inspector amends the original");
	/* A decided appeal is not decided again. */
	refused(&hearing, "POST", step,
	        "{\"outcome\":\"overturned\",\"reasons\":\"On second thoughts, no.\"}", 409,
	        "a second decision");

	/* With no appeal, the own inspector and a supervisor may correct the record. */
	struct report other = inspect(&ines, est, 1, "{\"code\":\"H01\",\"points\":5}");
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", other.id);
	json_decref(staff_call(&server, &ines, "POST", path, amend_body, NULL, &st));
	assert_int_equal(st, 201);
}

/* Class 2: the operator's code is the operator's. */
static void test_codes(void **state)
{
	(void)state;
	NEED_DB();
	char path[96];
	long long est = new_establishment("uk", "INS-2");
	struct report r = inspect(&cora, est, 3, "{\"code\":\"H01\",\"points\":15}");
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", r.id);
	const char *why = "{\"reason\":\"Report lost; licence certificate seen at the counter\"}";

	/* cora inspected it, then moved to the licensing office. */
	itest_sql(db_url, "UPDATE staff_user SET role = 'clerk' WHERE username = 'cora'");
	refused(&cora, "POST", path, why, 403, "a clerk who inspected it reissues its code");
	refused(&ines, "POST", path, why, 403, "an inspector reissues a code");
	refused(&supervisor, "POST", path, why, 403, "a supervisor reissues a code");
	refused(&hearing, "POST", path, why, 403, "a hearing officer reissues a code");
	refused(&admin, "POST", path, why, 403, "an administrator reissues a code");
	refused(&clerk, "POST", path, "{}", 422, "a reissue without a reason");

	/* The operator files with the printed code; a clerk then issues a new one. */
	file_appeal("INS-2", r.code);
	long st;
	json_t *v = staff_call(&server, &clerk, "POST", path, why, NULL, &st);
	assert_int_equal(st, 201);
	char later[16];
	snprintf(later, sizeof(later), "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);

	/* The later code reads the case and sees it cannot act; it cannot act. */
	v = staff_call(&server, NULL, "POST", "/api/v1/operator/report",
	               operator_body("INS-2", later, ""), NULL, &st);
	assert_int_equal(st, 200);
	assert_false(json_is_true(json_walk(v, "code_acts_in_appeal")));
	assert_int_equal(json_array_size(json_walk(v, "code_reissues")), 1);
	json_decref(v);
	refused(NULL, "POST", "/api/v1/operator/appeals/withdraw",
	        operator_body("INS-2", later, ""), 403, "a later code withdraws the appeal");
	refused(NULL, "POST", "/api/v1/operator/replies",
	        operator_body("INS-2", later, "\"text\":\"We accept the result.\""), 403,
	        "a later code replies for the operator");
	refused(NULL, "POST", "/api/v1/operator/rerating-requests",
	        operator_body("INS-2", later, "\"improvements\":\"New fridge.\""), 403,
	        "a later code asks for a re-rating");
	/* The code that filed still acts: the operator withdraws their own appeal. */
	assert_int_equal(operator("/api/v1/operator/report", "INS-2", r.code, ""), 200);
	assert_int_equal(operator("/api/v1/operator/appeals/withdraw", "INS-2", r.code, ""), 200);

	/* A code the device made up: too easy to guess, refused; nothing submitted. */
	char body[400], hdr[64], started[32];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[],\"submit\":true,\"appeal_code\":\"ABCDE-FGHJK\"}",
	         est, staff_ago(1, 8, started));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-weak-%d", (int)getpid());
	long long before = fingerprint();
	v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/appeal_code");
	json_decref(v);
	assert_int_equal(fingerprint(), before);
	refusals++;

	/* An old code: a report handed over more than a year ago no longer opens the case. */
	long long old_est = new_establishment("uk", "INS-3");
	struct report old = inspect(&ines, old_est, 400, "{\"code\":\"H01\",\"points\":5}");
	refused(NULL, "POST", "/api/v1/operator/report", operator_body("INS-3", old.code, ""), 403,
	        "an expired code");
}

/* An amendment is not a new report: it issues no appeal code, so that staff who amend (a
 * supervisor who never met the operator) never hold a code that acts as the operator. The
 * operator's printed code keeps opening the amended report. */
static void test_amendment_issues_no_code(void **state)
{
	(void)state;
	NEED_DB();
	char path[96];
	long long est = new_establishment("uk", "INS-5");
	struct report r = inspect(&ines, est, 2, "{\"code\":\"H01\",\"points\":15}");
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", r.id);
	refused(&supervisor, "POST", path,
	        "{\"type\":\"initial\",\"violations\":[],\"reason\":\"Cited the wrong item\","
	        "\"appeal_code\":\"K7QX2MZP9D\"}",
	        422, "an amendment with a code its author chose");
	long st;
	json_t *v = staff_call(&server, &supervisor, "POST", path, amend_body, NULL, &st);
	assert_int_equal(st, 201);
	long long revision = json_walk_int(v, "id");
	if (json_walk(v, "appeal_code"))
		fail_msg("the supervisor who amended was handed an appeal code: %s",
		         json_walk_str(v, "appeal_code"));
	json_decref(v);
	/* The operator's own code opens the amended report and still acts. */
	v = staff_call(&server, NULL, "POST", "/api/v1/operator/report",
	               operator_body("INS-5", r.code, ""), NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "inspection.current_revision_id"), revision);
	json_decref(v);
	long long appeal = file_appeal("INS-5", r.code);

	/* The supervisor who amended it is a party: the hearing officers' view of the appeal
	 * (the grounds, review notes and adjournment reasons) is not theirs to read. */
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", appeal);
	refused(&supervisor, "GET", path, NULL, 403, "a supervisor who amended reads the case");
	json_decref(staff_call(&server, &hearing, "GET", path, NULL, NULL, &st));
	assert_int_equal(st, 200);
}

/* A visit dated in the future would stay the establishment's latest inspection for years:
 * the grade it set could not be displaced by any real visit, and its appeal code would not
 * start to age. Neither a new inspection nor an amendment may date a visit ahead. */
static void test_future_visit(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "INS-6");
	char body[400], hdr[64], later[32], end[32];
	time_t t = time(NULL) + 3L * 365 * 86400;
	strftime(later, sizeof(later), "%Y-%m-%dT09:00:00Z", gmtime(&t));
	strftime(end, sizeof(end), "%Y-%m-%dT11:00:00Z", gmtime(&t));
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[],\"submit\":true}",
	         est, later, end);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-future-%d", (int)getpid());
	long long before = fingerprint();
	long st;
	json_t *v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	if (st != 422)
		fail_msg("a visit dated %s answered %ld, not 422", later, st);
	assert_string_equal(json_walk_str(v, "field"), "/started_at");
	json_decref(v);
	assert_int_equal(fingerprint(), before);
	refusals++;

	/* Nor moved there by an amendment. */
	struct report r = inspect(&ines, est, 1, "{\"code\":\"04L\",\"points\":12}");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", r.id);
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"ended_at\":\"%s\","
	         "\"violations\":[],\"reason\":\"Wrong date\"}",
	         later, end);
	refused(&supervisor, "POST", path, body, 422, "an amendment dates the visit ahead");
}

/* The operator's public reply is the operator's voice about an inspection: staff who took
 * part in the inspection (an inspector later made a clerk) do not moderate or remove it. */
static void test_reply_moderation(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-7");
	struct report r = inspect(&ivan, est, 2, "{\"code\":\"H01\",\"points\":15}");
	itest_sql(db_url, "UPDATE staff_user SET role = 'clerk' WHERE username = 'ivan'");
	long st;
	json_t *v = staff_call(&server, NULL, "POST", "/api/v1/operator/replies",
	                       operator_body("INS-7", r.code,
	                                     "\"text\":\"The inspector never opened the fridge.\""),
	                       NULL, &st);
	assert_int_equal(st, 201);
	long long reply = json_walk_int(v, "id");
	json_decref(v);
	assert_true(reply > 0);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/replies/%lld/moderation", reply);
	refused(&ivan, "POST", path, "{\"reason\":\"Unfounded accusation\"}", 403,
	        "the inspector, now a clerk, removes the reply about their inspection");
	refused(&ivan, "POST", path, "{\"text\":\"We thank the inspector.\",\"reason\":\"Tone\"}",
	        403, "the inspector, now a clerk, rewrites the reply about their inspection");
	/* A clerk with no part in it moderates. */
	json_decref(staff_call(&server, &clerk, "POST", path,
	                       "{\"text\":\"The inspector never opened the fridge.\","
	                       "\"reason\":\"Checked, no change\"}",
	                       NULL, &st));
	assert_int_equal(st, 200);
}

/* A supervisor who amended an inspection and is later made a hearing officer took part in
 * it: the amendment counts as involvement as much as the visit. */
static void test_amender_turned_officer(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-8");
	struct report r = inspect(&ines, est, 2, "{\"code\":\"H01\",\"points\":15}");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", r.id);
	long st;
	json_decref(staff_call(&server, &supervisor, "POST", path,
	                       "{\"type\":\"initial\",\"violations\":[{\"code\":\"H01\","
	                       "\"points\":10}],\"reason\":\"Points miscounted\"}",
	                       NULL, &st));
	assert_int_equal(st, 201);
	long long appeal = file_appeal("INS-8", r.code);
	itest_sql(db_url, "UPDATE staff_user SET role = 'hearing_officer' WHERE username = 'sue'");
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/review", appeal);
	refused(&supervisor, "POST", path, "{\"action\":\"accept\"}", 403,
	        "the officer who amended it as a supervisor takes it under review");
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/decision", appeal);
	refused(&supervisor, "POST", path,
	        "{\"outcome\":\"overturned\",\"reasons\":\"The amendment was right.\"}", 403,
	        "the officer who amended it decides");
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", appeal);
	refused(&supervisor, "GET", path, NULL, 403, "the officer who amended it reads the case");
	itest_sql(db_url, "UPDATE staff_user SET role = 'supervisor' WHERE username = 'sue'");
}

/* A code opens only its own establishment's report, whatever its spelling, and a tablet's
 * retry of a submission never gets the code back. */
static void test_code_edges(void **state)
{
	(void)state;
	NEED_DB();
	long long a = new_establishment("uk", "INS-9");
	long long b = new_establishment("uk", "INS-10");
	struct report ra = inspect(&ines, a, 2, "{\"code\":\"H01\",\"points\":5}");
	(void)b;
	refused(NULL, "POST", "/api/v1/operator/report", operator_body("INS-10", ra.code, ""), 403,
	        "a code with another establishment's licence");
	/* The staff view holds the inspector's notes and the operator's signature: an
	 * administrator, whose role has nothing in an inspection, does not read it. */
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/staff/inspections/%lld", ra.id);
	refused(&admin, "GET", path, NULL, 403, "an administrator reads the staff view");
	char spelled[32];
	size_t n = 0;
	for (size_t i = 0; ra.code[i] && n + 2 < sizeof(spelled); i++) {
		spelled[n++] = (char)(ra.code[i] >= 'A' && ra.code[i] <= 'Z' ? ra.code[i] + 32
		                                                             : ra.code[i]);
		if (i == 4)
			spelled[n++] = '-';
	}
	spelled[n] = 0;
	assert_int_equal(operator("/api/v1/operator/report", "ins-9", spelled, ""), 200);

	/* The retry of a creation with the same key: the first answer, without the code. */
	char body[400], hdr[64], started[32];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[],\"submit\":true}",
	         b, staff_ago(1, 8, started));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: insiders-replay-%d", (int)getpid());
	long st;
	json_t *v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	assert_non_null(json_walk_str(v, "appeal_code"));
	json_decref(v);
	v = staff_call(&server, &ines, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	if (json_walk(v, "appeal_code"))
		fail_msg("a retry was given the appeal code");
	json_decref(v);
}

/* The operator's re-rating request is closed by a visit, not by a correction of the rated
 * one: an amendment re-dated to after the request is not the visit they asked for. */
static void test_rerating_closed_by_amendment(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-11");
	struct report r = inspect(&ines, est, 30, "{\"code\":\"H01\",\"points\":15}");
	long st;
	json_t *v = staff_call(
	        &server, NULL, "POST", "/api/v1/operator/rerating-requests",
	        operator_body("INS-11", r.code, "\"improvements\":\"New fridge installed.\""), NULL,
	        &st);
	assert_int_equal(st, 201);
	long long request = json_walk_int(v, "id");
	json_decref(v);
	char path[96], body[300], today[32];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", r.id);
	snprintf(body, sizeof(body),
	         "{\"type\":\"initial\",\"started_at\":\"%s\",\"violations\":[{\"code\":"
	         "\"H01\",\"points\":15}],\"reason\":\"Date corrected\"}",
	         staff_ago(0, 0, today));
	v = staff_call(&server, &supervisor, "POST", path, body, NULL, &st);
	assert_int_equal(st, 201);
	long long amendment = json_walk_int(v, "id");
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/rerating-requests/%lld/inspected", request);
	snprintf(body, sizeof(body), "{\"inspection_id\":%lld}", amendment);
	refused(&supervisor, "POST", path, body, 422,
	        "a re-rating closed by an amendment of the rated inspection");
}

/* Class 5: involvement checked at every step, not only the decision. */
/*
 * A clerk issues a new code to someone who is not the operator, before any appeal, and files
 * and withdraws an appeal with it. The operator's printed code stops acting, but still
 * opens the report: the operator sees the reissue, the appeal and its withdrawal.
 */
static void test_replaced_code_sees_the_reissue(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "INS-RC");
	struct report r = inspect(&ines, est, 2, "{\"code\":\"H01\",\"points\":15}");
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", r.id);
	long st;
	json_t *v = staff_call(&server, &clerk, "POST", path,
	                       "{\"reason\":\"Caller said the report was lost\"}", NULL, &st);
	assert_int_equal(st, 201);
	char taken[16];
	snprintf(taken, sizeof(taken), "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);
	file_appeal("INS-RC", taken);
	assert_int_equal(operator("/api/v1/operator/appeals/withdraw", "INS-RC", taken, ""), 200);

	/* The printed code: read only, and what it reads tells the story. */
	v = staff_call(&server, NULL, "POST", "/api/v1/operator/report",
	               operator_body("INS-RC", r.code, ""), NULL, &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "code_replaced")));
	assert_int_equal(json_array_size(json_walk(v, "code_reissues")), 1);
	assert_string_equal(json_walk_str(v, "appeal.state"), "withdrawn");
	json_decref(v);
	refused(NULL, "POST", "/api/v1/operator/replies",
	        operator_body("INS-RC", r.code, "\"text\":\"That was not us.\""), 403,
	        "a replaced code replies");
	refused(NULL, "POST", "/api/v1/operator/rerating-requests",
	        operator_body("INS-RC", r.code, "\"improvements\":\"New fridge.\""), 403,
	        "a replaced code asks for a re-rating");
	/* The reissue names the clerk in the registry, for the office to answer for it. */
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_reissue x"
	                                         " JOIN staff_user u ON u.id = x.issued_by"
	                                         " WHERE u.username = 'clem'"),
	                 itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_reissue"));
}

static void test_every_appeal_step(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "INS-4");
	struct report r = inspect(&hazel, est, 2, "{\"code\":\"04L\",\"points\":12}");
	long long appeal = file_appeal("INS-4", r.code);
	itest_sql(db_url,
	          "UPDATE staff_user SET role = 'hearing_officer' WHERE username = 'hazel'");
	char path[96];
	struct {
		const char *step, *body;
	} steps[] = {
		{ "review", "{\"action\":\"reject_late\",\"note\":\"Filed after the window\"}" },
		{ "review", "{\"action\":\"accept\"}" },
		{ "hearing", "{\"hearing_at\":\"2027-12-01T10:00:00Z\"}" },
		{ "decision",
		  "{\"outcome\":\"upheld\",\"reasons\":\"The finding stands as made.\"}" },
	};
	/* Nor does the involved officer read the officers' view of the case. */
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", appeal);
	refused(&hazel, "GET", path, NULL, 403, "the involved officer reads the case");
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/appeals/%lld/%s", appeal, steps[i].step);
		refused(&hazel, "POST", path, steps[i].body, 403, steps[i].step);
		/* Other roles take no step either. */
		refused(&supervisor, "POST", path, steps[i].body, 403, steps[i].step);
		refused(&clerk, "POST", path, steps[i].body, 403, steps[i].step);
	}
	/* An officer with no part in it takes them; the involved one still cannot adjourn. */
	long st;
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/review", appeal);
	json_decref(
	        staff_call(&server, &hearing, "POST", path, "{\"action\":\"accept\"}", NULL, &st));
	assert_int_equal(st, 200);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/hearing", appeal);
	json_decref(staff_call(&server, &hearing, "POST", path,
	                       "{\"hearing_at\":\"2027-01-10T10:00:00Z\"}", NULL, &st));
	assert_int_equal(st, 200);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/adjournments", appeal);
	refused(&hazel, "POST", path,
	        "{\"hearing_at\":\"2027-12-10T10:00:00Z\",\"reason\":\"Officer unavailable\"}", 403,
	        "the involved officer adjourns a year away");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amendments),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_amendment_issues_no_code),
		cmocka_unit_test(test_future_visit),
		cmocka_unit_test(test_reply_moderation),
		cmocka_unit_test(test_amender_turned_officer),
		cmocka_unit_test(test_code_edges),
		cmocka_unit_test(test_rerating_closed_by_amendment),
		cmocka_unit_test(test_replaced_code_sees_the_reissue),
		cmocka_unit_test(test_every_appeal_step),
		cmocka_unit_test(test_supervisor_cannot_submit_a_draft),
		cmocka_unit_test(test_supervisor_cannot_create_submitted),
		cmocka_unit_test(test_assignments),
		cmocka_unit_test(test_corrective_actions_private),
		cmocka_unit_test(test_scheme_moves),
		cmocka_unit_test(test_attachments),
		cmocka_unit_test(test_redated_across_a_scheme_move),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
