/*
 * scheme_doc.c - a scoring scheme's JSON document into struct grade_scheme.
 *
 * The document is the scheme as published (rec_scheme_json() writes the same fields): the
 * decoder is closed (an unknown key is refused), names every field at fault by its JSON
 * pointer, and leaves the rules that concern the scheme as a whole (bands covering the range,
 * unique codes, consistent rules) to scheme_check().
 */
#include "records/scheme_doc.h"

#include <errno.h>
#include <string.h>

#include "core/util.h"
#include "domain/scheme.h"

#define LABEL_MAX 64
#define TEXT_MAX  500

static int name_index(const char *const names[], size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (streq(names[i], v))
			return (int)i;
	return -1;
}

/* A string field that must be one of @names: its index in *@ret. */
static int field_enum(json_t *obj, const char *base, const char *key, const char *const names[],
                      size_t n, int *ret, struct json_error *err)
{
	const char *v = NULL;
	int rc = json_field_string(obj, base, key, true, LABEL_MAX, &v, err);
	if (rc < 0)
		return rc;
	int i = name_index(names, n, v);
	if (i < 0) {
		char ptr[sizeof(err->field)];
		snprintf(ptr, sizeof(ptr), "%s/%s", base, key);
		return json_error_set(err, ptr, "api.scheme_doc.no_value", "name", key, "value", v,
		                      NULL);
	}
	*ret = i;
	return 0;
}

static int field_int(json_t *obj, const char *base, const char *key, bool required, int *ret,
                     struct json_error *err)
{
	int64_t v;
	int rc = json_field_int(obj, base, key, required, 0, 1000000, &v, err);
	if (rc == 0)
		*ret = (int)v;
	return rc;
}

static const char *const kind_names[] = { "points-lower-is-better", "deduct-from-100",
	                                  "element-scores" };
static const char *const category_names[] = { "priority", "priority-foundation", "core" };
static const char *const severity_names[] = { "none", "general", "critical",
	                                      "public-health-hazard" };
static const char *const window_names[] = { "none", "within_days", "until_hearing" };
static const char *const type_names[] = { "initial", "reinspection", "complaint", "pre-permit",
	                                  "reopening" };

static int decode_bands(struct arena *a, json_t *arr, struct grade_scheme *s,
                        struct json_error *err)
{
	static const char *const keys[] = { "label", "code",        "meaning",     "min",
		                            "max",   "max_element", "local_label", NULL };
	struct grade_band *bands = arena_calloc(a, json_array_size(arr) + 1, sizeof(*bands));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		char base[48];
		snprintf(base, sizeof(base), "/bands/%zu", i);
		struct grade_band *b = &bands[i];
		int rc;
		if ((rc = json_expect_object(o, base, err)) < 0 ||
		    (rc = json_only_keys(o, base, keys, err)) < 0 ||
		    (rc = json_field_string(o, base, "label", true, LABEL_MAX, &b->label, err)) <
		            0 ||
		    (rc = json_field_string(o, base, "code", true, LABEL_MAX, &b->code, err)) < 0 ||
		    (rc = json_field_string(o, base, "meaning", true, TEXT_MAX, &b->meaning, err)) <
		            0 ||
		    (rc = field_int(o, base, "min", true, &b->min, err)) < 0)
			return rc;
		b->max = GRADE_SCORE_OPEN;
		b->max_element = GRADE_NO_CAP;
		if ((rc = field_int(o, base, "max", false, &b->max, err)) < 0 ||
		    (rc = field_int(o, base, "max_element", false, &b->max_element, err)) < 0 ||
		    (rc = json_field_string(o, base, "local_label", false, LABEL_MAX,
		                            &b->local_label, err)) < 0)
			return rc;
	}
	s->bands = bands;
	s->n_bands = json_array_size(arr);
	return 0;
}

