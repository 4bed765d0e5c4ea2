/* Unit tests for core/buf: invariants, growth, detach, formatting, JSON escaping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"

static void test_empty_is_terminated(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
	assert_string_equal(b.data, "");
}

static void test_grow_and_terminate(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_addch(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 1000);
	assert_int_equal(b.data[1000], '\0');
	assert_true(b.cap > 1000);
	assert_int_equal(b.data[27], 'b');
	buf_truncate(&b, 3);
	assert_string_equal(b.data, "abc");
	buf_truncate(&b, 10);
	assert_string_equal(b.data, "abc");
	buf_release(&b);
}

static void test_addf(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_addstr(&b, "score ");
	buf_addf(&b, "%d of %s", 13, "A");
	assert_string_equal(b.data, "score 13 of A");
	buf_release(&b);
}

static void test_detach(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	size_t len = 99;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "");
	assert_int_equal(len, 0);
	free(p);
	buf_addstr(&b, "grade");
	p = buf_detach(&b, &len);
	assert_string_equal(p, "grade");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	free(p);
}

static void test_json_escape(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add_json_escaped(&b, "a\"b\\c\nd\te\x01");
	assert_string_equal(b.data, "a\\\"b\\\\c\\nd\\te\\u0001");
	buf_release(&b);
}

static void test_add_binary(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	buf_add(&b, "", 0);
	assert_int_equal(b.len, 3);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_terminated),
		cmocka_unit_test(test_grow_and_terminate),
		cmocka_unit_test(test_addf),
		cmocka_unit_test(test_detach),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_add_binary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
