/*
 * Unit tests for domain/policy.c: separation of duties over the whole table, every actor
 * (role x involved x owner x filing code) against every action and every state (submitted x
 * current x imported x appeal), checked against the rules as the threat model states them,
 * written here as data; then the cases named in docs/threat-model.md, one by one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "domain/policy.h"

#define R(x) (1u << (x))

/* The rules as data. */
struct rule {
	unsigned roles;             /* roles that may take the step at all */
	bool inspector_owner;       /* an inspector must be the inspection's own */
	bool uninvolved;            /* staff who took part are refused */
	bool filing_code_if_appeal; /* once an appeal is filed, only its code acts */
	/* States allowed, as predicates over the state. */
	int submitted;    /* -1 any, 0 draft only, 1 submitted only */
	int current;      /* -1 any, 1 newest revision only */
	int imported;     /* -1 any, 0 not imported */
	unsigned appeals; /* allowed appeal states (bit per enum policy_appeal) */
};

#define ALL_APPEALS                                                                                \
	(R(POLICY_APPEAL_NONE) | R(POLICY_APPEAL_OPEN) | R(POLICY_APPEAL_CLOSED) |                 \
	 R(POLICY_APPEAL_DECIDED))
#define HEARING R(POLICY_HEARING_OFFICER)

static const struct rule rules[POLICY_ACTION__COUNT] = {
	[POLICY_DRAFT_EDIT] = { R(POLICY_INSPECTOR) | R(POLICY_SUPERVISOR), true, false, false, 0,
	                        -1, -1, ALL_APPEALS },
	[POLICY_EVIDENCE] = { R(POLICY_INSPECTOR) | R(POLICY_SUPERVISOR), true, false, false, -1,
	                      -1, -1, ALL_APPEALS },
	[POLICY_DRAFT_SUBMIT] = { R(POLICY_INSPECTOR), true, false, false, 0, -1, -1, ALL_APPEALS },
	[POLICY_AMEND] = { R(POLICY_INSPECTOR) | R(POLICY_SUPERVISOR), true, false, false, 1, 1, 0,
	                   R(POLICY_APPEAL_NONE) | R(POLICY_APPEAL_CLOSED) },
	[POLICY_CODE_REISSUE] = { R(POLICY_CLERK), false, true, false, 1, -1, 0, ALL_APPEALS },
	[POLICY_APPEAL_FILE] = { R(POLICY_OPERATOR), false, false, false, 1, -1, 0,
	                         R(POLICY_APPEAL_NONE) },
	[POLICY_APPEAL_WITHDRAW] = { R(POLICY_OPERATOR), false, false, true, -1, -1, -1,
	                             R(POLICY_APPEAL_OPEN) },
	[POLICY_OPERATOR_REPLY] = { R(POLICY_OPERATOR), false, false, true, 1, -1, -1,
	                            ALL_APPEALS },
	/* Evidence for an open appeal: only from the code that filed it. */
	[POLICY_APPEAL_ATTACH] = { R(POLICY_OPERATOR), false, false, true, -1, -1, -1,
	                           R(POLICY_APPEAL_OPEN) },
	[POLICY_RERATING_REQUEST] = { R(POLICY_OPERATOR), false, false, true, 1, -1, -1,
	                              ALL_APPEALS },
	[POLICY_OPERATOR_READ] = { R(POLICY_OPERATOR), false, false, false, 1, -1, -1,
	                           ALL_APPEALS },
	[POLICY_APPEAL_ACCEPT] = { HEARING, false, true, false, -1, -1, -1, R(POLICY_APPEAL_OPEN) },
	[POLICY_APPEAL_REJECT_LATE] = { HEARING, false, true, false, -1, -1, -1,
	                                R(POLICY_APPEAL_OPEN) },
	[POLICY_APPEAL_SCHEDULE] = { HEARING, false, true, false, -1, -1, -1,
	                             R(POLICY_APPEAL_OPEN) },
	[POLICY_APPEAL_ADJOURN] = { HEARING, false, true, false, -1, -1, -1,
	                            R(POLICY_APPEAL_OPEN) },
	[POLICY_APPEAL_DECIDE] = { HEARING, false, true, false, -1, -1, -1, R(POLICY_APPEAL_OPEN) },
	/* Nobody, in any state. */
	[POLICY_APPEAL_REOPEN] = { HEARING, false, true, false, -1, -1, -1, 0 },
	/* The officers' view of an appeal: never a party's. */
	[POLICY_APPEAL_READ_INTERNAL] = { HEARING | R(POLICY_SUPERVISOR), false, true, false, -1,
	                                  -1, -1, ALL_APPEALS },
	/* The operator's reply: moderated by someone with no part in the inspection. */
	[POLICY_REPLY_MODERATE] = { R(POLICY_CLERK) | R(POLICY_ADMIN), false, true, false, 1, -1,
	                            -1, ALL_APPEALS },
};

