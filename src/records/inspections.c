/*
 * inspections.c - inspections from draft to submission, amendments, and their records.
 *
 * An inspector creates an inspection with a key made on the device (a tablet that retries
 * after a lost reply gets the first result back and never a second inspection), edits the
 * draft, and submits it. Submission grades the inspection with the establishment's
 * published scheme, stores the score, grade and explanation, updates the posted grade and
 * the establishment's status, and logs it, all in one transaction. A submitted inspection
 * never changes: a correction is a new inspection that amends it, with a reason, and both
 * stay on the record; an appeal's decision makes such a revision with violations
 * dismissed.
 *
 * inspection_doc_check() is a pure check of a decoded document, here because what it
 * checks against is the inspection's scheme, read inside the transaction.
 */
#include "records/inspections.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/metrics.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"
#include "records/duties.h"
#include "records/log.h"
#include "records/schemes.h"

#define PUBLIC_CODE_LEN 8

static const char *boolstr(bool b)
{
	return b ? "true" : "false";
}

/* The name of error @rc, for the messages that tell what it means. */
static const char *errno_name(int rc)
{
	switch (-rc) {
	case EINVAL: return "EINVAL";
	case ERANGE: return "ERANGE";
	case ENOENT: return "ENOENT";
	case E2BIG: return "E2BIG";
	case EOVERFLOW: return "EOVERFLOW";
	default: return "other";
	}
}

/* A grading-engine error as a problem naming the input at fault. */
static int grade_problem(struct rec *r, const struct grade_scheme *s, int rc,
                         const struct grade_error *ge)
{
	if (ge->field && streq(ge->field, "days_since_previous")) {
		if (rc == -ERANGE) {
			/* The wait is the longer of the cycle rule (NYC: 7 days after the initial
			 * inspection) and the re-rating stand-still (FHRS: 90 days). */
			int wait = 0;
			grade_reinspection_wait_days(s, 0, &wait);
			bool standstill = s->rules.rerating_standstill_days >
			                  s->rules.min_days_before_reinspection;
			return rec_refuse(r, 422, "/started_at",
			                  standstill ? "records.grade.reinspection_after_rerated"
			                             : "records.grade.reinspection_after_initial",
			                  "scheme", s->name, "days", I18N_INT(wait), NULL);
		}
		return rec_refuse(r, 422, "/type", "records.grade.reinspection_needs_initial",
		                  NULL);
	}
	if (ge->field && ge->index >= 0 && strncmp(ge->field, "violations[]", 12) == 0)
		return rec_refuse(r, 422,
		                  arena_printf(r->a, "/violations/%d/%s", ge->index,
		                               ge->field[12] == '.' ? ge->field + 13 : "code"),
		                  "records.grade.violation_not_gradable", "scheme", s->name, NULL);
	return rec_refuse(r, 422, ge->field ? ge->field : NULL, "records.grade.not_gradable",
	                  "scheme", s->name, "error", errno_name(rc), "reason", strerror(-rc),
	                  NULL);
}

void rec_appeal_code_new(char out[APPEAL_CODE_LEN + 1])
{
	do
		random_code(out, APPEAL_CODE_LEN);
	while (!appeal_code_strong(out, RANDOM_CODE_ALPHABET));
}

int rec_inspection_lock(struct rec *r, const char *id, enum policy_action step,
                        struct store_result **ret)
{
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_INSPECTION_LOCK, p, ret);
	if (rc < 0)
		return rc;
	if (store_nrows(*ret) == 0)
		return rec_refuse(r, 404, NULL, "records.inspection.not_found", "id", id, NULL);
	return step == REC_NO_STEP ? 0 : rec_duty_check(r, id, step);
}

