/*
 * rerating.h - re-rating visits: the operator asks for one after making improvements; the
 * inspectors see the requests on their due list, schedule the visit and record the
 * inspection that made it.
 */
#ifndef PLACARD_RECORDS_RERATING_H
#define PLACARD_RECORDS_RERATING_H

#include <stdint.h>

#include "records/duties.h"
#include "records/records.h"

/* A re-rating request as it was made. */
struct rec_rerating {
	const char *id;
	const char *earliest_visit_on; /* the end of the scheme's stand-still, a date */
	int standstill_days;
};

/*
 * Operator @op asks for a re-rating visit of the establishment after the @improvements they
 * describe; the event is logged. 0 and *@ret, or a refusal: 403/409 from the separation of
 * duties, 422 when the scheme has no re-rating visits, 409 when a request is still open.
 */
int rec_rerating_request(struct rec *r, const struct rec_operator *op, const char *improvements,
                         struct rec_rerating *ret);

/* The inspectors' due list: open requests due now, and those still in the stand-still. */
int rec_rerating_due(struct rec *r, const char **ret);

/*
 * r->staff schedules the visit of request @id on @visit_on (a date), or records that
 * submitted inspection @inspection made it; the event is logged. On 0, *@ret is the request
 * after the step. Otherwise a refusal: 404, 409 when the request is past this step, 422 for
 * a date inside the stand-still or an inspection that cannot be the visit.
 */
int rec_rerating_schedule(struct rec *r, const char *id, const char *visit_on, const char **ret);
int rec_rerating_inspected(struct rec *r, const char *id, int64_t inspection, const char **ret);

#endif
