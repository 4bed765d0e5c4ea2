/*
 * server.c - libmicrohttpd glue: per-request state, body collection with limits, framing
 * checks, routing, response queueing, access log, graceful shutdown.
 *
 * Lifecycle of a request: libmicrohttpd calls on_request() first with no body (we create the
 * http_conn and its arena), then once per body chunk, then once more with no data (we
 * route and run the handler). on_completed() writes the access-log line and destroys the
 * arena, which releases everything the handler allocated or deferred.
 *
 * Threading: one epoll daemon (MHD_USE_EPOLL_INTERNAL_THREAD) per worker thread, one per
 * core, chosen by measurement (docs/architecture.md): thread-per-connection served about a
 * third as many requests on this hardware, and more threads than cores only lengthened the
 * tail. acceptor.c accepts for all of them and deals the connections out in turn.
 *
 * Limits (docs/operations.md, "Limits"): acceptor.c counts the connections per address and
 * in all; libmicrohttpd enforces the inactivity timeout and the header memory;
 * check_framing() refuses what 0.9.75 lets through; deadline.c caps the time a whole
 * request may take to arrive.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/util.h"
#include "http/internal.h"
#include "http/router.h"

struct http_server {
	struct MHD_Daemon **daemons; /* one per worker thread, fed by the acceptor */
	unsigned ndaemons;
	int listen_fd;
	struct http_acceptor *acceptor;
	struct http_deadlines *deadlines;
	struct router *router;
	struct http_server_options opt;
	char *static_dir;
	char *vendor_dir;
	char csp[512]; /* the Content-Security-Policy of every answer */
	atomic_int inflight;
	atomic_bool stopping; /* set by http_server_stop: no new connections or requests */
	struct http_metrics *metrics;
	unsigned port;
};

const struct netaddr_list *http_server_trusted_proxies(const struct http_server *s)
{
	return &s->opt.trusted_proxies;
}

/* The Content-Security-Policy, with %s%s: a space and the one other image origin, or "". */
static const char security_csp[] =
        "default-src 'self'; img-src 'self' data: blob:%s%s; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'";

enum { COUNT_CONTENT_LENGTH, COUNT_TRANSFER_ENCODING, COUNT_HOST, COUNT_N };

/* What one pass over the request headers finds. */
struct header_scan {
	unsigned count[COUNT_N];
	const char *bad_name; /* the first header whose name or value is malformed, or NULL */
};

/* RFC 9110 token characters, which a field name consists of. */
static bool is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                   size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	static const char *const counted[COUNT_N] = { "Content-Length", "Transfer-Encoding",
		                                      "Host" };
	struct header_scan *scan = cls;
	for (size_t i = 0; i < COUNT_N; i++)
		if (strcaseeq(key, counted[i]))
			scan->count[i]++;
	if (scan->bad_name)
		return MHD_YES;
	/* A name that is not a token ("Content-Length :") and a value with a NUL, CR or LF
	 * in it are read differently by different parsers: RFC 9112 says reject them. */
	bool ok = key_size > 0 && strlen(key) == key_size;
	for (size_t i = 0; ok && i < key_size; i++)
		ok = is_tchar((unsigned char)key[i]);
	if (ok && value)
		ok = strlen(value) == value_size && !strpbrk(value, "\r\n");
	if (!ok)
		scan->bad_name = key;
	return MHD_YES;
}

/*
 * Framing checks libmicrohttpd 0.9.75 does not make (see docs/operations.md): a request
 * with two Content-Length headers, with both Transfer-Encoding and Content-Length, or with
 * two Host headers is refused, so no proxy in front of us can disagree about where it ends;
 * so is an HTTP/1.1 request without Host, and a header line that is not well formed.
 * Returns 0, or the status of the refusal it filled in hc->res.
 */
