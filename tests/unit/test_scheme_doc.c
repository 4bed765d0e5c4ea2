/*
 * test_scheme_doc.c - the scheme documents shipped in schemes/ decode to exactly the grading
 * engine's built-in schemes and grade every shared vector (tests/vectors/grading.json) as
 * they do; the decoder refuses what is malformed, naming the field.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/util.h"
#include "records/scheme_doc.h"

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static struct grade_scheme *load(struct arena *a, const char *code)
{
	char path[4096];
	size_t len;
	snprintf(path, sizeof(path), "%s/schemes/%s.json", PLACARD_SOURCE_ROOT, code);
	char *text = slurp(path, &len);
	arena_defer(a, free, text);
	struct grade_scheme *s = NULL;
	struct json_error err;
	if (scheme_doc_parse(a, text, len, &s, &err) < 0)
		fail_msg("%s: %s: %s", path, err.field, err.detail);
	return s;
}

static void same_string(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void test_documents_are_the_builtins(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++) {
		const struct grade_scheme *b = grade_scheme_builtin_at(i);
		const struct grade_scheme *d = load(a, b->code);
		same_string(d->code, b->code);
		assert_int_equal(d->version, b->version);
		same_string(d->name, b->name);
		same_string(d->jurisdiction, b->jurisdiction);
		assert_int_equal(d->kind, b->kind);
		assert_int_equal(d->n_bands, b->n_bands);
		for (size_t j = 0; j < b->n_bands; j++) {
			same_string(d->bands[j].label, b->bands[j].label);
			same_string(d->bands[j].code, b->bands[j].code);
			same_string(d->bands[j].meaning, b->bands[j].meaning);
			assert_int_equal(d->bands[j].min, b->bands[j].min);
			assert_int_equal(d->bands[j].max, b->bands[j].max);
			assert_int_equal(d->bands[j].max_element, b->bands[j].max_element);
		}
		assert_int_equal(d->n_elements, b->n_elements);
		for (size_t j = 0; j < b->n_elements; j++) {
			same_string(d->elements[j].name, b->elements[j].name);
			same_string(d->elements[j].description, b->elements[j].description);
			assert_int_equal(d->elements[j].n_allowed, b->elements[j].n_allowed);
			assert_memory_equal(d->elements[j].allowed, b->elements[j].allowed,
			                    b->elements[j].n_allowed * sizeof(int));
		}
		/* The documents' catalogues are the jurisdictions' own, larger than the compiled
		 * tables: every compiled item is in its document, with the same values. */
		assert_true(d->n_violations >= b->n_violations);
		for (size_t j = 0; j < b->n_violations; j++) {
			const struct grade_violation_def *y = &b->violations[j],
			                                 *x = grade_violation_lookup(d, y->code);
			if (!x)
				fail_msg("%s: %s is not in the document", b->code, y->code);
			same_string(x->code, y->code);
			same_string(x->description, y->description);
			assert_int_equal(x->category, y->category);
			assert_int_equal(x->severity, y->severity);
			assert_int_equal(x->default_points, y->default_points);
			assert_int_equal(x->min_points, y->min_points);
			assert_int_equal(x->max_points, y->max_points);
			assert_int_equal(x->element, y->element);
		}
		const struct grade_rules *x = &d->rules, *y = &b->rules;
		assert_int_equal(x->graded_types, y->graded_types);
		assert_int_equal(x->initial_graded_only_in_top_band,
		                 y->initial_graded_only_in_top_band);
		assert_int_equal(x->min_days_before_reinspection, y->min_days_before_reinspection);
		assert_int_equal(x->appeal_window, y->appeal_window);
		assert_int_equal(x->appeal_window_days, y->appeal_window_days);
		same_string(x->pending_label_during_appeal, y->pending_label_during_appeal);
		same_string(x->pending_code_during_appeal, y->pending_code_during_appeal);
		assert_int_equal(x->withhold_until_appeal_decided,
		                 y->withhold_until_appeal_decided);
		assert_int_equal(x->rerating_standstill_days, y->rerating_standstill_days);
		assert_int_equal(x->max_adjournments_with_pending,
		                 y->max_adjournments_with_pending);
		assert_int_equal(x->closure_issues_no_grade, y->closure_issues_no_grade);
		same_string(x->reopening_label, y->reopening_label);
		same_string(x->reopening_code, y->reopening_code);
		same_string(x->not_yet_graded_label, y->not_yet_graded_label);
		same_string(x->not_yet_graded_code, y->not_yet_graded_code);
	}
	arena_destroy(a);
}

