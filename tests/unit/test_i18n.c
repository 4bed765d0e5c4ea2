/*
 * Unit tests for core/i18n.c: the message formatter (the same vectors as the browser's,
 * tests/unit/i18n.test.mjs), the choice of language from Accept-Language, cutting at a
 * character, the catalogues (every message of every file under web/i18n/ parses here and in
 * ICU4C's own MessageFormat), and loading.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <unicode/umsg.h>
#include <unicode/ustring.h>

#include "core/i18n.h"

#define WEB_DIR PLACARD_SOURCE_ROOT "/web"

/* @pattern formatted in @lang with "name", "value", ... NULL. */
static const char *fmt(const char *lang, const char *pattern, ...)
{
	static char out[I18N_MESSAGE_MAX];
	struct i18n_arg args[16];
	size_t n = 0;
	va_list ap;
	va_start(ap, pattern);
	for (const char *name; (name = va_arg(ap, const char *)) && n < 16;) {
		args[n].name = name;
		args[n].value = va_arg(ap, const char *);
		n++;
	}
	va_end(ap);
	size_t len = 99;
	if (i18n_format_pattern(out, sizeof(out), lang, pattern, args, n, &len) < 0)
		fail_msg("\"%s\" does not parse", pattern);
	assert_int_equal(len, strlen(out));
	return out;
}

static void test_text_arguments_apostrophes(void **state)
{
	(void)state;
	assert_string_equal(fmt("en", "Hello", NULL), "Hello");
	assert_string_equal(fmt("en", "Hello {name}!", "name", "Ann", NULL), "Hello Ann!");
	assert_string_equal(fmt("en", "The inspector's note", NULL), "The inspector's note");
	assert_string_equal(fmt("en", "It''s", NULL), "It's");
	assert_string_equal(fmt("en", "'{name}' is literal", NULL), "{name} is literal");
	assert_string_equal(fmt("en", "'{'{name}'}'", "name", "x", NULL), "{x}");
	assert_string_equal(fmt("en", "missing {gone}", NULL), "missing {gone}");
	assert_string_equal(
	        fmt("en", "\"{name}\" is not a date like 2026-05-01.", "name", "x", NULL),
	        "\"x\" is not a date like 2026-05-01.");
	assert_string_equal(fmt("zh-CN", "“{name}”不是形如 2026-05-01 的日期。", "name", "x", NULL),
	                    "“x”不是形如 2026-05-01 的日期。");
	/* An argument's text is not read as a pattern. */
	assert_string_equal(fmt("en", "<{v}>", "v", "{x} '' #", NULL), "<{x} '' #>");
}

static void test_numbers_plurals_selects(void **state)
{
	(void)state;
	const char *m = "{n, plural, =0 {no points} one {# point} other {# points}}";
	assert_string_equal(fmt("en", m, "n", "0", NULL), "no points");
	assert_string_equal(fmt("en", m, "n", "1", NULL), "1 point");
	assert_string_equal(fmt("en", m, "n", "2", NULL), "2 points");
	assert_string_equal(fmt("en", m, "n", "1234", NULL), "1,234 points");
	assert_string_equal(fmt("zh-CN", "{n, plural, other {# 分}}", "n", "3", NULL), "3 分");
	assert_string_equal(fmt("zh-CN", "{n, plural, one {# x} other {# 分}}", "n", "1", NULL),
	                    "1 分");
	assert_string_equal(fmt("zh-CN", m, "n", "0", NULL), "no points");
	assert_string_equal(fmt("en", "{n, number}", "n", "12345.5", NULL), "12,345.5");
	assert_string_equal(fmt("en", "{n, number, integer}", "n", "12345.5", NULL), "12,346");
	assert_string_equal(fmt("zh-CN", "{n, number}", "n", "12345.5", NULL), "12,345.5");
	assert_string_equal(fmt("en", "{n, number, percent}", "n", "0.25", NULL), "25%");
	assert_string_equal(
	        fmt("en", "{n, plural, offset:1 =0 {nobody} one {you} other {you and # others}}",
	            "n", "3", NULL),
	        "you and 2 others");
	assert_string_equal(fmt("en", "{n, plural, offset:1 =0 {nobody} one {you} other {# more}}",
	                        "n", "0", NULL),
	                    "nobody");
	const char *s = "{state, select, open {Open} closed {Closed} other {Unknown}}";
	assert_string_equal(fmt("en", s, "state", "open", NULL), "Open");
	assert_string_equal(fmt("en", s, "state", "odd", NULL), "Unknown");
	assert_string_equal(fmt("en", "{n, plural, one {# day {what}} other {# days {what}}}", "n",
	                        "1", "what", "left", NULL),
	                    "1 day left");
	/* Inside a select, # is text; a quoted # in a plural is text. */
	assert_string_equal(fmt("en", "{n, plural, other {{s, select, a {#} other {x}}}}", "n", "2",
	                        "s", "a", NULL),
	                    "#");
	assert_string_equal(fmt("en", "{n, plural, other {'#' #}}", "n", "2", NULL), "# 2");
	assert_string_equal(fmt("en",
	                        "{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}",
	                        "n", "22", NULL),
	                    "22nd");
}

