/*
 * Limits on guessing an appeal code or a password that an attacker cannot aim, end to end
 * against the real server and a real PostgreSQL: wrong codes spent against an operator's
 * public licence number from other addresses do not stop the operator reading the report
 * and filing an appeal with the right code; wrong passwords spent against a staff account do
 * not stop its owner signing in; guessing is still slowed (429 with Retry-After) for the
 * address that guesses and, over a licence's budget, for everyone's wrong codes; the client
 * comes from X-Forwarded-For only when the peer is a trusted proxy (PLACARD_TRUSTED_PROXIES),
 * IPv6 clients count per /64, and a malformed setting stops the server at start.
 *
 * Clients at other addresses are other loopback addresses (127.0.0.2, ...): any address of
 * 127.0.0.0/8 is this machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "staff.h"

static struct itest_server server;
static char db_url[256];
static struct staff_session admin, clerk, inspector;
static const char pw[] = "correct horse battery staple";

static int setup(void **state)
{
	(void)state;
	if (!itest_have_db())
		return 0;
	itest_db_create("limits", db_url, sizeof(db_url));
	const char *who[][2] = { { "ada", "admin" },
		                 { "clem", "clerk" },
		                 { "ines", "inspector" },
		                 { "owen", "inspector" },
		                 { "pat", "supervisor" } };
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++)
		if (staff_add(db_url, who[i][0], who[i][1], pw, "", NULL) != 0)
			fail_msg("cannot add %s", who[i][0]);
	itest_server_start(&server, db_url, NULL);
	struct staff_session *s[] = { &admin, &clerk, &inspector };
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(staff_login(&server, who[i][0], pw, s[i], NULL), 201);
	struct itest_response r;
	staff_request(&server, &admin, "POST", "/api/v1/jurisdictions",
	              "{\"code\":\"nyc\",\"name\":\"New York City\",\"scheme\":\"nyc\"}", NULL, &r);
	assert_int_equal(r.status, 201);
	itest_response_free(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	itest_source(NULL);
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	return 0;
}

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

/* An establishment with licence number @licence and a submitted inspection of it; the
 * inspection's appeal code in @code (16 bytes). */
static void inspected(const char *licence, char *code)
{
	char body[400];
	snprintf(body, sizeof(body),
	         "{\"jurisdiction\":\"nyc\",\"licence_number\":\"%s\",\"name\":\"Cafe %s\"}",
	         licence, licence);
	long st;
	itest_source(NULL);
	json_t *v = staff_call(&server, &clerk, "POST", "/api/v1/establishments", body, NULL, &st);
	assert_int_equal(st, 201);
	long long est = json_walk_int(v, "id");
	json_decref(v);
	time_t t = time(NULL) - 3 * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	char day[16], hdr[64];
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	snprintf(body, sizeof(body),
	         "{\"establishment_id\":%lld,\"type\":\"initial\",\"started_at\":\"%sT09:00:00Z\","
	         "\"ended_at\":\"%sT11:00:00Z\",\"violations\":[{\"code\":\"04L\",\"points\":10}],"
	         "\"submit\":true}",
	         est, day, day);
	snprintf(hdr, sizeof(hdr), "Idempotency-Key: limits-%d-%s", (int)getpid(), licence);
	v = staff_call(&server, &inspector, "POST", "/api/v1/inspections", body, hdr, &st);
	if (st != 201)
		fail_msg("inspection: %ld", st);
	snprintf(code, 16, "%s", json_walk_str(v, "appeal_code"));
	json_decref(v);
}

/*
 * The operator's proof for @licence with @code, from the current source address and with
 * the header line @extra (or NULL), to @path on @s. The status; the Retry-After in *@retry
 * when @retry is not NULL (0 when absent).
 */
