/*
 * Records end to end through the API: jurisdictions, establishments, licence actions,
 * inspections from draft to grade, idempotent creation, immutability and amendments, the
 * published schemes, and the tamper-evident log with placard verify-log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/crypto.h"
#include "domain/eventlog.h"
#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector, inspector2, supervisor;
static const char pw[] = "correct horse battery staple";

static int setup(void **state)
{
	(void)state;
	crypto_init();
	if (!itest_have_db())
		return 0;
	itest_db_create("records", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" },
		                 { "clem", "clerk" },
		                 { "ines", "inspector" },
		                 { "ivan", "inspector" },
		                 { "sue", "supervisor" } };
	for (size_t i = 0; i < 5; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	struct staff_session *s[] = { &admin, &clerk, &inspector, &inspector2, &supervisor };
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
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

/* Send and parse; the response body as JSON (caller decrefs), status in *status. */
static long long new_establishment(const char *jurisdiction, const char *licence)
{
	char body[400];
	snprintf(body, sizeof(body),
	         "{\"jurisdiction\":\"%s\",\"licence_number\":\"%s\",\"name\":\"Cafe %s\","
	         "\"address_line\":\"1 Main St\",\"city\":\"Springfield\",\"postcode\":\"10001\","
	         "\"latitude\":40.7,\"longitude\":-73.9,\"cuisine\":\"Cafe\",\"risk_category\":"
	         "\"A\"}",
	         jurisdiction, licence, licence);
	long st;
	json_t *v = staff_call(&server, &clerk, "POST", "/api/v1/establishments", body, NULL, &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	return id;
}

static void test_jurisdictions(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	json_t *v = staff_call(&server, &admin, "POST", "/api/v1/jurisdictions",
	                       "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}",
	                       NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = staff_call(&server, &admin, "POST", "/api/v1/jurisdictions",
	               "{\"code\":\"uk-demo\",\"name\":\"Demo Council\",\"scheme\":\"fhrs\"}", NULL,
	               &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = staff_call(&server, &admin, "POST", "/api/v1/jurisdictions",
	               "{\"code\":\"x\",\"name\":\"X\",\"scheme\":\"secret\"}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/scheme");
	json_decref(v);
	/* A clerk may not create jurisdictions. */
	v = staff_call(&server, &clerk, "POST", "/api/v1/jurisdictions",
	               "{\"code\":\"sf\",\"name\":\"SF\",\"scheme\":\"sf100\"}", NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/jurisdictions", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "jurisdictions")), 2);
	json_decref(v);
}

static void test_schemes_published(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	json_t *v = staff_call(&server, NULL, "GET", "/api/v1/schemes", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "schemes")), 4);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/nyc", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "bands.0.label"), "A");
	assert_int_equal(json_walk_int(v, "bands.0.max"), 13);
	assert_int_equal(json_walk_int(v, "bands.1.min"), 14);
	assert_int_equal(json_walk_int(v, "rules.min_days_before_reinspection"), 7);
	assert_true(json_array_size(json_object_get(v, "violations")) >= 8);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/nope", NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
	/* The database's copy of the catalogue matches the engine's. */
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM scheme "
	                                         "WHERE code IN ('nyc', 'fhrs', "
	                                         "'cn-faces', 'sf100')"),
	                 4);
	assert_true(itest_sql_count(db_url, "SELECT count(*) FROM "
	                                    "scheme_violation WHERE scheme_code = 'nyc'") >= 8);
}

static void test_register_establishment(void **state)
{
	(void)state;
	NEED_DB();
	long long id = new_establishment("nyc", "L-100");
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", id);
	long st;
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "name"), "Cafe L-100");
	assert_string_equal(json_walk_str(v, "grade.state"), "not_yet_graded");
	assert_string_equal(json_walk_str(v, "scheme"), "nyc");
	json_decref(v);

	/* The same licence twice: 409 naming the field; nothing written. */
	long long before = itest_sql_count(db_url, "SELECT count(*) FROM establishment");
	v = staff_call(&server, &clerk, "POST", "/api/v1/establishments",
	               "{\"jurisdiction\":\"nyc\",\"licence_number\":\"L-100\",\"name\":\"Again\"}",
	               NULL, &st);
	assert_int_equal(st, 409);
	assert_string_equal(json_walk_str(v, "field"), "/licence_number");
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", "/api/v1/establishments",
	               "{\"jurisdiction\":\"atlantis\",\"licence_number\":\"L-1\",\"name\":\"X\"}",
	               NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/jurisdiction");
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", "/api/v1/establishments",
	               "{\"jurisdiction\":\"nyc\",\"licence_number\":\"L-2\",\"name\":\"X\","
	               "\"latitude\":95,\"longitude\":1}",
	               NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/latitude");
	json_decref(v);
	v = staff_call(
	        &server, &clerk, "POST", "/api/v1/establishments",
	        "{\"jurisdiction\":\"nyc\",\"licence_number\":\"L-3\",\"name\":\"X\",\"owner\":"
	        "\"Bob\"}",
	        NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/owner");
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", "/api/v1/establishments",
	               "{\"jurisdiction\":\"nyc\",\"licence_number\":\"L-4\",\"name\":\"X\"}", NULL,
	               &st);
	assert_int_equal(st, 403);
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM establishment"), before);

	/* Edit and licence actions. */
	v = staff_call(&server, &clerk, "PATCH", path, "{\"name\":\"Cafe Renamed\"}", NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "name"), "Cafe Renamed");
	json_decref(v);
	char lpath[96];
	snprintf(lpath, sizeof(lpath), "%s/licence-actions", path);
	v = staff_call(&server, &clerk, "POST", lpath, "{\"action\":\"suspended\"}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/reason");
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", lpath,
	               "{\"action\":\"suspended\",\"reason\":\"No hot water\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "status"), "suspended");
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", lpath,
	               "{\"action\":\"reinstated\",\"reason\":\"Fixed\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = staff_call(&server, &clerk, "POST", "/api/v1/establishments/999999/licence-actions",
	               "{\"action\":\"renewed\"}", NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
}

