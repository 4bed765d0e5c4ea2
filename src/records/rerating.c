/*
 * rerating.c - re-rating visits: the operator asks for one after making improvements (with
 * the licence number and appeal code of the rated inspection); the scheme's stand-still
 * (FHRS: 90 days after the inspection) sets the earliest day of the visit; inspectors see
 * the requests on their due list, schedule the visit and record the inspection that made it.
 * Requested, scheduled, inspected: each step is logged.
 */
#include "records/rerating.h"

#include <errno.h>
#include <string.h>

#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"
#include "records/log.h"

int rec_rerating_request(struct rec *r, const struct rec_operator *op, const char *improvements,
                         struct rec_rerating *ret)
{
	const struct grade_scheme *s = op->scheme;
	struct store_result *d, *res;
	const char *pd[] = { op->head_id };
	int wait, rc;
	if ((rc = rec_operator_may(r, op, POLICY_RERATING_REQUEST)) < 0)
		return rc;
	if (s->rules.rerating_standstill_days <= 0)
		return rec_refuse(r, 422, NULL, "records.rerating.not_requested_under", "scheme",
		                  s->name, NULL);
	if ((rc = rec_exec(r, STMT_RERATING_DAYS_SINCE, pd, &d)) < 0)
		return rc;
	if (grade_reinspection_wait_days(s, (int)store_get_int(d, 0, "days"), &wait) < 0)
		return rec_refuse(r, 500, NULL, "records.rerating.standstill_unknown", NULL);
	const char *pc[] = { op->establishment_id, op->head_id, improvements, rec_num(r, wait) };
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_RERATING_CREATE, pc, &res)) < 0)
		goto out;
	const char *id = store_get(res, 0, "id");
	const char *earliest = store_get(res, 0, "earliest_visit_on");
	if ((rc = rec_event(r, "rerating.requested",
	                    arena_printf(r->a, "establishment/%s", op->establishment_id),
	                    json_pack("{s:s, s:s, s:s}", "request", id, "inspection", op->head_id,
	                              "earliest_visit_on", earliest))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	*ret = (struct rec_rerating){ .id = id,
		                      .earliest_visit_on = earliest,
		                      .standstill_days = s->rules.rerating_standstill_days };
out:
	if (rc == -EEXIST)
		rec_refuse(r, 409, NULL, "records.rerating.already_requested", NULL);
	return rc;
}

int rec_rerating_due(struct rec *r, const char **ret)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_RERATING_DUE_JSON, NULL, &res);
	if (rc < 0)
		return rc;
	*ret = store_get(res, 0, "json");
	return 0;
}

/* Move request @id to @to (scheduled for @visit_on, or inspected by @inspection). */
static int step(struct rec *r, const char *id, enum rerating_state to, const char *visit_on,
                const char *inspection, const char **ret)
{
	struct store_result *l, *res;
	const char *pl[] = { id };
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_RERATING_LOCK, pl, &l)) < 0)
		return rc;
	if (store_nrows(l) == 0)
		return rec_refuse(r, 404, NULL, "records.rerating.not_found", "id", id, NULL);
	const char *state = store_get(l, 0, "state");
	const char *earliest = store_get(l, 0, "earliest_visit_on");
	enum rerating_state from;
	if (appeal_rerating_state_parse(state, &from) < 0 || appeal_rerating_check(from, to) < 0)
		return rec_refuse(r, 409, NULL, "records.rerating.state_forbids", "id", id, "state",
		                  state, NULL);
	if (visit_on && strcmp(visit_on, earliest) < 0)
		return rec_refuse(r, 422, "/visit_on", "records.rerating.before_standstill", "date",
		                  earliest, NULL);
	const char *ps[] = { id, appeal_rerating_state_name(to), visit_on,
		             r->staff ? rec_num(r, r->staff->id) : NULL, inspection };
	if ((rc = rec_exec(r, STMT_RERATING_SET, ps, &res)) < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 422, "/inspection_id", "records.rerating.inspection_not_after",
		                  "id", inspection, NULL);
	json_t *ev =
	        json_pack("{s:s, s:s}", "request", id, "state", appeal_rerating_state_name(to));
	if (visit_on)
		json_object_set_new(ev, "visit_on", json_string(visit_on));
	if (inspection)
		json_object_set_new(ev, "inspection", json_string(inspection));
	if ((rc = rec_event(
	             r, to == RERATING_SCHEDULED ? "rerating.scheduled" : "rerating.inspected",
	             arena_printf(r->a, "establishment/%s", store_get(l, 0, "establishment_id")),
	             ev)) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	*ret = store_get(res, 0, "json");
	return 0;
}

int rec_rerating_schedule(struct rec *r, const char *id, const char *visit_on, const char **ret)
{
	return step(r, id, RERATING_SCHEDULED, visit_on, NULL, ret);
}

int rec_rerating_inspected(struct rec *r, const char *id, int64_t inspection, const char **ret)
{
	return step(r, id, RERATING_INSPECTED, NULL, rec_num(r, (long long)inspection), ret);
}
