/*
 * fuzz_rerating_docs.c - libFuzzer harness for the request bodies of re-rating visits
 * (src/api/request_docs.h): the operator's request (rerating_request_read, then the
 * operator's proof as the handler reads it), the inspector's schedule
 * (rerating_schedule_read) and the inspection that made the visit (rerating_inspected_read).
 * Input: one byte choosing the body (its value modulo 3: '0' request, '1' schedule,
 * '2' inspected), then the body.
 *
 * Checked (docs_check.h): every refusal names the field at fault and says why; accepted
 * improvements are the member itself, valid UTF-8, not empty and within their limits; an
 * accepted visit date is a date like 2026-05-01 with a month and a day in range; an
 * accepted inspection id is the member and at least 1.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "docs_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const request_keys[] = { "licence_number", "appeal_code", "improvements",
		                                    NULL };
	static const char *const schedule_keys[] = { "visit_on", NULL };
	static const char *const inspected_keys[] = { "inspection_id", NULL };
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
	case 0: {
		struct rerating_request r;
		rc = rerating_request_read(a, body, len, &r, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, request_keys, false);
			break;
		}
		if (rc != 0 || !doc || !r.body)
			abort();
		fuzz_check_string(doc, "improvements", r.improvements, false,
		                  APPEAL_EVIDENCE_MAX * 4, APPEAL_EVIDENCE_MAX, true);
		fuzz_check_proof(a, r.body, doc);
		break;
	}
	case 1: {
		const char *on = NULL;
		rc = rerating_schedule_read(a, body, len, &on, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, schedule_keys, false);
			break;
		}
		if (rc != 0 || !doc)
			abort();
		fuzz_check_string(doc, "visit_on", on, false, 10, 0, true);
		if (strlen(on) != 10 || !digits(on, 4) || on[4] != '-' || !digits(on + 5, 2) ||
		    on[7] != '-' || !digits(on + 8, 2))
			abort();
		int month = atoi(on + 5), day = atoi(on + 8);
		if (month < 1 || month > 12 || day < 1 || day > 31)
			abort();
		break;
	}
	default: {
		int64_t id = 0;
		rc = rerating_inspected_read(a, body, len, &id, &err);
		if (rc < 0) {
			fuzz_check_refusal(doc, &own, rc, &err, inspected_keys, false);
			break;
		}
		fuzz_check_id(doc, "inspection_id", rc, id);
		break;
	}
	}
	arena_destroy(a);
	return 0;
}
