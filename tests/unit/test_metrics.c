/*
 * test_metrics.c - cmocka tests for the Prometheus text format writers (src/core/metrics.c):
 * label values escaped, samples written as integers or decimals, histogram buckets cumulative
 * with +Inf equal to the count and the sum in seconds, and the process's counters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/metrics.h"

static void test_label_escaping(void **state)
{
	(void)state;
	struct buf l = BUF_INIT;
	metrics_label(&l, "route", "/a/{id:int}");
	metrics_label(&l, "odd", "back\\slash \"quoted\"\nnew line");
	assert_string_equal(
	        l.data, "route=\"/a/{id:int}\",odd=\"back\\\\slash \\\"quoted\\\"\\nnew line\"");
	buf_release(&l);
}

static void test_samples(void **state)
{
	(void)state;
	struct buf out = BUF_INIT;
	metrics_write_family(&out, "x_total", "counter", "Things.");
	metrics_write_sample(&out, "x_total", NULL, 12345678901.0);
	metrics_write_sample(&out, "x_total", "a=\"b\"", 0.25);
	metrics_write_sample(&out, "x_total", "", 0);
	assert_string_equal(out.data, "# HELP x_total Things.\n# TYPE x_total counter\n"
	                              "x_total 12345678901\nx_total{a=\"b\"} 0.25\nx_total 0\n");
	buf_release(&out);
}

static void test_histogram(void **state)
{
	(void)state;
	struct metrics_histogram h = { 0 };
	metrics_observe(&h, 500);      /* 0.0005 s: the first bucket (0.001) */
	metrics_observe(&h, 1000);     /* exactly 0.001: still the first (le is "at most") */
	metrics_observe(&h, 30000);    /* 0.03: the 0.05 bucket */
	metrics_observe(&h, 60000000); /* a minute: above every bound */
	metrics_observe(&h, -5);       /* a clock step back counts as 0 */
	struct buf out = BUF_INIT;
	metrics_write_histogram(&out, "d_seconds", "route=\"/x\"", &h);
	const char *want = "d_seconds_bucket{route=\"/x\",le=\"0.001\"} 3\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.0025\"} 3\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.005\"} 3\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.01\"} 3\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.025\"} 3\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.05\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.1\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.25\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"0.5\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"1\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"2.5\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"10\"} 4\n"
	                   "d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 5\n"
	                   "d_seconds_sum{route=\"/x\"} 60.0315\n"
	                   "d_seconds_count{route=\"/x\"} 5\n";
	assert_string_equal(out.data, want);
	buf_release(&out);
	/* No labels: "le" alone. */
	struct metrics_histogram empty = { 0 };
	metrics_write_histogram(&out, "e", NULL, &empty);
	assert_non_null(strstr(out.data, "e_bucket{le=\"+Inf\"} 0\ne_sum 0\ne_count 0\n"));
	buf_release(&out);
}

static void test_process(void **state)
{
	(void)state;
	metrics_add(METRICS_DB_OPEN_READ, 3);
	metrics_add(METRICS_DB_BUSY_READ, 1);
	metrics_add(METRICS_TABLET_REPLAYED_PHOTOS, 2);
	metrics_add(METRICS_DB_ERRORS_RETRY, 1);
	metrics_set_start_time();
	struct buf out = BUF_INIT;
	metrics_write_process(&out);
	const char *o = out.data;
	assert_non_null(strstr(o, "# TYPE placard_tablet_replayed_total counter\n"
	                          "placard_tablet_replayed_total{kind=\"inspection\"} 0\n"
	                          "placard_tablet_replayed_total{kind=\"photo\"} 2\n"));
	assert_non_null(strstr(o, "placard_database_connections_open{pool=\"read\"} 3\n"));
	assert_non_null(strstr(o, "placard_database_connections_in_use{pool=\"read\"} 1\n"));
	assert_non_null(strstr(o, "placard_database_connections_idle{pool=\"read\"} 2\n"));
	assert_non_null(strstr(o, "placard_database_connections_idle{pool=\"write\"} 0\n"));
	assert_non_null(strstr(o, "placard_database_errors_total{kind=\"retry\"} 1\n"));
	/* Each family's HELP and TYPE once. */
	const char *first = strstr(o, "# TYPE placard_database_errors_total");
	assert_non_null(first);
	assert_null(strstr(first + 1, "# TYPE placard_database_errors_total"));
	assert_non_null(strstr(o, "\nprocess_resident_memory_bytes "));
	assert_non_null(strstr(o, "\nprocess_open_fds "));
	assert_non_null(strstr(o, "\nprocess_start_time_seconds "));
	assert_non_null(strstr(o, "\nprocess_cpu_seconds_total "));
	buf_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_histogram),
		cmocka_unit_test(test_process),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
