/*
 * test_request_docs.c - cmocka tests for the request body readers of src/api/request_docs.c:
 * the operator's proof and the bodies of appeals, replies, re-rating requests and the
 * tablet's photos, conflict resolutions and assignments. Valid bodies, every refusal with
 * the field it names and its detail, and each limit at and just over its boundary (in
 * characters and in bytes).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/request_docs.h"
#include "core/buf.h"
#include "core/crypto.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static struct arena *A;
static struct json_error err;

static int setup(void **state)
{
	(void)state;
	A = arena_new();
	memset(&err, 0, sizeof(err));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_destroy(A);
	return 0;
}

/* @unit @n times over. */
static char *rep(const char *unit, size_t n)
{
	size_t u = strlen(unit);
	char *s = arena_alloc(A, u * n + 1);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	return s;
}

#define DOC(...) arena_printf(A, __VA_ARGS__)

/* The reader refused with -EINVAL naming @f, the detail exactly @d. */
#define assert_refused(rc, f, d)                                                                   \
	do {                                                                                       \
		assert_int_equal((rc), -EINVAL);                                                   \
		assert_string_equal(err.field, (f));                                               \
		assert_string_equal(err.detail, (d));                                              \
		memset(&err, 0, sizeof(err));                                                      \
	} while (0)

/* ---- the operator's proof */

static int proof(const char *body, struct operator_proof *p)
{
	json_t *v;
	int rc = operator_request_read(A, body, strlen(body), &v, &err);
	if (rc < 0)
		return rc;
	return operator_proof_read(A, v, p, &err);
}

static void test_operator_proof(void **state)
{
	(void)state;
	struct operator_proof p;
	assert_int_equal(
	        proof("{\"licence_number\":\"  n-1 \",\"appeal_code\":\"abcde-fghjk\"}", &p), 0);
	assert_string_equal(p.licence, "n-1");
	assert_string_equal(p.licence_key, "n-1");
	assert_string_equal(p.code, "ABCDEFGHJK");
	assert_int_equal(p.code_len, APPEAL_CODE_LEN);

	/* The licence keeps its case; wrong codes are counted by the lower-cased key. */
	assert_int_equal(proof("{\"licence_number\":\"NYC-Ab 7\",\"appeal_code\":\" ab cd \"}", &p),
	                 0);
	assert_string_equal(p.licence, "NYC-Ab 7");
	assert_string_equal(p.licence_key, "nyc-ab 7");
	assert_string_equal(p.code, "ABCD");
	assert_int_equal(p.code_len, 4);

	/* Only ASCII letters are lowered; a licence of spaces is empty (no report has it). */
	assert_int_equal(proof("{\"licence_number\":\"\\u00c9T-1\",\"appeal_code\":\"\"}", &p), 0);
	assert_string_equal(p.licence_key, "\xc3\x89t-1");
	assert_int_equal(p.code_len, 0);
	assert_int_equal(proof("{\"licence_number\":\"   \",\"appeal_code\":\"x\"}", &p), 0);
	assert_string_equal(p.licence, "");
	assert_string_equal(p.licence_key, "");

	/* Limits in bytes: LICENCE_MAX and APPEAL_CODE_INPUT_MAX. */
	assert_int_equal(proof(DOC("{\"licence_number\":\"%s\",\"appeal_code\":\"%s%s\"}",
	                           rep("L", LICENCE_MAX), rep("-", APPEAL_CODE_INPUT_MAX - 10),
	                           "ABCDEFGHJK"),
	                       &p),
	                 0);
	assert_int_equal(strlen(p.licence), LICENCE_MAX);
	assert_string_equal(p.code, "ABCDEFGHJK");
	assert_refused(proof(DOC("{\"licence_number\":\"%s\",\"appeal_code\":\"A\"}",
	                         rep("L", LICENCE_MAX + 1)),
	                     &p),
	               "/licence_number", "\"licence_number\" is longer than 64 bytes.");
	assert_refused(proof(DOC("{\"licence_number\":\"L\",\"appeal_code\":\"%s\"}",
	                         rep("A", APPEAL_CODE_INPUT_MAX + 1)),
	                     &p),
	               "/appeal_code", "\"appeal_code\" is longer than 40 bytes.");

	/* Both required, the licence named first; strings only. */
	assert_refused(proof("{}", &p), "/licence_number", "\"licence_number\" is required.");
	assert_refused(proof("{\"licence_number\":\"L\"}", &p), "/appeal_code",
	               "\"appeal_code\" is required.");
	assert_refused(proof("{\"licence_number\":null,\"appeal_code\":\"A\"}", &p),
	               "/licence_number", "\"licence_number\" is required.");
	assert_refused(proof("{\"licence_number\":7,\"appeal_code\":\"A\"}", &p), "/licence_number",
	               "\"licence_number\" must be a string.");
	assert_refused(proof("{\"licence_number\":\"L\",\"appeal_code\":42}", &p), "/appeal_code",
	               "\"appeal_code\" must be a string.");

	/* The report and withdrawal bodies have nothing else. */
	assert_refused(
	        proof("{\"licence_number\":\"L\",\"appeal_code\":\"A\",\"grounds\":\"x\"}", &p),
	        "/grounds", "Unknown field \"grounds\".");
}

/* Every reader refuses what is not one JSON object with "body" (a 400). */
static int r_operator(const char *b, size_t n)
{
	json_t *v;
	return operator_request_read(A, b, n, &v, &err);
}
static int r_filing(const char *b, size_t n)
{
	struct appeal_filing f;
	return appeal_filing_read(A, b, n, &f, &err);
}
static int r_review(const char *b, size_t n)
{
	struct appeal_review r;
	return appeal_review_read(A, b, n, &r, &err);
}
static int r_hearing(const char *b, size_t n)
{
	struct appeal_hearing h;
	return appeal_hearing_read(A, b, n, false, &h, &err);
}
static int r_adjourn(const char *b, size_t n)
{
	struct appeal_hearing h;
	return appeal_hearing_read(A, b, n, true, &h, &err);
}
static int r_decision(const char *b, size_t n)
{
	struct appeal_decision d;
	return appeal_decision_read(A, b, n, &d, &err);
}
static int r_reply(const char *b, size_t n)
{
	struct operator_reply r;
	return operator_reply_read(A, b, n, &r, &err);
}
static int r_moderation(const char *b, size_t n)
{
	struct reply_moderation m;
	return reply_moderation_read(A, b, n, &m, &err);
}
static int r_rerating(const char *b, size_t n)
{
	struct rerating_request r;
	return rerating_request_read(A, b, n, &r, &err);
}
static int r_schedule(const char *b, size_t n)
{
	const char *s;
	return rerating_schedule_read(A, b, n, &s, &err);
}
static int r_inspected(const char *b, size_t n)
{
	int64_t i;
	return rerating_inspected_read(A, b, n, &i, &err);
}
static int r_photo(const char *b, size_t n)
{
	struct photo_doc p;
	return photo_doc_read(A, b, n, "0b7e3f52-photo-0001", &p, &err);
}
static int r_resolution(const char *b, size_t n)
{
	const char *s;
	return conflict_resolution_read(A, b, n, &s, &err);
}
static int r_assignment(const char *b, size_t n)
{
	int64_t i;
	return assignment_read(A, b, n, &i, &err);
}

