/*
 * The role matrix: every staff route of the real route table (api_routes[], linked from the
 * library), called anonymously and as each of the five roles. Anonymous gets 401; a role the
 * route does not list gets 403; a role it lists gets past the check (anything but 401/403).
 * Routes added later are covered without touching this file.
 *
 * Each call uses the route's first method, path parameters filled in ({id:int} -> 1,
 * {name} -> "x"), a live session with its CSRF token, and {} as the body of POST, PUT and
 * PATCH. Staff id 1 is a spare account, so routes that act on "staff 1" harm no session.
 *
 * Every one of those answers, and every answer but a public read's, carries
 * Cache-Control: no-store; so does every staff GET when it succeeds, on real records.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "harness.h"
#include "staff.h"

#define PASSWORD "role matrix password"

static const struct {
	const char *name;
	unsigned flag;
} roles[] = {
	{ "admin", API_ADMIN },
	{ "clerk", API_CLERK },
	{ "inspector", API_INSPECTOR },
	{ "supervisor", API_SUPERVISOR },
	{ "hearing_officer", API_HEARING_OFFICER },
};
#define NROLES (sizeof(roles) / sizeof(roles[0]))

static struct itest_server server;
static char db_url[256];
static struct staff_session sessions[NROLES];

static void sign_in(size_t i)
{
	char name[32];
	snprintf(name, sizeof(name), "matrix_%s", roles[i].name);
	if (staff_login(&server, name, PASSWORD, &sessions[i], NULL) != 201)
		fail_msg("cannot sign in as %s", name);
}

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("roles", db_url, sizeof(db_url));
	struct buf out = BUF_INIT;
	if (staff_add(db_url, "matrix_spare", "clerk", PASSWORD, "", &out) != 0)
		fail_msg("placard user add failed: %s", out.data);
	for (size_t i = 0; i < NROLES; i++) {
		char name[32];
		snprintf(name, sizeof(name), "matrix_%s", roles[i].name);
		if (staff_add(db_url, name, roles[i].name, PASSWORD, "", &out) != 0)
			fail_msg("placard user add failed: %s", out.data);
	}
	buf_release(&out);
	itest_server_start(&server, db_url, NULL);
	for (size_t i = 0; i < NROLES; i++)
		sign_in(i);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

/* The pattern with each parameter replaced: {x:int} -> 1, {x} -> x. */
static void fill_path(const char *pattern, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 2 < size;) {
		if (*p != '{') {
			out[n++] = *p++;
			continue;
		}
		const char *end = strchr(p, '}');
		if (!end)
			fail_msg("malformed pattern %s", pattern);
		const char *colon = memchr(p, ':', (size_t)(end - p));
		out[n++] = colon && strncmp(colon, ":int}", 5) == 0 ? '1' : 'x';
		p = end + 1;
	}
	out[n] = '\0';
}

static const char *first_method(unsigned methods)
{
	static const struct {
		unsigned m;
		const char *name;
	} names[] = { { HTTP_GET, "GET" },        { HTTP_HEAD, "HEAD" },
		      { HTTP_POST, "POST" },      { HTTP_PUT, "PUT" },
		      { HTTP_PATCH, "PATCH" },    { HTTP_DELETE, "DELETE" },
		      { HTTP_OPTIONS, "OPTIONS" } };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (methods & names[i].m)
			return names[i].name;
	return NULL;
}

static void test_every_route_is_public_or_has_roles(void **state)
{
	(void)state;
	assert_true(api_nroutes > 0);
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct http_route *r = &api_routes[i];
		if (!(r->flags & (API_PUBLIC | API_ANY_STAFF)))
			fail_msg("route %s is neither API_PUBLIC nor open to any role", r->pattern);
		if ((r->flags & API_PUBLIC) && (r->flags & API_ANY_STAFF))
			fail_msg("route %s is both API_PUBLIC and for roles: which?", r->pattern);
		assert_non_null(first_method(r->methods));
	}
}

/* Make sure role @i's session is alive (a route may have signed it out). */
static void ensure_session(size_t i)
{
	struct itest_response r;
	staff_request(&server, &sessions[i], "GET", "/api/v1/session", NULL, NULL, &r);
	long st = r.status;
	itest_response_free(&r);
	if (st == 401)
		sign_in(i);
	else if (st != 200)
		fail_msg("GET /api/v1/session as %s: %ld", roles[i].name, st);
}

/* Assert that @r carries Cache-Control: no-store. */
static void expect_no_store(const struct itest_response *r, const char *method, const char *path,
                            const char *who)
{
	const char *cc = itest_header(r, "Cache-Control");
	if (!cc || strcmp(cc, "no-store") != 0)
		fail_msg("%s %s as %s: %ld with Cache-Control \"%s\", want no-store", method, path,
		         who, r->status, cc ? cc : "(none)");
}

static void test_role_matrix(void **state)
{
	(void)state;
	if (!server.pid)
		skip();
	size_t checked = 0;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct http_route *route = &api_routes[i];
		if (route->flags & API_PUBLIC)
			continue;
		char path[512];
		fill_path(route->pattern, path, sizeof(path));
		const char *method = first_method(route->methods);
		const char *body =
		        route->methods & (HTTP_POST | HTTP_PUT | HTTP_PATCH) ? "{}" : NULL;
		struct itest_response r;

		staff_request(&server, NULL, method, path, body, NULL, &r);
		if (r.status != 401)
			fail_msg("%s %s anonymously: %ld, want 401: %s", method, path, r.status,
			         r.body.data);
		expect_no_store(&r, method, path, "nobody");
		itest_response_free(&r);

		for (size_t k = 0; k < NROLES; k++) {
			ensure_session(k);
			staff_request(&server, &sessions[k], method, path, body, NULL, &r);
			bool allowed = route->flags & roles[k].flag;
			if (allowed && (r.status == 401 || r.status == 403))
				fail_msg("%s %s as %s: %ld, but the role is allowed: %s", method,
				         path, roles[k].name, r.status, r.body.data);
			if (!allowed && r.status != 403)
				fail_msg("%s %s as %s: %ld, want 403: %s", method, path,
				         roles[k].name, r.status, r.body.data);
			expect_no_store(&r, method, path, roles[k].name);
			itest_response_free(&r);
			checked++;
		}
	}
	print_message("role matrix: %zu route/role pairs checked\n", checked);
	assert_true(checked > 0);
}

