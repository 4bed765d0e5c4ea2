/*
 * metrics.h - counters for GET /metrics, and the Prometheus text format they are read in.
 *
 * Counters and gauges that any layer bumps (a replayed offline submission in the records
 * layer, a database error in the store) live here, as C11 atomics: adding to one takes no
 * lock and costs one atomic instruction, so the hot paths can count freely. The per-route
 * request counters live with the router (http/metrics.c), and what only the database knows
 * (sealer lag, appeals open) is read at scrape time (records/metrics.c). The writers below
 * render all of them in the Prometheus text exposition format, version 0.0.4.
 *
 * Core layer: standard C only.
 */
#ifndef PLACARD_CORE_METRICS_H
#define PLACARD_CORE_METRICS_H

#include <stdatomic.h>
#include <stdint.h>

#include "core/buf.h"

/* The counters and gauges of the process, by name (metrics.c lists their metric names). */
enum metrics_id {
	/* offline submissions the tablet sent again and that were already stored (the stored
	 * answer was given again) */
	METRICS_TABLET_REPLAYED_INSPECTIONS,
	METRICS_TABLET_REPLAYED_PHOTOS,
	/* database connections open, per kind: the worker threads' for writes and for public
	 * reads, and the background threads' (sealer, search index, witnesses) */
	METRICS_DB_OPEN_WRITE,
	METRICS_DB_OPEN_READ,
	METRICS_DB_OPEN_BACKGROUND,
	/* the same connections while a statement runs or a transaction is open */
	METRICS_DB_BUSY_WRITE,
	METRICS_DB_BUSY_READ,
	METRICS_DB_BUSY_BACKGROUND,
	/* database errors, by kind (store.h): a connection that could not be made, the
	 * database gone away, data it refused (a unique, check or foreign key violation, an
	 * exception raised by a rule), a serialization failure or deadlock, others */
	METRICS_DB_ERRORS_CONNECT,
	METRICS_DB_ERRORS_UNAVAILABLE,
	METRICS_DB_ERRORS_CONSTRAINT,
	METRICS_DB_ERRORS_RETRY,
	METRICS_DB_ERRORS_OTHER,
	METRICS__COUNT
};

/* Add @delta (may be negative, for gauges) to metric @id. Lock-free; any thread. */
void metrics_add(enum metrics_id id, long long delta);

/* The current value of metric @id. */
long long metrics_get(enum metrics_id id);

/* Remember now as the process's start (placard serve calls it once, first thing). */
void metrics_set_start_time(void);

/* Upper bounds, in seconds, of the latency histograms' buckets (+Inf not included). */
#define METRICS_BUCKETS 12
extern const double metrics_bucket_bounds[METRICS_BUCKETS];

/*
 * A latency histogram: counts per bucket (not cumulative: the writer sums them, and their
 * total is the count) and the total in microseconds. Zero-initialised is empty. Lock-free.
 */
struct metrics_histogram {
	atomic_uint_least64_t bucket[METRICS_BUCKETS + 1]; /* the last: above every bound */
	atomic_uint_least64_t sum_usec;
};

/* Record one observation of @usec microseconds. */
void metrics_observe(struct metrics_histogram *h, long long usec);

/* ---- writing the text format */

/* "# HELP @name @help" and "# TYPE @name @type" (@type: counter, gauge, histogram). */
void metrics_write_family(struct buf *out, const char *name, const char *type, const char *help);

/*
 * One sample: @name, then @labels (already formatted, as from metrics_label(), without
 * braces; NULL or "" for none), then @value. Integers are written without a fraction.
 */
void metrics_write_sample(struct buf *out, const char *name, const char *labels, double value);

/*
 * Append name="value" to @labels, after a comma when @labels is not empty, with the value
 * escaped as the format wants (backslash, double quote, newline).
 */
void metrics_label(struct buf *labels, const char *name, const char *value);

/*
 * The series of @h under @name (name_bucket{...,le="..."}, name_sum, name_count), each with
 * @labels (as for metrics_write_sample) before "le". No HELP/TYPE lines.
 */
void metrics_write_histogram(struct buf *out, const char *name, const char *labels,
                             const struct metrics_histogram *h);

/*
 * The counters and gauges of this module (enum metrics_id), with their HELP and TYPE, and
 * the process's own: resident and virtual memory, open and maximum file descriptors, CPU
 * time, start time (the names the Prometheus client libraries use).
 */
void metrics_write_process(struct buf *out);

#endif
