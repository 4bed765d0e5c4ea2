/*
 * operator.h - the operator's proof: a licence number and an appeal code.
 */
#ifndef PLACARD_RECORDS_OPERATOR_H
#define PLACARD_RECORDS_OPERATOR_H

#include <stddef.h>

#include "records/duties.h"
#include "records/records.h"

/*
 * Check an operator's @licence (as typed; @licence_key: in lower case, what wrong codes are
 * counted by) and appeal @code (normalised, @code_len bytes). Past the limits in
 * domain/appeal.h the refusal is 429 with Retry-After; a wrong code and an unknown licence
 * get the same 403. 0 and *@ret (in r->a), or the refusal.
 */
int rec_operator_auth(struct rec *r, const char *licence, const char *licence_key, const char *code,
                      size_t code_len, struct rec_operator *ret);

#endif
