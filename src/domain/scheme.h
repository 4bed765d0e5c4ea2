/*
 * scheme.h - whether a scoring scheme is one the grading engine can apply: every rule a
 * scheme document must obey before it is published, checked over the scheme as the engine
 * holds it (struct grade_scheme).
 *
 * Domain layer: pure rules, no I/O, no allocation.
 */
#ifndef PLACARD_DOMAIN_SCHEME_H
#define PLACARD_DOMAIN_SCHEME_H

#include <stddef.h>

#include "domain/grade.h"

/* Most catalogue items a scheme may hold, and the longest violation code. */
#define SCHEME_MAX_VIOLATIONS 1000
#define SCHEME_MAX_CODE       32
/* Most bands a scheme may have. */
#define SCHEME_MAX_BANDS 16

/* What is wrong, and where: @pointer is the JSON pointer of the field in the scheme's
 * document ("/bands/2/min", "/violations/7/code", "/rules/appeal_window_days"). */
struct scheme_problem {
	char pointer[96];
	char detail[240];
};

/*
 * Check @s exhaustively: its code, name and kind; the bands (each with a label, a code and
 * plain words, codes and labels unique, ordered best first, covering the kind's whole score
 * range with no gap and no overlap: 0 and up for points and element totals, 0-100 for
 * deductions from 100; worst-element caps only in element schemes, never tighter in a worse
 * band, and none on the last band); the elements (element schemes only, named uniquely,
 * allowed scores non-negative and increasing); the catalogue (codes unique and well-formed,
 * descriptions present, points in [min, max] with the default inside, no fewer points than
 * the severity stands for, an element exactly in element schemes, element points among the
 * element's allowed scores); and the rules (types a grade may come from, the appeal window
 * and its days, pending labels only with hearings, withholding only with a window in days,
 * labels given in pairs with their codes, no negative day counts); and the local wording
 * (band local labels and violation local descriptions present only with the scheme's
 * local_language, a well-formed language tag, and as long as the texts they stand beside).
 *
 * Returns 0, or -EINVAL with @ret naming the first field at fault (when @ret is not NULL).
 */
int scheme_check(const struct grade_scheme *s, struct scheme_problem *ret);

/* Whether a jurisdiction may move to a scheme from a day. */
enum scheme_assignment_verdict {
	SCHEME_ASSIGN_OK,
	/* On or before the day a submitted inspection's visit started there: its grade would no
	 * longer be the one the scheme in force gives. */
	SCHEME_ASSIGN_BEFORE_VISITS,
	/* On or before the date of the jurisdiction's latest assignment, which never changes. */
	SCHEME_ASSIGN_BEFORE_ASSIGNMENT,
	/* Not a date, YYYY-MM-DD. */
	SCHEME_ASSIGN_BAD_DATE,
};

/*
 * Decide an assignment applying from @applies_from, given the day the latest submitted
 * inspection's visit started in the jurisdiction (@last_visit) and the date of its latest
 * assignment (@last_from), all YYYY-MM-DD in the jurisdiction's time zone, NULL for none. An
 * assignment applies only after both.
 */
enum scheme_assignment_verdict
scheme_assignment_check(const char *applies_from, const char *last_visit, const char *last_from);

#endif
