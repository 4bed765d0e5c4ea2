/*
 * test_grade.c - cmocka tests for the grading engine (src/domain/grade.c).
 *
 * The shared test vectors live here, as C tables: every band edge of every built-in scheme,
 * every cycle rule and every input error. Each vector runs as its own cmocka test, except
 * those of what the public sees during an appeal, which the database decides (they run in
 * tests/integration/test_vectors.c). Run with
 * --dump-vectors to print the same tables as JSON; the output is committed as
 * tests/vectors/grading.json for the tablet app's JavaScript port. After changing a vector:
 *
 *     ./test_grade --dump-vectors > tests/vectors/grading.json
 *
 * Further tests below the vectors check the scheme data itself, the error contract
 * (outputs untouched on failure) and an exhaustive FHRS sweep against an independent model.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "domain/grade.h"

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------------------- */
/* Vectors: grade_compute.                                                                   */

#define VECTOR_MAX_VIOLATIONS 16

struct expect {
	int err; /* 0 or a negative errno */
	const char *err_field;
	int err_index;
	int score;
	int deductions;
	const char *band;       /* band code the score reached */
	const char *rated_band; /* after caps; NULL means same as band */
	enum grade_outcome outcome;
	const char *code;
	const char *label;
	bool sets_posted_grade;
	bool reinspection_required;
	int reinspection_min_days;
	const char *rule;
};

struct compute_vector {
	const char *id;
	const char *scheme;
	enum grade_inspection_type type;
	bool closed;
	bool has_days;
	int days;
	bool has_elements;
	int elements[GRADE_MAX_ELEMENTS];
	size_t n_violations;
	struct grade_violation_input violations[VECTOR_MAX_VIOLATIONS];
	struct expect want;
};

#define V(c, p)                                                                                    \
	{                                                                                          \
		.code = c, .points = p, .dismissed = false                                         \
	}
#define VD(c, p)                                                                                   \
	{                                                                                          \
		.code = c, .points = p, .dismissed = true                                          \
	}
#define VIOL(...)                                                                                  \
	.violations = { __VA_ARGS__ },                                                             \
	.n_violations = N_OF(((struct grade_violation_input[]){ __VA_ARGS__ }))
#define DAYS(n)      .has_days = true, .days = (n)
#define EL(h, s, m)  .has_elements = true, .elements = { h, s, m }
#define INITIAL      GRADE_INSPECTION_INITIAL
#define REINSPECTION GRADE_INSPECTION_REINSPECTION
#define COMPLAINT    GRADE_INSPECTION_COMPLAINT
#define PRE_PERMIT   GRADE_INSPECTION_PRE_PERMIT
#define REOPENING    GRADE_INSPECTION_REOPENING

#define GRADED(b, text)                                                                            \
	.outcome = GRADE_OUTCOME_GRADED, .band = b, .code = b, .label = b,                         \
	.sets_posted_grade = true, .rule = text
#define ERR(e, f, i)                                                                               \
	{                                                                                          \
		.err = -(e), .err_field = f, .err_index = i                                        \
	}

#define NYC_HEARING                                                                                \
	" It may be contested at a hearing; until then the establishment may post "                \
	"Grade Pending (Z)."
#define NYC_NOT_YET  " no grade issued; a re-inspection at least 7 days later sets the grade."
#define FHRS_PUBLISH " Published once the 21-day appeal window closes or an appeal is decided."