static int check_framing(struct http_conn *hc, const char *version)
{
	struct http_response *res = &hc->res;
	struct header_scan scan = { { 0 }, NULL };
	MHD_get_connection_values_n(hc->mhd, MHD_HEADER_KIND, scan_header, &scan);
	const unsigned *counts = scan.count;
	if (scan.bad_name)
		return http_problem(res, 400, scan.bad_name, "api.http.header_chars", NULL);
	if (counts[COUNT_CONTENT_LENGTH] > 1)
		return http_problem(res, 400, "Content-Length", "api.http.two_content_length",
		                    NULL);
	if (counts[COUNT_CONTENT_LENGTH] && counts[COUNT_TRANSFER_ENCODING])
		return http_problem(res, 400, "Transfer-Encoding", "api.http.te_and_cl", NULL);
	if (counts[COUNT_HOST] > 1)
		return http_problem(res, 400, "Host", "api.http.two_hosts", NULL);
	if (!counts[COUNT_HOST] && strcmp(version, MHD_HTTP_VERSION_1_0) != 0)
		return http_problem(res, 400, "Host", "api.http.no_host", NULL);
	/* libmicrohttpd can answer only before the body or after all of it, so a body whose
	 * size is unknown up front could not be refused at the limit: require its length. */
	if (counts[COUNT_TRANSFER_ENCODING])
		return http_problem(res, 411, "Transfer-Encoding", "api.http.chunked", NULL);

	const char *cl = http_header(&hc->req, "Content-Length");
	if (cl) {
		long long len;
		if (parse_int64(cl, 0, INT64_MAX, &len) < 0)
			return http_problem(res, 400, "Content-Length",
			                    "api.http.bad_content_length", NULL);
		if ((unsigned long long)len > hc->server->opt.max_body)
			return http_problem(res, 413, NULL, "api.http.body_too_large", "size",
			                    I18N_INT(len), "max",
			                    I18N_INT(hc->server->opt.max_body), NULL);
		/* Every body the API reads is JSON: refuse others before reading them. */
		const char *ct = http_header(&hc->req, "Content-Type");
		if (len > 0 && !hc->server->opt.any_body_type &&
		    (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
		     (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')))
			return http_problem(res, 415, "Content-Type", "api.http.not_json", NULL);
	}
	return 0;
}

static enum MHD_Result queue(struct http_conn *hc)
{
	struct http_response *res = &hc->res;
	struct MHD_Response *r;
	http_encode_response(hc);
	if (res->fd >= 0) {
		r = MHD_create_response_from_fd((uint64_t)res->fd_size, res->fd);
		res->fd = -1; /* now owned by the response */
		res->bytes = (size_t)res->fd_size;
	} else {
		size_t len;
		char *data = buf_detach(&res->body, &len);
		r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
		res->bytes = len;
	}
	if (!r)
		die("MHD_create_response failed");
	if (res->content_type)
		MHD_add_response_header(r, "Content-Type", res->content_type);
	for (struct http_header_line *h = res->headers; h; h = h->next)
		MHD_add_response_header(r, h->name, h->value);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "strict-origin-when-cross-origin");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy", hc->server->csp);
	if (hc->server->opt.tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
		                        "max-age=31536000; includeSubDomains");
	enum MHD_Result ret = MHD_queue_response(hc->mhd, (unsigned)res->status, r);
	MHD_destroy_response(r);
	hc->responded = true;
	http_deadlines_arrived(hc->server->deadlines, hc->mhd);
	return ret;
}

/*
 * Route the request as soon as its headers are in, so a wrong method or path is answered
 * before any of the body is read. Returns 0 to go on and read the body, or the status of
 * the response it filled (405, 404, 501, or a static file).
 */
static int route(struct http_conn *hc)
{
	struct http_server *s = hc->server;
	struct http_request *req = &hc->req;
	struct http_response *res = &hc->res;

	if (!req->method)
		return http_problem(res, 501, NULL, "api.http.method_unsupported", "method",
		                    req->method_name, NULL);
	unsigned allow = 0;
	int r = router_match(s->router, req->arena, req->method, req->path, &req->route,
	                     req->params, &req->nparams, &allow);
	if (r == -EPERM) {
		char allow_text[96];
		router_allow_string(allow, allow_text, sizeof(allow_text));
		http_header_add(res, "Allow", allow_text);
		return http_problem(res, 405, NULL, "api.http.method_not_allowed", "method",
		                    req->method_name, "allowed", allow_text, NULL);
	}
	if (r < 0) {
		if (s->vendor_dir && (req->method & (HTTP_GET | HTTP_HEAD)) &&
		    strncmp(req->path, "/vendor/", 8) == 0)
			return http_vendor_serve(s->vendor_dir, s->static_dir, req, res);
		if (s->static_dir && (req->method & (HTTP_GET | HTTP_HEAD)) &&
		    strncmp(req->path, "/api/", 5) != 0) {
			hc->static_file = true;
			return http_static_serve(s->static_dir, req, res);
		}
		return http_problem(res, 404, NULL, "api.http.not_found", "path", req->path, NULL);
	}
	return 0;
}

/* The whole request is in and routed: run the application's hook, then the handler. */
static void dispatch(struct http_conn *hc)
{
	struct http_server *s = hc->server;
	struct http_request *req = &hc->req;
	struct http_response *res = &hc->res;

	req->body = hc->body.data;
	req->body_len = hc->body.len;
	if (!s->opt.hook || !s->opt.hook(req, res)) {
		int status = req->route->handler(req, res);
		if (!status || !res->status) {
			log_error("handler for %s %s set no response", req->method_name, req->path);
			http_problem(res, 500, NULL, "api.http.internal", NULL);
		}
	}
	if (s->opt.settle)
		s->opt.settle(req);
}

/* The language to answer in: a known ?lang=, else Accept-Language (see http_language()).
 * A page in the pseudo-language asks for it as its only language. */
static const char *request_language(struct MHD_Connection *c)
{
	const char *asked = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "lang");
	const char *known = asked ? i18n_language_known(asked) : NULL;
	if (known)
		return known;
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language");
	if (accept && strcasecmp(accept, I18N_PSEUDO) == 0)
		return I18N_PSEUDO;
	return i18n_negotiate(accept);
}

static struct http_conn *conn_new(struct http_server *s, struct MHD_Connection *c, const char *url,
                                  const char *method)
{
	struct arena *a = arena_new();
	struct http_conn *hc = arena_alloc(a, sizeof(*hc));
	hc->mhd = c;
	hc->server = s;
	hc->started_usec = now_usec();
	buf_init(&hc->body);
	buf_init(&hc->res.body);
	hc->res.fd = -1;
	hc->res.arena = a;
	hc->req.arena = a;
	hc->req.conn = hc;
	hc->req.method_name = arena_strdup(a, method);
	hc->req.method = http_method_parse(method);
	hc->req.path = arena_strdup(a, url);
	hc->req.body = "";
	hc->res.instance = hc->req.path;
	hc->lang = request_language(c);
	return hc;
}

static enum MHD_Result serve(void *cls, struct MHD_Connection *c, const char *url,
                             const char *method, const char *version, const char *upload_data,
                             size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct http_conn *hc = *con_cls;

	if (hc)
		i18n_set_thread_language(hc->lang);
	if (!hc) {
		hc = conn_new(s, c, url, method);
		*con_cls = hc;
		i18n_set_thread_language(hc->lang);
		atomic_fetch_add(&s->inflight, 1);
		if (atomic_load(&s->stopping)) {
			/* A new request on a kept-alive connection while shutting down. */
			http_header_add(&hc->res, "Connection", "close");
			http_header_add(&hc->res, "Retry-After", "1");
			http_problem(&hc->res, 503, NULL, "api.http.shutting_down", NULL);
			return queue(hc);
		}
		if (check_framing(hc, version) || route(hc))
			return queue(hc);
		return MHD_YES;
	}
	if (hc->responded) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		/* A body that trickles in past PLACARD_REQUEST_TIMEOUT loses its connection to
		 * deadline.c's reaper. Content-Length was checked against the limit, and libmicrohttpd delivers no
		 * more than it says; this guards the invariant. */
		if (hc->body.len + n > s->opt.max_body)
			return MHD_NO;
		buf_add(&hc->body, upload_data, n);
		return MHD_YES;
	}
	dispatch(hc);
	return queue(hc);
}

