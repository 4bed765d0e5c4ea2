/*
 * guess.c - the limits on guessing a secret, applied to a request. See guess.h.
 *
 * API layer: the request's client network, the store's counts and the domain's rule.
 */
#include "api/guess.h"

#include <errno.h>

#include "api/api.h"
#include "core/log.h"

/* 429 with Retry-After: @wait seconds (at least 1); @everywhere when the target's budget is
 * spent rather than this client's own allowance. */
static int too_many(struct http_response *res, struct arena *a, const struct guess *g, long wait,
                    bool everywhere)
{
	if (wait < 1)
		wait = 1;
	http_header_add(res, "Retry-After", arena_printf(a, "%ld", wait));
	long minutes = (wait + 59) / 60;
	const char *s = minutes == 1 ? "" : "s";
	if (everywhere)
		return http_problem(res, 429, NULL,
		                    "Too many %s have been tried for this %s, from many places; "
		                    "try again from here in %ld minute%s.",
		                    g->what, g->noun, minutes, s);
	return http_problem(res, 429, NULL, "Too many %s from here; try again in %ld minute%s.",
	                    g->what, minutes, s);
}

int guess_before(struct http_request *req, struct http_response *res, struct store *st,
                 struct guess *g)
{
	struct arena *a = req->arena;
	g->network = http_client_network(req);
	const char *p[] = { g->target, g->network, arena_printf(a, "%ld", g->rule->client_window),
		            arena_printf(a, "%ld", g->rule->window) };
	struct store_result *r;
	int rc = store_exec(st, a, g->counts, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	g->c = (struct ratelimit_counts){
		.pair = (long)store_value_int(r, 0, 0),
		.pair_last_age = (long)store_value_int(r, 0, 1),
		.client = (long)store_value_int(r, 0, 2),
		.client_oldest_age = (long)store_value_int(r, 0, 3),
		.target = (long)store_value_int(r, 0, 4),
	};
	long wait;
	rc = ratelimit_before(g->rule, &g->c, &wait);
	if (rc == 0)
		return 0;
	if (rc != -EAGAIN)
		return http_problem(res, 500, NULL, "The failure counts could not be read.");
	log_warn("limits: a try from %s refused: too many %s", g->network, g->what);
	return too_many(res, a, g, wait, false);
}

int guess_failed(struct http_request *req, struct http_response *res, struct store *st,
                 struct guess *g)
{
	struct arena *a = req->arena;
	const char *p[] = { g->target, g->network, arena_printf(a, "%ld", g->rule->window) };
	int rc = store_exec(st, a, g->add, p, NULL);
	if (rc < 0)
		return api_store_error(res, st, rc);
	bool limited;
	long wait;
	if (ratelimit_after_failure(g->rule, &g->c, &limited, &wait) < 0)
		return http_problem(res, 500, NULL, "The failure counts could not be read.");
	if (!limited)
		return 0;
	log_warn("limits: %s from %s over the target's budget", g->what, g->network);
	return too_many(res, a, g, wait, true);
}

int guess_succeeded(struct http_request *req, struct http_response *res, struct store *st,
                    struct guess *g)
{
	const char *p[] = { g->target, g->network };
	int rc = store_exec(st, req->arena, g->clear, p, NULL);
	return rc < 0 ? api_store_error(res, st, rc) : 0;
}
