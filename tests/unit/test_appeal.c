/*
 * test_appeal.c - cmocka tests for the appeal rules (src/domain/appeal.c): every legal move
 * of the appeal state machine and every illegal one, adjournment counting, names, the filing
 * window of each built-in scheme, what each decision does to the posted grade, re-rating
 * request moves and text length counting.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "domain/appeal.h"
#include "domain/grade.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The legal moves, written out from the issue's lifecycle rather than from the table. */
static const struct {
	enum appeal_state from;
	enum appeal_event event;
	enum appeal_state to;
} legal[] = {
	{ APPEAL_FILED, APPEAL_EV_WITHDRAW, APPEAL_WITHDRAWN },
	{ APPEAL_FILED, APPEAL_EV_REJECT_LATE, APPEAL_REJECTED_LATE },
	{ APPEAL_FILED, APPEAL_EV_ACCEPT, APPEAL_UNDER_REVIEW },
	{ APPEAL_UNDER_REVIEW, APPEAL_EV_WITHDRAW, APPEAL_WITHDRAWN },
	{ APPEAL_UNDER_REVIEW, APPEAL_EV_SCHEDULE, APPEAL_HEARING_SCHEDULED },
	{ APPEAL_UNDER_REVIEW, APPEAL_EV_UPHOLD, APPEAL_UPHELD },
	{ APPEAL_UNDER_REVIEW, APPEAL_EV_MODIFY, APPEAL_MODIFIED },
	{ APPEAL_UNDER_REVIEW, APPEAL_EV_OVERTURN, APPEAL_OVERTURNED },
	{ APPEAL_HEARING_SCHEDULED, APPEAL_EV_WITHDRAW, APPEAL_WITHDRAWN },
	{ APPEAL_HEARING_SCHEDULED, APPEAL_EV_ADJOURN, APPEAL_HEARING_SCHEDULED },
	{ APPEAL_HEARING_SCHEDULED, APPEAL_EV_UPHOLD, APPEAL_UPHELD },
	{ APPEAL_HEARING_SCHEDULED, APPEAL_EV_MODIFY, APPEAL_MODIFIED },
	{ APPEAL_HEARING_SCHEDULED, APPEAL_EV_OVERTURN, APPEAL_OVERTURNED },
};

static int legal_index(enum appeal_state s, enum appeal_event e)
{
	for (size_t i = 0; i < N_OF(legal); i++)
		if (legal[i].from == s && legal[i].event == e)
			return (int)i;
	return -1;
}

static void test_each_legal_move(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_OF(legal); i++) {
		enum appeal_state to = APPEAL_STATE__COUNT;
		assert_int_equal(appeal_next(legal[i].from, legal[i].event, &to), 0);
		assert_int_equal(to, legal[i].to);
		struct appeal a = { .state = legal[i].from, .adjournments = 1 };
		assert_int_equal(appeal_apply(&a, legal[i].event), 0);
		assert_int_equal(a.state, legal[i].to);
		assert_int_equal(a.adjournments, legal[i].event == APPEAL_EV_ADJOURN ? 2 : 1);
	}
}

/* Closing as late fits only an appeal filed late; every other event fits either filing. */
static void test_event_fits_filing(void **state)
{
	(void)state;
	for (int e = 0; e < APPEAL_EVENT__COUNT; e++) {
		assert_true(appeal_event_fits_filing((enum appeal_event)e, true));
		assert_int_equal(appeal_event_fits_filing((enum appeal_event)e, false),
		                 e != APPEAL_EV_REJECT_LATE);
	}
}

static void test_each_illegal_move(void **state)
{
	(void)state;
	size_t refused = 0;
	for (int s = 0; s < APPEAL_STATE__COUNT; s++) {
		for (int e = 0; e < APPEAL_EVENT__COUNT; e++) {
			if (legal_index((enum appeal_state)s, (enum appeal_event)e) >= 0)
				continue;
			enum appeal_state to = APPEAL_STATE__COUNT;
			assert_int_equal(
			        appeal_next((enum appeal_state)s, (enum appeal_event)e, &to),
			        -EPERM);
			assert_int_equal(to, APPEAL_STATE__COUNT); /* untouched */
			struct appeal a = { .state = (enum appeal_state)s, .adjournments = 3 };
			assert_int_equal(appeal_apply(&a, (enum appeal_event)e), -EPERM);
			assert_int_equal(a.state, s);
			assert_int_equal(a.adjournments, 3);
			refused++;
		}
	}
	assert_int_equal(refused, APPEAL_STATE__COUNT * APPEAL_EVENT__COUNT - N_OF(legal));
}

