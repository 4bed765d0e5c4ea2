/*
 * GET /metrics end to end: the numbers move as requests are answered (a 404 counted under its
 * route pattern and status, never its path; a latency histogram's count; an offline
 * submission sent again; an appeal opened and then overdue), the answer is the Prometheus
 * text format (promtool check metrics, where promtool is installed), and only the addresses of
 * PLACARD_METRICS_ALLOW may read it: neither a trusted proxy nor X-Forwarded-For lets an
 * outsider in.
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
/* The outsider test's server: nginx on this machine (127.0.0.1) and another proxy (127.0.0.3)
 * trusted, and only 127.0.0.1 allowed to scrape, so 127.0.0.2 plays an address outside. */
static struct itest_server guarded;
static char db_url[256];
static struct staff_session admin, clerk, inspector;
static const char pw[] = "correct horse battery staple";

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("metrics", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" }, { "clem", "clerk" }, { "ines", "inspector" } };
	struct staff_session *s[] = { &admin, &clerk, &inspector };
	for (size_t i = 0; i < 3; i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	struct itest_response r;
	staff_request(&server, &admin, "POST", "/api/v1/jurisdictions",
	              "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}", NULL, &r);
	assert_int_equal(r.status, 201);
	itest_response_free(&r);
	static const char *const env[] = { "PLACARD_TRUSTED_PROXIES=127.0.0.1,127.0.0.3",
		                           "PLACARD_METRICS_ALLOW=127.0.0.1", NULL };
	itest_server_start(&guarded, db_url, env);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	itest_source(NULL);
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	if (guarded.pid)
		assert_int_equal(itest_server_stop(&guarded), 0);
	return 0;
}

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* GET /metrics from @s; 200 asserted; the body (caller frees). */
static char *scrape(struct itest_server *s)
{
	struct itest_response r;
	itest_get(s, "/metrics", &r);
	if (r.status != 200)
		fail_msg("GET /metrics: %ld %s", r.status, r.body.data);
	char *body = strdup(r.body.data);
	itest_response_free(&r);
	return body;
}

/* The value of the series written exactly @series ("name{labels}" or "name") in @text, or
 * 0 when it is absent (a counter not yet counted). */
static double series(const char *text, const char *series)
{
	size_t n = strlen(series);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	return 0;
}

/* Scrape @s until @name is at least @want (a request is counted when its answer has been
 * sent, a moment after the client has it); its last value. */
static double wait_for(struct itest_server *s, const char *name, double want)
{
	double v = 0;
	for (int i = 0; i < 50; i++) {
		char *body = scrape(s);
		v = series(body, name);
		free(body);
		if (v >= want)
			break;
		usleep(20000);
	}
	return v;
}

#define REQUESTS_404                                                                               \
	"placard_http_requests_total{route=\"/api/v1/inspections/{id:int}\",method=\"GET\","       \
	"code=\"404\",class=\"4xx\"}"
#define LATENCY_COUNT                                                                              \
	"placard_http_request_duration_seconds_count{route=\"/api/v1/inspections/{id:int}\"}"
#define LATENCY_INF                                                                                \
	"placard_http_request_duration_seconds_bucket{route=\"/api/v1/inspections/{id:int}\","     \
	"le=\"+Inf\"}"
#define UNMATCHED_404                                                                              \
	"placard_http_requests_total{route=\"(unmatched)\",method=\"GET\",code=\"404\","           \
	"class=\"4xx\"}"

static void test_requests_counted_by_route(void **state)
{
	(void)state;
	NEED_DB();
	char *body = scrape(&server);
	double before = series(body, REQUESTS_404), latency = series(body, LATENCY_COUNT);
	double unmatched = series(body, UNMATCHED_404);
	free(body);
	struct itest_response r;
	for (int i = 0; i < 3; i++) {
		itest_get(&server, "/api/v1/inspections/987654321", &r);
		assert_int_equal(r.status, 404);
		itest_response_free(&r);
	}
	itest_get(&server, "/api/v1/no-such-thing-12345", &r);
	assert_int_equal(r.status, 404);
	itest_response_free(&r);

	assert_true(wait_for(&server, UNMATCHED_404, unmatched + 1) == unmatched + 1);
	body = scrape(&server);
	assert_true(series(body, REQUESTS_404) == before + 3);
	assert_true(series(body, LATENCY_COUNT) == latency + 3);
	assert_true(series(body, LATENCY_INF) == series(body, LATENCY_COUNT));
	/* The labels are the patterns: no path asked for appears. */
	assert_null(strstr(body, "987654321"));
	assert_null(strstr(body, "no-such-thing"));
	/* Every histogram bucket is at most the next one (cumulative). */
	double prev = -1;
	const char *p = body;
	const char *key =
	        "placard_http_request_duration_seconds_bucket{route=\"/api/v1/inspections/"
	        "{id:int}\",le=\"";
	while ((p = strstr(p, key))) {
		const char *v = strchr(p, ' ');
		double x = strtod(v + 1, NULL);
		assert_true(x >= prev);
		prev = x;
		p = v;
	}
	assert_true(prev == latency + 3);
	free(body);
}

static void test_headers_and_format(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/metrics", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"),
	                    "text/plain; version=0.0.4; charset=utf-8");
	assert_string_equal(itest_header(&r, "Cache-Control"), "no-store");
	assert_null(itest_header(&r, "Access-Control-Allow-Origin"));
	const char *b = r.body.data;
	assert_non_null(strstr(b, "# TYPE placard_http_requests_total counter\n"));
	assert_non_null(strstr(b, "# TYPE placard_http_request_duration_seconds histogram\n"));
	assert_true(series(b, "placard_database_up") == 1);
	assert_true(series(b, "placard_search_index_state{state=\"ready\"}") +
	                    series(b, "placard_search_index_state{state=\"loading\"}") ==
	            1);
	assert_true(series(b, "process_resident_memory_bytes") > 1e6);
	assert_true(series(b, "process_open_fds") > 3);
	assert_true(series(b, "process_start_time_seconds") > (double)time(NULL) - 3600);
	assert_true(series(b, "placard_database_connections_open{pool=\"write\"}") >= 1);
	assert_true(series(b, "placard_sealer_pending_events") >= 0);
	assert_non_null(strstr(b, "\nplacard_imports_total 0\n"));
	itest_response_free(&r);
}

