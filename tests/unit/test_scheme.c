/*
 * test_scheme.c - every rule scheme_check() holds a scoring scheme to, each broken once on a
 * copy of a built-in scheme, with the field it must name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "domain/scheme.h"

/* A writable copy of a built-in scheme and its tables. */
struct copy {
	struct grade_scheme s;
	struct grade_band bands[SCHEME_MAX_BANDS + 1];
	struct grade_element elements[GRADE_MAX_ELEMENTS];
	struct grade_violation_def violations[64];
};

static struct copy *copy_of(const char *code)
{
	static struct copy c;
	const struct grade_scheme *s = grade_scheme_builtin(code);
	assert_non_null(s);
	memset(&c, 0, sizeof(c));
	c.s = *s;
	memcpy(c.bands, s->bands, s->n_bands * sizeof(*s->bands));
	if (s->n_elements)
		memcpy(c.elements, s->elements, s->n_elements * sizeof(*s->elements));
	memcpy(c.violations, s->violations, s->n_violations * sizeof(*s->violations));
	c.s.bands = c.bands;
	c.s.elements = s->n_elements ? c.elements : NULL;
	c.s.violations = c.violations;
	return &c;
}

/* @s is refused, naming @pointer. */
static void refused(const struct grade_scheme *s, const char *pointer)
{
	struct scheme_problem p = { .pointer = "unset" };
	assert_int_equal(scheme_check(s, &p), -EINVAL);
	assert_string_equal(p.pointer, pointer);
	assert_true(strlen(p.detail) > 0);
}

static void test_builtins_pass(void **state)
{
	(void)state;
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++) {
		struct scheme_problem p = { .pointer = "" };
		int rc = scheme_check(grade_scheme_builtin_at(i), &p);
		if (rc != 0)
			fail_msg("%s: %s %s", grade_scheme_builtin_at(i)->code, p.pointer,
			         p.detail);
		struct copy *c = copy_of(grade_scheme_builtin_at(i)->code);
		assert_int_equal(scheme_check(&c->s, NULL), 0);
	}
	assert_int_equal(scheme_check(NULL, NULL), -EINVAL);
}

static void test_identity(void **state)
{
	(void)state;
	struct copy *c = copy_of("nyc");
	c->s.code = "NYC";
	refused(&c->s, "/code");
	c = copy_of("nyc");
	c->s.code = "x";
	refused(&c->s, "/code");
	c = copy_of("nyc");
	c->s.code = NULL;
	refused(&c->s, "/code");
	c = copy_of("nyc");
	c->s.version = 0;
	refused(&c->s, "/version");
	c = copy_of("nyc");
	c->s.name = "";
	refused(&c->s, "/name");
	c = copy_of("nyc");
	c->s.jurisdiction = NULL;
	refused(&c->s, "/jurisdiction");
	c = copy_of("nyc");
	c->s.kind = (enum grade_scheme_kind)7;
	refused(&c->s, "/kind");
}

static void test_band_fields(void **state)
{
	(void)state;
	struct copy *c = copy_of("nyc");
	c->s.n_bands = 0;
	refused(&c->s, "/bands");
	c = copy_of("nyc");
	c->s.n_bands = SCHEME_MAX_BANDS + 1;
	refused(&c->s, "/bands");
	c = copy_of("nyc");
	c->bands[1].label = "";
	refused(&c->s, "/bands/1/label");
	c = copy_of("nyc");
	c->bands[2].code = NULL;
	refused(&c->s, "/bands/2/code");
	c = copy_of("nyc");
	c->bands[0].meaning = "";
	refused(&c->s, "/bands/0/meaning");
	c = copy_of("nyc");
	c->bands[1].code = "A";
	refused(&c->s, "/bands/1/code");
	c = copy_of("nyc");
	c->bands[2].label = "B";
	refused(&c->s, "/bands/2/label");
	c = copy_of("nyc");
	c->bands[0].min = -1;
	refused(&c->s, "/bands/0/min");
	c = copy_of("nyc");
	c->bands[1].max = 13;
	refused(&c->s, "/bands/1/max");
}

static void test_bands_cover_lower_is_better(void **state)
{
	(void)state;
	struct copy *c = copy_of("nyc");
	c->bands[0].min = 1; /* 0 reaches no band */
	refused(&c->s, "/bands/0/min");
	c = copy_of("nyc");
	c->bands[1].min = 15; /* a gap: 14 */
	refused(&c->s, "/bands/1/min");
	c = copy_of("nyc");
	c->bands[1].min = 13; /* an overlap: 13 */
	refused(&c->s, "/bands/1/min");
	c = copy_of("nyc");
	c->bands[2].max = 100; /* scores above 100 reach no band */
	refused(&c->s, "/bands/2/max");
	c = copy_of("nyc");
	c->bands[1].max = GRADE_SCORE_OPEN; /* open-ended before the last */
	refused(&c->s, "/bands/1/max");
	c = copy_of("fhrs");
	c->bands[3].min = 30;
	refused(&c->s, "/bands/3/min");
}

