/*
 * Scoring schemes as documents, end to end: `placard scheme publish` publishes a made-up
 * city's scheme from a file (its own bands and 30 codes), a jurisdiction uses it, and an
 * inspection submitted there is graded and explained from the document; a refused document
 * names the field at fault; a new version with a stricter band applies from its date on,
 * while inspections already submitted, and those dated before it, keep the old version's
 * grades and explanations. Published versions are public and never change.
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

#include "core/buf.h"
#include "core/crypto.h"
#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector;
static const char pw[] = "correct horse battery staple";

static int setup(void **state)
{
	(void)state;
	crypto_init();
	if (!itest_have_db())
		return 0;
	itest_db_create("schemes", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" }, { "clem", "clerk" }, { "ines", "inspector" } };
	for (size_t i = 0; i < 3; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	struct staff_session *s[] = { &admin, &clerk, &inspector };
	for (size_t i = 0; i < 3; i++)
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

/*
 * A city's scheme (Gotham's unless @code says otherwise): 100 minus points, four bands of its own, 30 codes G01-G30 (G01-G10
 * priority, 6 points, up to 12; G11-G20 priority foundation, 4; G21-G30 core, 2). @gold_min
 * is where the top band starts (and the second ends one below); @band_gap leaves a gap
 * between the second and third bands; @withhold withholds a new rating during the 14-day
 * appeal window. Written to @path.
 */
/* G05's description when not NULL (a version that rewords it). */
static const char *g05_words;

static void write_city_rules(const char *path, const char *code, int gold_min, bool band_gap,
                             bool withhold)
{
	struct buf b = BUF_INIT;
	char line[600];
	snprintf(line, sizeof(line),
	         "{\"$schema\":\"scheme.schema.json\",\"format\":1,\"code\":\"%s\","
	         "\"name\":\"Gotham medals\",\"jurisdiction\":\"Gotham City\","
	         "\"kind\":\"deduct-from-100\",\"bands\":["
	         "{\"label\":\"Gold\",\"code\":\"gold\",\"meaning\":\"a gold medal\","
	         "\"min\":%d,\"max\":100},"
	         "{\"label\":\"Silver\",\"code\":\"silver\",\"meaning\":\"a silver medal\","
	         "\"min\":80,\"max\":%d},"
	         "{\"label\":\"Bronze\",\"code\":\"bronze\",\"meaning\":\"a bronze medal\","
	         "\"min\":60,\"max\":%d},"
	         "{\"label\":\"No medal\",\"code\":\"none\",\"meaning\":\"a visit within a "
	         "month\",\"min\":0,\"max\":59}],\"violations\":[",
	         code, gold_min, gold_min - 1, band_gap ? 78 : 79);
	buf_add(&b, line, strlen(line));
	for (int i = 1; i <= 30; i++) {
		const char *cat = i <= 10 ? "priority" : i <= 20 ? "priority-foundation" : "core";
		int pts = i <= 10 ? 6 : i <= 20 ? 4 : 2;
		char words[80];
		if (i == 5 && g05_words)
			snprintf(words, sizeof(words), "%s", g05_words);
		else
			snprintf(words, sizeof(words), "Gotham rule %d was broken.", i);
		snprintf(line, sizeof(line),
		         "%s{\"code\":\"G%02d\",\"description\":\"%s\","
		         "\"category\":\"%s\",\"severity\":\"none\",\"default_points\":%d,"
		         "\"min_points\":%d,\"max_points\":%d}",
		         i > 1 ? "," : "", i, words, cat, pts, pts, pts * 2);
		buf_add(&b, line, strlen(line));
	}
	snprintf(line, sizeof(line),
	         "],\"rules\":{\"graded_inspection_types\":[\"initial\",\"reinspection\","
	         "\"complaint\"],\"appeal_window\":\"within_days\",\"appeal_window_days\":14,"
	         "\"withhold_until_appeal_decided\":%s,"
	         "\"not_yet_graded_label\":\"Not yet judged\",\"not_yet_graded_code\":\"N\"}}\n",
	         withhold ? "true" : "false");
	buf_add(&b, line, strlen(line));
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	buf_release(&b);
}

