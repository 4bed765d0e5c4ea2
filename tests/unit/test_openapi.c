/*
 * test_openapi.c - web/openapi.json (served as /api/v1/openapi.json) describes exactly the
 * routes of the server: every route of api_routes[] (src/api/api.c), with each of its
 * methods, is an operation of the document (a path parameter {id:int} is written {id}), and
 * every operation of the document is a route of the server. Each operation declares the
 * path parameters of its path and no others, those of {name:int} as integers; operationIds
 * are unique. A failure lists every route or operation at fault.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/api.h"
#include "core/buf.h"

#define OPENAPI_FILE PLACARD_SOURCE_ROOT "/web/openapi.json"
#define PATH_MAX_LEN 256

/* The methods of a path item, as OpenAPI names them; trace is none of the server's. */
static const struct {
	unsigned method;
	const char *name;
} methods[] = {
	{ HTTP_GET, "get" },         { HTTP_HEAD, "head" },   { HTTP_POST, "post" },
	{ HTTP_PUT, "put" },         { HTTP_PATCH, "patch" }, { HTTP_DELETE, "delete" },
	{ HTTP_OPTIONS, "options" }, { 0, "trace" },
};

static json_t *doc;

static int load(void **state)
{
	(void)state;
	json_error_t e;
	doc = json_load_file(OPENAPI_FILE, JSON_REJECT_DUPLICATES, &e);
	if (!doc)
		fprintf(stderr, "%s:%d: %s\n", OPENAPI_FILE, e.line, e.text);
	return doc && json_is_object(json_object_get(doc, "paths")) ? 0 : -1;
}

static int unload(void **state)
{
	(void)state;
	json_decref(doc);
	return 0;
}

/* The document's form of route pattern @pattern: "/a/{id:int}" is "/a/{id}". */
static void doc_path(const char *pattern, char out[PATH_MAX_LEN])
{
	size_t n = 0;
	bool in_brace = false, in_type = false;
	for (const char *p = pattern; *p && n < PATH_MAX_LEN - 1; p++) {
		if (*p == '{')
			in_brace = true;
		else if (*p == ':' && in_brace)
			in_type = true;
		else if (*p == '}')
			in_brace = in_type = false;
		if (!in_type)
			out[n++] = *p;
	}
	out[n] = '\0';
}

/* The type of path parameter @name in route pattern @pattern ("int", "" for a slug), or
 * NULL when the pattern has no such parameter. */
static const char *param_type(const char *pattern, const char *name, char out[32])
{
	size_t len = strlen(name);
	for (const char *p = strchr(pattern, '{'); p; p = strchr(p + 1, '{')) {
		if (strncmp(p + 1, name, len) != 0 || (p[len + 1] != ':' && p[len + 1] != '}'))
			continue;
		const char *end = strchr(p, '}');
		out[0] = '\0';
		if (p[len + 1] == ':' && end)
			snprintf(out, 32, "%.*s", (int)(end - (p + len + 2)), p + len + 2);
		return out;
	}
	return NULL;
}

/* The route serving @method at the document's path @path, or NULL. A GET route serves HEAD. */
static const struct http_route *route_for(const char *path, unsigned method)
{
	char p[PATH_MAX_LEN];
	for (size_t i = 0; i < api_nroutes; i++) {
		unsigned m = api_routes[i].methods;
		if (m & HTTP_GET)
			m |= HTTP_HEAD;
		doc_path(api_routes[i].pattern, p);
		if (method && (m & method) && strcmp(p, path) == 0)
			return &api_routes[i];
	}
	return NULL;
}

static void fail_with(struct buf *b, const char *what)
{
	if (b->len == 0)
		return;
	fail_msg("%s:\n%s", what, b->data);
}

static void test_every_route_is_documented(void **state)
{
	(void)state;
	struct buf missing = BUF_INIT;
	json_t *paths = json_object_get(doc, "paths");
	assert_true(api_nroutes > 0);
	for (size_t i = 0; i < api_nroutes; i++) {
		const struct http_route *r = &api_routes[i];
		char path[PATH_MAX_LEN];
		doc_path(r->pattern, path);
		unsigned want = r->methods;
		if (want & HTTP_GET)
			want &= ~(unsigned)HTTP_HEAD; /* documented as GET */
		for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
			if (!(want & methods[k].method))
				continue;
			json_t *item = json_object_get(paths, path);
			if (!json_is_object(json_object_get(item, methods[k].name)))
				buf_addf(&missing, "  %s %s (route %s)\n", methods[k].name, path,
				         r->pattern);
		}
	}
	fail_with(&missing, "routes of api_routes[] missing from " OPENAPI_FILE);
	buf_release(&missing);
}

