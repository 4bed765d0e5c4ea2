/*
 * duties.c - the separation of duties for handlers: records/duties.c asked on a request's
 * behalf, its refusal answered.
 */
#include "api/api.h"

int api_duty_check(struct http_request *req, struct http_response *res, struct store *st,
                   const char *inspection_id, enum policy_action what)
{
	struct rec r = api_rec(req, STORE_WRITE);
	r.st = st;
	return rec_duty_check(&r, inspection_id, what) < 0 ? api_refused(res, &r) : 0;
}
