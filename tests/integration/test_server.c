/*
 * The server end to end: health, version, errors as problem+json, limits, static files,
 * the database going away and coming back, graceful shutdown.
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

static struct itest_server server;
static char db_url[256];

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("server", db_url, sizeof(db_url));
	itest_server_start(&server, db_url, NULL);
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

static void test_healthz(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/healthz", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "{\"status\":\"ok\",\"database\":\"ok\","));
	assert_non_null(strstr(r.body.data, "\"search_index\":\""));
	assert_string_equal(itest_header(&r, "Content-Type"), "application/json");
	assert_string_equal(itest_header(&r, "X-Content-Type-Options"), "nosniff");
	assert_non_null(itest_header(&r, "Content-Security-Policy"));
	itest_response_free(&r);
}

static void test_version(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/api/v1/version", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "\"name\":\"placard\""));
	assert_non_null(strstr(r.body.data, "\"version\":\""));
	itest_response_free(&r);
}

static void test_unknown_api_path_is_problem(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/api/v1/no-such-thing", &r);
	assert_int_equal(r.status, 404);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	assert_non_null(strstr(r.body.data, "\"status\":404"));
	assert_non_null(strstr(r.body.data, "\"instance\":\"/api/v1/no-such-thing\""));
	itest_response_free(&r);
}

static void test_wrong_method_is_405_with_allow(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_request(&server, "DELETE", "/healthz", NULL, NULL, 0, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(itest_header(&r, "Allow"), "GET, HEAD");
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	itest_response_free(&r);
}

static void test_malformed_json_says_where(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_post_json(&server, "/api/v1/session", "{\"username\": \"ann\",\n \"password\": }",
	                &r);
	assert_int_equal(r.status, 400);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	assert_non_null(strstr(r.body.data, "\"field\":\"body\""));
	assert_non_null(strstr(r.body.data, "line 2"));
	itest_response_free(&r);
}

static void test_oversized_body_is_413(void **state)
{
	(void)state;
	NEED_DB();
	size_t n = (1 << 20) + 10;
	char *big = malloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	struct itest_response r;
	const char *const h[] = { "Content-Type: application/json", NULL };
	itest_request(&server, "POST", "/api/v1/session", h, big, n, &r);
	assert_int_equal(r.status, 413);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	itest_response_free(&r);
	free(big);
	/* The server is still there. */
	itest_get(&server, "/healthz", &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
}

static void test_chunked_body_is_411(void **state)
{
	(void)state;
	NEED_DB();
	/* No Content-Length: refused before any of the body is read. */
	struct buf raw = BUF_INIT, reply = BUF_INIT;
	buf_addstr(&raw, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
	                 "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
	                 "Connection: close\r\n\r\n");
	for (int i = 0; i < 40; i++) {
		buf_addf(&raw, "%x\r\n", 32768);
		for (int j = 0; j < 32768; j++)
			buf_addch(&raw, ' ');
		buf_addstr(&raw, "\r\n");
	}
	buf_addstr(&raw, "0\r\n\r\n");
	itest_raw(&server, raw.data, raw.len, &reply);
	assert_non_null(strstr(reply.data, "HTTP/1.1 411"));
	assert_non_null(strstr(reply.data, "application/problem+json"));
	buf_release(&raw);
	buf_release(&reply);
}

static void test_wrong_content_type_is_415(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	const char *const h[] = { "Content-Type: text/plain", NULL };
	itest_request(&server, "POST", "/api/v1/session", h, "hello", 5, &r);
	assert_int_equal(r.status, 415);
	assert_non_null(strstr(r.body.data, "\"field\":\"Content-Type\""));
	itest_response_free(&r);
}

static void test_static_files(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "text/html; charset=utf-8");
	assert_non_null(strstr(r.body.data, "<html"));
	assert_non_null(itest_header(&r, "Last-Modified"));
	const char *etag = itest_header(&r, "ETag");
	assert_non_null(etag);
	char inm[128];
	snprintf(inm, sizeof(inm), "If-None-Match: %s", etag);
	itest_response_free(&r);

	const char *const h[] = { inm, NULL };
	itest_request(&server, "GET", "/", h, NULL, 0, &r);
	assert_int_equal(r.status, 304);
	assert_int_equal(r.body.len, 0);
	itest_response_free(&r);

	itest_get(&server, "/style.css", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(itest_header(&r, "Content-Type"), "text/css; charset=utf-8");
	assert_string_equal(itest_header(&r, "Cache-Control"), "public, max-age=300");
	itest_response_free(&r);

	itest_get(&server, "/no-such-page.html", &r);
	assert_int_equal(r.status, 404);
	itest_response_free(&r);
}

static void test_static_refuses_escape(void **state)
{
	(void)state;
	NEED_DB();
	const char *paths[] = { "/../meson.build", "/%2e%2e/meson.build", "/..%2fmeson.build",
		                "/a/../../meson.build", "/../../../../etc/passwd" };
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct itest_response r;
		itest_get(&server, paths[i], &r);
		assert_true(r.status == 404 || r.status == 400);
		assert_null(strstr(r.body.data, "project("));
		assert_null(strstr(r.body.data, "root:"));
		itest_response_free(&r);
	}
}

static void test_access_log_line(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/api/v1/version?probe=access-log", &r);
	itest_response_free(&r);
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	struct buf log = BUF_INIT;
	itest_shell(&log, "cat '%s'", server.log_path);
	const char *line = strstr(log.data, "\"path\":\"/api/v1/version\"");
	assert_non_null(line);
	assert_non_null(strstr(line, "\"method\":\"GET\""));
	assert_non_null(strstr(line, "\"status\":200"));
	assert_non_null(strstr(line, "\"bytes\":"));
	assert_non_null(strstr(line, "\"duration_ms\":"));
	buf_release(&log);
}

static long healthz_status(void)
{
	struct itest_response r;
	itest_get(&server, "/healthz", &r);
	long st = r.status;
	if (st == 503) {
		assert_non_null(itest_header(&r, "Retry-After"));
		assert_non_null(strstr(r.body.data, "\"database\":\"unavailable\""));
	}
	itest_response_free(&r);
	return st;
}

static void test_database_down_and_back(void **state)
{
	(void)state;
	NEED_DB();
	const char *version = getenv("PGVERSION");
	if (!version) {
		fprintf(stderr, "PGVERSION unset (not under pg_virtualenv): skipping\n");
		skip();
	}
	assert_int_equal(healthz_status(), 200);
	assert_int_equal(itest_shell(NULL, "pg_ctlcluster %s regress stop -m fast 2>&1", version),
	                 0);
	/* Every request while the database is away: 503, promptly, never a hang or a crash. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(healthz_status(), 503);
	assert_int_equal(itest_shell(NULL, "pg_ctlcluster %s regress start 2>&1", version), 0);
	long st = 0;
	for (int i = 0; i < 100 && st != 200; i++) {
		st = healthz_status();
		if (st != 200) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(st, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthz),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_unknown_api_path_is_problem),
		cmocka_unit_test(test_wrong_method_is_405_with_allow),
		cmocka_unit_test(test_malformed_json_says_where),
		cmocka_unit_test(test_oversized_body_is_413),
		cmocka_unit_test(test_chunked_body_is_411),
		cmocka_unit_test(test_wrong_content_type_is_415),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_static_refuses_escape),
		cmocka_unit_test(test_access_log_line),
		cmocka_unit_test(test_database_down_and_back),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