static bool staff(enum policy_role r)
{
	return r >= POLICY_ADMIN;
}

/* What the rules say: 0, -EACCES or -EBUSY. */
static int expected(const struct policy_actor *who, enum policy_action what,
                    const struct policy_state *st)
{
	const struct rule *rl = &rules[what];
	if (!(rl->roles & R(who->role)))
		return -EACCES;
	if (rl->inspector_owner && who->role == POLICY_INSPECTOR && !who->owner)
		return -EACCES;
	if (rl->uninvolved && staff(who->role) && who->involved)
		return -EACCES;
	if (who->role == POLICY_OPERATOR && who->replaced_code && what != POLICY_OPERATOR_READ)
		return -EACCES;
	if (rl->filing_code_if_appeal && !who->filing_code && st->appeal != POLICY_APPEAL_NONE)
		return -EACCES;
	if ((rl->submitted >= 0 && st->submitted != (rl->submitted == 1)) ||
	    (rl->current == 1 && !st->current) || (rl->imported == 0 && st->imported) ||
	    !(rl->appeals & R(st->appeal)))
		return -EBUSY;
	return 0;
}

static void test_whole_table(void **state)
{
	(void)state;
	long cells = 0, allowed = 0, refused = 0;
	for (int role = 0; role < POLICY_ROLE__COUNT; role++)
		for (int flags = 0; flags < 16; flags++)
			for (int what = 0; what < POLICY_ACTION__COUNT; what++)
				for (int s = 0; s < 8; s++)
					for (int ap = 0; ap < POLICY_APPEAL__COUNT; ap++) {
						struct policy_actor who = {
							.role = (enum policy_role)role,
							.involved = flags & 1,
							.owner = flags & 2,
							.filing_code = flags & 4,
							.replaced_code = flags & 8,
						};
						struct policy_state st = {
							.submitted = s & 1,
							.current = s & 2,
							.imported = s & 4,
							.appeal = (enum policy_appeal)ap,
						};
						const char *why = NULL;
						int got = policy_check(
						        &who, (enum policy_action)what, &st, &why);
						int want = expected(&who, (enum policy_action)what,
						                    &st);
						if (got != want)
							fail_msg("%s by %s (involved %d, owner %d, "
							         "filing code %d) on submitted %d, "
							         "current "
							         "%d, imported %d, appeal %s: got "
							         "%d, want "
							         "%d (%s)",
							         policy_action_name(what),
							         policy_role_name(role),
							         who.involved, who.owner,
							         who.filing_code, st.submitted,
							         st.current, st.imported,
							         policy_appeal_name(ap), got, want,
							         why ? why : "allowed");
						/* A refusal says why in a sentence. */
						if (got < 0)
							assert_true(why && why[0] >= 'A' &&
							            why[0] <= 'Z' && why[1]);
						cells++;
						got == 0 ? allowed++ : refused++;
					}
	assert_int_equal(cells, (long)POLICY_ROLE__COUNT * 16 * POLICY_ACTION__COUNT * 8 *
	                                POLICY_APPEAL__COUNT);
	/* Printed for the record: how big the table is and how much of it is refused. */
	print_message("policy table: %ld cells, %ld allowed, %ld refused\n", cells, allowed,
	              refused);
	assert_true(allowed > 0 && refused > allowed);
}

static const struct policy_state submitted_no_appeal = { true, true, false, POLICY_APPEAL_NONE };

static int check(enum policy_role role, bool involved, bool owner, bool filing,
                 enum policy_action what, struct policy_state st)
{
	struct policy_actor who = { role, involved, owner, filing, false };
	return policy_check(&who, what, &st, NULL);
}

