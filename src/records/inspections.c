/*
 * inspections.c - an inspection's submission: grading with the establishment's published
 * scheme, the score, grade and explanation stored, the posted grade and the establishment's
 * status updated, the events logged, all inside the caller's transaction; and the revision
 * an appeal's decision makes with violations dismissed.
 */
#include "records/inspections.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"
#include "records/log.h"
#include "records/schemes.h"

#define PUBLIC_CODE_LEN 8

static const char *boolstr(bool b)
{
	return b ? "true" : "false";
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
			                  "A re-inspection under %s must be at least %d days after "
			                  "%s.",
			                  s->name, wait,
			                  standstill ? "the inspection it re-rates"
			                             : "the initial inspection");
		}
		return rec_refuse(r, 422, "/type",
		                  "A re-inspection needs an earlier initial inspection of this "
		                  "establishment.");
	}
	if (ge->field && ge->index >= 0 && strncmp(ge->field, "violations[]", 12) == 0)
		return rec_refuse(r, 422,
		                  arena_printf(r->a, "/violations/%d/%s", ge->index,
		                               ge->field[12] == '.' ? ge->field + 13 : "code"),
		                  "This violation cannot be graded under %s.", s->name);
	return rec_refuse(r, 422, ge->field ? ge->field : NULL,
	                  "The inspection cannot be graded under %s (%s).", s->name, strerror(-rc));
}

void rec_appeal_code_new(char out[APPEAL_CODE_LEN + 1])
{
	do
		random_code(out, APPEAL_CODE_LEN);
	while (!appeal_code_strong(out, RANDOM_CODE_ALPHABET));
}

