/*
 * Every statement of src/store/statements.c against a migrated database: each one is
 * prepared (so a column, table or function it names that the migrations do not create is
 * caught here, not when a rare request first runs it), its declared parameter count is the
 * number PostgreSQL finds and the highest $n in its text, and statement names are unique.
 * COPY statements cannot be prepared: each is started and abandoned inside a transaction
 * that is rolled back, which checks the same things.
 *
 * Also the store's contract for reading results and for transactions: a column is read by
 * name and a name the result lacks aborts the process; a transaction begun in an arena is
 * rolled back when the arena goes, unless it was committed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "harness.h"
#include "store/statements.h"
#include "store/store.h"

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

static struct store *open_store(void)
{
	struct store *st;
	char err[256];
	if (store_open(db_url, &st, err, sizeof(err)) < 0)
		fail_msg("cannot open the store: %s", err);
	return st;
}

static void test_columns_by_name(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	struct store *st = open_store();
	struct arena *a = arena_new();
	struct store_result *r;
	assert_int_equal(store_exec(st, a, STMT_PING, NULL, &r), 0);
	assert_string_equal(store_get(r, 0, "ok"), "1");
	assert_int_equal(store_get_int(r, 0, "ok"), 1);
	assert_int_equal(store_column(r, "ok"), 0);
	assert_null(store_get(r, 1, "ok")); /* past the last row */
	/* A column the result does not have is a programming error: the process aborts. */
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The child's log line goes nowhere: the abort is what is checked. */
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		store_get(r, 0, "no_such_column");
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGABRT);
	arena_destroy(a);
	store_close(st);
}

static long long jurisdictions_named(const char *code)
{
	const char *p[] = { code };
	PGresult *r = PQexecParams(conn, "SELECT count(*) FROM jurisdiction WHERE code = $1", 1,
	                           NULL, p, NULL, NULL, 0);
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	long long n = atoll(PQgetvalue(r, 0, 0));
	PQclear(r);
	return n;
}

/* A transaction begun in an arena: rolled back with the arena, kept once committed. */
static void test_transaction_belongs_to_arena(void **state)
{
	(void)state;
	if (!itest_have_db())
		skip();
	struct store *st = open_store();
	const char *dropped[] = { "arena-dropped", "Dropped", "nyc", NULL };
	const char *kept[] = { "arena-kept", "Kept", "nyc", NULL };

	struct arena *a = arena_new();
	assert_int_equal(store_begin_in(st, a), 0);
	assert_int_equal(store_exec(st, a, STMT_JURISDICTION_CREATE, dropped, NULL), 0);
	arena_destroy(a); /* never committed */
	assert_int_equal(jurisdictions_named("arena-dropped"), 0);

	a = arena_new();
	assert_int_equal(store_begin_in(st, a), 0);
	assert_int_equal(store_exec(st, a, STMT_JURISDICTION_CREATE, kept, NULL), 0);
	assert_int_equal(store_commit(st), 0);
	/* A later transaction on the same connection is not the arena's: it survives it. */
	struct arena *b = arena_new();
	assert_int_equal(store_begin_in(st, b), 0);
	arena_destroy(a);
	assert_int_equal(store_exec(st, b, STMT_PING, NULL, NULL), 0);
	assert_int_equal(store_commit(st), 0);
	arena_destroy(b);
	assert_int_equal(jurisdictions_named("arena-kept"), 1);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_statement),
		cmocka_unit_test(test_columns_by_name),
		cmocka_unit_test(test_transaction_belongs_to_arena),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
