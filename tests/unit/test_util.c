/*
 * Unit tests for core/util.c: calendar dates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "core/util.h"

static void test_date_valid(void **state)
{
	(void)state;
	const char *good[] = { "2026-05-01", "2026-01-31", "2026-12-31", "2028-02-29", "2000-02-29",
		               "2026-02-28", "2026-04-30", "0001-01-01", "9999-12-31" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!date_valid(good[i]))
			fail_msg("%s refused", good[i]);
	const char *bad[] = { "2026-02-29", "1900-02-29", "2026-02-30",       "2026-04-31",
		              "2026-06-31", "2026-13-01", "2026-00-10",       "2026-05-00",
		              "2026-05-32", "0000-01-01", "2026-5-01",        "2026-05-1",
		              "20260501",   "2026/05/01", "2026-05-01T00:00", " 2026-05-01",
		              "2026-05-0a", "",           "+026-05-01",       "2026-+5-01" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (date_valid(bad[i]))
			fail_msg("%s accepted", bad[i]);
	/* Every day of a leap year and of a common year, and the day after each month's last. */
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	for (int year = 2027; year <= 2028; year++)
		for (int m = 1; m <= 12; m++) {
			int last = days[m - 1] + (m == 2 && year == 2028);
			char s[48];
			for (int d = 1; d <= last + 1; d++) {
				snprintf(s, sizeof(s), "%04d-%02d-%02d", year, m, d);
				assert_int_equal(date_valid(s), d <= last);
			}
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_date_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
