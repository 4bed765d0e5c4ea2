/*
 * test_log.c - cmocka tests for the journal fields of a log line (src/core/log.c): each JSON
 * member a field in capitals, "msg" as MESSAGE (the whole line when there is none), PRIORITY
 * from "level", escapes undone, names the journal keeps for itself or could not take
 * prefixed, and lines that are not flat JSON objects refused.
 */
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/log.h"

/* The fields of @line joined with "|" (NULs in between replaced), into @out. */
static int fields(const char *line, char *out, size_t size, unsigned *ret_n)
{
	struct buf b = BUF_INIT;
	int rc = log_journal_fields(line, &b, ret_n);
	size_t n = b.len < size - 1 ? b.len : size - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = b.data[i] ? b.data[i] : '|';
	out[n] = '\0';
	buf_release(&b);
	return rc;
}

static void test_message_line(void **state)
{
	(void)state;
	char out[1024];
	unsigned n;
	assert_int_equal(fields("{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"warn\","
	                        "\"msg\":\"sealer: \\\"db\\\" gone\\nretrying\"}",
	                        out, sizeof(out), &n),
	                 0);
	assert_string_equal(out, "TS=2026-01-02T03:04:05.678Z|LEVEL=warn|MESSAGE=sealer: \"db\" "
	                         "gone\nretrying|PRIORITY=4|SYSLOG_IDENTIFIER=placard|");
	assert_int_equal(n, 5);
}

static void test_priorities(void **state)
{
	(void)state;
	static const struct {
		const char *level;
		const char *priority;
	} t[] = { { "debug", "PRIORITY=7" },
		  { "info", "PRIORITY=6" },
		  { "warn", "PRIORITY=4" },
		  { "error", "PRIORITY=3" },
		  { "loud", "PRIORITY=6" } };
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char line[128], out[512];
		unsigned n;
		snprintf(line, sizeof(line), "{\"level\":\"%s\",\"msg\":\"m\"}", t[i].level);
		assert_int_equal(fields(line, out, sizeof(out), &n), 0);
		assert_non_null(strstr(out, t[i].priority));
	}
}

/* An access-log line: numbers kept as written, the whole line as MESSAGE. */
static void test_access_line(void **state)
{
	(void)state;
	const char *line = "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"method\":\"GET\",\"path\":"
	                   "\"/api/v1/x\",\"status\":404,\"bytes\":120,\"duration_ms\":0.512,"
	                   "\"terminated\":1}";
	char out[1024], want[1024];
	unsigned n;
	assert_int_equal(fields(line, out, sizeof(out), &n), 0);
	snprintf(want, sizeof(want),
	         "TS=2026-01-02T03:04:05.678Z|METHOD=GET|PATH=/api/v1/x|STATUS=404|BYTES=120|"
	         "DURATION_MS=0.512|TERMINATED=1|MESSAGE=%s|PRIORITY=6|SYSLOG_IDENTIFIER=placard|",
	         line);
	assert_string_equal(out, want);
	assert_int_equal(n, 10);
}

static void test_escapes(void **state)
{
	(void)state;
	char out[512];
	unsigned n;
	/* \u00e9, a surrogate pair (U+1F600), a lone surrogate, a NUL, \/ \t \\ */
	assert_int_equal(fields("{\"msg\":\"caf\\u00e9 \\ud83d\\ude00 \\udc00 a\\u0000b "
	                        "\\/\\t\\\\\"}",
	                        out, sizeof(out), &n),
	                 0);
	assert_string_equal(out, "MESSAGE=caf\xc3\xa9 \xf0\x9f\x98\x80 \xef\xbf\xbd "
	                         "a\xef\xbf\xbd"
	                         "b /\t\\|PRIORITY=6|SYSLOG_IDENTIFIER=placard|");
}

