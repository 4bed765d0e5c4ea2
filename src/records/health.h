/*
 * health.h - is the server fit to answer (GET /healthz), and what it is (GET /api/v1/version).
 */
#ifndef PLACARD_RECORDS_HEALTH_H
#define PLACARD_RECORDS_HEALTH_H

#include "records/records.h"

/*
 * Whether the database answers on r->st, and how the name index in memory stands ("ready",
 * "loading" or "off") in *@ret_search_index. 0, or a refusal (503, Retry-After 5) when the
 * database does not answer.
 */
int rec_health(struct rec *r, const char **ret_search_index);

/* {"name":"placard","version"} as JSON text. 0. */
int rec_version(struct rec *r, const char **ret_json);

#endif
