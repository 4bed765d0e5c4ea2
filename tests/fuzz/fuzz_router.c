/*
 * fuzz_router.c - libFuzzer harness for the router: compile a fixed route table once, then
 * match fuzzed methods and paths against it. The first input byte picks the method (an
 * unknown one included); the rest is the path. Checks the contract of router_match() as
 * well as memory safety: a match has its route and at most HTTP_MAX_PARAMS parameters, each
 * {id:int} positive; a 405 has an Allow mask.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/util.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int handler(struct http_request *req, struct http_response *res)
{
	(void)req;
	(void)res;
	return 200;
}

static const struct http_route routes[] = {
	{ HTTP_GET, "/", handler, 0 },
	{ HTTP_GET, "/healthz", handler, 0 },
	{ HTTP_GET, "/api/v1/version", handler, 0 },
	{ HTTP_GET | HTTP_POST, "/api/v1/establishments", handler, 0 },
	{ HTTP_GET | HTTP_PUT | HTTP_DELETE, "/api/v1/establishments/{id:int}", handler, 0 },
	{ HTTP_GET, "/api/v1/establishments/{id:int}/inspections", handler, 0 },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/violations/{code}", handler, 0 },
	{ HTTP_PATCH, "/api/v1/appeals/{id:int}/hearings/{hid:int}/{slug:slug}/x", handler, 0 },
	{ HTTP_OPTIONS, "/api/v1/schemes/{name}", handler, 0 },
};

static const enum http_method methods[] = { HTTP_GET,   HTTP_HEAD,   HTTP_POST,    HTTP_PUT,
	                                    HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct router *r;
	if (!r) {
		char err[128];
		if (router_new(routes, ARRAY_SIZE(routes), &r, err, sizeof(err)) < 0)
			abort();
	}
	if (size < 1)
		return 0;
	enum http_method method = methods[data[0] % ARRAY_SIZE(methods)];
	char *path = xmalloc(size);
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';

	struct arena *a = arena_new();
	const struct http_route *route = NULL;
	struct http_param params[HTTP_MAX_PARAMS];
	unsigned nparams = 0, allow = 0;
	int rc = router_match(r, a, method, path, &route, params, &nparams, &allow);
	if (rc == 0) {
		if (!route || nparams > HTTP_MAX_PARAMS)
			abort();
		for (unsigned i = 0; i < nparams; i++)
			if (!params[i].name || !params[i].value)
				abort();
	} else if (rc == -EPERM) {
		char text[96];
		if (!allow)
			abort();
		router_allow_string(allow, text, sizeof(text));
		if (!text[0])
			abort();
	} else if (rc != -ENOENT) {
		abort();
	}
	arena_destroy(a);
	free(path);
	return 0;
}