static void test_not_an_object(void **state)
{
	(void)state;
	int (*const readers[])(const char *, size_t) = {
		r_operator,  r_filing, r_review,     r_hearing,    r_adjourn,
		r_decision,  r_reply,  r_moderation, r_rerating,   r_schedule,
		r_inspected, r_photo,  r_resolution, r_assignment,
	};
	static const char *const bodies[] = {
		"[]", "[{}]", "\"x\"", "{", "{}x", "{\"a\":1,\"a\":2}"
	};
	for (size_t i = 0; i < N_OF(readers); i++) {
		assert_refused(readers[i]("", 0), "body",
		               "The request body is empty; a JSON object was expected.");
		for (size_t j = 0; j < N_OF(bodies); j++) {
			assert_int_equal(readers[i](bodies[j], strlen(bodies[j])), -EINVAL);
			assert_string_equal(err.field, "body");
		}
		/* "[]" is JSON, just not an object. */
		assert_refused(readers[i]("[]", 2), "body", "A JSON object was expected.");
		/* A member none of them has. */
		assert_refused(readers[i]("{\"zz\":1}", 8), "/zz", "Unknown field \"zz\".");
		/* Bytes after a NUL are not ignored. */
		assert_int_equal(readers[i]("{}\0{}", 5), -EINVAL);
		assert_string_equal(err.field, "body");
	}
}

/* ---- appeals */

static int filing(const char *body, struct appeal_filing *f)
{
	return appeal_filing_read(A, body, strlen(body), f, &err);
}

static void test_appeal_filing(void **state)
{
	(void)state;
	struct appeal_filing f;
	assert_int_equal(filing("{\"licence_number\":\"n-1 \",\"appeal_code\":\"x\",\"grounds\":"
	                        "\"The droppings were old.\",\"contested_violations\":[3,7]}",
	                        &f),
	                 0);
	assert_string_equal(f.grounds, "The droppings were old.");
	assert_int_equal(f.ncontested, 2);
	assert_int_equal(f.contested[0], 3);
	assert_int_equal(f.contested[1], 7);
	assert_non_null(json_object_get(f.body, "licence_number"));
	/* The proof is read afterwards: its absence is not the filing's to refuse. */
	assert_int_equal(filing("{\"grounds\":\"x\"}", &f), 0);
	assert_int_equal(f.ncontested, 0);
	assert_int_equal(filing("{\"grounds\":\"x\",\"contested_violations\":null}", &f), 0);
	assert_int_equal(f.ncontested, 0);
	assert_int_equal(filing("{\"grounds\":\"x\",\"contested_violations\":[]}", &f), 0);
	assert_int_equal(
	        filing("{\"grounds\":\"x\",\"contested_violations\":[9223372036854775807]}", &f),
	        0);
	assert_int_equal(f.contested[0], INT64_MAX);

	assert_refused(filing("{}", &f), "/grounds", "\"grounds\" is required.");
	assert_refused(filing("{\"grounds\":1}", &f), "/grounds", "\"grounds\" must be a string.");
	assert_refused(filing("{\"grounds\":\"\"}", &f), "/grounds",
	               "Say why you contest the result.");
	/* Grounds come before the list and before anything else. */
	assert_refused(filing("{\"grounds\":\"\",\"contested_violations\":[0]}", &f), "/grounds",
	               "Say why you contest the result.");

	/* APPEAL_GROUNDS_MAX characters, first checked as four bytes a character. */
	assert_int_equal(filing(DOC("{\"grounds\":\"%s\"}", rep("a", APPEAL_GROUNDS_MAX)), &f), 0);
	assert_int_equal(filing(DOC("{\"grounds\":\"%s\"}", rep("\xf0\x9f\x98\x80", 4000)), &f), 0);
	assert_int_equal(appeal_text_length(f.grounds), 4000);
	assert_refused(filing(DOC("{\"grounds\":\"%s\"}", rep("a", APPEAL_GROUNDS_MAX + 1)), &f),
	               "/grounds", "At most 4000 characters, please.");
	assert_refused(filing(DOC("{\"grounds\":\"%s\"}", rep("\xc3\xa9", 4001)), &f), "/grounds",
	               "At most 4000 characters, please.");
	assert_refused(filing(DOC("{\"grounds\":\"%sa\"}", rep("\xf0\x9f\x98\x80", 4000)), &f),
	               "/grounds", "\"grounds\" is longer than 16000 bytes.");

	/* Contested violations: ids, at most GRADE_MAX_VIOLATIONS of them. */
	struct buf b = BUF_INIT;
	buf_addstr(&b, "{\"grounds\":\"x\",\"contested_violations\":[1");
	for (int i = 2; i <= GRADE_MAX_VIOLATIONS; i++)
		buf_addf(&b, ",%d", i);
	assert_int_equal(filing(DOC("%s]}", b.data), &f), 0);
	assert_int_equal(f.ncontested, GRADE_MAX_VIOLATIONS);
	assert_int_equal(f.contested[GRADE_MAX_VIOLATIONS - 1], GRADE_MAX_VIOLATIONS);
	assert_refused(filing(DOC("%s,65]}", b.data), &f), "/contested_violations",
	               "\"contested_violations\" has more than 64 items.");
	buf_release(&b);
	assert_refused(filing("{\"grounds\":\"x\",\"contested_violations\":3}", &f),
	               "/contested_violations", "\"contested_violations\" must be an array.");
	static const char *const bad[] = { "0", "-1", "\"2\"", "1.5", "null", "{}", "[1]", "true" };
	for (size_t i = 0; i < N_OF(bad); i++) {
		assert_refused(
		        filing(DOC("{\"grounds\":\"x\",\"contested_violations\":[%s]}", bad[i]),
		               &f),
		        "/contested_violations/0", "Name violations by their id.");
		assert_refused(
		        filing(DOC("{\"grounds\":\"x\",\"contested_violations\":[4,5,%s]}", bad[i]),
		               &f),
		        "/contested_violations/2", "Name violations by their id.");
	}
	assert_refused(filing("{\"grounds\":\"x\",\"extra\":1}", &f), "/extra",
	               "Unknown field \"extra\".");
}

static int review(const char *body, struct appeal_review *r)
{
	return appeal_review_read(A, body, strlen(body), r, &err);
}

