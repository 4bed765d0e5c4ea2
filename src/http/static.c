/*
 * static.c - serve the files under web/ with their content types, validators and cache
 * headers. A path that would leave the folder (through "..", a symbolic link or anything
 * else realpath() resolves outside it) is answered 404, as if the file did not exist, and so
 * is one holding a control character or a backslash (which browsers drop or read as "/").
 * A folder asked for without its final slash is redirected to a path on this site, never to
 * "//name/", which a browser reads as another site (protocol-relative).
 *
 * A page that is not there is answered 404 with the folder's 404.html (a page for people,
 * which says where to go instead), or with a problem when the folder has none.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "http/internal.h"

static const struct {
	const char *ext;
	const char *type;
} content_types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".webmanifest", "application/manifest+json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".jpeg", "image/jpeg" },
	{ ".webp", "image/webp" },
	{ ".ico", "image/x-icon" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".woff2", "font/woff2" },
};

static const char *content_type_for(const char *path)
{
	for (size_t i = 0; i < ARRAY_SIZE(content_types); i++)
		if (str_has_suffix(path, content_types[i].ext))
			return content_types[i].type;
	return "application/octet-stream";
}

static bool etag_matches(const char *header, const char *etag)
{
	if (!header)
		return false;
	if (streq(header, "*"))
		return true;
	/* A list of tags: look for ours as a whole item, weak or strong. */
	size_t n = strlen(etag);
	for (const char *p = header; (p = strstr(p, etag)); p += n) {
		char after = p[n];
		if (after == '\0' || after == ',' || after == ' ')
			return true;
	}
	return false;
}

/* True when @s holds a control character (browsers drop tabs and newlines from a URL). */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* 404 for @path: @root's 404.html when there is one, else (and for an API path, whose
 * clients read problems) a problem. */
static int not_found(const char *root, const char *path, struct http_request *req,
                     struct http_response *res)
{
	if (strncmp(req->path, "/api/", 5) == 0)
		return http_problem(res, 404, NULL, "api.http.not_found", "path", path, NULL);
	int fd = root ? open(arena_printf(req->arena, "%s/404.html", root), O_RDONLY | O_CLOEXEC)
	              : -1;
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return http_problem(res, 404, NULL, "api.http.not_found", "path", path, NULL);
	}
	http_header_add(res, "Cache-Control", "no-cache");
	res->fd = fd;
	res->fd_size = st.st_size;
	res->status = 404;
	res->content_type = "text/html; charset=utf-8";
	return 404;
}

/* Serve the file at @path (as in a URL) under @root; a missing one with @pages' 404 page. */
static int serve_from(const char *root, const char *pages, const char *path,
                      struct http_request *req, struct http_response *res)
{
	if (path[0] != '/' || strstr(path, "/../") || str_has_suffix(path, "/..") ||
	    strchr(path, '\\') || has_control(path))
		return not_found(pages, path, req, res);

	char *full = arena_printf(req->arena, "%s%s%s", root, path,
	                          str_has_suffix(path, "/") ? "index.html" : "");
	char *real = realpath(full, NULL);
	size_t rootlen = strlen(root);
	if (!real || strncmp(real, root, rootlen) != 0 || real[rootlen] != '/') {
		free(real);
		return not_found(pages, path, req, res);
	}
	int fd = open(real, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		/* A folder without its slash: send the browser to the slash form. */
		if (fd >= 0 && S_ISDIR(st.st_mode)) {
			free(real);
			/* One leading slash: "//example.org" must not become "//example.org/". */
			while (path[1] == '/')
				path++;
			http_header_add(res, "Location", arena_printf(req->arena, "%s/", path));
			return http_respond(res, 301, "text/plain; charset=utf-8", "", 0);
		}
		free(real);
		return not_found(pages, path, req, res);
	}

	char etag[64], lastmod[64];
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_size,
	         (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
	                 (unsigned long long)st.st_mtim.tv_nsec);
	struct tm tm;
	gmtime_r(&st.st_mtim.tv_sec, &tm);
	strftime(lastmod, sizeof(lastmod), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	http_header_add(res, "ETag", etag);
	http_header_add(res, "Last-Modified", lastmod);
	/* Pages revalidate every time; assets may be reused for a few minutes. */
	http_header_add(res, "Cache-Control",
	                str_has_suffix(real, ".html") ? "no-cache" : "public, max-age=300");
	const char *type = content_type_for(real);
	free(real);

	const char *inm = http_header(req, "If-None-Match");
	const char *ims = http_header(req, "If-Modified-Since");
	if (etag_matches(inm, etag) || (!inm && ims && streq(ims, lastmod))) {
		close(fd);
		return http_respond(res, 304, NULL, "", 0);
	}
	res->fd = fd;
	res->fd_size = st.st_size;
	res->status = 200;
	res->content_type = type;
	return 200;
}

static int serve_path(const char *root, const char *path, struct http_request *req,
                      struct http_response *res)
{
	return serve_from(root, root, path, req, res);
}

int http_static_serve(const char *root, struct http_request *req, struct http_response *res)
{
	return serve_path(root, req->path, req, res);
}

int http_vendor_serve(const char *root, const char *pages, struct http_request *req,
                      struct http_response *res)
{
	return serve_from(root, pages, req->path + strlen("/vendor"), req, res);
}

int http_send_file(struct http_request *req, struct http_response *res, const char *path)
{
	const char *root = http_static_root(req);
	if (!root)
		return http_problem(res, 404, NULL, "api.http.not_found", "path", req->path, NULL);
	return serve_path(root, path, req, res);
}
