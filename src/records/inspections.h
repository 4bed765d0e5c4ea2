/*
 * inspections.h - submitting an inspection, and the revisions that amend it.
 */
#ifndef PLACARD_RECORDS_INSPECTIONS_H
#define PLACARD_RECORDS_INSPECTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/appeal.h"
#include "records/records.h"

/* A new appeal code, as strong as a device's must be (appeal_code_strong). */
void rec_appeal_code_new(char out[APPEAL_CODE_LEN + 1]);

/* What a submission issues. */
struct rec_submitted {
	const char *requested_code; /* in: the device's appeal code, or NULL to make one */
	const char *appeal_code;    /* out: plain text, shown once; NULL for an amendment */
};

/*
 * Grade and submit draft @id inside the caller's transaction (the draft is locked here):
 * score, grade and explanation stored, the posted grade and the establishment's status set
 * when it is the latest visit, the events logged, an open re-rating request closed by a
 * re-inspection. An amendment issues no appeal code. 0 or a refusal (404, 409 when it is not
 * a draft or has an open edit conflict, 422 naming the field the grading refused).
 */
int rec_inspection_submit_draft(struct rec *r, const char *id, struct rec_submitted *ret);

/* One violation to dismiss in a revision made by rec_inspection_dismiss(). */
struct rec_dismissal {
	int64_t violation_id;
	const char *reason; /* public: shown beside the dismissed violation */
	const char *field;  /* JSON pointer naming it in the request, for refusals */
};

/*
 * Inside the caller's transaction, make a new revision of submitted inspection @orig (which
 * must be the current revision) by r->staff with the amendment @reason: the same visit and
 * violations, the @n named in @dismiss marked dismissed with their reasons; then grade and
 * submit it as an amendment. On 0, *@ret_id (in r->a) is the new inspection. Otherwise a
 * refusal (422 naming @dismiss[k].field for a violation that is not on @orig or is already
 * dismissed).
 */
int rec_inspection_dismiss(struct rec *r, const char *orig, const char *reason, size_t n,
                           const struct rec_dismissal *dismiss, const char **ret_id);

#endif
