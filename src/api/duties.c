/*
 * duties.c - the separation of duties (domain/policy.c) applied to a request: who the
 * signed-in staff member or the operator is to the inspection, where the inspection stands,
 * and the answer when the rule refuses.
 *
 * API layer: the facts come from the store, the rule from the domain.
 */
#include <errno.h>
#include <string.h>

#include "api/api.h"
#include "core/log.h"
#include "core/util.h"

static enum policy_role staff_role(unsigned role)
{
	switch (role) {
	case API_ADMIN: return POLICY_ADMIN;
	case API_CLERK: return POLICY_CLERK;
	case API_INSPECTOR: return POLICY_INSPECTOR;
	case API_SUPERVISOR: return POLICY_SUPERVISOR;
	case API_HEARING_OFFICER: return POLICY_HEARING_OFFICER;
	}
	return POLICY_PUBLIC;
}

/* Answer a refusal of the rule: 403 for the actor, 409 for the state. */
static int refused(struct http_response *res, int rc, const char *why)
{
	return http_problem(res,
	                    rc == -EACCES  ? 403
	                    : rc == -EBUSY ? 409
	                                   : 500,
	                    NULL, "%s", why ? why : "This step is not allowed.");
}

int api_duty_check(struct http_request *req, struct http_response *res, struct store *st,
                   const char *inspection_id, enum policy_action what)
{
	const struct api_user *u = api_user(req);
	struct store_result *r;
	const char *p[] = { inspection_id,
		            u ? arena_printf(req->arena, "%lld", (long long)u->id) : NULL };
	int rc = store_exec(st, req->arena, STMT_INSPECTION_DUTIES, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no inspection %s.", inspection_id);
	struct policy_actor who = {
		.role = u ? staff_role(u->role) : POLICY_PUBLIC,
		.owner = streq(store_value(r, 0, 1), "t"),
		.involved = streq(store_value(r, 0, 2), "t"),
	};
	struct policy_state state = {
		.submitted = streq(store_value(r, 0, 3), "submitted"),
		.current = streq(store_value(r, 0, 4), "t"),
		.imported = streq(store_value(r, 0, 5), "t"),
		.appeal = policy_appeal_of(store_value(r, 0, 6)),
	};
	const char *why = NULL;
	if ((rc = policy_check(&who, what, &state, &why)) < 0) {
		log_warn("duties: %s refused %s on inspection %s: %s", u ? u->username : "-",
		         policy_action_name(what), inspection_id, why ? why : "?");
		return refused(res, rc, why);
	}
	return 0;
}

int api_operator_may(struct http_response *res, const struct api_operator *op,
                     enum policy_action what)
{
	struct policy_actor who = { .role = POLICY_OPERATOR,
		                    .filing_code = op->filing_code,
		                    .replaced_code = op->replaced_code };
	struct policy_state state = { .submitted = true, .current = true, .appeal = op->appeal };
	const char *why = NULL;
	int rc = policy_check(&who, what, &state, &why);
	if (rc < 0) {
		log_warn("duties: operator refused %s on inspection %s: %s",
		         policy_action_name(what), op->inspection_id, why ? why : "?");
		return refused(res, rc, why);
	}
	return 0;
}
