/*
 * log.c - what goes into the public event log: events, appended inside the caller's
 * transaction and sealed into the chain by the sealer (store/sealer.c); and free text,
 * which never enters the log (sql/0022_log_text.sql): it is kept in log_text, where it can
 * be erased, and the entry carries a reference and a salted hash instead.
 */
#include "records/log.h"

#include <stdlib.h>

int rec_event(struct rec *r, const char *kind, const char *subject, json_t *payload)
{
	json_arena(r->a, payload);
	char *text = json_dump_compact(payload, NULL);
	arena_defer(r->a, free, text);
	const char *p[] = { kind, subject, text };
	return rec_exec(r, STMT_EVENT_APPEND, p, NULL);
}

int rec_log_text(struct rec *r, const char *source, const char *source_id, bool public_text,
                 const char *text, json_t **ret)
{
	if (!text) {
		*ret = json_null();
		return 0;
	}
	struct store_result *res;
	const char *p[] = { source, source_id, public_text ? "t" : "f", text };
	int rc = rec_exec(r, STMT_LOG_TEXT_PUT, p, &res);
	if (rc < 0)
		return rc;
	json_t *ref = json_loads(store_get(res, 0, "ref"), 0, NULL);
	if (!ref)
		return rec_refuse(r, 500, NULL, "records.log.reference_unreadable", NULL);
	*ret = ref;
	return 0;
}

int rec_log_page(struct rec *r, long long after, long long limit, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { rec_num(r, after), rec_num(r, limit) };
	int rc = rec_exec(r, STMT_LOG_PAGE, p, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "json");
	return 0;
}

int rec_log_subject(struct rec *r, const char *subject, long long after, long long limit,
                    const struct rec_tlog_signer *s, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { subject,
		            rec_num(r, after),
		            rec_num(r, limit),
		            s ? s->vkey : NULL,
		            s ? s->origin : NULL,
		            s && s->has_previous ? s->previous_vkey : NULL };
	int rc = rec_exec(r, STMT_LOG_SUBJECT, p, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "json");
	return 0;
}

int rec_log_head(struct rec *r, const char **ret_json)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_LOG_HEAD, NULL, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "json");
	return 0;
}

int rec_log_text_public(struct rec *r, const char *id, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_LOG_TEXT_PUBLIC_JSON, p, &res);
	if (rc < 0)
		return rc;
	/* An internal text (a review note, a licence action's reason) is not published: the
	 * same answer as for none. */
	*ret_json = store_get(res, 0, "json");
	if (!*ret_json)
		return rec_refuse(r, 404, NULL, "records.log.text_not_found", "id", id, NULL);
	return 0;
}
