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
#include "api/inspection_doc.h"
#include "api/tablet.h"
#include "core/crypto.h"
#include "core/util.h"
#include "domain/appeal.h"
#include "domain/grade.h"

#define IDEMPOTENCY_KEY_MAX 200
#define PUBLIC_CODE_LEN     8

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

json_t *api_grade_explanation(const struct grade_scheme *s, const struct grade_result *r)
{
	json_t *v = json_object();
	json_object_set_new(v, "scheme",
	                    json_pack("{s:s, s:i}", "code", s->code, "version", s->version));
	json_object_set_new(v, "score", json_integer(r->score));
	json_object_set_new(v, "deductions", json_integer(r->deductions));
	if (s->n_elements) {
		json_t *els = json_object();
		for (size_t i = 0; i < s->n_elements; i++)
			json_object_set_new(els, s->elements[i].name, json_integer(r->elements[i]));
		json_object_set_new(v, "elements", els);
	}
	json_object_set_new(v, "band",
	                    json_pack("{s:s, s:s, s:i}", "label", r->band->label, "code",
	                              r->band->code, "min", r->band->min));
	json_object_set_new(json_object_get(v, "band"), "max",
	                    r->band->max == GRADE_SCORE_OPEN ? json_null()
	                                                     : json_integer(r->band->max));
	if (r->rated_band != r->band)
		json_object_set_new(v, "capped_to",
		                    json_pack("{s:s, s:s, s:s}", "label", r->rated_band->label,
		                              "code", r->rated_band->code, "by_element",
		                              r->capping_element >= 0
		                                      ? s->elements[r->capping_element].name
		                                      : ""));
	json_object_set_new(v, "outcome", json_string(grade_outcome_name(r->outcome)));
	json_object_set_new(v, "grade",
	                    json_pack("{s:s, s:s}", "label", r->label, "code", r->code));
	json_object_set_new(v, "sets_grade", json_boolean(r->sets_posted_grade));
	json_object_set_new(v, "reinspection_required", json_boolean(r->reinspection_required));
	if (r->reinspection_required)
		json_object_set_new(v, "reinspection_min_days",
		                    json_integer(r->reinspection_min_days));
	const struct {
		const char *name;
		const struct grade_line *lines;
		size_t n;
	} groups[] = { { "counted", r->counted, r->n_counted },
		       { "dismissed", r->dismissed, r->n_dismissed } };
	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		json_t *arr = json_array();
		for (size_t i = 0; i < groups[g].n; i++) {
			const struct grade_line *l = &groups[g].lines[i];
			/* Descriptions are in the catalogue and beside each violation. */
			json_t *line =
			        json_pack("{s:s, s:s, s:i}", "code", l->code, "category",
			                  grade_category_name(l->category), "points", l->points);
			if (l->element >= 0)
				json_object_set_new(line, "element",
				                    json_string(s->elements[l->element].name));
			json_array_append_new(arr, line);
		}
		json_object_set_new(v, groups[g].name, arr);
	}
	json_object_set_new(v, "rule", json_string(r->rule));
	return v;
}

/* A grading-engine error as a problem naming the input at fault. */
static int grade_problem(struct arena *a, struct http_response *res, const struct grade_scheme *s,
                         int rc, const struct grade_error *ge)
{
	if (ge->field && streq(ge->field, "days_since_previous")) {
		if (rc == -ERANGE) {
			/* The wait is the longer of the cycle rule (NYC: 7 days after the initial
			 * inspection) and the re-rating stand-still (FHRS: 90 days). */
			int wait = 0;
			grade_reinspection_wait_days(s, 0, &wait);
			bool standstill = s->rules.rerating_standstill_days >
			                  s->rules.min_days_before_reinspection;
			return http_problem(
			        res, 422, "/started_at",
			        "A re-inspection under %s must be at least %d days after "
			        "%s.",
			        s->name, wait,
			        standstill ? "the inspection it re-rates"
			                   : "the initial inspection");
		}
		return http_problem(res, 422, "/type",
		                    "A re-inspection needs an earlier initial inspection of this "
		                    "establishment.");
	}
	if (ge->field && ge->index >= 0 && strncmp(ge->field, "violations[]", 12) == 0)
		return http_problem(res, 422,
		                    arena_printf(a, "/violations/%d/%s", ge->index,
		                                 ge->field[12] == '.' ? ge->field + 13 : "code"),
		                    "This violation cannot be graded under %s.", s->name);
	return http_problem(res, 422, ge->field ? ge->field : NULL,
	                    "The inspection cannot be graded under %s (%s).", s->name,
	                    strerror(-rc));
}

