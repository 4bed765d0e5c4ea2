/*
 * Appeals and due process end to end through the API, against the real server and a real
 * PostgreSQL: each path of an appeal (upheld, modified, overturned, withdrawn, late), the
 * hearing officer's independence, one appeal per inspection, wrong appeal codes slowed
 * down, appeal codes made on the device and issued anew, what the public record shows
 * while an appeal is open (NYC Grade Pending, FHRS the
 * previous rating), the operator's reply and its moderation, re-rating requests, the
 * overdue list, and the public log verified after it all.
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

#include "core/i18n.h"
#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector, inspector2, supervisor, hearing;
static const char pw[] = "correct horse battery staple";

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("appeals", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" },      { "clem", "clerk" },
		                 { "ines", "inspector" }, { "ivan", "inspector" },
		                 { "sue", "supervisor" }, { "hal", "hearing_officer" },
		                 { "hazel", "inspector" } };
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	struct staff_session *s[] = {
		&admin, &clerk, &inspector, &inspector2, &supervisor, &hearing
	};
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	const char *j[] = { "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}",
		            "{\"code\":\"uk\",\"name\":\"Demo Council\",\"scheme\":\"fhrs\"}",
		            "{\"code\":\"sf\",\"name\":\"Demo County\",\"scheme\":\"sf100\"}" };
	for (size_t i = 0; i < 3; i++) {
		struct itest_response r;
		staff_request(&server, &admin, "POST", "/api/v1/jurisdictions", j[i], NULL, &r);
		assert_int_equal(r.status, 201);
		itest_response_free(&r);
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* Send and parse; the body as JSON (caller decrefs), the status in *status. */
static long long new_establishment(const char *jurisdiction, const char *licence)
{
	return staff_establishment(&server, &clerk, jurisdiction, licence);
}

struct report {
	long long id;
	char code[16];
	long long violation_ids[8];
};

/* Submit an inspection @days_ago days ago (two hours long) by @as; its id and appeal code. */
static struct report inspect(const struct staff_session *as, long long est, const char *type,
                             int days_ago, const char *violations)
{
	static int key;
	char started[32], ended[32], body[1200], hdr[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"%s\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[%s],\"submit\":true}",
	         est, type, staff_ago(days_ago, 9, started), staff_ago(days_ago, 11, ended),
	         violations);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: appeals-%d-%d", (int)getpid(), ++key);
	long st;
	json_t *v = staff_call(&server, as, "POST", "/api/v1/inspections", body, hdr, &st);
	if (st != 201)
		fail_msg("inspection: %ld %s", st, json_dumps(v, 0));
	struct report r = { .id = json_walk_int(v, "id") };
	snprintf(r.code, sizeof(r.code), "%s", json_walk_str(v, "appeal_code"));
	json_t *vs = json_object_get(v, "violations");
	for (size_t i = 0; i < json_array_size(vs) && i < 8; i++)
		r.violation_ids[i] =
		        json_integer_value(json_object_get(json_array_get(vs, i), "id"));
	json_decref(v);
	staff_arrived_at_visit_end(db_url, r.id);
	return r;
}

/* An operator's request: licence number and code, then @more members (or ""). */
static json_t *operator(const char *path, const char *licence, const char *code, const char *more,
                        long *status)
{
	char body[6000];
	snprintf(body, sizeof(body), "{\"licence_number\":\"%s\",\"appeal_code\":\"%s\"%s%s}",
	         licence, code, *more ? "," : "", more);
	return staff_call(&server, NULL, "POST", path, body, NULL, status);
}

static json_t *establishment(long long id)
{
	char path[64];
	long st;
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", id);
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	return v;
}

/* @text of a scheme as the zh-CN wording catalogue gives it (itself until it has it). */
static const char *wording_zh(const char *text)
{
	static bool loaded;
	char path[512], err[256];
	if (!loaded) {
		snprintf(path, sizeof(path), "%s/web", itest_source_root());
		if (i18n_load(path, err, sizeof(err)) < 0)
			fail_msg("%s", err);
		loaded = true;
	}
	return i18n_wording("zh-CN", text);
}

/* The public record of establishment @id, as a reader of Simplified Chinese asks for it: the
 * grade's rule, in its language. */
static const char *grade_rule_zh(long long id)
{
	static char rule[512];
	char path[80];
	long st;
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld?lang=zh-CN", id);
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	const char *r = json_walk_str(v, "grade.rule");
	snprintf(rule, sizeof(rule), "%s", r ? r : "");
	json_decref(v);
	return rule;
}

/* POST @body to /api/v1/appeals/@id/@what as @as; the status. */
static long appeal_step(const struct staff_session *as, long long id, const char *what,
                        const char *body)
{
	char path[96];
	long st;
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/%s", id, what);
	json_t *v = staff_call(&server, as, "POST", path, body, NULL, &st);
	json_decref(v);
	return st;
}

static long long nyc_appeal_id;

static void test_nyc_pending_then_upheld(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "N-1");
	inspect(&inspector, est, "initial", 20,
	        "{\"code\":\"04L\",\"points\":10},{\"code\":\"02B\",\"points\":10}");
	struct report re =
	        inspect(&inspector, est, "reinspection", 10,
	                "{\"code\":\"04L\",\"points\":12},{\"code\":\"08A\",\"points\":4}");
	json_t *v = establishment(est);
	assert_string_equal(json_walk_str(v, "grade.code"), "B");
	assert_false(json_is_true(json_walk(v, "grade.under_appeal")));
	assert_true(json_is_null(json_walk(v, "appeal")));
	json_decref(v);

	long st;
	v = operator("/api/v1/operator/report", "N-1", re.code, "", &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "appeal_window.until_hearing")));
	assert_int_equal(json_walk_int(v, "inspection.id"), re.id);
	assert_true(json_is_null(json_walk(v, "appeal")));
	json_decref(v);

	/* Filed: the public record shows Grade Pending (Z) and the appeal's deadlines. */
	char more[200];
	snprintf(more, sizeof(more),
	         "\"grounds\":\"The droppings were old and cleaned before the visit.\","
	         "\"contested_violations\":[%lld]",
	         re.violation_ids[0]);
	v = operator("/api/v1/operator/appeals", "n-1 ", re.code, more, &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_walk_str(v, "appeal.state"), "filed");
	nyc_appeal_id = json_walk_int(v, "appeal.id");
	assert_true(nyc_appeal_id > 0);
	assert_non_null(json_walk_str(v, "appeal.decision_due"));
	json_decref(v);
	v = establishment(est);
	assert_string_equal(json_walk_str(v, "grade.code"), "Z");
	assert_string_equal(json_walk_str(v, "grade.label"), "Grade Pending");
	assert_true(json_is_true(json_walk(v, "grade.pending")));
	assert_string_equal(json_walk_str(v, "grade.contested.code"), "B");
	assert_string_equal(json_walk_str(v, "appeal.state"), "filed");
	assert_true(json_is_true(json_walk(v, "appeal.open")));
	assert_null(json_walk(v, "appeal.grounds"));
	json_decref(v);
	char want[256];
	snprintf(want, sizeof(want), "等级%s正在申诉中：听证前该单位可公示“%s”（Z）。",
	         wording_zh("B"), wording_zh("Grade Pending"));
	assert_string_equal(grade_rule_zh(est), want);

	/* A second appeal on the same inspection is refused, and so is contesting a stranger. */
	v = operator("/api/v1/operator/appeals", "N-1", re.code, "\"grounds\":\"Again\"", &st);
	assert_int_equal(st, 409);
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal"), 1);

	/* Under review, a hearing, adjourned: Grade Pending lasts two adjournments. */
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"Too early\"}"),
	                 409);
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "review", "{\"action\":\"accept\"}"),
	                 200);
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "review", "{\"action\":\"accept\"}"),
	                 409);
	char at[32], body[200];
	snprintf(body, sizeof(body), "{\"hearing_at\":\"%s\"}", staff_ago(-3, 10, at));
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "hearing", body), 200);
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "hearing", body), 409);
	assert_int_equal(
	        appeal_step(&hearing, nyc_appeal_id, "hearing", "{\"hearing_at\":\"soon\"}"), 422);
	for (int i = 1; i <= 3; i++) {
		snprintf(body, sizeof(body),
		         "{\"hearing_at\":\"%s\",\"reason\":\"The establishment asked for more "
		         "time\"}",
		         staff_ago(-3 - 7 * i, 10, at));
		assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "adjournments", body), 200);
		v = establishment(est);
		assert_string_equal(json_walk_str(v, "grade.code"), i <= 2 ? "Z" : "B");
		assert_true(json_is_true(json_walk(v, "grade.under_appeal")));
		assert_int_equal(json_walk_int(v, "appeal.adjournments"), i);
		/* The reason is internal, not a closing note: the appeal is still open. */
		assert_true(json_is_null(json_walk(v, "appeal.closing_note")));
		json_decref(v);
	}

	/* Only hearing officers decide; reasons are required. */
	assert_int_equal(appeal_step(&inspector, nyc_appeal_id, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"Fine\"}"),
	                 403);
	assert_int_equal(appeal_step(&supervisor, nyc_appeal_id, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"Fine\"}"),
	                 403);
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"\"}"),
	                 422);
	assert_int_equal(appeal_step(&hearing, nyc_appeal_id, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"x\",\"dismissed\":[]}"),
	                 200);
	v = establishment(est);
	assert_string_equal(json_walk_str(v, "grade.code"), "B");
	assert_false(json_is_true(json_walk(v, "grade.under_appeal")));
	assert_string_equal(json_walk_str(v, "appeal.outcome"), "upheld");
	json_decref(v);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", nyc_appeal_id);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "state"), "upheld");
	assert_string_equal(json_walk_str(v, "reasons"), "x");
	assert_string_equal(json_walk_str(v, "after.grade_code"), "B");
	assert_null(json_walk(v, "grounds"));
	json_decref(v);
	assert_int_equal(
	        appeal_step(&hearing, nyc_appeal_id, "decision",
	                    "{\"outcome\":\"overturned\",\"reasons\":\"Changed my mind\"}"),
	        409);
}

