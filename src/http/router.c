/*
 * router.c - compile route patterns into segments and match request paths against them.
 *
 * A linear scan over compiled routes: the table has tens of entries, and a scan that
 * compares segment by segment costs less than the request's own parsing.
 */
#include "http/router.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

#define ROUTER_MAX_SEGMENTS 12
#define SLUG_MAX            128

struct segment {
	char *literal; /* NULL for a parameter */
	char *name;
	enum http_param_type type;
};

struct compiled_route {
	const struct http_route *route;
	struct segment segs[ROUTER_MAX_SEGMENTS];
	unsigned nsegs;
};

struct router {
	struct compiled_route *routes;
	size_t n;
};

static const struct {
	enum http_method method;
	const char *name;
} method_names[] = {
	{ HTTP_GET, "GET" },         { HTTP_HEAD, "HEAD" },   { HTTP_POST, "POST" },
	{ HTTP_PUT, "PUT" },         { HTTP_PATCH, "PATCH" }, { HTTP_DELETE, "DELETE" },
	{ HTTP_OPTIONS, "OPTIONS" },
};

enum http_method http_method_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
		if (streq(name, method_names[i].name))
			return method_names[i].method;
	return 0;
}

void router_allow_string(unsigned methods, char *out, size_t size)
{
	size_t off = 0;
	out[0] = '\0';
	for (size_t i = 0; i < ARRAY_SIZE(method_names); i++) {
		if (!(methods & method_names[i].method))
			continue;
		int n = snprintf(out + off, size - off, "%s%s", off ? ", " : "",
		                 method_names[i].name);
		if (n < 0 || (size_t)n >= size - off)
			return;
		off += (size_t)n;
	}
}

static void free_compiled(struct compiled_route *cr)
{
	for (unsigned i = 0; i < cr->nsegs; i++) {
		free(cr->segs[i].literal);
		free(cr->segs[i].name);
	}
}

static int compile_pattern(const char *pattern, struct compiled_route *cr)
{
	if (pattern[0] != '/')
		return -EINVAL;
	if (streq(pattern, "/"))
		return 0;
	const char *p = pattern + 1;
	while (1) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || cr->nsegs == ROUTER_MAX_SEGMENTS)
			return -EINVAL;
		struct segment *s = &cr->segs[cr->nsegs++];
		if (p[0] == '{') {
			if (p[len - 1] != '}' || len < 3)
				return -EINVAL;
			char *spec = strndup(p + 1, len - 2);
			if (!spec)
				die("out of memory");
			char *colon = strchr(spec, ':');
			s->type = HTTP_PARAM_SLUG;
			if (colon) {
				*colon = '\0';
				if (streq(colon + 1, "int"))
					s->type = HTTP_PARAM_INT;
				else if (!streq(colon + 1, "slug")) {
					free(spec);
					return -EINVAL;
				}
			}
			s->name = spec;
		} else {
			s->literal = strndup(p, len);
			if (!s->literal)
				die("out of memory");
		}
		if (!end)
			break;
		p = end + 1;
	}
	unsigned nparams = 0;
	for (unsigned i = 0; i < cr->nsegs; i++)
		nparams += cr->segs[i].name != NULL;
	return nparams <= HTTP_MAX_PARAMS ? 0 : -EINVAL;
}

int router_new(const struct http_route *routes, size_t n, struct router **ret, char *err,
               size_t errsize)
{
	struct router *r = xcalloc(1, sizeof(*r));
	r->routes = xcalloc(n, sizeof(*r->routes));
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		r->routes[i].route = &routes[i];
		if (compile_pattern(routes[i].pattern, &r->routes[i]) < 0 || !routes[i].handler ||
		    !routes[i].methods) {
			snprintf(err, errsize, "malformed route pattern \"%s\"", routes[i].pattern);
			router_free(r);
			return -EINVAL;
		}
	}
	*ret = r;
	return 0;
}

void router_free(struct router *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free_compiled(&r->routes[i]);
	free(r->routes);
	free(r);
}

static bool valid_slug(const char *s, size_t len)
{
	if (len == 0 || len > SLUG_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	/* "." and ".." are never names. */
	return !(s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.')));
}

static bool parse_id(const char *s, size_t len, int64_t *ret)
{
	if (len == 0 || len > 19 || s[0] == '0')
		return false;
	int64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		int d = s[i] - '0';
		if (v > (INT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*ret = v;
	return true;
}

/* Split @path into segments; false if it is not a clean absolute path. */
static bool split_path(const char *path, const char *segs[], size_t lens[], unsigned *ret_n)
{
	unsigned n = 0;
	if (path[0] != '/')
		return false;
	if (path[1] == '\0') {
		*ret_n = 0;
		return true;
	}
	const char *p = path + 1;
	while (1) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 0 || n == ROUTER_MAX_SEGMENTS)
			return false;
		segs[n] = p;
		lens[n] = len;
		n++;
		if (!end)
			break;
		p = end + 1;
	}
	*ret_n = n;
	return true;
}

static bool match_route(const struct compiled_route *cr, struct arena *a, const char *segs[],
                        const size_t lens[], unsigned n, struct http_param params[],
                        unsigned *ret_nparams)
{
	if (cr->nsegs != n)
		return false;
	unsigned np = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct segment *s = &cr->segs[i];
		if (s->literal) {
			if (strlen(s->literal) != lens[i] || memcmp(s->literal, segs[i], lens[i]))
				return false;
			continue;
		}
		int64_t id = 0;
		if (s->type == HTTP_PARAM_INT ? !parse_id(segs[i], lens[i], &id)
		                              : !valid_slug(segs[i], lens[i]))
			return false;
		if (params) {
			params[np].name = s->name;
			params[np].value = a ? arena_strndup(a, segs[i], lens[i]) : NULL;
			params[np].int_value = id;
		}
		np++;
	}
	*ret_nparams = np;
	return true;
}

int router_match(const struct router *r, struct arena *a, enum http_method method, const char *path,
                 const struct http_route **ret_route, struct http_param params[HTTP_MAX_PARAMS],
                 unsigned *ret_nparams, unsigned *ret_allow)
{
	const char *segs[ROUTER_MAX_SEGMENTS];
	size_t lens[ROUTER_MAX_SEGMENTS];
	unsigned n, allow = 0;
	if (!split_path(path, segs, lens, &n))
		return -ENOENT;
	for (size_t i = 0; i < r->n; i++) {
		const struct compiled_route *cr = &r->routes[i];
		unsigned methods = cr->route->methods;
		if (methods & HTTP_GET)
			methods |= HTTP_HEAD;
		unsigned np;
		if (!(methods & method)) {
			if (match_route(cr, NULL, segs, lens, n, NULL, &np))
				allow |= methods;
			continue;
		}
		if (match_route(cr, a, segs, lens, n, params, &np)) {
			*ret_route = cr->route;
			*ret_nparams = np;
			return 0;
		}
	}
	if (allow) {
		*ret_allow = allow;
		return -EPERM;
	}
	return -ENOENT;
}
