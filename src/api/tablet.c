/*
 * tablet.c - the inspector's tablet: photos, the resolution of edit conflicts,
 * assignments, the due list and the offline form (records/tablet.c).
 *
 * Photos arrive one per request, as JSON with the image in base64 (split into strings no
 * longer than the JSON decoder's string limit) and the SHA-256 the tablet computed when the
 * photo was taken. The server decodes, checks the type, the size and the hash (422 naming
 * the photo on a mismatch), and stores the bytes with the hash. The photo's
 * Idempotency-Key is the tablet's id for the photo, so a retry returns the photo already
 * stored. They are served to staff only; the public record lists their metadata.
 */
#include <errno.h>
#include <string.h>

#include "api/api.h"
#include "api/request_docs.h"
#include "api/tablet_doc.h"
#include "core/util.h"
#include "records/tablet.h"

#define DUE_DAYS_DEFAULT 14
#define DUE_DAYS_MAX     366

int api_tablet_photo_create(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	const char *client_id = http_header(req, "Idempotency-Key");
	if (!client_id || !*client_id)
		return http_problem(res, 428, "Idempotency-Key", "api.tablet.photo_key_missing",
		                    NULL);
	if (!tablet_photo_id_valid(client_id))
		return http_problem(res, 400, "Idempotency-Key", "api.tablet.photo_key_form", "min",
		                    I18N_INT(TABLET_PHOTO_ID_MIN), "max",
		                    I18N_INT(TABLET_PHOTO_ID_MAX), NULL);
	struct json_error err;
	struct photo_doc p;
	int status = photo_doc_read(a, req->body, req->body_len, client_id, &p, &err);
	if (status == -E2BIG)
		return http_problem_text(res, 413, err.field, err.code, err.detail);
	if (status < 0)
		return api_json_error(res, &err);
	struct rec_photo photo = { .client_id = client_id,
		                   .content_type = p.content_type,
		                   .sha256 = p.sha256,
		                   .taken_at = p.taken_at,
		                   .code = p.code,
		                   .width = p.width,
		                   .height = p.height,
		                   .data = p.data,
		                   .len = p.len };
	struct rec_photo_stored out;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_photo_create(&r, id, &photo, &out) < 0)
		return api_refused(res, &r);
	if (out.replayed) {
		http_header_add(res, "Idempotent-Replayed", "true");
		return api_json_text(res, 200, out.json);
	}
	http_header_add(res, "Location",
	                arena_printf(a, "/api/v1/staff/inspections/%s/photos/%s", id, out.id));
	return api_json_text(res, 201, out.json);
}

int api_tablet_photo_get(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	const char *pid = http_param(req, "photo")->value;
	struct rec_photo_file f;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_photo_get(&r, id, pid, &f) < 0)
		return api_refused(res, &r);
	/* Photos never change: the hash is a strong validator. Like every staff answer the
	 * photo is not kept (no-store, set by api_hook): a tablet may be shared or lost. */
	http_header_add(res, "ETag", arena_printf(req->arena, "\"%s\"", f.sha256));
	return http_respond(res, 200, f.content_type, (const char *)f.data, f.len);
}

int api_tablet_photo_delete(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	const char *pid = http_param(req, "photo")->value;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_photo_delete(&r, id, pid) < 0)
		return api_refused(res, &r);
	return http_respond(res, 204, NULL, "", 0);
}

