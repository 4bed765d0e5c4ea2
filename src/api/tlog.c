/*
 * tlog.c - the log's Merkle tree over HTTP: GET /checkpoint (the signed checkpoint, C2SP
 * tlog-checkpoint), GET /api/v1/log/key (the key that signs it), GET /tile/... (C2SP
 * tlog-tiles), and inclusion and consistency proofs under /api/v1/log/proof/. See
 * docs/architecture.md, "The tamper-evident log".
 */
#include "api/tlog.h"

#include <stdint.h>
#include <stdio.h>

#include "api/api.h"
#include "core/buf.h"
#include "core/util.h"

static const struct rec_tlog_signer *signer;

void api_tlog_set_signer(const struct rec_tlog_signer *s)
{
	signer = s;
}

const struct rec_tlog_signer *api_tlog_signer(void)
{
	return signer;
}

static int no_key(struct http_response *res)
{
	return http_problem(res, 503, NULL, "api.tlog.no_key", NULL);
}

int api_tlog_checkpoint(struct http_request *req, struct http_response *res)
{
	if (!signer)
		return no_key(res);
	/* Signed where tiles and proofs are read, kept where writes go. */
	struct rec r = api_rec(req, STORE_READ);
	const char *note;
	long long size;
	bool kept;
	if (rec_tlog_checkpoint(&r, signer, &note, &size, &kept) < 0)
		return api_refused(res, &r);
	struct rec w = api_rec(req, STORE_WRITE);
	if (!kept && rec_tlog_checkpoint_keep(&w, signer, size, note) < 0)
		return api_refused(res, &w);
	/* With the cosignatures the witnesses gave for it. */
	int ncosigs;
	note = rec_tlog_cosigned(&r, note, &ncosigs);
	http_header_add(res, "Cache-Control", "no-cache");
	return http_respond(res, 200, "text/plain; charset=utf-8", note, strlen(note));
}

int api_tlog_witnesses(struct http_request *req, struct http_response *res)
{
	struct rec r = api_rec(req, STORE_READ);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, rec_tlog_witnesses_json(&r, signer != NULL));
}

int api_tlog_key(struct http_request *req, struct http_response *res)
{
	if (!signer)
		return no_key(res);
	struct buf b = BUF_INIT;
	buf_addstr(&b, "{\"origin\":\"");
	buf_add_json_escaped(&b, signer->origin);
	buf_addstr(&b, "\",\"vkey\":\"");
	buf_add_json_escaped(&b, signer->vkey);
	if (signer->has_previous) {
		buf_addstr(&b, "\",\"previous_vkey\":\"");
		buf_add_json_escaped(&b, signer->previous_vkey);
	}
	buf_addstr(&b, "\"}");
	const char *json = arena_strndup(req->arena, b.data, b.len);
	buf_release(&b);
	http_header_add(res, "Cache-Control", "no-cache");
	return api_json_text(res, 200, json);
}

/* Query parameter @name, a number from @min: 0, or the status of the 400 answered. */
static int query_number(struct http_request *req, struct http_response *res, const char *name,
                        long long min, long long *ret)
{
	const char *q = http_query(req, name);
	if (!q || parse_int64(q, min, INT64_MAX, ret) < 0)
		return http_problem(res, 400, name, "api.tlog.number_from", "name", name, "min",
		                    I18N_INT(min), NULL);
	return 0;
}

int api_tlog_inclusion(struct http_request *req, struct http_response *res)
{
	long long index, size;
	int status;
	if ((status = query_number(req, res, "index", 0, &index)) ||
	    (status = query_number(req, res, "size", 1, &size)))
		return status;
	struct rec r = api_rec(req, STORE_READ);
	const char *json;
	if (rec_tlog_inclusion(&r, index, size, &json) < 0)
		return api_refused(res, &r);
	/* A proof for a given index and size never changes. */
	http_header_add(res, "Cache-Control", "public, max-age=31536000, immutable");
	return api_json_text(res, 200, json);
}

int api_tlog_consistency(struct http_request *req, struct http_response *res)
{
	long long old, size;
	int status;
	if ((status = query_number(req, res, "old", 1, &old)) ||
	    (status = query_number(req, res, "size", 1, &size)))
		return status;
	struct rec r = api_rec(req, STORE_READ);
	const char *json;
	if (rec_tlog_consistency(&r, old, size, &json) < 0)
		return api_refused(res, &r);
	http_header_add(res, "Cache-Control", "public, max-age=31536000, immutable");
	return api_json_text(res, 200, json);
}

int api_tlog_tile(struct http_request *req, struct http_response *res)
{
	int level, width;
	long long index;
	if (tlog_tile_parse(req->path + 1, &level, &index, &width) < 0)
		return http_problem(res, 404, NULL, "api.tlog.no_tile", "path", req->path, NULL);
	struct rec r = api_rec(req, STORE_READ);
	const unsigned char *data;
	size_t len;
	if (rec_tlog_tile(&r, level, index, width, &data, &len) < 0)
		return api_refused(res, &r);
	/* A full tile never changes; a partial one is replaced by a wider one soon. */
	http_header_add(res, "Cache-Control",
	                width == TLOG_TILE_WIDTH ? "public, max-age=31536000, immutable"
	                                         : "public, max-age=10");
	return http_respond(res, 200, "application/octet-stream", (const char *)data, len);
}
