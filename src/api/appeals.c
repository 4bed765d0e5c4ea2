/*
 * appeals.c - due process for an inspection result: the operator files (and may withdraw)
 * an appeal with the licence number and the appeal code printed on the inspection report;
 * hearing officers take it under review, schedule and adjourn a hearing, and decide it with
 * written, public reasons; anyone may read an appeal's public record.
 *
 * The lifecycle is the domain's (src/domain/appeal.c): every move is checked there first.
 * A modified decision is a new revision of the inspection with the named violations
 * dismissed (rec_inspection_dismiss, records/inspections.c); an overturned one leaves the
 * inspection on the record but makes the posted grade fall back to the latest other
 * inspection that set one. Each step is one transaction with its event in the public log.
 *
 * API layer: HTTP to the domain rules and the store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "records/guess.h"
#include "api/request_docs.h"
#include "core/crypto.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

/* What the operator sees of their inspection, its appeal, reply and re-rating request. */
static int operator_reply_status(struct http_request *req, struct http_response *res,
                                 const struct rec_operator *op, int status)
{
	int days;
	const char *window =
	        appeal_filing_window(op->scheme, &days) == 0 ? num(req->arena, days) : NULL;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { op->inspection_id, window, op->filing_code ? "t" : "f",
		            op->replaced_code ? "t" : "f" };
	int rc = store_exec(st, req->arena, STMT_OPERATOR_STATUS_JSON, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	return api_json_text(res, status, store_value(r, 0, 0));
}

int api_operator_status(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	json_t *body;
	struct rec_operator op;
	int rc;
	if (operator_request_read(req->arena, req->body, req->body_len, &body, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, body, &op)) ||
	    (rc = api_operator_may(req, res, &op, POLICY_OPERATOR_READ)))
		return rc;
	return operator_reply_status(req, res, &op, 200);
}

int api_operator_appeal_file(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	struct json_error err;
	struct appeal_filing f;
	struct rec_operator op;
	int rc;
	if (appeal_filing_read(a, req->body, req->body_len, &f, &err) < 0)
		return api_json_error(res, &err);
	struct buf ids = BUF_INIT;
	buf_addch(&ids, '{');
	for (size_t i = 0; i < f.ncontested; i++)
		buf_addf(&ids, "%s%lld", i ? "," : "", (long long)f.contested[i]);
	buf_addch(&ids, '}');
	const char *contested = arena_strdup(a, ids.data);
	buf_release(&ids);
	if ((rc = api_operator_auth(req, res, f.body, &op)) ||
	    (rc = api_operator_may(req, res, &op, POLICY_APPEAL_FILE)))
		return rc;

	int days;
	if (appeal_filing_window(op.scheme, &days) < 0)
		return http_problem(res, 422, NULL, "Results under %s cannot be appealed.",
		                    op.scheme->name);
	if (appeal_filing_check(op.scheme, op.seconds_since_notice) == -ETIMEDOUT) {
		time_t deadline = time(NULL) - op.seconds_since_notice + (time_t)days * 86400;
		struct tm tm;
		char when[64];
		gmtime_r(&deadline, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
		return http_problem(res, 422, NULL,
		                    "The appeal window closed on %s: under %s an appeal must be "
		                    "lodged within %d days of the inspection.",
		                    when, op.scheme->name, days);
	}

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *pc[] = { op.inspection_id,
		             op.establishment_id,
		             f.grounds,
		             contested,
		             days > 0 ? num(a, days) : NULL,
		             num(a, APPEAL_DECISION_DAYS),
		             op.code_hash };
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_APPEAL_CREATE, pc, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 422, "/contested_violations",
		                    "Name only violations cited on this inspection.");
	}
	const char *id = store_value(r, 0, 0);
	if ((rc = api_event(st, a, "appeal.filed", arena_printf(a, "appeal/%s", id),
	                    json_pack("{s:s, s:s, s:s?, s:s, s:i}", "inspection", op.inspection_id,
	                              "establishment", op.establishment_id, "filing_deadline",
	                              store_value(r, 0, 1), "decision_due", store_value(r, 0, 2),
	                              "contested_violations", (int)f.ncontested))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	http_header_add(res, "Location", arena_printf(a, "/api/v1/appeals/%s", id));
	return operator_reply_status(req, res, &op, 201);
fail:
	store_rollback(st);
	if (rc == -EEXIST)
		return http_problem(res, 409, NULL,
		                    "An appeal against this inspection was already filed; an "
		                    "inspection can be appealed once.");
	return api_store_error(res, st, rc);
}

/*
 * Lock appeal @id (or, when @id is NULL, the appeal of root inspection @root) and check that
 * @ev may happen to it. 0 with the lock's row in *@ret and the new state in *@ret_to, or the
 * status of a problem written to @res (the caller rolls back).
 */
static int lock_for(struct http_request *req, struct http_response *res, struct store *st,
                    const char *id, const char *root, enum appeal_event ev,
                    struct store_result **ret, enum appeal_state *ret_to)
{
	const char *p[] = { id, root };
	int rc = store_exec(st, req->arena, STMT_APPEAL_LOCK, p, ret);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(*ret) == 0)
		return id ? http_problem(res, 404, NULL, "There is no appeal %s.", id)
		          : http_problem(res, 404, NULL,
		                         "There is no appeal against this inspection.");
	/* Staff steps: whoever took part in the inspection takes none of them. */
	static const enum policy_action steps[APPEAL_EVENT__COUNT] = {
		[APPEAL_EV_WITHDRAW] = POLICY_APPEAL_WITHDRAW,
		[APPEAL_EV_REJECT_LATE] = POLICY_APPEAL_REJECT_LATE,
		[APPEAL_EV_ACCEPT] = POLICY_APPEAL_ACCEPT,
		[APPEAL_EV_SCHEDULE] = POLICY_APPEAL_SCHEDULE,
		[APPEAL_EV_ADJOURN] = POLICY_APPEAL_ADJOURN,
		[APPEAL_EV_UPHOLD] = POLICY_APPEAL_DECIDE,
		[APPEAL_EV_MODIFY] = POLICY_APPEAL_DECIDE,
		[APPEAL_EV_OVERTURN] = POLICY_APPEAL_DECIDE,
	};
	int status;
	if (api_user(req) &&
	    (status = api_duty_check(req, res, st, store_value(*ret, 0, 2), steps[ev])))
		return status;
	enum appeal_state from;
	if (appeal_state_parse(store_value(*ret, 0, 1), &from) < 0)
		return http_problem(res, 500, NULL, "The appeal's state is unknown.");
	if (appeal_next(from, ev, ret_to) < 0)
		return http_problem(res, 409, NULL, "Appeal %s is %s: it cannot %s now.",
		                    store_value(*ret, 0, 0), appeal_state_name(from),
		                    appeal_event_name(ev));
	return 0;
}

