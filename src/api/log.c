/*
 * log.c - the public event log: GET /api/v1/log?after=N&limit=M pages through the sealed
 * entries with their hashes, GET /api/v1/log/head gives the newest hash, so anyone can
 * recompute the chain and keep the head they saw.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "core/util.h"

#define LOG_PAGE_DEFAULT 100
#define LOG_PAGE_MAX     1000

int api_log_page(struct http_request *req, struct http_response *res)
{
	long long after = 0, limit;
	const char *q = http_query(req, "after");
	if (q && parse_int64(q, 0, INT64_MAX, &after) < 0)
		return http_problem(res, 400, "after",
		                    "\"after\" must be a sequence number (0 or more).");
	int status = api_query_limit(req, res, LOG_PAGE_DEFAULT, LOG_PAGE_MAX, &limit);
	if (status)
		return status;
	char a[24], l[24];
	snprintf(a, sizeof(a), "%lld", after);
	snprintf(l, sizeof(l), "%lld", limit);
	const char *p[] = { a, l };
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	int rc = store_exec(st, req->arena, STMT_LOG_PAGE, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	/* Whoever checks the log must see what the database holds now, not a copy a cache kept
	 * from before a change: every use asks again (the ETag makes an unchanged page cheap). */
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, store_value(r, 0, 0));
}

int api_log_head(struct http_request *req, struct http_response *res)
{
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	int rc = store_exec(st, req->arena, STMT_LOG_HEAD, NULL, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, store_value(r, 0, 0));
}

int api_event(struct store *st, struct arena *a, const char *kind, const char *subject,
              json_t *payload)
{
	json_arena(a, payload);
	char *text = json_dump_compact(payload, NULL);
	arena_defer(a, free, text);
	const char *p[] = { kind, subject, text };
	return store_exec(st, a, STMT_EVENT_APPEND, p, NULL);
}