/* promtool (Debian's prometheus package) reads the answer as Prometheus would. */
static void test_promtool_accepts_it(void **state)
{
	(void)state;
	NEED_DB();
	if (itest_shell(NULL, "command -v promtool >/dev/null 2>&1") != 0) {
		printf("# skipped: promtool is not installed (Debian package prometheus; "
		       "script/bootstrap test installs it)\n");
		skip();
	}
	/* Some of everything first: a histogram, a static file, an error. */
	struct itest_response r;
	itest_get(&server, "/healthz", &r);
	itest_response_free(&r);
	itest_get(&server, "/", &r);
	itest_response_free(&r);
	itest_get(&server, "/api/v1/inspections/1", &r);
	itest_response_free(&r);
	char *body = scrape(&server);
	char path[64];
	snprintf(path, sizeof(path), "/tmp/placard-metrics-%d.txt", (int)getpid());
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(body, f);
	fclose(f);
	free(body);
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out, "promtool check metrics < %s 2>&1", path);
	if (rc != 0)
		fail_msg("promtool check metrics: %s", out.data);
	unlink(path);
	buf_release(&out);
}

/* An open-data import is counted, with its time; the name index keeps up with it. */
static void test_import_counted(void **state)
{
	(void)state;
	NEED_DB();
	char *body = scrape(&server);
	double imports = series(body, "placard_imports_total");
	assert_true(series(body, "placard_search_index_last_load_timestamp_seconds") > 0);
	free(body);
	time_t started = time(NULL);
	struct buf out = BUF_INIT;
	int rc = itest_shell(&out,
	                     "PLACARD_DATABASE_URL='%s' '%s' import nyc "
	                     "'%s/tests/fixtures/opendata/nyc-portal.csv' 2>&1",
	                     db_url, itest_bin(), itest_source_root());
	if (rc != 0)
		fail_msg("placard import: %s", out.data);
	buf_release(&out);
	body = scrape(&server);
	assert_true(series(body, "placard_imports_total") == imports + 1);
	double last = series(body, "placard_import_last_timestamp_seconds");
	assert_true(last >= (double)started - 1 && last <= (double)time(NULL) + 1);
	/* Brought up to date every second. */
	assert_true(series(body, "placard_search_index_last_sync_age_seconds") <= 2);
	free(body);
}

