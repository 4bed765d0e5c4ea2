/*
 * replies.c - the operator's right to reply: a statement published beside the grade, posted
 * with the licence number and appeal code from the inspection report; a newer statement
 * replaces the older. A clerk may remove offensive wording (publishing an edited text) or
 * withdraw the statement, always saying why; the text as posted stays in the database and
 * is never published again. The statement's text is not copied into the public log, so a
 * removal really removes it from public view.
 *
 * API layer: HTTP to the store.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/request_docs.h"
#include "core/util.h"
#include "domain/appeal.h"

int api_operator_reply(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	struct json_error err;
	struct operator_reply rp;
	struct rec_operator op;
	int rc;
	if (operator_reply_read(a, req->body, req->body_len, &rp, &err) < 0)
		return api_json_error(res, &err);
	if ((rc = api_operator_auth(req, res, rp.body, &op)) ||
	    (rc = api_operator_may(req, res, &op, POLICY_OPERATOR_REPLY)))
		return rc;
	const char *text = rp.text;

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *ps[] = { op.establishment_id };
	const char *pc[] = { op.establishment_id, op.inspection_id, text };
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_REPLY_SUPERSEDE, ps, NULL)) < 0 ||
	    (rc = store_exec(st, a, STMT_REPLY_CREATE, pc, &r)) < 0 ||
	    (rc = api_event(st, a, "reply.published",
	                    arena_printf(a, "establishment/%s", op.establishment_id),
	                    json_pack("{s:s, s:s, s:i}", "reply", store_value(r, 0, 0),
	                              "inspection", op.inspection_id, "characters",
	                              (int)appeal_text_length(text)))) < 0 ||
	    (rc = store_commit(st)) < 0) {
		store_rollback(st);
		return api_store_error(res, st, rc);
	}
	return api_json(res, 201,
	                json_arena(a, json_pack("{s:I, s:I, s:s}", "id",
	                                        id_value(store_value(r, 0, 0)), "establishment_id",
	                                        id_value(op.establishment_id), "text", text)));
}

int api_reply_moderate(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	struct reply_moderation m;
	int rc;
	if (reply_moderation_read(a, req->body, req->body_len, &m, &err) < 0)
		return api_json_error(res, &err);
	const char *text = m.text, *reason = m.reason;
	bool removed = m.removed; /* no text, or only blanks: withdrawn from public view */
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	char user[24];
	snprintf(user, sizeof(user), "%lld", (long long)api_user(req)->id);
	const char *p[] = { id, removed ? NULL : text, user, reason };
	if ((rc = store_begin(st)) < 0)
		return api_store_error(res, st, rc);
	/* Not by staff who took part in the inspection the reply answers. */
	const char *pi[] = { id };
	if ((rc = store_exec(st, a, STMT_REPLY_INSPECTION, pi, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 404, NULL, "There is no current reply %s.", id);
	}
	int status = api_duty_check(req, res, st, store_value(r, 0, 0), POLICY_REPLY_MODERATE);
	if (status) {
		store_rollback(st);
		return status;
	}
	if ((rc = store_exec(st, a, STMT_REPLY_MODERATE, p, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 404, NULL, "There is no current reply %s.", id);
	}
	/* The reason is shown with the published reply (a withdrawn reply shows nothing); the
	 * log carries only its reference and salted hash. */
	json_t *reason_ref;
	if ((rc = api_log_text(st, a, "operator_reply.moderation_reason", id, !removed, reason,
	                       &reason_ref)) < 0 ||
	    (rc = api_event(st, a, removed ? "reply.removed" : "reply.moderated",
	                    arena_printf(a, "establishment/%s", store_value(r, 0, 0)),
	                    json_pack("{s:s, s:o}", "reply", id, "reason", reason_ref))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	json_t *out = json_pack("{s:I, s:I, s:b, s:s}", "id", id_value(id), "establishment_id",
	                        id_value(store_value(r, 0, 0)), "removed", removed,
	                        "moderation_reason", reason);
	json_object_set_new(out, "published_text", removed ? json_null() : json_string(text));
	return api_json(res, 200, json_arena(a, out));
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
}
