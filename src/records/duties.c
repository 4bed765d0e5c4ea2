/*
 * duties.c - the separation of duties (domain/policy.c) applied to a records call: the facts
 * come from the store, the rule from the domain.
 */
#include "records/duties.h"

#include <errno.h>

#include "core/log.h"
#include "core/util.h"

/* A refusal of the rule: 403 for the actor, 409 for the state. */
static int refused(struct rec *r, int rc, const char *why)
{
	return rec_refuse(r,
	                  rc == -EACCES  ? 403
	                  : rc == -EBUSY ? 409
	                                 : 500,
	                  NULL, "%s", why ? why : "This step is not allowed.");
}

int rec_duty_check(struct rec *r, const char *inspection_id, enum policy_action what)
{
	struct store_result *res;
	const char *p[] = { inspection_id, r->staff ? rec_num(r, r->staff->id) : NULL };
	int rc = rec_exec(r, STMT_INSPECTION_DUTIES, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "There is no inspection %s.", inspection_id);
	struct policy_actor who = {
		.role = r->staff ? r->staff->role : POLICY_PUBLIC,
		.owner = store_get_bool(res, 0, "owner"),
		.involved = store_get_bool(res, 0, "involved"),
	};
	const char *status = store_get(res, 0, "status");
	struct policy_state state = {
		.submitted = status && streq(status, "submitted"),
		.current = store_get_bool(res, 0, "current"),
		.imported = store_get_bool(res, 0, "imported"),
		.appeal = policy_appeal_of(store_get(res, 0, "appeal_state")),
	};
	const char *why = NULL;
	if ((rc = policy_check(&who, what, &state, &why)) < 0) {
		log_warn("duties: %s refused %s on inspection %s: %s",
		         r->staff ? r->staff->username : "-", policy_action_name(what),
		         inspection_id, why ? why : "?");
		return refused(r, rc, why);
	}
	return 0;
}

bool rec_duty_allows(const struct rec *r, bool involved, const char *appeal_state,
                     enum policy_action what)
{
	struct policy_actor who = { .role = r->staff ? r->staff->role : POLICY_PUBLIC,
		                    .involved = involved };
	struct policy_state state = { .submitted = true,
		                      .current = true,
		                      .appeal = policy_appeal_of(appeal_state) };
	return policy_check(&who, what, &state, NULL) == 0;
}

int rec_operator_may(struct rec *r, const struct rec_operator *op, enum policy_action what)
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
		return refused(r, rc, why);
	}
	return 0;
}
