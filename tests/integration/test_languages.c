/*
 * The server's languages against the real server: a refusal in the language Accept-Language
 * asks for (the same code and field as in English, the sentence from the catalogue),
 * ?lang= over the header, English for a language there is none of, the pseudo-language in
 * brackets, Content-Language and Vary: Accept-Language on problems and JSON answers, and
 * validators that never let a body in one language stand for another (no 304 across
 * languages).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct itest_server server;
static char db_url[256];
static json_t *en_api, *zh_api;

#define NEED_DB()                                                                                  \
	do {                                                                                       \
		if (!server.pid)                                                                   \
			skip();                                                                    \
	} while (0)

static json_t *catalogue(const char *lang)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/web/i18n/%s/api.json", itest_source_root(), lang);
	json_error_t e;
	json_t *v = json_load_file(path, 0, &e);
	if (!v)
		fail_msg("%s: %s", path, e.text);
	return v;
}

static int setup(void **state)
{
	(void)state;
	en_api = catalogue("en");
	zh_api = catalogue("zh-CN");
	if (!itest_have_db())
		return 0;
	itest_db_create("languages", db_url, sizeof(db_url));
	itest_server_start(&server, db_url, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (server.pid)
		assert_int_equal(itest_server_stop(&server), 0);
	json_decref(en_api);
	json_decref(zh_api);
	return 0;
}

/* GET @path with the header lines @h (NULL-terminated, or NULL). */
static void get(const char *path, const char *const h[], struct itest_response *r)
{
	itest_request(&server, "GET", path, h, NULL, 0, r);
}

/* The response's problem document; asserts it is one with @status. */
static json_t *problem(const struct itest_response *r, long status)
{
	if (r->status != status)
		fail_msg("status %ld, not %ld: %s", r->status, status, r->body.data);
	assert_string_equal(itest_header(r, "Content-Type"), "application/problem+json");
	json_t *v = json_loads(r->body.data, 0, NULL);
	assert_non_null(v);
	return v;
}

static const char *member(json_t *v, const char *name)
{
	const char *s = json_string_value(json_object_get(v, name));
	if (!s)
		fail_msg("no \"%s\" in the answer", name);
	return s;
}

/* The response says it is in @lang and varies with Accept-Language. */
static void in_language(const struct itest_response *r, const char *lang)
{
	const char *cl = itest_header(r, "Content-Language");
	if (!cl || strcmp(cl, lang) != 0)
		fail_msg("Content-Language %s, not %s", cl ? cl : "(none)", lang);
	const char *vary = itest_header(r, "Vary");
	if (!vary || !strstr(vary, "Accept-Language"))
		fail_msg("Vary: %s", vary ? vary : "(none)");
}

static const char *const zh[] = { "Accept-Language: zh-CN,zh;q=0.9", NULL };
static const char *const fr[] = { "Accept-Language: fr-FR,fr;q=0.9", NULL };
static const char *const en[] = { "Accept-Language: en-GB,en;q=0.9", NULL };

/* A refusal in Chinese: the catalogue's sentence, and the code and field English gives. */
static void test_refusal_in_chinese(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	get("/api/v1/establishments?sort=sideways", en, &r);
	json_t *e = problem(&r, 400);
	in_language(&r, "en");
	assert_string_equal(member(e, "detail"), "\"sort\" must be relevance, name or distance.");
	assert_string_equal(member(e, "code"), "api.search.sort");
	assert_string_equal(member(e, "field"), "sort");
	itest_response_free(&r);

	get("/api/v1/establishments?sort=sideways", zh, &r);
	json_t *z = problem(&r, 400);
	in_language(&r, "zh-CN");
	assert_string_equal(member(z, "detail"),
	                    json_string_value(json_object_get(zh_api, "api.search.sort")));
	assert_string_equal(member(z, "code"), member(e, "code"));
	assert_string_equal(member(z, "field"), member(e, "field"));
	assert_int_equal(json_integer_value(json_object_get(z, "status")), 400);
	itest_response_free(&r);
	json_decref(e);
	json_decref(z);

	/* With arguments: the path goes into the Chinese sentence. */
	get("/api/v1/nothing-here", zh, &r);
	z = problem(&r, 404);
	in_language(&r, "zh-CN");
	assert_string_equal(member(z, "detail"), "/api/v1/nothing-here 处没有内容。");
	assert_string_equal(member(z, "code"), "api.http.not_found");
	itest_response_free(&r);
	json_decref(z);

	/* A request body refused by the JSON layer. */
	const char *const zh_post[] = { "Accept-Language: zh-CN", "Content-Type: application/json",
		                        NULL };
	itest_request(&server, "POST", "/api/v1/session", zh_post, "{\"username\": 3}", 15, &r);
	z = problem(&r, 422);
	in_language(&r, "zh-CN");
	assert_string_equal(member(z, "code"), "api.json.not_string");
	assert_string_equal(member(z, "field"), "/username");
	assert_string_equal(member(z, "detail"), "“username”须为字符串。");
	itest_response_free(&r);
	json_decref(z);
}

