/* Unit tests for domain/democity: deterministic, varied, and histories the engine accepts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/democity.h"

static void test_same_seed_same_city(void **state)
{
	(void)state;
	struct demo_rng a, b;
	struct demo_establishment x, y;
	for (long long n = 1; n < 200; n++) {
		demo_rng_seed(&a, (uint64_t)n * 7919);
		demo_rng_seed(&b, (uint64_t)n * 7919);
		demo_establishment(&a, demo_city_at(0), n, &x);
		demo_establishment(&b, demo_city_at(0), n, &y);
		assert_memory_equal(&x, &y, sizeof(x));
	}
}

/* Search is measured on this data: it needs a realistic number of distinct name words. */
static void test_many_distinct_words(void **state)
{
	(void)state;
	static char words[8192][32];
	size_t nwords = 0;
	struct demo_rng r;
	demo_rng_seed(&r, 42);
	for (long long n = 1; n <= 20000 && nwords < 8192; n++) {
		struct demo_establishment e;
		demo_establishment(&r, demo_city_at((size_t)n % demo_city_count()), n, &e);
		assert_true(strlen(e.name) > 3);
		assert_true(e.risk >= 'A' && e.risk <= 'E');
		char *save = NULL;
		for (char *w = strtok_r(e.name, " ", &save); w && nwords < 8192;
		     w = strtok_r(NULL, " ", &save)) {
			size_t i;
			for (i = 0; i < nwords && strcmp(words[i], w) != 0; i++)
				;
			if (i == nwords)
				snprintf(words[nwords++], sizeof(words[0]), "%s", w);
		}
	}
	assert_true(nwords > 3000);
}

static void test_histories_follow_the_rules(void **state)
{
	(void)state;
	struct demo_rng r;
	demo_rng_seed(&r, 7);
	struct demo_inspection h[DEMO_MAX_INSPECTIONS];
	int reinspections = 0;
	for (size_t c = 0; c < demo_city_count(); c++) {
		const struct grade_scheme *s = grade_scheme_builtin(demo_city_at(c)->scheme);
		assert_non_null(s);
		for (int k = 0; k < 500; k++) {
			size_t n = demo_history(&r, s, 4, h);
			assert_true(n >= 1 && n <= DEMO_MAX_INSPECTIONS);
			for (size_t i = 0; i < n; i++) {
				if (i)
					assert_true(h[i].days_ago < h[i - 1].days_ago);
				if (h[i].type == GRADE_INSPECTION_REINSPECTION) {
					reinspections++;
					assert_true(h[i].days_since_previous >=
					            s->rules.min_days_before_reinspection);
				}
				struct grade_input in = {
					.type = h[i].type,
					.days_since_previous = h[i].days_since_previous,
					.has_elements = h[i].has_elements,
					.violations = h[i].violations,
					.n_violations = h[i].n_violations,
				};
				memcpy(in.elements, h[i].elements, sizeof(in.elements));
				struct grade_result g;
				assert_int_equal(grade_compute(s, &in, &g, NULL), 0);
			}
		}
	}
	assert_true(reinspections > 0);
}

/*
 * FHRS: each element score is the worst contribution cited under that element, 0 when none
 * was, so that an explanation's element scores and its violations add up; and the engine,
 * deriving the elements from the violations alone, gives the same score.
 */
static void test_element_scores_match_the_violations(void **state)
{
	(void)state;
	struct demo_rng r;
	demo_rng_seed(&r, 11);
	const struct grade_scheme *s = grade_scheme_builtin("fhrs");
	assert_non_null(s);
	struct demo_inspection h[DEMO_MAX_INSPECTIONS];
	int cited = 0;
	for (int k = 0; k < 500; k++) {
		size_t n = demo_history(&r, s, 4, h);
		for (size_t i = 0; i < n; i++) {
			assert_true(h[i].has_elements);
			int worst[GRADE_MAX_ELEMENTS] = { 0 };
			for (size_t v = 0; v < h[i].n_violations; v++) {
				for (size_t j = 0; j < s->n_violations; j++) {
					const struct grade_violation_def *d = &s->violations[j];
					if (strcmp(d->code, h[i].violations[v].code) != 0 ||
					    d->element < 0)
						continue;
					cited++;
					if (h[i].violations[v].points > worst[d->element])
						worst[d->element] = h[i].violations[v].points;
				}
			}
			for (size_t e = 0; e < s->n_elements; e++)
				assert_int_equal(h[i].elements[e], worst[e]);
			struct grade_input given = { .type = h[i].type,
				                     .days_since_previous =
				                             h[i].days_since_previous,
				                     .has_elements = true,
				                     .violations = h[i].violations,
				                     .n_violations = h[i].n_violations };
			memcpy(given.elements, h[i].elements, sizeof(given.elements));
			struct grade_input derived = given;
			derived.has_elements = false;
			struct grade_result a, b;
			assert_int_equal(grade_compute(s, &given, &a, NULL), 0);
			assert_int_equal(grade_compute(s, &derived, &b, NULL), 0);
			assert_int_equal(a.score, b.score);
		}
	}
	assert_true(cited > 100);
}

static void test_work_is_assigned(void **state)
{
	(void)state;
	int held[2] = { 0, 0 }, nobody = 0;
	for (long long n = 1; n <= 100; n++) {
		int i = demo_assignee(n, 2);
		assert_true(i >= -1 && i < 2);
		if (i < 0)
			nobody++;
		else
			held[i]++;
	}
	/* Both demo inspectors have work; a fifth is left to give out. */
	assert_int_equal(nobody, 20);
	assert_int_equal(held[0], 40);
	assert_int_equal(held[1], 40);
	assert_int_equal(demo_assignee(1, 0), -1);
	assert_int_equal(demo_assignee(0, 2), -1);
	assert_int_equal(demo_assignee(7, 1), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_seed_same_city),
		cmocka_unit_test(test_many_distinct_words),
		cmocka_unit_test(test_histories_follow_the_rules),
		cmocka_unit_test(test_element_scores_match_the_violations),
		cmocka_unit_test(test_work_is_assigned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
