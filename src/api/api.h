/*
 * api.h - the JSON API: one file per resource, each translating HTTP to domain and store
 * calls. This header gives the route table and the helpers every resource file shares.
 */
#ifndef PLACARD_API_API_H
#define PLACARD_API_API_H

#include "core/netaddr.h"
#include "http/http.h"
#include "json/json.h"
#include "domain/policy.h"
#include "records/duties.h"
#include "records/inspections.h"
#include "records/records.h"
#include "store/store.h"

/* Bytes of a licence number: registered, typed by an operator, or searched for. */
#define LICENCE_MAX 64

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
	/* with API_PUBLIC (no session): the addresses of PLACARD_METRICS_ALLOW only, checked
	 * before anything else (api/metrics.c) */
	API_METRICS = 1 << 6,
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

/*
 * The context of a records call made for @req (records/records.h): this thread's connection
 * for @role, the request's arena, the signed-in staff member if any, the client's address.
 */
struct rec api_rec(struct http_request *req, enum store_role role);

/* Answer the refusal a records call left in @r (with Retry-After when it has one). Returns
 * the status. */
int api_refused(struct http_response *res, const struct rec *r);

/* The server's settle step (http_settle): no transaction outlives its handler. */
void api_settle(struct http_request *req);

/*
 * The "limit" query parameter of a paged answer into @ret: @def when absent, else 1 to @max.
 * 0, or the status of the 400 problem naming it, written to @res.
 */
int api_query_limit(struct http_request *req, struct http_response *res, long long def,
                    long long max, long long *ret);

/* An id the router or the database gave as decimal digits, as a JSON integer. */
json_int_t id_value(const char *digits);

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

/* Answer a JSON decoding or validation error: 400 (malformed) or 422 (invalid field). */
int api_json_error(struct http_response *res, const struct json_error *err);

/* Send @v (a reference the caller keeps) as application/json with @status. */
int api_json(struct http_response *res, int status, const json_t *v);

/* Send text that is already JSON (built by PostgreSQL). */
int api_json_text(struct http_response *res, int status, const char *json);

/* Handlers, one group per resource file. */
int api_healthz(struct http_request *req, struct http_response *res);
int api_version(struct http_request *req, struct http_response *res);
int api_schemes_list(struct http_request *req, struct http_response *res);
int api_scheme_get(struct http_request *req, struct http_response *res);
int api_scheme_versions(struct http_request *req, struct http_response *res);
int api_scheme_publish(struct http_request *req, struct http_response *res);
int api_scheme_version_get(struct http_request *req, struct http_response *res);
int api_jurisdictions_list(struct http_request *req, struct http_response *res);
int api_jurisdiction_create(struct http_request *req, struct http_response *res);
int api_jurisdiction_schemes(struct http_request *req, struct http_response *res);
int api_jurisdiction_scheme_assign(struct http_request *req, struct http_response *res);
int api_establishment_create(struct http_request *req, struct http_response *res);
int api_establishment_update(struct http_request *req, struct http_response *res);
int api_establishment_get(struct http_request *req, struct http_response *res);
int api_establishment_inspections(struct http_request *req, struct http_response *res);
int api_licence_action_create(struct http_request *req, struct http_response *res);
int api_licence_action_list(struct http_request *req, struct http_response *res);
int api_inspection_create(struct http_request *req, struct http_response *res);
int api_inspection_update(struct http_request *req, struct http_response *res);
int api_inspection_submit(struct http_request *req, struct http_response *res);
int api_inspection_appeal_code(struct http_request *req, struct http_response *res);
int api_inspection_amend(struct http_request *req, struct http_response *res);
int api_inspection_get(struct http_request *req, struct http_response *res);
int api_inspection_get_staff(struct http_request *req, struct http_response *res);
int api_log_page(struct http_request *req, struct http_response *res);
int api_log_head(struct http_request *req, struct http_response *res);
int api_log_entries(struct http_request *req, struct http_response *res);
int api_log_text_get(struct http_request *req, struct http_response *res);

/* session.c: sign in (public), who am I, sign out. */
int api_session_create(struct http_request *req, struct http_response *res);
int api_session_get(struct http_request *req, struct http_response *res);
int api_session_delete(struct http_request *req, struct http_response *res);

/* tablet.c: photos, edit conflicts, assignments, the due list and the offline form. */
int api_tablet_photo_create(struct http_request *req, struct http_response *res);
int api_tablet_photo_get(struct http_request *req, struct http_response *res);
int api_tablet_photo_delete(struct http_request *req, struct http_response *res);
int api_tablet_conflict_resolve(struct http_request *req, struct http_response *res);
int api_tablet_assign(struct http_request *req, struct http_response *res);
int api_tablet_due(struct http_request *req, struct http_response *res);
int api_tablet_form(struct http_request *req, struct http_response *res);
int api_supervisor_worklist(struct http_request *req, struct http_response *res);
int api_supervisor_inspectors(struct http_request *req, struct http_response *res);
int api_corrective_actions(struct http_request *req, struct http_response *res);