static const struct compute_vector compute_vectors[] = {
	/* --- NYC: band edges on the initial inspection ---------------------------------- */
	{ .id = "nyc-initial-0-A",
	  .scheme = "nyc",
	  .type = INITIAL,
	  .want = { .score = 0,
	            GRADED("A", "Initial inspection scored 0-13: grade A issued at once.") } },
	{ .id = "nyc-initial-13-A",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 7), V("06C", 6)),
	  .want = { .score = 13,
	            .deductions = 13,
	            GRADED("A", "Initial inspection scored 0-13: grade A issued at once.") } },
	{ .id = "nyc-initial-14-no-grade",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 7), V("02G", 7)),
	  .want = { .score = 14,
	            .deductions = 14,
	            .band = "B",
	            .outcome = GRADE_OUTCOME_NO_GRADE,
	            .code = "",
	            .label = "No grade issued",
	            .reinspection_required = true,
	            .reinspection_min_days = 7,
	            .rule = "Initial inspection scored 14-27:" NYC_NOT_YET } },
	{ .id = "nyc-initial-27-no-grade",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 10), V("04L", 5), V("06C", 5), V("10F", 5), V("08A", 2)),
	  .want = { .score = 27,
	            .deductions = 27,
	            .band = "B",
	            .outcome = GRADE_OUTCOME_NO_GRADE,
	            .code = "",
	            .label = "No grade issued",
	            .reinspection_required = true,
	            .reinspection_min_days = 7,
	            .rule = "Initial inspection scored 14-27:" NYC_NOT_YET } },
	{ .id = "nyc-initial-28-no-grade",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("04H", 28)),
	  .want = { .score = 28,
	            .deductions = 28,
	            .band = "C",
	            .outcome = GRADE_OUTCOME_NO_GRADE,
	            .code = "",
	            .label = "No grade issued",
	            .reinspection_required = true,
	            .reinspection_min_days = 7,
	            .rule = "Initial inspection scored 28 or more:" NYC_NOT_YET } },

	/* --- NYC: re-inspection sets the letter ---------------------------------------- */
	{ .id = "nyc-reinspection-13-A",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(7),
	  VIOL(V("04L", 5), V("06C", 5), V("10F", 3)),
	  .want = { .score = 13,
	            .deductions = 13,
	            GRADED("A", "Re-inspection scored 0-13: grade A issued.") } },
	{ .id = "nyc-reinspection-14-B",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(7),
	  VIOL(V("02B", 7), V("02G", 7)),
	  .want = { .score = 14,
	            .deductions = 14,
	            GRADED("B", "Re-inspection scored 14-27: grade B issued." NYC_HEARING) } },
	{ .id = "nyc-reinspection-27-B",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(21),
	  VIOL(V("02B", 10), V("04L", 5), V("06C", 5), V("10F", 5), V("08A", 2)),
	  .want = { .score = 27,
	            .deductions = 27,
	            GRADED("B", "Re-inspection scored 14-27: grade B issued." NYC_HEARING) } },
	{ .id = "nyc-reinspection-28-C",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(8),
	  VIOL(V("02B", 7), V("02G", 7), V("04H", 7), V("04M", 5), V("09C", 2)),
	  .want = { .score = 28,
	            .deductions = 28,
	            GRADED("C", "Re-inspection scored 28 or more: grade C issued." NYC_HEARING) } },
	{ .id = "nyc-reinspection-6-days-too-soon",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(6),
	  VIOL(V("02B", 7)),
	  .want = ERR(ERANGE, "days_since_previous", -1) },
	{ .id = "nyc-reinspection-days-missing",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  VIOL(V("02B", 7)),
	  .want = ERR(EINVAL, "days_since_previous", -1) },

	/* --- NYC: dismissed violations -------------------------------------------------- */
	{ .id = "nyc-initial-dismissed-not-counted",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 7), VD("06C", 6), V("04L", 5)),
	  .want = { .score = 12,
	            .deductions = 12,
	            GRADED("A", "Initial inspection scored 0-13: grade A issued at once.") } },
	{ .id = "nyc-reinspection-dismissal-B-to-A",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(10),
	  VIOL(VD("02G", 7), V("02B", 7)),
	  .want = { .score = 7,
	            .deductions = 7,
	            GRADED("A", "Re-inspection scored 0-13: grade A issued.") } },
	{ .id = "nyc-all-dismissed",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  DAYS(30),
	  VIOL(VD("04H", 28), VD("02B", 9)),
	  .want = { .score = 0, GRADED("A", "Re-inspection scored 0-13: grade A issued.") } },

	/* --- NYC: closure, re-opening, pre-permit, complaint ---------------------------- */
	{ .id = "nyc-closure-no-grade",
	  .scheme = "nyc",
	  .type = INITIAL,
	  .closed = true,
	  VIOL(V("04L", 10), V("04M", 10), V("02B", 12)),
	  .want = { .score = 32,
	            .deductions = 32,
	            .band = "C",
	            .outcome = GRADE_OUTCOME_NO_GRADE,
	            .code = "",
	            .label = "No grade issued",
	            .rule = "Initial inspection closed the establishment: no grade issued; a "
	                    "re-opening inspection follows once the conditions are corrected." } },
	{ .id = "nyc-closure-low-score-still-no-grade",
	  .scheme = "nyc",
	  .type = REINSPECTION,
	  .closed = true,
	  DAYS(7),
	  VIOL(V("04N", 5)),
	  .want = { .score = 5,
	            .deductions = 5,
	            .band = "A",
	            .outcome = GRADE_OUTCOME_NO_GRADE,
	            .code = "",
	            .label = "No grade issued",
	            .rule = "Re-inspection closed the establishment: no grade issued; a "
	                    "re-opening inspection follows once the conditions are corrected." } },
	{ .id = "nyc-reopening-pending-P",
	  .scheme = "nyc",
	  .type = REOPENING,
	  VIOL(V("10F", 2)),
	  .want = { .score = 2,
	            .deductions = 2,
	            .band = "A",
	            .outcome = GRADE_OUTCOME_PENDING,
	            .code = "P",
	            .label = "Grade Pending",
	            .sets_posted_grade = true,
	            .rule = "Re-opening inspection: the establishment posts Grade Pending (P) "
	                    "until its next graded inspection." } },
	{ .id = "nyc-pre-permit-not-yet-graded-N",
	  .scheme = "nyc",
	  .type = PRE_PERMIT,
	  VIOL(V("02B", 7), V("02G", 7)),
	  .want = { .score = 14,
	            .deductions = 14,
	            .band = "B",
	            .outcome = GRADE_OUTCOME_NOT_YET_GRADED,
	            .code = "N",
	            .label = "Not Yet Graded",
	            .sets_posted_grade = true,
	            .rule = "Pre-permit inspection: not graded; the establishment posts Not Yet "
	                    "Graded (N)." } },
	{ .id = "nyc-complaint-unchanged",
	  .scheme = "nyc",
	  .type = COMPLAINT,
	  VIOL(V("04M", 8), V("08A", 4), V("10B", 3)),
	  .want = { .score = 15,
	            .deductions = 15,
	            .band = "B",
	            .outcome = GRADE_OUTCOME_UNCHANGED,
	            .code = "",
	            .label = "No grade issued",
	            .rule = "Complaint inspection scored 14-27: recorded; this type of inspection "
	                    "does not change the posted grade." } },

	/* --- NYC: input errors ----------------------------------------------------------- */
	{ .id = "nyc-unknown-code",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 7), V("99Z", 5)),
	  .want = ERR(ENOENT, "violations[].code", 1) },
	{ .id = "nyc-code-from-other-scheme",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("H01", 5)),
	  .want = ERR(ENOENT, "violations[].code", 0) },
	{ .id = "nyc-negative-points",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 7), V("06C", 5), V("10F", -2)),
	  .want = ERR(EINVAL, "violations[].points", 2) },
	{ .id = "nyc-hazard-below-7",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("02B", 6)),
	  .want = ERR(ERANGE, "violations[].points", 0) },
	{ .id = "nyc-critical-below-5",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("04L", 4)),
	  .want = ERR(ERANGE, "violations[].points", 0) },
	{ .id = "nyc-general-below-2",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("10F", 1)),
	  .want = ERR(ERANGE, "violations[].points", 0) },
	{ .id = "nyc-general-above-max",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(V("10F", 6)),
	  .want = ERR(ERANGE, "violations[].points", 0) },
	{ .id = "nyc-dismissed-still-validated",
	  .scheme = "nyc",
	  .type = INITIAL,
	  VIOL(VD("02X", 7)),
	  .want = ERR(ENOENT, "violations[].code", 0) },
	{ .id = "nyc-element-scores-rejected",
	  .scheme = "nyc",
	  .type = INITIAL,
	  EL(0, 0, 0),
	  .want = ERR(EINVAL, "elements", -1) },
	{ .id = "nyc-negative-days",
	  .scheme = "nyc",
	  .type = INITIAL,
	  DAYS(-5),
	  .want = ERR(EINVAL, "days_since_previous", -1) },

	/* --- FHRS: every total boundary, no cap ----------------------------------------- */
	{ .id = "fhrs-total-0-rating-5",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 0, 0),
	  .want = { .score = 0,
	            GRADED("5", "Initial inspection total 0 (hygiene 0, structural 0, "
	                        "management 0) gives 5 (Very good)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-15-rating-5",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(5, 5, 5),
	  .want = { .score = 15,
	            GRADED("5", "Initial inspection total 15 (hygiene 5, structural 5, "
	                        "management 5) gives 5 (Very good)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-20-rating-4",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(10, 5, 5),
	  .want = { .score = 20,
	            GRADED("4", "Initial inspection total 20 (hygiene 10, structural "
	                        "5, management 5) gives 4 (Good)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-25-rating-3",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(10, 10, 5),
	  .want = { .score = 25,
	            GRADED("3",
	                   "Initial inspection total 25 (hygiene 10, structural 10, management "
	                   "5) gives 3 (Generally satisfactory)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-30-rating-3",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(10, 10, 10),
	  .want = { .score = 30,
	            GRADED("3",
	                   "Initial inspection total 30 (hygiene 10, structural 10, management "
	                   "10) gives 3 (Generally satisfactory)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-35-rating-2",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(15, 10, 10),
	  .want = { .score = 35,
	            GRADED("2",
	                   "Initial inspection total 35 (hygiene 15, structural 10, management "
	                   "10) gives 2 (Improvement necessary)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-40-rating-2",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(15, 15, 10),
	  .want = { .score = 40,
	            GRADED("2",
	                   "Initial inspection total 40 (hygiene 15, structural 15, management "
	                   "10) gives 2 (Improvement necessary)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-45-rating-1",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(20, 15, 10),
	  .want = { .score = 45,
	            GRADED("1",
	                   "Initial inspection total 45 (hygiene 20, structural 15, management "
	                   "10) gives 1 (Major improvement necessary)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-50-rating-1",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(20, 20, 10),
	  .want = { .score = 50,
	            GRADED("1",
	                   "Initial inspection total 50 (hygiene 20, structural 20, management "
	                   "10) gives 1 (Major improvement necessary)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-55-rating-0",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(20, 25, 10),
	  .want = { .score = 55,
	            GRADED("0",
	                   "Initial inspection total 55 (hygiene 20, structural 25, management "
	                   "10) gives 0 (Urgent improvement necessary)." FHRS_PUBLISH) } },
	{ .id = "fhrs-total-80-rating-0",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(25, 25, 30),
	  .want = { .score = 80,
	            GRADED("0",
	                   "Initial inspection total 80 (hygiene 25, structural 25, management "
	                   "30) gives 0 (Urgent improvement necessary)." FHRS_PUBLISH) } },

	/* --- FHRS: worst-element caps ---------------------------------------------------- */
	{ .id = "fhrs-cap-5-needs-all-5-or-less",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(10, 0, 0),
	  .want = { .score = 10,
	            .band = "5",
	            .rated_band = "4",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "4",
	            .label = "4",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 10 (hygiene 10, structural 0, management 0) "
	                    "gives 5 (Very good). The worst element, hygiene 10, caps it at 4 "
	                    "(Good)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-15-element-limits-5-to-2",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 15, 0),
	  .want = { .score = 15,
	            .band = "5",
	            .rated_band = "2",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "2",
	            .label = "2",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 15 (hygiene 0, structural 15, management 0) "
	                    "gives 5 (Very good). The worst element, structural 15, caps it at 2 "
	                    "(Improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-4-needs-10-or-less",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(15, 5, 0),
	  .want = { .score = 20,
	            .band = "4",
	            .rated_band = "2",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "2",
	            .label = "2",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 20 (hygiene 15, structural 5, management 0) "
	                    "gives 4 (Good). The worst element, hygiene 15, caps it at 2 "
	                    "(Improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-4-by-20-element-to-1",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 0, 20),
	  .want = { .score = 20,
	            .band = "4",
	            .rated_band = "1",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "1",
	            .label = "1",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 20 (hygiene 0, structural 0, management 20) "
	                    "gives 4 (Good). The worst element, management 20, caps it at 1 (Major "
	                    "improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-3-needs-10-or-less",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(15, 10, 0),
	  .want = { .score = 25,
	            .band = "3",
	            .rated_band = "2",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "2",
	            .label = "2",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 25 (hygiene 15, structural 10, management 0) "
	                    "gives 3 (Generally satisfactory). The worst element, hygiene 15, caps "
	                    "it "
	                    "at 2 (Improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-3-by-25-element-to-0",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(5, 25, 0),
	  .want = { .score = 30,
	            .band = "3",
	            .rated_band = "0",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "0",
	            .label = "0",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 30 (hygiene 5, structural 25, management 0) "
	                    "gives 3 (Generally satisfactory). The worst element, structural 25, "
	                    "caps "
	                    "it at 0 (Urgent improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-management-30-to-0",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 0, 30),
	  .want = { .score = 30,
	            .band = "3",
	            .rated_band = "0",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "0",
	            .label = "0",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 30 (hygiene 0, structural 0, management 30) "
	                    "gives 3 (Generally satisfactory). The worst element, management 30, "
	                    "caps it at 0 (Urgent improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-2-needs-15-or-less",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(20, 10, 5),
	  .want = { .score = 35,
	            .band = "2",
	            .rated_band = "1",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "1",
	            .label = "1",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 35 (hygiene 20, structural 10, management 5) "
	                    "gives 2 (Improvement necessary). The worst element, hygiene 20, caps "
	                    "it "
	                    "at 1 (Major improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-cap-1-needs-20-or-less",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(10, 25, 10),
	  .want = { .score = 45,
	            .band = "1",
	            .rated_band = "0",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "0",
	            .label = "0",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 45 (hygiene 10, structural 25, management "
	                    "10) "
	                    "gives 1 (Major improvement necessary). The worst element, structural "
	                    "25, caps it at 0 (Urgent improvement necessary)." FHRS_PUBLISH } },

	/* --- FHRS: elements derived from violations, dismissal, re-rating ---------------- */
	{ .id = "fhrs-derived-elements",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  VIOL(V("H01", 15), V("H03", 10), V("S04", 5), V("M02", 10)),
	  .want = { .score = 30,
	            .deductions = 40,
	            .band = "3",
	            .rated_band = "2",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .code = "2",
	            .label = "2",
	            .sets_posted_grade = true,
	            .rule = "Initial inspection total 30 (hygiene 15, structural 5, management 10) "
	                    "gives 3 (Generally satisfactory). The worst element, hygiene 15, caps "
	                    "it "
	                    "at 2 (Improvement necessary)." FHRS_PUBLISH } },
	{ .id = "fhrs-derived-elements-dismissed",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  VIOL(VD("H01", 15), V("H03", 10), V("S04", 5), V("M02", 10)),
	  .want = { .score = 25,
	            .deductions = 25,
	            GRADED("3", "Initial inspection total 25 (hygiene 10, structural 5, management "
	                        "10) gives 3 (Generally satisfactory)." FHRS_PUBLISH) } },
	{ .id = "fhrs-explicit-elements-override-violations",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(5, 5, 5),
	  VIOL(V("H01", 25)),
	  .want = { .score = 15,
	            .deductions = 25,
	            GRADED("5", "Initial inspection total 15 (hygiene 5, structural 5, management "
	                        "5) gives 5 (Very good)." FHRS_PUBLISH) } },
	{ .id = "fhrs-rerating-after-standstill",
	  .scheme = "fhrs",
	  .type = REINSPECTION,
	  DAYS(90),
	  EL(5, 5, 5),
	  .want = { .score = 15,
	            GRADED("5", "Re-inspection total 15 (hygiene 5, structural 5, "
	                        "management 5) gives 5 (Very good)." FHRS_PUBLISH) } },
	{ .id = "fhrs-rerating-inside-standstill",
	  .scheme = "fhrs",
	  .type = REINSPECTION,
	  DAYS(89),
	  EL(5, 5, 5),
	  .want = ERR(ERANGE, "days_since_previous", -1) },
	{ .id = "fhrs-closure-still-rated",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  .closed = true,
	  EL(25, 25, 30),
	  .want = { .score = 80,
	            GRADED("0",
	                   "Initial inspection total 80 (hygiene 25, structural 25, management "
	                   "30) gives 0 (Urgent improvement necessary)." FHRS_PUBLISH) } },
	{ .id = "fhrs-pre-permit-awaiting-inspection",
	  .scheme = "fhrs",
	  .type = PRE_PERMIT,
	  EL(0, 0, 0),
	  .want = { .score = 0,
	            .band = "5",
	            .outcome = GRADE_OUTCOME_NOT_YET_GRADED,
	            .code = "AwaitingInspection",
	            .label = "Awaiting Inspection",
	            .sets_posted_grade = true,
	            .rule = "Pre-permit inspection: not graded; the establishment posts Awaiting "
	                    "Inspection (AwaitingInspection)." } },

	/* --- FHRS: input errors ----------------------------------------------------------- */
	{ .id = "fhrs-hygiene-not-multiple-of-5",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(7, 0, 0),
	  .want = ERR(EINVAL, "elements[]", 0) },
	{ .id = "fhrs-structural-above-25",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 30, 0),
	  .want = ERR(EINVAL, "elements[]", 1) },
	{ .id = "fhrs-management-15-not-allowed",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 0, 15),
	  .want = ERR(EINVAL, "elements[]", 2) },
	{ .id = "fhrs-management-25-not-allowed",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(0, 0, 25),
	  .want = ERR(EINVAL, "elements[]", 2) },
	{ .id = "fhrs-negative-element",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  EL(-5, 0, 0),
	  .want = ERR(EINVAL, "elements[]", 0) },
	{ .id = "fhrs-contribution-not-allowed-value",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  VIOL(V("H01", 7)),
	  .want = ERR(EINVAL, "violations[].points", 0) },
	{ .id = "fhrs-contribution-above-item-max",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  VIOL(V("S04", 20)),
	  .want = ERR(ERANGE, "violations[].points", 0) },
	{ .id = "fhrs-unknown-code",
	  .scheme = "fhrs",
	  .type = INITIAL,
	  VIOL(V("02B", 7)),
	  .want = ERR(ENOENT, "violations[].code", 0) },

	/* --- Chinese faces: band edges --------------------------------------------------- */
	{ .id = "cn-100-good",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  .want = { .score = 100,
	            .band = "good",
	            .code = "good",
	            .label = "Good",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 100 (100 minus 0 points), band 90-100: "
	                    "Good, green smiling face." } },
	{ .id = "cn-90-good",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN03", 10)),
	  .want = { .score = 90,
	            .deductions = 10,
	            .band = "good",
	            .code = "good",
	            .label = "Good",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 90 (100 minus 10 points), band 90-100: "
	                    "Good, green smiling face." } },
	{ .id = "cn-89-average",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN02", 5), V("CN07", 6)),
	  .want = { .score = 89,
	            .deductions = 11,
	            .band = "average",
	            .code = "average",
	            .label = "Average",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 89 (100 minus 11 points), band 75-89: "
	                    "Average, yellow straight face." } },
	{ .id = "cn-75-average",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN05", 15), V("CN03", 10)),
	  .want = { .score = 75,
	            .deductions = 25,
	            .band = "average",
	            .code = "average",
	            .label = "Average",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 75 (100 minus 25 points), band 75-89: "
	                    "Average, yellow straight face." } },
	{ .id = "cn-74-poor",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN05", 15), V("CN04", 11)),
	  .want = { .score = 74,
	            .deductions = 26,
	            .band = "poor",
	            .code = "poor",
	            .label = "Poor",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 74 (100 minus 26 points), band 60-74: "
	                    "Poor, red crying face." } },
	{ .id = "cn-60-poor",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN05", 30), V("CN01", 10)),
	  .want = { .score = 60,
	            .deductions = 40,
	            .band = "poor",
	            .code = "poor",
	            .label = "Poor",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 60 (100 minus 40 points), band 60-74: "
	                    "Poor, red crying face." } },
	{ .id = "cn-59-requires-action",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN05", 30), V("CN01", 11)),
	  .want = { .score = 59,
	            .deductions = 41,
	            .band = "action",
	            .code = "action",
	            .label = "Requires action",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 59 (100 minus 41 points), band 59 or less: "
	                    "Requires action, deadline to fix, then licence action." } },
	{ .id = "cn-clamped-at-0",
	  .scheme = "cn-faces",
	  .type = COMPLAINT,
	  VIOL(V("CN05", 30), V("CN05", 30), V("CN05", 30), V("CN05", 30)),
	  .want = { .score = 0,
	            .deductions = 120,
	            .band = "action",
	            .code = "action",
	            .label = "Requires action",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Complaint inspection scored 0 (100 minus 120 points, never below 0), "
	                    "band 59 or less: Requires action, deadline to fix, then licence "
	                    "action." } },
	{ .id = "cn-exactly-100-deducted",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN05", 30), V("CN05", 30), V("CN05", 30), V("CN04", 10)),
	  .want = { .score = 0,
	            .deductions = 100,
	            .band = "action",
	            .code = "action",
	            .label = "Requires action",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 0 (100 minus 100 points), band 59 or less: "
	                    "Requires action, deadline to fix, then licence action." } },
	{ .id = "cn-dismissed-not-deducted",
	  .scheme = "cn-faces",
	  .type = REINSPECTION,
	  VIOL(V("CN03", 10), VD("CN12", 2)),
	  .want = { .score = 90,
	            .deductions = 10,
	            .band = "good",
	            .code = "good",
	            .label = "Good",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Re-inspection scored 90 (100 minus 10 points), band 90-100: Good, "
	                    "green smiling face." } },
	{ .id = "cn-closure-still-rated",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  .closed = true,
	  VIOL(V("CN05", 30), V("CN06", 20)),
	  .want = { .score = 50,
	            .deductions = 50,
	            .band = "action",
	            .code = "action",
	            .label = "Requires action",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 50 (100 minus 50 points), band 59 or less: "
	                    "Requires action, deadline to fix, then licence action." } },
	{ .id = "cn-pre-permit-not-rated",
	  .scheme = "cn-faces",
	  .type = PRE_PERMIT,
	  .want = { .score = 100,
	            .band = "good",
	            .outcome = GRADE_OUTCOME_NOT_YET_GRADED,
	            .code = "N",
	            .label = "Not Yet Rated",
	            .sets_posted_grade = true,
	            .rule = "Pre-permit inspection: not graded; the establishment posts Not Yet "
	                    "Rated (N)." } },
	{ .id = "cn-points-above-item-max",
	  .scheme = "cn-faces",
	  .type = INITIAL,
	  VIOL(V("CN12", 5)),
	  .want = ERR(ERANGE, "violations[].points", 0) },

	/* --- San Francisco-style: band edges --------------------------------------------- */
	{ .id = "sf-90-good",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103130", 4), V("103131", 4), V("103142", 2)),
	  .want = { .score = 90,
	            .deductions = 10,
	            .band = "good",
	            .code = "good",
	            .label = "Good",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 90 (100 minus 10 points), band 90-100: "
	                    "Good, few or no violations." } },
	{ .id = "sf-89-adequate",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103103", 7), V("103132", 4)),
	  .want = { .score = 89,
	            .deductions = 11,
	            .band = "adequate",
	            .code = "adequate",
	            .label = "Adequate",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 89 (100 minus 11 points), band 86-89: "
	                    "Adequate, some violations to correct." } },
	{ .id = "sf-86-adequate",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103103", 7), V("103109", 7)),
	  .want = { .score = 86,
	            .deductions = 14,
	            .band = "adequate",
	            .code = "adequate",
	            .label = "Adequate",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 86 (100 minus 14 points), band 86-89: "
	                    "Adequate, some violations to correct." } },
	{ .id = "sf-85-needs-improvement",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103105", 7), V("103133", 4), V("103134", 4)),
	  .want = { .score = 85,
	            .deductions = 15,
	            .band = "needs-improvement",
	            .code = "needs-improvement",
	            .label = "Needs improvement",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 85 (100 minus 15 points), band 71-85: "
	                    "Needs improvement, several violations to correct." } },
	{ .id = "sf-71-needs-improvement",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103103", 7), V("103105", 7), V("103109", 7), V("103130", 4), V("103131", 4)),
	  .want = { .score = 71,
	            .deductions = 29,
	            .band = "needs-improvement",
	            .code = "needs-improvement",
	            .label = "Needs improvement",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 71 (100 minus 29 points), band 71-85: "
	                    "Needs improvement, several violations to correct." } },
	{ .id = "sf-70-poor",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103103", 7), V("103105", 7), V("103130", 4), V("103131", 4), V("103132", 4),
	       V("103142", 2), V("103145", 2)),
	  .want = { .score = 70,
	            .deductions = 30,
	            .band = "poor",
	            .code = "poor",
	            .label = "Poor",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 70 (100 minus 30 points), band 70 or less: "
	                    "Poor, many or serious violations." } },
	{ .id = "sf-100-good",
	  .scheme = "sf100",
	  .type = INITIAL,
	  .want = { .score = 100,
	            .deductions = 0,
	            .band = "good",
	            .code = "good",
	            .label = "Good",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 100 (100 minus 0 points), band 90-100: "
	                    "Good, few or no violations." } },
	{ .id = "sf-0-poor-never-below-0",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103103", 7), V("103105", 7), V("103109", 7), V("103114", 7), V("103120", 7),
	       V("103103", 7), V("103105", 7), V("103109", 7), V("103114", 7), V("103120", 7),
	       V("103103", 7), V("103105", 7), V("103109", 7), V("103114", 7), V("103120", 7)),
	  .want = { .score = 0,
	            .deductions = 105,
	            .band = "poor",
	            .code = "poor",
	            .label = "Poor",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Initial inspection scored 0 (100 minus 105 points, never below 0), "
	                    "band 70 or less: Poor, many or serious violations." } },
	{ .id = "sf-reopening-graded-normally",
	  .scheme = "sf100",
	  .type = REOPENING,
	  VIOL(V("103154", 2)),
	  .want = { .score = 98,
	            .deductions = 2,
	            .band = "good",
	            .code = "good",
	            .label = "Good",
	            .outcome = GRADE_OUTCOME_GRADED,
	            .sets_posted_grade = true,
	            .rule = "Re-opening inspection scored 98 (100 minus 2 points), band 90-100: "
	                    "Good, few or no violations." } },
	{ .id = "sf-points-differ-from-catalogue",
	  .scheme = "sf100",
	  .type = INITIAL,
	  VIOL(V("103142", 3)),
	  .want = ERR(ERANGE, "violations[].points", 0) },
	{ .id = "sf-element-scores-rejected",
	  .scheme = "sf100",
	  .type = INITIAL,
	  EL(5, 5, 5),
	  .want = ERR(EINVAL, "elements", -1) },
};

/* ---------------------------------------------------------------------------------------- */
/* Vectors: what the public sees during an appeal, and grade_reinspection_wait_days.       */

/*
 * What the public record shows (public_grade(), sql/functions/public_grade.sql) for an
 * establishment whose one inspection gave @issued_code and is appealed, the appeal in
 * @appeal_state after @adjournments adjournments. The rule lives in SQL, where every public
 * read runs it: these vectors are dumped with the others but run against a real database by
 * tests/integration/test_vectors.c, not here.
 */
struct posting_vector {
	const char *id;
	const char *scheme;
	const char *issued_code;
	const char *appeal_state;
	int adjournments;
	const char *state; /* the public grade's state, code and label */
	const char *code;
	const char *label;
	bool under_appeal;
	bool pending;
	bool new_rating_pending;
	const char *rule; /* NULL: none */
};

static const struct posting_vector posting_vectors[] = {
	{ "nyc-appeal-B-pending-Z", "nyc", "B", "filed", 0, "pending", "Z", "Grade Pending", true,
	  true, false,
	  "Grade B is contested: the establishment may post Grade Pending (Z) until the hearing." },
	{ "nyc-appeal-C-2-adjournments-still-pending", "nyc", "C", "hearing_scheduled", 2,
	  "pending", "Z", "Grade Pending", true, true, false,
	  "Grade C is contested: the establishment may post Grade Pending (Z) until the hearing." },
	{ "nyc-appeal-B-under-review-pending-Z", "nyc", "B", "under_review", 0, "pending", "Z",
	  "Grade Pending", true, true, false,
	  "Grade B is contested: the establishment may post Grade Pending (Z) until the hearing." },
	{ "nyc-appeal-B-3-adjournments-posts-letter", "nyc", "B", "hearing_scheduled", 3, "graded",
	  "B", "B", true, false, false, NULL },
	{ "nyc-appeal-A-posted-as-is", "nyc", "A", "filed", 0, "graded", "A", "A", true, false,
	  false, NULL },
	{ "nyc-appeal-upheld-posts-letter", "nyc", "B", "upheld", 0, "graded", "B", "B", false,
	  false, false, NULL },
	{ "nyc-appeal-withdrawn-posts-letter", "nyc", "C", "withdrawn", 1, "graded", "C", "C",
	  false, false, false, NULL },
	{ "fhrs-appeal-withheld", "fhrs", "2", "filed", 0, "awaiting_publication",
	  "AwaitingPublication", "Awaiting Publication", true, false, true,
	  "The new rating is not published until the appeal is decided; the previously "
	  "published rating stands." },
	{ "fhrs-appeal-upheld-published", "fhrs", "2", "upheld", 0, "graded", "2", "2", false,
	  false, false, NULL },
	{ "cn-no-appeal-rule", "cn-faces", "poor", "filed", 0, "graded", "poor", "Poor", true,
	  false, false, NULL },
};

struct wait_vector {
	const char *id;
	const char *scheme;
	int days_since_previous;
	int err;
	int days;
};

static const struct wait_vector wait_vectors[] = {
	{ "nyc-wait-day-0", "nyc", 0, 0, 7 },
	{ "nyc-wait-day-6", "nyc", 6, 0, 1 },
	{ "nyc-wait-day-7", "nyc", 7, 0, 0 },
	{ "nyc-wait-day-40", "nyc", 40, 0, 0 },
	{ "fhrs-standstill-day-0", "fhrs", 0, 0, 90 },
	{ "fhrs-standstill-day-89", "fhrs", 89, 0, 1 },
	{ "fhrs-standstill-day-90", "fhrs", 90, 0, 0 },
	{ "cn-no-wait", "cn-faces", 0, 0, 0 },
	{ "sf-no-wait", "sf100", 3, 0, 0 },
	{ "nyc-wait-negative-days", "nyc", -1, -EINVAL, 0 },
};

/* ---------------------------------------------------------------------------------------- */
/* Running the vectors.                                                                      */

static const struct grade_scheme *scheme_or_fail(const char *code)
{
	const struct grade_scheme *s = grade_scheme_builtin(code);

	assert_non_null(s);
	return s;
}

static struct grade_input vector_input(const struct compute_vector *v)
{
	struct grade_input in = {
		.type = v->type,
		.closed_establishment = v->closed,
		.days_since_previous = v->has_days ? v->days : GRADE_DAYS_UNKNOWN,
		.has_elements = v->has_elements,
		.violations = v->violations,
		.n_violations = v->n_violations,
	};

	memcpy(in.elements, v->elements, sizeof(in.elements));
	return in;
}

static void check_lines(const struct compute_vector *v, const struct grade_result *r)
{
	size_t nc = 0, nd = 0;

	for (size_t i = 0; i < v->n_violations; i++) {
		const struct grade_violation_input *vi = &v->violations[i];
		const struct grade_line *line =
		        vi->dismissed ? &r->dismissed[nd++] : &r->counted[nc++];

		assert_string_equal(line->code, vi->code);
		assert_int_equal(line->points, vi->points);
		assert_non_null(line->description);
	}
	assert_int_equal(r->n_counted, nc);
	assert_int_equal(r->n_dismissed, nd);
}

static void run_compute_vector(void **state)
{
	const struct compute_vector *v = *state;
	const struct expect *w = &v->want;
	const struct grade_scheme *s = scheme_or_fail(v->scheme);
	struct grade_input in = vector_input(v);
	struct grade_result r, before;
	struct grade_error e = { .field = "untouched", .index = 12345 };
	int err;

	memset(&r, 0x5a, sizeof(r));
	before = r;
	err = grade_compute(s, &in, &r, &e);
	assert_int_equal(err, w->err);

	if (w->err) {
		assert_string_equal(e.field, w->err_field);
		assert_int_equal(e.index, w->err_index);
		assert_memory_equal(&r, &before, sizeof(r));
		return;
	}

	assert_string_equal(e.field, "untouched");
	assert_int_equal(e.index, 12345);
	assert_int_equal(r.score, w->score);
	assert_int_equal(r.deductions, w->deductions);
	assert_non_null(r.band);
	assert_string_equal(r.band->code, w->band);
	assert_non_null(r.rated_band);
	assert_string_equal(r.rated_band->code, w->rated_band ? w->rated_band : w->band);
	assert_int_equal(r.outcome, w->outcome);
	assert_string_equal(r.code, w->code);
	assert_string_equal(r.label, w->label);
	assert_int_equal(r.sets_posted_grade, w->sets_posted_grade);
	assert_int_equal(r.reinspection_required, w->reinspection_required);
	assert_int_equal(r.reinspection_min_days, w->reinspection_min_days);
	assert_string_equal(r.rule, w->rule);
	check_lines(v, &r);
}

static void run_wait_vector(void **state)
{
	const struct wait_vector *v = *state;
	int days = -777;
	int err;

	err = grade_reinspection_wait_days(scheme_or_fail(v->scheme), v->days_since_previous,
	                                   &days);
	assert_int_equal(err, v->err);
	assert_int_equal(days, v->err ? -777 : v->days);
}

/* ---------------------------------------------------------------------------------------- */
/* The scheme data.                                                                          */

static void test_builtin_lookup(void **state)
{
	static const char *const codes[] = { "nyc", "fhrs", "cn-faces", "sf100" };

	(void)state;
	assert_int_equal(grade_scheme_builtin_count(), N_OF(codes));
	for (size_t i = 0; i < N_OF(codes); i++) {
		const struct grade_scheme *s = grade_scheme_builtin(codes[i]);

		assert_non_null(s);
		assert_string_equal(s->code, codes[i]);
		assert_ptr_equal(grade_scheme_builtin_at(i), s);
		assert_true(s->version >= 1);
		assert_non_null(s->name);
		assert_non_null(s->jurisdiction);
	}
	assert_null(grade_scheme_builtin_at(N_OF(codes)));
	assert_null(grade_scheme_builtin(NULL));
	assert_null(grade_scheme_builtin("NYC"));
	assert_null(grade_scheme_builtin(""));
	assert_null(grade_scheme_builtin("la"));
}

static void test_scheme_kinds(void **state)
{
	(void)state;
	assert_int_equal(scheme_or_fail("nyc")->kind, GRADE_KIND_POINTS_LOWER_BETTER);
	assert_int_equal(scheme_or_fail("fhrs")->kind, GRADE_KIND_ELEMENT_SCORES);
	assert_int_equal(scheme_or_fail("cn-faces")->kind, GRADE_KIND_DEDUCT_FROM_100);
	assert_int_equal(scheme_or_fail("sf100")->kind, GRADE_KIND_DEDUCT_FROM_100);
}

/* Bands are ordered best first, contiguous, cover every reachable score, and have unique
 * codes; caps never loosen as the rating falls. */
static void test_bands_well_formed(void **state)
{
	(void)state;
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++) {
		const struct grade_scheme *s = grade_scheme_builtin_at(i);
		const struct grade_band *b = s->bands;
		size_t n = s->n_bands;
		bool lower_better = s->kind != GRADE_KIND_DEDUCT_FROM_100;

		assert_true(n >= 3);
		if (lower_better) {
			assert_int_equal(b[0].min, 0);
			assert_int_equal(b[n - 1].max, GRADE_SCORE_OPEN);
		} else {
			assert_int_equal(b[0].max, 100);
			assert_int_equal(b[n - 1].min, 0);
		}
		for (size_t j = 0; j < n; j++) {
			assert_true(b[j].min <= b[j].max);
			assert_non_null(b[j].label);
			assert_non_null(b[j].code);
			assert_true(b[j].code[0] != '\0');
			assert_non_null(b[j].meaning);
			if (j == 0)
				continue;
			if (lower_better)
				assert_int_equal(b[j].min, b[j - 1].max + 1);
			else
				assert_int_equal(b[j].max, b[j - 1].min - 1);
			assert_true(b[j].max_element >= b[j - 1].max_element);
			for (size_t k = 0; k < j; k++)
				assert_string_not_equal(b[j].code, b[k].code);
		}
	}
}

static void test_nyc_bands(void **state)
{
	const struct grade_scheme *s = scheme_or_fail("nyc");

	(void)state;
	assert_int_equal(s->n_bands, 3);
	assert_string_equal(s->bands[0].code, "A");
	assert_int_equal(s->bands[0].max, 13);
	assert_string_equal(s->bands[1].code, "B");
	assert_int_equal(s->bands[1].min, 14);
	assert_int_equal(s->bands[1].max, 27);
	assert_string_equal(s->bands[2].code, "C");
	assert_int_equal(s->bands[2].min, 28);
}

static void test_fhrs_caps(void **state)
{
	static const int caps[] = { 5, 10, 10, 15, 20, GRADE_NO_CAP };
	static const char *const codes[] = { "5", "4", "3", "2", "1", "0" };
	const struct grade_scheme *s = scheme_or_fail("fhrs");

	(void)state;
	assert_int_equal(s->n_bands, N_OF(caps));
	for (size_t i = 0; i < N_OF(caps); i++) {
		assert_int_equal(s->bands[i].max_element, caps[i]);
		assert_string_equal(s->bands[i].code, codes[i]);
	}
	assert_int_equal(s->n_elements, 3);
	assert_string_equal(s->elements[0].name, "hygiene");
	assert_string_equal(s->elements[1].name, "structural");
	assert_string_equal(s->elements[2].name, "management");
	assert_int_equal(s->elements[2].n_allowed, 5);
	assert_int_equal(s->elements[2].allowed[4], 30);
}

static void test_rules_data(void **state)
{
	const struct grade_rules *nyc = &scheme_or_fail("nyc")->rules;
	const struct grade_rules *fhrs = &scheme_or_fail("fhrs")->rules;
	const struct grade_rules *cn = &scheme_or_fail("cn-faces")->rules;

	(void)state;
	assert_true(nyc->initial_graded_only_in_top_band);
	assert_int_equal(nyc->min_days_before_reinspection, 7);
	assert_int_equal(nyc->appeal_window, GRADE_APPEAL_UNTIL_HEARING);
	assert_int_equal(nyc->appeal_window_days, 0);
	assert_string_equal(nyc->pending_label_during_appeal, "Grade Pending");
	assert_string_equal(nyc->pending_code_during_appeal, "Z");
	assert_false(nyc->withhold_until_appeal_decided);
	assert_int_equal(nyc->max_adjournments_with_pending, 2);
	assert_true(nyc->closure_issues_no_grade);
	assert_string_equal(nyc->reopening_code, "P");
	assert_string_equal(nyc->not_yet_graded_code, "N");
	assert_false(nyc->graded_types & GRADE_TYPE_BIT(GRADE_INSPECTION_COMPLAINT));

	assert_false(fhrs->initial_graded_only_in_top_band);
	assert_int_equal(fhrs->appeal_window, GRADE_APPEAL_WITHIN_DAYS);
	assert_int_equal(fhrs->appeal_window_days, 21);
	assert_null(fhrs->pending_label_during_appeal);
	assert_true(fhrs->withhold_until_appeal_decided);
	assert_int_equal(fhrs->rerating_standstill_days, 90);
	assert_null(fhrs->reopening_label);

	assert_int_equal(cn->appeal_window, GRADE_APPEAL_NONE);
	assert_false(cn->closure_issues_no_grade);
}

/* Each catalogue: 8-15 items, unique codes, plain-language text, default points inside the
 * item's range, NYC minimums by severity, FHRS contributions among allowed element values. */
static void test_catalogues(void **state)
{
	static const int severity_min[] = {
		[GRADE_SEVERITY_NONE] = 0,
		[GRADE_SEVERITY_GENERAL] = 2,
		[GRADE_SEVERITY_CRITICAL] = 5,
		[GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD] = 7,
	};

	(void)state;
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++) {
		const struct grade_scheme *s = grade_scheme_builtin_at(i);

		assert_true(s->n_violations >= 8 && s->n_violations <= 15);
		for (size_t j = 0; j < s->n_violations; j++) {
			const struct grade_violation_def *d = &s->violations[j];

			assert_non_null(d->code);
			assert_true(strlen(d->description) > 10);
			assert_ptr_equal(grade_violation_lookup(s, d->code), d);
			assert_true(d->min_points >= 0);
			assert_true(d->min_points <= d->default_points);
			assert_true(d->default_points <= d->max_points);
			assert_true(d->min_points >= severity_min[d->severity]);
			assert_true(d->category <= GRADE_CATEGORY_CORE);
			if (s->kind == GRADE_KIND_POINTS_LOWER_BETTER)
				assert_int_not_equal(d->severity, GRADE_SEVERITY_NONE);
			if (s->kind == GRADE_KIND_ELEMENT_SCORES) {
				const struct grade_element *e;
				bool found = false;

				assert_true(d->element >= 0 && (size_t)d->element < s->n_elements);
				e = &s->elements[d->element];
				for (size_t k = 0; k < e->n_allowed; k++)
					found |= e->allowed[k] == d->default_points;
				assert_true(found);
			} else {
				assert_int_equal(d->element, -1);
			}
			for (size_t k = 0; k < j; k++)
				assert_string_not_equal(d->code, s->violations[k].code);
		}
	}
	assert_null(grade_violation_lookup(NULL, "02B"));
	assert_null(grade_violation_lookup(scheme_or_fail("nyc"), NULL));
	assert_null(grade_violation_lookup(scheme_or_fail("nyc"), "02b"));
	assert_int_equal(grade_violation_lookup(scheme_or_fail("nyc"), "04L")->category,
	                 GRADE_CATEGORY_PRIORITY_FOUNDATION);
	assert_int_equal(grade_violation_lookup(scheme_or_fail("nyc"), "02B")->severity,
	                 GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD);
}

/* Every catalogue item at its default points is accepted on its own. */
static void test_catalogue_defaults_accepted(void **state)
{
	(void)state;
	for (size_t i = 0; i < grade_scheme_builtin_count(); i++) {
		const struct grade_scheme *s = grade_scheme_builtin_at(i);

		for (size_t j = 0; j < s->n_violations; j++) {
			struct grade_violation_input v = { s->violations[j].code,
				                           s->violations[j].default_points, false };
			struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
				                  .days_since_previous = GRADE_DAYS_UNKNOWN,
				                  .violations = &v,
				                  .n_violations = 1 };
			struct grade_result r;

			assert_int_equal(grade_compute(s, &in, &r, NULL), 0);
			assert_int_equal(r.deductions, v.points);
			assert_int_equal(r.n_counted, 1);
			assert_ptr_equal(r.counted[0].description, s->violations[j].description);
			assert_int_equal(r.counted[0].category, s->violations[j].category);
		}
	}
}

/* ---------------------------------------------------------------------------------------- */
/* The error contract.                                                                       */

static void test_null_arguments(void **state)
{
	const struct grade_scheme *s = scheme_or_fail("nyc");
	struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN };
	struct grade_result r;
	struct grade_error e;

	(void)state;
	assert_int_equal(grade_compute(NULL, &in, &r, &e), -EINVAL);
	assert_string_equal(e.field, "scheme");
	assert_int_equal(grade_compute(s, NULL, &r, &e), -EINVAL);
	assert_string_equal(e.field, "input");
	assert_int_equal(grade_compute(s, &in, NULL, &e), -EINVAL);
	assert_string_equal(e.field, "result");
	assert_int_equal(grade_compute(s, &in, NULL, NULL), -EINVAL);
	assert_int_equal(grade_compute(s, &in, &r, NULL), 0);
}

static void test_null_violation_array(void **state)
{
	struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN,
		                  .violations = NULL,
		                  .n_violations = 2 };
	struct grade_result r;
	struct grade_error e;

	(void)state;
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, &e), -EINVAL);
	assert_string_equal(e.field, "violations");
	assert_int_equal(e.index, -1);
}

static void test_null_violation_code(void **state)
{
	struct grade_violation_input v[] = { { "02B", 7, false }, { NULL, 5, false } };
	struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN,
		                  .violations = v,
		                  .n_violations = 2 };
	struct grade_result r;
	struct grade_error e;

	(void)state;
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, &e), -EINVAL);
	assert_string_equal(e.field, "violations[].code");
	assert_int_equal(e.index, 1);
}

static void test_unknown_inspection_type(void **state)
{
	struct grade_input in = { .type = (enum grade_inspection_type)GRADE_INSPECTION_TYPE_COUNT,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN };
	struct grade_result r;
	struct grade_error e;

	(void)state;
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, &e), -EINVAL);
	assert_string_equal(e.field, "type");
	in.type = (enum grade_inspection_type) - 1;
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, &e), -EINVAL);
	assert_string_equal(e.field, "type");
}

static void test_too_many_violations(void **state)
{
	struct grade_violation_input v[GRADE_MAX_VIOLATIONS + 1];
	struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN,
		                  .violations = v };
	struct grade_result r, before;
	struct grade_error e;

	(void)state;
	for (size_t i = 0; i < N_OF(v); i++)
		v[i] = (struct grade_violation_input){ "10F", 2, i % 2 == 0 };

	in.n_violations = GRADE_MAX_VIOLATIONS;
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, &e), 0);
	assert_int_equal(r.n_counted, GRADE_MAX_VIOLATIONS / 2);
	assert_int_equal(r.n_dismissed, GRADE_MAX_VIOLATIONS / 2);
	assert_int_equal(r.score, GRADE_MAX_VIOLATIONS);

	in.n_violations = GRADE_MAX_VIOLATIONS + 1;
	memset(&r, 0x33, sizeof(r));
	before = r;
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, &e), -E2BIG);
	assert_string_equal(e.field, "violations");
	assert_memory_equal(&r, &before, sizeof(r));
}

