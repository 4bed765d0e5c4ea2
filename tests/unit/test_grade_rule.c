/*
 * Unit tests for the grade rule in the reader's language: the parts grade_compute() gives
 * (domain/grade.c), as the records layer stores them in an explanation ("rule_parts") and
 * writes them again (rec_grade_rule_text), with the catalogues of web/i18n/.
 *
 * - English: for every vector of tests/vectors/grading.json, every outcome under every kind of
 *   scheme, the parts give exactly the rule the engine wrote (and the vector expects).
 * - Simplified Chinese: the sentence for each outcome and scheme kind; every vector's parts
 *   give a sentence with no key and no unfilled argument.
 *
 * --dump-rules LANG prints [{"id", "rule", "rule_parts"}] for every compute vector in LANG, for the check
 * that the tablet's grade.mjs writes the same sentences (tests/unit/grade_rule.test.mjs).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/arena.h"
#include "core/i18n.h"
#include "domain/grade.h"
#include "records/schemes.h"

#define WEB_DIR      PLACARD_SOURCE_ROOT "/web"
#define VECTORS_PATH PLACARD_SOURCE_ROOT "/tests/vectors/grading.json"
#define RULE_TEXT    (GRADE_PARTS_MAX * I18N_MESSAGE_MAX)

static json_t *vectors;

/* The input of compute vector @v; violations in @viol (GRADE_MAX_VIOLATIONS). */
static void vector_input(const struct grade_scheme *s, json_t *v, struct grade_input *in,
                         struct grade_violation_input *viol)
{
	json_t *i = json_object_get(v, "input");
	json_t *days = json_object_get(i, "days_since_previous");
	json_t *els = json_object_get(i, "elements");
	json_t *vs = json_object_get(i, "violations");
	size_t k;
	json_t *x;

	memset(in, 0, sizeof(*in));
	assert_int_equal(
	        grade_inspection_type_parse(
	                json_string_value(json_object_get(i, "inspection_type")), &in->type),
	        0);
	in->closed_establishment = json_is_true(json_object_get(i, "closed"));
	in->days_since_previous =
	        json_is_integer(days) ? (int)json_integer_value(days) : GRADE_DAYS_UNKNOWN;
	if (json_is_object(els)) {
		in->has_elements = true;
		for (size_t e = 0; e < s->n_elements; e++)
			in->elements[e] =
			        (int)json_integer_value(json_object_get(els, s->elements[e].name));
	}
	json_array_foreach(vs, k, x)
	{
		assert_true(k < GRADE_MAX_VIOLATIONS);
		viol[k] = (struct grade_violation_input){
			json_string_value(json_object_get(x, "code")),
			(int)json_integer_value(json_object_get(x, "points")),
			json_is_true(json_object_get(x, "dismissed")),
		};
	}
	in->violations = viol;
	in->n_violations = json_array_size(vs);
}

/* Grade vector @v; false when it expects an error (or is not a compute vector). */
static bool grade_vector(json_t *v, struct grade_result *g)
{
	struct grade_violation_input viol[GRADE_MAX_VIOLATIONS];
	struct grade_input in;
	const struct grade_scheme *s;

	if (strcmp(json_string_value(json_object_get(v, "op")), "compute") != 0 ||
	    !json_is_null(json_object_get(json_object_get(v, "expect"), "error")))
		return false;
	s = grade_scheme_builtin(json_string_value(json_object_get(v, "scheme")));
	assert_non_null(s);
	vector_input(s, v, &in, viol);
	assert_int_equal(grade_compute(s, &in, g, NULL), 0);
	return true;
}

/* The rule of @g as its explanation stores it, written again in @lang, into @out. */
static void rule_in(const struct grade_scheme *s, const struct grade_result *g, const char *lang,
                    char *out)
{
	json_t *expl = rec_grade_explanation(s, g);
	assert_int_equal(
	        rec_grade_rule_text(json_object_get(expl, "rule_parts"), lang, out, RULE_TEXT), 0);
	json_decref(expl);
}

static void test_english_is_the_rule_for_every_vector(void **state)
{
	static char out[RULE_TEXT];
	size_t i, n = 0;
	json_t *v;

	(void)state;
	json_array_foreach(vectors, i, v)
	{
		struct grade_result g;
		if (!grade_vector(v, &g))
			continue;
		const struct grade_scheme *s =
		        grade_scheme_builtin(json_string_value(json_object_get(v, "scheme")));
		rule_in(s, &g, "en", out);
		if (strcmp(out, g.rule) != 0)
			fail_msg("%s: the parts give\n  %s\nthe engine wrote\n  %s",
			         json_string_value(json_object_get(v, "id")), out, g.rule);
		assert_string_equal(out, json_string_value(json_object_get(
		                                 json_object_get(v, "expect"), "rule")));
		n++;
	}
	assert_true(n > 50);
}