/* The licence history: who may read it, what it holds, newest first, and bad dates. */
static void test_licence_history(void **state)
{
	(void)state;
	NEED_DB();
	long long id = new_establishment("nyc", "L-700"), other = new_establishment("nyc", "L-701");
	char path[96], other_path[96];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld/licence-actions", id);
	snprintf(other_path, sizeof(other_path), "/api/v1/establishments/%lld/licence-actions",
	         other);
	long st;

	/* Clerks, admins and supervisors read it; anonymous 401, other roles 403. */
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 401);
	json_decref(v);
	v = staff_call(&server, &inspector, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	struct staff_session *readers[] = { &clerk, &admin, &supervisor };
	for (size_t i = 0; i < 3; i++) {
		struct itest_response r;
		staff_request(&server, readers[i], "GET", path, NULL, NULL, &r);
		assert_int_equal(r.status, 200);
		assert_string_equal(itest_header(&r, "Cache-Control"), "no-store");
		json_t *empty = json_loads(r.body.data, 0, NULL);
		assert_true(json_is_array(json_object_get(empty, "licence_actions")));
		assert_int_equal(json_array_size(json_object_get(empty, "licence_actions")), 0);
		json_decref(empty);
		itest_response_free(&r);
	}
	v = staff_call(&server, &clerk, "GET", "/api/v1/establishments/999999/licence-actions",
	               NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);

	/* Three actions here, one on another establishment. */
	const char *actions[] = {
		"{\"action\":\"issued\",\"effective_on\":\"2026-01-01\",\"expires_on\":"
		"\"2027-01-01\"}",
		"{\"action\":\"suspended\",\"effective_on\":\"2026-03-02\",\"reason\":\"No hot "
		"water\"}",
		"{\"action\":\"reinstated\",\"effective_on\":\"2026-03-09\",\"reason\":\"Boiler "
		"replaced\"}",
	};
	long long ids[3];
	for (size_t i = 0; i < 3; i++) {
		v = staff_call(&server, &clerk, "POST", path, actions[i], NULL, &st);
		assert_int_equal(st, 201);
		ids[i] = json_walk_int(v, "id");
		json_decref(v);
	}
	v = staff_call(&server, &admin, "POST", other_path,
	               "{\"action\":\"revoked\",\"reason\":\"Closed for good\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);

	v = staff_call(&server, &supervisor, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *list = json_object_get(v, "licence_actions");
	assert_int_equal(json_array_size(list), 3);
	assert_int_equal(json_walk_int(v, "licence_actions.0.id"), ids[2]);
	assert_int_equal(json_walk_int(v, "licence_actions.1.id"), ids[1]);
	assert_int_equal(json_walk_int(v, "licence_actions.2.id"), ids[0]);
	assert_string_equal(json_walk_str(v, "licence_actions.0.action"), "reinstated");
	assert_string_equal(json_walk_str(v, "licence_actions.0.reason"), "Boiler replaced");
	assert_string_equal(json_walk_str(v, "licence_actions.1.action"), "suspended");
	assert_string_equal(json_walk_str(v, "licence_actions.1.effective_on"), "2026-03-02");
	assert_true(json_is_null(json_walk(v, "licence_actions.1.expires_on")));
	assert_string_equal(json_walk_str(v, "licence_actions.2.action"), "issued");
	assert_string_equal(json_walk_str(v, "licence_actions.2.effective_on"), "2026-01-01");
	assert_string_equal(json_walk_str(v, "licence_actions.2.expires_on"), "2027-01-01");
	assert_string_equal(json_walk_str(v, "licence_actions.2.reason"), "");
	assert_non_null(json_walk_str(v, "licence_actions.2.recorded_at"));
	/* Exactly the members documented. */
	const char *members[] = { "id",          "action", "effective_on", "expires_on", "reason",
		                  "recorded_at", NULL };
	json_t *item;
	size_t i;
	json_array_foreach(list, i, item)
	{
		assert_int_equal(json_object_size(item), 6);
		for (size_t k = 0; members[k]; k++)
			assert_non_null(json_object_get(item, members[k]));
	}
	json_decref(v);
	v = staff_call(&server, &clerk, "GET", other_path, NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(v, "licence_actions")), 1);
	assert_string_equal(json_walk_str(v, "licence_actions.0.action"), "revoked");
	json_decref(v);

	/* Bad dates name their field and record nothing. */
	const struct {
		const char *body, *field;
	} bad[] = {
		{ "{\"action\":\"renewed\",\"effective_on\":\"2026-02-30\"}", "/effective_on" },
		{ "{\"action\":\"renewed\",\"effective_on\":\"2025-02-29\"}", "/effective_on" },
		{ "{\"action\":\"renewed\",\"effective_on\":\"1 May 2026\"}", "/effective_on" },
		{ "{\"action\":\"renewed\",\"expires_on\":\"2026-13-01\"}", "/expires_on" },
		{ "{\"action\":\"renewed\",\"effective_on\":\"2026-05-02\",\"expires_on\":"
		  "\"2026-05-01\"}",
		  "/expires_on" },
		/* Today is the default start, which the database supplies. */
		{ "{\"action\":\"renewed\",\"expires_on\":\"2001-01-01\"}", "/expires_on" },
		{ "{\"action\":\"revoked\",\"reason\":\"\"}", "/reason" },
		{ "{\"action\":\"closed\"}", "/action" },
	};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		v = staff_call(&server, &clerk, "POST", path, bad[k].body, NULL, &st);
		if (st != 422 || !json_walk_str(v, "field") ||
		    strcmp(json_walk_str(v, "field"), bad[k].field) != 0)
			fail_msg("%s: %ld %s, want 422 naming %s", bad[k].body, st,
			         json_walk_str(v, "field") ? json_walk_str(v, "field")
			                                   : "(no field)",
			         bad[k].field);
		json_decref(v);
	}
	/* A leap day is a date. */
	v = staff_call(&server, &clerk, "POST", path,
	               "{\"action\":\"renewed\",\"effective_on\":\"2028-02-29\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = staff_call(&server, &clerk, "GET", path, NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(v, "licence_actions")), 4);
	assert_string_equal(json_walk_str(v, "licence_actions.0.action"), "renewed");
	json_decref(v);

	/* Actions follow where the licence stands: 409 naming /action for one that does not
	 * (nothing recorded), and the establishment's status follows those that do. */
	static const struct {
		const char *body;
		long status;
		const char *then; /* the establishment's status afterwards */
	} steps[] = {
		{ "{\"action\":\"reinstated\"}", 409, "active" },
		{ "{\"action\":\"suspended\",\"reason\":\"Rodents\"}", 201, "suspended" },
		{ "{\"action\":\"suspended\",\"reason\":\"Rodents\"}", 409, "suspended" },
		{ "{\"action\":\"issued\"}", 409, "suspended" },
		{ "{\"action\":\"renewed\"}", 201, "suspended" },
		{ "{\"action\":\"revoked\",\"reason\":\"Not fixed\"}", 201, "closed" },
		{ "{\"action\":\"revoked\",\"reason\":\"Not fixed\"}", 409, "closed" },
		{ "{\"action\":\"reinstated\"}", 409, "closed" },
		{ "{\"action\":\"renewed\"}", 409, "closed" },
		{ "{\"action\":\"suspended\",\"reason\":\"x\"}", 409, "closed" },
		{ "{\"action\":\"issued\"}", 201, "active" },
	};
	char est_path[96];
	snprintf(est_path, sizeof(est_path), "/api/v1/establishments/%lld", id);
	size_t recorded = 4;
	for (size_t k = 0; k < sizeof(steps) / sizeof(steps[0]); k++) {
		v = staff_call(&server, &clerk, "POST", path, steps[k].body, NULL, &st);
		if (st != steps[k].status)
			fail_msg("%s: %ld, want %ld", steps[k].body, st, steps[k].status);
		if (st == 409)
			assert_string_equal(json_walk_str(v, "field"), "/action");
		else
			recorded++;
		json_decref(v);
		v = staff_call(&server, NULL, "GET", est_path, NULL, NULL, &st);
		if (strcmp(json_walk_str(v, "status"), steps[k].then) != 0)
			fail_msg("after %s: %s, want %s", steps[k].body, json_walk_str(v, "status"),
			         steps[k].then);
		json_decref(v);
	}
	v = staff_call(&server, &clerk, "GET", path, NULL, NULL, &st);
	assert_int_equal(json_array_size(json_object_get(v, "licence_actions")), recorded);
	json_decref(v);
}

static char *inspection_body(long long est, const char *type, const char *started,
                             const char *violations, bool submit)
{
	char *s = NULL;
	if (asprintf(&s,
	             "{\"establishment_id\":%lld,\"type\":\"%s\",\"started_at\":\"%s\","
	             "\"violations\":[%s],\"submit\":%s}",
	             est, type, started, violations, submit ? "true" : "false") < 0)
		abort();
	return s;
}

/* GET @path with Accept-Language: @lang (NULL: none); the body as JSON, the response's
 * Content-Language in @ret_lang (empty when absent). */
static json_t *get_in(const char *path, const char *lang, char *ret_lang, size_t size)
{
	char header[64];
	const char *headers[] = { header, NULL };
	struct itest_response res;
	snprintf(header, sizeof(header), "Accept-Language: %s", lang ? lang : "");
	itest_request(&server, "GET", path, lang ? headers : NULL, NULL, 0, &res);
	assert_int_equal(res.status, 200);
	const char *cl = itest_header(&res, "Content-Language");
	snprintf(ret_lang, size, "%s", cl ? cl : "");
	json_t *v = json_loadb(res.body.data, res.body.len, 0, NULL);
	assert_non_null(v);
	itest_response_free(&res);
	return v;
}

/* True if @a and @b are the same record but for the sentences a language changes: members named
 * rule, description, label or meaning may hold other text; everything else (codes, scores,
 * dates, identifiers, names, the rule's parts) is equal. */
static bool same_but_sentences(json_t *a, json_t *b)
{
	static const char *const sentences[] = { "rule", "description", "label", "meaning" };
	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!same_but_sentences(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	if (!json_is_object(a))
		return json_equal(a, b);
	if (json_object_size(a) != json_object_size(b))
		return false;
	const char *key;
	json_t *va;
	json_object_foreach(a, key, va)
	{
		json_t *vb = json_object_get(b, key);
		bool sentence = false;
		for (size_t i = 0; i < sizeof(sentences) / sizeof(sentences[0]); i++)
			sentence =
			        sentence || (strcmp(key, sentences[i]) == 0 && json_is_string(va));
		if (!vb || (sentence ? !json_is_string(vb) : !same_but_sentences(va, vb))) {
			fprintf(stderr, "differs at \"%s\"\n", key);
			return false;
		}
	}
	return true;
}

/* A grade's explanation is read in the reader's language: its rule is written again from the
 * parts stored beside it; an explanation stored before it had parts keeps its English. */
static void test_rule_in_the_readers_language(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "L-ZH-1");
	char *body = inspection_body(est, "initial", "2026-03-03T10:00:00Z",
	                             "{\"code\":\"02B\",\"points\":7},"
	                             "{\"code\":\"06C\",\"points\":6}",
	                             true);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	                       "Idempotency-Key: tablet-zh-0001", &st);
	free(body);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	const char *english = "Initial inspection scored 0-13: grade A issued at once.";
	assert_string_equal(json_walk_str(v, "explanation.rule"), english);
	json_t *parts = json_object_get(json_object_get(v, "explanation"), "rule_parts");
	assert_int_equal(json_array_size(parts), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 0), "key")),
	                    "grade.score.points");
	assert_string_equal(json_string_value(json_object_get(json_array_get(parts, 1), "key")),
	                    "grade.rule.graded_points");
	json_decref(v);

	char path[96], lang[32];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	v = get_in(path, NULL, lang, sizeof(lang));
	assert_string_equal(json_walk_str(v, "explanation.rule"), english);
	assert_string_equal(lang, "en");
	json_decref(v);
	v = get_in(path, "zh-CN,zh;q=0.9,en;q=0.5", lang, sizeof(lang));
	assert_string_equal(json_walk_str(v, "explanation.rule"),
	                    "首次检查得分0–13分：当即评为A级。");
	/* The language-neutral parts are as stored, and the rest of the record as before. */
	assert_string_equal(json_walk_str(v, "grade.code"), "A");
	assert_int_equal(json_walk_int(v, "score"), 13);
	assert_int_equal(
	        json_array_size(json_object_get(json_object_get(v, "explanation"), "rule_parts")),
	        2);
	assert_string_equal(lang, "zh-CN");
	json_decref(v);
	/* The staff's view of the same inspection, too. */
	snprintf(path, sizeof(path), "/api/v1/staff/inspections/%lld", id);
	char header[64];
	snprintf(header, sizeof(header), "Accept-Language: zh-CN");
	v = staff_call(&server, &inspector, "GET", path, NULL, header, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "explanation.rule"),
	                    "首次检查得分0–13分：当即评为A级。");
	json_decref(v);

	/* The language changes the words, never the record: the inspection, the establishment and
	 * its history read in Chinese are the English ones but for their sentences. */
	const char *paths[3];
	char est_path[96], history_path[96];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	snprintf(est_path, sizeof(est_path), "/api/v1/establishments/%lld", est);
	snprintf(history_path, sizeof(history_path), "/api/v1/establishments/%lld/inspections",
	         est);
	paths[0] = path;
	paths[1] = est_path;
	paths[2] = history_path;
	for (size_t i = 0; i < 3; i++) {
		json_t *en = get_in(paths[i], "en", lang, sizeof(lang));
		json_t *zh = get_in(paths[i], "zh-CN", lang, sizeof(lang));
		assert_true(same_but_sentences(en, zh));
		if (i == 0)
			assert_false(json_equal(en, zh)); /* the rule, at least, is in Chinese */
		json_decref(en);
		json_decref(zh);
	}

	/* Stored before explanations kept their parts: the English as stored. (A submitted
	 * inspection never changes: its triggers are set aside to make one as it was stored.) */
	char sql[240];
	snprintf(sql, sizeof(sql),
	         "SET session_replication_role = replica; UPDATE inspection"
	         " SET explanation = explanation - 'rule_parts' WHERE id = %lld",
	         id);
	itest_sql(db_url, sql);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	v = get_in(path, "zh-CN", lang, sizeof(lang));
	assert_string_equal(json_walk_str(v, "explanation.rule"), english);
	assert_null(json_object_get(json_object_get(v, "explanation"), "rule_parts"));
	json_decref(v);
}