/* The largest score the catalogue allows stays far from overflow and in the last band. */
static void test_max_points_all_counted(void **state)
{
	struct grade_violation_input v[GRADE_MAX_VIOLATIONS];
	struct grade_input in = { .type = GRADE_INSPECTION_REINSPECTION,
		                  .days_since_previous = 7,
		                  .violations = v,
		                  .n_violations = GRADE_MAX_VIOLATIONS };
	struct grade_result r;

	(void)state;
	for (size_t i = 0; i < N_OF(v); i++)
		v[i] = (struct grade_violation_input){ "04H", 28, false };
	assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, NULL), 0);
	assert_int_equal(r.score, 28 * GRADE_MAX_VIOLATIONS);
	assert_string_equal(r.code, "C");
}

static void test_fhrs_capping_element_index(void **state)
{
	struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN,
		                  .has_elements = true,
		                  .elements = { 5, 20, 5 } };
	struct grade_result r;

	(void)state;
	assert_int_equal(grade_compute(scheme_or_fail("fhrs"), &in, &r, NULL), 0);
	assert_int_equal(r.capping_element, 1);
	assert_string_equal(r.band->code, "3");
	assert_string_equal(r.code, "1");
	assert_int_equal(r.elements[0], 5);
	assert_int_equal(r.elements[1], 20);
	assert_int_equal(r.elements[2], 5);

	in.elements[1] = 10;
	assert_int_equal(grade_compute(scheme_or_fail("fhrs"), &in, &r, NULL), 0);
	assert_int_equal(r.capping_element, -1);
	assert_ptr_equal(r.band, r.rated_band);
	assert_string_equal(r.code, "4");
}

