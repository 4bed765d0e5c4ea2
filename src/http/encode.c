/*
 * encode.c - the last touches on every response before it is queued (server.c calls
 * http_encode_response() once, just before handing the response to libmicrohttpd):
 *
 *   - validators: a successful GET or HEAD answered from memory gets a weak ETag over its
 *     body (unless the handler set one), and a request whose If-None-Match names it gets
 *     304 Not Modified with no body;
 *   - compression: a text-like body (JSON, HTML, CSS, JavaScript, SVG) of a useful size is
 *     gzipped when the client's Accept-Encoding allows it, static files included, and such
 *     responses say Vary: Accept-Encoding so that caches keep the two forms apart.
 *
 * The ETag is computed before compression and is weak (W/"..."), so both forms of a
 * response share it, as RFC 9110 allows for weak validators.
 *
 * Languages: a body that holds sentences (a problem, or JSON a handler made) is in the
 * request's language, so it says Content-Language and Vary: Accept-Language, and its ETag
 * names the language too (a tag over the body and, but for the default language, the
 * language): a cached English body is never "not modified" for a request in another
 * language, even where the two bodies are the same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "core/crypto.h"
#include "core/util.h"
#include "http/internal.h"

/* Smaller bodies gain nothing from gzip; larger static files are sent as they are. */
#define GZIP_MIN_BYTES      256
#define GZIP_MAX_FILE_BYTES (4 * 1024 * 1024)
#define GZIP_LEVEL          6
#define ETAG_HEX            32

static const char *header_value(const struct http_response *res, const char *name)
{
	for (const struct http_header_line *h = res->headers; h; h = h->next)
		if (strcaseeq(h->name, name))
			return h->value;
	return NULL;
}

