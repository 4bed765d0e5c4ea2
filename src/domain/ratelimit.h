/*
 * ratelimit.h - limits on guessing a secret (an appeal code, a staff password) that an
 * attacker cannot aim at the person the secret belongs to.
 *
 * Wrong answers are counted three ways, from the rows the database keeps:
 *   - per pair: one client network (an IPv4 address, or an IPv6 /64) and one target (a
 *     licence number, a username, as typed). After a few wrong answers the pair waits
 *     before its next try, twice as long after each further one, up to a cap. This is the
 *     only count about a target that can refuse a try before its secret is checked, and
 *     only the pair's own failures feed it.
 *   - per client network, whatever the targets: the network's own budget, so that one
 *     network cannot spray guesses over many targets. It too refuses before the check, but
 *     only the network's own failures feed it.
 *   - per target, from every network: the target's budget. While it is spent the target is
 *     "pressed" (guessed at from many places): a wrong answer is answered 429, not 403/401,
 *     and every pair of that target waits from its first wrong answer, with a longer first
 *     wait and a cap of the whole window. It never refuses a try before the check, so a
 *     client that has not failed itself always has its secret checked, and a right secret
 *     always succeeds, however many wrong ones were tried from elsewhere.
 *
 * What that bounds: a client network evaluates at most free_tries + log2(cap / base) + window
 * / cap wrong answers per target per window, and a pressed target lets each network at most
 * 1 + log2(window / pressed_base) per window. Guessing is bounded by the networks an attacker
 * holds times that figure, not by one shared count, because a shared count that refuses
 * before the check is exactly the lockout an attacker aims (docs/operations.md gives the
 * arithmetic for appeal codes and passwords).
 *
 * Domain layer: pure functions over plain values. Standard C only; no I/O, no clock
 * (callers pass counts and ages the database measured).
 *
 * Error convention: 0 or a negative errno code; outputs named ret_* are left untouched on
 * failure.
 */
#ifndef PLACARD_DOMAIN_RATELIMIT_H
#define PLACARD_DOMAIN_RATELIMIT_H

#include <stdbool.h>

/* The figures of one kind of secret, all in seconds or counts; all positive. */
struct ratelimit_rule {
	long window;        /* how long wrong answers are remembered, for pairs and targets */
	long free_tries;    /* wrong answers a pair may give before it waits */
	long base;          /* the first wait; each further wrong answer doubles it */
	long cap;           /* the longest wait */
	long target_budget; /* wrong answers for one target, from anywhere, within window */
	long pressed_base;  /* the first wait of a pair while its target is pressed */
	long client_window; /* the client network's own budget: this many seconds, */
	long client_limit;  /* this many wrong answers, whatever the targets */
};

/* What the database counted before this try, within the rule's windows. */
struct ratelimit_counts {
	long pair;              /* wrong answers of this network for this target, in window */
	long pair_last_age;     /* seconds since the latest of them (0 when there are none) */
	long client;            /* wrong answers of this network, any target, in client_window */
	long client_oldest_age; /* seconds since the oldest of those (0 when there are none) */
	long target;            /* wrong answers for this target, any network, in window */
};

/* True when @r is usable: every figure positive, base <= cap <= window, pressed_base <=
 * window. */
bool ratelimit_rule_valid(const struct ratelimit_rule *r);

/* True when the target's budget is spent: @target_failures >= target_budget. */
bool ratelimit_pressed(const struct ratelimit_rule *r, long target_failures);

/*
 * The seconds a pair must wait after its latest wrong answer, given @pair_failures wrong
 * answers in the window and whether its target is @pressed: 0 below the free tries (1 when
 * pressed), then base (pressed_base when pressed) doubled for each further wrong answer, at
 * most cap (window when pressed). Negative counts count as 0.
 */
long ratelimit_pair_wait(const struct ratelimit_rule *r, long pair_failures, bool pressed);

/*
 * Before the secret is checked: may this try go on? 0 when it may. -EAGAIN when the pair is
 * still waiting out its own backoff or the client network's own budget is spent, with
 * *@ret_retry_after the seconds until the try would be let through (at least 1; the larger
 * when both apply). The target's count alone never refuses. -EINVAL on NULL, an invalid
 * rule or negative counts.
 */
int ratelimit_before(const struct ratelimit_rule *r, const struct ratelimit_counts *c,
                     long *ret_retry_after);

/*
 * After a wrong answer, @c being the counts before it was recorded: *@ret_limited is true
 * when the answer is to be 429 rather than the plain refusal (the target's budget is spent,
 * this wrong answer included), and *@ret_retry_after is the seconds the pair now waits
 * before its next try (0 when it need not wait). 0, or -EINVAL as ratelimit_before().
 */
int ratelimit_after_failure(const struct ratelimit_rule *r, const struct ratelimit_counts *c,
                            bool *ret_limited, long *ret_retry_after);

#endif