static long prove(struct itest_server *s, const char *path, const char *licence, const char *code,
                  const char *more, const char *extra, long *retry)
{
	char body[600];
	snprintf(body, sizeof(body), "{\"licence_number\":\"%s\",\"appeal_code\":\"%s\"%s%s}",
	         licence, code, more ? "," : "", more ? more : "");
	struct itest_response r;
	staff_request(s, NULL, "POST", path, body, extra, &r);
	long st = r.status;
	if (retry) {
		const char *ra = itest_header(&r, "Retry-After");
		*retry = ra ? atol(ra) : 0;
	}
	if (st == 429)
		assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	itest_response_free(&r);
	return st;
}

static long wrong_code(struct itest_server *s, const char *licence, const char *extra, long *retry)
{
	return prove(s, "/api/v1/operator/report", licence, "ZZZZZZZZZZ", NULL, extra, retry);
}

/*
 * (a) and (d): an attacker spends wrong codes against a public licence number from many
 * addresses, past the licence's whole budget. The operator, from an address of their own,
 * still reads the report and files an appeal with the right code. Guessing stays slowed:
 * an address that guessed waits, and over the budget every wrong code is answered 429.
 */
static void test_operator_not_locked_out(void **state)
{
	(void)state;
	NEED_DB();
	char code[16];
	inspected("LIM-1", code);
	long retry;

	/* One address: 5 wrong codes, then it waits, even with the right code. */
	itest_source("127.0.0.2");
	for (int i = 0; i < 5; i++)
		assert_int_equal(wrong_code(&server, "LIM-1", NULL, NULL), 403);
	assert_int_equal(wrong_code(&server, "LIM-1", NULL, &retry), 429);
	assert_true(retry >= 1 && retry <= 2);
	assert_int_equal(
	        prove(&server, "/api/v1/operator/report", "LIM-1", code, NULL, NULL, &retry), 429);
	assert_true(retry >= 1);

	/* The operator, elsewhere, is not affected. */
	itest_source("127.0.0.3");
	assert_int_equal(prove(&server, "/api/v1/operator/report", "LIM-1", code, NULL, NULL, NULL),
	                 200);

	/* Ten more addresses, five wrong codes each. Once the licence's budget of 50 is spent,
	 * each address has one wrong code checked before it waits: 5 + 9 * 5 + 1 counted. */
	for (int a = 10; a < 20; a++) {
		char addr[32];
		snprintf(addr, sizeof(addr), "127.0.0.%d", a);
		itest_source(addr);
		for (int i = 0; i < 5; i++) {
			long st = wrong_code(&server, "LIM-1", NULL, NULL);
			/* Within the budget: 403; past it: 429. */
			if (st != 403 && st != 429)
				fail_msg("wrong code from %s: %ld", addr, st);
		}
	}
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE licence = 'lim-1'"),
	                 51);
	/* Over the budget, a wrong code from a new address is checked (and counted) but
	 * answered 429 with a wait. */
	itest_source("127.0.0.21");
	assert_int_equal(wrong_code(&server, "LIM-1", NULL, &retry), 429);
	assert_true(retry >= 1);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE licence = 'lim-1' AND ip = '127.0.0.21'"),
	                 1);
	/* ... and that address now waits before its next try, whatever the code. */
	assert_int_equal(
	        prove(&server, "/api/v1/operator/report", "LIM-1", code, NULL, NULL, &retry), 429);
	assert_true(retry > 2);

	/* The operator, from their own address, reads the report and files the appeal. */
	itest_source("127.0.0.3");
	assert_int_equal(prove(&server, "/api/v1/operator/report", "LIM-1", code, NULL, NULL, NULL),
	                 200);
	assert_int_equal(prove(&server, "/api/v1/operator/appeals", "LIM-1", code,
	                       "\"grounds\":\"The reading was taken before the fridge cooled.\"",
	                       NULL, NULL),
	                 201);
	assert_int_equal(prove(&server, "/api/v1/operator/report", "LIM-1", code, NULL, NULL, NULL),
	                 200);
	/* The operator's success does not wipe the attacker's count from elsewhere. */
	assert_true(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                    " WHERE licence = 'lim-1'") >= 51);
	/* Another licence is untouched by all this. */
	char other[16];
	inspected("LIM-2", other);
	itest_source("127.0.0.2");
	assert_int_equal(
	        prove(&server, "/api/v1/operator/report", "LIM-2", other, NULL, NULL, NULL), 200);
	itest_source(NULL);
}