static const char *errno_name(int rc)
{
	switch (rc) {
	case -EINVAL: return "EINVAL";
	case -ENOENT: return "ENOENT";
	case -ERANGE: return "ERANGE";
	case -E2BIG: return "E2BIG";
	}
	return "?";
}

/* Every compute and reinspection_wait vector, graded under the schemes the documents hold. */
static void test_vectors_under_documents(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char path[4096];
	size_t len, n_compute = 0, n_wait = 0;
	snprintf(path, sizeof(path), "%s/tests/vectors/grading.json", PLACARD_SOURCE_ROOT);
	char *text = slurp(path, &len);
	json_error_t je;
	json_t *vectors = json_loadb(text, len, 0, &je);
	free(text);
	assert_non_null(vectors);
	size_t i;
	json_t *v;
	json_array_foreach(vectors, i, v)
	{
		const char *op = json_string_value(json_object_get(v, "op"));
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *code = json_string_value(json_object_get(v, "scheme"));
		json_t *in = json_object_get(v, "input"), *ex = json_object_get(v, "expect");
		if (!streq(op, "compute") && !streq(op, "reinspection_wait"))
			continue;
		const struct grade_scheme *s = load(a, code);
		json_t *days = json_object_get(in, "days_since_previous");
		if (streq(op, "reinspection_wait")) {
			int d = -1;
			int rc = grade_reinspection_wait_days(s, (int)json_integer_value(days), &d);
			if (json_is_null(json_object_get(ex, "error"))) {
				assert_int_equal(rc, 0);
				assert_int_equal(d,
				                 json_integer_value(json_object_get(ex, "days")));
			} else {
				assert_string_equal(
				        errno_name(rc),
				        json_string_value(json_object_get(ex, "error")));
			}
			n_wait++;
			continue;
		}
		struct grade_violation_input vin[GRADE_MAX_VIOLATIONS + 8];
		struct grade_input gi = {
			.days_since_previous = json_is_null(days) ? GRADE_DAYS_UNKNOWN
			                                          : (int)json_integer_value(days),
			.closed_establishment = json_is_true(json_object_get(in, "closed"))
		};
		assert_int_equal(grade_inspection_type_parse(
		                         json_string_value(json_object_get(in, "inspection_type")),
		                         &gi.type),
		                 0);
		json_t *els = json_object_get(in, "elements");
		if (json_is_object(els)) {
			gi.has_elements = true;
			for (size_t e = 0; e < s->n_elements; e++)
				gi.elements[e] = (int)json_integer_value(
				        json_object_get(els, s->elements[e].name));
		}
		json_t *vs = json_object_get(in, "violations");
		assert_true(json_array_size(vs) <= GRADE_MAX_VIOLATIONS + 8);
		for (size_t k = 0; k < json_array_size(vs); k++) {
			json_t *x = json_array_get(vs, k);
			vin[k] = (struct grade_violation_input){
				json_string_value(json_object_get(x, "code")),
				(int)json_integer_value(json_object_get(x, "points")),
				json_is_true(json_object_get(x, "dismissed")),
			};
		}
		gi.violations = vin;
		gi.n_violations = json_array_size(vs);
		struct grade_result r;
		struct grade_error err = { 0 };
		int rc = grade_compute(s, &gi, &r, &err);
		if (!json_is_null(json_object_get(ex, "error"))) {
			if (!streq(errno_name(rc), json_string_value(json_object_get(ex, "error"))))
				fail_msg("%s: %d", id, rc);
			assert_string_equal(err.field,
			                    json_string_value(json_object_get(ex, "error_field")));
			assert_int_equal(err.index,
			                 json_integer_value(json_object_get(ex, "error_index")));
			n_compute++;
			continue;
		}
		if (rc != 0)
			fail_msg("%s: %d", id, rc);
		assert_int_equal(r.score, json_integer_value(json_object_get(ex, "score")));
		assert_int_equal(r.deductions,
		                 json_integer_value(json_object_get(ex, "deductions")));
		assert_string_equal(r.band->code, json_string_value(json_object_get(ex, "band")));
		assert_string_equal(r.rated_band->code,
		                    json_string_value(json_object_get(ex, "rated_band")));
		assert_string_equal(grade_outcome_name(r.outcome),
		                    json_string_value(json_object_get(ex, "outcome")));
		assert_string_equal(r.code, json_string_value(json_object_get(ex, "grade_code")));
		assert_string_equal(r.label, json_string_value(json_object_get(ex, "grade_label")));
		assert_int_equal(r.sets_posted_grade,
		                 json_is_true(json_object_get(ex, "sets_posted_grade")));
		assert_int_equal(r.reinspection_required,
		                 json_is_true(json_object_get(ex, "reinspection_required")));
		assert_int_equal(r.reinspection_min_days,
		                 json_integer_value(json_object_get(ex, "reinspection_min_days")));
		assert_int_equal(r.n_counted, json_integer_value(json_object_get(ex, "counted")));
		assert_int_equal(r.n_dismissed,
		                 json_integer_value(json_object_get(ex, "dismissed")));
		if (!streq(r.rule, json_string_value(json_object_get(ex, "rule"))))
			fail_msg("%s: rule \"%s\"", id, r.rule);
		n_compute++;
	}
	json_decref(vectors);
	/* The file holds both kinds; none was skipped. */
	assert_true(n_compute >= 80);
	assert_true(n_wait >= 10);
	arena_destroy(a);
}