static void test_bad_patterns_refused(void **state)
{
	(void)state;
	const char *bad[] = { "{",
		              "}",
		              "{n, plural, one {x}}",
		              "{n, plural, lots {x} other {y}}",
		              "{n, frob}",
		              "{n, number, money}",
		              "{n, select, a {x} other {y}",
		              "a } b",
		              "{}",
		              "{n, plural, offset:x other {y}}",
		              "{n, date, sometime}",
		              "{n, plural, other y}" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char out[64] = "unchanged";
		size_t len = 99;
		if (i18n_format_pattern(out, sizeof(out), "en", bad[i], NULL, 0, &len) != -EINVAL)
			fail_msg("\"%s\" parsed", bad[i]);
		assert_int_equal(len, 0);
		assert_string_equal(out, "");
		assert_false(i18n_pattern_valid(bad[i]));
	}
	assert_true(i18n_pattern_valid("{d, date, long} {t, time}"));
	assert_true(i18n_pattern_valid("a '{' b"));
}

static void test_negotiation(void **state)
{
	(void)state;
	static const char *const av[] = { "en", "zh-CN" };
	struct {
		const char *header;
		const char *want;
	} table[] = {
		{ NULL, "en" },
		{ "", "en" },
		{ "zh-CN", "zh-CN" },
		{ "zh-cn", "zh-CN" },
		{ "zh", "zh-CN" },
		{ "zh-Hans-CN", "zh-CN" },
		{ "zh-TW, en", "zh-CN" },
		{ "en-GB", "en" },
		{ "fr, de", "en" },
		{ "fr, zh", "zh-CN" },
		{ "*", "en" },
		{ "zh-CN,zh;q=0.9", "zh-CN" },
		{ "zh-CN,zh;q=0.9,en;q=0.8", "zh-CN" },
		{ "en;q=0.5, zh-CN", "zh-CN" },
		{ "en;q=0.5, zh-CN;q=0.6", "zh-CN" },
		{ "zh-CN;q=0.5, en;q=0.5", "zh-CN" },
		{ "zh-CN;q=0.4, en;q=0.5", "en" },
		{ "en;q=1.000, zh;q=0.999", "en" },
		{ "fr;q=0.9, zh;q=0.8, en;q=0.1", "zh-CN" },
		{ "  zh-CN ; q=0.9 ,, en;q=0.1 ", "zh-CN" },
		{ "ZH-cn", "zh-CN" },
		/* q=0: not acceptable. */
		{ "zh-CN;q=0, *", "en" },
		{ "en;q=0, *", "zh-CN" },
		{ "en;q=0, *;q=0.5", "zh-CN" },
		{ "zh;q=0, zh-CN", "en" },
		{ "zh-CN;q=0, zh", "en" },
		{ "zh-CN;q=0.000, zh", "en" },
		{ "en;q=0", "en" },
		{ "*;q=0", "en" },
		{ "*, zh", "zh-CN" },
		/* Malformed: the default. */
		{ "zh-CN;q=2", "en" },
		{ "zh-CN;q=0.1234", "en" },
		{ "zh-CN;q=1.5", "en" },
		{ "zh-CN;q=", "en" },
		{ "zh-CN;level=1", "en" },
		{ "zh_CN", "en" },
		{ "zh-CN zh", "en" },
		{ "zh-, en", "en" },
		{ "zh-toolongsubtag", "en" },
		{ "1a", "en" },
		{ "zh-CN;q=0.9;q=0.8", "en" },
		{ "zh-CN, \"en\"", "en" },
		{ "zh-CN\x01", "en" },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const char *got = i18n_negotiate_among(table[i].header, av, 2);
		if (strcmp(got, table[i].want) != 0)
			fail_msg("\"%s\": %s, not %s", table[i].header ? table[i].header : "(null)",
			         got, table[i].want);
	}
	/* Over-long: only the first I18N_ACCEPT_MAX bytes count, up to the last whole element. */
	char longer[I18N_ACCEPT_MAX * 2];
	size_t n = 0;
	while (n + 8 < I18N_ACCEPT_MAX - 10)
		n += (size_t)sprintf(longer + n, "fr;q=0.5,");
	n += (size_t)sprintf(longer + n, "zh-CN");
	assert_true(n <= I18N_ACCEPT_MAX);
	assert_string_equal(i18n_negotiate_among(longer, av, 2), "zh-CN");
	while (n < I18N_ACCEPT_MAX + 20)
		n += (size_t)sprintf(longer + n, ",fr");
	assert_string_equal(i18n_negotiate_among(longer, av, 2), "zh-CN");
	/* zh-CN cut in two by the limit: dropped. */
	n = 0;
	while (n < I18N_ACCEPT_MAX - 3)
		n += (size_t)sprintf(longer + n, "f,");
	n = I18N_ACCEPT_MAX - 2;
	sprintf(longer + n, "zh-CN");
	assert_string_equal(i18n_negotiate_among(longer, av, 2), "en");
	/* One range longer than the limit. */
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	assert_string_equal(i18n_negotiate_among(longer, av, 2), "en");
	/* The first available is the answer when nothing matches, whatever it is. */
	static const char *const zh_first[] = { "zh-CN", "en" };
	assert_string_equal(i18n_negotiate_among("fr", zh_first, 2), "zh-CN");
	assert_string_equal(i18n_negotiate_among("en-US", zh_first, 2), "en");
}

