/*
 * guess.h - the limits on guessing a secret (src/domain/ratelimit.h) applied to a records
 * call: an appeal code for a licence number, a password for a username. The failures are
 * counted in the database per client network (rec->client) and target.
 *
 * The order of a check: guess_before() (refuses only on the pair's own backoff or the
 * network's own budget), then the handler checks the secret, then guess_failed() or
 * guess_succeeded().
 */
#ifndef PLACARD_RECORDS_GUESS_H
#define PLACARD_RECORDS_GUESS_H

#include <stdbool.h>

#include "domain/ratelimit.h"
#include "records/records.h"
#include "store/statements.h"
#include "store/store.h"

struct guess {
	const struct ratelimit_rule *rule;
	enum store_stmt counts, add, clear; /* $1 target, $2 network: the three statements */
	const char *target;                 /* as the failure table holds it */
	const char *what;                   /* "wrong appeal codes", for the log */
	const char *too_many_here;          /* message of the 429 for this client's own allowance */
	const char *too_many_everywhere;    /* and for the target's budget ({minutes} in both) */
	const char *network;                /* filled by guess_before(): rec->client */
	struct ratelimit_counts c;          /* filled by guess_before() */
};

/*
 * Count the failures so far and decide whether the secret may be checked. 0 when it may;
 * otherwise the refusal (429 with Retry-After, or a store error).
 */
int guess_before(struct rec *r, struct guess *g);

/*
 * Record a wrong secret. 0 when the caller is to refuse as it does for any wrong secret, or
 * a refusal of its own: 429 with Retry-After when the target's budget is spent, or a store
 * error.
 */
int guess_failed(struct rec *r, struct guess *g);

/* The right secret: forget this pair's failures. 0 or a store error. */
int guess_succeeded(struct rec *r, struct guess *g);

#endif