static void test_inspect_grade_and_replay(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "L-200");
	char *body =
	        inspection_body(est, "initial", "2026-03-02T10:00:00Z",
	                        "{\"code\":\"04L\",\"points\":5,\"observed\":\"Droppings by the "
	                        "flour bins\"},{\"code\":\"10F\",\"points\":2}",
	                        true);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	                       "Idempotency-Key: tablet-1-0001", &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	assert_true(id > 0);
	assert_string_equal(json_walk_str(v, "status"), "submitted");
	assert_int_equal(json_walk_int(v, "score"), 7);
	assert_string_equal(json_walk_str(v, "grade.code"), "A");
	assert_string_equal(json_walk_str(v, "explanation.band.code"), "A");
	assert_int_equal(
	        json_array_size(json_object_get(json_object_get(v, "explanation"), "counted")), 2);
	assert_non_null(json_walk_str(v, "explanation.rule"));
	const char *appeal = json_walk_str(v, "appeal_code");
	assert_non_null(appeal);
	assert_int_equal(strlen(appeal), 10);
	char code[16];
	snprintf(code, sizeof(code), "%s", appeal);
	/* The answer kept for a retry does not hold the appeal code (only its hash is kept). */
	char kept[256];
	snprintf(kept, sizeof(kept),
	         "SELECT count(*) FROM idempotency_key WHERE key = 'tablet-1-0001'"
	         " AND response LIKE '%%%s%%'",
	         code);
	assert_int_equal(itest_sql_count(db_url, kept), 0);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM idempotency_key"
	                                         " WHERE key = 'tablet-1-0001'"),
	                 1);
	json_object_del(v, "appeal_code");
	char *first = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);

	/* The same key and body: the first answer again, without the appeal code, and still
	 * one inspection. */
	long long n = itest_sql_count(db_url, "SELECT count(*) FROM inspection");
	struct itest_response r;
	staff_request(&server, &inspector, "POST", "/api/v1/inspections", body,
	              "Idempotency-Key: tablet-1-0001", &r);
	assert_int_equal(r.status, 201);
	assert_string_equal(itest_header(&r, "Idempotent-Replayed"), "true");
	v = json_loads(r.body.data, 0, NULL);
	assert_null(json_object_get(v, "appeal_code"));
	char *again = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(first, again);
	json_decref(v);
	itest_response_free(&r);
	free(first);
	free(again);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM inspection"), n);

	/* The same key with another body is refused. */
	char *other = inspection_body(est, "initial", "2026-03-02T10:00:00Z", "", true);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", other,
	               "Idempotency-Key: tablet-1-0001", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "Idempotency-Key");
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", other, NULL, &st);
	assert_int_equal(st, 428);
	json_decref(v);
	free(other);
	free(body);

	/* The public record: grade A resting on this inspection, violations in plain words. */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "grade.state"), "graded");
	assert_string_equal(json_walk_str(v, "grade.code"), "A");
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), id);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "violations.0.code"), "04L");
	assert_non_null(strstr(json_walk_str(v, "violations.0.description"), "mice"));
	assert_null(json_object_get(v, "inspector_id"));
	assert_null(json_object_get(v, "appeal_code"));
	json_decref(v);

	/* A submitted inspection cannot be edited, by the API or by SQL. */
	v = staff_call(&server, &inspector, "PATCH", path,
	               "{\"type\":\"initial\",\"violations\":[]}", NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	char sql[160];
	snprintf(sql, sizeof(sql), "UPDATE inspection SET score = 0 WHERE id = %lld", id);
	assert_int_not_equal(itest_shell(NULL, "psql -Xqc '%s' '%s' 2>/dev/null", sql, db_url), 0);
	snprintf(sql, sizeof(sql), "SELECT score FROM inspection WHERE id = %lld", id);
	assert_int_equal(itest_sql_count(db_url, sql), 7);

	/* Nor its violations: none added (checked once per statement, over every row it
	 * inserts), changed or removed. */
	char vsql[320];
	snprintf(vsql, sizeof(vsql), "SELECT count(*) FROM violation WHERE inspection_id = %lld",
	         id);
	long long nviol = itest_sql_count(db_url, vsql);
	assert_true(nviol > 0);
	const char *changes[] = {
		"INSERT INTO violation (inspection_id, scheme_code, code, points, position)"
		" SELECT inspection_id, scheme_code, code, points, position + 100"
		" FROM violation WHERE inspection_id = ",
		"UPDATE violation SET observed = 'changed' WHERE inspection_id = ",
		"DELETE FROM violation WHERE inspection_id = ",
	};
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		char change[320];
		snprintf(change, sizeof(change), "%s%lld", changes[i], id);
		assert_int_not_equal(
		        itest_shell(NULL, "psql -Xqc \"%s\" '%s' 2>/dev/null", change, db_url), 0);
	}
	assert_int_equal(itest_sql_count(db_url, vsql), nviol);
	snprintf(vsql, sizeof(vsql),
	         "SELECT count(*) FROM violation WHERE inspection_id = %lld"
	         " AND (observed = 'changed' OR position > 100)",
	         id);
	assert_int_equal(itest_sql_count(db_url, vsql), 0);
}