static void test_appeal_review(void **state)
{
	(void)state;
	struct appeal_review r;
	assert_int_equal(review("{\"action\":\"accept\"}", &r), 0);
	assert_int_equal(r.ev, APPEAL_EV_ACCEPT);
	assert_null(r.note);
	assert_int_equal(review("{\"action\":\"accept\",\"note\":\"\"}", &r), 0);
	assert_string_equal(r.note, "");
	assert_int_equal(review("{\"action\":\"reject_late\",\"note\":\"Filed on day 30\"}", &r),
	                 0);
	assert_int_equal(r.ev, APPEAL_EV_REJECT_LATE);
	assert_string_equal(r.note, "Filed on day 30");

	assert_refused(review("{\"action\":\"reject_late\"}", &r), "/note",
	               "Say why the appeal is late.");
	assert_refused(review("{\"action\":\"reject_late\",\"note\":\"\"}", &r), "/note",
	               "Say why the appeal is late.");
	assert_refused(review("{\"action\":\"reject_late\",\"note\":null}", &r), "/note",
	               "Say why the appeal is late.");
	assert_refused(review("{}", &r), "/action", "\"action\" is required.");
	assert_refused(review("{\"action\":\"withdraw\"}", &r), "/action",
	               "\"action\" must be accept or reject_late.");
	assert_refused(review("{\"action\":\"ACCEPT\"}", &r), "/action",
	               "\"action\" must be accept or reject_late.");
	assert_refused(review(DOC("{\"action\":\"%s\"}", rep("a", 17)), &r), "/action",
	               "\"action\" is longer than 16 bytes.");
	assert_refused(review("{\"action\":\"accept\",\"note\":3}", &r), "/note",
	               "\"note\" must be a string.");

	/* APPEAL_NOTE_MAX characters; a note too long is named before a wrong action. */
	assert_int_equal(review(DOC("{\"action\":\"reject_late\",\"note\":\"%s\"}",
	                            rep("\xc3\xa9", APPEAL_NOTE_MAX)),
	                        &r),
	                 0);
	assert_refused(
	        review(DOC("{\"action\":\"nope\",\"note\":\"%s\"}", rep("a", APPEAL_NOTE_MAX + 1)),
	               &r),
	        "/note", "At most 2000 characters, please.");
	assert_refused(review(DOC("{\"action\":\"accept\",\"note\":\"%s\"}",
	                          rep("a", APPEAL_NOTE_MAX * 4 + 1)),
	                      &r),
	               "/note", "\"note\" is longer than 8000 bytes.");
}

static int hearing(const char *body, bool adjourn, struct appeal_hearing *h)
{
	return appeal_hearing_read(A, body, strlen(body), adjourn, h, &err);
}

static void test_appeal_hearing(void **state)
{
	(void)state;
	struct appeal_hearing h;
	assert_int_equal(hearing("{\"hearing_at\":\"2026-05-01T09:30:00Z\"}", false, &h), 0);
	assert_string_equal(h.hearing_at, "2026-05-01T09:30:00Z");
	assert_null(h.reason);
	assert_int_equal(
	        hearing("{\"hearing_at\":\"2026-05-01T09:30:00Z\",\"reason\":null}", false, &h), 0);
	assert_int_equal(
	        hearing("{\"hearing_at\":\"2026-05-01T09:30+02:00\",\"reason\":\"Ill\"}", true, &h),
	        0);
	assert_string_equal(h.reason, "Ill");

	assert_refused(hearing("{}", false, &h), "/hearing_at", "\"hearing_at\" is required.");
	assert_refused(hearing("{\"hearing_at\":\"soon\"}", false, &h), "/hearing_at",
	               "Use a timestamp like 2026-05-01T09:30:00Z.");
	assert_refused(
	        hearing("{\"hearing_at\":\"2026-13-01T09:30:00Z\",\"reason\":\"x\"}", true, &h),
	        "/hearing_at", "Use a timestamp like 2026-05-01T09:30:00Z.");
	assert_refused(hearing(DOC("{\"hearing_at\":\"2026-05-01T09:30:00.%sZ\"}", rep("0", 20)),
	                       false, &h),
	               "/hearing_at", "\"hearing_at\" is longer than 40 bytes.");
	assert_refused(
	        hearing("{\"hearing_at\":\"2026-05-01T09:30:00Z\",\"reason\":\"x\"}", false, &h),
	        "/reason", "Only an adjournment has a reason.");
	assert_refused(hearing("{\"hearing_at\":\"2026-05-01T09:30:00Z\"}", true, &h), "/reason",
	               "\"reason\" is required.");
	assert_refused(
	        hearing("{\"hearing_at\":\"2026-05-01T09:30:00Z\",\"reason\":\"\"}", true, &h),
	        "/reason", "Say why the hearing is adjourned.");
	assert_int_equal(hearing(DOC("{\"hearing_at\":\"2026-05-01T09:30:00Z\",\"reason\":\"%s\"}",
	                             rep("a", APPEAL_NOTE_MAX)),
	                         true, &h),
	                 0);
	assert_refused(hearing(DOC("{\"hearing_at\":\"2026-05-01T09:30:00Z\",\"reason\":\"%s\"}",
	                           rep("a", APPEAL_NOTE_MAX + 1)),
	                       true, &h),
	               "/reason", "At most 2000 characters, please.");
	/* A schedule names a reason too long in bytes before refusing it outright. */
	assert_refused(hearing(DOC("{\"hearing_at\":\"2026-05-01T09:30:00Z\",\"reason\":\"%s\"}",
	                           rep("a", APPEAL_NOTE_MAX * 4 + 1)),
	                       false, &h),
	               "/reason", "\"reason\" is longer than 8000 bytes.");
}

static int decision(const char *body, struct appeal_decision *d)
{
	return appeal_decision_read(A, body, strlen(body), d, &err);
}

