/*
 * placard migrate against a real database: applies in order, records checksums, is a no-op
 * the second time, refuses an edited or vanished migration; applies a changed function file
 * (sql/functions) and only that one, whatever the files' order, all or nothing; every
 * function in the migrated database has exactly one file; placard migrate and placard serve
 * refuse a database that is not UTF8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
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
	assert_int_equal(itest_shell(NULL,
	                             "rm -rf %s && mkdir -p %s/functions && cp %s/sql/*.sql %s &&"
	                             " cp %s/sql/functions/*.sql %s/functions",
	                             dir, dir, itest_source_root(), dir, itest_source_root(), dir),
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

/*
 * When the scoring schemes cannot be published, migrate says what the database said, not a
 * sentence meant for a web client: the operator has only this output to go on.
 */
static void test_schemes_failure_says_why(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 0);
	itest_sql(url, "ALTER TABLE scheme_version RENAME TO scheme_version_away");
	buf_truncate(&out, 0);
	int rc = migrate(&out);
	itest_sql(url, "ALTER TABLE scheme_version_away RENAME TO scheme_version");
	assert_int_equal(rc, 1);
	if (!strstr(out.data, "cannot publish the scoring schemes") ||
	    !strstr(out.data, "relation \"scheme_version\" does not exist"))
		fail_msg("no database error in: %s", out.data);
	buf_release(&out);
}

/* The first line psql prints for @sql in the test database, in @out (cleared first). */
static void query(struct buf *out, const char *sql)
{
	buf_truncate(out, 0);
	assert_int_equal(itest_shell(out, "psql -XAtc \"%s\" '%s' 2>&1", sql, url), 0);
	assert_non_null(out->data);
	char *nl = strchr(out->data, '\n');
	if (nl)
		*nl = '\0';
}

/*
 * Every function, trigger function and view of the migrated database (extensions' own
 * excepted) has exactly one file in sql/functions, named after it, that defines it and
 * nothing else; every file defines a function the database has.
 */
static void test_every_function_has_one_file(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	struct buf out = BUF_INIT;
	/* Views: none so far; one would need its file like a function. */
	query(&out, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
	            " WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm')");
	assert_string_equal(out.data, "0");
	query(&out, "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
	            " WHERE n.nspname = 'public' AND p.prokind <> 'f'");
	assert_string_equal(out.data, "0");
	/* The functions, one name a line, sorted; then the files' stems, sorted the same way. */
	buf_truncate(&out, 0);
	assert_int_equal(
	        itest_shell(&out,
	                    "psql -XAtc \"SELECT p.proname FROM pg_proc p"
	                    " JOIN pg_namespace n ON n.oid = p.pronamespace"
	                    " WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d"
	                    " WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid"
	                    " AND d.deptype = 'e')\" '%s' | LC_ALL=C sort",
	                    url),
	        0);
	struct buf files = BUF_INIT;
	assert_int_equal(itest_shell(&files,
	                             "cd %s/sql/functions && ls *.sql | sed 's/[.]sql$//'"
	                             " | LC_ALL=C sort",
	                             itest_source_root()),
	                 0);
	assert_non_null(out.data);
	assert_non_null(files.data);
	/* An overloaded name would be listed twice, and have no file of its own. */
	if (strcmp(out.data, files.data) != 0)
		fail_msg("functions in the database:\n%s\nfiles in sql/functions:\n%s", out.data,
		         files.data);
	/* Each file defines exactly one function, the one it is named after. */
	buf_truncate(&out, 0);
	assert_int_equal(
	        itest_shell(&out,
	                    "cd %s/sql/functions && for f in *.sql; do"
	                    " n=$(grep -c '^CREATE ' \"$f\");"
	                    " grep -qE \"^CREATE OR REPLACE FUNCTION ${f%%.sql}[(]\" \"$f\" &&"
	                    " [ \"$n\" = 1 ] || echo \"$f\"; done",
	                    itest_source_root()),
	        0);
	if (out.len)
		fail_msg("files that do not define exactly their own function: %s", out.data);
	buf_release(&files);
	buf_release(&out);
}

static void test_function_files_recorded_once(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	struct buf out = BUF_INIT;
	/* Every file was applied by the first run; the second applied nothing. */
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 0 function files applied"));
	struct buf files = BUF_INIT;
	assert_int_equal(itest_shell(&files, "ls %s/functions/*.sql | wc -l", dir), 0);
	query(&out, "SELECT count(*) FROM schema_functions");
	assert_int_equal(atoi(out.data), atoi(files.data));
	assert_true(atoi(out.data) > 30);
	buf_release(&files);
	buf_release(&out);
}

