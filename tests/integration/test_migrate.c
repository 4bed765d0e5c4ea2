/*
 * placard migrate against a real database: applies in order, records checksums, is a no-op
 * the second time, refuses an edited or vanished migration; placard migrate and placard serve
 * refuse a database that is not UTF8.
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

/* A database as initdb makes it without a UTF-8 locale in its environment. */
static void ascii_database(char *ret_url, size_t size)
{
	char sql[512];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS placard_ascii_%d", (int)getpid());
	itest_sql("dbname=postgres", sql);
	snprintf(sql, sizeof(sql),
	         "CREATE DATABASE placard_ascii_%d ENCODING 'SQL_ASCII' TEMPLATE template0"
	         " LC_COLLATE 'C' LC_CTYPE 'C'",
	         (int)getpid());
	itest_sql("dbname=postgres", sql);
	snprintf(ret_url, size, "dbname=placard_ascii_%d", (int)getpid());
}

static void drop_ascii_database(void)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS placard_ascii_%d", (int)getpid());
	itest_sql("dbname=postgres", sql);
}

static void assert_says_how(const struct buf *out)
{
	assert_non_null(out->data);
	if (!strstr(out->data, "has encoding SQL_ASCII, but Placard needs UTF8") ||
	    !strstr(out->data, "createdb -E UTF8 -T template0 --locale=C.UTF-8 placard_ascii_"))
		fail_msg("no refusal that says how to create a UTF8 database in: %s", out->data);
}

static void test_sql_ascii_database_refused_by_migrate(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	char ascii[128];
	ascii_database(ascii, sizeof(ascii));
	struct buf out = BUF_INIT;
	assert_int_equal(
	        itest_shell(&out,
	                    "PLACARD_DATABASE_URL='%s' PLACARD_SQL_DIR='%s' '%s' migrate 2>&1",
	                    ascii, dir, itest_bin()),
	        1);
	assert_says_how(&out);
	assert_null(strstr(out.data, "applied"));
	buf_release(&out);
	drop_ascii_database();
}

static void test_sql_ascii_database_refused_by_serve(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	char ascii[128];
	ascii_database(ascii, sizeof(ascii));
	struct buf out = BUF_INIT;
	/* A server that did not refuse would run until timeout stops it (124). */
	assert_int_equal(
	        itest_shell(&out,
	                    "PLACARD_DATABASE_URL='%s' PLACARD_LISTEN=127.0.0.1:0"
	                    " PLACARD_PUBLIC_URL=https://placard.test timeout 20 '%s' serve 2>&1",
	                    ascii, itest_bin()),
	        1);
	assert_says_how(&out);
	assert_null(strstr(out.data, "listening on"));
	buf_release(&out);
	/* The read database is checked too. */
	buf_truncate(&out, 0);
	assert_int_equal(
	        itest_shell(&out,
	                    "PLACARD_DATABASE_URL='%s' PLACARD_READ_DATABASE_URL='%s'"
	                    " PLACARD_LISTEN=127.0.0.1:0 PLACARD_PUBLIC_URL=https://placard.test "
	                    "timeout 20 '%s' serve 2>&1",
	                    url, ascii, itest_bin()),
	        1);
	assert_says_how(&out);
	buf_release(&out);
	drop_ascii_database();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_then_noop),
		cmocka_unit_test(test_new_file_applies_alone),
		cmocka_unit_test(test_failed_migration_leaves_nothing),
		cmocka_unit_test(test_changed_file_refused),
		cmocka_unit_test(test_missing_file_refused),
		cmocka_unit_test(test_sql_ascii_database_refused_by_migrate),
		cmocka_unit_test(test_sql_ascii_database_refused_by_serve),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
