/*
 * request_docs.h - the request bodies of the appeal process (appeals.c), the operator's
 * reply and its moderation (replies.c), re-rating requests (rerating.c) and the tablet's
 * photos, conflict resolutions and assignments (tablet.c), decoded from the bytes of the
 * request into typed values. Kept apart from the handlers, which need a database, so the
 * decoding can be tested and fuzzed on its own.
 *
 * API layer, without the database and without HTTP. Each reader decodes @len bytes of
 * @body with json_decode() into @ret, allocating from @a; the strings it returns point into
 * the decoded document, which lives as long as @a, and are valid UTF-8 without NUL. Each
 * returns 0, or -EINVAL with @err naming the field at fault: "body" when the bytes are not
 * JSON (the handler answers 400), a JSON pointer otherwise (422). photo_doc_read() also
 * returns -E2BIG (413) for a photo over PHOTO_MAX_BYTES. Limits in characters count code
 * points (appeal_text_length()); a string is first refused at four bytes a character.
 *
 * An operator's request carries the licence number and the appeal code of the inspection
 * report beside its own members. Its own members are checked first; the handler then reads
 * the proof with operator_proof_read() inside api_operator_auth(), in that order.
 */
#ifndef PLACARD_API_REQUEST_DOCS_H
#define PLACARD_API_REQUEST_DOCS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "core/arena.h"
#include "domain/appeal.h"
#include "domain/grade.h"
#include "json/json.h"

/* Characters of a hearing officer's note (reviews) and of an adjournment's reason. */
#define APPEAL_NOTE_MAX 2000
/* Characters of the reason a violation is dismissed on appeal. */
#define DISMISSAL_REASON_MAX 2000
/* Characters of a clerk's reason for changing an operator's reply. */
#define MODERATION_REASON_MAX 2000

/* Largest photo, decoded. Its base64 form and the JSON around it fit in the default 1 MiB
 * request body (PLACARD_MAX_BODY); the tablet downscales photos to well under it. */
#define PHOTO_MAX_BYTES  (750 * 1024)
#define PHOTO_MAX_BASE64 (((PHOTO_MAX_BYTES + 2) / 3) * 4)
/* Most base64 strings one photo may be split into. */
#define PHOTO_MAX_CHUNKS 64

/* ---- the operator's proof */

struct operator_proof {
	const char *licence;     /* "licence_number" without leading and trailing spaces */
	const char *licence_key; /* the same in lower case (ASCII): wrong codes count by it */
	char code[APPEAL_CODE_INPUT_MAX + 1]; /* "appeal_code" normalised (appeal_code_normalise) */
	size_t code_len; /* strlen(code); only APPEAL_CODE_LEN can match a report */
};

/*
 * Read "licence_number" (at most LICENCE_MAX bytes) and "appeal_code" (at most
 * APPEAL_CODE_INPUT_MAX bytes) of an operator's request @body, both required. Whether they
 * match an inspection report is for the database to say.
 */
int operator_proof_read(struct arena *a, json_t *body, struct operator_proof *ret,
                        struct json_error *err);

/* ---- appeals.c */

/*
 * POST /api/v1/operator/report and /api/v1/operator/appeals/withdraw: an object with
 * "licence_number" and "appeal_code" and nothing else. *@ret is the object, for
 * operator_proof_read().
 */
int operator_request_read(struct arena *a, const char *body, size_t len, json_t **ret,
                          struct json_error *err);

/* POST /api/v1/operator/appeals. */
struct appeal_filing {
	json_t *body;        /* for operator_proof_read() */
	const char *grounds; /* not empty, at most APPEAL_GROUNDS_MAX characters */
	size_t ncontested;   /* "contested_violations", optional */
	int64_t contested[GRADE_MAX_VIOLATIONS]; /* violation ids, each at least 1 */
};
int appeal_filing_read(struct arena *a, const char *body, size_t len, struct appeal_filing *ret,
                       struct json_error *err);

/* POST /api/v1/operator/appeals/attachments: a photo or document for the open appeal. */
struct attachment_doc {
	json_t *body;         /* for operator_proof_read() */
	const char *filename; /* 1 to APPEAL_ATTACHMENT_NAME_MAX characters, no control
	                        * characters, slashes or backslashes */
	unsigned char *data;  /* 1 to APPEAL_ATTACHMENT_MAX_BYTES bytes, of any type: the
	                        * records layer tells the type by the content */
	size_t len;
};
/* "data" a list of at most PHOTO_MAX_CHUNKS base64 strings, joined and decoded; -E2BIG (413)
 * for a file over APPEAL_ATTACHMENT_MAX_BYTES. */
int attachment_doc_read(struct arena *a, const char *body, size_t len, struct attachment_doc *ret,
                        struct json_error *err);

