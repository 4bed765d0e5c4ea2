/*
 * health.c - is the server fit to answer, and what it is. See health.h.
 */
#include "records/health.h"

#include <stdlib.h>

#include "core/version.h"
#include "json/json.h"
#include "records/searchindex.h"

int rec_health(struct rec *r, const char **ret_search_index)
{
	if (store_ping(r->st) < 0) {
		int rc = rec_refuse(r, 503, NULL, "records.health.database_unavailable", NULL);
		r->problem.retry_after = 5;
		return rc;
	}
	*ret_search_index = search_index_state();
	return 0;
}

int rec_version(struct rec *r, const char **ret_json)
{
	json_t *v = json_arena(
	        r->a, json_pack("{s:s, s:s}", "name", "placard", "version", PLACARD_VERSION));
	char *text = json_dump_compact(v, NULL);
	arena_defer(r->a, free, text);
	*ret_json = text;
	return 0;
}
