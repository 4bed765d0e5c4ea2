/*
 * grade.c - the grading engine and the built-in scoring schemes.
 *
 * The first half is data: the four built-in schemes, each with its bands, cycle and appeal
 * rules and a small violation catalogue. The second half is the engine, which knows only the
 * three scheme kinds; everything jurisdiction-specific is read from the tables.
 *
 * Domain layer: pure rules, no I/O, no allocation. See grade.h for the contracts.
 */
#include "domain/grade.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------------------- */
/* New York City: points, lower is better.                                                   */

static const struct grade_band nyc_bands[] = {
	{ 0, 13, "A", "A", "0-13 points", GRADE_NO_CAP, NULL },
	{ 14, 27, "B", "B", "14-27 points", GRADE_NO_CAP, NULL },
	{ 28, GRADE_SCORE_OPEN, "C", "C", "28 or more points", GRADE_NO_CAP, NULL },
};

/* Points grow with the condition level observed: min_points is condition I, max_points the
 * highest level the item allows. */
#define NYC_PHH(c, d, cat)                                                                         \
	{                                                                                          \
		c, d, cat, GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD, 7, 7, 28, -1, false, NULL          \
	}
#define NYC_CRIT(c, d, cat)                                                                        \
	{                                                                                          \
		c, d, cat, GRADE_SEVERITY_CRITICAL, 5, 5, 28, -1, false, NULL                      \
	}
#define NYC_GEN(c, d, cat)                                                                         \
	{                                                                                          \
		c, d, cat, GRADE_SEVERITY_GENERAL, 2, 2, 5, -1, false, NULL                        \
	}

static const struct grade_violation_def nyc_violations[] = {
	NYC_PHH("02B", "Hot food was not kept at or above 140 degrees F.", GRADE_CATEGORY_PRIORITY),
	NYC_PHH("02G", "Cold food was kept above 41 degrees F.", GRADE_CATEGORY_PRIORITY),
	NYC_PHH("04H", "Raw, cooked or prepared food was contaminated or cross-contaminated.",
	        GRADE_CATEGORY_PRIORITY),
	NYC_CRIT("04A", "No manager or supervisor on duty held a Food Protection Certificate.",
	         GRADE_CATEGORY_PRIORITY_FOUNDATION),
	NYC_CRIT("04J", "No accurate thermometer to check food temperatures.",
	         GRADE_CATEGORY_PRIORITY_FOUNDATION),
	NYC_CRIT("04L", "Evidence of mice, or live mice, in the food or non-food areas.",
	         GRADE_CATEGORY_PRIORITY_FOUNDATION),
	NYC_CRIT("04M", "Live roaches in the food or non-food areas.",
	         GRADE_CATEGORY_PRIORITY_FOUNDATION),
	NYC_CRIT("04N", "Filth flies in the food or non-food areas.",
	         GRADE_CATEGORY_PRIORITY_FOUNDATION),
	NYC_CRIT("05D", "No hand-washing sink, or the sink was blocked or had no soap or towels.",
	         GRADE_CATEGORY_PRIORITY_FOUNDATION),
	NYC_CRIT("06C", "Food was not protected from contamination while stored or served.",
	         GRADE_CATEGORY_PRIORITY),
	NYC_CRIT("06D", "Surfaces that touch food were not washed, rinsed and sanitized.",
	         GRADE_CATEGORY_PRIORITY),
	NYC_GEN("08A", "Gaps or conditions that let pests in or give them shelter.",
	        GRADE_CATEGORY_CORE),
	NYC_GEN("09C", "Surfaces that touch food were worn, cracked or not easy to clean.",
	        GRADE_CATEGORY_CORE),
	NYC_GEN("10B", "Plumbing was not installed or maintained properly.", GRADE_CATEGORY_CORE),
	NYC_GEN("10F", "Floors, walls, ceilings or other non-food surfaces were in poor repair.",
	        GRADE_CATEGORY_CORE),
};

/* ---------------------------------------------------------------------------------------- */
/* UK Food Hygiene Rating Scheme: element scores, rating 0-5, higher is better.              */

enum { FHRS_HYGIENE, FHRS_STRUCTURAL, FHRS_MANAGEMENT };

static const struct grade_element fhrs_elements[] = {
	[FHRS_HYGIENE] = { "hygiene",
	                   "How hygienically food is handled, stored and cooked.",
	                   { 0, 5, 10, 15, 20, 25 },
	                   6 },
	[FHRS_STRUCTURAL] = { "structural",
	                      "Condition of the building: cleanliness, layout, lighting, "
	                      "ventilation, pest control.",
	                      { 0, 5, 10, 15, 20, 25 },
	                      6 },
	[FHRS_MANAGEMENT] = { "management",
	                      "Confidence in management: systems, records and training that keep "
	                      "food safe.",
	                      { 0, 5, 10, 20, 30 },
	                      5 },
};

