/*
 * router.h - the route table as data, compiled once, matched per request.
 *
 * Patterns are literal segments and typed parameters: "/api/v1/inspections/{id:int}".
 * Matching is by segment, so "/a/b/" and "/a//b" never match "/a/b". A path that matches a
 * pattern but not its methods yields the Allow mask for a 405.
 *
 * HTTP layer, but with no libmicrohttpd types, so it is unit-tested directly.
 */
#ifndef PLACARD_HTTP_ROUTER_H
#define PLACARD_HTTP_ROUTER_H

#include "http/http.h"

struct router;

/*
 * Compile @routes (kept by reference: they must outlive the router). Returns 0 and the
 * router in @ret, or -EINVAL for a malformed pattern, naming it in @err.
 */
int router_new(const struct http_route *routes, size_t n, struct router **ret, char *err,
               size_t errsize);
void router_free(struct router *r);

/*
 * Match @method and @path. On 0, *@ret_route is set and @params/@ret_nparams filled (values
 * point into @a). -ENOENT: no pattern matches. -EPERM: a pattern matches, not the method;
 * *@ret_allow has the allowed methods.
 */
int router_match(const struct router *r, struct arena *a, enum http_method method, const char *path,
                 const struct http_route **ret_route, struct http_param params[HTTP_MAX_PARAMS],
                 unsigned *ret_nparams, unsigned *ret_allow);

/* Format an Allow header value for @methods ("GET, HEAD, POST") into @out. */
void router_allow_string(unsigned methods, char *out, size_t size);

/* Parse a method name; 0 when unknown. */
enum http_method http_method_parse(const char *name);

#endif
