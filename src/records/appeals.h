/*
 * appeals.h - due process for an inspection result: the operator's view of their report,
 * filing and withdrawing an appeal; the public record of an appeal; the hearing officers'
 * queue, review, hearing, adjournment and decision.
 *
 * The JSON these return is text built by PostgreSQL, in r->a.
 */
#ifndef PLACARD_RECORDS_APPEALS_H
#define PLACARD_RECORDS_APPEALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/appeal.h"
#include "records/duties.h"
#include "records/inspections.h"
#include "records/records.h"

/*
 * What operator @op sees of their inspection, its appeal, their reply and re-rating request,
 * in *@ret. 0, or a refusal (403 or 409 when the code may not read the report).
 */
int rec_operator_report(struct rec *r, const struct rec_operator *op, const char **ret);

/* An appeal as the operator files it. */
struct rec_appeal_filing {
	const char *grounds;
	size_t ncontested;
	const int64_t *contested; /* violation ids of the inspection's current revision */
};

/*
 * Operator @op files appeal @f against their inspection, within the scheme's window; the
 * event is logged. On 0, *@ret_id is the new appeal and *@ret the operator's report after it
 * (as rec_operator_report()). Otherwise a refusal: 403/409 from the separation of duties,
 * 422 when the scheme has no appeal, the window has closed or a contested violation is not
 * on the inspection, 409 when the inspection was already appealed.
 */
int rec_appeal_file(struct rec *r, const struct rec_operator *op, const struct rec_appeal_filing *f,
                    const char **ret_id, const char **ret);

/*
 * Operator @op withdraws the appeal against their inspection. On 0, *@ret is their report
 * after it. Otherwise a refusal: 404 without an appeal, 403/409 when it may not be withdrawn.
 */
int rec_appeal_withdraw(struct rec *r, const struct rec_operator *op, const char **ret);

/* The public record of appeal @id in *@ret. 0 or a refusal (404). */
int rec_appeal_public(struct rec *r, const char *id, const char **ret);

/*
 * Appeal @id as hearing officers see it (grounds, internal notes, the inspection's current
 * revision), in *@ret. 0 or a refusal: 404, 403 for a party to the inspection.
 */
int rec_appeal_staff(struct rec *r, const char *id, const char **ret);

/* The open appeals (@overdue: only those past their decision date), in *@ret. */
int rec_appeal_queue(struct rec *r, bool overdue, const char **ret);

/*
 * r->staff takes appeal @id under review (@ev APPEAL_EV_ACCEPT) or rejects it as late
 * (APPEAL_EV_REJECT_LATE), with @note (or NULL): a late appeal's note is its public closing
 * note, a review note is internal. On 0, *@ret is the appeal as staff see it after the step.
 * Otherwise a refusal: 404, 403 for a party to the inspection, 409 when the appeal cannot
 * take this step.
 */
int rec_appeal_review(struct rec *r, const char *id, enum appeal_event ev, const char *note,
                      const char **ret);

/*
 * r->staff schedules the hearing of appeal @id at @hearing_at, or (@adjourn) moves it there
 * with the internal @reason. On 0, *@ret is the appeal as staff see it after the step;
 * otherwise a refusal as rec_appeal_review().
 */
int rec_appeal_hearing(struct rec *r, const char *id, bool adjourn, const char *hearing_at,
                       const char *reason, const char **ret);

/* An appeal's decision. */
struct rec_appeal_decision {
	enum appeal_event ev; /* APPEAL_EV_UPHOLD, APPEAL_EV_MODIFY or APPEAL_EV_OVERTURN */
	const char *reasons;  /* written, published on the appeal's record */
	size_t ndismissed;    /* violations dismissed: more than 0 exactly when modified */
	const struct rec_dismissal *dismissed;
};

/*
 * r->staff decides appeal @id, in one transaction: a modified decision makes a new revision
 * of the inspection with the named violations dismissed (rec_inspection_dismiss()); an
 * overturned one makes the posted grade fall back (appeal_posted_grade()); the decision and
 * its events are logged. On 0, *@ret is the appeal as staff see it after the decision.
 * Otherwise a refusal as rec_appeal_review(), or rec_inspection_dismiss()'s.
 */
int rec_appeal_decide(struct rec *r, const char *id, const struct rec_appeal_decision *d,
                      const char **ret);

/* A file the operator attaches to their appeal, decoded. */
struct rec_attachment {
	const char *filename; /* as their device named it: shown, never trusted for the type */
	const unsigned char *data;
	size_t len;
};

/*
 * Operator @op attaches file @f to their open appeal: the type is told by the content (JPEG,
 * PNG or PDF, domain/appeal.h); the appeal's limits are checked under its lock; the event
 * (size and hash, not the name) is logged. On 0, *@ret_id is the attachment and *@ret the
 * operator's report after it. Otherwise a refusal: 403/409 from the separation of duties,
 * 422 naming "/data" for another type or too many files, 413 naming "/data" for a file or a
 * total too large.
 */
int rec_appeal_attach(struct rec *r, const struct rec_operator *op, const struct rec_attachment *f,
                      const char **ret_id, const char **ret);

/* A stored attachment. */
struct rec_attachment_file {
	const char *content_type;
	const char *sha256;
	const char *filename;
	const unsigned char *data;
	size_t len;
};

/* Attachment @id of operator @op's appeal. 0 or a refusal (403, 404). */
int rec_appeal_attachment_operator(struct rec *r, const struct rec_operator *op, const char *id,
                                   struct rec_attachment_file *ret);

/*
 * Attachment @id of appeal @appeal, for r->staff: hearing officers and supervisors who had no
 * part in the inspection (POLICY_APPEAL_READ_INTERNAL). 0 or a refusal (403, 404).
 */
int rec_appeal_attachment_staff(struct rec *r, const char *appeal, const char *id,
                                struct rec_attachment_file *ret);

/*
 * The hearing calendar: hearings scheduled from day @from to day @to (YYYY-MM-DD, inclusive,
 * UTC), in order, in *@ret ({"appeals": [...]}); appeals whose inspection r->staff took part
 * in are left out.
 */
int rec_appeal_calendar(struct rec *r, const char *from, const char *to, const char **ret);

/* A search of decided appeals; NULL members filter nothing. */
struct rec_decided_query {
	const char *establishment; /* a fragment of the name or the licence number */
	const char *from, *to;     /* decided on these days or between them (YYYY-MM-DD) */
	const char *outcome;       /* "upheld", "modified" or "overturned" */
	long limit;
};

/*
 * Decided appeals matching @q, newest decision first, in *@ret ({"appeals": [...]}); appeals
 * whose inspection r->staff took part in are left out.
 */
int rec_appeal_decided(struct rec *r, const struct rec_decided_query *q, const char **ret);

#endif