/* @text is refused, naming @field. */
static void refused(const char *text, const char *field)
{
	struct arena *a = arena_new();
	struct grade_scheme *s = NULL;
	struct json_error err = { .field = "unset" };
	assert_int_equal(scheme_doc_parse(a, text, strlen(text), &s, &err), -EINVAL);
	assert_null(s);
	if (!streq(err.field, field))
		fail_msg("expected %s, got %s (%s)", field, err.field, err.detail);
	assert_true(strlen(err.detail) > 0);
	arena_destroy(a);
}

#define HEAD                                                                                       \
	"\"code\":\"tiny\",\"name\":\"Tiny\",\"jurisdiction\":\"Nowhere\",\"kind\":\"deduct-"      \
	"from-"                                                                                    \
	"100\","
#define BANDS                                                                                      \
	"\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"fine\",\"min\":50,"        \
	"\"max\":"                                                                                 \
	"100},{\"label\":\"Bad\",\"code\":\"bad\",\"meaning\":\"not "                              \
	"fine\",\"min\":0,\"max\":49}],"
#define VIOLS                                                                                      \
	"\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":\"core\","       \
	"\"severity\":\"none\",\"default_points\":5,\"min_points\":5,\"max_points\":10}],"
#define RULES                                                                                      \
	"\"rules\":{\"graded_inspection_types\":[\"initial\"],\"appeal_window\":\"none\","         \
	"\"not_yet_graded_label\":\"Not yet\",\"not_yet_graded_code\":\"N\"}"

static void test_small_document(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *text =
	        "{\"$schema\":\"scheme.schema.json\",\"format\":1," HEAD BANDS VIOLS RULES "}";
	struct grade_scheme *s = NULL;
	struct json_error err;
	if (scheme_doc_parse(a, text, strlen(text), &s, &err) < 0)
		fail_msg("%s: %s", err.field, err.detail);
	assert_string_equal(s->code, "tiny");
	assert_int_equal(s->version, 1);
	assert_int_equal(s->n_bands, 2);
	assert_int_equal(s->bands[0].max_element, GRADE_NO_CAP);
	assert_int_equal(s->n_violations, 1);
	assert_int_equal(s->violations[0].element, -1);
	assert_null(s->rules.pending_label_during_appeal);
	assert_int_equal(s->rules.graded_types, GRADE_TYPE_BIT(GRADE_INSPECTION_INITIAL));

	struct grade_violation_input vin = { "T1", 10, false };
	struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN,
		                  .violations = &vin,
		                  .n_violations = 1 };
	struct grade_result r;
	assert_int_equal(grade_compute(s, &in, &r, NULL), 0);
	assert_int_equal(r.score, 90);
	assert_string_equal(r.label, "Good");
	assert_string_equal(r.rule,
	                    "Initial inspection scored 90 (100 minus 10 points), band 50-100: "
	                    "Good, fine.");
	arena_destroy(a);
}