/* Totals are always multiples of 5; the ranges are made contiguous so any integer lands. */
static const struct grade_band fhrs_bands[] = {
	{ 0, 15, "5", "5", "Very good", 5, NULL },
	{ 16, 20, "4", "4", "Good", 10, NULL },
	{ 21, 30, "3", "3", "Generally satisfactory", 10, NULL },
	{ 31, 40, "2", "2", "Improvement necessary", 15, NULL },
	{ 41, 50, "1", "1", "Major improvement necessary", 20, NULL },
	{ 51, GRADE_SCORE_OPEN, "0", "0", "Urgent improvement necessary", GRADE_NO_CAP, NULL },
};

#define FHRS_ITEM(c, d, cat, el, pts, lo, hi)                                                      \
	{                                                                                          \
		c, d, cat, GRADE_SEVERITY_NONE, pts, lo, hi, el, false, NULL                       \
	}

static const struct grade_violation_def fhrs_violations[] = {
	FHRS_ITEM("H01", "Food that needs it was not kept hot or cold enough.",
	          GRADE_CATEGORY_PRIORITY, FHRS_HYGIENE, 15, 5, 25),
	FHRS_ITEM("H02", "Raw and ready-to-eat food were not kept apart.", GRADE_CATEGORY_PRIORITY,
	          FHRS_HYGIENE, 15, 5, 25),
	FHRS_ITEM("H03", "Staff did not wash their hands when they should have.",
	          GRADE_CATEGORY_PRIORITY, FHRS_HYGIENE, 10, 5, 20),
	FHRS_ITEM("H04", "Equipment and surfaces were not cleaned and disinfected properly.",
	          GRADE_CATEGORY_PRIORITY_FOUNDATION, FHRS_HYGIENE, 10, 5, 20),
	FHRS_ITEM("H05", "Food past its use-by date was kept for use.", GRADE_CATEGORY_PRIORITY,
	          FHRS_HYGIENE, 10, 5, 20),
	FHRS_ITEM("S01", "The premises were not kept clean.", GRADE_CATEGORY_CORE, FHRS_STRUCTURAL,
	          10, 5, 20),
	FHRS_ITEM("S02", "Signs of pests (mice, rats or insects).",
	          GRADE_CATEGORY_PRIORITY_FOUNDATION, FHRS_STRUCTURAL, 15, 5, 25),
	FHRS_ITEM("S03", "Not enough hand-washing basins, or no hot water at them.",
	          GRADE_CATEGORY_PRIORITY_FOUNDATION, FHRS_STRUCTURAL, 10, 5, 20),
	FHRS_ITEM("S04", "Walls, floors or ceilings were in poor repair.", GRADE_CATEGORY_CORE,
	          FHRS_STRUCTURAL, 5, 5, 15),
	FHRS_ITEM("S05", "Ventilation or lighting was not good enough.", GRADE_CATEGORY_CORE,
	          FHRS_STRUCTURAL, 5, 5, 15),
	FHRS_ITEM("M01",
	          "No written food safety management system (such as Safer Food, Better "
	          "Business).",
	          GRADE_CATEGORY_PRIORITY_FOUNDATION, FHRS_MANAGEMENT, 20, 10, 30),
	FHRS_ITEM("M02", "Food safety records were not kept up to date.",
	          GRADE_CATEGORY_PRIORITY_FOUNDATION, FHRS_MANAGEMENT, 10, 5, 20),
	FHRS_ITEM("M03", "Staff had not been trained in food hygiene for the work they do.",
	          GRADE_CATEGORY_PRIORITY_FOUNDATION, FHRS_MANAGEMENT, 10, 5, 20),
	FHRS_ITEM("M04", "Problems found at earlier inspections had not been put right.",
	          GRADE_CATEGORY_CORE, FHRS_MANAGEMENT, 20, 10, 30),
};

/* ---------------------------------------------------------------------------------------- */
/* Chinese restaurant "faces": 100 minus deductions, higher is better.                       */

static const struct grade_band cn_bands[] = {
	{ 90, 100, "Good", "good", "green smiling face", GRADE_NO_CAP, NULL },
	{ 75, 89, "Average", "average", "yellow straight face", GRADE_NO_CAP, NULL },
	{ 60, 74, "Poor", "poor", "red crying face", GRADE_NO_CAP, NULL },
	{ 0, 59, "Requires action", "action", "deadline to fix, then licence action", GRADE_NO_CAP,
	  NULL },
};

#define CN_ITEM(c, d, cat, pts, hi)                                                                \
	{                                                                                          \
		c, d, cat, GRADE_SEVERITY_NONE, pts, pts, hi, -1, false, NULL                      \
	}