/*
 * An edit refused after the draft was locked (by the scheme, by the separation of duties)
 * leaves nothing locked or open: the next edit of the same draft goes through. A stale edit
 * is answered with the draft's current version as its ETag, and its conflict is kept.
 */
static void test_refused_edits_release_the_draft(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "L-250");
	char *body = inspection_body(est, "initial", "2026-03-03T10:00:00Z", "", false);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	                       "Idempotency-Key: release-0001", &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "id");
	long long version = json_walk_int(v, "version");
	json_decref(v);
	free(body);
	char path[64], ifm[64], etag[32];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", id);
	snprintf(ifm, sizeof(ifm), "If-Match: \"%lld\"", version);
	const char *bad = "{\"type\":\"initial\",\"violations\":[{\"code\":\"99Z\"}]}";
	const char *good = "{\"type\":\"initial\",\"violations\":[{\"code\":\"10F\"}]}";
	for (int i = 0; i < 3; i++) {
		v = staff_call(&server, &inspector, "PATCH", path, bad, ifm, &st);
		assert_int_equal(st, 422);
		assert_string_equal(json_walk_str(v, "field"), "/violations/0/code");
		json_decref(v);
		v = staff_call(&server, &inspector2, "PATCH", path, good, ifm, &st);
		assert_int_equal(st, 403);
		json_decref(v);
	}
	struct itest_response r;
	staff_request(&server, &inspector, "PATCH", path, good, ifm, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(itest_header(&r, "ETag"));
	snprintf(etag, sizeof(etag), "%s", itest_header(&r, "ETag"));
	assert_string_not_equal(etag, ifm + strlen("If-Match: "));
	itest_response_free(&r);
	staff_request(&server, &inspector, "PATCH", path, good, ifm, &r);
	assert_int_equal(r.status, 412);
	assert_non_null(itest_header(&r, "ETag"));
	assert_string_equal(itest_header(&r, "ETag"), etag);
	itest_response_free(&r);
	char spath[96];
	snprintf(spath, sizeof(spath), "/api/v1/staff/inspections/%lld", id);
	v = staff_call(&server, &inspector, "GET", spath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "conflicts")), 1);
	assert_string_equal(json_walk_str(v, "violations.0.code"), "10F");
	json_decref(v);
}

