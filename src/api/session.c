/*
 * session.c - staff sign-in: POST/GET/DELETE /api/v1/session, and the session check that
 * api_hook() runs before every staff route. The sessions themselves are records/staff.c's.
 *
 * A session token is sent to the browser in the placard_session cookie (HttpOnly,
 * SameSite=Strict, Secure behind TLS). Each session has its own CSRF token, which the page
 * reads from the sign-in answer (or GET /api/v1/session) and sends back as X-CSRF-Token on
 * every change; changes must also come from this site's own pages (Origin).
 */
#include "api/api.h"

#include <sodium.h>
#include <string.h>

#include "api/registry_doc.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"
#include "records/staff.h"

/* The API_* bit of each role. */
static const unsigned role_flags[AUTH_ROLE__COUNT] = {
	[AUTH_ROLE_ADMIN] = API_ADMIN,
	[AUTH_ROLE_CLERK] = API_CLERK,
	[AUTH_ROLE_INSPECTOR] = API_INSPECTOR,
	[AUTH_ROLE_SUPERVISOR] = API_SUPERVISOR,
	[AUTH_ROLE_HEARING_OFFICER] = API_HEARING_OFFICER,
};

/* Set once by api_init() before the threads start; read-only afterwards. */
static bool secure_cookies;

int api_init(bool tls)
{
	secure_cookies = tls;
	return rec_session_init();
}

static void set_cookie(struct http_response *res, const char *token)
{
	char cookie[256];
	if (auth_cookie_format(cookie, sizeof(cookie), token, secure_cookies) < 0)
		die("session cookie does not fit");
	http_header_add(res, "Set-Cookie", cookie);
}

/* Forget a session cookie the browser sent that names no live session; @code and @detail
 * as for http_problem_text(). */
static int refuse_session(struct http_response *res, const char *code, const char *detail)
{
	set_cookie(res, NULL);
	return http_problem_text(res, 401, NULL, code, detail);
}

static bool state_changing(const struct http_request *req)
{
	return req->method & (HTTP_POST | HTTP_PUT | HTTP_PATCH | HTTP_DELETE);
}

/* An Origin header, when sent, must name this site. */
static bool same_origin(struct http_request *req)
{
	const char *origin = http_header(req, "Origin");
	return !origin || auth_origin_matches(origin, http_header(req, "Host"), secure_cookies);
}

int api_session_check(struct http_request *req, struct http_response *res)
{
	const char *token = http_cookie(req, AUTH_COOKIE_NAME);
	if (!token)
		return http_problem(res, 401, NULL, "api.session.sign_in", NULL);
	if (!auth_token_valid(token)) {
		char detail[I18N_MESSAGE_MAX];
		i18n_format(detail, sizeof(detail), NULL, "api.session.ended", NULL);
		return refuse_session(res, "api.session.ended", detail);
	}
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_session s;
	if (rec_session_find(&r, token, &s) < 0)
		return r.problem.status == 401
		               ? refuse_session(res, r.problem.code, r.problem.detail)
		               : api_refused(res, &r);

	if (state_changing(req)) {
		if (!same_origin(req)) {
			log_warn("auth: %s %s by %s refused: cross-origin request from %s",
			         req->method_name, req->path, s.username,
			         http_header(req, "Origin"));
			return http_problem(res, 403, "Origin", "api.session.origin_changes", NULL);
		}
		const char *sent = http_header(req, "X-CSRF-Token");
		size_t len = strlen(s.csrf_token);
		if (!sent || strlen(sent) != len || sodium_memcmp(sent, s.csrf_token, len) != 0) {
			log_warn("auth: %s %s by %s refused: %s X-CSRF-Token", req->method_name,
			         req->path, s.username, sent ? "wrong" : "no");
			return http_problem(res, 403, "X-CSRF-Token", "api.session.csrf", NULL);
		}
	}
	if (!(role_flags[s.role] & req->route->flags)) {
		log_warn("auth: %s %s by %s refused: role %s", req->method_name, req->path,
		         s.username, auth_role_name(s.role));
		return http_problem(res, 403, NULL, "api.session.role", "role",
		                    auth_role_name(s.role), NULL);
	}

	struct api_user *u = arena_alloc(req->arena, sizeof(*u));
	u->id = s.id;
	u->username = s.username;
	u->display_name = s.display_name;
	u->role = role_flags[s.role];
	u->csrf_token = s.csrf_token;
	req->app = u;
	return 0;
}

int api_session_create(struct http_request *req, struct http_response *res)
{
	http_header_add(res, "Cache-Control", "no-store");
	if (!same_origin(req)) {
		log_warn("auth: sign-in refused: cross-origin request from %s",
		         http_header(req, "Origin"));
		return http_problem(res, 403, "Origin", "api.session.origin_sign_in", NULL);
	}
	struct sign_in_doc doc;
	struct json_error err;
	if (sign_in_doc_read(req->arena, req->body, req->body_len, &doc, &err) < 0)
		return api_json_error(res, &err);
	struct rec r = api_rec(req, STORE_WRITE);
	struct rec_signed_in in;
	if (rec_session_create(&r, doc.username, doc.password, http_cookie(req, AUTH_COOKIE_NAME),
	                       http_client_ip(req), &in) < 0)
		return api_refused(res, &r);
	set_cookie(res, in.token);
	return api_json_text(res, 201, in.json);
}

int api_session_get(struct http_request *req, struct http_response *res)
{
	const char *json;
	http_header_add(res, "Cache-Control", "no-store");
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_session_whoami(&r, api_user(req)->csrf_token, &json) < 0)
		return api_refused(res, &r);
	return api_json_text(res, 200, json);
}

int api_session_delete(struct http_request *req, struct http_response *res)
{
	/* api_session_check() found a live session for this cookie. */
	struct rec r = api_rec(req, STORE_WRITE);
	if (rec_session_delete(&r, http_cookie(req, AUTH_COOKIE_NAME)) < 0)
		return api_refused(res, &r);
	set_cookie(res, NULL);
	http_header_add(res, "Cache-Control", "no-store");
	return http_respond(res, 204, NULL, "", 0);
}
