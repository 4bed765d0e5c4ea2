/*
 * schemes.c - the scoring schemes: publishing a scheme's document as a new version, the
 * version an inspection is graded under, the published methods as JSON (written from the
 * scheme the engine applies, so that what is published is exactly what grades), and a
 * grade's explanation.
 */
#include "records/schemes.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/util.h"
#include "domain/grade.h"
#include "records/log.h"
#include "records/scheme_doc.h"

static json_t *band_json(const struct grade_band *b)
{
	json_t *v = json_pack("{s:s, s:s, s:s, s:i}", "label", b->label, "code", b->code, "meaning",
	                      b->meaning, "min", b->min);
	json_object_set_new(v, "max",
	                    b->max == GRADE_SCORE_OPEN ? json_null() : json_integer(b->max));
	if (b->max_element != GRADE_NO_CAP)
		json_object_set_new(v, "max_element", json_integer(b->max_element));
	if (b->local_label)
		json_object_set_new(v, "local_label", json_string(b->local_label));
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

json_t *rec_scheme_json(const struct grade_scheme *s, bool full)
{
	json_t *v = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s}", "code", s->code, "version",
	                      s->version, "name", s->name, "jurisdiction", s->jurisdiction, "kind",
	                      grade_scheme_kind_name(s->kind), "score_direction",
	                      s->kind == GRADE_KIND_POINTS_LOWER_BETTER ? "lower_is_better"
	                      : s->kind == GRADE_KIND_DEDUCT_FROM_100   ? "higher_is_better"
	                                                                : "lower_is_better");
	if (s->local_language)
		json_object_set_new(v, "local_language", json_string(s->local_language));
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
		/* Written only when set, so that a scheme without them reads as before. */
		if (d->unconfirmed)
			json_object_set_new(item, "confirmed", json_false());
		if (d->local_description)
			json_object_set_new(item, "local_description",
			                    json_string(d->local_description));
		json_array_append_new(cat, item);
	}
	json_object_set_new(v, "violations", cat);
	json_object_set_new(v, "rules", rules_json(s));
	return v;
}

json_t *rec_grade_explanation(const struct grade_scheme *s, const struct grade_result *r)
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

/* @v (a new reference, taken over) as compact JSON text in r->a. */
static const char *scheme_text(struct rec *r, json_t *v)
{
	json_arena(r->a, v);
	char *text = json_dump_compact(v, NULL);
	arena_defer(r->a, free, text);
	return text;
}

/* A stored version's document, decoded: it was checked when published, so a failure here is
 * the server's. */
static int stored_scheme(struct rec *r, struct store_result *res, const struct grade_scheme **ret)
{
	struct grade_scheme *s;
	struct json_error err;
	const char *text = store_get(res, 0, "document");
	if (scheme_doc_parse(r->a, text, strlen(text), &s, &err) < 0)
		return rec_refuse(r, 500, NULL, "records.scheme.published_unreadable", "field",
		                  err.field, "detail", err.detail, NULL);
	s->version = (int)store_get_int(res, 0, "version");
	*ret = s;
	return 0;
}

