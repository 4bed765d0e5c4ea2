/*
 * api.c - the route table and what every resource shares: the pre-handler hook, JSON
 * responses, and the mapping from store errors to HTTP statuses.
 */
#include "api/api.h"
#include "api/tlog.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"

const struct http_route api_routes[] = {
	{ HTTP_GET, "/healthz", api_healthz, API_PUBLIC },
	{ HTTP_GET, "/api/v1/version", api_version, API_PUBLIC },
	/* No session, but not for everyone: api_hook() lets only PLACARD_METRICS_ALLOW in. */
	{ HTTP_GET, "/metrics", api_metrics, API_PUBLIC | API_METRICS },
	/* staff and sessions */
	{ HTTP_POST, "/api/v1/session", api_session_create, API_PUBLIC },
	{ HTTP_GET, "/api/v1/session", api_session_get, API_ANY_STAFF },
	{ HTTP_DELETE, "/api/v1/session", api_session_delete, API_ANY_STAFF },
	{ HTTP_GET, "/api/v1/staff", api_staff_list, API_ADMIN },
	{ HTTP_POST, "/api/v1/staff", api_staff_create, API_ADMIN },
	/* published scoring methods */
	{ HTTP_GET, "/api/v1/map", api_map, API_PUBLIC },
	{ HTTP_GET, "/api/v1/schemes", api_schemes_list, API_PUBLIC },
	{ HTTP_POST, "/api/v1/schemes", api_scheme_publish, API_ADMIN },
	{ HTTP_GET, "/api/v1/schemes/{code}", api_scheme_get, API_PUBLIC },
	{ HTTP_GET, "/api/v1/schemes/{code}/versions", api_scheme_versions, API_PUBLIC },
	{ HTTP_GET, "/api/v1/schemes/{code}/versions/{n:int}", api_scheme_version_get, API_PUBLIC },
	/* the licence registry */
	{ HTTP_GET, "/api/v1/jurisdictions", api_jurisdictions_list, API_PUBLIC },
	{ HTTP_POST, "/api/v1/jurisdictions", api_jurisdiction_create, API_ADMIN },
	{ HTTP_GET, "/api/v1/jurisdictions/{code}/schemes", api_jurisdiction_schemes, API_PUBLIC },
	{ HTTP_POST, "/api/v1/jurisdictions/{code}/schemes", api_jurisdiction_scheme_assign,
	  API_ADMIN },
	{ HTTP_POST, "/api/v1/establishments", api_establishment_create, API_CLERK | API_ADMIN },
	{ HTTP_GET, "/api/v1/establishments/{id:int}", api_establishment_get, API_PUBLIC },
	{ HTTP_GET, "/api/v1/establishments/{id:int}/inspections", api_establishment_inspections,
	  API_PUBLIC },
	{ HTTP_PATCH, "/api/v1/establishments/{id:int}", api_establishment_update,
	  API_CLERK | API_ADMIN },
	{ HTTP_POST, "/api/v1/establishments/{id:int}/licence-actions", api_licence_action_create,
	  API_CLERK | API_ADMIN },
	{ HTTP_GET, "/api/v1/establishments/{id:int}/licence-actions", api_licence_action_list,
	  API_CLERK | API_ADMIN | API_SUPERVISOR },
	/* inspections */
	{ HTTP_POST, "/api/v1/inspections", api_inspection_create, API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/inspections/{id:int}", api_inspection_get, API_PUBLIC },
	{ HTTP_PATCH, "/api/v1/inspections/{id:int}", api_inspection_update,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/submit", api_inspection_submit,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/appeal-code", api_inspection_appeal_code,
	  API_CLERK },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/amendments", api_inspection_amend,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/staff/inspections/{id:int}", api_inspection_get_staff,
	  API_INSPECTOR | API_SUPERVISOR | API_HEARING_OFFICER },
	/* the inspector's tablet */
	{ HTTP_POST, "/api/v1/inspections/{id:int}/photos", api_tablet_photo_create,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/staff/inspections/{id:int}/photos/{photo:int}", api_tablet_photo_get,
	  API_INSPECTOR | API_SUPERVISOR | API_HEARING_OFFICER | API_ADMIN },
	{ HTTP_DELETE, "/api/v1/inspections/{id:int}/photos/{photo:int}", api_tablet_photo_delete,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/conflicts/{conflict:int}/resolve",
	  api_tablet_conflict_resolve, API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_PUT, "/api/v1/establishments/{id:int}/inspector", api_tablet_assign,
	  API_SUPERVISOR | API_ADMIN | API_INSPECTOR },
	{ HTTP_GET, "/api/v1/inspector/due", api_tablet_due, API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/inspector/establishments/{id:int}", api_tablet_form,
	  API_INSPECTOR | API_SUPERVISOR },
	/* the supervisor's screen */
	{ HTTP_GET, "/api/v1/supervisor/worklist", api_supervisor_worklist,
	  API_SUPERVISOR | API_ADMIN },
	{ HTTP_GET, "/api/v1/supervisor/inspectors", api_supervisor_inspectors,
	  API_SUPERVISOR | API_ADMIN },
	{ HTTP_GET, "/api/v1/establishments/{id:int}/corrective-actions", api_corrective_actions,
	  API_INSPECTOR | API_SUPERVISOR | API_CLERK | API_ADMIN },
	/* the tamper-evident log */
	{ HTTP_GET, "/api/v1/log", api_log_page, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/head", api_log_head, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/entries", api_log_entries, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/texts/{id:int}", api_log_text_get, API_PUBLIC },
	/* the log's Merkle tree (api/tlog.c). A tile path is /tile/L/N[.p/W], N in groups of
	 * three digits: the longest ones (level 0 and entry bundles, from 256 million entries
	 * on) have five segments after /tile, one more than a route's parameters. */
	{ HTTP_GET, "/checkpoint", api_tlog_checkpoint, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/key", api_tlog_key, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/witnesses", api_tlog_witnesses, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/proof/inclusion", api_tlog_inclusion, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/proof/consistency", api_tlog_consistency, API_PUBLIC },
	{ HTTP_GET, "/tile/{l}/{n}", api_tlog_tile, API_PUBLIC },
	{ HTTP_GET, "/tile/{l}/{n1}/{n2}", api_tlog_tile, API_PUBLIC },
	{ HTTP_GET, "/tile/{l}/{n1}/{n2}/{n3}", api_tlog_tile, API_PUBLIC },
	{ HTTP_GET, "/tile/0/{n1}/{n2}/{n3}/{n4}", api_tlog_tile, API_PUBLIC },
	{ HTTP_GET, "/tile/entries/{n1}/{n2}/{n3}/{n4}", api_tlog_tile, API_PUBLIC },
	/* open data */
	{ HTTP_GET, "/open-data/lives.zip", api_open_data_lives, API_PUBLIC },
	{ HTTP_GET, "/api/v1/opendata/inspections.ndjson", api_open_data_placard, API_PUBLIC },
	/* appeals and due process: the operator (licence number + appeal code, no account) */
	{ HTTP_POST, "/api/v1/operator/report", api_operator_status, API_PUBLIC },
	{ HTTP_POST, "/api/v1/operator/appeals", api_operator_appeal_file, API_PUBLIC },
	{ HTTP_POST, "/api/v1/operator/appeals/withdraw", api_operator_appeal_withdraw,
	  API_PUBLIC },
	{ HTTP_POST, "/api/v1/operator/appeals/attachments", api_operator_attachment_add,
	  API_PUBLIC },
	{ HTTP_POST, "/api/v1/operator/appeals/attachments/{id:int}", api_operator_attachment_get,
	  API_PUBLIC },
	{ HTTP_POST, "/api/v1/operator/replies", api_operator_reply, API_PUBLIC },
	{ HTTP_POST, "/api/v1/operator/rerating-requests", api_operator_rerating, API_PUBLIC },
	/* appeals and due process: the public record, hearing officers, clerks, inspectors */
	{ HTTP_GET, "/api/v1/appeals/{id:int}", api_appeal_get, API_PUBLIC },
	{ HTTP_GET, "/api/v1/appeals", api_appeal_queue, API_HEARING_OFFICER | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/appeals/overdue", api_appeal_overdue,
	  API_SUPERVISOR | API_HEARING_OFFICER },
	{ HTTP_GET, "/api/v1/staff/appeals/{id:int}", api_appeal_get_staff,
	  API_HEARING_OFFICER | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/staff/appeals/{id:int}/attachments/{attachment:int}",
	  api_appeal_attachment_get, API_HEARING_OFFICER | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/appeals/calendar", api_appeal_calendar,
	  API_HEARING_OFFICER | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/appeals/decided", api_appeal_decided,
	  API_HEARING_OFFICER | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/appeals/{id:int}/review", api_appeal_review, API_HEARING_OFFICER },
	{ HTTP_POST, "/api/v1/appeals/{id:int}/hearing", api_appeal_hearing, API_HEARING_OFFICER },
	{ HTTP_POST, "/api/v1/appeals/{id:int}/adjournments", api_appeal_adjourn,
	  API_HEARING_OFFICER },
	{ HTTP_POST, "/api/v1/appeals/{id:int}/decision", api_appeal_decide, API_HEARING_OFFICER },
	{ HTTP_POST, "/api/v1/replies/{id:int}/moderation", api_reply_moderate,
	  API_CLERK | API_ADMIN },
	{ HTTP_GET, "/api/v1/rerating-requests/due", api_rerating_due,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/rerating-requests/{id:int}/schedule", api_rerating_schedule,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/rerating-requests/{id:int}/inspected", api_rerating_inspected,
	  API_INSPECTOR | API_SUPERVISOR },
	/* the public portal */
	{ HTTP_GET, "/api/v1/establishments", api_establishments_search, API_PUBLIC },
	{ HTTP_GET, "/api/v1/establishments/{id:int}/qr.svg", api_establishment_qr, API_PUBLIC },
	{ HTTP_GET, "/api/v1/cards/{code}", api_card_get, API_PUBLIC },
	{ HTTP_GET, "/api/v1/openapi.json", api_openapi, API_PUBLIC },
};
const size_t api_nroutes = ARRAY_SIZE(api_routes);

int api_hook(struct http_request *req, struct http_response *res)
{
	/* Operations' monitoring: no session, not for the public, never kept by a cache. */
	if (req->route->flags & API_METRICS)
		return api_metrics_check(req, res);
	if (req->route->flags & API_PUBLIC) {
		/* Others may build on the public data: cross-origin reads, never writes. */
		if (req->method & (HTTP_GET | HTTP_HEAD)) {
			http_header_add(res, "Access-Control-Allow-Origin", "*");
			/* Public reads may be kept a minute; a handler's own Cache-Control wins
			 * and errors are not kept (src/http/encode.c). */
			http_header_add(res, "Cache-Control", "public, max-age=60");
		} else {
			/* Sign-in and the operator's licence + code: nothing kept. */
			http_header_add(res, "Cache-Control", "no-store");
		}
		return 0;
	}
	/* Staff answers are never kept by a browser or a proxy, errors included (a shared
	 * tablet, a proxy's cache): no-store outranks any Cache-Control a handler adds
	 * (src/http/encode.c). */
	http_header_add(res, "Cache-Control", "no-store");
	/* Staff routes: a live session, the CSRF token for changes, a role the route allows. */
	return api_session_check(req, res);
}

int api_query_limit(struct http_request *req, struct http_response *res, long long def,
                    long long max, long long *ret)
{
	const char *q = http_query(req, "limit");
	*ret = def;
	if (q && parse_int64(q, 1, max, ret) < 0)
		return http_problem(res, 400, "limit", "api.query.limit_range", "max",
		                    I18N_INT(max), NULL);
	return 0;
}

json_int_t id_value(const char *digits)
{
	return (json_int_t)strtoll(digits, NULL, 10);
}

const struct api_user *api_user(const struct http_request *req)
{
	return req->app;
}

static enum policy_role policy_role_of(unsigned role)
{
	switch (role) {
	case API_ADMIN: return POLICY_ADMIN;
	case API_CLERK: return POLICY_CLERK;
	case API_INSPECTOR: return POLICY_INSPECTOR;
	case API_SUPERVISOR: return POLICY_SUPERVISOR;
	case API_HEARING_OFFICER: return POLICY_HEARING_OFFICER;
	}
	return POLICY_PUBLIC;
}

struct rec api_rec(struct http_request *req, enum store_role role)
{
	struct rec r = { .st = store_thread(role), .a = req->arena };
	const struct api_user *u = api_user(req);
	if (u) {
		struct rec_staff *staff = arena_alloc(req->arena, sizeof(*staff));
		*staff = (struct rec_staff){ .id = u->id,
			                     .username = u->username,
			                     .display_name = u->display_name,
			                     .role = policy_role_of(u->role) };
		r.staff = staff;
	}
	r.client = http_client_network(req);
	return r;
}

int api_refused(struct http_response *res, const struct rec *r)
{
	const struct problem *p = &r->problem;
	if (!p->status) {
		/* A records function failed without saying why: a programming error. */
		return http_problem(res, 500, NULL, "api.http.internal", NULL);
	}
	if (p->retry_after > 0) {
		char seconds[16];
		snprintf(seconds, sizeof(seconds), "%d", p->retry_after);
		http_header_add(res, "Retry-After", seconds);
	}
	return http_problem_text(res, p->status, p->field, p->code, p->detail);
}

void api_settle(struct http_request *req)
{
	store_thread_settle();
}

int api_json_error(struct http_response *res, const struct json_error *err)
{
	int status = streq(err->field, "body") ? 400 : 422;
	return http_problem_text(res, status, err->field, err->code, err->detail);
}

int api_json(struct http_response *res, int status, const json_t *v)
{
	struct buf b = BUF_INIT;
	size_t len;
	char *s = json_dump_compact(v, &len);
	buf_add(&b, s, len);
	free(s);
	return http_respond_buf(res, status, "application/json", &b);
}

int api_json_text(struct http_response *res, int status, const char *json)
{
	return http_respond(res, status, "application/json", json, strlen(json));
}
