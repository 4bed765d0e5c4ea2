/*
 * establishments.c - the licence registry: jurisdictions, establishments and licence
 * actions. Clerks register and edit establishments and record licence actions (clerks,
 * admins and supervisors read the licence history); anyone may read an establishment's
 * public record. Every change is logged in the same transaction.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "core/util.h"
#include "domain/licence.h"
#include "domain/grade.h"

#define NAME_MAX_LEN    200
#define ADDRESS_MAX_LEN 200

int api_jurisdictions_list(struct http_request *req, struct http_response *res)
{
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	int rc = store_exec(st, req->arena, STMT_JURISDICTION_LIST, NULL, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	return api_json_text(res, 200, store_value(r, 0, 0));
}

int api_jurisdiction_create(struct http_request *req, struct http_response *res)
{
	static const char *const fields[] = { "code", "name", "scheme", "timezone", NULL };
	struct json_error err;
	json_t *body;
	const char *code, *name, *scheme, *tz = NULL;
	if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", fields, &err) < 0 ||
	    json_field_string(body, "", "code", true, 32, &code, &err) < 0 ||
	    json_field_string(body, "", "name", true, NAME_MAX_LEN, &name, &err) < 0 ||
	    json_field_string(body, "", "scheme", true, 32, &scheme, &err) < 0 ||
	    json_field_string(body, "", "timezone", false, 64, &tz, &err) < 0)
		return api_json_error(res, &err);
	if (!grade_scheme_builtin(scheme))
		return http_problem(res, 422, "/scheme", "There is no scoring scheme \"%s\".",
		                    scheme);

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { code, name, scheme, tz };
	int rc = store_begin(st);
	if (rc == 0)
		rc = store_exec(st, req->arena, STMT_JURISDICTION_CREATE, p, &r);
	if (rc == 0)
		rc = api_event(st, req->arena, "jurisdiction.created",
		               arena_printf(req->arena, "jurisdiction/%s", code),
		               json_pack("{s:s, s:s}", "code", code, "scheme", scheme));
	if (rc == 0)
		rc = store_commit(st);
	if (rc < 0) {
		store_rollback(st);
		if (rc == -EEXIST)
			return http_problem(res, 409, "/code",
			                    "Jurisdiction \"%s\" already exists.", code);
		return api_store_error(res, st, rc);
	}
	return api_json_text(res, 201, store_value(r, 0, 0));
}

/* The editable fields of an establishment, as text parameters (NULL = absent). */
struct establishment_fields {
	const char *name, *address_line, *city, *postcode, *latitude, *longitude, *type, *cuisine,
	        *risk;
};

static int read_fields(struct http_request *req, json_t *body, bool creating,
                       struct establishment_fields *f, struct json_error *err)
{
	double lat, lon;
	int has_lat, has_lon;
	if (json_field_string(body, "", "name", creating, NAME_MAX_LEN, &f->name, err) < 0 ||
	    json_field_string(body, "", "address_line", false, ADDRESS_MAX_LEN, &f->address_line,
	                      err) < 0 ||
	    json_field_string(body, "", "city", false, 100, &f->city, err) < 0 ||
	    json_field_string(body, "", "postcode", false, 16, &f->postcode, err) < 0 ||
	    json_field_string(body, "", "establishment_type", false, 64, &f->type, err) < 0 ||
	    json_field_string(body, "", "cuisine", false, 64, &f->cuisine, err) < 0 ||
	    json_field_string(body, "", "risk_category", false, 1, &f->risk, err) < 0 ||
	    (has_lat = json_field_number(body, "", "latitude", false, -90, 90, &lat, err)) < 0 ||
	    (has_lon = json_field_number(body, "", "longitude", false, -180, 180, &lon, err)) < 0)
		return -EINVAL;
	if (f->name && !*f->name) {
		snprintf(err->field, sizeof(err->field), "/name");
		snprintf(err->detail, sizeof(err->detail), "\"name\" must not be empty.");
		return -EINVAL;
	}
	if (f->risk && !(f->risk[0] >= 'A' && f->risk[0] <= 'E')) {
		snprintf(err->field, sizeof(err->field), "/risk_category");
		snprintf(err->detail, sizeof(err->detail), "\"risk_category\" must be A to E.");
		return -EINVAL;
	}
	if ((has_lat == 0) != (has_lon == 0)) {
		snprintf(err->field, sizeof(err->field), has_lat == 0 ? "/longitude" : "/latitude");
		snprintf(err->detail, sizeof(err->detail),
		         "\"latitude\" and \"longitude\" go together.");
		return -EINVAL;
	}
	if (has_lat == 0) {
		f->latitude = arena_printf(req->arena, "%.7f", lat);
		f->longitude = arena_printf(req->arena, "%.7f", lon);
	}
	return 0;
}

