/*
 * http.h - the HTTP layer as the rest of Placard sees it.
 *
 * Handlers receive a request and fill a response; they never see libmicrohttpd, which only
 * the files of src/http/ include. A handler returns the HTTP status it set. Everything a handler
 * allocates comes from req->arena, which lives until the response has been sent.
 *
 * Errors are rendered in one format, application/problem+json (RFC 9457), by http_problem().
 */
#ifndef PLACARD_HTTP_HTTP_H
#define PLACARD_HTTP_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/i18n.h"

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_PATCH = 1 << 4,
	HTTP_DELETE = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
};

#define HTTP_MAX_PARAMS 4

enum http_param_type {
	HTTP_PARAM_INT,  /* {name:int}: decimal 1 .. 2^63-1 */
	HTTP_PARAM_SLUG, /* {name}: [A-Za-z0-9._-], 1..128 characters */
};

struct http_param {
	const char *name;
	const char *value; /* as in the path */
	int64_t int_value; /* for HTTP_PARAM_INT */
};

struct http_request;
struct http_response;

/* A handler fills @res and returns the status it set. */
typedef int (*http_handler)(struct http_request *req, struct http_response *res);

struct http_route {
	unsigned methods;    /* mask of enum http_method; GET implies HEAD */
	const char *pattern; /* "/api/v1/establishments/{id:int}" */
	http_handler handler;
	unsigned flags; /* for the application's hook (roles, CSRF); opaque to http */
};

struct http_request {
	struct arena *arena;
	enum http_method method;
	const char *method_name;
	const char *path; /* decoded path, no query string */
	const char *body; /* NUL-terminated; "" when none */
	size_t body_len;
	const struct http_route *route;
	struct http_param params[HTTP_MAX_PARAMS];
	unsigned nparams;
	void *app;              /* the application's per-request state */
	struct http_conn *conn; /* private to the http layer */
};

/* A request header, or NULL. The first one when repeated. */
const char *http_header(struct http_request *req, const char *name);

/* A query-string argument (decoded), or NULL. */
const char *http_query(struct http_request *req, const char *name);

/* A cookie value, or NULL. */
const char *http_cookie(struct http_request *req, const char *name);

/*
 * The client's address as text ("192.0.2.7", "2001:db8::1"), never NULL: the direct peer's,
 * or, when the peer is one of the trusted proxies, the right-most address of
 * X-Forwarded-For that is not itself a trusted proxy (netaddr_forwarded_client()).
 */
const char *http_client_ip(struct http_request *req);

/*
 * The address of the direct peer of the connection, whatever X-Forwarded-For says ("unknown"
 * when it cannot be told). Never NULL.
 */
const char *http_peer_ip(struct http_request *req);

/*
 * The network the client's failures are counted against, as text: its IPv4 address, or its
 * IPv6 /64 ("2001:db8:1:2::/64"). Never NULL.
 */
const char *http_client_network(struct http_request *req);

/*
 * The language the response is written in: ?lang= when it names a language of the
 * catalogues (or the pseudo-language), else the best for Accept-Language, else the default
 * (i18n_negotiate()). It is the thread's language (i18n_thread_language()) while the
 * request is served, so every sentence formatted below is in it; answers whose body holds
 * sentences (problems and the API's JSON) say Content-Language and Vary: Accept-Language.
 */
const char *http_language(struct http_request *req);

/* A path parameter by name, or NULL (a route bug, not a client error). */
const struct http_param *http_param(struct http_request *req, const char *name);

/* Set the status and content type and a body to copy. Returns @status. */
int http_respond(struct http_response *res, int status, const char *content_type, const char *body,
                 size_t len);

/* Same, taking the storage of @body (which is left empty). */
int http_respond_buf(struct http_response *res, int status, const char *content_type,
                     struct buf *body);

/* Send the file open on @fd, @size bytes from its start; the response takes over @fd (closed
 * when sent, or with the response). Returns @status. */
int http_respond_fd(struct http_response *res, int status, const char *content_type, int fd,
                    uint64_t size);

/* Add a response header; both strings are copied. */
void http_header_add(struct http_response *res, const char *name, const char *value);

/*
 * Render an RFC 9457 problem: {"type","title","status","detail","code","instance"[,"field"]}.
 * @field names the input at fault (a JSON pointer such as "/name", a query argument or
 * header), or NULL. @key is the message of the "api" catalogue (a string literal), given as
 * "code" and formatted as "detail" in the request's language with the name/value pairs that
 * follow, ended by NULL (i18n_format()):
 *
 *	return http_problem(res, 400, "limit", "api.query.limit_range", "max", I18N_INT(max), NULL);
 *
 * Returns @status so handlers can `return http_problem(...)`.
 */
int http_problem(struct http_response *res, int status, const char *field, const char *key, ...)
        __attribute__((sentinel));

/* The same with a sentence already made (a lower layer's refusal): @code is its key, or NULL
 * for none. */
int http_problem_text(struct http_response *res, int status, const char *field, const char *code,
                      const char *detail);

/* The status set so far (0 when none). */
int http_response_status(const struct http_response *res);

/* Standard reason phrase for @status ("Not Found"), or "Error". */
const char *http_status_title(int status);

/*
 * Append the HTTP server's metrics, in the Prometheus text format, to @out: requests by route
 * pattern, method and status, latency histograms by route pattern, requests in flight.
 */
void http_metrics_write(struct http_request *req, struct buf *out);

/*
 * Answer with the static file at @path (a URL path such as "/openapi.json") under the
 * server's folder of static files, with its validators and cache headers, as if it had
 * been asked for: 200, 304, or 404 when there is no such file. Returns the status.
 */
int http_send_file(struct http_request *req, struct http_response *res, const char *path);

#endif
