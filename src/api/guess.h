/*
 * guess.h - the limits on guessing a secret (src/domain/ratelimit.h) applied to a request:
 * an appeal code for a licence number, a password for a username. The failures are counted
 * in the database per client network (http_client_network()) and target.
 *
 * The order of a check: guess_before() (refuses only on the pair's own backoff or the
 * network's own budget), then the handler checks the secret, then guess_failed() or
 * guess_succeeded().
 *
 * API layer.
 */
#ifndef PLACARD_API_GUESS_H
#define PLACARD_API_GUESS_H

#include <stdbool.h>

#include "domain/ratelimit.h"
#include "http/http.h"
#include "store/statements.h"
#include "store/store.h"

struct guess {
	const struct ratelimit_rule *rule;
	enum store_stmt counts, add, clear; /* $1 target, $2 network: the three statements */
	const char *target;                 /* as the failure table holds it */
	const char *what;                   /* "wrong appeal codes", for the 429's detail */
	const char *noun;                   /* "licence number", what the target is */
	const char *network;                /* filled by guess_before() */
	struct ratelimit_counts c;          /* filled by guess_before() */
};

/*
 * Count the failures so far and decide whether the secret may be checked. 0 when it may;
 * otherwise the status of the answer filled (429 with Retry-After, or a store error).
 */
int guess_before(struct http_request *req, struct http_response *res, struct store *st,
                 struct guess *g);

/*
 * Record a wrong secret. 0 when the plain refusal is to be answered (the caller writes it),
 * or the status of the answer filled: 429 with Retry-After when the target's budget is
 * spent, or a store error.
 */
int guess_failed(struct http_request *req, struct http_response *res, struct store *st,
                 struct guess *g);

/* The right secret: forget this pair's failures. 0 or the status of a store error. */
int guess_succeeded(struct http_request *req, struct http_response *res, struct store *st,
                    struct guess *g);

#endif
