/* Unit tests for the http layer's Accept-Encoding reading (src/http/encode.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "http/internal.h"

static void test_accepts_gzip(void **state)
{
	(void)state;
	const char *yes[] = {
		"gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "GZIP",        "x-gzip",
		"*",    "deflate, *;q=0.1",  " gzip ;q=1",           "gzip;q=0.001"
	};
	const char *no[] = { "",         "identity",   "br, deflate",
		             "gzip;q=0", "gzip;q=0.0", "gzip; q=0.000, identity",
		             "*;q=0",    "gzipx",      "xgzip",
		             "gzip-ish", ",,,",        ";q=1" };
	assert_false(http_accepts_gzip(NULL));
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!http_accepts_gzip(yes[i]))
			fail_msg("should accept: \"%s\"", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (http_accepts_gzip(no[i]))
			fail_msg("should refuse: \"%s\"", no[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_gzip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
