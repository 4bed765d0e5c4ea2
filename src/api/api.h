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
	const char *display_name;
	const char *csrf_token; /* the session's, for X-CSRF-Token */
};

/* The request's staff member, or NULL on public routes / when not signed in. */
const struct api_user *api_user(const struct http_request *req);

extern const struct http_route api_routes[];
extern const size_t api_nroutes;

/* Runs before every handler: roles, CSRF, CORS. See http_hook. */
int api_hook(struct http_request *req, struct http_response *res);

/*
 * Call once at start, after sodium_init() and before threads start: remembers whether the
 * server runs behind TLS (PLACARD_TLS=1: cookies get Secure) and prepares the password hash
 * that sign-ins for unknown usernames are checked against. 0, or -ENOMEM when argon2id
 * cannot get its memory.
 */
int api_init(bool tls);

/*
 * The session check of api_hook() for staff routes (src/api/session.c): a live session from
 * the placard_session cookie (401 otherwise), for POST/PUT/PATCH/DELETE a same-site Origin
 * and the session's X-CSRF-Token (403 otherwise), and a role in the route's flags (403). On
 * success sets req->app to a struct api_user in req->arena and returns 0; otherwise returns
 * the status it answered with (503 when the database is unavailable).
 */
int api_session_check(struct http_request *req, struct http_response *res);

/*
 * Hash a password of @len bytes with argon2id (libsodium crypto_pwhash_str, interactive
 * limits) into @ret_hash, a NUL-terminated "$argon2id$..." string. The password's policy is
 * the caller's (auth_password_check). 0, or -ENOMEM when argon2id cannot get its memory.
 */
int api_password_hash(const char *password, size_t len, char ret_hash[128]);

/* Answer a store error: 503 with Retry-After when the database is unavailable, 409 for a
 * conflict, 422 for data the database refused, 500 otherwise. Returns the status. */
int api_store_error(struct http_response *res, struct store *s, int rc);

/* Answer a JSON decoding or validation error: 400 (malformed) or 422 (invalid field). */
int api_json_error(struct http_response *res, const struct json_error *err);

/* Send @v (a reference the caller keeps) as application/json with @status. */
int api_json(struct http_response *res, int status, const json_t *v);

/* Send text that is already JSON (built by PostgreSQL). */
int api_json_text(struct http_response *res, int status, const char *json);

/*
 * Append an event to the public log inside the caller's transaction. @payload (a new
 * reference, taken over) must hold nothing personal. Returns 0 or a store error.
 */
int api_event(struct store *st, struct arena *a, const char *kind, const char *subject,
              json_t *payload);

struct grade_scheme;
struct grade_result;

/* A scheme as published (@full: with bands, catalogue and rules). New reference. */
json_t *api_scheme_json(const struct grade_scheme *s, bool full);

/* A grade's explanation: score, band, counted and dismissed violations, rule. New reference. */
json_t *api_grade_explanation(const struct grade_scheme *s, const struct grade_result *r);

/* Copy the built-in schemes and catalogues into the database (placard migrate). */
int api_schemes_sync(struct store *st, char *err, size_t errsize);

/* Handlers, one group per resource file. */
int api_healthz(struct http_request *req, struct http_response *res);
int api_version(struct http_request *req, struct http_response *res);
int api_schemes_list(struct http_request *req, struct http_response *res);
int api_scheme_get(struct http_request *req, struct http_response *res);
int api_jurisdictions_list(struct http_request *req, struct http_response *res);
int api_jurisdiction_create(struct http_request *req, struct http_response *res);
int api_establishment_create(struct http_request *req, struct http_response *res);
int api_establishment_update(struct http_request *req, struct http_response *res);
int api_establishment_get(struct http_request *req, struct http_response *res);
int api_licence_action_create(struct http_request *req, struct http_response *res);
int api_inspection_create(struct http_request *req, struct http_response *res);
int api_inspection_update(struct http_request *req, struct http_response *res);
int api_inspection_submit(struct http_request *req, struct http_response *res);
int api_inspection_amend(struct http_request *req, struct http_response *res);
int api_inspection_get(struct http_request *req, struct http_response *res);
int api_inspection_get_staff(struct http_request *req, struct http_response *res);
int api_log_page(struct http_request *req, struct http_response *res);
int api_log_head(struct http_request *req, struct http_response *res);

/* session.c: sign in (public), who am I, sign out. */
int api_session_create(struct http_request *req, struct http_response *res);
int api_session_get(struct http_request *req, struct http_response *res);
int api_session_delete(struct http_request *req, struct http_response *res);

/* staff.c: staff accounts (admin). */
int api_staff_list(struct http_request *req, struct http_response *res);
int api_staff_create(struct http_request *req, struct http_response *res);

#endif