static void test_fhrs_no_input_rates_5(void **state)
{
	struct grade_input in = { .type = GRADE_INSPECTION_COMPLAINT,
		                  .days_since_previous = GRADE_DAYS_UNKNOWN };
	struct grade_result r;

	(void)state;
	assert_int_equal(grade_compute(scheme_or_fail("fhrs"), &in, &r, NULL), 0);
	assert_int_equal(r.score, 0);
	assert_string_equal(r.code, "5");
	assert_int_equal(r.outcome, GRADE_OUTCOME_GRADED);
}

/* Independent model of the FHRS rating: the domain.md wording, written as plain ifs. */
static int fhrs_model(int h, int s, int m)
{
	int total = h + s + m;
	int worst = h > s ? h : s;
	int rating;

	worst = worst > m ? worst : m;
	if (total <= 15)
		rating = 5;
	else if (total <= 20)
		rating = 4;
	else if (total <= 30)
		rating = 3;
	else if (total <= 40)
		rating = 2;
	else if (total <= 50)
		rating = 1;
	else
		rating = 0;
	if (rating == 5 && worst > 5)
		rating = 4;
	if ((rating == 4 || rating == 3) && worst > 10)
		rating = 2;
	if (rating == 2 && worst > 15)
		rating = 1;
	if (rating == 1 && worst > 20)
		rating = 0;
	return rating;
}