static void write_function(const char *file, const char *body)
{
	assert_int_equal(
	        itest_shell(NULL, "printf '%%s\\n' '%s' > %s/functions/%s", body, dir, file), 0);
}

static void test_changed_function_file_reapplied(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	struct buf out = BUF_INIT;
	write_function("migrate_probe.sql", "CREATE OR REPLACE FUNCTION migrate_probe() RETURNS int"
	                                    " LANGUAGE sql AS $$ SELECT 1 $$;");
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 1 function file applied"));
	query(&out, "SELECT migrate_probe()");
	assert_string_equal(out.data, "1");

	/* A change the files do not know of: an unchanged file must not undo it. */
	query(&out, "CREATE OR REPLACE FUNCTION migrate_probe() RETURNS int LANGUAGE sql"
	            " AS \\$\\$ SELECT 3 \\$\\$");
	write_function("migrate_other.sql", "CREATE OR REPLACE FUNCTION migrate_other() RETURNS int"
	                                    " LANGUAGE sql AS $$ SELECT 7 $$;");
	buf_truncate(&out, 0);
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 1 function file applied"));
	query(&out, "SELECT migrate_probe() * 10 + migrate_other()");
	assert_string_equal(out.data, "37");

	/* The changed file is applied again, alone. */
	write_function("migrate_probe.sql", "CREATE OR REPLACE FUNCTION migrate_probe() RETURNS int"
	                                    " LANGUAGE sql AS $$ SELECT 2 $$;");
	buf_truncate(&out, 0);
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 1 function file applied"));
	query(&out, "SELECT migrate_probe()");
	assert_string_equal(out.data, "2");
	buf_truncate(&out, 0);
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 0 function files applied"));
	buf_release(&out);
}

/* A file may use a function that a file later in name order defines. */
static void test_function_files_in_any_order(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	write_function("migrate_a_user.sql",
	               "CREATE OR REPLACE FUNCTION migrate_a_user() RETURNS int"
	               " LANGUAGE sql AS $$ SELECT migrate_z_used() + 1 $$;");
	write_function("migrate_z_used.sql",
	               "CREATE OR REPLACE FUNCTION migrate_z_used() RETURNS int"
	               " LANGUAGE sql AS $$ SELECT 40 $$;");
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 2 function files applied"));
	query(&out, "SELECT migrate_a_user()");
	assert_string_equal(out.data, "41");
	buf_release(&out);
}

/* A mistake in one file, even in a function body, applies and records none of the others. */
static void test_broken_function_file_applies_nothing(void **state)
{
	(void)state;
	if (!url[0])
		skip();
	write_function("migrate_probe.sql", "CREATE OR REPLACE FUNCTION migrate_probe() RETURNS int"
	                                    " LANGUAGE sql AS $$ SELECT 5 $$;");
	write_function("migrate_broken.sql",
	               "CREATE OR REPLACE FUNCTION migrate_broken() RETURNS int"
	               " LANGUAGE sql AS $$ SELECT no_such_column $$;");
	struct buf out = BUF_INIT;
	assert_int_equal(migrate(&out), 1);
	assert_non_null(strstr(out.data, "functions/migrate_broken.sql"));
	query(&out, "SELECT migrate_probe()");
	assert_string_equal(out.data, "2");
	query(&out, "SELECT to_regproc('migrate_broken') IS NULL");
	assert_string_equal(out.data, "t");
	/* Once the file is fixed, both are applied. */
	write_function("migrate_broken.sql",
	               "CREATE OR REPLACE FUNCTION migrate_broken() RETURNS int"
	               " LANGUAGE sql AS $$ SELECT 6 $$;");
	buf_truncate(&out, 0);
	assert_int_equal(migrate(&out), 0);
	assert_non_null(strstr(out.data, "0 migrations applied, 2 function files applied"));
	query(&out, "SELECT migrate_probe() * 10 + migrate_broken()");
	assert_string_equal(out.data, "56");
	itest_shell(NULL, "rm %s/functions/migrate_*.sql", dir);
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
		cmocka_unit_test(test_schemes_failure_says_why),
		cmocka_unit_test(test_every_function_has_one_file),
		cmocka_unit_test(test_function_files_recorded_once),
		cmocka_unit_test(test_changed_function_file_reapplied),
		cmocka_unit_test(test_function_files_in_any_order),
		cmocka_unit_test(test_broken_function_file_applies_nothing),
		cmocka_unit_test(test_new_file_applies_alone),
		cmocka_unit_test(test_failed_migration_leaves_nothing),
		cmocka_unit_test(test_changed_file_refused),
		cmocka_unit_test(test_missing_file_refused),
		cmocka_unit_test(test_sql_ascii_database_refused_by_migrate),
		cmocka_unit_test(test_sql_ascii_database_refused_by_serve),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
