/*
 * test_ratelimit.c - cmocka tests for the limits on guessing a secret
 * (src/domain/ratelimit.c): the backoff of a pair, press and release of a target's budget,
 * the client network's own budget, the promise that a client that has not failed itself is
 * never refused before its secret is checked, and the number of guesses a network can have
 * checked in a window, for the rules of appeal codes and staff passwords.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/appeal.h"
#include "domain/auth.h"
#include "domain/ratelimit.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const struct ratelimit_rule small = {
	.window = 1000,
	.free_tries = 3,
	.base = 2,
	.cap = 100,
	.target_budget = 10,
	.pressed_base = 50,
	.client_window = 60,
	.client_limit = 20,
};

static const struct ratelimit_rule appeal_rule = APPEAL_CODE_RULE;
static const struct ratelimit_rule auth_rule = AUTH_FAILURE_RULE;

static void test_rules_valid(void **state)
{
	(void)state;
	assert_true(ratelimit_rule_valid(&small));
	assert_true(ratelimit_rule_valid(&appeal_rule));
	assert_true(ratelimit_rule_valid(&auth_rule));
	assert_false(ratelimit_rule_valid(NULL));
	const size_t fields[] = {
		offsetof(struct ratelimit_rule, window),
		offsetof(struct ratelimit_rule, free_tries),
		offsetof(struct ratelimit_rule, base),
		offsetof(struct ratelimit_rule, cap),
		offsetof(struct ratelimit_rule, target_budget),
		offsetof(struct ratelimit_rule, pressed_base),
		offsetof(struct ratelimit_rule, client_window),
		offsetof(struct ratelimit_rule, client_limit),
	};
	/* Every figure zero or negative makes the rule unusable. */
	for (size_t i = 0; i < N_OF(fields); i++) {
		for (long v = -1; v <= 0; v++) {
			struct ratelimit_rule r = small;
			memcpy((char *)&r + fields[i], &v, sizeof(v));
			assert_false(ratelimit_rule_valid(&r));
		}
	}
	struct ratelimit_rule r = small;
	r.cap = 1; /* below base */
	assert_false(ratelimit_rule_valid(&r));
	r = small;
	r.cap = r.window + 1;
	assert_false(ratelimit_rule_valid(&r));
	r = small;
	r.pressed_base = r.window + 1;
	assert_false(ratelimit_rule_valid(&r));
}

static void test_pair_wait(void **state)
{
	(void)state;
	/* Written out: 3 free, then 2, 4, 8, ... capped at 100. */
	const long want[] = { 0, 0, 0, 2, 4, 8, 16, 32, 64, 100, 100, 100 };
	for (size_t n = 0; n < N_OF(want); n++)
		if (ratelimit_pair_wait(&small, (long)n, false) != want[n])
			fail_msg("%zu failures: wait %ld, want %ld", n,
			         ratelimit_pair_wait(&small, (long)n, false), want[n]);
	/* Pressed: 1 free, then 50, 100, 200, 400, 800, then the window. */
	const long pressed[] = { 0, 50, 100, 200, 400, 800, 1000, 1000 };
	for (size_t n = 0; n < N_OF(pressed); n++)
		assert_int_equal(ratelimit_pair_wait(&small, (long)n, true), pressed[n]);
	assert_int_equal(ratelimit_pair_wait(&small, -5, false), 0);
	assert_int_equal(ratelimit_pair_wait(&small, -5, true), 0);
	/* Huge counts do not overflow. */
	assert_int_equal(ratelimit_pair_wait(&small, 1L << 40, false), 100);
	assert_int_equal(ratelimit_pair_wait(&small, 1L << 40, true), 1000);
	/* Never decreasing, never above the cap, for both real rules. */
	const struct ratelimit_rule *rules[] = { &appeal_rule, &auth_rule, &small };
	for (size_t i = 0; i < N_OF(rules); i++) {
		for (int p = 0; p < 2; p++) {
			long prev = 0;
			for (long n = 0; n < 200; n++) {
				long w = ratelimit_pair_wait(rules[i], n, p);
				assert_true(w >= prev);
				assert_true(w <= (p ? rules[i]->window : rules[i]->cap));
				prev = w;
			}
			/* Pressed waits are never shorter than unpressed ones. */
			for (long n = 0; n < 200; n++)
				assert_true(ratelimit_pair_wait(rules[i], n, true) >=
				            ratelimit_pair_wait(rules[i], n, false));
		}
	}
}

