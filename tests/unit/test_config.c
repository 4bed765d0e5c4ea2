/* Unit tests for core/config and core/util number parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/util.h"

static void clear_env(void)
{
	unsetenv("PLACARD_LISTEN");
	unsetenv("PLACARD_THREADS");
	unsetenv("PLACARD_MAX_BODY");
	unsetenv("PLACARD_TRUSTED_PROXIES");
}

static void test_defaults(void **state)
{
	(void)state;
	clear_env();
	struct config c;
	char err[256];
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_string_equal(c.listen_host, "127.0.0.1");
	assert_int_equal(c.listen_port, 8080);
	assert_int_equal(c.max_body, 1 << 20);
	assert_true(c.threads >= 1);
}

static void test_listen(void **state)
{
	(void)state;
	char host[64];
	unsigned port;
	assert_int_equal(config_parse_listen("0.0.0.0:0", host, sizeof(host), &port), 0);
	assert_string_equal(host, "0.0.0.0");
	assert_int_equal(port, 0);
	assert_int_equal(config_parse_listen("::1:9000", host, sizeof(host), &port), 0);
	assert_string_equal(host, "::1");
	assert_int_equal(port, 9000);
	assert_int_equal(config_parse_listen("localhost", host, sizeof(host), &port), -EINVAL);
	assert_int_equal(config_parse_listen(":80", host, sizeof(host), &port), -EINVAL);
	assert_int_equal(config_parse_listen("h:65536", host, sizeof(host), &port), -EINVAL);
	assert_int_equal(config_parse_listen("h:8x", host, sizeof(host), &port), -EINVAL);
}

static void test_bad_values_name_the_variable(void **state)
{
	(void)state;
	clear_env();
	struct config c = { .listen_port = 1234 };
	char err[256];
	setenv("PLACARD_THREADS", "lots", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_THREADS"));
	assert_int_equal(c.listen_port, 1234); /* untouched */
	setenv("PLACARD_THREADS", "0", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), -EINVAL);
	clear_env();
	setenv("PLACARD_LISTEN", "nowhere", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_LISTEN"));
	clear_env();
}

static void test_trusted_proxies(void **state)
{
	(void)state;
	clear_env();
	struct config c;
	char err[512];
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.trusted_proxies.n, 0); /* none by default */
	setenv("PLACARD_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16, fd00::/8", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.trusted_proxies.n, 3);
	/* A malformed setting is refused at start, naming the variable and the entry. */
	struct config keep = { .listen_port = 1234 };
	setenv("PLACARD_TRUSTED_PROXIES", "10.0.0.1, proxy.internal", 1);
	assert_int_equal(config_from_env(&keep, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_TRUSTED_PROXIES"));
	assert_non_null(strstr(err, "\"proxy.internal\""));
	assert_int_equal(keep.listen_port, 1234);
	setenv("PLACARD_TRUSTED_PROXIES", "10.0.0.1/8", 1);
	assert_int_equal(config_from_env(&keep, err, sizeof(err)), -EINVAL);
	clear_env();
}

static void test_parse_int64(void **state)
{
	(void)state;
	long long v = 7;
	assert_int_equal(parse_int64("42", 0, 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int64("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(parse_int64("101", 0, 100, &v), -ERANGE);
	assert_int_equal(parse_int64("99999999999999999999", 0, 100, &v), -ERANGE);
	assert_int_equal(parse_int64(" 4", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_int64("+4", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_int64("4 ", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_int64("", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_int64("-", 0, 100, &v), -EINVAL);
	assert_int_equal(parse_int64(NULL, 0, 100, &v), -EINVAL);
	assert_int_equal(v, -5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_bad_values_name_the_variable),
		cmocka_unit_test(test_trusted_proxies),
		cmocka_unit_test(test_parse_int64),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