/* Move the locked appeal to @to with its log event; commits. 0 or the problem status. */
static int move(struct http_request *req, struct http_response *res, struct store *st,
                const struct store_result *l, enum appeal_state to, const char *hearing_at,
                bool adjourn, const char *note, const char *kind)
{
	struct arena *a = req->arena;
	struct store_result *r;
	const char *id = store_value(l, 0, 0);
	const char *p[] = { id, appeal_state_name(to), hearing_at, adjourn ? "t" : "f", note };
	int rc = store_exec(st, a, STMT_APPEAL_SET_STATE, p, &r);
	if (rc == 0) {
		json_t *ev = json_pack("{s:s, s:s, s:s}", "inspection", store_value(l, 0, 2),
		                       "establishment", store_value(l, 0, 3), "state",
		                       appeal_state_name(to));
		if (store_value(r, 0, 0))
			json_object_set_new(ev, "hearing_at", json_string(store_value(r, 0, 0)));
		if (adjourn)
			json_object_set_new(ev, "adjournments",
			                    json_integer(store_value_int(r, 0, 1)));
		/* The note stays out of the log (api_log_text): a late appeal's note is its
		 * public closing note; a review note and an adjournment's reason are internal. */
		json_t *ref = NULL;
		bool closing = streq(kind, "appeal.rejected_late");
		if (note && (rc = api_log_text(st, a,
		                               closing ? "appeal.closing_note"
		                               : streq(kind, "appeal.adjourned")
		                                       ? "appeal.adjournment_reason"
		                                       : "appeal.review_note",
		                               id, closing, note, &ref)) == 0)
			json_object_set_new(ev, "note", ref);
		if (rc == 0)
			rc = api_event(st, a, kind, arena_printf(a, "appeal/%s", id), ev);
		else
			json_decref(ev);
	}
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		store_rollback(st);
		return api_store_error(res, st, rc);
	}
	return 0;
}