/* ?lang= names the language over the header; one there is none of does not. */
static void test_lang_parameter(void **state)
{
	(void)state;
	NEED_DB();
	struct itest_response r;
	get("/api/v1/establishments?sort=sideways&lang=en", zh, &r);
	json_t *v = problem(&r, 400);
	in_language(&r, "en");
	assert_string_equal(member(v, "detail"), "\"sort\" must be relevance, name or distance.");
	itest_response_free(&r);
	json_decref(v);

	get("/api/v1/establishments?sort=sideways&lang=ZH-cn", en, &r);
	v = problem(&r, 400);
	in_language(&r, "zh-CN");
	assert_string_equal(member(v, "detail"),
	                    json_string_value(json_object_get(zh_api, "api.search.sort")));
	itest_response_free(&r);
	json_decref(v);

	/* An unknown ?lang= is ignored: the header decides. */
	get("/api/v1/establishments?sort=sideways&lang=fr", zh, &r);
	v = problem(&r, 400);
	in_language(&r, "zh-CN");
	itest_response_free(&r);
	json_decref(v);
}

/* A language there are no catalogues of, or none asked for: English. */
static void test_unknown_language_is_english(void **state)
{
	(void)state;
	NEED_DB();
	const char *const *asks[] = { fr, NULL };
	const char *const garbage[] = { "Accept-Language: zh-CN;q=7", NULL };
	const char *const refused[] = { "Accept-Language: zh-CN;q=0, *", NULL };
	asks[1] = garbage;
	for (int i = 0; i < 3; i++) {
		struct itest_response r;
		get("/api/v1/establishments?sort=sideways", i < 2 ? asks[i] : refused, &r);
		json_t *v = problem(&r, 400);
		in_language(&r, "en");
		assert_string_equal(member(v, "detail"),
		                    "\"sort\" must be relevance, name or distance.");
		itest_response_free(&r);
		json_decref(v);
	}
	struct itest_response r;
	get("/api/v1/establishments?sort=sideways", NULL, &r);
	json_t *v = problem(&r, 400);
	in_language(&r, "en");
	itest_response_free(&r);
	json_decref(v);
}

/* The pseudo-language: English in brackets, asked for by ?lang= or by the header. */
static void test_pseudo_language(void **state)
{
	(void)state;
	NEED_DB();
	const char *const pseudo[] = { "Accept-Language: en-XA", NULL };
	const char *paths[] = { "/api/v1/establishments?sort=sideways&lang=en-XA",
		                "/api/v1/establishments?sort=sideways" };
	for (int i = 0; i < 2; i++) {
		struct itest_response r;
		get(paths[i], i == 0 ? zh : pseudo, &r);
		json_t *v = problem(&r, 400);
		in_language(&r, "en-XA");
		assert_string_equal(member(v, "detail"),
		                    "⟦\"sort\" must be relevance, name or distance.⟧");
		assert_string_equal(member(v, "code"), "api.search.sort");
		itest_response_free(&r);
		json_decref(v);
	}
}

/* The ETag of a JSON answer names its language: a 304 never crosses languages. */
static void test_validators_per_language(void **state)
{
	(void)state;
	NEED_DB();
	const char *path = "/api/v1/schemes/nyc";
	struct itest_response r;
	char etag_en[160], etag_zh[160];
	get(path, en, &r);
	assert_int_equal(r.status, 200);
	in_language(&r, "en");
	assert_non_null(itest_header(&r, "ETag"));
	snprintf(etag_en, sizeof(etag_en), "%s", itest_header(&r, "ETag"));
	itest_response_free(&r);
	get(path, zh, &r);
	assert_int_equal(r.status, 200);
	in_language(&r, "zh-CN");
	assert_non_null(itest_header(&r, "ETag"));
	snprintf(etag_zh, sizeof(etag_zh), "%s", itest_header(&r, "ETag"));
	itest_response_free(&r);
	assert_string_not_equal(etag_en, etag_zh);

	struct {
		const char *lang;
		const char *etag;
		long status;
	} cases[] = {
		{ "en", etag_en, 304 },
		{ "zh-CN", etag_zh, 304 },
		{ "zh-CN", etag_en, 200 },
		{ "en", etag_zh, 200 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char al[64], inm[200];
		snprintf(al, sizeof(al), "Accept-Language: %s", cases[i].lang);
		snprintf(inm, sizeof(inm), "If-None-Match: %s", cases[i].etag);
		const char *const h[] = { al, inm, NULL };
		get(path, h, &r);
		if (r.status != cases[i].status)
			fail_msg("%s with %s: %ld", cases[i].lang, cases[i].etag, r.status);
		const char *vary = itest_header(&r, "Vary");
		assert_true(vary && strstr(vary, "Accept-Language"));
		if (r.status == 200) {
			assert_true(r.body.len > 0);
			in_language(&r, cases[i].lang);
		}
		itest_response_free(&r);
	}
	/* The English tag is what it was before languages: the body's alone. */
	get(path, NULL, &r);
	assert_string_equal(itest_header(&r, "ETag"), etag_en);
	itest_response_free(&r);
	/* A static file is the same in every language: no Content-Language. */
	get("/i18n/languages.json", zh, &r);
	assert_int_equal(r.status, 200);
	assert_null(itest_header(&r, "Content-Language"));
	itest_response_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusal_in_chinese),
		cmocka_unit_test(test_lang_parameter),
		cmocka_unit_test(test_unknown_language_is_english),
		cmocka_unit_test(test_pseudo_language),
		cmocka_unit_test(test_validators_per_language),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