static void test_every_operation_is_a_route(void **state)
{
	(void)state;
	struct buf extra = BUF_INIT;
	const char *path;
	json_t *item;
	size_t count = 0;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
			if (!json_object_get(item, methods[k].name))
				continue;
			count++;
			if (!route_for(path, methods[k].method))
				buf_addf(&extra, "  %s %s\n", methods[k].name, path);
		}
	}
	assert_true(count > 0);
	fail_with(&extra, "operations of " OPENAPI_FILE " that no route of api_routes[] serves");
	buf_release(&extra);
}

/* Add the path parameters of @params (an array of parameter objects) to @names. */
static void path_params(json_t *params, json_t *names)
{
	size_t i;
	json_t *p;
	json_array_foreach(params, i, p)
	{
		const char *in = json_string_value(json_object_get(p, "in"));
		const char *name = json_string_value(json_object_get(p, "name"));
		if (in && name && strcmp(in, "path") == 0)
			json_object_set(names, name, json_object_get(p, "schema"));
	}
}

static void test_path_parameters(void **state)
{
	(void)state;
	struct buf bad = BUF_INIT;
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
			json_t *op = json_object_get(item, methods[k].name);
			const struct http_route *r = route_for(path, methods[k].method);
			if (!op || !r)
				continue; /* test_every_operation_is_a_route */
			json_t *declared = json_object();
			path_params(json_object_get(item, "parameters"), declared);
			path_params(json_object_get(op, "parameters"), declared);
			/* Each parameter of the template is declared, with its type. */
			size_t in_template = 0;
			for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
				const char *end = strchr(p, '}');
				char name[64], type[32];
				if (!end || end - p - 1 >= (long)sizeof(name))
					continue;
				snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
				in_template++;
				json_t *schema = json_object_get(declared, name);
				const char *t = json_string_value(json_object_get(schema, "type"));
				const char *rt = param_type(r->pattern, name, type);
				if (!json_object_get(declared, name))
					buf_addf(&bad, "  %s %s: {%s} is not declared\n",
					         methods[k].name, path, name);
				else if (rt && strcmp(rt, "int") == 0 &&
				         (!t || strcmp(t, "integer") != 0))
					buf_addf(&bad,
					         "  %s %s: {%s} is {%s:int}, not an integer\n",
					         methods[k].name, path, name, name);
			}
			if (json_object_size(declared) != in_template)
				buf_addf(&bad,
				         "  %s %s: %zu path parameters declared, %zu in the path\n",
				         methods[k].name, path, json_object_size(declared),
				         in_template);
			json_decref(declared);
		}
	}
	fail_with(&bad, "path parameters in " OPENAPI_FILE);
	buf_release(&bad);
}

static void test_operation_ids_unique(void **state)
{
	(void)state;
	struct buf bad = BUF_INIT;
	json_t *seen = json_object();
	const char *path;
	json_t *item;
	json_object_foreach(json_object_get(doc, "paths"), path, item)
	{
		for (size_t k = 0; k < sizeof(methods) / sizeof(methods[0]); k++) {
			json_t *op = json_object_get(item, methods[k].name);
			if (!op)
				continue;
			const char *id = json_string_value(json_object_get(op, "operationId"));
			if (!id)
				buf_addf(&bad, "  %s %s has no operationId\n", methods[k].name,
				         path);
			else if (json_object_get(seen, id))
				buf_addf(&bad, "  %s %s: operationId %s is taken\n",
				         methods[k].name, path, id);
			else
				json_object_set_new(seen, id, json_true());
		}
	}
	json_decref(seen);
	fail_with(&bad, "operationIds in " OPENAPI_FILE);
	buf_release(&bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_route_is_documented),
		cmocka_unit_test(test_every_operation_is_a_route),
		cmocka_unit_test(test_path_parameters),
		cmocka_unit_test(test_operation_ids_unique),
	};
	return cmocka_run_group_tests(tests, load, unload);
}