int rec_inspection_submit_draft(struct rec *r, const char *id, struct rec_submitted *ret)
{
	struct arena *a = r->a;
	struct store_result *ins, *vr, *days, *latest;
	const char *p[] = { id };
	int rc = rec_inspection_lock(r, id, REC_NO_STEP, &ins);
	if (rc < 0)
		return rc;
	if (!streq(store_get(ins, 0, "status"), "draft"))
		return rec_refuse(r, 409, NULL, "records.inspection.already_submitted", "id", id,
		                  NULL);
	struct store_result *conflicts;
	if ((rc = rec_exec(r, STMT_TABLET_CONFLICT_OPEN_COUNT, p, &conflicts)) < 0)
		return rc;
	if (store_get_int(conflicts, 0, "conflicts") > 0)
		return rec_refuse(r, 409, NULL, "records.inspection.edit_conflict", "id", id, NULL);
	/* A visit dated ahead would stay the establishment's latest for as long, so that no
	 * real visit displaced its grade, and its report's appeal code would not age. */
	struct store_result *ahead;
	if ((rc = rec_exec(r, STMT_INSPECTION_AHEAD, p, &ahead)) < 0)
		return rc;
	for (int c = 0; c < 2; c++)
		if (store_get_bool(ahead, 0, c ? "ended_ahead" : "started_ahead"))
			return rec_refuse(r, 422, c ? "/ended_at" : "/started_at",
			                  "records.inspection.dated_ahead", NULL);
	const char *est = store_get(ins, 0, "establishment_id");
	const struct grade_scheme *s;
	if ((rc = rec_scheme_of_inspection(r, id, &s)) < 0)
		return rc;
	const char *started = store_get(ins, 0, "started_at");
	const char *amends = store_get(ins, 0, "amends_inspection_id");

	struct grade_input in = { .days_since_previous = GRADE_DAYS_UNKNOWN };
	if (grade_inspection_type_parse(store_get(ins, 0, "inspection_type"), &in.type) < 0)
		return rec_refuse(r, 500, NULL, "records.inspection.type_unknown", NULL);
	in.closed_establishment = store_get_bool(ins, 0, "closed_establishment");
	if (store_get(ins, 0, "hygiene_score")) {
		static const char *const element_columns[GRADE_MAX_ELEMENTS] = {
			"hygiene_score", "structural_score", "management_score"
		};
		in.has_elements = true;
		for (int i = 0; i < GRADE_MAX_ELEMENTS; i++)
			in.elements[i] = (int)store_get_int(ins, 0, element_columns[i]);
	}
	if ((rc = rec_exec(r, STMT_INSPECTION_VIOLATIONS, p, &vr)) < 0)
		return rc;
	int n = store_nrows(vr);
	struct grade_violation_input *vi = arena_calloc(a, (size_t)n + 1, sizeof(*vi));
	for (int i = 0; i < n; i++) {
		vi[i].code = store_get(vr, i, "code");
		vi[i].points = (int)store_get_int(vr, i, "points");
		vi[i].dismissed = store_get_bool(vr, i, "dismissed");
	}
	in.violations = vi;
	in.n_violations = (size_t)n;
	const char *pdays[] = { est, started, boolstr(s->rules.min_days_before_reinspection > 0) };
	if ((rc = rec_exec(r, STMT_DAYS_SINCE_PREVIOUS, pdays, &days)) < 0)
		return rc;
	if (store_get(days, 0, "days"))
		in.days_since_previous = (int)store_get_int(days, 0, "days");

	struct grade_result *g = arena_alloc(a, sizeof(*g));
	struct grade_error ge = { 0 };
	if ((rc = grade_compute(s, &in, g, &ge)) < 0)
		return grade_problem(r, s, rc, &ge);

	char public_code[PUBLIC_CODE_LEN + 1], appeal_code[APPEAL_CODE_LEN + 1];
	char appeal_hash[SHA256_HEX_LEN + 1];
	random_code(public_code, PUBLIC_CODE_LEN);
	/* An amendment (or a decision's revision) is not a new report: it issues no appeal
	 * code, so whoever amends never holds a code that acts as the operator; the code on
	 * the operator's report keeps opening the amended one. */
	if (amends && ret->requested_code)
		return rec_refuse(r, 422, "/appeal_code", "records.inspection.amendment_no_code",
		                  NULL);
	if (ret->requested_code)
		memcpy(appeal_code, ret->requested_code, APPEAL_CODE_LEN + 1);
	else
		rec_appeal_code_new(appeal_code);
	sha256_hex(appeal_code, APPEAL_CODE_LEN, appeal_hash);
	if (ret->requested_code) {
		/* Made on the device: it must not open another report of the establishment. */
		struct store_result *used;
		const char *pu[] = { est, appeal_hash };
		if ((rc = rec_exec(r, STMT_APPEAL_CODE_IN_USE, pu, &used)) < 0)
			return rc;
		if (store_nrows(used) > 0)
			return rec_refuse(r, 409, "/appeal_code",
			                  "records.inspection.appeal_code_taken", NULL);
	}
	json_t *expl = json_arena(a, rec_grade_explanation(s, g));
	char *expl_text = json_dump_compact(expl, NULL);
	arena_defer(a, free, expl_text);
	const char *psub[] = { id,
		               rec_num(r, g->score),
		               g->code,
		               g->label,
		               grade_outcome_name(g->outcome),
		               boolstr(g->sets_posted_grade),
		               expl_text,
		               public_code,
		               amends ? NULL : appeal_hash,
		               rec_num(r, s->version) };
	if ((rc = rec_exec(r, STMT_INSPECTION_SUBMIT, psub, NULL)) < 0)
		return rc;

	/* Only the latest inspection decides what the establishment posts: one synced late
	 * from a tablet, or an amendment of an older one, leaves a newer grade standing. */
	const char *ids = arena_printf(a, "{%s%s%s}", id, amends ? "," : "", amends ? amends : "");
	const char *plat[] = { est, started, ids, amends };
	if ((rc = rec_exec(r, STMT_INSPECTION_IS_LATEST, plat, &latest)) < 0)
		return rc;
	bool is_latest = store_get_bool(latest, 0, "latest");

	struct grade_posted posted;
	bool posts = grade_posted_of(s, g, in.closed_establishment, &posted);
	const char *status = in.closed_establishment                 ? "closed"
	                     : in.type == GRADE_INSPECTION_REOPENING ? "active"
	                                                             : NULL;
	if (is_latest && status) {
		const char *pst[] = { est, status };
		if ((rc = rec_exec(r, STMT_ESTABLISHMENT_SET_STATUS, pst, NULL)) < 0)
			return rc;
	}

	json_t *cited = json_array();
	for (size_t i = 0; i < in.n_violations; i++)
		json_array_append_new(cited,
		                      json_pack("{s:s, s:i, s:b}", "code", vi[i].code, "points",
		                                vi[i].points, "dismissed", vi[i].dismissed));
	json_t *ev = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:o}", "establishment", est, "type",
	                       grade_inspection_type_name(in.type), "score", g->score, "grade_code",
	                       g->code, "outcome", grade_outcome_name(g->outcome), "public_code",
	                       public_code, "violations", cited);
	if (amends)
		json_object_set_new(ev, "amends", json_string(amends));
	if ((rc = rec_event(r, amends ? "inspection.amended" : "inspection.submitted",
	                    arena_printf(a, "inspection/%s", id), ev)) < 0)
		return rc;

	/* A re-inspection is the re-rating visit the operator asked for: it closes the open
	 * request (an amendment corrects a visit, it is not one). */
	if (in.type == GRADE_INSPECTION_REINSPECTION && !amends) {
		struct store_result *rr;
		const char *prr[] = { est, id, started };
		if ((rc = rec_exec(r, STMT_RERATING_CLOSE_BY_VISIT, prr, &rr)) < 0)
			return rc;
		if (store_nrows(rr) > 0 &&
		    (rc = rec_event(r, "rerating.inspected",
		                    arena_printf(a, "establishment/%s", est),
		                    json_pack("{s:s, s:s, s:s, s:s}", "request",
		                              store_get(rr, 0, "id"), "state", "inspected",
		                              "inspection", id, "by", "submission"))) < 0)
			return rc;
	}

	if (is_latest && posts) {
		const char *pg[] = { est,          posted.state,         posted.code,
			             posted.label, rec_num(r, g->score), id };
		if ((rc = rec_exec(r, STMT_POSTED_GRADE_SET, pg, NULL)) < 0 ||
		    (rc = rec_event(r, "grade.issued", arena_printf(a, "establishment/%s", est),
		                    json_pack("{s:s, s:s, s:s, s:i, s:s}", "state", posted.state,
		                              "code", posted.code, "label", posted.label, "score",
		                              g->score, "inspection", id))) < 0)
			return rc;
	}
	ret->appeal_code = amends ? NULL : arena_strdup(a, appeal_code);
	return 0;
}