static void test_pressed(void **state)
{
	(void)state;
	assert_false(ratelimit_pressed(&small, 0));
	assert_false(ratelimit_pressed(&small, 9));
	assert_true(ratelimit_pressed(&small, 10));
	assert_true(ratelimit_pressed(&small, 11));
}

struct before_case {
	const char *id;
	struct ratelimit_counts c;
	int want;
	long retry;
};

static const struct before_case before_cases[] = {
	{ "nothing counted", { 0 }, 0, 0 },
	{ "two failures of the pair", { .pair = 2, .pair_last_age = 0 }, 0, 0 },
	{ "third failure just now: wait 2", { .pair = 3, .pair_last_age = 0 }, -EAGAIN, 2 },
	{ "third failure a second ago", { .pair = 3, .pair_last_age = 1 }, -EAGAIN, 1 },
	{ "third failure two seconds ago", { .pair = 3, .pair_last_age = 2 }, 0, 0 },
	{ "six failures: wait 16", { .pair = 6, .pair_last_age = 10 }, -EAGAIN, 6 },
	{ "many failures: the cap", { .pair = 60, .pair_last_age = 30 }, -EAGAIN, 70 },
	{ "many failures, cap passed", { .pair = 60, .pair_last_age = 100 }, 0, 0 },
	{ "target pressed, pair fresh", { .target = 500 }, 0, 0 },
	{ "target pressed, pair failed once",
	  { .pair = 1, .pair_last_age = 10, .target = 10 },
	  -EAGAIN,
	  40 },
	{ "target pressed, pair failed once long ago",
	  { .pair = 1, .pair_last_age = 50, .target = 10 },
	  0,
	  0 },
	{ "target just under its budget, pair failed once",
	  { .pair = 1, .pair_last_age = 0, .target = 9 },
	  0,
	  0 },
	{ "network's own budget nearly spent", { .client = 19, .client_oldest_age = 5 }, 0, 0 },
	{ "network's own budget spent", { .client = 20, .client_oldest_age = 5 }, -EAGAIN, 55 },
	{ "network's budget, oldest at the edge: at least 1",
	  { .client = 20, .client_oldest_age = 60 },
	  -EAGAIN,
	  1 },
	{ "both: the longer wait",
	  { .pair = 60, .pair_last_age = 10, .client = 25, .client_oldest_age = 30 },
	  -EAGAIN,
	  90 },
	{ "both: the longer wait, the network's",
	  { .pair = 3, .pair_last_age = 0, .client = 25, .client_oldest_age = 30 },
	  -EAGAIN,
	  30 },
};

static void test_before(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(before_cases); i++) {
		const struct before_case *c = &before_cases[i];
		long retry = -42;
		int rc = ratelimit_before(&small, &c->c, &retry);
		if (rc != c->want || (rc && retry != c->retry) || (!rc && retry != -42))
			fail_msg("%s: got %d retry %ld, want %d retry %ld", c->id, rc, retry,
			         c->want, c->retry);
	}
}

/* The promise: a network that has not failed for this target, within its own budget, is
 * never refused before its secret is checked, however many failed elsewhere. */
static void test_fresh_client_never_refused(void **state)
{
	(void)state;
	const struct ratelimit_rule *rules[] = { &appeal_rule, &auth_rule, &small };
	const long targets[] = { 0, 1, 9, 10, 49, 50, 51, 1000, 1L << 40 };
	for (size_t i = 0; i < N_OF(rules); i++) {
		for (size_t t = 0; t < N_OF(targets); t++) {
			for (long client = 0; client < rules[i]->client_limit; client++) {
				struct ratelimit_counts c = { .target = targets[t],
					                      .client = client,
					                      .client_oldest_age = 3 };
				long retry = -1;
				assert_int_equal(ratelimit_before(rules[i], &c, &retry), 0);
			}
		}
	}
}

/* Whatever the target's count, refusal before the check depends only on the pair and the
 * network: with a pair in its free tries, no target count refuses. */
static void test_target_never_refuses_alone(void **state)
{
	(void)state;
	for (long target = 0; target < 200; target++) {
		struct ratelimit_counts c = { .target = target };
		long retry;
		assert_int_equal(ratelimit_before(&appeal_rule, &c, &retry), 0);
		assert_int_equal(ratelimit_before(&auth_rule, &c, &retry), 0);
	}
}

