/*
 * tablet.c - the inspector's tablet: the evidence it records beside the violations (the
 * checklist, temperature readings, photos), the version check that flags two devices'
 * edits of one draft as a conflict, and what it needs to work offline (the due list and
 * the form of one establishment).
 *
 * Photos arrive one per request, as JSON with the image in base64 (split into strings no
 * longer than the JSON decoder's string limit) and the SHA-256 the tablet computed when the
 * photo was taken. The server decodes, checks the type, the size and the hash (422 naming
 * the photo on a mismatch), and stores the bytes with the hash; the database checks the
 * hash once more. The photo's Idempotency-Key is the tablet's id for the photo, so a retry
 * returns the photo already stored. Photos are evidence: they never change, and a
 * submitted inspection's photos can be neither added nor removed. They are served to staff
 * only; the public record lists their metadata.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/request_docs.h"
#include "api/tablet.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/grade.h"

/* Most photos one inspection may hold (the largest photo: request_docs.h). */
#define PHOTO_MAX_COUNT  20
#define CLIENT_ID_MIN    8
#define CLIENT_ID_MAX    64
#define DUE_DAYS_DEFAULT 14
#define DUE_DAYS_MAX     366

static const char *const marks[] = { "in", "out", "not_observed", "not_applicable", NULL };

int tablet_read_doc(json_t *body, struct tablet_doc *ret, struct json_error *err)
{
	static const char *const reading_keys[] = { "item",     "location", "value", "unit",
		                                    "taken_at", "code",     NULL };
	memset(ret, 0, sizeof(*ret));
	json_t *cl = json_object_get(body, "checklist");
	if (cl && !json_is_null(cl)) {
		if (json_expect_object(cl, "/checklist", err) < 0)
			return -EINVAL;
		const char *code;
		json_t *mark;
		json_object_foreach(cl, code, mark)
		{
			char field[64];
			snprintf(field, sizeof(field), "/checklist/%.40s", code);
			bool ok = false;
			for (size_t i = 0; marks[i] && json_is_string(mark); i++)
				ok |= streq(json_string_value(mark), marks[i]);
			if (!ok)
				return json_error_set(
				        err, field,
				        "Mark each item \"in\", \"out\", \"not_observed\" or "
				        "\"not_applicable\".");
		}
		ret->checklist = cl;
	}
	json_t *list = NULL;
	int rc = json_field_array(body, "", "readings", false, TABLET_MAX_READINGS, &list, err);
	if (rc < 0)
		return -EINVAL;
	if (rc > 0 || json_is_null(list))
		return 0;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
	{
		char base[32];
		struct tablet_reading *r = &ret->readings[i];
		snprintf(base, sizeof(base), "/readings/%zu", i);
		if (json_expect_object(v, base, err) < 0 ||
		    json_only_keys(v, base, reading_keys, err) < 0 ||
		    json_field_string(v, base, "item", true, 200, &r->item, err) < 0 ||
		    json_field_string(v, base, "location", false, 200, &r->location, err) < 0 ||
		    json_field_number(v, base, "value", true, -100, 1000, &r->value, err) < 0 ||
		    json_field_string(v, base, "unit", true, 1, &r->unit, err) < 0 ||
		    json_field_string(v, base, "taken_at", false, 40, &r->taken_at, err) < 0 ||
		    json_field_string(v, base, "code", false, 16, &r->code, err) < 0)
			return -EINVAL;
		char field[48];
		if (!*r->item) {
			snprintf(field, sizeof(field), "%s/item", base);
			return json_error_set(err, field, "Say what was measured.");
		}
		bool celsius = streq(r->unit, "C");
		if (!celsius && !streq(r->unit, "F")) {
			snprintf(field, sizeof(field), "%s/unit", base);
			return json_error_set(err, field, "\"unit\" must be \"C\" or \"F\".");
		}
		double lo = celsius ? -50 : -58, hi = celsius ? 300 : 572;
		if (r->value < lo || r->value > hi) {
			snprintf(field, sizeof(field), "%s/value", base);
			return json_error_set(
			        err, field,
			        "A food temperature in degrees %s lies between %g and %g.", r->unit,
			        lo, hi);
		}
		if (r->taken_at && !json_timestamp_valid(r->taken_at)) {
			snprintf(field, sizeof(field), "%s/taken_at", base);
			return json_error_set(err, field,
			                      "Use a timestamp like 2026-05-01T09:30:00Z.");
		}
	}
	ret->nreadings = json_array_size(list);
	return 0;
}

