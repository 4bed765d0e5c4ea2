/*
 * schemes.c - the published scoring methods: GET /api/v1/schemes and /api/v1/schemes/{code}
 * (records/schemes.c builds them).
 */
#include "api/api.h"
#include "records/schemes.h"

int api_schemes_list(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_schemes_list(&r, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json_text(res, 200, json);
}

int api_scheme_get(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_scheme_get(&r, http_param(req, "code")->value, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json_text(res, 200, json);
}