/* The cases the threat model names, so that each is visible on its own. */
static void test_named_cases(void **state)
{
	(void)state;
	struct policy_state st = submitted_no_appeal;
	/* Amendments: the own inspector or a supervisor; never another inspector. */
	assert_int_equal(check(POLICY_INSPECTOR, true, true, false, POLICY_AMEND, st), 0);
	assert_int_equal(check(POLICY_SUPERVISOR, false, false, false, POLICY_AMEND, st), 0);
	assert_int_equal(check(POLICY_INSPECTOR, false, false, false, POLICY_AMEND, st), -EACCES);
	assert_int_equal(check(POLICY_HEARING_OFFICER, false, false, false, POLICY_AMEND, st),
	                 -EACCES);
	/* ... never while the appeal is open, never after a decision. */
	st.appeal = POLICY_APPEAL_OPEN;
	assert_int_equal(check(POLICY_INSPECTOR, true, true, false, POLICY_AMEND, st), -EBUSY);
	assert_int_equal(check(POLICY_SUPERVISOR, false, false, false, POLICY_AMEND, st), -EBUSY);
	st.appeal = POLICY_APPEAL_DECIDED;
	assert_int_equal(check(POLICY_SUPERVISOR, false, false, false, POLICY_AMEND, st), -EBUSY);
	/* ... but after a withdrawn appeal the record can be corrected again. */
	st.appeal = POLICY_APPEAL_CLOSED;
	assert_int_equal(check(POLICY_INSPECTOR, true, true, false, POLICY_AMEND, st), 0);

	/* Whoever took part takes no step of the appeal: every step, not only the decision. */
	st.appeal = POLICY_APPEAL_OPEN;
	for (int what = POLICY_APPEAL_ACCEPT; what <= POLICY_APPEAL_DECIDE; what++) {
		assert_int_equal(check(POLICY_HEARING_OFFICER, true, false, false, what, st),
		                 -EACCES);
		assert_int_equal(check(POLICY_HEARING_OFFICER, false, false, false, what, st), 0);
	}
	/* A decided appeal is not reopened by anyone. */
	st.appeal = POLICY_APPEAL_DECIDED;
	assert_int_equal(
	        check(POLICY_HEARING_OFFICER, false, false, false, POLICY_APPEAL_REOPEN, st),
	        -EBUSY);

	/* New codes: a clerk who had no part; not the inspector, not a supervisor. */
	st = submitted_no_appeal;
	assert_int_equal(check(POLICY_CLERK, false, false, false, POLICY_CODE_REISSUE, st), 0);
	assert_int_equal(check(POLICY_CLERK, true, false, false, POLICY_CODE_REISSUE, st), -EACCES);
	assert_int_equal(check(POLICY_INSPECTOR, true, true, false, POLICY_CODE_REISSUE, st),
	                 -EACCES);
	assert_int_equal(check(POLICY_SUPERVISOR, false, false, false, POLICY_CODE_REISSUE, st),
	                 -EACCES);
	/* A later code reads the case but does not act in the appeal. */
	st.appeal = POLICY_APPEAL_OPEN;
	assert_int_equal(check(POLICY_OPERATOR, false, false, false, POLICY_OPERATOR_READ, st), 0);
	assert_int_equal(check(POLICY_OPERATOR, false, false, false, POLICY_APPEAL_WITHDRAW, st),
	                 -EACCES);
	assert_int_equal(check(POLICY_OPERATOR, false, false, false, POLICY_OPERATOR_REPLY, st),
	                 -EACCES);
	assert_int_equal(check(POLICY_OPERATOR, false, false, true, POLICY_APPEAL_WITHDRAW, st), 0);
	/* Before any appeal, a new code is the operator's only one: it acts. */
	st.appeal = POLICY_APPEAL_NONE;
	assert_int_equal(check(POLICY_OPERATOR, false, false, false, POLICY_OPERATOR_REPLY, st), 0);
	/* A code a clerk replaced still shows the report, so its holder sees the reissue, but
	 * acts in nothing, appeal or not. */
	{
		struct policy_actor old = { POLICY_OPERATOR, false, false, true, true };
		struct policy_state none = submitted_no_appeal;
		assert_int_equal(policy_check(&old, POLICY_OPERATOR_READ, &none, NULL), 0);
		for (int what = POLICY_APPEAL_FILE; what <= POLICY_RERATING_REQUEST; what++)
			assert_int_equal(policy_check(&old, what, &none, NULL), -EACCES);
	}
	/* Evidence: the filing code attaches to the open appeal; a later code, staff, or a
	 * closed appeal do not. */
	st.appeal = POLICY_APPEAL_OPEN;
	assert_int_equal(check(POLICY_OPERATOR, false, false, true, POLICY_APPEAL_ATTACH, st), 0);
	assert_int_equal(check(POLICY_OPERATOR, false, false, false, POLICY_APPEAL_ATTACH, st),
	                 -EACCES);
	assert_int_equal(
	        check(POLICY_HEARING_OFFICER, false, false, true, POLICY_APPEAL_ATTACH, st),
	        -EACCES);
	st.appeal = POLICY_APPEAL_DECIDED;
	assert_int_equal(check(POLICY_OPERATOR, false, false, true, POLICY_APPEAL_ATTACH, st),
	                 -EBUSY);
	st.appeal = POLICY_APPEAL_NONE;
	assert_int_equal(check(POLICY_OPERATOR, false, false, true, POLICY_APPEAL_ATTACH, st),
	                 -EBUSY);
	/* A party to the inspection never reads the officers' view, evidence included. */
	assert_int_equal(
	        check(POLICY_HEARING_OFFICER, true, false, false, POLICY_APPEAL_READ_INTERNAL, st),
	        -EACCES);
	assert_int_equal(
	        check(POLICY_SUPERVISOR, true, true, false, POLICY_APPEAL_READ_INTERNAL, st),
	        -EACCES);
	/* No member of staff acts as the operator. */
	for (int role = POLICY_ADMIN; role < POLICY_ROLE__COUNT; role++)
		assert_int_equal(check(role, false, true, true, POLICY_APPEAL_FILE, st), -EACCES);
}