static void test_names(void **state)
{
	(void)state;
	char out[1024];
	unsigned n;
	assert_int_equal(fields("{\"priority\":\"x\",\"message\":\"y\",\"code_file\":\"z\","
	                        "\"syslog_pid\":1,\"_trusted\":2,\"9lives\":3,\"a-b.c\":4,"
	                        "\"\":5,\"nested\":{\"a\":[1,\"}\"]},\"t\":true,\"n\":null}",
	                        out, sizeof(out), &n),
	                 0);
	assert_non_null(strstr(out, "PLACARD_PRIORITY=x|PLACARD_MESSAGE=y|PLACARD_CODE_FILE=z|"
	                            "PLACARD_SYSLOG_PID=1|PLACARD__TRUSTED=2|PLACARD_9LIVES=3|"
	                            "A_B_C=4|PLACARD_=5|NESTED={\"a\":[1,\"}\"]}|T=true|N=null|"));
	/* A name longer than the journal takes is cut at 64 bytes, its prefix included. */
	char line[256], want[128];
	snprintf(line, sizeof(line), "{\"%s\":1}",
	         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
	assert_int_equal(fields(line, out, sizeof(out), &n), 0);
	snprintf(want, sizeof(want), "%.64s=1|",
	         "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ");
	assert_int_equal(strncmp(out, want, strlen(want)), 0);
	snprintf(line, sizeof(line), "{\"_%s\":1}",
	         "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
	assert_int_equal(fields(line, out, sizeof(out), &n), 0);
	assert_int_equal(strcspn(out, "="), 64);
	assert_int_equal(strncmp(out, "PLACARD__ABC", 12), 0);
}

static void test_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"[]",
		"{",
		"{\"a\"}",
		"{\"a\":}",
		"{\"a\":1",
		"{\"a\":1,}",
		"{\"a\":\"x}",
		"{\"a\":\"\\q\"}",
		"{\"a\":1} x",
		"{a:1}",
		"{\"a\":\"\\u12\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[256];
		unsigned n;
		if (fields(bad[i], out, sizeof(out), &n) != -EINVAL)
			fail_msg("accepted: %s", bad[i]);
	}
	char out[256];
	unsigned n;
	assert_int_equal(fields(" { } ", out, sizeof(out), &n), 0);
	assert_string_equal(out, "MESSAGE= { } |PRIORITY=6|SYSLOG_IDENTIFIER=placard|");
}

/* Outside systemd (no JOURNAL_STREAM naming stderr) the lines stay on stderr. */
static void test_auto_without_journal(void **state)
{
	(void)state;
	unsetenv("JOURNAL_STREAM");
	assert_int_equal(log_use_journal(-1), 0);
	assert_int_equal(log_to_journal(), 0);
	setenv("JOURNAL_STREAM", "1:1", 1);
	assert_int_equal(log_use_journal(-1), 0);
	assert_int_equal(log_to_journal(), 0);
	assert_int_equal(log_use_journal(0), 0);
	assert_int_equal(log_to_journal(), 0);
}

/*
 * Under systemd (JOURNAL_STREAM names stderr) the journal is used; where no journald listens
 * (as in a container), a line the journal does not take still reaches stderr.
 */
static void test_journal_stream_and_fallback(void **state)
{
	(void)state;
	char path[] = "/tmp/placard-test-log-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	int saved = dup(STDERR_FILENO);
	assert_true(dup2(fd, STDERR_FILENO) >= 0);
	struct stat st;
	assert_int_equal(fstat(STDERR_FILENO, &st), 0);
	char v[64];
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
	         (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", v, 1);
	bool built_with_journal = log_use_journal(1) != -ENOTSUP;
	bool journald = access(LOG_JOURNAL_SOCKET, F_OK) == 0;
	assert_int_equal(log_use_journal(-1), 0);
	assert_int_equal(log_to_journal(), built_with_journal && journald);
	log_info("a line for %s", "the journal");
	log_use_journal(0);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	char text[512] = "";
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	close(fd);
	unlink(path);
	text[n > 0 ? n : 0] = '\0';
	if (built_with_journal && journald) {
		printf("# journald listens here: the line went to the journal\n");
		assert_null(strstr(text, "a line for the journal"));
	} else {
		if (built_with_journal)
			printf("# no journald here: checked that the line stays on stderr\n");
		if (!strstr(text, "\"msg\":\"a line for the journal\"}\n"))
			fail_msg("stderr held (%zd bytes): %s", n, text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_line),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_access_line),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_auto_without_journal),
		cmocka_unit_test(test_journal_stream_and_fallback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