static void test_fhrs_exhaustive(void **state)
{
	static const int hs[] = { 0, 5, 10, 15, 20, 25 };
	static const int ms[] = { 0, 5, 10, 20, 30 };
	int checked = 0;

	(void)state;
	for (size_t a = 0; a < N_OF(hs); a++) {
		for (size_t b = 0; b < N_OF(hs); b++) {
			for (size_t c = 0; c < N_OF(ms); c++) {
				struct grade_input in = {
					.type = GRADE_INSPECTION_INITIAL,
					.days_since_previous = GRADE_DAYS_UNKNOWN,
					.has_elements = true,
					.elements = { hs[a], hs[b], ms[c] },
				};
				struct grade_result r;
				char want[2];

				snprintf(want, sizeof(want), "%d", fhrs_model(hs[a], hs[b], ms[c]));
				assert_int_equal(
				        grade_compute(scheme_or_fail("fhrs"), &in, &r, NULL), 0);
				assert_int_equal(r.score, hs[a] + hs[b] + ms[c]);
				assert_string_equal(r.code, want);
				checked++;
			}
		}
	}
	assert_int_equal(checked, 6 * 6 * 5);
}

/* Every NYC score 0..60 through single-item general violations and a hazard: the band and
 * letter follow the 13/14 and 27/28 edges. */
