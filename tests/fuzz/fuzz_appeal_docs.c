/*
 * fuzz_appeal_docs.c - libFuzzer harness for the request bodies of the appeal process
 * (src/api/request_docs.h): the operator's report and withdrawal (operator_request_read),
 * the filing of an appeal (appeal_filing_read), each followed by the operator's proof as the
 * handler reads it (operator_proof_read); the hearing officer's review, hearing,
 * adjournment and decision.
 * Input: one byte choosing the body (its value modulo 6: '0' report or withdrawal, '1'
 * filing, '2' review, '3' hearing, '4' adjournment, '5' decision), then the body.
 *
 * Checked (docs_check.h): every refusal names the field at fault and says why; accepted
 * texts are the members themselves, valid UTF-8 and within their limits; contested and
 * dismissed violations are ids; dismissals go with a modified decision and only with it;
 * the events are the ones the body names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docs_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void filing(struct arena *a, const char *body, size_t len, json_t *doc,
                   const struct json_error *own)
{
	static const char *const keys[] = { "licence_number", "appeal_code", "grounds",
		                            "contested_violations", NULL };
	struct appeal_filing f;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = appeal_filing_read(a, body, len, &f, &err);
	if (rc < 0) {
		fuzz_check_refusal(doc, own, rc, &err, keys, false);
		return;
	}
	if (rc != 0 || !doc || !f.body)
		abort();
	fuzz_check_string(doc, "grounds", f.grounds, false, APPEAL_GROUNDS_MAX * 4,
	                  APPEAL_GROUNDS_MAX, true);
	json_t *list = json_object_get(doc, "contested_violations");
	if (f.ncontested > GRADE_MAX_VIOLATIONS ||
	    f.ncontested != (json_is_array(list) ? json_array_size(list) : 0))
		abort();
	for (size_t i = 0; i < f.ncontested; i++)
		if (f.contested[i] < 1 ||
		    f.contested[i] != json_integer_value(json_array_get(list, i)))
			abort();
	fuzz_check_proof(a, f.body, doc);
}

static void review(struct arena *a, const char *body, size_t len, json_t *doc,
                   const struct json_error *own)
{
	static const char *const keys[] = { "action", "note", NULL };
	struct appeal_review r;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = appeal_review_read(a, body, len, &r, &err);
	if (rc < 0) {
		fuzz_check_refusal(doc, own, rc, &err, keys, false);
		return;
	}
	if (rc != 0 || !doc)
		abort();
	const char *action = json_string_value(json_object_get(doc, "action"));
	if (!action || (r.ev == APPEAL_EV_ACCEPT) != (strcmp(action, "accept") == 0) ||
	    (r.ev == APPEAL_EV_REJECT_LATE) != (strcmp(action, "reject_late") == 0))
		abort();
	fuzz_check_string(doc, "note", r.note, true, APPEAL_NOTE_MAX * 4, APPEAL_NOTE_MAX,
	                  r.ev == APPEAL_EV_REJECT_LATE);
}

static void hearing(struct arena *a, const char *body, size_t len, bool adjourn, json_t *doc,
                    const struct json_error *own)
{
	static const char *const keys[] = { "hearing_at", "reason", NULL };
	struct appeal_hearing h;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = appeal_hearing_read(a, body, len, adjourn, &h, &err);
	if (rc < 0) {
		fuzz_check_refusal(doc, own, rc, &err, keys, false);
		return;
	}
	if (rc != 0 || !doc)
		abort();
	fuzz_check_string(doc, "hearing_at", h.hearing_at, false, JSON_TIMESTAMP_MAX, 0, true);
	if (!json_timestamp_valid(h.hearing_at))
		abort();
	if (!adjourn && h.reason)
		abort();
	fuzz_check_string(doc, "reason", h.reason, !adjourn, APPEAL_NOTE_MAX * 4, APPEAL_NOTE_MAX,
	                  true);
}

static void decision(struct arena *a, const char *body, size_t len, json_t *doc,
                     const struct json_error *own)
{
	static const char *const keys[] = { "outcome", "reasons", "dismissed", NULL };
	struct appeal_decision d;
	struct json_error err;
	memset(&err, 0, sizeof(err));
	int rc = appeal_decision_read(a, body, len, &d, &err);
	if (rc < 0) {
		fuzz_check_refusal(doc, own, rc, &err, keys, false);
		return;
	}
	if (rc != 0 || !doc)
		abort();
	const char *outcome = json_string_value(json_object_get(doc, "outcome"));
	enum appeal_event ev;
	if (!outcome || appeal_outcome_parse(outcome, &ev) < 0 || ev != d.ev)
		abort();
	fuzz_check_string(doc, "reasons", d.reasons, false, APPEAL_REASONS_MAX * 4,
	                  APPEAL_REASONS_MAX, true);
	if (d.ndismissed > GRADE_MAX_VIOLATIONS || (d.ndismissed > 0) != (d.ev == APPEAL_EV_MODIFY))
		abort();
	json_t *list = json_object_get(doc, "dismissed");
	for (size_t i = 0; i < d.ndismissed; i++) {
		char field[48];
		snprintf(field, sizeof(field), "/dismissed/%zu/violation_id", i);
		json_t *item = json_array_get(list, i);
		if (d.dismissed[i].violation_id < 1 ||
		    d.dismissed[i].violation_id !=
		            json_integer_value(json_object_get(item, "violation_id")) ||
		    !d.dismissed[i].field || strcmp(d.dismissed[i].field, field) != 0)
			abort();
		fuzz_check_string(item, "reason", d.dismissed[i].reason, false,
		                  DISMISSAL_REASON_MAX * 4, DISMISSAL_REASON_MAX, true);
	}
	if (d.dismissed[d.ndismissed].violation_id != 0 || d.dismissed[d.ndismissed].reason)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const operator_keys[] = { "licence_number", "appeal_code", NULL };
	if (size < 1)
		return 0;
	const char *body = (const char *)data + 1;
	size_t len = size - 1;
	struct arena *a = arena_new();
	struct json_error own, err;
	json_t *doc = fuzz_doc(a, body, len, &own), *v;
	memset(&err, 0, sizeof(err));
	int rc;
	switch (data[0] % 6) {
	case 0:
		rc = operator_request_read(a, body, len, &v, &err);
		if (rc < 0)
			fuzz_check_refusal(doc, &own, rc, &err, operator_keys, false);
		else if (rc != 0 || !doc || !json_is_object(v))
			abort();
		else
			fuzz_check_proof(a, v, doc);
		break;
	case 1: filing(a, body, len, doc, &own); break;
	case 2: review(a, body, len, doc, &own); break;
	case 3: hearing(a, body, len, false, doc, &own); break;
	case 4: hearing(a, body, len, true, doc, &own); break;
	default: decision(a, body, len, doc, &own); break;
	}
	arena_destroy(a);
	return 0;
}
