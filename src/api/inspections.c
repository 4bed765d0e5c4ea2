/*
 * inspections.c - inspections from draft to submission, amendments, and their public record.
 *
 * An inspector creates an inspection with an Idempotency-Key (a tablet that retries after a
 * lost reply gets the first result back and never a second inspection), edits the draft,
 * and submits it. Submission grades the inspection with the establishment's published
 * scheme, stores the score, grade and explanation, updates the posted grade, and logs it,
 * all in one transaction. A submitted inspection never changes: a correction is a new
 * inspection that amends it, with a reason, and both stay on the record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "records/inspections.h"
#include "records/schemes.h"
#include "api/inspection_doc.h"
#include "api/tablet.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"

#define IDEMPOTENCY_KEY_MAX 200

static const char *num(struct arena *a, long long v)
{
	return arena_printf(a, "%lld", v);
}

static const char *boolstr(bool b)
{
	return b ? "true" : "false";
}

/* Store the violations of @d for inspection @id (replacing any). */
static int store_violations(struct store *st, struct arena *a, const char *id, const char *scheme,
                            const struct inspection_doc *d)
{
	const char *pd[] = { id };
	int rc = store_exec(st, a, STMT_VIOLATIONS_DELETE, pd, NULL);
	for (size_t i = 0; rc == 0 && i < d->nviol; i++) {
		const char *p[] = { id,
			            scheme,
			            d->viol[i].code,
			            d->viol[i].observed,
			            num(a, d->viol[i].points),
			            boolstr(d->viol[i].corrected_on_site),
			            boolstr(d->viol[i].repeat),
			            num(a, (long long)i + 1),
			            NULL,
			            NULL };
		rc = store_exec(st, a, STMT_VIOLATION_INSERT, p, NULL);
	}
	return rc < 0 ? rc : tablet_store_doc(st, a, id, &d->tablet);
}

/* Submit draft @id (records/inspections.c); 0 or the status of the refusal answered. */
static int submit_draft(struct http_request *req, struct http_response *res, struct store *st,
                        const char *id, struct rec_submitted *sub)
{
	struct rec r = api_rec(req, STORE_WRITE);
	r.st = st;
	return rec_inspection_submit_draft(&r, id, sub) < 0 ? api_refused(res, &r) : 0;
}

/*
 * @json (an object) with the appeal code just issued added, when there is one. The code is
 * printed on the operator's report and sent in this one answer; the database keeps only its
 * hash, and an answer stored for a replay never holds it.
 */
static char *with_appeal_code(struct arena *a, const char *json, const struct rec_submitted *sub)
{
	if (!sub || !sub->appeal_code)
		return arena_strdup(a, json);
	size_t n = strlen(json);
	return arena_printf(a, "%.*s,\"appeal_code\":\"%s\"}", (int)(n - 1), json,
	                    sub->appeal_code);
}

/* The inspection as staff see it, with the appeal code when it was just issued. */
static int staff_json(struct http_request *req, struct http_response *res, struct store *st,
                      const char *id, const struct rec_submitted *sub, char **ret_text)
{
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_INSPECTION_JSON_STAFF, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no inspection %s.", id);
	*ret_text = with_appeal_code(req->arena, store_value(r, 0, 0), sub);
	return 0;
}