static int decode_elements(struct arena *a, json_t *arr, struct grade_scheme *s,
                           struct json_error *err)
{
	static const char *const keys[] = { "name", "description", "allowed_scores", NULL };
	if (json_array_size(arr) > GRADE_MAX_ELEMENTS)
		return json_error_set(err, "/elements", "api.scheme_doc.elements_max", "max",
		                      I18N_INT(GRADE_MAX_ELEMENTS), NULL);
	struct grade_element *els = arena_calloc(a, json_array_size(arr) + 1, sizeof(*els));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i), *allowed = NULL;
		char base[48];
		snprintf(base, sizeof(base), "/elements/%zu", i);
		struct grade_element *e = &els[i];
		int rc;
		if ((rc = json_expect_object(o, base, err)) < 0 ||
		    (rc = json_only_keys(o, base, keys, err)) < 0 ||
		    (rc = json_field_string(o, base, "name", true, LABEL_MAX, &e->name, err)) < 0 ||
		    (rc = json_field_string(o, base, "description", true, TEXT_MAX, &e->description,
		                            err)) < 0 ||
		    (rc = json_field_array(o, base, "allowed_scores", true, ARRAY_SIZE(e->allowed),
		                           &allowed, err)) < 0)
			return rc;
		for (size_t j = 0; j < json_array_size(allowed); j++) {
			json_t *v = json_array_get(allowed, j);
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 1000000) {
				char ptr[sizeof(err->field)];
				snprintf(ptr, sizeof(ptr), "%s/allowed_scores/%zu", base, j);
				return json_error_set(err, ptr, "api.scheme_doc.allowed_score",
				                      NULL);
			}
			e->allowed[j] = (int)json_integer_value(v);
		}
		e->n_allowed = json_array_size(allowed);
	}
	s->elements = els;
	s->n_elements = json_array_size(arr);
	return 0;
}

static int decode_violations(struct arena *a, json_t *arr, struct grade_scheme *s,
                             struct json_error *err)
{
	static const char *const keys[] = {
		"code",           "description",       "category",   "severity",
		"default_points", "min_points",        "max_points", "element",
		"confirmed",      "local_description", NULL
	};
	struct grade_violation_def *defs = arena_calloc(a, json_array_size(arr) + 1, sizeof(*defs));
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *o = json_array_get(arr, i);
		char base[48];
		snprintf(base, sizeof(base), "/violations/%zu", i);
		struct grade_violation_def *d = &defs[i];
		const char *element = NULL;
		bool confirmed = true;
		int cat = 0, sev = 0, rc;
		if ((rc = json_expect_object(o, base, err)) < 0 ||
		    (rc = json_only_keys(o, base, keys, err)) < 0 ||
		    (rc = json_field_string(o, base, "code", true, LABEL_MAX, &d->code, err)) < 0 ||
		    (rc = json_field_string(o, base, "description", true, TEXT_MAX, &d->description,
		                            err)) < 0 ||
		    (rc = field_enum(o, base, "category", category_names,
		                     ARRAY_SIZE(category_names), &cat, err)) < 0 ||
		    (rc = field_enum(o, base, "severity", severity_names,
		                     ARRAY_SIZE(severity_names), &sev, err)) < 0 ||
		    (rc = field_int(o, base, "default_points", true, &d->default_points, err)) <
		            0 ||
		    (rc = field_int(o, base, "min_points", true, &d->min_points, err)) < 0 ||
		    (rc = field_int(o, base, "max_points", true, &d->max_points, err)) < 0 ||
		    (rc = json_field_string(o, base, "element", false, LABEL_MAX, &element, err)) <
		            0 ||
		    (rc = json_field_bool(o, base, "confirmed", false, &confirmed, err)) < 0 ||
		    (rc = json_field_string(o, base, "local_description", false, TEXT_MAX,
		                            &d->local_description, err)) < 0)
			return rc;
		d->unconfirmed = !confirmed;
		d->category = (enum grade_category)cat;
		d->severity = (enum grade_severity)sev;
		d->element = -1;
		if (element) {
			for (size_t j = 0; j < s->n_elements; j++)
				if (streq(s->elements[j].name, element))
					d->element = (int)j;
			if (d->element < 0) {
				char ptr[sizeof(err->field)];
				snprintf(ptr, sizeof(ptr), "%s/element", base);
				return json_error_set(err, ptr, "api.scheme_doc.no_element", "name",
				                      element, NULL);
			}
		}
	}
	s->violations = defs;
	s->n_violations = json_array_size(arr);
	return 0;
}