int tablet_check_doc(const struct grade_scheme *s, const struct tablet_doc *t,
                     const char *const codes[], size_t ncodes, struct json_error *err)
{
	char field[64];
	for (size_t i = 0; i < t->nreadings; i++) {
		if (t->readings[i].code && !grade_violation_lookup(s, t->readings[i].code)) {
			snprintf(field, sizeof(field), "/readings/%zu/code", i);
			return json_error_set(err, field, "\"%s\" is not in the %s catalogue.",
			                      t->readings[i].code, s->name);
		}
	}
	if (!t->checklist || json_object_size(t->checklist) == 0)
		return 0;
	const char *code;
	json_t *mark;
	json_object_foreach(t->checklist, code, mark)
	{
		snprintf(field, sizeof(field), "/checklist/%.40s", code);
		if (!grade_violation_lookup(s, code))
			return json_error_set(err, field, "\"%.40s\" is not in the %s catalogue.",
			                      code, s->name);
		bool cited = false;
		for (size_t i = 0; i < ncodes; i++)
			cited |= streq(codes[i], code);
		bool out = streq(json_string_value(mark), "out");
		if (out && !cited)
			return json_error_set(
			        err, field,
			        "%.40s is marked out, but no violation cites it: cite it or "
			        "change the mark.",
			        code);
	}
	for (size_t i = 0; i < ncodes; i++) {
		json_t *m = json_object_get(t->checklist, codes[i]);
		if (m && !streq(json_string_value(m), "out")) {
			snprintf(field, sizeof(field), "/violations/%zu/code", i);
			return json_error_set(err, field,
			                      "%s is cited, but the checklist marks it \"%s\", not "
			                      "\"out\".",
			                      codes[i], json_string_value(m));
		}
	}
	return 0;
}

int tablet_store_doc(struct store *st, struct arena *a, const char *id, const struct tablet_doc *t)
{
	const char *checklist = "{}";
	if (t->checklist) {
		char *text = json_dump_compact(t->checklist, NULL);
		checklist = arena_strdup(a, text);
		free(text);
	}
	const char *pc[] = { id, checklist };
	const char *pd[] = { id };
	int rc = store_exec(st, a, STMT_TABLET_CHECKLIST_SET, pc, NULL);
	if (rc == 0)
		rc = store_exec(st, a, STMT_TABLET_READINGS_DELETE, pd, NULL);
	for (size_t i = 0; rc == 0 && i < t->nreadings; i++) {
		const struct tablet_reading *r = &t->readings[i];
		const char *p[] = { id,
			            arena_printf(a, "%zu", i + 1),
			            r->item,
			            r->location,
			            arena_printf(a, "%.17g", r->value),
			            r->unit,
			            r->taken_at,
			            r->code };
		rc = store_exec(st, a, STMT_TABLET_READING_INSERT, p, NULL);
	}
	return rc;
}

/* The version in an If-Match header: "\"12\"" (or W/"12"); -1 when malformed. */
static long long parse_etag(const char *h)
{
	if (strncmp(h, "W/", 2) == 0)
		h += 2;
	size_t n = strlen(h);
	if (n < 3 || n > 22 || h[0] != '"' || h[n - 1] != '"')
		return -1;
	char digits[24];
	memcpy(digits, h + 1, n - 2);
	digits[n - 2] = '\0';
	long long v;
	if (parse_int64(digits, 1, INT32_MAX, &v) < 0)
		return -1;
	return v;
}

static int current_version(struct store *st, struct arena *a, const char *id, long long *ret)
{
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, a, STMT_TABLET_INSPECTION_VERSION, p, &r);
	if (rc < 0)
		return rc;
	if (store_nrows(r) == 0)
		return -ENOENT;
	*ret = store_value_int(r, 0, 0);
	return 0;
}

int tablet_etag(struct store *st, struct arena *a, const char *id, struct http_response *res)
{
	long long v;
	int rc = current_version(st, a, id, &v);
	if (rc == 0)
		http_header_add(res, "ETag", arena_printf(a, "\"%lld\"", v));
	return rc == -ENOENT ? 0 : rc;
}