static void test_bands_cover_deduct_from_100(void **state)
{
	(void)state;
	struct copy *c = copy_of("cn-faces");
	c->bands[0].max = 99;
	refused(&c->s, "/bands/0/max");
	c = copy_of("cn-faces");
	c->bands[0].max = 101;
	refused(&c->s, "/bands/0/max");
	c = copy_of("cn-faces");
	c->bands[1].max = 88; /* a gap: 89 */
	refused(&c->s, "/bands/1/max");
	c = copy_of("sf100");
	c->bands[2].max = 86; /* an overlap: 86 */
	refused(&c->s, "/bands/2/max");
	c = copy_of("sf100");
	c->bands[3].min = 1; /* 0 reaches no band */
	refused(&c->s, "/bands/3/min");
	c = copy_of("sf100");
	c->bands[0].max = GRADE_SCORE_OPEN;
	refused(&c->s, "/bands/0/max");
}

static void test_band_caps(void **state)
{
	(void)state;
	struct copy *c = copy_of("nyc");
	c->bands[0].max_element = 5; /* caps only in element schemes */
	refused(&c->s, "/bands/0/max_element");
	c = copy_of("fhrs");
	c->bands[2].max_element = 5; /* tighter than the better band before it */
	refused(&c->s, "/bands/2/max_element");
	c = copy_of("fhrs");
	c->bands[5].max_element = 30; /* the last band is never capped */
	refused(&c->s, "/bands/5/max_element");
	c = copy_of("fhrs");
	c->bands[0].max_element = -1;
	refused(&c->s, "/bands/0/max_element");
}

static void test_elements(void **state)
{
	(void)state;
	struct copy *c = copy_of("nyc");
	c->s.n_elements = 1;
	c->s.elements = c->elements;
	refused(&c->s, "/elements");
	c = copy_of("fhrs");
	c->s.n_elements = 0;
	refused(&c->s, "/elements");
	c = copy_of("fhrs");
	c->elements[1].name = "";
	refused(&c->s, "/elements/1/name");
	c = copy_of("fhrs");
	c->elements[2].name = "hygiene";
	refused(&c->s, "/elements/2/name");
	c = copy_of("fhrs");
	c->elements[0].description = NULL;
	refused(&c->s, "/elements/0/description");
	c = copy_of("fhrs");
	c->elements[0].n_allowed = 0;
	refused(&c->s, "/elements/0/allowed_scores");
	c = copy_of("fhrs");
	c->elements[0].n_allowed = 9;
	refused(&c->s, "/elements/0/allowed_scores");
	c = copy_of("fhrs");
	c->elements[1].allowed[0] = 5;
	refused(&c->s, "/elements/1/allowed_scores/0");
	c = copy_of("fhrs");
	c->elements[2].allowed[3] = 10;
	refused(&c->s, "/elements/2/allowed_scores/3");
}

static void test_violations(void **state)
{
	(void)state;
	struct copy *c = copy_of("nyc");
	c->s.n_violations = 0;
	refused(&c->s, "/violations");
	c = copy_of("nyc");
	c->s.n_violations = SCHEME_MAX_VIOLATIONS + 1;
	refused(&c->s, "/violations");
	c = copy_of("nyc");
	c->violations[3].code = "";
	refused(&c->s, "/violations/3/code");
	c = copy_of("nyc");
	c->violations[3].code = "04 A";
	refused(&c->s, "/violations/3/code");
	c = copy_of("nyc");
	c->violations[3].code = "012345678901234567890123456789012";
	refused(&c->s, "/violations/3/code");
	c = copy_of("nyc");
	c->violations[7].code = "02B";
	refused(&c->s, "/violations/7/code");
	c = copy_of("nyc");
	c->violations[1].description = "";
	refused(&c->s, "/violations/1/description");
	c = copy_of("nyc");
	c->violations[1].category = (enum grade_category)9;
	refused(&c->s, "/violations/1/category");
	c = copy_of("nyc");
	c->violations[1].severity = (enum grade_severity)9;
	refused(&c->s, "/violations/1/severity");
	c = copy_of("cn-faces");
	c->violations[0].min_points = -1;
	refused(&c->s, "/violations/0/min_points");
	c = copy_of("cn-faces");
	c->violations[0].max_points = 5;
	refused(&c->s, "/violations/0/max_points");
	c = copy_of("cn-faces");
	c->violations[0].default_points = 25;
	refused(&c->s, "/violations/0/default_points");
	c = copy_of("nyc");
	c->violations[0].min_points = 6; /* a public health hazard carries at least 7 */
	c->violations[0].default_points = 6;
	refused(&c->s, "/violations/0/min_points");
	c = copy_of("nyc");
	c->violations[12].min_points = 1; /* a general item at least 2 */
	refused(&c->s, "/violations/12/min_points");
	c = copy_of("nyc");
	c->violations[4].min_points = 4; /* a critical one at least 5 */
	refused(&c->s, "/violations/4/min_points");
}

