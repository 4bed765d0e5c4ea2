/*
 * server.c - libmicrohttpd glue: per-request state, body collection with limits, framing
 * checks, routing, response queueing, access log, graceful shutdown.
 *
 * Lifecycle of a request: libmicrohttpd calls on_request() first with no body (we create the
 * http_conn and its arena), then once per body chunk, then once more with no data (we
 * route and run the handler). on_completed() writes the access-log line and destroys the
 * arena, which releases everything the handler allocated or deferred.
 *
 * Threading: MHD_USE_EPOLL_INTERNAL_THREAD with a pool of one thread per core, chosen by
 * measurement (docs/architecture.md): thread-per-connection served about a third as many
 * requests on this hardware, and more threads than cores only lengthened the tail.
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
	struct MHD_Daemon *daemon;
	struct router *router;
	struct http_server_options opt;
	char *static_dir;
	atomic_int inflight;
	unsigned port;
};

static const char security_csp[] =
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'";

/* Count how often header @name occurs; the first value in *@first. */
struct header_count {
	const char *name;
	unsigned n;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
	(void)kind;
	(void)value;
	struct header_count *hc = cls;
	for (; hc->name; hc++)
		if (strcaseeq(key, hc->name))
			hc->n++;
	return MHD_YES;
}

/*
 * Framing checks libmicrohttpd 0.9.75 does not make (see docs/operations.md): a request
 * with two Content-Length headers, with both Transfer-Encoding and Content-Length, or with
 * two Host headers is refused, so no proxy in front of us can disagree about where it ends.
 */
static int check_framing(struct http_conn *hc)
{
	struct http_response *res = &hc->res;
	struct header_count counts[] = {
		{ "Content-Length", 0 }, { "Transfer-Encoding", 0 }, { "Host", 0 }, { NULL, 0 }
	};
	MHD_get_connection_values(hc->mhd, MHD_HEADER_KIND, count_header, counts);
	if (counts[0].n > 1)
		return http_problem(res, 400, "Content-Length",
		                    "The request has more than one Content-Length header.");
	if (counts[0].n && counts[1].n)
		return http_problem(res, 400, "Transfer-Encoding",
		                    "The request has both Transfer-Encoding and Content-Length.");
	if (counts[2].n > 1)
		return http_problem(res, 400, "Host", "The request has more than one Host header.");
	/* libmicrohttpd can answer only before the body or after all of it, so a body whose
	 * size is unknown up front could not be refused at the limit: require its length. */
	if (counts[1].n)
		return http_problem(
		        res, 411, "Transfer-Encoding",
		        "Send the request body with a Content-Length header, not chunked.");

	const char *cl = http_header(&hc->req, "Content-Length");
	if (cl) {
		long long len;
		if (parse_int64(cl, 0, INT64_MAX, &len) < 0)
			return http_problem(res, 400, "Content-Length",
			                    "Content-Length is not a valid length.");
		if ((unsigned long long)len > hc->server->opt.max_body)
			return http_problem(res, 413, NULL,
			                    "The request body is %lld bytes; the limit is %zu.",
			                    len, hc->server->opt.max_body);
	}
	return 0;
}

static enum MHD_Result queue(struct http_conn *hc)
{
	struct http_response *res = &hc->res;
	struct MHD_Response *r;
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
	MHD_add_response_header(r, "Content-Security-Policy", security_csp);
	if (hc->server->opt.tls)
		MHD_add_response_header(r, "Strict-Transport-Security",
		                        "max-age=31536000; includeSubDomains");
	enum MHD_Result ret = MHD_queue_response(hc->mhd, (unsigned)res->status, r);
	MHD_destroy_response(r);
	hc->responded = true;
	return ret;
}

