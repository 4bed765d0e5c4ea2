/*
 * Unit tests for domain/nameindex: pg_trgm's similarity (values computed by PostgreSQL 15),
 * edit distance, word correction as name_query() does it, matching every word, ranking,
 * and keeping postings right through renames and removals.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/nameindex.h"

static void test_similarity_matches_pg_trgm(void **state)
{
	(void)state;
	/* SELECT similarity(a, b) on PostgreSQL 15 with pg_trgm. */
	static const struct {
		const char *a, *b;
		float expect;
	} cases[] = {
		{ "word", "two words", 0.36363637f },
		{ "Golden Dragon Pizza", "golden dragn pizza", 0.77272725f },
		{ "McDonald's #1234", "mcdonalds", 0.44444445f },
		{ "a", "a", 1.0f },
		{ "!!", "x", 0.0f },
		{ "Café Rouge", "cafe rouge", 0.6923077f },
		{ "pizza", "piza", 0.5714286f },
		{ "ABC-def", "abc def", 1.0f },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		float got = name_similarity(cases[i].a, cases[i].b);
		if (got != cases[i].expect)
			fail_msg("similarity(%s, %s) = %.9g, PostgreSQL says %.9g", cases[i].a,
			         cases[i].b, (double)got, (double)cases[i].expect);
	}
	assert_true(name_similarity("", "") == 0.0f);
}

static void test_levenshtein(void **state)
{
	(void)state;
	assert_int_equal(name_levenshtein("kitten", "sitting", 3), 3);
	assert_int_equal(name_levenshtein("kitten", "sitting", 2), 3); /* over: max + 1 */
	assert_int_equal(name_levenshtein("same", "same", 0), 0);
	assert_int_equal(name_levenshtein("café", "cafe", 1), 1); /* characters, not bytes */
	assert_int_equal(name_levenshtein("", "abc", 5), 3);
	assert_int_equal(name_levenshtein("abcdef", "ab", 2), 3); /* length alone decides */
	assert_int_equal(name_levenshtein("pizza", "piazza", 1), 1);
}