static void test_out_of_range(void **state)
{
	(void)state;
	enum appeal_state to;
	assert_int_equal(appeal_next(APPEAL_STATE__COUNT, APPEAL_EV_ACCEPT, &to), -EINVAL);
	assert_int_equal(appeal_next(APPEAL_FILED, APPEAL_EVENT__COUNT, &to), -EINVAL);
	assert_int_equal(appeal_next((enum appeal_state) - 1, APPEAL_EV_ACCEPT, &to), -EINVAL);
	assert_int_equal(appeal_next(APPEAL_FILED, APPEAL_EV_ACCEPT, NULL), -EINVAL);
	assert_int_equal(appeal_apply(NULL, APPEAL_EV_ACCEPT), -EINVAL);
}

static void test_whole_paths(void **state)
{
	(void)state;
	/* filed, accepted, a hearing adjourned twice, then modified. */
	struct appeal a = { APPEAL_FILED, 0 };
	const enum appeal_event path[] = { APPEAL_EV_ACCEPT, APPEAL_EV_SCHEDULE, APPEAL_EV_ADJOURN,
		                           APPEAL_EV_ADJOURN, APPEAL_EV_MODIFY };
	for (size_t i = 0; i < N_OF(path); i++)
		assert_int_equal(appeal_apply(&a, path[i]), 0);
	assert_int_equal(a.state, APPEAL_MODIFIED);
	assert_int_equal(a.adjournments, 2);
	assert_true(appeal_is_decided(a.state));
	assert_false(appeal_is_open(a.state));
	/* Nothing moves a decided appeal. */
	for (int e = 0; e < APPEAL_EVENT__COUNT; e++)
		assert_int_equal(appeal_apply(&a, (enum appeal_event)e), -EPERM);
}

static void test_open_and_decided(void **state)
{
	(void)state;
	const bool open[APPEAL_STATE__COUNT] = { [APPEAL_FILED] = true,
		                                 [APPEAL_UNDER_REVIEW] = true,
		                                 [APPEAL_HEARING_SCHEDULED] = true };
	const bool decided[APPEAL_STATE__COUNT] = {
		[APPEAL_UPHELD] = true, [APPEAL_MODIFIED] = true, [APPEAL_OVERTURNED] = true
	};
	for (int s = 0; s < APPEAL_STATE__COUNT; s++) {
		assert_int_equal(appeal_is_open((enum appeal_state)s), open[s]);
		assert_int_equal(appeal_is_decided((enum appeal_state)s), decided[s]);
	}
}

static void test_names_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < APPEAL_STATE__COUNT; s++) {
		enum appeal_state back = APPEAL_STATE__COUNT;
		assert_int_equal(appeal_state_parse(appeal_state_name((enum appeal_state)s), &back),
		                 0);
		assert_int_equal(back, s);
	}
	assert_string_equal(appeal_state_name(APPEAL_HEARING_SCHEDULED), "hearing_scheduled");
	assert_string_equal(appeal_state_name(APPEAL_STATE__COUNT), "?");
	assert_string_equal(appeal_event_name(APPEAL_EV_ADJOURN), "adjourn");
	assert_string_equal(appeal_event_name(APPEAL_EVENT__COUNT), "?");
	enum appeal_state s;
	assert_int_equal(appeal_state_parse("Filed", &s), -ENOENT);
	assert_int_equal(appeal_state_parse(NULL, &s), -EINVAL);
	enum appeal_event e;
	assert_int_equal(appeal_outcome_parse("upheld", &e), 0);
	assert_int_equal(e, APPEAL_EV_UPHOLD);
	assert_int_equal(appeal_outcome_parse("modified", &e), 0);
	assert_int_equal(e, APPEAL_EV_MODIFY);
	assert_int_equal(appeal_outcome_parse("overturned", &e), 0);
	assert_int_equal(e, APPEAL_EV_OVERTURN);
	assert_int_equal(appeal_outcome_parse("withdrawn", &e), -ENOENT);
	assert_int_equal(appeal_outcome_parse(NULL, &e), -EINVAL);
}

