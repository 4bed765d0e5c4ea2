/*
 * response.c - request accessors and response builders used by handlers, and the single
 * problem+json renderer.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/util.h"
#include "http/internal.h"

/* The length of the valid UTF-8 sequence at @p (1 to 4), or 0 if it is not one. */
static size_t utf8_sequence(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		/* No overlong forms (e0 80..9f) and no UTF-16 surrogates (ed a0..bf). */
		unsigned char lo = p[0] == 0xe0 ? 0xa0 : 0x80, hi = p[0] == 0xed ? 0x9f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		unsigned char lo = p[0] == 0xf0 ? 0x90 : 0x80, hi = p[0] == 0xf4 ? 0x8f : 0xbf;
		return p[1] >= lo && p[1] <= hi && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80
		               ? 4
		               : 0;
	}
	return 0;
}

void http_add_json_text(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = utf8_sequence(p);
		if (n == 0) {
			buf_addstr(b, "\ufffd");
			p++;
		} else if (n == 1) {
			char one[2] = { (char)*p, '\0' };
			buf_add_json_escaped(b, one);
			p++;
		} else {
			buf_add(b, p, n);
			p += n;
		}
	}
}

const char *http_header(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->mhd, MHD_HEADER_KIND, name);
}

const char *http_query(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->mhd, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(struct http_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn->mhd, MHD_COOKIE_KIND, name);
}

struct xff_lines {
	struct arena *arena;
	char *joined; /* every X-Forwarded-For line, in order, joined with commas */
};

static enum MHD_Result collect_xff(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
	(void)kind;
	struct xff_lines *x = cls;
	if (key && value && strcasecmp(key, "X-Forwarded-For") == 0)
		x->joined = x->joined ? arena_printf(x->arena, "%s,%s", x->joined, value)
		                      : arena_strdup(x->arena, value);
	return MHD_YES;
}

/* The client's address (see http.h), worked out once per request. */
static void client_resolve(struct http_request *req)
{
	struct http_conn *hc = req->conn;
	const union MHD_ConnectionInfo *ci =
	        MHD_get_connection_info(hc->mhd, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct netaddr peer = { 0 };
	bool known = false;
	if (ci && ci->client_addr) {
		/* Copy out rather than cast: the address carries no alignment promise. */
		const struct sockaddr *sa = ci->client_addr;
		char text[INET6_ADDRSTRLEN] = "";
		if (sa->sa_family == AF_INET) {
			struct sockaddr_in sin;
			memcpy(&sin, sa, sizeof(sin));
			inet_ntop(AF_INET, &sin.sin_addr, text, sizeof(text));
		} else if (sa->sa_family == AF_INET6) {
			struct sockaddr_in6 sin6;
			memcpy(&sin6, sa, sizeof(sin6));
			inet_ntop(AF_INET6, &sin6.sin6_addr, text, sizeof(text));
		}
		known = netaddr_parse(text, &peer) == 0;
	}
	if (!known) {
		hc->client_ip = arena_strdup(req->arena, "unknown");
		hc->client_net = hc->client_ip;
		hc->peer_ip = hc->client_ip;
		return;
	}
	const struct netaddr_list *trusted = http_server_trusted_proxies(hc->server);
	struct netaddr client = peer;
	if (trusted->n && netaddr_list_contains(trusted, &peer)) {
		struct xff_lines x = { .arena = req->arena };
		MHD_get_connection_values(hc->mhd, MHD_HEADER_KIND, collect_xff, &x);
		netaddr_forwarded_client(trusted, &peer, x.joined, &client);
	}
	char ip[NETADDR_TEXT_MAX] = "unknown", net[NETADDR_TEXT_MAX] = "unknown";
	netaddr_format(&peer, ip, sizeof(ip));
	hc->peer_ip = arena_strdup(req->arena, ip);
	netaddr_format(&client, ip, sizeof(ip));
	netaddr_network(&client, net, sizeof(net));
	hc->client_ip = arena_strdup(req->arena, ip);
	hc->client_net = arena_strdup(req->arena, net);
}

const char *http_client_ip(struct http_request *req)
{
	if (!req->conn->client_ip)
		client_resolve(req);
	return req->conn->client_ip;
}

const char *http_peer_ip(struct http_request *req)
{
	if (!req->conn->peer_ip)
		client_resolve(req);
	return req->conn->peer_ip;
}

const char *http_client_network(struct http_request *req)
{
	if (!req->conn->client_net)
		client_resolve(req);
	return req->conn->client_net;
}

const char *http_language(struct http_request *req)
{
	return req->conn->lang ? req->conn->lang : I18N_DEFAULT;
}

const struct http_param *http_param(struct http_request *req, const char *name)
{
	for (unsigned i = 0; i < req->nparams; i++)
		if (streq(req->params[i].name, name))
			return &req->params[i];
	return NULL;
}

int http_respond(struct http_response *res, int status, const char *content_type, const char *body,
                 size_t len)
{
	res->status = status;
	res->content_type = content_type;
	buf_truncate(&res->body, 0);
	buf_add(&res->body, body, len);
	return status;
}

int http_respond_buf(struct http_response *res, int status, const char *content_type,
                     struct buf *body)
{
	buf_release(&res->body);
	res->body = *body;
	buf_init(body);
	res->status = status;
	res->content_type = content_type;
	return status;
}

int http_respond_fd(struct http_response *res, int status, const char *content_type, int fd,
                    uint64_t size)
{
	if (res->fd >= 0)
		close(res->fd);
	buf_truncate(&res->body, 0);
	res->fd = fd;
	res->fd_size = (off_t)size;
	res->status = status;
	res->content_type = content_type;
	return status;
}

void http_header_add(struct http_response *res, const char *name, const char *value)
{
	struct http_header_line *h = arena_alloc(res->arena, sizeof(*h));
	h->name = arena_strdup(res->arena, name);
	h->value = arena_strdup(res->arena, value);
	h->next = res->headers;
	res->headers = h;
}

int http_response_status(const struct http_response *res)
{
	return res->status;
}

const char *http_status_title(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

int http_problem(struct http_response *res, int status, const char *field, const char *key, ...)
{
	char detail[I18N_MESSAGE_MAX];
	va_list ap;
	va_start(ap, key);
	i18n_vformat(detail, sizeof(detail), NULL, key, ap);
	va_end(ap);
	return http_problem_text(res, status, field, key, detail);
}

int http_problem_text(struct http_response *res, int status, const char *field, const char *code,
                      const char *detail)
{
	struct buf body = BUF_INIT;
	buf_addf(&body, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":\"",
	         http_status_title(status), status);
	http_add_json_text(&body, detail ? detail : "");
	buf_addstr(&body, "\"");
	if (code) {
		buf_addstr(&body, ",\"code\":\"");
		http_add_json_text(&body, code);
		buf_addstr(&body, "\"");
	}
	if (res->instance) {
		buf_addstr(&body, ",\"instance\":\"");
		http_add_json_text(&body, res->instance);
		buf_addstr(&body, "\"");
	}
	if (field) {
		buf_addstr(&body, ",\"field\":\"");
		http_add_json_text(&body, field);
		buf_addstr(&body, "\"");
	}
	buf_addstr(&body, "}");
	return http_respond_buf(res, status, "application/problem+json", &body);
}