static void test_refuses_nonsense(void **state)
{
	(void)state;
	struct policy_actor who = { POLICY_CLERK, false, false, false, false };
	struct policy_state st = submitted_no_appeal;
	const char *why = "untouched";
	assert_int_equal(policy_check(NULL, POLICY_AMEND, &st, &why), -EINVAL);
	assert_int_equal(policy_check(&who, POLICY_AMEND, NULL, &why), -EINVAL);
	assert_int_equal(policy_check(&who, POLICY_ACTION__COUNT, &st, &why), -EINVAL);
	assert_int_equal(policy_check(&who, (enum policy_action) - 1, &st, &why), -EINVAL);
	who.role = POLICY_ROLE__COUNT;
	assert_int_equal(policy_check(&who, POLICY_AMEND, &st, &why), -EINVAL);
	who.role = POLICY_CLERK;
	st.appeal = POLICY_APPEAL__COUNT;
	assert_int_equal(policy_check(&who, POLICY_AMEND, &st, &why), -EINVAL);
	assert_string_equal(why, "untouched");
	assert_string_equal(policy_action_name(POLICY_ACTION__COUNT), "?");
	/* Every stored appeal state, and what is not one. */
	assert_int_equal(policy_appeal_of(NULL), POLICY_APPEAL_NONE);
	static const char *const open[] = { "filed", "under_review", "hearing_scheduled" };
	static const char *const closed[] = { "withdrawn", "rejected_late" };
	static const char *const decided[] = { "upheld", "modified", "overturned",
		                               "",       "Filed",    "reopened" };
	for (size_t k = 0; k < 3; k++)
		assert_int_equal(policy_appeal_of(open[k]), POLICY_APPEAL_OPEN);
	for (size_t k = 0; k < 2; k++)
		assert_int_equal(policy_appeal_of(closed[k]), POLICY_APPEAL_CLOSED);
	for (size_t k = 0; k < 6; k++)
		assert_int_equal(policy_appeal_of(decided[k]), POLICY_APPEAL_DECIDED);
	assert_string_equal(policy_role_name(POLICY_ROLE__COUNT), "?");
	assert_string_equal(policy_appeal_name(POLICY_APPEAL__COUNT), "?");
	for (int a = 0; a < POLICY_ACTION__COUNT; a++)
		assert_string_not_equal(policy_action_name(a), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_table),
		cmocka_unit_test(test_named_cases),
		cmocka_unit_test(test_refuses_nonsense),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