/* A request's callbacks run in its language; the thread goes back to the default between
 * them (it serves other connections' requests too). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	enum MHD_Result r =
	        serve(cls, c, url, method, version, upload_data, upload_data_size, con_cls);
	i18n_set_thread_language(NULL);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_conn *hc = *con_cls;
	/* On keep-alive, the next request's time to arrive counts from here. */
	http_deadlines_next(s->deadlines, c);
	if (!hc)
		return;
	*con_cls = NULL;
	long long usec = now_usec() - hc->started_usec;
	http_metrics_count(s->metrics, hc, usec);
	if (!s->opt.quiet) {
		struct buf line = BUF_INIT;
		buf_addstr(&line, "\"method\":\"");
		http_add_json_text(&line, hc->req.method_name);
		buf_addstr(&line, "\",\"path\":\"");
		http_add_json_text(&line, hc->req.path);
		buf_addf(&line, "\",\"status\":%d,\"bytes\":%zu,\"duration_ms\":%.3f",
		         hc->responded ? hc->res.status : 0, hc->res.bytes, (double)usec / 1000.0);
		if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
			buf_addf(&line, ",\"terminated\":%d", (int)toe);
		log_access_line(line.data);
		buf_release(&line);
	}
	if (hc->res.fd >= 0)
		close(hc->res.fd);
	buf_release(&hc->body);
	buf_release(&hc->res.body);
	arena_destroy(hc->req.arena);
	atomic_fetch_sub(&s->inflight, 1);
}

