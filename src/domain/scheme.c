/*
 * scheme.c - the rules a scoring scheme obeys before the grading engine may apply it.
 *
 * Domain layer: pure rules, no I/O. See scheme.h.
 */
#include "domain/scheme.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

#define LABEL_MAX       64
#define TEXT_MAX        500
#define DAYS_MAX        3650
#define ADJOURNMENT_MAX 100

__attribute__((format(printf, 3, 4))) static int bad(struct scheme_problem *ret, const char *detail,
                                                     const char *pointer, ...)
{
	if (ret) {
		va_list ap;
		va_start(ap, pointer);
		vsnprintf(ret->pointer, sizeof(ret->pointer), pointer, ap);
		va_end(ap);
		snprintf(ret->detail, sizeof(ret->detail), "%s", detail);
	}
	return -EINVAL;
}

static bool text_ok(const char *s, size_t max)
{
	return s && *s && strlen(s) <= max;
}

static bool scheme_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool violation_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > SCHEME_MAX_CODE)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

/* A language tag as BCP 47 writes it, loosely: 2 to 35 letters, digits and '-', starting
 * with a letter ("zh-CN", "es"). */
static bool language_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > 35 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* The fewest points an item of severity @v may carry (NYC's levels). */
static int severity_min_points(enum grade_severity v)
{
	switch (v) {
	case GRADE_SEVERITY_NONE: return 0;
	case GRADE_SEVERITY_GENERAL: return 2;
	case GRADE_SEVERITY_CRITICAL: return 5;
	case GRADE_SEVERITY_PUBLIC_HEALTH_HAZARD: return 7;
	}
	return -1;
}

static bool element_allows(const struct grade_element *e, int v)
{
	for (size_t i = 0; i < e->n_allowed; i++)
		if (e->allowed[i] == v)
			return true;
	return false;
}

static int check_bands(const struct grade_scheme *s, struct scheme_problem *ret)
{
	bool deduct = s->kind == GRADE_KIND_DEDUCT_FROM_100;
	bool capped = s->kind == GRADE_KIND_ELEMENT_SCORES;

	if (!s->bands || s->n_bands == 0)
		return bad(ret, "A scheme needs at least one band.", "/bands");
	if (s->n_bands > SCHEME_MAX_BANDS)
		return bad(ret, "A scheme has at most 16 bands.", "/bands");
	for (size_t i = 0; i < s->n_bands; i++) {
		const struct grade_band *b = &s->bands[i];
		if (!text_ok(b->label, LABEL_MAX))
			return bad(ret, "Every band needs a label of at most 64 bytes.",
			           "/bands/%zu/label", i);
		if (!text_ok(b->code, LABEL_MAX))
			return bad(ret, "Every band needs a code of at most 64 bytes.",
			           "/bands/%zu/code", i);
		if (!text_ok(b->meaning, TEXT_MAX))
			return bad(ret, "Every band needs its meaning in plain words.",
			           "/bands/%zu/meaning", i);
		for (size_t j = 0; j < i; j++) {
			if (strcmp(s->bands[j].code, b->code) == 0)
				return bad(ret, "Two bands have the same code.", "/bands/%zu/code",
				           i);
			if (strcmp(s->bands[j].label, b->label) == 0)
				return bad(ret, "Two bands have the same label.",
				           "/bands/%zu/label", i);
		}
		if (b->local_label && !text_ok(b->local_label, LABEL_MAX))
			return bad(ret, "A local label is 1 to 64 bytes.", "/bands/%zu/local_label",
			           i);
		if (b->local_label && !s->local_language)
			return bad(ret, "Local wording needs the scheme's local_language.",
			           "/bands/%zu/local_label", i);
		if (b->min < 0)
			return bad(ret, "Scores are never negative.", "/bands/%zu/min", i);
		if (b->max < b->min)
			return bad(ret, "A band's max is below its min.", "/bands/%zu/max", i);
		if (deduct && b->max != GRADE_SCORE_OPEN && b->max > 100)
			return bad(ret, "A score deducted from 100 is never above 100.",
			           "/bands/%zu/max", i);
		if (deduct && b->max == GRADE_SCORE_OPEN)
			return bad(ret, "A score deducted from 100 has no open-ended band.",
			           "/bands/%zu/max", i);
		if (!capped && b->max_element != GRADE_NO_CAP)
			return bad(ret, "Only element schemes cap a band by the worst element.",
			           "/bands/%zu/max_element", i);
		if (capped && b->max_element < 0)
			return bad(ret, "A worst-element cap is never negative.",
			           "/bands/%zu/max_element", i);
		if (capped && i > 0 && b->max_element < s->bands[i - 1].max_element)
			return bad(ret, "A worse band never allows a worse element less.",
			           "/bands/%zu/max_element", i);
	}
	if (capped && s->bands[s->n_bands - 1].max_element != GRADE_NO_CAP)
		return bad(ret, "The worst band has no worst-element cap.",
		           "/bands/%zu/max_element", s->n_bands - 1);

	/* Best first, one after the other, covering the whole range. */
	if (deduct) {
		if (s->bands[0].max != 100)
			return bad(ret, "The best band must reach 100.", "/bands/0/max");
		for (size_t i = 1; i < s->n_bands; i++)
			if (s->bands[i].max != s->bands[i - 1].min - 1)
				return bad(
				        ret,
				        "Each band must end one below where the better band before "
				        "it starts: no gap, no overlap.",
				        "/bands/%zu/max", i);
		if (s->bands[s->n_bands - 1].min != 0)
			return bad(ret, "The worst band must reach 0.", "/bands/%zu/min",
			           s->n_bands - 1);
	} else {
		if (s->bands[0].min != 0)
			return bad(ret, "The best band must start at 0.", "/bands/0/min");
		for (size_t i = 1; i < s->n_bands; i++) {
			if (s->bands[i - 1].max == GRADE_SCORE_OPEN)
				return bad(ret, "Only the worst band is open-ended.",
				           "/bands/%zu/max", i - 1);
			if (s->bands[i].min != s->bands[i - 1].max + 1)
				return bad(ret,
				           "Each band must start one above where the better band "
				           "before it ends: no gap, no overlap.",
				           "/bands/%zu/min", i);
		}
		if (s->bands[s->n_bands - 1].max != GRADE_SCORE_OPEN)
			return bad(ret, "The worst band must be open-ended (max null).",
			           "/bands/%zu/max", s->n_bands - 1);
	}
	return 0;
}

static int check_elements(const struct grade_scheme *s, struct scheme_problem *ret)
{
	if (s->kind != GRADE_KIND_ELEMENT_SCORES) {
		if (s->n_elements != 0)
			return bad(ret, "Only element schemes have elements.", "/elements");
		return 0;
	}
	if (!s->elements || s->n_elements == 0 || s->n_elements > GRADE_MAX_ELEMENTS)
		return bad(ret, "An element scheme has one to three elements.", "/elements");
	for (size_t i = 0; i < s->n_elements; i++) {
		const struct grade_element *e = &s->elements[i];
		if (!text_ok(e->name, LABEL_MAX))
			return bad(ret, "Every element needs a name of at most 64 bytes.",
			           "/elements/%zu/name", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->elements[j].name, e->name) == 0)
				return bad(ret, "Two elements have the same name.",
				           "/elements/%zu/name", i);
		if (!text_ok(e->description, TEXT_MAX))
			return bad(ret, "Every element needs a description.",
			           "/elements/%zu/description", i);
		if (e->n_allowed == 0 || e->n_allowed > sizeof(e->allowed) / sizeof(e->allowed[0]))
			return bad(ret, "An element allows one to eight scores.",
			           "/elements/%zu/allowed_scores", i);
		if (e->allowed[0] != 0)
			return bad(ret, "An element's best score is 0 (nothing found).",
			           "/elements/%zu/allowed_scores/0", i);
		for (size_t j = 1; j < e->n_allowed; j++)
			if (e->allowed[j] <= e->allowed[j - 1])
				return bad(ret, "Allowed scores increase, best first.",
				           "/elements/%zu/allowed_scores/%zu", i, j);
	}
	return 0;
}

