/*
 * policy.h - separation of duties: who may take which step on an inspection, its appeal code,
 * its appeal and the operator's voice, in which state.
 *
 * The promises Placard makes to an operator and to the public hold against its own staff:
 * - an inspection is amended only by its own inspector or a supervisor, never while its
 *   appeal is open and never once an appeal was decided (a decision's revision is changed
 *   only through the appeal process);
 * - whoever took part in an inspection (inspected or amended any revision of it) takes no
 *   step of its appeal and issues no new appeal code for it;
 * - a new appeal code is issued by a clerk only, with a reason, and it can read the case but
 *   not act in it once an appeal was filed: the appeal stays bound to the code that filed it,
 *   so nobody holding a later code can withdraw it or speak for the operator;
 * - a decided appeal is final in Placard (a later change goes to a court): nothing reopens it;
 * - the hearing officers' view of an appeal (the operator's grounds, review notes and
 *   adjournment reasons) is read by hearing officers and supervisors who had no part in the
 *   inspection, never by a party to it;
 * - what the operator attaches to their appeal is seen by the operator and by the hearing
 *   officers and supervisors who may read the appeal, never by a party to the inspection
 *   nor the public; only the code that filed the appeal attaches, while it is open;
 * - the operator's public reply is moderated by a clerk or an administrator who had no
 *   part in the inspection it answers.
 *
 * Every route and command asks policy_check() before it changes anything. The whole table
 * (actor x action x state) is tested in tests/unit/test_policy.c.
 *
 * Domain layer: a pure function over plain values. No I/O.
 *
 * Error convention: 0 or a negative errno code; *ret_reason, when given, is a static
 * sentence for a person.
 */
#ifndef PLACARD_DOMAIN_POLICY_H
#define PLACARD_DOMAIN_POLICY_H

#include <stdbool.h>

/* Who acts. Staff roles as in auth.h; the operator proves who they are with an appeal code. */
enum policy_role {
	POLICY_PUBLIC,   /* anyone, no credential */
	POLICY_OPERATOR, /* holds an appeal code of the inspection's report */
	POLICY_ADMIN,
	POLICY_CLERK,
	POLICY_INSPECTOR,
	POLICY_SUPERVISOR,
	POLICY_HEARING_OFFICER,
	POLICY_ROLE__COUNT,
};

/* The actor, and how they stand to the inspection. */
struct policy_actor {
	enum policy_role role;
	/* Staff: inspected or amended some revision of the inspection (decided its appeal does
	 * not count: that revision is the decision's). */
	bool involved;
	/* Staff: the inspector of the inspection's first revision (the visit). */
	bool owner;
	/* Operator: the code presented is the one that filed the inspection's appeal, or no
	 * appeal was filed. */
	bool filing_code;
	/* Operator: the code presented was replaced by a new one a clerk issued. It still opens
	 * the report, so that whoever holds it sees the reissue, but it acts in nothing. */
	bool replaced_code;
};

/* The steps. */
enum policy_action {
	POLICY_DRAFT_EDIT,       /* change, add or remove photos of a draft */
	POLICY_AMEND,            /* a new revision of a submitted inspection */
	POLICY_CODE_REISSUE,     /* a new appeal code for a lost report */
	POLICY_APPEAL_FILE,      /* operator */
	POLICY_APPEAL_WITHDRAW,  /* operator */
	POLICY_OPERATOR_REPLY,   /* operator: a public statement in their name */
	POLICY_RERATING_REQUEST, /* operator */
	POLICY_OPERATOR_READ,    /* operator: the report, its appeal and reply */
	POLICY_APPEAL_ACCEPT,    /* hearing officer: take under review */
	POLICY_APPEAL_REJECT_LATE,
	POLICY_APPEAL_SCHEDULE,
	POLICY_APPEAL_ADJOURN,
	POLICY_APPEAL_DECIDE,
	POLICY_APPEAL_REOPEN,        /* change a decided appeal: not a step Placard offers */
	POLICY_APPEAL_READ_INTERNAL, /* staff view: grounds, review notes, adjournment reasons */
	POLICY_REPLY_MODERATE,       /* change or withdraw the operator's published reply */
	/* The tablet's work on an inspection's evidence: add, replay or remove a photo, resolve
	 * a sync conflict. Who only: a submitted inspection's evidence is refused by each route
	 * in its own words (a replayed photo is answered, a new or removed one is not) and by
	 * the database's triggers. */
	POLICY_EVIDENCE,
	/* Submit a draft: only the inspector who made it, since submitting hands the report's
	 * appeal code to whoever submits, to give to the operator on site. A supervisor who
	 * submitted someone's draft would hold a code that acts as the operator. */
	POLICY_DRAFT_SUBMIT,
	/* operator: attach a photo or document to their open appeal; only the code that filed
	 * it. Read by hearing officers and supervisors with no part in the inspection
	 * (POLICY_APPEAL_READ_INTERNAL) and by the operator (POLICY_OPERATOR_READ); never
	 * public. */
	POLICY_APPEAL_ATTACH,
	POLICY_ACTION__COUNT,
};