static void write_city(const char *path, const char *code, int gold_min, bool band_gap)
{
	write_city_rules(path, code, gold_min, band_gap, false);
}

static void write_gotham(const char *path, int gold_min, bool band_gap)
{
	write_city(path, "gotham", gold_min, band_gap);
}

/* placard scheme publish @path [--from @from]: the exit status; its output in @out. */
static int publish(const char *path, const char *from, struct buf *out)
{
	char opt[64] = "";
	if (from)
		snprintf(opt, sizeof(opt), " --from %s", from);
	buf_release(out);
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' '%s' scheme publish '%s'%s 2>&1", db_url,
	                   itest_bin(), path, opt);
}

/* A submitted inspection at @establishment, started @days_ago days ago (today: at midnight
 * UTC), citing @code (its
 * default points) and G25 (2 points); the answer (caller decrefs). */
static json_t *inspect(long long establishment, int days_ago, const char *code, const char *key)
{
	char started[32], body[600], idem[96];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[{\"code\":\"%s\"},{\"code\":\"G25\","
	         "\"points\":2}],\"submit\":true}",
	         establishment, staff_ago(days_ago, days_ago == 0 ? 0 : 10, started), code);
	snprintf(idem, sizeof(idem), "Idempotency-Key: %s", key);
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body, idem, &st);
	if (st != 201)
		fail_msg("inspection %s: %ld %s", key, st, json_walk_str(v, "detail"));
	assert_string_equal(json_walk_str(v, "status"), "submitted");
	return v;
}

/* @out holds @text. */
static void expect_in(const struct buf *out, const char *text)
{
	if (!strstr(out->data, text))
		fail_msg("expected \"%s\" in: %s", text, out->data);
}

static char path1[128], path2[128];
static long long est, first_id;

static void test_publish_a_city_scheme(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	snprintf(path1, sizeof(path1), "/tmp/placard-itest-gotham-%d.json", (int)getpid());
	snprintf(path2, sizeof(path2), "/tmp/placard-itest-gotham2-%d.json", (int)getpid());

	/* A gap between two bands: refused, naming the field; nothing is stored. */
	write_gotham(path1, 95, true);
	assert_int_equal(publish(path1, NULL, &out), 1);
	expect_in(&out, "/bands/2/max");
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM scheme_version"
	                                         " WHERE scheme_code = 'gotham'"),
	                 0);

	write_gotham(path1, 95, false);
	assert_int_equal(publish(path1, NULL, &out), 0);
	expect_in(&out, "published gotham version 1");
	/* The same document again publishes nothing. */
	assert_int_equal(publish(path1, NULL, &out), 0);
	expect_in(&out, "gotham version 1 already holds this scheme");
	assert_int_equal(itest_event_count(db_url, "kind = 'scheme.published'"
	                                           " AND subject = 'scheme/gotham'"),
	                 1);
	buf_release(&out);

	long st;
	json_t *v = staff_call(&server, NULL, "GET", "/api/v1/schemes", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "schemes")), 5);
	assert_string_equal(json_walk_str(v, "schemes.0.code"), "nyc");
	assert_string_equal(json_walk_str(v, "schemes.4.code"), "gotham");
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/gotham", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "version"), 1);
	assert_string_equal(json_walk_str(v, "score_direction"), "higher_is_better");
	assert_int_equal(json_array_size(json_object_get(v, "violations")), 30);
	assert_string_equal(json_walk_str(v, "violations.29.code"), "G30");
	assert_string_equal(json_walk_str(v, "bands.1.label"), "Silver");
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/gotham/versions", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "versions")), 1);
	assert_true(json_is_null(json_walk(v, "versions.0.applies_from")));
	assert_true(json_is_true(json_walk(v, "versions.0.in_force")));
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/gotham/versions/2", NULL, NULL, &st);
	assert_int_equal(st, 404);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/nyc/versions", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "versions")), 1);
	json_decref(v);
	/* The built-in catalogue and the new one are what cited codes are checked against. */
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM scheme_violation"
	                                         " WHERE scheme_code = 'gotham'"),
	                 30);
}