/* The optional fields: unconfirmed points and the jurisdiction's own wording. */
static void test_local_wording_and_confirmation(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const char *text =
	        "{\"local_language\":\"zh-CN\"," HEAD
	        "\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"fine\","
	        "\"min\":50,\"max\":100,\"local_label\":\"\xe8\x89\xaf\xe5\xa5\xbd\"},"
	        "{\"label\":\"Bad\",\"code\":\"bad\",\"meaning\":\"not fine\",\"min\":0,"
	        "\"max\":49}],"
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10,\"confirmed\":false,\"local_description\":\"\xe8\x84\x8f\"},"
	        "{\"code\":\"T2\",\"description\":\"Clean.\",\"category\":\"core\","
	        "\"severity\":\"none\",\"default_points\":0,\"min_points\":0,"
	        "\"max_points\":0,\"confirmed\":true}]," RULES "}";
	struct grade_scheme *s = NULL;
	struct json_error err;
	if (scheme_doc_parse(a, text, strlen(text), &s, &err) < 0)
		fail_msg("%s: %s", err.field, err.detail);
	assert_string_equal(s->local_language, "zh-CN");
	assert_string_equal(s->bands[0].local_label, "\xe8\x89\xaf\xe5\xa5\xbd");
	assert_null(s->bands[1].local_label);
	assert_true(s->violations[0].unconfirmed);
	assert_string_equal(s->violations[0].local_description, "\xe8\x84\x8f");
	assert_false(s->violations[1].unconfirmed);
	assert_null(s->violations[1].local_description);
	arena_destroy(a);

	/* Local wording needs its language; the fields have their types and sizes. */
	refused("{" HEAD "\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"m\","
	        "\"min\":0,\"max\":100,\"local_label\":\"x\"}]," VIOLS RULES "}",
	        "/bands/0/local_label");
	refused("{" HEAD BANDS
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10,\"local_description\":\"x\"}]," RULES "}",
	        "/violations/0/local_description");
	refused("{\"local_language\":\"zh-CN\"," HEAD BANDS
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10,\"local_description\":\"\"}]," RULES "}",
	        "/violations/0/local_description");
	refused("{\"local_language\":\"zh_CN\"," HEAD BANDS VIOLS RULES "}", "/local_language");
	refused("{\"local_language\":\"1a\"," HEAD BANDS VIOLS RULES "}", "/local_language");
	refused("{" HEAD BANDS
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10,\"confirmed\":\"no\"}]," RULES "}",
	        "/violations/0/confirmed");
}