static int check_violations(const struct grade_scheme *s, struct scheme_problem *ret)
{
	bool elements = s->kind == GRADE_KIND_ELEMENT_SCORES;

	if (!s->violations || s->n_violations == 0)
		return bad(ret, "A scheme needs a catalogue of at least one violation.",
		           "/violations");
	if (s->n_violations > SCHEME_MAX_VIOLATIONS)
		return bad(ret, "A catalogue holds at most 1000 violations.", "/violations");
	for (size_t i = 0; i < s->n_violations; i++) {
		const struct grade_violation_def *d = &s->violations[i];
		if (!violation_code_ok(d->code))
			return bad(ret,
			           "A violation code is 1 to 32 letters, digits, '-', '.' or '_'.",
			           "/violations/%zu/code", i);
		for (size_t j = 0; j < i; j++)
			if (strcmp(s->violations[j].code, d->code) == 0)
				return bad(ret, "Two violations have the same code.",
				           "/violations/%zu/code", i);
		if (!text_ok(d->description, TEXT_MAX))
			return bad(ret, "Every violation needs a description of at most 500 bytes.",
			           "/violations/%zu/description", i);
		if (d->local_description && !text_ok(d->local_description, TEXT_MAX))
			return bad(ret, "A local description is 1 to 500 bytes.",
			           "/violations/%zu/local_description", i);
		if (d->local_description && !s->local_language)
			return bad(ret, "Local wording needs the scheme's local_language.",
			           "/violations/%zu/local_description", i);
		if ((unsigned)d->category > GRADE_CATEGORY_CORE)
			return bad(ret, "Unknown category.", "/violations/%zu/category", i);
		if (severity_min_points(d->severity) < 0)
			return bad(ret, "Unknown severity.", "/violations/%zu/severity", i);
		if (d->min_points < 0)
			return bad(ret, "Points are never negative.", "/violations/%zu/min_points",
			           i);
		if (d->max_points < d->min_points)
			return bad(ret, "max_points is below min_points.",
			           "/violations/%zu/max_points", i);
		if (d->default_points < d->min_points || d->default_points > d->max_points)
			return bad(ret, "default_points must lie in [min_points, max_points].",
			           "/violations/%zu/default_points", i);
		if (d->min_points < severity_min_points(d->severity))
			return bad(ret, "An item of this severity carries more points.",
			           "/violations/%zu/min_points", i);
		if (!elements) {
			if (d->element != -1)
				return bad(ret,
				           "Only element schemes tie a violation to an element.",
				           "/violations/%zu/element", i);
			continue;
		}
		if (d->element < 0 || (size_t)d->element >= s->n_elements)
			return bad(ret, "In an element scheme every violation names its element.",
			           "/violations/%zu/element", i);
		const struct grade_element *e = &s->elements[d->element];
		if (!element_allows(e, d->min_points))
			return bad(ret, "Points must be among the element's allowed scores.",
			           "/violations/%zu/min_points", i);
		if (!element_allows(e, d->default_points))
			return bad(ret, "Points must be among the element's allowed scores.",
			           "/violations/%zu/default_points", i);
		if (!element_allows(e, d->max_points))
			return bad(ret, "Points must be among the element's allowed scores.",
			           "/violations/%zu/max_points", i);
	}
	return 0;
}

