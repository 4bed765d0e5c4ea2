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

/* Every reason category in words, and nothing else accepted (the CHECK of sql/0033). */
static void test_reason_categories(void **state)
{
	(void)state;
	static const char *const known[] = { "imminent-health-risk",
		                             "pests",
		                             "no-water-or-power",
		                             "licence-conditions",
		                             "unlicensed",
		                             "owner-request",
		                             "other" };
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		const char *w = licence_reason_category_words(known[i]);
		assert_non_null(w);
		assert_true(w[0] >= 'A' && w[0] <= 'Z');
	}
	static const char *const unknown[] = { "", "Pests", "pest", "other ", "health" };
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_null(licence_reason_category_words(unknown[i]));
	assert_null(licence_reason_category_words(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_action_and_status),
		cmocka_unit_test(test_reason_categories),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