/*
 * (b) and (d): wrong passwords spent against a staff account from other addresses do not
 * stop its owner signing in from theirs; the guessing address waits.
 */
static void test_staff_not_locked_out(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	const char *attackers[] = { "127.0.0.2", "127.0.0.4", "127.0.0.5" };
	for (size_t a = 0; a < 3; a++) {
		itest_source(attackers[a]);
		for (int i = 0; i < 5; i++)
			assert_int_equal(
			        staff_login(&server, "owen", "not the password!", NULL, NULL), 401);
	}
	/* The guessing address waits, even with the right password. */
	assert_int_equal(staff_login(&server, "owen", "not the password!", NULL, &r), 429);
	const char *ra = itest_header(&r, "Retry-After");
	assert_non_null(ra);
	assert_true(atol(ra) >= 1 && atol(ra) <= 2);
	assert_string_equal(itest_header(&r, "Content-Type"), "application/problem+json");
	itest_response_free(&r);
	assert_int_equal(staff_login(&server, "OWEN", pw, NULL, NULL), 429);
	/* The owner, from their own address, signs in. */
	itest_source("127.0.0.3");
	struct staff_session owen;
	assert_int_equal(staff_login(&server, "owen", pw, &owen, NULL), 201);
	staff_request(&server, &owen, "GET", "/api/v1/session", NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	itest_response_free(&r);
	/* The 15 failures from elsewhere stay counted; only the owner's pair would go. */
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM login_failure"
	                                         " WHERE username = 'owen'"),
	                 15);
	itest_source(NULL);
}

/*
 * (d) for passwords: past an account's budget from many addresses, a wrong password from a
 * new address is 429, and the right one from another new address still signs in.
 */
static void test_staff_budget(void **state)
{
	(void)state;
	NEED_DB();
	for (int a = 30; a < 41; a++) {
		char addr[32];
		snprintf(addr, sizeof(addr), "127.0.0.%d", a);
		itest_source(addr);
		for (int i = 0; i < 5; i++) {
			long st = staff_login(&server, "pat", "not the password!", NULL, NULL);
			if (st != 401 && st != 429)
				fail_msg("wrong password from %s: %ld", addr, st);
		}
	}
	itest_source("127.0.0.41");
	struct itest_response r;
	assert_int_equal(staff_login(&server, "pat", "not the password!", NULL, &r), 429);
	assert_non_null(itest_header(&r, "Retry-After"));
	itest_response_free(&r);
	itest_source("127.0.0.42");
	assert_int_equal(staff_login(&server, "pat", pw, NULL, NULL), 201);
	itest_source(NULL);
}

/* (c): X-Forwarded-For is ignored from a peer that is not a trusted proxy. */
static void test_forwarded_for_ignored_without_trust(void **state)
{
	(void)state;
	NEED_DB();
	itest_source("127.0.0.6");
	for (int i = 0; i < 5; i++)
		assert_int_equal(wrong_code(&server, "LIM-3", "X-Forwarded-For: 203.0.113.1", NULL),
		                 403);
	/* Claiming another client changes nothing: the same address, waiting. */
	assert_int_equal(wrong_code(&server, "LIM-3", "X-Forwarded-For: 203.0.113.2", NULL), 429);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE licence = 'lim-3' AND ip = '127.0.0.6'"),
	                 5);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE ip LIKE '203.%'"),
	                 0);
	itest_source(NULL);
}