static void test_cut_at_character(void **state)
{
	(void)state;
	/* "点" is 3 bytes: a buffer of 5 holds one and a half; the half is dropped. */
	char out[5];
	size_t len = 0;
	assert_int_equal(i18n_format_pattern(out, sizeof(out), "zh-CN", "点点", NULL, 0, &len), 0);
	assert_int_equal(len, 3);
	assert_string_equal(out, "点");
	assert_int_equal(i18n_format_pattern(out, sizeof(out), "en", "abcdefg", NULL, 0, &len), 0);
	assert_int_equal(len, 4);
	assert_string_equal(out, "abcd");
	/* A sentence longer than I18N_MESSAGE_MAX is cut at a character. */
	static char big[I18N_MESSAGE_MAX * 2], res[I18N_MESSAGE_MAX * 2];
	strcpy(big, "x");
	for (int i = 0; i < I18N_MESSAGE_MAX / 3 + 5; i++)
		strcat(big, "点");
	assert_int_equal(i18n_format_pattern(res, sizeof(res), "zh-CN", big, NULL, 0, &len), 0);
	assert_true(len < I18N_MESSAGE_MAX);
	assert_int_equal(len, 1 + 3 * ((I18N_MESSAGE_MAX - 2) / 3));
	assert_int_equal(len % 3, 1);
	assert_int_equal(strlen(res), len);
	/* A long argument too. */
	const struct i18n_arg a = { "v", big + 1 };
	assert_int_equal(i18n_format_pattern(res, sizeof(res), "zh-CN", "ab{v}", &a, 1, &len), 0);
	assert_int_equal(len % 3, 2);
	assert_true(len < I18N_MESSAGE_MAX);
	char zero[1] = { 'z' };
	assert_int_equal(i18n_format_pattern(zero, 0, "en", "abc", NULL, 0, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(zero[0], 'z');
}

/* ICU4C's own MessageFormat parser accepts @msg. */
static bool icu_parses(const char *msg, const char *lang)
{
	UChar u[4096];
	int32_t n = 0;
	UErrorCode st = U_ZERO_ERROR;
	u_strFromUTF8(u, 4096, &n, msg, -1, &st);
	if (U_FAILURE(st))
		return false;
	UParseError pe;
	UMessageFormat *mf = umsg_open(u, n, lang, &pe, &st);
	bool ok = U_SUCCESS(st);
	if (mf)
		umsg_close(mf);
	return ok;
}

static void test_every_catalogue_message_parses(void **state)
{
	(void)state;
	DIR *top = opendir(WEB_DIR "/i18n");
	assert_non_null(top);
	size_t count = 0;
	for (struct dirent *l; (l = readdir(top));) {
		if (l->d_name[0] == '.')
			continue;
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s/i18n/%s", WEB_DIR, l->d_name);
		struct stat st;
		if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		DIR *d = opendir(dir);
		assert_non_null(d);
		for (struct dirent *e; (e = readdir(d));) {
			size_t nl = strlen(e->d_name);
			if (nl < 6 || strcmp(e->d_name + nl - 5, ".json") != 0)
				continue;
			char path[2048];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			json_error_t je;
			json_t *cat = json_load_file(path, 0, &je);
			if (!cat)
				fail_msg("%s: %s", path, je.text);
			const char *key;
			json_t *v;
			json_object_foreach(cat, key, v)
			{
				const char *msg = json_string_value(v);
				if (!msg)
					fail_msg("%s %s is not a string", path, key);
				if (!i18n_pattern_valid(msg))
					fail_msg("%s %s does not parse: %s", path, key, msg);
				if (!icu_parses(msg, l->d_name))
					fail_msg("%s %s: ICU does not parse it: %s", path, key,
					         msg);
				count++;
			}
			json_decref(cat);
		}
		closedir(d);
	}
	closedir(top);
	assert_true(count > 0);
	/* And ICU refuses what ours refuses (the two parsers agree on the bad vectors). */
	assert_false(icu_parses("{n, plural, one {x}", "en"));
	assert_false(icu_parses("{n, frob}", "en"));
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* A web/ of our own: two languages, a key only English has, a wording. */
static char tmp_web[] = "/tmp/placard-i18n-XXXXXX";

static void make_web(const char *zh_api)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/i18n", tmp_web);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/i18n/en", tmp_web);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/i18n/zh-CN", tmp_web);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/i18n/languages.json", tmp_web);
	write_file(p, "{\"default\":\"en\",\"languages\":[{\"code\":\"en\",\"name\":\"English\"},"
	              "{\"code\":\"zh-CN\",\"name\":\"简体中文\"}]}");
	snprintf(p, sizeof(p), "%s/i18n/en/api.json", tmp_web);
	write_file(p, "{\"api.t.limit\":\"\\\"{name}\\\" is at most {max}.\","
	              "\"api.t.only_en\":\"Only English.\","
	              "\"api.t.days\":\"{n, plural, one {# day} other {# days}}\"}");
	snprintf(p, sizeof(p), "%s/i18n/en/records.json", tmp_web);
	write_file(p, "{\"records.t.x\":\"Records {x}.\"}");
	snprintf(p, sizeof(p), "%s/i18n/zh-CN/api.json", tmp_web);
	write_file(p, zh_api);
	snprintf(p, sizeof(p), "%s/i18n/zh-CN/wording.json", tmp_web);
	write_file(p, "{\"Very good\":\"非常好\"}");
}