static void test_appeal_decision(void **state)
{
	(void)state;
	struct appeal_decision d;
	assert_int_equal(decision("{\"outcome\":\"upheld\",\"reasons\":\"Fine\"}", &d), 0);
	assert_int_equal(d.ev, APPEAL_EV_UPHOLD);
	assert_string_equal(d.reasons, "Fine");
	assert_int_equal(d.ndismissed, 0);
	assert_non_null(d.dismissed);
	assert_int_equal(
	        decision("{\"outcome\":\"upheld\",\"reasons\":\"x\",\"dismissed\":[]}", &d), 0);
	assert_int_equal(decision("{\"outcome\":\"overturned\",\"reasons\":\"No\"}", &d), 0);
	assert_int_equal(d.ev, APPEAL_EV_OVERTURN);
	assert_int_equal(
	        decision("{\"outcome\":\"modified\",\"reasons\":\"Records\",\"dismissed\":["
	                 "{\"violation_id\":5,\"reason\":\"Pest records\"},"
	                 "{\"reason\":\"Old\",\"violation_id\":9}]}",
	                 &d),
	        0);
	assert_int_equal(d.ev, APPEAL_EV_MODIFY);
	assert_int_equal(d.ndismissed, 2);
	assert_int_equal(d.dismissed[0].violation_id, 5);
	assert_string_equal(d.dismissed[0].reason, "Pest records");
	assert_string_equal(d.dismissed[0].field, "/dismissed/0/violation_id");
	assert_int_equal(d.dismissed[1].violation_id, 9);
	assert_string_equal(d.dismissed[1].field, "/dismissed/1/violation_id");
	assert_int_equal(d.dismissed[2].violation_id, 0);
	assert_null(d.dismissed[2].reason);

	assert_refused(decision("{\"reasons\":\"x\"}", &d), "/outcome", "\"outcome\" is required.");
	assert_refused(decision("{\"outcome\":\"upheld\"}", &d), "/reasons",
	               "\"reasons\" is required.");
	assert_refused(decision("{\"outcome\":\"decided\",\"reasons\":\"x\"}", &d), "/outcome",
	               "\"outcome\" must be upheld, modified or overturned.");
	assert_refused(decision(DOC("{\"outcome\":\"%s\",\"reasons\":\"x\"}", rep("o", 17)), &d),
	               "/outcome", "\"outcome\" is longer than 16 bytes.");
	assert_refused(decision("{\"outcome\":\"upheld\",\"reasons\":\"\"}", &d), "/reasons",
	               "A decision needs written reasons; they are published.");
	assert_refused(decision("{\"outcome\":\"upheld\",\"reasons\":\"x\",\"dismissed\":{}}", &d),
	               "/dismissed", "\"dismissed\" must be an array.");

	/* APPEAL_REASONS_MAX characters. */
	assert_int_equal(decision(DOC("{\"outcome\":\"upheld\",\"reasons\":\"%s\"}",
	                              rep("r", APPEAL_REASONS_MAX)),
	                          &d),
	                 0);
	assert_refused(decision(DOC("{\"outcome\":\"upheld\",\"reasons\":\"%s\"}",
	                            rep("r", APPEAL_REASONS_MAX + 1)),
	                        &d),
	               "/reasons", "At most 4000 characters, please.");
	assert_refused(decision(DOC("{\"outcome\":\"upheld\",\"reasons\":\"%s\"}",
	                            rep("r", APPEAL_REASONS_MAX * 4 + 1)),
	                        &d),
	               "/reasons", "\"reasons\" is longer than 16000 bytes.");

	/* Dismissals go with a modified decision, and only with it. */
	assert_refused(decision("{\"outcome\":\"modified\",\"reasons\":\"x\"}", &d), "/dismissed",
	               "A modified decision names the violations it dismisses.");
	assert_refused(
	        decision("{\"outcome\":\"modified\",\"reasons\":\"x\",\"dismissed\":[]}", &d),
	        "/dismissed", "A modified decision names the violations it dismisses.");
	assert_refused(
	        decision("{\"outcome\":\"overturned\",\"reasons\":\"x\",\"dismissed\":[{}]}", &d),
	        "/dismissed", "Only a modified decision dismisses violations.");

	/* Each dismissal: an object with an id and a reason. */
	const char *head = "{\"outcome\":\"modified\",\"reasons\":\"x\",\"dismissed\":["
	                   "{\"violation_id\":1,\"reason\":\"ok\"},";
	assert_refused(decision(DOC("%s3]}", head), &d), "/dismissed/1",
	               "A JSON object was expected.");
	assert_refused(decision(DOC("%s{\"violation_id\":2,\"reason\":\"y\",\"x\":1}]}", head), &d),
	               "/dismissed/1/x", "Unknown field \"x\".");
	assert_refused(decision(DOC("%s{\"reason\":\"y\"}]}", head), &d),
	               "/dismissed/1/violation_id", "\"violation_id\" is required.");
	assert_refused(decision(DOC("%s{\"violation_id\":0,\"reason\":\"y\"}]}", head), &d),
	               "/dismissed/1/violation_id",
	               "\"violation_id\" must be from 1 to 9223372036854775807.");
	assert_refused(decision(DOC("%s{\"violation_id\":\"2\",\"reason\":\"y\"}]}", head), &d),
	               "/dismissed/1/violation_id", "\"violation_id\" must be a whole number.");
	assert_refused(decision(DOC("%s{\"violation_id\":2}]}", head), &d), "/dismissed/1/reason",
	               "\"reason\" is required.");
	assert_refused(decision(DOC("%s{\"violation_id\":2,\"reason\":\"\"}]}", head), &d),
	               "/dismissed/1/reason", "Say why the violation is dismissed.");
	assert_int_equal(decision(DOC("%s{\"violation_id\":2,\"reason\":\"%s\"}]}", head,
	                              rep("\xc3\xa9", DISMISSAL_REASON_MAX)),
	                          &d),
	                 0);
	assert_refused(decision(DOC("%s{\"violation_id\":2,\"reason\":\"%s\"}]}", head,
	                            rep("y", DISMISSAL_REASON_MAX + 1)),
	                        &d),
	               "/dismissed/1/reason", "At most 2000 characters, please.");
	assert_refused(decision(DOC("%s{\"violation_id\":2,\"reason\":\"%s\"}]}", head,
	                            rep("y", DISMISSAL_REASON_MAX * 4 + 1)),
	                        &d),
	               "/dismissed/1/reason", "\"reason\" is longer than 8000 bytes.");

	/* At most GRADE_MAX_VIOLATIONS dismissals. */
	struct buf b = BUF_INIT;
	buf_addstr(&b, "{\"outcome\":\"modified\",\"reasons\":\"x\",\"dismissed\":[");
	for (int i = 1; i <= GRADE_MAX_VIOLATIONS; i++)
		buf_addf(&b, "%s{\"violation_id\":%d,\"reason\":\"r\"}", i > 1 ? "," : "", i);
	assert_int_equal(decision(DOC("%s]}", b.data), &d), 0);
	assert_int_equal(d.ndismissed, GRADE_MAX_VIOLATIONS);
	assert_string_equal(d.dismissed[63].field, "/dismissed/63/violation_id");
	assert_refused(decision(DOC("%s,{\"violation_id\":65,\"reason\":\"r\"}]}", b.data), &d),
	               "/dismissed", "\"dismissed\" has more than 64 items.");
	buf_release(&b);
}

/* ---- replies */

static int reply(const char *body, struct operator_reply *r)
{
	return operator_reply_read(A, body, strlen(body), r, &err);
}

