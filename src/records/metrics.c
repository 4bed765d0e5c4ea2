/*
 * metrics.c - the gauges read at scrape time. See metrics.h.
 */
#include "records/metrics.h"

#include <stdlib.h>

#include "records/searchindex.h"

int rec_metrics(struct rec *r, struct rec_metrics *ret)
{
	struct rec_metrics m = { 0 };
	m.search_index_state = search_index_state();
	search_index_times(&m.search_index_loaded_at, &m.search_index_synced_at);
	struct store_result *res;
	if (rec_begin(r) == 0 && rec_exec(r, STMT_METRICS_TIMEOUT, NULL, NULL) == 0 &&
	    rec_exec(r, STMT_METRICS_GAUGES, NULL, &res) == 0) {
		m.database_ok = true;
		m.sealer_pending = store_get_int(res, 0, "sealer_pending");
		m.sealer_oldest_age = strtod(store_get(res, 0, "sealer_oldest_age"), NULL);
		m.appeals_open = store_get_int(res, 0, "appeals_open");
		m.appeals_overdue = store_get_int(res, 0, "appeals_overdue");
		m.imports = store_get_int(res, 0, "imports");
		m.last_import = strtod(store_get(res, 0, "last_import"), NULL);
	}
	/* Nothing to keep: the transaction is rolled back with the call's arena. */
	*ret = m;
	return 0;
}
