/*
 * Unit tests for the store's COPY text-format escaping: what store_copy_escape writes,
 * store_copy_unescape reads back, for every byte; \N is SQL NULL; PostgreSQL's own escapes
 * (\b \f \n \r \t \v, and a backslash before any other character) are undone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/buf.h"
#include "store/store.h"

static void test_round_trip_every_byte(void **state)
{
	(void)state;
	char all[256];
	for (int i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	struct buf b = BUF_INIT;
	store_copy_escape(&b, all);
	assert_null(memchr(b.data, '\t', b.len)); /* a field never holds a raw separator */
	assert_null(memchr(b.data, '\n', b.len));
	char *back = store_copy_unescape(b.data);
	assert_non_null(back);
	assert_string_equal(back, all);
	buf_release(&b);
}

static void test_postgres_escapes(void **state)
{
	(void)state;
	char nul[] = "\\N";
	assert_null(store_copy_unescape(nul));
	char not_nul[] = "\\\\N"; /* a backslash and an N */
	assert_string_equal(store_copy_unescape(not_nul), "\\N");
	char text[] = "a\\bb\\fc\\nd\\re\\tf\\vg\\\\h\\.i";
	assert_string_equal(store_copy_unescape(text), "a\bb\fc\nd\re\tf\vg\\h.i");
	char trailing[] = "end\\";
	assert_string_equal(store_copy_unescape(trailing), "end\\");
	char empty[] = "";
	assert_string_equal(store_copy_unescape(empty), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_every_byte),
		cmocka_unit_test(test_postgres_escapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
