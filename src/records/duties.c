/*
 * duties.c - the separation of duties (domain/policy.c) applied to a records call: the facts
 * come from the store, the rule from the domain.
 */
#include "records/duties.h"

#include <errno.h>

#include "core/log.h"
#include "core/util.h"

/*
 * The reasons the rules of the domain give (domain/policy.c, domain/licence.c), sentences in
 * English, and the messages of the "records" catalogue that say them in every language.
 */
static const struct {
	const char *why, *key;
} reasons[] = {
	{ "This appeal code was replaced by a new one the licensing office issued: it still shows "
	  "the report, but acts in nothing. If you did not ask for a new code, tell the licensing "
	  "office.",
	  "records.policy.code_replaced" },
	{ "Only the inspector who made this inspection, or a supervisor, may change it.",
	  "records.policy.change_owner" },
	{ "Only the inspector who made this inspection may submit it: submitting hands over the "
	  "report's appeal code, which belongs to the operator on site.",
	  "records.policy.submit_owner" },
	{ "Only the inspector who made this inspection, or a supervisor, may amend it.",
	  "records.policy.amend_owner" },
	{ "Only a clerk of the licensing office may issue a new appeal code, to an operator who "
	  "proved who they are.",
	  "records.policy.reissue_clerk" },
	{ "You took part in this inspection; a clerk who had no part in it must issue the new "
	  "appeal code.",
	  "records.policy.reissue_involved" },
	{ "Only the operator, with the report's appeal code, may do this.",
	  "records.policy.operator_only" },
	{ "This appeal code was issued after the appeal was filed: it shows the case, but only the "
	  "code that filed the appeal acts for the operator in it.",
	  "records.policy.code_after_filing" },
	{ "Only a hearing officer takes the steps of an appeal.", "records.policy.officer_steps" },
	{ "You took part in this inspection; an officer who had no part in it must take every step "
	  "of its appeal.",
	  "records.policy.officer_involved" },
	{ "Only hearing officers and supervisors read the officers' view of an appeal.",
	  "records.policy.internal_read" },
	{ "You took part in this inspection: you read its appeal as the public does (GET "
	  "/api/v1/appeals/{id}), not the officers' view with the grounds and internal notes.",
	  "records.policy.internal_involved" },
	{ "Only a clerk or an administrator moderates an operator's reply.",
	  "records.policy.moderate_role" },
	{ "You took part in the inspection this reply answers; someone who had no part in it must "
	  "moderate it.",
	  "records.policy.moderate_involved" },
	{ "This inspection is submitted; correct it with an amendment.",
	  "records.policy.submitted" },
	{ "This inspection is a draft: change it directly instead.",
	  "records.policy.draft_change" },
	{ "This inspection was imported from another body's open data: it is corrected where it "
	  "was published.",
	  "records.policy.imported_correct" },
	{ "This revision was already amended; amend the newest one.",
	  "records.policy.not_current" },
	{ "This inspection's appeal is open: until it is decided, only the appeal changes the "
	  "result.",
	  "records.policy.appeal_open" },
	{ "This inspection's appeal was decided: the decision stands, and the result is not "
	  "amended after it.",
	  "records.policy.appeal_decided" },
	{ "This inspection is a draft: its appeal code is made when it is submitted.",
	  "records.policy.draft_code" },
	{ "This inspection was imported from another body's open data: it is appealed where it was "
	  "published.",
	  "records.policy.imported_appeal" },
	{ "This inspection cannot be appealed here.", "records.policy.not_appealable" },
	{ "An appeal against this inspection was already filed; an inspection can be appealed "
	  "once.",
	  "records.appeal.already_filed" },
	{ "There is no open appeal against this inspection.", "records.policy.no_open_appeal" },
	{ "File the appeal first: evidence is attached to an appeal.",
	  "records.policy.attach_before_filing" },
	{ "This appeal is closed: nothing more is attached to it.",
	  "records.policy.attach_closed" },
	{ "This inspection is not submitted.", "records.policy.not_submitted" },
	{ "There is no appeal against this inspection.", "records.appeal.none_against_inspection" },
	{ "This appeal is closed: no further step is taken in it.",
	  "records.policy.appeal_closed" },
	{ "A decided appeal is final in Placard; a decision is challenged before the courts, not "
	  "changed here.",
	  "records.policy.decision_final" },
	{ "An inspector does not assign work to themselves: a supervisor gives out the due lists.",
	  "records.policy.assign_self" },
	{ "This work is not assigned to you: only a supervisor moves another inspector's work or "
	  "gives out new work.",
	  "records.policy.assign_not_yours" },
	{ "Only a supervisor or an administrator assigns work.", "records.policy.assign_role" },
	{ "Work is assigned only to an active inspector.", "records.policy.assign_inactive" },
	{ "Due lists are inspectors' and supervisors'.", "records.policy.due_role" },
	{ "Only a supervisor may see another inspector's due list.", "records.policy.due_other" },
	{ "The licence is suspended: reinstate it, or revoke it, rather than issue another.",
	  "records.licence.issue_suspended" },
	{ "The licence was revoked: issue a new one rather than renew it.",
	  "records.licence.renew_revoked" },
	{ "The licence is already suspended.", "records.licence.already_suspended" },
	{ "The licence was revoked: there is nothing to suspend.",
	  "records.licence.suspend_revoked" },
	{ "The licence was already revoked.", "records.licence.already_revoked" },
	{ "The licence was revoked: issue a new one; only a suspended licence is reinstated.",
	  "records.licence.reinstate_revoked" },
	{ "The licence is not suspended: there is nothing to reinstate.",
	  "records.licence.reinstate_not_suspended" },
};

int rec_refuse_why(struct rec *r, int status, const char *field, const char *why,
                   const char *otherwise)
{
	if (!why)
		return rec_refuse(r, status, field, otherwise, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(reasons); i++)
		if (streq(reasons[i].why, why))
			return rec_refuse(r, status, field, reasons[i].key, NULL);
	return rec_refuse(r, status, field, "records.policy.reason", "reason", why, NULL);
}

/* A refusal of the rule: 403 for the actor, 409 for the state. */
static int refused(struct rec *r, int rc, const char *why)
{
	return rec_refuse_why(r,
	                      rc == -EACCES  ? 403
	                      : rc == -EBUSY ? 409
	                                     : 500,
	                      NULL, why, "records.policy.step_not_allowed");
}

int rec_duty_check(struct rec *r, const char *inspection_id, enum policy_action what)
{
	struct store_result *res;
	const char *p[] = { inspection_id, r->staff ? rec_num(r, r->staff->id) : NULL };
	int rc = rec_exec(r, STMT_INSPECTION_DUTIES, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.inspection.not_found", "id", inspection_id,
		                  NULL);
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