/* POST @body to @path as role @k; assert @want and return the answer's "id". */
static long long create(size_t k, const char *path, const char *body, const char *extra, long want)
{
	struct itest_response r;
	ensure_session(k);
	staff_request(&server, &sessions[k], "POST", path, body, extra, &r);
	if (r.status != want)
		fail_msg("POST %s: %ld: %s", path, r.status, r.body.data);
	json_t *v = json_loads(r.body.data, 0, NULL);
	long long id = json_integer_value(json_object_get(v, "id"));
	json_decref(v);
	itest_response_free(&r);
	return id;
}

/* @pattern with {id:int} after "establishments/" as @est, after "inspections/" as @insp,
 * other integers 1, other parameters "x". */
static void fill_with(const char *pattern, long long est, long long insp, char *out, size_t size)
{
	size_t n = 0;
	for (const char *p = pattern; *p && n + 24 < size;) {
		if (*p != '{') {
			out[n++] = *p++;
			continue;
		}
		const char *end = strchr(p, '}');
		if (!end)
			fail_msg("malformed pattern %s", pattern);
		const char *colon = memchr(p, ':', (size_t)(end - p));
		long long v = 1;
		if (n >= 15 && strncmp(out + n - 15, "establishments/", 15) == 0)
			v = est;
		else if (n >= 12 && strncmp(out + n - 12, "inspections/", 12) == 0)
			v = insp;
		n += colon && strncmp(colon, ":int}", 5) == 0
		             ? (size_t)snprintf(out + n, size - n, "%lld", v)
		             : (size_t)snprintf(out + n, size - n, "x");
		p = end + 1;
	}
	out[n] = '\0';
}

/*
 * Every staff GET, on an establishment and a submitted inspection that exist, as every role
 * it allows: the answer (200 or not) carries no-store, and most of them succeed, so the
 * check covers real records and not only refusals.
 */
static void test_staff_reads_are_no_store(void **state)
{
	(void)state;
	if (!server.pid)
		skip();
	enum { ADMIN, CLERK, INSPECTOR };
	create(ADMIN, "/api/v1/jurisdictions",
	       "{\"code\":\"nostore\",\"name\":\"No Store\",\"scheme\":\"nyc\"}", NULL, 201);
	long long est = create(CLERK, "/api/v1/establishments",
	                       "{\"jurisdiction\":\"nostore\",\"licence_number\":\"NS-1\","
	                       "\"name\":\"No Store Diner\",\"address_line\":\"1 Cache St\","
	                       "\"postcode\":\"10001\",\"cuisine\":\"Diner\"}",
	                       NULL, 201);
	char body[256];
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\","
	         "\"started_at\":\"2026-01-10T10:00:00Z\",\"violations\":[{\"code\":\"04L\","
	         "\"points\":5}],\"submit\":true}",
	         est);
	long long insp =
	        create(INSPECTOR, "/api/v1/inspections", body, "Idempotency-Key: no-store-1", 201);
	assert_true(est > 0 && insp > 0);

	size_t checked = 0, ok = 0, routes = 0;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct http_route *route = &api_routes[i];
		if ((route->flags & API_PUBLIC) || !(route->methods & HTTP_GET))
			continue;
		routes++;
		char path[512];
		fill_with(route->pattern, est, insp, path, sizeof(path));
		for (size_t k = 0; k < NROLES; k++) {
			if (!(route->flags & roles[k].flag))
				continue;
			ensure_session(k);
			struct itest_response r;
			staff_request(&server, &sessions[k], "GET", path, NULL, NULL, &r);
			expect_no_store(&r, "GET", path, roles[k].name);
			ok += r.status == 200;
			checked++;
			itest_response_free(&r);
		}
	}
	print_message("staff reads: %zu routes, %zu route/role pairs, %zu answered 200, all "
	              "no-store\n",
	              routes, checked, ok);
	/* Only a photo and an appeal that do not exist are expected to be missing. */
	assert_true(routes >= 10);
	assert_true(ok + 8 >= checked);
}

/* Answers that are not public reads are never kept either: sign-in and the operator's. */
static void test_public_changes_are_no_store(void **state)
{
	(void)state;
	if (!server.pid)
		skip();
	size_t checked = 0;
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct http_route *route = &api_routes[i];
		if (!(route->flags & API_PUBLIC) || (route->methods & (HTTP_GET | HTTP_HEAD)))
			continue;
		char path[512];
		fill_path(route->pattern, path, sizeof(path));
		const char *method = first_method(route->methods);
		struct itest_response r;
		staff_request(&server, NULL, method, path, "{}", NULL, &r);
		expect_no_store(&r, method, path, "nobody");
		itest_response_free(&r);
		checked++;
	}
	assert_true(checked >= 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_public_or_has_roles),
		cmocka_unit_test(test_role_matrix),
		cmocka_unit_test(test_staff_reads_are_no_store),
		cmocka_unit_test(test_public_changes_are_no_store),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
