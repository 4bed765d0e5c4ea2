/* Unit tests for http/router: literals, typed parameters, 404 versus 405, Allow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "http/router.h"

static int h1(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 200;
}
static int h2(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 201;
}

static const struct http_route routes[] = {
	{ HTTP_GET, "/", h1, 0 },
	{ HTTP_GET, "/api/v1/establishments", h1, 0 },
	{ HTTP_POST, "/api/v1/establishments", h2, 0 },
	{ HTTP_GET | HTTP_PATCH, "/api/v1/establishments/{id:int}", h1, 0 },
	{ HTTP_GET, "/api/v1/schemes/{code}", h2, 0 },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/violations/{vid:int}", h1, 7 },
};

static struct router *make(void)
{
	struct router *r = NULL;
	char err[128];
	assert_int_equal(
	        router_new(routes, sizeof(routes) / sizeof(routes[0]), &r, err, sizeof(err)), 0);
	return r;
}

static int match(struct router *r, struct arena *a, enum http_method m, const char *path,
                 const struct http_route **route, struct http_param *params, unsigned *np,
                 unsigned *allow)
{
	return router_match(r, a, m, path, route, params, np, allow);
}

static void test_literal_and_method(void **state)
{
	(void)state;
	struct router *r = make();
	struct arena *a = arena_new();
	const struct http_route *route = NULL;
	struct http_param p[HTTP_MAX_PARAMS];
	unsigned np = 9, allow = 0;
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/establishments", &route, p, &np, &allow),
	                 0);
	assert_ptr_equal(route->handler, h1);
	assert_int_equal(np, 0);
	assert_int_equal(match(r, a, HTTP_POST, "/api/v1/establishments", &route, p, &np, &allow),
	                 0);
	assert_ptr_equal(route->handler, h2);
	assert_int_equal(match(r, a, HTTP_GET, "/", &route, p, &np, &allow), 0);
	/* GET implies HEAD. */
	assert_int_equal(match(r, a, HTTP_HEAD, "/api/v1/establishments", &route, p, &np, &allow),
	                 0);
	arena_destroy(a);
	router_free(r);
}

static void test_int_parameter(void **state)
{
	(void)state;
	struct router *r = make();
	struct arena *a = arena_new();
	const struct http_route *route = NULL;
	struct http_param p[HTTP_MAX_PARAMS];
	unsigned np = 0, allow = 0;
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/establishments/42", &route, p, &np, &allow),
	                 0);
	assert_int_equal(np, 1);
	assert_string_equal(p[0].name, "id");
	assert_string_equal(p[0].value, "42");
	assert_int_equal(p[0].int_value, 42);
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/establishments/9223372036854775807", &route,
	                       p, &np, &allow),
	                 0);
	assert_int_equal(p[0].int_value, INT64_MAX);
	const char *bad[] = { "/api/v1/establishments/0",
		              "/api/v1/establishments/042",
		              "/api/v1/establishments/-1",
		              "/api/v1/establishments/1x",
		              "/api/v1/establishments/9223372036854775808",
		              "/api/v1/establishments/ 1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(match(r, a, HTTP_GET, bad[i], &route, p, &np, &allow), -ENOENT);
	arena_destroy(a);
	router_free(r);
}

static void test_two_parameters(void **state)
{
	(void)state;
	struct router *r = make();
	struct arena *a = arena_new();
	const struct http_route *route = NULL;
	struct http_param p[HTTP_MAX_PARAMS];
	unsigned np = 0, allow = 0;
	assert_int_equal(match(r, a, HTTP_POST, "/api/v1/inspections/7/violations/99", &route, p,
	                       &np, &allow),
	                 0);
	assert_int_equal(route->flags, 7);
	assert_int_equal(np, 2);
	assert_int_equal(p[0].int_value, 7);
	assert_string_equal(p[1].name, "vid");
	assert_int_equal(p[1].int_value, 99);
	arena_destroy(a);
	router_free(r);
}