static void test_filing_window(void **state)
{
	(void)state;
	const struct grade_scheme *fhrs = grade_scheme_builtin("fhrs");
	const struct grade_scheme *nyc = grade_scheme_builtin("nyc");
	const struct grade_scheme *sf = grade_scheme_builtin("sf100");
	int days = -1;
	assert_int_equal(appeal_filing_window(fhrs, &days), 0);
	assert_int_equal(days, 21);
	assert_int_equal(appeal_filing_window(nyc, &days), 0);
	assert_int_equal(days, 0);
	days = -1;
	assert_int_equal(appeal_filing_window(sf, &days), -ENOTSUP);
	assert_int_equal(days, -1);
	assert_int_equal(appeal_filing_window(NULL, &days), -EINVAL);

	assert_int_equal(appeal_filing_check(fhrs, 0), 0);
	assert_int_equal(appeal_filing_check(fhrs, 21L * 86400), 0);
	assert_int_equal(appeal_filing_check(fhrs, 21L * 86400 + 1), -ETIMEDOUT);
	assert_int_equal(appeal_filing_check(fhrs, 400L * 86400), -ETIMEDOUT);
	assert_int_equal(appeal_filing_check(nyc, 400L * 86400), 0);
	assert_int_equal(appeal_filing_check(sf, 0), -ENOTSUP);
	assert_int_equal(appeal_filing_check(fhrs, -1), -EINVAL);
	assert_int_equal(appeal_filing_check(NULL, 0), -EINVAL);
}

static void test_rerating_moves(void **state)
{
	(void)state;
	const bool ok[RERATING_STATE__COUNT][RERATING_STATE__COUNT] = {
		[RERATING_REQUESTED] = { [RERATING_SCHEDULED] = true, [RERATING_INSPECTED] = true },
		[RERATING_SCHEDULED] = { [RERATING_SCHEDULED] = true, [RERATING_INSPECTED] = true },
	};
	for (int f = 0; f < RERATING_STATE__COUNT; f++)
		for (int t = 0; t < RERATING_STATE__COUNT; t++)
			assert_int_equal(appeal_rerating_check((enum rerating_state)f,
			                                       (enum rerating_state)t),
			                 ok[f][t] ? 0 : -EPERM);
	assert_int_equal(appeal_rerating_check(RERATING_STATE__COUNT, RERATING_SCHEDULED), -EINVAL);
	for (int s = 0; s < RERATING_STATE__COUNT; s++) {
		enum rerating_state back;
		assert_int_equal(appeal_rerating_state_parse(
		                         appeal_rerating_state_name((enum rerating_state)s), &back),
		                 0);
		assert_int_equal(back, s);
	}
	enum rerating_state r;
	assert_int_equal(appeal_rerating_state_parse("done", &r), -ENOENT);
}

static void test_text_length(void **state)
{
	(void)state;
	assert_int_equal(appeal_text_length(""), 0);
	assert_int_equal(appeal_text_length("abc"), 3);
	assert_int_equal(appeal_text_length("caf\xc3\xa9"), 4);                  /* café */
	assert_int_equal(appeal_text_length("\xe2\x82\xac\xf0\x9f\x8d\x95"), 2); /* € and a pizza */
	assert_int_equal(appeal_text_length(NULL), 0);
}

static void test_code_normalise(void **state)
{
	(void)state;
	char out[41];
	assert_int_equal(appeal_code_normalise("abcde-fghjk", out, sizeof(out)), 10);
	assert_string_equal(out, "ABCDEFGHJK");
	assert_int_equal(appeal_code_normalise(" 23 45-67 89ab ", out, sizeof(out)), 10);
	assert_string_equal(out, "23456789AB");
	assert_int_equal(appeal_code_normalise("", out, sizeof(out)), 0);
	assert_string_equal(out, "");
	assert_int_equal(appeal_code_normalise("- -", out, sizeof(out)), 0);
	/* Cut at the room given, never past it. */
	char small[4] = "zzz";
	assert_int_equal(appeal_code_normalise("abcdef", small, sizeof(small)), 3);
	assert_string_equal(small, "ABC");
	assert_int_equal(appeal_code_normalise("abc", small, 1), 0);
	assert_string_equal(small, "");
	/* Anything else is kept as typed, for the well-formed check to refuse. */
	assert_int_equal(appeal_code_normalise("ab_c\xc3\xa9", out, sizeof(out)), 6);
	assert_string_equal(out, "AB_C\xc3\xa9");
}