/* Every vector's parts in Chinese: no key left as it is, no argument unfilled, no English
 * sentence words. */
static void test_chinese_for_every_vector_is_complete(void **state)
{
	static char out[RULE_TEXT];
	size_t i;
	json_t *v;

	(void)state;
	json_array_foreach(vectors, i, v)
	{
		struct grade_result g;
		if (!grade_vector(v, &g))
			continue;
		const struct grade_scheme *s =
		        grade_scheme_builtin(json_string_value(json_object_get(v, "scheme")));
		rule_in(s, &g, "zh-CN", out);
		const char *id = json_string_value(json_object_get(v, "id"));
		if (strchr(out, '{') || strstr(out, "grade.") || strstr(out, "inspection") ||
		    strstr(out, "points") || !strstr(out, "。"))
			fail_msg("%s: %s", id, out);
	}
}

/* grade_compute() of @code with @in, its rule in @lang. */
static const char *rule_of(const char *code, const struct grade_input *in, const char *lang)
{
	static char out[RULE_TEXT];
	const struct grade_scheme *s = grade_scheme_builtin(code);
	struct grade_result g;
	struct grade_error e = { 0 };

	if (grade_compute(s, in, &g, &e) < 0)
		fail_msg("%s: %s[%d] refused", code, e.field, e.index);
	rule_in(s, &g, lang, out);
	return out;
}

/* @fmt with each %s replaced by the next argument, a text of the schemes, as zh-CN's wording
 * catalogue gives it. */
static const char *zh(const char *fmt, ...)
{
	static char out[RULE_TEXT];
	size_t len = 0;
	va_list ap;

	va_start(ap, fmt);
	for (const char *p = fmt; *p && len + 1 < sizeof(out);) {
		if (p[0] == '%' && p[1] == 's') {
			const char *w = i18n_wording("zh-CN", va_arg(ap, const char *));
			len += (size_t)snprintf(out + len, sizeof(out) - len, "%s", w);
			p += 2;
		} else {
			out[len++] = *p++;
		}
	}
	va_end(ap);
	out[len < sizeof(out) ? len : sizeof(out) - 1] = '\0';
	return out;
}

/* Days since the previous inspection: NYC's re-inspections must say (and wait 7). */
#define DAYS 10
#define INPUT(t, ...)                                                                              \
	(&(struct grade_input){ .type = (t), .days_since_previous = DAYS, __VA_ARGS__ })
#define VIOLATIONS(...)                                                                            \
	.violations = (const struct grade_violation_input[]){ __VA_ARGS__ },                       \
	.n_violations = sizeof((const struct grade_violation_input[]){ __VA_ARGS__ }) /            \
	                sizeof(struct grade_violation_input)

static void test_chinese_points_scheme(void **state)
{
	(void)state;
	/* Graded at once, in the top band. */
	assert_string_equal(rule_of("nyc",
	                            INPUT(GRADE_INSPECTION_INITIAL,
	                                  VIOLATIONS({ "02B", 7, false }, { "06C", 6, false })),
	                            "zh-CN"),
	                    zh("首次检查得分0–13分：当即评为%s级。", "A"));
	/* Outside the top band at the initial: no grade yet. */
	assert_string_equal(
	        rule_of("nyc", INPUT(GRADE_INSPECTION_INITIAL, VIOLATIONS({ "02B", 20, false })),
	                "zh-CN"),
	        "首次检查得分14–27分：不评定等级；至少7天后进行复查，由复查评定等级。");
	/* The open-ended band, graded at a re-inspection, with the label pending a hearing. */
	assert_string_equal(
	        rule_of("nyc",
	                INPUT(GRADE_INSPECTION_REINSPECTION, VIOLATIONS({ "02B", 28, false })),
	                "zh-CN"),
	        zh("复查得分28分及以上：评为%s"
	           "级。可申请听证提出异议；听证前该单位可公示“%s”（Z）。",
	           "C", "Grade Pending"));
	/* A complaint inspection does not change the grade. */
	assert_string_equal(
	        rule_of("nyc", INPUT(GRADE_INSPECTION_COMPLAINT, VIOLATIONS({ "02B", 14, false })),
	                "zh-CN"),
	        "投诉检查得分14–27分：予以记录；此类检查不改变公示的等级。");
	/* Closure, re-opening, pre-permit. */
	assert_string_equal(rule_of("nyc",
	                            INPUT(GRADE_INSPECTION_INITIAL, .closed_establishment = true),
	                            "zh-CN"),
	                    "首次检查时责令该单位停业：不评定等级；整改到位后进行恢复营业检查。");
	assert_string_equal(
	        rule_of("nyc", INPUT(GRADE_INSPECTION_REOPENING), "zh-CN"),
	        zh("恢复营业检查：该单位公示“%s”（P），直至下一次评级检查。", "Grade Pending"));
	assert_string_equal(rule_of("nyc", INPUT(GRADE_INSPECTION_PRE_PERMIT), "zh-CN"),
	                    zh("许可前检查：不评定等级；该单位公示“%s”（N）。", "Not Yet Graded"));
}

