/*
 * establishments.c - the licence registry's routes: jurisdictions, establishments and
 * licence actions (records/establishments.c). Clerks register and edit establishments and
 * record licence actions (clerks, admins and supervisors read the licence history); anyone
 * may read an establishment's public record.
 */
#include <stdint.h>

#include "api/api.h"
#include "api/registry_doc.h"
#include "core/util.h"
#include "records/establishments.h"

#define HISTORY_PAGE_DEFAULT 10
#define HISTORY_PAGE_MAX     50

int api_jurisdictions_list(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_jurisdictions_list(&r, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_jurisdiction_create(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct rec_jurisdiction j;
	const char *json;
	if (jurisdiction_doc_read(req->arena, req->body, req->body_len, &j, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_jurisdiction_create(&r, &j, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 201, json);
}

int api_jurisdiction_schemes(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_jurisdiction_schemes(&r, http_param(req, "code")->value, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_jurisdiction_scheme_assign(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct scheme_assignment_doc d;
	const char *json;
	if (scheme_assignment_doc_read(req->arena, req->body, req->body_len, &d, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_jurisdiction_scheme_assign(&r, http_param(req, "code")->value, d.scheme,
	                                   d.applies_from, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 201, json);
}

int api_establishment_create(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct establishment_doc doc;
	const char *id, *json;
	if (establishment_doc_read(req->arena, req->body, req->body_len, &doc, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_establishment_create(&r, doc.jurisdiction, doc.licence, &doc.f, &id, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Location", arena_printf(req->arena, "/api/v1/establishments/%s", id));
	return api_json_text(res, 201, json);
}

int api_establishment_update(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	struct establishment_doc doc;
	const char *json;
	if (establishment_change_read(req->arena, req->body, req->body_len, &doc, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_establishment_update(&r, id, &doc.f, doc.body, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_establishment_get(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_establishment_get(&r, http_param(req, "id")->value, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_establishment_inspections(struct http_request *req, struct http_response *res)
{
	long long before = 0, limit;
	const char *q = http_query(req, "before"), *json;
	if (q && parse_int64(q, 1, INT64_MAX, &before) < 0)
		return http_problem(res, 400, "before", "api.establishments.before", NULL);
	int status = api_query_limit(req, res, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, &limit);
	if (status)
		return status;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_establishment_inspections(&r, http_param(req, "id")->value, before, limit, &json) <
	    0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_licence_action_create(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct rec_licence_action la;
	const char *json;
	if (licence_action_doc_read(req->arena, req->body, req->body_len, &la, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_licence_action_create(&r, http_param(req, "id")->value, &la, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 201, json);
}

int api_licence_action_list(struct http_request *req, struct http_response *res)
{
	const char *json;
	/* The primary: a clerk reads the history just written, never a replica's older copy. */
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_licence_action_list(&r, http_param(req, "id")->value, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, json);
}