static void test_load_and_format(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmp_web));
	make_web("{\"api.t.limit\":\"“{name}”最多为 {max}。\",\"api.t.days\":\"{n, plural, other "
	         "{# 天}}\"}");
	char err[512] = "";
	if (i18n_load(tmp_web, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_int_equal(i18n_language_count(), 2);
	assert_string_equal(i18n_language_at(0), "en");
	assert_string_equal(i18n_language_at(1), "zh-CN");
	assert_null(i18n_language_at(2));
	assert_string_equal(i18n_language_known("ZH-cn"), "zh-CN");
	assert_string_equal(i18n_language_known("en-xa"), I18N_PSEUDO);
	assert_null(i18n_language_known("fr"));
	assert_null(i18n_language_known(NULL));
	assert_string_equal(i18n_negotiate("zh;q=0.9, en;q=0.1"), "zh-CN");

	char out[I18N_MESSAGE_MAX];
	size_t n = i18n_format(out, sizeof(out), "en", "api.t.limit", "name", "limit", "max",
	                       I18N_INT(100), NULL);
	assert_string_equal(out, "\"limit\" is at most 100.");
	assert_int_equal(n, strlen(out));
	i18n_format(out, sizeof(out), "zh-CN", "api.t.limit", "name", "limit", "max", I18N_INT(-7),
	            NULL);
	assert_string_equal(out, "“limit”最多为 -7。");
	/* A key zh-CN lacks is English; a key nobody has is the key. */
	i18n_format(out, sizeof(out), "zh-CN", "api.t.only_en", NULL);
	assert_string_equal(out, "Only English.");
	i18n_format(out, sizeof(out), "zh-CN", "api.t.nowhere", NULL);
	assert_string_equal(out, "api.t.nowhere");
	i18n_format(out, sizeof(out), "en", "records.t.x", "x", "y", NULL);
	assert_string_equal(out, "Records y.");
	i18n_format(out, sizeof(out), "zh-CN", "api.t.days", "n", I18N_INT(1), NULL);
	assert_string_equal(out, "1 天");
	i18n_format(out, sizeof(out), "en", "api.t.days", "n", I18N_INT(1), NULL);
	assert_string_equal(out, "1 day");
	/* The pseudo-language: English in brackets. */
	i18n_format(out, sizeof(out), I18N_PSEUDO, "api.t.limit", "name", "a", "max", "2", NULL);
	assert_string_equal(out, "⟦\"a\" is at most 2.⟧");
	/* The thread's language. */
	assert_string_equal(i18n_thread_language(), "en");
	i18n_set_thread_language("zh-CN");
	assert_string_equal(i18n_thread_language(), "zh-CN");
	i18n_format(out, sizeof(out), NULL, "api.t.days", "n", "2", NULL);
	assert_string_equal(out, "2 天");
	assert_string_equal(i18n_wording(NULL, "Very good"), "非常好");
	assert_string_equal(i18n_wording(NULL, "Good"), "Good");
	i18n_set_thread_language(NULL);
	assert_string_equal(i18n_thread_language(), "en");
	assert_string_equal(i18n_wording(NULL, "Very good"), "Very good");
	assert_string_equal(i18n_wording(I18N_PSEUDO, "Very good"), "⟦Very good⟧");
	assert_null(i18n_wording("zh-CN", NULL));
	/* Cut at a character, the brackets kept. */
	char small[8];
	n = i18n_format(small, sizeof(small), "zh-CN", "api.t.limit", "name", "x", "max", "1",
	                NULL);
	assert_int_equal(n, strlen(small));
	assert_string_equal(small, "“x”");
	/* A pseudo sentence longer than the limit keeps both brackets. */
	static char big[I18N_MESSAGE_MAX * 2];
	memset(big, 'a', sizeof(big) - 1);
	n = i18n_format(out, sizeof(out), I18N_PSEUDO, "api.t.limit", "name", big, "max", "1",
	                NULL);
	assert_true(n < I18N_MESSAGE_MAX);
	assert_int_equal(strncmp(out, "⟦", 3), 0);
	assert_string_equal(out + n - 3, "⟧");

	/* A message that does not parse stops the load, saying which. */
	make_web("{\"api.t.limit\":\"{name\"}");
	assert_int_equal(i18n_load(tmp_web, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "api.t.limit"));
	assert_non_null(strstr(err, "zh-CN/api.json"));
	assert_int_equal(i18n_language_count(), 0);
	make_web("[1]");
	assert_int_equal(i18n_load(tmp_web, err, sizeof(err)), -EINVAL);
	make_web("{\"api.t.limit\": 3}");
	assert_int_equal(i18n_load(tmp_web, err, sizeof(err)), -EINVAL);
	assert_int_equal(i18n_load("/nonexistent", err, sizeof(err)), -EINVAL);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp_web);
	assert_int_equal(system(cmd), 0);
}

/* The real catalogues load. */
static void test_load_web(void **state)
{
	(void)state;
	char err[512] = "";
	if (i18n_load(WEB_DIR, err, sizeof(err)) < 0)
		fail_msg("%s", err);
	assert_true(i18n_language_count() >= 2);
	assert_string_equal(i18n_language_at(0), I18N_DEFAULT);
	i18n_unload();
	assert_int_equal(i18n_language_count(), 0);
}

static void test_int_text(void **state)
{
	(void)state;
	char b[24];
	assert_string_equal(i18n_int_text(b, -9223372036854775807LL - 1), "-9223372036854775808");
	assert_string_equal(I18N_INT(42), "42");
	assert_string_equal(I18N_INT((size_t)7), "7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_arguments_apostrophes),
		cmocka_unit_test(test_numbers_plurals_selects),
		cmocka_unit_test(test_bad_patterns_refused),
		cmocka_unit_test(test_negotiation),
		cmocka_unit_test(test_cut_at_character),
		cmocka_unit_test(test_every_catalogue_message_parses),
		cmocka_unit_test(test_load_and_format),
		cmocka_unit_test(test_load_web),
		cmocka_unit_test(test_int_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
