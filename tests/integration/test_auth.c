/*
 * Staff sign-in end to end: `placard user add`, POST/GET/DELETE /api/v1/session, the
 * session cookie, CSRF and Origin checks, session expiry, the rate limits, and the admin's
 * staff endpoints. Against the real binary and a real PostgreSQL.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "staff.h"

#define PASSWORD "correct horse battery"

static struct itest_server server;
static char db_url[256];

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("auth", db_url, sizeof(db_url));
	struct buf out = BUF_INIT;
	if (staff_add(db_url, "alice", "inspector", PASSWORD, "--display-name 'Alice Archer'",
	              &out) != 0 ||
	    staff_add(db_url, "bob", "clerk", PASSWORD, "", &out) != 0 ||
	    staff_add(db_url, "carol", "admin", PASSWORD, "", &out) != 0 ||
	    staff_add(db_url, "dave", "supervisor", PASSWORD, "", &out) != 0)
		fail_msg("placard user add failed: %s", out.data);
	buf_release(&out);
	itest_server_start(&server, db_url, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* The first value of a one-row query, copied into a static buffer ("" for NULL). */
static const char *db_value(const char *sql)
{
	static char value[512];
	PGconn *c = PQconnectdb(db_url);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("connect: %s", PQerrorMessage(c));
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	snprintf(value, sizeof(value), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	return value;
}

/* The "detail" of a problem document, in a static buffer. */
static const char *detail_of(const struct itest_response *r)
{
	static char detail[512];
	json_t *v = json_loads(r->body.data, 0, NULL);
	const char *d = json_string_value(json_object_get(v, "detail"));
	snprintf(detail, sizeof(detail), "%s", d ? d : "");
	json_decref(v);
	return detail;
}

static void test_login_sets_cookie_and_csrf(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a;
	struct itest_response r;
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, &r), 201);
	const char *sc = itest_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_int_equal(strncmp(sc, "placard_session=", 16), 0);
	assert_int_equal(strlen(a.cookie), strlen("placard_session=") + 64);
	assert_non_null(strstr(sc, "; Path=/"));
	assert_non_null(strstr(sc, "; HttpOnly"));
	assert_non_null(strstr(sc, "; SameSite=Strict"));
	assert_null(strstr(sc, "Secure")); /* not behind TLS */
	assert_string_equal(itest_header(&r, "Cache-Control"), "no-store");
	assert_string_equal(itest_header(&r, "Content-Type"), "application/json");
	json_t *v = json_loads(r.body.data, 0, NULL);
	json_t *u = json_object_get(v, "user");
	assert_string_equal(json_string_value(json_object_get(u, "username")), "alice");
	assert_string_equal(json_string_value(json_object_get(u, "display_name")), "Alice Archer");
	assert_string_equal(json_string_value(json_object_get(u, "role")), "inspector");
	assert_true(json_integer_value(json_object_get(u, "id")) > 0);
	assert_int_equal(strlen(a.csrf), 64);
	/* The token itself is nowhere in the database, only its hash. */
	assert_null(strstr(r.body.data, a.cookie + 16));
	json_decref(v);
	itest_response_free(&r);

	/* Who am I: the same user and CSRF token. */
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body.data, "\"username\":\"alice\""));
	assert_non_null(strstr(r.body.data, a.csrf));
	itest_response_free(&r);

	char sql[512];
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM staff_session WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	assert_string_equal(db_value(sql), "1");
	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM staff_session WHERE encode(token_hash, 'hex') = '%s'",
	         a.cookie + 16);
	assert_string_equal(db_value(sql), "0");
}

static void test_username_is_case_insensitive(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a;
	assert_int_equal(staff_login(&server, "ALICE", PASSWORD, &a, NULL), 201);
	struct buf out = BUF_INIT;
	assert_int_equal(staff_add(db_url, "Alice", "clerk", PASSWORD, "", &out), 1);
	assert_non_null(strstr(out.data, "already exists"));
	buf_release(&out);
}