static void test_after_failure(void **state)
{
	(void)state;
	bool limited = true;
	long retry = -1;
	struct ratelimit_counts c = { 0 };
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, &retry), 0);
	assert_false(limited);
	assert_int_equal(retry, 0);
	/* The third wrong answer of a pair starts its wait. */
	c.pair = 2;
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, &retry), 0);
	assert_false(limited);
	assert_int_equal(retry, 2);
	/* The budget's last wrong answer is answered plainly, but the pair now waits the
	 * pressed way; the next one over the budget is answered 429. */
	c = (struct ratelimit_counts){ .target = 9 };
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, &retry), 0);
	assert_false(limited);
	assert_int_equal(retry, 50);
	c.target = 10;
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, &retry), 0);
	assert_true(limited);
	assert_int_equal(retry, 50);
	c.pair = 3;
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, &retry), 0);
	assert_true(limited);
	assert_int_equal(retry, 400);
	/* Bad input: outputs untouched. */
	limited = false;
	retry = -7;
	c.pair = -1;
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, &retry), -EINVAL);
	assert_false(limited);
	assert_int_equal(retry, -7);
	c.pair = 0;
	assert_int_equal(ratelimit_after_failure(&small, &c, NULL, &retry), -EINVAL);
	assert_int_equal(ratelimit_after_failure(&small, &c, &limited, NULL), -EINVAL);
	assert_int_equal(ratelimit_after_failure(NULL, &c, &limited, &retry), -EINVAL);
	assert_int_equal(ratelimit_after_failure(&small, NULL, &limited, &retry), -EINVAL);
}

static void test_before_bad_input(void **state)
{
	(void)state;
	long retry = -7;
	struct ratelimit_counts c = { 0 };
	assert_int_equal(ratelimit_before(NULL, &c, &retry), -EINVAL);
	assert_int_equal(ratelimit_before(&small, NULL, &retry), -EINVAL);
	assert_int_equal(ratelimit_before(&small, &c, NULL), -EINVAL);
	struct ratelimit_rule bad = small;
	bad.base = 0;
	assert_int_equal(ratelimit_before(&bad, &c, &retry), -EINVAL);
	const struct ratelimit_counts negative[] = {
		{ .pair = -1 },   { .pair_last_age = -1 },
		{ .client = -1 }, { .client_oldest_age = -1 },
		{ .target = -1 },
	};
	for (size_t i = 0; i < N_OF(negative); i++)
		assert_int_equal(ratelimit_before(&small, &negative[i], &retry), -EINVAL);
	assert_int_equal(retry, -7);
}

/*
 * One network guessing one target as fast as the rule lets it, for one window: the number
 * of wrong answers that get checked. Failures older than the window are forgotten.
 */
static long checked_in_window(const struct ratelimit_rule *r, bool pressed)
{
	long times[4096];
	long n = 0;
	for (long now = 0; now < r->window && n < (long)N_OF(times);) {
		struct ratelimit_counts c = {
			.pair = n,
			.pair_last_age = n ? now - times[n - 1] : 0,
			.target = pressed ? r->target_budget : 0,
		};
		long retry;
		if (ratelimit_before(r, &c, &retry) == 0) {
			times[n++] = now;
			continue; /* tries again at once */
		}
		now += retry;
	}
	return n;
}

static void test_guesses_per_network(void **state)
{
	(void)state;
	/* Appeal codes and passwords: at most 40 checked wrong answers per network, per
	 * target, per day; a dozen while the target is pressed. */
	const struct ratelimit_rule *rules[] = { &appeal_rule, &auth_rule };
	for (size_t i = 0; i < N_OF(rules); i++) {
		long free_run = checked_in_window(rules[i], false);
		long pressed = checked_in_window(rules[i], true);
		assert_true(free_run >= rules[i]->free_tries);
		assert_true(free_run <= 40);
		assert_true(pressed >= 1);
		assert_true(pressed <= 12);
	}
	/* The small rule, counted by hand: 3 free, waits 2..64 (6 tries, 126 s), then one
	 * each 100 s for the remaining 874 s (9 tries: at 226, 326, ..., 926) plus the first
	 * at 126: 3 + 6 + 9 = 18 at most. */
	long n = checked_in_window(&small, false);
	assert_true(n >= 17 && n <= 19);
	/* Pressed: 1 free, then 50, 100, 200, 400 (at 50, 150, 350, 750); 800 would pass the
	 * window. */
	assert_int_equal(checked_in_window(&small, true), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_valid),
		cmocka_unit_test(test_pair_wait),
		cmocka_unit_test(test_pressed),
		cmocka_unit_test(test_before),
		cmocka_unit_test(test_fresh_client_never_refused),
		cmocka_unit_test(test_target_never_refuses_alone),
		cmocka_unit_test(test_after_failure),
		cmocka_unit_test(test_before_bad_input),
		cmocka_unit_test(test_guesses_per_network),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