static void test_violation_elements(void **state)
{
	(void)state;
	struct copy *c = copy_of("sf100");
	c->violations[2].element = 0;
	refused(&c->s, "/violations/2/element");
	c = copy_of("fhrs");
	c->violations[2].element = -1;
	refused(&c->s, "/violations/2/element");
	c = copy_of("fhrs");
	c->violations[2].element = 3;
	refused(&c->s, "/violations/2/element");
	c = copy_of("fhrs");
	c->violations[0].min_points = 6; /* hygiene allows 0, 5, 10 ... */
	refused(&c->s, "/violations/0/min_points");
	c = copy_of("fhrs");
	c->violations[0].default_points = 16;
	refused(&c->s, "/violations/0/default_points");
	c = copy_of("fhrs");
	c->violations[10].max_points = 25; /* management allows 0, 5, 10, 20, 30 */
	refused(&c->s, "/violations/10/max_points");
}

static void test_rules(void **state)
{
	(void)state;
	struct copy *c = copy_of("sf100");
	c->s.rules.graded_types |= 1u << GRADE_INSPECTION_TYPE_COUNT;
	refused(&c->s, "/rules/graded_inspection_types");
	c = copy_of("sf100");
	c->s.rules.graded_types |= GRADE_TYPE_BIT(GRADE_INSPECTION_PRE_PERMIT);
	refused(&c->s, "/rules/graded_inspection_types");
	c = copy_of("nyc");
	c->s.rules.graded_types = GRADE_TYPE_BIT(GRADE_INSPECTION_INITIAL);
	refused(&c->s, "/rules/initial_graded_only_in_top_band");
	c = copy_of("nyc");
	c->s.rules.min_days_before_reinspection = -1;
	refused(&c->s, "/rules/min_days_before_reinspection");
	c = copy_of("fhrs");
	c->s.rules.rerating_standstill_days = 4000;
	refused(&c->s, "/rules/rerating_standstill_days");
	c = copy_of("nyc");
	c->s.rules.appeal_window_days = 21; /* until a hearing: no days */
	refused(&c->s, "/rules/appeal_window_days");
	c = copy_of("sf100");
	c->s.rules.appeal_window_days = 21; /* no appeal: no days */
	refused(&c->s, "/rules/appeal_window_days");
	c = copy_of("fhrs");
	c->s.rules.appeal_window_days = 0; /* within days: some days */
	refused(&c->s, "/rules/appeal_window_days");
	c = copy_of("fhrs");
	c->s.rules.appeal_window = (enum grade_appeal_window)5;
	refused(&c->s, "/rules/appeal_window");
	c = copy_of("nyc");
	c->s.rules.pending_code_during_appeal = NULL;
	refused(&c->s, "/rules/pending_code_during_appeal");
	c = copy_of("nyc");
	c->s.rules.pending_label_during_appeal = NULL;
	refused(&c->s, "/rules/pending_label_during_appeal");
	c = copy_of("fhrs");
	c->s.rules.pending_label_during_appeal = "Pending";
	c->s.rules.pending_code_during_appeal = "P";
	refused(&c->s, "/rules/pending_label_during_appeal");
	c = copy_of("nyc");
	c->s.rules.max_adjournments_with_pending = 101;
	refused(&c->s, "/rules/max_adjournments_with_pending");
	c = copy_of("sf100");
	c->s.rules.max_adjournments_with_pending = 1; /* nothing pending to keep */
	refused(&c->s, "/rules/max_adjournments_with_pending");
	c = copy_of("nyc");
	c->s.rules.withhold_until_appeal_decided = true;
	refused(&c->s, "/rules/withhold_until_appeal_decided");
	c = copy_of("nyc");
	c->s.rules.reopening_code = NULL;
	refused(&c->s, "/rules/reopening_code");
	c = copy_of("nyc");
	c->s.rules.reopening_label = "";
	refused(&c->s, "/rules/reopening_label");
	c = copy_of("cn-faces");
	c->s.rules.not_yet_graded_label = NULL;
	refused(&c->s, "/rules/not_yet_graded_label");
	c = copy_of("cn-faces");
	c->s.rules.not_yet_graded_code = NULL;
	refused(&c->s, "/rules/not_yet_graded_code");
}

/* A jurisdiction moves to a scheme only after every submitted visit and after its latest
 * assignment: the whole table, with and without either. */