static long long uk_est;
static struct report uk_new;

static void test_fhrs_previous_rating_then_modified(void **state)
{
	(void)state;
	NEED_DB();
	uk_est = new_establishment("uk", "U-1");
	struct report old = inspect(&inspector, uk_est, "initial", 200, "");
	json_t *v = establishment(uk_est);
	assert_string_equal(json_walk_str(v, "grade.code"), "5");
	assert_false(json_is_true(json_walk(v, "grade.new_rating_pending")));
	json_decref(v);
	uk_new =
	        inspect(&inspector, uk_est, "initial", 3,
	                "{\"code\":\"H03\",\"points\":10,\"observed\":\"No hand wash after bins\"},"
	                "{\"code\":\"S02\",\"points\":15}");
	/* Within the 21-day window the previous rating stays public, flagged. */
	v = establishment(uk_est);
	assert_string_equal(json_walk_str(v, "grade.code"), "5");
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), old.id);
	assert_true(json_is_true(json_walk(v, "grade.new_rating_pending")));
	assert_int_equal(json_walk_int(v, "grade.pending_inspection_id"), uk_new.id);
	assert_non_null(json_walk_str(v, "grade.publication_due"));
	assert_string_equal(json_walk_str(v, "grade.rule"),
	                    "The new rating is published when the appeal window closes; the "
	                    "previously published rating stands until then.");
	json_decref(v);
	assert_string_equal(grade_rule_zh(uk_est),
	                    "新的评级在申诉期届满后公布；在此之前，此前公布的评级继续有效。");

	long st;
	v = operator("/api/v1/operator/report", "U-1", uk_new.code, "", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "appeal_window.days"), 21);
	assert_non_null(json_walk_str(v, "appeal_window.deadline"));
	json_decref(v);
	/* The code as people type it: lower case, with a dash. */
	char typed[96];
	snprintf(typed, sizeof(typed), "%.5s-%s", uk_new.code, uk_new.code + 5);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	v = operator("/api/v1/operator/appeals", "U-1", typed,
	             "\"grounds\":\"The pest control report shows no activity.\"", &st);
	assert_int_equal(st, 201);
	long long appeal = json_walk_int(v, "appeal.id");
	assert_non_null(json_walk_str(v, "appeal.filing_deadline"));
	json_decref(v);
	v = establishment(uk_est);
	assert_string_equal(json_walk_str(v, "grade.code"), "5");
	assert_true(json_is_true(json_walk(v, "grade.under_appeal")));
	assert_true(json_is_true(json_walk(v, "grade.new_rating_pending")));
	assert_true(json_is_null(json_walk(v, "grade.publication_due")));
	json_decref(v);
	assert_string_equal(grade_rule_zh(uk_est),
	                    "申诉作出决定前不公布新的评级；此前公布的评级继续有效。");

	/* Modified: S02 dismissed; the score is recomputed and the rating re-issued. */
	assert_int_equal(appeal_step(&hearing, appeal, "review", "{\"action\":\"accept\"}"), 200);
	char body[400];
	snprintf(body, sizeof(body),
	         "{\"outcome\":\"modified\",\"reasons\":\"Pest control records show no "
	         "activity.\",\"dismissed\":[{\"violation_id\":%lld,\"reason\":\"Contractor "
	         "report\"}]}",
	         uk_new.violation_ids[1]);
	assert_int_equal(appeal_step(&hearing, appeal, "decision",
	                             "{\"outcome\":\"modified\",\"reasons\":\"x\"}"),
	                 422);
	assert_int_equal(appeal_step(&hearing, appeal, "decision",
	                             "{\"outcome\":\"modified\",\"reasons\":\"x\",\"dismissed\":[{"
	                             "\"violation_id\":999999,\"reason\":\"r\"}]}"),
	                 422);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM "
	                                         "inspection WHERE amends_inspection_id IS NOT "
	                                         "NULL"),
	                 0);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/decision", appeal);
	v = staff_call(&server, &hearing, "POST", path, body, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "state"), "modified");
	assert_string_equal(json_walk_str(v, "before.grade_code"), "2");
	assert_int_equal(json_walk_int(v, "before.score"), 25);
	assert_string_equal(json_walk_str(v, "after.grade_code"), "4");
	assert_int_equal(json_walk_int(v, "after.score"), 10);
	assert_string_equal(json_walk_str(v, "dismissed_violations.0.code"), "S02");
	assert_string_equal(json_walk_str(v, "dismissed_violations.0.reason"), "Contractor report");
	long long revision = json_walk_int(v, "after.inspection_id");
	json_decref(v);

	/* Before and after stay on the record; the new rating is public now. */
	v = establishment(uk_est);
	assert_string_equal(json_walk_str(v, "grade.code"), "4");
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), revision);
	assert_false(json_is_true(json_walk(v, "grade.new_rating_pending")));
	assert_string_equal(json_walk_str(v, "appeal.outcome"), "modified");
	assert_non_null(json_walk_str(v, "appeal.reasons"));
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", uk_new.id);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(json_walk_int(v, "score"), 25);
	assert_int_equal(json_walk_int(v, "amended_by_inspection_id"), revision);
	assert_string_equal(json_walk_str(v, "violations.1.status"), "cited");
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", revision);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(json_walk_int(v, "revision"), 2);
	assert_int_equal(json_walk_int(v, "amends_inspection_id"), uk_new.id);
	assert_string_equal(json_walk_str(v, "violations.0.status"), "cited");
	assert_string_equal(json_walk_str(v, "violations.0.observed"), "No hand wash after bins");
	assert_string_equal(json_walk_str(v, "violations.1.status"), "dismissed");
	assert_string_equal(json_walk_str(v, "violations.1.dismissed_reason"), "Contractor report");
	assert_int_equal(json_array_size(json_walk(v, "explanation.dismissed")), 1);
	json_decref(v);
}