/* The textbook full table, to check the banded one against. */
static int full_levenshtein(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	int d[16][16];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

static void test_levenshtein_band(void **state)
{
	(void)state;
	/* Every pair of strings over {a, b, c} up to 5 letters would be 364^2 pairs; a fixed
	 * pseudo-random sample of 20,000 pairs up to 9 letters covers the band's edges. */
	unsigned seed = 12345;
	for (int t = 0; t < 20000; t++) {
		char a[10], b[10];
		size_t n = (seed = seed * 1103515245 + 12345) >> 16 & 7;
		size_t m = n + ((seed = seed * 1103515245 + 12345) >> 16) % 5 - 2;
		if (m > 9)
			m = 0;
		for (size_t i = 0; i < n; i++)
			a[i] = (char)('a' + ((seed = seed * 1103515245 + 12345) >> 16) % 3);
		for (size_t i = 0; i < m; i++)
			b[i] = (char)('a' + ((seed = seed * 1103515245 + 12345) >> 16) % 3);
		a[n] = b[m] = '\0';
		int exact = full_levenshtein(a, b);
		for (int max = 0; max <= 3; max++) {
			int got = name_levenshtein(a, b, max);
			int want = exact <= max ? exact : max + 1;
			if (got != want)
				fail_msg("levenshtein(%s, %s, %d) = %d, want %d", a, b, max, got,
				         want);
		}
	}
}

static struct name_index *sample(void)
{
	struct name_index *ix = name_index_new();
	name_index_put(ix, 1, "Golden Dragon", "dragon golden");
	name_index_put(ix, 2, "Golden Pizza", "golden pizza");
	name_index_put(ix, 3, "Pizza Palace", "palace pizza");
	name_index_put(ix, 4, "Piazza Cafe", "cafe piazza");
	name_index_put(ix, 5, "Dragon Pizza Golden", "dragon golden pizza");
	return ix;
}

static size_t match(struct name_index *ix, const char *text, const char *const *words, size_t n,
                    struct name_match **ret)
{
	struct name_query q;
	name_index_correct(ix, words, n, &q);
	return name_index_match(ix, &q, text, ret);
}

static void test_match_all_words_with_typos(void **state)
{
	(void)state;
	struct name_index *ix = sample();
	assert_int_equal(name_index_size(ix), 5);
	assert_int_equal(name_index_words(ix), 6);

	struct name_match *m;
	const char *w1[] = { "dragn", "goldn" };
	size_t n = match(ix, "goldn dragn", w1, 2, &m);
	assert_int_equal(n, 2);
	/* "Golden Dragon" is closer to what was typed than "Dragon Pizza Golden". */
	assert_int_equal(m[0].id, 1);
	assert_int_equal(m[1].id, 5);
	assert_true(m[0].similarity > m[1].similarity);
	assert_true(m[0].similarity == name_similarity("Golden Dragon", "goldn dragn"));
	free(m);

	/* "piza" is one edit from pizza; "piazza" is two, too far for four letters, but its
	 * trigram similarity is 3/9, over pg_trgm's 0.3. Nothing else is near. */
	const char *w2[] = { "piza" };
	n = match(ix, "piza", w2, 1, &m);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_true(m[i].id != 1);
	free(m);
	const char *w4[] = { "palase" };
	n = match(ix, "palase", w4, 1, &m);
	assert_int_equal(n, 1);
	assert_int_equal(m[0].id, 3);
	free(m);

	/* A word nobody uses, nothing close: no match, whatever the other words. */
	const char *w3[] = { "golden", "zzzzzz" };
	assert_int_equal(match(ix, "golden zzzzzz", w3, 2, &m), 0);
	assert_null(m);
	name_index_free(ix);
}

static void test_alternatives_as_name_query(void **state)
{
	(void)state;
	struct name_index *ix = name_index_new();
	/* Ten words one edit from "burger"; the query keeps itself, 5 by trigram, 5 by edit. */
	const char *near[] = { "burgers", "burgher", "burge",   "burker", "barger",
		               "murger",  "burgerx", "bburger", "burgor", "buger" };
	for (int i = 0; i < 10; i++) {
		char name[32];
		snprintf(name, sizeof(name), "%s", near[i]);
		name_index_put(ix, i + 1, name, near[i]);
	}
	name_index_put(ix, 11, "Burger", "burger");
	name_index_put(ix, 12, "Unrelated", "unrelated");
	struct name_query q;
	const char *typed[] = { "burger" };
	name_index_correct(ix, typed, 1, &q);
	assert_int_equal(q.nwords, 1);
	assert_true(q.w[0].nalts <= NAME_WORD_ALTERNATIVES);
	assert_true(q.w[0].nalts >= 6);
	assert_string_equal(name_index_word(ix, q.w[0].alts[0]), "burger"); /* itself first */
	for (size_t i = 0; i < q.w[0].nalts; i++) {
		const char *w = name_index_word(ix, q.w[0].alts[i]);
		assert_true(strcmp(w, "unrelated") != 0);
		assert_true(name_levenshtein(w, "burger", 2) <= 2 ||
		            name_similarity(w, "burger") >= 0.3f);
	}

	/* Short words: none corrected up to 2 letters. */
	name_index_put(ix, 13, "Ab", "ab");
	name_index_put(ix, 14, "Ac", "ac");
	const char *two[] = { "ab" };
	name_index_correct(ix, two, 1, &q);
	assert_int_equal(q.w[0].nalts, 1);
	/* A word not in the dictionary has only its neighbours. */
	const char *absent[] = { "burgr" };
	name_index_correct(ix, absent, 1, &q);
	assert_true(q.w[0].nalts >= 1);
	for (size_t i = 0; i < q.w[0].nalts; i++)
		assert_true(strcmp(name_index_word(ix, q.w[0].alts[i]), "burgr") != 0);
	/* Only the first NAME_QUERY_WORDS words count. */
	const char *many[] = { "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "b0" };
	name_index_correct(ix, many, 10, &q);
	assert_int_equal(q.nwords, NAME_QUERY_WORDS);
	name_index_free(ix);
}

static void test_rename_and_remove(void **state)
{
	(void)state;
	struct name_index *ix = sample();
	struct name_match *m;
	const char *dragon[] = { "dragon" };
	assert_int_equal(match(ix, "dragon", dragon, 1, &m), 2);
	free(m);

	/* Renamed: found by its new words only. */
	name_index_put(ix, 1, "Silver Lotus", "lotus silver");
	assert_int_equal(name_index_size(ix), 5);
	assert_int_equal(match(ix, "dragon", dragon, 1, &m), 1);
	assert_int_equal(m[0].id, 5);
	free(m);
	const char *lotus[] = { "lotus" };
	assert_int_equal(match(ix, "lotus", lotus, 1, &m), 1);
	assert_int_equal(m[0].id, 1);
	free(m);

	/* Removed: found by nothing; its words leave the dictionary when nobody uses them. */
	name_index_remove(ix, 5);
	name_index_remove(ix, 5);
	name_index_remove(ix, 99);
	assert_int_equal(name_index_size(ix), 4);
	assert_int_equal(match(ix, "dragon", dragon, 1, &m), 0);
	assert_int_equal(name_index_words(ix),
	                 7); /* golden pizza palace cafe piazza lotus silver */

	/* Put back after removal, under an id lower than others: postings stay sorted. */
	name_index_put(ix, 5, "Dragon House", "dragon house");
	name_index_put(ix, 0, "Dragon Zero", "dragon zero");
	assert_int_equal(match(ix, "dragon", dragon, 1, &m), 2);
	assert_true((m[0].id == 0 && m[1].id == 5) || (m[0].id == 5 && m[1].id == 0));
	free(m);
	name_index_free(ix);
}

static void test_many_names(void **state)
{
	(void)state;
	/* Enough entries and words to grow every table several times. */
	struct name_index *ix = name_index_new();
	char name[64], words[64];
	for (int i = 1; i <= 20000; i++) {
		snprintf(name, sizeof(name), "Shop%d Grill", i % 5000);
		snprintf(words, sizeof(words), "grill shop%d", i % 5000);
		name_index_put(ix, i, name, words);
	}
	assert_int_equal(name_index_size(ix), 20000);
	assert_int_equal(name_index_words(ix), 5001);
	struct name_match *m;
	const char *typed[] = { "grill", "shop1234" };
	size_t n = match(ix, "shop1234 grill", typed, 2, &m);
	/* shop1234 and its neighbours within two edits (shop123, shop1230..., shop234...). */
	assert_true(n >= 4);
	assert_int_equal(m[0].id % 5000, 1234);
	for (size_t i = 1; i < n; i++)
		assert_true(m[i - 1].similarity > m[i].similarity ||
		            (m[i - 1].similarity == m[i].similarity && m[i - 1].id < m[i].id));
	free(m);
	name_index_free(ix);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_similarity_matches_pg_trgm),
		cmocka_unit_test(test_levenshtein),
		cmocka_unit_test(test_levenshtein_band),
		cmocka_unit_test(test_match_all_words_with_typos),
		cmocka_unit_test(test_alternatives_as_name_query),
		cmocka_unit_test(test_rename_and_remove),
		cmocka_unit_test(test_many_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