/* Connections opening and closing: the acceptor's count, then the request deadlines. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct http_server *s = cls;
	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		const union MHD_ConnectionInfo *ci =
		        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		http_acceptor_closed(s->acceptor, ci ? ci->client_addr : NULL);
	}
	http_deadlines_notify(s->deadlines, c, socket_context, code);
}

/* libmicrohttpd's messages, into our log. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
        __attribute__((format(printf, 2, 0)));

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("http: %s", msg);
}

/* libmicrohttpd's fatal errors: into our log, as one line, before the process ends. */
static void on_mhd_panic(void *cls, const char *file, unsigned int line, const char *reason)
{
	(void)cls;
	log_error("http: libmicrohttpd fatal error at %s:%u: %s", file ? file : "?", line,
	          reason ? reason : "(no reason)");
	abort();
}

int http_server_start(const struct http_server_options *o, struct http_server **ret, char *err,
                      size_t errsize)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->opt = *o;
	atomic_init(&s->inflight, 0);
	atomic_init(&s->stopping, false);
	s->listen_fd = -1;
	if (router_new(o->routes, o->nroutes, &s->router, err, errsize) < 0) {
		free(s);
		return -EINVAL;
	}
	s->metrics = http_metrics_new(o->routes, o->nroutes);
	if (o->static_dir) {
		s->static_dir = realpath(o->static_dir, NULL);
		if (!s->static_dir)
			log_warn("static files: %s: %s; serving none", o->static_dir,
			         strerror(errno));
	}
	if (o->vendor_dir) {
		s->vendor_dir = realpath(o->vendor_dir, NULL);
		if (!s->vendor_dir)
			log_warn("vendor files: %s: %s; serving none", o->vendor_dir,
			         strerror(errno));
	}
	snprintf(s->csp, sizeof(s->csp), security_csp, o->img_origin ? " " : "",
	         o->img_origin ? o->img_origin : "");

	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
	} addr;
	socklen_t addrlen;
	memset(&addr, 0, sizeof(addr));
	if (inet_pton(AF_INET, o->host, &addr.in.sin_addr) == 1) {
		addr.in.sin_family = AF_INET;
		addr.in.sin_port = htons((uint16_t)o->port);
		addrlen = sizeof(addr.in);
	} else if (inet_pton(AF_INET6, o->host, &addr.in6.sin6_addr) == 1) {
		addr.in6.sin6_family = AF_INET6;
		addr.in6.sin6_port = htons((uint16_t)o->port);
		addrlen = sizeof(addr.in6);
	} else {
		snprintf(err, errsize, "listen address \"%s\" is not an IP address", o->host);
		goto fail;
	}
	s->listen_fd = socket(addr.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int on = 1;
	if (s->listen_fd < 0 ||
	    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(s->listen_fd, &addr.sa, addrlen) < 0 || listen(s->listen_fd, 511) < 0) {
		snprintf(err, errsize, "cannot listen on %s:%u: %s", o->host, o->port,
		         strerror(errno));
		goto fail;
	}
	socklen_t len = sizeof(addr);
	if (getsockname(s->listen_fd, &addr.sa, &len) == 0)
		s->port =
		        ntohs(addr.sa.sa_family == AF_INET ? addr.in.sin_port : addr.in6.sin6_port);

	if (http_deadlines_start(o->request_timeout ? o->request_timeout : 30, &s->deadlines) < 0) {
		snprintf(err, errsize, "cannot start the request deadline thread");
		goto fail;
	}
	MHD_set_panic_func(on_mhd_panic, NULL);
	/* One single-threaded daemon per worker, without a listening socket: the acceptor hands
	 * each its share (acceptor.c says why). The limits are the acceptor's; libmicrohttpd's own
	 * connection limit is only a backstop. */
	s->ndaemons = o->threads ? o->threads : 1;
	s->daemons = xcalloc(s->ndaemons, sizeof(*s->daemons));
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC |
	                 MHD_USE_NO_LISTEN_SOCKET;
	for (unsigned i = 0; i < s->ndaemons; i++) {
		s->daemons[i] = MHD_start_daemon(
		        flags, 0, NULL, NULL, on_request, s,
		        /* First, so that libmicrohttpd's own messages come through it too. */
		        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_NOTIFY_COMPLETED,
		        on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		        MHD_OPTION_THREAD_STACK_SIZE, (size_t)HTTP_WORKER_STACK_SIZE,
		        MHD_OPTION_STRICT_FOR_CLIENT, 1, MHD_OPTION_CONNECTION_TIMEOUT,
		        (unsigned)o->connection_timeout, MHD_OPTION_CONNECTION_LIMIT,
		        (unsigned)o->max_connections + 16, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		        (size_t)o->max_header_memory, MHD_OPTION_END);
		if (!s->daemons[i]) {
			snprintf(err, errsize, "cannot start the HTTP worker %u", i);
			goto fail;
		}
	}
	if (http_acceptor_start(s->listen_fd, s->daemons, s->ndaemons, o->max_connections,
	                        o->per_ip_connections, &s->acceptor) < 0) {
		snprintf(err, errsize, "cannot start the accepting thread");
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	for (unsigned i = 0; s->daemons && i < s->ndaemons; i++)
		if (s->daemons[i])
			MHD_stop_daemon(s->daemons[i]);
	free(s->daemons);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	http_deadlines_stop(s->deadlines);
	router_free(s->router);
	http_metrics_free(s->metrics);
	free(s->static_dir);
	free(s->vendor_dir);
	free(s);
	return -EINVAL;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

/*
 * Graceful stop: no new connections (the listening socket is closed, so clients are refused
 * and a proxy tries another server), new requests on open connections answered 503 by
 * on_request(), and the requests in flight given up to @grace_seconds to finish.
 */
void http_server_stop(struct http_server *s, unsigned grace_seconds)
{
	if (!s)
		return;
	atomic_store(&s->stopping, true);
	http_acceptor_stop(s->acceptor);
	close(s->listen_fd);
	long long deadline = now_usec() + (long long)grace_seconds * 1000000;
	while (atomic_load(&s->inflight) > 0 && now_usec() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	int left = atomic_load(&s->inflight);
	if (left > 0)
		log_warn("shutdown: %d requests still in flight after %u s", left, grace_seconds);
	for (unsigned i = 0; i < s->ndaemons; i++)
		MHD_stop_daemon(s->daemons[i]);
	http_acceptor_free(s->acceptor);
	free(s->daemons);
	http_deadlines_stop(s->deadlines);
	router_free(s->router);
	http_metrics_free(s->metrics);
	free(s->static_dir);
	free(s->vendor_dir);
	free(s);
}

void http_metrics_write(struct http_request *req, struct buf *out)
{
	struct http_server *s = req->conn->server;
	http_metrics_write_to(s->metrics, out);
	metrics_write_family(out, "placard_http_requests_in_flight", "gauge",
	                     "Requests received and not yet completed (this one included).");
	metrics_write_sample(out, "placard_http_requests_in_flight", NULL,
	                     (double)atomic_load(&s->inflight));
}

const char *http_static_root(const struct http_request *req)
{
	return req->conn->server->static_dir;
}