/* A new appeal code, as strong as a device's must be (appeal_code_strong). */
static void new_appeal_code(char out[APPEAL_CODE_LEN + 1])
{
	do
		random_code(out, APPEAL_CODE_LEN);
	while (!appeal_code_strong(out, RANDOM_CODE_ALPHABET));
}

struct submitted {
	const char *requested_code; /* in: the device's appeal code, or NULL to make one */
	const char *appeal_code;    /* out: plain text, shown once */
};

/*
 * Grade and submit draft @id inside the caller's transaction. Returns 0, or the status of a
 * problem written to @res (the caller rolls back). -status on store errors is mapped here.
 */
static int submit_draft(struct http_request *req, struct http_response *res, struct store *st,
                        const char *id, struct submitted *ret)
{
	struct arena *a = req->arena;
	struct store_result *ins, *vr, *days, *latest;
	const char *p[] = { id };
	int rc = store_exec(st, a, STMT_INSPECTION_LOCK, p, &ins);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(ins) == 0)
		return http_problem(res, 404, NULL, "There is no inspection %s.", id);
	if (!streq(store_value(ins, 0, 5), "draft"))
		return http_problem(res, 409, NULL,
		                    "Inspection %s is already submitted; correct it with an "
		                    "amendment.",
		                    id);
	if ((rc = tablet_submit_check(req, res, st, id)))
		return rc;
	/* A visit dated ahead would stay the establishment's latest for as long, so that no
	 * real visit displaced its grade, and its report's appeal code would not age. */
	struct store_result *ahead;
	if ((rc = store_exec(st, a, STMT_INSPECTION_AHEAD, p, &ahead)) < 0)
		return api_store_error(res, st, rc);
	for (int c = 0; c < 2; c++)
		if (streq(store_value(ahead, 0, c), "t"))
			return http_problem(res, 422, c ? "/ended_at" : "/started_at",
			                    "A visit cannot be dated more than a day ahead of the "
			                    "server's clock; check the device's date and time.");
	const char *est = store_value(ins, 0, 1);
	const struct grade_scheme *s = grade_scheme_builtin(store_value(ins, 0, 2));
	if (!s)
		return http_problem(res, 500, NULL, "The inspection's scheme is unknown.");
	const char *started = store_value(ins, 0, 10);
	const char *amends = store_value(ins, 0, 11);

	struct grade_input in = { .days_since_previous = GRADE_DAYS_UNKNOWN };
	if (grade_inspection_type_parse(store_value(ins, 0, 3), &in.type) < 0)
		return http_problem(res, 500, NULL, "The inspection's type is unknown.");
	in.closed_establishment = streq(store_value(ins, 0, 6), "t");
	if (store_value(ins, 0, 7)) {
		in.has_elements = true;
		for (int i = 0; i < GRADE_MAX_ELEMENTS; i++)
			in.elements[i] = (int)store_value_int(ins, 0, 7 + i);
	}
	if ((rc = store_exec(st, a, STMT_INSPECTION_VIOLATIONS, p, &vr)) < 0)
		return api_store_error(res, st, rc);
	int n = store_nrows(vr);
	struct grade_violation_input *vi = arena_calloc(a, (size_t)n + 1, sizeof(*vi));
	for (int i = 0; i < n; i++) {
		vi[i].code = store_value(vr, i, 0);
		vi[i].points = (int)store_value_int(vr, i, 1);
		vi[i].dismissed = streq(store_value(vr, i, 2), "t");
	}
	in.violations = vi;
	in.n_violations = (size_t)n;
	const char *pdays[] = { est, started, boolstr(s->rules.min_days_before_reinspection > 0) };
	if ((rc = store_exec(st, a, STMT_DAYS_SINCE_PREVIOUS, pdays, &days)) < 0)
		return api_store_error(res, st, rc);
	if (store_value(days, 0, 0))
		in.days_since_previous = (int)store_value_int(days, 0, 0);

	struct grade_result *g = arena_alloc(a, sizeof(*g));
	struct grade_error ge = { 0 };
	if ((rc = grade_compute(s, &in, g, &ge)) < 0)
		return grade_problem(a, res, s, rc, &ge);

	char public_code[PUBLIC_CODE_LEN + 1], appeal_code[APPEAL_CODE_LEN + 1];
	char appeal_hash[SHA256_HEX_LEN + 1];
	random_code(public_code, PUBLIC_CODE_LEN);
	/* An amendment (or a decision's revision) is not a new report: it issues no appeal
	 * code, so whoever amends never holds a code that acts as the operator; the code on
	 * the operator's report keeps opening the amended one. */
	if (amends && ret->requested_code)
		return http_problem(res, 422, "/appeal_code",
		                    "An amendment issues no appeal code: the operator keeps the "
		                    "code on the report they were given.");
	if (ret->requested_code)
		memcpy(appeal_code, ret->requested_code, APPEAL_CODE_LEN + 1);
	else
		new_appeal_code(appeal_code);
	sha256_hex(appeal_code, APPEAL_CODE_LEN, appeal_hash);
	if (ret->requested_code) {
		/* Made on the device: it must not open another report of the establishment. */
		struct store_result *used;
		const char *pu[] = { est, appeal_hash };
		if ((rc = store_exec(st, a, STMT_APPEAL_CODE_IN_USE, pu, &used)) < 0)
			return api_store_error(res, st, rc);
		if (store_nrows(used) > 0)
			return http_problem(res, 409, "/appeal_code",
			                    "This appeal code is already on another report of this "
			                    "establishment; make a new one.");
	}
	json_t *expl = json_arena(a, api_grade_explanation(s, g));
	char *expl_text = json_dump_compact(expl, NULL);
	arena_defer(a, free, expl_text);
	const char *psub[] = { id,
		               num(a, g->score),
		               g->code,
		               g->label,
		               grade_outcome_name(g->outcome),
		               boolstr(g->sets_posted_grade),
		               expl_text,
		               public_code,
		               amends ? NULL : appeal_hash };
	if ((rc = store_exec(st, a, STMT_INSPECTION_SUBMIT, psub, NULL)) < 0)
		return api_store_error(res, st, rc);

	/* Only the latest inspection decides what the establishment posts: one synced late
	 * from a tablet, or an amendment of an older one, leaves a newer grade standing. */
	const char *ids = arena_printf(a, "{%s%s%s}", id, amends ? "," : "", amends ? amends : "");
	const char *plat[] = { est, started, ids, amends };
	if ((rc = store_exec(st, a, STMT_INSPECTION_IS_LATEST, plat, &latest)) < 0)
		return api_store_error(res, st, rc);
	bool is_latest = streq(store_value(latest, 0, 0), "t");

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
		if ((rc = store_exec(st, a, STMT_ESTABLISHMENT_SET_STATUS, pst, NULL)) < 0)
			return api_store_error(res, st, rc);
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
	if ((rc = api_event(st, a, amends ? "inspection.amended" : "inspection.submitted",
	                    arena_printf(a, "inspection/%s", id), ev)) < 0)
		return api_store_error(res, st, rc);

	/* A re-inspection is the re-rating visit the operator asked for: it closes the open
	 * request (an amendment corrects a visit, it is not one). */
	if (in.type == GRADE_INSPECTION_REINSPECTION && !amends) {
		struct store_result *rr;
		const char *prr[] = { est, id, started };
		if ((rc = store_exec(st, a, STMT_RERATING_CLOSE_BY_VISIT, prr, &rr)) < 0)
			return api_store_error(res, st, rc);
		if (store_nrows(rr) > 0 &&
		    (rc = api_event(st, a, "rerating.inspected",
		                    arena_printf(a, "establishment/%s", est),
		                    json_pack("{s:s, s:s, s:s, s:s}", "request",
		                              store_value(rr, 0, 0), "state", "inspected",
		                              "inspection", id, "by", "submission"))) < 0)
			return api_store_error(res, st, rc);
	}

	if (is_latest && state) {
		const char *label = streq(state, "closed") ? "Closed" : g->label;
		const char *code = streq(state, "closed") ? "" : g->code;
		const char *pg[] = { est, state, code, label, num(a, g->score), id };
		if ((rc = store_exec(st, a, STMT_POSTED_GRADE_SET, pg, NULL)) < 0 ||
		    (rc = api_event(st, a, "grade.issued", arena_printf(a, "establishment/%s", est),
		                    json_pack("{s:s, s:s, s:s, s:i, s:s}", "state", state, "code",
		                              code, "label", label, "score", g->score, "inspection",
		                              id))) < 0)
			return api_store_error(res, st, rc);
	}
	ret->appeal_code = amends ? NULL : arena_strdup(a, appeal_code);
	return 0;
}

