/*
 * policy.c - separation of duties. See policy.h.
 */
#include "domain/policy.h"

#include <errno.h>
#include <stddef.h>

#include "domain/appeal.h"

static const char *const action_names[POLICY_ACTION__COUNT] = {
	[POLICY_DRAFT_EDIT] = "draft_edit",
	[POLICY_AMEND] = "amend",
	[POLICY_CODE_REISSUE] = "code_reissue",
	[POLICY_APPEAL_FILE] = "appeal_file",
	[POLICY_APPEAL_WITHDRAW] = "appeal_withdraw",
	[POLICY_OPERATOR_REPLY] = "operator_reply",
	[POLICY_RERATING_REQUEST] = "rerating_request",
	[POLICY_OPERATOR_READ] = "operator_read",
	[POLICY_APPEAL_ACCEPT] = "appeal_accept",
	[POLICY_APPEAL_REJECT_LATE] = "appeal_reject_late",
	[POLICY_APPEAL_SCHEDULE] = "appeal_schedule",
	[POLICY_APPEAL_ADJOURN] = "appeal_adjourn",
	[POLICY_APPEAL_DECIDE] = "appeal_decide",
	[POLICY_APPEAL_REOPEN] = "appeal_reopen",
	[POLICY_APPEAL_READ_INTERNAL] = "appeal_read_internal",
	[POLICY_REPLY_MODERATE] = "reply_moderate",
	[POLICY_EVIDENCE] = "evidence",
	[POLICY_DRAFT_SUBMIT] = "draft_submit",
	[POLICY_APPEAL_ATTACH] = "appeal_attach",
};

static const char *const role_names[POLICY_ROLE__COUNT] = {
	[POLICY_PUBLIC] = "public",
	[POLICY_OPERATOR] = "operator",
	[POLICY_ADMIN] = "admin",
	[POLICY_CLERK] = "clerk",
	[POLICY_INSPECTOR] = "inspector",
	[POLICY_SUPERVISOR] = "supervisor",
	[POLICY_HEARING_OFFICER] = "hearing_officer",
};

static const char *const appeal_names[POLICY_APPEAL__COUNT] = {
	[POLICY_APPEAL_NONE] = "none",
	[POLICY_APPEAL_OPEN] = "open",
	[POLICY_APPEAL_CLOSED] = "closed",
	[POLICY_APPEAL_DECIDED] = "decided",
};

const char *policy_action_name(enum policy_action a)
{
	return (unsigned)a < POLICY_ACTION__COUNT ? action_names[a] : "?";
}

const char *policy_role_name(enum policy_role r)
{
	return (unsigned)r < POLICY_ROLE__COUNT ? role_names[r] : "?";
}

const char *policy_appeal_name(enum policy_appeal a)
{
	return (unsigned)a < POLICY_APPEAL__COUNT ? appeal_names[a] : "?";
}

static int refuse(int err, const char *why, const char **ret_reason)
{
	if (ret_reason)
		*ret_reason = why;
	return err;
}

