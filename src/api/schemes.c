/*
 * schemes.c - the published scoring methods: GET /api/v1/schemes, /api/v1/schemes/{code}
 * (the version in force today), /api/v1/schemes/{code}/versions and
 * /api/v1/schemes/{code}/versions/{n} (records/schemes.c builds them); POST /api/v1/schemes
 * (administrators) publishes a scheme's document, whose body records/scheme_doc.c decodes,
 * as `placard scheme publish` does. A published version
 * never changes, so it may be cached for long.
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
	if (rec_scheme_get(&r, http_param(req, "code")->value, 0, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json_text(res, 200, json);
}

int api_scheme_publish(struct http_request *req, struct http_response *res)
{
	const char *from = http_query(req, "applies_from");
	if (from && !json_date_valid(from))
		return http_problem(res, 400, "applies_from", "api.schemes.applies_from", NULL);
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_scheme_published p;
	if (rec_scheme_publish(&r, req->body, req->body_len, from, true, &p) < 0)
		return api_refused(res, &r);
	/* A scheme's code is lowercase letters, digits and '-': nothing to escape. */
	http_header_add(
	        res, "Location",
	        arena_printf(req->arena, "/api/v1/schemes/%s/versions/%d", p.code, p.version));
	return api_json_text(res, p.created ? 201 : 200,
	                     arena_printf(req->arena,
	                                  "{\"code\":\"%s\",\"version\":%d,\"created\":%s}", p.code,
	                                  p.version, p.created ? "true" : "false"));
}

int api_scheme_versions(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_scheme_versions(&r, http_param(req, "code")->value, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json_text(res, 200, json);
}

int api_scheme_version_get(struct http_request *req, struct http_response *res)
{
	const char *json;
	int64_t n = http_param(req, "n")->int_value;
	if (n < 1 || n > 1000000)
		return http_problem(res, 404, NULL, "api.schemes.no_version", NULL);
	struct rec r = api_rec(req, STORE_READ);
	if (rec_scheme_get(&r, http_param(req, "code")->value, (int)n, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "public, max-age=86400");
	return api_json_text(res, 200, json);
}