static void dispatch(struct http_conn *hc)
{
	struct http_server *s = hc->server;
	struct http_request *req = &hc->req;
	struct http_response *res = &hc->res;

	req->body = hc->body.data;
	req->body_len = hc->body.len;
	if (!req->method) {
		http_problem(res, 501, NULL, "The method %s is not supported.", req->method_name);
		return;
	}
	unsigned allow = 0;
	int r = router_match(s->router, req->arena, req->method, req->path, &req->route,
	                     req->params, &req->nparams, &allow);
	if (r == -EPERM) {
		char allow_text[96];
		router_allow_string(allow, allow_text, sizeof(allow_text));
		http_header_add(res, "Allow", allow_text);
		http_problem(res, 405, NULL, "%s is not allowed here; allowed: %s.",
		             req->method_name, allow_text);
		return;
	}
	if (r < 0) {
		if (s->static_dir && (req->method & (HTTP_GET | HTTP_HEAD)) &&
		    strncmp(req->path, "/api/", 5) != 0)
			http_static_serve(s->static_dir, req, res);
		else
			http_problem(res, 404, NULL, "There is nothing at %s.", req->path);
		return;
	}
	if (req->body_len && (req->method & (HTTP_POST | HTTP_PUT | HTTP_PATCH))) {
		const char *ct = http_header(req, "Content-Type");
		if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
		    (ct[16] != '\0' && ct[16] != ';')) {
			http_problem(res, 415, "Content-Type",
			             "The request body must be application/json.");
			return;
		}
	}
	if (s->opt.hook && s->opt.hook(req, res))
		return;
	int status = req->route->handler(req, res);
	if (!status || !res->status) {
		log_error("handler for %s %s set no response", req->method_name, req->path);
		http_problem(res, 500, NULL, "The server could not complete the request.");
	}
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
	return hc;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	struct http_server *s = cls;
	struct http_conn *hc = *con_cls;

	if (!hc) {
		hc = conn_new(s, c, url, method);
		*con_cls = hc;
		atomic_fetch_add(&s->inflight, 1);
		if (check_framing(hc))
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
		/* A body that trickles in past the whole-request deadline loses its connection:
		 * libmicrohttpd cannot send a response in the middle of a body. */
		if (now_usec() - hc->started_usec > (long long)s->opt.request_timeout * 1000000) {
			log_warn("http: %s %s took over %u s to arrive; closing",
			         hc->req.method_name, hc->req.path, s->opt.request_timeout);
			return MHD_NO;
		}
		/* Content-Length was checked against the limit, and libmicrohttpd delivers no
		 * more than it says; this guards the invariant. */
		if (hc->body.len + n > s->opt.max_body)
			return MHD_NO;
		buf_add(&hc->body, upload_data, n);
		return MHD_YES;
	}
	dispatch(hc);
	return queue(hc);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	(void)c;
	struct http_server *s = cls;
	struct http_conn *hc = *con_cls;
	if (!hc)
		return;
	*con_cls = NULL;
	if (!s->opt.quiet) {
		struct buf line = BUF_INIT;
		buf_addstr(&line, "\"method\":\"");
		buf_add_json_escaped(&line, hc->req.method_name);
		buf_addstr(&line, "\",\"path\":\"");
		buf_add_json_escaped(&line, hc->req.path);
		buf_addf(&line, "\",\"status\":%d,\"bytes\":%zu,\"duration_ms\":%.3f",
		         hc->responded ? hc->res.status : 0, hc->res.bytes,
		         (double)(now_usec() - hc->started_usec) / 1000.0);
		if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK)
			buf_addf(&line, ",\"terminated\":%d", (int)toe);
		log_json_line(line.data);
		buf_release(&line);
	}
	if (hc->res.fd >= 0)
		close(hc->res.fd);
	buf_release(&hc->body);
	buf_release(&hc->res.body);
	arena_destroy(hc->req.arena);
	atomic_fetch_sub(&s->inflight, 1);
}

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

int http_server_start(const struct http_server_options *o, struct http_server **ret, char *err,
                      size_t errsize)
{
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->opt = *o;
	atomic_init(&s->inflight, 0);
	if (router_new(o->routes, o->nroutes, &s->router, err, errsize) < 0) {
		free(s);
		return -EINVAL;
	}
	if (o->static_dir) {
		s->static_dir = realpath(o->static_dir, NULL);
		if (!s->static_dir)
			log_warn("static files: %s: %s; serving none", o->static_dir,
			         strerror(errno));
	}

	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)o->port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
		                     .sin6_port = htons((uint16_t)o->port) };
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	if (inet_pton(AF_INET, o->host, &sin.sin_addr) == 1) {
		sa = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, o->host, &sin6.sin6_addr) == 1) {
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		snprintf(err, errsize, "listen address \"%s\" is not an IP address", o->host);
		goto fail;
	}

	s->daemon = MHD_start_daemon(
	        flags, (uint16_t)o->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, sa,
	        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_NOTIFY_COMPLETED,
	        on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)o->connection_timeout,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)o->max_connections,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)o->per_ip_connections,
	        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)o->max_header_memory,
	        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL, MHD_OPTION_LISTEN_BACKLOG_SIZE,
	        (unsigned)511, MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, errsize, "cannot listen on %s:%u (address in use?)", o->host,
		         o->port);
		goto fail;
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : o->port;
	*ret = s;
	return 0;
fail:
	router_free(s->router);
	free(s->static_dir);
	free(s);
	return -EINVAL;
}

unsigned http_server_port(const struct http_server *s)
{
	return s->port;
}

void http_server_stop(struct http_server *s, unsigned grace_seconds)
{
	if (!s)
		return;
	MHD_socket lsock = MHD_quiesce_daemon(s->daemon);
	if (lsock != MHD_INVALID_SOCKET)
		close(lsock);
	long long deadline = now_usec() + (long long)grace_seconds * 1000000;
	while (atomic_load(&s->inflight) > 0 && now_usec() < deadline) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	int left = atomic_load(&s->inflight);
	if (left > 0)
		log_warn("shutdown: %d requests still in flight after %u s", left, grace_seconds);
	MHD_stop_daemon(s->daemon);
	router_free(s->router);
	free(s->static_dir);
	free(s);
}