static int decode_rules(json_t *o, struct grade_scheme *s, struct json_error *err)
{
	static const char *const keys[] = { "graded_inspection_types",
		                            "initial_graded_only_in_top_band",
		                            "min_days_before_reinspection",
		                            "appeal_window",
		                            "appeal_window_days",
		                            "pending_label_during_appeal",
		                            "pending_code_during_appeal",
		                            "withhold_until_appeal_decided",
		                            "rerating_standstill_days",
		                            "max_adjournments_with_pending",
		                            "closure_issues_no_grade",
		                            "reopening_label",
		                            "reopening_code",
		                            "not_yet_graded_label",
		                            "not_yet_graded_code",
		                            NULL };
	const char *base = "/rules";
	struct grade_rules *r = &s->rules;
	json_t *types = NULL;
	int window = 0, rc;
	if ((rc = json_expect_object(o, base, err)) < 0 ||
	    (rc = json_only_keys(o, base, keys, err)) < 0 ||
	    (rc = json_field_array(o, base, "graded_inspection_types", true,
	                           GRADE_INSPECTION_TYPE_COUNT, &types, err)) < 0)
		return rc;
	for (size_t i = 0; i < json_array_size(types); i++) {
		json_t *v = json_array_get(types, i);
		int t = json_is_string(v) ? name_index(type_names, ARRAY_SIZE(type_names),
		                                       json_string_value(v))
		                          : -1;
		if (t < 0 || (r->graded_types & GRADE_TYPE_BIT(t))) {
			char ptr[sizeof(err->field)];
			snprintf(ptr, sizeof(ptr), "/rules/graded_inspection_types/%zu", i);
			return json_error_set(err, ptr, "api.scheme_doc.inspection_types", NULL);
		}
		r->graded_types |= GRADE_TYPE_BIT(t);
	}
	if ((rc = json_field_bool(o, base, "initial_graded_only_in_top_band", false,
	                          &r->initial_graded_only_in_top_band, err)) < 0 ||
	    (rc = field_int(o, base, "min_days_before_reinspection", false,
	                    &r->min_days_before_reinspection, err)) < 0 ||
	    (rc = field_enum(o, base, "appeal_window", window_names, ARRAY_SIZE(window_names),
	                     &window, err)) < 0 ||
	    (rc = field_int(o, base, "appeal_window_days", false, &r->appeal_window_days, err)) <
	            0 ||
	    (rc = json_field_string(o, base, "pending_label_during_appeal", false, LABEL_MAX,
	                            &r->pending_label_during_appeal, err)) < 0 ||
	    (rc = json_field_string(o, base, "pending_code_during_appeal", false, LABEL_MAX,
	                            &r->pending_code_during_appeal, err)) < 0 ||
	    (rc = json_field_bool(o, base, "withhold_until_appeal_decided", false,
	                          &r->withhold_until_appeal_decided, err)) < 0 ||
	    (rc = field_int(o, base, "rerating_standstill_days", false,
	                    &r->rerating_standstill_days, err)) < 0 ||
	    (rc = field_int(o, base, "max_adjournments_with_pending", false,
	                    &r->max_adjournments_with_pending, err)) < 0 ||
	    (rc = json_field_bool(o, base, "closure_issues_no_grade", false,
	                          &r->closure_issues_no_grade, err)) < 0 ||
	    (rc = json_field_string(o, base, "reopening_label", false, LABEL_MAX,
	                            &r->reopening_label, err)) < 0 ||
	    (rc = json_field_string(o, base, "reopening_code", false, LABEL_MAX, &r->reopening_code,
	                            err)) < 0 ||
	    (rc = json_field_string(o, base, "not_yet_graded_label", true, LABEL_MAX,
	                            &r->not_yet_graded_label, err)) < 0 ||
	    (rc = json_field_string(o, base, "not_yet_graded_code", true, LABEL_MAX,
	                            &r->not_yet_graded_code, err)) < 0)
		return rc;
	r->appeal_window = (enum grade_appeal_window)window;
	return 0;
}