static void test_refusals(void **state)
{
	(void)state;
	refused("{", "body");
	refused("[]", "body");
	refused("{\"code\":\"a\",\"code\":\"b\"}", "body"); /* duplicate key */
	refused("{\"colour\":1," HEAD BANDS VIOLS RULES "}", "/colour");
	refused("{\"format\":2," HEAD BANDS VIOLS RULES "}", "/format");
	refused("{\"version\":0," HEAD BANDS VIOLS RULES "}", "/version");
	refused("{\"name\":\"x\",\"jurisdiction\":\"y\",\"kind\":\"points\"," BANDS VIOLS RULES "}",
	        "/code");
	refused("{\"code\":\"tiny\",\"name\":\"Tiny\",\"jurisdiction\":\"Nowhere\",\"kind\":"
	        "\"points\"," BANDS VIOLS RULES "}",
	        "/kind");
	refused("{\"score_direction\":\"lower_is_better\"," HEAD BANDS VIOLS RULES "}",
	        "/score_direction");
	refused("{" HEAD VIOLS RULES "}", "/bands");
	refused("{" HEAD BANDS RULES "}", "/violations");
	refused("{" HEAD BANDS "\"violations\":[]}", "/rules");
	refused("{" HEAD "\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"m\","
	        "\"min\":0,\"max\":100,\"shade\":\"green\"}]," VIOLS RULES "}",
	        "/bands/0/shade");
	refused("{" HEAD "\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"m\","
	        "\"min\":\"0\",\"max\":100}]," VIOLS RULES "}",
	        "/bands/0/min");
	refused("{" HEAD "\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"m\","
	        "\"min\":-5,\"max\":100}]," VIOLS RULES "}",
	        "/bands/0/min");
	/* A gap between the bands: scheme_check()'s rule, reported on the document's field. */
	refused("{" HEAD
	        "\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":\"m\",\"min\":50,"
	        "\"max\":100},{\"label\":\"Bad\",\"code\":\"bad\",\"meaning\":\"m\",\"min\":0,"
	        "\"max\":48}]," VIOLS RULES "}",
	        "/bands/1/max");
	refused("{" HEAD BANDS
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"minor\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10}]," RULES "}",
	        "/violations/0/category");
	refused("{" HEAD BANDS
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10,\"element\":\"hygiene\"}]," RULES "}",
	        "/violations/0/element");
	refused("{" HEAD BANDS
	        "\"violations\":[{\"code\":\"T1\",\"description\":\"Dirty.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10},{\"code\":\"T1\",\"description\":\"Again.\",\"category\":"
	        "\"core\",\"severity\":\"none\",\"default_points\":5,\"min_points\":5,"
	        "\"max_points\":10}]," RULES "}",
	        "/violations/1/code");
	refused("{" HEAD BANDS VIOLS
	        "\"rules\":{\"graded_inspection_types\":[\"initial\",\"initial\"],"
	        "\"appeal_window\":\"none\",\"not_yet_graded_label\":\"N\","
	        "\"not_yet_graded_code\":\"N\"}}",
	        "/rules/graded_inspection_types/1");
	refused("{" HEAD BANDS VIOLS "\"rules\":{\"graded_inspection_types\":[\"annual\"],"
	        "\"appeal_window\":\"none\",\"not_yet_graded_label\":\"N\","
	        "\"not_yet_graded_code\":\"N\"}}",
	        "/rules/graded_inspection_types/0");
	refused("{" HEAD BANDS VIOLS
	        "\"rules\":{\"graded_inspection_types\":[],\"appeal_window\":\"sometimes\","
	        "\"not_yet_graded_label\":\"N\",\"not_yet_graded_code\":\"N\"}}",
	        "/rules/appeal_window");
	refused("{" HEAD BANDS VIOLS
	        "\"rules\":{\"graded_inspection_types\":[],\"appeal_window\":\"none\","
	        "\"not_yet_graded_code\":\"N\"}}",
	        "/rules/not_yet_graded_label");
	refused("{" HEAD BANDS VIOLS
	        "\"rules\":{\"graded_inspection_types\":[],\"appeal_window\":\"none\","
	        "\"appeal_window_days\":14,\"not_yet_graded_label\":\"N\","
	        "\"not_yet_graded_code\":\"N\"}}",
	        "/rules/appeal_window_days");
	refused("{" HEAD BANDS VIOLS
	        "\"rules\":{\"graded_inspection_types\":[],\"appeal_window\":\"none\","
	        "\"hearing\":true,\"not_yet_graded_label\":\"N\",\"not_yet_graded_code\":\"N\"}}",
	        "/rules/hearing");
	refused("{\"code\":\"tiny\",\"name\":\"Tiny\",\"jurisdiction\":\"Nowhere\",\"kind\":"
	        "\"element-scores\",\"bands\":[{\"label\":\"Good\",\"code\":\"good\",\"meaning\":"
	        "\"m\",\"min\":0}],\"elements\":[{\"name\":\"e\",\"description\":\"d\","
	        "\"allowed_scores\":[0,\"5\"]}]," VIOLS RULES "}",
	        "/elements/0/allowed_scores/1");
}

int main(void)
{
	/* The sentences of refusals come from the catalogues. */
	char why[512];
	if (i18n_load(PLACARD_SOURCE_ROOT "/web", why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents_are_the_builtins),
		cmocka_unit_test(test_vectors_under_documents),
		cmocka_unit_test(test_small_document),
		cmocka_unit_test(test_local_wording_and_confirmation),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
