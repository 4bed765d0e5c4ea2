/*
 * rerating.c - re-rating visits: the operator asks for one after making improvements (with
 * the licence number and appeal code of the rated inspection); the scheme's stand-still
 * (FHRS: 90 days after the inspection) sets the earliest day of the visit; inspectors see
 * the requests on their due list, schedule the visit and record the inspection that made it.
 * Requested, scheduled, inspected: each step is logged.
 *
 * API layer: HTTP to the domain rules (domain/appeal.h, domain/grade.h) and the store.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/request_docs.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

int api_operator_rerating(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	struct json_error err;
	struct rerating_request rq;
	struct rec_operator op;
	int rc;
	if (rerating_request_read(a, req->body, req->body_len, &rq, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, rq.body, &op)) ||
	    (rc = api_operator_may(req, res, &op, POLICY_RERATING_REQUEST)))
		return rc;
	const char *text = rq.improvements;
	if (op.scheme->rules.rerating_standstill_days <= 0)
		return http_problem(res, 422, NULL,
		                    "Under %s a re-rating visit is not requested: the inspection "
		                    "cycle sets the next visit.",
		                    op.scheme->name);

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *d, *r;
	const char *pd[] = { op.head_id };
	if ((rc = store_exec(st, a, STMT_RERATING_DAYS_SINCE, pd, &d)) < 0)
		return api_store_error(res, st, rc);
	int wait;
	if (grade_reinspection_wait_days(op.scheme, (int)store_value_int(d, 0, 0), &wait) < 0)
		return http_problem(res, 500, NULL, "The stand-still could not be worked out.");
	const char *pc[] = { op.establishment_id, op.head_id, text, num(a, wait) };
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_RERATING_CREATE, pc, &r)) < 0 ||
	    (rc = api_event(st, a, "rerating.requested",
	                    arena_printf(a, "establishment/%s", op.establishment_id),
	                    json_pack("{s:s, s:s, s:s}", "request", store_value(r, 0, 0),
	                              "inspection", op.head_id, "earliest_visit_on",
	                              store_value(r, 0, 1)))) < 0 ||
	    (rc = store_commit(st)) < 0) {
		store_rollback(st);
		if (rc == -EEXIST)
			return http_problem(
			        res, 409, NULL,
			        "A re-rating visit was already requested and is not made "
			        "yet.");
		return api_store_error(res, st, rc);
	}
	return api_json(res, 201,
	                json_arena(a, json_pack("{s:I, s:s, s:I, s:s, s:i}", "id",
	                                        id_value(store_value(r, 0, 0)), "state",
	                                        "requested", "establishment_id",
	                                        id_value(op.establishment_id), "earliest_visit_on",
	                                        store_value(r, 0, 1), "standstill_days",
	                                        op.scheme->rules.rerating_standstill_days)));
}

int api_rerating_due(struct http_request *req, struct http_response *res)
{
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	int rc = store_exec(st, req->arena, STMT_RERATING_DUE_JSON, NULL, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, store_value(r, 0, 0));
}

/* Move request @id to @to (scheduled for @visit_on, or inspected by @inspection). */
static int step(struct http_request *req, struct http_response *res, enum rerating_state to,
                const char *visit_on, const char *inspection)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *l, *r;
	const char *pl[] = { id };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_RERATING_LOCK, pl, &l)) < 0)
		goto fail;
	if (store_nrows(l) == 0) {
		store_rollback(st);
		return http_problem(res, 404, NULL, "There is no re-rating request %s.", id);
	}
	enum rerating_state from;
	if (appeal_rerating_state_parse(store_value(l, 0, 1), &from) < 0 ||
	    appeal_rerating_check(from, to) < 0) {
		store_rollback(st);
		return http_problem(res, 409, NULL, "Re-rating request %s is %s already.", id,
		                    store_value(l, 0, 1));
	}
	if (visit_on && strcmp(visit_on, store_value(l, 0, 3)) < 0) {
		store_rollback(st);
		return http_problem(res, 422, "/visit_on",
		                    "The scheme's stand-still lasts until %s: the visit may not be "
		                    "earlier.",
		                    store_value(l, 0, 3));
	}
	char user[24];
	snprintf(user, sizeof(user), "%lld", (long long)api_user(req)->id);
	const char *ps[] = { id, appeal_rerating_state_name(to), visit_on, user, inspection };
	if ((rc = store_exec(st, a, STMT_RERATING_SET, ps, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 422, "/inspection_id",
		                    "Inspection %s is not a submitted inspection of this "
		                    "establishment made since the re-rating was requested.",
		                    inspection);
	}
	json_t *ev =
	        json_pack("{s:s, s:s}", "request", id, "state", appeal_rerating_state_name(to));
	if (visit_on)
		json_object_set_new(ev, "visit_on", json_string(visit_on));
	if (inspection)
		json_object_set_new(ev, "inspection", json_string(inspection));
	if ((rc = api_event(st, a,
	                    to == RERATING_SCHEDULED ? "rerating.scheduled" : "rerating.inspected",
	                    arena_printf(a, "establishment/%s", store_value(l, 0, 2)), ev)) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return api_json_text(res, 200, store_value(r, 0, 0));
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
}

int api_rerating_schedule(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	const char *visit_on;
	if (rerating_schedule_read(req->arena, req->body, req->body_len, &visit_on, &err) < 0)
		return api_json_error(res, &err);
	return step(req, res, RERATING_SCHEDULED, visit_on, NULL);
}

int api_rerating_inspected(struct http_request *req, struct http_response *res)
{
	struct json_error err;
	int64_t inspection;
	if (rerating_inspected_read(req->arena, req->body, req->body_len, &inspection, &err) < 0)
		return api_json_error(res, &err);
	return step(req, res, RERATING_INSPECTED, NULL,
	            arena_printf(req->arena, "%lld", (long long)inspection));
}
