/* Unit tests for the problem+json renderer and response builders of the http layer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>

#include "http/internal.h"

static json_t *render(int status, const char *field, const char *detail, const char *instance)
{
	struct arena *a = arena_new();
	struct http_response res = { .fd = -1, .arena = a, .instance = instance };
	buf_init(&res.body);
	int rc = http_problem_text(&res, status, field, NULL, detail);
	assert_int_equal(rc, status);
	assert_int_equal(res.status, status);
	assert_string_equal(res.content_type, "application/problem+json");
	json_error_t e;
	json_t *v = json_loads(res.body.data, 0, &e);
	assert_non_null(v);
	buf_release(&res.body);
	arena_destroy(a);
	return v;
}

static void test_problem_members(void **state)
{
	(void)state;
	json_t *v = render(422, "/violations/2/code", "Unknown violation code \"99Z\".",
	                   "/api/v1/inspections/5");
	assert_string_equal(json_string_value(json_object_get(v, "type")), "about:blank");
	assert_string_equal(json_string_value(json_object_get(v, "title")),
	                    "Unprocessable Content");
	assert_int_equal(json_integer_value(json_object_get(v, "status")), 422);
	assert_string_equal(json_string_value(json_object_get(v, "detail")),
	                    "Unknown violation code \"99Z\".");
	assert_string_equal(json_string_value(json_object_get(v, "field")), "/violations/2/code");
	assert_string_equal(json_string_value(json_object_get(v, "instance")),
	                    "/api/v1/inspections/5");
	json_decref(v);
}

static void test_problem_without_field_and_escaping(void **state)
{
	(void)state;
	json_t *v = render(404, NULL, "line\nbreak \"quoted\" \\ back", "/x\"y");
	assert_null(json_object_get(v, "field"));
	assert_string_equal(json_string_value(json_object_get(v, "detail")),
	                    "line\nbreak \"quoted\" \\ back");
	assert_string_equal(json_string_value(json_object_get(v, "instance")), "/x\"y");
	json_decref(v);
}

/* A problem named by its key: "code" is the key, "detail" the sentence in the thread's
 * language. */
static void test_problem_keyed(void **state)
{
	(void)state;
	const char *langs[] = { "en", "zh-CN", I18N_PSEUDO };
	const char *want[] = { "\"limit\" must be from 1 to 100.", NULL,
		               "⟦\"limit\" must be from 1 to 100.⟧" };
	for (size_t i = 0; i < 3; i++) {
		struct arena *a = arena_new();
		struct http_response res = { .fd = -1, .arena = a, .instance = "/api/v1/x" };
		buf_init(&res.body);
		i18n_set_thread_language(langs[i]);
		assert_int_equal(http_problem(&res, 400, "limit", "api.query.limit_range", "max",
		                              I18N_INT(100), NULL),
		                 400);
		i18n_set_thread_language(NULL);
		json_t *v = json_loads(res.body.data, 0, NULL);
		assert_non_null(v);
		assert_string_equal(json_string_value(json_object_get(v, "code")),
		                    "api.query.limit_range");
		assert_string_equal(json_string_value(json_object_get(v, "field")), "limit");
		const char *detail = json_string_value(json_object_get(v, "detail"));
		if (want[i])
			assert_string_equal(detail, want[i]);
		else
			assert_true(strstr(detail, "limit") && strstr(detail, "100") &&
			            !strstr(detail, "must be"));
		json_decref(v);
		buf_release(&res.body);
		arena_destroy(a);
	}
	/* Without a code, none is given. */
	json_t *v = render(404, NULL, "x", "/y");
	assert_null(json_object_get(v, "code"));
	json_decref(v);
}

static void test_titles(void **state)
{
	(void)state;
	assert_string_equal(http_status_title(413), "Content Too Large");
	assert_string_equal(http_status_title(503), "Service Unavailable");
	assert_string_equal(http_status_title(599), "Error");
}

static void test_respond_buf_takes_storage(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct http_response res = { .fd = -1, .arena = a };
	buf_init(&res.body);
	struct buf b = BUF_INIT;
	buf_addstr(&b, "{\"ok\":true}");
	assert_int_equal(http_respond_buf(&res, 201, "application/json", &b), 201);
	assert_int_equal(b.len, 0);
	assert_string_equal(res.body.data, "{\"ok\":true}");
	http_header_add(&res, "ETag", "\"1\"");
	assert_string_equal(res.headers->name, "ETag");
	buf_release(&res.body);
	arena_destroy(a);
}

/* Paths and jansson's messages may hold any byte: the document stays valid UTF-8 JSON. */
static void test_problem_invalid_utf8_replaced(void **state)
{
	(void)state;
	json_t *v = render(400, "body", "near '\xc0\xaf' and \xed\xa0\x80 but caf\xc3\xa9",
	                   "/api/v1/\xff\xfe/\xf4\x90\x80\x80");
	assert_string_equal(json_string_value(json_object_get(v, "detail")),
	                    "near '\xef\xbf\xbd\xef\xbf\xbd' and "
	                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd but caf\xc3\xa9");
	assert_string_equal(json_string_value(json_object_get(v, "instance")),
	                    "/api/v1/\xef\xbf\xbd\xef\xbf\xbd/"
	                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	json_decref(v);
}

int main(void)
{
	char why[512];
	if (i18n_load(PLACARD_SOURCE_ROOT "/web", why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_problem_members),
		cmocka_unit_test(test_problem_without_field_and_escaping),
		cmocka_unit_test(test_problem_keyed),
		cmocka_unit_test(test_titles),
		cmocka_unit_test(test_problem_invalid_utf8_replaced),
		cmocka_unit_test(test_respond_buf_takes_storage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