/* Where the inspection's appeal stands. */
enum policy_appeal {
	POLICY_APPEAL_NONE,    /* none filed */
	POLICY_APPEAL_OPEN,    /* filed, under review, hearing scheduled */
	POLICY_APPEAL_CLOSED,  /* withdrawn, or rejected as late: no decision */
	POLICY_APPEAL_DECIDED, /* upheld, modified, overturned */
	POLICY_APPEAL__COUNT,
};

/* The inspection as the step finds it. */
struct policy_state {
	bool submitted; /* false: a draft */
	bool current;   /* the newest revision (nothing amends it) */
	bool imported;  /* from another body's open data: appealed where it was published */
	enum policy_appeal appeal;
};

/*
 * May @who take step @what on an inspection in state @st? 0 when they may; -EACCES when this
 * actor may not (an HTTP 403), -EBUSY when nobody may in this state (409), -EINVAL for
 * values out of range or NULL pointers. On refusal *@ret_reason (when not NULL) is a
 * sentence saying why and, where there is one, what to do instead.
 *
 * Who is checked before what state: a refusal for an actor who may never take the step
 * does not tell them where the inspection stands.
 */
int policy_check(const struct policy_actor *who, enum policy_action what,
                 const struct policy_state *st, const char **ret_reason);

/*
 * Where an appeal stands for this rule, from its stored state name ("under_review"; NULL: no
 * appeal), through the appeal lifecycle's own names and tests (domain/appeal.h). A name that
 * is not a state reads as decided, the state in which nothing changes.
 */
enum policy_appeal policy_appeal_of(const char *state);

/*
 * Who gives work out. Establishments (and the visits due at them) are assigned to
 * inspectors: the due list on each inspector's tablet is what was assigned to them. Work is
 * assigned by a supervisor or an administrator; an inspector may only hand work assigned to
 * them over to another inspector: never take work for themselves (their list is not theirs
 * to choose) and never move another inspector's. Nobody else assigns. Work goes only to an
 * active inspector.
 */
struct policy_assignment {
	enum policy_role role; /* who assigns */
	bool to_self;          /* the work would go to the one who assigns */
	bool held_by_self;     /* the work is now assigned to the one who assigns */
	bool held_by_other;    /* the work is now assigned to someone else */
	bool to_inspector;     /* the one it would go to is an active inspector */
};

/*
 * May the assignment @a be made? 0 when it may; -EACCES when this actor may not (403),
 * -ENOENT when the one it would go to is not an active inspector (422), -EINVAL for values
 * out of range, NULL, or work held by both self and another. *@ret_reason as for
 * policy_check(). Who is checked before whom to.
 */
int policy_assign_check(const struct policy_assignment *a, const char **ret_reason);

/*
 * Who reads a due list (the establishments assigned to an inspector, and the visits due at
 * them). An inspector or a supervisor reads their own (@own); only a supervisor reads another
 * inspector's, to give out and move work. 0 when they may; -EACCES (403) with the reason in
 * *@ret_reason (may be NULL) when not; -EINVAL for a role out of range.
 */
int policy_due_list_check(enum policy_role role, bool own, const char **ret_reason);

/* Stable names for messages and tests ("amend", "hearing_officer", "decided"). */
const char *policy_action_name(enum policy_action a);
const char *policy_role_name(enum policy_role r);
const char *policy_appeal_name(enum policy_appeal a);

#endif