static void test_each_login_gets_a_new_token(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a, b;
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	/* Signing in again with the old cookie: a new token, and the old one ends. */
	struct itest_response r;
	char cookie[200];
	snprintf(cookie, sizeof(cookie), "Cookie: %s", a.cookie);
	const char *const h[] = { "Content-Type: application/json", cookie, NULL };
	const char *body = "{\"username\":\"alice\",\"password\":\"" PASSWORD "\"}";
	itest_request(&server, "POST", "/api/v1/session", h, body, strlen(body), &r);
	assert_int_equal(r.status, 201);
	const char *sc = itest_header(&r, "Set-Cookie");
	snprintf(b.cookie, sizeof(b.cookie), "%.*s", (int)strcspn(sc, ";"), sc);
	assert_string_not_equal(a.cookie, b.cookie);
	itest_response_free(&r);
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
	b.csrf[0] = '\0';
	staff_request(&server, &b, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
}

static void test_bad_credentials_look_alike(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response wrong, unknown;
	assert_int_equal(staff_login(&server, "alice", "not the password", NULL, &wrong), 401);
	assert_int_equal(staff_login(&server, "nobody-here", PASSWORD, NULL, &unknown), 401);
	assert_string_equal(itest_header(&wrong, "Content-Type"), "application/problem+json");
	assert_null(itest_header(&wrong, "Set-Cookie"));
	char d1[512];
	snprintf(d1, sizeof(d1), "%s", detail_of(&wrong));
	assert_string_equal(d1, detail_of(&unknown));
	assert_string_equal(d1, "The username or password is incorrect.");
	itest_response_free(&wrong);
	itest_response_free(&unknown);
	/* A failed sign-in for alice does not stop her signing in. */
	assert_int_equal(staff_login(&server, "alice", PASSWORD, NULL, NULL), 201);
}

static void test_login_body_is_checked(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_post_json(&server, "/api/v1/session",
	                "{\"username\":\"alice\",\"password\":\"" PASSWORD "\",\"remember\":true}",
	                &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.data, "\"field\":\"/remember\""));
	itest_response_free(&r);
	itest_post_json(&server, "/api/v1/session", "{\"username\":\"alice\"}", &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.data, "\"field\":\"/password\""));
	itest_response_free(&r);
	itest_post_json(&server, "/api/v1/session", "{\"username\":\"alice\",\"password\":12}", &r);
	assert_int_equal(r.status, 422);
	itest_response_free(&r);
	itest_post_json(&server, "/api/v1/session", "{\"username\":", &r);
	assert_int_equal(r.status, 400);
	itest_response_free(&r);
}