static const struct grade_violation_def cn_violations[] = {
	CN_ITEM("CN01", "Food business licence not displayed, or expired.",
	        GRADE_CATEGORY_PRIORITY_FOUNDATION, 10, 20),
	CN_ITEM("CN02", "Staff health certificates missing or expired.",
	        GRADE_CATEGORY_PRIORITY_FOUNDATION, 5, 10),
	CN_ITEM("CN03", "Raw and cooked food were not kept apart.", GRADE_CATEGORY_PRIORITY, 10,
	        20),
	CN_ITEM("CN04", "Tableware was not disinfected, or disinfection was not recorded.",
	        GRADE_CATEGORY_PRIORITY, 10, 20),
	CN_ITEM("CN05", "Expired or spoiled ingredients were kept for use.",
	        GRADE_CATEGORY_PRIORITY, 15, 30),
	CN_ITEM("CN06", "Rodent, fly or cockroach control was inadequate.",
	        GRADE_CATEGORY_PRIORITY_FOUNDATION, 10, 20),
	CN_ITEM("CN07", "Food additives were not stored separately or not logged.",
	        GRADE_CATEGORY_PRIORITY_FOUNDATION, 5, 10),
	CN_ITEM("CN08", "Purchase records and supplier invoices were incomplete.",
	        GRADE_CATEGORY_CORE, 5, 10),
	CN_ITEM("CN09", "Samples of food served at large events were not kept for 48 hours.",
	        GRADE_CATEGORY_PRIORITY_FOUNDATION, 5, 10),
	CN_ITEM("CN10", "Waste bins had no lids or were not emptied daily.", GRADE_CATEGORY_CORE, 3,
	        6),
	CN_ITEM("CN11", "Kitchen floor, walls or drains were dirty.", GRADE_CATEGORY_CORE, 3, 6),
	CN_ITEM("CN12", "Staff were not wearing clean work clothes and hats.", GRADE_CATEGORY_CORE,
	        2, 4),
};

/* ---------------------------------------------------------------------------------------- */
/* San Francisco-style: 100 minus points by risk level, higher is better.                    */

static const struct grade_band sf_bands[] = {
	{ 90, 100, "Good", "good", "few or no violations", GRADE_NO_CAP, NULL },
	{ 86, 89, "Adequate", "adequate", "some violations to correct", GRADE_NO_CAP, NULL },
	{ 71, 85, "Needs improvement", "needs-improvement", "several violations to correct",
	  GRADE_NO_CAP, NULL },
	{ 0, 70, "Poor", "poor", "many or serious violations", GRADE_NO_CAP, NULL },
};

/* High risk 7 points, moderate 4, low 2. */
#define SF_HIGH(c, d)                                                                              \
	{                                                                                          \
		c, d, GRADE_CATEGORY_PRIORITY, GRADE_SEVERITY_NONE, 7, 7, 7, -1, false, NULL       \
	}
#define SF_MOD(c, d)                                                                               \
	{                                                                                          \
		c, d, GRADE_CATEGORY_PRIORITY_FOUNDATION, GRADE_SEVERITY_NONE, 4, 4, 4, -1, false, \
		        NULL                                                                       \
	}
#define SF_LOW(c, d)                                                                               \
	{                                                                                          \
		c, d, GRADE_CATEGORY_CORE, GRADE_SEVERITY_NONE, 2, 2, 2, -1, false, NULL           \
	}

static const struct grade_violation_def sf_violations[] = {
	SF_HIGH("103103", "High-risk food was held at an unsafe temperature."),
	SF_HIGH("103105", "Food was cooled the wrong way."),
	SF_HIGH("103109", "Surfaces that touch food were unclean or unsanitary."),
	SF_HIGH("103114", "High-risk vermin infestation."),
	SF_HIGH("103120", "Food was held at an unsafe temperature (moderate risk)."),
	SF_MOD("103130", "Sewage or waste water was not disposed of properly."),
	SF_MOD("103131", "Moderate-risk vermin infestation."),
	SF_MOD("103132", "Food was thawed the wrong way."),
	SF_MOD("103133", "Food was not protected from contamination."),
	SF_MOD("103134", "Other moderate-risk violation."),
	SF_LOW("103142", "Surfaces that do not touch food were unclean."),
	SF_LOW("103144", "Equipment or utensils were unapproved or not maintained."),
	SF_LOW("103145", "Equipment, utensils or linens were stored improperly."),
	SF_LOW("103149", "Wiping cloths were dirty or stored without sanitizer."),
	SF_LOW("103154", "Floors, walls or ceilings were unclean or worn."),
};

/* ---------------------------------------------------------------------------------------- */

#define CYCLE_TYPES                                                                                \
	(GRADE_TYPE_BIT(GRADE_INSPECTION_INITIAL) | GRADE_TYPE_BIT(GRADE_INSPECTION_REINSPECTION))
#define ALL_GRADED_TYPES                                                                           \
	(CYCLE_TYPES | GRADE_TYPE_BIT(GRADE_INSPECTION_COMPLAINT) |                                \
	 GRADE_TYPE_BIT(GRADE_INSPECTION_REOPENING))

