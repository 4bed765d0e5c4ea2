/*
 * fuzz_tablet_docs.c - libFuzzer harness for the request bodies of the tablet's own routes
 * (src/api/request_docs.h): a photo (photo_doc_read, for a photo id of the longest length
 * the handler lets through, so that every problem is as long as it gets), the resolution
 * of an edit conflict (conflict_resolution_read) and an assignment (assignment_read).
 * Input: one byte choosing the body (its value modulo 3: '0' photo, '1' resolution,
 * '2' assignment), then the body.
 *
 * Checked (docs_check.h): every refusal names the field at fault and says why, a photo too
 * large (413) naming "/data"; an accepted photo is 1 to PHOTO_MAX_BYTES bytes that start as
 * its type says and hash to its "sha256", with its optional members in range; a resolution
 * is kept_server or kept_device; an inspector id is the member and at least 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/crypto.h"
#include "docs_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As long as a photo's Idempotency-Key may be (64). */
#define CLIENT_ID "0b7e3f52-photo-0001-0b7e3f52-photo-0001-0b7e3f52-photo-0001-0b7e"

static void optional_int(json_t *doc, const char *key, int64_t v, int64_t lo, int64_t hi)
{
	json_t *m = json_object_get(doc, key);
	if (!m || json_is_null(m)) {
		if (v != -1)
			abort();
	} else if (!json_is_integer(m) || json_integer_value(m) != v || v < lo || v > hi) {
		abort();
	}
}

static void photo(struct arena *a, const char *body, size_t len, json_t *doc,
                  const struct json_error *own)
{
	static const char *const keys[] = { "content_type", "sha256", "data",   "taken_at",
		                            "code",         "width",  "height", NULL };
	struct photo_doc p;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = photo_doc_read(a, body, len, CLIENT_ID, &p, &err);
	if (rc < 0) {
		fuzz_check_refusal(doc, own, rc, &err, keys, true);
		if (rc == -E2BIG && strcmp(err.field, "/data") != 0)
			abort();
		return;
	}
	if (rc != 0 || !doc)
		abort();
	fuzz_check_string(doc, "content_type", p.content_type, false, 32, 0, true);
	fuzz_check_string(doc, "sha256", p.sha256, false, SHA256_HEX_LEN, 0, true);
	fuzz_check_string(doc, "taken_at", p.taken_at, true, JSON_TIMESTAMP_MAX, 0, true);
	fuzz_check_string(doc, "code", p.code, true, 16, 0, false);
	if (p.taken_at && !json_timestamp_valid(p.taken_at))
		abort();
	optional_int(doc, "width", p.width, 1, 10000);
	optional_int(doc, "height", p.height, 1, 10000);
	if (!p.data || p.len < 1 || p.len > PHOTO_MAX_BYTES)
		abort();
	const unsigned char *d = p.data;
	if (strcmp(p.content_type, "image/jpeg") == 0) {
		if (p.len < 3 || d[0] != 0xFF || d[1] != 0xD8 || d[2] != 0xFF)
			abort();
	} else if (strcmp(p.content_type, "image/png") == 0) {
		if (p.len < 8 || memcmp(d, "\x89PNG\r\n\x1a\n", 8) != 0)
			abort();
	} else if (strcmp(p.content_type, "image/webp") == 0) {
		if (p.len < 12 || memcmp(d, "RIFF", 4) != 0 || memcmp(d + 8, "WEBP", 4) != 0)
			abort();
	} else {
		abort();
	}
	char hash[SHA256_HEX_LEN + 1];
	sha256_hex(p.data, p.len, hash);
	if (strcmp(hash, p.sha256) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const resolution_keys[] = { "resolution", NULL };
	static const char *const assignment_keys[] = { "inspector_id", NULL };
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	struct arena *a = arena_new();
	struct json_error own, err;
	json_t *doc = fuzz_doc(a, body, len, &own);
	memset(&err, 0, sizeof(err));
	int rc;
	switch (data[0] % 3) {
	case 0: photo(a, body, len, doc, &own); break;
	case 1: {
		const char *r = NULL;
		rc = conflict_resolution_read(a, body, len, &r, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, resolution_keys, false);
			break;
		}
		if (rc != 0 || !doc)
			abort();
		fuzz_check_string(doc, "resolution", r, false, 32, 0, true);
		if (strcmp(r, "kept_server") != 0 && strcmp(r, "kept_device") != 0)
			abort();
		break;
	}
	default: {
		int64_t id = 0;
		rc = assignment_read(a, body, len, &id, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, assignment_keys, false);
			break;
		}
		fuzz_check_id(doc, "inspector_id", rc, id);
		break;
	}
	}
	arena_destroy(a);
	return 0;
}