int api_inspection_create(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *key = http_header(req, "Idempotency-Key");
	if (!key || !*key)
		return http_problem(res, 428, "Idempotency-Key",
		                    "Send an Idempotency-Key header (a unique id made on the "
		                    "device) so a retry can never create a second inspection.");
	if (strlen(key) > IDEMPOTENCY_KEY_MAX)
		return http_problem(res, 400, "Idempotency-Key",
		                    "The Idempotency-Key is longer than %d characters.",
		                    IDEMPOTENCY_KEY_MAX);
	struct json_error err;
	json_t *body;
	struct inspection_doc *d = arena_alloc(a, sizeof(*d));
	if (json_decode(a, req->body, req->body_len, &body, &err) < 0 ||
	    inspection_doc_read(body, true, false, d, &err) < 0)
		return api_json_error(res, &err);

	char hash[SHA256_HEX_LEN + 1];
	sha256_hex(req->body, req->body_len, hash);
	const char *user = num(a, api_user(req)->id);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *claim, *r;
	const char *pk[] = { user, key, hash };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_IDEMPOTENCY_CLAIM, pk, &claim)) < 0)
		goto fail;
	if (store_nrows(claim) == 0) {
		/* Seen before: the same request gets the first answer again. */
		const char *pg[] = { user, key };
		if ((rc = store_exec(st, a, STMT_IDEMPOTENCY_GET, pg, &r)) < 0)
			goto fail;
		store_rollback(st);
		if (!streq(store_value(r, 0, 0), hash))
			return http_problem(res, 422, "Idempotency-Key",
			                    "This Idempotency-Key was already used for a different "
			                    "request.");
		http_header_add(res, "Idempotent-Replayed", "true");
		return api_json_text(res, (int)store_value_int(r, 0, 1), store_value(r, 0, 2));
	}

	const char *pc[] = { num(a, d->establishment_id),
		             d->type,
		             user,
		             d->started_at,
		             d->ended_at,
		             boolstr(d->closed),
		             d->has_elements ? num(a, d->elements[0]) : NULL,
		             d->has_elements ? num(a, d->elements[1]) : NULL,
		             d->has_elements ? num(a, d->elements[2]) : NULL,
		             d->notes,
		             d->signature,
		             d->signed_name,
		             NULL,
		             NULL };
	if ((rc = store_exec(st, a, STMT_INSPECTION_CREATE, pc, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 422, "/establishment_id",
		                    "There is no establishment %lld.",
		                    (long long)d->establishment_id);
	}
	const char *id = store_value(r, 0, 0);
	const char *scheme_code = store_value(r, 0, 1);
	const struct grade_scheme *s = grade_scheme_builtin(scheme_code);
	if (inspection_doc_check(s, d, &err) < 0) {
		store_rollback(st);
		return api_json_error(res, &err);
	}
	if ((rc = store_violations(st, a, id, scheme_code, d)) < 0)
		goto fail;
	struct rec_submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
	if (d->submit && submit_draft(req, res, st, id, &sub)) {
		store_rollback(st);
		return http_response_status(res);
	}
	/* The answer a retry with this key gets again: without the appeal code, which is not
	 * kept in plain text anywhere (the device that made it has it; a lost one is replaced
	 * through POST /api/v1/inspections/{id}/appeal-code). */
	char *replay;
	if (staff_json(req, res, st, id, NULL, &replay)) {
		store_rollback(st);
		return http_response_status(res);
	}
	const char *pf[] = { user, key, "201", replay };
	if ((rc = store_exec(st, a, STMT_IDEMPOTENCY_FINISH, pf, NULL)) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	http_header_add(res, "Location", arena_printf(a, "/api/v1/inspections/%s", id));
	return api_json_text(res, 201, with_appeal_code(a, replay, &sub));
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
}

/* Lock inspection @id for a change by this user: 0 or a problem status. */
static int lock_draft(struct http_request *req, struct http_response *res, struct store *st,
                      const char *id, struct store_result **ret)
{
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_INSPECTION_LOCK, p, ret);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(*ret) == 0)
		return http_problem(res, 404, NULL, "There is no inspection %s.", id);
	return api_duty_check(req, res, st, id, POLICY_DRAFT_EDIT);
}