/* (c): from a trusted proxy, the right-most untrusted address of X-Forwarded-For is the
 * client; IPv6 clients count per /64; other peers' headers are still ignored. */
static void test_forwarded_for_from_trusted_proxy(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_server proxied;
	const char *const env[] = { "PLACARD_TRUSTED_PROXIES=127.0.0.1, 10.0.0.0/8", NULL };
	itest_server_start(&proxied, db_url, env);
	itest_source("127.0.0.1");
	/* The client wrote 198.51.100.7 itself; the proxy appended the address it saw. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(wrong_code(&proxied, "LIM-4",
		                            "X-Forwarded-For: 198.51.100.7, 203.0.113.1, 10.1.1.1",
		                            NULL),
		                 403);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE licence = 'lim-4' AND ip = '203.0.113.1'"),
	                 5);
	assert_int_equal(wrong_code(&proxied, "LIM-4", "X-Forwarded-For: 203.0.113.1", NULL), 429);
	/* Another client behind the same proxy is not held up by the first one's failures. */
	assert_int_equal(wrong_code(&proxied, "LIM-4", "X-Forwarded-For: 203.0.113.2", NULL), 403);
	char code[16];
	inspected("LIM-5", code);
	itest_source("127.0.0.1");
	assert_int_equal(prove(&proxied, "/api/v1/operator/report", "LIM-4", "ZZZZZZZZZZ", NULL,
	                       "X-Forwarded-For: 203.0.113.3", NULL),
	                 403);

	/* IPv6: one /64 is one client. */
	for (int i = 0; i < 5; i++)
		assert_int_equal(
		        wrong_code(&proxied, "LIM-5", "X-Forwarded-For: 2001:db8:1:2::1", NULL),
		        403);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE ip = '2001:db8:1:2::/64'"),
	                 5);
	assert_int_equal(
	        wrong_code(&proxied, "LIM-5", "X-Forwarded-For: 2001:db8:1:2:ffff::9", NULL), 429);
	assert_int_equal(prove(&proxied, "/api/v1/operator/report", "LIM-5", code, NULL,
	                       "X-Forwarded-For: 2001:db8:1:3::1", NULL),
	                 200);

	/* A peer outside the list: its header is ignored. */
	itest_source("127.0.0.7");
	assert_int_equal(wrong_code(&proxied, "LIM-6", "X-Forwarded-For: 192.0.2.99", NULL), 403);
	assert_int_equal(itest_sql_count(db_url, "SELECT count(*) FROM appeal_code_failure"
	                                         " WHERE licence = 'lim-6' AND ip = '127.0.0.7'"),
	                 1);
	itest_source(NULL);
	assert_int_equal(itest_server_stop(&proxied), 0);
}

/* (c): a malformed PLACARD_TRUSTED_PROXIES stops the server at start, saying why. */
static void test_malformed_trusted_proxies_refused(void **state)
{
	(void)state;
	NEED_DB();
	struct buf out;
	buf_init(&out);
	int st = itest_shell(&out,
	                     "PLACARD_TRUSTED_PROXIES='10.0.0.1, proxy.internal' "
	                     "PLACARD_LISTEN=127.0.0.1:0 PLACARD_DATABASE_URL='%s' "
	                     "timeout 10 '%s' serve 2>&1",
	                     db_url, itest_bin());
	if (st == 0 || st == 124)
		fail_msg("the server started (status %d): %s", st, out.data);
	assert_non_null(strstr(out.data, "PLACARD_TRUSTED_PROXIES"));
	assert_non_null(strstr(out.data, "proxy.internal"));
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_operator_not_locked_out),
		cmocka_unit_test(test_staff_not_locked_out),
		cmocka_unit_test(test_staff_budget),
		cmocka_unit_test(test_forwarded_for_ignored_without_trust),
		cmocka_unit_test(test_forwarded_for_from_trusted_proxy),
		cmocka_unit_test(test_malformed_trusted_proxies_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
