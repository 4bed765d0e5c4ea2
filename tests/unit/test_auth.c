/*
 * test_auth.c - cmocka tests for the sign-in rules (src/domain/auth.c): role names, the
 * password, username and display-name rules, the session cookie's text,
 * token shape and the same-origin test.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/auth.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void test_roles_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < AUTH_ROLE__COUNT; i++) {
		const char *name = auth_role_name((enum auth_role)i);
		assert_non_null(name);
		assert_non_null(strstr(AUTH_ROLE_NAMES, name));
		enum auth_role r = AUTH_ROLE__COUNT;
		assert_int_equal(auth_role_parse(name, &r), 0);
		assert_int_equal(r, i);
	}
	assert_null(auth_role_name(AUTH_ROLE__COUNT));
	assert_null(auth_role_name((enum auth_role) - 1));
}

static void test_roles_refused(void **state)
{
	(void)state;
	const char *bad[] = { NULL,     "",     "Admin",   "ADMIN",           "admin ",
		              " admin", "root", "hearing", "hearing-officer", "inspectors" };
	for (size_t i = 0; i < N_OF(bad); i++) {
		enum auth_role r = AUTH_ROLE_SUPERVISOR;
		assert_int_equal(auth_role_parse(bad[i], &r), -EINVAL);
		assert_int_equal(r, AUTH_ROLE_SUPERVISOR); /* untouched */
	}
}

static void test_password_lengths(void **state)
{
	(void)state;
	const char *why = "untouched";
	assert_int_equal(auth_password_check("abcdefghijk", 11, &why), -EINVAL);
	assert_non_null(strstr(why, "12 characters"));
	why = "untouched";
	assert_int_equal(auth_password_check("abcdefghijkl", 12, &why), 0);
	assert_string_equal(why, "untouched");
	assert_int_equal(auth_password_check("", 0, NULL), -EINVAL);
	assert_int_equal(auth_password_check(NULL, 0, &why), -EINVAL);

	/* Characters, not bytes: twelve two-byte letters pass, eleven do not. */
	char e[64] = "";
	for (int i = 0; i < 11; i++)
		strcat(e, "\xc3\xa9");
	assert_int_equal(auth_password_check(e, strlen(e), NULL), -EINVAL);
	strcat(e, "\xc3\xa9");
	assert_int_equal(auth_password_check(e, strlen(e), NULL), 0);
	/* Four-byte characters: an emoji counts once. */
	assert_int_equal(auth_password_check("\xf0\x9f\x8d\x95\xf0\x9f\x8d\x95\xf0\x9f\x8d\x95"
	                                     "\xf0\x9f\x8d\x95\xf0\x9f\x8d\x95",
	                                     20, NULL),
	                 -EINVAL);

	char big[AUTH_PASSWORD_MAX_BYTES + 2];
	memset(big, 'x', sizeof(big));
	assert_int_equal(auth_password_check(big, AUTH_PASSWORD_MAX_BYTES, NULL), 0);
	assert_int_equal(auth_password_check(big, AUTH_PASSWORD_MAX_BYTES + 1, &why), -E2BIG);
	assert_non_null(strstr(why, "1024"));
}

static void test_password_content(void **state)
{
	(void)state;
	const char *why = NULL;
	assert_int_equal(auth_password_check("abcdef\0ghijklmn", 15, &why), -EINVAL);
	assert_non_null(strstr(why, "NUL"));
	const char *bad_utf8[] = {
		"abcdefghijkl\xff",             /* never valid */
		"abcdefghijkl\xc3",             /* truncated */
		"abcdefghijkl\xc0\xaf",         /* overlong '/' */
		"abcdefghijkl\xed\xa0\x80",     /* surrogate */
		"abcdefghijkl\xf4\x90\x80\x80", /* above U+10FFFF */
		"abcdefghijkl\x80",             /* lone continuation */
	};
	for (size_t i = 0; i < N_OF(bad_utf8); i++) {
		why = NULL;
		assert_int_equal(auth_password_check(bad_utf8[i], strlen(bad_utf8[i]), &why),
		                 -EINVAL);
		assert_non_null(strstr(why, "UTF-8"));
	}
	/* Spaces and punctuation are fine: passphrases are welcome. */
	assert_int_equal(auth_password_check("correct horse battery staple!",
	                                     strlen("correct horse battery staple!"), NULL),
	                 0);
}

static void test_usernames(void **state)
{
	(void)state;
	const char *good[] = { "a",
		               "ann",
		               "Ann.Lee",
		               "ann_lee-2",
		               "ann@city.gov",
		               "0123456789012345678901234567890123456789012345678901234567890123" };
	for (size_t i = 0; i < N_OF(good); i++)
		assert_int_equal(auth_username_check(good[i], NULL), 0);
	const char *bad[] = {
		NULL,       "",
		"ann lee",  "ann\n",
		"an/n",     "ann'",
		"\xc3\xa9", "01234567890123456789012345678901234567890123456789012345678901234"
	};
	for (size_t i = 0; i < N_OF(bad); i++) {
		const char *why = NULL;
		assert_int_equal(auth_username_check(bad[i], &why), -EINVAL);
		assert_non_null(why);
	}
}