static void test_operator_reply(void **state)
{
	(void)state;
	struct operator_reply r;
	assert_int_equal(
	        reply("{\"licence_number\":\"N-7\",\"appeal_code\":\"A\",\"text\":\"We fixed "
	              "the floor drain the same day.\"}",
	              &r),
	        0);
	assert_string_equal(r.text, "We fixed the floor drain the same day.");
	assert_non_null(json_object_get(r.body, "appeal_code"));
	assert_int_equal(reply("{\"text\":\" x \"}", &r), 0);

	assert_refused(reply("{}", &r), "/text", "\"text\" is required.");
	assert_refused(reply("{\"text\":[]}", &r), "/text", "\"text\" must be a string.");
	assert_refused(reply("{\"text\":\"\"}", &r), "/text", "Write the statement to publish.");
	assert_refused(reply("{\"text\":\" \\t\\r\\n \"}", &r), "/text",
	               "Write the statement to publish.");
	assert_int_equal(reply(DOC("{\"text\":\"%s\"}", rep("\xe2\x82\xac", APPEAL_REPLY_MAX)), &r),
	                 0);
	assert_refused(reply(DOC("{\"text\":\"%02001d\"}", 0), &r), "/text",
	               "A reply has at most 2000 characters.");
	assert_refused(reply(DOC("{\"text\":\"%s\"}", rep("x", APPEAL_REPLY_MAX * 4 + 1)), &r),
	               "/text", "\"text\" is longer than 8000 bytes.");
	assert_refused(reply("{\"text\":\"x\",\"grounds\":\"y\"}", &r), "/grounds",
	               "Unknown field \"grounds\".");
}

static int moderation(const char *body, struct reply_moderation *m)
{
	return reply_moderation_read(A, body, strlen(body), m, &err);
}

static void test_reply_moderation(void **state)
{
	(void)state;
	struct reply_moderation m;
	assert_int_equal(
	        moderation("{\"text\":\"We fixed it. [removed]\",\"reason\":\"Insult\"}", &m), 0);
	assert_string_equal(m.text, "We fixed it. [removed]");
	assert_string_equal(m.reason, "Insult");
	assert_false(m.removed);
	assert_int_equal(moderation("{\"reason\":\"Withdrawn at the owner's request\"}", &m), 0);
	assert_null(m.text);
	assert_true(m.removed);
	assert_int_equal(moderation("{\"text\":\" \\n\",\"reason\":\"x\"}", &m), 0);
	assert_true(m.removed);
	assert_int_equal(moderation("{\"text\":null,\"reason\":\"x\"}", &m), 0);
	assert_true(m.removed);

	assert_refused(moderation("{\"text\":\"x\"}", &m), "/reason", "\"reason\" is required.");
	assert_refused(moderation("{\"reason\":\"\"}", &m), "/reason",
	               "Say why the statement is changed.");
	assert_refused(moderation("{\"reason\":\"\\t \"}", &m), "/reason",
	               "Say why the statement is changed.");
	assert_refused(moderation("{\"text\":1,\"reason\":\"x\"}", &m), "/text",
	               "\"text\" must be a string.");
	assert_int_equal(
	        moderation(DOC("{\"text\":\"%s\",\"reason\":\"%s\"}", rep("t", APPEAL_REPLY_MAX),
	                       rep("r", MODERATION_REASON_MAX)),
	                   &m),
	        0);
	/* The reason is named before the text. */
	assert_refused(
	        moderation(DOC("{\"text\":\"%s\",\"reason\":\"%s\"}",
	                       rep("t", APPEAL_REPLY_MAX + 1), rep("r", MODERATION_REASON_MAX + 1)),
	                   &m),
	        "/reason", "At most 2000 characters, please.");
	assert_refused(moderation(DOC("{\"text\":\"%s\",\"reason\":\"x\"}",
	                              rep("t", APPEAL_REPLY_MAX + 1)),
	                          &m),
	               "/text", "A reply has at most 2000 characters.");
	assert_refused(
	        moderation(DOC("{\"reason\":\"%s\"}", rep("r", MODERATION_REASON_MAX * 4 + 1)), &m),
	        "/reason", "\"reason\" is longer than 8000 bytes.");
}

/* ---- re-rating requests */

static int rerating(const char *body, struct rerating_request *r)
{
	return rerating_request_read(A, body, strlen(body), r, &err);
}

static void test_rerating_request(void **state)
{
	(void)state;
	struct rerating_request r;
	assert_int_equal(rerating("{\"licence_number\":\"U-1\",\"appeal_code\":\"A\","
	                          "\"improvements\":\"New hand basin fitted by the bins.\"}",
	                          &r),
	                 0);
	assert_string_equal(r.improvements, "New hand basin fitted by the bins.");
	assert_non_null(json_object_get(r.body, "licence_number"));

	assert_refused(rerating("{}", &r), "/improvements", "\"improvements\" is required.");
	assert_refused(rerating("{\"improvements\":false}", &r), "/improvements",
	               "\"improvements\" must be a string.");
	assert_refused(rerating("{\"improvements\":\"\"}", &r), "/improvements",
	               "Say what was improved, so the inspector knows what to check.");
	assert_int_equal(rerating(DOC("{\"improvements\":\"%s\"}",
	                              rep("\xf0\x9f\x94\xa7", APPEAL_EVIDENCE_MAX)),
	                          &r),
	                 0);
	assert_refused(
	        rerating(DOC("{\"improvements\":\"%s\"}", rep("i", APPEAL_EVIDENCE_MAX + 1)), &r),
	        "/improvements", "At most 4000 characters, please.");
	assert_refused(
	        rerating(DOC("{\"improvements\":\"%s\"}", rep("i", APPEAL_EVIDENCE_MAX * 4 + 1)),
	                 &r),
	        "/improvements", "\"improvements\" is longer than 16000 bytes.");
}

static void test_rerating_staff(void **state)
{
	(void)state;
	const char *on = NULL;
	int64_t id = 0;
#define SCHEDULE(s) rerating_schedule_read(A, s, strlen(s), &on, &err)
	assert_int_equal(SCHEDULE("{\"visit_on\":\"2026-05-01\"}"), 0);
	assert_string_equal(on, "2026-05-01");
	assert_int_equal(SCHEDULE("{\"visit_on\":\"2026-12-31\"}"), 0);
	assert_int_equal(SCHEDULE("{\"visit_on\":\"2028-02-29\"}"), 0);
	/* Days the calendar does not have are refused here, at the field, not by the database. */
	static const char *const bad[] = { "2026-13-01", "2026-00-10", "2026-05-32", "2026-05-00",
		                           "2026/05/01", "26-05-01",   "2026-5-1",   "",
		                           "2026-05-0x", "+026-05-01", "2026-02-29", "2026-02-30",
		                           "2026-04-31" };
	for (size_t i = 0; i < N_OF(bad); i++)
		assert_refused(SCHEDULE(DOC("{\"visit_on\":\"%s\"}", bad[i])), "/visit_on",
		               "Use a date like 2026-05-01.");
	assert_refused(SCHEDULE("{\"visit_on\":\"2026-05-01Z\"}"), "/visit_on",
	               "\"visit_on\" is longer than 10 bytes.");
	assert_refused(SCHEDULE("{\"visit_on\":20260501}"), "/visit_on",
	               "\"visit_on\" must be a string.");
	assert_refused(SCHEDULE("{}"), "/visit_on", "\"visit_on\" is required.");
#undef SCHEDULE

#define INSPECTED(s) rerating_inspected_read(A, s, strlen(s), &id, &err)
	assert_int_equal(INSPECTED("{\"inspection_id\":1}"), 0);
	assert_int_equal(id, 1);
	assert_int_equal(INSPECTED("{\"inspection_id\":9223372036854775807}"), 0);
	assert_int_equal(id, INT64_MAX);
	assert_refused(INSPECTED("{\"inspection_id\":0}"), "/inspection_id",
	               "\"inspection_id\" must be from 1 to 9223372036854775807.");
	assert_refused(INSPECTED("{\"inspection_id\":\"7\"}"), "/inspection_id",
	               "\"inspection_id\" must be a whole number.");
	assert_refused(INSPECTED("{\"inspection_id\":7.0}"), "/inspection_id",
	               "\"inspection_id\" must be a whole number.");
	assert_refused(INSPECTED("{}"), "/inspection_id", "\"inspection_id\" is required.");
#undef INSPECTED
}