static void test_grade_from_the_document(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	json_t *v = staff_call(
	        &server, &admin, "POST", "/api/v1/jurisdictions",
	        "{\"code\":\"gotham\",\"name\":\"Gotham City\",\"scheme\":\"gotham\"}", NULL, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	est = staff_establishment(&server, &clerk, "gotham", "GC-1");
	/* Never inspected: the scheme's own label. */
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	char *dump = json_dumps(v, 0);
	assert_non_null(strstr(dump, "Not yet judged"));
	free(dump);
	json_decref(v);

	/* 100 - (6 + 2) = 92: Silver in version 1 (80-94). */
	v = inspect(est, 90, "G05", "gotham-1");
	first_id = json_walk_int(v, "id");
	assert_int_equal(json_walk_int(v, "score"), 92);
	assert_string_equal(json_walk_str(v, "grade.code"), "silver");
	assert_string_equal(json_walk_str(v, "grade.label"), "Silver");
	assert_int_equal(json_walk_int(v, "explanation.scheme.version"), 1);
	assert_string_equal(json_walk_str(v, "explanation.scheme.code"), "gotham");
	assert_string_equal(json_walk_str(v, "explanation.rule"),
	                    "Initial inspection scored 92 (100 minus 8 points), band 80-94: "
	                    "Silver, a silver medal.");
	assert_string_equal(json_walk_str(v, "explanation.counted.0.code"), "G05");
	json_decref(v);

	/* A code of another scheme's catalogue is refused, naming it. */
	char started[32], body[400];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[{\"code\":\"04L\"}],\"submit\":true}",
	         est, staff_ago(80, 10, started));
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: gotham-bad", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/violations/0/code");
	json_decref(v);
	/* Points outside the item's range, likewise. */
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"violations\":[{\"code\":\"G05\",\"points\":13}],\"submit\":true}",
	         est, staff_ago(80, 10, started));
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body,
	               "Idempotency-Key: gotham-bad2", &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/violations/0/points");
	json_decref(v);
}