int rec_inspection_submit_draft(struct rec *r, const char *id, struct rec_submitted *ret)
{
	struct arena *a = r->a;
	struct store_result *ins, *vr, *days, *latest;
	const char *p[] = { id };
	int rc = rec_exec(r, STMT_INSPECTION_LOCK, p, &ins);
	if (rc < 0)
		return rc;
	if (store_nrows(ins) == 0)
		return rec_refuse(r, 404, NULL, "There is no inspection %s.", id);
	if (!streq(store_get(ins, 0, "status"), "draft"))
		return rec_refuse(r, 409, NULL,
		                  "Inspection %s is already submitted; correct it with an "
		                  "amendment.",
		                  id);
	struct store_result *conflicts;
	if ((rc = rec_exec(r, STMT_TABLET_CONFLICT_OPEN_COUNT, p, &conflicts)) < 0)
		return rc;
	if (store_get_int(conflicts, 0, "conflicts") > 0)
		return rec_refuse(r, 409, NULL,
		                  "Inspection %s has an edit conflict between two devices; resolve "
		                  "it before submitting.",
		                  id);
	/* A visit dated ahead would stay the establishment's latest for as long, so that no
	 * real visit displaced its grade, and its report's appeal code would not age. */
	struct store_result *ahead;
	if ((rc = rec_exec(r, STMT_INSPECTION_AHEAD, p, &ahead)) < 0)
		return rc;
	for (int c = 0; c < 2; c++)
		if (store_get_bool(ahead, 0, c ? "ended_ahead" : "started_ahead"))
			return rec_refuse(r, 422, c ? "/ended_at" : "/started_at",
			                  "A visit cannot be dated more than a day ahead of the "
			                  "server's clock; check the device's date and time.");
	const char *est = store_get(ins, 0, "establishment_id");
	const struct grade_scheme *s = grade_scheme_builtin(store_get(ins, 0, "scheme_code"));
	if (!s)
		return rec_refuse(r, 500, NULL, "The inspection's scheme is unknown.");
	const char *started = store_get(ins, 0, "started_at");
	const char *amends = store_get(ins, 0, "amends_inspection_id");

	struct grade_input in = { .days_since_previous = GRADE_DAYS_UNKNOWN };
	if (grade_inspection_type_parse(store_get(ins, 0, "inspection_type"), &in.type) < 0)
		return rec_refuse(r, 500, NULL, "The inspection's type is unknown.");
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
		return rec_refuse(r, 422, "/appeal_code",
		                  "An amendment issues no appeal code: the operator keeps the "
		                  "code on the report they were given.");
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
			                  "This appeal code is already on another report of this "
			                  "establishment; make a new one.");
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
		               amends ? NULL : appeal_hash };
	if ((rc = rec_exec(r, STMT_INSPECTION_SUBMIT, psub, NULL)) < 0)
		return rc;

	/* Only the latest inspection decides what the establishment posts: one synced late
	 * from a tablet, or an amendment of an older one, leaves a newer grade standing. */
	const char *ids = arena_printf(a, "{%s%s%s}", id, amends ? "," : "", amends ? amends : "");
	const char *plat[] = { est, started, ids, amends };
	if ((rc = rec_exec(r, STMT_INSPECTION_IS_LATEST, plat, &latest)) < 0)
		return rc;
	bool is_latest = store_get_bool(latest, 0, "latest");

	const char *state = NULL, *status = NULL;
	if (in.closed_establishment) {
		state = "closed";
		status = "closed";
	} else if (g->sets_posted_grade) {
		state = g->outcome == GRADE_OUTCOME_GRADED    ? "graded"
		        : g->outcome == GRADE_OUTCOME_PENDING ? "pending"
		                                              : "not_yet_graded";
	}
	if (in.type == GRADE_INSPECTION_REOPENING && !in.closed_establishment)
		status = "active";
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

	if (is_latest && state) {
		const char *label = streq(state, "closed") ? "Closed" : g->label;
		const char *code = streq(state, "closed") ? "" : g->code;
		const char *pg[] = { est, state, code, label, rec_num(r, g->score), id };
		if ((rc = rec_exec(r, STMT_POSTED_GRADE_SET, pg, NULL)) < 0 ||
		    (rc = rec_event(r, "grade.issued", arena_printf(a, "establishment/%s", est),
		                    json_pack("{s:s, s:s, s:s, s:i, s:s}", "state", state, "code",
		                              code, "label", label, "score", g->score, "inspection",
		                              id))) < 0)
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
	int rc = rec_exec(r, STMT_INSPECTION_LOCK, p, &ins);
	if (rc < 0)
		return rc;
	if (store_nrows(ins) == 0)
		return rec_refuse(r, 404, NULL, "There is no inspection %s.", orig);
	if (!streq(store_get(ins, 0, "status"), "submitted"))
		return rec_refuse(r, 409, NULL, "Inspection %s is a draft.", orig);
	if (store_get(ins, 0, "amended_by"))
		return rec_refuse(r, 409, NULL, "Inspection %s was already amended by %s.", orig,
		                  store_get(ins, 0, "amended_by"));
	const char *pr[] = { orig, rec_num(r, r->staff->id), reason };
	if ((rc = store_exec(r->st, a, STMT_INSPECTION_REVISE, pr, &rev)) < 0 ||
	    (rc = store_exec(r->st, a, STMT_VIOLATIONS_OF, p, &vr)) < 0)
		return rc == -EEXIST ? rec_refuse(r, 409, NULL,
		                                  "Inspection %s was amended meanwhile.", orig)
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
				return rec_refuse(r, 422, dismiss[k].field,
				                  "Violation %lld is already dismissed.",
				                  (long long)dismiss[k].violation_id);
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
			             why };
		if ((rc = rec_exec(r, STMT_VIOLATION_INSERT, pv, NULL)) < 0)
			return rc;
	}
	for (size_t k = 0; k < n; k++)
		if (!used[k])
			return rec_refuse(r, 422, dismiss[k].field,
			                  "Violation %lld is not cited on inspection %s.",
			                  (long long)dismiss[k].violation_id, orig);
	struct rec_submitted sub = { 0 };
	if ((rc = rec_inspection_submit_draft(r, id, &sub)) < 0)
		return rc;
	*ret_id = id;
	return 0;
}