static void test_overturned_and_independence(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "N-3");
	struct report a =
	        inspect(&inspector, est, "initial", 40, "{\"code\":\"10F\",\"points\":2}");
	struct staff_session hazel;
	assert_int_equal(staff_login(&server, "hazel", pw, &hazel, NULL), 201);
	inspect(&hazel, est, "initial", 15,
	        "{\"code\":\"04L\",\"points\":10},{\"code\":\"02B\",\"points\":10}");
	struct report b =
	        inspect(&hazel, est, "reinspection", 5,
	                "{\"code\":\"04L\",\"points\":12},{\"code\":\"08A\",\"points\":4}");
	long st;
	json_t *v = operator("/api/v1/operator/appeals", "N-3", b.code,
	                     "\"grounds\":\"The inspector counted a closed bin as open.\"", &st);
	assert_int_equal(st, 201);
	long long appeal = json_walk_int(v, "appeal.id");
	json_decref(v);
	assert_int_equal(appeal_step(&hearing, appeal, "review", "{\"action\":\"accept\"}"), 200);

	/* Hazel inspected it, then became a hearing officer: she may not decide it. */
	itest_sql(db_url,
	          "UPDATE staff_user SET role = 'hearing_officer' WHERE username = 'hazel'");
	assert_int_equal(appeal_step(&hazel, appeal, "decision",
	                             "{\"outcome\":\"overturned\",\"reasons\":\"Mine was wrong\"}"),
	                 403);
	assert_int_equal(appeal_step(&inspector, appeal, "decision",
	                             "{\"outcome\":\"overturned\",\"reasons\":\"No\"}"),
	                 403);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", appeal);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "state"), "under_review");
	json_decref(v);

	/* Overturned: nothing deleted; the grade falls back to the earlier A. */
	assert_int_equal(appeal_step(&hearing, appeal, "decision",
	                             "{\"outcome\":\"overturned\",\"reasons\":\"The photographs "
	                             "show the bins were closed.\"}"),
	                 200);
	v = establishment(est);
	assert_string_equal(json_walk_str(v, "grade.code"), "A");
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), a.id);
	assert_string_equal(json_walk_str(v, "appeal.outcome"), "overturned");
	assert_false(json_is_true(json_walk(v, "appeal.after.counts")));
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", b.id);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "score"), 16);
	json_decref(v);
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM appeal WHERE inspection_id = %lld AND "
	         "state = 'overturned'",
	         b.id);
	assert_int_equal(itest_sql_count(db_url, sql), 1);

	/* The grade rests on the earlier inspection again, so correcting that one moves the
	 * grade with it, although newer inspections (one overturned) exist. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", a.id);
	v = staff_call(&server, &supervisor, "POST", path,
	               "{\"type\":\"initial\",\"violations\":[{\"code\":\"10F\",\"points\":3}],"
	               "\"reason\":\"Points recorded wrongly\"}",
	               NULL, &st);
	assert_int_equal(st, 201);
	long long corrected = json_walk_int(v, "id");
	json_decref(v);
	v = establishment(est);
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), corrected);
	assert_int_equal(json_walk_int(v, "grade.score"), 3);
	json_decref(v);
	assert_int_equal(itest_event_count(db_url, "kind = 'inspection.overturned'"), 1);
}

static void test_withdrawn(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "U-4");
	inspect(&inspector, est, "initial", 100, "");
	struct report r =
	        inspect(&inspector, est, "initial", 2, "{\"code\":\"H01\",\"points\":15}");
	long st;
	json_t *v = operator("/api/v1/operator/appeals/withdraw", "U-4", r.code, "", &st);
	assert_int_equal(st, 404);
	json_decref(v);
	v = operator("/api/v1/operator/appeals", "U-4", r.code, "\"grounds\":\"Wrong fridge\"",
	             &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = operator("/api/v1/operator/appeals/withdraw", "U-4", r.code, "", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "appeal.state"), "withdrawn");
	assert_non_null(json_walk_str(v, "appeal.closed_at"));
	json_decref(v);
	v = operator("/api/v1/operator/appeals/withdraw", "U-4", r.code, "", &st);
	assert_int_equal(st, 409);
	json_decref(v);
	v = operator("/api/v1/operator/appeals", "U-4", r.code, "\"grounds\":\"Again\"", &st);
	assert_int_equal(st, 409);
	json_decref(v);
	/* The appeal ended: the new rating is published. */
	v = establishment(est);
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), r.id);
	assert_false(json_is_true(json_walk(v, "grade.new_rating_pending")));
	assert_string_equal(json_walk_str(v, "appeal.state"), "withdrawn");
	json_decref(v);
}

/*
 * Rejected as late: only an appeal filed after its window closed (the server refuses late
 * filings, so this one is made late in the database, as an appeal lodged on paper and
 * entered afterwards would be); a timely one cannot be closed as late, whatever the note.
 * The hearing officer's note is the appeal's public closing note.
 */
static void test_rejected_late_note(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "U-6");
	inspect(&inspector, est, "initial", 100, "");
	struct report r =
	        inspect(&inspector, est, "initial", 2, "{\"code\":\"H01\",\"points\":15}");
	long st;
	json_t *v = operator("/api/v1/operator/appeals", "U-6", r.code, "\"grounds\":\"Late\"",
	                     &st);
	assert_int_equal(st, 201);
	long long appeal = json_walk_int(v, "appeal.id");
	json_decref(v);
	char path[64], sql[200];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/review", appeal);
	v = staff_call(&server, &hearing, "POST", path,
	               "{\"action\":\"reject_late\",\"note\":\"Posted after the window closed\"}",
	               NULL, &st);
	assert_int_equal(st, 409);
	assert_string_equal(json_walk_str(v, "field"), "/action");
	assert_non_null(strstr(json_walk_str(v, "detail"), "filed within its window"));
	json_decref(v);
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM appeal WHERE id = %lld AND state = 'filed'", appeal);
	assert_int_equal(itest_sql_count(db_url, sql), 1);
	snprintf(sql, sizeof(sql),
	         "UPDATE appeal SET filed_at = filing_deadline + interval '1 day' WHERE id = %lld",
	         appeal);
	itest_sql(db_url, sql);
	assert_int_equal(appeal_step(&hearing, appeal, "review",
	                             "{\"action\":\"reject_late\",\"note\":\"Posted after the "
	                             "window closed\"}"),
	                 200);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", appeal);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "state"), "rejected_late");
	assert_string_equal(json_walk_str(v, "closing_note"), "Posted after the window closed");
	json_decref(v);
}

/*
 * A report that reaches the server late (a tablet without signal for weeks, or a visit dated
 * back): the operator's window and the code's life count from its arrival, not from the visit
 * as the device recorded it, so the operator still has the whole window.
 */
static void test_window_counts_from_arrival(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "U-SYNC");
	char started[32], ended[32], body[600], hdr[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[{\"code\":\"H01\",\"points\":15}],"
	         "\"submit\":true}",
	         est, staff_ago(30, 9, started), staff_ago(30, 11, ended));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: appeals-sync-%d", (int)getpid());
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	char code[16];
	snprintf(code, sizeof(code), "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);
	/* The new rating is withheld for the window from today, not published at once. */
	v = establishment(est);
	assert_true(json_is_true(json_walk(v, "grade.new_rating_pending")));
	json_decref(v);
	v = operator("/api/v1/operator/appeals", "U-SYNC", code, "\"grounds\":\"Synced late\"",
	             &st);
	if (st != 201)
		fail_msg("a report that arrived today, of a visit 30 days ago: %ld %s", st,
		         json_walk_str(v, "detail"));
	/* The deadline is the window's length after today. */
	char sql[300];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM appeal WHERE id = %lld"
	         " AND filing_deadline > now() + interval '20 days'",
	         json_walk_int(v, "appeal.id"));
	assert_int_equal(itest_sql_count(db_url, sql), 1);
	json_decref(v);
}

static void test_late_refused(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "U-5");
	struct report r =
	        inspect(&inspector, est, "initial", 30, "{\"code\":\"H01\",\"points\":15}");
	/* The window has passed: the rating is public. */
	json_t *v = establishment(est);
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), r.id);
	assert_false(json_is_true(json_walk(v, "grade.new_rating_pending")));
	json_decref(v);
	long long before = itest_sql_count(db_url, "SELECT count(*) FROM appeal");
	long st;
	v = operator("/api/v1/operator/appeals", "U-5", r.code, "\"grounds\":\"Too late\"", &st);
	assert_int_equal(st, 422);
	char day[32];
	staff_ago(9, 11, day);
	day[10] = '\0';
	assert_non_null(strstr(json_walk_str(v, "detail"), "closed on"));
	assert_non_null(strstr(json_walk_str(v, "detail"), day));
	assert_non_null(strstr(json_walk_str(v, "detail"), "21 days"));
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal"), before);
	/* A scheme without appeals refuses too. */
	long long sf = new_establishment("sf", "S-1");
	r = inspect(&inspector, sf, "initial", 1, "");
	v = operator("/api/v1/operator/appeals", "S-1", r.code, "\"grounds\":\"No\"", &st);
	assert_int_equal(st, 422);
	json_decref(v);
	/* Bad input names its field and writes nothing. */
	v = operator("/api/v1/operator/appeals", "S-1", r.code, "\"grounds\":\"\"", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/grounds");
	json_decref(v);
	v = operator("/api/v1/operator/appeals", "S-1", r.code, "\"grounds\":\"x\",\"extra\":1",
	             &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/extra");
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal"), before);
}

static void test_reply_and_moderation(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "N-7");
	struct report r = inspect(&inspector, est, "initial", 3, "{\"code\":\"10F\",\"points\":2}");
	long st;
	char more[2600];
	snprintf(more, sizeof(more), "\"text\":\"%02001d\"", 0);
	json_t *v = operator("/api/v1/operator/replies", "N-7", r.code, more, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/text");
	json_decref(v);
	v = operator(
	        "/api/v1/operator/replies", "N-7", r.code,
	        "\"text\":\"We fixed the floor drain the same day. The inspector is a clown.\"",
	        &st);
	assert_int_equal(st, 201);
	long long reply = json_walk_int(v, "id");
	json_decref(v);
	v = establishment(est);
	assert_non_null(strstr(json_walk_str(v, "reply.text"), "clown"));
	assert_false(json_is_true(json_walk(v, "reply.moderated")));
	json_decref(v);

	char path[96];
	snprintf(path, sizeof(path), "/api/v1/replies/%lld/moderation", reply);
	v = staff_call(&server, &inspector, "POST", path, "{\"reason\":\"x\"}", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", path,
	               "{\"text\":\"We fixed the floor drain the same day.\"}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/reason");
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", path,
	               "{\"text\":\"We fixed the floor drain the same day. [removed]\","
	               "\"reason\":\"Insult to a named officer removed\"}",
	               NULL, &st);
	assert_int_equal(st, 200);
	json_decref(v);
	v = establishment(est);
	assert_null(strstr(json_walk_str(v, "reply.text"), "clown"));
	assert_true(json_is_true(json_walk(v, "reply.moderated")));
	assert_string_equal(json_walk_str(v, "reply.moderation_reason"),
	                    "Insult to a named officer removed");
	json_decref(v);
	/* The original is kept in the database, never in the public log. */
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM "
	                                         "operator_reply WHERE original_text LIKE "
	                                         "'%clown%'"),
	                 1);
	assert_int_equal(itest_event_count(db_url, "payload::text LIKE '%clown%'"), 0);
	v = staff_call(&server, &clerk, "POST", path,
	               "{\"reason\":\"Withdrawn at the owner's request\"}", NULL, &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "removed")));
	json_decref(v);
	v = establishment(est);
	assert_true(json_is_null(json_walk(v, "reply")));
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", "/api/v1/replies/999999/moderation",
	               "{\"reason\":\"x\"}", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
}

