/*
 * tablet_doc.h - what the inspector's tablet sends, decoded: the checklist marks and
 * temperature readings of an inspection document (struct tablet_doc, records/tablet.h,
 * where tablet_check_doc() checks them against the inspection's scheme), the version an
 * edit was based on (If-Match) and a photo's id (Idempotency-Key). The bodies of the
 * tablet's own routes are in request_docs.h.
 *
 * API layer. Errors fill a json_error naming the field at fault and return -EINVAL.
 */
#ifndef PLACARD_API_TABLET_DOC_H
#define PLACARD_API_TABLET_DOC_H

#include <stdbool.h>

#include "json/json.h"
#include "records/tablet.h"

/*
 * Read "checklist" and "readings" from the inspection document @body into @ret (zeroed
 * first). 0, or -EINVAL with @err naming the field at fault.
 */
int tablet_read_doc(json_t *body, struct tablet_doc *ret, struct json_error *err);

/*
 * The version an If-Match header @h names ("\"12\"" or W/"12"): the number, or
 * REC_VERSION_ABSENT when @h is NULL, REC_VERSION_MALFORMED when it is not such an ETag.
 */
long long tablet_if_match_read(const char *h);

/* Whether @s is a photo's id as a device makes it: 8 to 64 letters, digits and hyphens. */
bool tablet_photo_id_valid(const char *s);

/* The bounds of tablet_photo_id_valid(), for its refusal. */
#define TABLET_PHOTO_ID_MIN 8
#define TABLET_PHOTO_ID_MAX 64

#endif
