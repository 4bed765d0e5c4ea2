/*
 * The shared vectors of what the public sees during an appeal (op appeal_posting in
 * tests/vectors/grading.json) against the code that decides it in production: public_grade()
 * in a migrated database (sql/functions/public_grade.sql). Each vector is its own test: an
 * establishment whose one inspection gave the vector's grade, posted, and was appealed, the
 * appeal in the vector's state after its adjournments; the record's grade must be what the
 * vector expects. Each runs in a transaction that is rolled back.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_VECTORS 200

static char url[256];
static PGconn *conn;
static char inspector[32];

/* Run @sql with @n text parameters; one row's first value (copied to @ret, may be NULL). */
static void run(const char *sql, int n, const char *const *params, char *ret, size_t size)
{
	PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		fail_msg("SQL failed: %s\n%s", sql, PQresultErrorMessage(r));
	if (ret) {
		if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0))
			fail_msg("no value from: %s", sql);
		snprintf(ret, size, "%s", PQgetvalue(r, 0, 0));
	}
	PQclear(r);
}

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("vectors", url, sizeof(url));
	conn = PQconnectdb(url);
	if (PQstatus(conn) != CONNECTION_OK)
		fail_msg("connect %s: %s", url, PQerrorMessage(conn));
	run("INSERT INTO staff_user (username, display_name, role, password_hash)"
	    " VALUES ('vectors', 'Vectors', 'inspector', '$argon2id$unused') RETURNING id",
	    0, NULL, inspector, sizeof(inspector));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	PQfinish(conn);
	return 0;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("vector field %s is not a string", key);
	return json_string_value(v);
}

static void assert_field(json_t *got, const char *key, json_t *want, const char *id)
{
	json_t *v = json_object_get(got, key);
	if (!v)
		v = json_null(); /* public_grade() leaves out what does not apply */
	if (!json_equal(v, want)) {
		char *g = json_dumps(v, JSON_ENCODE_ANY), *w = json_dumps(want, JSON_ENCODE_ANY);
		fail_msg("%s: %s is %s, the vector expects %s", id, key, g, w);
	}
}

static void run_vector(void **state)
{
	json_t *v = *state;
	if (!url[0])
		skip();
	const char *id = str(v, "id"), *scheme = str(v, "scheme");
	json_t *in = json_object_get(v, "input"), *want = json_object_get(v, "expect");
	char version[16], adjournments[16], est[32], insp[32], grade[4096];
	snprintf(adjournments, sizeof(adjournments), "%lld",
	         json_integer_value(json_object_get(in, "adjournments")));

	/* The scheme the vector was written for is the one the database publishes. */
	const char *ps[] = { scheme };
	run("SELECT version FROM scheme WHERE code = $1", 1, ps, version, sizeof(version));
	assert_int_equal(atoll(version), json_integer_value(json_object_get(v, "scheme_version")));

	run("BEGIN", 0, NULL, NULL, 0);
	run("WITH j AS (INSERT INTO jurisdiction (code, name, scheme_code)"
	    " VALUES ('vectors-' || $1, 'Vectors', $1) RETURNING id)"
	    " INSERT INTO establishment (jurisdiction_id, licence_number, name)"
	    " SELECT id, 'V-1', 'Vector Diner' FROM j RETURNING id",
	    1, ps, est, sizeof(est));
	/* The appealed inspection, two days ago: the grade it gave is the scheme's band. */
	const char *pi[] = { est, scheme, str(in, "posted_grade"), inspector };
	run("INSERT INTO inspection (establishment_id, scheme_code, inspection_type, inspector_id,"
	    " status, started_at, ended_at, submitted_at, score, grade_code, grade_label, outcome,"
	    " sets_grade)"
	    " SELECT $1::bigint, $2, 'initial', $4::bigint, 'submitted', now() - interval '2 days',"
	    " now() - interval '47 hours', now() - interval '47 hours', 20, b ->> 'code',"
	    " b ->> 'label', 'graded', true"
	    " FROM scheme s, jsonb_array_elements(s.definition -> 'bands') b"
	    " WHERE s.code = $2 AND b ->> 'code' = $3 RETURNING id",
	    4, pi, insp, sizeof(insp));
	const char *pp[] = { est, insp };
	run("INSERT INTO posted_grade (establishment_id, state, grade_code, grade_label, score,"
	    " inspection_id, issued_at)"
	    " SELECT establishment_id, 'graded', grade_code, grade_label, score, id, submitted_at"
	    " FROM inspection WHERE establishment_id = $1::bigint AND id = $2::bigint",
	    2, pp, NULL, 0);
	const char *pa[] = { est, insp, str(in, "appeal_state"), adjournments };
	run("INSERT INTO appeal (establishment_id, inspection_id, state, grounds, decision_due,"
	    " adjournments, hearing_at, decided_at, decision_reasons, closed_at)"
	    " VALUES ($1::bigint, $2::bigint, $3, 'The grade is wrong.', now() + interval '30 "
	    "days',"
	    " $4::int, CASE WHEN $3 = 'hearing_scheduled' THEN now() + interval '7 days' END,"
	    " CASE WHEN $3 IN ('upheld', 'overturned') THEN now() END,"
	    " CASE WHEN $3 IN ('upheld', 'overturned') THEN 'Decided.' END,"
	    " CASE WHEN NOT appeal_state_open($3) THEN now() END)",
	    4, pa, NULL, 0);
	const char *pg[] = { est };
	run("SELECT public_grade($1::bigint)::text", 1, pg, grade, sizeof(grade));
	run("ROLLBACK", 0, NULL, NULL, 0);

	json_error_t e;
	json_t *got = json_loads(grade, 0, &e);
	if (!got)
		fail_msg("%s: public_grade() gave no JSON: %s", id, grade);
	assert_field(got, "state", json_object_get(want, "state"), id);
	assert_field(got, "code", json_object_get(want, "grade_code"), id);
	assert_field(got, "label", json_object_get(want, "grade_label"), id);
	assert_field(got, "under_appeal", json_object_get(want, "under_appeal"), id);
	assert_field(got, "pending", json_object_get(want, "pending"), id);
	assert_field(got, "new_rating_pending", json_object_get(want, "new_rating_pending"), id);
	assert_field(got, "rule", json_object_get(want, "rule"), id);
	json_decref(got);
}

int main(void)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/tests/vectors/grading.json", itest_source_root());
	json_error_t e;
	json_t *all = json_load_file(path, 0, &e);
	if (!json_is_array(all)) {
		fprintf(stderr, "cannot read %s: %s\n", path, e.text);
		return 1;
	}
	static struct CMUnitTest tests[MAX_VECTORS];
	size_t n = 0;
	size_t i;
	json_t *v;
	json_array_foreach(all, i, v)
	{
		if (!json_is_string(json_object_get(v, "op")) ||
		    strcmp(json_string_value(json_object_get(v, "op")), "appeal_posting") != 0)
			continue;
		if (n == MAX_VECTORS) {
			fprintf(stderr, "more than %d appeal_posting vectors\n", MAX_VECTORS);
			return 1;
		}
		tests[n++] = (struct CMUnitTest){ json_string_value(json_object_get(v, "id")),
			                          run_vector, NULL, NULL, v };
	}
	/* No vectors would be a test that cannot fail. */
	if (n < 5) {
		fprintf(stderr, "%s has only %zu appeal_posting vectors\n", path, n);
		return 1;
	}
	int rc = _cmocka_run_group_tests("vectors", tests, n, setup, teardown);
	json_decref(all);
	return rc;
}