static int check_pair(const char *label, const char *code, const char *name,
                      struct scheme_problem *ret)
{
	if (!label && !code)
		return 0;
	if (!text_ok(label, LABEL_MAX))
		return bad(ret, "A label of at most 64 bytes goes with its code.",
		           "/rules/%s_label", name);
	if (!code || strlen(code) > LABEL_MAX)
		return bad(ret, "A code of at most 64 bytes goes with its label.", "/rules/%s_code",
		           name);
	return 0;
}

static int check_rules(const struct grade_scheme *s, struct scheme_problem *ret)
{
	const struct grade_rules *r = &s->rules;
	unsigned all = (1u << GRADE_INSPECTION_TYPE_COUNT) - 1;
	int rc;

	if (r->graded_types & ~all)
		return bad(ret, "Unknown inspection type.", "/rules/graded_inspection_types");
	if (r->graded_types & GRADE_TYPE_BIT(GRADE_INSPECTION_PRE_PERMIT))
		return bad(ret, "A pre-permit inspection never sets a grade.",
		           "/rules/graded_inspection_types");
	if (r->initial_graded_only_in_top_band &&
	    (r->graded_types & (GRADE_TYPE_BIT(GRADE_INSPECTION_INITIAL) |
	                        GRADE_TYPE_BIT(GRADE_INSPECTION_REINSPECTION))) !=
	            (GRADE_TYPE_BIT(GRADE_INSPECTION_INITIAL) |
	             GRADE_TYPE_BIT(GRADE_INSPECTION_REINSPECTION)))
		return bad(ret,
		           "A grade issued only in the top band at the initial inspection needs "
		           "initial and re-inspections both to be graded.",
		           "/rules/initial_graded_only_in_top_band");
	if (r->min_days_before_reinspection < 0 || r->min_days_before_reinspection > DAYS_MAX)
		return bad(ret, "A day count lies in [0, 3650].",
		           "/rules/min_days_before_reinspection");
	if (r->rerating_standstill_days < 0 || r->rerating_standstill_days > DAYS_MAX)
		return bad(ret, "A day count lies in [0, 3650].",
		           "/rules/rerating_standstill_days");
	switch (r->appeal_window) {
	case GRADE_APPEAL_NONE:
	case GRADE_APPEAL_UNTIL_HEARING:
		if (r->appeal_window_days != 0)
			return bad(ret, "Only an appeal window in days counts days.",
			           "/rules/appeal_window_days");
		break;
	case GRADE_APPEAL_WITHIN_DAYS:
		if (r->appeal_window_days < 1 || r->appeal_window_days > DAYS_MAX)
			return bad(ret, "An appeal window in days lies in [1, 3650].",
			           "/rules/appeal_window_days");
		break;
	default: return bad(ret, "Unknown appeal window.", "/rules/appeal_window");
	}
	if ((rc = check_pair(r->pending_label_during_appeal, r->pending_code_during_appeal,
	                     "pending", ret)) < 0) {
		/* The rules' names: pending_label_during_appeal, pending_code_during_appeal. */
		if (ret)
			strncat(ret->pointer, "_during_appeal",
			        sizeof(ret->pointer) - strlen(ret->pointer) - 1);
		return rc;
	}
	if (r->pending_label_during_appeal && r->appeal_window != GRADE_APPEAL_UNTIL_HEARING)
		return bad(ret, "A grade is pending during an appeal only until a hearing.",
		           "/rules/pending_label_during_appeal");
	if (r->max_adjournments_with_pending < 0 ||
	    r->max_adjournments_with_pending > ADJOURNMENT_MAX)
		return bad(ret, "An adjournment count lies in [0, 100].",
		           "/rules/max_adjournments_with_pending");
	if (!r->pending_label_during_appeal && r->max_adjournments_with_pending != 0)
		return bad(ret, "Adjournments count only where a grade may be pending.",
		           "/rules/max_adjournments_with_pending");
	if (r->withhold_until_appeal_decided && r->appeal_window != GRADE_APPEAL_WITHIN_DAYS)
		return bad(ret, "A rating is withheld only during an appeal window in days.",
		           "/rules/withhold_until_appeal_decided");
	if ((rc = check_pair(r->reopening_label, r->reopening_code, "reopening", ret)) < 0)
		return rc;
	if (!r->not_yet_graded_label)
		return bad(ret, "Every scheme says what an establishment not yet graded posts.",
		           "/rules/not_yet_graded_label");
	return check_pair(r->not_yet_graded_label, r->not_yet_graded_code, "not_yet_graded", ret);
}

