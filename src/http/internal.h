/*
 * internal.h - what the files of the http layer share and nobody else sees.
 */
#ifndef PLACARD_HTTP_INTERNAL_H
#define PLACARD_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <sys/types.h>

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
	char *client_ip;
	bool responded;
};

/* Serve a file under @root for @req; fills @res (200, 304, 404) and returns the status. */
int http_static_serve(const char *root, struct http_request *req, struct http_response *res);

#endif
