/*
 * inspections.c - inspections from draft to submission, amendments, and their public record
 * (records/inspections.c).
 *
 * An inspector creates an inspection with an Idempotency-Key (a tablet that retries after a
 * lost reply gets the first result back and never a second inspection), edits the draft
 * under If-Match (the ETag is the draft's version: two devices' edits make a flagged
 * conflict, never a silent overwrite), and submits it. A submitted inspection never
 * changes: a correction is a new inspection that amends it, with a reason, and both stay on
 * the record.
 */
#include <string.h>

#include "api/api.h"
#include "api/inspection_doc.h"
#include "api/tablet_doc.h"
#include "core/crypto.h"
#include "domain/appeal.h"
#include "records/inspections.h"

#define IDEMPOTENCY_KEY_MAX 200

/* Characters of the reason a clerk gives for a new appeal code. */
#define REISSUE_REASON_MAX 500

/* The ETag of an inspection's @version, when it is known. */
static void add_etag(struct http_request *req, struct http_response *res, long long version)
{
	if (version >= 0)
		http_header_add(res, "ETag", arena_printf(req->arena, "\"%lld\"", version));
}

int api_inspection_create(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *key = http_header(req, "Idempotency-Key");
	if (!key || !*key)
		return http_problem(res, 428, "Idempotency-Key",
		                    "api.inspections.idempotency_key_missing", NULL);
	if (strlen(key) > IDEMPOTENCY_KEY_MAX)
		return http_problem(res, 400, "Idempotency-Key",
		                    "api.inspections.idempotency_key_long", "max",
		                    I18N_INT(IDEMPOTENCY_KEY_MAX), NULL);
	struct json_error err;
	json_t *body;
	struct inspection_doc *d = arena_alloc(a, sizeof(*d));
	if (json_decode(a, req->body, req->body_len, &body, &err) < 0 ||
	    inspection_doc_read(body, true, false, d, &err) < 0)
		return api_json_error(res, &err);
	char hash[SHA256_HEX_LEN + 1];
	sha256_hex(req->body, req->body_len, hash);
	struct rec_inspection_written out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_inspection_create(&r, key, hash, d, &out) < 0)
		return api_refused(res, &r);
	if (out.replayed) {
		http_header_add(res, "Idempotent-Replayed", "true");
		return api_json_text(res, out.replayed_status, out.json);
	}
	http_header_add(res, "Location", arena_printf(a, "/api/v1/inspections/%s", out.id));
	return api_json_text(res, 201, out.json);
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
	struct rec_version_check v = { .base = tablet_if_match_read(http_header(req, "If-Match")),
		                       .document = req->body };
	struct rec_inspection_written out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_inspection_update(&r, id, d, &v, &out) < 0) {
		/* A conflict: the device learns the version it was refused against. */
		if (v.conflict)
			add_etag(req, res, v.current);
		return api_refused(res, &r);
	}
	add_etag(req, res, out.version);
	return api_json_text(res, 200, out.json);
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
	struct rec_inspection_written out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_inspection_submit(&r, id, has_code ? code : NULL, &out) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, out.json);
}

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
		return http_problem(res, 422, "/reason", "api.inspections.reissue_reason", "max",
		                    I18N_INT(REISSUE_REASON_MAX), NULL);
	char code[APPEAL_CODE_LEN + 1];
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_inspection_appeal_code_reissue(&r, id, reason, code) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(
	        res, 201,
	        arena_printf(a, "{\"inspection_id\":%s,\"appeal_code\":\"%s\"}", id, code));
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
	struct rec_inspection_written out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_inspection_amend(&r, orig, d, &out) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Location", arena_printf(a, "/api/v1/inspections/%s", out.id));
	return api_json_text(res, 201, out.json);
}

int api_inspection_get(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	const char *text;
	struct rec r = api_rec(req, STORE_READ);
	if (rec_inspection_public(&r, id, &text) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, text);
}

int api_inspection_get_staff(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct rec_inspection_written out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_inspection_staff(&r, id, &out) < 0)
		return api_refused(res, &r);
	add_etag(req, res, out.version);
	return api_json_text(res, 200, out.json);
}