static void test_nyc_sweep(void **state)
{
	(void)state;
	for (int score = 0; score <= 60; score++) {
		struct grade_violation_input v[GRADE_MAX_VIOLATIONS];
		size_t n = 0;
		int left = score;
		struct grade_input in = { .type = GRADE_INSPECTION_REINSPECTION,
			                  .days_since_previous = 7,
			                  .violations = v };
		struct grade_result r;
		const char *want = score <= 13 ? "A" : score <= 27 ? "B" : "C";

		/* Odd remainders use one 7-point hazard; the rest in 2-point general items. */
		if (left % 2) {
			if (left < 7)
				continue; /* 1, 3 and 5 are not reachable with 2s and 7s */
			v[n++] = (struct grade_violation_input){ "02B", 7, false };
			left -= 7;
		}
		for (; left > 0; left -= 2)
			v[n++] = (struct grade_violation_input){ "10F", 2, false };
		in.n_violations = n;
		assert_int_equal(grade_compute(scheme_or_fail("nyc"), &in, &r, NULL), 0);
		assert_int_equal(r.score, score);
		assert_string_equal(r.code, want);
	}
}

/* CN and SF: every deduction total 0..110 through 2-point items and one odd 3-point item. */
static void check_deduct_sweep(const char *scheme, const char *even, const char *odd,
                               const int *edges, const char *const *codes)
{
	for (int d = 0; d <= 110; d++) {
		struct grade_violation_input v[GRADE_MAX_VIOLATIONS];
		size_t n = 0;
		int left = d;
		struct grade_input in = { .type = GRADE_INSPECTION_INITIAL,
			                  .days_since_previous = GRADE_DAYS_UNKNOWN,
			                  .violations = v };
		struct grade_result r;
		int score = d > 100 ? 0 : 100 - d;
		size_t band = 0;

		if (left % 2) {
			if (left < 7)
				continue;
			v[n++] = (struct grade_violation_input){ odd, 7, false };
			left -= 7;
		}
		for (; left > 0; left -= 2)
			v[n++] = (struct grade_violation_input){ even, 2, false };
		in.n_violations = n;
		while (score < edges[band])
			band++;
		assert_int_equal(grade_compute(scheme_or_fail(scheme), &in, &r, NULL), 0);
		assert_int_equal(r.score, score);
		assert_string_equal(r.code, codes[band]);
	}
}