int rec_inspection_dismiss(struct rec *r, const char *orig, const char *reason, size_t n,
                           const struct rec_dismissal *dismiss, const char **ret_id)
{
	struct arena *a = r->a;
	struct store_result *ins, *rev, *vr;
	const char *p[] = { orig };
	int rc = rec_inspection_lock(r, orig, REC_NO_STEP, &ins);
	if (rc < 0)
		return rc;
	if (!streq(store_get(ins, 0, "status"), "submitted"))
		return rec_refuse(r, 409, NULL, "records.inspection.is_draft", "id", orig, NULL);
	if (store_get(ins, 0, "amended_by"))
		return rec_refuse(r, 409, NULL, "records.inspection.already_amended", "id", orig,
		                  "by", store_get(ins, 0, "amended_by"), NULL);
	const char *pr[] = { orig, rec_num(r, r->staff->id), reason };
	if ((rc = store_exec(r->st, a, STMT_INSPECTION_REVISE, pr, &rev)) < 0 ||
	    (rc = store_exec(r->st, a, STMT_VIOLATIONS_OF, p, &vr)) < 0)
		return rc == -EEXIST
		               ? rec_refuse(r, 409, NULL, "records.inspection.amended_meanwhile",
		                            "id", orig, NULL)
		               : rec_store_error(r, rc);
	const char *id = store_get(rev, 0, "id");
	const char *scheme = store_get(rev, 0, "scheme_code");
	bool *used = arena_calloc(a, n + 1, sizeof(*used));
	for (int i = 0; i < store_nrows(vr); i++) {
		const char *status = store_get(vr, i, "status");
		const char *why = store_get(vr, i, "dismissed_reason");
		for (size_t k = 0; k < n; k++) {
			if (dismiss[k].violation_id != store_get_int(vr, i, "id"))
				continue;
			if (streq(status, "dismissed") || used[k])
				return rec_refuse(
				        r, 422, dismiss[k].field,
				        "records.inspection.violation_dismissed", "violation",
				        I18N_INT((long long)dismiss[k].violation_id), NULL);
			status = "dismissed";
			why = dismiss[k].reason;
			used[k] = true;
		}
		const char *pv[] = { id,
			             scheme,
			             store_get(vr, i, "code"),
			             store_get(vr, i, "observed"),
			             store_get(vr, i, "points"),
			             store_get(vr, i, "corrected_on_site"),
			             store_get(vr, i, "repeat"),
			             rec_num(r, (long long)i + 1),
			             status,
			             why,
			             store_get(vr, i, "correct_by") };
		if ((rc = rec_exec(r, STMT_VIOLATION_INSERT, pv, NULL)) < 0)
			return rc;
	}
	for (size_t k = 0; k < n; k++)
		if (!used[k])
			return rec_refuse(r, 422, dismiss[k].field,
			                  "records.inspection.violation_not_cited", "violation",
			                  I18N_INT((long long)dismiss[k].violation_id), "id", orig,
			                  NULL);
	struct rec_submitted sub = { 0 };
	if ((rc = rec_inspection_submit_draft(r, id, &sub)) < 0)
		return rc;
	*ret_id = id;
	return 0;
}