static void test_rerating(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	json_t *v = operator("/api/v1/operator/rerating-requests", "U-1", uk_new.code,
	                     "\"improvements\":\"New hand basin fitted by the bins.\"", &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	char earliest[32];
	staff_ago(3 - 90, 0, earliest);
	earliest[10] = '\0';
	assert_string_equal(json_walk_str(v, "earliest_visit_on"), earliest);
	json_decref(v);
	v = operator("/api/v1/operator/rerating-requests", "U-1", uk_new.code,
	             "\"improvements\":\"Again\"", &st);
	assert_int_equal(st, 409);
	json_decref(v);
	/* On the inspectors' due list, still in the stand-still. */
	v = staff_call(&server, &inspector, "GET", "/api/v1/rerating-requests/due", NULL, NULL,
	               &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "upcoming.0.id"), id);
	assert_int_equal(json_array_size(json_object_get(v, "due")), 0);
	json_decref(v);
	v = staff_call(&server, &hearing, "GET", "/api/v1/rerating-requests/due", NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	char path[96], body[96], early[32];
	snprintf(path, sizeof(path), "/api/v1/rerating-requests/%lld/schedule", id);
	staff_ago(-10, 0, early);
	early[10] = '\0';
	snprintf(body, sizeof(body), "{\"visit_on\":\"%s\"}", early);
	v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/visit_on");
	json_decref(v);
	snprintf(body, sizeof(body), "{\"visit_on\":\"%s\"}", earliest);
	v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "state"), "scheduled");
	json_decref(v);
	/* Move the stand-still into the past: now it is due. */
	itest_sql(db_url, "UPDATE rerating_request SET earliest_visit_on = current_date - 1, "
	                  "visit_on = current_date");
	v = staff_call(&server, &inspector, "GET", "/api/v1/rerating-requests/due", NULL, NULL,
	               &st);
	assert_int_equal(json_walk_int(v, "due.0.id"), id);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/rerating-requests/%lld/inspected", id);
	v = staff_call(&server, &inspector, "POST", path, "{\"inspection_id\":1}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/inspection_id");
	json_decref(v);
	/* Not the inspection the request is about: the visit comes after the request. */
	snprintf(body, sizeof(body), "{\"inspection_id\":%lld}", uk_new.id);
	v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/inspection_id");
	json_decref(v);
	struct report visit = inspect(&inspector, uk_est, "complaint", 0, "");
	snprintf(body, sizeof(body), "{\"inspection_id\":%lld}", visit.id);
	v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "state"), "inspected");
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	/* NYC has no re-rating on request. */
	long long est = new_establishment("nyc", "N-8");
	struct report r = inspect(&inspector, est, "initial", 1, "");
	v = operator("/api/v1/operator/rerating-requests", "N-8", r.code,
	             "\"improvements\":\"All fixed\"", &st);
	assert_int_equal(st, 422);
	json_decref(v);
}

/* Submitting the re-inspection that makes the visit closes the request, and logs it. */
static void test_rerating_closed_by_visit(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk", "U-7");
	struct report rated = inspect(&inspector, est, "initial", 100, "");
	long st;
	json_t *v = operator("/api/v1/operator/rerating-requests", "U-7", rated.code,
	                     "\"improvements\":\"Walk-in cooler repaired.\"", &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	char sql[300];
	struct report visit = inspect(&inspector, est, "reinspection", 0, "");
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM rerating_request WHERE id = %lld AND "
	         "state = 'inspected'"
	         " AND visit_inspection_id = %lld AND inspected_at IS NOT NULL",
	         id, visit.id);
	assert_int_equal(itest_sql_count(db_url, sql), 1);
	snprintf(sql, sizeof(sql),
	         "kind = 'rerating.inspected' AND subject = 'establishment/%lld' AND "
	         "payload->>'request' = '%lld' AND payload->>'inspection' = '%lld'",
	         est, id, visit.id);
	assert_int_equal(itest_event_count(db_url, sql), 1);
	/* The operator sees it; the manual step finds it done. */
	v = operator("/api/v1/operator/report", "U-7", visit.code, "", &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "rerating.state"), "inspected");
	json_decref(v);
	char path[96], body[64];
	snprintf(path, sizeof(path), "/api/v1/rerating-requests/%lld/inspected", id);
	snprintf(body, sizeof(body), "{\"inspection_id\":%lld}", visit.id);
	v = staff_call(&server, &inspector, "POST", path, body, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	/* A new request after the visit is a new one, and stays open until its own visit. */
	v = operator("/api/v1/operator/rerating-requests", "U-7", visit.code,
	             "\"improvements\":\"New flooring.\"", &st);
	assert_int_equal(st, 201);
	json_decref(v);
}

static void test_overdue_list(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "N-9");
	struct report r = inspect(&inspector, est, "initial", 2, "{\"code\":\"04L\",\"points\":5}");
	long st;
	json_t *v = operator("/api/v1/operator/appeals", "N-9", r.code, "\"grounds\":\"Wrong\"",
	                     &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "appeal.id");
	json_decref(v);
	v = staff_call(&server, &supervisor, "GET", "/api/v1/appeals/overdue", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "appeals")), 0);
	json_decref(v);
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "UPDATE appeal SET decision_due = now() - interval '1 day' WHERE id = %lld", id);
	itest_sql(db_url, sql);
	v = staff_call(&server, &supervisor, "GET", "/api/v1/appeals/overdue", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "appeals")), 1);
	assert_int_equal(json_walk_int(v, "appeals.0.id"), id);
	assert_true(json_is_true(json_walk(v, "appeals.0.overdue")));
	assert_string_equal(json_walk_str(v, "appeals.0.establishment.name"), "Cafe N-9");
	json_decref(v);
	v = staff_call(&server, &hearing, "GET", "/api/v1/appeals", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "appeals.0.id"), id);
	json_decref(v);
	v = staff_call(&server, &inspector, "GET", "/api/v1/appeals/overdue", NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", id);
	v = staff_call(&server, &hearing, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "grounds"), "Wrong");
	assert_string_equal(json_walk_str(v, "inspection.violations.0.code"), "04L");
	json_decref(v);
}