static void test_new_version_applies_from_its_date(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	char from[32], sql[256];
	/* Version 2: Gold from 94 (was 95), Silver 80-93. Applies from 30 days ago. */
	staff_ago(30, 0, from);
	from[10] = '\0';
	write_gotham(path2, 94, false);
	assert_int_equal(publish(path2, from, &out), 0);
	expect_in(&out, "published gotham version 2");
	/* A version applying from before the one it follows is refused. */
	char before[32];
	staff_ago(60, 0, before);
	before[10] = '\0';
	write_gotham(path2, 90, false);
	assert_int_equal(publish(path2, before, &out), 1);
	expect_in(&out, "applies_from");
	expect_in(&out, "A new version cannot apply from before the version it follows.");
	buf_release(&out);

	/* The inspection submitted under version 1 keeps its grade and explanation. */
	long st;
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/inspections/%lld", first_id);
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "grade.code"), "silver");
	assert_int_equal(json_walk_int(v, "explanation.scheme.version"), 1);
	assert_non_null(strstr(json_walk_str(v, "explanation.rule"), "band 80-94"));
	json_decref(v);

	/* The same findings, 100 - 6 = 94: a visit dated before the new version's date is graded
	 * under version 1 (Silver, 80-94), one after it under version 2 (Gold, 94-100); with
	 * 100 - 8 = 92, Silver in the new version's narrower band (80-93). */
	v = inspect(est, 45, "G15", "gotham-2");
	long long before_id = json_walk_int(v, "id");
	assert_int_equal(json_walk_int(v, "score"), 94);
	assert_string_equal(json_walk_str(v, "grade.code"), "silver");
	assert_int_equal(json_walk_int(v, "explanation.scheme.version"), 1);
	assert_string_equal(json_walk_str(v, "explanation.rule"),
	                    "Initial inspection scored 94 (100 minus 6 points), band 80-94: "
	                    "Silver, a silver medal.");
	json_decref(v);
	v = inspect(est, 2, "G15", "gotham-3");
	long long after_id = json_walk_int(v, "id");
	assert_int_equal(json_walk_int(v, "score"), 94);
	assert_string_equal(json_walk_str(v, "grade.code"), "gold");
	assert_int_equal(json_walk_int(v, "explanation.scheme.version"), 2);
	assert_string_equal(json_walk_str(v, "explanation.rule"),
	                    "Initial inspection scored 94 (100 minus 6 points), band 94-100: "
	                    "Gold, a gold medal.");
	json_decref(v);
	v = inspect(est, 1, "G05", "gotham-4");
	assert_string_equal(json_walk_str(v, "grade.code"), "silver");
	assert_string_equal(json_walk_str(v, "explanation.rule"),
	                    "Initial inspection scored 92 (100 minus 8 points), band 80-93: "
	                    "Silver, a silver medal.");
	json_decref(v);
	/* The version is recorded on each inspection. */
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM inspection WHERE id IN (%lld, %lld) AND scheme_version = 1",
	         first_id, before_id);
	assert_int_equal(itest_sql_count(db_url, sql), 2);
	snprintf(sql, sizeof(sql), "SELECT scheme_version FROM inspection WHERE id = %lld",
	         after_id);
	assert_int_equal(itest_sql_count(db_url, sql), 2);

	/* Both versions stay public, each as published. */
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/gotham/versions", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "versions")), 2);
	assert_string_equal(json_walk_str(v, "versions.1.applies_from"), from);
	assert_true(json_is_false(json_walk(v, "versions.0.in_force")));
	assert_true(json_is_true(json_walk(v, "versions.1.in_force")));
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/gotham/versions/1", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "version"), 1);
	assert_int_equal(json_walk_int(v, "bands.0.min"), 95);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/gotham", NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "version"), 2);
	assert_int_equal(json_walk_int(v, "bands.0.min"), 94);
	json_decref(v);
	/* A published version never changes. */
	assert_int_not_equal(
	        itest_shell(NULL,
	                    "psql -Xqc \"UPDATE scheme_version SET applies_from = '2000-01-01'\" "
	                    "'%s' 2>/dev/null",
	                    db_url),
	        0);
	assert_int_not_equal(
	        itest_shell(NULL, "psql -Xqc \"DELETE FROM scheme_version\" '%s' 2>/dev/null",
	                    db_url),
	        0);
	assert_int_equal(itest_event_count(db_url, "kind = 'scheme.published'"
	                                           " AND subject = 'scheme/gotham'"),
	                 2);
	unlink(path1);
}

/* What the public sees during an appeal window follows the rules of the version the posted
 * inspection was graded under, not those of a later version. */
static void test_appeal_rules_of_the_version(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	char today[32];
	staff_ago(0, 0, today);
	today[10] = '\0';
	/* Version 3 withholds a new rating for the 14-day appeal window, from today. */
	write_city_rules(path2, "gotham", 94, false, true);
	assert_int_equal(publish(path2, today, &out), 0);
	expect_in(&out, "published gotham version 3");
	buf_release(&out);
	unlink(path2);

	/* GC-1's grade (yesterday's visit, version 2, which publishes at once) is public. */
	long st;
	char path[64];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est);
	json_t *v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "grade.code"), "silver");
	assert_false(json_is_true(json_walk(v, "grade.new_rating_pending")));
	json_decref(v);
	/* A visit today, under version 3: its rating waits for the window to close. */
	long long est2 = staff_establishment(&server, &clerk, "gotham", "GC-2");
	v = inspect(est2, 0, "G05", "gotham-5");
	assert_int_equal(json_walk_int(v, "explanation.scheme.version"), 3);
	json_decref(v);
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", est2);
	v = staff_call(&server, NULL, "GET", path, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_true(json_is_true(json_walk(v, "grade.new_rating_pending")));
	json_decref(v);
}

