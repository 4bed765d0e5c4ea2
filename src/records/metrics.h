/*
 * metrics.h - the gauges of GET /metrics that only the database or the records layer's own
 * state can tell: how far the sealer is behind, appeals open and overdue, imports, and the
 * search index's state and freshness.
 */
#ifndef PLACARD_RECORDS_METRICS_H
#define PLACARD_RECORDS_METRICS_H

#include "records/records.h"

struct rec_metrics {
	/* from the database (valid when database_ok) */
	bool database_ok;
	long long sealer_pending;  /* events committed and not yet sealed into the log */
	double sealer_oldest_age;  /* seconds since the oldest of them was written; 0: none */
	long long appeals_open;    /* filed, under review or with a hearing scheduled */
	long long appeals_overdue; /* open and past their decision deadline */
	long long imports;         /* imports run (placard import) */
	double last_import;        /* when the last one started, seconds since the epoch; 0 */
	/* the search index in memory (records/searchindex.h) */
	const char *search_index_state;   /* "ready", "loading" or "off" */
	long long search_index_loaded_at; /* seconds since the epoch; 0: never */
	long long search_index_synced_at;
};

/*
 * Fill @ret. The database is asked in one transaction whose statements give up
 * after 2 s: a database that is away or slow leaves ret->database_ok false (and the rest of
 * @ret filled) rather than failing, so the process's own metrics are still scraped. 0.
 */
int rec_metrics(struct rec *r, struct rec_metrics *ret);

#endif
