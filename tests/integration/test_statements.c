/*
 * Every statement of src/store/statements.c against a migrated database: each one is
 * prepared (so a column, table or function it names that the migrations do not create is
 * caught here, not when a rare request first runs it), its declared parameter count is the
 * number PostgreSQL finds and the highest $n in its text, and statement names are unique.
 * COPY statements cannot be prepared: each is started and abandoned inside a transaction
 * that is rolled back, which checks the same things.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "store/statements.h"

static char db_url[256];
static PGconn *conn;

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("statements", db_url, sizeof(db_url));
	conn = PQconnectdb(db_url);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_msg("cannot connect: %s", PQerrorMessage(conn));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (conn)
		PQfinish(conn);
	return 0;
}

/* The highest $n in @sql (0 when there is none). */
static int highest_param(const char *sql)
{
	int max = 0;
	for (const char *p = sql; *p; p++)
		if (*p == '$' && isdigit((unsigned char)p[1])) {
			int n = atoi(p + 1);
			if (n > max)
				max = n;
		}
	return max;
}

static void exec_ok(const char *sql)
{
	PGresult *r = PQexec(conn, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(conn));
	PQclear(r);
}

/* Start COPY statement @s and abandon it. NULL when PostgreSQL accepted it, else why not. */
static char *try_copy(const struct store_statement *s)
{
	char *why = NULL;
	PGresult *r = PQexec(conn, s->sql);
	ExecStatusType st = PQresultStatus(r);
	PQclear(r);
	if (st == PGRES_COPY_IN) {
		PQputCopyEnd(conn, "checked only");
		while ((r = PQgetResult(conn)))
			PQclear(r);
	} else if (st == PGRES_COPY_OUT) {
		char *row;
		while (PQgetCopyData(conn, &row, 0) > 0)
			PQfreemem(row);
		while ((r = PQgetResult(conn)))
			PQclear(r);
	} else {
		why = strdup(PQerrorMessage(conn));
	}
	return why;
}

static void test_every_statement(void **state)
{
	(void)state;
	if (!conn)
		skip();
	int failures = 0, copies = 0, prepared = 0;
	for (int i = 0; i < STMT__COUNT; i++) {
		const struct store_statement *s = &store_statements[i];
		if (!s->name || !s->sql) {
			print_error("statement %d has no name or text\n", i);
			failures++;
			continue;
		}
		for (int k = 0; k < i; k++)
			if (store_statements[k].name &&
			    strcmp(store_statements[k].name, s->name) == 0) {
				print_error("%s: the name of two statements\n", s->name);
				failures++;
			}
		int want = highest_param(s->sql);
		/* The staging tables imports COPY into exist only in the importer's session. */
		exec_ok("BEGIN");
		exec_ok("CREATE TEMPORARY TABLE nyc_stage (LIKE opendata_nyc_row)"
		        " ON COMMIT DROP");
		for (int t = 0; t < STMT__COUNT; t++)
			if (strncmp(store_statements[t].sql, "CREATE TEMPORARY TABLE lives_", 29) ==
			            0 &&
			    i != t)
				exec_ok(store_statements[t].sql);
		if (strncmp(s->sql, "COPY", 4) == 0) {
			copies++;
			if (want != 0 || s->nparams > 0) {
				print_error("%s: COPY with parameters\n", s->name);
				failures++;
			}
			char *why = try_copy(s);
			if (why) {
				print_error("%s: %s", s->name, why);
				free(why);
				failures++;
			}
		} else {
			PGresult *r = PQprepare(conn, "", s->sql, 0, NULL);
			if (PQresultStatus(r) != PGRES_COMMAND_OK) {
				print_error("%s: %s", s->name, PQerrorMessage(conn));
				failures++;
			} else {
				PGresult *d = PQdescribePrepared(conn, "");
				int found = PQnparams(d);
				if (found != s->nparams || found != want) {
					print_error(
					        "%s: declares %d parameters, PostgreSQL finds %d, "
					        "its text names up to $%d\n",
					        s->name, s->nparams, found, want);
					failures++;
				}
				PQclear(d);
				prepared++;
			}
			PQclear(r);
		}
		PGresult *r = PQexec(conn, "ROLLBACK");
		PQclear(r);
	}
	print_message("statements: %d prepared, %d COPY started and abandoned\n", prepared, copies);
	assert_int_equal(failures, 0);
	assert_int_equal(prepared + copies, STMT__COUNT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