int inspection_doc_check(const struct grade_scheme *s, struct inspection_doc *d,
                         struct json_error *err)
{
	for (size_t i = 0; i < d->nviol; i++) {
		char field[64];
		const struct grade_violation_def *def = grade_violation_lookup(s, d->viol[i].code);
		if (!def) {
			snprintf(field, sizeof(field), "/violations/%zu/code", i);
			return json_error_set(err, field, "api.violations.unknown_code", "code",
			                      d->viol[i].code, "scheme", s->name, "scheme_code",
			                      s->code, NULL);
		}
		if (d->viol[i].points < 0)
			d->viol[i].points = def->default_points;
		if (d->viol[i].points < def->min_points || d->viol[i].points > def->max_points) {
			snprintf(field, sizeof(field), "/violations/%zu/points", i);
			return json_error_set(err, field, "api.violations.points", "code",
			                      def->code, "min", I18N_INT(def->min_points), "max",
			                      I18N_INT(def->max_points), "points",
			                      I18N_INT((long long)d->viol[i].points), NULL);
		}
		if (def->element >= 0) {
			/* An element contribution is one of the element's own scores. */
			const struct grade_element *e = &s->elements[def->element];
			bool ok = false;
			for (size_t j = 0; j < e->n_allowed; j++)
				ok |= e->allowed[j] == d->viol[i].points;
			if (!ok) {
				snprintf(field, sizeof(field), "/violations/%zu/points", i);
				return json_error_set(err, field, "api.violations.element_points",
				                      "code", def->code, "element", e->name,
				                      "scheme_code", s->code, "points",
				                      I18N_INT((long long)d->viol[i].points), NULL);
			}
		}
	}
	if (d->has_elements) {
		if (s->n_elements == 0)
			return json_error_set(err, "/elements", "api.elements.none", "scheme",
			                      s->name, NULL);
		for (size_t i = 0; i < s->n_elements; i++) {
			const struct grade_element *e = &s->elements[i];
			bool ok = false;
			for (size_t j = 0; j < e->n_allowed; j++)
				ok |= e->allowed[j] == d->elements[i];
			if (!ok) {
				char field[64];
				snprintf(field, sizeof(field), "/elements/%s", e->name);
				return json_error_set(err, field, "api.elements.not_allowed",
				                      "score", I18N_INT((long long)d->elements[i]),
				                      "element", e->name, NULL);
			}
		}
	}
	const char *codes[GRADE_MAX_VIOLATIONS];
	for (size_t i = 0; i < d->nviol; i++)
		codes[i] = d->viol[i].code;
	return tablet_check_doc(s, &d->tablet, codes, d->nviol, err);
}