static void test_cn_sweep(void **state)
{
	static const int edges[] = { 90, 75, 60, 0 };
	static const char *const codes[] = { "good", "average", "poor", "action" };

	(void)state;
	/* CN12 2 points; CN07 allows 7 (range 5-10). */
	check_deduct_sweep("cn-faces", "CN12", "CN07", edges, codes);
}

static void test_sf_sweep(void **state)
{
	static const int edges[] = { 90, 86, 71, 0 };
	static const char *const codes[] = { "good", "adequate", "needs-improvement", "poor" };

	(void)state;
	check_deduct_sweep("sf100", "103142", "103103", edges, codes);
}

static void test_wait_null_arguments(void **state)
{
	int days = 5;

	(void)state;
	assert_int_equal(grade_reinspection_wait_days(NULL, 3, &days), -EINVAL);
	assert_int_equal(grade_reinspection_wait_days(scheme_or_fail("nyc"), 3, NULL), -EINVAL);
	assert_int_equal(days, 5);
}

static void test_names(void **state)
{
	enum grade_inspection_type t;

	(void)state;
	for (unsigned i = 0; i < GRADE_INSPECTION_TYPE_COUNT; i++) {
		const char *name = grade_inspection_type_name((enum grade_inspection_type)i);

		assert_string_not_equal(name, "?");
		assert_int_equal(grade_inspection_type_parse(name, &t), 0);
		assert_int_equal(t, i);
	}
	assert_string_equal(grade_inspection_type_name(GRADE_INSPECTION_PRE_PERMIT), "pre-permit");
	assert_string_equal(
	        grade_inspection_type_name((enum grade_inspection_type)GRADE_INSPECTION_TYPE_COUNT),
	        "?");
	t = GRADE_INSPECTION_COMPLAINT;
	assert_int_equal(grade_inspection_type_parse("routine", &t), -ENOENT);
	assert_int_equal(t, GRADE_INSPECTION_COMPLAINT);
	assert_int_equal(grade_inspection_type_parse(NULL, &t), -EINVAL);
	assert_int_equal(grade_inspection_type_parse("initial", NULL), -EINVAL);

	assert_string_equal(grade_outcome_name(GRADE_OUTCOME_NOT_YET_GRADED), "not-yet-graded");
	assert_string_equal(grade_outcome_name((enum grade_outcome)99), "?");
	assert_string_equal(grade_category_name(GRADE_CATEGORY_PRIORITY_FOUNDATION),
	                    "priority-foundation");
	assert_string_equal(grade_category_name((enum grade_category)99), "?");
	assert_string_equal(grade_severity_name(GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD),
	                    "public-health-hazard");
	assert_string_equal(grade_severity_name((enum grade_severity)99), "?");
	assert_string_equal(grade_scheme_kind_name(GRADE_KIND_ELEMENT_SCORES), "element-scores");
	assert_string_equal(grade_scheme_kind_name((enum grade_scheme_kind)99), "?");
}

/* ---------------------------------------------------------------------------------------- */
/* --dump-vectors: the same tables as JSON, for tests/vectors/grading.json.                  */