/* Reply with the establishment's public record. */
static int reply_establishment(struct http_request *req, struct http_response *res,
                               struct store *st, const char *id, int status)
{
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_ESTABLISHMENT_JSON, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	return api_json_text(res, status, store_value(r, 0, 0));
}

int api_establishment_create(struct http_request *req, struct http_response *res)
{
	static const char *const keys[] = {
		"jurisdiction", "licence_number", "name",
		"address_line", "city",           "postcode",
		"latitude",     "longitude",      "establishment_type",
		"cuisine",      "risk_category",  NULL,
	};
	struct json_error err;
	json_t *body;
	const char *jurisdiction, *licence;
	struct establishment_fields f = { 0 };
	if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", keys, &err) < 0 ||
	    json_field_string(body, "", "jurisdiction", true, 32, &jurisdiction, &err) < 0 ||
	    json_field_string(body, "", "licence_number", true, LICENCE_MAX, &licence, &err) < 0 ||
	    read_fields(req, body, true, &f, &err) < 0)
		return api_json_error(res, &err);
	if (!*licence)
		return http_problem(res, 422, "/licence_number",
		                    "\"licence_number\" must not be empty.");

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { jurisdiction, licence,     f.name, f.address_line, f.city, f.postcode,
		            f.latitude,   f.longitude, f.type, f.cuisine,      f.risk };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, req->arena, STMT_ESTABLISHMENT_CREATE, p, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 422, "/jurisdiction", "There is no jurisdiction \"%s\".",
		                    jurisdiction);
	}
	const char *id = store_value(r, 0, 0);
	const struct grade_scheme *scheme = grade_scheme_builtin(store_value(r, 0, 1));
	const char *pg[] = { id,
		             "not_yet_graded",
		             scheme && scheme->rules.not_yet_graded_code
		                     ? scheme->rules.not_yet_graded_code
		                     : "",
		             scheme && scheme->rules.not_yet_graded_label
		                     ? scheme->rules.not_yet_graded_label
		                     : "Not yet graded",
		             NULL,
		             NULL };
	if ((rc = store_exec(st, req->arena, STMT_POSTED_GRADE_SET, pg, NULL)) < 0 ||
	    (rc = api_event(st, req->arena, "establishment.registered",
	                    arena_printf(req->arena, "establishment/%s", id),
	                    json_pack("{s:s, s:s, s:s}", "jurisdiction", jurisdiction,
	                              "licence_number", licence, "name", f.name))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	http_header_add(res, "Location", arena_printf(req->arena, "/api/v1/establishments/%s", id));
	return reply_establishment(req, res, st, id, 201);
fail:
	store_rollback(st);
	if (rc == -EEXIST)
		return http_problem(res, 409, "/licence_number",
		                    "Licence number \"%s\" is already registered in \"%s\".",
		                    licence, jurisdiction);
	return api_store_error(res, st, rc);
}

int api_establishment_update(struct http_request *req, struct http_response *res)
{
	static const char *const keys[] = {
		"name",      "address_line",       "city",    "postcode",      "latitude",
		"longitude", "establishment_type", "cuisine", "risk_category", NULL,
	};
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	json_t *body;
	struct establishment_fields f = { 0 };
	if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", keys, &err) < 0 ||
	    read_fields(req, body, false, &f, &err) < 0)
		return api_json_error(res, &err);
	if (json_object_size(body) == 0)
		return http_problem(res, 422, "body",
		                    "Nothing to change: name at least one field.");

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { id,         f.name,      f.address_line, f.city,    f.postcode,
		            f.latitude, f.longitude, f.type,         f.cuisine, f.risk };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, req->arena, STMT_ESTABLISHMENT_UPDATE, p, &r)) < 0)
		goto fail;
	if (store_nrows(r) == 0) {
		store_rollback(st);
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	}
	/* The log records which fields changed and their new public values. */
	json_t *changed = json_deep_copy(body);
	if ((rc = api_event(st, req->arena, "establishment.updated",
	                    arena_printf(req->arena, "establishment/%s", id), changed)) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return reply_establishment(req, res, st, id, 200);
fail:
	store_rollback(st);
	return api_store_error(res, st, rc);
}