/* A document the scheme refuses, as the refusal of a decoding error: 422 naming the field. */
static int check_doc(struct rec *r, const struct grade_scheme *s, struct inspection_doc *d)
{
	struct json_error err;
	if (inspection_doc_check(s, d, &err) < 0)
		return rec_refuse_json(r, streq(err.field, "body") ? 400 : 422, &err);
	return 0;
}

/* Store the violations and the tablet's part of @d for inspection @id (replacing any). */
static int store_violations(struct rec *r, const char *id, const char *scheme,
                            const struct inspection_doc *d)
{
	const char *pd[] = { id };
	int rc = rec_exec(r, STMT_VIOLATIONS_DELETE, pd, NULL);
	for (size_t i = 0; rc == 0 && i < d->nviol; i++) {
		const char *p[] = { id,
			            scheme,
			            d->viol[i].code,
			            d->viol[i].observed,
			            rec_num(r, d->viol[i].points),
			            boolstr(d->viol[i].corrected_on_site),
			            boolstr(d->viol[i].repeat),
			            rec_num(r, (long long)i + 1),
			            NULL,
			            NULL,
			            d->viol[i].correct_by };
		rc = rec_exec(r, STMT_VIOLATION_INSERT, p, NULL);
	}
	return rc < 0 ? rc : rec_tablet_store_doc(r, id, &d->tablet);
}

/*
 * @json (an object) with the appeal code just issued added, when there is one. The code is
 * printed on the operator's report and sent in this one answer; the database keeps only its
 * hash, and an answer stored for a replay never holds it.
 */
static const char *with_appeal_code(struct arena *a, const char *json,
                                    const struct rec_submitted *sub)
{
	if (!sub || !sub->appeal_code)
		return json;
	size_t n = strlen(json);
	return arena_printf(a, "%.*s,\"appeal_code\":\"%s\"}", (int)(n - 1), json,
	                    sub->appeal_code);
}

