/*
 * tablet.c - the inspector's tablet: the evidence it records beside the violations (the
 * checklist, temperature readings, photos), the version check that flags two devices'
 * edits of one draft as a conflict, and what it needs to work offline (the due list and
 * the form of one establishment).
 *
 * Photos are evidence: they never change, and a submitted inspection's photos can be
 * neither added nor removed. The device's id for a photo makes a retry return the photo
 * already stored. The database checks each photo's hash once more.
 *
 * tablet_check_doc() is a pure check, but it lives here with the records and not with the
 * decoder (api/tablet_doc.c): what it checks against is the inspection's scheme, which only
 * the records functions read, inside their transaction.
 */
#include "records/tablet.h"

#include "records/inspections.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/metrics.h"
#include "core/util.h"
#include "domain/grade.h"
#include "domain/policy.h"
#include "records/schemes.h"
#include "records/duties.h"
#include "records/log.h"

/* Most photos one inspection may hold. */
#define PHOTO_MAX_COUNT 20

int tablet_check_doc(const struct grade_scheme *s, const struct tablet_doc *t,
                     const char *const codes[], size_t ncodes, struct json_error *err)
{
	char field[64];
	for (size_t i = 0; i < t->nreadings; i++) {
		if (t->readings[i].code && !grade_violation_lookup(s, t->readings[i].code)) {
			snprintf(field, sizeof(field), "/readings/%zu/code", i);
			return json_error_set(err, field, "api.checklist.unknown_code", "code",
			                      t->readings[i].code, "catalogue", s->name, NULL);
		}
	}
	if (!t->checklist || json_object_size(t->checklist) == 0)
		return 0;
	const char *code;
	json_t *mark;
	json_object_foreach(t->checklist, code, mark)
	{
		snprintf(field, sizeof(field), "/checklist/%.40s", code);
		const char *shown = field + strlen("/checklist/"); /* the code, cut as above */
		if (!grade_violation_lookup(s, code))
			return json_error_set(err, field, "api.checklist.unknown_code", "code",
			                      shown, "catalogue", s->name, NULL);
		bool cited = false;
		for (size_t i = 0; i < ncodes; i++)
			cited |= streq(codes[i], code);
		bool out = streq(json_string_value(mark), "out");
		if (out && !cited)
			return json_error_set(err, field, "api.checklist.out_not_cited", "code",
			                      shown, NULL);
	}
	for (size_t i = 0; i < ncodes; i++) {
		json_t *m = json_object_get(t->checklist, codes[i]);
		if (m && !streq(json_string_value(m), "out")) {
			snprintf(field, sizeof(field), "/violations/%zu/code", i);
			return json_error_set(err, field, "api.checklist.cited_not_out", "code",
			                      codes[i], "mark", json_string_value(m), NULL);
		}
	}
	return 0;
}

int rec_tablet_store_doc(struct rec *r, const char *id, const struct tablet_doc *t)
{
	struct arena *a = r->a;
	const char *checklist = "{}";
	if (t->checklist) {
		char *text = json_dump_compact(t->checklist, NULL);
		checklist = arena_strdup(a, text);
		free(text);
	}
	const char *pc[] = { id, checklist };
	const char *pd[] = { id };
	int rc = rec_exec(r, STMT_TABLET_CHECKLIST_SET, pc, NULL);
	if (rc == 0)
		rc = rec_exec(r, STMT_TABLET_READINGS_DELETE, pd, NULL);
	for (size_t i = 0; rc == 0 && i < t->nreadings; i++) {
		const struct tablet_reading *tr = &t->readings[i];
		const char *p[] = { id,
			            arena_printf(a, "%zu", i + 1),
			            tr->item,
			            tr->location,
			            arena_printf(a, "%.17g", tr->value),
			            tr->unit,
			            tr->taken_at,
			            tr->code };
		rc = rec_exec(r, STMT_TABLET_READING_INSERT, p, NULL);
	}
	return rc;
}

int rec_tablet_version(struct rec *r, const char *id, long long *ret)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_TABLET_INSPECTION_VERSION, p, &res);
	if (rc < 0)
		return rc;
	*ret = store_nrows(res) == 0 ? -1 : store_get_int(res, 0, "version");
	return 0;
}