/* ---- the tablet */

#define CLIENT_ID "0b7e3f52-photo-0001"

/* A photo document for @len bytes of @data with @type, claimed to hash to @sha (NULL: the
 * real hash), @more members after "data" (or ""). */
static char *photo_body(const unsigned char *data, size_t len, const char *type, const char *sha,
                        const char *more)
{
	char real[SHA256_HEX_LEN + 1];
	sha256_hex(data, len, real);
	size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = arena_alloc(A, b64len);
	sodium_bin2base64(b64, b64len, data, len, sodium_base64_VARIANT_ORIGINAL);
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"content_type\":\"%s\",\"sha256\":\"%s\",\"data\":[", type,
	         sha ? sha : real);
	size_t n = strlen(b64);
	for (size_t off = 0; off < n; off += 49152)
		buf_addf(&b, "%s\"%.*s\"", off ? "," : "", (int)(n - off < 49152 ? n - off : 49152),
		         b64 + off);
	buf_addf(&b, "]%s%s}", *more ? "," : "", more);
	char *s = arena_strdup(A, b.data);
	buf_release(&b);
	return s;
}

static unsigned char *image(const char *type, size_t len)
{
	unsigned char *d = arena_alloc(A, len);
	for (size_t i = 0; i < len; i++)
		d[i] = (unsigned char)(i * 7 + 3);
	if (strcmp(type, "image/png") == 0)
		memcpy(d, "\x89PNG\r\n\x1a\n", 8);
	else if (strcmp(type, "image/jpeg") == 0)
		memcpy(d, "\xff\xd8\xff", 3);
	else
		memcpy(d, "RIFF\0\0\0\0WEBP", 12);
	return d;
}

static int photo(const char *body, struct photo_doc *p)
{
	return photo_doc_read(A, body, strlen(body), CLIENT_ID, p, &err);
}

static int photo1(const char *body)
{
	struct photo_doc p;
	return photo(body, &p);
}

