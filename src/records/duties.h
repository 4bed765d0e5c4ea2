/*
 * duties.h - the separation of duties (domain/policy.h) applied to a records call: how the
 * staff member or the operator stands to the inspection, where the inspection stands, and
 * the refusal when the rule says no.
 */
#ifndef PLACARD_RECORDS_DUTIES_H
#define PLACARD_RECORDS_DUTIES_H

#include <stdbool.h>

#include "domain/policy.h"
#include "records/records.h"

struct grade_scheme;

/* An operator who proved who they are with a licence number and an appeal code. */
struct rec_operator {
	const char *inspection_id; /* the inspection the code was printed for (first revision) */
	const char *head_id;       /* its current revision */
	const char *establishment_id;
	const struct grade_scheme *scheme;
	long seconds_since_notice; /* since the end of the inspection */
	const char *code_hash;     /* SHA-256 of the code presented */
	enum policy_appeal appeal; /* where the report's appeal stands */
	bool filing_code;          /* the code acts in the appeal (domain/policy.h) */
	bool replaced_code;        /* a clerk replaced it: it opens the report read only */
};

/*
 * Refuse with the reason @why a rule of the domain gave (a sentence of domain/policy.c or
 * domain/licence.c), as the message of the "records" catalogue that says it; with message
 * @otherwise when @why is NULL.
 */
int rec_refuse_why(struct rec *r, int status, const char *field, const char *why,
                   const char *otherwise);

/*
 * May r->staff take step @what on inspection @id (any revision)? Reads how they stand to it
 * and where it stands, inside the caller's transaction. 0, or a refusal: 404 for no such
 * inspection, 403 when this person may not, 409 when nobody may in this state.
 */
int rec_duty_check(struct rec *r, const char *id, enum policy_action what);

/*
 * In a list of appeals (the hearing calendar, decided appeals): may r->staff, who took part in
 * the appeal's inspection when @involved, take step @what on an appeal in stored state
 * @appeal_state? The rule of rec_duty_check() without a refusal: a list leaves out what the
 * reader may not see.
 */
bool rec_duty_allows(const struct rec *r, bool involved, const char *appeal_state,
                     enum policy_action what);

/* May operator @op take step @what? 0 or the refusal (403 or 409). */
int rec_operator_may(struct rec *r, const struct rec_operator *op, enum policy_action what);

#endif