int tablet_if_match(struct http_request *req, struct http_response *res, struct store *st,
                    const char *id, bool *ret_commit)
{
	struct arena *a = req->arena;
	const char *h = http_header(req, "If-Match");
	*ret_commit = false;
	if (!h)
		return http_problem(
		        res, 428, "If-Match",
		        "Send If-Match with the inspection's ETag (its \"version\"), so "
		        "that an edit made elsewhere meanwhile is never overwritten.");
	long long want = parse_etag(h);
	if (want < 0)
		return http_problem(res, 400, "If-Match",
		                    "If-Match must be the inspection's ETag, such as \"3\".");
	long long have;
	int rc = current_version(st, a, id, &have);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (want == have)
		return 0;

	/* Keep what the device sent: nothing typed in a kitchen is lost to a conflict. */
	struct store_result *r;
	const char *p[] = { id, arena_printf(a, "%lld", (long long)api_user(req)->id),
		            arena_printf(a, "%lld", want), arena_printf(a, "%lld", have),
		            req->body };
	if ((rc = store_exec(st, a, STMT_TABLET_CONFLICT_ADD, p, &r)) < 0 ||
	    (rc = api_event(st, a, "inspection.conflict_flagged",
	                    arena_printf(a, "inspection/%s", id),
	                    json_pack("{s:s, s:I, s:I}", "conflict", store_value(r, 0, 0),
	                              "base_version", want, "current_version", have))) < 0)
		return api_store_error(res, st, rc);
	*ret_commit = true;
	http_header_add(res, "ETag", arena_printf(a, "\"%lld\"", have));
	return http_problem(res, 412, "If-Match",
	                    "Inspection %s was changed on another device (version %lld; this "
	                    "device had version %lld). Nothing was overwritten: the conflict is "
	                    "flagged on the inspection (conflict %s) until it is resolved.",
	                    id, have, want, store_value(r, 0, 0));
}

int tablet_submit_check(struct http_request *req, struct http_response *res, struct store *st,
                        const char *id)
{
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_TABLET_CONFLICT_OPEN_COUNT, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_value_int(r, 0, 0) > 0)
		return http_problem(res, 409, NULL,
		                    "Inspection %s has an edit conflict between two devices; "
		                    "resolve it before submitting.",
		                    id);
	return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Photos.                                                                                   */

/* Lock inspection @id and check that this user may add to it: 0 or a problem status. The
 * row: id, establishment, scheme, type, inspector, status, ... (STMT_INSPECTION_LOCK). */
static int lock_for_user(struct http_request *req, struct http_response *res, struct store *st,
                         const char *id, struct store_result **ret)
{
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_INSPECTION_LOCK, p, ret);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(*ret) == 0)
		return http_problem(res, 404, NULL, "There is no inspection %s.", id);
	return api_duty_check(req, res, st, id, POLICY_EVIDENCE);
}