/* The text of file @path, NUL-terminated (caller frees). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	return buf_detach(&b, NULL);
}

static void test_publish_through_the_api(void **state)
{
	(void)state;
	NEED_DB();
	char path[128];
	long st;
	snprintf(path, sizeof(path), "/tmp/placard-itest-metropolis-%d.json", (int)getpid());
	write_city(path, "metropolis", 95, true);
	char *gap = slurp(path);
	write_city(path, "metropolis", 95, false);
	char *good = slurp(path);
	unlink(path);

	/* Administrators only. */
	json_t *v = staff_call(&server, &clerk, "POST", "/api/v1/schemes", good, NULL, &st);
	assert_int_equal(st, 403);
	json_decref(v);
	v = staff_call(&server, &admin, "POST", "/api/v1/schemes", gap, NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/bands/2/max");
	json_decref(v);
	v = staff_call(&server, &admin, "POST", "/api/v1/schemes?applies_from=2026-13-01", good,
	               NULL, &st);
	assert_int_equal(st, 400);
	assert_string_equal(json_walk_str(v, "field"), "applies_from");
	json_decref(v);
	v = staff_call(&server, &admin, "POST", "/api/v1/schemes", "{\"code\":\"metropolis\"}",
	               NULL, &st);
	assert_int_equal(st, 422);
	assert_string_equal(json_walk_str(v, "field"), "/name");
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM scheme_version"
	                                         " WHERE scheme_code = 'metropolis'"),
	                 0);

	v = staff_call(&server, &admin, "POST", "/api/v1/schemes", good, NULL, &st);
	assert_int_equal(st, 201);
	assert_string_equal(json_walk_str(v, "code"), "metropolis");
	assert_int_equal(json_walk_int(v, "version"), 1);
	assert_true(json_is_true(json_walk(v, "created")));
	json_decref(v);
	v = staff_call(&server, &admin, "POST", "/api/v1/schemes", good, NULL, &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_walk_int(v, "version"), 1);
	assert_true(json_is_false(json_walk(v, "created")));
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/schemes/metropolis/versions/1", NULL, NULL,
	               &st);
	assert_int_equal(st, 200);
	assert_int_equal(json_array_size(json_object_get(v, "violations")), 30);
	json_decref(v);
	/* The imported results' schemes are not scoring schemes to publish over. */
	char *imported = strdup(good);
	memcpy(strstr(imported, "metropolis"), "nyc-import", 10);
	v = staff_call(&server, &admin, "POST", "/api/v1/schemes", imported, NULL, &st);
	assert_int_equal(st, 409);
	json_decref(v);
	assert_int_equal(itest_event_count(db_url, "kind = 'scheme.published'"
	                                           " AND subject = 'scheme/metropolis'"),
	                 1);
	free(imported);
	free(gap);
	free(good);
}

/* The description shown beside a cited violation is the wording of the version the
 * inspection was graded under: a version that rewords G05 leaves the older inspections'
 * wording as it was. */