/* The inspection as staff see it, with the appeal code when it was just issued. */
static int staff_json(struct rec *r, const char *id, const struct rec_submitted *sub,
                      const char **ret)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_INSPECTION_JSON_STAFF, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.inspection.not_found", "id", id, NULL);
	*ret = with_appeal_code(r->a, rec_localize_json(r, store_get(res, 0, "inspection")), sub);
	return 0;
}

/* Lock inspection @id for a change of its draft by r->staff; its row in *@ret. */
/*
 * A visit is graded under the scheme its jurisdiction was on that day. Inspection @id keeps
 * the scheme it was opened under; dating its visit @started instead is refused (422) when a
 * move to another scheme falls between the two days, so that nobody picks the scheme a visit
 * is graded under by re-dating it.
 */
static int check_scheme_day(struct rec *r, const char *id, const char *started)
{
	struct store_result *res;
	const char *p[] = { id, started };
	int rc;
	if (!started)
		return 0;
	if ((rc = rec_exec(r, STMT_INSPECTION_SCHEME_CROSSING, p, &res)) < 0)
		return rc;
	if (store_nrows(res) == 0)
		return 0;
	const char *then = store_get(res, 0, "scheme_then"), *now = store_get(res, 0, "scheme_new");
	if (then && now && !streq(then, now))
		return rec_refuse(r, 422, "/started_at", "records.inspection.scheme_changed", "now",
		                  now, "then", then, NULL);
	return 0;
}

static int lock_draft(struct rec *r, const char *id, struct store_result **ret)
{
	return rec_inspection_lock(r, id, POLICY_DRAFT_EDIT, ret);
}

/* A new inspection of @establishment by r->staff from document @d, visited at @started:
 * a draft, or a revision amending @amends with the document's reason. Its row in *@ret. */
static int insert_inspection(struct rec *r, const char *establishment, const char *started,
                             const struct inspection_doc *d, const char *amends,
                             struct store_result **ret)
{
	const char *p[] = { establishment,
		            d->type,
		            rec_num(r, r->staff->id),
		            started,
		            d->ended_at,
		            boolstr(d->closed),
		            d->has_elements ? rec_num(r, d->elements[0]) : NULL,
		            d->has_elements ? rec_num(r, d->elements[1]) : NULL,
		            d->has_elements ? rec_num(r, d->elements[2]) : NULL,
		            d->notes,
		            d->signature,
		            d->signed_name,
		            amends,
		            amends ? d->reason : NULL };
	return rec_exec(r, STMT_INSPECTION_CREATE, p, ret);
}

int rec_inspection_create(struct rec *r, const char *key, const char *body_hash,
                          struct inspection_doc *d, struct rec_inspection_written *ret)
{
	struct store_result *claim, *res;
	const char *user = rec_num(r, r->staff->id);
	const char *pk[] = { user, key, body_hash };
	int rc;
	*ret = (struct rec_inspection_written){ .version = -1 };
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_IDEMPOTENCY_CLAIM, pk, &claim)) < 0)
		goto out;
	if (store_nrows(claim) == 0) {
		/* Seen before: the same request gets the first answer again. */
		const char *pg[] = { user, key };
		if ((rc = rec_exec(r, STMT_IDEMPOTENCY_GET, pg, &res)) < 0)
			goto out;
		if (!streq(store_get(res, 0, "request_hash"), body_hash)) {
			rc = rec_refuse(r, 422, "Idempotency-Key",
			                "records.inspection.idempotency_key_reused", NULL);
			goto out;
		}
		ret->replayed = true;
		ret->replayed_status = (int)store_get_int(res, 0, "status");
		metrics_add(METRICS_TABLET_REPLAYED_INSPECTIONS, 1);
		ret->json = store_get(res, 0, "response");
		rc = 0;
		goto out;
	}
	if ((rc = insert_inspection(r, rec_num(r, d->establishment_id), d->started_at, d, NULL,
	                            &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 422, "/establishment_id", "records.establishment.not_found",
		                "id", I18N_INT((long long)d->establishment_id), NULL);
		goto out;
	}
	const char *id = store_get(res, 0, "id");
	const char *scheme_code = store_get(res, 0, "scheme_code");
	struct rec_submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
	const struct grade_scheme *s;
	/* Made and submitted at once: the same rule as submitting a draft, so a supervisor is
	 * never handed a report's appeal code by creating the report themselves. */
	if ((d->submit && (rc = rec_duty_check(r, id, POLICY_DRAFT_SUBMIT)) < 0) ||
	    (rc = rec_scheme_of_inspection(r, id, &s)) < 0 || (rc = check_doc(r, s, d)) < 0 ||
	    (rc = store_violations(r, id, scheme_code, d)) < 0 ||
	    (d->submit && (rc = rec_inspection_submit_draft(r, id, &sub)) < 0))
		goto out;
	/* The answer a retry with this key gets again: without the appeal code, which is not
	 * kept in plain text anywhere (the device that made it has it; a lost one is replaced
	 * with rec_inspection_appeal_code_reissue()). */
	const char *replay;
	if ((rc = staff_json(r, id, NULL, &replay)) < 0)
		goto out;
	const char *pf[] = { user, key, "201", replay };
	if ((rc = rec_exec(r, STMT_IDEMPOTENCY_FINISH, pf, NULL)) < 0 || (rc = rec_commit(r)) < 0)
		goto out;
	ret->id = id;
	ret->json = with_appeal_code(r->a, replay, &sub);
out:
	return rc;
}