/* Who may take @what at all: 0, or -EACCES with the reason. */
static int check_actor(const struct policy_actor *who, enum policy_action what,
                       const struct policy_state *st, const char **ret_reason)
{
	enum policy_role r = who->role;
	if (r == POLICY_OPERATOR && who->replaced_code && what != POLICY_OPERATOR_READ)
		return refuse(-EACCES,
		              "This appeal code was replaced by a new one the licensing office "
		              "issued: it still shows the report, but acts in nothing. If you did "
		              "not ask for a new code, tell the licensing office.",
		              ret_reason);
	switch (what) {
	case POLICY_DRAFT_EDIT:
	case POLICY_EVIDENCE:
		if (r == POLICY_SUPERVISOR || (r == POLICY_INSPECTOR && who->owner))
			return 0;
		return refuse(-EACCES,
		              "Only the inspector who made this inspection, or a supervisor, may "
		              "change it.",
		              ret_reason);
	case POLICY_DRAFT_SUBMIT:
		if (r == POLICY_INSPECTOR && who->owner)
			return 0;
		return refuse(-EACCES,
		              "Only the inspector who made this inspection may submit it: "
		              "submitting hands over the report's appeal code, which belongs to "
		              "the operator on site.",
		              ret_reason);
	case POLICY_AMEND:
		if (r == POLICY_SUPERVISOR || (r == POLICY_INSPECTOR && who->owner))
			return 0;
		return refuse(-EACCES,
		              "Only the inspector who made this inspection, or a supervisor, may "
		              "amend it.",
		              ret_reason);
	case POLICY_CODE_REISSUE:
		if (r != POLICY_CLERK)
			return refuse(-EACCES,
			              "Only a clerk of the licensing office may issue a new appeal "
			              "code, to an operator who proved who they are.",
			              ret_reason);
		if (who->involved)
			return refuse(
			        -EACCES,
			        "You took part in this inspection; a clerk who had no part in "
			        "it must issue the new appeal code.",
			        ret_reason);
		return 0;
	case POLICY_APPEAL_FILE:
	case POLICY_OPERATOR_READ:
		if (r == POLICY_OPERATOR)
			return 0;
		return refuse(-EACCES,
		              "Only the operator, with the report's appeal code, may do this.",
		              ret_reason);
	case POLICY_APPEAL_WITHDRAW:
	case POLICY_APPEAL_ATTACH:
	case POLICY_OPERATOR_REPLY:
	case POLICY_RERATING_REQUEST:
		if (r != POLICY_OPERATOR)
			return refuse(
			        -EACCES,
			        "Only the operator, with the report's appeal code, may do this.",
			        ret_reason);
		if (!who->filing_code && st->appeal != POLICY_APPEAL_NONE)
			return refuse(
			        -EACCES,
			        "This appeal code was issued after the appeal was filed: it "
			        "shows the case, but only the code that filed the appeal acts "
			        "for the operator in it.",
			        ret_reason);
		return 0;
	case POLICY_APPEAL_ACCEPT:
	case POLICY_APPEAL_REJECT_LATE:
	case POLICY_APPEAL_SCHEDULE:
	case POLICY_APPEAL_ADJOURN:
	case POLICY_APPEAL_DECIDE:
	case POLICY_APPEAL_REOPEN:
		if (r != POLICY_HEARING_OFFICER)
			return refuse(-EACCES,
			              "Only a hearing officer takes the steps of an appeal.",
			              ret_reason);
		if (who->involved)
			return refuse(
			        -EACCES,
			        "You took part in this inspection; an officer who had no part in "
			        "it must take every step of its appeal.",
			        ret_reason);
		return 0;
	case POLICY_APPEAL_READ_INTERNAL:
		if (r != POLICY_HEARING_OFFICER && r != POLICY_SUPERVISOR)
			return refuse(
			        -EACCES,
			        "Only hearing officers and supervisors read the officers' view "
			        "of an appeal.",
			        ret_reason);
		if (who->involved)
			return refuse(
			        -EACCES,
			        "You took part in this inspection: you read its appeal as the "
			        "public does (GET /api/v1/appeals/{id}), not the officers' "
			        "view with the grounds and internal notes.",
			        ret_reason);
		return 0;
	case POLICY_REPLY_MODERATE:
		if (r != POLICY_CLERK && r != POLICY_ADMIN)
			return refuse(-EACCES,
			              "Only a clerk or an administrator moderates an operator's "
			              "reply.",
			              ret_reason);
		if (who->involved)
			return refuse(-EACCES,
			              "You took part in the inspection this reply answers; someone "
			              "who had no part in it must moderate it.",
			              ret_reason);
		return 0;
	case POLICY_ACTION__COUNT: break;
	}
	return -EINVAL;
}