/* POST /api/v1/appeals/{id}/review: "action" accept or reject_late, with a "note". */
struct appeal_review {
	enum appeal_event ev; /* APPEAL_EV_ACCEPT or APPEAL_EV_REJECT_LATE */
	const char *note;     /* NULL when absent; not empty when rejected as late; at most
	                       * APPEAL_NOTE_MAX characters */
};
int appeal_review_read(struct arena *a, const char *body, size_t len, struct appeal_review *ret,
                       struct json_error *err);

/*
 * POST /api/v1/appeals/{id}/hearing (@adjourn false) and .../adjournments: "hearing_at" a
 * timestamp (json_timestamp_valid()); "reason" required for an adjournment, refused
 * otherwise.
 */
struct appeal_hearing {
	const char *hearing_at;
	const char *reason; /* NULL unless adjourned; then not empty, at most APPEAL_NOTE_MAX
	                     * characters */
};
int appeal_hearing_read(struct arena *a, const char *body, size_t len, bool adjourn,
                        struct appeal_hearing *ret, struct json_error *err);

/*
 * POST /api/v1/appeals/{id}/decision: "outcome" upheld, modified or overturned; written
 * "reasons"; "dismissed" violations when, and only when, modified.
 */
struct appeal_decision {
	enum appeal_event ev; /* APPEAL_EV_UPHOLD, APPEAL_EV_MODIFY or APPEAL_EV_OVERTURN */
	const char *reasons;  /* not empty, at most APPEAL_REASONS_MAX characters */
	size_t ndismissed;    /* at most GRADE_MAX_VIOLATIONS; more than 0 exactly when
	                       * modified */
	struct rec_dismissal *dismissed; /* ndismissed of them (+ 1 zeroed); each reason not
	                                  * empty, at most DISMISSAL_REASON_MAX characters */
};
int appeal_decision_read(struct arena *a, const char *body, size_t len, struct appeal_decision *ret,
                         struct json_error *err);

/* ---- replies.c */

/* POST /api/v1/operator/replies. */
struct operator_reply {
	json_t *body;     /* for operator_proof_read() */
	const char *text; /* not only white space, at most APPEAL_REPLY_MAX characters */
};
int operator_reply_read(struct arena *a, const char *body, size_t len, struct operator_reply *ret,
                        struct json_error *err);

/* POST /api/v1/replies/{id}/moderation. */
struct reply_moderation {
	const char *text;   /* the text to publish instead, or NULL; at most APPEAL_REPLY_MAX
	                     * characters */
	const char *reason; /* not only white space, at most MODERATION_REASON_MAX characters */
	bool removed;       /* no text but white space: the reply is withdrawn from view */
};
int reply_moderation_read(struct arena *a, const char *body, size_t len,
                          struct reply_moderation *ret, struct json_error *err);

/* ---- rerating.c */

/* POST /api/v1/operator/rerating-requests. */
struct rerating_request {
	json_t *body;             /* for operator_proof_read() */
	const char *improvements; /* not empty, at most APPEAL_EVIDENCE_MAX characters */
};
int rerating_request_read(struct arena *a, const char *body, size_t len,
                          struct rerating_request *ret, struct json_error *err);

/* POST /api/v1/rerating-requests/{id}/schedule: "visit_on", a date like 2026-05-01 (month
 * 1-12, day 1-31). */
int rerating_schedule_read(struct arena *a, const char *body, size_t len, const char **ret_visit_on,
                           struct json_error *err);

/* POST /api/v1/rerating-requests/{id}/inspected: "inspection_id", at least 1. */
int rerating_inspected_read(struct arena *a, const char *body, size_t len, int64_t *ret_inspection,
                            struct json_error *err);

/* ---- tablet.c */

/* POST /api/v1/inspections/{id}/photos. */
struct photo_doc {
	const char *content_type; /* image/jpeg, image/png or image/webp */
	const char *sha256;       /* 64 lowercase hexadecimal digits: the SHA-256 of the data */
	const char *taken_at;     /* a timestamp, or NULL */
	const char *code;         /* the catalogue item it shows (at most 16 bytes), or NULL;
	                           * the handler checks it against the inspection's scheme */
	int64_t width, height;    /* 1 to 10000, or -1 when absent */
	unsigned char *data;      /* the image, len bytes (1 to PHOTO_MAX_BYTES) starting as
	                           * content_type says */
	size_t len;
};

/*
 * The photo document of the photo with id @client_id (its Idempotency-Key, named in the
 * problems): "data" a list of at most PHOTO_MAX_CHUNKS base64 strings, joined and decoded.
 */
int photo_doc_read(struct arena *a, const char *body, size_t len, const char *client_id,
                   struct photo_doc *ret, struct json_error *err);

/* POST /api/v1/inspections/{id}/conflicts/{conflict}/resolve: "kept_server" or
 * "kept_device". */
int conflict_resolution_read(struct arena *a, const char *body, size_t len,
                             const char **ret_resolution, struct json_error *err);

/* PUT /api/v1/establishments/{id}/inspector: "inspector_id", at least 1. */
int assignment_read(struct arena *a, const char *body, size_t len, int64_t *ret_inspector,
                    struct json_error *err);

#endif