int rec_inspection_update(struct rec *r, const char *id, struct inspection_doc *d,
                          struct rec_version_check *v, struct rec_inspection_written *ret)
{
	struct store_result *ins;
	int rc;
	*ret = (struct rec_inspection_written){ .id = id, .version = -1 };
	if ((rc = rec_begin(r)) < 0 || (rc = lock_draft(r, id, &ins)) < 0 ||
	    (rc = rec_tablet_version_check(r, id, v)) < 0 ||
	    (rc = check_scheme_day(r, id, d->started_at)) < 0)
		goto out;
	const struct grade_scheme *s;
	if ((rc = rec_scheme_of_inspection(r, id, &s)) < 0 || (rc = check_doc(r, s, d)) < 0)
		goto out;
	const char *scheme_code = store_get(ins, 0, "scheme_code");
	const char *pu[] = { id,
		             d->type,
		             d->started_at,
		             d->ended_at,
		             boolstr(d->closed),
		             d->has_elements ? rec_num(r, d->elements[0]) : NULL,
		             d->has_elements ? rec_num(r, d->elements[1]) : NULL,
		             d->has_elements ? rec_num(r, d->elements[2]) : NULL,
		             d->notes,
		             d->signature,
		             d->signed_name };
	struct rec_submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
	if ((d->submit && (rc = rec_duty_check(r, id, POLICY_DRAFT_SUBMIT)) < 0) ||
	    (rc = rec_exec(r, STMT_INSPECTION_UPDATE_DRAFT, pu, NULL)) < 0 ||
	    (rc = store_violations(r, id, scheme_code, d)) < 0 ||
	    (d->submit && (rc = rec_inspection_submit_draft(r, id, &sub)) < 0) ||
	    (rc = staff_json(r, id, &sub, &ret->json)) < 0 ||
	    (rc = rec_tablet_version(r, id, &ret->version)) < 0)
		goto out;
	rc = rec_commit(r);
out:
	return rc;
}

int rec_inspection_submit(struct rec *r, const char *id, const char *code,
                          struct rec_inspection_written *ret)
{
	struct store_result *ins;
	struct rec_submitted sub = { .requested_code = code };
	int rc;
	*ret = (struct rec_inspection_written){ .id = id, .version = -1 };
	if ((rc = rec_begin(r)) < 0 ||
	    (rc = rec_inspection_lock(r, id, POLICY_DRAFT_SUBMIT, &ins)) < 0 ||
	    (rc = rec_inspection_submit_draft(r, id, &sub)) < 0 ||
	    (rc = staff_json(r, id, &sub, &ret->json)) < 0)
		goto out;
	rc = rec_commit(r);
out:
	return rc;
}

