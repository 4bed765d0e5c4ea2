/*
 * api.c - the route table and what every resource shares: the pre-handler hook, JSON
 * responses, and the mapping from store errors to HTTP statuses.
 */
#include "api/api.h"

#include <errno.h>
#include <string.h>

#include "core/util.h"

const struct http_route api_routes[] = {
	{ HTTP_GET, "/healthz", api_healthz, API_PUBLIC },
	{ HTTP_GET, "/api/v1/version", api_version, API_PUBLIC },
	/* staff and sessions */
	{ HTTP_POST, "/api/v1/session", api_session_create, API_PUBLIC },
	{ HTTP_GET, "/api/v1/session", api_session_get, API_ANY_STAFF },
	{ HTTP_DELETE, "/api/v1/session", api_session_delete, API_ANY_STAFF },
	{ HTTP_GET, "/api/v1/staff", api_staff_list, API_ADMIN },
	{ HTTP_POST, "/api/v1/staff", api_staff_create, API_ADMIN },
	/* published scoring methods */
	{ HTTP_GET, "/api/v1/schemes", api_schemes_list, API_PUBLIC },
	{ HTTP_GET, "/api/v1/schemes/{code}", api_scheme_get, API_PUBLIC },
	/* the licence registry */
	{ HTTP_GET, "/api/v1/jurisdictions", api_jurisdictions_list, API_PUBLIC },
	{ HTTP_POST, "/api/v1/jurisdictions", api_jurisdiction_create, API_ADMIN },
	{ HTTP_POST, "/api/v1/establishments", api_establishment_create, API_CLERK | API_ADMIN },
	{ HTTP_GET, "/api/v1/establishments/{id:int}", api_establishment_get, API_PUBLIC },
	{ HTTP_PATCH, "/api/v1/establishments/{id:int}", api_establishment_update,
	  API_CLERK | API_ADMIN },
	{ HTTP_POST, "/api/v1/establishments/{id:int}/licence-actions", api_licence_action_create,
	  API_CLERK | API_ADMIN },
	/* inspections */
	{ HTTP_POST, "/api/v1/inspections", api_inspection_create, API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/inspections/{id:int}", api_inspection_get, API_PUBLIC },
	{ HTTP_PATCH, "/api/v1/inspections/{id:int}", api_inspection_update,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/submit", api_inspection_submit,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_POST, "/api/v1/inspections/{id:int}/amendments", api_inspection_amend,
	  API_INSPECTOR | API_SUPERVISOR },
	{ HTTP_GET, "/api/v1/staff/inspections/{id:int}", api_inspection_get_staff,
	  API_INSPECTOR | API_SUPERVISOR | API_HEARING_OFFICER | API_ADMIN },
	/* the tamper-evident log */
	{ HTTP_GET, "/api/v1/log", api_log_page, API_PUBLIC },
	{ HTTP_GET, "/api/v1/log/head", api_log_head, API_PUBLIC },
};
const size_t api_nroutes = ARRAY_SIZE(api_routes);

int api_hook(struct http_request *req, struct http_response *res)
{
	if (req->route->flags & API_PUBLIC) {
		/* Others may build on the public data: cross-origin reads, never writes. */
		if (req->method & (HTTP_GET | HTTP_HEAD))
			http_header_add(res, "Access-Control-Allow-Origin", "*");
		return 0;
	}
	/* Staff routes: a live session, the CSRF token for changes, a role the route allows. */
	return api_session_check(req, res);
}

const struct api_user *api_user(const struct http_request *req)
{
	return req->app;
}

int api_store_error(struct http_response *res, struct store *s, int rc)
{
	switch (rc) {
	case -ECONNREFUSED:
		http_header_add(res, "Retry-After", "5");
		return http_problem(res, 503, NULL,
		                    "The database is unavailable; try again in a few seconds.");
	case -EEXIST:
		return http_problem(res, 409, store_error_constraint(s),
		                    "This conflicts with an existing record.");
	case -EINVAL:
		return http_problem(res, 422, store_error_constraint(s), "%s",
		                    store_error_message(s));
	case -EAGAIN:
		http_header_add(res, "Retry-After", "1");
		return http_problem(res, 503, NULL, "The database was busy; try again.");
	default: return http_problem(res, 500, NULL, "The server could not complete the request.");
	}
}

int api_json_error(struct http_response *res, const struct json_error *err)
{
	int status = streq(err->field, "body") ? 400 : 422;
	return http_problem(res, status, err->field, "%s", err->detail);
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
