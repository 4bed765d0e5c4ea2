/*
 * establishments.h - the licence registry: jurisdictions, establishments and licence
 * actions. Every change is logged in the same transaction.
 */
#ifndef PLACARD_RECORDS_ESTABLISHMENTS_H
#define PLACARD_RECORDS_ESTABLISHMENTS_H

#include "json/json.h"
#include "records/records.h"

/* A new jurisdiction (@timezone NULL: UTC). */
struct rec_jurisdiction {
	const char *code, *name, *scheme, *timezone;
};

/* The editable fields of an establishment, as statement parameters (NULL: absent). */
struct rec_establishment_fields {
	const char *name, *address_line, *city, *postcode, *latitude, *longitude, *type, *cuisine,
	        *risk;
};

/* A licence action as a clerk records it (NULL: absent). */
struct rec_licence_action {
	const char *action, *effective_on, *expires_on, *reason;
	/* The public reason (licence_reason_category_words()); suspensions and revocations
	 * only; NULL: none given. */
	const char *reason_category;
};

/* Every jurisdiction as JSON text in *@ret_json. 0 or a refusal. */
int rec_jurisdictions_list(struct rec *r, const char **ret_json);

/*
 * Add jurisdiction @j, logged. *@ret_json: the new jurisdiction. 0 or a refusal: 422 for a
 * scheme that does not exist, 409 for a code already used.
 */
int rec_jurisdiction_create(struct rec *r, const struct rec_jurisdiction *j, const char **ret_json);

/*
 * Move jurisdiction @code to scheme @scheme from day @applies_from (YYYY-MM-DD, in the
 * jurisdiction's time zone) on, logged ("jurisdiction.scheme_assigned"). Inspections whose
 * visit starts on or after that day are filed and graded under @scheme. *@ret_json: the
 * jurisdiction's schemes, as rec_jurisdiction_schemes() gives them. 0 or a refusal: 404 for
 * an unknown jurisdiction, 422 for an unknown or imported scheme and for a day on or before
 * a submitted inspection's visit there or the latest assignment's date. An assignment is
 * never changed or deleted.
 */
int rec_jurisdiction_scheme_assign(struct rec *r, const char *code, const char *scheme,
                                   const char *applies_from, const char **ret_json);

/* Jurisdiction @code's schemes as JSON text: {"code", "name", "timezone", "initial_scheme",
 * "scheme" (in force today), "assignments": [{"scheme", "applies_from", "assigned_at"}]}.
 * 0 or a refusal (404). */
int rec_jurisdiction_schemes(struct rec *r, const char *code, const char **ret_json);

/*
 * Register an establishment with licence number @licence in @jurisdiction, not yet graded,
 * logged. *@ret_id: its id; *@ret_json: its public record. 0 or a refusal: 422 for an empty
 * licence number or an unknown jurisdiction, 409 for a licence number already registered.
 */
int rec_establishment_create(struct rec *r, const char *jurisdiction, const char *licence,
                             const struct rec_establishment_fields *f, const char **ret_id,
                             const char **ret_json);

/*
 * Change the fields of establishment @id that @f gives; @changes (the fields as sent, not
 * taken over) is what the log records. *@ret_json: the public record afterwards. 0 or a
 * refusal (422 naming "body" when @changes is empty, 404).
 */
int rec_establishment_update(struct rec *r, const char *id,
                             const struct rec_establishment_fields *f, const json_t *changes,
                             const char **ret_json);

/* The public record of establishment @id. 0 or a refusal (404). */
int rec_establishment_get(struct rec *r, const char *id, const char **ret_json);

/*
 * A page of @limit submitted inspections of establishment @id, newest first, older than
 * inspection @before (0: from the newest). 0 or a refusal: 404, or 400 naming "before" when
 * @before is not a submitted inspection of this establishment.
 */
int rec_establishment_inspections(struct rec *r, const char *id, long long before, long long limit,
                                  const char **ret_json);

/*
 * Record licence action @la on establishment @id by r->staff, setting the establishment's
 * status as the action implies, logged (the reason only by reference). *@ret_json: the
 * action. 0 or a refusal: 422 naming the field at fault, 404, 409 when the action does not
 * follow from the licence's status.
 */
int rec_licence_action_create(struct rec *r, const char *id, const struct rec_licence_action *la,
                              const char **ret_json);

/* The licence history of establishment @id. 0 or a refusal (404). */
int rec_licence_action_list(struct rec *r, const char *id, const char **ret_json);

#endif