static void test_photo(void **state)
{
	(void)state;
	struct photo_doc p;
	static const char *const types[] = { "image/png", "image/jpeg", "image/webp" };
	for (size_t i = 0; i < N_OF(types); i++) {
		unsigned char *d = image(types[i], 5000);
		char hash[SHA256_HEX_LEN + 1];
		sha256_hex(d, 5000, hash);
		assert_int_equal(photo(photo_body(d, 5000, types[i], NULL, ""), &p), 0);
		assert_string_equal(p.content_type, types[i]);
		assert_string_equal(p.sha256, hash);
		assert_int_equal(p.len, 5000);
		assert_memory_equal(p.data, d, 5000);
		assert_null(p.taken_at);
		assert_null(p.code);
		assert_int_equal(p.width, -1);
		assert_int_equal(p.height, -1);
	}
	unsigned char *png = image("image/png", 100);
	assert_int_equal(photo(photo_body(png, 100, "image/png", NULL,
	                                  "\"taken_at\":\"2026-05-01T09:31:00Z\",\"width\":10000,"
	                                  "\"height\":1,\"code\":\"0123456789abcdef\""),
	                       &p),
	                 0);
	assert_string_equal(p.taken_at, "2026-05-01T09:31:00Z");
	assert_string_equal(p.code, "0123456789abcdef");
	assert_int_equal(p.width, 10000);
	assert_int_equal(p.height, 1);
	/* The smallest image of each type: its signature. */
	assert_int_equal(photo(photo_body(png, 8, "image/png", NULL, ""), &p), 0);
	assert_refused(photo1(photo_body(png, 7, "image/png", NULL, "")), "/data",
	               "Photo " CLIENT_ID ": the data is not an image/png image.");

	/* The members, in the order they are read. */
	assert_refused(photo("{}", &p), "/content_type", "\"content_type\" is required.");
	assert_refused(photo("{\"content_type\":\"image/png\"}", &p), "/sha256",
	               "\"sha256\" is required.");
	assert_refused(photo("{\"content_type\":\"image/png\",\"sha256\":\"x\"}", &p), "/data",
	               "\"data\" is required.");
	assert_refused(
	        photo("{\"content_type\":\"image/png\",\"sha256\":\"x\",\"data\":\"AAAA\"}", &p),
	        "/data", "\"data\" must be an array.");
	assert_refused(
	        photo(DOC("{\"content_type\":\"%s\",\"sha256\":\"x\",\"data\":[]}", rep("i", 33)),
	              &p),
	        "/content_type", "\"content_type\" is longer than 32 bytes.");
	assert_refused(
	        photo(DOC("{\"content_type\":\"x\",\"sha256\":\"%s\",\"data\":[]}", rep("a", 129)),
	              &p),
	        "/sha256", "\"sha256\" is longer than 128 bytes.");
	assert_refused(
	        photo1(photo_body(png, 100, "image/png", NULL, "\"code\":\"0123456789abcdefg\"")),
	        "/code", "\"code\" is longer than 16 bytes.");
	assert_refused(photo1(photo_body(png, 100, "image/png", NULL, "\"taken_at\":7")),
	               "/taken_at", "\"taken_at\" must be a string.");
	assert_refused(photo1(photo_body(png, 100, "image/png", NULL, "\"width\":0")), "/width",
	               "\"width\" must be from 1 to 10000.");
	assert_refused(photo1(photo_body(png, 100, "image/png", NULL, "\"height\":10001")),
	               "/height", "\"height\" must be from 1 to 10000.");
	assert_refused(photo1(photo_body(png, 100, "image/png", NULL, "\"width\":1.5")), "/width",
	               "\"width\" must be a whole number.");
	assert_refused(photo1(photo_body(png, 100, "image/png", NULL, "\"bytes\":100")), "/bytes",
	               "Unknown field \"bytes\".");

	/* The photo's own checks, naming it. */
	assert_refused(photo1(photo_body(png, 100, "image/gif", NULL, "")), "/content_type",
	               "Photo " CLIENT_ID
	               ": the type must be image/jpeg, image/png or image/webp.");
	assert_refused(photo1(photo_body(png, 100, "image/gif", "nope", "")), "/content_type",
	               "Photo " CLIENT_ID
	               ": the type must be image/jpeg, image/png or image/webp.");
	char upper[SHA256_HEX_LEN + 1];
	sha256_hex(png, 100, upper);
	for (char *c = upper; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	const char *shas[] = { "", "abc", upper, DOC("%s0", rep("0", SHA256_HEX_LEN)) };
	for (size_t i = 0; i < N_OF(shas); i++)
		assert_refused(photo1(photo_body(png, 100, "image/png", shas[i], "")), "/sha256",
		               "Photo " CLIENT_ID
		               ": sha256 must be 64 lowercase hexadecimal digits.");
	assert_refused(photo1(photo_body(png, 100, "image/png", NULL, "\"taken_at\":\"today\"")),
	               "/taken_at",
	               "Photo " CLIENT_ID ": use a timestamp like 2026-05-01T09:30:00Z.");
	const char *head = DOC("{\"content_type\":\"image/png\",\"sha256\":\"%s\",\"data\":",
	                       rep("0", SHA256_HEX_LEN));
	assert_refused(photo(DOC("%s[]}", head), &p), "/data",
	               "Photo " CLIENT_ID ": data is not valid base64.");
	assert_refused(photo(DOC("%s[\"\"]}", head), &p), "/data",
	               "Photo " CLIENT_ID ": data is not valid base64.");
	assert_refused(photo(DOC("%s[\"iVBO*w0K\"]}", head), &p), "/data",
	               "Photo " CLIENT_ID ": data is not valid base64.");
	assert_refused(photo(DOC("%s[\"iVBORw0KGg\"]}", head), &p), "/data",
	               "Photo " CLIENT_ID ": data is not valid base64.");
	assert_refused(photo(DOC("%s[\"iVBORw0K\",2]}", head), &p), "/data/1",
	               "Photo " CLIENT_ID ": data is a list of base64 strings.");
	assert_refused(photo(DOC("%s[null]}", head), &p), "/data/0",
	               "Photo " CLIENT_ID ": data is a list of base64 strings.");
	assert_refused(photo(DOC("%s[%s\"AAAA\"]}", head, rep("\"AAAA\",", PHOTO_MAX_CHUNKS)), &p),
	               "/data", "\"data\" has more than 64 items.");
	/* PHOTO_MAX_CHUNKS strings are joined before they are decoded: here one character
	 * each. */
	unsigned char *small = image("image/jpeg", 48);
	char hash[SHA256_HEX_LEN + 1], b64[65];
	sha256_hex(small, 48, hash);
	sodium_bin2base64(b64, sizeof(b64), small, 48, sodium_base64_VARIANT_ORIGINAL);
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"content_type\":\"image/jpeg\",\"sha256\":\"%s\",\"data\":[", hash);
	for (int i = 0; i < PHOTO_MAX_CHUNKS; i++)
		buf_addf(&b, "%s\"%c\"", i ? "," : "", b64[i]);
	buf_addstr(&b, "]}");
	assert_int_equal(photo(b.data, &p), 0);
	assert_int_equal(p.len, 48);
	assert_memory_equal(p.data, small, 48);
	buf_release(&b);

	/* Not the type it claims; damaged on the way (the longest detail, whole). */
	unsigned char *jpeg = image("image/jpeg", 100);
	assert_refused(photo1(photo_body(jpeg, 100, "image/png", NULL, "")), "/data",
	               "Photo " CLIENT_ID ": the data is not an image/png image.");
	char real[SHA256_HEX_LEN + 1], claimed[SHA256_HEX_LEN + 1];
	sha256_hex(png, 100, real);
	sha256_hex(jpeg, 100, claimed);
	const char *longest = rep("k", 64);
	const char *damaged = photo_body(png, 100, "image/png", claimed, "");
	assert_int_equal(photo_doc_read(A, damaged, strlen(damaged), longest, &p, &err), -EINVAL);
	assert_string_equal(err.field, "/sha256");
	assert_string_equal(
	        err.detail,
	        DOC("Photo %s: its SHA-256 is %s, not %s as taken on the tablet; it was "
	            "changed or damaged on the way. Nothing was stored.",
	            longest, real, claimed));
	assert_true(strlen(err.detail) < sizeof(err.detail) - 1);
}

static void test_photo_size(void **state)
{
	(void)state;
	struct photo_doc p;
	/* PHOTO_MAX_BYTES decoded is the largest accepted; a base64 quantum more is 413. */
	unsigned char *big = image("image/png", PHOTO_MAX_BYTES + 3);
	char *body = photo_body(big, PHOTO_MAX_BYTES, "image/png", NULL, "");
	assert_int_equal(photo(body, &p), 0);
	assert_int_equal(p.len, PHOTO_MAX_BYTES);
	assert_memory_equal(p.data, big, PHOTO_MAX_BYTES);
	body = photo_body(big, PHOTO_MAX_BYTES + 1, "image/png", NULL, "");
	assert_int_equal(photo(body, &p), -E2BIG);
	assert_string_equal(err.field, "/data");
	assert_string_equal(err.detail, "Photo " CLIENT_ID " is larger than 768000 bytes; the "
	                                "tablet should downscale it.");
	/* The size is refused before the base64 is decoded: a wrong hash does not matter. */
	memset(&err, 0, sizeof(err));
	body = photo_body(big, PHOTO_MAX_BYTES + 3, "image/png", rep("0", SHA256_HEX_LEN), "");
	assert_int_equal(photo(body, &p), -E2BIG);
	assert_string_equal(err.field, "/data");
}

/* ---- the operator's attachments */

/* An attachment body: @len bytes of @data named @name, in base64 strings of 60000. */
static char *attachment_body(const unsigned char *data, size_t len, const char *name)
{
	size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = arena_alloc(A, b64len);
	sodium_bin2base64(b64, b64len, data, len, sodium_base64_VARIANT_ORIGINAL);
	struct buf b = BUF_INIT;
	buf_addf(&b,
	         "{\"licence_number\":\"L-1\",\"appeal_code\":\"ABCDEFGHJK\",\"filename\":\"%s\","
	         "\"data\":[",
	         name);
	size_t n = strlen(b64);
	for (size_t i = 0; i < n; i += 60000) {
		buf_addstr(&b, i ? ",\"" : "\"");
		buf_add(&b, b64 + i, n - i < 60000 ? n - i : 60000);
		buf_addch(&b, '"');
	}
	buf_addstr(&b, "]}");
	char *out = arena_strdup(A, b.data);
	buf_release(&b);
	return out;
}