static void test_chinese_deduct_scheme(void **state)
{
	(void)state;
	assert_string_equal(
	        rule_of("cn-faces",
	                INPUT(GRADE_INSPECTION_INITIAL, VIOLATIONS({ "CN03", 10, false })),
	                "zh-CN"),
	        zh("首次检查得分90分（100分扣减10分），所在区间90–100分：%s，%s。", "Good",
	           "green smiling face"));
	/* Below the first band's floor: "or less"; deductions past 100 never go below 0. */
	assert_string_equal(rule_of("cn-faces",
	                            INPUT(GRADE_INSPECTION_COMPLAINT,
	                                  VIOLATIONS({ "CN05", 30, false }, { "CN01", 20, false },
	                                             { "CN03", 20, false }, { "CN04", 20, false },
	                                             { "CN06", 20, false }, { "CN02", 10, false })),
	                            "zh-CN"),
	                    zh("投诉检查得分0分（100分扣减120分，最低计0分），所在区间59"
	                       "分及以下：%s，%s。",
	                       "Requires action", "deadline to fix, then licence action"));
}

static void test_chinese_element_scheme(void **state)
{
	(void)state;
	/* The worst element caps the rating; FHRS publishes after the appeal window. */
	assert_string_equal(rule_of("fhrs",
	                            INPUT(GRADE_INSPECTION_INITIAL, .has_elements = true,
	                                  .elements = { 5, 20, 5 }),
	                            "zh-CN"),
	                    zh("首次检查总分30分（%s5分，%s20分，%s5分），评为%s（%s）。"
	                       "最差单项为%s20分，评级最高只能为%s（%s）。"
	                       "21天申诉期届满或申诉作出决定后予以公布。",
	                       "hygiene", "structural", "management", "3", "Generally satisfactory",
	                       "structural", "1", "Major improvement necessary"));
}

/* The posted grade's sentences (sql/functions/public_grade.sql writes the English and the
 * parts): the parts give the English, as the appeal_posting vectors expect it, and Chinese. */
static void test_posted_grade_sentences(void **state)
{
	static char out[RULE_TEXT];
	static const struct {
		const char *parts, *en, *zh;
	} cases[] = {
		{ "[{\"key\":\"grade.posted.withheld_appeal\",\"args\":{}}]",
		  "The new rating is not published until the appeal is decided; the previously "
		  "published rating stands.",
		  "申诉作出决定前不公布新的评级；此前公布的评级继续有效。" },
		{ "[{\"key\":\"grade.posted.withheld_window\",\"args\":{}}]",
		  "The new rating is published when the appeal window closes; the previously "
		  "published rating stands until then.",
		  "新的评级在申诉期届满后公布；在此之前，此前公布的评级继续有效。" },
		{ "[{\"key\":\"grade.posted.contested\",\"args\":{\"contested\":\"C\","
		  "\"label\":\"Grade Pending\",\"code\":\"Z\"}}]",
		  "Grade C is contested: the establishment may post Grade Pending (Z) until the "
		  "hearing.",
		  NULL },
	};
	size_t i, seen = 0;
	json_t *v;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		json_t *parts = json_loads(cases[k].parts, 0, NULL);
		assert_non_null(parts);
		assert_int_equal(rec_grade_rule_text(parts, "en", out, sizeof(out)), 0);
		assert_string_equal(out, cases[k].en);
		assert_int_equal(rec_grade_rule_text(parts, "zh-CN", out, sizeof(out)), 0);
		assert_string_equal(
		        out, cases[k].zh ? cases[k].zh
		                         : zh("等级%s正在申诉中：听证前该单位可公示“%s”（Z）。",
		                              "C", "Grade Pending"));
		json_decref(parts);
	}
	/* The vectors' English is one of these. */
	json_array_foreach(vectors, i, v)
	{
		const char *rule =
		        json_string_value(json_object_get(json_object_get(v, "expect"), "rule"));
		if (strcmp(json_string_value(json_object_get(v, "op")), "appeal_posting") != 0 ||
		    !rule)
			continue;
		bool found = false;
		for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++)
			found = found || strcmp(rule, cases[k].en) == 0 ||
			        (strncmp(rule, "Grade ", 6) == 0 &&
			         strstr(rule, " is contested: "));
		if (!found)
			fail_msg("%s: %s", json_string_value(json_object_get(v, "id")), rule);
		seen++;
	}
	assert_true(seen > 0);
}