int rec_tablet_version_check(struct rec *r, const char *id, struct rec_version_check *v)
{
	struct arena *a = r->a;
	v->current = -1;
	v->conflict = v->conflict_kept = false;
	v->conflict_id = NULL;
	if (v->base == REC_VERSION_ABSENT)
		return rec_refuse(r, 428, "If-Match", "records.tablet.if_match_required", NULL);
	if (v->base < 0)
		return rec_refuse(r, 400, "If-Match", "records.tablet.if_match_malformed", NULL);
	int rc = rec_tablet_version(r, id, &v->current);
	if (rc < 0)
		return rc;
	if (v->current < 0)
		return rec_refuse(r, 500, NULL, "records.store.failed", NULL);
	if (v->base == v->current)
		return 0;

	/* Keep what the device sent: nothing typed in a kitchen is lost to a conflict. */
	struct store_result *res;
	const char *p[] = { id, rec_num(r, r->staff->id), rec_num(r, v->base),
		            rec_num(r, v->current), v->document };
	if ((rc = rec_exec(r, STMT_TABLET_CONFLICT_ADD, p, &res)) < 0)
		return rc;
	v->conflict_id = store_get(res, 0, "id");
	if ((rc = rec_event(r, "inspection.conflict_flagged", arena_printf(a, "inspection/%s", id),
	                    json_pack("{s:s, s:I, s:I}", "conflict", v->conflict_id, "base_version",
	                              (json_int_t)v->base, "current_version",
	                              (json_int_t)v->current))) < 0)
		return rc;
	v->conflict = true;
	v->conflict_kept = rec_commit(r) == 0;
	return rec_refuse(r, 412, "If-Match", "records.tablet.version_conflict", "id", id,
	                  "current", I18N_INT(v->current), "base", I18N_INT(v->base), "conflict",
	                  v->conflict_id, NULL);
}

/* Lock inspection @id and check that r->staff may add evidence to it; the row in *@ret
 * (STMT_INSPECTION_LOCK). 0 or a refusal. */
static int lock_for_evidence(struct rec *r, const char *id, struct store_result **ret)
{
	return rec_inspection_lock(r, id, POLICY_EVIDENCE, ret);
}

int rec_tablet_photo_create(struct rec *r, const char *id, const struct rec_photo *p,
                            struct rec_photo_stored *ret)
{
	struct arena *a = r->a;
	struct store_result *ins, *res;
	int rc;
	*ret = (struct rec_photo_stored){ 0 };
	if ((rc = rec_begin(r)) < 0 || (rc = lock_for_evidence(r, id, &ins)) < 0)
		goto out;
	const char *pf[] = { id, p->client_id };
	if ((rc = rec_exec(r, STMT_TABLET_PHOTO_FIND, pf, &res)) < 0)
		goto out;
	if (store_nrows(res) > 0) {
		/* A retry: the first answer again, or a refusal if the id now names another
		 * photo. Valid after submission too, since it changes nothing. */
		if (!streq(store_get(res, 0, "sha256"), p->sha256)) {
			rc = rec_refuse(r, 409, "Idempotency-Key", "records.tablet.photo_changed",
			                "photo", p->client_id, "id", id, NULL);
			goto out;
		}
		*ret = (struct rec_photo_stored){ .id = store_get(res, 0, "id"),
			                          .json = store_get(res, 0, "photo"),
			                          .replayed = true };
		metrics_add(METRICS_TABLET_REPLAYED_PHOTOS, 1);
		rc = 0;
		goto out;
	}
	if (!streq(store_get(ins, 0, "status"), "draft")) {
		rc = rec_refuse(r, 409, NULL, "records.tablet.photos_submitted", "id", id, NULL);
		goto out;
	}
	const struct grade_scheme *s;
	if ((rc = rec_scheme_of_inspection(r, id, &s)) < 0)
		goto out;
	if (p->code && !grade_violation_lookup(s, p->code)) {
		rc = s ? rec_refuse(r, 422, "/code", "records.tablet.photo_code_unknown", "photo",
		                    p->client_id, "code", p->code, "scheme", s->name, NULL)
		       : rec_refuse(r, 422, "/code", "records.tablet.photo_code_unknown_here",
		                    "photo", p->client_id, "code", p->code, NULL);
		goto out;
	}
	const char *pc[] = { id };
	if ((rc = rec_exec(r, STMT_TABLET_PHOTO_COUNT, pc, &res)) < 0)
		goto out;
	if (store_get_int(res, 0, "photos") >= PHOTO_MAX_COUNT) {
		rc = rec_refuse(r, 409, NULL, "records.tablet.photos_too_many", "id", id, "max",
		                I18N_INT(PHOTO_MAX_COUNT), NULL);
		goto out;
	}
	char *hex = arena_alloc(a, p->len * 2 + 1);
	sodium_bin2hex(hex, p->len * 2 + 1, p->data, p->len);
	const char *pi[] = { id,
		             p->client_id,
		             p->content_type,
		             hex,
		             p->sha256,
		             p->width > 0 ? rec_num(r, p->width) : NULL,
		             p->height > 0 ? rec_num(r, p->height) : NULL,
		             p->code,
		             p->taken_at,
		             rec_num(r, r->staff->id) };
	if ((rc = rec_exec(r, STMT_TABLET_PHOTO_INSERT, pi, &res)) < 0)
		goto out;
	const char *photo_id = store_get(res, 0, "id");
	if ((rc = rec_event(r, "inspection.photo_added", arena_printf(a, "inspection/%s", id),
	                    json_pack("{s:s, s:s, s:s, s:I}", "photo", photo_id, "sha256",
	                              p->sha256, "content_type", p->content_type, "bytes",
	                              (json_int_t)p->len))) < 0 ||
	    (rc = rec_commit(r)) < 0)
		goto out;
	*ret = (struct rec_photo_stored){ .id = photo_id, .json = store_get(res, 0, "photo") };
out:
	return rc;
}

