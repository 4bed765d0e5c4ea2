/*
 * sealer.c - the background thread that seals the event log, and does the hourly
 * housekeeping on the same connection. See sealer.h.
 */
#include "store/sealer.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "core/log.h"
#include "core/util.h"
#include "store/store.h"

#define SEAL_BATCH              "1000"
#define HOUSEKEEPING_INTERVAL_S 3600

struct store_sealer {
	pthread_t thread;
	char *url;
	unsigned interval_ms;
	atomic_bool stop;
};

int store_seal_all(struct store *st)
{
	struct arena *a = arena_new();
	const char *p[] = { SEAL_BATCH };
	int total = 0, rc;
	for (;;) {
		struct store_result *r;
		if ((rc = store_exec(st, a, STMT_EVENT_SEAL, p, &r)) < 0)
			break;
		long long n = store_get_int(r, 0, "sealed");
		total += (int)n;
		if (n < 1000)
			break;
	}
	arena_destroy(a);
	return rc < 0 ? rc : total;
}

/* Hourly, on the same connection: idempotency keys past their 30 days. */
static int housekeeping(struct store *st)
{
	struct arena *a = arena_new();
	struct store_result *r;
	int rc = store_exec(st, a, STMT_IDEMPOTENCY_PRUNE, NULL, &r);
	if (rc >= 0 && store_get_int(r, 0, "count") > 0)
		log_info("housekeeping: %lld idempotency keys older than 30 days removed",
		         (long long)store_get_int(r, 0, "count"));
	arena_destroy(a);
	return rc;
}

static void *sealer_main(void *arg)
{
	struct store_sealer *s = arg;
	struct store *st = NULL;
	char err[256];
	bool reported = false;
	time_t swept = 0;
	while (!atomic_load(&s->stop)) {
		struct timespec ts = { s->interval_ms / 1000,
			               (long)(s->interval_ms % 1000) * 1000000 };
		nanosleep(&ts, NULL);
		if (!st && store_open(s->url, &st, err, sizeof(err)) < 0) {
			st = NULL;
			if (!reported)
				log_warn("sealer: %s; retrying", err);
			reported = true;
			continue;
		}
		int rc = store_seal_all(st);
		if (rc >= 0 && time(NULL) - swept >= HOUSEKEEPING_INTERVAL_S) {
			rc = housekeeping(st);
			if (rc >= 0)
				swept = time(NULL);
		}
		if (rc < 0 && !reported) {
			log_warn("sealer: %s; retrying", store_error_message(st));
			reported = true;
		} else if (rc >= 0) {
			reported = false;
		}
	}
	if (st)
		store_seal_all(st);
	store_close(st);
	return NULL;
}

struct store_sealer *store_sealer_start(const char *url, unsigned interval_ms)
{
	struct store_sealer *s = xcalloc(1, sizeof(*s));
	s->url = xstrdup(url ? url : "");
	s->interval_ms = interval_ms;
	atomic_init(&s->stop, false);
	if (pthread_create(&s->thread, NULL, sealer_main, s) != 0)
		die("cannot start the event log sealer");
	return s;
}

void store_sealer_stop(struct store_sealer *s)
{
	if (!s)
		return;
	atomic_store(&s->stop, true);
	pthread_join(s->thread, NULL);
	free(s->url);
	free(s);
}