/* @path's bytes written to @dir/@name. */
static void copy_to(const char *path, const char *dir, const char *name)
{
	char to[512], data[65536];
	FILE *in = fopen(path, "rb");
	assert_non_null(in);
	size_t n = fread(data, 1, sizeof(data), in);
	fclose(in);
	snprintf(to, sizeof(to), "%s/%s", dir, name);
	FILE *out = fopen(to, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(data, 1, n, out), n);
	fclose(out);
}

/* What the store answers with, as a reader of the thread's language reads it: English
 * untouched; in Chinese the explanation's rule from its parts, one without parts as stored,
 * descriptions and labels through the wording catalogue (here one of the test's own). */
static void test_localize_json(void **state)
{
	char web[] = "/tmp/placard-grade-rule-XXXXXX", dir[256], err[256];
	const char *text =
	        "{\"id\":7,\"grade\":{\"code\":\"A\",\"label\":\"Good\"},"
	        "\"explanation\":{\"score\":7,\"rule\":\"Re-opening inspection: the "
	        "establishment posts Grade Pending (P) until its next graded inspection.\","
	        "\"rule_parts\":[{\"key\":\"grade.rule.reopening\",\"args\":{\"label\":"
	        "\"Grade Pending\",\"code\":\"P\"}}]},"
	        "\"older\":{\"rule\":\"As stored.\"},"
	        "\"violations\":[{\"code\":\"CN03\",\"description\":\"Raw and cooked food "
	        "were not kept apart.\"}],"
	        "\"inspections\":[{\"grade_label\":\"Poor\",\"score\":null}],"
	        "\"location\":{\"latitude\":40.7,\"longitude\":-73.9}}";
	struct rec r = { .a = arena_new() };

	(void)state;
	assert_non_null(mkdtemp(web));
	snprintf(dir, sizeof(dir), "%s/i18n", web);
	assert_int_equal(mkdir(dir, 0700), 0);
	copy_to(WEB_DIR "/i18n/languages.json", dir, "languages.json");
	snprintf(dir, sizeof(dir), "%s/i18n/en", web);
	assert_int_equal(mkdir(dir, 0700), 0);
	copy_to(WEB_DIR "/i18n/en/grade.json", dir, "grade.json");
	snprintf(dir, sizeof(dir), "%s/i18n/zh-CN", web);
	assert_int_equal(mkdir(dir, 0700), 0);
	copy_to(WEB_DIR "/i18n/zh-CN/grade.json", dir, "grade.json");
	FILE *f = fopen(strcat(dir, "/wording.json"), "w");
	assert_non_null(f);
	fputs("{\"Good\":\"良好\",\"Poor\":\"较差\",\"Grade Pending\":\"等级待定\","
	      "\"Raw and cooked food were not kept apart.\":\"生熟食品未分开存放。\"}",
	      f);
	fclose(f);
	i18n_unload();
	if (i18n_load(web, err, sizeof(err)) < 0)
		fail_msg("%s", err);

	i18n_set_thread_language("en");
	assert_ptr_equal(rec_localize_json(&r, text), text);

	i18n_set_thread_language("zh-CN");
	const char *zh_text = rec_localize_json(&r, text);
	/* Numbers as they were written, not as a double prints at 17 digits. */
	assert_non_null(strstr(zh_text, "\"location\":{\"latitude\":40.7,\"longitude\":-73.9}"));
	json_t *v = json_loads(zh_text, 0, NULL);
	assert_non_null(v);
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(v, "explanation"), "rule")),
	        "恢复营业检查：该单位公示“等级待定”（P），直至下一次评级检查。");
	assert_non_null(json_object_get(json_object_get(v, "explanation"), "rule_parts"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(v, "older"), "rule")),
	                    "As stored.");
	assert_string_equal(
	        json_string_value(json_object_get(json_object_get(v, "grade"), "label")), "良好");
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(v, "violations"), 0), "description")),
	        "生熟食品未分开存放。");
	assert_string_equal(
	        json_string_value(json_object_get(
	                json_array_get(json_object_get(v, "inspections"), 0), "grade_label")),
	        "较差");
	assert_true(json_is_null(
	        json_object_get(json_array_get(json_object_get(v, "inspections"), 0), "score")));
	json_decref(v);

	/* Not JSON (never from the store, but): as it is. */
	assert_string_equal(rec_localize_json(&r, "{not json"), "{not json");
	i18n_set_thread_language(NULL);
	arena_destroy(r.a);

	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", web);
	assert_int_equal(system(cmd), 0);
	i18n_unload();
	if (i18n_load(WEB_DIR, err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

/* A stored part that is not one: refused, never formatted. */
static void test_malformed_parts_are_refused(void **state)
{
	char out[64];
	const char *bad[] = {
		"{}",
		"[]",
		"[{\"args\":{}}]",
		"[{\"key\":\"api.other\",\"args\":{}}]",
		"[{\"key\":\"grade.rule.unchanged\",\"args\":{\"n\":1}}]",
		"[{\"key\":\"grade.rule.unchanged\",\"args\":[]}]",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *parts = json_loads(bad[i], 0, NULL);
		assert_non_null(parts);
		assert_int_equal(rec_grade_rule_text(parts, "en", out, sizeof(out)), -EINVAL);
		json_decref(parts);
	}
}

/* A rule longer than the buffer is cut, never overrun. */
static void test_cut_to_the_buffer(void **state)
{
	char out[16];
	json_t *parts = json_loads("[{\"key\":\"grade.rule.unchanged\",\"args\":{}}]", 0, NULL);

	(void)state;
	assert_int_equal(rec_grade_rule_text(parts, "en", out, sizeof(out)), 0);
	assert_string_equal(out, ": recorded; thi");
	json_decref(parts);
}

static int load(void)
{
	char err[256];

	if (i18n_load(WEB_DIR, err, sizeof(err)) < 0) {
		fprintf(stderr, "catalogues: %s\n", err);
		return -1;
	}
	vectors = json_load_file(VECTORS_PATH, 0, NULL);
	if (!json_is_array(vectors)) {
		fprintf(stderr, "cannot read %s\n", VECTORS_PATH);
		return -1;
	}
	return 0;
}

static int dump_rules(const char *lang)
{
	static char out[RULE_TEXT];
	json_t *all = json_array();
	size_t i;
	json_t *v;

	json_array_foreach(vectors, i, v)
	{
		struct grade_result g;
		if (!grade_vector(v, &g))
			continue;
		const struct grade_scheme *s =
		        grade_scheme_builtin(json_string_value(json_object_get(v, "scheme")));
		json_t *expl = rec_grade_explanation(s, &g);
		rule_in(s, &g, lang, out);
		json_array_append_new(
		        all, json_pack("{s:O, s:s, s:O}", "id", json_object_get(v, "id"), "rule",
		                       out, "rule_parts", json_object_get(expl, "rule_parts")));
		json_decref(expl);
	}
	json_dumpf(all, stdout, JSON_INDENT(1) | JSON_ENSURE_ASCII);
	putchar('\n');
	json_decref(all);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_english_is_the_rule_for_every_vector),
		cmocka_unit_test(test_chinese_for_every_vector_is_complete),
		cmocka_unit_test(test_chinese_points_scheme),
		cmocka_unit_test(test_chinese_deduct_scheme),
		cmocka_unit_test(test_chinese_element_scheme),
		cmocka_unit_test(test_posted_grade_sentences),
		cmocka_unit_test(test_malformed_parts_are_refused),
		cmocka_unit_test(test_cut_to_the_buffer),
		cmocka_unit_test(test_localize_json),
	};
	int rc;

	if (load() < 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "--dump-rules") == 0)
		rc = dump_rules(argv[2]);
	else
		rc = cmocka_run_group_tests(tests, NULL, NULL);
	json_decref(vectors);
	i18n_unload();
	return rc;
}