/* The tablet sends an offline submission again (its Idempotency-Key kept): the stored
 * answer is given again, and counted. */
static void test_replay_counted(void **state)
{
	(void)state;
	NEED_DB();
	const char *name = "placard_tablet_replayed_total{kind=\"inspection\"}";
	char *body = scrape(&server);
	double before = series(body, name);
	free(body);
	long long est = staff_establishment(&server, &clerk, "nyc", "M-1");
	char started[32], ended[32], req[600];
	snprintf(req, sizeof(req),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[]}",
	         est, staff_ago(3, 9, started), staff_ago(3, 11, ended));
	char key[64];
	snprintf(key, sizeof(key), "Idempotency-Key: metrics-%d", (int)getpid());
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", req, key, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", req, key, &st);
	assert_int_equal(st, 201);
	json_decref(v);
	assert_true(wait_for(&server, name, before + 1) == before + 1);
}

static void test_appeals_open_and_overdue(void **state)
{
	(void)state;
	NEED_DB();
	char *body = scrape(&server);
	double open = series(body, "placard_appeals_open");
	double overdue = series(body, "placard_appeals_overdue");
	free(body);
	long long est = staff_establishment(&server, &clerk, "nyc", "M-2");
	char started[32], ended[32], req[600];
	snprintf(req, sizeof(req),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%s\","
	         "\"ended_at\":\"%s\",\"violations\":[{\"code\":\"04L\",\"points\":5}],"
	         "\"submit\":true}",
	         est, staff_ago(2, 9, started), staff_ago(2, 11, ended));
	char key[64];
	snprintf(key, sizeof(key), "Idempotency-Key: metrics-appeal-%d", (int)getpid());
	long st;
	json_t *v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", req, key, &st);
	assert_int_equal(st, 201);
	char file[200];
	snprintf(file, sizeof(file),
	         "{\"licence_number\":\"M-2\",\"appeal_code\":\"%s\",\"grounds\":\"Wrong\"}",
	         json_walk_str(v, "appeal_code"));
	json_decref(v);
	v = staff_call(&server, NULL, "POST", "/api/v1/operator/appeals", file, NULL, &st);
	assert_int_equal(st, 201);
	long long id = json_walk_int(v, "appeal.id");
	json_decref(v);
	body = scrape(&server);
	assert_true(series(body, "placard_appeals_open") == open + 1);
	assert_true(series(body, "placard_appeals_overdue") == overdue);
	free(body);
	char sql[160];
	snprintf(sql, sizeof(sql),
	         "UPDATE appeal SET decision_due = now() - interval '1 day' WHERE id = %lld", id);
	itest_sql(db_url, sql);
	body = scrape(&server);
	assert_true(series(body, "placard_appeals_open") == open + 1);
	assert_true(series(body, "placard_appeals_overdue") == overdue + 1);
	free(body);
}

/* The sealer's lag: while the sealer cannot take its lock, an event an hour old waits, and
 * is counted with its age; once the lock is free it is sealed and the gauges fall to 0. */
