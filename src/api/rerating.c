/*
 * rerating.c - re-rating visits, over HTTP: the operator asks for one (with the licence
 * number and appeal code of the rated inspection); inspectors read their due list, schedule
 * the visit and record the inspection that made it. The work is records/rerating.c's.
 *
 * API layer: decode the request, call the records layer, answer.
 */
#include "api/api.h"
#include "api/request_docs.h"
#include "records/rerating.h"

int api_operator_rerating(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	struct json_error err;
	struct rerating_request rq;
	struct rec_operator op;
	struct rec_rerating q;
	int rc;
	if (rerating_request_read(a, req->body, req->body_len, &rq, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, rq.body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_rerating_request(&r, &op, rq.improvements, &q) < 0)
		return api_refused(res, &r);
	return api_json(res, 201,
	                json_arena(a, json_pack("{s:I, s:s, s:I, s:s, s:i}", "id", id_value(q.id),
	                                        "state", "requested", "establishment_id",
	                                        id_value(op.establishment_id), "earliest_visit_on",
	                                        q.earliest_visit_on, "standstill_days",
	                                        q.standstill_days)));
}

int api_rerating_due(struct http_request *req, struct http_response *res)
{
	const char *out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_rerating_due(&r, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, out);
}

int api_rerating_schedule(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	const char *visit_on, *out;
	if (rerating_schedule_read(req->arena, req->body, req->body_len, &visit_on, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_rerating_schedule(&r, http_param(req, "id")->value, visit_on, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}

int api_rerating_inspected(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	int64_t inspection;
	const char *out;
	if (rerating_inspected_read(req->arena, req->body, req->body_len, &inspection, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_rerating_inspected(&r, http_param(req, "id")->value, inspection, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}