int api_inspection_update(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	json_t *body;
	struct inspection_doc *d = arena_alloc(a, sizeof(*d));
	if (json_decode(a, req->body, req->body_len, &body, &err) < 0 ||
	    inspection_doc_read(body, false, false, d, &err) < 0)
		return api_json_error(res, &err);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *ins;
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (lock_draft(req, res, st, id, &ins))
		goto problem;
	bool keep_conflict;
	if (tablet_if_match(req, res, st, id, &keep_conflict)) {
		if (keep_conflict && store_commit(st) == 0)
			return http_response_status(res);
		goto problem;
	}
	const char *scheme_code = store_value(ins, 0, 2);
	if (inspection_doc_check(grade_scheme_builtin(scheme_code), d, &err) < 0) {
		api_json_error(res, &err);
		goto problem;
	}
	const char *pu[] = { id,
		             d->type,
		             d->started_at,
		             d->ended_at,
		             boolstr(d->closed),
		             d->has_elements ? num(a, d->elements[0]) : NULL,
		             d->has_elements ? num(a, d->elements[1]) : NULL,
		             d->has_elements ? num(a, d->elements[2]) : NULL,
		             d->notes,
		             d->signature,
		             d->signed_name };
	if ((rc = store_exec(st, a, STMT_INSPECTION_UPDATE_DRAFT, pu, NULL)) < 0 ||
	    (rc = store_violations(st, a, id, scheme_code, d)) < 0)
		goto fail;
	struct rec_submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
	if (d->submit && submit_draft(req, res, st, id, &sub))
		goto problem;
	char *text;
	if (staff_json(req, res, st, id, &sub, &text))
		goto problem;
	if ((rc = tablet_etag(st, a, id, res)) < 0 || (rc = store_commit(st)) < 0)
		goto fail;
	return api_json_text(res, 200, text);
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
problem:
	store_rollback(st);
	return http_response_status(res);
}

int api_inspection_submit(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	char code[APPEAL_CODE_LEN + 1];
	bool has_code = false;
	if (req->body_len) {
		struct json_error err;
		json_t *body;
		static const char *const keys[] = { "appeal_code", NULL };
		if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
		    json_expect_object(body, "", &err) < 0 ||
		    json_only_keys(body, "", keys, &err) < 0 ||
		    inspection_appeal_code_read(body, code, &has_code, &err) < 0)
			return api_json_error(res, &err);
	}
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *ins;
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	struct rec_submitted sub = { .requested_code = has_code ? code : NULL };
	char *text;
	if (lock_draft(req, res, st, id, &ins) || submit_draft(req, res, st, id, &sub) ||
	    staff_json(req, res, st, id, &sub, &text)) {
		store_rollback(st);
		return http_response_status(res);
	}
	if ((rc = store_commit(st)) < 0) {
		store_rollback(st);
		return api_store_error(res, st, rc);
	}
	return api_json_text(res, 200, text);
}

/* Characters of the reason a clerk gives for a new appeal code. */
#define REISSUE_REASON_MAX 500

/*
 * A new appeal code for submitted inspection @id, when the operator lost the report: a clerk
 * who had no part in the inspection, with a reason (kept with the reissue, never published).
 * The old codes stop opening the report, except the code that filed its appeal, which stays
 * the one that acts in the appeal (domain/policy.h); the operator sees the reissue on their
 * next visit.
 */
