/*
 * log.c - the public event log: GET /api/v1/log?after=N&limit=M pages through the sealed
 * entries with their hashes, GET /api/v1/log/head gives the newest hash, so anyone can
 * recompute the chain and keep the head they saw. GET /api/v1/log/texts/{id} shows a text the
 * public is meant to read with the salt of the hash its log entry carries.
 *
 * What goes into the log is written by records/log.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "records/log.h"
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
	struct rec r = { .st = st, .a = a };
	return rec_event(&r, kind, subject, payload);
}

int api_log_text(struct store *st, struct arena *a, const char *source, const char *source_id,
                 bool public_text, const char *text, json_t **ret)
{
	struct rec r = { .st = st, .a = a };
	return rec_log_text(&r, source, source_id, public_text, text, ret);
}

int api_log_text_get(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_LOG_TEXT_PUBLIC_JSON, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	/* An internal text (a review note, a licence action's reason) is not published: the
	 * same answer as for none. */
	if (!store_value(r, 0, 0))
		return http_problem(res, 404, NULL, "There is no published text %s.", id);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, store_value(r, 0, 0));
}
