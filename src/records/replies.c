/*
 * replies.c - the operator's right to reply: a statement published beside the grade, posted
 * with the licence number and appeal code from the inspection report; a newer statement
 * replaces the older. A clerk may remove offensive wording (publishing an edited text) or
 * withdraw the statement, always saying why; the text as posted stays in the database and
 * is never published again. The statement's text is not copied into the public log, so a
 * removal really removes it from public view.
 */
#include "records/replies.h"

#include "core/util.h"
#include "domain/appeal.h"
#include "records/log.h"

int rec_reply_publish(struct rec *r, const struct rec_operator *op, const char *text,
                      const char **ret_id)
{
	struct store_result *res;
	const char *ps[] = { op->establishment_id };
	const char *pc[] = { op->establishment_id, op->inspection_id, text };
	int rc;
	if ((rc = rec_operator_may(r, op, POLICY_OPERATOR_REPLY)) < 0 || (rc = rec_begin(r)) < 0 ||
	    (rc = rec_exec(r, STMT_REPLY_SUPERSEDE, ps, NULL)) < 0 ||
	    (rc = rec_exec(r, STMT_REPLY_CREATE, pc, &res)) < 0)
		return rc;
	const char *id = store_get(res, 0, "id");
	if ((rc = rec_event(r, "reply.published",
	                    arena_printf(r->a, "establishment/%s", op->establishment_id),
	                    json_pack("{s:s, s:s, s:i}", "reply", id, "inspection",
	                              op->inspection_id, "characters",
	                              (int)appeal_text_length(text)))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	*ret_id = id;
	return 0;
}

int rec_reply_moderate(struct rec *r, const char *id, const char *text, const char *reason,
                       bool removed, const char **ret_establishment)
{
	struct store_result *res;
	const char *pi[] = { id };
	const char *p[] = { id, removed ? NULL : text, r->staff ? rec_num(r, r->staff->id) : NULL,
		            reason };
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_REPLY_INSPECTION, pi, &res)) < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.reply.not_found", "id", id, NULL);
	/* Not by staff who took part in the inspection the reply answers. */
	if ((rc = rec_duty_check(r, store_get(res, 0, "inspection_id"), POLICY_REPLY_MODERATE)) <
	            0 ||
	    (rc = rec_exec(r, STMT_REPLY_MODERATE, p, &res)) < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.reply.not_found", "id", id, NULL);
	const char *est = store_get(res, 0, "establishment_id");
	/* The reason is shown with the published reply (a withdrawn reply shows nothing); the
	 * log carries only its reference and salted hash. */
	json_t *reason_ref;
	if ((rc = rec_log_text(r, "operator_reply.moderation_reason", id, !removed, reason,
	                       &reason_ref)) < 0 ||
	    (rc = rec_event(r, removed ? "reply.removed" : "reply.moderated",
	                    arena_printf(r->a, "establishment/%s", est),
	                    json_pack("{s:s, s:o}", "reply", id, "reason", reason_ref))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		return rc;
	*ret_establishment = est;
	return 0;
}
