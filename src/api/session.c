/*
 * session.c - staff sign-in: POST/GET/DELETE /api/v1/session, and the session check that
 * api_hook() runs before every staff route.
 *
 * A session token is 256 random bits sent to the browser as 64 hex digits in the
 * placard_session cookie (HttpOnly, SameSite=Strict, Secure behind TLS); the database keeps
 * only the SHA-256 of those 64 digits. Each session has its own CSRF token, which the page
 * reads from the sign-in answer (or GET /api/v1/session) and sends back as X-CSRF-Token on
 * every change. Passwords are checked with argon2id; failed sign-ins are counted per
 * username and per client address and refused for a while past the limits in domain/auth.h.
 *
 * API layer: HTTP to the domain rules (src/domain/auth.c) and the store, with libsodium for
 * the cryptography.
 */
#include "api/api.h"
#include "records/guess.h"
#include "core/crypto.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/log.h"
#include "core/util.h"
#include "domain/auth.h"

/* The API_* bit of each role. */
static const unsigned role_flags[AUTH_ROLE__COUNT] = {
	[AUTH_ROLE_ADMIN] = API_ADMIN,
	[AUTH_ROLE_CLERK] = API_CLERK,
	[AUTH_ROLE_INSPECTOR] = API_INSPECTOR,
	[AUTH_ROLE_SUPERVISOR] = API_SUPERVISOR,
	[AUTH_ROLE_HEARING_OFFICER] = API_HEARING_OFFICER,
};

static const char bad_credentials[] = "The username or password is incorrect.";

/* Set once by api_init() before the threads start; read-only afterwards. */
static bool secure_cookies;
static char dummy_hash[crypto_pwhash_STRBYTES];

int api_init(bool tls)
{
	secure_cookies = tls;
	/* Unknown usernames are checked against this, so they cost as much as known ones. */
	unsigned char pw[32];
	randombytes_buf(pw, sizeof(pw));
	return password_hash((const char *)pw, sizeof(pw), dummy_hash);
}

/* 256 random bits as 64 hex digits, in req->arena. */
static char *random_hex(struct arena *a)
{
	unsigned char bytes[AUTH_TOKEN_BYTES];
	randombytes_buf(bytes, sizeof(bytes));
	char *out = arena_alloc(a, AUTH_TOKEN_HEX + 1);
	sodium_bin2hex(out, AUTH_TOKEN_HEX + 1, bytes, sizeof(bytes));
	sodium_memzero(bytes, sizeof(bytes));
	return out;
}

static void set_cookie(struct http_response *res, const char *token)
{
	char cookie[256];
	if (auth_cookie_format(cookie, sizeof(cookie), token, secure_cookies) < 0)
		die("session cookie does not fit");
	http_header_add(res, "Set-Cookie", cookie);
}

/* Forget a session cookie the browser sent that names no live session. */
static int refuse_session(struct http_response *res, const char *detail)
{
	set_cookie(res, NULL);
	return http_problem(res, 401, NULL, "%s", detail);
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
		return http_problem(res, 401, NULL, "Sign in to use this.");
	if (!auth_token_valid(token))
		return refuse_session(res, "Your session has ended; sign in again.");

	char hash[SHA256_HEX_LEN + 1]; /* as staff_session.token_hash holds it */
	sha256_hex(token, strlen(token), hash);
	char idle[16], touch[16];
	snprintf(idle, sizeof(idle), "%d", AUTH_SESSION_IDLE);
	snprintf(touch, sizeof(touch), "%d", AUTH_SESSION_TOUCH);
	const char *const params[] = { hash, idle, touch };
	struct store *s = store_thread(STORE_WRITE);
	struct store_result *r;
	int rc = store_exec(s, req->arena, STMT_SESSION_LOOKUP, params, &r);
	if (rc < 0)
		return api_store_error(res, s, rc);
	if (store_nrows(r) == 0)
		return refuse_session(res, "Your session has ended; sign in again.");

	enum auth_role role;
	if (auth_role_parse(store_value(r, 0, 3), &role) < 0) {
		log_error("auth: staff member %s has an unknown role", store_value(r, 0, 0));
		return http_problem(res, 500, NULL, "The server could not complete the request.");
	}
	const char *username = store_value(r, 0, 1);
	const char *csrf = store_value(r, 0, 4);

	if (state_changing(req)) {
		if (!same_origin(req)) {
			log_warn("auth: %s %s by %s refused: cross-origin request from %s",
			         req->method_name, req->path, username, http_header(req, "Origin"));
			return http_problem(res, 403, "Origin",
			                    "Changes may only be sent from this site's own pages.");
		}
		const char *sent = http_header(req, "X-CSRF-Token");
		size_t len = strlen(csrf);
		if (!sent || strlen(sent) != len || sodium_memcmp(sent, csrf, len) != 0) {
			log_warn("auth: %s %s by %s refused: %s X-CSRF-Token", req->method_name,
			         req->path, username, sent ? "wrong" : "no");
			return http_problem(res, 403, "X-CSRF-Token",
			                    "The X-CSRF-Token header is missing or does not match "
			                    "this session.");
		}
	}
	if (!(role_flags[role] & req->route->flags)) {
		log_warn("auth: %s %s by %s refused: role %s", req->method_name, req->path,
		         username, auth_role_name(role));
		return http_problem(res, 403, NULL, "Staff with the role %s may not do this.",
		                    auth_role_name(role));
	}

	struct api_user *u = arena_alloc(req->arena, sizeof(*u));
	u->id = store_value_int(r, 0, 0);
	u->username = username;
	u->display_name = store_value(r, 0, 2);
	u->role = role_flags[role];
	u->csrf_token = csrf;
	req->app = u;
	return 0;
}