static void test_assignment_dates(void **state)
{
	(void)state;
	static const struct {
		const char *from, *visit, *last;
		enum scheme_assignment_verdict want;
	} cases[] = {
		{ "2026-05-01", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "2026-05-01", "2026-04-30", NULL, SCHEME_ASSIGN_OK },
		{ "2026-05-01", "2026-05-01", NULL, SCHEME_ASSIGN_BEFORE_VISITS },
		{ "2026-05-01", "2026-05-02", NULL, SCHEME_ASSIGN_BEFORE_VISITS },
		{ "2026-05-01", NULL, "2026-04-30", SCHEME_ASSIGN_OK },
		{ "2026-05-01", NULL, "2026-05-01", SCHEME_ASSIGN_BEFORE_ASSIGNMENT },
		{ "2026-05-01", NULL, "2027-01-01", SCHEME_ASSIGN_BEFORE_ASSIGNMENT },
		{ "2026-05-01", "2026-04-01", "2026-04-15", SCHEME_ASSIGN_OK },
		{ "2026-05-01", "2026-06-01", "2026-07-01", SCHEME_ASSIGN_BEFORE_VISITS },
		{ "2026-05-01", "2026-04-01", "2026-07-01", SCHEME_ASSIGN_BEFORE_ASSIGNMENT },
		{ "2026-5-01", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-13-01", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-05-00", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-05-31", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "2026-04-31", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-06-31", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-09-31", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-11-31", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2026-12-31", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "2026-02-28", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "2026-02-29", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2028-02-29", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "2028-02-30", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2100-02-29", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "2000-02-29", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "0000-01-01", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "0001-01-01", NULL, NULL, SCHEME_ASSIGN_OK },
		{ "2026-05-01T00", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ "", NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
		{ NULL, NULL, NULL, SCHEME_ASSIGN_BAD_DATE },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (scheme_assignment_check(cases[i].from, cases[i].visit, cases[i].last) !=
		    cases[i].want)
			fail_msg("case %zu: %s after %s, %s", i,
			         cases[i].from ? cases[i].from : "-",
			         cases[i].visit ? cases[i].visit : "-",
			         cases[i].last ? cases[i].last : "-");
}

/* The jurisdiction's own wording: only with the scheme's language, well formed, sized as the
 * texts it stands beside; an item's points may be marked unconfirmed anywhere. */
static void test_local_wording(void **state)
{
	(void)state;
	struct copy *c = copy_of("cn-faces");
	c->s.local_language = "zh-CN";
	c->bands[0].local_label = "\xe8\x89\xaf\xe5\xa5\xbd";
	c->violations[0].local_description = "\xe8\x84\x8f";
	c->violations[0].unconfirmed = true;
	assert_int_equal(scheme_check(&c->s, NULL), 0);
	c->s.local_language = NULL;
	refused(&c->s, "/bands/0/local_label");
	c->bands[0].local_label = NULL;
	refused(&c->s, "/violations/0/local_description");
	c->violations[0].local_description = NULL;
	assert_int_equal(scheme_check(&c->s, NULL), 0);

	static const char *const bad_tags[] = { "",      "z",
		                                "1zh",   "zh_CN",
		                                "zh CN", "abcdefghijklmnopqrstuvwxyz0123456789" };
	for (size_t i = 0; i < sizeof(bad_tags) / sizeof(bad_tags[0]); i++) {
		c = copy_of("cn-faces");
		c->s.local_language = bad_tags[i];
		refused(&c->s, "/local_language");
	}
	c = copy_of("cn-faces");
	c->s.local_language = "abcdefghijklmnopqrstuvwxyz012345678"; /* 35: the longest */
	assert_int_equal(scheme_check(&c->s, NULL), 0);

	char long_text[502];
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	c = copy_of("cn-faces");
	c->s.local_language = "zh-CN";
	c->violations[3].local_description = long_text;
	refused(&c->s, "/violations/3/local_description");
	long_text[500] = '\0';
	assert_int_equal(scheme_check(&c->s, NULL), 0);
	c->violations[3].local_description = "";
	refused(&c->s, "/violations/3/local_description");
	c = copy_of("cn-faces");
	c->s.local_language = "zh-CN";
	c->bands[2].local_label = "";
	refused(&c->s, "/bands/2/local_label");
	long_text[65] = '\0';
	c->bands[2].local_label = long_text;
	refused(&c->s, "/bands/2/local_label");
	long_text[64] = '\0';
	assert_int_equal(scheme_check(&c->s, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtins_pass),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_band_fields),
		cmocka_unit_test(test_bands_cover_lower_is_better),
		cmocka_unit_test(test_bands_cover_deduct_from_100),
		cmocka_unit_test(test_band_caps),
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_violations),
		cmocka_unit_test(test_violation_elements),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_assignment_dates),
		cmocka_unit_test(test_local_wording),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
