/*
 * metrics.c - the process's counters and the Prometheus text format. See metrics.h.
 */
#include "core/metrics.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"

static atomic_llong values[METRICS__COUNT];
static atomic_llong start_time_usec;

const double metrics_bucket_bounds[METRICS_BUCKETS] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	                                                0.1,   0.25,   0.5,   1,    2.5,   10 };

void metrics_add(enum metrics_id id, long long delta)
{
	atomic_fetch_add_explicit(&values[id], delta, memory_order_relaxed);
}

long long metrics_get(enum metrics_id id)
{
	return atomic_load_explicit(&values[id], memory_order_relaxed);
}

void metrics_set_start_time(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	atomic_store(&start_time_usec, (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
}

void metrics_observe(struct metrics_histogram *h, long long usec)
{
	if (usec < 0)
		usec = 0;
	double s = (double)usec / 1e6;
	size_t i = 0;
	while (i < METRICS_BUCKETS && s > metrics_bucket_bounds[i])
		i++;
	atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_usec, (uint_least64_t)usec, memory_order_relaxed);
}

void metrics_write_family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void metrics_write_sample(struct buf *out, const char *name, const char *labels, double value)
{
	if (labels && *labels)
		buf_addf(out, "%s{%s} %.15g\n", name, labels, value);
	else
		buf_addf(out, "%s %.15g\n", name, value);
}

void metrics_label(struct buf *labels, const char *name, const char *value)
{
	buf_addf(labels, "%s%s=\"", labels->len ? "," : "", name);
	for (const char *p = value; *p; p++) {
		if (*p == '\\')
			buf_addstr(labels, "\\\\");
		else if (*p == '"')
			buf_addstr(labels, "\\\"");
		else if (*p == '\n')
			buf_addstr(labels, "\\n");
		else
			buf_addch(labels, *p);
	}
	buf_addch(labels, '"');
}

void metrics_write_histogram(struct buf *out, const char *name, const char *labels,
                             const struct metrics_histogram *h)
{
	/* The count written is the buckets' total, so that +Inf and _count agree even when
	 * observations land while the buckets are read. */
	uint_least64_t cumulative = 0;
	struct buf l = BUF_INIT;
	for (size_t i = 0; i <= METRICS_BUCKETS; i++) {
		cumulative += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
		buf_truncate(&l, 0);
		if (labels && *labels)
			buf_addstr(&l, labels);
		char le[32];
		if (i < METRICS_BUCKETS)
			snprintf(le, sizeof(le), "%g", metrics_bucket_bounds[i]);
		else
			snprintf(le, sizeof(le), "+Inf");
		metrics_label(&l, "le", le);
		buf_addf(out, "%s_bucket{%s} %llu\n", name, l.data, (unsigned long long)cumulative);
	}
	buf_release(&l);
	double sum = (double)atomic_load_explicit(&h->sum_usec, memory_order_relaxed) / 1e6;
	char sname[160];
	snprintf(sname, sizeof(sname), "%s_sum", name);
	metrics_write_sample(out, sname, labels, sum);
	snprintf(sname, sizeof(sname), "%s_count", name);
	metrics_write_sample(out, sname, labels, (double)cumulative);
}

/* The file descriptors open, counted in /proc/self/fd (-1 when it cannot be read). */
static long open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	long n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

/* Fields of /proc/self/stat: CPU time (user + system, in seconds) and virtual memory
 * size (bytes). false when it cannot be read. */
static bool proc_stat(double *ret_cpu, double *ret_vsize)
{
	FILE *f = fopen("/proc/self/stat", "r");
	if (!f)
		return false;
	char line[1024];
	bool ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	/* The command name (field 2) may hold spaces and parentheses: skip past its last ')'. */
	char *p = ok ? strrchr(line, ')') : NULL;
	if (!p)
		return false;
	unsigned long utime, stime, vsize;
	/* Fields 3 (state) to 23 (vsize); 14 and 15 are utime and stime. */
	if (sscanf(p + 2,
	           "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d %*d %*d %*d %*d "
	           "%*u %lu",
	           &utime, &stime, &vsize) != 3)
		return false;
	long ticks = sysconf(_SC_CLK_TCK);
	*ret_cpu = (double)(utime + stime) / (double)(ticks > 0 ? ticks : 100);
	*ret_vsize = (double)vsize;
	return true;
}

static long long resident_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	if (!f)
		return -1;
	long long size, resident;
	int n = fscanf(f, "%lld %lld", &size, &resident);
	fclose(f);
	return n == 2 ? resident * sysconf(_SC_PAGESIZE) : -1;
}

