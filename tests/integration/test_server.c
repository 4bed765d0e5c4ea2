/*
 * The server end to end: health, version, errors as problem+json, limits, static files,
 * the database going away and coming back (health, public reads, staff writes), public reads
 * from PLACARD_READ_DATABASE_URL, graceful shutdown.
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

/* The Location header of the raw reply @reply ("" when none), into @out. */
static void location_of(const struct buf *reply, char *out, size_t size)
{
	out[0] = '\0';
	const char *p = reply->data ? strcasestr(reply->data, "\r\nLocation:") : NULL;
	if (!p)
		return;
	p += strlen("\r\nLocation:");
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\r\n");
	snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), p);
}

/*
 * A folder without its final slash is redirected to a path on this site: never "//name/",
 * which a browser reads as another site, however many slashes (or slashes in disguise) the
 * request's path starts with.
 */
static void test_static_redirect_stays_on_site(void **state)
{
	(void)state;
	NEED_DB();
	/* A web folder with folders named like a site, and one named with a tab (browsers drop
	 * tabs from a URL, so "/\t/example.org/" would be read as "//example.org/"). */
	char web[] = "/tmp/placard-itest-web-XXXXXX";
	assert_non_null(mkdtemp(web));
	assert_int_equal(
	        itest_shell(NULL,
	                    "mkdir -p '%s/example.org' \"%s/$(printf '\\t')/example.org\" &&"
	                    " echo '<html>' > '%s/example.org/index.html'",
	                    web, web, web),
	        0);
	/* The catalogues the server writes its sentences from (it does not start without). */
	assert_int_equal(
	        itest_shell(NULL, "ln -s '%s/web/i18n' '%s/i18n'", itest_source_root(), web), 0);
	char web_env[96];
	snprintf(web_env, sizeof(web_env), "PLACARD_WEB_DIR=%s", web);
	const char *env[] = { web_env, NULL };
	struct itest_server s;
	itest_server_start(&s, db_url, env);
	static const struct {
		const char *target;
		int status;
		const char *location;
	} cases[] = {
		{ "/example.org", 301, "/example.org/" },
		{ "//example.org", 301, "/example.org/" },
		{ "///example.org", 301, "/example.org/" },
		{ "/%2Fexample.org", 301, "/example.org/" },
		{ "/%2F%2Fexample.org", 301, "/example.org/" },
		{ "//example.org/", 200, "" },
		{ "/%09/example.org", 404, "" },
		{ "/%0D%0A/example.org", 404, "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char raw[256], location[256];
		snprintf(raw, sizeof(raw),
		         "GET %s HTTP/1.1\r\nHost: placard.test\r\nConnection: close\r\n\r\n",
		         cases[i].target);
		struct buf reply = BUF_INIT;
		itest_raw(&s, raw, strlen(raw), &reply);
		int status = 0;
		if (reply.data)
			sscanf(reply.data, "HTTP/1.%*d %d", &status);
		location_of(&reply, location, sizeof(location));
		if (status != cases[i].status || strcmp(location, cases[i].location) != 0)
			fail_msg("GET %s: %d \"%s\", want %d \"%s\"", cases[i].target, status,
			         location, cases[i].status, cases[i].location);
		buf_release(&reply);
	}
	assert_int_equal(itest_server_stop(&s), 0);
	itest_shell(NULL, "rm -rf '%s'", web);
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

/* PLACARD_ACCESS_LOG: the request lines go to that file, appended to; stderr keeps the rest. */
static void test_access_log_file(void **state)
{
	(void)state;
	NEED_DB();
	char path[128], env_log[160];
	snprintf(path, sizeof(path), "/tmp/placard-itest-access-%d.log", (int)getpid());
	assert_int_equal(itest_shell(NULL, "printf 'kept\\n' > '%s'", path), 0);
	snprintf(env_log, sizeof(env_log), "PLACARD_ACCESS_LOG=%s", path);
	const char *const env[] = { env_log, NULL };
	struct itest_server s;
	itest_server_start(&s, db_url, env);
	struct itest_response r;
	itest_get(&s, "/api/v1/version?probe=access-file", &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
	assert_int_equal(itest_server_stop(&s), 0);
	struct buf log = BUF_INIT;
	itest_shell(&log, "cat '%s'", path);
	assert_true(strncmp(log.data, "kept\n", 5) == 0);
	const char *line = strstr(log.data, "\"path\":\"/api/v1/version\"");
	assert_non_null(line);
	assert_non_null(strstr(line, "\"status\":200"));
	buf_truncate(&log, 0);
	itest_shell(&log, "cat '%s'", s.log_path);
	assert_non_null(strstr(log.data, "serving on"));
	assert_null(strstr(log.data, "\"path\":"));
	buf_release(&log);
	unlink(path);
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

/* The password of the staff members these tests add. */
#define STAFF_PASSWORD "correct horse battery staple"

/* Add the jurisdiction "testville" to @url unless it is there; its scheme is nyc. */
static void jurisdiction_add(const char *url)
{
	itest_sql(url, "INSERT INTO jurisdiction (code, name, scheme_code)"
	               " VALUES ('testville', 'Testville', 'nyc') ON CONFLICT (code) DO NOTHING");
}

/* Time since @t0, in seconds. */
static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * Send @method @path as @as (NULL: anonymous; @body as JSON when not NULL) while the
 * database is away: the answer
 * must be 503 with Retry-After and a problem document, within the store's connection
 * timeout (3 s) and some slack; the harness's own timeout (30 s) fails a hang.
 */
static void assert_unavailable(const struct staff_session *as, const char *method, const char *path,
                               const char *body)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct itest_response r;
	staff_request(&server, as, method, path, body, NULL, &r);
	double took = seconds_since(&t0);
	if (r.status != 503)
		fail_msg("%s %s with the database away: %ld, not 503: %s", method, path, r.status,
		         r.body.data ? r.body.data : "");
	const char *retry = itest_header(&r, "Retry-After");
	if (!retry || atoi(retry) <= 0)
		fail_msg("%s %s: 503 without a Retry-After in seconds", method, path);
	const char *type = itest_header(&r, "Content-Type");
	if (!type || strcmp(type, "application/problem+json") != 0)
		fail_msg("%s %s: 503 as %s, not application/problem+json", method, path,
		         type ? type : "(no Content-Type)");
	json_t *v = json_loads(r.body.data ? r.body.data : "", 0, NULL);
	if (!v || json_integer_value(json_object_get(v, "status")) != 503 ||
	    !json_is_string(json_object_get(v, "detail")))
		fail_msg("%s %s: the 503's body is not a problem document: %s", method, path,
		         r.body.data ? r.body.data : "");
	json_decref(v);
	if (took > 6.0)
		fail_msg("%s %s: the 503 took %.1f s", method, path, took);
	itest_response_free(&r);
}

/* GET @path from @s answers @want. */
static void assert_get_status(struct itest_server *s, const char *path, long want)
{
	struct itest_response r;
	itest_get(s, path, &r);
	if (r.status != want)
		fail_msg("GET %s: %ld, not %ld", path, r.status, want);
	itest_response_free(&r);
}

/* GET @path from @s: 200, and the value at @field ("name", "items.0.name") is @want. */
static void assert_name(struct itest_server *s, const char *path, const char *field,
                        const char *want)
{
	long status = 0;
	json_t *v = staff_call(s, NULL, "GET", path, NULL, NULL, &status);
	if (status != 200)
		fail_msg("GET %s: %ld", path, status);
	const char *got = json_walk_str(v, field);
	if (!got || strcmp(got, want) != 0)
		fail_msg("GET %s: %s is %s, not %s", path, field, got ? got : "(none)", want);
	json_decref(v);
}

/* The public record, a search and a sign-in, all answered from the database. */
static void assert_served(const char *est_path, const char *search_path, const char *login)
{
	struct itest_response r;
	assert_name(&server, est_path, "name", "Outage Test Noodle Bar");
	assert_name(&server, search_path, "items.0.name", "Outage Test Noodle Bar");
	itest_post_json(&server, "/api/v1/session", login, &r);
	assert_int_equal(r.status, 201);
	assert_non_null(itest_header(&r, "Set-Cookie"));
	itest_response_free(&r);
}

/* After the outage test, pass or fail: the cluster is running, for the tests after it. */
static int database_started(void **state)
{
	(void)state;
	const char *version = getenv("PGVERSION");
	if (version)
		itest_shell(NULL,
		            "pg_ctlcluster %s regress status >/dev/null 2>&1 ||"
		            " pg_ctlcluster %s regress start 2>&1",
		            version, version);
	return 0;
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
	struct buf out = BUF_INIT;
	if (staff_add(db_url, "outage", "clerk", STAFF_PASSWORD, "", &out) != 0)
		fail_msg("user add: %s", out.data);
	buf_release(&out);
	jurisdiction_add(db_url);
	itest_sql(db_url, "INSERT INTO establishment (jurisdiction_id, licence_number, name)"
	                  " SELECT id, 'OUTAGE-1', 'Outage Test Noodle Bar' FROM jurisdiction"
	                  " WHERE code = 'testville'");
	char est_path[64];
	snprintf(est_path, sizeof(est_path), "/api/v1/establishments/%lld",
	         itest_sql_count(db_url, "SELECT id FROM establishment"
	                                 " WHERE licence_number = 'OUTAGE-1'"));
	const char *search_path = "/api/v1/establishments?q=outage+noodle";
	const char *login = "{\"username\":\"outage\",\"password\":\"" STAFF_PASSWORD "\"}";
	const char *new_establishment = "{\"jurisdiction\":\"testville\","
	                                "\"licence_number\":\"OUTAGE-2\",\"name\":\"Outage Cafe\"}";
	struct staff_session clerk;

	assert_int_equal(healthz_status(), 200);
	assert_served(est_path, search_path, login);
	assert_int_equal(staff_login(&server, "outage", STAFF_PASSWORD, &clerk, NULL), 201);
	assert_int_equal(itest_shell(NULL, "pg_ctlcluster %s regress stop -m fast 2>&1", version),
	                 0);
	/* Every request while the database is away: 503, promptly, never a hang or a crash:
	 * health, a public record, a search, a sign-in and a clerk's change. Several rounds, so
	 * that both worker threads answer, after a failed connection and within the back-off
	 * after one. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(healthz_status(), 503);
		assert_unavailable(NULL, "GET", est_path, NULL);
		assert_unavailable(NULL, "GET", search_path, NULL);
		assert_unavailable(NULL, "POST", "/api/v1/session", login);
		assert_unavailable(&clerk, "POST", "/api/v1/establishments", new_establishment);
	}
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
	/* The same requests work again, on both threads, without a restart. */
	for (int i = 0; i < 4; i++)
		assert_served(est_path, search_path, login);
	/* The session made before the outage still holds; nothing was written during it. */
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM establishment"
	                                         " WHERE licence_number = 'OUTAGE-2'"),
	                 0);
	long status = 0;
	json_decref(staff_call(&server, &clerk, "POST", "/api/v1/establishments", new_establishment,
	                       NULL, &status));
	assert_int_equal(status, 201);
}

/*
 * Public reads come from PLACARD_READ_DATABASE_URL, everything staff do from
 * PLACARD_DATABASE_URL. The "replica" here is a second database that replicates nothing, so
 * each side's rows show which database answered.
 */
static void test_read_database_serves_public_reads(void **state)
{
	(void)state;
	NEED_DB();
	char read_url[256];
	itest_db_create("server_read", read_url, sizeof(read_url));
	jurisdiction_add(read_url);
	jurisdiction_add(db_url);
	/* An establishment only the read database has, at an id the write database does not
	 * use; and one only the write database has. */
	itest_sql(read_url,
	          "INSERT INTO establishment (id, jurisdiction_id, licence_number, name)"
	          " OVERRIDING SYSTEM VALUE SELECT 900001, id, 'READ-1', 'Replica Only Bistro'"
	          " FROM jurisdiction WHERE code = 'testville'");
	itest_sql(db_url, "INSERT INTO establishment (jurisdiction_id, licence_number, name)"
	                  " SELECT id, 'WRITE-1', 'Primary Only Canteen' FROM jurisdiction"
	                  " WHERE code = 'testville'");
	long long primary_id = itest_sql_count(
	        db_url, "SELECT id FROM establishment WHERE licence_number = 'WRITE-1'");
	assert_int_equal(itest_sql_count(read_url, "SELECT count(*) FROM establishment WHERE id = "
	                                           "900001"),
	                 1);
	struct buf out = BUF_INIT;
	if (staff_add(db_url, "writer", "clerk", STAFF_PASSWORD, "", &out) != 0)
		fail_msg("user add: %s", out.data);
	buf_release(&out);

	char env_read[300];
	snprintf(env_read, sizeof(env_read), "PLACARD_READ_DATABASE_URL=%s", read_url);
	const char *const env[] = { env_read, NULL };
	struct itest_server split;
	itest_server_start(&split, db_url, env);

	/* Public reads: the read database's establishment, not the write database's. */
	assert_name(&split, "/api/v1/establishments/900001", "name", "Replica Only Bistro");
	/* The server without a read database does not have it. */
	assert_get_status(&server, "/api/v1/establishments/900001", 404);
	char path[96];
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", primary_id);
	assert_get_status(&split, path, 404);
	assert_get_status(&server, path, 200);
	assert_name(&split, "/api/v1/establishments?q=replica+bistro", "items.0.name",
	            "Replica Only Bistro");
	json_t *v = staff_call(&split, NULL, "GET", "/api/v1/establishments?q=primary+canteen",
	                       NULL, NULL, &(long){ 0 });
	assert_int_equal(json_walk_int(v, "total"), 0);
	json_decref(v);

	/* Staff: the sign-in finds the account only the write database has, and a new
	 * establishment is written there, not to the read database. */
	struct staff_session clerk;
	assert_int_equal(staff_login(&split, "writer", STAFF_PASSWORD, &clerk, NULL), 201);
	long status = 0;
	v = staff_call(&split, &clerk, "POST", "/api/v1/establishments",
	               "{\"jurisdiction\":\"testville\",\"licence_number\":\"WRITE-2\","
	               "\"name\":\"Written Through Cafe\"}",
	               NULL, &status);
	assert_int_equal(status, 201);
	long long written = json_walk_int(v, "id");
	assert_true(written > 0);
	json_decref(v);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM establishment"
	                                         " WHERE licence_number = 'WRITE-2'"),
	                 1);
	assert_int_equal(itest_sql_count(read_url, "SELECT count(*) FROM establishment"
	                                           " WHERE licence_number = 'WRITE-2'"),
	                 0);
	assert_int_equal(itest_sql_count(read_url, "SELECT count(*) FROM staff_session"), 0);
	/* Until the replica has it, the public does not see it. */
	snprintf(path, sizeof(path), "/api/v1/establishments/%lld", written);
	assert_get_status(&split, path, 404);
	assert_get_status(&server, path, 200);

	assert_int_equal(itest_server_stop(&split), 0);
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
		cmocka_unit_test(test_static_redirect_stays_on_site),
		cmocka_unit_test(test_access_log_line),
		cmocka_unit_test(test_access_log_file),
		cmocka_unit_test_teardown(test_database_down_and_back, database_started),
		cmocka_unit_test(test_read_database_serves_public_reads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