static void test_no_session_is_401(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	itest_get(&server, "/api/v1/session", &r);
	assert_int_equal(r.status, 401);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	itest_response_free(&r);
	struct staff_session fake = { .cookie = "placard_session=0123456789abcdef0123456789abcdef"
		                                "0123456789abcdef0123456789abcdef",
		                      .csrf = "x" };
	staff_request(&server, &fake, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	/* The browser is told to forget a cookie that names no session. */
	assert_non_null(strstr(itest_header(&r, "Set-Cookie"), "Max-Age=0"));
	itest_response_free(&r);
	snprintf(fake.cookie, sizeof(fake.cookie), "placard_session=../../etc");
	staff_request(&server, &fake, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
}

static void test_logout_ends_session_server_side(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a;
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	struct itest_response r;
	char origin[96];
	snprintf(origin, sizeof(origin), "Origin: %s", server.base); /* same origin: fine */
	staff_request(&server, &a, "DELETE", "/api/v1/session", NULL, origin, &r);
	assert_int_equal(r.status, 204);
	const char *sc = itest_header(&r, "Set-Cookie");
	assert_non_null(sc);
	assert_int_equal(strncmp(sc, "placard_session=;", 17), 0);
	assert_non_null(strstr(sc, "Max-Age=0"));
	itest_response_free(&r);
	/* The old cookie, replayed: refused, because the server ended the session. */
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
	staff_request(&server, &a, "DELETE", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
	char sql[512];
	snprintf(sql, sizeof(sql),
	         "SELECT revoked_at IS NOT NULL FROM staff_session"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	assert_string_equal(db_value(sql), "t");
}

static void test_csrf_token_required(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a;
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	char cookie[200];
	snprintf(cookie, sizeof(cookie), "Cookie: %s", a.cookie);
	struct itest_response r;

	const char *const none[] = { cookie, NULL };
	itest_request(&server, "DELETE", "/api/v1/session", none, NULL, 0, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body.data, "\"field\":\"X-CSRF-Token\""));
	itest_response_free(&r);

	char wrong[200];
	snprintf(wrong, sizeof(wrong), "X-CSRF-Token: %.63s0", a.csrf);
	if (a.csrf[63] == '0')
		wrong[strlen(wrong) - 1] = '1';
	const char *const bad[] = { cookie, wrong, NULL };
	itest_request(&server, "DELETE", "/api/v1/session", bad, NULL, 0, &r);
	assert_int_equal(r.status, 403);
	assert_non_null(strstr(r.body.data, "\"field\":\"X-CSRF-Token\""));
	itest_response_free(&r);

	const char *const empty[] = { cookie, "X-CSRF-Token;", NULL };
	itest_request(&server, "DELETE", "/api/v1/session", empty, NULL, 0, &r);
	assert_int_equal(r.status, 403);
	itest_response_free(&r);

	/* Another session's token does not do either. */
	struct staff_session b;
	assert_int_equal(staff_login(&server, "bob", PASSWORD, &b, NULL), 201);
	char other[200];
	snprintf(other, sizeof(other), "X-CSRF-Token: %s", b.csrf);
	const char *const crossed[] = { cookie, other, NULL };
	itest_request(&server, "DELETE", "/api/v1/session", crossed, NULL, 0, &r);
	assert_int_equal(r.status, 403);
	itest_response_free(&r);

	/* Reads need no token; and the session is still alive after all that. */
	itest_request(&server, "GET", "/api/v1/session", none, NULL, 0, &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
}

static void test_cross_origin_refused(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a;
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	struct itest_response r;
	const char *origins[] = { "Origin: http://evil.example", "Origin: null",
		                  "Origin: https://127.0.0.1", "Origin: http://127.0.0.1:1" };
	for (size_t i = 0; i < sizeof(origins) / sizeof(origins[0]); i++) {
		staff_request(&server, &a, "DELETE", "/api/v1/session", NULL, origins[i], &r);
		assert_int_equal(r.status, 403);
		assert_non_null(strstr(r.body.data, "\"field\":\"Origin\""));
		itest_response_free(&r);
	}
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);

	/* Signing in from another site is refused too (login CSRF). */
	const char *body = "{\"username\":\"alice\",\"password\":\"" PASSWORD "\"}";
	const char *const h[] = { "Content-Type: application/json", "Origin: http://evil.example",
		                  NULL };
	itest_request(&server, "POST", "/api/v1/session", h, body, strlen(body), &r);
	assert_int_equal(r.status, 403);
	assert_null(itest_header(&r, "Set-Cookie"));
	itest_response_free(&r);
}

static void test_session_expiry(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session a;
	struct itest_response r;
	char sql[512];

	/* Idle for 31 minutes: over. */
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	snprintf(sql, sizeof(sql),
	         "UPDATE staff_session SET last_seen_at = now() - interval '31 minutes'"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	itest_sql(db_url, sql);
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);

	/* Past 12 hours from sign-in, however busy: over. */
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	snprintf(sql, sizeof(sql),
	         "UPDATE staff_session SET expires_at = now() - interval '1 second'"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	itest_sql(db_url, sql);
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT extract(epoch FROM expires_at - created_at)::int FROM staff_session"
	         " WHERE token_hash <> sha256('%s'::bytea) ORDER BY created_at DESC LIMIT 1",
	         a.cookie + 16);
	assert_string_equal(db_value(sql), "43200");

	/* Used 2 minutes ago: alive, and last_seen_at moves; used just now: not written. */
	assert_int_equal(staff_login(&server, "alice", PASSWORD, &a, NULL), 201);
	snprintf(sql, sizeof(sql),
	         "UPDATE staff_session SET last_seen_at = now() - interval '2 minutes'"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	itest_sql(db_url, sql);
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT last_seen_at > now() - interval '30 seconds' FROM staff_session"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	assert_string_equal(db_value(sql), "t");
	snprintf(sql, sizeof(sql),
	         "UPDATE staff_session SET last_seen_at = now() - interval '20 seconds'"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	itest_sql(db_url, sql);
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
	snprintf(sql, sizeof(sql),
	         "SELECT last_seen_at < now() - interval '15 seconds' FROM staff_session"
	         " WHERE token_hash = sha256('%s'::bytea)",
	         a.cookie + 16);
	assert_string_equal(db_value(sql), "t");

	/* A deactivated account's sessions end at once. */
	itest_sql(db_url, "UPDATE staff_user SET active = false WHERE username = 'alice'");
	staff_request(&server, &a, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 401);
	itest_response_free(&r);
	assert_int_equal(staff_login(&server, "alice", PASSWORD, NULL, NULL), 401);
	itest_sql(db_url, "UPDATE staff_user SET active = true WHERE username = 'alice'");
	itest_sql(db_url, "DELETE FROM login_failure");
}

static void test_account_rate_limit(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	for (int i = 0; i < 5; i++)
		assert_int_equal(staff_login(&server, "bob", "wrong password!", NULL, NULL), 401);
	/* The 6th from this address waits (2 s, doubling with each further failure), and is
	 * refused without looking at the password, even the right one. */
	assert_int_equal(staff_login(&server, "bob", "wrong password!", NULL, &r), 429);
	const char *ra = itest_header(&r, "Retry-After");
	assert_non_null(ra);
	int secs = atoi(ra);
	assert_true(secs >= 1 && secs <= 2);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	itest_response_free(&r);
	assert_int_equal(staff_login(&server, "BOB", PASSWORD, NULL, NULL), 429);
	/* Other accounts are not affected. */
	assert_int_equal(staff_login(&server, "carol", PASSWORD, NULL, NULL), 201);
	/* Once the wait has passed, bob may try again from here. */
	itest_sql(db_url, "UPDATE login_failure SET at = at - interval '3 seconds'"
	                  " WHERE username = 'bob'");
	assert_int_equal(staff_login(&server, "bob", PASSWORD, NULL, NULL), 201);
	/* A success clears the count of this address for bob. */
	assert_string_equal(db_value("SELECT count(*) FROM login_failure WHERE username = 'bob'"),
	                    "0");
}

static void test_user_add_refuses_bad_input(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out = BUF_INIT;
	assert_int_equal(staff_add(db_url, "erin", "clerk", "short pw", "", &out), 2);
	assert_non_null(strstr(out.data, "at least 12 characters"));
	buf_truncate(&out, 0);
	assert_int_equal(staff_add(db_url, "erin", "janitor", PASSWORD, "", &out), 2);
	assert_non_null(strstr(out.data, "unknown role"));
	buf_truncate(&out, 0);
	assert_int_equal(staff_add(db_url, "'erin smith'", "clerk", PASSWORD, "", &out), 2);
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out,
	                             "PLACARD_DATABASE_URL='%s' '%s' user add erin --role clerk"
	                             " </dev/null 2>&1",
	                             db_url, itest_bin()),
	                 2);
	assert_non_null(strstr(out.data, "no password"));
	buf_truncate(&out, 0);
	assert_int_equal(itest_shell(&out, "'%s' user add erin 2>&1 </dev/null", itest_bin()), 2);
	buf_release(&out);
	assert_string_equal(db_value("SELECT count(*) FROM staff_user WHERE username = 'erin'"),
	                    "0");
	assert_int_equal(staff_login(&server, "erin", "short pw", NULL, NULL), 401);
}

static void test_password_stored_as_argon2id(void **state)
{
	(void)state;
	NEED_DB();
	assert_string_equal(db_value("SELECT count(*) FROM staff_user"
	                             " WHERE password_hash NOT LIKE '$argon2id$%'"),
	                    "0");
	const char *h = db_value("SELECT password_hash FROM staff_user WHERE username = 'alice'");
	assert_int_equal(strncmp(h, "$argon2id$", 10), 0);
	assert_null(strstr(h, "correct"));
	struct buf out = BUF_INIT;
	assert_int_equal(itest_shell(&out, "PLACARD_DATABASE_URL='%s' '%s' user list 2>&1", db_url,
	                             itest_bin()),
	                 0);
	assert_non_null(strstr(out.data, "alice"));
	assert_non_null(strstr(out.data, "inspector"));
	assert_null(strstr(out.data, "argon2"));
	buf_release(&out);
}

static void test_staff_endpoints_for_admins(void **state)
{
	(void)state;
	NEED_DB();
	struct staff_session admin, clerk;
	assert_int_equal(staff_login(&server, "carol", PASSWORD, &admin, NULL), 201);
	assert_int_equal(staff_login(&server, "bob", PASSWORD, &clerk, NULL), 201);
	struct itest_response r;
	staff_request(&server, &admin, "GET", "/api/v1/staff", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	json_t *doc = json_loads(r.body.data, 0, NULL);
	json_t *list = json_object_get(doc, "staff");
	assert_true(json_array_size(list) >= 4);
	json_t *first = json_array_get(list, 0); /* by username: alice */
	assert_string_equal(json_string_value(json_object_get(first, "username")), "alice");
	assert_string_equal(json_string_value(json_object_get(first, "role")), "inspector");
	assert_true(json_is_true(json_object_get(first, "active")));
	assert_non_null(json_string_value(json_object_get(first, "created_at")));
	assert_null(json_object_get(first, "password_hash"));
	json_decref(doc);
	assert_null(strstr(r.body.data, "argon2"));
	itest_response_free(&r);
	staff_request(&server, &clerk, "GET", "/api/v1/staff", NULL, NULL, &r);
	assert_int_equal(r.status, 403);
	itest_response_free(&r);

	staff_request(
	        &server, &admin, "POST", "/api/v1/staff",
	        "{\"username\":\"frank\",\"role\":\"hearing_officer\",\"password\":\"short\"}",
	        NULL, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.data, "\"field\":\"/password\""));
	itest_response_free(&r);
	staff_request(&server, &admin, "POST", "/api/v1/staff",
	              "{\"username\":\"frank\",\"role\":\"judge\",\"password\":\"" PASSWORD "\"}",
	              NULL, &r);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body.data, "\"field\":\"/role\""));
	itest_response_free(&r);
	staff_request(&server, &admin, "POST", "/api/v1/staff",
	              "{\"username\":\"frank\",\"display_name\":\"Frank Fu\","
	              "\"role\":\"hearing_officer\",\"password\":\"" PASSWORD "\"}",
	              NULL, &r);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body.data, "\"role\":\"hearing_officer\""));
	assert_null(strstr(r.body.data, "password"));
	itest_response_free(&r);
	staff_request(&server, &admin, "POST", "/api/v1/staff",
	              "{\"username\":\"FRANK\",\"role\":\"clerk\",\"password\":\"" PASSWORD "\"}",
	              NULL, &r);
	assert_int_equal(r.status, 409);
	itest_response_free(&r);
	assert_int_equal(staff_login(&server, "frank", PASSWORD, NULL, NULL), 201);
}

