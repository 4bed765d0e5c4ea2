/* Unit tests for json/: strict decoding and typed field access with JSON-pointer errors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "core/buf.h"
#include "json/json.h"

static int decode(const char *s, json_t **v, struct json_error *err, struct arena *a)
{
	return json_decode(a, s, strlen(s), v, err);
}

static void test_valid(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	assert_int_equal(decode("{\"name\":\"Joe's\",\"n\":3}", &v, &err, a), 0);
	assert_true(json_is_object(v));
	arena_destroy(a); /* releases v */
}

static void test_malformed_says_where(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	assert_int_equal(decode("{\"name\": \"x\",\n  \"n\": }", &v, &err, a), -EINVAL);
	assert_null(v);
	assert_string_equal(err.field, "body");
	assert_non_null(strstr(err.detail, "line 2"));
	assert_int_equal(decode("", &v, &err, a), -EINVAL);
	assert_non_null(strstr(err.detail, "empty"));
	arena_destroy(a);
}

static void test_duplicates_and_trailing_refused(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	assert_int_equal(decode("{\"a\":1,\"a\":2}", &v, &err, a), -EINVAL);
	assert_non_null(strstr(err.detail, "duplicate"));
	assert_int_equal(decode("{\"a\":1} {}", &v, &err, a), -EINVAL);
	assert_int_equal(decode("{\"a\":1}x", &v, &err, a), -EINVAL);
	/* A body is not NUL-terminated: bytes after len must not be read. */
	assert_int_equal(json_decode(a, "{\"a\":1}garbage", 7, &v, &err), 0);
	arena_destroy(a);
}

static void test_depth_limit(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	json_t *v = NULL;
	struct json_error err;
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addstr(&b, "[");
	for (int i = 0; i < JSON_MAX_DEPTH; i++)
		buf_addstr(&b, "]");
	assert_int_equal(decode(b.data, &v, &err, a), 0);
	buf_release(&b);
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		buf_addstr(&b, "[");
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		buf_addstr(&b, "]");
	assert_int_equal(decode(b.data, &v, &err, a), -EINVAL);
	assert_non_null(strstr(err.detail, "Nested"));
	/* Far deeper than jansson's own limit: still a clean error, no crash. */
	buf_release(&b);
	for (int i = 0; i < 100000; i++)
		buf_addstr(&b, "[");
	assert_int_equal(decode(b.data, &v, &err, a), -EINVAL);
	buf_release(&b);
	arena_destroy(a);
}

static void test_string_and_array_limits(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct buf b = BUF_INIT;
	json_t *v = NULL;
	struct json_error err;
	buf_addstr(&b, "{\"note\":\"");
	for (int i = 0; i <= JSON_MAX_STRING; i++)
		buf_addch(&b, 'x');
	buf_addstr(&b, "\"}");
	assert_int_equal(decode(b.data, &v, &err, a), -EINVAL);
	assert_string_equal(err.field, "/note");
	buf_release(&b);
	buf_addstr(&b, "{\"list\":[");
	for (int i = 0; i <= JSON_MAX_ARRAY; i++)
		buf_addstr(&b, i ? ",1" : "1");
	buf_addstr(&b, "]}");
	assert_int_equal(decode(b.data, &v, &err, a), -EINVAL);
	assert_string_equal(err.field, "/list");
	buf_release(&b);
	/* jansson refuses \u0000 unless asked not to, so strings stay C strings. */
	assert_int_equal(decode("{\"s\":\"a\\u0000b\"}", &v, &err, a), -EINVAL);
	assert_string_equal(err.field, "body");
	assert_non_null(strstr(err.detail, "NUL"));
	arena_destroy(a);
}

static void test_fields(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	assert_int_equal(decode("{\"name\":\"Cafe\",\"points\":7,\"ok\":true,\"lat\":40.7,"
	                        "\"list\":[1,2],\"bad\":\"7\",\"nul\":null}",
	                        &v, &err, a),
	                 0);
	const char *s = NULL;
	int64_t i = 0;
	bool b = false;
	double d = 0;
	json_t *arr = NULL;
	assert_int_equal(json_field_string(v, "", "name", true, 100, &s, &err), 0);
	assert_string_equal(s, "Cafe");
	assert_int_equal(json_field_string(v, "", "name", true, 3, &s, &err), -EINVAL);
	assert_string_equal(err.field, "/name");
	assert_int_equal(json_field_int(v, "", "points", true, 0, 100, &i, &err), 0);
	assert_int_equal(i, 7);
	assert_int_equal(json_field_int(v, "/violations/3", "points", true, 8, 100, &i, &err),
	                 -EINVAL);
	assert_string_equal(err.field, "/violations/3/points");
	assert_int_equal(json_field_int(v, "", "bad", true, 0, 100, &i, &err), -EINVAL);
	assert_non_null(strstr(err.detail, "whole number"));
	assert_int_equal(json_field_bool(v, "", "ok", true, &b, &err), 0);
	assert_true(b);
	assert_int_equal(json_field_number(v, "", "lat", true, -90, 90, &d, &err), 0);
	assert_true(d > 40.6 && d < 40.8);
	assert_int_equal(json_field_number(v, "", "lat", true, -10, 10, &d, &err), -EINVAL);
	assert_int_equal(json_field_array(v, "", "list", true, 5, &arr, &err), 0);
	assert_int_equal(json_array_size(arr), 2);
	assert_int_equal(json_field_array(v, "", "list", true, 1, &arr, &err), -EINVAL);
	/* Absent or null: 1 when optional, an error naming the field when required. */
	assert_int_equal(json_field_string(v, "", "missing", false, 10, &s, &err), 1);
	assert_int_equal(json_field_string(v, "", "nul", false, 10, &s, &err), 1);
	assert_int_equal(json_field_string(v, "", "missing", true, 10, &s, &err), -EINVAL);
	assert_string_equal(err.field, "/missing");
	assert_non_null(strstr(err.detail, "required"));
	arena_destroy(a);
}