int rec_tablet_photo_get(struct rec *r, const char *id, const char *photo,
                         struct rec_photo_file *ret)
{
	struct store_result *res;
	const char *p[] = { id, photo };
	int rc = rec_exec(r, STMT_TABLET_PHOTO_GET, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.tablet.photo_not_found", "id", id, "photo",
		                  photo, NULL);
	const char *hex = store_get(res, 0, "data_hex");
	size_t hexlen = strlen(hex), len = 0;
	unsigned char *bin = arena_alloc(r->a, hexlen / 2 + 1);
	if (sodium_hex2bin(bin, hexlen / 2 + 1, hex, hexlen, NULL, &len, NULL) != 0)
		return rec_refuse(r, 500, NULL, "records.tablet.photo_unreadable", NULL);
	*ret = (struct rec_photo_file){ .content_type = store_get(res, 0, "content_type"),
		                        .sha256 = store_get(res, 0, "sha256"),
		                        .data = bin,
		                        .len = len };
	return 0;
}

int rec_tablet_photo_delete(struct rec *r, const char *id, const char *photo)
{
	struct store_result *ins, *res;
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = lock_for_evidence(r, id, &ins)) < 0)
		goto out;
	if (!streq(store_get(ins, 0, "status"), "draft")) {
		rc = rec_refuse(r, 409, NULL, "records.tablet.photos_stay", "id", id, NULL);
		goto out;
	}
	const char *p[] = { id, photo };
	if ((rc = rec_exec(r, STMT_TABLET_PHOTO_DELETE, p, &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 404, NULL, "records.tablet.photo_not_found", "id", id, "photo",
		                photo, NULL);
		goto out;
	}
	if ((rc = rec_event(r, "inspection.photo_removed", arena_printf(r->a, "inspection/%s", id),
	                    json_pack("{s:s, s:s}", "photo", photo, "sha256",
	                              store_get(res, 0, "sha256")))) < 0)
		goto out;
	rc = rec_commit(r);
out:
	return rc;
}

int rec_tablet_conflict_resolve(struct rec *r, const char *id, const char *conflict,
                                const char *resolution)
{
	struct store_result *ins, *res;
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = lock_for_evidence(r, id, &ins)) < 0)
		goto out;
	const char *p[] = { id, conflict, rec_num(r, r->staff->id), resolution };
	if ((rc = rec_exec(r, STMT_TABLET_CONFLICT_RESOLVE, p, &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 404, NULL, "records.tablet.conflict_not_found", "id", id,
		                "conflict", conflict, NULL);
		goto out;
	}
	if ((rc = rec_event(
	             r, "inspection.conflict_resolved", arena_printf(r->a, "inspection/%s", id),
	             json_pack("{s:s, s:s}", "conflict", conflict, "resolution", resolution))) < 0)
		goto out;
	rc = rec_commit(r);
out:
	return rc;
}