static bool valid_client_id(const char *s)
{
	size_t n = strlen(s);
	if (n < CLIENT_ID_MIN || n > CLIENT_ID_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

int api_tablet_photo_create(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	const char *client_id = http_header(req, "Idempotency-Key");
	if (!client_id || !*client_id)
		return http_problem(res, 428, "Idempotency-Key",
		                    "Send the photo's id (made on the device) as Idempotency-Key, "
		                    "so a retry can never store it twice.");
	if (!valid_client_id(client_id))
		return http_problem(res, 400, "Idempotency-Key",
		                    "A photo's Idempotency-Key is %d to %d letters, digits and "
		                    "hyphens.",
		                    CLIENT_ID_MIN, CLIENT_ID_MAX);
	struct json_error err;
	struct photo_doc p;
	int status = photo_doc_read(a, req->body, req->body_len, client_id, &p, &err);
	if (status == -E2BIG)
		return http_problem(res, 413, err.field, "%s", err.detail);
	if (status < 0)
		return api_json_error(res, &err);

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *ins, *r;
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (lock_for_user(req, res, st, id, &ins))
		goto problem;
	const char *pf[] = { id, client_id };
	if ((rc = store_exec(st, a, STMT_TABLET_PHOTO_FIND, pf, &r)) < 0)
		goto fail;
	if (store_nrows(r) > 0) {
		/* A retry: the first answer again, or a refusal if the id now names another
		 * photo. Valid after submission too, since it changes nothing. */
		store_rollback(st);
		if (!streq(store_value(r, 0, 1), p.sha256))
			return http_problem(
			        res, 409, "Idempotency-Key",
			        "Photo %s of inspection %s is already stored with another "
			        "SHA-256; photos never change.",
			        client_id, id);
		http_header_add(res, "Idempotent-Replayed", "true");
		return api_json_text(res, 200, store_value(r, 0, 2));
	}
	if (!streq(store_value(ins, 0, 5), "draft")) {
		http_problem(
		        res, 409, NULL,
		        "Inspection %s is submitted; its photos are evidence and can no longer "
		        "change.",
		        id);
		goto problem;
	}
	const struct grade_scheme *s = grade_scheme_builtin(store_value(ins, 0, 2));
	if (p.code && !grade_violation_lookup(s, p.code)) {
		http_problem(res, 422, "/code", "Photo %s: \"%s\" is not in the %s catalogue.",
		             client_id, p.code, s ? s->name : "inspection's");
		goto problem;
	}
	const char *pc[] = { id };
	if ((rc = store_exec(st, a, STMT_TABLET_PHOTO_COUNT, pc, &r)) < 0)
		goto fail;
	if (store_value_int(r, 0, 0) >= PHOTO_MAX_COUNT) {
		http_problem(res, 409, NULL,
		             "Inspection %s already holds %d photos, the most allowed.", id,
		             PHOTO_MAX_COUNT);
		goto problem;
	}
	char *hex = arena_alloc(a, p.len * 2 + 1);
	sodium_bin2hex(hex, p.len * 2 + 1, p.data, p.len);
	const char *user = arena_printf(a, "%lld", (long long)api_user(req)->id);
	const char *pi[] = { id,
		             client_id,
		             p.content_type,
		             hex,
		             p.sha256,
		             p.width > 0 ? arena_printf(a, "%lld", (long long)p.width) : NULL,
		             p.height > 0 ? arena_printf(a, "%lld", (long long)p.height) : NULL,
		             p.code,
		             p.taken_at,
		             user };
	if ((rc = store_exec(st, a, STMT_TABLET_PHOTO_INSERT, pi, &r)) < 0)
		goto fail;
	const char *photo_id = arena_strdup(a, store_value(r, 0, 0));
	const char *text = arena_strdup(a, store_value(r, 0, 1));
	if ((rc = api_event(st, a, "inspection.photo_added", arena_printf(a, "inspection/%s", id),
	                    json_pack("{s:s, s:s, s:s, s:I}", "photo", photo_id, "sha256", p.sha256,
	                              "content_type", p.content_type, "bytes",
	                              (json_int_t)p.len))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	http_header_add(res, "Location",
	                arena_printf(a, "/api/v1/staff/inspections/%s/photos/%s", id, photo_id));
	return api_json_text(res, 201, text);
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
problem:
	store_rollback(st);
	return http_response_status(res);
}

int api_tablet_photo_get(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	const char *pid = http_param(req, "photo")->value;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { id, pid };
	int rc = store_exec(st, a, STMT_TABLET_PHOTO_GET, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "Inspection %s has no photo %s.", id, pid);
	const char *hex = store_value(r, 0, 1);
	size_t hexlen = strlen(hex), len = 0;
	unsigned char *bin = arena_alloc(a, hexlen / 2 + 1);
	if (sodium_hex2bin(bin, hexlen / 2 + 1, hex, hexlen, NULL, &len, NULL) != 0)
		return http_problem(res, 500, NULL, "The photo could not be read.");
	/* Photos never change: the hash is a strong validator. Like every staff answer the
	 * photo is not kept (no-store, set by api_hook): a tablet may be shared or lost. */
	http_header_add(res, "ETag", arena_printf(a, "\"%s\"", store_value(r, 0, 2)));
	return http_respond(res, 200, arena_strdup(a, store_value(r, 0, 0)), (const char *)bin,
	                    len);
}

int api_tablet_photo_delete(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	const char *pid = http_param(req, "photo")->value;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *ins, *r;
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (lock_for_user(req, res, st, id, &ins))
		goto problem;
	if (!streq(store_value(ins, 0, 5), "draft")) {
		http_problem(res, 409, NULL,
		             "Inspection %s is submitted; its photos are evidence and stay.", id);
		goto problem;
	}
	const char *p[] = { id, pid };
	if ((rc = store_exec(st, a, STMT_TABLET_PHOTO_DELETE, p, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		http_problem(res, 404, NULL, "Inspection %s has no photo %s.", id, pid);
		goto problem;
	}
	if ((rc = api_event(
	             st, a, "inspection.photo_removed", arena_printf(a, "inspection/%s", id),
	             json_pack("{s:s, s:s}", "photo", pid, "sha256", store_value(r, 0, 0)))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return http_respond(res, 204, NULL, "", 0);
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
problem:
	store_rollback(st);
	return http_response_status(res);
}

/* ---------------------------------------------------------------------------------------- */
/* Conflicts, assignments, the due list and the offline form.                               */

int api_tablet_conflict_resolve(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *id = http_param(req, "id")->value;
	const char *cid = http_param(req, "conflict")->value;
	struct json_error err;
	const char *resolution;
	if (conflict_resolution_read(a, req->body, req->body_len, &resolution, &err) < 0)
		return api_json_error(res, &err);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *ins, *r;
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (lock_for_user(req, res, st, id, &ins))
		goto problem;
	const char *p[] = { id, cid, arena_printf(a, "%lld", (long long)api_user(req)->id),
		            resolution };
	if ((rc = store_exec(st, a, STMT_TABLET_CONFLICT_RESOLVE, p, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		http_problem(res, 404, NULL, "Inspection %s has no open conflict %s.", id, cid);
		goto problem;
	}
	if ((rc = api_event(
	             st, a, "inspection.conflict_resolved", arena_printf(a, "inspection/%s", id),
	             json_pack("{s:s, s:s}", "conflict", cid, "resolution", resolution))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return api_json(
	        res, 200,
	        json_arena(a, json_pack("{s:I, s:I, s:s}", "inspection_id", id_value(id),
	                                "conflict_id", id_value(cid), "resolution", resolution)));
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
problem:
	store_rollback(st);
	return http_response_status(res);
}

int api_tablet_assign(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const char *est = http_param(req, "id")->value;
	struct json_error err;
	int64_t inspector;
	if (assignment_read(a, req->body, req->body_len, &inspector, &err) < 0)
		return api_json_error(res, &err);
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	const char *p[] = { est, arena_printf(a, "%lld", (long long)inspector),
		            arena_printf(a, "%lld", (long long)api_user(req)->id) };
	if ((rc = store_exec(st, a, STMT_TABLET_ASSIGN, p, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 422, "/inspector_id",
		                    "Establishment %s or active inspector %lld does not exist.",
		                    est, (long long)inspector);
	}
	/* The log is public: it says that the establishment was assigned, not to whom. */
	if ((rc = api_event(st, a, "establishment.assigned",
	                    arena_printf(a, "establishment/%s", est), json_object())) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return api_json(res, 200,
	                json_arena(a, json_pack("{s:I, s:I}", "establishment_id", id_value(est),
	                                        "inspector_id", (json_int_t)inspector)));
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
}

int api_tablet_due(struct http_request *req, struct http_response *res)
{
	struct arena *a = req->arena;
	const struct api_user *u = api_user(req);
	long long days = DUE_DAYS_DEFAULT, who = u->id;
	const char *q = http_query(req, "days");
	if (q && parse_int64(q, 0, DUE_DAYS_MAX, &days) < 0)
		return http_problem(res, 422, "days", "\"days\" is a whole number from 0 to %d.",
		                    DUE_DAYS_MAX);
	q = http_query(req, "inspector");
	if (q) {
		if (parse_int64(q, 1, INT64_MAX, &who) < 0)
			return http_problem(res, 422, "inspector", "\"inspector\" is a staff id.");
		if (who != u->id && u->role != API_SUPERVISOR)
			return http_problem(
			        res, 403, "inspector",
			        "Only a supervisor may see another inspector's due list.");
	}
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { arena_printf(a, "%lld", who), arena_printf(a, "%lld", days) };
	int rc = store_exec(st, a, STMT_TABLET_DUE_LIST, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	return api_json_text(res, 200, store_value(r, 0, 0));
}

int api_tablet_form(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_TABLET_FORM, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	return api_json_text(res, 200, store_value(r, 0, 0));
}