static const struct grade_scheme builtin_schemes[] = {
	{
		.code = "nyc",
		.version = 1,
		.name = "New York City letter grades",
		.jurisdiction = "New York City, USA",
		.kind = GRADE_KIND_POINTS_LOWER_BETTER,
		.bands = nyc_bands,
		.n_bands = N_OF(nyc_bands),
		.violations = nyc_violations,
		.n_violations = N_OF(nyc_violations),
		.rules = {
			.graded_types = CYCLE_TYPES,
			.initial_graded_only_in_top_band = true,
			.min_days_before_reinspection = 7,
			.appeal_window = GRADE_APPEAL_UNTIL_HEARING,
			.appeal_window_days = 0,
			.pending_label_during_appeal = "Grade Pending",
			.pending_code_during_appeal = "Z",
			.max_adjournments_with_pending = 2,
			.closure_issues_no_grade = true,
			.reopening_label = "Grade Pending",
			.reopening_code = "P",
			.not_yet_graded_label = "Not Yet Graded",
			.not_yet_graded_code = "N",
		},
	},
	{
		.code = "fhrs",
		.version = 1,
		.name = "Food Hygiene Rating Scheme",
		.jurisdiction = "England, Wales and Northern Ireland, UK",
		.kind = GRADE_KIND_ELEMENT_SCORES,
		.bands = fhrs_bands,
		.n_bands = N_OF(fhrs_bands),
		.elements = fhrs_elements,
		.n_elements = N_OF(fhrs_elements),
		.violations = fhrs_violations,
		.n_violations = N_OF(fhrs_violations),
		.rules = {
			.graded_types = ALL_GRADED_TYPES,
			.appeal_window = GRADE_APPEAL_WITHIN_DAYS,
			.appeal_window_days = 21,
			.withhold_until_appeal_decided = true,
			.rerating_standstill_days = 90,
			.not_yet_graded_label = "Awaiting Inspection",
			.not_yet_graded_code = "AwaitingInspection",
		},
	},
	{
		.code = "cn-faces",
		.version = 1,
		.name = "Restaurant hygiene faces",
		.jurisdiction = "Shanghai and other cities, China",
		.kind = GRADE_KIND_DEDUCT_FROM_100,
		.bands = cn_bands,
		.n_bands = N_OF(cn_bands),
		.violations = cn_violations,
		.n_violations = N_OF(cn_violations),
		.rules = {
			.graded_types = ALL_GRADED_TYPES,
			.not_yet_graded_label = "Not Yet Rated",
			.not_yet_graded_code = "N",
		},
	},
	{
		.code = "sf100",
		.version = 1,
		.name = "100-point score",
		.jurisdiction = "San Francisco, USA (also Austin)",
		.kind = GRADE_KIND_DEDUCT_FROM_100,
		.bands = sf_bands,
		.n_bands = N_OF(sf_bands),
		.violations = sf_violations,
		.n_violations = N_OF(sf_violations),
		.rules = {
			.graded_types = ALL_GRADED_TYPES,
			.not_yet_graded_label = "Not Yet Scored",
			.not_yet_graded_code = "N",
		},
	},
};

static const char no_grade_label[] = "No grade issued";

/* ---------------------------------------------------------------------------------------- */
/* Lookups and names.                                                                        */

const struct grade_scheme *grade_scheme_builtin(const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < N_OF(builtin_schemes); i++)
		if (strcmp(builtin_schemes[i].code, code) == 0)
			return &builtin_schemes[i];
	return NULL;
}

size_t grade_scheme_builtin_count(void)
{
	return N_OF(builtin_schemes);
}

const struct grade_scheme *grade_scheme_builtin_at(size_t i)
{
	return i < N_OF(builtin_schemes) ? &builtin_schemes[i] : NULL;
}

const struct grade_violation_def *grade_violation_lookup(const struct grade_scheme *s,
                                                         const char *code)
{
	if (!s || !code)
		return NULL;
	for (size_t i = 0; i < s->n_violations; i++)
		if (strcmp(s->violations[i].code, code) == 0)
			return &s->violations[i];
	return NULL;
}

static const char *const type_names[GRADE_INSPECTION_TYPE_COUNT] = {
	[GRADE_INSPECTION_INITIAL] = "initial",
	[GRADE_INSPECTION_REINSPECTION] = "reinspection",
	[GRADE_INSPECTION_COMPLAINT] = "complaint",
	[GRADE_INSPECTION_PRE_PERMIT] = "pre-permit",
	[GRADE_INSPECTION_REOPENING] = "reopening",
};

/* As the type starts a sentence of the rule-applied text. */
static const char *const type_phrases[GRADE_INSPECTION_TYPE_COUNT] = {
	[GRADE_INSPECTION_INITIAL] = "Initial inspection",
	[GRADE_INSPECTION_REINSPECTION] = "Re-inspection",
	[GRADE_INSPECTION_COMPLAINT] = "Complaint inspection",
	[GRADE_INSPECTION_PRE_PERMIT] = "Pre-permit inspection",
	[GRADE_INSPECTION_REOPENING] = "Re-opening inspection",
};

/* The type as the rule's messages choose their wording by ({type, select, ...}): ICU selectors
 * are identifiers, so no hyphen. */
static const char *const type_selectors[GRADE_INSPECTION_TYPE_COUNT] = {
	[GRADE_INSPECTION_INITIAL] = "initial",
	[GRADE_INSPECTION_REINSPECTION] = "reinspection",
	[GRADE_INSPECTION_COMPLAINT] = "complaint",
	[GRADE_INSPECTION_PRE_PERMIT] = "pre_permit",
	[GRADE_INSPECTION_REOPENING] = "reopening",
};