static void test_descriptions_of_the_version(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	char today[32], path[128];
	staff_ago(0, 0, today);
	today[10] = '\0';
	snprintf(path, sizeof(path), "/tmp/placard-itest-gotham4-%d.json", (int)getpid());
	g05_words = "Staff worked without washing their hands.";
	write_city_rules(path, "gotham", 94, false, true);
	g05_words = NULL;
	assert_int_equal(publish(path, today, &out), 0);
	expect_in(&out, "published gotham version 4");
	buf_release(&out);
	unlink(path);

	long st;
	char url[64];
	snprintf(url, sizeof(url), "/api/v1/inspections/%lld", first_id);
	json_t *v = staff_call(&server, NULL, "GET", url, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "violations.0.code"), "G05");
	assert_string_equal(json_walk_str(v, "violations.0.description"),
	                    "Gotham rule 5 was broken.");
	json_decref(v);
	long long est3 = staff_establishment(&server, &clerk, "gotham", "GC-3");
	v = inspect(est3, 0, "G05", "gotham-6");
	assert_int_equal(json_walk_int(v, "explanation.scheme.version"), 4);
	long long id = json_walk_int(v, "id");
	json_decref(v);
	snprintf(url, sizeof(url), "/api/v1/inspections/%lld", id);
	v = staff_call(&server, NULL, "GET", url, NULL, NULL, &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "violations.0.description"),
	                    "Staff worked without washing their hands.");
	json_decref(v);
	/* The first inspection, again: still the words it was graded with. */
	snprintf(url, sizeof(url), "/api/v1/inspections/%lld", first_id);
	v = staff_call(&server, NULL, "GET", url, NULL, NULL, &st);
	assert_string_equal(json_walk_str(v, "violations.0.description"),
	                    "Gotham rule 5 was broken.");
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM scheme_version_violation"
	                                         " WHERE scheme_code = 'gotham' AND version = 4"),
	                 30);
}

/* POST /api/v1/jurisdictions/@code/schemes as @who with @body: the status, the answer in
 * *@ret (caller decrefs). */
static long assign(struct staff_session *who, const char *code, const char *body, json_t **ret)
{
	char url[96];
	long st;
	snprintf(url, sizeof(url), "/api/v1/jurisdictions/%s/schemes", code);
	*ret = staff_call(&server, who, "POST", url, body, NULL, &st);
	return st;
}

/* A jurisdiction moves from Gotham's scheme to Metropolis's on a date: visits before it are
 * graded under Gotham's, visits from it on under Metropolis's; a move never reaches back
 * before a submitted visit or an earlier move, and is public and logged. */
