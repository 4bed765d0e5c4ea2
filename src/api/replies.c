/*
 * replies.c - the operator's right to reply, over HTTP: the operator posts a statement with
 * the licence number and appeal code from the inspection report; a clerk moderates it. The
 * work is records/replies.c's.
 *
 * API layer: decode the request, call the records layer, answer.
 */
#include "api/api.h"
#include "api/request_docs.h"
#include "records/replies.h"

int api_operator_reply(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	struct json_error err;
	struct operator_reply rp;
	struct rec_operator op;
	const char *id;
	int rc;
	if (operator_reply_read(a, req->body, req->body_len, &rp, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, rp.body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_reply_publish(&r, &op, rp.text, &id) < 0)
		return api_refused(res, &r);
	return api_json(
	        res, 201,
	        json_arena(a, json_pack("{s:I, s:I, s:s}", "id", id_value(id), "establishment_id",
	                                id_value(op.establishment_id), "text", rp.text)));
}

int api_reply_moderate(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	struct reply_moderation m;
	const char *est;
	if (reply_moderation_read(a, req->body, req->body_len, &m, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_reply_moderate(&r, id, m.text, m.reason, m.removed, &est) < 0)
		return api_refused(res, &r);
	json_t *out = json_pack("{s:I, s:I, s:b, s:s}", "id", id_value(id), "establishment_id",
	                        id_value(est), "removed", m.removed, "moderation_reason", m.reason);
	json_object_set_new(out, "published_text", m.removed ? json_null() : json_string(m.text));
	return api_json(res, 200, json_arena(a, out));
}