const char *grade_inspection_type_name(enum grade_inspection_type t)
{
	return (unsigned)t < GRADE_INSPECTION_TYPE_COUNT ? type_names[t] : "?";
}

int grade_inspection_type_parse(const char *name, enum grade_inspection_type *ret_type)
{
	if (!name || !ret_type)
		return -EINVAL;
	for (unsigned i = 0; i < GRADE_INSPECTION_TYPE_COUNT; i++) {
		if (strcmp(type_names[i], name) == 0) {
			*ret_type = (enum grade_inspection_type)i;
			return 0;
		}
	}
	return -ENOENT;
}

const char *grade_outcome_name(enum grade_outcome o)
{
	switch (o) {
	case GRADE_OUTCOME_GRADED: return "graded";
	case GRADE_OUTCOME_NO_GRADE: return "no-grade";
	case GRADE_OUTCOME_NOT_YET_GRADED: return "not-yet-graded";
	case GRADE_OUTCOME_PENDING: return "pending";
	case GRADE_OUTCOME_UNCHANGED: return "unchanged";
	}
	return "?";
}

bool grade_posted_of(const struct grade_scheme *s, const struct grade_result *r, bool closed,
                     struct grade_posted *ret)
{
	if (closed) {
		*ret = (struct grade_posted){ "closed", "", "Closed" };
		return true;
	}
	if (!r) {
		const struct grade_rules *rules = s ? &s->rules : NULL;
		*ret = (struct grade_posted){
			"not_yet_graded",
			rules && rules->not_yet_graded_code ? rules->not_yet_graded_code : "",
			rules && rules->not_yet_graded_label ? rules->not_yet_graded_label
			                                     : "Not yet graded",
		};
		return true;
	}
	if (!r->sets_posted_grade)
		return false;
	*ret = (struct grade_posted){
		r->outcome == GRADE_OUTCOME_GRADED    ? "graded"
		: r->outcome == GRADE_OUTCOME_PENDING ? "pending"
		                                      : "not_yet_graded",
		r->code,
		r->label,
	};
	return true;
}

const char *grade_category_name(enum grade_category c)
{
	switch (c) {
	case GRADE_CATEGORY_PRIORITY: return "priority";
	case GRADE_CATEGORY_PRIORITY_FOUNDATION: return "priority-foundation";
	case GRADE_CATEGORY_CORE: return "core";
	}
	return "?";
}

const char *grade_severity_name(enum grade_severity v)
{
	switch (v) {
	case GRADE_SEVERITY_NONE: return "none";
	case GRADE_SEVERITY_GENERAL: return "general";
	case GRADE_SEVERITY_CRITICAL: return "critical";
	case GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD: return "public-health-hazard";
	}
	return "?";
}

const char *grade_scheme_kind_name(enum grade_scheme_kind k)
{
	switch (k) {
	case GRADE_KIND_POINTS_LOWER_BETTER: return "points-lower-is-better";
	case GRADE_KIND_DEDUCT_FROM_100: return "deduct-from-100";
	case GRADE_KIND_ELEMENT_SCORES: return "element-scores";
	}
	return "?";
}

/* ---------------------------------------------------------------------------------------- */
/* The engine.                                                                               */

/* A bounded string being appended to; output past the end is cut, never overrun. */
struct text {
	char *buf;
	size_t size;
	size_t len;
};

__attribute__((format(printf, 2, 3))) static void text_addf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->len + 1 >= t->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	t->len += (size_t)n;
	if (t->len >= t->size)
		t->len = t->size - 1;
}

/*
 * The rule is written twice over, from the same branches: as the English sentence (rule, by
 * text_addf, as it has always been stored and published) and as parts, message keys of the
 * "grade" catalogue with their arguments, which the records layer formats in the reader's
 * language. The engine does not format the parts itself: formatting needs the catalogues,
 * which are files loaded at start-up, and the engine stays a pure function of its inputs,
 * usable before (and without) them, by the commands and the test vectors alike. The English
 * catalogue must format the parts to exactly the sentence written here; the unit test
 * test_grade_rule checks that for every vector.
 */
static struct grade_part *part_add(struct grade_result *r, const char *key)
{
	struct grade_part *p;

	if (r->n_parts >= GRADE_PARTS_MAX)
		return NULL;
	p = &r->parts[r->n_parts++];
	p->key = key;
	p->n_args = 0;
	return p;
}

static void part_text(struct grade_part *p, const char *name, const char *text)
{
	if (p && p->n_args < GRADE_PART_ARGS_MAX)
		p->args[p->n_args++] = (struct grade_arg){ name, text ? text : "", 0 };
}

static void part_num(struct grade_part *p, const char *name, int v)
{
	if (p && p->n_args < GRADE_PART_ARGS_MAX)
		p->args[p->n_args++] = (struct grade_arg){ name, NULL, v };
}

bool grade_arg_is_wording(const char *name)
{
	static const char *const wording[] = { "label", "meaning", "element", "contested",
		                               "e0",    "e1",      "e2" };

	if (!name)
		return false;
	for (size_t i = 0; i < N_OF(wording); i++)
		if (strcmp(name, wording[i]) == 0)
			return true;
	return false;
}

