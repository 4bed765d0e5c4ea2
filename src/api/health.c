/*
 * health.c - GET /healthz and GET /api/v1/version: is the server up, can it reach the
 * database, what is it (records/health.c).
 */
#include "api/api.h"
#include "records/health.h"

int api_healthz(struct http_request *req, struct http_response *res)
{
	const char *search_index;
	http_header_add(res, "Cache-Control", "no-store");
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_health(&r, &search_index) < 0) {
		/* Load balancers read this body, not a problem document. */
		http_header_add(res, "Retry-After", "5");
		return api_json_text(res, 503,
		                     "{\"status\":\"unavailable\",\"database\":\"unavailable\"}");
	}
	return api_json_text(res, 200,
	                     arena_printf(req->arena,
	                                  "{\"status\":\"ok\",\"database\":\"ok\","
	                                  "\"search_index\":\"%s\"}",
	                                  search_index));
}

int api_version(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_version(&r, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}