int scheme_doc_decode(struct arena *a, json_t *doc, struct grade_scheme **ret,
                      struct json_error *err)
{
	static const char *const keys[] = { "$schema",        "format",
		                            "code",           "version",
		                            "name",           "jurisdiction",
		                            "kind",           "score_direction",
		                            "bands",          "elements",
		                            "violations",     "rules",
		                            "local_language", NULL };
	struct grade_scheme *s = arena_calloc(a, 1, sizeof(*s));
	json_t *bands = NULL, *elements = NULL, *violations = NULL;
	const char *direction = NULL, *schema = NULL;
	int64_t format = SCHEME_DOC_FORMAT;
	int kind = 0, rc;

	s->version = 1;
	if ((rc = json_expect_object(doc, "", err)) < 0 ||
	    (rc = json_only_keys(doc, "", keys, err)) < 0 ||
	    (rc = json_field_string(doc, "", "$schema", false, TEXT_MAX, &schema, err)) < 0 ||
	    (rc = json_field_int(doc, "", "format", false, SCHEME_DOC_FORMAT, SCHEME_DOC_FORMAT,
	                         &format, err)) < 0 ||
	    (rc = json_field_string(doc, "", "code", true, 32, &s->code, err)) < 0 ||
	    (rc = field_int(doc, "", "version", false, &s->version, err)) < 0 ||
	    (rc = json_field_string(doc, "", "name", true, 200, &s->name, err)) < 0 ||
	    (rc = json_field_string(doc, "", "jurisdiction", true, 200, &s->jurisdiction, err)) <
	            0 ||
	    (rc = json_field_string(doc, "", "local_language", false, 35, &s->local_language,
	                            err)) < 0 ||
	    (rc = field_enum(doc, "", "kind", kind_names, ARRAY_SIZE(kind_names), &kind, err)) <
	            0 ||
	    (rc = json_field_string(doc, "", "score_direction", false, LABEL_MAX, &direction,
	                            err)) < 0 ||
	    (rc = json_field_array(doc, "", "bands", true, 16, &bands, err)) < 0 ||
	    (rc = json_field_array(doc, "", "elements", false, GRADE_MAX_ELEMENTS + 1, &elements,
	                           err)) < 0 ||
	    (rc = json_field_array(doc, "", "violations", true, 1000, &violations, err)) < 0)
		return rc;
	s->kind = (enum grade_scheme_kind)kind;
	/* The direction follows from the kind; a document may say it, and then must agree. */
	if (direction &&
	    !streq(direction,
	           s->kind == GRADE_KIND_DEDUCT_FROM_100 ? "higher_is_better" : "lower_is_better"))
		return json_error_set(err, "/score_direction", "api.scheme_doc.direction", "kind",
		                      kind_names[kind], "direction",
		                      s->kind == GRADE_KIND_DEDUCT_FROM_100 ? "higher_is_better"
		                                                            : "lower_is_better",
		                      NULL);
	if ((rc = decode_bands(a, bands, s, err)) < 0 ||
	    (elements && (rc = decode_elements(a, elements, s, err)) < 0) ||
	    (rc = decode_violations(a, violations, s, err)) < 0)
		return rc;
	json_t *rules = json_object_get(doc, "rules");
	if (!rules)
		return json_error_set(err, "/rules", "api.scheme_doc.rules_required", NULL);
	if ((rc = decode_rules(rules, s, err)) < 0)
		return rc;

	struct scheme_problem p;
	if (scheme_check(s, &p) < 0)
		return json_error_set_text(err, p.pointer, NULL, p.detail);
	*ret = s;
	return 0;
}

int scheme_doc_parse(struct arena *a, const char *text, size_t len, struct grade_scheme **ret,
                     struct json_error *err)
{
	json_t *doc;
	int rc = json_decode(a, text, len, &doc, err);
	if (rc < 0)
		return rc;
	return scheme_doc_decode(a, doc, ret, err);
}