int scheme_check(const struct grade_scheme *s, struct scheme_problem *ret)
{
	int rc;

	if (!s)
		return bad(ret, "No scheme.", "%s", "");
	if (!scheme_code_ok(s->code))
		return bad(ret, "A scheme code is 2 to 32 lowercase letters, digits or '-'.",
		           "/code");
	if (s->version < 1)
		return bad(ret, "Versions count from 1.", "/version");
	if (!text_ok(s->name, 200))
		return bad(ret, "A scheme needs a name of at most 200 bytes.", "/name");
	if (!text_ok(s->jurisdiction, 200))
		return bad(ret, "A scheme names where it applies, in at most 200 bytes.",
		           "/jurisdiction");
	if (s->local_language && !language_ok(s->local_language))
		return bad(ret, "A language tag is 2 to 35 letters, digits or '-' (\"zh-CN\").",
		           "/local_language");
	if ((unsigned)s->kind > GRADE_KIND_ELEMENT_SCORES)
		return bad(ret, "Unknown kind.", "/kind");
	if ((rc = check_bands(s, ret)) < 0 || (rc = check_elements(s, ret)) < 0 ||
	    (rc = check_violations(s, ret)) < 0 || (rc = check_rules(s, ret)) < 0)
		return rc;
	return 0;
}

/* @s is YYYY-MM-DD, a day of the calendar (date_valid(): leap years, year 0001 on). */
static bool is_date(const char *s)
{
	return s && date_valid(s);
}

enum scheme_assignment_verdict
scheme_assignment_check(const char *applies_from, const char *last_visit, const char *last_from)
{
	if (!is_date(applies_from))
		return SCHEME_ASSIGN_BAD_DATE;
	/* Dates of one shape compare as text. */
	if (last_visit && strcmp(applies_from, last_visit) <= 0)
		return SCHEME_ASSIGN_BEFORE_VISITS;
	if (last_from && strcmp(applies_from, last_from) <= 0)
		return SCHEME_ASSIGN_BEFORE_ASSIGNMENT;
	return SCHEME_ASSIGN_OK;
}
