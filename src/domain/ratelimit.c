/*
 * ratelimit.c - limits on guessing a secret that an attacker cannot aim. See ratelimit.h.
 *
 * Domain layer: standard C only, no I/O.
 */
#include "domain/ratelimit.h"

#include <errno.h>
#include <stddef.h>

bool ratelimit_rule_valid(const struct ratelimit_rule *r)
{
	return r && r->window > 0 && r->free_tries > 0 && r->base > 0 && r->cap >= r->base &&
	       r->cap <= r->window && r->target_budget > 0 && r->pressed_base > 0 &&
	       r->pressed_base <= r->window && r->client_window > 0 && r->client_limit > 0;
}

bool ratelimit_pressed(const struct ratelimit_rule *r, long target_failures)
{
	return target_failures >= r->target_budget;
}

long ratelimit_pair_wait(const struct ratelimit_rule *r, long pair_failures, bool pressed)
{
	long free_tries = pressed ? 1 : r->free_tries;
	long wait = pressed ? r->pressed_base : r->base;
	long cap = pressed ? r->window : r->cap;
	if (pair_failures < free_tries)
		return 0;
	for (long n = pair_failures - free_tries; n > 0 && wait < cap; n--)
		wait = wait > cap / 2 ? cap : wait * 2;
	return wait < cap ? wait : cap;
}

static bool counts_valid(const struct ratelimit_counts *c)
{
	return c && c->pair >= 0 && c->pair_last_age >= 0 && c->client >= 0 &&
	       c->client_oldest_age >= 0 && c->target >= 0;
}

int ratelimit_before(const struct ratelimit_rule *r, const struct ratelimit_counts *c,
                     long *ret_retry_after)
{
	if (!ratelimit_rule_valid(r) || !counts_valid(c) || !ret_retry_after)
		return -EINVAL;
	long wait = 0;
	long backoff = ratelimit_pair_wait(r, c->pair, ratelimit_pressed(r, c->target));
	if (backoff > c->pair_last_age)
		wait = backoff - c->pair_last_age;
	if (c->client >= r->client_limit) {
		long w = r->client_window - c->client_oldest_age;
		if (w < 1)
			w = 1;
		wait = w > wait ? w : wait;
	}
	if (wait == 0)
		return 0;
	*ret_retry_after = wait;
	return -EAGAIN;
}

int ratelimit_after_failure(const struct ratelimit_rule *r, const struct ratelimit_counts *c,
                            bool *ret_limited, long *ret_retry_after)
{
	if (!ratelimit_rule_valid(r) || !counts_valid(c) || !ret_limited || !ret_retry_after)
		return -EINVAL;
	/* This wrong answer is number target + 1: over the budget when target >= budget. */
	*ret_limited = ratelimit_pressed(r, c->target);
	*ret_retry_after = ratelimit_pair_wait(r, c->pair + 1, ratelimit_pressed(r, c->target + 1));
	return 0;
}