static void test_code_well_formed(void **state)
{
	(void)state;
	const char *alpha = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	assert_true(appeal_code_well_formed("ABCDEFGHJK", alpha));
	assert_true(appeal_code_well_formed("2345678923", alpha));
	assert_false(appeal_code_well_formed("ABCDEFGHJ", alpha));   /* 9 */
	assert_false(appeal_code_well_formed("ABCDEFGHJKM", alpha)); /* 11 */
	assert_false(appeal_code_well_formed("ABCDEFGHJ0", alpha));  /* look-alikes are */
	assert_false(appeal_code_well_formed("ABCDEFGHJO", alpha));  /* never printed */
	assert_false(appeal_code_well_formed("ABCDEFGHJ1", alpha));
	assert_false(appeal_code_well_formed("ABCDEFGHJI", alpha));
	assert_false(appeal_code_well_formed("ABCDEFGHJL", alpha));
	assert_false(appeal_code_well_formed("abcdefghjk", alpha)); /* not normalised */
	assert_false(appeal_code_well_formed("", alpha));
	assert_false(appeal_code_well_formed(NULL, alpha));
	assert_false(appeal_code_well_formed("ABCDEFGHJK", NULL));
}

static void test_code_strength(void **state)
{
	(void)state;
	const char *alpha = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
	assert_true(appeal_code_strong("7KQ2MX9RTD", alpha));
	assert_true(appeal_code_strong("ABC7KQ2MXR", alpha));  /* a run of three is chance */
	assert_true(appeal_code_strong("AACDKQ2MXR", alpha));  /* 7 distinct: enough */
	assert_false(appeal_code_strong("ABCDEFGHJK", alpha)); /* the alphabet in order */
	assert_false(appeal_code_strong("7KQ2ABCDXR", alpha)); /* a run of four inside */
	assert_false(appeal_code_strong("7KQ2DCBAXR", alpha)); /* ... or going down */
	assert_false(appeal_code_strong("789ABKQ2MX", alpha)); /* runs cross digits/letters */
	assert_false(appeal_code_strong("HJKMNKQ2RX", alpha)); /* I and L are not there */
	assert_false(appeal_code_strong("2222222222", alpha));
	assert_false(appeal_code_strong("AAKQ2KQ2MX", alpha)); /* 6 distinct */
	assert_false(appeal_code_strong("7KQ2MX9RT", alpha));  /* not well formed */
	assert_false(appeal_code_strong("7kq2mx9rtd", alpha));
	assert_false(appeal_code_strong(NULL, alpha));
	assert_false(appeal_code_strong("7KQ2MX9RTD", NULL));
}

static void test_code_expiry(void **state)
{
	(void)state;
	const long day = 86400;
	/* A year, whatever the scheme's window ... */
	assert_false(appeal_code_expired(21, 0, false, -1));
	assert_false(appeal_code_expired(21, 365 * day - 1, false, -1));
	assert_true(appeal_code_expired(21, 365 * day, false, -1));
	assert_false(appeal_code_expired(0, 365 * day - 1, false, -1));
	assert_true(appeal_code_expired(0, 365 * day, false, -1));
	/* ... and never less than a (long) window and the margin. */
	assert_false(appeal_code_expired(400, 429 * day, false, -1));
	assert_true(appeal_code_expired(400, 430 * day, false, -1));
	/* An open appeal keeps its codes working, however old. */
	assert_false(appeal_code_expired(21, 900 * day, true, -1));
	/* ... and for 30 days after it closed. */
	assert_false(appeal_code_expired(21, 900 * day, false, 30 * day - 1));
	assert_true(appeal_code_expired(21, 900 * day, false, 30 * day));
	assert_true(appeal_code_expired(21, 900 * day, false, 0) == false);
	/* A new code lasts from its own issue. */
	assert_false(appeal_code_expired(21, 1, false, 900 * day));
}

/* Every state: the three decisions say what happens to the posted grade, nothing else
 * does. */
