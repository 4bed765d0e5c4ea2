/*
 * log.c - the public event log: GET /api/v1/log?after=N&limit=M pages through the sealed
 * entries with their hashes, GET /api/v1/log/head gives the newest hash, so anyone can
 * recompute the chain and keep the head they saw; GET /api/v1/log/entries?subject=S gives the
 * entries about one thing (an inspection), so that a page can check them in the tree. GET
 * /api/v1/log/texts/{id} shows a text the public is meant to read with the salt of the hash
 * its log entry carries.
 *
 * What goes into the log is written, and read, by records/log.c.
 */
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "api/tlog.h"
#include "core/util.h"
#include "records/log.h"

#define LOG_PAGE_DEFAULT 100
#define LOG_PAGE_MAX     1000
/* event_log.subject is at most 100 characters. */
#define LOG_SUBJECT_MAX 100

int api_log_page(struct http_request *req, struct http_response *res)
{
	long long after = 0, limit;
	const char *q = http_query(req, "after"), *json;
	if (q && parse_int64(q, 0, INT64_MAX, &after) < 0)
		return http_problem(res, 400, "after", "api.log.after", NULL);
	int status = api_query_limit(req, res, LOG_PAGE_DEFAULT, LOG_PAGE_MAX, &limit);
	if (status)
		return status;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_log_page(&r, after, limit, &json) < 0)
		return api_refused(res, &r);
	/* Whoever checks the log must see what the database holds now, not a copy a cache kept
	 * from before a change: every use asks again (the ETag makes an unchanged page cheap). */
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, json);
}

int api_log_entries(struct http_request *req, struct http_response *res)
{
	long long after = 0, limit;
	const char *subject = http_query(req, "subject"), *q = http_query(req, "after"), *json;
	if (!subject || !*subject || strlen(subject) > LOG_SUBJECT_MAX)
		return http_problem(res, 400, "subject", "api.log.subject", "max",
		                    I18N_INT(LOG_SUBJECT_MAX), NULL);
	if (q && parse_int64(q, 0, INT64_MAX, &after) < 0)
		return http_problem(res, 400, "after", "api.log.after", NULL);
	int status = api_query_limit(req, res, LOG_PAGE_DEFAULT, LOG_PAGE_MAX, &limit);
	if (status)
		return status;
	/* With the key the checkpoints are signed with, so that a reader knows what to check
	 * the entries' inclusion against without asking for a key this server may not have. */
	const struct rec_tlog_signer *s = api_tlog_signer();
	struct rec r = api_rec(req, STORE_READ);
	if (rec_log_subject(&r, subject, after, limit, s, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, json);
}

int api_log_head(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_log_head(&r, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, json);
}

int api_log_text_get(struct http_request *req, struct http_response *res)
{
	const char *json;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_log_text_public(&r, http_param(req, "id")->value, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, json);
}