static void test_slug_parameter(void **state)
{
	(void)state;
	struct router *r = make();
	struct arena *a = arena_new();
	const struct http_route *route = NULL;
	struct http_param p[HTTP_MAX_PARAMS];
	unsigned np = 0, allow = 0;
	assert_int_equal(
	        match(r, a, HTTP_GET, "/api/v1/schemes/nyc-letters_2.0", &route, p, &np, &allow),
	        0);
	assert_string_equal(p[0].value, "nyc-letters_2.0");
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/schemes/..", &route, p, &np, &allow),
	                 -ENOENT);
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/schemes/a%20b", &route, p, &np, &allow),
	                 -ENOENT);
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/schemes/a b", &route, p, &np, &allow),
	                 -ENOENT);
	char longslug[300];
	memset(longslug, 'x', sizeof(longslug));
	strcpy(longslug, "/api/v1/schemes/");
	memset(longslug + 16, 'x', 129);
	longslug[16 + 129] = '\0';
	assert_int_equal(match(r, a, HTTP_GET, longslug, &route, p, &np, &allow), -ENOENT);
	longslug[16 + 128] = '\0';
	assert_int_equal(match(r, a, HTTP_GET, longslug, &route, p, &np, &allow), 0);
	arena_destroy(a);
	router_free(r);
}

static void test_not_found_and_method_not_allowed(void **state)
{
	(void)state;
	struct router *r = make();
	struct arena *a = arena_new();
	const struct http_route *route = NULL;
	struct http_param p[HTTP_MAX_PARAMS];
	unsigned np = 0, allow = 0;
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/nothing", &route, p, &np, &allow), -ENOENT);
	assert_int_equal(match(r, a, HTTP_GET, "/api/v1/establishments/", &route, p, &np, &allow),
	                 -ENOENT);
	assert_int_equal(match(r, a, HTTP_GET, "/api//v1/establishments", &route, p, &np, &allow),
	                 -ENOENT);
	assert_int_equal(match(r, a, HTTP_GET, "api/v1/establishments", &route, p, &np, &allow),
	                 -ENOENT);
	assert_int_equal(match(r, a, HTTP_DELETE, "/api/v1/establishments", &route, p, &np, &allow),
	                 -EPERM);
	assert_int_equal(allow, HTTP_GET | HTTP_HEAD | HTTP_POST);
	char text[64];
	router_allow_string(allow, text, sizeof(text));
	assert_string_equal(text, "GET, HEAD, POST");
	assert_int_equal(match(r, a, HTTP_PUT, "/api/v1/establishments/5", &route, p, &np, &allow),
	                 -EPERM);
	router_allow_string(allow, text, sizeof(text));
	assert_string_equal(text, "GET, HEAD, PATCH");
	arena_destroy(a);
	router_free(r);
}

static void test_bad_patterns_refused(void **state)
{
	(void)state;
	const struct http_route bad[][1] = {
		{ { HTTP_GET, "no-slash", h1, 0 } },
		{ { HTTP_GET, "/a//b", h1, 0 } },
		{ { HTTP_GET, "/a/{id:float}", h1, 0 } },
		{ { HTTP_GET, "/a/{}", h1, 0 } },
		{ { HTTP_GET, "/a/{a}/{b}/{c}/{d}/{e}", h1, 0 } },
		{ { 0, "/a", h1, 0 } },
		{ { HTTP_GET, "/a", NULL, 0 } },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct router *r = NULL;
		char err[128] = "";
		assert_int_equal(router_new(bad[i], 1, &r, err, sizeof(err)), -EINVAL);
		assert_null(r);
		assert_non_null(strstr(err, "malformed"));
	}
}

static void test_method_parse(void **state)
{
	(void)state;
	assert_int_equal(http_method_parse("GET"), HTTP_GET);
	assert_int_equal(http_method_parse("PATCH"), HTTP_PATCH);
	assert_int_equal(http_method_parse("get"), 0);
	assert_int_equal(http_method_parse("BREW"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literal_and_method),
		cmocka_unit_test(test_int_parameter),
		cmocka_unit_test(test_two_parameters),
		cmocka_unit_test(test_slug_parameter),
		cmocka_unit_test(test_not_found_and_method_not_allowed),
		cmocka_unit_test(test_bad_patterns_refused),
		cmocka_unit_test(test_method_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
