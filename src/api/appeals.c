/*
 * appeals.c - due process for an inspection result, over HTTP: the operator's report,
 * filing and withdrawing an appeal (with the licence number and the appeal code printed on
 * the inspection report); an appeal's public record; the hearing officers' queue, review,
 * hearing, adjournment and decision. The work is records/appeals.c's.
 *
 * API layer: decode the request, call the records layer, answer.
 */
#include "api/api.h"
#include "api/request_docs.h"
#include "records/appeals.h"

int api_operator_status(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	json_t *body;
	struct rec_operator op;
	const char *out;
	int rc;
	if (operator_request_read(req->arena, req->body, req->body_len, &body, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_operator_report(&r, &op, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}

int api_operator_appeal_file(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct appeal_filing f;
	struct rec_operator op;
	const char *id, *out;
	int rc;
	if (appeal_filing_read(req->arena, req->body, req->body_len, &f, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, f.body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_appeal_filing filing = { .grounds = f.grounds,
		                            .ncontested = f.ncontested,
		                            .contested = f.contested };
	if (rec_appeal_file(&r, &op, &filing, &id, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Location", arena_printf(req->arena, "/api/v1/appeals/%s", id));
	return api_json_text(res, 201, out);
}

int api_operator_appeal_withdraw(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	json_t *body;
	struct rec_operator op;
	const char *out;
	int rc;
	if (operator_request_read(req->arena, req->body, req->body_len, &body, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_withdraw(&r, &op, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}

/* ---- the public record and the hearing officers' side */

int api_appeal_get(struct http_request *req, struct http_response *res)
{
	const char *out;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_appeal_public(&r, http_param(req, "id")->value, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}

int api_appeal_get_staff(struct http_request *req, struct http_response *res)
{
	const char *out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_staff(&r, http_param(req, "id")->value, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, out);
}

/* The open appeals; @overdue: only those past their decision date. */
static int queue(struct http_request *req, struct http_response *res, bool overdue)
{
	const char *out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_queue(&r, overdue, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, out);
}

int api_appeal_queue(struct http_request *req, struct http_response *res)
{
	return queue(req, res, false);
}

int api_appeal_overdue(struct http_request *req, struct http_response *res)
{
	return queue(req, res, true);
}

int api_appeal_review(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct appeal_review rv;
	const char *out;
	if (appeal_review_read(req->arena, req->body, req->body_len, &rv, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_review(&r, http_param(req, "id")->value, rv.ev, rv.note, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, out);
}

/* Schedule (@adjourn false) or adjourn a hearing. */
static int hearing(struct http_request *req, struct http_response *res, bool adjourn)
{
	struct json_error err;
	struct appeal_hearing h;
	const char *out;
	if (appeal_hearing_read(req->arena, req->body, req->body_len, adjourn, &h, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_hearing(&r, http_param(req, "id")->value, adjourn, h.hearing_at, h.reason,
	                       &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, out);
}

int api_appeal_hearing(struct http_request *req, struct http_response *res)
{
	return hearing(req, res, false);
}

int api_appeal_adjourn(struct http_request *req, struct http_response *res)
{
	return hearing(req, res, true);
}

int api_appeal_decide(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct appeal_decision d;
	const char *out;
	if (appeal_decision_read(req->arena, req->body, req->body_len, &d, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_appeal_decision decision = { .ev = d.ev,
		                                .reasons = d.reasons,
		                                .ndismissed = d.ndismissed,
		                                .dismissed = d.dismissed };
	if (rec_appeal_decide(&r, http_param(req, "id")->value, &decision, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, out);
}