/*
 * @json (an object) with the appeal code just issued added, when there is one. The code is
 * printed on the operator's report and sent in this one answer; the database keeps only its
 * hash, and an answer stored for a replay never holds it.
 */
static char *with_appeal_code(struct arena *a, const char *json, const struct submitted *sub)
{
	if (!sub || !sub->appeal_code)
		return arena_strdup(a, json);
	size_t n = strlen(json);
	return arena_printf(a, "%.*s,\"appeal_code\":\"%s\"}", (int)(n - 1), json,
	                    sub->appeal_code);
}

/* The inspection as staff see it, with the appeal code when it was just issued. */
static int staff_json(struct http_request *req, struct http_response *res, struct store *st,
                      const char *id, const struct submitted *sub, char **ret_text)
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
	struct submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
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
	struct submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
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
	struct submitted sub = { .requested_code = has_code ? code : NULL };
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
	new_appeal_code(code);
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
	struct submitted sub = { .requested_code = d->has_appeal_code ? d->appeal_code : NULL };
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

int api_inspection_dismiss(struct http_request *req, struct http_response *res, struct store *st,
                           const char *orig, const char *reason, size_t n,
                           const struct api_dismissal *dismiss, const char **ret_id)
{
	struct arena *a = req->arena;
	struct store_result *ins, *r, *vr;
	const char *p[] = { orig };
	int rc = store_exec(st, a, STMT_INSPECTION_LOCK, p, &ins);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(ins) == 0)
		return http_problem(res, 404, NULL, "There is no inspection %s.", orig);
	if (!streq(store_value(ins, 0, 5), "submitted"))
		return http_problem(res, 409, NULL, "Inspection %s is a draft.", orig);
	if (store_value(ins, 0, 12))
		return http_problem(res, 409, NULL, "Inspection %s was already amended by %s.",
		                    orig, store_value(ins, 0, 12));
	const char *pr[] = { orig, num(a, api_user(req)->id), reason };
	if ((rc = store_exec(st, a, STMT_INSPECTION_REVISE, pr, &r)) < 0 ||
	    (rc = store_exec(st, a, STMT_VIOLATIONS_OF, p, &vr)) < 0)
		return rc == -EEXIST ? http_problem(res, 409, NULL,
		                                    "Inspection %s was amended meanwhile.", orig)
		                     : api_store_error(res, st, rc);
	const char *id = store_value(r, 0, 0);
	const char *scheme = store_value(r, 0, 1);
	bool *used = arena_calloc(a, n + 1, sizeof(*used));
	for (int i = 0; i < store_nrows(vr); i++) {
		const char *status = store_value(vr, i, 6);
		const char *why = store_value(vr, i, 7);
		for (size_t k = 0; k < n; k++) {
			if (dismiss[k].violation_id != store_value_int(vr, i, 0))
				continue;
			if (streq(status, "dismissed") || used[k])
				return http_problem(res, 422, dismiss[k].field,
				                    "Violation %lld is already dismissed.",
				                    (long long)dismiss[k].violation_id);
			status = "dismissed";
			why = dismiss[k].reason;
			used[k] = true;
		}
		const char *pv[] = { id,
			             scheme,
			             store_value(vr, i, 1),
			             store_value(vr, i, 3),
			             store_value(vr, i, 2),
			             store_value(vr, i, 4),
			             store_value(vr, i, 5),
			             num(a, (long long)i + 1),
			             status,
			             why };
		if ((rc = store_exec(st, a, STMT_VIOLATION_INSERT, pv, NULL)) < 0)
			return api_store_error(res, st, rc);
	}
	for (size_t k = 0; k < n; k++)
		if (!used[k])
			return http_problem(res, 422, dismiss[k].field,
			                    "Violation %lld is not cited on inspection %s.",
			                    (long long)dismiss[k].violation_id, orig);
	struct submitted sub = { 0 };
	if ((rc = submit_draft(req, res, st, id, &sub)) != 0)
		return rc;
	*ret_id = id;
	return 0;
}