int api_operator_appeal_withdraw(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	json_t *body;
	struct rec_operator op;
	int rc;
	if (operator_request_read(req->arena, req->body, req->body_len, &body, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, body, &op)))
		return rc;
	if (op.appeal == POLICY_APPEAL_NONE)
		return http_problem(res, 404, NULL, "There is no appeal against this inspection.");
	if ((rc = api_operator_may(req, res, &op, POLICY_APPEAL_WITHDRAW)))
		return rc;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *l;
	enum appeal_state to;
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = lock_for(req, res, st, NULL, op.inspection_id, APPEAL_EV_WITHDRAW, &l, &to))) {
		store_rollback(st);
		return rc;
	}
	if ((rc = move(req, res, st, l, to, NULL, false, NULL, "appeal.withdrawn")))
		return rc;
	return operator_reply_status(req, res, &op, 200);
}

/* ---- the public record and the hearing officers' side */

static int reply_stmt(struct http_request *req, struct http_response *res, enum store_stmt stmt,
                      const char *param, const char *missing)
{
	struct store *st = store_thread(stmt == STMT_APPEAL_PUBLIC_JSON ? STORE_READ : STORE_WRITE);
	struct store_result *r;
	const char *p[] = { param };
	int rc = store_exec(st, req->arena, stmt, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "%s", missing);
	if (stmt != STMT_APPEAL_PUBLIC_JSON)
		http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, store_value(r, 0, 0));
}

int api_appeal_get(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	return reply_stmt(req, res, STMT_APPEAL_PUBLIC_JSON, id,
	                  arena_printf(req->arena, "There is no appeal %s.", id));
}

int api_appeal_get_staff(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_APPEAL_INSPECTION, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no appeal %s.", id);
	/* A party to the inspection reads the appeal as the public does. */
	if ((rc = api_duty_check(req, res, st, store_value(r, 0, 0), POLICY_APPEAL_READ_INTERNAL)))
		return rc;
	return reply_stmt(req, res, STMT_APPEAL_STAFF_JSON, id,
	                  arena_printf(req->arena, "There is no appeal %s.", id));
}

int api_appeal_queue(struct http_request *req, struct http_response *res)
{
	return reply_stmt(req, res, STMT_APPEAL_QUEUE_JSON, "f", "");
}

int api_appeal_overdue(struct http_request *req, struct http_response *res)
{
	return reply_stmt(req, res, STMT_APPEAL_QUEUE_JSON, "t", "");
}

/* The appeal as staff see it after a change. */
static int reply_staff(struct http_request *req, struct http_response *res, const char *id)
{
	return reply_stmt(req, res, STMT_APPEAL_STAFF_JSON, id, "The appeal disappeared.");
}

int api_appeal_review(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	struct appeal_review rv;
	int rc;
	if (appeal_review_read(req->arena, req->body, req->body_len, &rv, &err) < 0)
		return api_json_error(res, &err);
	enum appeal_event ev = rv.ev;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *l;
	enum appeal_state to;
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = lock_for(req, res, st, id, NULL, ev, &l, &to))) {
		store_rollback(st);
		return rc;
	}
	if ((rc = move(req, res, st, l, to, NULL, false, rv.note,
	               ev == APPEAL_EV_ACCEPT ? "appeal.under_review" : "appeal.rejected_late")))
		return rc;
	return reply_staff(req, res, id);
}

/* Schedule (@adjourn false) or adjourn a hearing. */
static int hearing(struct http_request *req, struct http_response *res, bool adjourn)
{
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	struct appeal_hearing h;
	int rc;
	if (appeal_hearing_read(req->arena, req->body, req->body_len, adjourn, &h, &err) < 0)
		return api_json_error(res, &err);
	enum appeal_event ev = adjourn ? APPEAL_EV_ADJOURN : APPEAL_EV_SCHEDULE;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *l;
	enum appeal_state to;
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = lock_for(req, res, st, id, NULL, ev, &l, &to))) {
		store_rollback(st);
		return rc;
	}
	if ((rc = move(req, res, st, l, to, h.hearing_at, adjourn, h.reason,
	               adjourn ? "appeal.adjourned" : "appeal.hearing_scheduled")))
		return rc;
	return reply_staff(req, res, id);
}

int api_appeal_hearing(struct http_request *req, struct http_response *res)
{
	return hearing(req, res, false);
}

int api_appeal_adjourn(struct http_request *req, struct http_response *res)
{
	return hearing(req, res, true);
}

/* Overturned: when the posted grade rests on the inspection chain rooted at @root, it falls
 * back to the latest other inspection that set one. 0 or a store error. */