/* {"user":{"id","username","display_name","role"},"csrf_token"} */
static json_t *session_json(struct arena *a, long long id, const char *username,
                            const char *display_name, const char *role, const char *csrf)
{
	return json_arena(a, json_pack("{s:{s:I, s:s, s:s, s:s}, s:s}", "user", "id",
	                               (json_int_t)id, "username", username, "display_name",
	                               display_name, "role", role, "csrf_token", csrf));
}

static const char *role_name_of(unsigned flag)
{
	for (int i = 0; i < AUTH_ROLE__COUNT; i++)
		if (role_flags[i] == flag)
			return auth_role_name((enum auth_role)i);
	return "";
}

int api_session_create(struct http_request *req, struct http_response *res)
{
	static const char *const keys[] = { "username", "password", NULL };
	http_header_add(res, "Cache-Control", "no-store");
	if (!same_origin(req)) {
		log_warn("auth: sign-in refused: cross-origin request from %s",
		         http_header(req, "Origin"));
		return http_problem(res, 403, "Origin", "Sign in from this site's own pages.");
	}
	json_t *body;
	struct json_error err;
	const char *username, *password;
	if (json_decode(req->arena, req->body, req->body_len, &body, &err) < 0 ||
	    json_expect_object(body, "", &err) < 0 || json_only_keys(body, "", keys, &err) < 0 ||
	    json_field_string(body, "", "username", true, 256, &username, &err) < 0 ||
	    json_field_string(body, "", "password", true, AUTH_PASSWORD_MAX_BYTES, &password,
	                      &err) < 0)
		return api_json_error(res, &err);

	const char *ip = http_client_ip(req);
	struct store *s = store_thread(STORE_WRITE);
	static const struct ratelimit_rule rule = AUTH_FAILURE_RULE;
	struct guess g = { .rule = &rule,
		           .counts = STMT_LOGIN_FAILURE_COUNTS,
		           .add = STMT_LOGIN_FAILURE_ADD,
		           .clear = STMT_LOGIN_FAILURE_CLEAR,
		           .target = username,
		           .what = "wrong passwords",
		           .noun = "username" };
	struct rec gr = api_rec(req, STORE_WRITE);
	int rc = guess_before(&gr, &g) < 0 ? api_refused(res, &gr) : 0;
	if (rc) {
		log_warn("auth: sign-in as \"%s\" from %s refused: too many failures", username,
		         ip);
		return rc;
	}

	struct store_result *r;
	const char *const by_name[] = { username };
	rc = store_exec(s, req->arena, STMT_STAFF_BY_USERNAME, by_name, &r);
	if (rc < 0)
		return api_store_error(res, s, rc);
	bool found = store_nrows(r) == 1;
	/* The same work whether or not the account exists, so timing tells nothing. */
	const char *hash = found ? store_value(r, 0, 4) : dummy_hash;
	bool ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0 && found;
	if (!ok) {
		log_warn("auth: sign-in as \"%s\" from %s failed", username, ip);
		if (guess_failed(&gr, &g) < 0)
			return api_refused(res, &gr);
		return http_problem(res, 401, NULL, "%s", bad_credentials);
	}
	if (guess_succeeded(&gr, &g) < 0)
		return api_refused(res, &gr);
	/* A sign-in always starts a new session; one the browser still held ends here. */
	const char *old = http_cookie(req, AUTH_COOKIE_NAME);
	if (auth_token_valid(old)) {
		char old_hash[SHA256_HEX_LEN + 1];
		sha256_hex(old, strlen(old), old_hash);
		const char *const revoke[] = { old_hash };
		if ((rc = store_exec(s, req->arena, STMT_SESSION_REVOKE, revoke, NULL)) < 0)
			return api_store_error(res, s, rc);
	}
	char *token = random_hex(req->arena);
	char *csrf = random_hex(req->arena);
	char token_hash[SHA256_HEX_LEN + 1];
	sha256_hex(token, strlen(token), token_hash);
	char lifetime[16];
	snprintf(lifetime, sizeof(lifetime), "%d", AUTH_SESSION_MAX_AGE);
	const char *const create[] = { token_hash, store_value(r, 0, 0), csrf, lifetime };
	if ((rc = store_exec(s, req->arena, STMT_SESSION_CREATE, create, NULL)) < 0)
		return api_store_error(res, s, rc);

	log_info("auth: %s signed in from %s", store_value(r, 0, 1), ip);
	set_cookie(res, token);
	return api_json(res, 201,
	                session_json(req->arena, store_value_int(r, 0, 0), store_value(r, 0, 1),
	                             store_value(r, 0, 2), store_value(r, 0, 3), csrf));
}

int api_session_get(struct http_request *req, struct http_response *res)
{
	const struct api_user *u = api_user(req);
	http_header_add(res, "Cache-Control", "no-store");
	return api_json(res, 200,
	                session_json(req->arena, u->id, u->username, u->display_name,
	                             role_name_of(u->role), u->csrf_token));
}

int api_session_delete(struct http_request *req, struct http_response *res)
{
	const struct api_user *u = api_user(req);
	/* api_session_check() found a live session for this cookie. */
	const char *token = http_cookie(req, AUTH_COOKIE_NAME);
	char hash[SHA256_HEX_LEN + 1]; /* as staff_session.token_hash holds it */
	sha256_hex(token, strlen(token), hash);
	const char *const params[] = { hash };
	struct store *s = store_thread(STORE_WRITE);
	int rc = store_exec(s, req->arena, STMT_SESSION_REVOKE, params, NULL);
	if (rc < 0)
		return api_store_error(res, s, rc);
	log_info("auth: %s signed out", u->username);
	set_cookie(res, NULL);
	http_header_add(res, "Cache-Control", "no-store");
	return http_respond(res, 204, NULL, "", 0);
}
