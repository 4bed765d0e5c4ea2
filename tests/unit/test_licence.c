/*
 * Unit tests for domain/licence.c: every licence action against every status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "domain/licence.h"

static void test_every_action_and_status(void **state)
{
	(void)state;
	static const char *const statuses[] = { "active", "suspended", "closed" };
	static const struct {
		const char *action;
		bool allowed[3]; /* from active, suspended, closed */
	} rules[] = {
		{ "issued", { true, false, true } },      { "renewed", { true, true, false } },
		{ "suspended", { true, false, false } },  { "revoked", { true, true, false } },
		{ "reinstated", { false, true, false } },
	};
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++)
		for (size_t s = 0; s < 3; s++) {
			const char *why = licence_action_refusal(rules[r].action, statuses[s]);
			if ((why == NULL) != rules[r].allowed[s])
				fail_msg("%s from %s: %s", rules[r].action, statuses[s],
				         why ? why : "allowed");
			/* A refusal says what to do, in a sentence. */
			if (why)
				assert_true(why[0] >= 'A' && why[0] <= 'Z' && why[1]);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_and_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