static void json_string(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *errno_name(int err)
{
	switch (-err) {
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case ERANGE: return "ERANGE";
	case E2BIG: return "E2BIG";
	}
	return "?";
}

static const char *json_bool(bool b)
{
	return b ? "true" : "false";
}

static void dump_compute(const struct compute_vector *v)
{
	const struct grade_scheme *s = grade_scheme_builtin(v->scheme);
	const struct expect *w = &v->want;
	size_t n_dismissed = 0;

	printf("  {\n    \"id\": ");
	json_string(v->id);
	printf(",\n    \"op\": \"compute\",\n    \"scheme\": ");
	json_string(v->scheme);
	printf(",\n    \"scheme_version\": %d,\n    \"input\": {\n      \"inspection_type\": ",
	       s ? s->version : 0);
	json_string(grade_inspection_type_name(v->type));
	printf(",\n      \"closed\": %s,\n      \"days_since_previous\": ", json_bool(v->closed));
	if (v->has_days)
		printf("%d", v->days);
	else
		printf("null");
	printf(",\n      \"elements\": ");
	if (v->has_elements)
		printf("{ \"hygiene\": %d, \"structural\": %d, \"management\": %d }",
		       v->elements[0], v->elements[1], v->elements[2]);
	else
		printf("null");
	printf(",\n      \"violations\": [");
	for (size_t i = 0; i < v->n_violations; i++) {
		printf("%s\n        { \"code\": ", i ? "," : "");
		json_string(v->violations[i].code);
		printf(", \"points\": %d, \"dismissed\": %s }", v->violations[i].points,
		       json_bool(v->violations[i].dismissed));
		n_dismissed += v->violations[i].dismissed;
	}
	printf("%s]\n    },\n    \"expect\": {\n", v->n_violations ? "\n      " : "");
	if (w->err) {
		printf("      \"error\": \"%s\",\n      \"error_field\": ", errno_name(w->err));
		json_string(w->err_field);
		printf(",\n      \"error_index\": %d\n    }\n  }", w->err_index);
		return;
	}
	printf("      \"error\": null,\n      \"score\": %d,\n      \"deductions\": %d,\n",
	       w->score, w->deductions);
	printf("      \"band\": ");
	json_string(w->band);
	printf(",\n      \"rated_band\": ");
	json_string(w->rated_band ? w->rated_band : w->band);
	printf(",\n      \"outcome\": ");
	json_string(grade_outcome_name(w->outcome));
	printf(",\n      \"grade_code\": ");
	json_string(w->code);
	printf(",\n      \"grade_label\": ");
	json_string(w->label);
	printf(",\n      \"sets_posted_grade\": %s,\n      \"reinspection_required\": %s,\n"
	       "      \"reinspection_min_days\": %d,\n      \"counted\": %zu,\n"
	       "      \"dismissed\": %zu,\n      \"rule\": ",
	       json_bool(w->sets_posted_grade), json_bool(w->reinspection_required),
	       w->reinspection_min_days, v->n_violations - n_dismissed, n_dismissed);
	json_string(w->rule);
	printf("\n    }\n  }");
}

static void dump_posting(const struct posting_vector *v)
{
	printf("  {\n    \"id\": ");
	json_string(v->id);
	printf(",\n    \"op\": \"appeal_posting\",\n    \"scheme\": ");
	json_string(v->scheme);
	printf(",\n    \"scheme_version\": %d,\n    \"input\": { \"posted_grade\": ",
	       grade_scheme_builtin(v->scheme)->version);
	json_string(v->issued_code);
	printf(", \"appeal_state\": ");
	json_string(v->appeal_state);
	printf(", \"adjournments\": %d },\n    \"expect\": {\n      \"state\": ", v->adjournments);
	json_string(v->state);
	printf(",\n      \"grade_code\": ");
	json_string(v->code);
	printf(",\n      \"grade_label\": ");
	json_string(v->label);
	printf(",\n      \"under_appeal\": %s,\n      \"pending\": %s,\n"
	       "      \"new_rating_pending\": %s,\n      \"rule\": ",
	       json_bool(v->under_appeal), json_bool(v->pending), json_bool(v->new_rating_pending));
	json_string(v->rule);
	printf("\n    }\n  }");
}

static void dump_wait(const struct wait_vector *v)
{
	printf("  {\n    \"id\": ");
	json_string(v->id);
	printf(",\n    \"op\": \"reinspection_wait\",\n    \"scheme\": ");
	json_string(v->scheme);
	printf(",\n    \"scheme_version\": %d,\n    \"input\": { \"days_since_previous\": %d },\n"
	       "    \"expect\": { ",
	       grade_scheme_builtin(v->scheme)->version, v->days_since_previous);
	if (v->err)
		printf("\"error\": \"%s\" }\n  }", errno_name(v->err));
	else
		printf("\"error\": null, \"days\": %d }\n  }", v->days);
}

static void dump_vectors(void)
{
	const char *sep = "";

	printf("[\n");
	for (size_t i = 0; i < N_OF(compute_vectors); i++, sep = ",\n") {
		fputs(sep, stdout);
		dump_compute(&compute_vectors[i]);
	}
	for (size_t i = 0; i < N_OF(posting_vectors); i++) {
		fputs(sep, stdout);
		dump_posting(&posting_vectors[i]);
	}
	for (size_t i = 0; i < N_OF(wait_vectors); i++) {
		fputs(sep, stdout);
		dump_wait(&wait_vectors[i]);
	}
	printf("\n]\n");
}

/* ---------------------------------------------------------------------------------------- */

/* What an inspection's result posts: every outcome, set or not, closed or not, and none. */
static void test_posted_of(void **state)
{
	(void)state;
	const struct grade_scheme *nyc = scheme_or_fail("nyc");
	static const struct {
		enum grade_outcome outcome;
		const char *state;
	} outcomes[] = {
		{ GRADE_OUTCOME_GRADED, "graded" },
		{ GRADE_OUTCOME_PENDING, "pending" },
		{ GRADE_OUTCOME_NOT_YET_GRADED, "not_yet_graded" },
		{ GRADE_OUTCOME_NO_GRADE, "not_yet_graded" },
		{ GRADE_OUTCOME_UNCHANGED, "not_yet_graded" },
	};
	for (size_t i = 0; i < N_OF(outcomes); i++) {
		for (int sets = 0; sets < 2; sets++) {
			for (int closed = 0; closed < 2; closed++) {
				struct grade_result r = { .outcome = outcomes[i].outcome,
					                  .sets_posted_grade = sets,
					                  .code = "B",
					                  .label = "Grade B" };
				struct grade_posted p = { "untouched", "untouched", "untouched" };
				bool posts = grade_posted_of(nyc, &r, closed, &p);
				assert_int_equal(posts, sets || closed);
				if (closed) {
					assert_string_equal(p.state, "closed");
					assert_string_equal(p.code, "");
					assert_string_equal(p.label, "Closed");
				} else if (sets) {
					assert_string_equal(p.state, outcomes[i].state);
					assert_string_equal(p.code, "B");
					assert_string_equal(p.label, "Grade B");
				} else {
					assert_string_equal(p.state, "untouched");
				}
			}
		}
	}
	/* No result: the scheme's own "not yet graded", or a plain one without a scheme. */
	struct grade_posted p;
	assert_true(grade_posted_of(nyc, NULL, false, &p));
	assert_string_equal(p.state, "not_yet_graded");
	assert_string_equal(p.code, "N");
	assert_string_equal(p.label, "Not Yet Graded");
	assert_true(grade_posted_of(scheme_or_fail("fhrs"), NULL, false, &p));
	assert_string_equal(p.code, "AwaitingInspection");
	assert_true(grade_posted_of(NULL, NULL, false, &p));
	assert_string_equal(p.code, "");
	assert_string_equal(p.label, "Not yet graded");
	assert_true(grade_posted_of(nyc, NULL, true, &p));
	assert_string_equal(p.state, "closed");
}

static const struct CMUnitTest fixed_tests[] = {
	cmocka_unit_test(test_posted_of),
	cmocka_unit_test(test_builtin_lookup),
	cmocka_unit_test(test_scheme_kinds),
	cmocka_unit_test(test_bands_well_formed),
	cmocka_unit_test(test_nyc_bands),
	cmocka_unit_test(test_fhrs_caps),
	cmocka_unit_test(test_rules_data),
	cmocka_unit_test(test_catalogues),
	cmocka_unit_test(test_catalogue_defaults_accepted),
	cmocka_unit_test(test_null_arguments),
	cmocka_unit_test(test_null_violation_array),
	cmocka_unit_test(test_null_violation_code),
	cmocka_unit_test(test_unknown_inspection_type),
	cmocka_unit_test(test_too_many_violations),
	cmocka_unit_test(test_max_points_all_counted),
	cmocka_unit_test(test_fhrs_capping_element_index),
	cmocka_unit_test(test_fhrs_no_input_rates_5),
	cmocka_unit_test(test_fhrs_exhaustive),
	cmocka_unit_test(test_nyc_sweep),
	cmocka_unit_test(test_cn_sweep),
	cmocka_unit_test(test_sf_sweep),
	cmocka_unit_test(test_wait_null_arguments),
	cmocka_unit_test(test_names),
};

#define N_TESTS (N_OF(fixed_tests) + N_OF(compute_vectors) + N_OF(wait_vectors))

int main(int argc, char **argv)
{
	static struct CMUnitTest tests[N_TESTS];
	size_t n = 0;

	if (argc == 2 && strcmp(argv[1], "--dump-vectors") == 0) {
		dump_vectors();
		return 0;
	}

	for (size_t i = 0; i < N_OF(fixed_tests); i++)
		tests[n++] = fixed_tests[i];
	/* Each vector is its own test, named by its id; the casts only drop const, the test
	 * functions read the vectors through const pointers. */
	for (size_t i = 0; i < N_OF(compute_vectors); i++)
		tests[n++] = (struct CMUnitTest){ compute_vectors[i].id, run_compute_vector, NULL,
			                          NULL, (void *)&compute_vectors[i] };
	for (size_t i = 0; i < N_OF(wait_vectors); i++)
		tests[n++] = (struct CMUnitTest){ wait_vectors[i].id, run_wait_vector, NULL, NULL,
			                          (void *)&wait_vectors[i] };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