static bool compressible(const char *type)
{
	static const char *const prefixes[] = { "text/", "application/json",
		                                "application/problem+json", "image/svg+xml",
		                                "application/manifest+json" };
	if (!type)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(type, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

bool http_accepts_gzip(const char *accept_encoding)
{
	if (!accept_encoding)
		return false;
	const char *p = accept_encoding;
	while (*p) {
		p += strspn(p, " \t,");
		size_t n = strcspn(p, " \t;,");
		bool named = (n == 4 && strncasecmp(p, "gzip", 4) == 0) ||
		             (n == 6 && strncasecmp(p, "x-gzip", 6) == 0) || (n == 1 && *p == '*');
		const char *end = p + strcspn(p, ",");
		/* A q of zero (q=0, q=0.0, q=0.000) refuses the coding. */
		bool refused = false;
		for (const char *q = memchr(p, ';', (size_t)(end - p)); q && q < end;
		     q = memchr(q + 1, ';', (size_t)(end - q - 1))) {
			const char *v = q + 1 + strspn(q + 1, " \t");
			if ((v[0] == 'q' || v[0] == 'Q') && v[1] == '=')
				refused = strtod(v + 2, NULL) <= 0.0;
		}
		if (named && !refused)
			return true;
		p = end;
	}
	return false;
}

/* Whether If-None-Match @header names @etag (weak comparison), or is "*". */
static bool etag_listed(const char *header, const char *etag)
{
	/* Compare the opaque parts: W/"x" and "x" are the same tag weakly. */
	const char *want = strchr(etag, '"');
	size_t wn = strlen(want);
	for (const char *p = header; *p;) {
		p += strspn(p, " \t,");
		if (*p == '*')
			return true;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		size_t n = strcspn(p, " \t,");
		if (n == wn && strncmp(p, want, n) == 0)
			return true;
		p += n;
	}
	return false;
}

/* Read a static file response into memory so that it can be compressed. 0 or -errno. */
static int load_file(struct http_response *res)
{
	if (res->fd_size <= 0 || res->fd_size > GZIP_MAX_FILE_BYTES)
		return -EFBIG;
	struct buf b = BUF_INIT;
	buf_grow(&b, (size_t)res->fd_size);
	size_t got = 0;
	while (got < (size_t)res->fd_size) {
		ssize_t n = pread(res->fd, b.data + got, (size_t)res->fd_size - got, (off_t)got);
		if (n <= 0) {
			buf_release(&b);
			return -EIO;
		}
		got += (size_t)n;
	}
	b.len = got;
	b.data[got] = '\0';
	close(res->fd);
	res->fd = -1;
	buf_release(&res->body);
	res->body = b;
	return 0;
}

/* Replace the body with its gzip form when that is smaller. 0, or -errno (body as was). */
static int gzip_body(struct http_response *res)
{
	z_stream z = { 0 };
	if (deflateInit2(&z, GZIP_LEVEL, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -ENOMEM;
	struct buf out = BUF_INIT;
	size_t bound = deflateBound(&z, res->body.len);
	buf_grow(&out, bound);
	z.next_in = (unsigned char *)res->body.data;
	z.avail_in = (uInt)res->body.len;
	z.next_out = (unsigned char *)out.data;
	z.avail_out = (uInt)bound;
	int zr = deflate(&z, Z_FINISH);
	size_t len = bound - z.avail_out;
	deflateEnd(&z);
	if (zr != Z_STREAM_END || len >= res->body.len) {
		buf_release(&out);
		return -EINVAL;
	}
	out.len = len;
	out.data[len] = '\0';
	buf_release(&res->body);
	res->body = out;
	return 0;
}

/* Add @token to the response's Vary header (one header, a list), at its start if @first. */
static void vary_add(struct http_response *res, const char *token, bool first)
{
	for (struct http_header_line *h = res->headers; h; h = h->next)
		if (strcaseeq(h->name, "Vary")) {
			h->value = first ? arena_printf(res->arena, "%s, %s", token, h->value)
			                 : arena_printf(res->arena, "%s, %s", h->value, token);
			return;
		}
	http_header_add(res, "Vary", token);
}

/* Whether the body is made of the request's language: problems, and JSON a handler wrote
 * (not a static file's). */
static bool holds_sentences(const struct http_conn *hc)
{
	const struct http_response *res = &hc->res;
	const char *type = res->content_type;
	if (!type)
		return false;
	if (strcmp(type, "application/problem+json") == 0)
		return true;
	return strncmp(type, "application/json", 16) == 0 && res->fd < 0 && !hc->static_file;
}

/*
 * One Cache-Control: the one set last wins (an application's hook may set a default that a
 * handler overrides; headers are kept newest first), except that no-store, once set, is
 * never weakened by a later one. An error is never kept by caches.
 */
static void settle_cache_control(struct http_response *res)
{
	struct http_header_line **link = &res->headers, *kept = NULL;
	bool no_store = res->status >= 400;
	while (*link) {
		struct http_header_line *h = *link;
		if (strcaseeq(h->name, "Cache-Control")) {
			no_store = no_store || strcaseeq(h->value, "no-store");
			if (kept) {
				*link = h->next;
				continue;
			}
			kept = h;
		}
		link = &h->next;
	}
	if (no_store && kept)
		kept->value = "no-store";
	else if (no_store)
		http_header_add(res, "Cache-Control", "no-store");
}

void http_encode_response(struct http_conn *hc)
{
	struct http_request *req = &hc->req;
	struct http_response *res = &hc->res;
	settle_cache_control(res);
	const char *lang = hc->lang ? hc->lang : I18N_DEFAULT;
	bool sentences = holds_sentences(hc);
	if (sentences) {
		http_header_add(res, "Content-Language", lang);
		vary_add(res, "Accept-Language", false);
	}
	if (!(req->method & (HTTP_GET | HTTP_HEAD)) || res->status != 200)
		return;

	if (res->fd < 0 && !header_value(res, "ETag")) {
		char hex[SHA256_HEX_LEN + 1];
		sha256_hex(res->body.data, res->body.len, hex);
		if (sentences && strcmp(lang, I18N_DEFAULT) != 0) {
			char *tagged = arena_printf(res->arena, "%s %s", hex, lang);
			sha256_hex(tagged, strlen(tagged), hex);
		}
		char *etag = arena_printf(res->arena, "W/\"%.*s\"", ETAG_HEX, hex);
		http_header_add(res, "ETag", etag);
		const char *inm = http_header(req, "If-None-Match");
		if (inm && etag_listed(inm, etag)) {
			buf_release(&res->body);
			res->status = 304;
			res->content_type = NULL;
			return;
		}
	}

	if (!compressible(res->content_type))
		return;
	vary_add(res, "Accept-Encoding", true);
	if (!http_accepts_gzip(http_header(req, "Accept-Encoding")))
		return;
	if (res->fd >= 0 && load_file(res) < 0)
		return;
	if (res->body.len < GZIP_MIN_BYTES || gzip_body(res) < 0)
		return;
	http_header_add(res, "Content-Encoding", "gzip");
	/* The stored tag names the file's bytes; the gzip form is only weakly the same. */
	for (struct http_header_line *h = res->headers; h; h = h->next)
		if (strcaseeq(h->name, "ETag") && h->value[0] == '"')
			h->value = arena_printf(res->arena, "W/%s", h->value);
}