/* Whether the inspection's state allows @what: 0, or -EBUSY with the reason. */
static int check_state(enum policy_action what, const struct policy_state *st,
                       const char **ret_reason)
{
	switch (what) {
	case POLICY_DRAFT_EDIT:
	case POLICY_DRAFT_SUBMIT:
		if (st->submitted)
			return refuse(-EBUSY,
			              "This inspection is submitted; correct it with an amendment.",
			              ret_reason);
		return 0;
	case POLICY_AMEND:
		if (!st->submitted)
			return refuse(-EBUSY,
			              "This inspection is a draft: change it directly instead.",
			              ret_reason);
		if (st->imported)
			return refuse(
			        -EBUSY,
			        "This inspection was imported from another body's open data: it "
			        "is corrected where it was published.",
			        ret_reason);
		if (!st->current)
			return refuse(-EBUSY,
			              "This revision was already amended; amend the newest one.",
			              ret_reason);
		if (st->appeal == POLICY_APPEAL_OPEN)
			return refuse(
			        -EBUSY,
			        "This inspection's appeal is open: until it is decided, only the "
			        "appeal changes the result.",
			        ret_reason);
		if (st->appeal == POLICY_APPEAL_DECIDED)
			return refuse(
			        -EBUSY,
			        "This inspection's appeal was decided: the decision stands, and "
			        "the result is not amended after it.",
			        ret_reason);
		return 0;
	case POLICY_CODE_REISSUE:
		if (!st->submitted)
			return refuse(
			        -EBUSY,
			        "This inspection is a draft: its appeal code is made when it is "
			        "submitted.",
			        ret_reason);
		if (st->imported)
			return refuse(
			        -EBUSY,
			        "This inspection was imported from another body's open data: it "
			        "is appealed where it was published.",
			        ret_reason);
		return 0;
	case POLICY_APPEAL_FILE:
		if (!st->submitted || st->imported)
			return refuse(-EBUSY, "This inspection cannot be appealed here.",
			              ret_reason);
		if (st->appeal != POLICY_APPEAL_NONE)
			return refuse(-EBUSY,
			              "An appeal against this inspection was already filed; an "
			              "inspection can be appealed once.",
			              ret_reason);
		return 0;
	case POLICY_APPEAL_WITHDRAW:
		if (st->appeal != POLICY_APPEAL_OPEN)
			return refuse(-EBUSY, "There is no open appeal against this inspection.",
			              ret_reason);
		return 0;
	case POLICY_APPEAL_ATTACH:
		if (st->appeal == POLICY_APPEAL_NONE)
			return refuse(-EBUSY,
			              "File the appeal first: evidence is attached to an appeal.",
			              ret_reason);
		if (st->appeal != POLICY_APPEAL_OPEN)
			return refuse(-EBUSY,
			              "This appeal is closed: nothing more is attached to it.",
			              ret_reason);
		return 0;
	case POLICY_OPERATOR_REPLY:
	case POLICY_RERATING_REQUEST:
	case POLICY_OPERATOR_READ:
		if (!st->submitted)
			return refuse(-EBUSY, "This inspection is not submitted.", ret_reason);
		return 0;
	case POLICY_APPEAL_ACCEPT:
	case POLICY_APPEAL_REJECT_LATE:
	case POLICY_APPEAL_SCHEDULE:
	case POLICY_APPEAL_ADJOURN:
	case POLICY_APPEAL_DECIDE:
		if (st->appeal == POLICY_APPEAL_NONE)
			return refuse(-EBUSY, "There is no appeal against this inspection.",
			              ret_reason);
		if (st->appeal != POLICY_APPEAL_OPEN)
			return refuse(-EBUSY,
			              "This appeal is closed: no further step is taken in it.",
			              ret_reason);
		return 0;
	case POLICY_APPEAL_REOPEN:
		return refuse(
		        -EBUSY,
		        "A decided appeal is final in Placard; a decision is challenged before "
		        "the courts, not changed here.",
		        ret_reason);
	case POLICY_APPEAL_READ_INTERNAL: return 0;
	case POLICY_EVIDENCE: return 0;
	case POLICY_REPLY_MODERATE:
		if (!st->submitted)
			return refuse(-EBUSY, "This inspection is not submitted.", ret_reason);
		return 0;
	case POLICY_ACTION__COUNT: break;
	}
	return -EINVAL;
}

enum policy_appeal policy_appeal_of(const char *state)
{
	enum appeal_state s;
	if (!state)
		return POLICY_APPEAL_NONE;
	if (appeal_state_parse(state, &s) < 0)
		return POLICY_APPEAL_DECIDED;
	if (appeal_is_open(s))
		return POLICY_APPEAL_OPEN;
	return appeal_is_decided(s) ? POLICY_APPEAL_DECIDED : POLICY_APPEAL_CLOSED;
}

int policy_check(const struct policy_actor *who, enum policy_action what,
                 const struct policy_state *st, const char **ret_reason)
{
	if (!who || !st || (unsigned)what >= POLICY_ACTION__COUNT ||
	    (unsigned)who->role >= POLICY_ROLE__COUNT ||
	    (unsigned)st->appeal >= POLICY_APPEAL__COUNT)
		return -EINVAL;
	int rc = check_actor(who, what, st, ret_reason);
	if (rc < 0)
		return rc;
	return check_state(what, st, ret_reason);
}

int policy_assign_check(const struct policy_assignment *a, const char **ret_reason)
{
	if (!a || (unsigned)a->role >= POLICY_ROLE__COUNT || (a->held_by_self && a->held_by_other))
		return -EINVAL;
	switch (a->role) {
	case POLICY_SUPERVISOR:
	case POLICY_ADMIN: break;
	case POLICY_INSPECTOR:
		if (a->to_self)
			return refuse(
			        -EACCES,
			        "An inspector does not assign work to themselves: a supervisor "
			        "gives out the due lists.",
			        ret_reason);
		if (!a->held_by_self)
			return refuse(-EACCES,
			              "This work is not assigned to you: only a supervisor moves "
			              "another inspector's work or gives out new work.",
			              ret_reason);
		break;
	default:
		return refuse(-EACCES, "Only a supervisor or an administrator assigns work.",
		              ret_reason);
	}
	if (!a->to_inspector)
		return refuse(-ENOENT, "Work is assigned only to an active inspector.", ret_reason);
	return 0;
}

int policy_due_list_check(enum policy_role role, bool own, const char **ret_reason)
{
	if ((unsigned)role >= POLICY_ROLE__COUNT)
		return -EINVAL;
	if (role == POLICY_SUPERVISOR || (own && role == POLICY_INSPECTOR))
		return 0;
	return refuse(-EACCES,
	              own ? "Due lists are inspectors' and supervisors'."
	                  : "Only a supervisor may see another inspector's due list.",
	              ret_reason);
}