int api_establishment_get(struct http_request *req, struct http_response *res)
{
	return reply_establishment(req, res, store_thread(STORE_READ), http_param(req, "id")->value,
	                           200);
}

#define HISTORY_PAGE_DEFAULT 10
#define HISTORY_PAGE_MAX     50

int api_establishment_inspections(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	long long before = 0, limit;
	const char *q = http_query(req, "before");
	if (q && parse_int64(q, 1, INT64_MAX, &before) < 0)
		return http_problem(res, 400, "before",
		                    "\"before\" must be an inspection id (next_before of the page "
		                    "before).");
	int status = api_query_limit(req, res, HISTORY_PAGE_DEFAULT, HISTORY_PAGE_MAX, &limit);
	if (status)
		return status;
	char b[24], l[24];
	snprintf(b, sizeof(b), "%lld", before);
	snprintf(l, sizeof(l), "%lld", limit);
	const char *p[] = { id, before ? b : NULL, l };
	struct store *st = store_thread(STORE_READ);
	struct store_result *r;
	int rc = store_exec(st, req->arena, STMT_ESTABLISHMENT_INSPECTIONS, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (!streq(store_value(r, 0, 0), "t"))
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	if (!streq(store_value(r, 0, 1), "t"))
		return http_problem(
		        res, 400, "before",
		        "Inspection %lld is not a submitted inspection of establishment "
		        "%s.",
		        before, id);
	return api_json_text(res, 200, store_value(r, 0, 2));
}

int api_licence_action_create(struct http_request *req, struct http_response *res)
{
	static const char *const keys[] = { "action", "effective_on", "expires_on", "reason",
		                            NULL };
	static const struct {
		const char *action;
		const char *status; /* the establishment's status afterwards, or NULL */
	} actions[] = {
		{ "issued", "active" },  { "renewed", NULL },        { "suspended", "suspended" },
		{ "revoked", "closed" }, { "reinstated", "active" },
	};
	const char *id = http_param(req, "id")->value;
	struct json_error err;
	json_t *body;
	const char *action, *effective = NULL, *expires = NULL, *reason = NULL;
	if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", keys, &err) < 0 ||
	    json_field_string(body, "", "action", true, 16, &action, &err) < 0 ||
	    json_field_string(body, "", "effective_on", false, 10, &effective, &err) < 0 ||
	    json_field_string(body, "", "expires_on", false, 10, &expires, &err) < 0 ||
	    json_field_string(body, "", "reason", false, 2000, &reason, &err) < 0)
		return api_json_error(res, &err);
	const char *status = NULL;
	size_t i;
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (streq(actions[i].action, action))
			break;
	if (i == ARRAY_SIZE(actions))
		return http_problem(res, 422, "/action",
		                    "\"action\" must be issued, renewed, suspended, revoked or "
		                    "reinstated.");
	status = actions[i].status;
	if ((streq(action, "suspended") || streq(action, "revoked")) && (!reason || !*reason))
		return http_problem(res, 422, "/reason", "A %s licence needs a reason.", action);
	if (effective && !date_valid(effective))
		return http_problem(res, 422, "/effective_on",
		                    "\"effective_on\" must be a date such as 2026-05-01.");
	if (expires && !date_valid(expires))
		return http_problem(res, 422, "/expires_on",
		                    "\"expires_on\" must be a date such as 2026-05-01.");
	/* Dates of the same form compare as text. */
	if (effective && expires && strcmp(expires, effective) < 0)
		return http_problem(res, 422, "/expires_on",
		                    "The licence cannot expire (%s) before it takes effect (%s).",
		                    expires, effective);

	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r, *s;
	char user[24];
	snprintf(user, sizeof(user), "%lld", (long long)api_user(req)->id);
	const char *p[] = { id, action, effective, expires, reason, user };
	const char *ps[] = { id, status };
	const char *pl[] = { id };
	int rc = store_begin(st);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if ((rc = store_exec(st, req->arena, STMT_ESTABLISHMENT_STATUS_LOCK, pl, &s)) < 0)
		goto fail;
	if (store_nrows(s) == 0) {
		store_rollback(st);
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	}
	const char *refusal = licence_action_refusal(action, store_value(s, 0, 0));
	if (refusal) {
		store_rollback(st);
		return http_problem(res, 409, "/action", "%s", refusal);
	}
	if (status &&
	    (rc = store_exec(st, req->arena, STMT_ESTABLISHMENT_SET_STATUS, ps, NULL)) < 0)
		goto fail;
	if ((rc = store_exec(st, req->arena, STMT_LICENCE_ACTION_CREATE, p, &r)) < 0)
		goto fail;
	/* The reason is internal (staff read it in the licence history): the log carries only
	 * its reference and salted hash. */
	json_t *created = json_arena(req->arena, json_loads(store_value(r, 0, 0), 0, NULL));
	json_t *reason_ref;
	if ((rc = api_log_text(
	             st, req->arena, "licence_action.reason",
	             arena_printf(req->arena, "%lld",
	                          (long long)json_integer_value(json_object_get(created, "id"))),
	             false, reason && *reason ? reason : NULL, &reason_ref)) < 0 ||
	    (rc = api_event(st, req->arena, "licence.action",
	                    arena_printf(req->arena, "establishment/%s", id),
	                    json_pack("{s:s, s:s?, s:o}", "action", action, "effective_on",
	                              effective, "reason", reason_ref))) < 0 ||
	    (rc = store_commit(st)) < 0)
		goto fail;
	return api_json_text(res, 201, store_value(r, 0, 0));
fail:
	store_rollback(st);
	if (rc == -EINVAL && store_error_constraint(st) &&
	    streq(store_error_constraint(st), "licence_action_establishment_id_fkey"))
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	/* Without "effective_on" the licence takes effect today, known only to the database. */
	if (rc == -EINVAL && store_error_constraint(st) &&
	    streq(store_error_constraint(st), "licence_action_check"))
		return http_problem(res, 422, "/expires_on",
		                    "The licence cannot expire (%s) before it takes effect.",
		                    expires);
	return api_store_error(res, st, rc);
}

int api_licence_action_list(struct http_request *req, struct http_response *res)
{
	const char *id = http_param(req, "id")->value;
	/* The primary: a clerk reads the history just written, never a replica's older copy. */
	struct store *st = store_thread(STORE_WRITE);
	struct store_result *r;
	const char *p[] = { id };
	int rc = store_exec(st, req->arena, STMT_LICENCE_ACTION_LIST, p, &r);
	if (rc < 0)
		return api_store_error(res, st, rc);
	if (store_nrows(r) == 0)
		return http_problem(res, 404, NULL, "There is no establishment %s.", id);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json_text(res, 200, store_value(r, 0, 0));
}