int api_inspection_appeal_code(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	json_t *body;
	const char *reason = NULL;
	static const char *const keys[] = { "reason", NULL };
	if (json_decode(a, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", keys, &err) < 0 ||
	    json_field_string(body, "", "reason", true, REISSUE_REASON_MAX * 4, &reason, &err) < 0)
		return api_json_error(res, &err);
	if (!*reason || appeal_text_length(reason) > REISSUE_REASON_MAX)
		return http_problem(res, 422, "/reason",
		                    "Say in at most %d characters why a new code is issued (for "
		                    "example, how the operator proved who they are).",
		                    REISSUE_REASON_MAX);
	const struct api_user *u = api_user(req);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_APPEAL_CODE_TARGET, p, &r)) < 0)
		goto fail;
	int status = store_nrows(r) == 0
	                     ? http_problem(res, 404, NULL, "There is no inspection %s.", id)
	                     : api_duty_check(req, res, st, id, POLICY_CODE_REISSUE);
	if (status) {
		store_rollback(st);
		return status;
	}
	char code[APPEAL_CODE_LEN + 1], hash[SHA256_HEX_LEN + 1];
	rec_appeal_code_new(code);
	sha256_hex(code, APPEAL_CODE_LEN, hash);
	const char *pr[] = { id, hash };
	const char *pi[] = { id, hash, num(a, u->id), reason };
	if ((rc = store_exec(st, a, STMT_APPEAL_CODE_KEEP_REPLACED, p, NULL)) < 0 ||
	    (rc = store_exec(st, a, STMT_APPEAL_CODE_REPLACE, pr, NULL)) < 0 ||
	    (rc = store_exec(st, a, STMT_APPEAL_CODE_REISSUE_RECORD, pi, NULL)) < 0 ||
	    (rc = api_event(st, a, "inspection.appeal_code_reissued",
	                    arena_printf(a, "inspection/%s", id),
	                    json_pack("{s:s, s:s}", "establishment", store_value(r, 0, 3), "by",
	                              "clerk"))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(
	        res, 201,
	        arena_printf(a, "{\"inspection_id\":%s,\"appeal_code\":\"%s\"}", id, code));
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
}

int api_inspection_amend(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *orig = http_param(req, "id")->value;
	struct json_error err;
	json_t *body;
	struct inspection_doc *d = arena_alloc(a, sizeof(*d));
	if (json_decode(a, req->body, req->body_len, &body, &err) < 0 ||
	    inspection_doc_read(body, false, true, d, &err) < 0)
		return api_json_error(res, &err);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *ins, *r;
	const char *p[] = { orig };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, a, STMT_INSPECTION_LOCK, p, &ins)) < 0)
		goto fail;
	if (store_nrows(ins) == 0) {
		store_rollback(st);
		return http_problem(res, 404, NULL, "There is no inspection %s.", orig);
	}
	/* The own inspector or a supervisor; the newest revision; no appeal open or decided. */
	int status = api_duty_check(req, res, st, orig, POLICY_AMEND);
	if (status) {
		store_rollback(st);
		return status;
	}
	const char *scheme_code = store_value(ins, 0, 2);
	if (inspection_doc_check(grade_scheme_builtin(scheme_code), d, &err) < 0) {
		store_rollback(st);
		return api_json_error(res, &err);
	}
	const char *user = num(a, api_user(req)->id);
	const char *pc[] = { store_value(ins, 0, 1),
		             d->type,
		             user,
		             d->started_at ? d->started_at : store_value(ins, 0, 10),
		             d->ended_at,
		             boolstr(d->closed),
		             d->has_elements ? num(a, d->elements[0]) : NULL,
		             d->has_elements ? num(a, d->elements[1]) : NULL,
		             d->has_elements ? num(a, d->elements[2]) : NULL,
		             d->notes,
		             d->signature,
		             d->signed_name,
		             orig,
		             d->reason };
	if ((rc = store_exec(st, a, STMT_INSPECTION_CREATE, pc, &r)) < 0)
		goto fail;
	const char *id = store_value(r, 0, 0);
	struct rec_submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
	char *text;
	if ((rc = store_violations(st, a, id, scheme_code, d)) < 0)
		goto fail;
	if (submit_draft(req, res, st, id, &sub) || staff_json(req, res, st, id, &sub, &text)) {
		store_rollback(st);
		return http_response_status(res);
	}
	if ((rc = store_commit(st)) < 0)
		goto fail;
	http_header_add(res, "Location", arena_printf(a, "/api/v1/inspections/%s", id));
	return api_json_text(res, 201, text);
fail:
	store_rollback(st);
	if (rc == -EEXIST)
		return http_problem(res, 409, NULL, "Inspection %s was amended meanwhile.", orig);
	return api_store_error(res, st, rc);
}

int api_inspection_get(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_INSPECTION_JSON_PUBLIC, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no published inspection %s.", id);
	return api_json_text(res, 200, store_value(r, 0, 0));
}

int api_inspection_get_staff(struct http_request *req, struct http_response *res)
{
	char *text = NULL;
	struct store *st = store_thread(STORE_WRITE);
	const char *id = http_param(req, "id")->value;
	if (staff_json(req, res, st, id, NULL, &text))
		return http_response_status(res);
	int rc = tablet_etag(st, req->arena, id, res);
	if (rc < 0)
		return api_store_error(res, st, rc);
	return api_json_text(res, 200, text);
}