/* The band's range as arguments: range (open, below or between), min and max. */
static void part_range(struct grade_part *p, const struct grade_scheme *s,
                       const struct grade_band *b)
{
	if (b->max == GRADE_SCORE_OPEN)
		part_text(p, "range", "open");
	else if (b->min == 0 && b != &s->bands[0])
		part_text(p, "range", "below");
	else
		part_text(p, "range", "between");
	part_num(p, "min", b->min);
	part_num(p, "max", b->max == GRADE_SCORE_OPEN ? b->min : b->max);
}

/* "0-13", "28 or more", "59 or less": the band as the public reads it. */
static void text_add_range(struct text *t, const struct grade_scheme *s, const struct grade_band *b)
{
	if (b->max == GRADE_SCORE_OPEN)
		text_addf(t, "%d or more", b->min);
	else if (b->min == 0 && b != &s->bands[0])
		text_addf(t, "%d or less", b->max);
	else
		text_addf(t, "%d-%d", b->min, b->max);
}

static bool value_allowed(const struct grade_element *e, int v)
{
	for (size_t i = 0; i < e->n_allowed; i++)
		if (e->allowed[i] == v)
			return true;
	return false;
}

static int fail(struct grade_error *ret_error, int err, const char *field, int index)
{
	if (ret_error) {
		ret_error->field = field;
		ret_error->index = index;
	}
	return err;
}

static int required_wait_days(const struct grade_scheme *s)
{
	int a = s->rules.min_days_before_reinspection;
	int b = s->rules.rerating_standstill_days;

	return a > b ? a : b;
}

static const struct grade_band *band_for_score(const struct grade_scheme *s, int score)
{
	for (size_t i = 0; i < s->n_bands; i++)
		if (score >= s->bands[i].min && score <= s->bands[i].max)
			return &s->bands[i];
	return NULL;
}

static int validate(const struct grade_scheme *s, const struct grade_input *in,
                    struct grade_error *ret_error)
{
	if ((unsigned)in->type >= GRADE_INSPECTION_TYPE_COUNT)
		return fail(ret_error, -EINVAL, "type", -1);
	if (in->n_violations > GRADE_MAX_VIOLATIONS)
		return fail(ret_error, -E2BIG, "violations", -1);
	if (in->n_violations > 0 && !in->violations)
		return fail(ret_error, -EINVAL, "violations", -1);

	for (size_t i = 0; i < in->n_violations; i++) {
		const struct grade_violation_input *v = &in->violations[i];
		const struct grade_violation_def *def;
		int idx = (int)i;

		if (!v->code)
			return fail(ret_error, -EINVAL, "violations[].code", idx);
		def = grade_violation_lookup(s, v->code);
		if (!def)
			return fail(ret_error, -ENOENT, "violations[].code", idx);
		if (v->points < 0)
			return fail(ret_error, -EINVAL, "violations[].points", idx);
		if (v->points < def->min_points || v->points > def->max_points)
			return fail(ret_error, -ERANGE, "violations[].points", idx);
		if (def->element >= 0 && (size_t)def->element < s->n_elements &&
		    !value_allowed(&s->elements[def->element], v->points))
			return fail(ret_error, -EINVAL, "violations[].points", idx);
	}

	if (in->has_elements) {
		if (s->n_elements == 0)
			return fail(ret_error, -EINVAL, "elements", -1);
		for (size_t i = 0; i < s->n_elements; i++)
			if (!value_allowed(&s->elements[i], in->elements[i]))
				return fail(ret_error, -EINVAL, "elements[]", (int)i);
	}

	if (in->days_since_previous < 0 && in->days_since_previous != GRADE_DAYS_UNKNOWN)
		return fail(ret_error, -EINVAL, "days_since_previous", -1);
	if (in->type == GRADE_INSPECTION_REINSPECTION && required_wait_days(s) > 0) {
		if (in->days_since_previous == GRADE_DAYS_UNKNOWN)
			return fail(ret_error, -EINVAL, "days_since_previous", -1);
		if (in->days_since_previous < required_wait_days(s))
			return fail(ret_error, -ERANGE, "days_since_previous", -1);
	}
	return 0;
}

/* Sort violations into counted and dismissed, add up the points, derive element scores. */
static void tally(const struct grade_scheme *s, const struct grade_input *in,
                  struct grade_result *r)
{
	for (size_t i = 0; i < in->n_violations; i++) {
		const struct grade_violation_input *v = &in->violations[i];
		const struct grade_violation_def *def = grade_violation_lookup(s, v->code);
		struct grade_line *line = v->dismissed ? &r->dismissed[r->n_dismissed++]
		                                       : &r->counted[r->n_counted++];

		line->code = def->code;
		line->description = def->description;
		line->category = def->category;
		line->points = v->points;
		line->element = def->element;
		if (v->dismissed)
			continue;
		r->deductions += v->points;
		if (!in->has_elements && def->element >= 0 && v->points > r->elements[def->element])
			r->elements[def->element] = v->points;
	}
	if (in->has_elements)
		for (size_t i = 0; i < s->n_elements; i++)
			r->elements[i] = in->elements[i];
}