int api_tablet_conflict_resolve(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	const char *cid = http_param(req, "conflict")->value;
	struct json_error err;
	const char *resolution;
	if (conflict_resolution_read(a, req->body, req->body_len, &resolution, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_conflict_resolve(&r, id, cid, resolution) < 0)
		return api_refused(res, &r);
	return api_json(
	        res, 200,
	        json_arena(a, json_pack("{s:I, s:I, s:s}", "inspection_id", id_value(id),
	                                "conflict_id", id_value(cid), "resolution", resolution)));
}

int api_tablet_assign(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *est = http_param(req, "id")->value;
	struct json_error err;
	int64_t inspector;
	if (assignment_read(a, req->body, req->body_len, &inspector, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_assign(&r, est, inspector) < 0)
		return api_refused(res, &r);
	return api_json(res, 200,
	                json_arena(a, json_pack("{s:I, s:I}", "establishment_id", id_value(est),
	                                        "inspector_id", (json_int_t)inspector)));
}

int api_tablet_due(struct http_request *req, struct http_response *res)
{
	long long days = DUE_DAYS_DEFAULT, who = 0;
	const char *q = http_query(req, "days");
	if (q && parse_int64(q, 0, DUE_DAYS_MAX, &days) < 0)
		return http_problem(res, 422, "days", "api.tablet.days", "max",
		                    I18N_INT(DUE_DAYS_MAX), NULL);
	q = http_query(req, "inspector");
	if (q && parse_int64(q, 1, INT64_MAX, &who) < 0)
		return http_problem(res, 422, "inspector", "api.tablet.inspector", NULL);
	const char *text;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_due(&r, who, days, &text) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, text);
}

int api_tablet_form(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	const char *text;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_tablet_form(&r, id, &text) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, text);
}

#define WORKLIST_LIMIT_DEFAULT 100
#define WORKLIST_LIMIT_MAX     500
#define WORKLIST_AREA_MAX      64

int api_supervisor_worklist(struct http_request *req, struct http_response *res)
{
	struct rec_worklist_query q = { .days = -1, .limit = WORKLIST_LIMIT_DEFAULT };
	long long v;
	const char *s = http_query(req, "area");
	if (s && *s) {
		if (strlen(s) > WORKLIST_AREA_MAX)
			return http_problem(res, 422, "area", "api.tablet.area", "max",
			                    I18N_INT(WORKLIST_AREA_MAX), NULL);
		q.area = s;
	}
	s = http_query(req, "risk");
	if (s && *s) {
		/* A, B, C, D, E, comma-separated: each letter once at most. */
		size_t n = strlen(s);
		bool ok = n <= 9;
		for (size_t i = 0; ok && i < n; i++)
			ok = i % 2 ? s[i] == ',' : (s[i] >= 'A' && s[i] <= 'E');
		if (!ok || n % 2 == 0)
			return http_problem(res, 422, "risk", "api.tablet.risk", NULL);
		q.risk = s;
	}
	s = http_query(req, "days");
	if (s && parse_int64(s, 0, DUE_DAYS_MAX, &v) < 0)
		return http_problem(res, 422, "days", "api.tablet.days", "max",
		                    I18N_INT(DUE_DAYS_MAX), NULL);
	if (s)
		q.days = v;
	s = http_query(req, "unassigned");
	if (s && !streq(s, "true") && !streq(s, "false"))
		return http_problem(res, 422, "unassigned", "api.tablet.unassigned", NULL);
	q.unassigned = s && streq(s, "true");
	s = http_query(req, "inspector");
	if (s && parse_int64(s, 1, INT64_MAX, &v) < 0)
		return http_problem(res, 422, "inspector", "api.tablet.inspector", NULL);
	if (s)
		q.inspector = v;
	s = http_query(req, "limit");
	if (s && parse_int64(s, 1, WORKLIST_LIMIT_MAX, &v) < 0)
		return http_problem(res, 422, "limit", "api.tablet.limit", "max",
		                    I18N_INT(WORKLIST_LIMIT_MAX), NULL);
	if (s)
		q.limit = v;
	const char *text;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_supervisor_worklist(&r, &q, &text) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, text);
}

int api_supervisor_inspectors(struct http_request *req, struct http_response *res)
{
	const char *text;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_supervisor_inspectors(&r, &text) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, text);
}

int api_corrective_actions(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	const char *text;
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_corrective_actions(&r, id, &text) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, text);
}
