/*
 * tablet.h - what the inspector's tablet adds to an inspection, as inspections.c uses it:
 * the checklist marks and temperature readings of an inspection document, the version
 * check (If-Match) that turns two devices' edits of one draft into a flagged conflict
 * instead of a silent overwrite, and the ETag of an inspection.
 *
 * The tablet's own routes (photos, conflicts, assignments, the due list, the offline form)
 * are declared in api.h with the other handlers. Everything here runs inside the caller's
 * transaction and allocates from the request's arena.
 */
#ifndef PLACARD_API_TABLET_H
#define PLACARD_API_TABLET_H

#include <stdbool.h>
#include <stddef.h>

#include "api/api.h"

/* Most temperature readings one inspection may record. */
#define TABLET_MAX_READINGS 100

struct grade_scheme;

struct tablet_reading {
	const char *item;     /* what was measured: "cooked rice", "walk-in cooler" */
	const char *location; /* where, or NULL */
	double value;
	const char *unit;     /* "C" or "F" */
	const char *taken_at; /* RFC 3339, or NULL for now */
	const char *code;     /* the catalogue item it supports, or NULL */
};

/* The tablet's part of an inspection document ("checklist", "readings"). */
struct tablet_doc {
	json_t *checklist; /* borrowed from the body: {"02B": "in", ...}; NULL when absent */
	size_t nreadings;
	struct tablet_reading readings[TABLET_MAX_READINGS];
};

/*
 * Read "checklist" and "readings" from the inspection document @body into @ret (zeroed
 * first). 0, or -EINVAL with @err naming the field at fault.
 */
int tablet_read_doc(json_t *body, struct tablet_doc *ret, struct json_error *err);

/*
 * Check @t against scheme @s and the @ncodes cited violation codes: checklist items must be
 * catalogue items, each marked in / out / not_observed / not_applicable, and when a
 * checklist is given an item is "out" exactly when a violation cites it; readings may name
 * only catalogue items. 0, or -EINVAL with @err naming the field.
 */
int tablet_check_doc(const struct grade_scheme *s, const struct tablet_doc *t,
                     const char *const codes[], size_t ncodes, struct json_error *err);

/* Store @t for inspection @id, replacing its checklist and readings. 0 or a store error. */
int tablet_store_doc(struct store *st, struct arena *a, const char *id, const struct tablet_doc *t);

/*
 * The If-Match check of PATCH /api/v1/inspections/{id}, after the draft is locked: 0 when
 * the header names the current version. Otherwise writes the problem and returns its
 * status: 428 without If-Match, 400 when malformed, and 412 when the draft has changed
 * since; then the refused document (the request body) is kept as an open conflict and
 * *@ret_commit is set: the caller commits (so the conflict is recorded) instead of rolling
 * back.
 */
int tablet_if_match(struct http_request *req, struct http_response *res, struct store *st,
                    const char *id, bool *ret_commit);

/* Refuse (409) to submit inspection @id while a conflict is open. 0 or the status. */
int tablet_submit_check(struct http_request *req, struct http_response *res, struct store *st,
                        const char *id);

/* Add the ETag ("\"<version>\"") of inspection @id to @res. 0 or a store error. */
int tablet_etag(struct store *st, struct arena *a, const char *id, struct http_response *res);

#endif