static void test_sealer_lag(void **state)
{
	(void)state;
	NEED_DB();
	/* Hold the sealer's advisory lock (sql/functions/event_seal.sql) for 3 s. */
	itest_shell(NULL,
	            "(psql -X -q '%s' -c 'SELECT pg_advisory_lock(7261002), pg_sleep(3)' "
	            ">/dev/null 2>&1 &)",
	            db_url);
	for (int i = 0; i < 100; i++) {
		if (itest_sql_count(db_url, "SELECT count(*) FROM pg_locks WHERE locktype = "
		                            "'advisory' AND objid = 7261002 AND granted") > 0)
			break;
		usleep(20000);
	}
	itest_sql(db_url, "INSERT INTO event_pending (occurred_at, kind, subject, payload)"
	                  " VALUES (now() - interval '1 hour', 'test.lag', 'metrics', '{}')");
	char *body = scrape(&server);
	double pending = series(body, "placard_sealer_pending_events");
	double age = series(body, "placard_sealer_oldest_pending_age_seconds");
	free(body);
	assert_true(pending >= 1);
	assert_true(age >= 3599 && age < 3700);
	for (int i = 0; i < 300 && pending > 0; i++) {
		usleep(20000);
		body = scrape(&server);
		pending = series(body, "placard_sealer_pending_events");
		age = series(body, "placard_sealer_oldest_pending_age_seconds");
		free(body);
	}
	assert_true(pending == 0);
	assert_true(age == 0);
}

/* Only PLACARD_METRICS_ALLOW reads it; X-Forwarded-For never lets anyone in. */
static void test_outsiders_refused(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	/* Through the proxy on 127.0.0.1 (allowed, trusted), for a client outside. */
	const char *const outside[] = { "X-Forwarded-For: 203.0.113.9", NULL };
	itest_source("127.0.0.1");
	itest_request(&guarded, "GET", "/metrics", outside, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	assert_null(strstr(r.body.data, "placard_"));
	itest_response_free(&r);
	/* A client outside claiming to be the allowed address: not a trusted proxy, so its
	 * X-Forwarded-For is not believed. */
	const char *const claim[] = { "X-Forwarded-For: 127.0.0.1", NULL };
	itest_source("127.0.0.2");
	itest_request(&guarded, "GET", "/metrics", claim, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	assert_null(strstr(r.body.data, "placard_"));
	itest_response_free(&r);
	itest_request(&guarded, "GET", "/metrics", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	itest_response_free(&r);
	/* A trusted proxy that is not allowed itself, passing on a header that names the
	 * allowed address: the client is then 127.0.0.1, but the peer is not allowed. */
	itest_source("127.0.0.3");
	itest_request(&guarded, "GET", "/metrics", claim, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	itest_response_free(&r);
	itest_source("127.0.0.2");
	/* HEAD is refused alike. */
	itest_request(&guarded, "HEAD", "/metrics", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 404);
	itest_response_free(&r);
	/* The allowed address itself, directly. */
	itest_source("127.0.0.1");
	itest_request(&guarded, "GET", "/metrics", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "placard_http_requests_total"));
	itest_response_free(&r);
	/* The refusals were counted like any 404 of that route. */
	assert_true(wait_for(&guarded,
	                     "placard_http_requests_total{route=\"/metrics\",method=\"GET\","
	                     "code=\"404\",class=\"4xx\"}",
	                     4) == 4);
	/* Refusing is not a failure the public rate limits count: the outsider still signs in
	 * (a wrong password is one failure, far from any limit). */
	itest_source("127.0.0.2");
	for (int i = 0; i < 30; i++) {
		itest_request(&guarded, "GET", "/metrics", NULL, NULL, 0, &r);
		assert_int_equal(r.status, 404);
		itest_response_free(&r);
	}
	assert_int_equal(staff_login(&guarded, "ines", pw, NULL, NULL), 201);
	itest_source(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_requests_counted_by_route),
		cmocka_unit_test(test_headers_and_format),
		cmocka_unit_test(test_promtool_accepts_it),
		cmocka_unit_test(test_import_counted),
		cmocka_unit_test(test_replay_counted),
		cmocka_unit_test(test_appeals_open_and_overdue),
		cmocka_unit_test(test_sealer_lag),
		cmocka_unit_test(test_outsiders_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