static void test_jurisdiction_moves_scheme(void **state)
{
	(void)state;
	NEED_DB();
	long st;
	json_t *v = staff_call(
	        &server, &admin, "POST", "/api/v1/jurisdictions",
	        "{\"code\":\"smallville\",\"name\":\"Smallville\",\"scheme\":\"gotham\"}", NULL,
	        &st);
	assert_int_equal(st, 201);
	json_decref(v);
	long long e = staff_establishment(&server, &clerk, "smallville", "SV-1");
	v = inspect(e, 10, "G05", "sv-1");
	assert_string_equal(json_walk_str(v, "explanation.scheme.code"), "gotham");
	json_decref(v);

	char body[200], d20[32], d5[32], d3[32];
	staff_ago(20, 0, d20);
	staff_ago(5, 0, d5);
	staff_ago(3, 0, d3);
	d20[10] = d5[10] = d3[10] = '\0';
	/* Refused: a clerk; an unknown scheme; a bad date; a day before a submitted visit; an
	 * unknown jurisdiction. Nothing is stored. */
	snprintf(body, sizeof(body), "{\"scheme\":\"metropolis\",\"applies_from\":\"%s\"}", d5);
	assert_int_equal(assign(&clerk, "smallville", body, &v), 403);
	json_decref(v);
	assert_int_equal(assign(&admin, "nowhere", body, &v), 404);
	json_decref(v);
	snprintf(body, sizeof(body), "{\"scheme\":\"atlantis\",\"applies_from\":\"%s\"}", d5);
	assert_int_equal(assign(&admin, "smallville", body, &v), 422);
	assert_string_equal(json_walk_str(v, "field"), "/scheme");
	json_decref(v);
	assert_int_equal(assign(&admin, "smallville",
	                        "{\"scheme\":\"metropolis\",\"applies_from\":\"2026-02-30x\"}", &v),
	                 422);
	assert_string_equal(json_walk_str(v, "field"), "/applies_from");
	json_decref(v);
	snprintf(body, sizeof(body), "{\"scheme\":\"metropolis\",\"applies_from\":\"%s\"}", d20);
	assert_int_equal(assign(&admin, "smallville", body, &v), 422);
	assert_string_equal(json_walk_str(v, "field"), "/applies_from");
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM jurisdiction_scheme"), 0);

	snprintf(body, sizeof(body), "{\"scheme\":\"metropolis\",\"applies_from\":\"%s\"}", d5);
	assert_int_equal(assign(&admin, "smallville", body, &v), 201);
	assert_string_equal(json_walk_str(v, "initial_scheme"), "gotham");
	assert_string_equal(json_walk_str(v, "scheme"), "metropolis");
	assert_string_equal(json_walk_str(v, "assignments.0.applies_from"), d5);
	json_decref(v);
	/* The same day again: refused, the move stands. */
	snprintf(body, sizeof(body), "{\"scheme\":\"gotham\",\"applies_from\":\"%s\"}", d5);
	assert_int_equal(assign(&admin, "smallville", body, &v), 422);
	assert_string_equal(json_walk_str(v, "field"), "/applies_from");
	json_decref(v);

	/* A visit before the move: Gotham's; after it: Metropolis's. */
	v = inspect(e, 7, "G05", "sv-2");
	assert_string_equal(json_walk_str(v, "explanation.scheme.code"), "gotham");
	assert_string_equal(json_walk_str(v, "scheme"), "gotham");
	json_decref(v);
	v = inspect(e, 2, "G05", "sv-3");
	assert_string_equal(json_walk_str(v, "explanation.scheme.code"), "metropolis");
	assert_string_equal(json_walk_str(v, "scheme"), "metropolis");
	json_decref(v);
	/* Now a move from 3 days ago reaches back before that visit. */
	snprintf(body, sizeof(body), "{\"scheme\":\"gotham\",\"applies_from\":\"%s\"}", d3);
	assert_int_equal(assign(&admin, "smallville", body, &v), 422);
	assert_string_equal(json_walk_str(v, "field"), "/applies_from");
	json_decref(v);

	v = staff_call(&server, NULL, "GET", "/api/v1/jurisdictions/smallville/schemes", NULL, NULL,
	               &st);
	assert_int_equal(st, 200);
	assert_string_equal(json_walk_str(v, "scheme"), "metropolis");
	assert_int_equal(json_array_size(json_object_get(v, "assignments")), 1);
	json_decref(v);
	v = staff_call(&server, NULL, "GET", "/api/v1/jurisdictions", NULL, NULL, &st);
	assert_int_equal(st, 200);
	char *dump = json_dumps(v, 0);
	assert_non_null(strstr(
	        dump,
	        "\"code\": \"smallville\", \"name\": \"Smallville\", \"scheme\": \"metropolis\""));
	free(dump);
	json_decref(v);
	assert_int_equal(itest_event_count(db_url, "kind = 'jurisdiction.scheme_assigned'"
	                                           " AND subject = 'jurisdiction/smallville'"),
	                 1);
	/* An assignment never changes. */
	assert_int_not_equal(
	        itest_shell(
	                NULL,
	                "psql -Xqc \"UPDATE jurisdiction_scheme SET applies_from = '2000-01-01'\" "
	                "'%s' 2>/dev/null",
	                db_url),
	        0);
	assert_int_not_equal(
	        itest_shell(NULL, "psql -Xqc \"DELETE FROM jurisdiction_scheme\" '%s' 2>/dev/null",
	                    db_url),
	        0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_publish_a_city_scheme),
		cmocka_unit_test(test_grade_from_the_document),
		cmocka_unit_test(test_new_version_applies_from_its_date),
		cmocka_unit_test(test_appeal_rules_of_the_version),
		cmocka_unit_test(test_publish_through_the_api),
		cmocka_unit_test(test_descriptions_of_the_version),
		cmocka_unit_test(test_jurisdiction_moves_scheme),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
