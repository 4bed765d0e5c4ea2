/* Unit tests for core/config and core/util number parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/util.h"

static void clear_env(void)
{
	unsetenv("PLACARD_LISTEN");
	unsetenv("PLACARD_THREADS");
	unsetenv("PLACARD_MAX_BODY");
	unsetenv("PLACARD_TRUSTED_PROXIES");
	unsetenv("PLACARD_PUBLIC_URL");
	unsetenv("PLACARD_DEVELOPMENT");
	unsetenv("PLACARD_METRICS_ALLOW");
	unsetenv("PLACARD_LOG_TARGET");
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

static bool allows(const struct netaddr_list *l, const char *ip)
{
	struct netaddr a;
	assert_int_equal(netaddr_parse(ip, &a), 0);
	return netaddr_list_contains(l, &a);
}

/* PLACARD_METRICS_ALLOW: this machine by default, parsed like PLACARD_TRUSTED_PROXIES. */
static void test_metrics_allow(void **state)
{
	(void)state;
	clear_env();
	struct config c;
	char err[512];
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_true(allows(&c.metrics_allow, "127.0.0.1"));
	assert_true(allows(&c.metrics_allow, "127.3.2.1"));
	assert_true(allows(&c.metrics_allow, "::1"));
	assert_true(allows(&c.metrics_allow, "::ffff:127.0.0.1"));
	assert_false(allows(&c.metrics_allow, "10.0.0.1"));
	assert_false(allows(&c.metrics_allow, "::2"));
	setenv("PLACARD_METRICS_ALLOW", "10.1.2.3, 192.168.0.0/16", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.metrics_allow.n, 2);
	assert_true(allows(&c.metrics_allow, "192.168.7.7"));
	assert_false(allows(&c.metrics_allow, "127.0.0.1"));
	struct config keep = { .listen_port = 1234 };
	setenv("PLACARD_METRICS_ALLOW", "10.0.0.1, prometheus.internal", 1);
	assert_int_equal(config_from_env(&keep, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_METRICS_ALLOW"));
	assert_non_null(strstr(err, "\"prometheus.internal\""));
	assert_int_equal(keep.listen_port, 1234);
	clear_env();
}

/* PLACARD_LOG_TARGET: auto by default, journal or stderr, nothing else. */
static void test_log_target(void **state)
{
	(void)state;
	clear_env();
	struct config c;
	char err[512];
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_int_equal(c.log_journal, -1);
	static const struct {
		const char *value;
		int want;
	} t[] = { { "auto", -1 }, { "journal", 1 }, { "stderr", 0 }, { "", -1 } };
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		setenv("PLACARD_LOG_TARGET", t[i].value, 1);
		assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
		assert_int_equal(c.log_journal, t[i].want);
	}
	setenv("PLACARD_LOG_TARGET", "syslog", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_LOG_TARGET"));
	assert_non_null(strstr(err, "\"syslog\""));
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

/* The public address: an origin (scheme, host, port) and nothing a client could add to. */
static void test_public_url(void **state)
{
	(void)state;
	static const char *const good[][2] = {
		{ "https://inspections.example.gov", "https://inspections.example.gov" },
		{ "https://inspections.example.gov/", "https://inspections.example.gov" },
		{ "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
		{ "http://[::1]:8080/", "http://[::1]:8080" },
		{ "https://a-b.c9.example:443", "https://a-b.c9.example:443" },
		{ "http://localhost", "http://localhost" },
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		char out[CONFIG_PUBLIC_URL_MAX + 1] = "";
		if (config_parse_public_url(good[i][0], out, sizeof(out)) != 0)
			fail_msg("refused %s", good[i][0]);
		assert_string_equal(out, good[i][1]);
	}
	static const char *const bad[] = {
		"",
		"inspections.example.gov",
		"//inspections.example.gov",
		"ftp://inspections.example.gov",
		"HTTPS://inspections.example.gov",
		"javascript:alert(1)",
		"https://",
		"https:///",
		"https://inspections.example.gov/path",
		"https://inspections.example.gov//",
		"https://inspections.example.gov?q=1",
		"https://inspections.example.gov/?q=1",
		"https://inspections.example.gov#top",
		"https://user@inspections.example.gov",
		"https://user:pw@inspections.example.gov",
		"https://inspections.example.gov:",
		"https://inspections.example.gov:0",
		"https://inspections.example.gov:65536",
		"https://inspections.example.gov:123456",
		"https://inspections.example.gov:8x",
		"https://-bad.example",
		"https://bad-.example",
		"https://bad..example",
		"https://.example",
		"https://example.",
		"https://exa mple.gov",
		"https://exa\"mple.gov",
		"https://exa<mple.gov",
		"https://[]",
		"https://[::1",
		"https://[::g]",
		"https://inspections.example.gov\\evil",
		" https://inspections.example.gov",
		"https://inspections.example.gov ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[CONFIG_PUBLIC_URL_MAX + 1] = "untouched";
		if (config_parse_public_url(bad[i], out, sizeof(out)) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_string_equal(out, "untouched");
	}
	/* At most CONFIG_PUBLIC_URL_MAX bytes, and never beyond the caller's buffer. */
	char long_url[CONFIG_PUBLIC_URL_MAX + 2], out[CONFIG_PUBLIC_URL_MAX + 1];
	memset(long_url, 'a', sizeof(long_url) - 1);
	memcpy(long_url, "https://", 8);
	long_url[CONFIG_PUBLIC_URL_MAX] = '\0';
	assert_int_equal(config_parse_public_url(long_url, out, sizeof(out)), 0);
	long_url[CONFIG_PUBLIC_URL_MAX] = 'a';
	long_url[CONFIG_PUBLIC_URL_MAX + 1] = '\0';
	assert_int_equal(config_parse_public_url(long_url, out, sizeof(out)), -EINVAL);
	char small[16];
	assert_int_equal(config_parse_public_url("https://example.gov", small, sizeof(small)),
	                 -EINVAL);
}

/* PLACARD_PUBLIC_URL is checked when read; PLACARD_DEVELOPMENT is 0 or 1. */
static void test_public_url_env(void **state)
{
	(void)state;
	clear_env();
	struct config c;
	char err[256];
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_string_equal(c.public_url, "");
	assert_int_equal(c.development, 0);
	setenv("PLACARD_PUBLIC_URL", "https://inspections.example.gov/", 1);
	setenv("PLACARD_DEVELOPMENT", "1", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_string_equal(c.public_url, "https://inspections.example.gov");
	assert_int_equal(c.development, 1);
	setenv("PLACARD_PUBLIC_URL", "https://inspections.example.gov/establishment.html", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_PUBLIC_URL"));
	setenv("PLACARD_PUBLIC_URL", "https://inspections.example.gov", 1);
	setenv("PLACARD_DEVELOPMENT", "yes", 1);
	assert_int_equal(config_from_env(&c, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "PLACARD_DEVELOPMENT"));
	clear_env();
}

/* The installed binary finds web/ and sql/ under the data directory; any other copy (a build
 * directory, the tests) in the tree it was built from. */
static void test_data_root(void **state)
{
	(void)state;
	assert_string_equal(config_data_root("/usr/bin/placard", "/usr/bin/placard", "/src/placard",
	                                     "/usr/share/placard"),
	                    "/usr/share/placard");
	assert_string_equal(config_data_root("/src/placard/build/placard", "/usr/bin/placard",
	                                     "/src/placard", "/usr/share/placard"),
	                    "/src/placard");
	assert_string_equal(
	        config_data_root(NULL, "/usr/bin/placard", "/src/placard", "/usr/share/placard"),
	        "/src/placard");
	/* A prefix only: a binary elsewhere under it is not the installed one. */
	assert_string_equal(config_data_root("/usr/bin/placard-old", "/usr/bin/placard",
	                                     "/src/placard", "/usr/share/placard"),
	                    "/src/placard");
	/* The running binary (a build directory) uses its source tree. */
	struct config c;
	char err[256];
	clear_env();
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_string_equal(c.web_dir, PLACARD_SOURCE_ROOT "/web");
	assert_string_equal(c.sql_dir, PLACARD_SOURCE_ROOT "/sql");
	assert_string_equal(c.schemes_dir, PLACARD_SOURCE_ROOT "/schemes");
}

/* Parses @text (copied: the parser cuts it up); the return code, the entries in @e. */
static int parse(const char *text, struct config_file_entry *e, size_t *n, char *err,
                 size_t errsize)
{
	static char copy[CONFIG_FILE_MAX + 2];
	size_t len = strlen(text);
	assert_true(len <= CONFIG_FILE_MAX + 1);
	memcpy(copy, text, len + 1);
	err[0] = '\0';
	return config_file_parse(copy, len, e, n, err, errsize);
}

static void test_config_file(void **state)
{
	(void)state;
	struct config_file_entry e[CONFIG_FILE_SETTINGS];
	size_t n = 99;
	char err[256];
	assert_int_equal(parse("# Placard\n"
	                       "\n"
	                       "PLACARD_LISTEN=127.0.0.1:8080\n"
	                       "  PLACARD_DATABASE_URL = host=/run/postgresql dbname=placard  \r\n"
	                       "\t# a comment\n"
	                       "PLACARD_PUBLIC_URL=\"https://inspections.example.gov\"\n"
	                       "PLACARD_TRUSTED_PROXIES='127.0.0.1, ::1'\n"
	                       "PLACARD_LOG_ORIGIN=\n"
	                       "PLACARD_TLS=1",
	                       e, &n, err, sizeof(err)),
	                 0);
	assert_int_equal(n, 6);
	assert_string_equal(e[0].name, "PLACARD_LISTEN");
	assert_string_equal(e[0].value, "127.0.0.1:8080");
	assert_int_equal(e[0].line, 3);
	assert_string_equal(e[1].name, "PLACARD_DATABASE_URL");
	assert_string_equal(e[1].value, "host=/run/postgresql dbname=placard");
	assert_int_equal(e[1].line, 4);
	assert_string_equal(e[2].value, "https://inspections.example.gov");
	assert_string_equal(e[3].value, "127.0.0.1, ::1");
	assert_string_equal(e[4].name, "PLACARD_LOG_ORIGIN");
	assert_string_equal(e[4].value, "");
	assert_string_equal(e[5].name, "PLACARD_TLS");
	assert_string_equal(e[5].value, "1");
	assert_int_equal(e[5].line, 9);

	/* An empty file, and one of comments only. */
	assert_int_equal(parse("", e, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	assert_int_equal(parse("# nothing\n\n   \n", e, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
}

static void test_config_file_bad_lines(void **state)
{
	(void)state;
	struct config_file_entry e[CONFIG_FILE_SETTINGS];
	size_t n = 0;
	char err[256];
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "PLACARD_TLS=1\nPLACARD_LISTEN\n", "line 2: not NAME=VALUE" },
		{ "# x\n=1\n", "line 2: no name before \"=\"" },
		{ "PLACARD_LISTN=127.0.0.1:80\n",
		  "line 1: PLACARD_LISTN is not a setting of Placard" },
		{ "\n\nexport PLACARD_TLS=1\n",
		  "line 3: export PLACARD_TLS is not a setting of Placard" },
		{ "PLACARD_CONFIG=/etc/x\n", "line 1: PLACARD_CONFIG is not a setting of Placard" },
		{ "placard_tls=1\n", "line 1: placard_tls is not a setting of Placard" },
		{ "PLACARD_TLS=1\n\nPLACARD_TLS=0\n",
		  "line 3: PLACARD_TLS is already set on line 1" },
		{ "PLACARD_PUBLIC_URL=\"https://x.example\n",
		  "line 1: PLACARD_PUBLIC_URL: unmatched quote" },
		{ "PLACARD_PUBLIC_URL='https://x.example\"\n",
		  "line 1: PLACARD_PUBLIC_URL: unmatched quote" },
		{ "PLACARD_LOG_ORIGIN=\"a\"b\"\n", "line 1: PLACARD_LOG_ORIGIN: unmatched quote" },
		{ "PLACARD_LOG_ORIGIN=\"\n", "line 1: PLACARD_LOG_ORIGIN: unmatched quote" },
		{ "PLACARD_TLS=1\nPLACARD_LISTEN=a\rb\n",
		  "line 2: a control character (byte 0x0d)" },
		{ "PLACARD_TLS=1\x1b[2J\n", "line 1: a control character (byte 0x1b)" },
		{ "PLACARD_TLS=1\x7f\n", "line 1: a control character (byte 0x7f)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(parse(bad[i].text, e, &n, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, bad[i].err);
	}

	/* A NUL byte inside the file (the length says there is more). */
	char nul[] = "PLACARD_TLS=1\nPLACARD_LISTEN=a\0b\n";
	assert_int_equal(config_file_parse(nul, sizeof(nul) - 1, e, &n, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "line 2: a control character (byte 0x00)");

	/* The size limits: bytes, and settings (every name may be set once, so a file of
	 * distinct names cannot reach it; the bound is checked against the array all the same). */
	static char big[CONFIG_FILE_MAX + 2];
	memset(big, '#', CONFIG_FILE_MAX + 1);
	big[CONFIG_FILE_MAX + 1] = '\0';
	assert_int_equal(config_file_parse(big, CONFIG_FILE_MAX + 1, e, &n, err, sizeof(err)),
	                 -EINVAL);
	assert_string_equal(err, "longer than 65536 bytes");
	big[CONFIG_FILE_MAX] = '\0';
	assert_int_equal(config_file_parse(big, CONFIG_FILE_MAX, e, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
}

static void test_config_file_choose(void **state)
{
	(void)state;
	int required = -1;
	const char *etc = "/etc/placard/placard.conf";
	/* The installed binary reads the default file, which may be absent. */
	assert_string_equal(
	        config_file_choose(NULL, "/usr/bin/placard", "/usr/bin/placard", etc, &required),
	        etc);
	assert_int_equal(required, 0);
	/* Any other binary reads none. */
	assert_null(
	        config_file_choose(NULL, "/src/build/placard", "/usr/bin/placard", etc, &required));
	assert_null(config_file_choose(NULL, NULL, "/usr/bin/placard", etc, &required));
	/* PLACARD_CONFIG names the file, which must then exist; empty: none. */
	assert_string_equal(config_file_choose("/tmp/p.conf", "/src/build/placard",
	                                       "/usr/bin/placard", etc, &required),
	                    "/tmp/p.conf");
	assert_int_equal(required, 1);
	assert_null(config_file_choose("", "/usr/bin/placard", "/usr/bin/placard", etc, &required));
}

/* The file's settings reach config_from_env(), and the environment wins over them. */
static void test_config_file_load(void **state)
{
	(void)state;
	clear_env();
	char path[] = "/tmp/placard-config-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char text[] = "PLACARD_LISTEN=127.0.0.9:8123\n"
	                    "PLACARD_THREADS=3\n"
	                    "PLACARD_PUBLIC_URL=https://inspections.example.gov/\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	setenv("PLACARD_THREADS", "5", 1);
	char err[512];
	assert_int_equal(config_file_load(path, 1, err, sizeof(err)), 0);
	struct config c;
	assert_int_equal(config_from_env(&c, err, sizeof(err)), 0);
	assert_string_equal(c.listen_host, "127.0.0.9");
	assert_int_equal(c.listen_port, 8123);
	assert_int_equal(c.threads, 5);
	assert_string_equal(c.public_url, "https://inspections.example.gov");

	/* A bad line names the file and the line, and sets nothing. */
	clear_env();
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	const char worse[] = "PLACARD_TLS=1\nPLACARD_THREDS=3\n";
	assert_int_equal(write(fd, worse, sizeof(worse) - 1), (ssize_t)(sizeof(worse) - 1));
	close(fd);
	unsetenv("PLACARD_TLS");
	assert_int_equal(config_file_load(path, 1, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "line 2: PLACARD_THREDS is not a setting of Placard"));
	assert_null(getenv("PLACARD_TLS"));

	/* A missing file: an error when named, nothing when it is the default. */
	unlink(path);
	assert_int_equal(config_file_load(path, 1, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
	assert_int_equal(config_file_load(path, 0, err, sizeof(err)), 0);
	assert_int_equal(config_file_load(NULL, 1, err, sizeof(err)), 0);
	clear_env();
}

/* Map tile templates: an http(s) origin, then a path with {z}, {x} and {y}; the origin is
 * what the Content-Security-Policy allows images from. */
static void test_map_tiles(void **state)
{
	(void)state;
	char url[CONFIG_MAP_TILES_MAX + 1], origin[CONFIG_PUBLIC_URL_MAX + 1];
	assert_int_equal(config_parse_map_tiles("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
	                                        url, origin),
	                 0);
	assert_string_equal(url, "https://tile.openstreetmap.org/{z}/{x}/{y}.png");
	assert_string_equal(origin, "https://tile.openstreetmap.org");
	assert_int_equal(config_parse_map_tiles("http://127.0.0.1:8081/tiles/{z}/{x}/{y}@2x.png",
	                                        url, origin),
	                 0);
	assert_string_equal(origin, "http://127.0.0.1:8081");
	static const char *const bad[] = {
		"",
		"tile.openstreetmap.org/{z}/{x}/{y}.png",
		"https://tile.openstreetmap.org",
		"https://tile.openstreetmap.org/{z}/{x}.png",
		"https://tile.openstreetmap.org/{z}/{x}/{y}.png?key=1",
		"https://tile.openstreetmap.org/{z}/{x}/{y}.png; script-src *",
		"https://tile.openstreetmap.org/{z}/{x}/{y}'.png",
		"javascript://x/{z}/{x}/{y}",
		"https://user@tile.openstreetmap.org/{z}/{x}/{y}.png",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (config_parse_map_tiles(bad[i], url, origin) != -EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
	char long_url[CONFIG_MAP_TILES_MAX + 2];
	memset(long_url, 'a', sizeof(long_url) - 1);
	long_url[sizeof(long_url) - 1] = '\0';
	memcpy(long_url, "https://t.org/{z}/{x}/{y}/", 26);
	assert_int_equal(config_parse_map_tiles(long_url, url, origin), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_bad_values_name_the_variable),
		cmocka_unit_test(test_trusted_proxies),
		cmocka_unit_test(test_metrics_allow),
		cmocka_unit_test(test_log_target),
		cmocka_unit_test(test_parse_int64),
		cmocka_unit_test(test_public_url),
		cmocka_unit_test(test_public_url_env),
		cmocka_unit_test(test_data_root),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_config_file_bad_lines),
		cmocka_unit_test(test_config_file_choose),
		cmocka_unit_test(test_config_file_load),
		cmocka_unit_test(test_map_tiles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