int rec_inspection_appeal_code_reissue(struct rec *r, const char *id, const char *reason,
                                       char code[APPEAL_CODE_LEN + 1])
{
	struct store_result *res;
	const char *p[] = { id };
	int rc;
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_APPEAL_CODE_TARGET, p, &res)) < 0)
		goto out;
	if (store_nrows(res) == 0) {
		rc = rec_refuse(r, 404, NULL, "records.inspection.not_found", "id", id, NULL);
		goto out;
	}
	if ((rc = rec_duty_check(r, id, POLICY_CODE_REISSUE)) < 0)
		goto out;
	char hash[SHA256_HEX_LEN + 1];
	rec_appeal_code_new(code);
	sha256_hex(code, APPEAL_CODE_LEN, hash);
	const char *pr[] = { id, hash };
	const char *pi[] = { id, hash, rec_num(r, r->staff->id), reason };
	if ((rc = rec_exec(r, STMT_APPEAL_CODE_KEEP_REPLACED, p, NULL)) < 0 ||
	    (rc = rec_exec(r, STMT_APPEAL_CODE_REPLACE, pr, NULL)) < 0 ||
	    (rc = rec_exec(r, STMT_APPEAL_CODE_REISSUE_RECORD, pi, NULL)) < 0 ||
	    (rc = rec_event(r, "inspection.appeal_code_reissued",
	                    arena_printf(r->a, "inspection/%s", id),
	                    json_pack("{s:s, s:s}", "establishment",
	                              store_get(res, 0, "establishment_id"), "by", "clerk"))) < 0)
		goto out;
	rc = rec_commit(r);
out:
	return rc;
}

/* A store error of an amendment: 409 when another amendment came first. */
static int amend_error(struct rec *r, int rc, const char *orig)
{
	return rc == -EEXIST ? rec_refuse(r, 409, NULL, "records.inspection.amended_meanwhile",
	                                  "id", orig, NULL)
	                     : rc;
}

int rec_inspection_amend(struct rec *r, const char *orig, struct inspection_doc *d,
                         struct rec_inspection_written *ret)
{
	struct store_result *ins, *res;
	int rc;
	*ret = (struct rec_inspection_written){ .version = -1 };
	/* The own inspector or a supervisor; the newest revision; no appeal open or decided. */
	if ((rc = rec_begin(r)) < 0 || (rc = rec_inspection_lock(r, orig, POLICY_AMEND, &ins)) < 0)
		goto out;
	const char *scheme_code = store_get(ins, 0, "scheme_code");
	const struct grade_scheme *s;
	if ((rc = check_scheme_day(r, orig, d->started_at)) < 0 ||
	    (rc = rec_scheme_of_inspection(r, orig, &s)) < 0 || (rc = check_doc(r, s, d)) < 0)
		goto out;
	const char *started = d->started_at ? d->started_at : store_get(ins, 0, "started_at");
	if ((rc = insert_inspection(r, store_get(ins, 0, "establishment_id"), started, d, orig,
	                            &res)) < 0) {
		rc = amend_error(r, rc, orig);
		goto out;
	}
	const char *id = store_get(res, 0, "id");
	struct rec_submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
	if ((rc = store_violations(r, id, scheme_code, d)) < 0) {
		rc = amend_error(r, rc, orig);
		goto out;
	}
	if ((rc = rec_inspection_submit_draft(r, id, &sub)) < 0 ||
	    (rc = staff_json(r, id, &sub, &ret->json)) < 0)
		goto out;
	if ((rc = rec_commit(r)) < 0) {
		rc = amend_error(r, rc, orig);
		goto out;
	}
	ret->id = id;
out:
	return rc;
}

int rec_inspection_public(struct rec *r, const char *id, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_INSPECTION_JSON_PUBLIC, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.inspection.not_published", "id", id, NULL);
	*ret_json = rec_localize_json(r, store_get(res, 0, "inspection"));
	return 0;
}

int rec_inspection_staff(struct rec *r, const char *id, struct rec_inspection_written *ret)
{
	*ret = (struct rec_inspection_written){ .id = id, .version = -1 };
	int rc = staff_json(r, id, NULL, &ret->json);
	if (rc < 0)
		return rc;
	return rec_tablet_version(r, id, &ret->version);
}