/* The score, the band it reaches, and (element schemes) the worst-element cap. */
static void rate(const struct grade_scheme *s, struct grade_result *r)
{
	int worst = 0;
	const struct grade_band *b;

	switch (s->kind) {
	case GRADE_KIND_POINTS_LOWER_BETTER: r->score = r->deductions; break;
	case GRADE_KIND_DEDUCT_FROM_100:
		r->score = r->deductions >= 100 ? 0 : 100 - r->deductions;
		break;
	case GRADE_KIND_ELEMENT_SCORES:
		r->score = 0;
		for (size_t i = 0; i < s->n_elements; i++)
			r->score += r->elements[i];
		break;
	}

	r->band = band_for_score(s, r->score);
	r->capping_element = -1;
	b = r->band;
	for (size_t i = 0; i < s->n_elements; i++) {
		if (r->elements[i] > worst) {
			worst = r->elements[i];
			r->capping_element = (int)i;
		}
	}
	while (b && worst > b->max_element && b + 1 < s->bands + s->n_bands)
		b++;
	if (b == r->band)
		r->capping_element = -1;
	r->rated_band = b;
}

static void issue(struct grade_result *r, enum grade_outcome outcome, const char *label,
                  const char *code, bool sets_posted)
{
	r->outcome = outcome;
	r->label = label;
	r->code = code;
	r->sets_posted_grade = sets_posted;
}

/* The rule-applied sentence for a graded or ungraded score. */
static void explain_score(const struct grade_scheme *s, const struct grade_input *in,
                          struct grade_result *r, struct text *t)
{
	const char *what = type_phrases[in->type];
	struct grade_part *p;

	switch (s->kind) {
	case GRADE_KIND_POINTS_LOWER_BETTER:
		text_addf(t, "%s scored ", what);
		text_add_range(t, s, r->band);
		p = part_add(r, "grade.score.points");
		part_text(p, "type", type_selectors[in->type]);
		part_range(p, s, r->band);
		break;
	case GRADE_KIND_DEDUCT_FROM_100:
		text_addf(t, "%s scored %d (100 minus %d points%s), band ", what, r->score,
		          r->deductions, r->deductions > 100 ? ", never below 0" : "");
		text_add_range(t, s, r->band);
		p = part_add(r, "grade.score.deduct");
		part_text(p, "type", type_selectors[in->type]);
		part_num(p, "score", r->score);
		part_num(p, "deductions", r->deductions);
		part_text(p, "floor", r->deductions > 100 ? "yes" : "no");
		part_range(p, s, r->band);
		break;
	case GRADE_KIND_ELEMENT_SCORES: {
		static const char *const names[GRADE_MAX_ELEMENTS] = { "e0", "e1", "e2" };
		static const char *const values[GRADE_MAX_ELEMENTS] = { "v0", "v1", "v2" };

		text_addf(t, "%s total %d (", what, r->score);
		for (size_t i = 0; i < s->n_elements; i++)
			text_addf(t, "%s%s %d", i ? ", " : "", s->elements[i].name, r->elements[i]);
		text_addf(t, ")");
		p = part_add(r, "grade.score.elements");
		part_text(p, "type", type_selectors[in->type]);
		part_num(p, "score", r->score);
		part_num(p, "count", (int)s->n_elements);
		for (size_t i = 0; i < s->n_elements && i < GRADE_MAX_ELEMENTS; i++) {
			part_text(p, names[i], s->elements[i].name);
			part_num(p, values[i], r->elements[i]);
		}
		break;
	}
	}
}

int grade_compute(const struct grade_scheme *s, const struct grade_input *in,
                  struct grade_result *ret, struct grade_error *ret_error)
{
	struct grade_result r;
	struct text t;
	const struct grade_rules *rules;
	struct grade_part *p;
	int err;

	if (!s)
		return fail(ret_error, -EINVAL, "scheme", -1);
	if (!in)
		return fail(ret_error, -EINVAL, "input", -1);
	if (!ret)
		return fail(ret_error, -EINVAL, "result", -1);
	err = validate(s, in, ret_error);
	if (err < 0)
		return err;

	memset(&r, 0, sizeof(r));
	t = (struct text){ .buf = r.rule, .size = sizeof(r.rule), .len = 0 };
	rules = &s->rules;
	tally(s, in, &r);
	rate(s, &r);
	if (!r.band)
		return fail(ret_error, -EINVAL, "scheme.bands", -1); /* a scheme with a gap */

