/*
 * internal.h - what the files of the http layer share and nobody else sees.
 */
#ifndef PLACARD_HTTP_INTERNAL_H
#define PLACARD_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <sys/types.h>

#include "core/metrics.h"
#include "core/netaddr.h"
#include "http/http.h"

struct http_header_line {
	char *name, *value;
	struct http_header_line *next;
};

struct http_response {
	int status;
	const char *content_type;
	struct buf body;
	int fd; /* a file to send instead of body, or -1 */
	off_t fd_size;
	struct http_header_line *headers;
	struct arena *arena;
	const char *instance; /* request path, for problem documents */
	size_t bytes;         /* body bytes queued, for the access log */
};

struct http_conn {
	struct MHD_Connection *mhd;
	struct http_server *server;
	struct http_request req;
	struct http_response res;
	struct buf body;
	long long started_usec;
	char *client_ip;  /* http_client_ip(), once worked out */
	char *client_net; /* http_client_network(), once worked out */
	char *peer_ip;    /* http_peer_ip(), once worked out */
	bool responded;
	bool static_file; /* answered from the folder of static files (for the metrics) */
	const char *lang; /* the language the response is written in (http_language()) */
};

/*
 * The request counters (metrics.c): by route pattern (@routes, kept by reference), method
 * and status, and latency histograms by route pattern. Lock-free.
 */
struct http_metrics;
struct http_metrics *http_metrics_new(const struct http_route *routes, size_t nroutes);
void http_metrics_free(struct http_metrics *m);
/* Count @hc's request, which took @usec (a request with no answer is counted apart). */
void http_metrics_count(struct http_metrics *m, const struct http_conn *hc, long long usec);
/* Write the counters' families in the text format. */
void http_metrics_write_to(struct http_metrics *m, struct buf *out);

/* The server's trusted proxies (server.c). */
const struct netaddr_list *http_server_trusted_proxies(const struct http_server *s);

/*
 * Request deadlines (deadline.c): a reaper thread closes connections whose current request
 * has been arriving for longer than a cap, headers included.
 */
struct http_deadlines;

/* Start the reaper for a cap of @cap_seconds. 0, or a negative errno. */
int http_deadlines_start(unsigned cap_seconds, struct http_deadlines **ret);

/* Join the reaper and free @d (NULL is fine). Call after MHD_stop_daemon(). */
void http_deadlines_stop(struct http_deadlines *d);

/* MHD_OPTION_NOTIFY_CONNECTION callback; @cls is the struct http_deadlines. */
void http_deadlines_notify(void *cls, struct MHD_Connection *c, void **socket_context,
                           enum MHD_ConnectionNotificationCode code);

/* The request on @c has fully arrived (a response is queued): the cap no longer applies. */
void http_deadlines_arrived(struct http_deadlines *d, struct MHD_Connection *c);

/* The response on @c is done; the next request on the connection starts arriving now. */
void http_deadlines_next(struct http_deadlines *d, struct MHD_Connection *c);

/*
 * The acceptor (acceptor.c): one thread accepting every connection on @listen_fd and handing
 * them to @daemons round robin, with the total and per-address connection limits counted for
 * all of them together.
 */
struct http_acceptor;

/* Start accepting. 0, or a negative errno. @daemons must outlive the acceptor. */
int http_acceptor_start(int listen_fd, struct MHD_Daemon **daemons, unsigned ndaemons,
                        unsigned max_connections, unsigned per_ip, struct http_acceptor **ret);

/* libmicrohttpd closed a connection from @addr (MHD_CONNECTION_NOTIFY_CLOSED). */
void http_acceptor_closed(struct http_acceptor *a, const struct sockaddr *addr);

/* Stop accepting and join the thread; the listening socket stays open (the caller's). */
void http_acceptor_stop(struct http_acceptor *a);

/* Free @a after http_acceptor_stop() and after the daemons stopped (NULL is fine). */
void http_acceptor_free(struct http_acceptor *a);

/*
 * Append @s to @b escaped for the inside of a JSON string, with each byte that is not part
 * of valid UTF-8 replaced by U+FFFD: paths and jansson's error text may hold any bytes, and
 * problem documents and log lines must stay valid JSON.
 */
void http_add_json_text(struct buf *b, const char *s);

/* Serve a file under @root for @req; fills @res (200, 304, 404) and returns the status. */
int http_static_serve(const char *root, struct http_request *req, struct http_response *res);
/* Serve /vendor/PATH from @root/PATH; a missing file is answered as a missing page, with
 * @pages' 404.html (@pages may be NULL). */
int http_vendor_serve(const char *root, const char *pages, struct http_request *req,
                      struct http_response *res);

/*
 * encode.c: called once on every response just before it is queued. For a 200 answer to
 * GET or HEAD: a weak ETag over an in-memory body (unless one is set) and 304 when
 * If-None-Match names it; gzip for text-like bodies when the client accepts it, with
 * Vary: Accept-Encoding.
 */
void http_encode_response(struct http_conn *hc);

/* Whether an Accept-Encoding value accepts gzip (by name or "*", with a q above zero). */
bool http_accepts_gzip(const char *accept_encoding);

/* The folder of static files of @req's server (a real path), or NULL when none. */
const char *http_static_root(const struct http_request *req);

#endif
