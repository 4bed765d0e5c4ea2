/*
 * guess.c - the limits on guessing a secret. See guess.h. The client's network comes with
 * the call, the counts from the store, the rule from the domain.
 */
#include "records/guess.h"

#include <errno.h>
#include <limits.h>

#include "core/log.h"

/* 429 with Retry-After: @wait seconds (at least 1); @everywhere when the target's budget is
 * spent rather than this client's own allowance. */
static int too_many(struct rec *r, const struct guess *g, long wait, bool everywhere)
{
	if (wait < 1)
		wait = 1;
	long minutes = (wait + 59) / 60;
	int rc = rec_refuse(r, 429, NULL, everywhere ? g->too_many_everywhere : g->too_many_here,
	                    "minutes", I18N_INT(minutes), NULL);
	r->problem.retry_after = wait > INT_MAX ? INT_MAX : (int)wait;
	return rc;
}

int guess_before(struct rec *r, struct guess *g)
{
	g->network = r->client ? r->client : "";
	const char *p[] = { g->target, g->network, rec_num(r, g->rule->client_window),
		            rec_num(r, g->rule->window) };
	struct store_result *res;
	int rc = rec_exec(r, g->counts, p, &res);
	if (rc < 0)
		return rc;
	g->c = (struct ratelimit_counts){
		.pair = (long)store_get_int(res, 0, "pair"),
		.pair_last_age = (long)store_get_int(res, 0, "pair_last_age"),
		.client = (long)store_get_int(res, 0, "client"),
		.client_oldest_age = (long)store_get_int(res, 0, "client_oldest_age"),
		.target = (long)store_get_int(res, 0, "target"),
	};
	long wait;
	rc = ratelimit_before(g->rule, &g->c, &wait);
	if (rc == 0)
		return 0;
	if (rc != -EAGAIN)
		return rec_refuse(r, 500, NULL, "records.guess.counts_unreadable", NULL);
	log_warn("limits: a try from %s refused: too many %s", g->network, g->what);
	return too_many(r, g, wait, false);
}

int guess_failed(struct rec *r, struct guess *g)
{
	const char *p[] = { g->target, g->network, rec_num(r, g->rule->window) };
	int rc = rec_exec(r, g->add, p, NULL);
	if (rc < 0)
		return rc;
	bool limited;
	long wait;
	if (ratelimit_after_failure(g->rule, &g->c, &limited, &wait) < 0)
		return rec_refuse(r, 500, NULL, "records.guess.counts_unreadable", NULL);
	if (!limited)
		return 0;
	log_warn("limits: %s from %s over the target's budget", g->what, g->network);
	return too_many(r, g, wait, true);
}

int guess_succeeded(struct rec *r, struct guess *g)
{
	const char *p[] = { g->target, g->network };
	return rec_exec(r, g->clear, p, NULL);
}
