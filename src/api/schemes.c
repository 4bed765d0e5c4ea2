/*
 * schemes.c - the published scoring methods: GET /api/v1/schemes and /api/v1/schemes/{code},
 * built from the grading engine's own tables, so what is published is exactly what grades.
 * Also copies the schemes into the database at migration time (api_schemes_sync).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "api/api.h"
#include "core/util.h"
#include "domain/grade.h"

static json_t *band_json(const struct grade_band *b)
{
	json_t *v = json_pack("{s:s, s:s, s:s, s:i}", "label", b->label, "code", b->code, "meaning",
	                      b->meaning, "min", b->min);
	json_object_set_new(v, "max",
	                    b->max == GRADE_SCORE_OPEN ? json_null() : json_integer(b->max));
	if (b->max_element != GRADE_NO_CAP)
		json_object_set_new(v, "max_element", json_integer(b->max_element));
	return v;
}

static json_t *nullable_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *rules_json(const struct grade_scheme *s)
{
	const struct grade_rules *r = &s->rules;
	json_t *graded = json_array();
	for (int t = 0; t < GRADE_INSPECTION_TYPE_COUNT; t++)
		if (r->graded_types & GRADE_TYPE_BIT(t))
			json_array_append_new(graded, json_string(grade_inspection_type_name(t)));
	const char *window = r->appeal_window == GRADE_APPEAL_WITHIN_DAYS     ? "within_days"
	                     : r->appeal_window == GRADE_APPEAL_UNTIL_HEARING ? "until_hearing"
	                                                                      : "none";
	json_t *v = json_object();
	json_object_set_new(v, "graded_inspection_types", graded);
	json_object_set_new(v, "initial_graded_only_in_top_band",
	                    json_boolean(r->initial_graded_only_in_top_band));
	json_object_set_new(v, "min_days_before_reinspection",
	                    json_integer(r->min_days_before_reinspection));
	json_object_set_new(v, "appeal_window", json_string(window));
	json_object_set_new(v, "appeal_window_days", json_integer(r->appeal_window_days));
	json_object_set_new(v, "pending_label_during_appeal",
	                    nullable_string(r->pending_label_during_appeal));
	json_object_set_new(v, "pending_code_during_appeal",
	                    nullable_string(r->pending_code_during_appeal));
	json_object_set_new(v, "withhold_until_appeal_decided",
	                    json_boolean(r->withhold_until_appeal_decided));
	json_object_set_new(v, "rerating_standstill_days",
	                    json_integer(r->rerating_standstill_days));
	json_object_set_new(v, "max_adjournments_with_pending",
	                    json_integer(r->max_adjournments_with_pending));
	json_object_set_new(v, "closure_issues_no_grade", json_boolean(r->closure_issues_no_grade));
	json_object_set_new(v, "reopening_label", nullable_string(r->reopening_label));
	json_object_set_new(v, "reopening_code", nullable_string(r->reopening_code));
	json_object_set_new(v, "not_yet_graded_label", nullable_string(r->not_yet_graded_label));
	json_object_set_new(v, "not_yet_graded_code", nullable_string(r->not_yet_graded_code));
	return v;
}

json_t *api_scheme_json(const struct grade_scheme *s, bool full)
{
	json_t *v = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "code", s->code, "version",
	                      s->version, "name", s->name, "jurisdiction", s->jurisdiction, "kind",
	                      grade_scheme_kind_name(s->kind), "score_direction",
	                      s->kind == GRADE_KIND_POINTS_LOWER_BETTER ? "lower_is_better"
	                      : s->kind == GRADE_KIND_DEDUCT_FROM_100   ? "higher_is_better"
	                                                                : "lower_is_better");
	if (!full)
		return v;
	json_t *bands = json_array();
	for (size_t i = 0; i < s->n_bands; i++)
		json_array_append_new(bands, band_json(&s->bands[i]));
	json_object_set_new(v, "bands", bands);
	if (s->n_elements) {
		json_t *els = json_array();
		for (size_t i = 0; i < s->n_elements; i++) {
			const struct grade_element *e = &s->elements[i];
			json_t *allowed = json_array();
			for (size_t j = 0; j < e->n_allowed; j++)
				json_array_append_new(allowed, json_integer(e->allowed[j]));
			json_array_append_new(els, json_pack("{s:s, s:s, s:o}", "name", e->name,
			                                     "description", e->description,
			                                     "allowed_scores", allowed));
		}
		json_object_set_new(v, "elements", els);
	}
	json_t *cat = json_array();
	for (size_t i = 0; i < s->n_violations; i++) {
		const struct grade_violation_def *d = &s->violations[i];
		json_t *item = json_pack(
		        "{s:s, s:s, s:s, s:s, s:i, s:i, s:i}", "code", d->code, "description",
		        d->description, "category", grade_category_name(d->category), "severity",
		        grade_severity_name(d->severity), "default_points", d->default_points,
		        "min_points", d->min_points, "max_points", d->max_points);
		if (d->element >= 0)
			json_object_set_new(item, "element",
			                    json_string(s->elements[d->element].name));
		json_array_append_new(cat, item);
	}
	json_object_set_new(v, "violations", cat);
	json_object_set_new(v, "rules", rules_json(s));
	return v;
}

int api_schemes_list(struct http_request *req, struct http_response *res)
{
	json_t *list = json_arena(req->arena, json_array());
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++)
		json_array_append_new(list, api_scheme_json(grade_scheme_builtin_at(i), false));
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json(res, 200, json_arena(req->arena, json_pack("{s:O}", "schemes", list)));
}

int api_scheme_get(struct http_request *req, struct http_response *res)
{
	const char *code = http_param(req, "code")->value;
	const struct grade_scheme *s = grade_scheme_builtin(code);
	if (!s)
		return http_problem(res, 404, NULL, "There is no scoring scheme \"%s\".", code);
	http_header_add(res, "Cache-Control", "public, max-age=300");
	return api_json(res, 200, json_arena(req->arena, api_scheme_json(s, true)));
}

int api_schemes_sync(struct store *st, char *err, size_t errsize)
{
	struct arena *a = arena_new();
	int rc = store_begin(st);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++) {
		const struct grade_scheme *s = grade_scheme_builtin_at(i);
		char version[16];
		snprintf(version, sizeof(version), "%d", s->version);
		json_t *def = json_arena(a, api_scheme_json(s, true));
		char *text = json_dump_compact(def, NULL);
		arena_defer(a, free, text);
		const char *p[] = { s->code, version, s->name, grade_scheme_kind_name(s->kind),
			            text };
		if ((rc = store_exec(st, a, STMT_SCHEME_UPSERT, p, NULL)) < 0)
			goto out;
		for (size_t j = 0; j < s->n_violations; j++) {
			const struct grade_violation_def *d = &s->violations[j];
			char pts[3][16];
			snprintf(pts[0], sizeof(pts[0]), "%d", d->default_points);
			snprintf(pts[1], sizeof(pts[1]), "%d", d->min_points);
			snprintf(pts[2], sizeof(pts[2]), "%d", d->max_points);
			const char *vp[] = { s->code,        d->code,
				             d->description, grade_category_name(d->category),
				             pts[0],         pts[1],
				             pts[2] };
			if ((rc = store_exec(st, a, STMT_SCHEME_VIOLATION_UPSERT, vp, NULL)) < 0)
				goto out;
		}
	}
	rc = store_commit(st);
out:
	if (rc < 0) {
		snprintf(err, errsize, "%s", store_error_message(st));
		store_rollback(st);
	}
	arena_destroy(a);
	return rc;
}