	if (in->type == GRADE_INSPECTION_PRE_PERMIT) {
		issue(&r, GRADE_OUTCOME_NOT_YET_GRADED, rules->not_yet_graded_label,
		      rules->not_yet_graded_code, true);
		text_addf(&t, "Pre-permit inspection: not graded; the establishment posts %s (%s).",
		          r.label, r.code);
		p = part_add(&r, "grade.rule.pre_permit");
		part_text(p, "label", r.label);
		part_text(p, "code", r.code);
	} else if (in->closed_establishment && rules->closure_issues_no_grade) {
		issue(&r, GRADE_OUTCOME_NO_GRADE, no_grade_label, "", false);
		text_addf(&t,
		          "%s closed the establishment: no grade issued; a re-opening "
		          "inspection follows once the conditions are corrected.",
		          type_phrases[in->type]);
		part_text(part_add(&r, "grade.rule.closed"), "type", type_selectors[in->type]);
	} else if (in->type == GRADE_INSPECTION_REOPENING && rules->reopening_label) {
		issue(&r, GRADE_OUTCOME_PENDING, rules->reopening_label, rules->reopening_code,
		      true);
		text_addf(&t,
		          "Re-opening inspection: the establishment posts %s (%s) until its "
		          "next graded inspection.",
		          r.label, r.code);
		p = part_add(&r, "grade.rule.reopening");
		part_text(p, "label", r.label);
		part_text(p, "code", r.code);
	} else if (!(rules->graded_types & GRADE_TYPE_BIT(in->type))) {
		issue(&r, GRADE_OUTCOME_UNCHANGED, no_grade_label, "", false);
		explain_score(s, in, &r, &t);
		text_addf(&t, ": recorded; this type of inspection does not change the posted "
		              "grade.");
		part_add(&r, "grade.rule.unchanged");
	} else if (in->type == GRADE_INSPECTION_INITIAL && rules->initial_graded_only_in_top_band &&
	           r.rated_band != &s->bands[0]) {
		issue(&r, GRADE_OUTCOME_NO_GRADE, no_grade_label, "", false);
		r.reinspection_required = true;
		r.reinspection_min_days = rules->min_days_before_reinspection;
		explain_score(s, in, &r, &t);
		text_addf(&t,
		          ": no grade issued; a re-inspection at least %d days later sets "
		          "the grade.",
		          rules->min_days_before_reinspection);
		part_num(part_add(&r, "grade.rule.reinspection_required"), "days",
		         rules->min_days_before_reinspection);
	} else {
		const struct grade_band *b = r.rated_band;

		issue(&r, GRADE_OUTCOME_GRADED, b->label, b->code, true);
		explain_score(s, in, &r, &t);
		switch (s->kind) {
		case GRADE_KIND_POINTS_LOWER_BETTER:
			text_addf(&t, ": grade %s issued%s.", b->label,
			          in->type == GRADE_INSPECTION_INITIAL ? " at once" : "");
			p = part_add(&r, "grade.rule.graded_points");
			part_text(p, "label", b->label);
			part_text(p, "once", in->type == GRADE_INSPECTION_INITIAL ? "yes" : "no");
			break;
		case GRADE_KIND_DEDUCT_FROM_100:
			text_addf(&t, ": %s, %s.", b->label, b->meaning);
			p = part_add(&r, "grade.rule.graded_deduct");
			part_text(p, "label", b->label);
			part_text(p, "meaning", b->meaning);
			break;
		case GRADE_KIND_ELEMENT_SCORES:
			text_addf(&t, " gives %s (%s).", r.band->label, r.band->meaning);
			p = part_add(&r, "grade.rule.graded_elements");
			part_text(p, "label", r.band->label);
			part_text(p, "meaning", r.band->meaning);
			if (r.capping_element >= 0) {
				text_addf(&t, " The worst element, %s %d, caps it at %s (%s).",
				          s->elements[r.capping_element].name,
				          r.elements[r.capping_element], b->label, b->meaning);
				p = part_add(&r, "grade.rule.capped");
				part_text(p, "element", s->elements[r.capping_element].name);
				part_num(p, "value", r.elements[r.capping_element]);
				part_text(p, "label", b->label);
				part_text(p, "meaning", b->meaning);
			}
			break;
		}
		if (rules->pending_label_during_appeal && b != &s->bands[0] &&
		    rules->appeal_window == GRADE_APPEAL_UNTIL_HEARING) {
			text_addf(&t,
			          " It may be contested at a hearing; until then the "
			          "establishment may post %s (%s).",
			          rules->pending_label_during_appeal,
			          rules->pending_code_during_appeal);
			p = part_add(&r, "grade.rule.hearing");
			part_text(p, "label", rules->pending_label_during_appeal);
			part_text(p, "code", rules->pending_code_during_appeal);
		}
		if (rules->withhold_until_appeal_decided &&
		    rules->appeal_window == GRADE_APPEAL_WITHIN_DAYS) {
			text_addf(&t,
			          " Published once the %d-day appeal window closes or an "
			          "appeal is decided.",
			          rules->appeal_window_days);
			part_num(part_add(&r, "grade.rule.withheld"), "days",
			         rules->appeal_window_days);
		}
	}

	*ret = r;
	return 0;
}

int grade_reinspection_wait_days(const struct grade_scheme *s, int days_since_previous,
                                 int *ret_days)
{
	int wait;

	if (!s || !ret_days || days_since_previous < 0)
		return -EINVAL;
	wait = required_wait_days(s) - days_since_previous;
	*ret_days = wait > 0 ? wait : 0;
	return 0;
}