static void test_secure_cookie_behind_tls(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_server tls;
	const char *const env[] = { "PLACARD_TLS=1", NULL };
	itest_server_start(&tls, db_url, env);
	struct itest_response r;
	long st = staff_login(&tls, "carol", PASSWORD, NULL, &r);
	assert_int_equal(st, 201);
	assert_non_null(strstr(itest_header(&r, "Set-Cookie"), "; Secure"));
	itest_response_free(&r);
	assert_int_equal(itest_server_stop(&tls), 0);
}

/* Last: it leaves this client's address locked out of signing in. */
static void test_address_rate_limit(void **state)
{
	(void)state;
	NEED_DB();
	itest_sql(db_url, "DELETE FROM login_failure");
	/* 30 failures from one address, spread over accounts that each stay in their free
	 * tries. */
	for (int i = 0; i < 30; i++) {
		char name[32];
		snprintf(name, sizeof(name), "spray%d", i % 6);
		assert_int_equal(staff_login(&server, name, "wrong password!", NULL, NULL), 401);
	}
	struct itest_response r;
	assert_int_equal(staff_login(&server, "dave", PASSWORD, NULL, &r), 429);
	assert_non_null(itest_header(&r, "Retry-After"));
	itest_response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_login_sets_cookie_and_csrf),
		cmocka_unit_test(test_username_is_case_insensitive),
		cmocka_unit_test(test_each_login_gets_a_new_token),
		cmocka_unit_test(test_bad_credentials_look_alike),
		cmocka_unit_test(test_login_body_is_checked),
		cmocka_unit_test(test_no_session_is_401),
		cmocka_unit_test(test_logout_ends_session_server_side),
		cmocka_unit_test(test_csrf_token_required),
		cmocka_unit_test(test_cross_origin_refused),
		cmocka_unit_test(test_session_expiry),
		cmocka_unit_test(test_account_rate_limit),
		cmocka_unit_test(test_user_add_refuses_bad_input),
		cmocka_unit_test(test_password_stored_as_argon2id),
		cmocka_unit_test(test_staff_endpoints_for_admins),
		cmocka_unit_test(test_secure_cookie_behind_tls),
		cmocka_unit_test(test_address_rate_limit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
