/*
 * appeals.c - due process for an inspection result, over HTTP: the operator's report,
 * filing and withdrawing an appeal (with the licence number and the appeal code printed on
 * the inspection report); an appeal's public record; the hearing officers' queue, review,
 * hearing, adjournment and decision; the operator's attachments (evidence for the hearing,
 * read by the operator and by hearing officers who may read the appeal, never public); the
 * hearing calendar and the search of decided appeals. The work is records/appeals.c's.
 *
 * API layer: decode the request, call the records layer, answer.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/request_docs.h"
#include "core/buf.h"
#include "core/util.h"
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

/* ---- the operator's attachments: evidence for the hearing, never public */

int api_operator_attachment_add(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	struct attachment_doc d;
	struct rec_operator op;
	const char *id, *out;
	int rc = attachment_doc_read(req->arena, req->body, req->body_len, &d, &err);
	if (rc == -E2BIG)
		return http_problem_text(res, 413, err.field, err.code, err.detail);
	if (rc < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, d.body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_attachment f = { .filename = d.filename, .data = d.data, .len = d.len };
	if (rec_appeal_attach(&r, &op, &f, &id, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Location",
	                arena_printf(req->arena, "/api/v1/operator/appeals/attachments/%s", id));
	return api_json_text(res, 201, out);
}

/* Answer with attachment @f: its bytes under the type its content has; a PDF is downloaded,
 * not shown inside the site. */
static int attachment(struct http_request *req, struct http_response *res,
                      const struct rec_attachment_file *f)
{
	http_header_add(res, "ETag", arena_printf(req->arena, "\"%s\"", f->sha256));
	http_header_add(res, "Cache-Control", "no-store");
	http_header_add(res, "Content-Security-Policy", "default-src 'none'; sandbox");
	http_header_add(res, "Content-Disposition",
	                streq(f->content_type, "application/pdf") ? "attachment" : "inline");
	return http_respond(res, 200, f->content_type, (const char *)f->data, f->len);
}

int api_operator_attachment_get(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	json_t *body;
	struct rec_operator op;
	struct rec_attachment_file f;
	int rc;
	if (operator_request_read(req->arena, req->body, req->body_len, &body, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, body, &op)))
		return rc;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_attachment_operator(&r, &op, http_param(req, "id")->value, &f) < 0)
		return api_refused(res, &r);
	return attachment(req, res, &f);
}

int api_appeal_attachment_get(struct http_request *req, struct http_response *res)
{
	struct rec_attachment_file f;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_attachment_staff(&r, http_param(req, "id")->value,
	                                http_param(req, "attachment")->value, &f) < 0)
		return api_refused(res, &r);
	return attachment(req, res, &f);
}

/* ---- the hearing calendar and decided appeals */

#define CALENDAR_DAYS_DEFAULT   28
#define CALENDAR_DAYS_MAX       366
#define DECIDED_LIMIT_DEFAULT   50
#define DECIDED_LIMIT_MAX       200
#define ESTABLISHMENT_QUERY_MAX 200

/* Query parameter @name, a date (YYYY-MM-DD) or absent (*@ret NULL); 0 or a problem. */
static int date_query(struct http_request *req, struct http_response *res, const char *name,
                      const char **ret)
{
	const char *q = http_query(req, name);
	*ret = NULL;
	if (!q || !*q)
		return 0;
	if (!date_valid(q))
		return http_problem(res, 422, name, "api.query.date", "name", name, NULL);
	*ret = q;
	return 0;
}

/* The day @days after date @from (YYYY-MM-DD), in the arena of @req. */
static const char *day_after(struct http_request *req, const char *from, int days)
{
	struct tm tm = { 0 };
	sscanf(from, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_mday += days;
	time_t t = timegm(&tm);
	gmtime_r(&t, &tm);
	return arena_printf(req->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	                    tm.tm_mday);
}

int api_appeal_calendar(struct http_request *req, struct http_response *res)
{
	const char *from, *to, *out;
	int rc;
	if ((rc = date_query(req, res, "from", &from)) || (rc = date_query(req, res, "to", &to)))
		return rc;
	if (!from) {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		from = arena_printf(req->arena, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		                    tm.tm_mday);
	}
	if (!to)
		to = day_after(req, from, CALENDAR_DAYS_DEFAULT);
	if (strcmp(to, from) < 0)
		return http_problem(res, 422, "to", "api.calendar.to_after_from", NULL);
	if (strcmp(to, day_after(req, from, CALENDAR_DAYS_MAX)) > 0)
		return http_problem(res, 422, "to", "api.calendar.days_max", "max",
		                    I18N_INT(CALENDAR_DAYS_MAX), NULL);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_calendar(&r, from, to, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}

int api_appeal_decided(struct http_request *req, struct http_response *res)
{
	struct rec_decided_query q = { 0 };
	long long limit;
	const char *out;
	int rc;
	if ((rc = date_query(req, res, "from", &q.from)) ||
	    (rc = date_query(req, res, "to", &q.to)) ||
	    (rc = api_query_limit(req, res, DECIDED_LIMIT_DEFAULT, DECIDED_LIMIT_MAX, &limit)))
		return rc;
	q.limit = (long)limit;
	const char *est = http_query(req, "establishment");
	if (est && *est) {
		if (strlen(est) > ESTABLISHMENT_QUERY_MAX)
			return http_problem(res, 422, "establishment",
			                    "api.appeals.establishment_query_max", "max",
			                    I18N_INT(ESTABLISHMENT_QUERY_MAX), NULL);
		/* A fragment matched with ILIKE: its wildcards are taken literally. */
		struct buf b = BUF_INIT;
		for (const char *p = est; *p; p++) {
			if (*p == '%' || *p == '_' || *p == '\\')
				buf_addch(&b, '\\');
			buf_addch(&b, *p);
		}
		q.establishment = arena_strdup(req->arena, b.data);
		buf_release(&b);
	}
	const char *outcome = http_query(req, "outcome");
	if (outcome && *outcome) {
		enum appeal_event ev;
		if (appeal_outcome_parse(outcome, &ev) < 0)
			return http_problem(res, 422, "outcome", "api.appeals.outcome_query", NULL);
		q.outcome = outcome;
	}
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_appeal_decided(&r, &q, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out);
}