static void test_attachment(void **state)
{
	(void)state;
	struct attachment_doc d;
	const unsigned char pdf[] = "%PDF-1.4\n";
	char *body = attachment_body(pdf, 9, "report.pdf");
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), 0);
	assert_string_equal(d.filename, "report.pdf");
	assert_int_equal(d.len, 9);
	assert_memory_equal(d.data, pdf, 9);
	assert_non_null(json_object_get(d.body, "appeal_code"));
	/* Any type is decoded here: the records layer tells it by the content. */
	body = attachment_body((const unsigned char *)"<html>", 6, "page.png");
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), 0);
	/* The name. */
	body = attachment_body(pdf, 9, "");
	assert_refused(attachment_doc_read(A, body, strlen(body), &d, &err), "/filename",
	               "Name the file.");
	static const char *const bad[] = { "a/b.pdf", "a\\\\b.pdf", "a\\tb.pdf", "a\\u007fb.pdf" };
	for (size_t i = 0; i < N_OF(bad); i++) {
		body = attachment_body(pdf, 9, bad[i]);
		assert_refused(attachment_doc_read(A, body, strlen(body), &d, &err), "/filename",
		               "A file name has no control characters, slashes or backslashes.");
	}
	body = attachment_body(pdf, 9, rep("é", APPEAL_ATTACHMENT_NAME_MAX));
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), 0);
	body = attachment_body(pdf, 9, rep("é", APPEAL_ATTACHMENT_NAME_MAX + 1));
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), -EINVAL);
	assert_string_equal(err.field, "/filename");
	memset(&err, 0, sizeof(err));
	/* The data: base64 strings, not empty, within the size. */
	const char *doc = "{\"licence_number\":\"L\",\"appeal_code\":\"C\",\"filename\":\"f\","
	                  "\"data\":[1]}";
	assert_refused(attachment_doc_read(A, doc, strlen(doc), &d, &err), "/data/0",
	               "data is a list of base64 strings.");
	doc = "{\"licence_number\":\"L\",\"appeal_code\":\"C\",\"filename\":\"f\",\"data\":[]}";
	assert_refused(attachment_doc_read(A, doc, strlen(doc), &d, &err), "/data",
	               "data is not valid base64.");
	doc = "{\"licence_number\":\"L\",\"appeal_code\":\"C\",\"filename\":\"f\","
	      "\"data\":[\"!!!!\"]}";
	assert_refused(attachment_doc_read(A, doc, strlen(doc), &d, &err), "/data",
	               "data is not valid base64.");
	doc = "{\"licence_number\":\"L\",\"appeal_code\":\"C\",\"filename\":\"f\",\"data\":[\"x\"],"
	      "\"content_type\":\"image/png\"}";
	assert_int_equal(attachment_doc_read(A, doc, strlen(doc), &d, &err), -EINVAL);
	assert_string_equal(err.field, "/content_type");
	memset(&err, 0, sizeof(err));
	unsigned char *big = arena_alloc(A, APPEAL_ATTACHMENT_MAX_BYTES + 3);
	memset(big, 'x', APPEAL_ATTACHMENT_MAX_BYTES + 3);
	body = attachment_body(big, APPEAL_ATTACHMENT_MAX_BYTES, "big.pdf");
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), 0);
	assert_int_equal(d.len, APPEAL_ATTACHMENT_MAX_BYTES);
	body = attachment_body(big, APPEAL_ATTACHMENT_MAX_BYTES + 1, "big.pdf");
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), -E2BIG);
	assert_string_equal(err.field, "/data");
	assert_string_equal(err.detail, "\"big.pdf\" is larger than 768000 bytes.");
	memset(&err, 0, sizeof(err));
	body = attachment_body(big, APPEAL_ATTACHMENT_MAX_BYTES + 3, "big.pdf");
	assert_int_equal(attachment_doc_read(A, body, strlen(body), &d, &err), -E2BIG);
	memset(&err, 0, sizeof(err));
}

static void test_conflict_resolution(void **state)
{
	(void)state;
	const char *r = NULL;
#define RESOLVE(s) conflict_resolution_read(A, s, strlen(s), &r, &err)
	assert_int_equal(RESOLVE("{\"resolution\":\"kept_server\"}"), 0);
	assert_string_equal(r, "kept_server");
	assert_int_equal(RESOLVE("{\"resolution\":\"kept_device\"}"), 0);
	assert_string_equal(r, "kept_device");
	static const char *const bad[] = { "whatever", "", "kept", "KEPT_SERVER", "kept_device " };
	for (size_t i = 0; i < N_OF(bad); i++)
		assert_refused(
		        RESOLVE(DOC("{\"resolution\":\"%s\"}", bad[i])), "/resolution",
		        "\"resolution\" is \"kept_server\" (the other device's version stands) "
		        "or \"kept_device\" (this device's version was sent again).");
	assert_refused(RESOLVE(DOC("{\"resolution\":\"%s\"}", rep("k", 33))), "/resolution",
	               "\"resolution\" is longer than 32 bytes.");
	assert_refused(RESOLVE("{\"resolution\":true}"), "/resolution",
	               "\"resolution\" must be a string.");
	assert_refused(RESOLVE("{}"), "/resolution", "\"resolution\" is required.");
#undef RESOLVE
}

static void test_assignment(void **state)
{
	(void)state;
	int64_t who = 0;
#define ASSIGN(s) assignment_read(A, s, strlen(s), &who, &err)
	assert_int_equal(ASSIGN("{\"inspector_id\":12}"), 0);
	assert_int_equal(who, 12);
	assert_int_equal(ASSIGN("{\"inspector_id\":1}"), 0);
	assert_refused(ASSIGN("{\"inspector_id\":0}"), "/inspector_id",
	               "\"inspector_id\" must be from 1 to 9223372036854775807.");
	assert_refused(ASSIGN("{\"inspector_id\":-3}"), "/inspector_id",
	               "\"inspector_id\" must be from 1 to 9223372036854775807.");
	assert_refused(ASSIGN("{\"inspector_id\":\"12\"}"), "/inspector_id",
	               "\"inspector_id\" must be a whole number.");
	assert_refused(ASSIGN("{\"inspector_id\":null}"), "/inspector_id",
	               "\"inspector_id\" is required.");
	assert_refused(ASSIGN("{\"inspector_id\":1,\"establishment_id\":2}"), "/establishment_id",
	               "Unknown field \"establishment_id\".");
#undef ASSIGN
}

int main(void)
{
	/* The sentences of refusals come from the catalogues. */
	char why[512];
	if (i18n_load(PLACARD_SOURCE_ROOT "/web", why, sizeof(why)) < 0) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_operator_proof, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_an_object, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appeal_filing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appeal_review, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appeal_hearing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_appeal_decision, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operator_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_moderation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rerating_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rerating_staff, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attachment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conflict_resolution, setup, teardown),
		cmocka_unit_test_setup_teardown(test_assignment, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