int rec_scheme_publish(struct rec *r, const char *text, size_t len, const char *applies_from,
                       bool logged, struct rec_scheme_published *ret)
{
	struct grade_scheme *s;
	struct json_error err;
	struct store_result *latest, *ins;
	int rc;
	if (scheme_doc_parse(r->a, text, len, &s, &err) < 0)
		return rec_refuse_json(r, 422, &err);
	/* What is stored and published is the scheme as the engine reads it, written in one
	 * form, so that the same scheme in another layout is not a new version. */
	const char *doc = scheme_text(r, rec_scheme_json(s, true));
	const char *pl[] = { s->code, doc, applies_from };
	if ((rc = rec_begin(r)) < 0 || (rc = rec_exec(r, STMT_SCHEME_LATEST, pl, &latest)) < 0)
		goto out;
	int version = 1;
	if (store_nrows(latest) > 0) {
		if (streq(store_get(latest, 0, "kind"), "imported")) {
			rc = rec_refuse(r, 409, "/code", "records.scheme.imported_results", "code",
			                s->code, NULL);
			goto out;
		}
		if (!streq(store_get(latest, 0, "kind"), grade_scheme_kind_name(s->kind))) {
			rc = rec_refuse(r, 422, "/kind", "records.scheme.kind_kept", "kind",
			                store_get(latest, 0, "kind"), NULL);
			goto out;
		}
		version = (int)store_get_int(latest, 0, "version");
		if (store_get_bool(latest, 0, "same")) {
			*ret = (struct rec_scheme_published){ s->code, version, false };
			rc = rec_commit(r);
			goto out;
		}
		if (!store_get_bool(latest, 0, "date_ok")) {
			rc = rec_refuse(r, 422, "applies_from",
			                "records.scheme.applies_before_previous", NULL);
			goto out;
		}
		version++;
	}
	s->version = version;
	doc = scheme_text(r, rec_scheme_json(s, true));
	const char *pv = rec_num(r, version);
	const char *ps[] = { s->code, pv, s->name, grade_scheme_kind_name(s->kind), doc };
	const char *pi[] = { s->code, pv, doc, applies_from };
	const char *pw[] = { s->code, pv };
	if ((rc = rec_exec(r, STMT_SCHEME_UPSERT, ps, NULL)) < 0 ||
	    (rc = rec_exec(r, STMT_SCHEME_VERSION_INSERT, pi, &ins)) < 0 ||
	    (rc = rec_exec(r, STMT_SCHEME_VERSION_VIOLATIONS_INSERT, pw, NULL)) < 0)
		goto out;
	/* The catalogue's codes, which the violations cited under any version refer to. */
	for (size_t j = 0; j < s->n_violations; j++) {
		const struct grade_violation_def *d = &s->violations[j];
		const char *vp[] = { s->code,
			             d->code,
			             d->description,
			             grade_category_name(d->category),
			             rec_num(r, d->default_points),
			             rec_num(r, d->min_points),
			             rec_num(r, d->max_points) };
		if ((rc = rec_exec(r, STMT_SCHEME_VIOLATION_UPSERT, vp, NULL)) < 0)
			goto out;
	}
	if (logged) {
		const char *from = store_get(ins, 0, "applies_from");
		json_t *payload = json_pack("{s:s, s:i}", "scheme", s->code, "version", version);
		json_object_set_new(payload, "applies_from",
		                    from ? json_string(from) : json_null());
		if ((rc = rec_event(r, "scheme.published", arena_printf(r->a, "scheme/%s", s->code),
		                    payload)) < 0)
			goto out;
	}
	if ((rc = rec_commit(r)) < 0)
		goto out;
	*ret = (struct rec_scheme_published){ s->code, version, true };
out:
	if (rc == -EEXIST)
		rc = rec_refuse(r, 409, NULL, "records.scheme.publish_raced", "code", s->code,
		                NULL);
	return rc;
}

int rec_scheme_current(struct rec *r, const char *code, const struct grade_scheme **ret)
{
	struct store_result *res;
	const char *p[] = { code, NULL };
	int rc = rec_exec(r, STMT_SCHEME_VERSION_GET, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.scheme.not_found", "code", code, NULL);
	return stored_scheme(r, res, ret);
}

int rec_scheme_of_inspection(struct rec *r, const char *inspection_id,
                             const struct grade_scheme **ret)
{
	struct store_result *res;
	const char *p[] = { inspection_id };
	int rc = rec_exec(r, STMT_SCHEME_OF_INSPECTION, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 500, NULL, "records.scheme.inspection_scheme_unpublished",
		                  "id", inspection_id, NULL);
	return stored_scheme(r, res, ret);
}

int rec_schemes_list(struct rec *r, const char **ret_json)
{
	struct store_result *res;
	int rc = rec_exec(r, STMT_SCHEME_LIST, NULL, &res);
	if (rc < 0)
		return rc;
	json_t *list = json_array();
	int c = store_column(res, "document");
	for (int i = 0; i < store_nrows(res); i++) {
		struct grade_scheme *s;
		struct json_error err;
		const char *text = store_value(res, i, c);
		if (scheme_doc_parse(r->a, text, strlen(text), &s, &err) < 0) {
			json_decref(list);
			return rec_refuse(r, 500, NULL, "records.scheme.published_unreadable",
			                  "field", err.field, "detail", err.detail, NULL);
		}
		json_array_append_new(list, rec_scheme_json(s, false));
	}
	*ret_json = scheme_text(r, json_pack("{s:o}", "schemes", list));
	return 0;
}

int rec_scheme_get(struct rec *r, const char *code, int version, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { code, version > 0 ? rec_num(r, version) : NULL };
	const struct grade_scheme *s;
	int rc = rec_exec(r, STMT_SCHEME_VERSION_GET, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return version > 0 ? rec_refuse(r, 404, NULL, "records.scheme.version_not_found",
		                                "code", code, "version", I18N_INT(version), NULL)
		                   : rec_refuse(r, 404, NULL, "records.scheme.not_found", "code",
		                                code, NULL);
	if ((rc = stored_scheme(r, res, &s)) < 0)
		return rc;
	*ret_json = scheme_text(r, rec_scheme_json(s, true));
	return 0;
}

int rec_scheme_versions(struct rec *r, const char *code, const char **ret_json)
{
	struct store_result *res;
	const char *p[] = { code };
	int rc = rec_exec(r, STMT_SCHEME_VERSIONS, p, &res);
	if (rc < 0)
		return rc;
	if (store_nrows(res) == 0)
		return rec_refuse(r, 404, NULL, "records.scheme.not_found", "code", code, NULL);
	*ret_json = store_get(res, 0, "json");
	return 0;
}
