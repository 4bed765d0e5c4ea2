/*
 * inspections.h - inspections from draft to submission, amendments, and their records: an
 * inspection created once for a device's key, edited as a draft under the tablet's version
 * check, submitted, amended; a new appeal code for a lost report.
 */
#ifndef PLACARD_RECORDS_INSPECTIONS_H
#define PLACARD_RECORDS_INSPECTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/appeal.h"
#include "domain/policy.h"
#include "domain/grade.h"
#include "records/records.h"
#include "records/tablet.h"

/* An inspection document, as decoded from a request (api/inspection_doc.c). */
struct inspection_doc {
	int64_t establishment_id;
	const char *type;
	const char *started_at, *ended_at;
	bool closed;
	bool has_elements;
	int64_t elements[GRADE_MAX_ELEMENTS];
	const char *notes;
	const char *signed_name, *signature;
	bool submit;
	bool has_appeal_code;
	char appeal_code[APPEAL_CODE_LEN + 1]; /* made on the device, normalised */
	const char *reason;                    /* amendments */
	size_t nviol;
	struct {
		const char *code, *observed;
		const char *correct_by; /* YYYY-MM-DD, or NULL: no corrective action */
		int64_t points;
		bool corrected_on_site, repeat;
	} viol[GRADE_MAX_VIOLATIONS];
	struct tablet_doc tablet; /* checklist and temperature readings */
};

/*
 * Check @d against scheme @s: codes, points, element scores, checklist and readings; fills in
 * the default points of violations given without. 0, or -EINVAL with @err naming the field.
 * A pure check, kept with the records functions that call it once they have read the scheme.
 */
int inspection_doc_check(const struct grade_scheme *s, struct inspection_doc *d,
                         struct json_error *err);

/* No step to check: rec_inspection_lock() for a caller that checked the duty already. */
#define REC_NO_STEP POLICY_ACTION__COUNT

/*
 * Lock inspection @id (any revision; its row FOR UPDATE in *@ret, the columns of
 * STMT_INSPECTION_LOCK) inside the caller's transaction and, unless @step is REC_NO_STEP,
 * check that r->staff may take @step on it (rec_duty_check). 0, or a refusal: 404 for no
 * such inspection, 403 or 409 from the rule.
 */
int rec_inspection_lock(struct rec *r, const char *id, enum policy_action step,
                        struct store_result **ret);

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

/* What creating, editing, submitting or amending an inspection answers. */
struct rec_inspection_written {
	const char *id;    /* the inspection (for an amendment: the new revision) */
	const char *json;  /* the inspection as staff see it, with the appeal code just issued */
	long long version; /* its version (the ETag), -1 when unknown */
	/* Creation only: the first answer to this key again. */
	bool replayed;
	int replayed_status;
};

/*
 * Create an inspection from @d by r->staff, once for the device's @key: a request with the
 * same key and the same body (SHA-256 hex @body_hash) gets the first answer again
 * (ret->replayed, ret->replayed_status and ret->json, never with an appeal code); with
 * another body, 422 naming Idempotency-Key. Submitted at once when @d->submit. Commits.
 * Refusals: 422 (no such establishment, or a document the scheme refuses), those of
 * rec_inspection_submit_draft().
 */
int rec_inspection_create(struct rec *r, const char *key, const char *body_hash,
                          struct inspection_doc *d, struct rec_inspection_written *ret);

/*
 * Replace draft @id with @d (the draft's own inspector or a supervisor), after the version
 * check of @v (rec_tablet_version_check: a conflict is recorded and committed, and refused
 * with 412), then submit it when @d->submit. Commits; ret->version is the new version.
 */
int rec_inspection_update(struct rec *r, const char *id, struct inspection_doc *d,
                          struct rec_version_check *v, struct rec_inspection_written *ret);

/* Submit draft @id with the device's appeal code @code (or NULL to make one). Commits. */
int rec_inspection_submit(struct rec *r, const char *id, const char *code,
                          struct rec_inspection_written *ret);

/*
 * A new appeal code for submitted inspection @id, when the operator lost the report: a clerk
 * who had no part in the inspection, with @reason (kept with the reissue, never published).
 * The old codes stop opening the report, except the code that filed its appeal. The code
 * (plain text, shown once) in @code. Commits.
 */
int rec_inspection_appeal_code_reissue(struct rec *r, const char *id, const char *reason,
                                       char code[APPEAL_CODE_LEN + 1]);

/*
 * Amend submitted inspection @orig with @d (with its reason): a new revision, graded and
 * submitted. Commits; ret->id is the new revision. 409 when it was amended meanwhile.
 */
int rec_inspection_amend(struct rec *r, const char *orig, struct inspection_doc *d,
                         struct rec_inspection_written *ret);

/* Published inspection @id as the public sees it (JSON in *@ret_json). 0 or 404. */
int rec_inspection_public(struct rec *r, const char *id, const char **ret_json);

/* Inspection @id as staff see it, with its version. 0 or 404. */
int rec_inspection_staff(struct rec *r, const char *id, struct rec_inspection_written *ret);

#endif