static void test_wrong_codes_slowed_down(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "N-6");
	struct report r = inspect(&inspector, est, "initial", 1, "");
	long st;
	/* An unknown licence and a wrong code get the same answer. */
	json_t *v = operator("/api/v1/operator/report", "NO-SUCH", r.code, "", &st);
	assert_int_equal(st, 403);
	char *unknown = strdup(json_walk_str(v, "detail"));
	json_decref(v);
	for (int i = 0; i < 5; i++) {
		v = operator("/api/v1/operator/report", "N-6", "ZZZZZZZZZZ", "", &st);
		assert_int_equal(st, 403);
		assert_string_equal(json_walk_str(v, "field"), "/appeal_code");
		assert_string_equal(json_walk_str(v, "detail"), unknown);
		json_decref(v);
	}
	free(unknown);
	struct itest_response resp;
	char body[200];
	snprintf(body, sizeof(body), "{\"licence_number\":\"N-6\",\"appeal_code\":\"%s\"}", r.code);
	staff_request(&server, NULL, "POST", "/api/v1/operator/report", body, NULL, &resp);
	assert_int_equal(resp.status, 429);
	const char *retry = itest_header(&resp, "Retry-After");
	assert_non_null(retry);
	assert_true(atoi(retry) > 0);
	/* Operator changes are public POSTs: no CORS for them. */
	assert_null(itest_header(&resp, "Access-Control-Allow-Origin"));
	itest_response_free(&resp);
	/* JSON only. */
	const char *h[] = { "Content-Type: text/plain", NULL };
	itest_request(&server, "POST", "/api/v1/operator/report", h, body, strlen(body), &resp);
	assert_int_equal(resp.status, 415);
	itest_response_free(&resp);
}

/* POST a draft of @est by @as (no submit); its id. */
static long long draft(const struct staff_session *as, long long est)
{
	static int key;
	char started[32], body[400], hdr[64];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[]}",
	         est, staff_ago(1, 9, started));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: drafts-%d-%d", (int)getpid(), ++key);
	long st;
	json_t *v = staff_call(&server, as, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	return id;
}

/*
 * The appeal code printed on the report can be made on the tablet, offline, and sent with
 * the submission; a lost report gets a new code, and the old one stops working.
 */
static void test_device_code_and_reissue(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "N-10");
	char path[96];
	long st;
	json_t *v;

	/* Not a code: the wrong length, a look-alike, not a string. */
	long long id = draft(&inspector, est);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/submit", id);
	const char *bad[] = { "{\"appeal_code\":\"ABCDE\"}", "{\"appeal_code\":\"ABCDE-FGHJ0\"}",
		              "{\"appeal_code\":42}", "{\"appeal_code\":\"7KQ2MX9RTD\",\"x\":1}",
		              /* too easy to guess: the alphabet in order, a run, a repeat */
		              "{\"appeal_code\":\"ABCDE-FGHJK\"}",
		              "{\"appeal_code\":\"7KQ2MABCDX\"}",
		              "{\"appeal_code\":\"7K7K7K7K7K\"}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = staff_call(&server, &inspector, "POST", path, bad[i], NULL, &st);
		if (st != 422 && st != 400)
			fail_msg("%s: %ld", bad[i], st);
		assert_non_null(json_walk_str(v, "field"));
		json_decref(v);
	}
	/* As the report printed it (dashes, lower case): accepted, answered normalised. */
	v = staff_call(&server, &inspector, "POST", path, "{\"appeal_code\":\"7kq2m-x9rtd\"}", NULL,
	               &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "appeal_code"), "7KQ2MX9RTD");
	json_decref(v);
	v = operator("/api/v1/operator/report", "N-10", "7KQ2M X9RTD", "", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "inspection.id"), id);
	json_decref(v);

	/* The same code on another report of the establishment: refused, nothing submitted. */
	long long second = draft(&inspector, est);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/submit", second);
	v = staff_call(&server, &inspector, "POST", path, "{\"appeal_code\":\"7KQ2MX9RTD\"}", NULL,
	               &st);
	assert_int_equal(st, 409);
	assert_string_equal(json_walk_str(v, "field"), "/appeal_code");
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/staff/inspections/%lld", second);
	v = staff_call(&server, &inspector, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "status"), "draft");
	json_decref(v);
	/* With "submit" in one request; a code without "submit" is refused. */
	char body[300], hdr[64], started[32];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"complaint\",\"started_at\":\"%s\","
	         "\"violations\":[],\"appeal_code\":\"Q3W7M-K9TRX\"}",
	         est, staff_ago(1, 8, started));
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: device-code-%d", (int)getpid());
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body, hdr, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/appeal_code");
	json_decref(v);

	/* A new code: only by a clerk who had no part in it, with a reason, not for a draft;
	 * the old code stops working. The inspector who made it, another inspector, a
	 * supervisor, a hearing officer: all refused. */
	const char *why = "{\"reason\":\"Operator lost the report; licence seen at the counter\"}";
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", second);
	v = staff_call(&server, &clerk, "POST", path, why, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", id);
	const struct staff_session *refused[] = { &inspector, &inspector2, &supervisor, &hearing };
	for (size_t i = 0; i < 4; i++) {
		v = staff_call(&server, refused[i], "POST", path, why, NULL, &st);
		assert_int_equal(st, 403);
		json_decref(v);
	}
	v = staff_call(&server, &clerk, "POST", path, "{\"why\":\"lost\"}", NULL, &st);
	assert_int_equal(st, 422);
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", path, "{}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/reason");
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", path, "{\"reason\":\"\"}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/reason");
	json_decref(v);
	char fresh[16];
	v = staff_call(&server, &clerk, "POST", path, why, NULL, &st);
	assert_int_equal(st, 201);
	assert_int_equal(json_walk_int(v, "inspection_id"), id);
	snprintf(fresh, sizeof(fresh), "%s", json_walk_str(v, "appeal_code"));
	assert_int_equal(strlen(fresh), 10);
	json_decref(v);
	/* The replaced code shows the report, with the reissue, and acts in nothing. */
	v = operator("/api/v1/operator/report", "N-10", "7KQ2MX9RTD", "", &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "code_replaced")));
	assert_int_equal(json_array_size(json_walk(v, "code_reissues")), 1);
	json_decref(v);
	v = operator("/api/v1/operator/replies", "N-10", "7KQ2MX9RTD", "\"text\":\"Ours\"", &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = operator("/api/v1/operator/report", "N-10", fresh, "", &st);
	assert_int_equal(st, 200);
	assert_false(json_is_true(json_walk(v, "code_replaced")));
	json_decref(v);

	/* Amended, the report keeps its code (an amendment issues none, so whoever amends
	 * holds no code of the operator's); a new code asked for the newest revision replaces
	 * it: no code printed before acts any more, though each still shows the report. */
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/amendments", id);
	v = staff_call(&server, &supervisor, "POST", path,
	               "{\"type\":\"initial\",\"violations\":[],\"reason\":\"Wrong form\"}", NULL,
	               &st);
	assert_int_equal(st, 201);
	long long revision = json_walk_int(v, "id");
	assert_null(json_walk(v, "appeal_code"));
	json_decref(v);
	v = operator("/api/v1/operator/report", "N-10", fresh, "", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "inspection.id"), id);
	assert_int_equal(json_walk_int(v, "inspection.current_revision_id"), revision);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld/appeal-code", revision);
	v = staff_call(&server, &clerk, "POST", path, why, NULL, &st);
	assert_int_equal(st, 201);
	char newest[16];
	snprintf(newest, sizeof(newest), "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);
	v = operator("/api/v1/operator/report", "N-10", fresh, "", &st);
	if (st != 200 || !json_is_true(json_walk(v, "code_replaced")))
		fail_msg("the code %s is not read only: %ld", fresh, st);
	json_decref(v);
	v = operator("/api/v1/operator/appeals", "N-10", fresh, "\"grounds\":\"Mine\"", &st);
	if (st != 403)
		fail_msg("the code %s still acts: %ld", fresh, st);
	json_decref(v);
	v = operator("/api/v1/operator/report", "N-10", newest, "", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "inspection.id"), id);
	json_decref(v);
	/* The record itself did not change: the public inspection is as it was. */
	char sql_buf[200];
	snprintf(sql_buf, sizeof(sql_buf),
	         "kind = 'inspection.appeal_code_reissued' AND subject = "
	         "'inspection/%lld'",
	         id);
	assert_int_equal(itest_event_count(db_url, sql_buf), 1);
	assert_int_equal(itest_event_count(db_url, "kind = 'inspection.appeal_code_reissued' AND "
	                                           "payload::text LIKE '%appeal_code%'"),
	                 0);
	/* The clerk's reason is kept with the reissue, never published. */
	assert_int_equal(itest_event_count(db_url, "payload::text LIKE '%licence seen%'"), 0);
}