static void test_bad_inspections_change_nothing(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "L-300");
	long long before = itest_sql_count(db_url, "SELECT count(*) FROM inspection");
	const struct {
		const char *violations;
		const char *field;
	} cases[] = {
		{ "{\"code\":\"99Z\"}", "/violations/0/code" },
		{ "{\"code\":\"04L\",\"points\":-3}", "/violations/0/points" },
		{ "{\"code\":\"10F\",\"points\":2},{\"code\":\"04L\",\"points\":50}",
		  "/violations/1/points" },
		{ "{\"code\":\"04L\",\"colour\":\"red\"}", "/violations/0/colour" },
		{ "{\"code\":7}", "/violations/0/code" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *body = inspection_body(est, "initial", "2026-03-02T10:00:00Z",
		                             cases[i].violations, true);
		char key[64];
		snprintf(key, sizeof(key), "Idempotency-Key: bad-%zu", i);
		long st;
		json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
		                       key, &st);
		assert_int_equal(st, 422);
		assert_string_equal(json_walk_str(v, "field"), cases[i].field);
		json_decref(v);
		free(body);
	}
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections",
	                       "{\"establishment_id\":1,\"type\":\"audit\"}",
	                       "Idempotency-Key: bad-t", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/type");
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections",
	               "{\"establishment_id\":999999,\"type\":\"initial\"}",
	               "Idempotency-Key: bad-e", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/establishment_id");
	json_decref(v);
	/* FHRS element scores on a NYC establishment. */
	char body[200];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"elements\":{\"hygiene\":5,"
	         "\"structural\":5,\"management\":5}}",
	         est);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: bad-el", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/elements");
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM inspection"), before);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM "
	                                         "idempotency_key WHERE key LIKE 'bad-%'"),
	                 0);
}

static void test_nyc_cycle(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("nyc", "L-400");
	/* Initial at 20 points: no grade yet. */
	char *body = inspection_body(
	        est, "initial", "2026-04-01T10:00:00Z",
	        "{\"code\":\"02B\",\"points\":10},{\"code\":\"04L\",\"points\":10}", true);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	                       "Idempotency-Key: c-1", &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_walk_str(v, "grade.outcome"), "no-grade");
	json_decref(v);
	free(body);
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "grade.state"), "not_yet_graded");
	json_decref(v);
	/* Re-inspection too soon: refused. */
	body = inspection_body(est, "reinspection", "2026-04-05T10:00:00Z",
	                       "{\"code\":\"04L\",\"points\":20}", true);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: c-2", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/started_at");
	json_decref(v);
	free(body);
	/* Draft first, edited, then submitted by its inspector; another inspector may not. */
	body = inspection_body(est, "reinspection", "2026-04-09T10:00:00Z",
	                       "{\"code\":\"04L\",\"points\":5}", false);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: c-3", &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_walk_str(v, "status"), "draft");
	long long id = json_walk_int(v, "id");
	json_decref(v);
	free(body);
	char ipath[96];
	snprintf(ipath, sizeof(ipath), "/api/v1/inspections/%lld", id);
	const char *edit = "{\"type\":\"reinspection\",\"started_at\":\"2026-04-09T10:00:00Z\","
	                   "\"violations\":[{\"code\":\"04L\",\"points\":12},"
	                   "{\"code\":\"08A\",\"points\":4}]}";
	v = staff_call(&server, &inspector2, "PATCH", ipath, edit, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, &inspector, "PATCH", ipath, edit, "If-Match: \"1\"", &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "violations")), 2);
	json_decref(v);
	/* Not public while a draft. */
	v = staff_call(&server, NULL, "GET", ipath, NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
	char spath[128];
	snprintf(spath, sizeof(spath), "%s/submit", ipath);
	v = staff_call(&server, &inspector, "POST", spath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "score"), 16);
	assert_string_equal(json_walk_str(v, "grade.code"), "B");
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", spath, NULL, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "grade.code"), "B");
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), id);
	json_decref(v);

	/* An amendment with a reason: the original stays, the grade follows the correction. */
	char apath[128];
	snprintf(apath, sizeof(apath), "%s/amendments", ipath);
	v = staff_call(
	        &server, &supervisor, "POST", apath,
	        "{\"type\":\"reinspection\",\"violations\":[{\"code\":\"04L\",\"points\":12}],"
	        "\"reason\":\"08A was recorded against the wrong establishment\"}",
	        NULL, &st);
	assert_int_equal(st, 201);
	long long amended = json_walk_int(v, "id");
	assert_int_equal(json_walk_int(v, "revision"), 2);
	assert_int_equal(json_walk_int(v, "amends_inspection_id"), id);
	assert_string_equal(json_walk_str(v, "grade.code"), "A");
	json_decref(v);
	v = staff_call(&server, NULL, "GET", ipath, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "score"), 16);
	assert_int_equal(json_walk_int(v, "amended_by_inspection_id"), amended);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "grade.code"), "A");
	assert_int_equal(json_walk_int(v, "grade.inspection_id"), amended);
	json_decref(v);
	v = staff_call(&server, &supervisor, "POST", apath,
	               "{\"type\":\"reinspection\",\"violations\":[],\"reason\":\"again\"}", NULL,
	               &st);
	assert_int_equal(st, 409);
	json_decref(v);
	v = staff_call(&server, &supervisor, "POST", apath,
	               "{\"type\":\"reinspection\",\"violations\":[]}", NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/reason");
	json_decref(v);
}

static void test_fhrs_rating(void **state)
{
	(void)state;
	NEED_DB();
	long long est = new_establishment("uk-demo", "UK-1");
	char body[300];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":"
	         "\"2026-02-01T09:00:00Z\",\"elements\":{\"hygiene\":10,\"structural\":5,"
	         "\"management\":10},\"submit\":true}",
	         est);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	                       "Idempotency-Key: uk-1", &st);
	assert_int_equal(st, 201);
	assert_int_equal(json_walk_int(v, "score"), 25);
	assert_string_equal(json_walk_str(v, "grade.code"), "3");
	assert_int_equal(json_walk_int(v, "explanation.elements.hygiene"), 10);
	json_decref(v);
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"elements\":{\"hygiene\":7,"
	         "\"structural\":5,\"management\":10}}",
	         est);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: uk-2", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/elements/hygiene");
	json_decref(v);
	/* A violation's contribution to an element must be one of the element's scores. */
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"violations\":"
	         "[{\"code\":\"H01\",\"points\":7}]}",
	         est);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: uk-4", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/violations/0/points");
	json_decref(v);
	/* A re-rating visit inside the 90-day stand-still is refused, and says so. */
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"reinspection\",\"started_at\":"
	         "\"2026-03-01T09:00:00Z\",\"elements\":{\"hygiene\":0,\"structural\":0,"
	         "\"management\":0},\"submit\":true}",
	         est);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: uk-3", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/started_at");
	assert_non_null(strstr(json_walk_str(v, "detail"), "at least 90 days"));
	json_decref(v);
}