static int fall_back(struct store *st, struct arena *a, const struct grade_scheme *s,
                     const char *est, const char *root, const char *appeal)
{
	struct store_result *g, *f;
	const char *p[] = { est, root };
	int rc = store_exec(st, a, STMT_POSTED_GRADE_LOCK, p, &g);
	if (rc < 0 || store_nrows(g) == 0 || !streq(store_value(g, 0, 1), "t"))
		return rc;
	if ((rc = store_exec(st, a, STMT_GRADE_FALLBACK, p, &f)) < 0)
		return rc;
	const char *pg[6] = { est,
		              "not_yet_graded",
		              s->rules.not_yet_graded_code ? s->rules.not_yet_graded_code : "",
		              s->rules.not_yet_graded_label ? s->rules.not_yet_graded_label
		                                            : "Not yet graded",
		              NULL,
		              NULL };
	if (store_nrows(f) == 1)
		for (int i = 0; i < 5; i++)
			pg[i + 1] = store_value(f, 0, i);
	if ((rc = store_exec(st, a, STMT_POSTED_GRADE_SET, pg, NULL)) < 0)
		return rc;
	json_t *ev = json_pack("{s:s, s:s, s:s, s:s, s:s}", "state", pg[1], "code", pg[2], "label",
	                       pg[3], "reason", "appeal overturned", "appeal", appeal);
	json_object_set_new(ev, "score", pg[4] ? json_integer(atoll(pg[4])) : json_null());
	json_object_set_new(ev, "inspection", pg[5] ? json_string(pg[5]) : json_null());
	return api_event(st, a, "grade.issued", arena_printf(a, "establishment/%s", est), ev);
}

int api_appeal_decide(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	struct appeal_decision d;
	int rc;
	if (appeal_decision_read(a, req->body, req->body_len, &d, &err) < 0)
		return api_json_error(res, &err);
	enum appeal_event ev = d.ev;
	const char *reasons = d.reasons;
	size_t n = d.ndismissed;
	const struct rec_dismissal *dis = d.dismissed;

	const struct api_user *u = api_user(req);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *l;
	enum appeal_state to;
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = lock_for(req, res, st, id, NULL, ev, &l, &to)))
		goto problem;
	const char *root = store_value(l, 0, 2), *est = store_value(l, 0, 3);
	const char *head = store_value(l, 0, 5);
	const struct grade_scheme *s = grade_scheme_builtin(store_value(l, 0, 6));
	const char *revision = NULL;
	struct rec r = api_rec(req, STORE_WRITE);
	r.st = st;
	if (ev == APPEAL_EV_MODIFY &&
	    rec_inspection_dismiss(&r, head,
	                           arena_printf(a,
	                                        "Modified on appeal %s: %zu violation%s dismissed",
	                                        id, n, n == 1 ? "" : "s"),
	                           n, dis, &revision) < 0) {
		rc = api_refused(res, &r);
		goto problem;
	}
	if (ev == APPEAL_EV_OVERTURN &&
	    ((rc = fall_back(st, a, s, est, root, id)) < 0 ||
	     (rc = api_event(st, a, "inspection.overturned", arena_printf(a, "inspection/%s", root),
	                     json_pack("{s:s, s:s}", "appeal", id, "establishment", est))) < 0))
		goto fail;
	const char *pd[] = { id, appeal_state_name(to), num(a, u->id), reasons, revision };
	if ((rc = store_exec(st, a, STMT_APPEAL_DECIDE, pd, NULL)) < 0)
		goto fail;
	json_t *dismissed = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(dismissed, json_integer(dis[i].violation_id));
	/* The written reasons are published on the appeal's record; the log carries only their
	 * reference and salted hash. */
	json_t *reasons_ref;
	if ((rc = api_log_text(st, a, "appeal.decision_reasons", id, true, reasons, &reasons_ref)) <
	    0) {
		json_decref(dismissed);
		goto fail;
	}
	json_t *evp = json_pack("{s:s, s:s, s:s, s:o, s:o}", "inspection", root, "establishment",
	                        est, "outcome", appeal_state_name(to), "reasons", reasons_ref,
	                        "dismissed_violations", dismissed);
	json_object_set_new(evp, "revision", revision ? json_string(revision) : json_null());
	if ((rc = api_event(st, a, "appeal.decided", arena_printf(a, "appeal/%s", id), evp)) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return reply_staff(req, res, id);
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
problem:
	store_rollback(st);
	return http_response_status(res);
}
