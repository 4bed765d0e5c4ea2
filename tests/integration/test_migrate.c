/*
 * placard migrate against a real database: applies in order, records checksums, is a no-op
 * the second time, refuses an edited or vanished migration.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char url[256];
static char dir[128];

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	char sql[512];
	snprintf(url, sizeof(url), "dbname=placard_migrate_%d", (int)getpid());
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS placard_migrate_%d", (int)getpid());
	itest_sql("dbname=postgres", sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE placard_migrate_%d", (int)getpid());
	itest_sql("dbname=postgres", sql);
	snprintf(dir, sizeof(dir), "/tmp/placard-migrate-%d", (int)getpid());
	assert_int_equal(itest_shell(NULL, "rm -rf %s && mkdir -p %s && cp %s/sql/*.sql %s", dir,
	                             dir, itest_source_root(), dir),
	                 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (dir[0])
		itest_shell(NULL, "rm -rf %s", dir);
	return 0;
}

static int migrate(struct buf *out)
{
	return itest_shell(out, "PLACARD_DATABASE_URL='%s' PLACARD_SQL_DIR='%s' '%s' migrate 2>&1",
	                   url, dir, itest_bin());
}

static void test_apply_then_noop(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 0);
	assert_null(strstr(out.data, " 0 migrations applied"));
	buf_truncate(&out, 0);
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied"));
	buf_release(&out);
}

static void test_new_file_applies_alone(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	assert_int_equal(
	        itest_shell(NULL, "printf 'CREATE TABLE t_extra (x int);\\n' > %s/9000_extra.sql",
	                    dir),
	        0);
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "1 migration applied"));
	buf_release(&out);
}

static void test_failed_migration_leaves_nothing(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	assert_int_equal(itest_shell(NULL,
	                             "printf 'CREATE TABLE t_half (x int);\\nSELECT nonsense;\\n' "
	                             "> %s/9001_broken.sql",
	                             dir),
	                 0);
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 1);
	assert_non_null(strstr(out.data, "9001_broken.sql"));
	buf_truncate(&out, 0);
	/* The table from the failed file's first statement was rolled back with it. */
	assert_int_equal(
	        itest_shell(&out, "psql -XAtc \"SELECT to_regclass('t_half') IS NULL\" '%s'", url),
	        0);
	assert_non_null(strstr(out.data, "t"));
	itest_shell(NULL, "rm %s/9001_broken.sql", dir);
	buf_release(&out);
}

static void test_changed_file_refused(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	assert_int_equal(itest_shell(NULL, "printf -- '-- edited\\n' >> %s/9000_extra.sql", dir),
	                 0);
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 1);
	assert_non_null(strstr(out.data, "9000_extra.sql was changed after it was applied"));
	buf_release(&out);
}

static void test_missing_file_refused(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	assert_int_equal(itest_shell(NULL, "rm %s/9000_extra.sql", dir), 0);
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 1);
	assert_non_null(strstr(out.data, "no longer in"));
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_then_noop),
		cmocka_unit_test(test_new_file_applies_alone),
		cmocka_unit_test(test_failed_migration_leaves_nothing),
		cmocka_unit_test(test_changed_file_refused),
		cmocka_unit_test(test_missing_file_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