static void test_posted_grade(void **state)
{
	(void)state;
	static const struct {
		enum appeal_state outcome;
		int rc;
		enum appeal_posted_grade posted;
	} want[] = {
		{ APPEAL_FILED, -EINVAL, 0 },
		{ APPEAL_WITHDRAWN, -EINVAL, 0 },
		{ APPEAL_REJECTED_LATE, -EINVAL, 0 },
		{ APPEAL_UNDER_REVIEW, -EINVAL, 0 },
		{ APPEAL_HEARING_SCHEDULED, -EINVAL, 0 },
		{ APPEAL_UPHELD, 0, APPEAL_POSTED_STANDS },
		{ APPEAL_MODIFIED, 0, APPEAL_POSTED_REISSUED },
		{ APPEAL_OVERTURNED, 0, APPEAL_POSTED_FALLS_BACK },
	};
	assert_int_equal(N_OF(want), APPEAL_STATE__COUNT);
	for (size_t i = 0; i < N_OF(want); i++) {
		enum appeal_posted_grade p = (enum appeal_posted_grade)99;
		assert_int_equal(appeal_posted_grade(want[i].outcome, &p), want[i].rc);
		assert_int_equal(p,
		                 want[i].rc == 0 ? want[i].posted : (enum appeal_posted_grade)99);
		assert_int_equal(want[i].rc == 0, appeal_is_decided(want[i].outcome));
	}
	enum appeal_posted_grade p;
	assert_int_equal(appeal_posted_grade(APPEAL_STATE__COUNT, &p), -EINVAL);
	assert_int_equal(appeal_posted_grade((enum appeal_state) - 1, &p), -EINVAL);
	assert_int_equal(appeal_posted_grade(APPEAL_UPHELD, NULL), -EINVAL);
}

/* Attachments: the type by content, never by name; each limit on its own. */
static void test_attachments(void **state)
{
	(void)state;
	static const unsigned char jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0 };
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0 };
	static const unsigned char pdf[] = "%PDF-1.7\n";
	static const unsigned char html[] = "<html><script>alert(1)</script>";
	static const unsigned char webp[] = "RIFF\0\0\0\0WEBPVP8 ";
	assert_string_equal(appeal_attachment_type(jpeg, sizeof(jpeg)), "image/jpeg");
	assert_string_equal(appeal_attachment_type(png, sizeof(png)), "image/png");
	assert_string_equal(appeal_attachment_type(pdf, sizeof(pdf) - 1), "application/pdf");
	assert_null(appeal_attachment_type(html, sizeof(html) - 1));
	assert_null(appeal_attachment_type(webp, sizeof(webp) - 1));
	assert_null(appeal_attachment_type(jpeg, 2));
	assert_null(appeal_attachment_type(pdf, 4));
	assert_null(appeal_attachment_type(NULL, 0));

	assert_int_equal(appeal_attachment_check(0, 0, 1), 0);
	assert_int_equal(appeal_attachment_check(0, 0, 0), -EINVAL);
	assert_int_equal(appeal_attachment_check(0, 0, APPEAL_ATTACHMENT_MAX_BYTES), 0);
	assert_int_equal(appeal_attachment_check(0, 0, APPEAL_ATTACHMENT_MAX_BYTES + 1), -EFBIG);
	assert_int_equal(appeal_attachment_check(APPEAL_ATTACHMENT_MAX_COUNT - 1, 0, 1), 0);
	assert_int_equal(appeal_attachment_check(APPEAL_ATTACHMENT_MAX_COUNT, 0, 1), -EMLINK);
	assert_int_equal(appeal_attachment_check(1, APPEAL_ATTACHMENT_MAX_TOTAL - 10, 10), 0);
	assert_int_equal(appeal_attachment_check(1, APPEAL_ATTACHMENT_MAX_TOTAL - 10, 11), -ENOSPC);
	assert_int_equal(appeal_attachment_check(-1, 0, 1), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_legal_move),   cmocka_unit_test(test_each_illegal_move),
		cmocka_unit_test(test_event_fits_filing), cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_whole_paths),       cmocka_unit_test(test_open_and_decided),
		cmocka_unit_test(test_names_round_trip),  cmocka_unit_test(test_filing_window),
		cmocka_unit_test(test_rerating_moves),    cmocka_unit_test(test_text_length),
		cmocka_unit_test(test_code_normalise),    cmocka_unit_test(test_code_well_formed),
		cmocka_unit_test(test_code_strength),     cmocka_unit_test(test_code_expiry),
		cmocka_unit_test(test_attachments),       cmocka_unit_test(test_posted_grade),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