/* Idempotency keys go after 30 days: the housekeeping removes them when a server starts. */
static void test_idempotency_keys_expire(void **state)
{
	(void)state;
	NEED_DB();
	itest_sql(db_url,
	          "INSERT INTO idempotency_key (user_id, key, request_hash, status, response,"
	          " created_at) SELECT id, k, 'h', 201, '{}', now() - d * interval '1 day'"
	          " FROM staff_user, (VALUES ('expiry-old', 40), ('expiry-edge', 29),"
	          " ('expiry-new', 0)) v(k, d) ORDER BY id LIMIT 3");
	struct itest_server s;
	itest_server_start(&s, db_url, NULL);
	long long left = -1;
	for (int i = 0; i < 100; i++) {
		left = itest_sql_count(db_url, "SELECT count(*) FROM idempotency_key WHERE key = "
		                               "'expiry-old'");
		if (left == 0)
			break;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	assert_int_equal(left, 0);
	assert_int_equal(itest_sql_count(db_url,
	                                 "SELECT count(*) FROM idempotency_key WHERE key IN "
	                                 "('expiry-edge', 'expiry-new')"),
	                 2);
	assert_int_equal(itest_server_stop(&s), 0);
}

/* An entry of GET /api/v1/log as eventlog_check() takes it (strings borrowed from @e). */
static struct eventlog_entry published_entry(json_t *e)
{
	return (struct eventlog_entry){
		.seq = json_integer_value(json_object_get(e, "seq")),
		.prev_hash = json_string_value(json_object_get(e, "prev_hash")),
		.occurred_at = json_string_value(json_object_get(e, "occurred_at")),
		.kind = json_string_value(json_object_get(e, "kind")),
		.subject = json_string_value(json_object_get(e, "subject")),
		.payload = json_string_value(json_object_get(e, "payload_text")),
		.hash = json_string_value(json_object_get(e, "hash")),
	};
}

static void test_log_chain_and_tampering(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out, "PLACARD_DATABASE_URL='%s' '%s' verify-log 2>&1", db_url,
	                     itest_bin());
	assert_int_equal(rc, 0);
	assert_non_null(strstr(out.data, "verified"));
	buf_truncate(&out, 0);

	long st;
	json_t *v =
	        staff_call(&server, NULL, "GET", "/api/v1/log?after=0&limit=1000", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *entries = json_object_get(v, "entries");
	assert_true(json_array_size(entries) > 10);
	bool kinds[4] = { false };
	size_t i;
	json_t *e;
	json_array_foreach(entries, i, e)
	{
		const char *k = json_string_value(json_object_get(e, "kind"));
		kinds[0] |= strcmp(k, "establishment.registered") == 0;
		kinds[1] |= strcmp(k, "inspection.submitted") == 0;
		kinds[2] |= strcmp(k, "grade.issued") == 0;
		kinds[3] |= strcmp(k, "inspection.amended") == 0;
		/* Nothing personal: no staff names in public entries. */
		char *text = json_dumps(e, 0);
		assert_null(strstr(text, "ines"));
		free(text);
	}
	assert_true(kinds[0] && kinds[1] && kinds[2] && kinds[3]);
	/* Anyone can check the chain from what is published, with nothing but SHA-256. */
	char prev[SHA256_HEX_LEN + 1];
	snprintf(prev, sizeof(prev), "%s", eventlog_genesis);
	json_array_foreach(entries, i, e)
	{
		struct eventlog_entry le = published_entry(e);
		assert_int_equal(eventlog_check(&le, (long long)i, prev), EVENTLOG_OK);
		snprintf(prev, sizeof(prev), "%s", le.hash);
	}
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/log/head", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(strlen(json_walk_str(v, "hash")), 64);
	json_decref(v);
	/* No cache may answer for the log: pages and head are asked again at every use. */
	const char *log_paths[] = { "/api/v1/log?after=0&limit=5", "/api/v1/log/head" };
	for (size_t k = 0; k < 2; k++) {
		struct itest_response lr;
		itest_get(&server, log_paths[k], &lr);
		assert_int_equal(lr.status, 200);
		assert_string_equal(itest_header(&lr, "Cache-Control"), "no-cache");
		itest_response_free(&lr);
	}
	v = staff_call(&server, NULL, "GET", "/api/v1/log?after=-1", NULL, NULL, &st);
	assert_int_equal(st, 400);
	json_decref(v);

	/* The database refuses to change the log. */
	assert_int_not_equal(
	        itest_shell(NULL,
	                    "psql -Xqc \"UPDATE event_log SET kind = 'x' WHERE seq = 1\" "
	                    "'%s' 2>/dev/null",
	                    db_url),
	        0);
	assert_int_not_equal(
	        itest_shell(NULL, "psql -Xqc 'DELETE FROM event_log' '%s' 2>/dev/null", db_url), 0);
	/* A superuser who goes around the trigger is caught by verify-log, at that entry. */
	assert_int_equal(
	        itest_shell(NULL,
	                    "psql -Xq -c 'ALTER TABLE event_log DISABLE TRIGGER USER' "
	                    "-c \"UPDATE event_log SET payload = jsonb_set(payload, '{score}', "
	                    "'0') WHERE seq = (SELECT min(seq) FROM event_log WHERE kind = "
	                    "'inspection.submitted')\" "
	                    "-c 'ALTER TABLE event_log ENABLE TRIGGER USER' '%s'",
	                    db_url),
	        0);
	long long bad = itest_sql_count(
	        db_url, "SELECT min(seq) FROM event_log WHERE kind = 'inspection.submitted'");
	rc = itest_shell(&out, "PLACARD_DATABASE_URL='%s' '%s' verify-log 2>&1", db_url,
	                 itest_bin());
	assert_int_equal(rc, 1);
	char expect[64];
	snprintf(expect, sizeof(expect), "entry %lld is broken", bad);
	assert_non_null(strstr(out.data, expect));
	buf_release(&out);
}

/* ---------------------------------------------------------------------------------------- */
/* Tampering with each stored column of a log entry, one at a time.                         */

/* placard verify-log's exit status, its output in @out (emptied first). */
static int verify_log(struct buf *out)
{
	buf_truncate(out, 0);
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' '%s' verify-log 2>&1", db_url,
	                   itest_bin());
}

/*
 * Recompute the chain from GET /api/v1/log as anyone can, with nothing but SHA-256. Returns
 * the entry verify-log would name as the first broken one and its fault in @ret_fault, or
 * 0 when the chain holds.
 */
static long long published_break(enum eventlog_fault *ret_fault)
{
	long st;
	json_t *v =
	        staff_call(&server, NULL, "GET", "/api/v1/log?after=0&limit=1000", NULL, NULL, &st);
	assert_int_equal(st, 200);
	json_t *entries = json_object_get(v, "entries");
	assert_true(json_array_size(entries) < 1000);
	char prev[SHA256_HEX_LEN + 1];
	snprintf(prev, sizeof(prev), "%s", eventlog_genesis);
	long long prev_seq = 0, broken = 0;
	size_t i;
	json_t *e;
	*ret_fault = EVENTLOG_OK;
	json_array_foreach(entries, i, e)
	{
		struct eventlog_entry le = published_entry(e);
		enum eventlog_fault f = eventlog_check(&le, prev_seq, prev);
		if (f != EVENTLOG_OK) {
			broken = prev_seq + 1;
			*ret_fault = f;
			break;
		}
		prev_seq = le.seq;
		snprintf(prev, sizeof(prev), "%s", le.hash);
	}
	json_decref(v);
	return broken;
}

/* 64 hex digits, and 64 characters of which one is not a hex digit. */
#define EVENTLOG_TEST_HASH "5f2a0000000000000000000000000000000000000000000000000000000000ab"
#define EVENTLOG_TEST_HASH_NOT_HEX                                                                 \
	"5f2a0000000000000000000000000000000000000000000000000000000000ag"

/* The entry tampered with: (SELECT seq FROM log_target), one in the middle of the chain. */
#define TARGET "(SELECT seq FROM log_target)"
/* @col with its last hex digit changed. */
#define FLIP(col) "left(" col ", 63) || CASE right(" col ", 1) WHEN '0' THEN '1' ELSE '0' END"

