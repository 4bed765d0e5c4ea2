/*
 * Unit tests for policy_assign_check() (domain/policy.c): who gives work out, over the whole
 * table (every role x to self x held by self x held by another x to an inspector), checked
 * against the rule written here a second time, as data; then the cases by name. And
 * policy_due_list_check(): who reads whose due list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/policy.h"

/* The rule as data: the answer expected for one row of the table. */
static int expected(const struct policy_assignment *a)
{
	if (a->held_by_self && a->held_by_other)
		return -EINVAL;
	bool assigner = a->role == POLICY_SUPERVISOR || a->role == POLICY_ADMIN;
	bool handing_over = a->role == POLICY_INSPECTOR && !a->to_self && a->held_by_self;
	if (!assigner && !handing_over)
		return -EACCES;
	return a->to_inspector ? 0 : -ENOENT;
}

static void test_whole_table(void **state)
{
	(void)state;
	int rows = 0, allowed = 0;
	for (int role = 0; role < POLICY_ROLE__COUNT; role++)
		for (int bits = 0; bits < 16; bits++) {
			struct policy_assignment a = { .role = (enum policy_role)role,
				                       .to_self = bits & 1,
				                       .held_by_self = bits & 2,
				                       .held_by_other = bits & 4,
				                       .to_inspector = bits & 8 };
			const char *why = NULL;
			int rc = policy_assign_check(&a, &why);
			if (rc != expected(&a))
				fail_msg("%s to_self=%d held_by_self=%d held_by_other=%d "
				         "to_inspector=%d: %d, expected %d",
				         policy_role_name(a.role), a.to_self, a.held_by_self,
				         a.held_by_other, a.to_inspector, rc, expected(&a));
			if (rc == -EACCES || rc == -ENOENT)
				assert_non_null(why);
			allowed += rc == 0;
			rows++;
		}
	assert_int_equal(rows, POLICY_ROLE__COUNT * 16);
	/* Supervisor and admin: 6 valid rows each with an inspector at the end (held by
	 * nobody, self or another; to self or not); an inspector handing their own over: 1. */
	assert_int_equal(allowed, 6 + 6 + 1);
}

static void test_cases(void **state)
{
	(void)state;
	const char *why;
	struct policy_assignment self = { .role = POLICY_INSPECTOR,
		                          .to_self = true,
		                          .to_inspector = true };
	assert_int_equal(policy_assign_check(&self, &why), -EACCES);
	assert_non_null(strstr(why, "themselves"));
	struct policy_assignment others = { .role = POLICY_INSPECTOR,
		                            .held_by_other = true,
		                            .to_inspector = true };
	assert_int_equal(policy_assign_check(&others, &why), -EACCES);
	struct policy_assignment unassigned = { .role = POLICY_INSPECTOR, .to_inspector = true };
	assert_int_equal(policy_assign_check(&unassigned, &why), -EACCES);
	struct policy_assignment hand_over = { .role = POLICY_INSPECTOR,
		                               .held_by_self = true,
		                               .to_inspector = true };
	assert_int_equal(policy_assign_check(&hand_over, NULL), 0);
	struct policy_assignment sup = { .role = POLICY_SUPERVISOR,
		                         .held_by_other = true,
		                         .to_inspector = true };
	assert_int_equal(policy_assign_check(&sup, NULL), 0);
	sup.to_inspector = false;
	assert_int_equal(policy_assign_check(&sup, &why), -ENOENT);
	struct policy_assignment clerk = { .role = POLICY_CLERK, .to_inspector = true };
	assert_int_equal(policy_assign_check(&clerk, &why), -EACCES);
	struct policy_assignment bad = { .role = POLICY_ROLE__COUNT };
	assert_int_equal(policy_assign_check(&bad, NULL), -EINVAL);
	assert_int_equal(policy_assign_check(NULL, NULL), -EINVAL);
}

/* Who reads a due list: every role, their own and another's. */
static void test_due_list(void **state)
{
	(void)state;
	int allowed = 0;
	for (int role = 0; role < POLICY_ROLE__COUNT; role++)
		for (int own = 0; own < 2; own++) {
			const char *why = NULL;
			int rc = policy_due_list_check((enum policy_role)role, own, &why);
			int want = role == POLICY_SUPERVISOR || (own && role == POLICY_INSPECTOR)
			                   ? 0
			                   : -EACCES;
			if (rc != want)
				fail_msg("%s own=%d: %d, expected %d",
				         policy_role_name((enum policy_role)role), own, rc, want);
			if (rc < 0)
				assert_non_null(why);
			allowed += rc == 0;
		}
	/* The inspector's own; the supervisor's own and another's. */
	assert_int_equal(allowed, 3);
	assert_int_equal(policy_due_list_check(POLICY_ROLE__COUNT, true, NULL), -EINVAL);
	const char *why;
	assert_int_equal(policy_due_list_check(POLICY_INSPECTOR, false, &why), -EACCES);
	assert_non_null(strstr(why, "supervisor"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_table),
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_due_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
