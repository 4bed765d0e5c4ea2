/*
 * api.h - the JSON API: one file per resource, each translating HTTP to domain and store
 * calls. This header gives the route table and the helpers every resource file shares.
 */
#ifndef PLACARD_API_API_H
#define PLACARD_API_API_H

#include "http/http.h"
#include "json/json.h"
#include "store/store.h"

/*
 * Route flags (http_route.flags), interpreted by api_hook(). A route is either API_PUBLIC
 * (anyone, no session) or lists the staff roles that may call it; a route with neither is
 * refused to everybody (a safe default for a forgotten flag).
 */
enum api_route_flag {
	API_PUBLIC = 1 << 0,          /* anyone; cross-origin GETs allowed */
	API_ADMIN = 1 << 1,           /* staff accounts */
	API_CLERK = 1 << 2,           /* licence registry */
	API_INSPECTOR = 1 << 3,       /* inspections */
	API_SUPERVISOR = 1 << 4,      /* oversight: overdue work, all inspections */
	API_HEARING_OFFICER = 1 << 5, /* appeals */
	API_ANY_STAFF =
	        API_ADMIN | API_CLERK | API_INSPECTOR | API_SUPERVISOR | API_HEARING_OFFICER,
};

/* The signed-in staff member of a request (req->app), set by api_hook() on staff routes. */
struct api_user {
	int64_t id;
	const char *username;
	unsigned role; /* one API_* role bit */
};

/* The request's staff member, or NULL on public routes / when not signed in. */
const struct api_user *api_user(const struct http_request *req);

extern const struct http_route api_routes[];
extern const size_t api_nroutes;

/* Runs before every handler: roles, CSRF, CORS. See http_hook. */
int api_hook(struct http_request *req, struct http_response *res);

/* Answer a store error: 503 with Retry-After when the database is unavailable, 409 for a
 * conflict, 422 for data the database refused, 500 otherwise. Returns the status. */
int api_store_error(struct http_response *res, struct store *s, int rc);

/* Answer a JSON decoding or validation error: 400 (malformed) or 422 (invalid field). */
int api_json_error(struct http_response *res, const struct json_error *err);

/* Send @v (a reference the caller keeps) as application/json with @status. */
int api_json(struct http_response *res, int status, const json_t *v);

/* Send text that is already JSON (built by PostgreSQL). */
int api_json_text(struct http_response *res, int status, const char *json);

/* Handlers, one group per resource file. */
int api_healthz(struct http_request *req, struct http_response *res);
int api_version(struct http_request *req, struct http_response *res);

#endif