static void test_display_names(void **state)
{
	(void)state;
	assert_int_equal(auth_display_name_check("Ann Lee", NULL), 0);
	assert_int_equal(auth_display_name_check("Zoë O'Brien-Ñúñez", NULL), 0);
	const char *why = NULL;
	assert_int_equal(auth_display_name_check("", &why), -EINVAL);
	assert_int_equal(auth_display_name_check(NULL, &why), -EINVAL);
	assert_int_equal(auth_display_name_check("Ann\nLee", &why), -EINVAL);
	assert_int_equal(auth_display_name_check("Ann\x1b[31m", &why), -EINVAL);
	assert_int_equal(auth_display_name_check("Ann\xff", &why), -EINVAL);
	char long_name[AUTH_DISPLAY_NAME_MAX + 2];
	memset(long_name, 'a', sizeof(long_name));
	long_name[AUTH_DISPLAY_NAME_MAX] = '\0';
	assert_int_equal(auth_display_name_check(long_name, NULL), 0);
	long_name[AUTH_DISPLAY_NAME_MAX] = 'a';
	long_name[AUTH_DISPLAY_NAME_MAX + 1] = '\0';
	assert_int_equal(auth_display_name_check(long_name, NULL), -EINVAL);
}

static void test_cookie(void **state)
{
	(void)state;
	char out[256];
	assert_int_equal(auth_cookie_format(out, sizeof(out), "abc123", false), 0);
	assert_string_equal(out, "placard_session=abc123; Path=/; HttpOnly; SameSite=Strict");
	assert_int_equal(auth_cookie_format(out, sizeof(out), "abc123", true), 0);
	assert_string_equal(out,
	                    "placard_session=abc123; Path=/; HttpOnly; SameSite=Strict; Secure");
	assert_int_equal(auth_cookie_format(out, sizeof(out), NULL, false), 0);
	assert_string_equal(out, "placard_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
	assert_int_equal(auth_cookie_format(out, sizeof(out), NULL, true), 0);
	assert_string_equal(
	        out, "placard_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");

	char small[16] = "untouched";
	assert_int_equal(auth_cookie_format(small, sizeof(small), "abc123", false), -ENOSPC);
	assert_string_equal(small, "untouched");
	/* Exactly fits: the NUL counts. */
	size_t need = strlen("placard_session=abc123; Path=/; HttpOnly; SameSite=Strict") + 1;
	assert_int_equal(auth_cookie_format(out, need, "abc123", false), 0);
	assert_int_equal(auth_cookie_format(out, need - 1, "abc123", false), -ENOSPC);
}

static void test_token_shape(void **state)
{
	(void)state;
	char t[AUTH_TOKEN_HEX + 2];
	memset(t, 'a', AUTH_TOKEN_HEX);
	t[AUTH_TOKEN_HEX] = '\0';
	assert_true(auth_token_valid(t));
	memcpy(t, "0123456789abcdef", 16);
	assert_true(auth_token_valid(t));
	t[3] = 'A';
	assert_false(auth_token_valid(t));
	t[3] = 'g';
	assert_false(auth_token_valid(t));
	t[3] = '3';
	t[AUTH_TOKEN_HEX - 1] = '\0';
	assert_false(auth_token_valid(t));
	t[AUTH_TOKEN_HEX - 1] = 'a';
	t[AUTH_TOKEN_HEX] = 'a';
	t[AUTH_TOKEN_HEX + 1] = '\0';
	assert_false(auth_token_valid(t));
	assert_false(auth_token_valid(""));
	assert_false(auth_token_valid(NULL));
}

struct origin_case {
	const char *origin, *host;
	bool tls, want;
};

static const struct origin_case origin_cases[] = {
	{ "http://127.0.0.1:8080", "127.0.0.1:8080", false, true },
	{ "http://127.0.0.1:8080", "127.0.0.1:8081", false, false },
	{ "http://127.0.0.1:8080", "127.0.0.1", false, false },
	{ "HTTP://Example.ORG", "example.org", false, true },
	{ "http://example.org", "example.org:80", false, true },
	{ "http://example.org:80", "example.org", false, true },
	{ "https://example.org", "example.org", false, false }, /* scheme differs */
	{ "https://example.org", "example.org", true, true },
	{ "https://example.org:443", "example.org", true, true },
	{ "https://example.org", "example.org:443", true, true },
	{ "http://example.org", "example.org", true, false },
	{ "https://example.org:8443", "example.org", true, false },
	{ "http://evil.example", "example.org", false, false },
	{ "http://example.org.evil.example", "example.org", false, false },
	{ "http://example.org/", "example.org", false, false },
	{ "http://user@example.org", "example.org", false, false },
	{ "http://[::1]:8080", "[::1]:8080", false, true },
	{ "null", "example.org", false, false },
	{ "", "example.org", false, false },
	{ "http://", "", false, false },
	{ NULL, "example.org", false, false },
	{ "http://example.org", NULL, false, false },
};

static void test_origin(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(origin_cases); i++) {
		const struct origin_case *c = &origin_cases[i];
		if (auth_origin_matches(c->origin, c->host, c->tls) != c->want)
			fail_msg("origin %s host %s tls %d: want %d",
			         c->origin ? c->origin : "NULL", c->host ? c->host : "NULL", c->tls,
			         c->want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles_round_trip), cmocka_unit_test(test_roles_refused),
		cmocka_unit_test(test_password_lengths), cmocka_unit_test(test_password_content),
		cmocka_unit_test(test_usernames),        cmocka_unit_test(test_display_names),
		cmocka_unit_test(test_cookie),           cmocka_unit_test(test_token_shape),
		cmocka_unit_test(test_origin),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
