/*
 * inspection_doc.h - the inspection document of POST/PATCH /api/v1/inspections and of
 * amendments, decoded from its JSON body into struct inspection_doc (records/inspections.h,
 * where inspection_doc_check() checks it against the inspection's scheme). Kept apart from
 * the handlers, which need a database, so the decoding can be tested and fuzzed on its own.
 *
 * API layer. Errors fill a json_error naming the field at fault and return -EINVAL.
 */
#ifndef PLACARD_API_INSPECTION_DOC_H
#define PLACARD_API_INSPECTION_DOC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/tablet_doc.h"
#include "domain/appeal.h"
#include "domain/grade.h"
#include "json/json.h"
#include "records/inspections.h"

#define NOTES_MAX     20000
#define OBSERVED_MAX  4000
#define SIGNATURE_MAX 200000

/*
 * Decode @body into @d: a closed object; "establishment_id" required when
 * @with_establishment and refused otherwise; "reason" required in an @amendment and refused
 * elsewhere; "appeal_code" only with "submit": true (or in an amendment). Violation points
 * not given are -1 until inspection_doc_check() fills in the default.
 */
int inspection_doc_read(json_t *body, bool with_establishment, bool amendment,
                        struct inspection_doc *d, struct json_error *err);

/*
 * The optional "appeal_code" of @body, normalised into @out (*@has false when absent):
 * APPEAL_CODE_LEN characters of RANDOM_CODE_ALPHABET once spaces and dashes are dropped and
 * letters raised.
 */
int inspection_appeal_code_read(json_t *body, char out[APPEAL_CODE_LEN + 1], bool *has,
                                struct json_error *err);

#endif