static void test_closed_schema(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	assert_int_equal(decode("{\"name\":\"x\",\"a/b\":1}", &v, &err, a), 0);
	const char *const allowed[] = { "name", NULL };
	assert_int_equal(json_only_keys(v, "", allowed, &err), -EINVAL);
	assert_string_equal(err.field, "/a~1b");
	const char *const all[] = { "name", "a/b", NULL };
	assert_int_equal(json_only_keys(v, "", all, &err), 0);
	assert_int_equal(json_expect_object(json_object_get(v, "name"), "/name", &err), -EINVAL);
	assert_string_equal(err.field, "/name");
	arena_destroy(a);
}

/* What jansson refuses on its own, each with a position; and our member limit. */
static void test_strict_text_and_numbers(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	json_t *v = NULL;
	struct json_error err;
	static const char *const bad[] = {
		"{\"a\":\"\xff\"}",
		"{\"a\":\"\xc0\xaf\"}",
		"{\"a\":\"\xed\xa0\x80\"}",
		"{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\u0000\"}",
		"{\"a\":1e400}",
		"{\"a\":99999999999999999999}",
		"{\"a\":NaN}",
		"{\"a\":01}",
		"\"just a string\"",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode(bad[i], &v, &err, a), -EINVAL);
		assert_string_equal(err.field, "body");
		assert_non_null(strstr(err.detail, "byte"));
	}
	/* Brackets inside strings do not count toward the depth. */
	assert_int_equal(
	        decode("{\"a\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\\"{{{{{{{{{{{{{{{{{{{{\"}",
	               &v, &err, a),
	        0);
	/* Deep input is refused before jansson, with the byte where it went too deep. */
	assert_int_equal(decode("[[[[[[[[[[[[[[[[[[[[[[[[[", &v, &err, a), -EINVAL);
	assert_non_null(strstr(err.detail, "at byte 16"));
	struct buf b = BUF_INIT;
	buf_addch(&b, '{');
	for (int i = 0; i <= JSON_MAX_MEMBERS; i++)
		buf_addf(&b, "%s\"k%d\":0", i ? "," : "", i);
	buf_addch(&b, '}');
	assert_int_equal(decode(b.data, &v, &err, a), -EINVAL);
	assert_non_null(strstr(err.detail, "members"));
	buf_release(&b);
	arena_destroy(a);
}

static void test_timestamps(void **state)
{
	(void)state;
	const char *good[] = { "2026-05-01T09:30:00Z", "2026-05-01T09:30Z",
		               "2026-12-31T23:59:59.999999Z", "2026-05-01T09:30:00+01:00",
		               "2026-05-01T09:30:00-05:00" };
	const char *bad[] = { "",
		              "2026-05-01",
		              "2026-05-01 09:30:00Z",
		              "2026-13-01T09:30:00Z",
		              "2026-00-10T09:30:00Z",
		              "2026-05-32T09:30:00Z",
		              "2026-05-01T24:00:00Z",
		              "2026-05-01T09:60:00Z",
		              "2026-05-01T09:30:00Z; DROP TABLE",
		              "2026-05-01T09:30:00.0000000000000000000000000Z",
		              "26-05-01T09:30:00Z" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(json_timestamp_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(json_timestamp_valid(bad[i]));
}

static void test_dates(void **state)
{
	(void)state;
	const char *good[] = { "2026-05-01", "1999-12-31", "2027-01-01" };
	const char *bad[] = { "",           "2026-5-01",     "2026-05-1",   "2026-13-01",
		              "2026-00-10", "2026-05-00",    "2026-05-32",  "2026/05/01",
		              "20260501",   "2026-05-01T00", "2026-05-01 ", "-infinity",
		              "2026-O5-01" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(json_date_valid(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(json_date_valid(bad[i]));
}

static void test_error_set(void **state)
{
	(void)state;
	struct json_error err;
	assert_int_equal(json_error_set(&err, "/started_at", "api.json.required", "name",
	                                "started_at", NULL),
	                 -EINVAL);
	assert_string_equal(err.field, "/started_at");
	assert_string_equal(err.code, "api.json.required");
	assert_string_equal(err.detail, "\"started_at\" is required.");
	/* In the thread's language; the code stays. */
	i18n_set_thread_language("zh-CN");
	json_error_set(&err, "/started_at", "api.json.required", "name", "started_at", NULL);
	i18n_set_thread_language(NULL);
	assert_string_equal(err.code, "api.json.required");
	assert_non_null(strstr(err.detail, "started_at"));
	assert_null(strstr(err.detail, "is required"));
	/* A sentence already made. */
	assert_int_equal(json_error_set_text(&err, "/x", NULL, "As it is."), -EINVAL);
	assert_string_equal(err.field, "/x");
	assert_null(err.code);
	assert_string_equal(err.detail, "As it is.");
}

int main(void)
{
	json_init();
	char why[512];
	if (i18n_load(PLACARD_SOURCE_ROOT "/web", why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_malformed_says_where),
		cmocka_unit_test(test_duplicates_and_trailing_refused),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_string_and_array_limits),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_closed_schema),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_error_set),
		cmocka_unit_test(test_strict_text_and_numbers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
