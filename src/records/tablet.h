/*
 * tablet.h - what the inspector's tablet adds to an inspection: the checklist marks and
 * temperature readings of an inspection document, the version that turns two devices'
 * edits of one draft into a flagged conflict instead of a silent overwrite, photos, the
 * resolution of conflicts, assignments, the due list and the offline form.
 *
 * The check of a tablet document against a scheme (tablet_check_doc) is here and not with
 * its decoder (api/tablet_doc.c): the scheme is the inspection's, known only once the
 * records function has read the inspection, inside its transaction.
 */
#ifndef PLACARD_RECORDS_TABLET_H
#define PLACARD_RECORDS_TABLET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json/json.h"
#include "records/records.h"

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
 * Check @t against scheme @s and the @ncodes cited violation codes: checklist items must be
 * catalogue items, each marked in / out / not_observed / not_applicable, and when a
 * checklist is given an item is "out" exactly when a violation cites it; readings may name
 * only catalogue items. 0, or -EINVAL with @err naming the field.
 */
int tablet_check_doc(const struct grade_scheme *s, const struct tablet_doc *t,
                     const char *const codes[], size_t ncodes, struct json_error *err);

/*
 * Store @t for inspection @id inside the caller's transaction, replacing its checklist and
 * readings. 0 or the refusal of a store error.
 */
int rec_tablet_store_doc(struct rec *r, const char *id, const struct tablet_doc *t);

/* The version a device's edit was based on (If-Match), when it is not a version number. */
#define REC_VERSION_ABSENT    (-1) /* not sent */
#define REC_VERSION_MALFORMED (-2) /* not an ETag of an inspection */

/* The version check of an edit of draft @id, once it is locked. */
struct rec_version_check {
	long long base;       /* in: the device's version, or REC_VERSION_* */
	const char *document; /* in: the document it sent, kept with a conflict */
	long long current;    /* out: the draft's version, -1 when unknown */
	bool conflict;        /* out: the edit was refused as a conflict (412) */
	bool conflict_kept;   /* out: and the conflict was committed */
	const char *conflict_id;
};

/*
 * Check @v->base against draft @id's version inside the caller's transaction. 0 when it is
 * the current version. Otherwise a refusal: 428 without a version, 400 for a malformed one,
 * and 412 when the draft has changed since: then the refused document is kept as an open
 * conflict, logged, and committed (nothing typed in a kitchen is lost to a conflict); the
 * caller's transaction is over.
 */
int rec_tablet_version_check(struct rec *r, const char *id, struct rec_version_check *v);

/* The version of inspection @id into *@ret, or -1 when there is no such inspection. 0 or a
 * refusal. */
int rec_tablet_version(struct rec *r, const char *id, long long *ret);

/* A photo a tablet sends, decoded. */
struct rec_photo {
	const char *client_id;    /* the device's id for it (its Idempotency-Key) */
	const char *content_type; /* image/jpeg, image/png or image/webp */
	const char *sha256;       /* hex, as the device computed it */
	const char *taken_at;     /* or NULL */
	const char *code;         /* the catalogue item it shows, or NULL */
	int64_t width, height;    /* or -1 */
	const unsigned char *data;
	size_t len;
};

/* What storing a photo gives. */
struct rec_photo_stored {
	const char *id;   /* the photo's id */
	const char *json; /* its metadata (JSON) */
	bool replayed;    /* it was stored before: this is the first answer again */
};

/*
 * Add photo @p to draft inspection @id (its own inspector or a supervisor). A photo already
 * stored under the same client id is the first answer again (ret->replayed), even after
 * submission; under another hash it is refused (409). Otherwise 404, 403, 409 (submitted,
 * or full), 422 (@p->code not in the scheme's catalogue). Commits.
 */
int rec_tablet_photo_create(struct rec *r, const char *id, const struct rec_photo *p,
                            struct rec_photo_stored *ret);

/* A stored photo: its bytes, type and hash. */
struct rec_photo_file {
	const char *content_type;
	const char *sha256;
	const unsigned char *data;
	size_t len;
};

/* Photo @photo of inspection @id. 0, or a refusal (404). */
int rec_tablet_photo_get(struct rec *r, const char *id, const char *photo,
                         struct rec_photo_file *ret);

/* Remove photo @photo of draft inspection @id. 0 (committed) or a refusal (404, 403, 409). */
int rec_tablet_photo_delete(struct rec *r, const char *id, const char *photo);

/*
 * Resolve the open conflict @conflict of inspection @id as @resolution ("kept_server" or
 * "kept_device"). 0 (committed) or a refusal (404 for no such open conflict, 403).
 */
int rec_tablet_conflict_resolve(struct rec *r, const char *id, const char *conflict,
                                const char *resolution);

/*
 * Assign establishment @est to active inspector @inspector, as policy_assign_check() allows
 * r->staff: a supervisor or an administrator gives out any work; an inspector only hands
 * over what is assigned to them, never to themselves. 0 (committed) or a refusal (403 by
 * the rule, 422 when either does not exist).
 */
int rec_tablet_assign(struct rec *r, const char *est, int64_t inspector);

/* What the supervisor's screen asks for (STMT_SUPERVISOR_WORKLIST). */
struct rec_worklist_query {
	const char *area;  /* a city or the beginning of a postcode, or NULL */
	const char *risk;  /* risk categories, comma-separated ("A,B"), or NULL */
	long long days;    /* due within so many days or overdue; -1: any */
	bool unassigned;   /* only establishments assigned to nobody */
	int64_t inspector; /* only this inspector's; 0: anyone's */
	long long limit;
};

/* The work to give out (JSON, in r->a): establishments with their due day and inspector. */
int rec_supervisor_worklist(struct rec *r, const struct rec_worklist_query *q,
                            const char **ret_json);

/* The corrective actions establishment @est is under (JSON, in r->a). 0 or a refusal (404). */
int rec_corrective_actions(struct rec *r, const char *est, const char **ret_json);

/* The active inspectors with what they hold, due and overdue (JSON, in r->a). */
int rec_supervisor_inspectors(struct rec *r, const char **ret_json);

/*
 * The due list (JSON, in r->a) of @inspector (0: r->staff) within @days. Only a supervisor
 * sees another inspector's (403 otherwise).
 */
int rec_tablet_due(struct rec *r, int64_t inspector, long long days, const char **ret_json);

/* The offline form (JSON, in r->a) of establishment @est. 0 or a refusal (404). */
int rec_tablet_form(struct rec *r, const char *est, const char **ret_json);

#endif