/* ---- the hearing officer's evidence, the operator's attachments, the calendar ---------- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* @len bytes of @data in base64, malloc'd. */
static char *base64(const unsigned char *data, size_t len)
{
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)data[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		*o++ = b64chars[(v >> 18) & 63];
		*o++ = b64chars[(v >> 12) & 63];
		*o++ = i + 1 < len ? b64chars[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? b64chars[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* A file of @len bytes starting with @magic (@mlen bytes), the rest filler. */
static unsigned char *file_of(const char *magic, size_t mlen, size_t len)
{
	unsigned char *f = malloc(len);
	memset(f, 'x', len);
	memcpy(f, magic, mlen < len ? mlen : len);
	return f;
}

#define PNG_MAGIC "\x89PNG\r\n\x1a\n"
#define PDF_MAGIC "%PDF-1.4\n"

/* The operator attaches @len bytes of @data named @name (in base64 strings of at most 60000
 * characters, under the JSON decoder's string limit); the answer, the status. */
static json_t *attach(const char *licence, const char *code, const char *name,
                      const unsigned char *data, size_t len, long *status)
{
	char *b = base64(data, len);
	size_t blen = strlen(b);
	struct buf body = BUF_INIT;
	buf_addf(&body,
	         "{\"licence_number\":\"%s\",\"appeal_code\":\"%s\",\"filename\":\"%s\","
	         "\"data\":[",
	         licence, code, name);
	for (size_t i = 0; i < blen; i += 60000) {
		buf_addstr(&body, i ? ",\"" : "\"");
		buf_add(&body, b + i, blen - i < 60000 ? blen - i : 60000);
		buf_addch(&body, '"');
	}
	buf_addstr(&body, "]}");
	json_t *v = staff_call(&server, NULL, "POST", "/api/v1/operator/appeals/attachments",
	                       body.data, NULL, status);
	free(b);
	buf_release(&body);
	return v;
}

/* GET @path as @as (NULL: anonymous) into @r; the status. */
static long get_bytes(const struct staff_session *as, const char *path, struct itest_response *r)
{
	staff_request(&server, as, "GET", path, NULL, NULL, r);
	return r->status;
}

static long long att_appeal, att_est;
static struct staff_session otto;

static void test_staff_view_shows_the_evidence(void **state)
{
	(void)state;
	NEED_DB();
	att_est = new_establishment("uk", "U-EVID-1");
	/* An earlier inspection, for the history the hearing officer reads. */
	struct report old =
	        inspect(&inspector, att_est, "initial", 300, "{\"code\":\"H03\",\"points\":5}");
	/* Otto inspects, then becomes a hearing officer: he must see nothing of the appeal. */
	assert_int_equal(staff_add(db_url, "otto", "inspector", pw, "", NULL), 0);
	assert_int_equal(staff_login(&server, "otto", pw, &otto, NULL), 201);
	char body[1200], started[32], ended[32];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"notes\":\"Back door propped open; staff cooperative.\","
	         "\"readings\":[{\"item\":\"walk-in fridge\",\"value\":9,\"unit\":\"C\"}],"
	         "\"violations\":[{\"code\":\"H03\",\"points\":10,\"observed\":\"No soap at the "
	         "basin\"},{\"code\":\"S02\",\"points\":15}],\"submit\":true}",
	         att_est, staff_ago(2, 9, started), staff_ago(2, 11, ended));
	long st;
	json_t *v = staff_call(&server, &otto, "POST", "/api/v1/inspections", body,
	                       "Idempotency-Key: appeals-evidence-1", &st);
	assert_int_equal(st, 201);
	char code[16];
	snprintf(code, sizeof(code), "%s", json_walk_str(v, "appeal_code"));
	long long id = json_walk_int(v, "id"), s02 = json_walk_int(v, "violations.1.id");
	json_decref(v);
	char more[300];
	snprintf(more, sizeof(more),
	         "\"grounds\":\"Our pest contractor found "
	         "nothing.\",\"contested_violations\":[%lld]",
	         s02);
	v = operator("/api/v1/operator/appeals", "U-EVID-1", code, more, &st);
	assert_int_equal(st, 201);
	att_appeal = json_walk_int(v, "appeal.id");
	/* The operator's full report after filing: what was recorded, their appeal. */
	assert_string_equal(json_walk_str(v, "inspection.violations.0.observed"),
	                    "No soap at the basin");
	assert_string_equal(json_walk_str(v, "inspection.readings.0.item"), "walk-in fridge");
	assert_string_equal(json_walk_str(v, "appeal.grounds"),
	                    "Our pest contractor found nothing.");
	assert_int_equal(json_walk_int(v, "appeal.contested_violations.0"), s02);
	assert_int_equal(json_array_size(json_walk(v, "appeal.attachments")), 0);
	json_decref(v);
	itest_sql(db_url, "UPDATE staff_user SET role = 'hearing_officer' WHERE username = 'otto'");

	char path[96];
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", att_appeal);
	v = staff_call(&server, &hearing, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "inspection.id"), id);
	assert_string_equal(json_walk_str(v, "observations"),
	                    "Back door propped open; staff cooperative.");
	assert_string_equal(json_walk_str(v, "inspection.violations.0.observed"),
	                    "No soap at the basin");
	assert_int_equal(json_walk_int(v, "inspection.violations.1.points"), 15);
	assert_non_null(json_walk_str(v, "inspection.violations.1.description"));
	assert_true(json_number_value(json_walk(v, "inspection.readings.0.value")) == 9);
	assert_true(json_is_array(json_walk(v, "inspection.photos")));
	assert_int_equal(json_walk_int(v, "contested_violations.0"), s02);
	assert_string_equal(json_walk_str(v, "grounds"), "Our pest contractor found nothing.");
	assert_int_equal(json_array_size(json_walk(v, "previous_inspections")), 1);
	assert_int_equal(json_walk_int(v, "previous_inspections.0.id"), old.id);
	assert_int_equal(json_walk_int(v, "previous_inspections.0.score"), 5);
	json_decref(v);
	/* A party to the inspection does not read it. */
	v = staff_call(&server, &otto, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
}

static void test_operator_attachments(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	char code[16];
	long long est = new_establishment("uk", "U-ATT-1");
	struct report rep =
	        inspect(&inspector, est, "initial", 2, "{\"code\":\"H03\",\"points\":10}");
	snprintf(code, sizeof(code), "%s", rep.code);
	unsigned char *png = file_of(PNG_MAGIC, 8, 2000);
	unsigned char *pdf = file_of(PDF_MAGIC, 9, 3000);
	unsigned char *html = file_of("<html><script>", 14, 100);

	/* No appeal yet: nothing to attach to. */
	json_t *v = attach("U-ATT-1", code, "photo.png", png, 2000, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	v = operator("/api/v1/operator/appeals", "U-ATT-1", code,
	             "\"grounds\":\"The basin was in use by a plumber.\"", &st);
	assert_int_equal(st, 201);
	long long appeal = json_walk_int(v, "appeal.id");
	json_decref(v);

	/* The type is told by the content: a PNG named .pdf is a PNG; a web page named .png is
	 * refused, naming the field. */
	v = attach("U-ATT-1", code, "basin.pdf", png, 2000, &st);
	assert_int_equal(st, 201);
	assert_int_equal(json_array_size(json_walk(v, "appeal.attachments")), 1);
	assert_string_equal(json_walk_str(v, "appeal.attachments.0.content_type"), "image/png");
	assert_string_equal(json_walk_str(v, "appeal.attachments.0.filename"), "basin.pdf");
	long long png_id = json_walk_int(v, "appeal.attachments.0.id");
	json_decref(v);
	v = attach("U-ATT-1", code, "invoice.pdf", pdf, 3000, &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_walk_str(v, "appeal.attachments.1.content_type"),
	                    "application/pdf");
	json_decref(v);
	v = attach("U-ATT-1", code, "evil.png", html, 100, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	json_decref(v);
	v = attach("U-ATT-1", code, "a/b.png", png, 2000, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/filename");
	json_decref(v);
	/* One file too large: 413 naming the field. */
	unsigned char *big = file_of(PNG_MAGIC, 8, 768001);
	v = attach("U-ATT-1", code, "big.png", big, 768001, &st);
	assert_int_equal(st, 413);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	json_decref(v);
	/* The count: ten in all, the eleventh refused. */
	for (int i = 2; i < 10; i++) {
		v = attach("U-ATT-1", code, "more.png", png, 2000, &st);
		assert_int_equal(st, 201);
		json_decref(v);
	}
	v = attach("U-ATT-1", code, "eleventh.png", png, 2000, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	assert_non_null(strstr(json_walk_str(v, "detail"), "10 attachments"));
	json_decref(v);

	/* The total: six files of 768000 bytes fit, a seventh passes 5 MiB. */
	long long est2 = new_establishment("uk", "U-ATT-2");
	struct report rep2 =
	        inspect(&inspector, est2, "initial", 2, "{\"code\":\"H03\",\"points\":10}");
	v = operator("/api/v1/operator/appeals", "U-ATT-2", rep2.code,
	             "\"grounds\":\"Photographs of the new basin.\"", &st);
	assert_int_equal(st, 201);
	json_decref(v);
	for (int i = 0; i < 6; i++) {
		v = attach("U-ATT-2", rep2.code, "large.png", big, 768000, &st);
		assert_int_equal(st, 201);
		json_decref(v);
	}
	v = attach("U-ATT-2", rep2.code, "seventh.png", big, 768000, &st);
	assert_int_equal(st, 413);
	assert_string_equal(json_walk_str(v, "field"), "/data");
	assert_non_null(strstr(json_walk_str(v, "detail"), "in all"));
	json_decref(v);

	/* Read back: by the operator with the code, by a hearing officer; bytes and type. */
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/operator/appeals/attachments/%lld", png_id);
	struct itest_response r;
	char b[200];
	snprintf(b, sizeof(b), "{\"licence_number\":\"U-ATT-1\",\"appeal_code\":\"%s\"}", code);
	staff_request(&server, NULL, "POST", path, b, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "image/png");
	assert_int_equal(r.body.len, 2000);
	assert_memory_equal(r.body.data, png, 2000);
	itest_response_free(&r);
	/* Another report's code does not open it. */
	snprintf(b, sizeof(b), "{\"licence_number\":\"U-ATT-2\",\"appeal_code\":\"%s\"}",
	         rep2.code);
	staff_request(&server, NULL, "POST", path, b, NULL, &r);
	assert_int_equal(r.status, 404);
	itest_response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld/attachments/%lld", appeal, png_id);
	assert_int_equal(get_bytes(&hearing, path, &r), 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "image/png");
	assert_memory_equal(r.body.data, png, 2000);
	itest_response_free(&r);
	assert_int_equal(get_bytes(&supervisor, path, &r), 200);
	itest_response_free(&r);
	/* Never public, never another role's, never through another appeal's path. */
	assert_int_equal(get_bytes(NULL, path, &r), 401);
	itest_response_free(&r);
	assert_int_equal(get_bytes(&clerk, path, &r), 403);
	itest_response_free(&r);
	assert_int_equal(get_bytes(&inspector, path, &r), 403);
	itest_response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld/attachments/%lld", att_appeal,
	         png_id);
	assert_int_equal(get_bytes(&hearing, path, &r), 404);
	itest_response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld", appeal);
	assert_int_equal(get_bytes(NULL, path, &r), 200);
	assert_null(strstr(r.body.data, "attachments"));
	assert_null(strstr(r.body.data, "basin.pdf"));
	itest_response_free(&r);
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est);
	assert_int_equal(get_bytes(NULL, path, &r), 200);
	assert_null(strstr(r.body.data, "basin.pdf"));
	itest_response_free(&r);
	/* The log says a file was attached, not its name. */
	assert_true(itest_event_count(db_url, "kind = 'appeal.attachment_added'") == 16);
	assert_int_equal(itest_event_count(db_url, "payload::text LIKE '%basin.pdf%'"), 0);

	/* Once decided, nothing more is attached. */
	assert_int_equal(appeal_step(&hearing, appeal, "review", "{\"action\":\"accept\"}"), 200);
	assert_int_equal(appeal_step(&hearing, appeal, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"The basin was dry.\"}"),
	                 200);
	v = attach("U-ATT-1", code, "late.png", png, 2000, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	free(png);
	free(pdf);
	free(html);
	free(big);
}

/* Whether list @v ({"appeals": [...]}) holds appeal @id. */
static bool lists(json_t *v, long long id)
{
	json_t *a = json_object_get(v, "appeals");
	for (size_t i = 0; i < json_array_size(a); i++)
		if (json_integer_value(json_object_get(json_array_get(a, i), "id")) == id)
			return true;
	return false;
}

static void test_calendar_and_decided(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	char path[200], day[16], body[96];
	time_t t = time(NULL) + 10 * 86400;
	strftime(day, sizeof(day), "%Y-%m-%d", gmtime(&t));
	assert_int_equal(appeal_step(&hearing, att_appeal, "review", "{\"action\":\"accept\"}"),
	                 200);
	snprintf(body, sizeof(body), "{\"hearing_at\":\"%sT10:30:00Z\"}", day);
	assert_int_equal(appeal_step(&hearing, att_appeal, "hearing", body), 200);

	snprintf(path, sizeof(path), "/api/v1/appeals/calendar?from=%s&to=%s", day, day);
	json_t *v = staff_call(&server, &hearing, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_true(lists(v, att_appeal));
	assert_int_equal(json_array_size(json_object_get(v, "appeals")), 1);
	assert_non_null(json_walk_str(v, "appeals.0.hearing_at"));
	assert_string_equal(json_walk_str(v, "appeals.0.establishment.licence_number"), "U-EVID-1");
	json_decref(v);
	/* The default window (from today, four weeks) holds it too. */
	v = staff_call(&server, &supervisor, "GET", "/api/v1/appeals/calendar", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_true(lists(v, att_appeal));
	json_decref(v);
	/* The inspector of it, now a hearing officer, does not see it. */
	v = staff_call(&server, &otto, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_false(lists(v, att_appeal));
	json_decref(v);
	/* Bad dates name the parameter. */
	v = staff_call(&server, &hearing, "GET", "/api/v1/appeals/calendar?from=tomorrow", NULL,
	               NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "from");
	json_decref(v);
	v = staff_call(&server, &hearing, "GET",
	               "/api/v1/appeals/calendar?from=2030-02-01&to=2030-01-01", NULL, NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "to");
	json_decref(v);
	v = staff_call(&server, &hearing, "GET",
	               "/api/v1/appeals/calendar?from=2030-01-01&to=2032-01-01", NULL, NULL, &st);
	assert_int_equal(st, 422);
	json_decref(v);
	v = staff_call(&server, &clerk, "GET", "/api/v1/appeals/calendar", NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);

	/* Decided, then found by establishment, date and outcome, and read in full later. */
	assert_int_equal(appeal_step(&hearing, att_appeal, "decision",
	                             "{\"outcome\":\"upheld\",\"reasons\":\"The photographs show "
	                             "the soap dispenser empty.\"}"),
	                 200);
	char today[16], yesterday[16];
	t = time(NULL);
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&t));
	t -= 86400;
	strftime(yesterday, sizeof(yesterday), "%Y-%m-%d", gmtime(&t));
	const struct {
		const char *query;
		bool found;
	} q[] = {
		{ "establishment=evid-1", true },
		{ "establishment=U-EVID", true },
		{ "establishment=nowhere", false },
		{ "establishment=%25", false },
		{ "outcome=upheld&establishment=U-EVID-1", true },
		{ "outcome=modified&establishment=U-EVID-1", false },
		{ "from=TODAY&establishment=U-EVID-1", true },
		{ "to=YESTERDAY&establishment=U-EVID-1", false },
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		char query[96];
		snprintf(query, sizeof(query), "%s", q[i].query);
		char *p = strstr(query, "TODAY");
		if (p) {
			char rest[96];
			snprintf(rest, sizeof(rest), "%s", p + 5);
			snprintf(p, sizeof(query) - (size_t)(p - query), "%s%s", today, rest);
		}
		p = strstr(query, "YESTERDAY");
		if (p) {
			char rest[96];
			snprintf(rest, sizeof(rest), "%s", p + 9);
			snprintf(p, sizeof(query) - (size_t)(p - query), "%s%s", yesterday, rest);
		}
		snprintf(path, sizeof(path), "/api/v1/appeals/decided?%s", query);
		v = staff_call(&server, &hearing, "GET", path, NULL, NULL, &st);
		assert_int_equal(st, 200);
		if (lists(v, att_appeal) != q[i].found)
			fail_msg("%s: found %d", path, !q[i].found);
		json_decref(v);
	}
	v = staff_call(&server, &otto, "GET", "/api/v1/appeals/decided?establishment=U-EVID-1",
	               NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_false(lists(v, att_appeal));
	json_decref(v);
	v = staff_call(&server, &hearing, "GET", "/api/v1/appeals/decided?outcome=lost", NULL, NULL,
	               &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "outcome");
	json_decref(v);
	v = staff_call(&server, &hearing, "GET", "/api/v1/appeals/decided?limit=0", NULL, NULL,
	               &st);
	assert_int_equal(st, 400);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/staff/appeals/%lld", att_appeal);
	v = staff_call(&server, &hearing, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "outcome"), "upheld");
	assert_non_null(strstr(json_walk_str(v, "reasons"), "soap dispenser"));
	json_decref(v);
}

/* The operator's view says whether the scheme has re-rating visits at all. */
static void test_rerating_offered_only_by_its_scheme(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	long long nyc = new_establishment("nyc", "N-RR-1");
	struct report n = inspect(&inspector, nyc, "initial", 3, "{\"code\":\"10F\",\"points\":2}");
	json_t *v = operator("/api/v1/operator/report", "N-RR-1", n.code, "", &st);
	assert_int_equal(st, 200);
	assert_non_null(json_walk(v, "rerating_window"));
	assert_false(json_is_true(json_walk(v, "rerating_window.available")));
	json_decref(v);
	v = operator("/api/v1/operator/rerating-requests", "N-RR-1", n.code,
	             "\"improvements\":\"New bins.\"", &st);
	assert_true(st >= 400);
	json_decref(v);
	long long uk = new_establishment("uk", "U-RR-1");
	struct report u = inspect(&inspector, uk, "initial", 3, "{\"code\":\"H03\",\"points\":5}");
	v = operator("/api/v1/operator/report", "U-RR-1", u.code, "", &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "rerating_window.available")));
	assert_int_equal(json_walk_int(v, "rerating_window.standstill_days"), 90);
	json_decref(v);
}

static void test_log_shows_every_step(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out, "PLACARD_DATABASE_URL='%s' '%s' verify-log 2>&1", db_url,
	                     itest_bin());
	assert_int_equal(rc, 0);
	buf_release(&out);
	const char *kinds[] = {
		"appeal.filed",          "appeal.under_review", "appeal.hearing_scheduled",
		"appeal.adjourned",      "appeal.decided",      "appeal.withdrawn",
		"inspection.overturned", "inspection.amended",  "grade.issued",
		"reply.published",       "reply.moderated",     "reply.removed",
		"rerating.requested",    "rerating.scheduled",  "rerating.inspected"
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char sql[160];
		snprintf(sql, sizeof(sql), "kind = '%s'", kinds[i]);
		if (itest_event_count(db_url, sql) < 1)
			fail_msg("no %s in the log", kinds[i]);
	}
	/* Grounds stay out of the public log. */
	assert_int_equal(itest_event_count(db_url, "payload::text LIKE '%droppings were old%'"), 0);
	/* Three outcomes of nyc_appeal_id's appeal: filed, reviewed, scheduled, 3 adjourned,
	 * decided. */
	char sql[160];
	snprintf(sql, sizeof(sql), "subject = 'appeal/%lld'", nyc_appeal_id);
	assert_int_equal(itest_event_count(db_url, sql), 7);
}

/* @method @path as @as (NULL: anonymous) read in language @lang; the status in *@status. */
static json_t *call_in(const char *lang, const struct staff_session *as, const char *method,
                       const char *path, const char *body, long *status)
{
	char hdr[64];
	snprintf(hdr, sizeof(hdr), "Accept-Language: %s", lang);
	return staff_call(&server, as, method, path, body, hdr, status);
}

/* The refusal of @method @path in English and in Chinese: the same status, field and code,
 * the detail @en and @zh. */
static void refused_in_both(const struct staff_session *as, const char *method, const char *path,
                            const char *body, long status, const char *field, const char *code,
                            const char *en, const char *zh)
{
	const char *lang[] = { "en", "zh-CN,zh;q=0.9,en;q=0.5" }, *detail[] = { en, zh };
	for (size_t i = 0; i < 2; i++) {
		long st;
		json_t *v = call_in(lang[i], as, method, path, body, &st);
		assert_int_equal(st, status);
		if (field)
			assert_string_equal(json_walk_str(v, "field"), field);
		else
			assert_null(json_walk(v, "field"));
		assert_string_equal(json_walk_str(v, "code"), code);
		assert_string_equal(json_walk_str(v, "detail"), detail[i]);
		json_decref(v);
	}
}

/*
 * A refusal of the records layer comes in the reader's language (Accept-Language), with the
 * same status and field as in English and a code that is the same in every language: no such
 * appeal (404), a step the appeal's state refuses (409), a field at fault (422).
 */
static void test_refusals_in_the_readers_language(void **state)
{
	(void)state;
	NEED_DB();
	refused_in_both(NULL, "GET", "/api/v1/appeals/987654", NULL, 404, NULL,
	                "records.appeal.not_found", "There is no appeal 987654.",
	                "没有申诉 987654。");

	long long est = new_establishment("uk", "U-ZH");
	struct report r =
	        inspect(&inspector, est, "initial", 2, "{\"code\":\"H01\",\"points\":15}");
	char body[400];
	snprintf(body, sizeof(body),
	         "{\"licence_number\":\"U-ZH\",\"appeal_code\":\"%s\",\"grounds\":\"Wrong\","
	         "\"contested_violations\":[987654]}",
	         r.code);
	refused_in_both(NULL, "POST", "/api/v1/operator/appeals", body, 422,
	                "/contested_violations", "records.appeal.contested_not_cited",
	                "Name only violations cited on this inspection.",
	                "只能列出本次检查中认定的违规项。");

	long st;
	json_t *v = operator("/api/v1/operator/appeals", "U-ZH", r.code, "\"grounds\":\"Wrong\"",
	                     &st);
	assert_int_equal(st, 201);
	long long appeal = json_walk_int(v, "appeal.id");
	json_decref(v);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/appeals/%lld/review", appeal);
	const char *late = "{\"action\":\"reject_late\",\"note\":\"Late\"}";
	/* The window's last day, as the English sentence gives it. */
	v = call_in("en", &hearing, "POST", path, late, &st);
	assert_int_equal(st, 409);
	const char *d = strstr(json_walk_str(v, "detail"), "(it closed ");
	assert_non_null(d);
	char closed[64];
	snprintf(closed, sizeof(closed), "%.*s", (int)strcspn(d + 11, ")"), d + 11);
	json_decref(v);
	char en[400], zh[400];
	snprintf(en, sizeof(en),
	         "Appeal %lld was filed within its window (it closed %s): it cannot be closed as "
	         "late. Accept it for review.",
	         appeal, closed);
	snprintf(zh, sizeof(zh),
	         "申诉 %lld 是在申诉期限内提出的（期限截至 %s），不能以逾期为由结案。请受理复核。",
	         appeal, closed);
	refused_in_both(&hearing, "POST", path, late, 409, "/action", "records.appeal.not_late", en,
	                zh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nyc_pending_then_upheld),
		cmocka_unit_test(test_fhrs_previous_rating_then_modified),
		cmocka_unit_test(test_overturned_and_independence),
		cmocka_unit_test(test_withdrawn),
		cmocka_unit_test(test_rejected_late_note),
		cmocka_unit_test(test_late_refused),
		cmocka_unit_test(test_window_counts_from_arrival),
		cmocka_unit_test(test_reply_and_moderation),
		cmocka_unit_test(test_rerating),
		cmocka_unit_test(test_rerating_closed_by_visit),
		cmocka_unit_test(test_overdue_list),
		cmocka_unit_test(test_wrong_codes_slowed_down),
		cmocka_unit_test(test_device_code_and_reissue),
		cmocka_unit_test(test_staff_view_shows_the_evidence),
		cmocka_unit_test(test_operator_attachments),
		cmocka_unit_test(test_calendar_and_decided),
		cmocka_unit_test(test_rerating_offered_only_by_its_scheme),
		cmocka_unit_test(test_refusals_in_the_readers_language),
		cmocka_unit_test(test_log_shows_every_step),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
