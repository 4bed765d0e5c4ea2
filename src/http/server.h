/*
 * server.h - the HTTP server: libmicrohttpd with an epoll thread pool, a route table, a
 * per-request arena, limits, one access-log line per request, and graceful shutdown.
 */
#ifndef PLACARD_HTTP_SERVER_H
#define PLACARD_HTTP_SERVER_H

#include "core/netaddr.h"
#include "http/http.h"

struct http_server;

/*
 * Worker threads' stack size. jansson's recursive parser needs between 128 and 256 KiB at its
 * compiled-in depth limit of 2048 (measured on 2.14 with 100,000 nested '['); json_decode()
 * refuses deep input before jansson sees it, and this keeps four times jansson's worst case
 * whatever `ulimit -s` the service was started with.
 */
#define HTTP_WORKER_STACK_SIZE (1024 * 1024)

/*
 * The application's hook, run after routing and before the handler. Returns 0 to go on to
 * the handler, or the status of a response it filled (401, 403, ...).
 */
typedef int (*http_hook)(struct http_request *req, struct http_response *res);

/*
 * Called on the worker thread after each handler returns (or the hook answered), before the
 * answer is queued: the application's per-request work ends here (may be NULL).
 */
typedef void (*http_settle)(struct http_request *req);

struct http_server_options {
	const char *host;
	unsigned port; /* 0: any free port; see http_server_port() */
	unsigned threads;
	size_t max_body;
	size_t max_header_memory;
	unsigned connection_timeout;
	unsigned request_timeout;
	unsigned max_connections;
	unsigned per_ip_connections;
	int tls;
	const char *static_dir; /* served for GET/HEAD paths no route claims; may be NULL */
	/* Served under /vendor/ (the system's JavaScript libraries); may be NULL */
	const char *vendor_dir;
	/* An origin ("https://tile.example.org") pages may load images from besides their
	 * own (the map's tiles), added to the Content-Security-Policy; may be NULL */
	const char *img_origin;
	const struct http_route *routes;
	size_t nroutes;
	http_hook hook;
	http_settle settle;
	bool quiet; /* no access log (benchmarks) */
	/* Request bodies of any content type (the witness reads text); else JSON only (415). */
	bool any_body_type;
	/* Peers whose X-Forwarded-For names the client (http_client_ip); empty: none. */
	struct netaddr_list trusted_proxies;
};

/* Start serving. 0, or a negative errno with a message in @err. */
int http_server_start(const struct http_server_options *o, struct http_server **ret, char *err,
                      size_t errsize);

/* The port actually bound. */
unsigned http_server_port(const struct http_server *s);

/*
 * Stop accepting connections, let requests in flight finish for up to @grace_seconds, then
 * close everything and free @s.
 */
void http_server_stop(struct http_server *s, unsigned grace_seconds);

#endif