int rec_tablet_assign(struct rec *r, const char *est, int64_t inspector)
{
	struct store_result *cur, *res;
	int rc;
	const char *pg[] = { est, rec_num(r, inspector) };
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_ASSIGNMENT_GET, pg, &cur)) < 0)
		goto out;
	if (store_nrows(cur) == 0) {
		rc = rec_refuse(r, 422, "/inspector_id", "records.tablet.assignee_unknown",
		                "establishment", est, "inspector", I18N_INT((long long)inspector),
		                NULL);
		goto out;
	}
	const char *held = store_get(cur, 0, "held_by");
	long long holder = held ? atoll(held) : 0;
	struct policy_assignment pa = { .role = r->staff->role,
		                        .to_self = inspector == r->staff->id,
		                        .held_by_self = holder == r->staff->id,
		                        .held_by_other = held && holder != r->staff->id,
		                        .to_inspector = store_get_bool(cur, 0, "to_inspector") };
	const char *why = NULL;
	rc = policy_assign_check(&pa, &why);
	if (rc == -ENOENT) {
		rc = rec_refuse(r, 422, "/inspector_id", "records.tablet.assignee_unknown",
		                "establishment", est, "inspector", I18N_INT((long long)inspector),
		                NULL);
		goto out;
	}
	if (rc < 0) {
		rc = rec_refuse_why(r, 403, "/inspector_id", why, "records.policy.not_allowed");
		goto out;
	}
	const char *p[] = { est, rec_num(r, inspector), rec_num(r, r->staff->id) };
	if ((rc = rec_exec(r, STMT_TABLET_ASSIGN, p, &res)) < 0)
		goto out;
	/* The log is public: it says that the establishment was assigned, not to whom. */
	if ((rc = rec_event(r, "establishment.assigned",
	                    arena_printf(r->a, "establishment/%s", est), json_object())) < 0)
		goto out;
	rc = rec_commit(r);
out:
	return rc;
}

int rec_supervisor_worklist(struct rec *r, const struct rec_worklist_query *q,
                            const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { q->area,
		            q->risk,
		            q->days >= 0 ? rec_num(r, q->days) : NULL,
		            q->unassigned ? "true" : "false",
		            q->inspector > 0 ? rec_num(r, q->inspector) : NULL,
		            rec_num(r, q->limit) };
	int rc = rec_exec(r, STMT_SUPERVISOR_WORKLIST, p, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "worklist");
	return 0;
}

int rec_supervisor_inspectors(struct rec *r, const char **ret_json)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_SUPERVISOR_INSPECTORS, NULL, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "inspectors");
	return 0;
}

int rec_tablet_due(struct rec *r, int64_t inspector, long long days, const char **ret_json)
{
	int64_t who = inspector ? inspector : r->staff->id;
	const char *why = NULL;
	if (policy_due_list_check(r->staff->role, who == r->staff->id, &why) < 0)
		return rec_refuse_why(r, 403, "inspector", why, "records.policy.not_allowed");
	struct store_result *res;
	const char *p[] = { rec_num(r, who), rec_num(r, days) };
	int rc = rec_exec(r, STMT_TABLET_DUE_LIST, p, &res);
	if (rc < 0)
		return rc;
	*ret_json = store_get(res, 0, "due");
	return 0;
}

int rec_tablet_form(struct rec *r, const char *est, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { est };
	int rc = rec_exec(r, STMT_TABLET_FORM, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", est, NULL);
	*ret_json = store_get(res, 0, "form");
	return 0;
}

int rec_corrective_actions(struct rec *r, const char *est, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { est };
	int rc = rec_exec(r, STMT_CORRECTIVE_ACTIONS, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.establishment.not_found", "id", est, NULL);
	*ret_json = store_get(res, 0, "actions");
	return 0;
}
