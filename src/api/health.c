/*
 * health.c - GET /healthz and GET /api/v1/version: is the server up, can it reach the
 * database, what is it.
 */
#include "api/api.h"
#include "records/searchindex.h"

#include "core/version.h"

int api_healthz(struct http_request *req, struct http_response *res)
{
	http_header_add(res, "Cache-Control", "no-store");
	if (store_ping(store_thread(STORE_WRITE)) < 0) {
		http_header_add(res, "Retry-After", "5");
		return api_json_text(res, 503,
		                     "{\"status\":\"unavailable\",\"database\":\"unavailable\"}");
	}
	return api_json_text(res, 200,
	                     arena_printf(req->arena,
	                                  "{\"status\":\"ok\",\"database\":\"ok\","
	                                  "\"search_index\":\"%s\"}",
	                                  search_index_state()));
}

int api_version(struct http_request *req, struct http_response *res)
{
	(void)req;
	json_t *v = json_arena(
	        req->arena, json_pack("{s:s, s:s}", "name", "placard", "version", PLACARD_VERSION));
	return api_json(res, 200, v);
}