/* staff.c: staff accounts (admin). */
int api_staff_list(struct http_request *req, struct http_response *res);
int api_staff_create(struct http_request *req, struct http_response *res);

/* ---- appeals and due process: appeals.c, replies.c, rerating.c */

/*
 * Check the "licence_number" and "appeal_code" members of an operator's request @body
 * (operator.c, with records/operator.c). Returns 0 and fills @ret, or the status of the
 * problem written to @res (403 for a wrong code or an unknown licence alike, 429 past the
 * limits).
 */
int api_operator_auth(struct http_request *req, struct http_response *res, json_t *body,
                      struct rec_operator *ret);

/* appeals.c: the operator's side (public, licence number + appeal code). */
int api_operator_status(struct http_request *req, struct http_response *res);
int api_operator_appeal_file(struct http_request *req, struct http_response *res);
int api_operator_appeal_withdraw(struct http_request *req, struct http_response *res);
/* appeals.c: the public record of an appeal, and the hearing officers' side. */
int api_appeal_get(struct http_request *req, struct http_response *res);
int api_appeal_queue(struct http_request *req, struct http_response *res);
int api_appeal_overdue(struct http_request *req, struct http_response *res);
int api_appeal_calendar(struct http_request *req, struct http_response *res);
int api_appeal_decided(struct http_request *req, struct http_response *res);
int api_appeal_attachment_get(struct http_request *req, struct http_response *res);
int api_operator_attachment_add(struct http_request *req, struct http_response *res);
int api_operator_attachment_get(struct http_request *req, struct http_response *res);
int api_appeal_get_staff(struct http_request *req, struct http_response *res);
int api_appeal_review(struct http_request *req, struct http_response *res);
int api_appeal_hearing(struct http_request *req, struct http_response *res);
int api_appeal_adjourn(struct http_request *req, struct http_response *res);
int api_appeal_decide(struct http_request *req, struct http_response *res);
/* replies.c: the operator's right to reply, and its moderation by clerks. */
int api_operator_reply(struct http_request *req, struct http_response *res);
int api_reply_moderate(struct http_request *req, struct http_response *res);
/* rerating.c: re-rating visits asked for by the operator; the inspectors' due list. */
int api_operator_rerating(struct http_request *req, struct http_response *res);
int api_rerating_due(struct http_request *req, struct http_response *res);
int api_rerating_schedule(struct http_request *req, struct http_response *res);
int api_rerating_inspected(struct http_request *req, struct http_response *res);

/*
 * The address the public reaches this server at (PLACARD_PUBLIC_URL, checked by
 * config_parse_public_url: no trailing slash), which every link the server makes starts
 * with; never the request's Host, which is the client's to choose. Copied; callable once,
 * from any thread (a development server on port 0 learns its port only once listening).
 */
void api_set_public_url(const char *url);
/* The map's tile URL template (PLACARD_MAP_TILES), published by GET /api/v1/map. */
void api_set_map_tiles(const char *url);
int api_map(struct http_request *req, struct http_response *res);

/* portal.c: the public portal: search, grade cards and their QR codes, the OpenAPI document. */
int api_establishments_search(struct http_request *req, struct http_response *res);
int api_card_get(struct http_request *req, struct http_response *res);
int api_establishment_qr(struct http_request *req, struct http_response *res);
int api_openapi(struct http_request *req, struct http_response *res);

/* metrics.c: GET /metrics, for the addresses of PLACARD_METRICS_ALLOW. */
int api_metrics(struct http_request *req, struct http_response *res);

/*
 * The addresses and networks that may read GET /metrics (copied). Call once before threads
 * start; until then nobody may.
 */
void api_set_metrics_allow(const struct netaddr_list *allow);

/*
 * api_hook()'s check for API_METRICS routes: 0 when both the connection's peer and the client
 * it names (X-Forwarded-For from a trusted proxy) are allowed, else the status of the 404 it
 * answered, the same as for a path with nothing at it.
 */
int api_metrics_check(struct http_request *req, struct http_response *res);

/* opendata.c: the LIVES feed and Placard's own. */
int api_open_data_lives(struct http_request *req, struct http_response *res);
int api_open_data_placard(struct http_request *req, struct http_response *res);

/* At shutdown: remove the private folder the served feed was built in, if one was made. */
void api_open_data_cleanup(void);

#endif
