/*
 * fuzz_reply_docs.c - libFuzzer harness for the request bodies of the operator's right to
 * reply (src/api/request_docs.h): the operator's statement (operator_reply_read, then the
 * operator's proof as the handler reads it) and a clerk's moderation of it
 * (reply_moderation_read).
 * Input: one byte choosing the body (its value modulo 2: '0' statement, '1' moderation),
 * then the body.
 *
 * Checked (docs_check.h): every refusal names the field at fault and says why; an accepted
 * statement and reason have more than white space, are the members themselves, valid UTF-8
 * and within their limits; a moderation removes the statement exactly when its text has
 * nothing but white space.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docs_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool blank(const char *s)
{
	return !s || strspn(s, " \t\r\n") == strlen(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const reply_keys[] = { "licence_number", "appeal_code", "text", NULL };
	static const char *const moderation_keys[] = { "text", "reason", NULL };
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	struct arena *a = arena_new();
	struct json_error own, err;
	json_t *doc = fuzz_doc(a, body, len, &own);
	memset(&err, 0, sizeof(err));
	int rc;
	if (data[0] % 2 == 0) {
		struct operator_reply r;
		rc = operator_reply_read(a, body, len, &r, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, reply_keys, false);
		} else {
			if (rc != 0 || !doc || !r.body)
				abort();
			fuzz_check_string(doc, "text", r.text, false, APPEAL_REPLY_MAX * 4,
			                  APPEAL_REPLY_MAX, true);
			if (blank(r.text))
				abort();
			fuzz_check_proof(a, r.body, doc);
		}
	} else {
		struct reply_moderation m;
		rc = reply_moderation_read(a, body, len, &m, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, moderation_keys, false);
		} else {
			if (rc != 0 || !doc)
				abort();
			fuzz_check_string(doc, "reason", m.reason, false, MODERATION_REASON_MAX * 4,
			                  MODERATION_REASON_MAX, true);
			fuzz_check_string(doc, "text", m.text, true, APPEAL_REPLY_MAX * 4,
			                  APPEAL_REPLY_MAX, false);
			if (blank(m.reason) || m.removed != blank(m.text))
				abort();
		}
	}
	arena_destroy(a);
	return 0;
}