static const struct {
	const char *name, *type, *help;
	const char *label; /* name="value" */
	enum metrics_id id;
} families[] = {
	{ "placard_tablet_replayed_total", "counter",
	  "Offline submissions from the tablet that were already stored, answered again.",
	  "kind=\"inspection\"", METRICS_TABLET_REPLAYED_INSPECTIONS },
	{ NULL, NULL, NULL, "kind=\"photo\"", METRICS_TABLET_REPLAYED_PHOTOS },
	{ "placard_database_connections_open", "gauge",
	  "Database connections open, by who holds them.", "pool=\"write\"",
	  METRICS_DB_OPEN_WRITE },
	{ NULL, NULL, NULL, "pool=\"read\"", METRICS_DB_OPEN_READ },
	{ NULL, NULL, NULL, "pool=\"background\"", METRICS_DB_OPEN_BACKGROUND },
	{ "placard_database_connections_in_use", "gauge",
	  "Database connections running a statement or holding a transaction open.",
	  "pool=\"write\"", METRICS_DB_BUSY_WRITE },
	{ NULL, NULL, NULL, "pool=\"read\"", METRICS_DB_BUSY_READ },
	{ NULL, NULL, NULL, "pool=\"background\"", METRICS_DB_BUSY_BACKGROUND },
	{ "placard_database_errors_total", "counter", "Database errors, by kind.",
	  "kind=\"connect\"", METRICS_DB_ERRORS_CONNECT },
	{ NULL, NULL, NULL, "kind=\"unavailable\"", METRICS_DB_ERRORS_UNAVAILABLE },
	{ NULL, NULL, NULL, "kind=\"refused\"", METRICS_DB_ERRORS_CONSTRAINT },
	{ NULL, NULL, NULL, "kind=\"retry\"", METRICS_DB_ERRORS_RETRY },
	{ NULL, NULL, NULL, "kind=\"other\"", METRICS_DB_ERRORS_OTHER },
};

void metrics_write_process(struct buf *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		if (families[i].name)
			metrics_write_family(out, families[i].name, families[i].type,
			                     families[i].help);
		const char *name = families[i].name;
		for (size_t j = i; !name; j--)
			name = families[j].name;
		metrics_write_sample(out, name, families[i].label,
		                     (double)metrics_get(families[i].id));
	}
	/* The idle connections are the open ones not in use. */
	metrics_write_family(out, "placard_database_connections_idle", "gauge",
	                     "Database connections open and waiting for work.");
	static const char *const pools[] = { "pool=\"write\"", "pool=\"read\"",
		                             "pool=\"background\"" };
	for (int p = 0; p < 3; p++) {
		long long idle = metrics_get(METRICS_DB_OPEN_WRITE + p) -
		                 metrics_get(METRICS_DB_BUSY_WRITE + p);
		metrics_write_sample(out, "placard_database_connections_idle", pools[p],
		                     (double)(idle > 0 ? idle : 0));
	}

	long long rss = resident_bytes();
	if (rss >= 0) {
		metrics_write_family(out, "process_resident_memory_bytes", "gauge",
		                     "Resident memory size in bytes.");
		metrics_write_sample(out, "process_resident_memory_bytes", NULL, (double)rss);
	}
	double cpu, vsize;
	if (proc_stat(&cpu, &vsize)) {
		metrics_write_family(out, "process_virtual_memory_bytes", "gauge",
		                     "Virtual memory size in bytes.");
		metrics_write_sample(out, "process_virtual_memory_bytes", NULL, vsize);
		metrics_write_family(out, "process_cpu_seconds_total", "counter",
		                     "Total user and system CPU time spent in seconds.");
		metrics_write_sample(out, "process_cpu_seconds_total", NULL, cpu);
	}
	long fds = open_fds();
	if (fds >= 0) {
		metrics_write_family(out, "process_open_fds", "gauge",
		                     "Number of open file descriptors.");
		metrics_write_sample(out, "process_open_fds", NULL, (double)fds);
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		metrics_write_family(out, "process_max_fds", "gauge",
		                     "Maximum number of open file descriptors.");
		metrics_write_sample(out, "process_max_fds", NULL, (double)rl.rlim_cur);
	}
	long long started = atomic_load(&start_time_usec);
	if (started) {
		metrics_write_family(out, "process_start_time_seconds", "gauge",
		                     "Start time of the process since unix epoch in seconds.");
		metrics_write_sample(out, "process_start_time_seconds", NULL,
		                     (double)started / 1e6);
	}
}