static const struct log_tamper {
	const char *what;
	const char *sql;           /* run with event_log's append-only triggers disabled */
	int at;                    /* the entry verify-log names: the target + @at */
	enum eventlog_fault fault; /* and what it finds wrong there */
} log_tampers[] = {
	{ "kind", "UPDATE event_log SET kind = 'inspection.amended' WHERE seq = " TARGET, 0,
	  EVENTLOG_BAD_HASH },
	{ "subject",
	  "UPDATE event_log e SET subject = (SELECT min(subject) FROM event_log o"
	  " WHERE o.subject <> e.subject) WHERE seq = " TARGET,
	  0, EVENTLOG_BAD_HASH },
	{ "occurred_at",
	  "UPDATE event_log SET occurred_at = occurred_at + interval '1 microsecond'"
	  " WHERE seq = " TARGET,
	  0, EVENTLOG_BAD_HASH },
	{ "payload",
	  "UPDATE event_log SET payload = jsonb_set(payload, '{score}',"
	  " to_jsonb((payload->>'score')::int + 1)) WHERE seq = " TARGET,
	  0, EVENTLOG_BAD_HASH },
	{ "prev_hash", "UPDATE event_log SET prev_hash = " FLIP("prev_hash") " WHERE seq = " TARGET,
	  0, EVENTLOG_BAD_LINK },
	{ "hash", "UPDATE event_log SET hash = " FLIP("hash") " WHERE seq = " TARGET, 0,
	  EVENTLOG_BAD_HASH },
	/* A changed entry given a hash that matches its new content breaks the next link. */
	{ "kind with the hash recomputed",
	  "UPDATE event_log SET kind = 'inspection.amended' WHERE seq = " TARGET ";"
	  "UPDATE event_log SET hash = encode(digest(event_canonical(seq, prev_hash,"
	  " occurred_at, kind, subject, payload), 'sha256'), 'hex') WHERE seq = " TARGET,
	  1, EVENTLOG_BAD_LINK },
	{ "seq (moved to the end)",
	  "UPDATE event_log SET seq = (SELECT max(seq) + 1 FROM event_log) WHERE seq = " TARGET, 0,
	  EVENTLOG_BAD_SEQ },
	{ "seq (swapped with the next entry's)",
	  "UPDATE event_log SET seq = 1000000000 WHERE seq = " TARGET ";"
	  "UPDATE event_log SET seq = seq - 1 WHERE seq = " TARGET " + 1;"
	  "UPDATE event_log SET seq = " TARGET " + 1 WHERE seq = 1000000000",
	  0, EVENTLOG_BAD_LINK },
	{ "entry deleted", "DELETE FROM event_log WHERE seq = " TARGET, 0, EVENTLOG_BAD_SEQ },
	{ "entry deleted and the later ones renumbered",
	  "DELETE FROM event_log WHERE seq = " TARGET ";"
	  "UPDATE event_log SET seq = seq + 1000000000 WHERE seq > " TARGET ";"
	  "UPDATE event_log SET seq = seq - 1000000001 WHERE seq > 1000000000",
	  0, EVENTLOG_BAD_LINK },
};

/* Run @sql on the test database with event_log's append-only triggers off, in one
 * transaction: no other connection sees them off. */
static void log_tamper_sql(const char *sql)
{
	struct buf q = BUF_INIT;
	buf_addf(&q,
	         "BEGIN; ALTER TABLE event_log DISABLE TRIGGER USER; %s;"
	         " ALTER TABLE event_log ENABLE TRIGGER USER; COMMIT",
	         sql);
	itest_sql(db_url, q.data);
	buf_release(&q);
}

/* The hashed fields are joined by newlines: a kind or subject holding one is refused. */
static void test_log_fields_hold_no_newline(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	const char *bad[] = { "SELECT event_append('test.kind', E'inspection/1\\nx', '{}')",
		              "SELECT event_append('test.kind', E'inspection/1\\r', '{}')",
		              "SELECT event_append(E'test\\nkind', 'inspection/1', '{}')" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = itest_shell(&out, "psql -X -q -v ON_ERROR_STOP=1 '%s' -c \"%s\" 2>&1",
		                     db_url, bad[i]);
		if (rc == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(out.data, "violates check constraint"));
	}
	/* Straight into event_log (as someone bypassing event_append would): refused too. */
	int rc = itest_shell(&out,
	                     "psql -X -q -v ON_ERROR_STOP=1 '%s' -c \"INSERT INTO event_log "
	                     "(seq, occurred_at, kind, subject, payload, prev_hash, hash) VALUES "
	                     "(999999, now(), 'test.kind', E'a\\nb', '{}', 'x', 'y')\" 2>&1",
	                     db_url);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(out.data, "event_log_fields_one_line"));
	buf_release(&out);
}

static void test_log_tampering_each_field(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	assert_int_equal(verify_log(&out), 0);
	/* Keep a copy of the sealed log to undo each change from. */
	itest_sql(db_url, "DROP TABLE IF EXISTS log_copy, log_target;"
	                  " CREATE TABLE log_copy AS SELECT * FROM event_log;"
	                  " CREATE TABLE log_target AS SELECT min(seq) AS seq FROM event_log"
	                  " WHERE kind = 'inspection.submitted' AND payload ? 'score'");
	long long n = itest_sql_count(db_url, "SELECT count(*) FROM log_copy");
	long long target = itest_sql_count(db_url, "SELECT seq FROM log_target");
	assert_true(target > 1 && target + 1 < n);
	assert_int_equal(itest_sql_count(db_url, "SELECT max(seq) FROM log_copy"), n);
	char intact[64];
	snprintf(intact, sizeof(intact), "%lld entries verified", n);

	/* Every case runs, undone before the next; each one not caught is printed, and the test
	 * fails at the end. */
	int missed = 0;
	for (size_t i = 0; i < sizeof(log_tampers) / sizeof(log_tampers[0]); i++) {
		const struct log_tamper *t = &log_tampers[i];
		log_tamper_sql(t->sql);
		/* The change happened... */
		if (itest_sql_count(db_url,
		                    "SELECT count(*) FROM ((SELECT * FROM event_log EXCEPT"
		                    " SELECT * FROM log_copy) UNION ALL (SELECT * FROM log_copy"
		                    " EXCEPT SELECT * FROM event_log)) d") == 0) {
			print_error("%s: the tampering changed nothing\n", t->what);
			missed++;
		}
		/* ...and verify-log names the entry where the chain stops holding, and why. */
		long long at = target + t->at;
		char expect[160];
		snprintf(expect, sizeof(expect), "entry %lld is broken: %s", at,
		         eventlog_fault_text(t->fault));
		int rc = verify_log(&out);
		if (rc != 1 || !strstr(out.data, expect)) {
			print_error("%s changed at entry %lld: verify-log exited %d, wanted 1 and "
			            "\"%s\"; it said: %s",
			            t->what, target, rc, expect, out.data);
			missed++;
		}
		/* So does anyone recomputing the published log. */
		enum eventlog_fault f;
		long long broken = published_break(&f);
		if (broken != at || f != t->fault) {
			print_error(
			        "%s changed at entry %lld: the published log breaks at %lld (%s), "
			        "wanted %lld (%s)\n",
			        t->what, target, broken, eventlog_fault_text(f), at,
			        eventlog_fault_text(t->fault));
			missed++;
		}

		/* Undo, and the whole chain holds again. */
		log_tamper_sql(
		        "DELETE FROM event_log; INSERT INTO event_log SELECT * FROM log_copy");
		rc = verify_log(&out);
		if (rc != 0 || !strstr(out.data, intact))
			fail_msg("after undoing the change to %s, verify-log exited %d: %s",
			         t->what, rc, out.data);
		assert_int_equal(published_break(&f), 0);
	}
	itest_sql(db_url, "DROP TABLE log_copy, log_target");
	if (missed)
		fail_msg("%d tampering check(s) failed, printed above", missed);
	buf_release(&out);
}

