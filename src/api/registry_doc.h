/*
 * registry_doc.h - the request bodies of the licence registry (establishments.c), of staff
 * accounts (staff.c) and of signing in (session.c), decoded from the bytes of the request
 * into typed values. Kept apart from the handlers, which need a database, so the decoding
 * can be tested on its own.
 *
 * API layer, without the database and without HTTP. Each reader decodes @len bytes of
 * @body with json_decode() into @ret, allocating from @a; the strings it returns point into
 * the decoded document, which lives as long as @a. Each returns 0, or -EINVAL with @err
 * naming the field at fault: "body" when the bytes are not JSON (the handler answers 400),
 * a JSON pointer otherwise (422).
 */
#ifndef PLACARD_API_REGISTRY_DOC_H
#define PLACARD_API_REGISTRY_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "api/api.h"
#include "core/arena.h"
#include "domain/auth.h"
#include "json/json.h"
#include "records/establishments.h"

/* POST /api/v1/jurisdictions: "code", "name", "scheme", optional "timezone". */
int jurisdiction_doc_read(struct arena *a, const char *body, size_t len,
                          struct rec_jurisdiction *ret, struct json_error *err);

/* POST /api/v1/jurisdictions/{code}/schemes: "scheme" and "applies_from" (YYYY-MM-DD). */
struct scheme_assignment_doc {
	const char *scheme, *applies_from;
};
int scheme_assignment_doc_read(struct arena *a, const char *body, size_t len,
                               struct scheme_assignment_doc *ret, struct json_error *err);

/* POST /api/v1/establishments: "jurisdiction", "licence_number" and the fields ("name"
 * required). */
struct establishment_doc {
	const char *jurisdiction, *licence; /* creating only */
	struct rec_establishment_fields f;
	json_t *body; /* the object as sent */
};
int establishment_doc_read(struct arena *a, const char *body, size_t len,
                           struct establishment_doc *ret, struct json_error *err);

/* PATCH /api/v1/establishments/{id}: any of the fields (rec_establishment_update refuses
 * none). */
int establishment_change_read(struct arena *a, const char *body, size_t len,
                              struct establishment_doc *ret, struct json_error *err);

/* POST /api/v1/establishments/{id}/licence-actions: "action", optional "effective_on",
 * "expires_on", "reason". */
int licence_action_doc_read(struct arena *a, const char *body, size_t len,
                            struct rec_licence_action *ret, struct json_error *err);

/* POST /api/v1/staff: "username", "role", "password", optional "display_name" (the username
 * when absent), each checked by the rules of domain/auth.c. */
struct staff_doc {
	const char *username, *display_name, *password;
	enum auth_role role;
};
int staff_doc_read(struct arena *a, const char *body, size_t len, struct staff_doc *ret,
                   struct json_error *err);

/* POST /api/v1/session: "username" and "password". */
struct sign_in_doc {
	const char *username, *password;
};
int sign_in_doc_read(struct arena *a, const char *body, size_t len, struct sign_in_doc *ret,
                     struct json_error *err);

#endif