/* placard verify-log --head @head: its exit status, its output in @out (emptied first). */
static int verify_log_head(struct buf *out, const char *head)
{
	buf_truncate(out, 0);
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' '%s' verify-log --head '%s' 2>&1",
	                   db_url, itest_bin(), head);
}

/* "SEQ:HASH" of entry @seq, as someone keeping a head would write it down. */
static void kept_head(long long seq, char out[SHA256_HEX_LEN + 24])
{
	struct buf b = BUF_INIT;
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT seq || ':' || hash FROM event_log WHERE seq = %lld",
	         seq);
	assert_int_equal(itest_shell(&b, "psql -XAtc \"%s\" '%s'", sql, db_url), 0);
	assert_true(b.len > SHA256_HEX_LEN);
	snprintf(out, SHA256_HEX_LEN + 24, "%.*s", (int)b.len - 1, b.data);
	buf_release(&b);
}

/*
 * What the chain alone cannot show (the newest entries removed; everything from an entry on
 * rewritten with fresh hashes) a head kept outside the database does.
 */
static void test_log_kept_head(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	assert_int_equal(verify_log(&out), 0);
	itest_sql(db_url, "DROP TABLE IF EXISTS log_copy; CREATE TABLE log_copy AS"
	                  " SELECT * FROM event_log");
	long long n = itest_sql_count(db_url, "SELECT max(seq) FROM event_log");
	assert_true(n >= 8);
	char kept[SHA256_HEX_LEN + 24], before[SHA256_HEX_LEN + 24];
	kept_head(n - 2, kept);
	kept_head(n - 6, before);

	assert_int_equal(verify_log_head(&out, kept), 0);
	assert_non_null(strstr(out.data, "still has the hash kept"));
	/* Written down in capitals, it is the same head. */
	char upper[SHA256_HEX_LEN + 24];
	for (size_t i = 0; i <= strlen(kept); i++)
		upper[i] = (char)toupper((unsigned char)kept[i]);
	assert_int_equal(verify_log_head(&out, upper), 0);
	/* A hash that is not the entry's. */
	char wrong[SHA256_HEX_LEN + 24];
	snprintf(wrong, sizeof(wrong), "%s", kept);
	size_t last = strlen(wrong) - 1;
	wrong[last] = wrong[last] == '0' ? '1' : '0';
	assert_int_equal(verify_log_head(&out, wrong), 1);
	assert_non_null(strstr(out.data, "the log was rewritten"));
	/* Not a head at all: a usage error, nothing checked. */
	const char *malformed[] = { "12",
		                    "0:" EVENTLOG_TEST_HASH,
		                    "x:" EVENTLOG_TEST_HASH,
		                    "12:abc",
		                    "12:" EVENTLOG_TEST_HASH "0",
		                    ":" EVENTLOG_TEST_HASH,
		                    "12:" EVENTLOG_TEST_HASH_NOT_HEX };
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++)
		if (verify_log_head(&out, malformed[i]) != 2)
			fail_msg("--head %s was taken: %s", malformed[i], out.data);

	/* The newest entries removed: the chain that is left holds, the kept head does not. */
	log_tamper_sql("DELETE FROM event_log WHERE seq > (SELECT max(seq) - 3 FROM log_copy)");
	assert_int_equal(verify_log(&out), 0);
	char expect[160];
	snprintf(expect, sizeof(expect), "the log ends at entry %lld, before the entry %lld kept",
	         n - 3, n - 2);
	assert_int_equal(verify_log_head(&out, kept), 1);
	assert_non_null(strstr(out.data, expect));
	log_tamper_sql("DELETE FROM event_log; INSERT INTO event_log SELECT * FROM log_copy");

	/* An entry changed and every hash from there on computed afresh: the chain holds, the
	 * kept head after the change does not; one kept before the change still does. */
	char rewrite[1024];
	snprintf(rewrite, sizeof(rewrite),
	         "DO $$ DECLARE s bigint; prev text; BEGIN"
	         " UPDATE event_log SET kind = 'inspection.amended' WHERE seq = %lld;"
	         " SELECT hash INTO prev FROM event_log WHERE seq = %lld;"
	         " FOR s IN SELECT seq FROM event_log WHERE seq >= %lld ORDER BY seq LOOP"
	         "  UPDATE event_log SET prev_hash = prev WHERE seq = s;"
	         "  UPDATE event_log SET hash = encode(digest(event_canonical(seq, prev_hash,"
	         "   occurred_at, kind, subject, payload), 'sha256'), 'hex') WHERE seq = s"
	         "   RETURNING hash INTO prev;"
	         " END LOOP; END $$",
	         n - 5, n - 6, n - 5);
	log_tamper_sql(rewrite);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM event_log e JOIN log_copy c"
	                                         " USING (seq) WHERE e.hash <> c.hash"),
	                 6);
	assert_int_equal(verify_log(&out), 0);
	assert_int_equal(verify_log_head(&out, kept), 1);
	snprintf(expect, sizeof(expect), "entry %lld has hash", n - 2);
	assert_non_null(strstr(out.data, expect));
	assert_non_null(strstr(out.data, "the log was rewritten since that head was kept"));
	assert_int_equal(verify_log_head(&out, before), 0);
	log_tamper_sql("DELETE FROM event_log; INSERT INTO event_log SELECT * FROM log_copy");

	assert_int_equal(verify_log_head(&out, kept), 0);
	itest_sql(db_url, "DROP TABLE log_copy");
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jurisdictions),
		cmocka_unit_test(test_schemes_published),
		cmocka_unit_test(test_register_establishment),
		cmocka_unit_test(test_licence_history),
		cmocka_unit_test(test_inspect_grade_and_replay),
		cmocka_unit_test(test_rule_in_the_readers_language),
		cmocka_unit_test(test_refused_edits_release_the_draft),
		cmocka_unit_test(test_bad_inspections_change_nothing),
		cmocka_unit_test(test_nyc_cycle),
		cmocka_unit_test(test_fhrs_rating),
		cmocka_unit_test(test_idempotency_keys_expire),
		cmocka_unit_test(test_log_fields_hold_no_newline),
		cmocka_unit_test(test_log_tampering_each_field),
		cmocka_unit_test(test_log_kept_head),
		cmocka_unit_test(test_log_chain_and_tampering),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
